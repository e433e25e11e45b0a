"""The network page: an interactive graph (Cytoscape.js, taken from npm at install time) over the
server-rendered SVG, which stays as the picture without JavaScript.

The page embeds the graph it drew as JSON (<script type="application/json">, never executed);
/static/network.js turns it into a Cytoscape view when the library is there: a legend by actor type,
edges coloured and labelled by relation type, dashed when mostly denied; a click on a node expands
its neighbours (/api/network/neighbours), a path form asks /api/network/path. The filters and the
path also work as plain GET forms, rendered here.
"""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from wirescope.api.cache import cached
from wirescope.api.common import (
    MAX_NAME, NO_CONTROL, actor_id, check_date, check_types, graph_json, reading, svg_response,
)
from wirescope.errors import ApiError
from wirescope.web import svg
from wirescope.web.common import _date_query, _name_query, has_cytoscape, json_script, page

router = APIRouter(include_in_schema=False)
NETWORK_EDGES, MAX_NETWORK_EDGES = 100, 2000  # relations on the network page (more: expand, or raise limit)
PATH_HOPS = 4
EXPAND = 25  # relations added when a node is expanded


def _path_query():
    return Query(None, max_length=MAX_NAME, pattern=NO_CONTROL)


def filters_of(request: Request, type: list[str] | None, since: str | None, until: str | None, min_sources: int,
               entity: str | None, limit: int, generic: bool) -> dict[str, Any]:
    args = {"types": check_types(type), "since": check_date(since, "since"), "until": check_date(until, "until"),
            "min_sources": min_sources, "entity": None, "limit": limit, "generic": generic}
    if entity and entity.strip():
        with reading(request) as conn:
            args["entity"] = actor_id(conn, entity.strip())
    return args


def cached_view(request: Request, conn, args: dict[str, Any]):
    """wirescope.query.network_view.view, once per state of the knowledge base (wirescope.api.cache)."""
    from wirescope.query.network_view import view

    return cached(request, conn, ("network", *_key(args)), lambda: view(conn, **args))


def _key(args: dict[str, Any]) -> tuple:
    return (tuple(args["types"] or ()), args["since"], args["until"], args["min_sources"], args["entity"],
            args["limit"], args["generic"])


def _edges_table(graph) -> list[dict[str, Any]]:
    return sorted(({"source": u, "target": v, "source_name": graph.nodes[u].get("name") or u,
                    "target_name": graph.nodes[v].get("name") or v, **d}
                   for u, v, d in graph.edges(data=True)),
                  key=lambda e: (-int(e.get("independent_sources") or 0), str(e["source_name"])))


def _path(request: Request, source: str | None, target: str | None, args: dict[str, Any]) -> dict[str, Any] | None:
    """The shortest path asked for with from= and to= (None when not asked); errors become a note."""
    from wirescope.query.network_view import shortest_path

    if not (source and source.strip() and target and target.strip()):
        return None
    asked = {"from": source.strip(), "to": target.strip()}
    try:
        with reading(request) as conn:
            a, b = actor_id(conn, asked["from"]), actor_id(conn, asked["to"])
            graph = shortest_path(conn, a, b, types=args["types"], since=args["since"], until=args["until"],
                                  min_sources=args["min_sources"], max_hops=PATH_HOPS, generic=args["generic"])
    except ApiError as exc:
        return dict(asked, error=exc.to_dict()["error"])
    names = {n: graph.nodes[n].get("name") or n for n in graph.nodes}
    hops = []
    chain = list(graph.graph.get("path") or [])
    for u, v in zip(chain, chain[1:]):
        links = [dict(d, source=x, target=y) for x, y, d in graph.edges(data=True) if {x, y} == {u, v}]
        hops.append({"from": u, "to": v, "links": links})
    return dict(asked, found=bool(graph.graph.get("found")), path=chain, names=names, hops=hops,
                graph=graph_json(graph), max_hops=PATH_HOPS)


@router.get("/network", response_class=HTMLResponse)
def network_page(request: Request, type: list[str] | None = Query(None), since: str | None = _date_query(),
                 until: str | None = _date_query(), min_sources: int = Query(0, ge=0, le=1000),
                 entity: str | None = _name_query(), generic: bool = Query(False),
                 limit: int = Query(NETWORK_EDGES, ge=1, le=MAX_NETWORK_EDGES),
                 source: str | None = Query(None, alias="from", max_length=MAX_NAME, pattern=NO_CONTROL),
                 target: str | None = Query(None, alias="to", max_length=MAX_NAME, pattern=NO_CONTROL)
                 ) -> HTMLResponse:
    args = filters_of(request, type, since, until, min_sources, entity, limit, generic)
    with reading(request) as conn:
        graph = cached_view(request, conn, args)
    path = _path(request, source, target, args)
    form = {"types": args["types"] or [], "since": since or "", "until": until or "", "min_sources": min_sources,
            "entity": entity or "", "limit": limit, "generic": generic,
            "from": (source or "").strip(), "to": (target or "").strip()}
    data = {
        **graph_json(graph),
        "focus": args["entity"],
        "filters": {"type": args["types"] or [], "since": args["since"], "until": args["until"],
                    "min_sources": min_sources, "generic": generic},
        "expand": EXPAND,
        "colours": {"actors": svg.ACTOR_COLOURS, "relations": svg.RELATION_COLOURS},
        "path": {k: path[k] for k in ("found", "path", "graph")} if path and "graph" in path else None,
    }
    with reading(request) as conn:
        picture = cached(request, conn, ("network svg", *_key(args)),
                         lambda: svg.network_svg(graph, focus=args["entity"]))
    return page(request, "network.html", svg=Markup(picture),
                edges=_edges_table(graph), form=form, truncated=bool(graph.graph.get("truncated")),
                candidates=graph.graph.get("candidates"), generic_hidden=graph.graph.get("generic_hidden") or 0,
                nodes=graph.number_of_nodes(), data=json_script(data), cytoscape=has_cytoscape(request),
                path=path, focus=args["entity"], default_limit=NETWORK_EDGES, page_id="network")


@router.get("/network.svg")
def network_svg(request: Request, type: list[str] | None = Query(None), since: str | None = _date_query(),
                until: str | None = _date_query(), min_sources: int = Query(0, ge=0, le=1000),
                entity: str | None = _name_query(), generic: bool = Query(False),
                limit: int = Query(NETWORK_EDGES, ge=1, le=MAX_NETWORK_EDGES)) -> Response:
    args = filters_of(request, type, since, until, min_sources, entity, limit, generic)
    with reading(request) as conn:
        graph = cached_view(request, conn, args)
    return svg_response(svg.network_svg(graph, focus=args["entity"]))
