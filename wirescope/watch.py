"""Following feeds: poll, ingest what is new, remember what was seen, stop cleanly.

`Watcher(sources, ...)` takes OPML lists (files or addresses), feed addresses and page addresses.
Each poll re-reads the lists, fetches every feed (conditional GET: ETag / Last-Modified, so an
unchanged feed costs one short request), and for each item not seen before fetches its page,
analyses it and stores it through `wirescope.flow.Ingest` (one transaction per document), the same
path as every other ingest. Feeds and pages are read by `wirescope.ingest`; the seen-items table
is kept by `wirescope.store.seen`.

What was seen is kept in the knowledge base (`seen_items`), so a restart picks up where it stopped:
- by address: an item whose normalised URL was stored (or found to be a copy) is not fetched again;
  one that failed is retried on later polls, up to `max_attempts` times;
- by content: a page whose text hash is already known (another address, a re-published item) is
  recorded as a duplicate and not analysed again.
An item is marked seen only after its document is stored; if the process dies in between, the next
poll fetches the page again and finds the document already stored (the document id is the hash of
its text), so nothing is stored twice.

`stop()` (called from SIGINT/SIGTERM handlers by `run()`) lets the current document finish its
transaction, then the loop ends; the wait between polls ends at once.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import signal
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from wirescope.errors import InputError, UsageError, WirescopeError
from wirescope.flow import Ingest
from wirescope.ingest.common import read_bytes
from wirescope.ingest.feeds import FeedItem, canonical_url, parse_feed, parse_opml
from wirescope.ingest.http import FetchOptions, Fetcher, Response, sniff_kind
from wirescope.model import Document
from wirescope.store import seen as seen_store

log = logging.getLogger(__name__)

_INTERVAL = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|s|sec|secs|m|min|mins|h|hr|hrs|d)?", re.I)
_UNIT = {None: 1, "ms": 0.001, "s": 1, "sec": 1, "secs": 1, "m": 60, "min": 60, "mins": 60, "h": 3600, "hr": 3600,
         "hrs": 3600, "d": 86400}


def parse_interval(text: str) -> float:
    """'15m' -> 900.0; '1h30m', '90s', '90' (seconds), '0.5s' are accepted."""
    raw = (text or "").strip().replace(" ", "")
    pos, total = 0, 0.0
    for m in _INTERVAL.finditer(raw):
        if m.start() != pos:
            break
        total += float(m.group(1)) * _UNIT[(m.group(2) or "").lower() or None]
        pos = m.end()
    if not raw or pos != len(raw) or total <= 0:
        raise UsageError("E103", name="--every", value=text,
                         reason="give a duration such as 30s, 15m, 1h or 1h30m")
    return total


@dataclass
class WatchOptions:
    every: float = 900.0  # seconds between polls
    max_attempts: int = 3  # tries for an item whose page keeps failing
    fetch: FetchOptions = field(default_factory=FetchOptions)


@dataclass
class PollStats:
    number: int = 0
    feeds: int = 0
    items: int = 0
    seen: int = 0
    stored: int = 0
    duplicates: int = 0
    failed: int = 0
    feed_errors: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        return (f"poll {self.number}: {self.feeds} feed(s), {self.items} item(s): {self.stored} stored, "
                f"{self.duplicates} duplicate(s), {self.failed} failed, {self.seen} seen before"
                + (f"; {self.feed_errors} source(s) could not be read" if self.feed_errors else "")
                + f" ({self.seconds:.1f}s)")


@dataclass
class _Source:
    """One thing to read in a poll: a feed (its items), or a page given directly."""
    url: str
    kind: str  # feed | page
    list_: str | None = None  # the OPML list it came from
    resp: Response | None = None  # the feed, when fetched already to tell what the address holds


class Watcher:
    def __init__(self, sources: list[str], kb, pipeline, options: WatchOptions | None = None,
                 fetcher: Fetcher | None = None, say: Callable[[str], None] | None = None,
                 on_error: Callable[[WirescopeError], None] | None = None,
                 on_stored: Callable[[Any], None] | None = None) -> None:
        if not sources:
            raise UsageError("E103", name="FEEDS", value="", reason="give at least one OPML list, feed or page address")
        self.sources = list(sources)
        self.kb = kb
        self.pipeline = pipeline
        self.options = options or WatchOptions()
        self.fetcher = fetcher or Fetcher(self.options.fetch)
        self.say = say or (lambda msg: log.info("%s", msg))
        self.on_error = on_error or (lambda exc: log.warning("%s", exc))
        self.on_stored = on_stored or (lambda analysis: None)
        self.flow = Ingest(kb, on_stored=lambda analysis, result: None)
        self._stop = threading.Event()
        self._validators: dict[str, dict[str, str]] = {}  # feed url -> ETag / Last-Modified
        self._feed_cache: dict[str, Response] = {}
        self._kinds: dict[str, str] = {}  # address -> "page" once known
        self.polls = 0
        self.totals = PollStats()

    # ---- control --------------------------------------------------------------------------------
    def stop(self) -> None:
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def run(self, once: bool = False, handle_signals: bool = True) -> PollStats:
        """Poll until stopped (or once); SIGINT/SIGTERM stop after the current document."""
        restore = self._install_signals() if handle_signals else {}
        try:
            while not self.stopping:
                self.poll()
                if once or self.stopping:
                    break
                self.say(f"next poll in {self.options.every:g}s")
                self._stop.wait(self.options.every)
        finally:
            for sig, handler in restore.items():
                signal.signal(sig, handler)
        if self.stopping:
            self.say("stopped; every stored document is complete")
        return self.totals

    def _install_signals(self) -> dict:
        if threading.current_thread() is not threading.main_thread():
            return {}
        previous = {}

        def handler(signum, _frame):  # noqa: ANN001
            if self.stopping and signum == signal.SIGINT:
                raise KeyboardInterrupt  # a second Ctrl-C: leave now (an open transaction rolls back)
            self.say(f"{signal.Signals(signum).name} received: finishing the current document, then stopping")
            self.stop()

        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                previous[sig] = signal.signal(sig, handler)
            except (ValueError, OSError):
                pass
        return previous

    # ---- one poll -------------------------------------------------------------------------------
    def poll(self) -> PollStats:
        self.polls += 1
        stats = PollStats(number=self.polls)
        started = time.monotonic()
        for source in self._expand(stats):
            if self.stopping:
                break
            if source.kind == "page":
                self._item(FeedItem(url=source.url, title=None, published=None, guid=None, content=None,
                                    feed=source.list_ or ""), None, stats)
                continue
            stats.feeds += 1
            for item in self._feed_items(source, stats):
                if self.stopping:
                    break
                self._item(item, source.url, stats)
        stats.seconds = time.monotonic() - started
        for name in ("feeds", "items", "seen", "stored", "duplicates", "failed", "feed_errors"):
            setattr(self.totals, name, getattr(self.totals, name) + getattr(stats, name))
        self.totals.number = self.polls
        self.say(stats.line())
        return stats

    def _expand(self, stats: PollStats) -> Iterator[_Source]:
        """The feeds and pages to read this poll; lists are re-read each time (they may change)."""
        done: set[str] = set()
        for raw in self.sources:
            if self.stopping:
                return
            if raw.lower().startswith(("http://", "https://")):
                if self._kinds.get(raw) == "page" or self._seen_page(raw):
                    if raw not in done:  # a page followed directly: no need to fetch it to know that
                        done.add(raw)
                        yield _Source(raw, "page")
                    continue
                try:
                    resp = self._get_feed(raw)
                except WirescopeError as exc:
                    stats.feed_errors += 1
                    self._error(exc, raw)
                    continue
                kind = "feed" if resp.status == 304 else sniff_kind(resp.content, resp.content_type)
                if kind == "opml":
                    try:
                        entries = parse_opml(resp.content, raw, base_url=resp.final_url)
                    except WirescopeError as exc:
                        stats.feed_errors += 1
                        self._error(exc, raw)
                        continue
                    for entry in entries:
                        if entry.url not in done:
                            done.add(entry.url)
                            yield _Source(entry.url, "feed", raw)
                elif kind == "feed":
                    if raw not in done:
                        done.add(raw)
                        yield _Source(raw, "feed", resp=resp)
                else:
                    self._kinds[raw] = "page"
                    if raw not in done:
                        done.add(raw)
                        yield _Source(raw, "page")
                continue
            path = Path(raw)
            try:
                data = read_bytes(path)
                kind = sniff_kind(data)
                if kind == "feed":  # a feed saved to a file: read afresh at each poll
                    if raw not in done:
                        done.add(raw)
                        yield _Source(raw, "feed", resp=Response(raw, raw, 200, {}, data))
                    continue
                if kind != "opml":
                    raise InputError("E215", path=raw, kind="OPML list of feeds",
                                     reason="watch follows OPML lists, feeds and http(s) addresses")
                entries = parse_opml(data, raw)
            except WirescopeError as exc:
                stats.feed_errors += 1
                self._error(exc, raw)
                continue
            for entry in entries:
                if entry.url not in done:
                    done.add(entry.url)
                    yield _Source(entry.url, "feed", raw)

    def _get_feed(self, url: str) -> Response:
        """Fetch a feed, asking for it only if it changed since the last poll of this process."""
        headers = dict(self._validators.get(url, {}))
        resp = self.fetcher.get(url, headers=headers)
        if resp.status == 304 and url in self._feed_cache:
            return self._feed_cache[url]
        if resp.status == 304:  # a validator without the copy it validates: ask again plainly
            resp = self.fetcher.get(url)
        validators = {}
        if resp.headers.get("etag"):
            validators["If-None-Match"] = resp.headers["etag"]
        if resp.headers.get("last-modified"):
            validators["If-Modified-Since"] = resp.headers["last-modified"]
        self._validators[url] = validators
        self._feed_cache[url] = resp
        return resp

    def _feed_items(self, source: _Source, stats: PollStats) -> list[FeedItem]:
        try:
            resp = source.resp or self._get_feed(source.url)
            feed = parse_feed(resp.content, source.url, base_url=resp.final_url)
        except WirescopeError as exc:
            stats.feed_errors += 1
            self._error(exc, source.url)
            return []
        return feed.items

    # ---- one item -------------------------------------------------------------------------------
    def _item(self, item: FeedItem, feed: str | None, stats: PollStats) -> None:
        stats.items += 1
        key = item.key
        row = self._seen(key)
        if row is not None and (row["status"] != "failed" or row["attempts"] >= self.options.max_attempts):
            stats.seen += 1
            return
        attempts = (row["attempts"] if row is not None else 0) + 1
        doc = self._document(item)
        if isinstance(doc, WirescopeError):
            stats.failed += 1
            self._error(doc, key)
            self._remember(key, feed, None, None, "failed", attempts, doc.message)
            return
        digest = hashlib.sha256(doc.text.encode("utf-8", "surrogatepass")).hexdigest()
        known = self._seen_hash(digest)
        if known is not None or self.kb.has_document(doc.id):
            stats.duplicates += 1
            self._remember(key, feed, digest, known or doc.id, "duplicate", attempts, None)
            self.say(f"duplicate: {key} (same text as {known or doc.id})")
            return
        errors: list[WirescopeError] = []
        self.flow.on_error = errors.append  # the flow records the failure; the watch reports it below
        try:
            analysis = self.pipeline.analyse(doc)
        except WirescopeError as exc:
            errors.append(exc)
            self.kb.record_failure(key, exc.code, exc.message)
            analysis = None
        result = self.flow.store(analysis) if analysis is not None else None
        if result is None:
            exc = errors[-1]
            stats.failed += 1
            self.on_error(exc)
            self._remember(key, feed, digest, None, "failed", attempts, exc.message)
            return
        status = "stored" if result.stored else "duplicate"
        self._remember(key, feed, digest, doc.id, status, attempts, None)
        if result.stored:
            stats.stored += 1
            self.on_stored(analysis)
            self.say(f"stored: {doc.title or key} ({key})")
        else:
            stats.duplicates += 1

    def _document(self, item: FeedItem) -> Document | WirescopeError:
        from wirescope.ingest.feeds import item_document

        max_chars = getattr(getattr(self.pipeline, "settings", None), "max_chars", None)
        published = None
        anchor = getattr(getattr(self.pipeline, "settings", None), "published", None)
        if isinstance(anchor, dt.date):
            published = anchor.isoformat()
        return item_document(item, self.fetcher, published, max_chars)

    def _error(self, exc: WirescopeError, where: str) -> None:
        self.on_error(exc)
        self.kb.record_failure(where, exc.code, exc.message)

    # ---- the seen_items table ---------------------------------------------------------------------
    def _seen(self, key: str) -> dict | None:
        return seen_store.seen(self.kb.engine, key)

    def _seen_page(self, url: str) -> bool:
        row = self._seen(canonical_url(url))
        return row is not None and row["feed"] is None and row["status"] != "failed"

    def _seen_hash(self, digest: str) -> str | None:
        return seen_store.seen_hash(self.kb.engine, digest)

    def _remember(self, key: str, feed: str | None, digest: str | None, doc_id: str | None, status: str,
                  attempts: int, message: str | None) -> None:
        seen_store.remember(self.kb.engine, key, feed, digest, doc_id, status, attempts, message)


def seen_rows(kb) -> list[dict]:
    """Every row of seen_items (for status output and tests)."""
    return seen_store.seen_rows(kb.engine)
