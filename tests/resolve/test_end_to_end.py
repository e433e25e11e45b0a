"""The corpus of tests/data/kb through the real pipeline: loose checks that hold whatever the
stages' details (the stages are improved concurrently; exact checks are in the other tests)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from wirescope.errors import StoreError
from wirescope.query.entities import resolve_entity
from wirescope.query.relations import aggregate_relations
from wirescope.resolve.judgements import canonical
from wirescope.store import schema as S
from wirescope.flow import open_kb

import corpus  # noqa: E402


@pytest.fixture(scope="module")
def real_kb(pipeline, tmp_path_factory):
    from wirescope.ingest.readers import read_text_file

    kb = open_kb(f"sqlite:///{tmp_path_factory.mktemp('e2e')}/kb.db")
    analyses = {}
    for name in corpus.ARTICLES:
        analysis = pipeline.analyse(read_text_file(corpus.HERE / name))
        kb.save(analysis)
        analyses[name[:2]] = analysis
    yield kb, analyses
    kb.close()


def _id(conn, name):
    try:
        return resolve_entity(conn, name)["id"]
    except StoreError:
        return None


def test_syndicated_copy_is_linked(real_kb):
    kb, analyses = real_kb
    with kb.engine.connect() as conn:
        dup = conn.execute(select(S.documents.c.duplicate_of).where(S.documents.c.id == analyses["06"].document.id)).scalar()
        n = conn.execute(select(func.count()).select_from(S.documents).where(S.documents.c.duplicate_of.is_not(None))).scalar()
    assert dup == analyses["05"].document.id and n == 1


def test_spelling_variants_are_one_actor(real_kb):
    kb, _ = real_kb
    with kb.engine.connect() as conn:
        found = {n: _id(conn, n) for n in ("al-Qaida", "Al Qaeda", "al-Qa'ida", "al-Qaeda")}
        taliban = conn.execute(select(func.count()).select_from(S.kb_entities).where(
            S.kb_entities.c.key == "talaban", S.kb_entities.c.merged_into.is_(None))).scalar()
    assert len({v for v in found.values() if v}) == 1 and any(found.values())
    assert taliban == 1


def test_anonymous_sources_stay_apart(real_kb):
    kb, _ = real_kb
    with kb.engine.connect() as conn:
        local = conn.execute(select(func.count()).select_from(S.doc_entities).where(S.doc_entities.c.anonymous.is_(True))).scalar()
        kb_anon = conn.execute(select(func.count()).select_from(S.kb_entities).where(S.kb_entities.c.anonymous.is_(True))).scalar()
    assert local == kb_anon


def test_relations_between_taliban_and_al_qaeda_carry_sources(real_kb):
    kb, analyses = real_kb
    ids = {a.document.id for a in analyses.values()}
    with kb.engine.connect() as conn:
        rows = aggregate_relations(conn, "Taliban", "al-Qaida")
    assert rows, "the relations stage finds some Taliban/al-Qaeda relation in these articles"
    for row in rows:
        items = row["support"] + row["against"]
        assert items and all(i["doc_id"] in ids and i["outlet"] for i in items)
        assert row["independent_sources"] <= len({i["doc_id"] for i in row["support"]})
        assert 0.0 <= row["confidence"] <= 1.0 and row["reasons"]


def test_alias_introduced_in_one_article_resolves_the_next(real_kb):
    kb, analyses = real_kb
    linked = any({"Gul Rahman Safi", "Abu Hafs al-Logari"} <= {e.name, *e.aliases} for e in analyses["03"].entities)
    if not linked:
        pytest.skip("the actors stage does not yet link the nom de guerre to the name in article 03")
    with kb.engine.connect() as conn:
        assert _id(conn, "Abu Hafs al-Logari") == _id(conn, "Gul Rahman Safi") is not None
        later = [e for e in analyses["04"].entities if "Logari" in e.name]
        raw = conn.execute(select(S.doc_entities.c.kb_entity).where(
            S.doc_entities.c.doc_id == analyses["04"].document.id, S.doc_entities.c.local_id == later[0].id)).scalar()
        assert canonical(conn, raw) == _id(conn, "Gul Rahman Safi")
