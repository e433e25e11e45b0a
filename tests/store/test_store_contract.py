"""The store contract: the same cases on every backend (SQLite file and live PostgreSQL).

Analyses are built by hand from articles written for these tests, so the cases test the store and
not the analysis stages; one case stores real pipeline output.
"""
from __future__ import annotations

import multiprocessing as mp
import random
from collections import Counter

import pytest
from sqlalchemy import func, select

from wirescope.errors import StoreError
from wirescope.model import Analysis, Document, Entity, Event, Relation, Span, Statement, TimeExpr
from wirescope.resolve import default_resolver, name_key
from wirescope.store import schema as S
from wirescope.flow import open_kb
from wirescope.store.kb import KnowledgeBase

# ---- articles and their hand-made analyses ----------------------------------------------------------
# (text, actors [(name, type)], relation (subject, type, object) or None, quote (speaker, content) or None,
#  time (text, value) or None)
ARTICLES = [
    ("The Taliban said on Monday that talks with the United States would resume in Doha.",
     [("Taliban", "organization"), ("United States", "location"), ("Doha", "location")],
     None, ("Taliban", "talks with the United States would resume in Doha"), ("Monday", "2021-03-15")),
    ("Fighters of the Haqqani network, an ally of the Taliban, attacked a police post near Khost.",
     [("Haqqani network", "organization"), ("Taliban", "organization"), ("Khost", "location")],
     ("Haqqani network", "allied_with", "Taliban"), None, None),
    ("A spokesman for the Interior Ministry said police had arrested two suspects in Kabul on Tuesday.",
     [("Interior Ministry", "organization"), ("Kabul", "location")],
     None, ("Interior Ministry", "police had arrested two suspects in Kabul"), ("Tuesday", "2021-03-16")),
    ("Kabul residents said the Taliban had closed the road to Jalalabad for three days.",
     [("Kabul", "location"), ("Taliban", "organization"), ("Jalalabad", "location")],
     None, None, ("three days", "P3D")),
    ("Qatar hosted envoys from the United States and the Taliban, the foreign ministry in Doha said.",
     [("Qatar", "location"), ("United States", "location"), ("Taliban", "organization"), ("Doha", "location")],
     ("Qatar", "agreement_with", "Taliban"), None, None),
]

GROUPS = ["Taliban", "Haqqani network", "Islamic State", "Hezb-e-Islami"]
PLACES = ["Kabul", "Kandahar", "Herat", "Kunduz", "Ghazni"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]


def _find(text: str, name: str, after: int = 0) -> Span:
    start = text.index(name, after)
    return Span.of(text, start, start + len(name))


def build(text: str, actors, relation=None, quote=None, time=None, source: str | None = None) -> Analysis:
    document = Document(text, published="2021-03-20", source=source, title=text[:40])
    entities = [Entity(id=f"e{i}", name=name, type=kind, mentions=[_find(text, name)])
                for i, (name, kind) in enumerate(actors, 1)]
    by_name = {e.name: e.id for e in entities}
    whole = Span.of(text, 0, len(text))
    analysis = Analysis(document=document, entities=entities, versions={"test": "1"})
    if quote:
        speaker, content = quote
        analysis.statements.append(Statement(id="s1", speaker=by_name[speaker], cue="said",
                                             content=_find(text, content), direct=False))
    if relation:
        subject, kind, obj = relation
        analysis.relations.append(Relation(subject=by_name[subject], type=kind, object=by_name[obj],
                                           evidence=whole, id="r1"))
        analysis.events.append(Event(type="COOPERATE", trigger=text.split()[1], evidence=whole,
                                     source=by_name[subject], target=by_name[obj], id="v1"))
    if time:
        words, value = time
        span = _find(text, words)
        analysis.times.append(TimeExpr(text=words, type="DURATION" if value.startswith("P") else "DATE",
                                       value=value, start=span.start, end=span.end, id="t1"))
    return analysis


