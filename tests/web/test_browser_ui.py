"""Real headless Chromium through the analyst's workbench: the interactive network (Cytoscape.js
renders, a click expands a node, filters, the shortest path), pages of results, merge and split with
the write token, and the server's refusals (a foreign Host name, writes without the token, a form
posted from another site).

Needs Debian's chromium, the Python playwright package and Cytoscape.js installed by
`pip install -e .` (npm). With CI=true anything missing FAILS; locally the tests skip with the reason.
"""
from __future__ import annotations

import json
import os
import sys
import threading
import time
from pathlib import Path

import pytest

from test_browser import ARGS, CHROMIUM, _browser_or_reason, serving

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "browser-token-" + "k" * 40
VENDOR = ROOT / "wirescope" / "web" / "static" / "vendor" / "cytoscape.min.js"
GROUPS = {"Northern Front", "Coastal Brigade", "Delta Legion", "Eastern Guard"}


@pytest.fixture(scope="module")
def ready():
    reason = _browser_or_reason()
    if reason is None and not VENDOR.is_file():
        reason = f"Cytoscape.js is not installed ({VENDOR}): run `pip install -e .` with npm available"
    if reason:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true and the browser test cannot run: {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def server(ready, tmp_path_factory):
    """The uidata knowledge base served with writes on, on 127.0.0.1:<free port>."""
    for folder in ("api", "api/ui"):  # uidata.py and the helpers it uses
        if str(ROOT / "tests" / folder) not in sys.path:
            sys.path.insert(0, str(ROOT / "tests" / folder))
    from uidata import ui_reports

    from wirescope.api.app import create_app
    from wirescope.flow import open_kb
    from wirescope.settings import Settings

    url = f"sqlite:///{tmp_path_factory.mktemp('browserui') / 'kb.db'}"
    with open_kb(url) as kb:
        for analysis in ui_reports():
            kb.save(analysis)
    app = create_app(Settings(db_url=url), allow_writes=True, token=TOKEN, pipeline_factory=lambda: None)
    with serving(app) as (url, port):
        yield url, port, app


@pytest.fixture(scope="module")
def browser(ready):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        # evil.example resolves to this machine: a page on it is what DNS rebinding would give an attacker
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                              args=[*ARGS, "--host-resolver-rules=MAP evil.example 127.0.0.1"])
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 1300})  # the whole graph on screen
    tab = context.new_page()
    tab.problems = []  # uncaught errors and Content-Security-Policy refusals
    tab.on("pageerror", lambda e: tab.problems.append(str(e)))
    tab.on("console", lambda m: tab.problems.append(m.text) if m.type == "error" and "Security Policy" in m.text else None)
    yield tab
    context.close()


