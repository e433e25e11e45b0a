"""JSON routes under /api: thin wrappers over wirescope.query (reads) and wirescope.api.writes."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from fastapi import APIRouter, Body, Header, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from wirescope.errors import ApiError
from wirescope.model import RELATION_TYPES
from wirescope.settings import parse_date

router = APIRouter(prefix="/api")

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"description": text, "content": {"application/json": {"example": {
        "error": {"code": ex, "message": "...", "hint": "..."}}}}}
    for code, text, ex in ((404, "Not found", "E501"), (422, "Invalid request", "E505"))
}


# ---- shared helpers (also used by the HTML pages) -------------------------------------------------
@contextmanager
def reading(request: Request) -> Iterator[Any]:
    with request.app.state.ws.kb.engine.connect() as conn:
        yield conn


def check_date(value: str | None, name: str) -> str | None:
    if value in (None, ""):
        return None
    return parse_date(value, where=name).isoformat()


def check_types(types: list[str] | None) -> list[str] | None:
    """Relation types from repeated or comma-separated parameters, each one known."""
    if not types:
        return None
    found = [t.strip() for raw in types for t in raw.split(",") if t.strip()]
    bad = [t for t in found if t not in RELATION_TYPES]
    if bad:
        raise ApiError("E505", status=422, reason=f"unknown relation type {bad[0]!r}; valid: {', '.join(RELATION_TYPES)}")
    return found or None


def not_found(what: str) -> ApiError:
    return ApiError("E501", status=404, what=what)


def graph_json(graph) -> dict[str, Any]:
    """A networkx MultiDiGraph as {"nodes": [...], "edges": [...]} of plain values."""
    nodes = [{"id": n, **_plain(attrs)} for n, attrs in graph.nodes(data=True)]
    edges = [{"source": u, "target": v, "key": k, **_plain(attrs)} for u, v, k, attrs in graph.edges(keys=True, data=True)]
    return {"nodes": nodes, "edges": edges}


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def entity_or_404(conn, ref: str) -> dict[str, Any]:
    """The profile of an actor by id, or by an exact name (E403 unknown / E404 ambiguous)."""
    from wirescope.query.entities import entity_profile, resolve_entity

    profile = _profile(conn, ref, entity_profile)
    if profile is None:
        found = resolve_entity(conn, ref)
        profile = _profile(conn, found["id"], entity_profile)
    if profile is None:
        raise not_found(f"actor {ref}")
    return profile


def _profile(conn, kb_id: str, entity_profile) -> dict[str, Any] | None:
    from wirescope.errors import StoreError

    try:
        profile = entity_profile(conn, kb_id)
    except StoreError as exc:
        if exc.code in ("E403", "E404"):
            return None
        raise
    return profile or None


def relation_or_404(conn, subject: str, type_: str, obj: str) -> dict[str, Any]:
    from wirescope.errors import StoreError
    from wirescope.query.relations import relation_detail

    try:
        row = relation_detail(conn, subject, type_, obj)
    except StoreError as exc:
        if exc.code in ("E403", "E404"):
            raise not_found(f"relation {subject} {type_} {obj}") from None
        raise
    if not row or not (row.get("support") or row.get("against")):
        raise not_found(f"relation {subject} {type_} {obj}")
    return row


# ---- reads ------------------------------------------------------------------------------------------
@router.get("/stats", tags=["read"], summary="What the knowledge base holds")
def api_stats(request: Request) -> dict[str, Any]:
    from wirescope.query.documents import stats

    with reading(request) as conn:
        return stats(conn)


@router.get("/search", tags=["read"], summary="Full-text search over actors, documents and statements",
            responses=ERROR_RESPONSES)
def api_search(request: Request, q: str = Query(..., min_length=1, max_length=500, description="Words to find"),
               limit: int = Query(20, ge=1, le=200)) -> dict[str, Any]:
    from wirescope.query.search import search

    with reading(request) as conn:
        return _plain(search(conn, q, limit=limit))


@router.get("/entities", tags=["read"], summary="Actors whose names match", responses=ERROR_RESPONSES)
def api_entities(request: Request, q: str = Query(..., min_length=1, max_length=500),
                 limit: int = Query(20, ge=1, le=200)) -> list[dict[str, Any]]:
    from wirescope.query.entities import find_entities

    with reading(request) as conn:
        return _plain(find_entities(conn, q, limit=limit))


@router.get("/entities/{ref}", tags=["read"], summary="One actor: names with sources, relations, statements",
            responses=ERROR_RESPONSES)
def api_entity(request: Request, ref: str) -> dict[str, Any]:
    with reading(request) as conn:
        return _plain(entity_or_404(conn, ref))


@router.get("/entities/{ref}/timeline", tags=["read"], summary="Events involving one actor, by time",
            responses=ERROR_RESPONSES)
def api_entity_timeline(request: Request, ref: str, since: str | None = None, until: str | None = None,
                        limit: int = Query(500, ge=1, le=5000)) -> list[dict[str, Any]]:
    from wirescope.query.timeline import timeline

    since, until = check_date(since, "since"), check_date(until, "until")
    with reading(request) as conn:
        kb_id = entity_or_404(conn, ref)["entity"]["id"]
        return _plain(timeline(conn, entity=kb_id, since=since, until=until, limit=limit))


@router.get("/relations", tags=["read"], summary="Relations aggregated over documents, with evidence",
            responses=ERROR_RESPONSES)
def api_relations(request: Request, entity: str | None = None, other: str | None = None,
                  type: list[str] | None = Query(None, description="Relation type(s); repeat or comma-separate"),
                  min_sources: int = Query(0, ge=0, le=1000), since: str | None = None,
                  until: str | None = None) -> list[dict[str, Any]]:
    from wirescope.query.relations import aggregate_relations

    types = check_types(type)
    since, until = check_date(since, "since"), check_date(until, "until")
    with reading(request) as conn:
        if types and len(types) > 1:
            rows = [r for t in types for r in aggregate_relations(conn, entity=entity, other=other, type=t,
                                                                 min_sources=min_sources, since=since, until=until)]
        else:
            rows = aggregate_relations(conn, entity=entity, other=other, type=types[0] if types else None,
                                       min_sources=min_sources, since=since, until=until)
        return _plain(rows)


@router.get("/relations/{subject}/{type}/{object}", tags=["read"],
            summary="One relation: every supporting and contradicting statement", responses=ERROR_RESPONSES)
def api_relation(request: Request, subject: str, type: str, object: str) -> dict[str, Any]:
    check_types([type])
    with reading(request) as conn:
        return _plain(relation_or_404(conn, subject, type, object))


@router.get("/documents", tags=["read"], summary="Stored documents, newest first")
def api_documents(request: Request, limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0)
                  ) -> list[dict[str, Any]]:
    from wirescope.query.documents import list_documents

    with reading(request) as conn:
        return _plain(list_documents(conn, limit=limit, offset=offset))


@router.get("/documents/{doc_id}", tags=["read"], summary="One document with every layer and its offsets",
            responses=ERROR_RESPONSES)
def api_document(request: Request, doc_id: str) -> dict[str, Any]:
    from wirescope.query.documents import get_document

    with reading(request) as conn:
        doc = get_document(conn, doc_id)
    if doc is None:
        raise not_found(f"document {doc_id}")
    return _plain(doc)


@router.get("/network", tags=["read"], summary="The relation network as nodes and edges", responses=ERROR_RESPONSES)
def api_network(request: Request, type: list[str] | None = Query(None), since: str | None = None,
                until: str | None = None, min_sources: int = Query(0, ge=0, le=1000),
                entity: str | None = None) -> dict[str, Any]:
    from wirescope.query.graph import network

    types = check_types(type)
    since, until = check_date(since, "since"), check_date(until, "until")
    with reading(request) as conn:
        return graph_json(network(conn, types=types, since=since, until=until, min_sources=min_sources, entity=entity))


@router.get("/timeline", tags=["read"], summary="Events ordered by normalised time", responses=ERROR_RESPONSES)
def api_timeline(request: Request, entity: str | None = None, since: str | None = None, until: str | None = None,
                 limit: int = Query(500, ge=1, le=5000)) -> list[dict[str, Any]]:
    from wirescope.query.timeline import timeline

    since, until = check_date(since, "since"), check_date(until, "until")
    with reading(request) as conn:
        return _plain(timeline(conn, entity=entity, since=since, until=until, limit=limit))


# ---- writes (only with --allow-writes and the token) ----------------------------------------------
class ArticleIn(BaseModel):
    """One article to analyse and store."""
    model_config = ConfigDict(extra="forbid")
    text: str = Field(..., min_length=1, description="The article text (offsets point into it)")
    published: str | None = Field(None, max_length=32, description="ISO date, e.g. 2021-03-20")
    url: str | None = Field(None, max_length=2000)
    title: str | None = Field(None, max_length=2000)
    outlet: str | None = Field(None, max_length=500)


class MergeIn(BaseModel):
    """Two actors an analyst judges to be the same: `drop` folds into `keep`."""
    model_config = ConfigDict(extra="forbid")
    keep: str = Field(..., min_length=1, max_length=100)
    drop: str = Field(..., min_length=1, max_length=100)
    author: str = Field("analyst", min_length=1, max_length=64)
    note: str | None = Field(None, max_length=2000)


class SplitIn(BaseModel):
    """Undo a merge: the actor `id` gets back the documents (or names) listed."""
    model_config = ConfigDict(extra="forbid")
    documents: list[str] | None = Field(None, max_length=1000, description="Document ids whose mentions move out")
    names: list[str] | None = Field(None, max_length=1000, description="Names whose mentions move out")
    author: str = Field("analyst", min_length=1, max_length=64)
    note: str | None = Field(None, max_length=2000)


WRITE_RESPONSES: dict[int | str, dict[str, Any]] = {
    **ERROR_RESPONSES,
    401: {"description": "Missing or wrong token (E503)"},
    403: {"description": "Writes are disabled (E502)"},
    413: {"description": "Request body too large (E504)"},
}


@router.post("/documents", tags=["write"], status_code=201, responses=WRITE_RESPONSES,
             summary="Analyse and store one or more articles (needs --allow-writes and the token)")
def api_ingest(request: Request, body: ArticleIn | list[ArticleIn] = Body(...),
               authorization: str | None = Header(None)) -> dict[str, Any]:
    from wirescope.api.writes import ingest

    state = request.app.state.ws
    state.check_token(authorization)
    articles = body if isinstance(body, list) else [body]
    if not articles:
        raise ApiError("E505", status=422, reason="the list of articles is empty")
    return ingest(state, [a.model_dump() for a in articles])


@router.post("/entities/merge", tags=["write"], responses=WRITE_RESPONSES,
             summary="Record that two actors are the same and merge them")
def api_merge(request: Request, body: MergeIn, authorization: str | None = Header(None)) -> dict[str, Any]:
    from wirescope.api.writes import merge

    state = request.app.state.ws
    state.check_token(authorization)
    return _plain(merge(state, body.keep, body.drop, author=body.author, note=body.note))


@router.post("/entities/{kb_id}/split", tags=["write"], responses=WRITE_RESPONSES,
             summary="Split an actor: move some documents or names out into their own actor")
def api_split(request: Request, kb_id: str, body: SplitIn, authorization: str | None = Header(None)
              ) -> dict[str, Any]:
    from wirescope.api.writes import split

    state = request.app.state.ws
    state.check_token(authorization)
    return _plain(split(state, kb_id, documents=body.documents, names=body.names, author=body.author,
                        note=body.note))


@router.get("/health", tags=["read"], summary="Liveness and whether writes are enabled")
def api_health(request: Request) -> dict[str, Any]:
    state = request.app.state.ws
    return {"ok": True, "writes": state.allow_writes, "pipeline_loaded": state._pipeline is not None}


def svg_response(svg: str) -> Response:
    return Response(svg, media_type="image/svg+xml")

