"""The write side of the API: ingest articles, record an analyst's merge or split, read the audit log.

Every route here is tagged "write" (or "audit"), so `security.WriteGuard` has checked the bearer
token before the body was read; the `writer` dependency repeats the check if the guard is absent
and declares the bearer scheme in OpenAPI. Every write, whether it succeeds or ends in an error,
leaves one row in the audit log (wirescope.store.audit): a merge or split in the same transaction
as the change itself. The author of a judgement is the authenticated identity, never request text.

Ingest goes through the same path as `wirescope ingest`: make_document (date and size checks), the
pipeline (built on the first ingest), then `wirescope.flow.Ingest` (one transaction per document).
"""
from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Any, Iterator, Optional, Union

from fastapi import APIRouter, Body, Path, Query, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from wirescope.api.common import MAX_ID, NO_CONTROL, invalid, limit_query, offset_query, page, plain, reading
from wirescope.api.models import (
    ArticleIn, AuditEntry, ErrorOut, IngestOut, MergeIn, MergeOut, Page, SplitIn, SplitOut,
)
from wirescope.api.security import client_of
from wirescope.errors import ApiError, WirescopeError
from wirescope.flow import Ingest
from wirescope.settings import parse_date
from wirescope.store import audit

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api")
bearer_scheme = HTTPBearer(auto_error=False, scheme_name="bearer",
                           description="The server's WIRESCOPE_TOKEN: `Authorization: Bearer <token>`.")

WRITE_RESPONSES: dict[Union[int, str], dict[str, Any]] = {
    status: {"model": ErrorOut, "description": text} for status, text in (
        (401, "Missing or wrong token (E503)"), (403, "Writes are disabled (E502)"),
        (404, "Not found (E501)"), (413, "Request body too large (E504)"), (422, "Invalid request (E505, E2xx)"),
        (429, "Too many failed tokens from this client (E509), see Retry-After"))
}


def writer(request: Request, _credentials: Optional[HTTPAuthorizationCredentials] = Security(bearer_scheme)) -> str:
    """The authenticated identity (set by WriteGuard, or checked here when it did not run)."""
    identity = getattr(request.state, "identity", None)
    if identity is None:
        identity = request.app.state.ws.authenticate(request.headers.get("authorization"))
    return identity


# ---- the audit trail ---------------------------------------------------------------------------
class Audit:
    """One write's audit record: `ids` and `detail` fill in as the write goes; `commit(conn)` writes
    the success row inside the write's own transaction."""

    def __init__(self, request: Request, identity: str, action: str, ids: list[str]) -> None:
        self.state = request.app.state.ws
        self.values: dict[str, Any] = {"action": action, "identity": identity, "client": client_of(request.scope)}
        self.ids = list(ids)
        self.detail: dict[str, Any] = {}
        self.done = False

    def _row(self, result: str) -> dict[str, Any]:
        return {**self.values, "ids": self.ids, "result": result, "detail": self.detail or None}

    def commit(self, conn) -> None:
        audit.append(conn, **self._row("ok"))
        self.done = True

    def fail(self, code: str) -> None:
        # also after commit(): the transaction holding the success row may have been rolled back
        try:
            with self.state.kb.engine.begin() as conn:
                audit.append(conn, **self._row(code))
        except Exception:  # never hide the write's own error behind the audit's
            log.exception("could not record the failed %s in the audit log", self.values["action"])
        self.done = True


@contextmanager
def audited(request: Request, identity: str, action: str, ids: list[str]) -> Iterator[Audit]:
    """Record the write: a failure with its error code (E500 for a bug), a success where the write
    calls entry.commit(conn), or here when it did not."""
    entry = Audit(request, identity, action, ids)
    try:
        yield entry
    except WirescopeError as exc:
        entry.fail(exc.code)
        raise
    except Exception:
        entry.fail("E500")
        raise
    if not entry.done:
        with entry.state.kb.engine.begin() as conn:
            entry.commit(conn)
    log.info("audit: %s %s by %s from %s: ok", action, entry.ids[:5], identity, entry.values["client"])


# ---- the work ---------------------------------------------------------------------------------------
def _raise(exc: WirescopeError) -> None:
    raise exc


def ingest(state, articles: list[dict[str, Any]], entry: Audit | None = None) -> dict[str, Any]:
    from wirescope.ingest.readers import make_document

    docs = []
    for number, article in enumerate(articles, 1):
        text = article["text"]
        if len(text) > state.settings.max_chars:
            raise WirescopeError("E207", path=f"article {number}", size=len(text), limit=state.settings.max_chars)
        if article.get("published"):  # the API takes ISO dates only (E206), whatever readers accept
            article["published"] = parse_date(article["published"], where=f"article {number}").isoformat()
        meta = {k: article.get(k) for k in ("published", "url", "title", "outlet") if article.get(k)}
        doc = make_document(text, meta, source=f"api:{number}")  # E202 empty, E206 bad date
        if state.settings.published and not doc.published:
            doc.published = state.settings.published.isoformat()
        docs.append(doc)
    pipeline = state.pipeline()
    results = []
    with state._lock:  # one analysis at a time: the pipeline is shared
        analyses = list(pipeline.analyse_many(docs, batch_size=len(docs)))
    for analysis in analyses:
        if isinstance(analysis, WirescopeError):
            raise analysis
    flow = Ingest(state.kb, on_error=_raise)
    for analysis in analyses:
        saved = flow.store(analysis)
        if entry is not None:
            entry.ids.append(saved.doc_id)
            entry.detail["stored"] = entry.detail.get("stored", 0) + int(bool(saved.stored))
        results.append({
            "id": saved.doc_id, "stored": saved.stored, "duplicate_of": saved.duplicate_of,
            "href": f"/documents/{saved.doc_id}", "api": f"/api/documents/{saved.doc_id}",
            "actors": len(analysis.entities), "statements": len(analysis.statements),
            "relations": len(analysis.relations), "events": len(analysis.events),
        })
    return {"documents": results, "counts": state.kb.counts()}


