"""The analyst's writes in the web UI: merge two actors, split one, review the resolver's least
certain merges. Plain HTML forms, posted with the write token as a `token` field (or the bearer
header): security.WriteGuard checks it, the form's origin and the lockout before a handler runs.
The work is the API's (wirescope.api.writes: the same judgements, the same audit log rows); a
success sends the browser back to the actor with a note of what was done (303, POST-redirect-GET).
"""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Path as PathParam, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from wirescope.api.common import MAX_NAME, NO_CONTROL, invalid, reading, resolve_actor
from wirescope.api.writes import audited, merge, split
from wirescope.errors import ApiError
from wirescope.web import svg
from wirescope.web.common import page

router = APIRouter(include_in_schema=False)
FORM = ["write", "form"]  # protected (token checked before the body), token may be a form field
MAX_NOTE = 2000
MAX_LIST = 4000  # characters of a list of names or document ids
REVIEW_LIMIT = 50
_SPLIT_LIST = re.compile(r"[\n,;]+")


def _identity(request: Request) -> str:
    identity = getattr(request.state, "identity", None)
    if identity is None:  # WriteGuard did not run (it always does in create_app)
        raise ApiError("E503", status=401)
    return identity


def _done(kb_id: str, what: str) -> RedirectResponse:
    return RedirectResponse(f"{svg.actor_href(kb_id)}?done={quote(what)}#history", status_code=303)


def _items(text: str) -> list[str]:
    return [p.strip() for p in _SPLIT_LIST.split(text or "") if p.strip()][:1000]


def _note(note: str) -> str | None:
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise invalid(f"note: at most {MAX_NOTE} characters")
    return note or None


@router.post("/actors/{ref}/merge", tags=FORM)
def merge_form(request: Request, ref: str = PathParam(..., min_length=1, max_length=MAX_NAME, pattern=NO_CONTROL),
               other: str = Form(..., min_length=1, max_length=MAX_NAME),
               note: str = Form("", max_length=MAX_NOTE)) -> RedirectResponse:
    """Merge `other` (a name or an id) into this actor."""
    identity = _identity(request)
    with reading(request) as conn:
        keep, drop = resolve_actor(conn, ref)["id"], resolve_actor(conn, other.strip())["id"]
    with audited(request, identity, "merge", [keep, drop]) as entry:
        entry.detail["via"] = "web"
        result = merge(request.app.state.ws, keep, drop, author=identity, note=_note(note), entry=entry)
    return _done(result["into"], "merged")


@router.post("/actors/{ref}/split", tags=FORM)
def split_form(request: Request, ref: str = PathParam(..., min_length=1, max_length=MAX_NAME, pattern=NO_CONTROL),
               names: str = Form("", max_length=MAX_LIST), documents: str = Form("", max_length=MAX_LIST),
               undo_merges: bool = Form(False), note: str = Form("", max_length=MAX_NOTE)) -> RedirectResponse:
    """Move the mentions going by `names` (or in `documents`) to a new actor, or undo every merge into
    this actor (`undo_merges`)."""
    from wirescope.resolve.judgements import unmerge

    identity = _identity(request)
    with reading(request) as conn:
        kb_id = resolve_actor(conn, ref)["id"]
    state = request.app.state.ws
    if undo_merges:
        with audited(request, identity, "split", [kb_id]) as entry:
            entry.detail.update(via="web", undo_merges=True)
            with state.kb.engine.begin() as conn:
                restored = unmerge(conn, kb_id, identity)
                if not restored:
                    raise invalid("nothing was merged into this actor")
                entry.ids.extend(restored)
                entry.commit(conn)
        return _done(kb_id, "unmerged")
    with audited(request, identity, "split", [kb_id]) as entry:
        entry.detail.update(via="web", **{k: v for k, v in (("names", _items(names)), ("documents", _items(documents)))
                                          if v})
        result = split(state, kb_id, author=identity, names=_items(names), documents=_items(documents),
                       note=_note(note), entry=entry)
    return RedirectResponse(f"{svg.actor_href(result['new'])}?done=split#history", status_code=303)


# ---- review of automatic merges ------------------------------------------------------------------------
@router.get("/review", response_class=HTMLResponse)
def review_page(request: Request, below: float | None = Query(None, ge=0, le=1),
                limit: int = Query(REVIEW_LIMIT, ge=1, le=500), done: str | None = Query(None, max_length=40)
                ) -> HTMLResponse:
    from wirescope.resolve.review import low_confidence

    with reading(request) as conn:
        rows = low_confidence(conn, limit=limit, below=below)
    return page(request, "review.html", rows=rows, below=below, limit=limit, done=done, page_id="review")


def _review(request: Request, judgement: int, action: str, note: str) -> dict[str, Any]:
    from wirescope.errors import StoreError
    from wirescope.resolve import review

    identity = _identity(request)
    state = request.app.state.ws
    with audited(request, identity, "review", [str(judgement)]) as entry:
        entry.detail.update(via="web", action=action)
        try:
            with state.kb.engine.begin() as conn:
                do = review.confirm if action == "confirm" else review.undo
                result = do(conn, judgement, identity, _note(note))
                entry.ids.append(result["entity"])
                entry.commit(conn)
        except StoreError as exc:
            if exc.code == "E403":
                raise ApiError("E501", status=404, what=f"automatic merge #{judgement}") from None
            raise
    return result


@router.post("/review/{judgement}/confirm", tags=FORM)
def review_confirm(request: Request, judgement: int = PathParam(..., ge=1, le=2**62),
                   note: str = Form("", max_length=MAX_NOTE)) -> RedirectResponse:
    _review(request, judgement, "confirm", note)
    return RedirectResponse(f"/review?done=confirmed-{judgement}", status_code=303)


@router.post("/review/{judgement}/undo", tags=FORM)
def review_undo(request: Request, judgement: int = PathParam(..., ge=1, le=2**62),
                note: str = Form("", max_length=MAX_NOTE)) -> RedirectResponse:
    _review(request, judgement, "undo", note)
    return RedirectResponse(f"/review?done=undone-{judgement}", status_code=303)
