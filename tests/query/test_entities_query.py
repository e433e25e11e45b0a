"""Finding, resolving and profiling actors; timeline, search and graph over the annotated corpus."""
from __future__ import annotations

import pytest

from wirescope.errors import StoreError
from wirescope.query.entities import entity_profile, find_entities, resolve_entity
from wirescope.query.graph import network
from wirescope.query.search import search
from wirescope.query.timeline import timeline
from wirescope.resolve import judgements as J

SAME_NAMES = [
    ["al-Qaeda", "al-Qaida", "Al Qaeda", "al-Qa'ida", "AL-QAIDA"],
    ["Zabihullah Mujahid", "Zabiullah Mujahid"],
    ["Islamic State Khorasan Province", "ISKP"],
    ["Gul Rahman Safi", "Abu Hafs al-Logari", "Al-Logari"],
    ["Haqqani Network", "Haqqani network", "the Haqqani Network"],
]


@pytest.mark.parametrize("names", SAME_NAMES, ids=[n[0] for n in SAME_NAMES])
def test_resolve_entity_by_any_name(conn, names):
    assert len({resolve_entity(conn, n)["id"] for n in names}) == 1


def test_resolve_entity_errors(conn):
    with pytest.raises(StoreError) as err:
        resolve_entity(conn, "Hezb-e Islami")
    assert err.value.code == "E403"


def test_ambiguous_name_after_a_split(writable_kb, doc_ids):
    with writable_kb.engine.begin() as c:
        kb_id = resolve_entity(c, "Karin Lindqvist")["id"]
        result = J.split(c, kb_id, [], "analyst:test", docs=[doc_ids["02"]])
    assert result["new"]
    with writable_kb.engine.connect() as c:
        with pytest.raises(StoreError) as err:
            resolve_entity(c, "Karin Lindqvist")
        assert err.value.code == "E404"
        assert kb_id in err.value.message and result["new"] in err.value.message
        assert resolve_entity(c, result["new"])["id"] == result["new"]


def test_find_entities_by_prefix_and_family_name(conn):
    assert [e["name"] for e in find_entities(conn, "Zab")] == ["Zabihullah Mujahid"]
    found = find_entities(conn, "Mujahid")
    assert found and found[0]["name"] == "Zabihullah Mujahid" and found[0]["documents"] == 2
    assert find_entities(conn, "") == []


def test_profile_names_statements_and_documents(conn, doc_ids):
    p = entity_profile(conn, resolve_entity(conn, "Zabiullah Mujahid")["id"])
    names = {(n["name"], n["doc_id"]) for n in p["names"]}
    assert ("Zabiullah Mujahid", doc_ids["07"]) in names and ("Zabihullah Mujahid", doc_ids["01"]) in names
    by = sorted((s["doc_id"], s["statement_id"]) for s in p["statements_by"])
    assert by == sorted([(doc_ids["01"], "s2"), (doc_ids["07"], "s2"), (doc_ids["07"], "s3")])
    assert p["mentions"] >= 3 and len(p["documents"]) == 2
    taliban = entity_profile(conn, resolve_entity(conn, "Taliban")["id"])
    about = {(s["doc_id"], s["statement_id"]) for s in taliban["statements_about"]}
    assert (doc_ids["01"], "s3") in about and (doc_ids["07"], "s2") in about
    assert (doc_ids["01"], "s1") in {(s["doc_id"], s["statement_id"]) for s in taliban["statements_by"]}
    assert any(r["type"] == "harbors" for r in taliban["relations"])


def test_reads_follow_merges(writable_kb):
    with writable_kb.engine.begin() as c:
        keep = resolve_entity(c, "Islamic State Khorasan Province")["id"]
        drop = resolve_entity(c, "Islamic State")["id"]
        J.merge(c, keep, drop, "analyst:test")
    with writable_kb.engine.connect() as c:
        assert resolve_entity(c, "Islamic State")["id"] == keep
        p = entity_profile(c, drop)
        assert p["entity"]["id"] == keep and drop in p["entity"]["merged"]
        assert {r["object"]["id"] for r in p["relations"] if r["type"] == "member_of"} == {keep}
        assert [j["decision"] for j in p["judgements"]] == ["same"]


def test_timeline_orders_by_event_time(conn, doc_ids):
    events = timeline(conn, "Taliban")
    assert [e["time"] for e in events] == sorted(e["time"] for e in events)
    assert events[0]["type"] == "AGREE" and events[0]["time"] == "2020-02-29"
    assert {e["doc_id"] for e in events} == {doc_ids["01"], doc_ids["07"]}
    assert [e["type"] for e in timeline(conn, "Taliban", since="2021-03")] == ["REJECT"]
    assert timeline(conn, "Karin Lindqvist")[0]["target"]["name"] == "UN Security Council"


SEARCHES = [
    # (query, articles whose documents must be found)
    ("al-Qaida", {"01", "07", "08"}),  # other spellings of the name are searched too
    ("nom de guerre", {"03"}),
    ("baseless propaganda", {"07"}),
]


@pytest.mark.parametrize("query,expected", SEARCHES)
def test_search_documents(conn, doc_ids, query, expected):
    found = {d["id"] for d in search(conn, query)["documents"]}
    assert {doc_ids[a] for a in expected} <= found


def test_search_statements_and_actors(conn):
    result = search(conn, "shelter")
    speakers = {(s["speaker"] or {}).get("name") for s in result["statements"]}
    assert {"Zabihullah Mujahid", "senior Afghan intelligence official"} <= speakers
    assert [a["name"] for a in search(conn, "Lindqvist")["actors"]] == ["Karin Lindqvist"]
    assert search(conn, "zzqx")["documents"] == []
    assert search(conn, "   ") == {"query": "", "actors": [], "documents": [], "statements": []}


def test_network(conn):
    g = network(conn, types=["harbors", "allied_with"])
    t, q = resolve_entity(conn, "Taliban")["id"], resolve_entity(conn, "al-Qaeda")["id"]
    assert g.nodes[t]["name"] == "Taliban" and g.nodes[q]["documents"] == 6
    assert {"harbors", "allied_with"} == {d["type"] for _, _, d in g.edges(data=True)}
    harbors = g.get_edge_data(t, q)["harbors"]
    assert harbors["against"] == 2 and harbors["independent_sources"] == 2
    assert network(conn, min_sources=2).number_of_edges() < network(conn).number_of_edges()
