"""Exports of a selection over HTTP: STIX 2.1, GraphML or CSV (a zip of one file per table), through
wirescope.export (the same writers as `wirescope export`).

The selection is what a page shows: an actor and its neighbourhood (`actor`, the actor and network
pages), or a search (`q` with the search page's facets `outlet`, `published` and `actor_type`: the
documents the page lists, every page of them, with what they hold and the actors listed by name;
wirescope.export.base.Filters), or given documents (`document`, repeatable); with the relation
types, dates and minimum sources of the page. `GET /api/export/{format}` (documented in OpenAPI) and
the web page's buttons (`/export/{format}`, wirescope.web.exports) answer the same.

The export is written to a spooled temporary file (memory up to SPOOL bytes, then disk) while the
database is read, then streamed to the client: a large export is never held in memory, and an
error (an unknown actor, a bad facet) is answered as an error before any byte of the file is sent.
"""
from __future__ import annotations

import io
import re
import tempfile
import zipfile
from pathlib import Path
from typing import Any, Iterator, Optional

from fastapi import APIRouter, Path as PathParam, Query, Request
from fastapi.responses import StreamingResponse

from wirescope.api.common import (
    MAX_ID, MAX_NAME, MAX_SEARCH, MAX_TYPE, NO_CONTROL, check_date, check_types, date_query, invalid, reading,
    resolve_actor,
)
from wirescope.errors import UsageError

router = APIRouter(prefix="/api")
FORMATS = {  # format -> (exporter, media type, file suffix)
    "stix": ("stix", "application/stix+json;version=2.1", ".stix.json"),
    "graphml": ("graphml", "application/graphml+xml", ".graphml"),
    "csv": ("csv", "application/zip", ".csv.zip"),
}
FORMAT_PATTERN = "^(stix|graphml|csv)$"
MAX_DOCUMENTS = 1000  # document ids in one request
SPOOL = 8 * 1024 * 1024
CHUNK = 64 * 1024
PUBLISHED = r"^(\d{4}(-\d{2})?)?$"
_SLUG = re.compile(r"[^A-Za-z0-9]+")


def file_name(name: str, suffix: str) -> str:
    slug = _SLUG.sub("-", name).strip("-")[:60] or "selection"
    return f"wirescope-{slug}{suffix}"


def selection_filters(conn, actor: str | None = None, q: str | None = None, outlet: str | None = None,
                      published: str | None = None, actor_type: str | None = None,
                      documents: list[str] | None = None, types: list[str] | None = None, since: str | None = None,
                      until: str | None = None, min_sources: int = 0) -> tuple[Any, str]:
    """(wirescope.export.Filters, a name for the file) of the request's selection; E505 (422) when
    nothing is selected or a facet comes without a search, 404 for an unknown actor."""
    from wirescope.export import Filters

    q = (q or "").strip() or None
    documents = [d.strip() for d in documents or [] if d and d.strip()]
    if not (actor or q or documents):
        raise invalid("say what to export: an actor (actor=), a search (q=) or documents (document=)")
    if (outlet or published or actor_type) and not q:
        raise invalid("outlet, published and actor_type narrow a search: give q too")
    if len(documents) > MAX_DOCUMENTS:
        raise invalid(f"at most {MAX_DOCUMENTS} documents in one export")
    entity, label = None, []
    if actor:
        found = resolve_actor(conn, actor)
        entity = found["id"]
        label.append(found["name"])
    if q:
        label.append(f"search {q}")
    if documents:
        label.append(f"{len(set(documents))} documents")
    filters = Filters(entity=entity, types=tuple(types or ()), since=since, until=until, min_sources=min_sources,
                      query=q, outlet=outlet or None, published=published or None, actor_type=actor_type or None,
                      documents=tuple(sorted(set(documents))))
    return filters, " ".join(label)


