"""Cross-document entity resolution: pairwise precision/recall on MEANTIME, and ingest throughput.

    python -m bench.resolution_bench [--data PATH] [--pipeline] [--repeat N] [--errors]

Gold. MEANTIME (NewsReader, English DEV portion: 40 Wikinews articles in four topic clusters, airbus,
apple, gm, stock) links each ENTITY_MENTION to an ENTITY instance through REFERS_TO. The
cross-document key is the ENTITY's `instance_id` attribute: the annotators gave one instance id to
an entity wherever it occurs (e.g. `ORG19274271187160719` = Apple Inc. in 10 articles). Where an
ENTITY also has `external_ref` (a DBpedia URI, 203 of 420 instances) it agrees 1:1 with the instance
id in this data; `TAG_DESCRIPTOR` is the annotator's label, not an identity. The few ENTITY
elements without an instance id fall back to their external_ref (normalised: /page/ -> /resource/),
else they are document-local.

Rows.
- gold in-document entities (default): each document's actors are the gold ENTITY instances (in-
  document coreference from the gold), named by their name mentions (syntactic_type NAM; else the
  longest mention), typed PER -> person, ORG -> organization, LOC -> location, else other. Only
  cross-document resolution is measured: pairs of mentions (and pairs of document-level actors) in
  *different* documents, same gold key vs same knowledge-base actor (after merges).
  Compared with "singletons" (nothing merged: a floor) and "exact key" (same name key and type:
  the first-cut resolver).
- --pipeline: the full analysis pipeline (spaCy + stages) finds the actors; a gold mention is
  aligned to the predicted mention that covers its head (last word); unaligned gold mentions count
  as singletons. This row measures the actors stage and resolution together; its "ceiling" line is
  what perfect cross-document resolution of the same predicted actors would score (each predicted
  document actor joined with those of its majority gold actor), the bound resolution alone can reach.
Throughput: documents and actors per second of `KnowledgeBase.save` with resolution on (store +
resolve + syndication + full-text index), SQLite file, documents already analysed.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DATA = Path(os.environ.get("WIRESCOPE_SHARED", Path(__file__).resolve().parents[2] / "shared")) / "data" / "meantime-en"
TYPES = {"PER": "person", "ORG": "organization", "LOC": "location"}
_NO_SPACE_BEFORE = {".", ",", ";", ":", "!", "?", ")", "]", "}", "%", "'s", "'", "n't", "'re", "'ve", "'ll", "'d", "'m"}
_NO_SPACE_AFTER = {"(", "[", "{", "$", "``"}


@dataclass
class GoldMention:
    doc: str
    start: int
    end: int
    text: str
    entity: str  # the ENTITY m_id in its document
    key: str  # the cross-document gold key
    kind: str  # ent_type
    syntactic: str


@dataclass
class GoldDoc:
    id: str
    text: str
    published: str | None
    cluster: str
    mentions: list[GoldMention] = field(default_factory=list)


def _norm_ref(ref: str | None) -> str | None:
    ref = (ref or "").strip()
    return ref.replace("/page/", "/resource/") if ref else None


def read_doc(file: Path) -> GoldDoc:
    root = ET.parse(file).getroot()
    pieces, offsets, length, prev_sent, prev_tok = [], {}, 0, None, None
    for tok in root.iter("token"):
        word = tok.text or ""
        sent = tok.get("sentence")
        if prev_sent is not None:
            sep = "\n" if sent != prev_sent else ("" if word in _NO_SPACE_BEFORE or prev_tok in _NO_SPACE_AFTER else " ")
            pieces.append(sep)
            length += len(sep)
        offsets[tok.get("t_id")] = (length, length + len(word))
        pieces.append(word)
        length += len(word)
        prev_sent, prev_tok = sent, word
    text = "".join(pieces)
    doc_id = root.get("doc_id") or file.stem
    published = None
    for tx in root.iter("TIMEX3"):
        if tx.get("functionInDocument") == "CREATION_TIME" and tx.get("value"):
            published = tx.get("value")[:10]
            break
    markables = root.find("Markables")
    spans, syntactic, entities = {}, {}, {}
    for m in (markables if markables is not None else []):
        if m.tag == "ENTITY_MENTION":
            ids = [a.get("t_id") for a in m.findall("token_anchor") if a.get("t_id") in offsets]
            if ids:
                spans[m.get("m_id")] = (min(offsets[i][0] for i in ids), max(offsets[i][1] for i in ids))
                syntactic[m.get("m_id")] = m.get("syntactic_type") or ""
        elif m.tag == "ENTITY":
            key = m.get("instance_id") or _norm_ref(m.get("external_ref")) or f"{doc_id}/{m.get('m_id')}"
            entities[m.get("m_id")] = (key, m.get("ent_type") or "")
    doc = GoldDoc(doc_id, text, published, file.parent.name.replace("corpus_", ""))
    relations = root.find("Relations")
    for rel in (relations.findall("REFERS_TO") if relations is not None else []):
        target = rel.find("target")
        if target is None or target.get("m_id") not in entities:
            continue
        key, kind = entities[target.get("m_id")]
        for src in rel.findall("source"):
            sid = src.get("m_id")
            if sid in spans:
                s, e = spans[sid]
                doc.mentions.append(GoldMention(doc_id, s, e, text[s:e], target.get("m_id"), key, kind, syntactic[sid]))
    doc.mentions.sort(key=lambda m: (m.start, m.end))
    return doc


def read_corpus(path: Path) -> list[GoldDoc]:
    files = sorted(path.rglob("*.xml")) if path.is_dir() else [path]
    return [read_doc(f) for f in files]


# ---- analyses from the gold in-document entities ------------------------------------------------
def gold_analysis(doc: GoldDoc):
    from wirescope.analyse.names import best_name
    from wirescope.model import Analysis, Document, Entity, Span

    by_entity: dict[str, list[GoldMention]] = defaultdict(list)
    for m in doc.mentions:
        by_entity[m.entity].append(m)
    entities, local_of = [], {}
    for i, (eid, ms) in enumerate(sorted(by_entity.items(), key=lambda kv: kv[1][0].start), 1):
        kind = TYPES.get(ms[0].kind, "other")
        named = [m.text for m in ms if m.syntactic.startswith("NAM")]
        names = list(dict.fromkeys(named)) or [max((m.text for m in ms), key=len)]
        # the name an actors stage would give: the most frequent name mention (MEANTIME name spans
        # often carry their premodifiers, "The US car manufacturer General Motors"), shorter on ties
        counts = Counter(named)
        name = min(names, key=lambda n: (-counts.get(n, 0), len(n))) if named else (best_name(names, kind) or names[0])
        e = Entity(f"e{i}", name, kind)
        for alias in names:
            if alias != name:
                e.add_alias(alias, "coreference")
        e.mentions = [Span.of(doc.text, m.start, m.end) for m in ms]
        entities.append(e)
        local_of[eid] = e.id
    return Analysis(Document(doc.text, id=f"doc_mt_{doc.id}", published=doc.published, outlet="Wikinews",
                             title=doc.id), entities), local_of


# ---- resolvers compared ------------------------------------------------------------------------
def singleton_resolver(conn, entity, doc_id):
    from sqlalchemy import insert

    from wirescope.resolve.judgements import new_kb_id
    from wirescope.store import schema as S

    kb_id = new_kb_id(f"{doc_id}/{entity.id}")
    conn.execute(insert(S.kb_entities).values(id=kb_id, name=entity.name, key=entity.name.casefold(),
                                              type=entity.type, anonymous=entity.anonymous))
    return kb_id


def exact_key_resolver(conn, entity, doc_id):
    """Same name key and same type -> same actor (the first-cut resolver, for comparison)."""
    from sqlalchemy import insert, select

    from wirescope.resolve.judgements import new_kb_id
    from wirescope.resolve.match import key
    from wirescope.store import schema as S

    k = key(entity.name)
    if k:
        row = conn.execute(select(S.kb_entities.c.id).where(S.kb_entities.c.key == k,
                                                            S.kb_entities.c.type == entity.type)).first()
        if row:
            return row[0]
    kb_id = new_kb_id(f"{doc_id}/{entity.id}")
    conn.execute(insert(S.kb_entities).values(id=kb_id, name=entity.name, key=k or entity.name,
                                              type=entity.type, anonymous=entity.anonymous))
    return kb_id


RESOLVERS = {"singletons": singleton_resolver, "exact key": exact_key_resolver, "wirescope": None}


# ---- scoring ----------------------------------------------------------------------------------
def _pairs(items: list[tuple], keyf) -> int:
    """Pairs of items in different documents sharing keyf(item): all same-key pairs minus same-doc ones."""
    total = Counter(keyf(i) for i in items if keyf(i) is not None)
    within = Counter((i[0], keyf(i)) for i in items if keyf(i) is not None)
    return sum(n * (n - 1) // 2 for n in total.values()) - sum(n * (n - 1) // 2 for n in within.values())


def pairwise(items: list[tuple]) -> dict:
    """items: (doc, gold key, predicted key); cross-document pairwise precision, recall, F1."""
    gold = _pairs(items, lambda i: i[1])
    pred = _pairs(items, lambda i: i[2])
    tp = _pairs(items, lambda i: (i[1], i[2]) if i[2] is not None else None)
    p = tp / pred if pred else 1.0
    r = tp / gold if gold else 1.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "gold_pairs": gold, "predicted_pairs": pred, "true_pairs": tp}


def predicted_keys(kb, analyses_locals, docs):
    """gold mention -> canonical kb id, for the gold-entity analyses."""
    from sqlalchemy import select

    from wirescope.resolve.judgements import canonical_map
    from wirescope.store import schema as S

    out_mentions, out_entities = [], []
    with kb.engine.connect() as conn:
        rows = conn.execute(select(S.doc_entities.c.doc_id, S.doc_entities.c.local_id, S.doc_entities.c.kb_entity)).all()
        canon = canonical_map(conn, {r.kb_entity for r in rows})
    kb_of = {(r.doc_id, r.local_id): canon.get(r.kb_entity, r.kb_entity) for r in rows}
    for (analysis, local_of), doc in zip(analyses_locals, docs):
        seen = set()
        for m in doc.mentions:
            pred = kb_of.get((analysis.document.id, local_of[m.entity]))
            out_mentions.append((doc.id, m.key, pred, m.kind))
            if m.entity not in seen:
                seen.add(m.entity)
                out_entities.append((doc.id, m.key, pred, m.kind))
    return out_mentions, out_entities


def run_gold(docs, resolver_name: str, workdir: Path, repeat: int = 1):
    from wirescope.flow import open_kb
    from wirescope.store.kb import KnowledgeBase

    analyses = [gold_analysis(d) for d in docs]
    best = cpu_best = None
    for attempt in range(repeat):
        path = workdir / f"gold_{resolver_name.replace(' ', '_')}_{attempt}.db"
        kb = open_kb(f"sqlite:///{path}")
        started, cpu = time.perf_counter(), time.process_time()
        for analysis, _ in analyses:
            kb.save(analysis, resolver=RESOLVERS[resolver_name])
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        best = elapsed if best is None else min(best, elapsed)
        cpu_best = cpu if cpu_best is None else min(cpu_best, cpu)
        if attempt < repeat - 1:
            kb.close()
    mentions, entities = predicted_keys(kb, analyses, docs)
    kb.close()
    n_entities = sum(len(a.entities) for a, _ in analyses)
    return mentions, entities, {"docs_per_s": len(docs) / best, "actors_per_s": n_entities / best, "seconds": best,
                                "cpu_docs_per_s": len(docs) / cpu_best, "cpu_actors_per_s": n_entities / cpu_best}


def run_pipeline(docs, workdir: Path):
    from sqlalchemy import select

    from wirescope.analyse.pipeline import Pipeline
    from wirescope.model import Document
    from wirescope.resolve.judgements import canonical_map
    from wirescope.settings import Settings
    from wirescope.store import schema as S
    from wirescope.flow import open_kb
    from wirescope.store.kb import KnowledgeBase

    pipeline = Pipeline(Settings())
    kb = open_kb(f"sqlite:///{workdir / 'pipeline.db'}")
    started = time.perf_counter()
    documents = [Document(d.text, id=f"doc_mt_{d.id}", published=d.published, outlet="Wikinews", title=d.id) for d in docs]
    analyses = list(pipeline.analyse_many(documents))
    analysed = time.perf_counter()
    for a in analyses:
        kb.save(a)
    stored = time.perf_counter()
    with kb.engine.connect() as conn:
        rows = conn.execute(select(S.mentions.c.doc_id, S.mentions.c.start, S.mentions.c.end, S.doc_entities.c.kb_entity,
                                   S.mentions.c.entity)
                            .join(S.doc_entities, (S.doc_entities.c.doc_id == S.mentions.c.doc_id)
                                  & (S.doc_entities.c.local_id == S.mentions.c.entity))).all()
        canon = canonical_map(conn, {r.kb_entity for r in rows})
    kb.close()
    spans = defaultdict(list)
    for r in rows:
        spans[r.doc_id].append((r.start, r.end, canon.get(r.kb_entity, r.kb_entity), (r.doc_id, r.entity)))
    mentions, locals_ = [], []
    aligned = 0
    for d in docs:
        for m in d.mentions:
            # align on the head: English noun phrases are head-final, so the gold mention's last
            # word ("Apple CEO Steve Jobs" -> Jobs) must fall inside the predicted mention
            words = list(re.finditer(r"\w[\w.'-]*", m.text))
            hs, he = (m.start + words[-1].start(), m.start + words[-1].end()) if words else (m.start, m.end)
            best = None
            for s, e, k, local in spans.get(f"doc_mt_{d.id}", ()):
                overlap = min(e, m.end) - max(s, m.start)
                if s < he and hs < e and (best is None or overlap > best[0]):
                    best = (overlap, k, local)
            aligned += best is not None
            mentions.append((d.id, m.key, best[1] if best else None, m.kind))
            locals_.append((d.id, m.key, best[2] if best else None, m.kind))
    # the ceiling for resolution: every predicted document actor joined with the others of its
    # majority gold actor (the actors stage's spans and in-document clusters kept as they are)
    majority: dict = defaultdict(Counter)
    for _, key, local, _ in locals_:
        if local is not None:
            majority[local][key] += 1
    ceiling = [(d, key, majority[local].most_common(1)[0][0] if local is not None else None, kind)
               for d, key, local, kind in locals_]
    n = len(docs)
    speed = {"analyse_docs_per_s": n / (analysed - started), "store_docs_per_s": n / (stored - analysed),
             "ingest_docs_per_s": n / (stored - started), "aligned": aligned / max(1, len(mentions)),
             "ceiling": ceiling}
    return mentions, speed


def synthetic(n: int, seed: int = 7):
    """n synthetic articles, each naming ~10 actors drawn (Zipf-like) from a large pool, in
    random prose: for timing the resolver as the knowledge base grows."""
    import random

    from wirescope.model import Analysis, Document, Entity, Span

    rng = random.Random(seed)
    syll = ["ka", "ra", "mo", "han", "del", "sor", "ti", "ben", "qua", "lim", "zar", "fe", "nu", "gol", "vik", "sha"]

    def word(k):
        return "".join(rng.choice(syll) for _ in range(k)).capitalize()

    people = [f"{word(2)} {word(3)}" for _ in range(4000)]
    orgs = [f"{word(2)} {rng.choice(['Front', 'Council', 'Movement', 'Brigade', 'Party'])}" for _ in range(1500)]
    filler = [w.lower() for w in (word(2) for _ in range(3000))]
    for i in range(n):
        picks = [(rng.choice(people[: rng.choice((50, 500, 4000))]), "person") for _ in range(6)]
        picks += [(rng.choice(orgs[: rng.choice((20, 200, 1500))]), "organization") for _ in range(4)]
        parts, spans = [], []
        pos = 0
        for name, kind in picks:
            words = " ".join(rng.choice(filler) for _ in range(12)) + " "
            parts.append(words)
            pos += len(words)
            spans.append((name, kind, pos, pos + len(name)))
            parts.append(name + ". ")
            pos += len(name) + 2
        text = "".join(parts)
        entities, seen = [], {}
        for name, kind, s, e in spans:
            if name not in seen:
                seen[name] = Entity(f"e{len(seen) + 1}", name, kind)
                entities.append(seen[name])
            seen[name].mentions.append(Span.of(text, s, e))
        yield Analysis(Document(text, published=f"2021-{1 + i % 12:02d}-{1 + i % 28:02d}", outlet=f"Outlet {i % 7}"),
                       entities)


def run_scale(n: int, workdir: Path, step: int) -> list[tuple[int, float]]:
    from wirescope.flow import open_kb
    from wirescope.store.kb import KnowledgeBase

    kb = open_kb(f"sqlite:///{workdir / 'scale.db'}")
    out, started, cpu = [], time.perf_counter(), time.process_time()
    for i, analysis in enumerate(synthetic(n), 1):
        kb.save(analysis)
        if i % step == 0:
            now, c = time.perf_counter(), time.process_time()
            out.append((i, step / (now - started), step / (c - cpu)))
            started, cpu = now, c
    counts = kb.counts()
    kb.close()
    return out, counts


def _fmt(m: dict) -> str:
    return f"P {m['precision']:.3f}  R {m['recall']:.3f}  F1 {m['f1']:.3f}  (gold {m['gold_pairs']}, predicted {m['predicted_pairs']}, true {m['true_pairs']})"


def errors(items, docs, limit: int = 25) -> None:
    """The gold keys split over several predicted actors, and predicted actors joining gold keys."""
    by_gold = defaultdict(set)
    by_pred = defaultdict(set)
    for d, g, p, _ in items:
        by_gold[g].add(p)
        by_pred[p].add(g)
    split = [(g, ps) for g, ps in by_gold.items() if len(ps) > 1]
    joined = [(p, gs) for p, gs in by_pred.items() if p and len(gs) > 1]
    print(f"\nsplit gold actors: {len(split)}; wrongly joined predicted actors: {len(joined)}")
    for g, ps in split[:limit]:
        print(f"  split   {g}: {len(ps)} actors")
    for p, gs in joined[:limit]:
        print(f"  joined  {p}: {sorted(gs)[:4]}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(DEFAULT_DATA), help="MEANTIME folder")
    ap.add_argument("--pipeline", action="store_true", help="also resolve the actors the full pipeline finds (slow)")
    ap.add_argument("--repeat", type=int, default=3, help="ingest passes for throughput (best is kept)")
    ap.add_argument("--errors", action="store_true", help="list split and joined actors")
    ap.add_argument("--scale", type=int, default=0, metavar="N",
                    help="also ingest N synthetic articles and report documents/s as the knowledge base grows")
    args = ap.parse_args(argv)
    path = Path(args.data)
    if not path.exists():
        print(f"error: no MEANTIME data at {path}", file=sys.stderr)
        return 2
    docs = read_corpus(path)
    n_mentions = sum(len(d.mentions) for d in docs)
    keys = {m.key for d in docs for m in d.mentions}
    cross = Counter()
    for d in docs:
        for k in {m.key for m in d.mentions}:
            cross[k] += 1
    print(f"MEANTIME: {len(docs)} documents, {n_mentions} entity mentions, {len(keys)} gold actors, "
          f"{sum(1 for n in cross.values() if n > 1)} of them in more than one document")
    import datasketch
    import sqlalchemy

    import wirescope
    print(f"versions: wirescope {wirescope.__version__}, sqlalchemy {sqlalchemy.__version__}, "
          f"datasketch {getattr(datasketch, '__version__', '?')}, python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        print("\ncross-document pairwise scores, gold in-document actors")
        for name in RESOLVERS:
            mentions, entities, speed = run_gold(docs, name, work, repeat=args.repeat if name == "wirescope" else 1)
            actors = [i for i in mentions if i[3] in TYPES]
            print(f"  {name:<11} mentions      {_fmt(pairwise(mentions))}")
            print(f"  {'':<11} actors/doc    {_fmt(pairwise(entities))}")
            print(f"  {'':<11} PER/ORG/LOC   {_fmt(pairwise(actors))}")
            if name == "wirescope":
                print(f"  {'':<11} ingest with resolution: {speed['docs_per_s']:.1f} documents/s, "
                      f"{speed['actors_per_s']:.0f} actors/s wall clock; {speed['cpu_docs_per_s']:.1f} documents/s, "
                      f"{speed['cpu_actors_per_s']:.0f} actors/s of CPU time (SQLite file, best of {args.repeat}; the first "
                      f"pass includes loading datasketch and the gazetteer)")
                if args.errors:
                    errors(entities, docs)
        if args.pipeline:
            mentions, speed = run_pipeline(docs, work)
            print("\nfull pipeline (spaCy + stages) + resolution")
            print(f"  mentions      {_fmt(pairwise(mentions))}")
            print(f"  PER/ORG/LOC   {_fmt(pairwise([i for i in mentions if i[3] in TYPES]))}")
            print(f"  gold mentions aligned to a predicted mention (by head): {speed['aligned']:.1%}")
            print(f"  ceiling: perfect cross-document resolution of these predicted actors: "
                  f"{_fmt(pairwise(speed['ceiling']))}")
            print(f"  analyse {speed['analyse_docs_per_s']:.1f} documents/s, store+resolve {speed['store_docs_per_s']:.1f} "
                  f"documents/s, ingest {speed['ingest_docs_per_s']:.1f} documents/s")
        if args.scale:
            step = max(1, args.scale // 5)
            rows, counts = run_scale(args.scale, work, step)
            print(f"\nsynthetic growth: {args.scale} articles, ~10 actors each -> {counts['actors']} actors")
            for i, wall, cpu in rows:
                print(f"  after {i:>6} documents: {wall:6.1f} documents/s wall clock, {cpu:6.1f} documents/s CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
