"""Memory of exports: peak resident memory of each format on a knowledge base of 10,000 relations.

    python -m bench.export_bench [--relations 10000] [--db PATH] [--formats stix,graphml,...] [--json]

Builds (or reuses, with --db) a synthetic knowledge base: Analysis objects written here (invented
armed groups, governments, places and anonymous officials; 5 relations, 2 statements and 1 event a
document) saved with KnowledgeBase.save, so no NLP is involved. Then each format is exported in a
fresh subprocess that reports its own peak RSS (VmHWM, else resource.getrusage) and the peak of Python
allocations (tracemalloc is off by default: it slows the run; --tracemalloc turns it on), so one
format's memory never hides another's. Budget: 300 MB per format. Not a timed test; seconds are
printed for information.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BUDGET_MB = 300
FORMATS = ("stix", "graphml", "gexf", "plover", "csv", "jsonl")
RELATIONS_PER_DOC = 5

SYLLABLES = ["kar", "tal", "ven", "mor", "sin", "dra", "bel", "qu", "zan", "hol", "rit", "os", "ul", "em", "fay"]
UNITS = ["Brigade", "Front", "Movement", "Battalion", "Army", "Council", "Legion", "Network"]
RELATION_PHRASES = {
    "allied_with": "{s} has fought alongside {o}",
    "funds": "{s} sends money to {o}",
    "supplies": "{s} supplies weapons to {o}",
    "attacks": "{s} attacked {o}",
    "rival_of": "{s} is feuding with {o}",
    "member_of": "{s} belongs to {o}",
    "operates_in": "{s} operates in {o}",
}
EVENT_PHRASE = "{s} shelled positions held by {o}"


def _word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def actor_pool(rng: random.Random, groups: int, places: int, governments: int) -> list[tuple[str, str, str | None]]:
    pool: dict[str, tuple[str, str, str | None]] = {}
    while len(pool) < groups:
        name = f"{_word(rng, 2)} {rng.choice(UNITS)}"
        pool[name] = (name, "organization", "armed_group")
    while len(pool) < groups + places:
        name = _word(rng, 3)
        pool[name] = (name, "location", None)
    while len(pool) < groups + places + governments:
        name = f"Ministry of {_word(rng, 2)}"
        pool[name] = (name, "organization", "government")
    return list(pool.values())


def _mention(entities: dict, text: str, actor: tuple, at: int) -> str:
    """The document-local id of a pool actor, adding this mention of it."""
    from wirescope.model import Entity, Span

    name, etype, subtype = actor
    if name not in entities:
        entities[name] = Entity(f"e{len(entities) + 1}", name, etype, subtype=subtype)
    entities[name].mentions.append(Span.of(text, at, at + len(name)))
    return entities[name].id


def synthetic_analyses(n_relations: int, seed: int = 7):
    """Analysis objects with n_relations relations in all, each document telling a few of them."""
    from wirescope.model import Analysis, Document, Entity, Event, Relation, Span, Statement

    rng = random.Random(seed)
    groups = max(20, n_relations // 25)
    pool = actor_pool(rng, groups, groups // 4, groups // 8)
    armed = [a for a in pool if a[2] == "armed_group"]
    places = [a for a in pool if a[1] == "location"]
    docs = (n_relations + RELATIONS_PER_DOC - 1) // RELATIONS_PER_DOC
    left = n_relations
    for d in range(docs):
        sentences, specs = [], []
        for _ in range(min(RELATIONS_PER_DOC, left)):
            rtype = rng.choice(list(RELATION_PHRASES))
            subject = rng.choice(armed)
            obj = rng.choice(places if rtype == "operates_in" else [a for a in pool if a is not subject])
            sentences.append(RELATION_PHRASES[rtype].format(s=subject[0], o=obj[0]))
            specs.append((rtype, subject, obj))
        left -= len(specs)
        lead = f"Report {d} from {_word(rng, 2)}: "
        said = ", a senior official said. ".join(sentences[:2]) + ", a senior official said. "
        rest = ". ".join(sentences[2:]) + ". " if sentences[2:] else ""
        e_s, e_o = rng.sample(armed, 2)
        event_text = EVENT_PHRASE.format(s=e_s[0], o=e_o[0])
        text = f"{lead}{said}{rest}{event_text} on {d % 28 + 1} March, witnesses said."
        day = f"2021-{d % 12 + 1:02d}-{d % 28 + 1:02d}"
        entities: dict = {}
        relations, statements = [], []
        official = Entity("e0", "a senior official", "person", anonymous=True,
                          descriptor={"role": "official", "rank": "senior"})
        cursor = 0
        for i, (rtype, subject, obj) in enumerate(specs):
            sentence = RELATION_PHRASES[rtype].format(s=subject[0], o=obj[0])
            start = text.index(sentence, cursor)
            cursor = start + len(sentence)
            s_id = _mention(entities, text, subject, start)
            o_id = _mention(entities, text, obj, text.index(obj[0], start + len(subject[0])))
            statement = None
            if i < 2:
                statement = f"s{i + 1}"
                cue_at = text.index("said", cursor)
                statements.append(Statement(statement, official.id, "said", Span.of(text, start, cursor), direct=False,
                                            cue_span=Span.of(text, cue_at, cue_at + 4)))
            relations.append(Relation(s_id, rtype, o_id, Span.of(text, start, cursor), id=f"r{i + 1}",
                                      statement=statement, time=day if i == 0 else None))
        start = text.index(event_text)
        src = _mention(entities, text, e_s, start)
        tgt = _mention(entities, text, e_o, text.index(e_o[0], start + len(e_s[0])))
        trigger = text.index("shelled", start)
        events = [Event("ASSAULT", "shelled", Span.of(text, start, start + len(event_text)), source=src, target=tgt,
                        time=day, mode="shelling", trigger_span=Span.of(text, trigger, trigger + 7), id="v1")]
        official.mentions.append(Span.of(text, text.index("a senior official"), text.index("a senior official") + 17))
        doc = Document(text, title=f"Synthetic report {d}", url=f"https://example.org/synthetic/{d}",
                       outlet=f"Outlet {d % 9}", published=day)
        yield Analysis(doc, [official, *entities.values()], statements, relations, events)


def build(db: Path, n_relations: int) -> dict:
    from wirescope.flow import open_kb
    from wirescope.store.kb import KnowledgeBase

    started = time.perf_counter()
    kb = open_kb(f"sqlite:///{db}")
    for analysis in synthetic_analyses(n_relations):
        kb.save(analysis)
    counts = kb.counts()
    kb.close()
    return {"seconds": round(time.perf_counter() - started, 1), **counts}


def peak_rss() -> float:
    """This process's peak resident memory in MB. Linux's VmHWM counts only this program: ru_maxrss
    keeps the high-water mark of the parent it was forked from (carried over by execve)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def run_one(fmt: str, db: Path, out_dir: Path, trace: bool) -> dict:
    """Export one format in this process and report its own peak memory."""
    import tracemalloc

    from wirescope.export import Filters, get_exporter
    from wirescope.flow import open_kb
    from wirescope.store.kb import KnowledgeBase

    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    exporter = get_exporter(fmt)
    kb = open_kb(f"sqlite:///{db}", create=False)
    with kb.engine.connect() as conn:
        if exporter.multi_file:
            target = out_dir / fmt
            stats = exporter.write(conn, target, Filters())
            size = sum(p.stat().st_size for p in target.iterdir())
        else:
            target = out_dir / f"export{exporter.suffix}.{fmt}"
            with target.open("w", encoding="utf-8") as fh:
                stats = exporter.write(conn, fh, Filters())
            size = target.stat().st_size
    kb.close()
    peak_rss_mb = peak_rss()
    result = {"format": fmt, "peak_rss_mb": round(peak_rss_mb, 1), "seconds": round(time.perf_counter() - started, 1),
              "output_mb": round(size / 2 ** 20, 2), "counts": dict(stats.counts)}
    if trace:
        result["python_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2 ** 20, 1)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.export_bench", description=__doc__.splitlines()[0])
    parser.add_argument("--relations", type=int, default=10_000)
    parser.add_argument("--db", type=Path, help="reuse (or build once into) this SQLite file")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--tracemalloc", action="store_true", help="also measure peak Python allocations (slower)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--run-one", help=argparse.SUPPRESS)
    parser.add_argument("--out-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.run_one:
        print(json.dumps(run_one(args.run_one, args.db, args.out_dir, args.tracemalloc)))
        return 0

    with tempfile.TemporaryDirectory(prefix="wirescope-export-bench-") as tmp:
        db = args.db or Path(tmp) / "kb.db"
        if not db.exists():
            print(f"building a knowledge base of {args.relations} synthetic relations in {db} ...", file=sys.stderr)
            built = build(db, args.relations)
            print(f"built in {built['seconds']}s: {built}", file=sys.stderr)
        results, failed = [], False
        for fmt in [f.strip() for f in args.formats.split(",") if f.strip()]:
            cmd = [sys.executable, "-m", "bench.export_bench", "--run-one", fmt, "--db", str(db), "--out-dir", tmp]
            if args.tracemalloc:
                cmd.append("--tracemalloc")
            proc = subprocess.run(cmd, capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent)
            if proc.returncode != 0:
                print(f"{fmt}: failed\n{proc.stderr}", file=sys.stderr)
                failed = True
                continue
            result = json.loads(proc.stdout.strip().splitlines()[-1])
            result["within_budget"] = result["peak_rss_mb"] <= BUDGET_MB
            failed |= not result["within_budget"]
            results.append(result)
            if not args.json:
                extra = f", python peak {result['python_peak_mb']} MB" if "python_peak_mb" in result else ""
                print(f"{fmt:8s} peak RSS {result['peak_rss_mb']:7.1f} MB (budget {BUDGET_MB}){extra}; "
                      f"{result['seconds']:6.1f}s; output {result['output_mb']} MB; "
                      f"{'ok' if result['within_budget'] else 'OVER BUDGET'}")
        if args.json:
            print(json.dumps(results, indent=1))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
