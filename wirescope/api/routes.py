"""JSON read routes under /api: thin wrappers over wirescope.query (writes are in wirescope.api.writes).

The vocabulary is actors, statements, relations, events and documents. Every list answers
{"items", "total", "limit", "offset", "next"}; every id path parameter is `{id}`; every parameter
is bounded (422 above the bounds). `/api/entities...` and `/api/timeline` are kept as aliases of
`/api/actors...` and `/api/events`, answering the same, and the `entity=` parameter as an alias of
`actor=`.
"""
from __future__ import annotations

from typing import Any, Callable, Literal, Optional, Union

from fastapi import APIRouter, Path, Query, Request

from wirescope.api.cache import cached
from wirescope.api.common import (
    MAX_ID, MAX_MATCHES, MAX_NAME, MAX_SEARCH, MAX_TYPE, NO_CONTROL, actor_id, check_date, check_types,
    date_query, graph_json, limit_query, name_query, not_found, offset_query, one_of, page, plain,
    reading, relation_or_404, resolve_actor, sliced,
)
from wirescope.api.models import (
    ActorProfile, ActorRow, DocumentOut, DocumentRow, ErrorOut, EventOut, HealthOut, NetworkOut, Page, RelationOut,
    SearchOut, StatementOut, StatsOut,
)
from wirescope.errors import ApiError

router = APIRouter(prefix="/api")

ERROR_RESPONSES: dict[Union[int, str], dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "Not found (E501, E403 for an unknown actor name)"},
    409: {"model": ErrorOut, "description": "Ambiguous actor name (E404), with `candidates`"},
    422: {"model": ErrorOut, "description": "Invalid or out-of-bounds parameter (E505, E206)"},
}


def actor_path(description: str = "An actor's id or name"):
    return Path(..., min_length=1, max_length=MAX_NAME, pattern=NO_CONTROL, description=description)


def types_query():
    return Query(None, description="Relation type(s); repeat or comma-separate (at most 20)")


NETWORK_LIMIT, MAX_NETWORK_LIMIT = 500, 5000  # edges of /api/network
PROFILE_LIMIT, MAX_PROFILE_LIMIT = 200, 1000  # items per list of an actor's profile


def get(path: str, *aliases: str, **options: Any) -> Callable:
    """Register a GET route under its path and, marked deprecated, under its aliases."""
    def register(handler: Callable) -> Callable:
        router.add_api_route(path, handler, methods=["GET"], tags=["read"], **options)
        for alias in aliases:
            router.add_api_route(alias, handler, methods=["GET"], tags=["read"], deprecated=True, **options)
        return handler
    return register


# ---- the knowledge base -------------------------------------------------------------------------
@get("/stats", response_model=StatsOut, summary="What the knowledge base holds")
def api_stats(request: Request) -> dict[str, Any]:
    from wirescope.query.documents import stats

    with reading(request) as conn:
        return plain(stats(conn))


@get("/health", response_model=HealthOut, summary="Liveness and whether writes are enabled")
def api_health(request: Request) -> dict[str, Any]:
    state = request.app.state.ws
    return {"ok": True, "writes": state.allow_writes, "pipeline_loaded": state._pipeline is not None}


@get("/search", response_model=SearchOut, responses=ERROR_RESPONSES,
     summary="Full-text search over actors, documents and statements")
def api_search(request: Request, q: str = Query(..., min_length=1, max_length=MAX_SEARCH, description="Words to find"),
               limit: int = limit_query(20, 200)) -> dict[str, Any]:
    from wirescope.query.search import search

    with reading(request) as conn:
        return plain(search(conn, q, limit=limit))


# ---- actors -------------------------------------------------------------------------------------------
@get("/actors", "/entities", response_model=Page[ActorRow], responses=ERROR_RESPONSES,
     summary="Actors: all of them by name, or those whose name, alias or acronym matches q")
def api_actors(request: Request,
               q: Optional[str] = Query(None, min_length=1, max_length=MAX_NAME, pattern=NO_CONTROL,
                                        description=f"A name (matches are capped at {MAX_MATCHES})"),
               type: Optional[str] = Query(None, max_length=MAX_TYPE, pattern=NO_CONTROL, description="Actor type"),
               limit: int = limit_query(50), offset: int = offset_query()) -> dict[str, Any]:
    from wirescope.api.lists import list_actors
    from wirescope.query.common import find_entities

    with reading(request) as conn:
        if q and q.strip():
            rows = find_entities(conn, q.strip(), limit=MAX_MATCHES)
            if type:
                rows = [r for r in rows if r["type"] == type]
            return sliced(request, rows, limit, offset)
        rows, total = list_actors(conn, limit, offset, type=type)
        return page(request, rows, total, limit, offset)


