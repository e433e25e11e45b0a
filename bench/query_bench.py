"""Read-side speed: actor page, relations, network and exports on a synthetic knowledge base.

    python -m bench.query_bench [--docs 1000] [--db PATH] [--repeat 5] [--baseline DIR | --baseline-ref REF] [--json]

Builds (or reuses, with --db) a knowledge base of synthetic news documents made from templates:
armed groups, governments, places, named spokesmen and anonymous officials; claims of shelter,
funding and alliances attributed to named or anonymous speakers (some through another outlet,
"told Radio X"), denials by the groups' spokesmen, the outlet's own reporting of attacks,
syndicated copies (the same story under another outlet's header, found by the syndication check),
and --extras people, bodies and places each story names once (most actors of a real knowledge base
are seen once or twice).
No NLP runs: `wirescope.model.Analysis` objects are stored with `flow.open_kb` + `flow.Ingest`.

Then it times, each at the median of --repeat runs, in a subprocess per implementation:
the actor page (HTML) and profile (JSON) of the most reported group, `relations A` and
`relations A B` (the aggregate query), one relation's page, the whole network and the network
around the actor (JSON), `rows.iter_actors`, and the csv and stix exports.

--baseline DIR times another copy of the package too (DIR holds its `wirescope/`), on the same
knowledge base and in the same run, the two taking turns run by run, and prints each query's ratio
baseline / current (above 1: faster now). Each reads its own copy of the knowledge base with the
indexes its own schema declares. --baseline-ref REF makes that copy with `git archive REF wirescope`.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTLETS = ["Harbour Times", "Valley Post", "Eastern Wire", "Frontier Dispatch", "Kabul Ledger", "Coastal Herald",
           "Continental Newswire", "Global Security Review", "Morning Courier", "Desert Observer", "Port Gazette",
           "Highland Bulletin"]
CHANNELS = ["Radio Meridian", "Channel Nine", "the Delta Agency"]
SYLLABLES = ["kar", "tal", "ven", "mor", "sin", "dra", "bel", "qu", "zan", "hol", "rit", "os", "ul", "em", "fay",
             "nor", "bas", "lek", "tur", "gan"]
BODIES = ["Council", "Committee", "Union", "Association", "Foundation", "Institute", "Board", "Authority"]
UNITS = ["Brigade", "Front", "Movement", "Battalion", "Army", "Council", "Legion", "Network", "Guard", "Alliance"]
FIRST = ["Amir", "Mara", "Jonas", "Leila", "Tomas", "Nadia", "Omar", "Sina", "Karim", "Elena", "Idris", "Farah"]
ANONYMOUS = ["a senior security official", "two diplomats", "a regional intelligence officer",
             "local officials", "a former commander", "aid workers"]
CLAIMS = {  # relation type: sentence template
    "harbors": "{s} has sheltered fighters of {o} in the hills",
    "funds": "{s} sends money to {o} every month",
    "allied_with": "{s} has fought alongside {o} since the spring",
    "supplies": "{s} supplies weapons to {o}",
    "trains": "{s} trains recruits of {o} in remote camps",
}
DENIALS = {"harbors": "shelters", "funds": "funds", "allied_with": "is allied with", "supplies": "arms",
           "trains": "trains"}
TIMED = ("actor page (HTML)", "actor profile (JSON)", "relations A", "relations A B", "relation page (HTML)",
         "network (JSON, whole KB)", "network around A (JSON)", "rows.iter_actors", "export csv", "export stix")


# ---- the synthetic knowledge base ------------------------------------------------------------------
def _word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def _pool(rng: random.Random, docs: int, extras: int = 9) -> dict:
    groups: list[str] = []
    while len(groups) < max(30, docs // 6):
        name = f"{_word(rng, 2)} {rng.choice(UNITS)}"
        if name not in groups:
            groups.append(name)
    places = sorted({_word(rng, 3) for _ in range(max(20, docs // 12))})
    governments = sorted({f"Ministry of {_word(rng, 2)}" for _ in range(max(8, docs // 40))})
    spokesmen = {g: f"{rng.choice(FIRST)} {_word(rng, 2)}" for g in groups}
    officials = sorted({f"{rng.choice(FIRST)} {_word(rng, 3)}" for _ in range(max(20, docs // 10))})
    weights = [1 / (i + 1) ** 0.9 for i in range(len(groups))]  # a few groups are in many stories
    return {"groups": groups, "weights": weights, "places": places, "governments": governments,
            "spokesmen": spokesmen, "officials": officials, "extras": extras}


class _Doc:
    """One story being written: its text, the actors it names and its layers."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.entities: dict = {}
        self.statements: list = []
        self.relations: list = []
        self.events: list = []
        self.pending: list = []

    def add(self, sentence: str) -> int:
        at = sum(len(p) + 1 for p in self.parts)
        self.parts.append(sentence)
        return at

    @property
    def text(self) -> str:
        return " ".join(self.parts)

    def entity(self, name: str, etype: str, subtype: str | None = None, anonymous: bool = False) -> str:
        from wirescope.model import Entity

        if name not in self.entities:
            descriptor = {"role": "official"} if anonymous else None
            self.entities[name] = Entity(f"e{len(self.entities) + 1}", name, etype, subtype=subtype,
                                         anonymous=anonymous, descriptor=descriptor)
        return self.entities[name].id


