"""Per-actor context summaries: what the documents of a stored actor say around it, kept up to date
as documents are written, so that resolution never re-reads an actor's documents.

For each kb actor that is not a place, `actor_context` holds (up to a cap, first come) the kb actors
that co-occur with it in its documents and say something about identity (`is_context_actor`: not
anonymous, not generic, not a country). `record` adds a document's rows once its actors are
resolved; `shared` answers the one question scoring asks of a candidate, in one indexed read
whatever the size of the knowledge base: which of the document's context actors does it co-occur
with. The countries of an actor's documents are kept with its blocking keys (resolve_keys kind
"ctx", read with the candidate), not here: one copy of them. Places are resolved by their
gazetteer identity and their countries, never by co-occurring actors: they get no summary, which
keeps the rows a document adds to about a third.

A knowledge base made before the summaries existed gets them built once from its stored documents
(`ensure`, on the first document written).
"""
from __future__ import annotations

import weakref
from typing import Iterable

from sqlalchemy import bindparam, func, select
from sqlalchemy.engine import Connection

from wirescope.analyse import names as N
import wirescope.resolve.context as C
import wirescope.resolve.match as M
from wirescope.store import schema as S
from wirescope.store.bulk import insert_rows

ACTOR_CAP = 100  # co-occurring actors kept per actor (three shared ones already give the most context can)
FULL = "full"  # kind of the marker row of an actor whose list `value` is full
META_KEY = "actor_context"

_ac = S.actor_context
_Q_FULL = select(_ac.c.kb_entity, _ac.c.value).where(_ac.c.kb_entity.in_(bindparam("ids", expanding=True)),
                                                     _ac.c.kind == FULL)
_Q_FILL = (select(_ac.c.kb_entity, _ac.c.kind, func.count().label("n"))
           .where(_ac.c.kb_entity.in_(bindparam("ids", expanding=True)), _ac.c.kind == "actor")
           .group_by(_ac.c.kb_entity, _ac.c.kind))
_Q_HITS = (select(_ac.c.kb_entity, _ac.c.kind, _ac.c.value)
           .where(_ac.c.kb_entity.in_(bindparam("ids", expanding=True)), _ac.c.kind == "actor",
                  _ac.c.value.in_(bindparam("context", expanding=True))))
_Q_MERGED = (select(S.kb_entities.c.id, S.kb_entities.c.merged_into)
             .where(S.kb_entities.c.merged_into.in_(bindparam("ids", expanding=True))))

_ROW_CONTEXT: dict[tuple, tuple[frozenset, bool]] = {}
_ROW_CONTEXT_MAX = 200_000


def is_context_actor(name: str, kind: str, anonymous: bool) -> bool:
    """Whether a co-occurring actor says something about identity: not anonymous, not a generic
    actor ("police", "officials"), not a country (every other report names one)."""
    if anonymous or not name or M.name_class(name) == "common" or N.generic_name(name):
        return False
    return not (kind == "location" and C.country_named(name))


def row_context(name: str, kind: str, country: str | None, geo, anonymous: bool) -> tuple[frozenset, bool]:
    """(C.contribution, is_context_actor) of a document actor, memoised: both are pure functions of
    the name, type, country, anonymity and (for a place) the country its geo reading gives."""
    geo_country = (geo or {}).get("country") if kind == "location" else None
    key = (name, kind, country, geo_country, anonymous)
    got = _ROW_CONTEXT.get(key)
    if got is None:
        if len(_ROW_CONTEXT) >= _ROW_CONTEXT_MAX:
            _ROW_CONTEXT.clear()
        got = _ROW_CONTEXT[key] = (frozenset(C.contribution(name, kind, country, geo)),
                                   is_context_actor(name, kind, anonymous))
    return got


# ---- writing --------------------------------------------------------------------------------------
def record(conn: Connection, doc_id: str, actors: Iterable[tuple[str, str, str, str | None, object, bool]]) -> None:
    """Add one document to the summaries of its actors. `actors`: (kb id, name, type, country, geo,
    anonymous) of every actor of the document."""
    listed = list(actors)
    context: set[str] = set()
    targets: set[str] = set()
    for kb_id, name, kind, country, geo, anonymous in listed:
        _, is_actor = row_context(name, kind, country, geo, bool(anonymous))
        if not anonymous and M.name_class(name) != "common":  # a common noun never makes a candidate
            if is_actor:
                context.add(kb_id)
            if kind != "location":
                targets.add(kb_id)
    if not targets or not context:
        return
    ids = sorted(targets)
    full = {r.kb_entity for r in conn.execute(_Q_FULL, {"ids": ids}) if r.value == "actor"}
    open_ids = [i for i in ids if i not in full and context - {i}]
    fill = {r.kb_entity: r.n for r in conn.execute(_Q_FILL, {"ids": open_ids})} if open_ids else {}
    rows: list[dict] = []
    for kb_id in open_ids:
        values = sorted(context - {kb_id})
        have = fill.get(kb_id, 0)
        rows.extend(dict(kb_entity=kb_id, kind="actor", value=v, doc_id=doc_id) for v in values[:ACTOR_CAP - have])
        if have + len(values) >= ACTOR_CAP:
            rows.append(dict(kb_entity=kb_id, kind=FULL, value="actor", doc_id=doc_id))
    if rows:
        insert_rows(conn, _ac, rows, ignore_conflicts=True)


