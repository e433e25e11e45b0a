"""Readers: files, folders, JSON Lines and stdin become `Document`s.

Every reader yields either a Document or an InputError for the one input it could not read, so a
bad file never stops the others. Text files may carry YAML front matter or a `.json` sidecar with
title, url, outlet and published.
"""
from __future__ import annotations

import codecs
import json
import re
import logging
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Iterable, Iterator

from wirescope.dateline import dateline
from wirescope.errors import InputError, WirescopeError
from wirescope.model import Document
from wirescope.settings import parse_date

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
READABLE = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
META_FIELDS = ("title", "url", "outlet", "published")

_MAGIC = (
    (b"\x89PNG", "PNG image"), (b"%PDF", "PDF document"), (b"\x1f\x8b", "gzip archive"),
    (b"PK\x03\x04", "zip archive"), (b"\xff\xd8\xff", "JPEG image"), (b"GIF8", "GIF image"),
    (b"\x7fELF", "executable"), (b"BZh", "bzip2 archive"), (b"\xfd7zXZ", "xz archive"),
)

def find_dateline(text: str) -> str | None:
    """The place of a dateline at the head of an article ('KABUL (Reuters) -' -> 'Kabul')."""
    found = dateline(text)
    return found.place if found else None


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
    pub = _meta_str(meta, "published") or _meta_str(meta, "date")
    if pub:
        parse_date(pub, where=source)  # refuses a malformed date with E206
        pub = pub[:10]
    doc = Document(text=text, title=_meta_str(meta, "title"), url=_meta_str(meta, "url"),
                   outlet=_meta_str(meta, "outlet"), published=pub, source=source)
    doc.dateline = find_dateline(text)
    if doc.published is None:
        doc.published = _date_from_text(text) or published
    return doc


def _date_from_text(text: str) -> str | None:
    try:
        from wirescope.analyse.timex import resolve_dateline_date
    except ImportError:
        return None
    try:
        found = resolve_dateline_date(text)
    except Exception:  # noqa: BLE001 - a dateline guess must never fail a document
        return None
    return found.isoformat() if found else None


def read_text_file(path: Path, published: str | None = None) -> Document:
    data = _read_bytes(path)
    kind = sniff_binary(data)
    if kind:
        raise InputError("E203", path=str(path), kind=kind)
    text = decode_bytes(data, str(path))
    meta, body = split_front_matter(clean_text(text))
    sidecar = path.with_suffix(".json")
    if sidecar.exists():
        try:
            extra = json.loads(sidecar.read_text(encoding="utf-8"))
            if isinstance(extra, dict):
                meta = {**extra, **meta}
        except (OSError, ValueError):
            pass
    return make_document(body, meta, str(path), published)


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
    if meta.get("published"):
        try:
            parse_date(meta["published"])
        except InputError:
            meta.pop("published")
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


def read_jsonl(lines: Iterable[str], source: str, published: str | None = None
               ) -> Iterator[Document | WirescopeError]:
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        try:
            record = json.loads(line)
        except ValueError as exc:
            yield InputError("E204", path=source, line=number, reason=str(exc).split(":")[0])
            continue
        if not isinstance(record, dict):
            yield InputError("E204", path=source, line=number, reason="not a JSON object")
            continue
        text = record.get("text")
        if not isinstance(text, str) or not text.strip():
            if text is not None and not isinstance(text, str):
                yield InputError("E208", path=where, field="text", got=type(text).__name__, expected="string")
            else:
                yield InputError("E205", path=source, line=number)
            continue
        bad = next((k for k in META_FIELDS if record.get(k) is not None and not isinstance(record[k], str)), None)
        if bad:
            yield InputError("E208", path=where, field=bad, got=type(record[bad]).__name__, expected="string")
            continue
        try:
            if "\r" in text or "\x00" in text:
                # offsets must point into the text exactly as given: keep it, only refuse NULs
                text = text.replace("\x00", "")
            doc = Document(text=text, title=record.get("title"), url=record.get("url"), outlet=record.get("outlet"),
                           published=None, source=where)
            pub = record.get("published")
            if pub:
                parse_date(pub, where=where)
                doc.published = pub[:10]
            else:
                doc.published = _date_from_text(text) or published
            doc.dateline = find_dateline(text)
            yield doc
        except WirescopeError as exc:
            yield exc


def _read_bytes(path: Path) -> bytes:
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


