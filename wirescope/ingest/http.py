"""Fetching web pages politely and safely, and reading an http(s) address into Documents.

`Fetcher.get(url)` is the one way wirescope downloads anything:
- a descriptive User-Agent ("wirescope/<version> (+https://github.com/wirescope)");
- robots.txt honoured (urllib.robotparser), read once per host and kept for a day; a robots.txt
  that is missing (4xx) allows everything, one that cannot be read (5xx, network) allows nothing,
  as RFC 9309 asks; a Crawl-delay is kept between requests to one host (at most `max_crawl_delay`);
- timeouts on connecting and reading, and a deadline on the whole download (a server that trickles
  bytes is cut off too);
- redirects followed by hand, at most `max_redirects`, each hop checked against robots.txt, a loop
  reported as such;
- the body streamed and the download stopped past `max_bytes` (E213), counted after decompression;
- retries with exponential backoff on 5xx, 429 and timeouts/connection errors (Retry-After honoured
  up to `max_backoff`).
Every failure is an InputError for that one address (E211 fetch, E212 robots, E213 size, E214 kind).

`read_url(url)` fetches an address and reads what it holds: an HTML article (through trafilatura,
`readers.read_html`), a plain-text article, an RSS/Atom feed (each item's page fetched and read), or
an OPML list of feeds.
"""
from __future__ import annotations

import functools
import logging
import os
import re
import threading
import time
from dataclasses import dataclass, field, replace
from typing import Callable, Iterator, Mapping
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

from wirescope import __version__
from wirescope.errors import ConfigError, InputError, WirescopeError
from wirescope.model import Document
from wirescope.settings import Environment

log = logging.getLogger(__name__)

REDIRECTS = (301, 302, 303, 307, 308)
HTML_TYPES = {"text/html", "application/xhtml+xml"}
FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+xml"}
OPML_TYPES = {"text/x-opml", "application/x-opml", "text/x-opml+xml", "application/x-opml+xml"}
XML_TYPES = {"text/xml", "application/xml"}
TEXT_TYPES = {"text/plain"}


def default_user_agent() -> str:
    return f"wirescope/{__version__} (+https://github.com/wirescope)"


@dataclass(frozen=True)
class FetchOptions:
    timeout: float = 20.0  # seconds: connect and read each, and the whole download
    max_bytes: int = 5_000_000  # stop a download past this many (decompressed) bytes
    max_redirects: int = 5
    retries: int = 2  # further attempts after a 5xx, 429 or timeout
    backoff: float = 1.0  # seconds before the first retry, doubled after each
    max_backoff: float = 30.0
    robots: bool = True
    robots_ttl: float = 86_400.0  # seconds a host's robots.txt is kept
    max_crawl_delay: float = 10.0
    user_agent: str = field(default_factory=default_user_agent)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> "FetchOptions":
        found = Environment.read(env)
        values = {name: getattr(found, f"fetch_{name}") for name in ("timeout", "max_bytes", "max_redirects",
                                                                     "retries", "backoff")}
        values = {k: v for k, v in values.items() if v is not None}
        values.update({k: v for k, v in overrides.items() if v is not None})
        for name in ("timeout", "max_bytes"):
            if name in values and float(values[name]) <= 0:  # type: ignore[arg-type]
                raise ConfigError("E103", name=name, value=values[name], reason="must be above zero")
        return cls(**values)  # type: ignore[arg-type]

    def with_(self, **changes: object) -> "FetchOptions":
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


@dataclass
class Response:
    url: str  # what was asked for
    final_url: str  # where it was found after redirects
    status: int
    headers: dict[str, str]
    content: bytes = b""

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        m = re.search(r"charset=([\w.:-]+)", self.headers.get("content-type", ""), re.I)
        return m.group(1) if m else None


