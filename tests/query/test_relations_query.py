"""Aggregated relations across articles: for and against, sources, speakers, confidence."""
from __future__ import annotations

import pytest

from wirescope.query.entities import resolve_entity
from wirescope.query.relations import aggregate_relations, relation_detail, symmetric_types


def row_of(rows, type_, names):
    found = [r for r in rows if r["type"] == type_ and {r["subject"]["name"], r["object"]["name"]} == set(names)]
    assert len(found) == 1, f"{type_} {names}: {len(found)} rows"
    return found[0]


def docs(items, doc_ids):
    back = {v: k for k, v in doc_ids.items()}
    return sorted(back[i["doc_id"]] for i in items)


def test_claim_and_denials_are_listed_against_each_other(conn, doc_ids):
    rows = aggregate_relations(conn, "Taliban", "al-Qaida")
    harbors = row_of(rows, "harbors", ["Taliban", "al-Qaeda"])
    assert harbors["subject"]["name"] == "Taliban"
    assert docs(harbors["support"], doc_ids) == ["01", "05", "05", "06", "06"]
    assert docs(harbors["against"], doc_ids) == ["01", "07"]
    deniers = {(i["speaker"] or {}).get("name") for i in harbors["against"]}
    assert deniers == {"Taliban", "Zabihullah Mujahid"}
    assert all(i["polarity"] == "negative" for i in harbors["against"])
    # the syndicated copy (06) is listed but not counted as another source
    assert harbors["independent_sources"] == 2 and harbors["documents"] == 4
    assert harbors["anonymous_speakers"] == 1 and harbors["named_speakers"] == 0
    reasons = " | ".join(harbors["reasons"])
    assert "1 syndicated copy not counted again" in reasons
    assert "2 contradicting statements" in reasons and "Zabihullah Mujahid" in reasons
    assert harbors["first_published"].startswith("2021-01-05") and harbors["last_published"].startswith("2021-03-02")
    copies = [i for i in harbors["support"] if i["duplicate_of"]]
    assert {i["outlet"] for i in copies} == {"Continental Newswire"}


def test_symmetric_relation_aggregates_both_directions(conn, doc_ids):
    assert {"allied_with", "kin_of", "agreement_with", "rival_of"} <= set(symmetric_types())
    rows = aggregate_relations(conn, "al-Qaeda", "Taliban")
    allied = row_of(rows, "allied_with", ["Taliban", "al-Qaeda"])
    assert allied["symmetric"] is True
    assert docs(allied["support"], doc_ids) == ["02", "02", "05", "06"]
    directions = {(i["subject_id"], i["object_id"]) for i in allied["support"]}
    assert len(directions) == 2, "statements in both directions are in one row"
    assert allied["independent_sources"] == 2 and allied["named_speakers"] == 2
    pledge = allied["against"]
    assert len(pledge) == 1 and pledge[0]["modality"] == "future" and pledge[0]["speaker"] is None
    assert any("pledge" in r for r in allied["reasons"])


def test_contested_relation_is_less_confident(conn):
    rows = aggregate_relations(conn, "Taliban", "al-Qaeda")
    allied = row_of(rows, "allied_with", ["Taliban", "al-Qaeda"])
    harbors = row_of(rows, "harbors", ["Taliban", "al-Qaeda"])
    trains = row_of(rows, "trains", ["Taliban", "al-Qaeda"])
    assert 0 < harbors["confidence"] < allied["confidence"] < 1
    assert trains["independent_sources"] == 1 and trains["confidence"] < allied["confidence"]


def test_one_source_two_directions_counts_once(conn):
    rows = aggregate_relations(conn, "Haqqani Network", "Taliban")
    allied = row_of(rows, "allied_with", ["Haqqani network", "Taliban"])
    assert len(allied["support"]) == 2 and allied["independent_sources"] == 1
    assert allied["named_speakers"] == 1 and allied["anonymous_speakers"] == 1


FILTERS = [
    # (kwargs, relation types expected between Taliban and al-Qaeda)
    ({}, {"harbors", "allied_with", "kin_of", "trains"}),
    ({"type": "harbors"}, {"harbors"}),
    ({"min_sources": 2}, {"harbors", "allied_with"}),
    ({"until": "2021-01"}, {"harbors", "allied_with", "kin_of"}),
    ({"since": "2021-03-03"}, {"harbors", "allied_with"}),
]


@pytest.mark.parametrize("kwargs,expected", FILTERS, ids=[str(f[0]) for f in FILTERS])
def test_filters(conn, kwargs, expected):
    rows = aggregate_relations(conn, "Taliban", "al-Qaeda", **kwargs)
    assert {r["type"] for r in rows} == expected


def test_window_restricts_statements(conn, doc_ids):
    harbors = row_of(aggregate_relations(conn, "Taliban", "al-Qaeda", type="harbors", until="2021-02"),
                     "harbors", ["Taliban", "al-Qaeda"])
    assert docs(harbors["support"] + harbors["against"], doc_ids) == ["01", "01"]


def test_relation_detail_and_whole_kb(conn):
    t, q = resolve_entity(conn, "Taliban")["id"], resolve_entity(conn, "al-Qaeda")["id"]
    detail = relation_detail(conn, q, "allied_with", t)  # symmetric: either order
    assert detail["independent_sources"] == 2
    empty = relation_detail(conn, t, "funds", q)
    assert empty["support"] == [] and empty["confidence"] == 0.0
    everything = aggregate_relations(conn)
    keys = [(r["type"], frozenset((r["subject"]["id"], r["object"]["id"]))) for r in everything if r["symmetric"]]
    assert len(keys) == len(set(keys))
    assert len(everything) >= 8


def test_incremental_ingest_updates_aggregates(writable_kb):
    from wirescope.model import Analysis, Document, Entity, Relation, Span, Statement

    with writable_kb.engine.connect() as c:
        before = row_of(aggregate_relations(c, "Taliban", "al-Qaida", type="harbors"), "harbors",
                        ["Taliban", "al-Qaeda"])
    text = ("KABUL - Al-Qaida commanders live under Taliban protection in Kunar, "
            "Afghan lawmaker Mariam Solaimankhil said on Friday.")
    doc = Document(text, published="2021-03-20", outlet="Capital Times")
    ents = [Entity("e1", "Al-Qaida", "organization", mentions=[Span.of(text, 7, 15)]),
            Entity("e2", "Taliban", "organization", mentions=[Span.of(text, 51, 58)]),
            Entity("e3", "Mariam Solaimankhil", "person", mentions=[Span.of(text, text.index("Mariam"), text.index(" said"))])]
    st = Statement("s1", "e3", "said", Span.of(text, 7, text.index(", Afghan")), False)
    rel = Relation("e2", "harbors", "e1", Span.of(text, 7, 69), statement="s1", id="r1")
    writable_kb.save(Analysis(doc, ents, [st], [rel]))
    with writable_kb.engine.connect() as c:
        after = row_of(aggregate_relations(c, "Taliban", "al-Qaida", type="harbors"), "harbors",
                       ["Taliban", "al-Qaeda"])
    assert after["independent_sources"] == before["independent_sources"] + 1
    assert after["named_speakers"] == before["named_speakers"] + 1
    assert after["confidence"] > before["confidence"]
    assert after["last_published"] == "2021-03-20"
