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

from wirescope.api.cache import cached
from wirescope.api.common import (
    MAX_ID, MAX_TYPE, NO_CONTROL, actor_id, check_date, check_types, not_found,
    reading, relation_or_404, resolve_actor, svg_response,
)
from wirescope.errors import ApiError
from wirescope.web import svg
from wirescope.web.common import (  # noqa: F401  (render_error, templates, safe_url: used by the API app)
    _actor, _date_query, _name_query, page, render_error, safe_url, templates,
)
from wirescope.web.highlight import Mark, highlight, marks_of

ACTOR_PAGE, MAX_ACTOR_LIMIT = 50, 500  # items per page of one list of the actor page
OVERVIEW = {"relations": 12, "statements_by": 8, "statements_about": 8, "documents": 10, "names": 20}  # first items
ACTOR_EVENTS = 300  # events on the actor page's timeline picture
ACTOR_EVENT_ROWS = 40  # of them listed under it (all of them: /timeline?entity=)
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


SECTION_NAMES = {"relations": "relations", "statements_by": "statements by it", "statements_about":
                 "statements about it", "documents": "documents", "names": "names and aliases"}


@router.get("/actors/{ref}", response_class=HTMLResponse)
def actor_page(request: Request, ref: str = _actor(),
               section: str | None = Query(None, pattern="^(relations|statements_by|statements_about|documents|names)$"),
               page_no: int = Query(1, alias="page", ge=1, le=100_000),
               limit: int | None = Query(None, ge=1, le=MAX_ACTOR_LIMIT),
               done: str | None = Query(None, max_length=40, pattern=NO_CONTROL)) -> Response:
    """One actor. The overview shows the first few of each list (the strongest relations, the newest
    statements and documents; `limit` of each when given) with its total and a link to it page by page
    (`section`, `page`, `limit`): every list is paged and counted in the database
    (wirescope.query.actor_view)."""
    from wirescope.query import actor_view as A
    from wirescope.query.history import history
    from wirescope.query.network_view import graph_of_relations, is_generic
    from wirescope.query.timeline import timeline

    with reading(request) as conn:
        kb_id = resolve_actor(conn, ref)["id"]
        if kb_id != ref:  # a name or a merged id: send the browser to the canonical address
            query = request.url.query
            return RedirectResponse(svg.actor_href(kb_id) + (f"?{query}" if query else ""), status_code=307)
        # every list is read once per state of the knowledge base (wirescope.api.cache): the page's
        # own figures, each list's first items and total, the actor's events and history
        entity = dict(cached(request, conn, ("actor head", kb_id), lambda: A.head(conn, kb_id)))
        lists, totals = {}, {}
        if section:
            limit = limit or ACTOR_PAGE
            offset = (page_no - 1) * limit
            lists[section], totals[section] = cached(request, conn, ("actor section", kb_id, section, limit, offset),
                                                     lambda: A.section(conn, kb_id, section, limit, offset))
        else:
            for name, size in OVERVIEW.items():
                size = limit or size  # ?limit=N: the first N of every list
                lists[name], totals[name] = cached(request, conn, ("actor section", kb_id, name, size, 0),
                                                   lambda: A.section(conn, kb_id, name, size))
            events = cached(request, conn, ("actor events", kb_id, ACTOR_EVENTS),
                            lambda: timeline(conn, entity=kb_id, limit=ACTOR_EVENTS))
            ego = graph_of_relations(conn, lists["relations"])
            ego.remove_nodes_from([n for n, a in list(ego.nodes(data=True)) if n != kb_id and is_generic(a)])
            past = cached(request, conn, ("actor history", kb_id), lambda: history(conn, kb_id))
    context: dict[str, Any] = {"entity": entity, "lists": lists, "totals": totals, "section": section,
                               "section_names": SECTION_NAMES, "page_no": page_no, "limit": limit or ACTOR_PAGE,
                               "done": done,
                               "page_id": "actor"}
    if section:
        size = limit
        context["pages"] = max(1, (totals[section] + size - 1) // size)
    else:
        names: "OrderedDict[str, list[dict]]" = OrderedDict()
        for row in lists["names"]:
            names.setdefault(row.get("name") or "", []).append(row)
        context.update(names=names, events=events[:ACTOR_EVENT_ROWS], events_total=len(events),
                       events_capped=len(events) >= ACTOR_EVENTS, timeline_svg=Markup(svg.timeline_svg(events, width=900)),
                       network_svg=Markup(svg.network_svg(ego, width=900, height=420, focus=kb_id)),
                       history=past, overview=OVERVIEW)
    return page(request, "actor.html", **context)


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
from wirescope.web.search import router as _search_router  # noqa: E402
from wirescope.web.exports import router as _exports_router  # noqa: E402
from wirescope.web.writes import router as _writes_router  # noqa: E402

for _sub in (_network_router, _search_router, _exports_router, _writes_router):
    router.routes.extend(_sub.routes)  # the routes themselves (their tags mark the protected ones)
