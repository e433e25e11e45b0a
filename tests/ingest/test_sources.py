"""Readers beyond files: web pages, RSS/Atom feeds, OPML lists and WARC archives, served from a local
HTTP server that the tests start on 127.0.0.1 (newsserver.py). Timeouts and backoff are short here."""
from __future__ import annotations

import gzip
import io
import time

import pytest

from newsserver import NewsServer, article, atom, opml, rss
from wirescope.errors import InputError, WirescopeError
from wirescope.ingest import feeds, readers
from wirescope.ingest.http import Fetcher, FetchOptions, read_url, sniff_kind
from wirescope.model import Document

STORIES = {
    "/world/checkpoint.html": ("Militants attack checkpoint in Kunduz", "2021-03-18",
                               "Militants attacked a police checkpoint on the outskirts of Kunduz on Wednesday night, "
                               "killing four officers, provincial officials said.\nThe attackers fled before "
                               "reinforcements arrived, according to a spokesman for the provincial police, who "
                               "said an investigation was under way.\nNo group has claimed responsibility for the "
                               "attack, the third on the city's checkpoints this month."),
    "/world/talks.html": ("Delegations resume talks in Doha", "2021-03-19",
                          "Negotiators from both sides resumed talks in Doha on Thursday after a pause of two weeks, "
                          "a diplomat familiar with the process said.\nThe diplomat, who spoke on condition of "
                          "anonymity, said the agenda included a ceasefire and the release of prisoners.\nA "
                          "spokesman for the delegation said the talks had been constructive."),
    "/world/floods.html": ("Floods displace thousands in Sindh", "2021-03-20",
                           "Heavy rains flooded villages across Sindh province on Friday, forcing thousands of "
                           "families from their homes, the provincial disaster authority said.\nRelief officials "
                           "said boats had been sent to the worst-hit districts and that more rain was forecast.\n"
                           "The authority said at least 12 people had died since the rains began."),
}

ROBOTS = b"User-agent: *\nDisallow: /private/\nCrawl-delay: 0\n"


