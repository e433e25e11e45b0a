"""The search page: actors, documents and statements, paged in the database, with facets (actor type,
outlet, date of publication) and their totals, syndicated copies folded under their original, and
the words found marked with <mark> (wirescope.query.search_view)."""
from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup, escape

from wirescope.api.common import MAX_SEARCH, MAX_TYPE, NO_CONTROL, reading
from wirescope.web.common import page

router = APIRouter(include_in_schema=False)
SECTIONS = ("actors", "documents", "statements")
OVERVIEW, PAGE = 10, 50  # items per section on the overview, and per page of one section
MAX_PAGE = 10_000


def marked(value: Any) -> Markup:
    """Escaped text with the hits (between search_view's MARK_OPEN and MARK_CLOSE) as <mark>...</mark>;
    always well-formed, whatever characters the text itself holds."""
    from wirescope.query.search_view import MARK_CLOSE, MARK_OPEN

    out, open_ = [], False
    for piece in str(value or "").replace(MARK_OPEN, "\x00" + MARK_OPEN + "\x00").replace(
            MARK_CLOSE, "\x00" + MARK_CLOSE + "\x00").split("\x00"):
        if piece == MARK_OPEN:
            if not open_:
                out.append("<mark>")
                open_ = True
        elif piece == MARK_CLOSE:
            if open_:
                out.append("</mark>")
                open_ = False
        elif piece:
            out.append(str(escape(piece)))
    if open_:
        out.append("</mark>")
    return Markup("".join(out))


def export_link(base: dict[str, str], fmt: str) -> str:
    """The export of this search's selection (its words and facets; the page and section do not narrow it)."""
    params = [("q", base["q"]), ("outlet", base["outlet"]), ("published", base["published"]),
              ("actor_type", base["type"])]
    return f"/export/{fmt}?" + urlencode([(k, v) for k, v in params if v])


def _link(base: dict[str, str], **change: Any) -> str:
    """This search with some parameters changed (empty values and page 1 left out)."""
    params = {**base, **change}
    return "/search?" + urlencode([(k, str(v)) for k, v in params.items()
                                   if v not in (None, "") and not (k == "page" and v == 1)])


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, q: str = Query("", max_length=MAX_SEARCH),
                type: str | None = Query(None, max_length=MAX_TYPE, pattern=NO_CONTROL),
                outlet: str | None = Query(None, max_length=500, pattern=NO_CONTROL),
                published: str | None = Query(None, max_length=7, pattern=r"^(\d{4}(-\d{2})?)?$"),
                section: str | None = Query(None, pattern="^(actors|documents|statements)$"),
                page_no: int = Query(1, alias="page", ge=1, le=MAX_PAGE)) -> HTMLResponse:
    from wirescope.query.search_view import search_page as run

    q = q.strip()
    results = None
    size = PAGE if section else OVERVIEW
    if q:
        with reading(request) as conn:
            results = run(conn, q, limit=size, offset=(page_no - 1) * size if section else 0, actor_type=type or None,
                          outlet=outlet or None, published=published or None,
                          sections=(section,) if section else SECTIONS)
    base = {"q": q, "type": type or "", "outlet": outlet or "", "published": published or "", "section": section or ""}
    return page(request, "search.html", q=q, results=results, base=base, section=section, page_no=page_no, size=size,
                link=lambda **change: _link(base, **change), marked=marked, page_id="search",
                export_link=lambda fmt: export_link(base, fmt))
