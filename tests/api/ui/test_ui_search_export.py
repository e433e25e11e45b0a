"""The search page's export buttons export the page's selection (the documents it lists, every page
of them, with their syndicated copies, and what they hold), the same through /api/export."""
from __future__ import annotations

import csv
import html as htmllib
import io
import json
import re
import zipfile
from xml.etree import ElementTree

import pytest
from apihelpers import assert_error_shape

HTML = {"accept": "text/html"}
GRAPHML = {"g": "http://graphml.graphdrawing.org/xmlns"}


def page(client, **params) -> str:
    r = client.get("/search", params=params, headers=HTML)
    assert r.status_code == 200, r.text[:300]
    return r.text


def listed_documents(client, **params) -> set[str]:
    """Every document the documents section lists, page by page, originals and the copies under them."""
    seen: set[str] = set()
    for number in range(1, 20):
        text = page(client, section="documents", page=number, **params)
        block = text.split('class="results documents"')[1].split("</section>")[0]
        seen |= set(re.findall(r'href="/documents/([^"?#]+)', block))
        if 'rel="next"' not in block:
            return seen
    raise AssertionError("more pages than expected")


def export_link(text: str, fmt: str) -> str:
    block = text.split('data-export="search"')[1].split("</p>")[0]
    return htmllib.unescape(re.search(rf'class="button export-{fmt}" href="([^"]+)"', block).group(1))


def csv_tables(content: bytes) -> dict[str, list[dict]]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name[:-4]: list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8"))))
                for name in archive.namelist()}


def test_the_buttons_export_the_documents_the_page_lists(ui_client):
    params = {"q": "convoy", "outlet": "Harbour Times"}
    text = page(ui_client, **params)
    link = export_link(text, "csv")
    assert link.startswith("/export/csv?") and "q=convoy" in link and "outlet=Harbour+Times" in link
    shown = listed_documents(ui_client, **params)
    assert 20 <= len(shown) < 61  # a third of the stories, and the wire copy under its original
    r = ui_client.get(link)
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    assert r.headers["content-disposition"] == 'attachment; filename="wirescope-search-convoy.csv.zip"'
    tables = csv_tables(r.content)
    exported = {d["id"] for d in tables["documents"]}
    assert exported == shown
    assert any(d["outlet"] == "Wire Service" for d in tables["documents"])  # the copy folded under story 0
    assert {row["doc_id"] for row in tables["relations"]} <= shown and tables["relations"]


def test_stix_of_one_story_is_that_story_not_the_top_actor(ui_client):
    text = page(ui_client, q="Report number 7")
    shown = listed_documents(ui_client, q="Report number 7")
    assert len(shown) == 1
    r = ui_client.get(export_link(text, "stix"))
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/stix+json")
    bundle = json.loads(r.content)
    reports = [o for o in bundle["objects"] if o["type"] == "report"]
    assert [rep["x_wirescope_doc_id"] for rep in reports] == sorted(shown)
    names = {o.get("name") for o in bundle["objects"]}
    assert {"Coastal Brigade", "Delta Legion"} <= names  # story 7: Coastal Brigade allied with Delta Legion
    assert "Northern Front" not in names and "Eastern Guard" not in names
    allied = [o for o in bundle["objects"] if o["type"] == "relationship" and o["x_wirescope_type"] == "allied_with"]
    assert len(allied) == 1 and allied[0]["x_wirescope_documents"] == 1  # aggregated over the selection


def test_graphml_of_a_search(ui_client):
    r = ui_client.get(export_link(page(ui_client, q="Report number 7"), "graphml"))
    tree = ElementTree.fromstring(r.content)
    relations = sorted(e.get("id").split(":")[-1] for e in tree.findall(".//g:edge", GRAPHML))
    assert relations == ["allied_with", "member_of"]  # the story's two relations, nothing else


def test_the_api_answers_the_same_export(ui_client):
    params = {"q": "sheltered", "published": "2020"}
    web = ui_client.get("/export/stix", params=params)
    api = ui_client.get("/api/export/stix", params=params)
    assert web.status_code == api.status_code == 200 and web.content == api.content
    bundle = json.loads(api.content)
    assert {o["x_wirescope_published"][:4] for o in bundle["objects"] if o["type"] == "report"} == {"2020"}
    spec = ui_client.get("/openapi.json").json()
    assert "/api/export/{format}" in spec["paths"]
    assert {p["name"] for p in spec["paths"]["/api/export/{format}"]["get"]["parameters"]} >= {
        "q", "outlet", "published", "actor_type", "document", "actor"}


def test_the_facets_and_documents_narrow_the_export(ui_client):
    shown = listed_documents(ui_client, q="convoy", published="2021-02")
    tables = csv_tables(ui_client.get("/api/export/csv", params={"q": "convoy", "published": "2021-02"}).content)
    assert {d["id"] for d in tables["documents"]} == shown and shown
    one = sorted(shown)[0]
    tables = csv_tables(ui_client.get("/api/export/csv", params={"document": one}).content)
    assert [d["id"] for d in tables["documents"]] == [one]


@pytest.mark.parametrize("path", [
    "/api/export/stix",  # nothing selected
    "/api/export/stix?outlet=Valley%20Post",  # a facet without a search
    "/api/export/csv?q=%21%21%21",  # no word to search for
    "/api/export/stix?document=doc_nowhere",  # no such document
    "/api/export/stix?q=convoy&published=March",  # not a year or month
    "/api/export/pdf?q=convoy",  # not a format
    "/api/export/stix?q=convoy&document=" + "x" * 101,  # above the bounds of an id
])
def test_bad_export_requests_are_422_with_a_code(ui_client, path):
    r = ui_client.get(path)
    assert r.status_code == 422
    assert_error_shape(r.json(), "E505")


def test_a_bad_export_from_a_page_is_an_error_page(ui_client):
    r = ui_client.get("/export/stix?outlet=Valley%20Post", headers=HTML)
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html")
    assert "E505" in r.text and "Traceback" not in r.text
