"""GraphML and GEXF through networkx: actors as nodes, cross-document relations as edges.

The graph is wirescope.query.graph.network() (filters passed through), copied into a graph whose
attributes Gephi reads: only str, int, float and bool values, one declared type per attribute,
None written as "" (numbers as 0). Nodes keep the actor id as their id and carry `label` (the
name); edges get a unique id "<subject>-><object>:<relation>", `label` and `relation` (the relation
type: GEXF reserves an edge's `type` for directed/undirected, so the relation is called `relation`
in both formats) and `weight` (independent sources, at least 1).

The graph itself (actors and aggregate edges, not their evidence) is held in memory, as networkx
needs; the XML is written line by line as networkx generates it.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, TextIO

import networkx as nx
from sqlalchemy.engine import Connection

from wirescope.export.base import ExportStats, Filters, Scope

NODE_ATTRS: dict[str, type] = {
    "label": str, "name": str, "type": str, "subtype": str, "anonymous": bool, "documents": int,
}
EDGE_ATTRS: dict[str, type] = {
    "label": str, "relation": str, "polarity": str, "support": int, "against": int,
    "independent_sources": int, "confidence": float, "first_seen": str, "last_seen": str, "weight": float,
}


def coerce(value: Any, kind: type) -> Any:
    """A value of exactly `kind` (what Gephi and networkx's writers accept)."""
    if value is None:
        return {str: "", int: 0, float: 0.0, bool: False}[kind]
    if kind is bool:
        return bool(value)
    if kind in (int, float):
        if isinstance(value, (list, tuple, set, dict)):  # lists of evidence count as their length
            value = len(value)
        try:
            return kind(value)
        except (TypeError, ValueError):
            return kind(0)
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return str(value)


def graph_of_relations_nodes(conn: Connection, ids: list[str]) -> list[tuple[str, dict]]:
    """(id, attributes) of actors as network nodes."""
    from wirescope.query.common import document_counts, entity_rows

    rows, counts = entity_rows(conn, ids), document_counts(conn, ids)
    return [(i, {**{k: (rows.get(i) or {}).get(k) for k in ("name", "type", "subtype", "anonymous")},
                 "documents": counts.get(i, 0)}) for i in ids if i in rows]


def edge_id(u: str, v: str, relation: str) -> str:
    return f"{u}->{v}:{relation}"


def export_graph(conn: Connection, filters: Filters, stats: ExportStats) -> nx.MultiDiGraph:
    """The filtered network with clean, typed attributes and unique edge keys."""
    from wirescope.query.graph import network

    scope = Scope.resolve(conn, filters)
    if scope.docs is not None:  # a search's selection: its relations, aggregated over its documents
        from wirescope.query.network_view import graph_of_relations

        source = graph_of_relations(conn, list(scope.aggregates(conn)))
        extra = sorted(scope.listed_actor_ids - set(source.nodes))
        if extra:  # the actors the page lists by name, related in the selection or not
            source.add_nodes_from(graph_of_relations_nodes(conn, extra))
    else:
        source = network(conn, types=list(scope.relation_types) if scope.relation_types else None,
                         since=filters.since, until=filters.until, min_sources=filters.min_sources,
                         entity=scope.entity_id)
    graph = nx.MultiDiGraph(name="wirescope", filters=filters.key())
    for node, data in source.nodes(data=True):
        attrs = dict(data)
        attrs.setdefault("label", attrs.get("name") or node)
        graph.add_node(str(node), **{k: coerce(attrs.get(k), t) for k, t in NODE_ATTRS.items()})
        stats.add("nodes")
    for u, v, key, data in source.edges(keys=True, data=True):
        attrs = dict(data)
        relation = str(attrs.get("type") or key)
        attrs["relation"] = relation
        attrs.setdefault("label", relation)
        attrs["weight"] = max(coerce(attrs.get("independent_sources"), int), 1)
        clean = {k: coerce(attrs.get(k), t) for k, t in EDGE_ATTRS.items()}
        graph.add_edge(str(u), str(v), key=edge_id(str(u), str(v), relation), **clean)
        stats.add("edges")
    return graph


class _NetworkExporter:
    name = ""
    suffix = ""
    multi_file = False
    generate: Callable[[nx.MultiDiGraph], Any]

    def write(self, conn: Connection, out: TextIO | Path, filters: Filters) -> ExportStats:
        stats = ExportStats(self.name)
        graph = export_graph(conn, filters, stats)
        for line in self.lines(graph):
            out.write(line)
            out.write("\n")
        return stats

    def lines(self, graph: nx.MultiDiGraph):
        raise NotImplementedError


class GraphMLExporter(_NetworkExporter):
    name = "graphml"
    suffix = ".graphml"

    def lines(self, graph: nx.MultiDiGraph):
        graph.graph.pop("filters", None)  # graph-level data only confuses some readers
        return nx.generate_graphml(graph, encoding="utf-8", prettyprint=True)


class GEXFExporter(_NetworkExporter):
    name = "gexf"
    suffix = ".gexf"

    def lines(self, graph: nx.MultiDiGraph):
        graph.graph.pop("filters", None)
        for u, v, key, data in graph.edges(keys=True, data=True):
            data["id"] = key  # GEXF takes the edge id from the data
        return nx.generate_gexf(graph, encoding="utf-8", prettyprint=True, version="1.2draft")
