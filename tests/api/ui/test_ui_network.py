"""The network for the interactive page: unnamed groups left out, a node's neighbours, the shortest
path between two actors, the JSON the page embeds, and the bounds of each."""
from __future__ import annotations

import json
import os
import re

import pytest

from apihelpers import assert_error_shape

HTML = {"accept": "text/html"}
GROUPS = {"Northern Front", "Coastal Brigade", "Delta Legion", "Eastern Guard"}


def names(body: dict) -> set[str]:
    return {n["name"] for n in body["nodes"]}


def embedded(html: str) -> dict:
    found = re.search(r'<script type="application/json" id="network-data">(.*?)</script>', html, re.S)
    assert found, "the page embeds its graph"
    assert "<" not in found.group(1)  # nothing in it can close the element or open markup
    return json.loads(found.group(1))


def test_unnamed_groups_are_not_nodes(ui_client):
    body = ui_client.get("/api/network").json()
    assert names(body) == GROUPS
    assert body["generic_hidden"] > 0 and not any(n.get("subtype") == "generic" for n in body["nodes"])
    everything = ui_client.get("/api/network", params={"generic": "true", "limit": 500}).json()
    assert "fighters" in names(everything) and everything["generic_hidden"] == 0
    assert {(e["type"]) for e in everything["edges"]} >= {"harbors", "allied_with", "funds", "member_of"}


def test_network_page_embeds_the_graph_it_draws(ui_client):
    html = ui_client.get("/network", headers=HTML).text
    data = embedded(html)
    assert {n["name"] for n in data["nodes"]} == GROUPS
    assert {(e["source"], e["type"], e["target"]) for e in data["edges"]} == {
        (e["source"], e["type"], e["target"]) for e in ui_client.get("/api/network", params={"limit": 100}).json()["edges"]}
    assert set(data["colours"]["actors"]) >= {"person", "organization", "group", "location"}
    assert data["filters"] == {"type": [], "since": None, "until": None, "min_sources": 0, "generic": False}
    assert 'class="picture network"' in html  # the server-rendered picture stays as the fallback
    assert 'id="legend"' in html and "mostly denied" in html
    assert "relation(s) with unnamed groups" in html


def test_filters_reach_the_embedded_graph(ui_client):
    data = embedded(ui_client.get("/network", params={"type": "funds"}, headers=HTML).text)
    assert {e["type"] for e in data["edges"]} == {"funds"} and data["filters"]["type"] == ["funds"]
    data = embedded(ui_client.get("/network", params={"min_sources": 50}, headers=HTML).text)
    assert data["edges"] == []
    data = embedded(ui_client.get("/network", params={"since": "2021-01-01"}, headers=HTML).text)
    assert data["edges"] and all(e["last_seen"] is None or e["last_seen"] >= "2021" for e in data["edges"])


def test_the_page_names_the_library_only_when_installed(ui_client):
    html = ui_client.get("/network", headers=HTML).text
    served = ui_client.get("/static/vendor/cytoscape.min.js")
    if served.status_code == 200:
        assert '<script src="/static/vendor/cytoscape.min.js" defer>' in html
        assert '<script src="/static/network.js" defer>' in html
        assert served.headers["content-type"].startswith("text/javascript") and b"cytoscape" in served.content[:2000].lower()
    else:
        assert os.environ.get("CI", "").lower() != "true", "CI installs with npm: the vendored file must be there"
        assert "cytoscape.min.js" not in html and 'id="no-cytoscape"' in html
    assert ui_client.get("/static/vendor/%2E%2E%2Fapp.js").status_code == 404  # never a file path
    assert ui_client.get("/static/vendor/nothing.js").status_code == 404


def test_neighbours(ui_client):
    body = ui_client.get("/api/network/neighbours", params={"actor": "Coastal Brigade"}).json()
    assert names(body) == {"Coastal Brigade", "Northern Front", "Delta Legion"}
    assert body["actor"] in {n["id"] for n in body["nodes"]}
    one = ui_client.get("/api/network/neighbours", params={"actor": "Coastal Brigade", "limit": 1}).json()
    assert len(one["edges"]) == 1 and one["truncated"] is True
    typed = ui_client.get("/api/network/neighbours", params={"actor": "Coastal Brigade", "type": "funds"}).json()
    assert typed["edges"] == [] and names(typed) == {"Coastal Brigade"}  # the actor itself, nothing around it


