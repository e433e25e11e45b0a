"""What the ingest readers share (wirescope.ingest.readers, .feeds, .http and .warc all import from
here; this module imports none of them):

- bytes: `sniff_binary` (images, archives, executables are no articles), `decode_bytes` (UTF-8, BOMs,
  else the best guess), `read_bytes` (a file, or E201);
- documents: `make_document` (text, front matter or sidecar fields, dateline, date checks),
  `read_html` (an article's text and metadata through trafilatura), `check_size` (E207 past
  `max_chars`);
- fetched pages: `Response` (what an HTTP client got), `sniff_kind` (page, feed, list of feeds or
  text, from the content type and the bytes), `page_document` (the article of one fetched page).
"""
from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Mapping, Protocol

from wirescope.dateline import dateline, headline
from wirescope.errors import InputError, WirescopeError
from wirescope.dates import dateline_date, parse_published
from wirescope.model import Document

HTML_TYPES = {"text/html", "application/xhtml+xml"}
FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+xml"}
OPML_TYPES = {"text/x-opml", "application/x-opml", "text/x-opml+xml", "application/x-opml+xml"}
XML_TYPES = {"text/xml", "application/xml"}
TEXT_TYPES = {"text/plain"}

_MAGIC = (
    (b"\x89PNG", "PNG image"), (b"%PDF", "PDF document"), (b"\x1f\x8b", "gzip archive"),
    (b"PK\x03\x04", "zip archive"), (b"\xff\xd8\xff", "JPEG image"), (b"GIF8", "GIF image"),
    (b"\x7fELF", "executable"), (b"BZh", "bzip2 archive"), (b"\xfd7zXZ", "xz archive"),
)


# ---- bytes ---------------------------------------------------------------------------------------

def sniff_binary(data: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return None
    sample = data[:4096]
    if b"\x00" in sample:
        return "binary data (NUL bytes)"
    if sample:
        control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
        if control / len(sample) > 0.10:
            return "binary data (control bytes)"
    return None


def decode_bytes(data: bytes, where: str) -> str:
    """UTF-8 (with or without BOM), UTF-16/32 with BOM, else the best guess (cp1252 and kin)."""
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                     (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc)
            except UnicodeDecodeError:
                raise InputError("E210", path=where) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:  # news text that is not UTF-8 is most often Windows-1252
        return data.decode("cp1252")
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200_000]).best()
        if best is not None and best.encoding:
            return data.decode(best.encoding, errors="replace")
    except Exception:  # noqa: BLE001 - fall through to cp1252
        pass
    return data.decode("cp1252", errors="replace")


def read_bytes(path: Path) -> bytes:
    """A file's bytes, or E201 saying why they could not be read."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("E201", path=str(path), reason="no such file") from None
    except IsADirectoryError:
        raise InputError("E201", path=str(path), reason="it is a directory") from None
    except PermissionError:
        raise InputError("E201", path=str(path), reason="permission denied") from None
    except OSError as exc:
        raise InputError("E201", path=str(path), reason=exc.strerror or str(exc)) from None


# ---- documents -----------------------------------------------------------------------------------

def find_dateline(text: str) -> str | None:
    """The place of a dateline at the head of an article ('KABUL (Reuters) -' -> 'Kabul')."""
    found = dateline(text)
    return found.place if found else None


def clean_text(text: str) -> str:
    """Normalise line ends and drop NULs; the result is what every offset points into."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


_FRONT = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n", re.S)


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    m = _FRONT.match(text)
    if not m:
        return {}, text
    try:
        import yaml

        meta = yaml.safe_load(m.group(1)) or {}
    except Exception:  # noqa: BLE001 - not front matter after all
        return {}, text
    if not isinstance(meta, dict):
        return {}, text
    return meta, text[m.end():]