def merge(state, keep: str, drop: str, author: str, note: str | None = None, entry: Audit | None = None
          ) -> dict[str, Any]:
    """An analyst's judgement that two actors are one: recorded, `drop` folds into `keep`."""
    from wirescope.resolve.judgements import merge as merge_entities

    if keep == drop:
        raise invalid("keep and drop are the same actor")
    with state.kb.engine.begin() as conn:
        _exists(conn, keep)
        _exists(conn, drop)
        survivor = merge_entities(conn, keep, drop, author=author,
                                  explanation={"action": "merge", "via": "api", **({"note": note} if note else {})})
        if entry is not None:
            entry.ids.append(survivor)
            entry.commit(conn)
    return {"merged": drop, "into": survivor, "author": author, "href": f"/actors/{survivor}"}


def split(state, kb_id: str, author: str, documents: list[str] | None = None, names: list[str] | None = None,
          note: str | None = None, entry: Audit | None = None) -> dict[str, Any]:
    """An analyst's split: the document actors of `kb_id` going by `names` (or found in
    `documents`) move to a new actor; recorded as a judgement."""
    from wirescope.resolve.judgements import split as split_entity

    if not documents and not names:
        raise invalid("give the documents or the names to split out")
    with state.kb.engine.begin() as conn:
        _exists(conn, kb_id)
        result = split_entity(conn, kb_id, names=list(names or []), author=author, docs=list(documents or []) or None)
        if not result.get("new"):
            raise invalid("no mention of this actor matches those names or documents")
        if entry is not None:
            entry.ids.append(result["new"])
            entry.detail["moved"] = len(result.get("moved") or [])
            entry.commit(conn)
    return {**result, "author": author, "href": f"/actors/{result['new']}", "note": note}


def _exists(conn, kb_id: str) -> None:
    from sqlalchemy import select

    from wirescope.store import schema as S

    if conn.execute(select(S.kb_entities.c.id).where(S.kb_entities.c.id == kb_id)).first() is None:
        raise ApiError("E501", status=404, what=f"actor {kb_id}")


# ---- routes -------------------------------------------------------------------------------------------
@router.post("/documents", tags=["write"], status_code=201, responses=WRITE_RESPONSES, response_model=IngestOut,
             summary="Analyse and store one or more articles (needs --allow-writes and the token)")
def api_ingest(request: Request, body: Union[ArticleIn, list[ArticleIn]] = Body(...),
               identity: str = Security(writer)) -> dict[str, Any]:
    articles = body if isinstance(body, list) else [body]
    with audited(request, identity, "ingest", []) as entry:
        entry.detail["articles"] = len(articles)
        if not articles:
            raise invalid("the list of articles is empty")
        return ingest(request.app.state.ws, [a.model_dump() for a in articles], entry)


def api_merge(request: Request, body: MergeIn, identity: str = Security(writer)) -> dict[str, Any]:
    with audited(request, identity, "merge", [body.keep, body.drop]) as entry:
        if body.note:
            entry.detail["note"] = body.note
        return plain(merge(request.app.state.ws, body.keep, body.drop, author=identity, note=body.note, entry=entry))


def api_split(request: Request, body: SplitIn, id: str = Path(..., min_length=1, max_length=MAX_ID, pattern=NO_CONTROL, description="The actor's id"), identity: str = Security(writer)
              ) -> dict[str, Any]:
    with audited(request, identity, "split", [id]) as entry:
        entry.detail.update({k: v for k, v in (("names", body.names), ("documents", body.documents),
                                               ("note", body.note)) if v})
        return plain(split(request.app.state.ws, id, author=identity, documents=body.documents, names=body.names,
                           note=body.note, entry=entry))


for prefix, deprecated in (("/actors", False), ("/entities", True)):
    router.add_api_route(f"{prefix}/merge", api_merge, methods=["POST"], tags=["write"], deprecated=deprecated,
                         responses=WRITE_RESPONSES, response_model=MergeOut,
                         summary="Record that two actors are the same and merge them")
    router.add_api_route(f"{prefix}/{{id}}/split", api_split, methods=["POST"], tags=["write"],
                         deprecated=deprecated, responses=WRITE_RESPONSES, response_model=SplitOut,
                         summary="Split an actor: move some documents or names out into a new actor")


@router.get("/audit", tags=["audit"], responses=WRITE_RESPONSES, response_model=Page[AuditEntry],
            summary="The audit log of writes, newest first (needs the token)")
def api_audit(request: Request, identity: str = Security(writer),
              action: Optional[str] = Query(None, pattern="^(ingest|merge|split|review)$"),
              result: Optional[str] = Query(None, pattern="^(ok|E[1-5][0-9][0-9])$"),
              limit: int = limit_query(50), offset: int = offset_query()) -> dict[str, Any]:
    with reading(request) as conn:
        rows = audit.entries(conn, limit=limit, offset=offset, action=action, result=result)
        total = audit.count(conn, action=action, result=result)
    return page(request, rows, total, limit, offset)
