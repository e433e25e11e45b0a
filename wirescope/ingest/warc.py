"""WARC web archives (.warc, .warc.gz): each archived HTML page becomes a Document.

Read with warcio, one record at a time (an archive of any size streams). `response` records with
HTTP status 200 and an HTML (or XHTML) body, and `resource` records holding HTML, are read through
trafilatura with the record's WARC-Target-URI as the article's address; requests, metadata,
redirects, errors and non-HTML bodies (images, scripts, PDFs) are passed over. The capture date
(WARC-Date) anchors relative times when the page and the caller give no date. A damaged archive
yields E215 where it breaks; the documents before that point are kept.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Iterator

from wirescope.errors import InputError, WirescopeError
from wirescope.ingest.common import check_size, read_html
from wirescope.model import Document

log = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")


def is_warc(path: Path) -> bool:
    name = path.name.lower()
    return name.endswith((".warc", ".warc.gz"))


def _mime(value: str | None) -> str:
    return (value or "").split(";")[0].strip().lower()


def read_warc(path: Path, published: str | None = None, max_chars: int | None = None
              ) -> Iterator[Document | WirescopeError]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    byte_limit = (max_chars * 4 + 1024) if max_chars else None
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        yield InputError("E201", path=str(path), reason="no such file")
        return
    except OSError as exc:
        yield InputError("E201", path=str(path), reason=exc.strerror or str(exc))
        return
    read = skipped = 0
    with handle:
        number = 0
        try:
            records = ArchiveIterator(handle)
            for record in records:
                number += 1
                uri = record.rec_headers.get_header("WARC-Target-URI")
                if record.rec_type == "response":
                    if record.http_headers is None or record.http_headers.get_statuscode() != "200":
                        skipped += 1
                        continue
                    mime = _mime(record.http_headers.get_header("Content-Type"))
                elif record.rec_type == "resource":
                    mime = _mime(record.rec_headers.get_header("Content-Type"))
                else:
                    continue
                if mime not in HTML_TYPES:
                    skipped += 1
                    continue
                source = f"{path}#{number}"
                stream = record.content_stream()
                data = stream.read(byte_limit) if byte_limit else stream.read()
                if not (byte_limit and len(data) >= byte_limit) and getattr(record.raw_stream, "limit", 0):
                    # fewer bytes than the record declares: the archive was cut off here
                    yield InputError("E215", path=str(path), kind="WARC archive",
                                     reason=f"it ends in the middle of record {number}")
                    return
                if byte_limit and len(data) >= byte_limit:
                    yield InputError("E207", path=f"{source} ({uri})", size=f"{byte_limit:,}+ bytes of HTML, so at least as many",
                                     limit=f"{max_chars:,}")
                    continue
                captured = (record.rec_headers.get_header("WARC-Date") or "")[:10] or None
                try:
                    doc = read_html(data, source, published or captured, url=uri)
                    read += 1
                    yield check_size(doc, max_chars)
                except WirescopeError as exc:
                    yield exc
        except (ArchiveLoadFailed, EOFError, OSError, ValueError) as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            yield InputError("E215", path=str(path), kind="WARC archive",
                             reason=f"record {number + 1}: {reason[:200]}")
            return
        except Exception as exc:  # noqa: BLE001 - zlib and friends: a damaged archive is one input's error
            yield InputError("E215", path=str(path), kind="WARC archive",
                             reason=f"record {number + 1}: {type(exc).__name__}: {str(exc)[:200]}")
            return
        if _cut_short(handle, records):
            yield InputError("E215", path=str(path), kind="WARC archive",
                             reason=f"it ends in the middle of record {number + 1}")
            return
    log.debug("%s: %d pages read, %d records passed over", path, read, skipped)
    if number == 0:
        yield InputError("E215", path=str(path), kind="WARC archive", reason="it holds no records")


def _cut_short(handle, records) -> bool:  # noqa: ANN001
    """warcio stops quietly at a record cut off mid-way: bytes left after the last whole record."""
    offset = getattr(records, "offset", None)
    if not isinstance(offset, int):
        return False
    try:
        handle.seek(offset)
        rest = handle.read(4096)
    except (OSError, ValueError):
        return False
    return bool(rest.strip())