def _story(rng: random.Random, pool: dict, d: int):
    from wirescope.model import Analysis, Document, Event, Relation, Span, Statement

    outlet = OUTLETS[d % len(OUTLETS)]
    day = f"202{d % 3}-{d % 12 + 1:02d}-{d % 28 + 1:02d}"
    doc = _Doc()
    spans: list[tuple] = []  # (kind, phrase start, phrase, payload) resolved once the text is final
    lead_place = rng.choice(pool["places"])
    doc.add(f"{lead_place.upper()} ({outlet}) - Story {d} from {_word(rng, 2)}.")
    groups = pool["groups"]
    for _ in range(rng.randint(4, 7)):
        s, o = rng.choices(groups, weights=pool["weights"], k=2)
        if s == o:
            o = rng.choice(groups)
        rtype = rng.choice(list(CLAIMS))
        shape = rng.random()
        if shape < 0.3:  # a named official's claim
            speaker = rng.choice(pool["officials"])
            sentence = f"{CLAIMS[rtype].format(s=s, o=o)}, {speaker} said."
            doc.pending.append(("claim", sentence, rtype, s, o, (speaker, "person", False), None, "said"))
        elif shape < 0.5:  # an anonymous source, sometimes through a broadcaster
            speaker = rng.choice(ANONYMOUS)
            channel = rng.choice(CHANNELS) if rng.random() < 0.4 else None
            cue = f"told {channel}" if channel else "said"
            sentence = f"{CLAIMS[rtype].format(s=s, o=o)}, {speaker} {cue}."
            doc.pending.append(("claim", sentence, rtype, s, o, (speaker, "person", True), channel, cue))
        elif shape < 0.7:  # the group's spokesman denies it
            speaker = pool["spokesmen"][s]
            sentence = f"{speaker}, a spokesman for {s}, denied that the group {DENIALS[rtype]} {o}."
            doc.pending.append(("denial", sentence, rtype, s, o, (speaker, "person", False), None, "denied"))
        elif shape < 0.85:  # the outlet's own reporting: an attack
            place = rng.choice(pool["places"])
            sentence = f"Fighters of {s} attacked positions of {o} near {place} on {day}."
            doc.pending.append(("attack", sentence, "attacks", s, o, place, None, None))
        else:  # a government names its enemies
            gov = rng.choice(pool["governments"])
            sentence = f"According to the {gov}, {CLAIMS[rtype].format(s=s, o=o)}."
            doc.pending.append(("according", sentence, rtype, s, o, (gov, "organization", False), None, "according to"))
    for kind, sentence, rtype, s, o, speaker, channel, cue in doc.pending:
        spans.append((kind, doc.add(sentence), sentence, (rtype, s, o, speaker, channel, cue)))
    incidental = []  # the people, bodies and places a story names once: most actors of a real knowledge base
    for _ in range(pool["extras"] // 3):
        person, body, place = (f"{rng.choice(FIRST)} {_word(rng, 3)}", f"{_word(rng, 2)} {rng.choice(BODIES)}",
                               _word(rng, 3))
        doc.add(f"{person} of the {body} met residents in {place}.")
        incidental += [(person, "person"), (body, "organization"), (place, "location")]
    text = doc.text
    for name, etype in incidental:
        doc.entity(name, etype)
    for name in list({n for _, _, _, (_, s, o, *_r) in spans for n in (s, o)}):
        doc.entity(name, "organization", "armed_group")
    for i, (kind, at, sentence, (rtype, s, o, speaker, channel, cue)) in enumerate(spans, 1):
        sid = doc.entity(s, "organization")
        oid = doc.entity(o, "organization")
        statement = None
        if kind == "attack":
            pid = doc.entity(speaker, "location")
            ev = Span.of(text, at, at + len(sentence) - 1)
            trig = text.index("attacked", at)
            doc.events.append(Event("ASSAULT", "attacked", ev, source=sid, target=oid, location=pid, time=day,
                                    trigger_span=Span.of(text, trig, trig + 8), id=f"v{len(doc.events) + 1}"))
            doc.relations.append(Relation(sid, "attacks", oid, ev, trigger="attacked", time=day, id=f"r{i}"))
            continue
        name, etype, anonymous = speaker
        spk = doc.entity(name, etype, anonymous=anonymous)
        via = doc.entity(channel, "organization", "media") if channel else None
        statement = f"s{len(doc.statements) + 1}"
        if kind == "denial":
            clause = sentence[sentence.index("that the group") + 5:-1]
            start = at + sentence.index(clause)
            polarity = "negative"
            doc.relations.append(Relation(spk, "member_of", sid, Span.of(text, at, at + sentence.index(",", len(name) + 2)),
                                          trigger="spokesman", id=f"r{i}m"))
        elif kind == "according":
            clause = sentence[sentence.index(", ") + 2:-1]
            start = at + sentence.index(clause)
            polarity = "positive"
        else:
            clause = CLAIMS[rtype].format(s=s, o=o)
            start = at
            polarity = "positive"
        content = Span.of(text, start, start + len(clause))
        cue_at = text.lower().index(cue.lower(), at)
        doc.statements.append(Statement(statement, spk, cue, content, direct=False, via=via, polarity=polarity,
                                        cue_span=Span.of(text, cue_at, cue_at + len(cue))))
        doc.relations.append(Relation(sid, rtype, oid, content, polarity=polarity, statement=statement,
                                      trigger=rtype, id=f"r{i}"))
    for ent in doc.entities.values():  # every occurrence of every name is a mention
        start = text.find(ent.name)
        while start >= 0:
            ent.mentions.append(Span.of(text, start, start + len(ent.name)))
            start = text.find(ent.name, start + len(ent.name))
    document = Document(text, title=f"Story {d}", url=f"https://example.org/{outlet.split()[0].lower()}/{d}",
                        outlet=outlet, published=day)
    return Analysis(document, list(doc.entities.values()), doc.statements, doc.relations, doc.events)


def _copy(original, d: int):
    """A syndicated copy: the same story under another outlet's header."""
    import copy

    from wirescope.model import Document

    a = copy.deepcopy(original)
    outlet = OUTLETS[(d + 5) % len(OUTLETS)]
    text = a.document.text
    a.document = Document(text + " ", title=a.document.title + " (syndicated)", outlet=outlet,
                          url=f"https://example.org/copy/{d}", published=a.document.published)
    return a


def synthetic_analyses(docs: int, seed: int = 11, extras: int = 9):
    rng = random.Random(seed)
    pool = _pool(rng, docs, extras)
    made = []
    for d in range(docs):
        if made and d % 10 == 9:  # one story in ten is a copy of an earlier one
            yield _copy(rng.choice(made[-50:]), d)
            continue
        a = _story(rng, pool, d)
        made.append(a)
        yield a


def build(db: Path, docs: int, extras: int = 9) -> dict:
    from wirescope.flow import Ingest, open_kb

    started = time.perf_counter()
    kb = open_kb(f"sqlite:///{db}")
    ingest = Ingest(kb)
    for analysis in synthetic_analyses(docs, extras=extras):
        ingest.store(analysis)
    counts = kb.counts()
    with kb.engine.connect() as conn:
        counts["syndicated copies"] = conn.exec_driver_sql(
            "SELECT count(*) FROM documents WHERE duplicate_of IS NOT NULL").scalar()
    kb.close()
    return {"seconds": round(time.perf_counter() - started, 1), **counts}


def targets(db: Path) -> dict:
    """The actor, pair and relation the timings look at: the most reported group and its partner."""
    import sqlite3

    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every run reads the same file, not a long write-ahead log
    a = con.execute("SELECT e.kb_entity, count(DISTINCT e.doc_id) n FROM doc_entities e JOIN kb_entities k "
                    "ON k.id = e.kb_entity WHERE k.type = 'organization' AND k.merged_into IS NULL "
                    "GROUP BY e.kb_entity ORDER BY n DESC, e.kb_entity LIMIT 1").fetchone()[0]
    b, rtype = con.execute("SELECT CASE WHEN subject_kb = ? THEN object_kb ELSE subject_kb END o, type, count(*) n "
                           "FROM relations WHERE (subject_kb = ? OR object_kb = ?) AND subject_kb != object_kb "
                           f"AND type IN ({', '.join(repr(c) for c in CLAIMS)}) GROUP BY o, type "
                           "ORDER BY n DESC, o LIMIT 1", (a, a, a)).fetchone()[:2]
    s, o = con.execute("SELECT subject_kb, object_kb FROM relations WHERE type = ? AND ((subject_kb = ? AND "
                       "object_kb = ?) OR (subject_kb = ? AND object_kb = ?)) LIMIT 1", (rtype, a, b, b, a)).fetchone()
    con.close()
    return {"a": a, "b": b, "type": rtype, "s": s, "o": o}


# ---- timing (in a subprocess, with the implementation under test first on sys.path) ---------------
def cases(db: Path, t: dict) -> tuple[dict, object]:
    """name -> a function running that query once, and a function closing what they share."""
    from fastapi.testclient import TestClient

    from wirescope.api.app import create_app
    from wirescope.export import Filters, get_exporter
    from wirescope.flow import open_kb
    from wirescope.query import rows
    from wirescope.query.relations import aggregate_relations
    from wirescope.settings import Settings

    url = f"sqlite:///{db}"
    kb = open_kb(url, create=False)
    client = TestClient(create_app(Settings(db_url=url), kb=kb), base_url="http://localhost")
    html = {"accept": "text/html"}
    out_dir = Path(tempfile.mkdtemp(prefix="wirescope-query-bench-"))

    def get(path: str, headers: dict | None = None):
        def run():
            r = client.get(path, headers=headers or {})
            assert r.status_code == 200, (path, r.status_code, r.text[:300])
        return run

    def query(fn):
        def run():
            with kb.engine.connect() as conn:
                fn(conn)
        return run

    def export(fmt: str):
        def run():
            exporter = get_exporter(fmt)
            with kb.engine.connect() as conn:
                if exporter.multi_file:
                    exporter.write(conn, out_dir / fmt, Filters())
                else:
                    with (out_dir / f"out.{fmt}").open("w", encoding="utf-8") as fh:
                        exporter.write(conn, fh, Filters())
        return run

    found = {
        "actor page (HTML)": get(f"/actors/{t['a']}", html),
        "actor profile (JSON)": get(f"/api/actors/{t['a']}"),
        "relations A": query(lambda c: aggregate_relations(c, entity=t["a"])),
        "relations A B": query(lambda c: aggregate_relations(c, entity=t["a"], other=t["b"])),
        "relation page (HTML)": get(f"/relations/{t['s']}/{t['type']}/{t['o']}", html),
        "network (JSON, whole KB)": get("/api/network"),
        "network around A (JSON)": get(f"/api/network?actor={t['a']}"),
        "rows.iter_actors": query(lambda c: sum(1 for _ in rows.iter_actors(c))),
        "export csv": export("csv"),
        "export stix": export("stix"),
    }
    return found, kb.close


def own_schema(db: Path) -> None:
    """Give this copy of the knowledge base the indexes of the package under test, and only those:
    a baseline is timed without the indexes added since, the current package with them (its setup
    creates them on opening, as it would on an analyst's knowledge base)."""
    import sqlite3

    from wirescope.flow import open_kb
    from wirescope.store import schema as S

    known = {ix.name for table in S.metadata.tables.values() for ix in table.indexes}
    con = sqlite3.connect(db)
    for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'ix_%'").fetchall():
        if name not in known:
            con.execute(f'DROP INDEX "{name}"')
    con.commit()
    con.close()
    open_kb(f"sqlite:///{db}").close()


def serve(db: Path, t: dict) -> int:
    """The worker: reads a query name a line, runs it once, answers its milliseconds (JSON lines)."""
    import wirescope

    own_schema(db)
    found, close = cases(db, t)
    print(json.dumps({"package": str(Path(wirescope.__file__).resolve().parent)}), flush=True)
    for line in sys.stdin:
        name = line.strip()
        if not name:
            break
        started = time.perf_counter()
        found[name]()
        print(json.dumps({"ms": (time.perf_counter() - started) * 1000}), flush=True)
    close()
    return 0


class Worker:
    """A timing subprocess over one copy of the package."""

    def __init__(self, tree: Path, db: Path, t: dict) -> None:
        path = os.pathsep.join(p for p in (str(tree), os.environ.get("PYTHONPATH", "")) if p)
        self.proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--serve", json.dumps(t), "--db", str(db)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=dict(os.environ, PYTHONPATH=path),
            cwd=tempfile.gettempdir())
        self.package = self._answer()["package"]

    def _answer(self) -> dict:
        line = self.proc.stdout.readline()
        if not line:
            raise SystemExit(f"a timing worker stopped (exit code {self.proc.wait()})")
        return json.loads(line)

    def time(self, name: str) -> float:
        self.proc.stdin.write(name + "\n")
        self.proc.stdin.flush()
        return self._answer()["ms"]

    def close(self) -> None:
        self.proc.stdin.write("\n")
        self.proc.stdin.flush()
        self.proc.wait()


