"""Drive real headless Chromium through the web UI over a demo knowledge base built from examples/.

Needs Debian's chromium (/usr/bin/chromium) and the Python `playwright` package (its own browser
download is not used). With CI=true a missing browser FAILS the test; locally it skips with the reason.
Screenshots go to ./screenshots/ (or $WIRESCOPE_SCREENSHOTS); the folder is printed.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("WIRESCOPE_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

EVIL_TITLE = '<script>document.title="pwned";window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
EVIL_ARTICLE = f"""---
title: '{EVIL_TITLE}'
url: 'javascript:window.__pwned=3'
outlet: '<b onmouseover="window.__pwned=4">Hostile Wire</b>'
published: 2021-03-18
---
KABUL (Hostile Wire) - <script>window.__pwned = 5; document.title = "pwned"</script>The Taliban said on Thursday that
<img src="x" onerror="window.__pwned = 6"> fighters had left the district. <a href="javascript:window.__pwned=7">Click here</a>
for the statement by the Taliban spokesman. <svg onload="window.__pwned = 8"></svg><iframe src="javascript:window.__pwned=9"></iframe>
"""


def _browser_or_reason() -> str | None:
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        return f"chromium not found at {CHROMIUM} (apt-get install -y chromium chromium-driver)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is not installed (pip install playwright)"
    return None


@pytest.fixture(scope="module")
def browser_needed():
    reason = _browser_or_reason()
    if reason:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true and the browser test cannot run: {reason}")
        pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(app):
    """(base URL, port) of `app` served by uvicorn on a free local port, for the with-block."""
    import uvicorn

    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "the server did not start"
    try:
        yield f"http://127.0.0.1:{port}", port
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def server(browser_needed, tmp_path_factory):
    """The demo knowledge base (examples/ + one hostile article) served on 127.0.0.1:<free port>."""
    from wirescope.api.app import create_app
    from wirescope.cli import run_ingest
    from wirescope.settings import Settings

    folder = tmp_path_factory.mktemp("browserkb")
    evil = folder / "hostile.txt"
    evil.write_text(EVIL_ARTICLE, encoding="utf-8")
    settings = Settings(db_url=f"sqlite:///{folder / 'demo.db'}")
    summary = run_ingest([str(ROOT / "examples"), str(evil)], settings)
    assert summary["failed"] == 0 and summary["stored"] == 9
    app = create_app(settings)
    with serving(app) as (url, _port):
        yield url, app


@pytest.fixture(scope="module")
def shots() -> Path:
    folder = Path(os.environ.get("WIRESCOPE_SCREENSHOTS") or ROOT / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots: {folder}")
    return folder


@pytest.fixture(scope="module")
def chromium(browser_needed):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


def _evil_doc_id(app) -> str:
    from sqlalchemy import select

    from wirescope.store import schema as S

    with app.state.ws.kb.engine.connect() as conn:
        return conn.execute(select(S.documents.c.id).where(S.documents.c.title == EVIL_TITLE)).scalar_one()


def test_click_from_search_to_evidence(server, chromium, shots):
    base, _ = server
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

    page.goto(base + "/")
    assert page.locator("h1").first.inner_text() == "Knowledge base"
    page.screenshot(path=str(shots / "01_home.png"), full_page=True)

    page.fill("header form.search input[name=q]", "Taliban")
    page.press("header form.search input[name=q]", "Enter")
    page.wait_for_url("**/search?q=Taliban")
    page.screenshot(path=str(shots / "02_search.png"), full_page=True)
    page.locator("a.actor-result", has_text="Taliban").first.click()
    page.wait_for_url("**/actors/ent_*")
    assert page.locator("h1").first.inner_text() == "Taliban"
    assert page.locator("#network svg.network circle").count() >= 2
    assert page.locator("#names table tbody tr").count() >= 1
    page.screenshot(path=str(shots / "03_actor.png"), full_page=True)

    page.locator("#relations a.rtype").first.click()
    page.wait_for_url("**/relations/**")
    assert "Supporting statements" in page.content()
    page.screenshot(path=str(shots / "04_relation.png"), full_page=True)
    evidence = page.locator("#support td a[href^='/documents/']").first
    quoted = page.locator("#support blockquote").first.inner_text()
    evidence.click()
    page.wait_for_url("**/documents/doc_*")
    focus = page.locator("#focus")
    assert focus.count() == 1 and focus.is_visible()
    assert focus.inner_text() in quoted  # the highlighted span is the quoted evidence (its first piece)
    assert page.locator("#doc-text a.hl-entity").count() >= 1
    page.screenshot(path=str(shots / "05_document.png"), full_page=True)

    page.goto(base + "/network")
    page.wait_for_selector("#cy[data-ready=true]")  # the interactive view (Cytoscape.js) took over
    assert page.evaluate("window.wirescopeNetwork.nodes().length") >= 3
    assert page.evaluate("window.wirescopeNetwork.edges().length") >= 2
    assert page.locator("#network-picture").is_hidden()  # the server-rendered picture stays in the page, hidden
    assert page.locator("svg.network circle").count() >= 3
    page.screenshot(path=str(shots / "06_network.png"), full_page=True)
    page.check("input[name=type][value=allied_with]")
    page.click("#network-filters button[type=submit]")
    page.wait_for_url("**/network?type=allied_with**")
    page.wait_for_selector("#cy[data-ready=true]")
    types = set(page.evaluate("window.wirescopeNetwork.edges().map(e => e.data('type'))"))
    assert types == {"allied_with"}

    page.goto(base + "/timeline")
    assert page.locator("svg.timeline g.event circle").count() >= 3
    page.screenshot(path=str(shots / "07_timeline.png"), full_page=True)
    assert dialogs == []
    page.close()


def test_pictures_render_without_javascript(server, chromium, shots):
    base, _ = server
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + "/network")
    assert page.locator("svg.network circle").count() >= 3
    page.goto(base + "/timeline")
    assert page.locator("svg.timeline circle").count() >= 3
    page.screenshot(path=str(shots / "08_timeline_nojs.png"), full_page=True)
    context.close()


def test_hostile_article_shows_as_text_and_runs_nothing(server, chromium, shots):
    base, app = server
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    dialogs, errors = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: errors.append(str(e)))
    doc_id = _evil_doc_id(app)
    for path in (f"/documents/{doc_id}", "/search?q=" + "%3Cscript%3Ewindow.__pwned%3D10%3C%2Fscript%3E",
                 "/search?q=Hostile", "/timeline", "/network", "/documents"):
        page.goto(base + path)
        for el in page.locator("a, span.outlet, .hl").all()[:60]:  # hovering must not fire handlers
            if el.is_visible():
                el.hover(timeout=2000, force=True)
        assert page.evaluate("typeof window.__pwned") == "undefined", path
        assert page.title() != "pwned", path
        # only our own files (app.js; on /network Cytoscape.js and network.js) and inert JSON data
        scripts = page.evaluate("Array.from(document.scripts).map(s => [s.getAttribute('src'), s.type])")
        assert ["/static/app.js", ""] in scripts, path
        assert all((src or "").startswith("/static/") or kind == "application/json" for src, kind in scripts), scripts
        assert page.locator("[onerror], [onload], [onmouseover], [onclick], iframe, img").count() == 0
        assert page.locator("a[href^='javascript:' i]").count() == 0
    page.goto(base + f"/documents/{doc_id}")
    assert page.title() == f"{EVIL_TITLE} · wirescope"  # the title is shown as text, verbatim
    assert page.locator("h1").first.inner_text() == EVIL_TITLE
    body = page.locator("#doc-text").inner_text()
    assert '<script>window.__pwned = 5; document.title = "pwned"</script>' in body
    assert '<a href="javascript:window.__pwned=7">Click here</a>' in body
    assert page.locator(".raw-url").inner_text() == "javascript:window.__pwned=3"
    page.screenshot(path=str(shots / "09_hostile_document.png"), full_page=True)
    assert dialogs == [] and errors == []
    page.close()
