"""JSON for the interactive network: the neighbours of one actor (to expand a node) and the shortest
chain of relations between two actors. Both are bounded and take the network's filters (relation
types, dates, minimum independent sources); unnamed groups ("fighters") stay out unless
`generic=true` (wirescope.query.network_view)."""
from __future__ import annotations

from typing import Any, Optional

from fastapi import APIRouter, Query, Request

from wirescope.api.cache import cached
from wirescope.api.common import (
    MAX_NAME, NO_CONTROL, check_date, check_types, date_query, graph_json, reading, resolve_actor,
)
from wirescope.api.models import NetworkOut, PathOut
from wirescope.api.routes import ERROR_RESPONSES, types_query

router = APIRouter(prefix="/api")
NEIGHBOURS, MAX_NEIGHBOURS = 25, 200


def generic_query():
    return Query(False, description='Include unnamed groups ("fighters", "Western diplomats") as nodes')


def network_answer(graph, limit: int | None) -> dict[str, Any]:
    """The JSON of a network view: nodes, edges and what was left out."""
    return dict(graph_json(graph), limit=limit, truncated=bool(graph.graph.get("truncated")),
                candidates=graph.graph.get("candidates"), generic_hidden=graph.graph.get("generic_hidden") or 0)


@router.get("/network/neighbours", tags=["read"], response_model=NetworkOut, responses=ERROR_RESPONSES,
            summary="One actor and its strongest relations (to expand a node of the network)")
def api_neighbours(request: Request, actor: str = Query(..., min_length=1, max_length=MAX_NAME, pattern=NO_CONTROL,
                                                        description="The actor's id or name"),
                   type: Optional[list[str]] = types_query(), since: Optional[str] = date_query("Earliest date"),
                   until: Optional[str] = date_query("Latest date"), min_sources: int = Query(0, ge=0, le=1000),
                   generic: bool = generic_query(),
                   limit: int = Query(NEIGHBOURS, ge=1, le=MAX_NEIGHBOURS,
                                      description=f"At most this many relations (1-{MAX_NEIGHBOURS})")
                   ) -> dict[str, Any]:
    from wirescope.query.network_view import neighbours

    types = check_types(type)
    since, until = check_date(since, "since"), check_date(until, "until")
    with reading(request) as conn:
        kb_id = resolve_actor(conn, actor)["id"]
        key = ("neighbours", kb_id, tuple(types or ()), since, until, min_sources, limit, generic)
        graph = cached(request, conn, key, lambda: neighbours(conn, kb_id, types=types, since=since, until=until,
                                                               min_sources=min_sources, limit=limit, generic=generic))
    return dict(network_answer(graph, limit), actor=kb_id)


@router.get("/network/path", tags=["read"], response_model=PathOut, responses=ERROR_RESPONSES,
            summary="The shortest chain of supported relations between two actors (either direction)")
def api_path(request: Request, source: str = Query(..., alias="from", min_length=1, max_length=MAX_NAME,
                                                   pattern=NO_CONTROL, description="One actor's id or name"),
             target: str = Query(..., alias="to", min_length=1, max_length=MAX_NAME, pattern=NO_CONTROL,
                                 description="The other actor's id or name"),
             type: Optional[list[str]] = types_query(), since: Optional[str] = date_query("Earliest date"),
             until: Optional[str] = date_query("Latest date"), min_sources: int = Query(0, ge=0, le=1000),
             generic: bool = generic_query(),
             max_hops: int = Query(4, ge=1, le=6, description="Longest chain looked for (1-6 relations)")
             ) -> dict[str, Any]:
    from wirescope.query.network_view import shortest_path

    types = check_types(type)
    since, until = check_date(since, "since"), check_date(until, "until")
    with reading(request) as conn:
        a, b = resolve_actor(conn, source)["id"], resolve_actor(conn, target)["id"]
        graph = shortest_path(conn, a, b, types=types, since=since, until=until, min_sources=min_sources,
                              max_hops=max_hops, generic=generic)
    info = graph.graph
    return dict(graph_json(graph), source=a, target=b, found=bool(info.get("found")), path=list(info.get("path") or []),
                hops=info.get("hops"), max_hops=max_hops)

