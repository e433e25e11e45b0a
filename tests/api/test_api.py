"""Every JSON endpoint, against a knowledge base of known content (kbdata.py)."""
from __future__ import annotations

import pytest

from kbdata import MALICIOUS_TITLE


def names(rows):
    return {r["name"] for r in rows}


def test_stats_counts_what_was_stored(client):
    stats = client.get("/api/stats").json()
    assert (stats["documents"], stats["statements"], stats["relations"], stats["events"], stats["times"]) == (3, 5, 5, 3, 3)
    assert stats["relation_types"] == {"member_of": 2, "harbors": 2, "rival_of": 1}
    assert stats["first_published"] == "2021-05-02" and stats["last_published"] == "2021-05-05"


def test_documents_newest_first_with_counts(client, ids):
    body = client.get("/api/documents").json()
    assert (body["total"], body["limit"], body["offset"], body["next"]) == (3, 50, 0, None)
    rows = body["items"]
    assert [r["id"] for r in rows] == [ids["malicious"], ids["denial"], ids["shelter"]]
    denial = rows[1]
    assert (denial["actors"], denial["statements"], denial["relations"], denial["events"]) == (5, 2, 2, 1)
    second = client.get("/api/documents?limit=1&offset=1").json()
    assert [r["id"] for r in second["items"]] == [ids["denial"]]
    assert second["next"] == "/api/documents?limit=1&offset=2"


def test_document_layers_keep_contract_offsets(client, ids):
    doc = client.get(f"/api/documents/{ids['denial']}").json()
    text = doc["text"]
    spans = [m for e in doc["entities"] for m in e["mentions"]]
    spans += [s["content"] for s in doc["statements"]] + [r["evidence"] for r in doc["relations"]]
    spans += [v["evidence"] for v in doc["events"]] + doc["times"]
    assert len(spans) == 13  # 7 mentions, 2 statements, 2 relations, 1 event, 1 time
    for span in spans:
        assert text[span["start"]:span["end"]] == span["text"]
    rel = {r["type"]: r for r in doc["relations"]}
    assert rel["harbors"]["polarity"] == "negative"
    assert rel["harbors"]["subject"]["kb_id"] == ids["Northern Front"]
    assert rel["harbors"]["object"]["kb_id"] == ids["Coastal Brigade"]
    assert doc["statements"][0]["speaker"]["kb_id"] == ids["Mara Ellison"]


@pytest.mark.parametrize("q, actor", [("Coastal", "Coastal Brigade"), ("Mara Ellison", "Mara Ellison"),
                                      ("Port Selin", "Port Selin")])
def test_search_finds_actors(client, q, actor):
    body = client.get("/api/search", params={"q": q}).json()
    assert actor in names(body["actors"])


@pytest.mark.parametrize("q, title", [("convoy", "Northern Front denies sheltering brigade"),
                                      ("hills", "Official says Northern Front shelters brigade fighters")])
def test_search_finds_documents(client, q, title):
    body = client.get("/api/search", params={"q": q}).json()
    assert title in [d["title"] for d in body["documents"]]


def test_search_marks_hits_by_offsets_in_a_plain_snippet(client):
    body = client.get("/api/search", params={"q": "convoy"}).json()
    rows = body["documents"] + body["statements"]
    assert rows
    for row in rows:
        assert "[" not in row["snippet"] and "\ue000" not in row["snippet"], row["snippet"]
        assert row["highlights"], row
        assert all(row["snippet"][s:e].casefold() == "convoy" for s, e in row["highlights"]), row


@pytest.mark.parametrize("path", ["/api/actors", "/api/entities"])
def test_find_actors_by_name(client, path):
    body = client.get(path, params={"q": "Northern Front"}).json()
    assert "Northern Front" in names(body["items"]) and body["total"] >= 1


@pytest.mark.parametrize("path", ["/api/actors/{ref}", "/api/entities/{ref}"])
@pytest.mark.parametrize("ref", ["Northern Front", "id"])
def test_actor_profile_by_name_or_id(client, ids, ref, path):
    ref = ids["Northern Front"] if ref == "id" else ref
    body = client.get(path.format(ref=ref)).json()
    assert body["entity"]["id"] == ids["Northern Front"]
    assert {"Northern Front"} <= {n["name"] for n in body["names"]}
    types = {(r["subject"]["id"], r["type"], r["object"]["id"]) for r in body["relations"]}
    assert (ids["Northern Front"], "harbors", ids["Coastal Brigade"]) in types
    assert (ids["Mara Ellison"], "member_of", ids["Northern Front"]) in types


@pytest.mark.parametrize("path", ["/api/actors/{id}/events", "/api/entities/{id}/timeline"])
def test_actor_events(client, ids, path):
    body = client.get(path.format(id=ids["Coastal Brigade"])).json()
    assert [(r["time"], r["type"]) for r in body["items"]] == [("2021-03", "SUPPORT"), ("2021-05-03", "ASSAULT")]
    assert body["total"] == 2 and body["next"] is None


