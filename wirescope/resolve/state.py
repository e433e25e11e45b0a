"""A document's resolution state: what the resolver knows of the document it is resolving, the
blocking lookups read ahead for all of its actors, and the rows it writes in one batch.

Kept on the connection (`conn.info[STATE]`) for the length of the document's write transaction:
`begin_document` fills it, `default_resolver` reads and adds to it, `end_document` sends what is
left and drops it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from sqlalchemy import bindparam, or_, select
from sqlalchemy.engine import Connection

from wirescope.resolve.judgements import RESOLVER
from wirescope.store import schema as S
from wirescope.store.bulk import insert_rows

STATE = "wirescope.resolve.document"
MAX_BLOCK = 100  # candidates read per blocking query
PREFETCH_MAX_KEYS = 2000  # a document's blocking values looked up in one query (more: per actor)
PREFETCH_MAX_ROWS = 20000  # rows a document's prefetch may read (more: per-actor queries)

# statements built once: building and cache-keying a SQLAlchemy statement costs more than running it
_nm, _rk, _ke = S.kb_names, S.resolve_keys, S.kb_entities
Q_NAME_BLOCK = (select(_nm.c.kb_entity).where(_nm.c.key.in_(bindparam("keys", expanding=True)))
                .distinct().limit(MAX_BLOCK))
_Q_NAME_PREFETCH = (select(_nm.c.key, _nm.c.kb_entity).where(_nm.c.key.in_(bindparam("keys", expanding=True)))
                    .distinct().limit(PREFETCH_MAX_ROWS + 1))
RK_KINDS = ("short", "acronym", "gaz")
_Q_RK_PREFETCH = (select(_rk.c.kind, _rk.c.value, _rk.c.kb_entity)
                  .where(or_(*[(_rk.c.kind == kind) & _rk.c.value.in_(bindparam(f"v_{kind}", expanding=True))
                               for kind in RK_KINDS]))
                  .distinct().limit(PREFETCH_MAX_ROWS + 1))
_Q_IDS_EXIST = select(_ke.c.id).where(_ke.c.id.in_(bindparam("ids", expanding=True)))
PENDING_ORDER = (("kb_entities", _ke), ("kb_names", _nm), ("resolve_keys", _rk), ("judgements", S.judgements))


@dataclass
class DocState:
    doc_id: str
    outlet: str | None
    analysis: object | None = None
    resolved: set[str] = field(default_factory=set)  # kb actors of this document that are context
    by_key: dict[str, set[str]] | None = None  # name key of a context actor of the document -> kb actors
    prefetch: "Prefetch | None" = None
    # rows written while the document's actors are resolved, sent in one executemany per table
    # before anything reads or updates the knowledge base (and at the end of the document)
    pending: dict[str, list[dict]] | None = None
    countries: dict[str, set[str]] = field(default_factory=dict)  # local id -> countries it stands for
    links: dict[str, str] = field(default_factory=dict)  # local id -> the local actor it is
    entities: dict[str, object] = field(default_factory=dict)  # local id -> entity
    kb_of: dict[str, str] = field(default_factory=dict)  # local id -> kb id, once resolved
    profiles: dict[str, object] = field(default_factory=dict)  # local id -> its profile
    context_cache: dict[frozenset, dict] = field(default_factory=dict)  # candidate ids -> doc context -> shared
    context_members: dict[str, str] = field(default_factory=dict)  # kb id -> canonical, of context actors
    context_calls: int = 0  # candidate contexts read for this document
    pending_ids: set[str] = field(default_factory=set)  # kb actors with rows among the pending ones
    cache: object | None = None  # resolve.cache.ActorCache of the knowledge base (when the document began)


class Prefetch:
    """The blocking lookups of all of a document's actors, read in one query per table when the
    document begins and kept current with what the document itself writes (kb_names,
    resolve_keys and kb_entities rows are only ever added while a document is resolved). A value
    that was not prefetched, or a read that hit its row cap, falls back to the per-actor query."""

    def __init__(self, conn: Connection, analysis, profile_of: Callable, block_sets: Callable,
                 seed_id: Callable) -> None:
        self.sets: dict[str, tuple] = {}  # entity id -> (entity, block sets)
        self.names: dict[str, set[str]] | None = None  # kb_names.key -> kb entities
        self.keys: dict[tuple[str, str], set[str]] | None = None  # (kind, value) -> kb entities
        self.ids: set[str] | None = None  # kb entity ids known to exist (of those asked)
        self.asked_ids: set[str] = set()
        lookups: set[str] = set()
        values: dict[str, set[str]] = {kind: set() for kind in RK_KINDS}
        ids: set[str] = set()
        for entity in analysis.entities:
            ids.add(seed_id(entity))
            if entity.anonymous:
                continue
            prof = profile_of(entity)
            if not prof.keys:
                continue
            sets = block_sets(entity, prof)
            self.sets[entity.id] = (entity, sets)
            lookups.update(sets[0])
            values["short"].update(sets[1])
            values["acronym"].update(sets[2])
            values["gaz"].update(sets[3])
        if ids and len(ids) <= PREFETCH_MAX_KEYS:
            self.ids = set(conn.execute(_Q_IDS_EXIST, {"ids": sorted(ids)}).scalars())
            self.asked_ids = ids
        if lookups and len(lookups) <= PREFETCH_MAX_KEYS:
            rows = conn.execute(_Q_NAME_PREFETCH, {"keys": sorted(lookups)}).all()
            if len(rows) <= PREFETCH_MAX_ROWS:
                self.names = {k: set() for k in lookups}
                for r in rows:
                    self.names[r.key].add(r.kb_entity)
        if any(values.values()) and sum(len(v) for v in values.values()) <= PREFETCH_MAX_KEYS:
            rows = conn.execute(_Q_RK_PREFETCH, {f"v_{kind}": sorted(v) for kind, v in values.items()}).all()
            if len(rows) <= PREFETCH_MAX_ROWS:
                self.keys = {(kind, v): set() for kind, vs in values.items() for v in vs}
                for r in rows:
                    self.keys[(r.kind, r.value)].add(r.kb_entity)

    def block_sets(self, entity) -> tuple | None:
        got = self.sets.get(entity.id)
        return got[1] if got is not None and got[0] is entity else None

    def name_block(self, lookup: list[str]) -> set[str] | None:
        if self.names is None or any(k not in self.names for k in lookup):
            return None
        found: set[str] = set()
        for k in lookup:
            found |= self.names[k]
        return found if len(found) <= MAX_BLOCK else None

    def key_block(self, wanted: list[tuple[str, str]]) -> set[str] | None:
        if self.keys is None or any(w not in self.keys for w in wanted):
            return None
        found: set[str] = set()
        for w in wanted:
            found |= self.keys[w]
        return found if len(found) <= MAX_BLOCK else None

    def id_exists(self, kb_id: str) -> bool | None:
        if self.ids is None or kb_id not in self.asked_ids:
            return None
        return kb_id in self.ids

    # what the document writes
    def created(self, kb_id: str) -> None:
        if self.ids is not None:
            self.ids.add(kb_id)
            self.asked_ids.add(kb_id)

    def named(self, rows: list[dict]) -> None:
        if self.names is not None:
            for r in rows:
                if r["key"] in self.names:
                    self.names[r["key"]].add(r["kb_entity"])

    def keyed(self, rows: list[dict]) -> None:
        if self.keys is not None:
            for r in rows:
                if (r["kind"], r["value"]) in self.keys:
                    self.keys[(r["kind"], r["value"])].add(r["kb_entity"])


def end_document(conn: Connection, discard: bool = False) -> None:
    """Write what the document's resolution left pending and drop its read-ahead state; called
    once the document's actors are resolved, before rows that refer to kb entities are written.
    discard=True (resolution failed, the transaction is rolled back): forget the document."""
    st = conn.info.get(STATE)
    if st is None:
        return
    if discard:
        conn.info.pop(STATE, None)
        return
    flush(conn, everything=True)
    st.prefetch = None
    st.pending = None


def flush(conn: Connection, everything: bool = False, ids: set[str] | None = None) -> None:
    """Send the pending rows a read is about to need: kb entities, names and blocking keys; the
    judgements too when `everything` (only judged_different and merge read them, and merge
    writes judgements of its own, which must come after the earlier ones). `ids`: the read is of
    these kb actors only, and needs nothing sent unless one of them has pending rows."""
    st = conn.info.get(STATE)
    if st is None or not st.pending:
        return
    if ids is not None and not everything and st.pending_ids.isdisjoint(ids):
        return
    st.pending_ids = set()
    for name, table in PENDING_ORDER:
        if name == "judgements" and not everything:
            continue
        rows = st.pending[name]
        if rows:
            st.pending[name] = []
            insert_rows(conn, table, rows)


def write(conn: Connection, doc_id: str, name: str, rows: list[dict]) -> None:
    """Insert rows now, or with the document's other pending rows when a document is open."""
    st = conn.info.get(STATE)
    if st is not None and st.pending is not None and st.doc_id == doc_id:
        st.pending[name].extend(rows)
        if name == "kb_entities":
            st.pending_ids.update(r["id"] for r in rows)
        elif name != "judgements":
            st.pending_ids.update(r["kb_entity"] for r in rows)
        return
    insert_rows(conn, dict(PENDING_ORDER)[name], rows)


def record(conn: Connection, doc_id: str, left: str, right: str, decision: str, score: float | None,
           explanation: dict | None) -> None:
    """judgements.record for the resolver's own decisions, through the pending rows."""
    write(conn, doc_id, "judgements", [dict(left=left, right=right, decision=decision, author=RESOLVER,
                                            score=None if score is None else round(float(score), 4),
                                            explanation=explanation or {})])


def state(conn: Connection, doc_id: str) -> DocState:
    st = conn.info.get(STATE)
    if st is None or st.doc_id != doc_id:
        outlet = conn.execute(select(S.documents.c.outlet).where(S.documents.c.id == doc_id)).scalar()
        st = DocState(doc_id, outlet)
        conn.info[STATE] = st
    return st


def prefetch_of(conn: Connection, doc_id: str) -> Prefetch | None:
    st = conn.info.get(STATE)
    return st.prefetch if st is not None and st.doc_id == doc_id else None