def articles() -> list[Analysis]:
    return [build(*a, source=f"article-{i}") for i, a in enumerate(ARTICLES)]


def wire_reports(n: int) -> list[Analysis]:
    """n distinct short reports that share a few actor names, for the concurrency case."""
    out = []
    for i in range(n):
        group, place, day = GROUPS[i % len(GROUPS)], PLACES[i % len(PLACES)], DAYS[i % len(DAYS)]
        text = (f"{group} fighters attacked a checkpoint near {place} on {day}, killing {i + 2} guards, "
                f"officials in Kabul said.")
        actors = [(group, "organization"), (place, "location")]
        if place != "Kabul":
            actors.append(("Kabul", "location"))
        out.append(build(text, actors, relation=(group, "operates_in", place),
                         quote=(group, "fighters attacked a checkpoint"), time=(day, "2021-03-1" + str(i % 6)),
                         source=f"wire-{i}"))
    return out


# ---- helpers ------------------------------------------------------------------------------------
LAYERS = [S.doc_entities, S.mentions, S.statements, S.relations, S.events, S.times, S.kb_names]


def rows_of(kb: KnowledgeBase, doc_id: str) -> dict[str, int]:
    with kb.engine.connect() as conn:
        out = {"documents": conn.execute(select(func.count()).select_from(S.documents)
                                         .where(S.documents.c.id == doc_id)).scalar_one()}
        for table in LAYERS:
            out[table.name] = conn.execute(select(func.count()).select_from(table)
                                           .where(table.c.doc_id == doc_id)).scalar_one()
    return out


def count(kb: KnowledgeBase, table) -> int:
    with kb.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def expected_counts(analyses: list[Analysis]) -> dict[str, int]:
    """What counts() must report, worked out from the analyses alone (names resolve by type and key)."""
    actors = set()
    for a in analyses:
        for e in a.entities:
            actors.add((e.type, name_key(e.name)) if not e.anonymous else (a.document.id, e.id))
    return {
        "documents": len({a.document.id for a in analyses}),
        "actors": len(actors),
        "statements": sum(len(a.statements) for a in analyses),
        "relations": sum(1 for a in analyses for r in a.relations
                         if {r.subject, r.object} <= {e.id for e in a.entities}),
        "events": sum(len(a.events) for a in analyses),
        "times": sum(len(a.times) for a in analyses),
    }


# ---- cases --------------------------------------------------------------------------------------
@pytest.mark.parametrize("times", [2, 3])
def test_save_is_idempotent(kb, times):
    analyses = articles()
    first = [kb.save(a) for a in analyses]
    after_first = kb.counts()
    names_first = count(kb, S.kb_names)
    for _ in range(times - 1):
        again = [kb.save(a) for a in analyses]
        assert [r.stored for r in again] == [False] * len(analyses)
    assert [r.stored for r in first] == [True] * len(analyses)
    assert kb.counts() == after_first
    assert count(kb, S.kb_names) == names_first
    assert all(kb.has_document(a.document.id) for a in analyses)


class Broken(RuntimeError):
    pass


def resolver_failing_after(calls: int):
    """The default resolver, which raises once it has resolved `calls` entities (rows already written)."""
    done = 0

    def resolve(conn, entity, doc_id):
        nonlocal done
        if done >= calls:
            raise Broken(f"resolver gave up after {calls} entities")
        done += 1
        return default_resolver(conn, entity, doc_id)

    return resolve


def duplicate_local_ids(analysis: Analysis) -> Analysis:
    """Two actors with one local id: the second doc_entities row violates the primary key."""
    analysis.entities[1].id = analysis.entities[0].id
    return analysis


