"""The actor page a list at a time, export buttons, and views recomputed when the knowledge base changes."""
from __future__ import annotations

import io
import json
import re
import zipfile
from xml.etree import ElementTree

import pytest
from uidata import UI_TOKEN, actor_ids

HTML = {"accept": "text/html"}


def test_actor_overview_counts_every_list(ui_client):
    html = ui_client.get("/actors/Northern%20Front", headers=HTML, follow_redirects=True).text
    assert re.search(r"Documents <span class=\"muted\">\(21\)</span>", html)  # 20 stories and the wire copy
    assert "Showing 10 of 21 documents" in html and "?section=documents" in html
    assert 'id="history"' in html and "Merge and split history" in html
    for fmt in ("stix", "graphml", "csv"):
        assert f'class="button export-{fmt}" href="/export/{fmt}?actor=ent_' in html


def test_actor_lists_page_by_page(ui_client):
    base = ui_client.get("/actors/Northern%20Front", headers=HTML).url.path
    seen = []
    for page in (1, 2, 3, 4, 5):
        html = ui_client.get(base, params={"section": "documents", "limit": 5, "page": page}, headers=HTML).text
        listed = html.split('class="paged"')[1].split('class="pager"')[0]
        seen += re.findall(r'href="/documents/(doc_[0-9a-f]+)"', listed)
        assert f'data-page="{page}" data-pages="5"' in html
    assert len(seen) == 21 and len(set(seen)) == 21
    last = ui_client.get(base, params={"section": "documents", "limit": 5, "page": 5}, headers=HTML).text
    assert 'rel="prev"' in last and 'rel="next"' not in last
    relations = ui_client.get(base, params={"section": "relations"}, headers=HTML).text
    assert "harbors" in relations and 'data-total="' in relations
    about = ui_client.get(base, params={"section": "statements_about", "limit": 7}, headers=HTML).text
    assert about.count("<tr class=\"polarity-") == 7


@pytest.mark.parametrize("params", [{"section": "everything"}, {"page": 0}, {"limit": 501}])
def test_actor_page_bounds(ui_client, params):
    assert ui_client.get("/actors/Northern%20Front", params=params, headers=HTML,
                         follow_redirects=True).status_code == 422


def test_exports_of_an_actor_and_its_neighbourhood(ui_client):
    r = ui_client.get("/export/stix", params={"actor": "Coastal Brigade"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/stix+json")
    assert r.headers["content-disposition"] == 'attachment; filename="wirescope-Coastal-Brigade.stix.json"'
    bundle = json.loads(r.content)
    names = {o.get("name") for o in bundle["objects"]}
    assert bundle["type"] == "bundle" and {"Coastal Brigade", "Northern Front", "Delta Legion"} <= names
    assert "Eastern Guard" not in names  # two relations away: not the neighbourhood
    r = ui_client.get("/export/graphml", params={"actor": "Coastal Brigade", "type": "harbors"})
    tree = ElementTree.fromstring(r.content)
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert len(tree.findall(".//g:edge", ns)) == 1
    r = ui_client.get("/export/csv", params={"actor": "Coastal Brigade"})
    assert r.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(r.content)) as archive:
        assert {"actors.csv", "relations.csv", "documents.csv", "statements.csv"} <= set(archive.namelist())
        assert "Delta Legion" in archive.read("actors.csv").decode()


@pytest.mark.parametrize("path, status", [("/export/stix", 422), ("/export/pdf?actor=Coastal%20Brigade", 422),
                                          ("/export/stix?actor=Nobody%20Here", 404),
                                          ("/export/csv?actor=Coastal%20Brigade&since=yesterday", 422)])
def test_export_bounds(ui_client, path, status):
    assert ui_client.get(path).status_code == status


def test_views_follow_the_knowledge_base(ui_writable):
    """The aggregated network is kept per state of the knowledge base: a merge shows at once."""
    client, app = ui_writable
    ids = actor_ids(app)
    before = client.get("/api/network").json()
    again = client.get("/api/network").json()
    assert before == again and app.state.ws.views.hits >= 1
    client.post("/api/actors/merge", json={"keep": ids["Coastal Brigade"], "drop": ids["Delta Legion"]},
                headers={"authorization": f"Bearer {UI_TOKEN}"})
    after = client.get("/api/network").json()
    assert "Delta Legion" in {n["name"] for n in before["nodes"]}
    assert "Delta Legion" not in {n["name"] for n in after["nodes"]}
    html = client.get(f"/actors/{ids['Coastal Brigade']}", headers=HTML).text
    assert "funds" in html  # Delta Legion's relation is Coastal Brigade's now, on the cached relation list too


def test_the_view_cache_is_bounded():
    from wirescope.api.cache import ViewCache

    class Conn:
        def execute(self, *_):
            class R:
                def one(self):
                    return (1, "x")

                def scalar(self):
                    return 1
            return R()

    cache = ViewCache(size=3)
    for i in range(10):
        assert cache.get(Conn(), ("k", i), lambda i=i: [i]) == [i]
    assert len(cache._items) == 3 and cache.get(Conn(), ("k", 9), lambda: ["recomputed"]) == [9]


def test_a_page_reads_the_knowledge_base_state_once(ui_client, monkeypatch):
    """The actor page reads several views; the state they are kept under is read once per request."""
    from wirescope.api import cache

    calls = []
    real = cache.state_of
    monkeypatch.setattr(cache, "state_of", lambda conn: calls.append(1) or real(conn))
    html = ui_client.get("/actors/Northern%20Front", headers=HTML, follow_redirects=True)
    assert html.status_code == 200 and len(calls) == 1
    calls.clear()
    ui_client.get("/actors/Northern%20Front", headers=HTML, follow_redirects=True)
    assert len(calls) == 1
