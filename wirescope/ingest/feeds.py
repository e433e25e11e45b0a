"""RSS and Atom feeds, and OPML lists of feeds.

A feed is parsed from bytes we fetched ourselves (feedparser never touches the network here), and
each item becomes the Document of its page, fetched with the fetcher it is given (a
`wirescope.ingest.http.Fetcher`) and read through trafilatura; the item's title, date and the feed's
title fill what the page leaves out. An item without a link is read from the HTML the feed carries
for it (content, else summary). Reading a feed or a list of feeds from an address or a file, items
fetched, is `wirescope.ingest.http`'s (read_url, read_feed_file, read_opml_file, read_xml_file).
"""
from __future__ import annotations

import datetime as dt
import io
import logging
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit, parse_qsl, urlencode

from wirescope.errors import InputError, WirescopeError
from wirescope.ingest.common import PageGetter, check_size, page_document, read_html
from wirescope.model import Document

log = logging.getLogger(__name__)

FEED_SUFFIXES = {".rss", ".atom"}
OPML_SUFFIXES = {".opml"}
XML_SUFFIXES = {".xml"}
_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "ocid", "cmpid")


@dataclass
class FeedItem:
    url: str | None
    title: str | None
    published: str | None  # ISO date
    guid: str | None
    content: str | None  # the HTML the feed carries for the item (content, else summary)
    feed: str  # where the feed was read from
    feed_title: str | None = None

    @property
    def key(self) -> str:
        """What identifies the item across polls: its normalised address, else its guid."""
        if self.url:
            return canonical_url(self.url)
        if self.guid:
            return f"guid:{self.guid}"
        import hashlib

        return "content:" + hashlib.sha256((self.content or self.title or "").encode("utf-8")).hexdigest()


@dataclass
class Feed:
    source: str
    title: str | None
    items: list[FeedItem]


@dataclass
class OpmlEntry:
    url: str
    title: str | None


def canonical_url(url: str) -> str:
    """The address as courlan normalises it (scheme and host lowercased, default port and tracking
    parameters dropped, parameters sorted), without its fragment and the few trackers courlan keeps;
    an empty path is "/" (the keys `watch` stored before stay the same for such addresses)."""
    try:
        from courlan import normalize_url  # installed with trafilatura

        url = normalize_url(url.strip())
    except Exception:  # noqa: BLE001 - courlan rejects some odd addresses: fall back to our own reading
        url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if not k.lower().startswith(_TRACKING)])
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", query, ""))


def _date(entry) -> str | None:  # noqa: ANN001 - a feedparser entry
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return dt.date(value.tm_year, value.tm_mon, value.tm_mday).isoformat()
            except (ValueError, AttributeError):
                continue
    return None


def parse_feed(data: bytes, source: str, base_url: str | None = None) -> Feed:
    """Items of an RSS/Atom feed; E215 when the bytes are no feed at all."""
    import feedparser

    headers = {"content-location": base_url} if base_url else {}
    try:
        parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    except Exception as exc:  # noqa: BLE001 - feedparser is tolerant, but not of everything
        raise InputError("E215", path=source, kind="feed", reason=f"{type(exc).__name__}: {exc}") from None
    if not parsed.get("version") and not parsed.entries:
        reason = str(parsed.get("bozo_exception") or "no RSS or Atom elements found").splitlines()[0]
        raise InputError("E215", path=source, kind="feed", reason=reason[:200])
    title = parsed.feed.get("title") or None
    items = []
    for entry in parsed.entries:
        link = entry.get("link") or None
        if link and base_url:
            link = urljoin(base_url, link)
        if link and urlsplit(link).scheme not in ("http", "https"):
            link = None
        content = None
        if entry.get("content"):
            content = "\n".join(c.get("value", "") for c in entry.content if c.get("value"))
        content = content or entry.get("summary") or None
        items.append(FeedItem(url=link, title=entry.get("title") or None, published=_date(entry),
                              guid=entry.get("id") or None, content=content, feed=source, feed_title=title))
    return Feed(source, title, items)


def parse_opml(data: bytes, source: str, base_url: str | None = None) -> list[OpmlEntry]:
    """The feeds an OPML file lists (outlines with xmlUrl, at any depth), in order, once each."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise InputError("E215", path=source, kind="OPML list of feeds", reason=str(exc)) from None
    if root.tag.lower() != "opml":
        raise InputError("E215", path=source, kind="OPML list of feeds", reason=f"the root element is <{root.tag}>")
    out: list[OpmlEntry] = []
    seen: set[str] = set()
    for outline in root.iter("outline"):
        url = outline.get("xmlUrl") or outline.get("xmlurl") or outline.get("url")
        if not url:
            continue
        url = urljoin(base_url, url.strip()) if base_url else url.strip()
        if url in seen:
            continue
        seen.add(url)
        out.append(OpmlEntry(url, outline.get("title") or outline.get("text")))
    return out


def item_document(item: FeedItem, fetcher: PageGetter, published: str | None = None,
                  max_chars: int | None = None) -> Document | WirescopeError:
    """The Document of one feed item: its page when it links one, else the HTML the feed carries."""
    meta = {"title": item.title, "outlet": item.feed_title, "published": item.published}
    try:
        if item.url:
            resp = fetcher.get(item.url)
            return page_document(resp, published, max_chars, meta=meta)
        if not item.content:
            return InputError("E202", path=f"{item.feed} item {item.guid or item.title or '?'}")
        source = f"{item.feed}#{item.guid or item.title or 'item'}"
        doc = read_html(item.content, source, item.published or published)
        doc.title = doc.title or item.title
        doc.outlet = doc.outlet or item.feed_title
        return check_size(doc, max_chars)
    except WirescopeError as exc:
        return exc