def _jsonl_lines(path: Path) -> Iterator[str]:
    with path.open("rb") as handle:
        for raw in handle:
            yield raw.decode("utf-8", errors="replace")


def _scannable(path: Path) -> bool:
    """A file a folder scan reads: articles, and archives, feeds and feed lists saved beside them
    (bare .xml files are read only when named, since a folder's XML is rarely a feed)."""
    from wirescope.ingest import feeds

    name = path.name.lower()
    suffix = path.suffix.lower()
    return (suffix in READABLE or suffix in feeds.OPML_SUFFIXES or suffix in feeds.FEED_SUFFIXES
            or name.endswith((".warc", ".warc.gz")))


def iter_files(path: Path) -> Iterator[Path]:
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            if child.is_file() and not child.name.startswith(".") and _scannable(child):
                yield child
    else:
        yield path


def read_path(path: Path, published: str | None = None, max_chars: int | None = None
              ) -> Iterator[Document | WirescopeError]:
    suffix = path.suffix.lower()
    # archives, feeds and lists of feeds have their own readers (wirescope.ingest.warc / .feeds)
    from wirescope.ingest import feeds, warc

    if warc.is_warc(path):
        yield from warc.read_warc(path, published, max_chars)
        return
    if suffix in feeds.OPML_SUFFIXES:
        yield from feeds.read_opml_file(path, published, max_chars)
        return
    if suffix in feeds.FEED_SUFFIXES:
        yield from feeds.read_feed_file(path, published, max_chars)
        return
    if suffix in feeds.XML_SUFFIXES:
        yield from feeds.read_xml_file(path, published, max_chars)
        return
    try:
        if suffix in JSONL_SUFFIXES:
            if not path.exists():
                raise InputError("E201", path=str(path), reason="no such file")
            for item in read_jsonl(_jsonl_lines(path), str(path), published):
                yield _check_size(item, max_chars)
            return
        if suffix in HTML_SUFFIXES:
            data = _read_bytes(path)
            kind = sniff_binary(data)
            if kind:
                raise InputError("E203", path=str(path), kind=kind)
            yield _check_size(read_html(data, str(path), published), max_chars)
            return
        if max_chars is not None:
            try:
                size = path.stat().st_size
            except OSError:
                size = 0
            if size > max_chars * 4:  # cannot fit even at one byte a char... refuse before reading
                raise InputError("E207", path=str(path), size=f"about {size:,}", limit=f"{max_chars:,}")
        yield _check_size(read_text_file(path, published), max_chars)
    except WirescopeError as exc:
        yield exc


def _check_size(item: Document | WirescopeError, max_chars: int | None) -> Document | WirescopeError:
    if isinstance(item, Document) and max_chars is not None and len(item.text) > max_chars:
        return InputError("E207", path=item.source or item.id, size=f"{len(item.text):,}", limit=f"{max_chars:,}")
    return item


def read_stdin(published: str | None = None, stream=None) -> Iterator[Document | WirescopeError]:
    stream = stream if stream is not None else sys.stdin.buffer
    data = stream.read()
    if isinstance(data, str):
        data = data.encode("utf-8")
    head = data.lstrip()[:1]
    if head == b"{":
        text = decode_bytes(data, "-")
        yield from read_jsonl(text.splitlines(), "-", published)
        return
    try:
        kind = sniff_binary(data)
        if kind:
            raise InputError("E203", path="-", kind=kind)
        if head == b"<":
            yield read_html(data, "-", published)
            return
        meta, body = split_front_matter(clean_text(decode_bytes(data, "-")))
        yield make_document(body, meta, "-", published)
    except WirescopeError as exc:
        yield exc


def read_inputs(paths: Iterable[str], published: str | None = None, max_chars: int | None = None
                ) -> Iterator[Document | WirescopeError]:
    """Every document of every input, in order; errors in place of what could not be read."""
    for raw in paths:
        if raw == "-":
            yield from read_stdin(published)
            continue
        if raw.lower().startswith(("http://", "https://")):  # a page, a feed or a list of feeds
            from wirescope.ingest.http import read_url

            yield from read_url(raw, published, max_chars)
            continue
        path = Path(raw)
        if not path.exists():
            yield InputError("E201", path=raw, reason="no such file or directory")
            continue
        found = False
        for file in iter_files(path):
            found = True
            yield from read_path(file, published, max_chars)
        if not found:
            yield InputError("E201", path=raw, reason="the folder holds no .txt, .html or .jsonl files")