@pytest.mark.parametrize("article, breakage", [
    (0, "resolver after 0"),
    (0, "resolver after 1"),
    (4, "resolver after 3"),
    (1, "duplicate local ids"),
    (4, "duplicate local ids"),
])
def test_document_is_stored_whole_or_not_at_all(kb, article, breakage):
    kb.save(build(*ARTICLES[2], source="before"))  # a stored neighbour that must stay intact
    before = kb.counts()
    names_before = count(kb, S.kb_names)
    analysis = build(*ARTICLES[article], source="broken")
    resolver = None
    if breakage.startswith("resolver after"):
        resolver = resolver_failing_after(int(breakage.rsplit(" ", 1)[1]))
    else:
        analysis = duplicate_local_ids(analysis)
    with pytest.raises(StoreError) as info:
        kb.save(analysis, resolver=resolver)
    assert info.value.code == "E402"
    assert "broken" in info.value.message
    assert set(rows_of(kb, analysis.document.id).values()) == {0}
    assert not kb.has_document(analysis.document.id)
    assert kb.counts() == before  # no kb entity created by the rolled-back resolver survives
    assert count(kb, S.kb_names) == names_before
    # and the document stores cleanly afterwards
    assert kb.save(build(*ARTICLES[article], source="retry")).stored


@pytest.mark.parametrize("name, kind, documents", [
    ("Taliban", "organization", [0, 1, 3, 4]),
    ("Doha", "location", [0, 4]),
    ("Kabul", "location", [2, 3]),
    ("United States", "location", [0, 4]),
    ("Khost", "location", [1]),
])
def test_entities_resolve_across_documents(kb, name, kind, documents):
    analyses = articles()
    for a in analyses:
        kb.save(a)
    with kb.engine.connect() as conn:
        rows = conn.execute(select(S.doc_entities.c.doc_id, S.doc_entities.c.kb_entity)
                            .where(S.doc_entities.c.name == name, S.doc_entities.c.type == kind)).all()
        kb_rows = conn.execute(select(S.kb_entities.c.id).where(S.kb_entities.c.key == name_key(name),
                                                                S.kb_entities.c.type == kind)).scalars().all()
    assert sorted(r.doc_id for r in rows) == sorted(analyses[i].document.id for i in documents)
    assert len({r.kb_entity for r in rows}) == 1
    assert kb_rows == [rows[0].kb_entity]


def test_same_name_different_type_stays_apart(kb):
    text = "Georgia said its envoy met officials from Georgia Power in Atlanta."
    person_like = build("Georgia Lewis, a lawyer, said she would appeal.", [("Georgia Lewis", "person")])
    place = build(text, [("Georgia", "location"), ("Georgia Power", "organization"), ("Atlanta", "location")])
    org = build("Georgia announced new tariffs, the government in Tbilisi said.",
                [("Georgia", "organization"), ("Tbilisi", "location")])
    for a in (person_like, place, org):
        kb.save(a)
    with kb.engine.connect() as conn:
        kinds = conn.execute(select(S.kb_entities.c.type).where(S.kb_entities.c.key == name_key("Georgia"))).scalars().all()
    assert sorted(kinds) == ["location", "organization"]


@pytest.mark.parametrize("failures", [
    [("feed.jsonl:3", "E204", "feed.jsonl: line 3 is not valid JSON.")],
    [("a.txt", "E202", "a.txt is empty."), ("b.html", "E203", "b.html looks like binary data."),
     ("doc_0123456789abcdef", "E301", "Stage 'events' failed: IndexError: list index out of range.")],
    [("same.txt", "E201", "Cannot read same.txt."), ("same.txt", "E201", "Cannot read same.txt.")],
])
def test_failures_are_recorded(kb, failures):
    for source, code, message in failures:
        kb.record_failure(source, code, message)
    with kb.engine.connect() as conn:
        rows = conn.execute(select(S.failures.c.source, S.failures.c.code, S.failures.c.message)
                            .order_by(S.failures.c.id)).all()
    assert [tuple(r) for r in rows] == failures
    assert kb.counts()["failures"] == len(failures)
    assert kb.counts()["documents"] == 0


@pytest.mark.parametrize("subset", [[], [0], [0, 1], [1, 3], [0, 1, 2, 3, 4]])
def test_counts(kb, subset):
    analyses = [articles()[i] for i in subset]
    for a in analyses:
        kb.save(a)
    counts = kb.counts()
    assert {k: counts[k] for k in expected_counts(analyses)} == expected_counts(analyses)
    assert counts["failures"] == 0


