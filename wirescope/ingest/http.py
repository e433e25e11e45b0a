"""Fetching web pages politely and safely, and reading an http(s) address into Documents.

`Fetcher.get(url)` is the one way wirescope downloads anything:
- a descriptive User-Agent ("wirescope/<version> (+https://github.com/wirescope)");
- robots.txt honoured (parsed by protego), read once per host and kept for a day; a robots.txt
  that is missing (4xx) allows everything, one that cannot be read (5xx, network) allows nothing,
  as RFC 9309 asks; a Crawl-delay is kept between requests to one host (at most `max_crawl_delay`);
- timeouts on connecting and reading, and a deadline on the whole download (a server that trickles
  bytes is cut off too);
- redirects followed by hand, at most `max_redirects`, each hop checked against robots.txt, a loop
  reported as such;
- the body streamed and the download stopped past `max_bytes` (E213), counted after decompression;
- retries with exponential backoff (tenacity) on 5xx, 429 and timeouts/connection errors
  (Retry-After honoured up to `max_backoff`).
Every failure is an InputError for that one address (E211 fetch, E212 robots, E213 size, E214 kind).

`read_url(url)` fetches an address and reads what it holds: an HTML article (through trafilatura,
`common.read_html`), a plain-text article, an RSS/Atom feed (each item's page fetched and read), or
an OPML list of feeds. `read_feed_file`, `read_opml_file` and `read_xml_file` read saved feeds and
lists of feeds the same way (their items fetched).
"""
from __future__ import annotations

import functools
import logging
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterator, Mapping
from urllib.parse import urljoin, urlsplit

from protego import Protego
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from wirescope import __version__
from wirescope.errors import ConfigError, InputError, WirescopeError
from wirescope.ingest.common import (  # noqa: F401 - the content types are re-exported
    FEED_TYPES, HTML_TYPES, OPML_TYPES, TEXT_TYPES, XML_TYPES, Response, page_document, read_bytes, sniff_kind,
)
from wirescope.ingest.feeds import item_document, parse_feed, parse_opml
from wirescope.model import Document
from wirescope.settings import Environment

log = logging.getLogger(__name__)

REDIRECTS = (301, 302, 303, 307, 308)
# robots.txt when there is none (4xx: everything allowed) and when it cannot be read (5xx, network:
# nothing allowed), as RFC 9309 asks
_NO_ROBOTS = ""
_UNREADABLE_ROBOTS = "User-agent: *\nDisallow: /\n"


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
        self._robots: dict[str, tuple[float, Protego]] = {}
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
        return self._robots_for(url).can_fetch(url, self.robot_name)

    @property
    def robot_name(self) -> str:
        """The product token robots.txt groups are matched on ("wirescope" of "wirescope/1.0 (+...)")."""
        return self.options.user_agent.split("/")[0].strip()

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
        """One request, tried again (tenacity) after a 5xx, 429 or timeout up to `retries` more times;
        E211 once the last attempt fails too."""
        backoff = wait_exponential(multiplier=self.options.backoff, max=self.options.max_backoff)

        def wait(state: RetryCallState) -> float:
            hinted = state.outcome.exception().wait  # Retry-After
            if hinted is None:
                return backoff(state)
            return min(max(hinted, 0.0), self.options.max_backoff)

        def before_sleep(state: RetryCallState) -> None:
            log.info("retrying %s in %.1fs: %s", current, state.next_action.sleep, state.outcome.exception().reason)

        def give_up(state: RetryCallState) -> Response:
            tries = state.attempt_number
            raise InputError("E211", url=url, reason=state.outcome.exception().reason
                             + (f" ({tries} attempts)" if tries > 1 else "")) from None

        retrying = Retrying(retry=retry_if_exception_type(_Retry), stop=stop_after_attempt(self.options.retries + 1),
                            wait=wait, sleep=lambda seconds: self.sleep(float(seconds)),
                            before_sleep=before_sleep, retry_error_callback=give_up)
        return retrying(self._once, url, current, headers)

    def _polite(self, url: str) -> None:
        """Keep a host's Crawl-delay between two requests to it."""
        host = urlsplit(url).netloc
        delay = 0.0
        entry = self._robots.get(host)
        if entry is not None:
            found = entry[1].crawl_delay(self.robot_name)
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

    def _robots_for(self, url: str) -> Protego:
        host = urlsplit(url).netloc
        now = time.monotonic()
        entry = self._robots.get(host)
        if entry is not None and entry[0] > now:
            return entry[1]
        ttl = self.options.robots_ttl
        robots = self.robots_url(url)
        try:
            resp = self._fetch(robots, None, check_robots=False)
        except InputError as exc:
            log.warning("robots.txt of %s could not be read (%s): not fetching from it for now", host, exc.message)
            text = _UNREADABLE_ROBOTS
            ttl = min(ttl, 600.0)
        else:
            if resp.status >= 400:
                text = _NO_ROBOTS  # no robots.txt: everything is allowed
            else:
                text = resp.content.decode("utf-8", errors="replace")
        parser = Protego.parse(text)
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
    kind = sniff_kind(resp.content, resp.content_type)
    if kind == "feed":
        yield from read_feed(resp.content, resp.url, published, max_chars, fetcher, base_url=resp.final_url)
        return
    if kind == "opml":
        if depth > 0:
            yield InputError("E214", url=resp.url, kind="a list of feeds inside a list of feeds")
            return
        try:
            entries = parse_opml(resp.content, resp.url, base_url=resp.final_url)
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


# ---- feeds and lists of feeds, their items fetched -------------------------------------------------

def read_feed(data: bytes, source: str, published: str | None = None, max_chars: int | None = None,
              fetcher: Fetcher | None = None, base_url: str | None = None) -> Iterator[Document | WirescopeError]:
    """The documents of a feed's items (wirescope.ingest.feeds), each item's page fetched."""
    try:
        feed = parse_feed(data, source, base_url)
    except WirescopeError as exc:
        yield exc
        return
    fetcher = fetcher or shared_fetcher(FetchOptions.from_env())
    for item in feed.items:
        yield item_document(item, fetcher, published, max_chars)


def read_feed_file(path: Path, published: str | None = None, max_chars: int | None = None,
                   fetcher: Fetcher | None = None) -> Iterator[Document | WirescopeError]:
    try:
        data = read_bytes(path)
    except WirescopeError as exc:
        yield exc
        return
    yield from read_feed(data, str(path), published, max_chars, fetcher)


def read_opml_file(path: Path, published: str | None = None, max_chars: int | None = None,
                   fetcher: Fetcher | None = None) -> Iterator[Document | WirescopeError]:
    try:
        entries = parse_opml(read_bytes(path), str(path))
    except WirescopeError as exc:
        yield exc
        return
    fetcher = fetcher or shared_fetcher(FetchOptions.from_env())
    for entry in entries:
        yield from read_url(entry.url, published, max_chars, fetcher)


def read_xml_file(path: Path, published: str | None = None, max_chars: int | None = None,
                  fetcher: Fetcher | None = None) -> Iterator[Document | WirescopeError]:
    """A .xml file: a feed or an OPML list, told apart by its root element."""
    try:
        data = read_bytes(path)
    except WirescopeError as exc:
        yield exc
        return
    kind = sniff_kind(data)
    if kind == "opml":
        yield from read_opml_file(path, published, max_chars, fetcher)
    elif kind == "feed":
        yield from read_feed(data, str(path), published, max_chars, fetcher)
    else:
        yield InputError("E215", path=str(path), kind="feed or OPML list", reason="its root element is neither")