def profile_or_404(conn, ref: str, limit: int) -> dict[str, Any]:
    """entity_or_404 with each list of the profile bounded by `limit` (`totals` gives the full sizes)."""
    from wirescope.errors import StoreError
    from wirescope.query.entities import entity_profile

    kb_id = resolve_actor(conn, ref)["id"]
    try:
        profile = entity_profile(conn, kb_id, limit=limit)
    except StoreError as exc:
        if exc.code in ("E403", "E404"):
            raise not_found(f"actor {kb_id}") from None
        raise
    if not profile:
        raise not_found(f"actor {kb_id}")
    return profile


@get("/actors/{id}", "/entities/{id}", response_model=ActorProfile, responses=ERROR_RESPONSES,
     summary="One actor by id or exact name: names with sources, relations, statements by and about it")
def api_actor(request: Request, id: str = actor_path(),
              limit: int = Query(PROFILE_LIMIT, ge=1, le=MAX_PROFILE_LIMIT,
                                 description="Items per list (strongest relations, newest documents and "
                                             "statements); `totals` gives each list's full size")) -> dict[str, Any]:
    from fastapi.responses import Response

    with reading(request) as conn:
        kb_id = resolve_actor(conn, id)["id"]
        body = cached(request, conn, ("actor profile json", kb_id, limit),
                      lambda: profile_json(profile_or_404(conn, kb_id, limit)))
    return Response(body, media_type="application/json")


def profile_json(profile: dict[str, Any]) -> bytes:
    """A profile as the response body FastAPI makes of it through the ActorProfile model (validated,
    then dumped in JSON mode), made once per state of the knowledge base: a large actor's profile
    holds hundreds of thousands of values, and validating them took longer than reading them."""
    import json

    from pydantic import TypeAdapter

    adapter = TypeAdapter(ActorProfile)
    value = adapter.dump_python(adapter.validate_python(plain(profile)), mode="json", by_alias=True)
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


@get("/actors/{id}/events", "/entities/{id}/timeline", response_model=Page[EventOut], responses=ERROR_RESPONSES,
     summary="Events involving one actor, by time")
def api_actor_events(request: Request, id: str = actor_path(), since: Optional[str] = date_query("Earliest date"),
                     until: Optional[str] = date_query("Latest date"), limit: int = limit_query(100),
                     offset: int = offset_query()) -> dict[str, Any]:
    from wirescope.query.timeline import timeline_page

    since, until = check_date(since, "since"), check_date(until, "until")
    with reading(request) as conn:
        kb_id = resolve_actor(conn, id)["id"]  # not the whole profile: only its id is needed
        rows, total = timeline_page(conn, entity=kb_id, since=since, until=until, limit=limit, offset=offset)
    return page(request, rows, total, limit, offset)


# ---- statements, relations, events --------------------------------------------------------------------
@get("/statements", response_model=Page[StatementOut], responses=ERROR_RESPONSES,
     summary="Statements, newest report first: all, by one actor, or in one document")
def api_statements(request: Request, actor: Optional[str] = name_query("Only statements this actor made"),
                   document: Optional[str] = Query(None, min_length=1, max_length=MAX_ID, pattern=NO_CONTROL,
                                                   description="Only statements of this document"),
                   polarity: Optional[Literal["positive", "negative"]] = Query(None),
                   limit: int = limit_query(50), offset: int = offset_query()) -> dict[str, Any]:
    from wirescope.api.lists import list_statements

    with reading(request) as conn:
        rows, total = list_statements(conn, limit, offset, speaker=actor_id(conn, actor), document=document,
                                      polarity=polarity)
    return page(request, rows, total, limit, offset)


@get("/relations", response_model=Page[RelationOut], responses=ERROR_RESPONSES,
     summary="Relations aggregated over documents, with evidence, best supported first")
def api_relations(request: Request, actor: Optional[str] = name_query("Relations touching this actor"),
                  other: Optional[str] = name_query("... and this one"),
                  entity: Optional[str] = name_query("Old name of actor", alias="entity", deprecated=True),
                  type: Optional[list[str]] = types_query(), min_sources: int = Query(0, ge=0, le=1000),
                  since: Optional[str] = date_query("Earliest date"), until: Optional[str] = date_query("Latest date"),
                  limit: int = limit_query(50), offset: int = offset_query()) -> dict[str, Any]:
    from wirescope.query.relations import aggregate_relations

    types = check_types(type)
    since, until = check_date(since, "since"), check_date(until, "until")
    actor = one_of(actor, entity, "actor", "entity")
    with reading(request) as conn:
        a, b = actor_id(conn, actor), actor_id(conn, other)
        rows = [r for t in (types or [None]) for r in aggregate_relations(
            conn, entity=a, other=b, type=t, min_sources=min_sources, since=since, until=until)]
    return sliced(request, rows, limit, offset)