class _Retry(Exception):
    def __init__(self, reason: str, wait: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.wait = wait


class Fetcher:
    """One HTTP client with its robots.txt cache. Thread-safe enough for one caller at a time."""

    def __init__(self, options: FetchOptions | None = None, client=None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        import httpx

        self.options = options or FetchOptions()
        t = self.options.timeout
        self._own_client = client is None
        self.client = client or httpx.Client(
            timeout=httpx.Timeout(t, connect=t, read=t, write=t, pool=t), follow_redirects=False,
            headers={"User-Agent": self.options.user_agent,
                     "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
                               "application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5"},
        )
        self.sleep = sleep
        self._robots: dict[str, tuple[float, RobotFileParser]] = {}
        self._last_hit: dict[str, float] = {}
        self._lock = threading.Lock()
        self.requests = 0  # requests sent, robots.txt included (for logs and tests)

    def close(self) -> None:
        if self._own_client:
            self.client.close()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- public ---------------------------------------------------------------------------------
    def get(self, url: str, headers: Mapping[str, str] | None = None) -> Response:
        """Fetch url (redirects followed); 200 and 304 come back, everything else raises InputError."""
        resp = self._fetch(url, headers, check_robots=self.options.robots)
        if resp.status >= 400:
            raise InputError("E211", url=url, reason=f"the server answered HTTP {resp.status}")
        return resp

    def allowed(self, url: str) -> bool:
        return self._robots_for(url).can_fetch(self.options.user_agent, url)

    def robots_url(self, url: str) -> str:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}/robots.txt"

    # ---- internals ------------------------------------------------------------------------------
    def _fetch(self, url: str, headers: Mapping[str, str] | None, check_robots: bool) -> Response:
        _check_address(url)
        current, seen = url, [url]
        for _hop in range(self.options.max_redirects + 1):
            if check_robots and not self.allowed(current):
                raise InputError("E212", url=current, robots=self.robots_url(current))
            resp = self._attempts(url, current, headers)
            if resp.status in REDIRECTS and resp.headers.get("location"):
                target = urljoin(current, resp.headers["location"].strip())
                _check_address(target, original=url)
                if target in seen:
                    raise InputError("E211", url=url, reason=f"redirect loop ({' -> '.join(seen + [target])})")
                seen.append(target)
                current = target
                continue
            return resp
        raise InputError("E211", url=url, reason=f"more than {self.options.max_redirects} redirects")

    def _attempts(self, url: str, current: str, headers: Mapping[str, str] | None) -> Response:
        attempt = 0
        while True:
            try:
                return self._once(url, current, headers)
            except _Retry as retry:
                if attempt >= self.options.retries:
                    raise InputError("E211", url=url, reason=retry.reason
                                     + (f" ({attempt + 1} attempts)" if attempt else "")) from None
                wait = retry.wait if retry.wait is not None else self.options.backoff * (2 ** attempt)
                wait = min(max(wait, 0.0), self.options.max_backoff)
                log.info("retrying %s in %.1fs: %s", current, wait, retry.reason)
                self.sleep(wait)
                attempt += 1

    def _polite(self, url: str) -> None:
        """Keep a host's Crawl-delay between two requests to it."""
        host = urlsplit(url).netloc
        delay = 0.0
        entry = self._robots.get(host)
        if entry is not None:
            found = entry[1].crawl_delay(self.options.user_agent)
            if found:
                delay = min(float(found), self.options.max_crawl_delay)
        with self._lock:
            last = self._last_hit.get(host)
            now = time.monotonic()
            if delay and last is not None and now - last < delay:
                self.sleep(delay - (now - last))
            self._last_hit[host] = time.monotonic()

    def _once(self, url: str, current: str, headers: Mapping[str, str] | None) -> Response:
        import httpx

        self._polite(current)
        self.requests += 1
        limit = self.options.max_bytes
        deadline = time.monotonic() + self.options.timeout
        try:
            with self.client.stream("GET", current, headers=dict(headers or {})) as r:
                status = r.status_code
                got = {k.lower(): v for k, v in r.headers.items()}
                if status >= 500 or status == 429:
                    raise _Retry(f"the server answered HTTP {status}", _retry_after(got.get("retry-after")))
                if status in REDIRECTS or status == 304 or status >= 400:
                    return Response(url, current, status, got)
                declared = got.get("content-length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise InputError("E213", url=url, limit=f"{limit:,}")
                chunks, total = [], 0
                for chunk in r.iter_bytes():
                    total += len(chunk)
                    if total > limit:
                        raise InputError("E213", url=url, limit=f"{limit:,}")
                    chunks.append(chunk)
                    if time.monotonic() > deadline:
                        raise _Retry(f"the download took longer than {self.options.timeout:g}s")
                return Response(url, str(r.url), status, got, b"".join(chunks))
        except httpx.TimeoutException:
            raise _Retry(f"no answer within {self.options.timeout:g}s") from None
        except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError) as exc:
            raise _Retry(_short(exc)) from None
        except httpx.HTTPError as exc:  # invalid URL, too many headers, decoding ...
            raise InputError("E211", url=url, reason=_short(exc)) from None

    def _robots_for(self, url: str) -> RobotFileParser:
        host = urlsplit(url).netloc
        now = time.monotonic()
        entry = self._robots.get(host)
        if entry is not None and entry[0] > now:
            return entry[1]
        parser = RobotFileParser()
        ttl = self.options.robots_ttl
        robots = self.robots_url(url)
        parser.set_url(robots)
        try:
            resp = self._fetch(robots, None, check_robots=False)
        except InputError as exc:
            log.warning("robots.txt of %s could not be read (%s): not fetching from it for now", host, exc.message)
            parser.disallow_all = True
            ttl = min(ttl, 600.0)
        else:
            if resp.status >= 400:
                parser.allow_all = True  # no robots.txt: everything is allowed
            else:
                text = resp.content.decode("utf-8", errors="replace")
                parser.parse(text.splitlines())
        self._robots[host] = (now + ttl, parser)
        return parser


def _retry_after(value: str | None) -> float | None:
    if value and value.strip().isdigit():
        return float(value.strip())
    return None


def _short(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:200]


def _check_address(url: str, original: str | None = None) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError("E211", url=original or url, reason=f"{url!r} is not an http(s) address")


@functools.lru_cache(maxsize=4)
def shared_fetcher(options: FetchOptions) -> Fetcher:
    """One fetcher per set of options for the life of the process, so robots.txt is read once per
    host across all the inputs of a run."""
    return Fetcher(options)


# ---- reading an address ----------------------------------------------------------------------------

_ROOT = re.compile(rb"<\s*([A-Za-z][\w.:-]*)")
_PROLOG = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*", re.S | re.I)


def sniff_kind(data: bytes, content_type: str = "") -> str:
    """'html', 'feed', 'opml', 'text' or '' (not something we read) from a content type and the bytes."""
    ctype = content_type.lower()
    if ctype in FEED_TYPES:
        return "feed"
    if ctype in OPML_TYPES:
        return "opml"
    head = data[:4096]
    prolog = _PROLOG.match(head)
    rest = head[prolog.end():] if prolog else head
    m = _ROOT.match(rest)
    root = m.group(1).decode("ascii", "replace").lower() if m else ""
    if root in ("rss", "feed", "rdf:rdf", "rdf"):
        return "feed"
    if root == "opml":
        return "opml"
    if ctype in HTML_TYPES or root in ("html", "head", "body", "div", "article", "p", "meta", "title"):
        return "html"
    if ctype in TEXT_TYPES:
        return "text"
    if ctype in XML_TYPES:
        return ""  # an XML document that is neither a feed nor a list
    if not ctype or ctype == "application/octet-stream":
        from wirescope.ingest.readers import sniff_binary

        if not sniff_binary(data):
            return "html" if rest.startswith(b"<") else "text"
    return ""


def read_url(url: str, published: str | None = None, max_chars: int | None = None,
             fetcher: Fetcher | None = None) -> Iterator[Document | WirescopeError]:
    """Every document an address holds: the article, or the items of a feed, or of a list of feeds."""
    fetcher = fetcher or shared_fetcher(FetchOptions.from_env())
    try:
        resp = fetcher.get(url)
    except WirescopeError as exc:
        yield exc
        return
    yield from read_response(resp, published, max_chars, fetcher)


def read_response(resp: Response, published: str | None, max_chars: int | None, fetcher: Fetcher,
                  depth: int = 0) -> Iterator[Document | WirescopeError]:
    from wirescope.ingest import feeds

    kind = sniff_kind(resp.content, resp.content_type)
    if kind == "feed":
        yield from feeds.read_feed(resp.content, resp.url, published, max_chars, fetcher, base_url=resp.final_url)
        return
    if kind == "opml":
        if depth > 0:
            yield InputError("E214", url=resp.url, kind="a list of feeds inside a list of feeds")
            return
        try:
            entries = feeds.parse_opml(resp.content, resp.url, base_url=resp.final_url)
        except WirescopeError as exc:
            yield exc
            return
        for entry in entries:
            yield from read_url(entry.url, published, max_chars, fetcher)
        return
    try:
        yield page_document(resp, published, max_chars)
    except WirescopeError as exc:
        yield exc


def page_document(resp: Response, published: str | None = None, max_chars: int | None = None,
                  meta: Mapping[str, str | None] | None = None) -> Document | WirescopeError:
    """The article of one fetched page (HTML through trafilatura, or plain text); `meta` fills
    title, outlet and published where the page gives none."""
    from wirescope.ingest.readers import _check_size, decode_bytes, make_document, read_html, sniff_binary

    kind = sniff_kind(resp.content, resp.content_type)
    meta = dict(meta or {})
    fallback = meta.get("published") or published
    if kind == "html":
        doc = read_html(resp.content, resp.url, fallback, url=resp.final_url)
    elif kind == "text":
        text = decode_bytes(resp.content, resp.url)
        doc = make_document(text, {"url": resp.final_url}, resp.url, fallback)
    else:
        what = resp.content_type or sniff_binary(resp.content) or "of an unknown kind"
        return InputError("E214", url=resp.url, kind=f"{what}" if kind == "" and resp.content_type else what)
    doc.title = doc.title or meta.get("title")
    doc.outlet = doc.outlet or meta.get("outlet")
    return _check_size(doc, max_chars)
