"""The HTML pages: each renders from the same query functions, untrusted text stays text."""
from __future__ import annotations

import re

import pytest

from kbdata import MALICIOUS_TEXT

HTML = {"accept": "text/html"}


def page(client, path: str) -> str:
    r = client.get(path, headers=HTML)
    assert r.status_code == 200, r.text[:500]
    assert r.headers["content-type"].startswith("text/html")
    return r.text


@pytest.mark.parametrize("path, expected", [
    ("/", ["3</b> documents", "Northern Front denies sheltering brigade"]),
    ("/search?q=Mara%20Ellison", ["Mara Ellison", 'class="actor-result"']),
    ("/search?q=convoy", ["Northern Front denies sheltering brigade"]),
    ("/documents", ["Official says Northern Front shelters brigade fighters", "Valley Post"]),
    ("/network", ["<svg", 'class="picture network"', "harbors"]),
    ("/network?type=member_of", ["member of", "Mara Ellison"]),
    ("/timeline", ["<svg", 'class="picture timeline"', "ASSAULT", "SUPPORT"]),
    ("/timeline?entity=Port%20Selin", ["ASSAULT"]),
    ("/docs", ["/api/documents"]),
])
def test_pages_render(client, path, expected):
    html = page(client, path)
    for text in expected:
        assert text in html, text


def test_actor_page(client, ids):
    html = page(client, f"/actors/{ids['Northern Front']}")
    for text in ("Names and aliases", "Harbour Times", "Valley Post", "Statements about Northern Front",
                 f"/relations/{ids['Northern Front']}/harbors/{ids['Coastal Brigade']}", 'class="picture network"',
                 f'href="/api/actors/{ids["Northern Front"]}">JSON</a>'):
        assert text in html, text


def test_actor_by_name_redirects_to_its_id(client, ids):
    r = client.get("/actors/Mara%20Ellison", headers=HTML, follow_redirects=False)
    assert r.status_code == 307 and r.headers["location"] == f"/actors/{ids['Mara Ellison']}"


def test_relation_page_shows_both_sides_with_evidence(client, ids):
    html = page(client, f"/relations/{ids['Northern Front']}/harbors/{ids['Coastal Brigade']}")
    support, against = html.split('id="against"')
    assert "The Northern Front has sheltered fighters of the Coastal Brigade since March" in support
    assert "Harbour Times" in support and "2021-05-02" in support
    assert "the group shelters the Coastal Brigade" in against and "Mara Ellison" in against
    assert f"/documents/{ids['shelter']}?focus=" in support  # evidence links into the article


def test_document_page_highlights_and_links(client, ids):
    html = page(client, f"/documents/{ids['denial']}?focus=0-12")
    body = html.split('id="doc-text">')[1].split("</div>")[0]
    # removing the markup gives the article back exactly (escaped once)
    assert re.sub(r"<[^>]+>", "", body) == (
        "Mara Ellison, a spokeswoman for the Northern Front, denied that the group shelters the Coastal Brigade. "
        "On Monday the Coastal Brigade attacked a convoy near Port Selin, police said.")
    for kb_id in (ids["Mara Ellison"], ids["Northern Front"], ids["Coastal Brigade"], ids["Port Selin"], ids["police"]):
        assert f'href="/actors/{kb_id}"' in body
    assert 'id="focus"' in body and "hl-statement" in body and "hl-event" in body and "hl-time" in body


def test_malicious_article_is_shown_as_text(client, ids):
    html = page(client, f"/documents/{ids['malicious']}")
    assert "<script>window" not in html and "<img" not in html and "<iframe" not in html and "<svg onload" not in html
    tags = re.findall(r"<[a-zA-Z][^<>]*>", html)  # real tags only: escaped text starts with &lt;
    assert not [t for t in tags if re.search(r"\son[a-z]+\s*=", t, re.I)]
    assert not [t for t in tags if re.search(r"(href|src)\s*=\s*[\"']?\s*javascript:", t, re.I)]
    assert [t for t in tags if t.startswith("<script")] == ['<script src="/static/app.js" defer>']
    assert "&lt;script&gt;window.__pwned = 1;" in html  # the title, escaped
    assert "&lt;img src=" in html
    assert 'class="raw-url">javascript:window.__pwned=1<' in html  # the URL is shown, never linked
    body = html.split('id="doc-text">')[1].split("</div>")[0]
    assert re.sub(r"<[^>]+>", "", body).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&") == MALICIOUS_TEXT


@pytest.mark.parametrize("path", ["/network", "/network.svg", "/timeline.svg", "/search?q=Coastal"])
def test_malicious_actor_name_is_escaped_everywhere(client, path):
    html = client.get(path, headers=HTML).text
    assert "Coastal Brigade <script>" not in html
    assert "Coastal Brigade &lt;script&gt;" in html


def test_svg_endpoints(client):
    for path in ("/network.svg", "/timeline.svg"):
        r = client.get(path)
        assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
        assert r.text.startswith("<svg") and r.text.endswith("</svg>")


def test_security_headers_and_static_files(client):
    r = client.get("/", headers=HTML)
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "object-src 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert client.get("/static/style.css").headers["content-type"].startswith("text/css")
    # answers from the knowledge base stay out of caches; static files may be cached
    assert r.headers["cache-control"] == "no-store" and client.get("/api/stats").headers["cache-control"] == "no-store"
    assert client.get("/static/style.css").headers["cache-control"] == "public, max-age=3600"
    js = client.get("/static/app.js")
    assert js.status_code == 200 and "addEventListener" in js.text


def test_pages_reference_no_external_assets(client, ids):
    for path in ("/", f"/documents/{ids['shelter']}", "/network", "/timeline", "/docs"):
        html = page(client, path)
        assert not re.search(r'(src|href)="(https?:)?//', html.replace('href="https://example.org', "")), path


def test_json_links_on_pages_answer(client, ids):
    """The pages link to the JSON of what they show; each link answers 200 with JSON."""
    for path in (f"/actors/{ids['Northern Front']}", f"/documents/{ids['denial']}",
                 f"/relations/{ids['Northern Front']}/harbors/{ids['Coastal Brigade']}"):
        links = re.findall(r'href="(/api/[^"]+)">JSON</a>', page(client, path))
        assert len(links) == 1, path
        r = client.get(links[0])
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
