"""HTML pages, server-rendered from the same query functions as the JSON API.

Every page works without JavaScript; app.js only adds hover highlighting and layer toggles.
Article text and metadata are untrusted: Jinja2 autoescapes everything, the highlighted text and
the SVG pictures are built from escaped pieces, and only http(s) URLs ever become links.
"""
from __future__ import annotations

import re
from collections import OrderedDict
from typing import Any

from fastapi import APIRouter, Path as PathParam, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from wirescope.api.common import (
    MAX_ID, MAX_SEARCH, MAX_TYPE, NO_CONTROL, actor_id, check_date, check_types, not_found,
    reading, relation_or_404, resolve_actor, svg_response,
)
from wirescope.errors import ApiError
from wirescope.web import svg
from wirescope.web.common import (  # noqa: F401  (render_error, templates, safe_url: used by the API app)
    _actor, _date_query, _name_query, page, render_error, safe_url, templates,
)
from wirescope.web.highlight import Mark, highlight, marks_of

ACTOR_LIMIT, MAX_ACTOR_LIMIT = 50, 500  # items per list of the actor page
ACTOR_EDGES = 60  # relations in the actor page's network picture
ACTOR_EVENTS = 300  # events on the actor page's timeline
router = APIRouter(include_in_schema=False)
_FOCUS = re.compile(r"^(\d{1,9})-(\d{1,9})$")


# ---- pages -------------------------------------------------------------------------------------
@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    from wirescope.query.documents import list_documents, stats

    with reading(request) as conn:
        figures = stats(conn)
        recent = list_documents(conn, limit=10)
    return page(request, "home.html", stats=figures, documents=recent, page_id="home")


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, q: str = Query("", max_length=MAX_SEARCH)) -> HTMLResponse:
    from wirescope.query.search import search

    results = None
    q = q.strip()
    if q:
        with reading(request) as conn:
            results = search(conn, q, limit=30)
    return page(request, "search.html", q=q, results=results, page_id="search")


@router.get("/actors/{ref}", response_class=HTMLResponse)
def actor_page(request: Request, ref: str = _actor(),
               limit: int = Query(ACTOR_LIMIT, ge=1, le=MAX_ACTOR_LIMIT)) -> Response:
    """One actor. Every list is bounded (`limit` items: the strongest relations, the newest documents
    and statements) and says how many it leaves out, with a link to more; the picture holds the
    actor's ACTOR_EDGES strongest relations."""
    from wirescope.api.routes import profile_or_404
    from wirescope.query.graph import network
    from wirescope.query.timeline import timeline

    with reading(request) as conn:
        kb_id = resolve_actor(conn, ref)["id"]
        if kb_id != ref:  # a name or a merged id: send the browser to the canonical address
            more = f"?limit={limit}" if limit != ACTOR_LIMIT else ""
            return RedirectResponse(svg.actor_href(kb_id) + more, status_code=307)
        profile = profile_or_404(conn, kb_id, limit)
        events = timeline(conn, entity=kb_id, limit=ACTOR_EVENTS)
        ego = network(conn, entity=kb_id, limit=ACTOR_EDGES)
    names: "OrderedDict[str, list[dict]]" = OrderedDict()
    for row in profile.get("names", []):
        names.setdefault(row.get("name") or "", []).append(row)
    more = min(max(limit * 4, 200), MAX_ACTOR_LIMIT)
    return page(request, "actor.html", profile=profile, entity=profile["entity"], names=names,
                totals=profile.get("totals") or {}, limit=limit, more=more if more > limit else None,
                events=events, timeline_svg=Markup(svg.timeline_svg(events, width=900)),
                ego_truncated=bool(ego.graph.get("truncated")), ego_edges=ACTOR_EDGES,
                network_svg=Markup(svg.network_svg(ego, width=900, height=480, focus=kb_id)), page_id="actor")


@router.get("/relations/{subject}/{type}/{object}", response_class=HTMLResponse)
def relation_page(request: Request, subject: str = _actor(),
                  type: str = PathParam(..., min_length=1, max_length=MAX_TYPE), object: str = _actor()
                  ) -> HTMLResponse:
    check_types([type])
    with reading(request) as conn:
        try:
            s, o = actor_id(conn, subject), actor_id(conn, object)
        except ApiError as exc:
            if exc.code == "E403":
                raise not_found(f"relation {subject} {type} {object}") from None
            raise
        row = relation_or_404(conn, s, type, o)
    return page(request, "relation.html", rel=row, page_id="relation")


@router.get("/documents", response_class=HTMLResponse)
def documents_page(request: Request, page_no: int = Query(1, alias="page", ge=1, le=100000)) -> HTMLResponse:
    from wirescope.query.documents import list_documents

    size = 50
    with reading(request) as conn:
        rows = list_documents(conn, limit=size + 1, offset=(page_no - 1) * size)
    return page(request, "documents.html", documents=rows[:size], page_no=page_no, more=len(rows) > size,
                page_id="documents")


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document_page(request: Request, doc_id: str = PathParam(..., min_length=1, max_length=MAX_ID, pattern=NO_CONTROL),
                  focus: str | None = Query(None, max_length=30)) -> HTMLResponse:
    from wirescope.query.documents import get_document

    with reading(request) as conn:
        doc = get_document(conn, doc_id)
    if doc is None:
        raise not_found(f"document {doc_id}")
    marks = marks_of(doc, svg.actor_href)
    focus_span = None
    m = _FOCUS.match(focus or "")
    if m and int(m.group(1)) < int(m.group(2)) <= len(doc["text"]):
        focus_span = (int(m.group(1)), int(m.group(2)))
        marks.append(Mark(focus_span[0], focus_span[1], "focus", "focus"))
    return page(request, "document.html", doc=doc, body=highlight(doc["text"], marks), focus=focus_span,
                url=safe_url(doc.get("url")), page_id="document")


def _timeline_rows(request: Request, entity: str | None, since: str | None, until: str | None):
    from wirescope.query.timeline import timeline

    since, until = check_date(since, "since"), check_date(until, "until")
    with reading(request) as conn:
        kb_id = actor_id(conn, entity.strip()) if entity and entity.strip() else None
        return timeline(conn, entity=kb_id, since=since, until=until, limit=1000)


@router.get("/timeline", response_class=HTMLResponse)
def timeline_page(request: Request, entity: str | None = _name_query(),
                  since: str | None = _date_query(), until: str | None = _date_query()
                  ) -> HTMLResponse:
    events = _timeline_rows(request, entity, since, until)
    undated = [e for e in events if svg.time_point(e.get("time")) is None]
    return page(request, "timeline.html", svg=Markup(svg.timeline_svg(events)), events=events, undated=undated,
                form={"entity": entity or "", "since": since or "", "until": until or ""}, page_id="timeline")


@router.get("/timeline.svg")
def timeline_svg(request: Request, entity: str | None = _name_query(),
                 since: str | None = _date_query(), until: str | None = _date_query()
                 ) -> Response:
    return svg_response(svg.timeline_svg(_timeline_rows(request, entity, since, until)))



# ---- the other pages, one module each --------------------------------------------------------
from wirescope.web.network import router as _network_router  # noqa: E402

router.include_router(_network_router)
