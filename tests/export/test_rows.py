"""Streaming row readers (wirescope.query.rows): shapes, order, merges, and that they really stream."""
from __future__ import annotations

import pytest

from wirescope.query import rows as R
from wirescope.flow import open_kb

READERS = [
    (R.iter_documents, R.DOCUMENT_COLUMNS), (R.iter_actors, R.ACTOR_COLUMNS), (R.iter_aliases, R.ALIAS_COLUMNS),
    (R.iter_statements, R.STATEMENT_COLUMNS), (R.iter_relations, R.RELATION_COLUMNS), (R.iter_events, R.EVENT_COLUMNS),
]


@pytest.fixture()
def conn(kb_url):
    kb = open_kb(kb_url)
    with kb.engine.connect() as c:
        yield c
    kb.close()


@pytest.mark.parametrize("reader,columns", READERS)
def test_rows_have_exactly_the_declared_columns(conn, reader, columns):
    got = list(reader(conn))
    assert got
    for row in got:
        assert tuple(row) == columns


@pytest.mark.parametrize("reader", [r for r, _ in READERS])
def test_rows_are_generators_and_ordered_stably(conn, reader):
    it = reader(conn)
    assert iter(it) is it  # a generator, not a list
    first = list(it)
    assert first == list(reader(conn))


def test_streaming_option_is_used(conn, monkeypatch):
    seen = []
    real = conn.execute

    def spy(stmt, *args, **kwargs):
        seen.append(kwargs.get("execution_options", {}))
        return real(stmt, *args, **kwargs)

    monkeypatch.setattr(conn, "execute", spy)
    list(R.iter_relations(conn))
    assert seen and seen[0].get("yield_per") == R.BATCH and seen[0].get("stream_results")


def test_actor_names_in_document_and_in_kb(conn):
    rels = {(r["subject_text"], r["type"]): r for r in R.iter_relations(conn)}
    leader = rels[("Idris Varne", "leader_of")]
    assert leader["subject_name"] == "Idris Varne" and leader["object_name"] == "Ridge Brigade"
    events = {e["type"]: e for e in R.iter_events(conn)}
    assert events["ASSAULT"]["location_country"] == "PK"
    assert events["REJECT"]["target_id"] is None


def test_related_actor_ids_and_tied_persons(conn):
    names = {a["id"]: a["name"] for a in R.iter_actors(conn)}
    ids = {v: k for k, v in names.items()}
    related = {names[i] for i in R.related_actor_ids(conn, ids["Salt Front"])}
    assert related == {"Salt Front", "Ridge Brigade", "Interior Ministry", "Idris Varne", "Pakistan"}
    tied = {names[i] for i in R.persons_tied_to(conn, ("member_of", "leader_of"), {"armed_group"})}
    assert tied == {"Idris Varne"}  # the council spokesman is a member of a council, not an armed group


def test_merged_actors_are_read_as_the_survivor(kb_builder, tmp_path):
    from wirescope.resolve.judgements import merge

    url = kb_builder(tmp_path / "merged.db")
    kb = open_kb(url)
    with kb.engine.begin() as conn:
        ids = {a["name"]: a["id"] for a in R.iter_actors(conn)}
        merge(conn, ids["Kestrel Tribal Council"], ids["Kestrel tribes"], author="analyst")
    with kb.engine.connect() as conn:
        names = [a["name"] for a in R.iter_actors(conn)]
        assert "Kestrel tribes" not in names and len(names) == len(ids) - 1
        council = [a for a in R.iter_actors(conn) if a["name"] == "Kestrel Tribal Council"][0]
        assert council["mentions"] == 2  # its own mention and the absorbed one
        aliases = {(a["actor_name"], a["name"]) for a in R.iter_aliases(conn)}
        assert ("Kestrel Tribal Council", "Kestrel tribes") in aliases
    kb.close()
