"""`wirescope watch`: new feed items on the next poll, nothing twice, memory across restarts, failing
pages reported without stopping, a clean stop on SIGTERM. Feeds and pages come from a local HTTP
server (newsserver.py); each test builds its own SQLite knowledge base in tmp_path."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from newsserver import NewsServer, article, opml, rss, when
from wirescope.errors import UsageError, WirescopeError
from wirescope.ingest.http import FetchOptions
from wirescope.watch import Watcher, WatchOptions, parse_interval, seen_rows
from wirescope.store import schema as S
from wirescope.flow import open_kb

ROOT = Path(__file__).resolve().parents[2]

PAGES = {
    "/news/raid.html": ("Troops raid compound near Jalalabad",
                        "Special forces raided a compound near Jalalabad before dawn on Tuesday, detaining three "
                        "men suspected of planning attacks, the provincial governor's office said.\nA spokesman "
                        "said weapons and explosives had been found at the site and that no civilians were hurt."),
    "/news/border.html": ("Border crossing reopens after two weeks",
                          "The main border crossing between the two countries reopened on Wednesday after a closure "
                          "of two weeks, customs officials said.\nHundreds of lorries had been waiting on both sides, "
                          "a trader at the crossing told reporters."),
    "/news/election.html": ("Commission delays provincial elections",
                            "The election commission said on Thursday that provincial elections would be delayed by "
                            "three months because of security concerns.\nA commission spokeswoman said the new date "
                            "would be announced after consultations with the political parties."),
    "/news/aid.html": ("Aid convoy reaches besieged town",
                       "An aid convoy carrying food and medicine reached the besieged town of Zaranj on Friday, "
                       "the World Food Programme said.\nThe agency said it was the first delivery in six weeks."),
}
DATE = "Fri, 19 Mar 2021 08:00:00 GMT"
FAST = FetchOptions(timeout=1.0, max_bytes=300_000, retries=1, backoff=0.01, max_backoff=0.02)


def feed_of(server, paths):
    return rss("Frontier Dispatch", [(PAGES[p][0] if p in PAGES else p, p, DATE) for p in paths], base=server.base)


@pytest.fixture()
def site():
    with NewsServer() as server:
        server.add("/robots.txt", b"User-agent: *\nDisallow: /private/\n", content_type="text/plain")
        for path, (title, body) in PAGES.items():
            server.add(path, article(title, body))
        server.add("/feed.rss", feed_of(server, ["/news/raid.html", "/news/border.html"]),
                   content_type="application/rss+xml", etag='"v1"')
        yield server


@pytest.fixture()
def db(tmp_path):
    return f"sqlite:///{tmp_path / 'kb.db'}"


class Log:
    def __init__(self):
        self.lines: list[str] = []
        self.errors: list[WirescopeError] = []

    def say(self, line):
        self.lines.append(line)

    def error(self, exc):
        self.errors.append(exc)


def make(sources, db, pipeline, log, **options):
    kb = open_kb(db)
    opts = WatchOptions(every=options.pop("every", 0.05), fetch=FAST, **options)
    return kb, Watcher(sources, kb, pipeline, opts, say=log.say, on_error=log.error)


def documents(kb):
    with kb.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(S.documents)).scalar_one()


def test_new_item_on_next_poll_and_nothing_twice(site, db, pipeline):
    log = Log()
    kb, watcher = make([site.url("/feed.rss")], db, pipeline, log)
    first = watcher.poll()
    assert (first.stored, first.seen, first.failed) == (2, 0, 0)
    assert documents(kb) == 2
    # the feed gains an item
    site.routes["/feed.rss"].body = feed_of(site, ["/news/election.html", "/news/raid.html", "/news/border.html"])
    site.routes["/feed.rss"].etag = '"v2"'
    second = watcher.poll()
    assert (second.stored, second.seen, second.duplicates) == (1, 2, 0)
    third = watcher.poll()  # unchanged feed: answered 304, nothing new
    assert (third.stored, third.seen) == (0, 3)
    assert documents(kb) == 3
    for path in ("/news/raid.html", "/news/border.html", "/news/election.html"):
        assert site.count(path) == 1, f"{path} fetched {site.count(path)} times"
    rows = seen_rows(kb)
    assert sorted(r["url"] for r in rows) == sorted(site.url(p) for p in
                                                    ("/news/raid.html", "/news/border.html", "/news/election.html"))
    assert {r["status"] for r in rows} == {"stored"} and all(r["content_hash"] and r["doc_id"] for r in rows)
    assert any(line.startswith("poll 2:") and "1 stored" in line for line in log.lines)
    kb.close()


def test_restart_remembers_what_was_seen(site, db, pipeline):
    log = Log()
    kb, watcher = make([site.url("/feed.rss")], db, pipeline, log)
    assert watcher.poll().stored == 2
    kb.close()
    site.reset_hits()
    kb2, again = make([site.url("/feed.rss")], db, pipeline, log)  # a new process would do the same
    stats = again.poll()
    assert (stats.stored, stats.seen, stats.duplicates) == (0, 2, 0)
    assert site.count("/news/raid.html") == 0 and site.count("/news/border.html") == 0
    assert documents(kb2) == 2
    kb2.close()


def test_same_text_at_another_address_is_a_duplicate(site, db, pipeline):
    log = Log()
    kb, watcher = make([site.url("/feed.rss")], db, pipeline, log)
    watcher.poll()
    site.add("/mirror/raid-copy.html", site.routes["/news/raid.html"].body)
    site.routes["/feed.rss"].body = feed_of(site, ["/news/raid.html?utm_source=feed", "/mirror/raid-copy.html"])
    site.routes["/feed.rss"].etag = '"v3"'
    site.add("/news/raid.html?utm_source=feed", site.routes["/news/raid.html"].body)
    stats = watcher.poll()
    assert (stats.stored, stats.seen, stats.duplicates) == (0, 1, 1)  # the tracked link is the seen address
    assert site.count("/news/raid.html?utm_source=feed") == 0
    assert documents(kb) == 2
    mirror = [r for r in seen_rows(kb) if r["url"].endswith("/mirror/raid-copy.html")]
    assert mirror and mirror[0]["status"] == "duplicate" and mirror[0]["doc_id"]
    kb.close()


def test_failing_pages_are_reported_without_stopping(site, db, pipeline):
    site.add("/news/broken.html", b"oops", status=500, content_type="text/plain")
    site.add("/news/slow.html", article("Slow", PAGES["/news/aid.html"][1]), delay=2.5)
    site.add("/private/memo.html", article("Memo", PAGES["/news/aid.html"][1]))
    site.add("/news/report.pdf", b"%PDF-1.5\n", content_type="application/pdf")
    site.routes["/feed.rss"].body = feed_of(site, ["/news/broken.html", "/news/slow.html", "/private/memo.html",
                                                   "/news/report.pdf", "/news/aid.html"])
    log = Log()
    kb, watcher = make([site.url("/feed.rss"), site.url("/gone.rss")], db, pipeline, log, max_attempts=2)
    stats = watcher.poll()
    assert (stats.stored, stats.failed, stats.feed_errors) == (1, 4, 1)
    assert sorted(e.code for e in log.errors) == ["E211", "E211", "E211", "E212", "E214"]
    assert site.count("/private/memo.html") == 0
    with kb.engine.connect() as conn:
        failures = conn.execute(select(S.failures.c.source, S.failures.c.code)).all()
    assert len(failures) == 5 and {c for _, c in failures} == {"E211", "E212", "E214"}
    failed = {r["url"]: r for r in seen_rows(kb) if r["status"] == "failed"}
    assert len(failed) == 4 and all(r["attempts"] == 1 and r["message"] for r in failed.values())
    # failed pages are tried again on the next poll, up to max_attempts
    site.routes["/news/broken.html"].status = 200
    site.routes["/news/broken.html"].body = article("Fixed", PAGES["/news/election.html"][1])
    site.routes["/news/broken.html"].content_type = "text/html"
    second = watcher.poll()
    assert second.stored == 1 and second.failed == 3
    before = site.count("/news/report.pdf")
    third = watcher.poll()
    assert third.failed == 0 and third.stored == 0 and site.count("/news/report.pdf") == before
    assert documents(kb) == 2
    kb.close()


def test_opml_list_and_page_sources(site, db, pipeline, tmp_path):
    site.add("/other.rss", feed_of(site, ["/news/election.html"]), content_type="application/rss+xml")
    listing = tmp_path / "feeds.opml"
    listing.write_bytes(opml([("Main", site.url("/feed.rss")), ("Other", site.url("/other.rss"))]))
    log = Log()
    kb, watcher = make([str(listing), site.url("/news/aid.html")], db, pipeline, log)
    stats = watcher.poll()
    assert (stats.feeds, stats.stored) == (2, 4)
    site.reset_hits()
    again = watcher.poll()
    assert again.stored == 0 and site.count("/news/aid.html") == 0  # a page followed directly is known
    kb.close()


def test_stop_finishes_the_current_document(site, db, pipeline):
    log = Log()
    kb = open_kb(db)
    watcher = Watcher([site.url("/feed.rss")], kb, pipeline, WatchOptions(every=30, fetch=FAST),
                      say=log.say, on_error=log.error, on_stored=lambda analysis: watcher.stop())
    started = time.monotonic()
    totals = watcher.run(handle_signals=False)  # would poll every 30s; stop() ends it at once
    assert time.monotonic() - started < 20
    assert totals.stored == 1 and documents(kb) == 1
    assert site.count("/news/border.html") == 0  # the next item was not started
    row = seen_rows(kb)[0]
    assert row["status"] == "stored"
    with kb.engine.connect() as conn:
        ents = conn.execute(select(func.count()).select_from(S.doc_entities)
                            .where(S.doc_entities.c.doc_id == row["doc_id"])).scalar_one()
    assert ents > 0  # stored whole: the document with its layers
    assert any("stopped" in line for line in log.lines)
    kb.close()


def test_wait_between_polls_ends_on_stop(site, db, pipeline):
    log = Log()
    kb, watcher = make([site.url("/feed.rss")], db, pipeline, log, every=60)
    thread = threading.Thread(target=watcher.run, kwargs={"handle_signals": False})
    thread.start()
    assert when(lambda: any(line.startswith("next poll") for line in log.lines), 60)
    watcher.stop()
    thread.join(5)
    assert not thread.is_alive()
    kb.close()


INTERVALS = [("15m", 900), ("30s", 30), ("1h", 3600), ("1h30m", 5400), ("90", 90), ("0.5s", 0.5), ("2 h", 7200)]


@pytest.mark.parametrize("text,seconds", INTERVALS)
def test_parse_interval(text, seconds):
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["", "soon", "15x", "0s", "-5m", "m15"])
def test_bad_interval(text):
    with pytest.raises(UsageError) as info:
        parse_interval(text)
    assert info.value.code == "E103"


def test_cli_watch_once(site, db, monkeypatch, capsys, pipeline):
    from wirescope.cli import main

    monkeypatch.setenv("WIRESCOPE_FETCH_TIMEOUT", "1")
    monkeypatch.setenv("WIRESCOPE_FETCH_RETRIES", "0")
    code = main(["watch", site.url("/feed.rss"), "--once", "--db", db])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "poll 1:" in err and "2 stored" in err
    code = main(["watch", site.url("/feed.rss"), "--once", "--db", db])
    assert code == 0 and "0 stored" in capsys.readouterr().err
    assert main(["watch", site.url("/feed.rss"), "--every", "soon", "--db", db]) == 2


def test_sigterm_stops_cleanly_after_the_current_document(site, tmp_path):
    """A real process: SIGTERM while a page is being fetched lets that document be stored whole."""
    site.add("/news/slowish.html", article("Late report", PAGES["/news/aid.html"][1]), delay=1.5)
    site.routes["/feed.rss"].body = feed_of(site, ["/news/slowish.html", "/news/raid.html"])
    path = tmp_path / "kb.db"
    env = {**os.environ, "WIRESCOPE_FETCH_TIMEOUT": "10", "WIRESCOPE_FETCH_RETRIES": "0", "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "wirescope", "watch", site.url("/feed.rss"), "--every", "1h",
                             "--db", str(path)], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert when(lambda: site.count("/news/slowish.html") > 0, 120), "the watch never reached the page"
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    text = err.decode("utf-8", "replace")
    assert proc.returncode == 0, text
    assert "SIGTERM received" in text and "stopped" in text
    kb = open_kb(f"sqlite:///{path}")
    rows = seen_rows(kb)
    assert [r["status"] for r in rows] == ["stored"] and rows[0]["url"].endswith("/news/slowish.html")
    assert documents(kb) == 1 and kb.has_document(rows[0]["doc_id"])
    assert site.count("/news/raid.html") == 0
    kb.close()