def measure(workers: dict[str, Worker], repeat: int, export_repeat: int) -> dict[str, dict[str, float]]:
    """Median milliseconds per query and worker. The workers take turns run by run (ABBA), so load
    from elsewhere on the machine falls on both alike and the ratios stay comparable."""
    found: dict[str, dict[str, list[float]]] = {w: {} for w in workers}
    for name in TIMED:
        n = export_repeat if name.startswith("export") else repeat
        for w in workers.values():
            w.time(name)  # warm: imports, templates, caches
        order = list(workers)
        for i in range(n):
            for key in (order if i % 2 == 0 else order[::-1]):
                found[key].setdefault(name, []).append(workers[key].time(name))
    return {w: {name: round(statistics.median(v), 1) for name, v in per.items()} for w, per in found.items()}


def archive(ref: str, into: Path) -> Path:
    """The package as it is at a git revision (git archive: the working tree is not touched)."""
    tar = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "wirescope"], capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=tar.stdout, check=True)
    return into


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.query_bench", description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--extras", type=int, default=9,
                        help="actors a story names once besides those of its claims (people, bodies, places)")
    parser.add_argument("--db", type=Path, help="reuse (or build once into) this SQLite file")
    parser.add_argument("--repeat", type=int, default=5, help="runs per query (the median is printed)")
    parser.add_argument("--export-repeat", type=int, default=3)
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--baseline", type=Path, help="a directory holding another copy of wirescope/ to compare")
    group.add_argument("--baseline-ref", help="compare with the package at this git revision (git archive)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.serve:
        return serve(args.db, json.loads(args.serve))

    with tempfile.TemporaryDirectory(prefix="wirescope-query-bench-") as tmp:
        db = args.db or Path(tmp) / "kb.db"
        if not db.exists():
            print(f"building a knowledge base of {args.docs} synthetic documents in {db} ...", file=sys.stderr)
            print(f"built: {build(db, args.docs, args.extras)}", file=sys.stderr)
        t = targets(db)
        baseline = args.baseline
        if args.baseline_ref:
            baseline = archive(args.baseline_ref, Path(tempfile.mkdtemp(prefix="wirescope-baseline-", dir=tmp)))
        workers = {}
        for key, tree in (("baseline", baseline), ("current", ROOT)):
            if tree:  # each worker reads its own copy, with its own package's indexes
                copy = Path(tmp) / f"kb.{key}.db"
                shutil.copyfile(db, copy)
                workers[key] = Worker(Path(tree).resolve(), copy, t)
        try:
            ms = measure(workers, args.repeat, args.export_repeat)
        finally:
            for w in workers.values():
                w.close()
        if args.json:
            print(json.dumps({"targets": t, "packages": {k: w.package for k, w in workers.items()}, "ms": ms}, indent=1))
            return 0
        print(f"median of {args.repeat} runs ({args.export_repeat} for exports), the implementations taking turns; "
              f"actor {t['a']}, pair {t['b']}, relation {t['type']}")
        for key, w in workers.items():
            print(f"{key + ':':9s} {w.package}")
        if baseline:
            print(f"{'query':28s} {'baseline ms':>12s} {'current ms':>11s} {'ratio':>7s}")
        else:
            print(f"{'query':28s} {'current ms':>11s}")
        for name in TIMED:
            now = ms["current"][name]
            if baseline:
                before = ms["baseline"][name]
                print(f"{name:28s} {before:12.1f} {now:11.1f} {before / max(now, 0.01):6.1f}x")
            else:
                print(f"{name:28s} {now:11.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
