"""Readers: files, folders, JSON Lines and stdin become `Document`s.

Every reader yields either a Document or an InputError for the one input it could not read, so a
bad file never stops the others. Text files may carry YAML front matter or a `.json` sidecar with
title, url, outlet and published. Web addresses are read by wirescope.ingest.http, web archives by
.warc, feeds and lists of feeds by .feeds and .http; what they all share is in .common.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Iterable, Iterator

from wirescope.errors import InputError, WirescopeError
from wirescope.ingest.common import (  # noqa: F401 - plain_html_text is re-exported
    check_size, clean_text, date_from_text, decode_bytes, find_dateline, make_document, plain_html_text,
    read_bytes, read_html, sniff_binary, split_front_matter,
)
from wirescope.dates import parse_published
from wirescope.model import Document


TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
READABLE = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
META_FIELDS = ("title", "url", "outlet", "published")


def read_text_file(path: Path, published: str | None = None) -> Document:
    data = read_bytes(path)
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
        # metadata of the wrong type is dropped with a warning: no document is lost over its metadata
        warnings = [f"metadata field {k!r} is {type(record[k]).__name__}, not a string; ignored"
                    for k in META_FIELDS if record.get(k) is not None and not isinstance(record[k], str)]
        meta = {k: record[k] for k in META_FIELDS if isinstance(record.get(k), str)}
        try:
            if "\r" in text or "\x00" in text:
                # offsets must point into the text exactly as given: keep it, only refuse NULs
                text = text.replace("\x00", "")
            doc = Document(text=text, title=meta.get("title"), url=meta.get("url"), outlet=meta.get("outlet"),
                           published=None, source=where, warnings=warnings)
            pub, warning = parse_published(meta.get("published"))
            if warning:
                doc.warnings.append(warning)
            doc.published = pub or date_from_text(text) or published
            doc.dateline = find_dateline(text)
            yield doc
        except WirescopeError as exc:
            yield exc


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
    # archives have their own reader (wirescope.ingest.warc); feeds and lists of feeds are read by
    # wirescope.ingest.http, which fetches their items
    from wirescope.ingest import feeds, http, warc

    if warc.is_warc(path):
        yield from warc.read_warc(path, published, max_chars)
        return
    if suffix in feeds.OPML_SUFFIXES:
        yield from http.read_opml_file(path, published, max_chars)
        return
    if suffix in feeds.FEED_SUFFIXES:
        yield from http.read_feed_file(path, published, max_chars)
        return
    if suffix in feeds.XML_SUFFIXES:
        yield from http.read_xml_file(path, published, max_chars)
        return
    try:
        if suffix in JSONL_SUFFIXES:
            if not path.exists():
                raise InputError("E201", path=str(path), reason="no such file")
            for item in read_jsonl(_jsonl_lines(path), str(path), published):
                yield check_size(item, max_chars)
            return
        if suffix in HTML_SUFFIXES:
            data = read_bytes(path)
            kind = sniff_binary(data)
            if kind:
                raise InputError("E203", path=str(path), kind=kind)
            yield check_size(read_html(data, str(path), published), max_chars)
            return
        if max_chars is not None:
            try:
                size = path.stat().st_size
            except OSError:
                size = 0
            if size > max_chars * 4:  # cannot fit even at one byte a char... refuse before reading
                raise InputError("E207", path=str(path), size=f"about {size:,}", limit=f"{max_chars:,}")
        yield check_size(read_text_file(path, published), max_chars)
    except WirescopeError as exc:
        yield exc


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
