"""Export buttons: the selection on screen as STIX 2.1, GraphML or CSV (a zip of one file per table).

The actor and network pages export an actor and its neighbourhood (`actor=`, with the page's relation
types, dates and minimum sources); the search page exports its results (`q=` with its facets
`outlet`, `published` and `actor_type`): the documents it lists, every page of them, with what they
hold and the actors it lists by name. The work is wirescope.api.exports', the same as
`GET /api/export/{format}`; errors are answered as pages."""
from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from wirescope.api.common import MAX_NAME, MAX_SEARCH, MAX_TYPE, NO_CONTROL
from wirescope.api.exports import (
    FORMATS, PUBLISHED, check_ids, export_response, file_name, format_path, selection_params,
)
from wirescope.web.common import _date_query

router = APIRouter(include_in_schema=False)
__all__ = ["router", "FORMATS", "file_name"]


@router.get("/export/{format}")
def export(request: Request, format: str = format_path(),
           actor: Optional[str] = Query(None, min_length=1, max_length=MAX_NAME, pattern=NO_CONTROL),
           q: Optional[str] = Query(None, max_length=MAX_SEARCH),
           outlet: Optional[str] = Query(None, max_length=500, pattern=NO_CONTROL),
           published: Optional[str] = Query(None, max_length=7, pattern=PUBLISHED),
           actor_type: Optional[str] = Query(None, max_length=MAX_TYPE, pattern=NO_CONTROL),
           document: Optional[list[str]] = Query(None),
           type: Optional[list[str]] = Query(None), since: Optional[str] = _date_query(),
           until: Optional[str] = _date_query(), min_sources: int = Query(0, ge=0, le=1000)) -> StreamingResponse:
    check_ids(document)
    return export_response(request, format, **selection_params(actor, q, outlet, published, actor_type, document,
                                                                type, since, until, min_sources))