@pytest.fixture(scope="module")
def site():
    with NewsServer() as server:
        server.add("/robots.txt", ROBOTS, content_type="text/plain")
        for path, (title, date, body) in STORIES.items():
            server.add(path, article(title, body, date))
        items = [(t, p, "Fri, 19 Mar 2021 08:00:00 GMT") for p, (t, _, _) in STORIES.items()]
        server.add("/feeds/world.rss", rss("Frontier Dispatch World", items[:2], base=server.base),
                   content_type="application/rss+xml")
        server.add("/feeds/relative.rss", rss("Relative links", items[2:]), content_type="application/rss+xml")
        server.add("/feeds/region.atom", atom("Region desk", [(t, p, "2021-03-20T06:00:00Z") for t, p, _ in items[2:]],
                                              base=server.base), content_type="application/atom+xml")
        server.add("/feeds/all.opml", opml([("World", server.url("/feeds/world.rss")),
                                            ("Region", server.url("/feeds/region.atom"))]),
                   content_type="text/x-opml")
        server.add("/feeds/plain.xml", rss("Served as XML", items[:1], base=server.base),
                   content_type="text/xml")
        # hostile and broken pages
        server.add("/slow.html", article("Slow", "This page takes too long."), delay=3.0)
        server.add("/huge.html", b"", stream=30_000_000)
        server.add("/loop/a", b"", status=302, headers={"Location": "/loop/b"})
        server.add("/loop/b", b"", status=302, headers={"Location": "/loop/a"})
        server.add("/hop1", b"", status=301, headers={"Location": "/hop2"})
        server.add("/hop2", b"", status=302, headers={"Location": "/world/talks.html"})
        server.add("/error.html", b"internal error", status=500, content_type="text/plain")
        server.add("/flaky.html", article("Flaky", STORIES["/world/floods.html"][2]), fail_first=1)
        server.add("/report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", content_type="application/pdf")
        server.add("/logo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, content_type="image/png")
        server.add("/private/leak.html", article("Private", STORIES["/world/talks.html"][2]))
        server.add("/notes.txt", "KABUL (Reuters) - Officials said the road to Jalalabad reopened on Monday.\n",
                   content_type="text/plain; charset=utf-8")
        yield server


FAST = FetchOptions(timeout=0.6, max_bytes=400_000, max_redirects=4, retries=2, backoff=0.01, max_backoff=0.05)


@pytest.fixture()
def fetcher():
    with Fetcher(FAST) as f:
        yield f


@pytest.fixture(autouse=True)
def short_env(monkeypatch):
    """read_inputs builds its fetcher from the environment: keep it fast too."""
    monkeypatch.setenv("WIRESCOPE_FETCH_TIMEOUT", "0.6")
    monkeypatch.setenv("WIRESCOPE_FETCH_MAX_BYTES", "400000")
    monkeypatch.setenv("WIRESCOPE_FETCH_RETRIES", "2")
    monkeypatch.setenv("WIRESCOPE_FETCH_BACKOFF", "0.01")


def docs_and_errors(items):
    items = list(items)
    return [i for i in items if isinstance(i, Document)], [i for i in items if isinstance(i, WirescopeError)]


# ---- pages ----------------------------------------------------------------------------------------

def test_page_through_read_inputs(site):
    docs, errors = docs_and_errors(readers.read_inputs([site.url("/world/checkpoint.html")]))
    assert not errors and len(docs) == 1
    doc = docs[0]
    assert "police checkpoint on the outskirts of Kunduz" in doc.text
    assert "All rights reserved" not in doc.text and "Home" not in doc.text.split("\n")[0]
    assert doc.title == "Militants attack checkpoint in Kunduz"
    assert doc.url == site.url("/world/checkpoint.html")
    assert doc.published == "2021-03-18"
    assert doc.source == site.url("/world/checkpoint.html")


def test_user_agent_is_descriptive(site, fetcher):
    from wirescope import __version__

    site.reset_hits()
    fetcher.get(site.url("/world/talks.html"))
    agents = {ua for _, ua in site.hits}
    assert agents == {f"wirescope/{__version__} (+https://github.com/wirescope)"}


def test_redirects_are_followed_and_bounded(site, fetcher):
    resp = fetcher.get(site.url("/hop1"))
    assert resp.final_url == site.url("/world/talks.html") and resp.status == 200
    doc = next(read_url(site.url("/hop1"), fetcher=fetcher))
    assert isinstance(doc, Document) and doc.url == site.url("/world/talks.html")
    with Fetcher(FAST.with_(max_redirects=1)) as strict:
        with pytest.raises(InputError) as info:
            strict.get(site.url("/hop1"))
    assert info.value.code == "E211" and "redirects" in info.value.message


def test_plain_text_page(site, fetcher):
    doc = next(read_url(site.url("/notes.txt"), fetcher=fetcher))
    assert isinstance(doc, Document)
    assert doc.text.startswith("KABUL (Reuters)") and doc.dateline == "Kabul"


# (path, code, words in the message)
FAILURES = [
    ("/slow.html", "E211", "0.6s"),
    ("/huge.html", "E213", "400,000"),
    ("/loop/a", "E211", "redirect loop"),
    ("/error.html", "E211", "HTTP 500"),
    ("/report.pdf", "E214", "application/pdf"),
    ("/logo.png", "E214", "image/png"),
    ("/missing.html", "E211", "HTTP 404"),
    ("/private/leak.html", "E212", "robots.txt"),
]


@pytest.mark.parametrize("path,code,words", FAILURES, ids=[f[0] for f in FAILURES])
def test_failing_pages_are_per_item_errors(site, path, code, words):
    started = time.monotonic()
    items = list(readers.read_inputs([site.url(path), site.url("/world/talks.html")]))
    assert len(items) == 2
    error, doc = items
    assert isinstance(error, InputError) and error.code == code, error
    assert words in error.message
    assert isinstance(doc, Document), "a failing page must not stop the next input"
    assert time.monotonic() - started < 8


def test_slow_page_is_abandoned_quickly(site, fetcher):
    started = time.monotonic()
    with pytest.raises(InputError):
        fetcher.get(site.url("/slow.html"))
    # three attempts of 0.6s each and tiny backoffs, well before the server's 3s answer
    assert time.monotonic() - started < 2.9


def test_huge_page_download_is_stopped(site, fetcher):
    site.streamed_to_end = False
    with pytest.raises(InputError) as info:
        fetcher.get(site.url("/huge.html"))
    assert info.value.code == "E213"
    time.sleep(0.3)
    assert not site.streamed_to_end, "the client read the whole 30 MB instead of stopping"


def test_server_errors_are_retried_with_backoff(site):
    waits = []
    with Fetcher(FAST, sleep=waits.append) as f:
        site.reset_hits()
        with pytest.raises(InputError):
            f.get(site.url("/error.html"))
        assert site.count("/error.html") == FAST.retries + 1
        assert waits == [0.01, 0.02]  # doubled each time
        site.reset_hits()
        resp = f.get(site.url("/flaky.html"))  # 503 once, then the page
        assert resp.status == 200 and site.count("/flaky.html") == 2


def test_robots_txt_is_respected_and_read_once_per_host(site, fetcher):
    site.reset_hits()
    assert not fetcher.allowed(site.url("/private/leak.html"))
    assert fetcher.allowed(site.url("/world/talks.html"))
    for path in ("/world/talks.html", "/world/floods.html", "/private/leak.html"):
        try:
            fetcher.get(site.url(path))
        except InputError as exc:
            assert exc.code == "E212"
    paths = [p for p, _ in site.hits]
    assert "/private/leak.html" not in paths
    assert paths.count("/robots.txt") == 1


def test_missing_robots_allows_and_broken_robots_forbids():
    with NewsServer() as server:
        server.add("/a.html", article("A", STORIES["/world/talks.html"][2]))
        with Fetcher(FAST) as f:
            assert f.get(server.url("/a.html")).status == 200  # robots.txt is 404: allowed
    with NewsServer() as server:
        server.add("/robots.txt", b"down", status=503, content_type="text/plain")
        server.add("/a.html", article("A", STORIES["/world/talks.html"][2]))
        with Fetcher(FAST) as f:
            with pytest.raises(InputError) as info:
                f.get(server.url("/a.html"))
        assert info.value.code == "E212"
        assert server.count("/a.html") == 0


# ---- feeds and lists ------------------------------------------------------------------------------

def test_rss_feed_url(site):
    docs, errors = docs_and_errors(readers.read_inputs([site.url("/feeds/world.rss")]))
    assert not errors
    assert [d.url for d in docs] == [site.url("/world/checkpoint.html"), site.url("/world/talks.html")]
    assert all(d.outlet for d in docs)
    assert "resumed talks in Doha" in docs[1].text


def test_atom_feed_url(site):
    docs, errors = docs_and_errors(readers.read_inputs([site.url("/feeds/region.atom")]))
    assert not errors and len(docs) == 1
    assert docs[0].title == "Floods displace thousands in Sindh"


def test_feed_with_relative_links(site, fetcher):
    docs, errors = docs_and_errors(read_url(site.url("/feeds/relative.rss"), fetcher=fetcher))
    assert not errors and [d.url for d in docs] == [site.url("/world/floods.html")]


def test_feed_served_as_plain_xml(site):
    docs, errors = docs_and_errors(readers.read_inputs([site.url("/feeds/plain.xml")]))
    assert not errors and len(docs) == 1


def test_opml_url_and_file(site, tmp_path):
    docs, errors = docs_and_errors(readers.read_inputs([site.url("/feeds/all.opml")]))
    assert not errors and len(docs) == 3
    listing = tmp_path / "feeds.opml"
    listing.write_bytes(site.routes["/feeds/all.opml"].body)
    docs2, errors2 = docs_and_errors(readers.read_inputs([str(listing)]))
    assert not errors2 and sorted(d.id for d in docs2) == sorted(d.id for d in docs)


def test_feed_files(site, tmp_path):
    saved = tmp_path / "world.rss"
    saved.write_bytes(site.routes["/feeds/world.rss"].body)
    xml = tmp_path / "region.xml"
    xml.write_bytes(site.routes["/feeds/region.atom"].body)
    docs, errors = docs_and_errors(readers.read_inputs([str(saved), str(xml)]))
    assert not errors and len(docs) == 3


def test_feed_items_that_fail_are_reported_in_place(site):
    items = [("Good", "/world/checkpoint.html", "Fri, 19 Mar 2021 08:00:00 GMT"),
             ("Broken", "/error.html", "Fri, 19 Mar 2021 09:00:00 GMT"),
             ("Hidden", "/private/leak.html", "Fri, 19 Mar 2021 10:00:00 GMT"),
             ("Also good", "/world/floods.html", "Fri, 19 Mar 2021 11:00:00 GMT")]
    site.add("/feeds/mixed.rss", rss("Mixed", items, base=site.base), content_type="application/rss+xml")
    out = list(readers.read_inputs([site.url("/feeds/mixed.rss")]))
    assert [type(i).__name__ for i in out] == ["Document", "InputError", "InputError", "Document"]
    assert [getattr(i, "code", None) for i in out] == [None, "E211", "E212", None]


# (bytes, kind)
BROKEN_INPUTS = [
    (b"<opml version='2.0'><body><outline xmlUrl='x'", "opml"),
    (b"<html><body>not a feed</body></html>", "feed"),
    (b"", "opml"),
]


@pytest.mark.parametrize("data,kind", BROKEN_INPUTS)
def test_broken_lists_and_feeds(tmp_path, data, kind):
    path = tmp_path / ("in." + ("opml" if kind == "opml" else "rss"))
    path.write_bytes(data)
    out = list(readers.read_inputs([str(path)]))
    assert len(out) == 1 and isinstance(out[0], InputError) and out[0].code in ("E215", "E201")


SNIFF = [
    (b'<?xml version="1.0"?>\n<rss version="2.0"><channel/></rss>', "", "feed"),
    (b'<?xml version="1.0"?><!-- c --><feed xmlns="http://www.w3.org/2005/Atom"/>', "text/xml", "feed"),
    (b"<opml version='1.0'/>", "application/xml", "opml"),
    (b"<!DOCTYPE html><html><body>x</body></html>", "text/html", "html"),
    (b"plain words", "text/plain", "text"),
    (b"%PDF-1.4", "application/pdf", ""),
    (b"<root/>", "application/xml", ""),
]


@pytest.mark.parametrize("data,ctype,kind", SNIFF)
def test_sniff_kind(data, ctype, kind):
    assert sniff_kind(data, ctype) == kind


CANONICAL = [
    ("HTTPS://Example.ORG/a?utm_source=x&id=3#top", "https://example.org/a?id=3"),
    ("http://example.org", "http://example.org/"),
    ("http://example.org/a?fbclid=1", "http://example.org/a"),
    # courlan's normalisation: parameter order does not matter, default ports go
    ("https://example.org:443/a?z=1&b=2&mc_cid=9", "https://example.org/a?b=2&z=1"),
]


@pytest.mark.parametrize("url,expected", CANONICAL)
def test_canonical_url(url, expected):
    assert feeds.canonical_url(url) == expected


# ---- WARC -----------------------------------------------------------------------------------------

def _warc(path, compress: bool):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=compress)

        def response(uri, body, ctype="text/html; charset=utf-8", status="200 OK"):
            http = StatusAndHeaders(status, [("Content-Type", ctype), ("Content-Length", str(len(body)))],
                                    protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body),
                                                          http_headers=http))

        req = StatusAndHeaders("GET /world/checkpoint.html HTTP/1.1", [("Host", "news.test")], is_http_request=True)
        writer.write_record(writer.create_warc_record("https://news.test/world/checkpoint.html", "request",
                                                      payload=io.BytesIO(b""), http_headers=req))
        title, date, body = STORIES["/world/checkpoint.html"]
        response("https://news.test/world/checkpoint.html", article(title, body, date))
        response("https://news.test/gone.html", b"gone", status="404 Not Found")
        response("https://news.test/logo.png", b"\x89PNG\r\n\x1a\n", ctype="image/png")
        title, date, body = STORIES["/world/talks.html"]
        response("https://news.test/world/talks.html", article(title, body, date))
        writer.write_record(writer.create_warc_record("https://news.test/saved.html", "resource",
                                                      payload=io.BytesIO(article(*STORIES["/world/floods.html"][:1],
                                                                                 STORIES["/world/floods.html"][2])),
                                                      warc_content_type="text/html"))


