"""The search page: hits in <mark> (escaped text around them), facets with totals, syndicated copies
folded under their original, every list paged in the database."""
from __future__ import annotations

import re

import pytest

from wirescope.query.search_view import MARK_CLOSE, MARK_OPEN
from wirescope.web.search import marked

HTML = {"accept": "text/html"}


def get(client, **params) -> str:
    r = client.get("/search", params=params, headers=HTML)
    assert r.status_code == 200, r.text[:300]
    return r.text


def section(html: str, name: str) -> str:
    return html.split(f'class="results {name}"')[1].split("</section>")[0]


def facet(html: str, name: str) -> dict[str, int]:
    block = html.split(f'data-facet="{name}"')[1].split("</section>")[0]
    return {label: int(n) for label, n in re.findall(r">([^<>]+)</(?:a|b)> <span class=\"muted\">\((\d+)\)", block)}


@pytest.mark.parametrize("value, expected", [
    (f"a {MARK_OPEN}hit{MARK_CLOSE} b", "a <mark>hit</mark> b"),
    (f"<b>{MARK_OPEN}x & y{MARK_CLOSE}</b>", "&lt;b&gt;<mark>x &amp; y</mark>&lt;/b&gt;"),
    (f"{MARK_OPEN}open", "<mark>open</mark>"),  # never left open
    (f"close{MARK_CLOSE} {MARK_OPEN}{MARK_OPEN}twice{MARK_CLOSE}{MARK_CLOSE}", "close <mark>twice</mark>"),
    ('"quoted" <script>', "&#34;quoted&#34; &lt;script&gt;"),
    (None, ""),
])
def test_marked_is_escaped_and_balanced(value, expected):
    assert str(marked(value)) == expected


def test_hits_are_marked_not_bracketed(ui_client):
    html = get(ui_client, q="convoy")
    docs = section(html, "documents")
    assert "<mark>convoy</mark>" in docs and "[convoy]" not in docs
    assert "<mark>" in section(html, "statements") or "No statement matches" in section(html, "statements")


def test_hostile_text_is_escaped_around_the_marks(client):
    html = get(client, q="pwned")
    docs = section(html, "documents")
    assert "<mark>pwned</mark>" in docs
    assert "<script" not in docs and "&lt;script&gt;" in docs
    assert html.count("<mark>") == html.count("</mark>")


def test_syndicated_copies_are_folded_under_their_original(ui_client):
    html = get(ui_client, q="convoy")
    assert "60 document(s)" in html  # 61 stored, the wire copy folded into its original
    assert section(html, "documents").count('class="document-result"') == 10
    pages = [section(get(ui_client, q="convoy", section="documents", page=page), "documents") for page in (1, 2)]
    folded = [li for listed in pages for li in listed.split('<li class="document-result">')[1:] if "syndicated cop" in li]
    assert len(folded) == 1 and "1 syndicated copy" in folded[0] and "Wire Service" in folded[0]
    assert all(listed.count("(wire copy)") == 0 for listed in pages)  # the copy is never listed on its own
    statements = get(ui_client, q="Northern Front has sheltered", section="statements")
    assert "20 statement(s)" in statements  # 21 stored: the copy's is folded into its original's
    assert section(statements, "statements").count("+1 syndicated copy") == 1


def test_facets_have_totals_and_narrow(ui_client):
    html = get(ui_client, q="convoy")
    outlets = facet(html, "outlet")
    assert outlets == {"Harbour Times": 20, "Valley Post": 20, "Port Gazette": 20, "Wire Service": 1}
    years = facet(html, "published")
    assert years == {"2021": 30, "2020": 30}
    narrowed = get(ui_client, q="convoy", outlet="Valley Post")
    assert "20 document(s)" in narrowed and "with the filters" in narrowed
    assert set(re.findall(r"Valley Post|Harbour Times|Port Gazette", section(narrowed, "documents"))) == {"Valley Post"}
    months = facet(get(ui_client, q="convoy", published="2021"), "published")
    assert sum(months.values()) == 30 and all(m.startswith("2021-") for m in months)
    actors = facet(get(ui_client, q="Coastal Brigade"), "type")
    assert actors == {"group": 1}


def test_every_list_is_paged(ui_client):
    first = get(ui_client, q="convoy", section="documents")
    second = get(ui_client, q="convoy", section="documents", page=2)
    ids = lambda html: re.findall(r'<li class="document-result"><a href="/documents/(doc_[0-9a-f]+)"',  # noqa: E731
                                  section(html, "documents"))
    assert len(set(ids(first))) == 50 and len(set(ids(second))) == 10
    assert not set(ids(first)) & set(ids(second))
    assert 'rel="next"' in first and 'page 1 of 2' in first
    assert 'rel="prev"' in second and 'rel="next"' not in second
    overview = get(ui_client, q="convoy")
    assert "All 60 documents, page by page" in overview
    past = get(ui_client, q="convoy", section="documents", page=9)
    assert "No document matches" in past


@pytest.mark.parametrize("params", [{"q": "convoy", "page": 0}, {"q": "convoy", "section": "everything"},
                                    {"q": "convoy", "published": "March"}, {"q": "x" * 501}])
def test_search_bounds(ui_client, params):
    assert ui_client.get("/search", params=params, headers=HTML).status_code == 422