@pytest.mark.parametrize("params, status, code", [
    ({"actor": "Coastal Brigade", "limit": 201}, 422, "E505"),
    ({"actor": "Coastal Brigade", "limit": 0}, 422, "E505"),
    ({"actor": "Nobody Known Here"}, 404, "E403"),
    ({}, 422, "E505"),
    ({"actor": "x" * 201}, 422, "E505"),
    ({"actor": "Coastal Brigade", "type": "nonsense"}, 422, "E505"),
])
def test_neighbours_bounds(ui_client, params, status, code):
    r = ui_client.get("/api/network/neighbours", params=params)
    assert r.status_code == status
    assert_error_shape(r.json(), code)


def test_shortest_path_follows_the_chain(ui_client):
    body = ui_client.get("/api/network/path", params={"from": "Northern Front", "to": "Eastern Guard"}).json()
    assert body["found"] is True and body["hops"] == 3
    by_id = {n["id"]: n["name"] for n in body["nodes"]}
    assert [by_id[i] for i in body["path"]] == ["Northern Front", "Coastal Brigade", "Delta Legion", "Eastern Guard"]
    pairs = {frozenset((e["source"], e["target"])) for e in body["edges"]}
    assert pairs == {frozenset(p) for p in zip(body["path"], body["path"][1:])}
    assert all(e["independent_sources"] >= 1 for e in body["edges"])
    # either direction
    back = ui_client.get("/api/network/path", params={"from": "Eastern Guard", "to": "Northern Front"}).json()
    assert back["path"] == list(reversed(body["path"]))


@pytest.mark.parametrize("params", [
    {"max_hops": 2},  # the chain is three relations long
    {"type": "harbors"},  # one relation of the chain is left
    {"min_sources": 99},
    {"until": "2019-12-31"},
])
def test_no_path_within_the_filters(ui_client, params):
    body = ui_client.get("/api/network/path", params={"from": "Northern Front", "to": "Eastern Guard", **params}).json()
    assert body["found"] is False and body["path"] == [] and body["nodes"] == []


def test_a_path_never_runs_through_an_unnamed_group(ui_client):
    # every story's "fighters" is member_of its group: through them, Northern Front and Delta Legion would not
    # be joined any closer, but a path must not even visit them
    body = ui_client.get("/api/network/path", params={"from": "Northern Front", "to": "Delta Legion"}).json()
    assert body["hops"] == 2 and not any(n.get("subtype") == "generic" for n in body["nodes"])
    same = ui_client.get("/api/network/path", params={"from": "Delta Legion", "to": "Delta Legion"}).json()
    assert same["found"] is True and same["hops"] == 0 and len(same["path"]) == 1


@pytest.mark.parametrize("params, status", [({"from": "Northern Front"}, 422), ({"from": "Northern Front", "to": "Nobody"}, 404),
                                            ({"from": "Northern Front", "to": "Eastern Guard", "max_hops": 7}, 422),
                                            ({"from": "Northern Front", "to": "Eastern Guard", "max_hops": 0}, 422)])
def test_path_bounds(ui_client, params, status):
    r = ui_client.get("/api/network/path", params=params)
    assert r.status_code == status
    assert r.json()["error"]["code"] in ("E505", "E403")


def test_network_page_renders_a_path_without_javascript(ui_client):
    html = ui_client.get("/network", params={"from": "Northern Front", "to": "Eastern Guard"}, headers=HTML).text
    listed = html.split("id=\"path-result\"")[1].split("<ol class=\"path\">")[1].split("</ol>")[0]
    assert listed.index("Northern Front") < listed.index("Coastal Brigade") < listed.index("Delta Legion") < listed.index("Eastern Guard")
    assert listed.count("<li>") == 3 and "/relations/" in listed
    assert embedded(html)["path"]["found"] is True
    html = ui_client.get("/network", params={"from": "Northern Front", "to": "Nobody"}, headers=HTML).text
    assert "Nobody" in html.split('id="path-result"')[1] and 'class="error-note"' in html


def test_openapi_declares_the_network_routes(ui_client):
    spec = ui_client.get("/openapi.json").json()
    for path, model in (("/api/network/neighbours", "NetworkOut"), ("/api/network/path", "PathOut")):
        ref = spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        assert ref.endswith("/" + model)