def refresh(conn: Connection, doc_ids: Iterable[str]) -> None:
    """Add these stored documents to the summaries of the actors they name now (after a split
    moved some of their actors to another kb actor)."""
    de = S.doc_entities
    docs = sorted(set(doc_ids))
    for i in range(0, len(docs), 200):
        by_doc: dict[str, list] = {}
        for r in conn.execute(select(de.c.doc_id, de.c.kb_entity, de.c.name, de.c.type, de.c.country, de.c.geo,
                                     de.c.anonymous).where(de.c.doc_id.in_(docs[i:i + 200]))
                              .order_by(de.c.doc_id, de.c.local_id)):
            by_doc.setdefault(r.doc_id, []).append((r.kb_entity, r.name, r.type, r.country, r.geo, bool(r.anonymous)))
        for doc_id in sorted(by_doc):
            record(conn, doc_id, by_doc[doc_id])


def fold(conn: Connection, keep: str, drop: str) -> None:
    """`drop` was merged into `keep`: keep's summary takes drop's rows (caps aside), so that an
    actor's summary is read under its own id alone, however many actors were merged into it."""
    from sqlalchemy import literal
    from sqlalchemy.dialects import postgresql, sqlite

    rows = select(literal(keep), _ac.c.kind, _ac.c.value, _ac.c.doc_id).where(_ac.c.kb_entity == drop)
    cols = ["kb_entity", "kind", "value", "doc_id"]
    if conn.dialect.name == "postgresql":
        stmt = postgresql.insert(_ac).from_select(cols, rows).on_conflict_do_nothing()
    elif conn.dialect.name == "sqlite":
        stmt = sqlite.insert(_ac).from_select(cols, rows).on_conflict_do_nothing()
    else:
        stmt = _ac.insert().from_select(cols, rows).prefix_with("IGNORE")
    conn.execute(stmt)


_READY: "weakref.WeakSet" = weakref.WeakSet()  # engines whose knowledge base has its summaries


def ensure(conn: Connection) -> None:
    """Build the summaries of a knowledge base made before they existed (once; a fresh knowledge
    base is only marked). Runs inside the first document's write transaction."""
    engine = conn.engine
    if engine in _READY:
        return
    m = S.meta
    if conn.execute(select(m.c.value).where(m.c.key == META_KEY)).scalar() is None:
        d = S.documents
        docs = conn.execute(select(d.c.id).order_by(d.c.ingested_at, d.c.id)).scalars().all()
        for i in range(0, len(docs), 500):
            refresh(conn, docs[i:i + 500])  # refresh sorts each chunk by id: a fixed order, chunk by chunk
        conn.execute(m.insert().values(key=META_KEY, value="1"))
    _READY.add(engine)


# ---- reading --------------------------------------------------------------------------------------
def members_of(conn: Connection, ids: set[str], known: dict[str, str]) -> dict[str, str]:
    """id -> its canonical id for `ids` (canonical already) and every id merged into them; `known`
    caches what was read before in the same document."""
    todo = sorted(i for i in ids if i not in known)
    for i in todo:
        known[i] = i
    while todo:
        found = conn.execute(_Q_MERGED, {"ids": todo}).all()
        todo = []
        for r in found:
            if r.id not in known:
                known[r.id] = known.get(r.merged_into, r.merged_into)
                todo.append(r.id)
    return known


def shared(conn: Connection, ids: set[str], context: dict[str, str], root: str,
           cache=None) -> tuple[set[str], set[str]]:
    """(the canonical ids of `context` (member id -> canonical id) that co-occur with the actor
    `root` (itself and `ids`, the actors merged into it) in its documents, and the countries of its
    documents that the summary adds: none, they come with the candidate's blocking keys). Merges
    fold summaries into the surviving actor (`fold`): only `root`'s rows are read, one indexed
    read of at most len(context) rows."""
    if not context:
        return set(), set()
    actors = {context[r.value] for r in conn.execute(_Q_HITS, {"ids": [root], "context": sorted(context)})
              if r.value in context}
    return actors - ids, set()