def test_counts_of_real_pipeline_output(kb, analyse):
    texts = [
        "Afghan officials said on Sunday that Taliban fighters had attacked a convoy near Kandahar.",
        "The Taliban denied the attack. \"We were not there,\" a Taliban spokesman told reporters in Kabul.",
        "Pakistan's foreign ministry said it had no contact with the group, according to state media.",
    ]
    analyses = [analyse(t, published="2021-04-11") for t in texts]
    for a in analyses:
        assert kb.save(a).stored
    counts = kb.counts()
    with kb.engine.connect() as conn:
        linked = conn.execute(select(func.count(func.distinct(S.doc_entities.c.kb_entity)))).scalar_one()
    assert counts["documents"] == 3
    assert counts["actors"] == linked
    assert counts["statements"] == sum(len(a.statements) for a in analyses)
    assert counts["events"] == sum(len(a.events) for a in analyses)
    assert counts["times"] == sum(len(a.times) for a in analyses)
    assert count(kb, S.mentions) == sum(len(e.mentions) for a in analyses for e in a.entities)


# ---- concurrent writers -------------------------------------------------------------------------
def _save_all(url: str, analyses: list[Analysis], barrier, seed: int) -> None:
    """Run in a spawned process: open the store (maybe creating it) and save every analysis."""
    order = list(analyses)
    random.Random(seed).shuffle(order)
    barrier.wait(timeout=120)
    with open_kb(url) as store:
        for analysis in order:
            store.save(analysis)


def actor_keys(store: KnowledgeBase) -> Counter:
    with store.engine.connect() as conn:
        return Counter(conn.execute(select(S.kb_entities.c.type, S.kb_entities.c.key)
                                    .where(S.kb_entities.c.merged_into.is_(None))).all())


@pytest.mark.parametrize("created_first", [True, False])
def test_concurrent_writers(kb_url, created_first, tmp_path):
    reports = wire_reports(16)
    sets = [reports[:11], reports[5:]]  # six documents in both
    if created_first:
        open_kb(kb_url).close()
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(len(sets))
    procs = [ctx.Process(target=_save_all, args=(kb_url, part, barrier, n)) for n, part in enumerate(sets)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=300)
    assert [p.exitcode for p in procs] == [0, 0]
    with open_kb(kb_url) as store, store.engine.connect() as conn:
        docs = Counter(conn.execute(select(S.documents.c.id)).scalars().all())
        actors = Counter(conn.execute(select(S.kb_entities.c.type, S.kb_entities.c.key)
                                      .where(S.kb_entities.c.merged_into.is_(None))).all())
        linked = conn.execute(select(S.doc_entities.c.doc_id, func.count()).group_by(S.doc_entities.c.doc_id)).all()
        counts = store.counts()
    with open_kb(f"sqlite:///{tmp_path / 'sequential.db'}") as one_writer:
        for analysis in reports:
            one_writer.save(analysis)
        sequential = actor_keys(one_writer)
    assert docs == Counter({a.document.id: 1 for a in reports})
    assert actors == sequential, "two writers resolved actors differently from one writer"
    duplicated = sorted(k for k, n in actors.items() if n > 1)
    assert duplicated == [], f"the resolver keeps one name apart even with one writer: {duplicated}"
    assert dict(linked) == {a.document.id: len(a.entities) for a in reports}
    assert {k: counts[k] for k in expected_counts(reports)} == expected_counts(reports)


# ---- one store, one read API: every query function answers alike on both backends -------------
_VOLATILE = {"ingested_at", "created_at"}