@get("/relations/{subject}/{type}/{object}", response_model=RelationOut, responses=ERROR_RESPONSES,
     summary="One relation: every supporting and contradicting statement, side by side by date in `statements`, "
             "and its attribution chains in `sources` / `against_sources`")
def api_relation(request: Request, subject: str = actor_path("The subject's id or name"),
                 type: str = Path(..., max_length=MAX_TYPE, description="Relation type"),
                 object: str = actor_path("The object's id or name")) -> dict[str, Any]:
    check_types([type])
    with reading(request) as conn:
        try:
            s, o = actor_id(conn, subject), actor_id(conn, object)
        except ApiError as exc:
            if exc.code == "E403":
                raise not_found(f"relation {subject} {type} {object}") from None
            raise
        return plain(relation_or_404(conn, s, type, o))


@get("/events", "/timeline", response_model=Page[EventOut], responses=ERROR_RESPONSES,
     summary="Events ordered by normalised time")
def api_events(request: Request, actor: Optional[str] = name_query("Events involving this actor"),
               entity: Optional[str] = name_query("Old name of actor", alias="entity", deprecated=True),
               since: Optional[str] = date_query("Earliest date"), until: Optional[str] = date_query("Latest date"),
               limit: int = limit_query(100), offset: int = offset_query()) -> dict[str, Any]:
    from wirescope.query.timeline import timeline_page

    since, until = check_date(since, "since"), check_date(until, "until")
    actor = one_of(actor, entity, "actor", "entity")
    with reading(request) as conn:  # paged, sorted and counted in SQL
        rows, total = timeline_page(conn, entity=actor_id(conn, actor), since=since, until=until, limit=limit,
                                    offset=offset)
    return page(request, rows, total, limit, offset)


# ---- documents and the network ------------------------------------------------------------------------
@get("/documents", response_model=Page[DocumentRow], responses=ERROR_RESPONSES,
     summary="Stored documents, newest first")
def api_documents(request: Request, limit: int = limit_query(50), offset: int = offset_query()) -> dict[str, Any]:
    from wirescope.api.lists import count_documents
    from wirescope.query.documents import list_documents

    with reading(request) as conn:
        total = count_documents(conn)
        rows = list_documents(conn, limit=limit, offset=offset) if offset < total else []
    return page(request, rows, total, limit, offset)


@get("/documents/{id}", response_model=DocumentOut, responses=ERROR_RESPONSES,
     summary="One document with every layer and its character offsets")
def api_document(request: Request, id: str = Path(..., min_length=1, max_length=MAX_ID, pattern=NO_CONTROL, description="A document's id")) -> dict[str, Any]:
    from wirescope.query.documents import get_document

    with reading(request) as conn:
        doc = get_document(conn, id)
    if doc is None:
        raise not_found(f"document {id}")
    return plain(doc)


@get("/network", response_model=NetworkOut, responses=ERROR_RESPONSES,
     summary="The relation network as nodes (actors) and edges (relations), the strongest first")
def api_network(request: Request, type: Optional[list[str]] = types_query(),
                since: Optional[str] = date_query("Earliest date"), until: Optional[str] = date_query("Latest date"),
                min_sources: int = Query(0, ge=0, le=1000), actor: Optional[str] = name_query("Around this actor"),
                entity: Optional[str] = name_query("Old name of actor", alias="entity", deprecated=True),
                generic: bool = Query(False, description='Include unnamed groups ("fighters", "Western '
                                                         'diplomats") as nodes'),
                limit: int = Query(NETWORK_LIMIT, ge=1, le=MAX_NETWORK_LIMIT,
                                   description="At most this many edges: the relations with the most "
                                               "independent sources, then the most confident")) -> dict[str, Any]:
    from wirescope.query.network_view import view

    types = check_types(type)
    since, until = check_date(since, "since"), check_date(until, "until")
    actor = one_of(actor, entity, "actor", "entity")
    with reading(request) as conn:
        args = {"types": types, "since": since, "until": until, "min_sources": min_sources,
                "entity": actor_id(conn, actor), "limit": limit, "generic": generic}
        key = ("network", tuple(types or ()), since, until, min_sources, args["entity"], limit, generic)
        graph = cached(request, conn, key, lambda: view(conn, **args))
    return dict(graph_json(graph), limit=limit, truncated=bool(graph.graph.get("truncated")),
                candidates=graph.graph.get("candidates"), generic_hidden=graph.graph.get("generic_hidden") or 0)