def _meta_str(meta: dict[str, Any], key: str) -> str | None:
    value = meta.get(key)
    if value is None:
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def make_document(text: str, meta: dict[str, Any], source: str, published: str | None = None) -> Document:
    """Build a Document, checking text and date. `published` is the caller's fallback."""
    text = clean_text(text)
    if not text.strip():
        raise InputError("E202", path=source)
    raw = meta.get("published") or meta.get("date")
    pub, warning = parse_published(raw)  # ISO, RFC 2822, "February 3, 2009"; never fails the document
    doc = Document(text=text, title=_meta_str(meta, "title"), url=_meta_str(meta, "url"),
                   outlet=_meta_str(meta, "outlet"), published=pub, source=source)
    if warning:
        doc.warnings.append(warning)
    if doc.title is None:  # a plain-text story whose first line is its headline
        top = headline(text)
        doc.title = top[0] if top else None
    doc.dateline = find_dateline(text)
    if doc.published is None:
        doc.published = date_from_text(text) or published
    return doc


def date_from_text(text: str) -> str | None:
    """The date a dateline or the first lines give (wirescope.dates), when there is one."""
    found = dateline_date(text)
    return found.isoformat() if found else None


def read_html(data: bytes | str, source: str, published: str | None = None, url: str | None = None) -> Document:
    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # its parse complaints are ours to report

    html = data if isinstance(data, str) else decode_bytes(data, source)
    if not html.strip():
        raise InputError("E202", path=source)
    try:
        extracted = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                                include_tables=False, favor_precision=True)
    except Exception as exc:  # noqa: BLE001 - trafilatura raises many kinds on hostile HTML
        raise InputError("E201", path=source, reason=f"HTML could not be parsed ({type(exc).__name__})") from None
    if extracted is None:
        # trafilatura gives up on pathological trees (say, 5,000 nested divs): fall back to the
        # page's visible text, scripts and styles dropped
        text = plain_html_text(html)
        if not text.strip():
            raise InputError("E202", path=source)
        return make_document(text, {}, source, published)
    get = extracted.get if isinstance(extracted, dict) else (lambda k: getattr(extracted, k, None))
    text = get("text") or ""
    meta = {"title": get("title"), "url": url or get("url"), "outlet": get("sitename"), "published": get("date")}
    meta = {k: v for k, v in meta.items() if v}
    if meta.get("published") and parse_published(meta["published"]).iso is None:
        meta.pop("published")  # a page's own date guess that cannot be read is no warning of the document
    return make_document(text, meta, source, published)


class _TextOnly(HTMLParser):
    SKIP = {"script", "style", "iframe", "noscript", "template", "svg", "object"}
    BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "article", "section"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):  # noqa: ANN001
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):  # noqa: ANN001
        if not self.skipping:
            self.parts.append(data)


def plain_html_text(html: str) -> str:
    parser = _TextOnly()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    text = re.sub(r"[ \t]+", " ", text)
    return re.sub(r"\s*\n\s*", "\n", text).strip() + "\n"


def check_size(item: Document | WirescopeError, max_chars: int | None) -> Document | WirescopeError:
    """E207 in place of a document longer than max_chars."""
    if isinstance(item, Document) and max_chars is not None and len(item.text) > max_chars:
        return InputError("E207", path=item.source or item.id, size=f"{len(item.text):,}", limit=f"{max_chars:,}")
    return item


# ---- fetched pages -------------------------------------------------------------------------------

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


class PageGetter(Protocol):
    """What fetches a page (wirescope.ingest.http.Fetcher): 200 and 304 come back, the rest raises."""

    def get(self, url: str, headers: Mapping[str, str] | None = None) -> Response: ...


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
        if not sniff_binary(data):
            return "html" if rest.startswith(b"<") else "text"
    return ""


def page_document(resp: Response, published: str | None = None, max_chars: int | None = None,
                  meta: Mapping[str, str | None] | None = None) -> Document | WirescopeError:
    """The article of one fetched page (HTML through trafilatura, or plain text); `meta` fills
    title, outlet and published where the page gives none."""
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
    return check_size(doc, max_chars)
