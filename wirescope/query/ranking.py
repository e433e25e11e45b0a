"""The strongest cross-document relations, without aggregating every relation of the knowledge base.

A relation's independent sources (wirescope.query.relations) can never exceed the number of
distinct outlets of the original reports that support it (a syndicated copy adds at most its
original), which one grouped query counts for every stored (subject, type, object). `strongest` aggregates relations in that
order, a batch at a time, and stops as soon as no relation left could have more independent sources
than the last of the top `limit` (most independent sources, then confidence): graphs and the actor
page stay bounded as the knowledge base grows. The top is exact in independent sources; among
relations tied with the last one kept, those reported by more outlets were aggregated first
(a tie at the cut is not settled by confidence, which would mean aggregating every tied relation).
At most BUDGET x limit relations are aggregated: when many weakly supported relations tie, the top
is the best of those (`exact` False says so).
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.engine import Connection

from wirescope.query.common import members, resolve_entity
from wirescope.query.relations import aggregate_relations, symmetric_types
from wirescope.resolve.judgements import MAX_CHAIN
from wirescope.store import schema as S

MIN_BATCH = 50
BUDGET = 3  # relations aggregated per relation shown, at most (see strongest)


def ranked_keys(conn: Connection, entity: str | None = None,
                types: Iterable[str] | None = None) -> list[tuple[int, list[tuple[str, str, str]]]]:
    """[(upper bound of independent sources, the stored keys of one cross-document relation)], the
    highest bound first. Keys are (subject_kb, type, object_kb) as stored; one relation gathers the
    keys of merged actors and, for symmetric types, both directions."""
    r, d = S.relations, S.documents
    positive = r.c.polarity == "positive"
    # independent sources <= distinct outlets of the supporting originals + originals of copies
    outlets = func.count(func.distinct(case((and_(positive, d.c.duplicate_of.is_(None)),
                                             func.coalesce(d.c.outlet, d.c.id)))))
    copied = func.count(func.distinct(case((positive, d.c.duplicate_of))))
    q = (select(r.c.subject_kb, r.c.type, r.c.object_kb, (outlets + copied).label("bound"))
         .select_from(r.join(d, d.c.id == r.c.doc_id))
         .group_by(r.c.subject_kb, r.c.type, r.c.object_kb))
    if entity:
        ids = members(conn, resolve_entity(conn, entity)["id"])
        q = q.where(or_(r.c.subject_kb.in_(ids), r.c.object_kb.in_(ids)))
    types = sorted(set(types or []))
    if types:
        q = q.where(r.c.type.in_(types))
    stored = conn.execute(q).all()
    canon = _merged(conn)
    symmetric = symmetric_types()
    bound: dict[tuple, int] = defaultdict(int)
    grouped: dict[tuple, list] = defaultdict(list)
    for row in stored:
        s, o = canon.get(row.subject_kb, row.subject_kb), canon.get(row.object_kb, row.object_kb)
        key = (min(s, o), row.type, max(s, o)) if row.type in symmetric else (s, row.type, o)
        bound[key] += row.bound  # a sum over stored keys: never below the relation's own count
        grouped[key].append((row.subject_kb, row.type, row.object_kb))
    return sorted(((bound[k], grouped[k]) for k in grouped), key=lambda p: (-p[0], p[1][0]))


def _merged(conn: Connection) -> dict[str, str]:
    """Every merged actor id -> the id it reads as (end of the merge chain); unmerged ids are absent.
    One indexed query over the merged actors, however many actors there are."""
    k = S.kb_entities
    parent = dict(conn.execute(select(k.c.id, k.c.merged_into).where(k.c.merged_into.is_not(None))).all())
    out = {}
    for i in parent:
        root, seen = i, set()
        while root in parent and root not in seen and len(seen) < MAX_CHAIN:
            seen.add(root)
            root = parent[root]
        out[i] = root
    return out


def strongest(conn: Connection, limit: int, entity: str | None = None, types: Iterable[str] | None = None,
              since: str | None = None, until: str | None = None, min_sources: int = 0,
              detail: bool = False, budget: int | None = None, batch: int | None = None) -> tuple[list[dict], dict]:
    """The top `limit` aggregated relations (touching `entity`), most independent sources first, then
    confidence, and {"candidates": relations stored, "aggregated": how many were aggregated,
    "truncated": whether relations were left out, "exact": whether the top is proven (else the
    `budget` of relations to aggregate, default BUDGET x limit, ran out first: the best of those
    aggregated, in the order of the outlets that report them)}. Relations are aggregated `batch` at a
    time (default: `limit`, at least MIN_BATCH)."""
    return top_of_ranked(conn, ranked_keys(conn, entity, types), limit, since=since, until=until,
                         min_sources=min_sources, detail=detail, budget=budget, batch=batch)


def top_of_ranked(conn: Connection, ranked: list, limit: int, since: str | None = None, until: str | None = None,
                  min_sources: int = 0, detail: bool = False, budget: int | None = None,
                  batch: int | None = None) -> tuple[list[dict], dict]:
    """`strongest` over relation keys already ranked by their bound (ranked_keys, possibly filtered
    by the caller): aggregated `batch` at a time until the top `limit` is proven or the budget runs out."""
    ranked = [p for p in ranked if p[0] >= min_sources]
    budget = max(budget or BUDGET * limit, limit)
    found: list[dict] = []
    done, exact = 0, True
    rank = lambda row: (-row["independent_sources"], -row["confidence"], row["subject"]["name"],  # noqa: E731
                        row["type"], row["object"]["name"])
    while done < len(ranked):
        if len(found) >= limit and ranked[done][0] <= found[limit - 1]["independent_sources"]:
            break  # nothing left can have more independent sources than the last one kept
        if done >= budget:
            exact = False
            break
        part = ranked[done:done + (batch or max(limit, MIN_BATCH))]
        done += len(part)
        keys = [k for _, ks in part for k in ks]
        found += aggregate_relations(conn, keys=keys, since=since, until=until, min_sources=min_sources,
                                     detail=detail)
        found.sort(key=rank)
    info = {"candidates": len(ranked), "aggregated": done, "exact": exact,
            "truncated": done < len(ranked) or len(found) > limit}
    return found[:limit], info