@pytest.mark.parametrize("name,compress", [("crawl.warc.gz", True), ("crawl.warc", False)])
def test_warc_archive(tmp_path, name, compress):
    path = tmp_path / name
    _warc(path, compress)
    docs, errors = docs_and_errors(readers.read_inputs([str(path)], published="2021-01-01"))
    assert not errors
    assert [d.url for d in docs] == ["https://news.test/world/checkpoint.html", "https://news.test/world/talks.html",
                                     "https://news.test/saved.html"]
    assert docs[0].published == "2021-03-18" and "outskirts of Kunduz" in docs[0].text
    assert len({d.source for d in docs}) == 3 and all(d.source.startswith(str(path)) for d in docs)


def test_damaged_warc_keeps_what_came_before(tmp_path):
    good = tmp_path / "good.warc.gz"
    _warc(good, True)
    data = good.read_bytes()
    members = data.split(b"\x1f\x8b\x08")
    # keep the first three records whole, then a cut-off member
    cut = b"\x1f\x8b\x08".join(members[:4]) + b"\x1f\x8b\x08" + members[4][: len(members[4]) // 2]
    broken = tmp_path / "broken.warc.gz"
    broken.write_bytes(cut)
    out = list(readers.read_inputs([str(broken)]))
    assert isinstance(out[-1], InputError) and out[-1].code == "E215"
    assert any(isinstance(i, Document) for i in out[:-1])


def test_cut_off_plain_warc(tmp_path):
    good = tmp_path / "good.warc"
    _warc(good, False)
    data = good.read_bytes()
    cut = tmp_path / "cut.warc"
    cut.write_bytes(data[: data.rindex(b"resumed talks") ])  # inside the talks page's record
    out = list(readers.read_inputs([str(cut)]))
    assert [type(i).__name__ for i in out] == ["Document", "InputError"]
    assert out[-1].code == "E215" and "middle of record" in out[-1].message


def test_not_a_warc(tmp_path):
    path = tmp_path / "junk.warc.gz"
    path.write_bytes(gzip.compress(b"this is not an archive\n" * 10))
    out = list(readers.read_inputs([str(path)]))
    assert len(out) == 1 and isinstance(out[0], InputError) and out[0].code == "E215"
