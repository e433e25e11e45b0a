"""The relation network as a networkx MultiDiGraph (for exports and graph views).

Nodes are actors (attrs name, type, subtype, anonymous, documents); each aggregated relation is one
edge keyed by its type (attrs type, polarity, support, against, independent_sources, first_seen,
last_seen, confidence, symmetric). Symmetric relations are one edge in the orientation seen most.

With `limit`, the graph holds the `limit` strongest relations (most independent sources, then
confidence; wirescope.query.ranking) and only the relations it needs are aggregated: a view stays
bounded however large the knowledge base. graph.graph says how many relations were candidates and
whether some were left out (`truncated`).
"""
from __future__ import annotations

from typing import Iterable

import networkx as nx
from sqlalchemy.engine import Connection

from wirescope.query.common import document_counts, entity_rows
from wirescope.query.ranking import strongest
from wirescope.query.relations import aggregate_relations


def network(conn: Connection, types: Iterable[str] | None = None, since: str | None = None,
            until: str | None = None, min_sources: int = 0, entity: str | None = None,
            limit: int | None = None) -> nx.MultiDiGraph:
    wanted = set(types) if types else None
    if limit is None:
        rows = aggregate_relations(conn, entity=entity, min_sources=min_sources, since=since, until=until,
                                   detail=False)
        if wanted is not None:
            rows = [r for r in rows if r["type"] in wanted]
        info = {"candidates": len(rows), "truncated": False}
    else:
        rows, info = strongest(conn, limit, entity=entity, types=wanted, since=since, until=until,
                               min_sources=min_sources)
    graph = nx.MultiDiGraph(limit=limit, candidates=info["candidates"], truncated=info["truncated"])
    ids = {r["subject"]["id"] for r in rows} | {r["object"]["id"] for r in rows}
    info_rows = entity_rows(conn, ids)
    counts = document_counts(conn, ids)
    for i in sorted(ids):
        row = info_rows.get(i, {"name": i, "type": None, "subtype": None, "anonymous": False})
        graph.add_node(i, name=row["name"], type=row["type"], subtype=row["subtype"],
                       anonymous=row["anonymous"], documents=counts.get(i, 0))
    for r in rows:
        polarity = "positive" if len(r["support"]) >= len(r["against"]) else "negative"
        graph.add_edge(r["subject"]["id"], r["object"]["id"], key=r["type"], type=r["type"], polarity=polarity,
                       support=len(r["support"]), against=len(r["against"]),
                       independent_sources=r["independent_sources"], first_seen=r["first_seen"],
                       last_seen=r["last_seen"], confidence=r["confidence"], symmetric=r["symmetric"])
    return graph