def export_response(request: Request, fmt: str, **params: Any) -> StreamingResponse:
    """Write the selection as `fmt` and answer it as a download."""
    from wirescope.export import get_exporter

    name, media, suffix = FORMATS[fmt]
    exporter = get_exporter(name)
    params["types"] = check_types(params.get("types"))
    params["since"] = check_date(params.get("since"), "since")
    params["until"] = check_date(params.get("until"), "until")
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL, mode="w+b")
    try:
        with reading(request) as conn:
            filters, label = selection_filters(conn, **params)
            try:
                _write(exporter, conn, filters, spool)
            except UsageError as exc:  # a filter the knowledge base cannot satisfy (an unknown document, ...)
                raise invalid(str(exc.params.get("reason") or exc)) from None
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    headers = {"content-disposition": f'attachment; filename="{file_name(label, suffix)}"'}
    return StreamingResponse(_chunks(spool), media_type=media, headers=headers)


def _write(exporter, conn, filters, spool) -> None:
    if not exporter.multi_file:
        text = io.TextIOWrapper(spool, encoding="utf-8", newline="\n", write_through=True)
        exporter.write(conn, text, filters)
        text.flush()
        text.detach()  # leave the spool open
        return
    with tempfile.TemporaryDirectory(prefix="wirescope-export-") as tmp:
        exporter.write(conn, Path(tmp), filters)
        with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(Path(tmp).iterdir()):
                archive.write(path, arcname=path.name)


def _chunks(spool) -> Iterator[bytes]:
    try:
        while True:
            block = spool.read(CHUNK)
            if not block:
                break
            yield block
    finally:
        spool.close()


def format_path():
    return PathParam(..., pattern=FORMAT_PATTERN, description="stix (a STIX 2.1 bundle), graphml, or csv "
                                                              "(a zip of one file per table)")


def selection_params(actor: Optional[str], q: Optional[str], outlet: Optional[str], published: Optional[str],
                     actor_type: Optional[str], document: Optional[list[str]], type: Optional[list[str]],
                     since: Optional[str], until: Optional[str], min_sources: int) -> dict[str, Any]:
    return {"actor": actor, "q": q, "outlet": outlet, "published": published, "actor_type": actor_type,
            "documents": document, "types": type, "since": since, "until": until, "min_sources": min_sources}


@router.get("/export/{format}", tags=["read"], summary="Export a selection (an actor and its neighbourhood, a "
            "search's results, or documents) as STIX 2.1, GraphML or CSV",
            responses={200: {"content": {m: {} for _, m, _ in FORMATS.values()},
                             "description": "The export, as a download"},
                       404: {"description": "Unknown actor (E403)"}, 409: {"description": "Ambiguous actor (E404)"},
                       422: {"description": "Nothing selected, or an invalid parameter (E505)"}})
def api_export(request: Request, format: str = format_path(),
               actor: Optional[str] = Query(None, min_length=1, max_length=MAX_NAME, pattern=NO_CONTROL,
                                            description="An actor (id or name): it and its neighbourhood"),
               q: Optional[str] = Query(None, max_length=MAX_SEARCH,
                                        description="Search words: the documents the search page lists, "
                                                    "what they hold, and the actors it lists"),
               outlet: Optional[str] = Query(None, max_length=500, pattern=NO_CONTROL,
                                             description="Search facet: the outlet"),
               published: Optional[str] = Query(None, max_length=7, pattern=PUBLISHED,
                                                description="Search facet: a year or month (2021, 2021-03)"),
               actor_type: Optional[str] = Query(None, max_length=MAX_TYPE, pattern=NO_CONTROL,
                                                 description="Search facet: the type of the actors listed"),
               document: Optional[list[str]] = Query(None, description=f"Document ids (at most {MAX_DOCUMENTS})"),
               type: Optional[list[str]] = Query(None, description="Relation type(s); repeat or comma-separate"),
               since: Optional[str] = date_query("Earliest date"), until: Optional[str] = date_query("Latest date"),
               min_sources: int = Query(0, ge=0, le=1000)) -> StreamingResponse:
    check_ids(document)
    return export_response(request, format, **selection_params(actor, q, outlet, published, actor_type, document,
                                                                type, since, until, min_sources))


def check_ids(document: Optional[list[str]]) -> None:
    """Document ids within the bounds of an id (422 otherwise)."""
    for value in document or []:
        if len(value) > MAX_ID or re.search(r"[\x00-\x1f\x7f]", value):
            raise invalid(f"document: an id is at most {MAX_ID} characters, without control characters")


__all__ = ["router", "FORMATS", "export_response", "selection_filters", "selection_params", "file_name", "check_ids"]