@pytest.mark.parametrize("param", ["actor", "entity"])
def test_relations_filtered_by_actor_and_type(client, ids, param):
    rows = client.get("/api/relations", params={param: ids["Northern Front"], "type": "harbors"}).json()["items"]
    assert len(rows) == 1
    row = rows[0]
    # one report supports it, the other denies it: one independent source for it
    assert (len(row["support"]), len(row["against"]), row["independent_sources"], row["documents"]) == (1, 1, 1, 2)
    both = client.get("/api/relations", params={"type": "harbors,member_of"}).json()["items"]
    assert {r["type"] for r in both} == {"harbors", "member_of"}
    by_name = client.get("/api/relations", params={"actor": "Mara Ellison"}).json()
    assert [(r["subject"]["name"], r["type"]) for r in by_name["items"]] == [("Mara Ellison", "member_of")]


def test_relation_detail_lists_evidence_both_ways(client, ids):
    row = client.get(f"/api/relations/{ids['Northern Front']}/harbors/{ids['Coastal Brigade']}").json()
    support, against = row["support"], row["against"]
    assert support[0]["outlet"] == "Harbour Times" and support[0]["published"] == "2021-05-02"
    assert support[0]["evidence"]["text"].startswith("The Northern Front has sheltered")
    assert against[0]["speaker"]["name"] == "Mara Ellison" and against[0]["outlet"] == "Valley Post"


@pytest.mark.parametrize("params, edges", [
    ({}, {"harbors", "member_of", "rival_of"}),
    ({"type": "member_of"}, {"member_of"}),
    ({"min_sources": 1}, {"harbors", "member_of", "rival_of"}),
    ({"min_sources": 2}, set()),
    ({"since": "2022-01-01"}, set()),
    ({"type": ["harbors", "member_of"], "until": "2021-04-30"}, {"harbors"}),
])
def test_network_filters(client, params, edges):
    body = client.get("/api/network", params=params).json()
    assert {e["type"] for e in body["edges"]} == edges
    node_ids = {n["id"] for n in body["nodes"]}
    assert all(e["source"] in node_ids and e["target"] in node_ids for e in body["edges"])


@pytest.mark.parametrize("path", ["/api/events", "/api/timeline"])
def test_events_ordered_by_time(client, path):
    body = client.get(path).json()
    times = [r["time"] for r in body["items"]]
    assert times == sorted(times) and len(times) == body["total"] == 3
    page = client.get(path, params={"limit": 2, "offset": 1}).json()
    assert [r["time"] for r in page["items"]] == times[1:3] and page["next"] is None


def test_statements_list_filters(client, ids):
    body = client.get("/api/statements").json()
    assert body["total"] == 5 and len(body["items"]) == 5
    assert body["items"][0]["published"] >= body["items"][-1]["published"]  # newest report first
    by = client.get("/api/statements", params={"actor": "Mara Ellison"}).json()
    assert by["total"] == 1 and by["items"][0]["speaker"]["id"] == ids["Mara Ellison"]
    assert by["items"][0]["content"] == "the group shelters the Coastal Brigade"
    of_doc = client.get("/api/statements", params={"document": ids["shelter"], "limit": 1}).json()
    assert of_doc["total"] == 2 and len(of_doc["items"]) == 1
    assert of_doc["next"] == f"/api/statements?document={ids['shelter']}&limit=1&offset=1"
    assert client.get("/api/statements", params={"polarity": "negative"}).json()["total"] == 1


def test_health_reports_read_only_and_no_pipeline(client):
    assert client.get("/api/health").json() == {"ok": True, "writes": False, "pipeline_loaded": False}


def test_malicious_metadata_is_returned_verbatim_as_json(client, ids):
    doc = client.get(f"/api/documents/{ids['malicious']}").json()
    assert doc["title"] == MALICIOUS_TITLE
    assert client.get(f"/api/documents/{ids['malicious']}").headers["content-type"].startswith("application/json")


def test_openapi_lists_every_api_route(client):
    spec = client.get("/openapi.json").json()
    expected = {"/api/stats", "/api/search", "/api/actors", "/api/actors/{id}", "/api/actors/{id}/events",
                "/api/statements", "/api/relations", "/api/relations/{subject}/{type}/{object}", "/api/events",
                "/api/documents", "/api/documents/{id}", "/api/network", "/api/export/{format}", "/api/actors/merge",
                "/api/actors/{id}/split", "/api/health", "/api/audit"}
    aliases = {"/api/entities", "/api/entities/{id}", "/api/entities/{id}/timeline", "/api/timeline",
               "/api/entities/merge", "/api/entities/{id}/split"}
    assert expected | aliases <= set(spec["paths"])
    assert not any(not p.startswith("/api/") for p in spec["paths"])
    for path in aliases:
        assert all(op.get("deprecated") for op in spec["paths"][path].values()), path
    # one name for the id path parameter everywhere
    params = {p["name"] for item in spec["paths"].values() for op in item.values()
              for p in op.get("parameters", []) if p["in"] == "path"}
    assert params == {"id", "subject", "type", "object", "format"}  # format: /api/export/{format}


def test_docs_page_is_offline_html(client):
    r = client.get("/docs")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    for path in ("/api/relations/{subject}/{type}/{object}", "/api/documents", "ArticleIn", "MergeIn"):
        assert path in r.text
    assert "<script src=\"http" not in r.text and "cdn" not in r.text.lower() and "swagger" not in r.text.lower()