def shots() -> Path:
    folder = Path(os.environ.get("WIRESCOPE_SCREENSHOTS") or ROOT / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def network(page, expr: str):
    return page.evaluate(f"(() => {{ const cy = window.wirescopeNetwork; return {expr}; }})()")


def until(page, expr: str, timeout: float = 15.0):
    """Wait until a JavaScript expression (over `cy`) is truthy. Polled with evaluate: the page's
    Content-Security-Policy (no eval) refuses Playwright's own wait_for_function."""
    deadline = time.monotonic() + timeout
    while True:
        value = network(page, expr)
        if value or time.monotonic() > deadline:
            assert value, f"still false after {timeout} s: {expr}"
            return value
        time.sleep(0.05)


def click_node(page, name: str) -> None:
    """A real mouse click where Cytoscape drew the node (inside the view, on screen)."""
    x, y, inside = page.evaluate("""(name) => {
        const node = window.wirescopeNetwork.nodes().filter(n => n.data('name') === name)[0];
        const at = node.renderedPosition(), box = document.getElementById('cy').getBoundingClientRect();
        const x = box.left + at.x, y = box.top + at.y;
        return [x, y, x > box.left && x < box.right && y > box.top && y < box.bottom && y < window.innerHeight];
    }""", name)
    assert inside, f"{name} is drawn outside the view"
    page.mouse.click(x, y)


def test_the_graph_renders_with_cytoscape(server, page):
    base, _, _ = server
    page.goto(base + "/network")
    page.wait_for_selector("#cy[data-ready=true]")
    assert page.locator("#cy canvas").count() >= 1  # Cytoscape drew on its canvases
    assert page.locator("#network-picture").is_hidden() and page.locator("#cy").is_visible()
    assert set(network(page, "cy.nodes().map(n => n.data('name'))")) == GROUPS  # no "fighters"
    edges = network(page, "cy.edges().map(e => [e.data('type'), e.data('label'), e.style('line-color')])")
    assert {t for t, _, _ in edges} == {"harbors", "allied_with", "funds"}
    assert all(label.startswith(t.replace("_", " ")) for t, label, _ in edges)  # every edge labelled
    assert len({colour for _, _, colour in edges}) == 3  # coloured by relation type
    legend = page.locator("#legend").inner_text()
    assert all(word in legend for word in ("person", "organization", "group", "location", "mostly denied"))
    page.screenshot(path=str(shots() / "ui_01_network.png"), full_page=True)
    assert page.problems == []


def test_a_click_expands_the_node(server, page):
    base, _, _ = server
    page.goto(base + "/network?entity=Northern%20Front")  # its one relation: it harbors Coastal Brigade
    page.wait_for_selector("#cy[data-ready=true]")
    assert set(network(page, "cy.nodes().map(n => n.data('name'))")) == {"Northern Front", "Coastal Brigade"}
    click_node(page, "Coastal Brigade")
    until(page, "cy.nodes().length === 3")
    assert "Delta Legion" in network(page, "cy.nodes().map(n => n.data('name'))")
    assert network(page, "cy.nodes('.expanded').map(n => n.data('name'))") == ["Coastal Brigade"]
    panel = page.locator("#selection").inner_text()
    assert "Coastal Brigade" in panel and "Added 1 actor" in panel
    assert page.locator("#selection a", has_text="Open the actor page").get_attribute("href").startswith("/actors/ent_")
    click_node(page, "Delta Legion")
    until(page, "cy.nodes().length === 4")
    page.screenshot(path=str(shots() / "ui_02_expanded.png"), full_page=True)
    # a click on an edge shows its evidence link
    x, y = page.evaluate("""() => {
        const e = window.wirescopeNetwork.edges().filter(e => e.data('type') === 'funds')[0];
        const at = e.renderedMidpoint(), box = document.getElementById('cy').getBoundingClientRect();
        return [box.left + at.x, box.top + at.y];
    }""")
    page.mouse.click(x, y)
    page.wait_for_selector("#selection a[href^='/relations/']")
    assert "/funds/" in page.locator("#selection a[href^='/relations/']").get_attribute("href")
    # a double click on an actor opens its page (a while after the last click: two clicks in quick
    # succession anywhere are a double click to Cytoscape)
    page.wait_for_timeout(400)
    x, y = page.evaluate("""() => {
        const n = window.wirescopeNetwork.nodes().filter(n => n.data('name') === 'Eastern Guard')[0];
        const at = n.renderedPosition(), box = document.getElementById('cy').getBoundingClientRect();
        return [box.left + at.x, box.top + at.y];
    }""")
    with page.expect_navigation():
        page.mouse.dblclick(x, y)
    assert "/actors/ent_" in page.url and page.locator("h1").inner_text() == "Eastern Guard"
    assert page.problems == []


def test_filters_reload_the_graph(server, page):
    base, _, _ = server
    page.goto(base + "/network")
    page.wait_for_selector("#cy[data-ready=true]")
    page.check("#network-filters input[name=type][value=funds]")
    with page.expect_navigation():
        page.click("#network-filters button[type=submit]")
    assert "type=funds" in page.url
    page.wait_for_selector("#cy[data-ready=true]")
    assert network(page, "cy.edges().map(e => e.data('type'))") == ["funds"]
    assert set(network(page, "cy.nodes().map(n => n.data('name'))")) == {"Delta Legion", "Eastern Guard"}
    page.fill("#network-filters input[name=min_sources]", "99")
    with page.expect_navigation():
        page.click("#network-filters button[type=submit]")
    page.wait_for_selector("#cy[data-ready=true]")
    assert network(page, "cy.elements().length") == 0
    # filters carry into expanding: only funds relations come back
    page.goto(base + "/network?type=funds")
    page.wait_for_selector("#cy[data-ready=true]")
    click_node(page, "Delta Legion")
    page.wait_for_selector("#selection:not([hidden])")
    until(page, "!document.getElementById('cy').hasAttribute('data-busy')")
    assert set(network(page, "cy.edges().map(e => e.data('type'))")) == {"funds"}


def test_shortest_path_is_highlighted(server, page):
    base, _, _ = server
    page.goto(base + "/network?limit=1")  # only one relation drawn: the path brings the others in
    page.wait_for_selector("#cy[data-ready=true]")
    page.fill("#path-form input[name=from]", "Northern Front")
    page.fill("#path-form input[name=to]", "Eastern Guard")
    page.click("#path-form button[type=submit]")
    page.wait_for_selector("#path-result ol.path li")
    assert page.locator("#path-result ol.path li").count() == 3
    assert "from=Northern+Front" in page.url  # the address can be shared
    assert network(page, "cy.nodes('.path').map(n => n.data('name'))").__len__() == 4
    assert network(page, "cy.edges('.path').length") == 3
    assert page.locator("#cy").get_attribute("data-path").count("ent_") == 4
    page.screenshot(path=str(shots() / "ui_03_path.png"), full_page=True)
    page.fill("#path-form input[name=to]", "Nobody Known")
    page.click("#path-form button[type=submit]")
    page.wait_for_selector("#path-result .error-note")
    assert network(page, "cy.elements('.path').length") == 0
    assert page.problems == []


def test_pagination(server, page):
    base, _, _ = server
    page.goto(base + "/search?q=convoy")
    page.click("text=All 60 documents, page by page")
    page.wait_for_url("**section=documents**")
    first = page.locator("li.document-result > a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert len(first) == 50
    page.click("a[rel=next]")
    page.wait_for_url("**page=2**")
    second = page.locator("li.document-result > a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert len(second) == 10 and not set(first) & set(second)
    assert page.locator("mark").first.inner_text().lower() == "convoy"
    page.click("a[rel=prev]")
    page.wait_for_url(lambda url: "page=2" not in url)
    page.click("[data-facet=outlet] a:text('Valley Post')")
    page.wait_for_url("**outlet=Valley+Post**")
    assert "20 document(s)" in page.locator("p.summary").inner_text()
    page.goto(base + "/actors/Northern%20Front")
    page.click("#documents a.all")
    page.wait_for_url("**section=documents**")
    assert page.locator(".pager").get_attribute("data-pages") == "1"
    page.goto(page.url + "&limit=5")
    assert page.locator(".pager").get_attribute("data-pages") == "5"
    page.click("a[rel=next]")
    assert page.locator(".pager").get_attribute("data-page") == "2"


def test_search_export_downloads_the_selection(server, page):
    """Narrow a search with a facet, then click the STIX button: the download holds the documents the
    page lists (each page of them), not the neighbourhood of the first actor found."""
    base, _, _ = server
    page.goto(base + "/search?q=convoy")
    page.click("[data-facet=outlet] a:text('Valley Post')")
    page.wait_for_url("**outlet=Valley+Post**")
    listed = set()
    for number in (1, 2):
        page.goto(base + f"/search?q=convoy&outlet=Valley+Post&section=documents&page={number}")
        listed |= set(page.locator("li.document-result a").evaluate_all(
            "els => els.map(e => e.getAttribute('href').split('/').pop())"))
    page.goto(base + "/search?q=convoy&outlet=Valley+Post")
    with page.expect_download() as info:
        page.click("[data-export=search] a.export-stix")
    download = info.value
    assert download.suggested_filename == "wirescope-search-convoy.stix.json"
    bundle = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    reports = {o["x_wirescope_doc_id"] for o in bundle["objects"] if o["type"] == "report"}
    assert len(listed) == 20 and reports == listed
    assert not page.problems, page.problems


def test_merge_and_split_with_the_token(server, page):
    base, _, app = server
    page.goto(base + "/actors/Coastal%20Brigade")
    page.fill("form.merge-form input[name=other]", "Delta Legion")
    page.fill("form.merge-form input[name=note]", "the same group")
    page.fill("form.merge-form input[name=token]", "not the token")
    page.click("form.merge-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("section.error").get_attribute("data-code") == "E503"
    page.go_back()
    page.fill("form.merge-form input[name=other]", "Delta Legion")
    page.fill("form.merge-form input[name=token]", TOKEN)
    page.click("form.merge-form button[type=submit]")
    page.wait_for_url("**done=merged**")
    assert "Merged" in page.locator("#flash").inner_text()
    assert "Delta Legion" in page.locator("#history li").first.inner_text()
    page.screenshot(path=str(shots() / "ui_04_merged.png"), full_page=True)
    # the token is remembered for this tab: the split form is filled in
    assert page.input_value("form.split-form input[name=token]") == TOKEN
    page.fill("form.split-form input[name=names]", "Delta Legion")
    page.click("form.split-form button[type=submit]")
    page.wait_for_url("**done=split**")
    assert page.locator("h1").inner_text() == "Delta Legion"
    history = page.locator("#history li").all_inner_texts()
    assert any("split" in h for h in history) and any("merge" in h for h in history)
    from wirescope.store import audit

    with app.state.ws.kb.engine.connect() as conn:
        assert [e["action"] for e in audit.entries(conn, limit=2)] == ["split", "merge"]


def test_the_server_refuses_what_it_should(server, page):
    base, port, _ = server
    # a foreign host name (DNS rebinding): answered with the error, nothing of the knowledge base
    response = page.goto(f"http://evil.example:{port}/api/actors")
    assert response.status == 400 and '"E506"' in page.content() and "Northern Front" not in page.content()
    # writes without the token, from the page's own script
    page.goto(base + "/")
    status = page.evaluate("""async () => (await fetch('/api/actors/merge', {method: 'POST',
        headers: {'content-type': 'application/json'}, body: JSON.stringify({keep: 'a', drop: 'b'})})).status""")
    assert status == 401
    # a form posted from a page of another site (another port is another origin), even with the right token
    attacker = attacker_site(f"""<form method="post" action="{base}/actors/Coastal%20Brigade/merge">
        <input name="other" value="Eastern Guard"><input name="token" value="{TOKEN}"><button>go</button></form>""")
    try:
        page.goto(attacker)
        page.click("button")
        page.wait_for_url(base + "/**")
        assert page.locator("section.error").get_attribute("data-code") == "E505"
    finally:
        attacker.server.shutdown()  # type: ignore[attr-defined]
    page.goto(base + "/api/actors/Eastern%20Guard")
    assert json.loads(page.locator("pre").inner_text())["entity"]["name"] == "Eastern Guard"  # not merged


class _Site(str):
    server: object


def attacker_site(html: str) -> _Site:
    """A page served from another origin (http://127.0.0.1:<another port>/)."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    body = html.encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("content-type", "text/html")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site = _Site(f"http://127.0.0.1:{server.server_address[1]}/")
    site.server = server
    return site