def canonical(value):
    """JSON-shaped value with timestamps dropped and lists sorted (tie order may differ by backend)."""
    import json

    if isinstance(value, dict):
        return {k: canonical(v) for k, v in value.items() if k not in _VOLATILE}
    if isinstance(value, (list, tuple)):
        return sorted((canonical(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True, default=str))
    if isinstance(value, float):
        return round(value, 6)
    return value


def _hits(result: dict) -> dict:
    out = {}
    for kind, rows in result.items():
        if not isinstance(rows, list):
            out[kind] = rows
            continue
        out[kind] = [{k: v for k, v in row.items() if k not in ("score", "snippet", "highlights")}
                     if isinstance(row, dict) else row for row in rows]
        for row in rows:  # the hits are marked by offsets into a plain snippet, on either engine
            if isinstance(row, dict) and "snippet" in row:
                assert row["highlights"] and "[" not in row["snippet"], row
                assert all(row["snippet"][s:e].casefold() == "taliban" for s, e in row["highlights"]), row
    return out


QUERIES = [
    ("find_entities", lambda conn, q: q["entities"].find_entities(conn, "Taliban")),
    ("entity_profile", lambda conn, q: q["entities"].entity_profile(
        conn, q["entities"].resolve_entity(conn, "Taliban")["id"])),
    ("aggregate_relations", lambda conn, q: q["relations"].aggregate_relations(conn)),
    ("timeline", lambda conn, q: q["timeline"].timeline(conn)),
    # ranking scores and snippet cutting are the engine's own (FTS5 vs ts_rank/ts_headline): the hits must agree
    ("search", lambda conn, q: _hits(q["search"].search(conn, "Taliban"))),
    ("list_documents", lambda conn, q: q["documents"].list_documents(conn)),
    ("stats", lambda conn, q: q["documents"].stats(conn)),
    ("network", lambda conn, q: sorted((u, v, k) for u, v, k in q["graph"].network(conn).edges(keys=True))),
    ("iter_statements", lambda conn, q: list(q["rows"].iter_statements(conn))),
]


@pytest.fixture(scope="module")
def both_backends(tmp_path_factory, pg_schema_url):
    """The five articles stored in a SQLite file and in a PostgreSQL schema."""
    stores = {"sqlite": open_kb(f"sqlite:///{tmp_path_factory.mktemp('q') / 'kb.db'}"),
              "postgresql": open_kb(pg_schema_url())}
    for store in stores.values():
        for a in articles():
            store.save(a)
    yield stores
    for store in stores.values():
        store.close()


@pytest.mark.parametrize("name, query", QUERIES, ids=[n for n, _ in QUERIES])
def test_query_functions_agree_across_backends(both_backends, name, query):
    import importlib

    modules = {m: importlib.import_module(f"wirescope.query.{m}")
               for m in ("entities", "relations", "timeline", "search", "documents", "graph", "rows")}
    answers = {}
    for backend, store in both_backends.items():
        with store.engine.connect() as conn:
            answers[backend] = canonical(query(conn, modules))
    assert answers["sqlite"] == answers["postgresql"]
    assert answers["sqlite"]  # and the answer is not empty


@pytest.mark.parametrize("given, expected", [
    ("postgresql://postgres@127.0.0.1:5432/test", "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
    ("postgres://u:p@db.example.org/kb", "postgresql+psycopg://u:p@db.example.org/kb"),
    ("postgresql+psycopg://postgres@127.0.0.1/test", "postgresql+psycopg://postgres@127.0.0.1/test"),
    ("/var/lib/kb.db", "sqlite:////var/lib/kb.db"),
    ("kb.db", "sqlite:///kb.db"),
    ("sqlite:///kb.db", "sqlite:///kb.db"),
])
def test_urls_are_normalised(given, expected):
    from wirescope.store.kb import normalise_url

    assert normalise_url(given) == expected


def test_plain_postgresql_url_opens(pg_schema_url):
    plain = pg_schema_url().replace("postgresql+psycopg://", "postgresql://", 1)
    assert plain.startswith("postgresql://")
    with open_kb(plain) as store:
        assert store.engine.dialect.name == "postgresql"
        assert store.save(articles()[0]).stored
        assert store.counts()["documents"] == 1
