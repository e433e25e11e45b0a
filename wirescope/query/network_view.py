"""The relation network as an analyst browses it: the strongest relations without unnamed groups,
the neighbours of one actor (to expand a node), and the shortest chain of relations between two.

Unnamed groups are actors the analysis made from a plural noun phrase ("fighters", "al-Qaida
members": subtype "generic") or from a group of sources ("Western diplomats": subtype "sources").
They are real arguments of relations in one article, but as network nodes they join unrelated
stories, so views leave them out unless asked (`generic=True`) or unless one is the focus.

Every function is bounded: `limit` relations, `max_hops` and `max_nodes` for a path. Graphs have the
shape of wirescope.query.graph.network (a networkx MultiDiGraph, nodes with name, type, subtype,
anonymous, documents; one edge per aggregated relation keyed by its type).
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable

import networkx as nx
from sqlalchemy import or_, select
from sqlalchemy.engine import Connection

from wirescope.query.common import _chunks, canonical_map, document_counts, entity_rows, members_map, resolve_entity
from wirescope.query.relations import aggregate_relations, normalise_time, symmetric_types
from wirescope.store import schema as S

GENERIC_SUBTYPES = ("generic", "sources")  # unnamed groups: "fighters", "Western diplomats"
MAX_HOPS = 6
MAX_NODES = 20_000  # actors a path search may visit
MAX_RETRIES = 5  # paths re-searched after an edge failed min_sources


def is_generic(attrs: dict) -> bool:
    return str(attrs.get("subtype") or "") in GENERIC_SUBTYPES


def generic_ids(conn: Connection) -> set[str]:
    """The unnamed groups of the knowledge base (actors not merged into another)."""
    k = S.kb_entities
    return set(conn.execute(select(k.c.id).where(k.c.subtype.in_(GENERIC_SUBTYPES), k.c.merged_into.is_(None)))
               .scalars())


def strongest_named(conn: Connection, limit: int, entity: str | None = None, types: Iterable[str] | None = None,
                    since: str | None = None, until: str | None = None, min_sources: int = 0,
                    generic: bool = False) -> tuple[list[dict], dict]:
    """wirescope.query.ranking.strongest with relations to unnamed groups left out before ranking
    (unless `generic`, or the group is `entity` itself): the same order (most independent sources,
    then confidence) and the same bound on the work (at most BUDGET x limit relations aggregated)."""
    from wirescope.query.ranking import _merged, ranked_counts, top_of_ranked

    ranked = ranked_counts(conn, entity, types)
    hidden = 0
    if not generic:
        unnamed = generic_ids(conn) - {entity}
        if unnamed:
            canon = _merged(conn)
            kept = []
            for found in ranked:
                s, _, o = found[1][0]
                if canon.get(s, s) in unnamed or canon.get(o, o) in unnamed:
                    hidden += 1
                else:
                    kept.append(found)
            ranked = kept
    found, info = top_of_ranked(conn, ranked, limit, since=since, until=until, min_sources=min_sources)
    info["generic_hidden"] = hidden
    return found, info


def view(conn: Connection, types: Iterable[str] | None = None, since: str | None = None, until: str | None = None,
         min_sources: int = 0, entity: str | None = None, limit: int = 300, generic: bool = False) -> nx.MultiDiGraph:
    """The `limit` strongest relations (touching `entity`) as a graph, without unnamed groups unless
    `generic`; graph.graph says how many were candidates, whether some were left out (`truncated`)
    and how many relations to unnamed groups were (`generic_hidden`)."""
    rows, info = strongest_named(conn, limit, entity=entity, types=set(types) if types else None, since=since,
                                 until=until, min_sources=min_sources, generic=generic)
    graph = graph_of_relations(conn, rows)
    graph.graph.update(limit=limit, candidates=info["candidates"], truncated=info["truncated"],
                       generic_hidden=info["generic_hidden"])
    return graph


def neighbours(conn: Connection, actor: str, types: Iterable[str] | None = None, since: str | None = None,
               until: str | None = None, min_sources: int = 0, limit: int = 25, generic: bool = False
               ) -> nx.MultiDiGraph:
    """The actor and its `limit` strongest relations (to expand a node of the network)."""
    kb_id = resolve_entity(conn, actor)["id"]
    graph = view(conn, types=types, since=since, until=until, min_sources=min_sources, entity=kb_id, limit=limit,
                 generic=generic)
    if kb_id not in graph:
        row = entity_rows(conn, [kb_id]).get(kb_id) or {"name": kb_id, "type": None, "subtype": None,
                                                        "anonymous": False}
        graph.add_node(kb_id, name=row["name"], type=row["type"], subtype=row["subtype"], anonymous=row["anonymous"],
                       documents=document_counts(conn, [kb_id]).get(kb_id, 0))
    graph.graph["actor"] = kb_id
    return graph


# ---- paths ---------------------------------------------------------------------------------------
def _in_window(date: str | None, since: str | None, until: str | None) -> bool:
    if not since and not until:
        return True
    if not date:
        return False
    return not ((since and date < since[:len(date)]) or (until and date[:len(until)] > until))


class _Links:
    """The supported relations around a set of actors, read from the relation rows a frontier at a time."""

    def __init__(self, conn: Connection, types, since, until, generic: bool, ends: set[str]) -> None:
        self.conn, self.since, self.until, self.generic, self.ends = conn, since, until, generic, ends
        self.types = sorted(set(types or []))
        self.banned: set[tuple[str, str, str]] = set()  # (canonical s, type, canonical o) that failed min_sources
        self.kind: dict[str, bool] = {}  # canonical id -> usable as a node of a path

    def _usable(self, ids: set[str]) -> None:
        unknown = sorted(i for i in ids if i not in self.kind)
        rows = entity_rows(self.conn, unknown)
        for i in unknown:
            row = rows.get(i)
            self.kind[i] = row is not None and (self.generic or i in self.ends or not is_generic(row))

    def around(self, frontier: set[str]) -> dict[str, list[tuple[str, str, str, str, str]]]:
        """canonical id -> [(neighbour, stored subject_kb, type, stored object_kb, direction)]."""
        r, d = S.relations, S.documents
        groups = members_map(self.conn, frontier)
        owner = {m: c for c, ms in groups.items() for m in ms}
        raw = sorted(owner)
        found = []
        for chunk in _chunks(raw, 400):
            q = (select(r.c.subject_kb, r.c.type, r.c.object_kb, r.c.time, d.c.published)
                 .select_from(r.join(d, d.c.id == r.c.doc_id))
                 .where(r.c.polarity == "positive", or_(r.c.subject_kb.in_(chunk), r.c.object_kb.in_(chunk))))
            if self.types:
                q = q.where(r.c.type.in_(self.types))
            found += self.conn.execute(q).all()
        keep = [x for x in found if x.subject_kb != x.object_kb
                and _in_window(normalise_time(x.time) or (x.published or "")[:10] or None, self.since, self.until)]
        canon = canonical_map(self.conn, {i for x in keep for i in (x.subject_kb, x.object_kb)})
        self._usable(set(canon.values()))
        out: dict[str, list] = defaultdict(list)
        seen = set()
        for x in keep:
            s, o = canon.get(x.subject_kb, x.subject_kb), canon.get(x.object_kb, x.object_kb)
            if s == o or (s, x.type, o) in self.banned:
                continue
            for here, there, direction in ((s, o, "out"), (o, s, "in")):
                if here in frontier and self.kind.get(there) and (here, there, x.type, direction) not in seen:
                    seen.add((here, there, x.type, direction))
                    out[here].append((there, x.subject_kb, x.type, x.object_kb, direction))
        return out


def _search(links: _Links, a: str, b: str, max_hops: int, max_nodes: int):
    """Bidirectional breadth-first search: the actors of a shortest path a .. b and, per hop, the
    stored relation keys joining them; (None, None) when there is none within the bounds."""
    parents = {a: None}  # node -> (previous node, [keys]) from a's side
    children = {b: None}  # node -> (next node, [keys]) from b's side
    front_a, front_b = {a}, {b}
    hops = 0
    while front_a and front_b and hops < max_hops and len(parents) + len(children) <= max_nodes:
        hops += 1
        expand_a = len(front_a) <= len(front_b)
        frontier = front_a if expand_a else front_b
        mine, theirs = (parents, children) if expand_a else (children, parents)
        step: dict[str, list] = defaultdict(list)
        origin: dict[str, str] = {}
        for here, links_ in sorted(links.around(frontier).items()):
            for there, s_raw, rtype, o_raw, _direction in links_:
                if there in mine:  # reached from this side already
                    continue
                origin.setdefault(there, here)
                if origin[there] == here:
                    step[there].append((s_raw, rtype, o_raw))
        for there, keys in step.items():
            mine[there] = (origin[there], keys)
        meet = sorted(n for n in step if n in theirs)
        if meet:
            node = meet[0]
            left, cur = [], node
            while parents[cur] is not None:
                prev, keys = parents[cur]
                left.append((prev, cur, keys))
                cur = prev
            path = [(p, c, k) for p, c, k in reversed(left)]
            cur = node
            while children[cur] is not None:
                nxt, keys = children[cur]
                path.append((cur, nxt, keys))
                cur = nxt
            return [p for p, _, _ in path] + [path[-1][1]] if path else [a], path
        if expand_a:
            front_a = set(step)
        else:
            front_b = set(step)
    return None, None


def shortest_path(conn: Connection, source: str, target: str, types: Iterable[str] | None = None,
                  since: str | None = None, until: str | None = None, min_sources: int = 0,
                  max_hops: int = MAX_HOPS, generic: bool = False, max_nodes: int = MAX_NODES) -> nx.MultiDiGraph:
    """The shortest chain of supported relations (either direction) between two actors, as a graph
    whose `graph["path"]` lists the actors in order (empty when none is found within `max_hops`
    relations and `max_nodes` actors visited). Each hop carries the relations joining the two
    actors, aggregated as in the network (independent sources, confidence, ...); with `min_sources`
    a hop whose relations fall short is left out and the search runs again (at most MAX_RETRIES)."""
    a, b = resolve_entity(conn, source)["id"], resolve_entity(conn, target)["id"]
    graph = nx.MultiDiGraph(path=[], hops=None, found=False, source=a, target=b, max_hops=max_hops)
    if a == b:
        graph.graph.update(path=[a], hops=0, found=True)
        _add_nodes(conn, graph, [a])
        return graph
    links = _Links(conn, types, since, until, generic, {a, b})
    for _ in range(MAX_RETRIES + 1):
        nodes, hops = _search(links, a, b, max_hops, max_nodes)
        if nodes is None:
            break
        rows, weak = [], False
        for u, v, keys in hops:
            found = aggregate_relations(conn, keys=sorted(set(keys)), since=since, until=until,
                                        min_sources=min_sources, detail=False)
            found = [r for r in found if r["support"]]
            if not found:
                symmetric = symmetric_types()
                canon = canonical_map(conn, {k for s, _, o in keys for k in (s, o)})
                for s, t, o in keys:
                    cs, co = canon.get(s, s), canon.get(o, o)
                    links.banned.add((cs, t, co))
                    if t in symmetric:
                        links.banned.add((co, t, cs))
                weak = True
                break
            rows += found
        if weak:
            continue
        _add_nodes(conn, graph, nodes)
        for r in rows:
            _add_edge(graph, r)
        graph.graph.update(path=nodes, hops=len(nodes) - 1, found=True)
        return graph
    return graph


def _add_nodes(conn: Connection, graph: nx.MultiDiGraph, ids: Iterable[str]) -> None:
    ids = list(dict.fromkeys(ids))
    rows = entity_rows(conn, ids)
    counts = document_counts(conn, ids)
    for i in ids:
        row = rows.get(i, {"name": i, "type": None, "subtype": None, "anonymous": False})
        graph.add_node(i, name=row["name"], type=row["type"], subtype=row["subtype"], anonymous=row["anonymous"],
                       documents=counts.get(i, 0))


def _add_edge(graph: nx.MultiDiGraph, r: dict) -> None:
    """One aggregated relation as an edge, with the attributes wirescope.query.graph.network gives."""
    polarity = "positive" if len(r["support"]) >= len(r["against"]) else "negative"
    graph.add_edge(r["subject"]["id"], r["object"]["id"], key=r["type"], type=r["type"], polarity=polarity,
                   support=len(r["support"]), against=len(r["against"]),
                   independent_sources=r["independent_sources"], first_seen=r["first_seen"],
                   last_seen=r["last_seen"], confidence=r["confidence"], symmetric=r["symmetric"])


def graph_of_relations(conn: Connection, rows: list[dict]) -> nx.MultiDiGraph:
    """A graph (the network's shape) of already aggregated relations, e.g. an actor profile's."""
    graph = nx.MultiDiGraph()
    _add_nodes(conn, graph, sorted({r[k]["id"] for r in rows for k in ("subject", "object")}))
    for r in rows:
        _add_edge(graph, r)
    return graph


__all__ = ["GENERIC_SUBTYPES", "is_generic", "generic_ids", "strongest_named", "view", "neighbours",
           "shortest_path", "graph_of_relations"]
