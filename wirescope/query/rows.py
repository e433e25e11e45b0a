"""Streaming reads of stored rows, for exports: one flat dict per row, in a stable order.

Each iterator runs one query with `yield_per` (a server-side cursor on PostgreSQL, a lazily
stepped cursor on SQLite), so exporting a large knowledge base holds one batch of rows at a time,
never a whole table. Rows are flat (no nested objects) so CSV writers can take them as they are.
Actor columns come in threes: `<role>_id` (the cross-document actor, after analyst merges),
`<role>_name` (its canonical name) and `<role>_text` (the name this document used). A statement's
construction (direct, indirect, according_to, ...) is `statement_kind`, leaving `kind` free for
the JSON Lines export.

Common filters:
  since / until  the document's publication date (YYYY-MM-DD, inclusive); documents with no
                 date are left out when either bound is given
  entity         a kb actor id (already resolved, see wirescope.query.entities.resolve_entity)
  doc_id         one document (the exporters' per-document lookups)
  docs           a selection of documents: a one-column SQL selectable of document ids (for instance
                 wirescope.query.search_view.selection, the documents a search page lists); it is
                 used inside the query (`doc_id IN (...)`), never read into memory
"""
from __future__ import annotations

import json
from typing import Any, Iterable, Iterator

from sqlalchemy import String, and_, exists, func, literal, or_, select, union_all
from sqlalchemy.engine import Connection
from sqlalchemy.sql import Select

from wirescope.store import schema as S

BATCH = 500

D, K, E = S.documents, S.kb_entities, S.doc_entities

DOCUMENT_COLUMNS = ("id", "title", "url", "outlet", "published", "dateline", "source", "duplicate_of", "similarity")
ACTOR_COLUMNS = ("id", "name", "type", "subtype", "anonymous", "country", "documents", "mentions",
                 "first_published", "last_published", "descriptor")
ALIAS_COLUMNS = ("actor_id", "actor_name", "name", "how", "canonical", "documents", "first_doc_id")
STATEMENT_COLUMNS = ("doc_id", "id", "speaker_id", "speaker_name", "speaker_text", "speaker_anonymous",
                     "via_id", "via_name", "via_text", "cue", "content", "start", "end", "direct", "parent",
                     "polarity", "modality", "statement_kind", "published", "outlet", "title", "url", "duplicate_of")
RELATION_COLUMNS = ("doc_id", "id", "subject_id", "subject_name", "subject_text", "type", "object_id",
                    "object_name", "object_text", "polarity", "modality", "statement", "start", "end", "evidence",
                    "trigger", "time", "published", "outlet", "title", "url", "duplicate_of")
EVENT_COLUMNS = ("doc_id", "id", "type", "mode", "trigger", "source_id", "source_name", "source_text",
                 "target_id", "target_name", "target_text", "location_id", "location_name", "location_text",
                 "location_country", "time", "polarity", "statement", "start", "end", "evidence", "published",
                 "outlet", "title", "url", "duplicate_of")


def stream(conn: Connection, stmt: Select, size: int = BATCH) -> Iterator[dict[str, Any]]:
    """Run `stmt` with a streaming cursor and yield each row as a plain dict."""
    result = conn.execute(stmt, execution_options={"yield_per": size, "stream_results": True})
    try:
        keys = tuple(result.keys())
        for row in result:
            yield dict(zip(keys, row))
    finally:
        result.close()


def id_order(conn: Connection, column):
    """Order by an id column byte by byte, as Python compares strings, on every backend (exporters
    walk several streams ordered by the same id side by side)."""
    return column.collate("C") if conn.dialect.name == "postgresql" else column


def _canonical(table=K):
    """The surviving actor id of a kb_entities row (an analyst's merge points at the survivor)."""
    return func.coalesce(table.c.merged_into, table.c.id)


def _day(column):
    return func.substr(column, 1, 10)


def _window(stmt: Select, since: str | None, until: str | None) -> Select:
    if since:
        stmt = stmt.where(_day(D.c.published) >= since[:10])
    if until:
        stmt = stmt.where(_day(D.c.published) <= until[:10])
    return stmt


def _doc_columns() -> list:
    return [D.c.published, D.c.outlet, D.c.title, D.c.url, D.c.duplicate_of]


def _actor_join(stmt_from, doc_col, local_col, prefix: str):
    """Join the document-local actor (`<prefix>_text`) and its kb actor (`<prefix>_id`, `<prefix>_name`)."""
    local = E.alias(f"{prefix}_local")
    kb = K.alias(f"{prefix}_kb")
    survivor = K.alias(f"{prefix}_kb2")
    stmt_from = stmt_from.join(local, and_(local.c.doc_id == doc_col, local.c.local_id == local_col), isouter=True)
    stmt_from = stmt_from.join(kb, kb.c.id == local.c.kb_entity, isouter=True)
    stmt_from = stmt_from.join(survivor, survivor.c.id == func.coalesce(kb.c.merged_into, kb.c.id), isouter=True)
    cols = [survivor.c.id.label(f"{prefix}_id"), survivor.c.name.label(f"{prefix}_name"),
            local.c.name.label(f"{prefix}_text")]
    return stmt_from, cols, local, survivor


# ---- documents ----------------------------------------------------------------------------------------
def _selected(stmt: Select, column, docs) -> Select:
    return stmt if docs is None else stmt.where(column.in_(docs))


def iter_documents(conn: Connection, since: str | None = None, until: str | None = None,
                   entity: str | None = None, doc_id: str | None = None,
                   include_text: bool = False, docs=None) -> Iterator[dict[str, Any]]:
    """Documents ordered by id; with `entity`, only those that mention that actor."""
    cols = [getattr(D.c, name) for name in DOCUMENT_COLUMNS] + ([D.c.text] if include_text else [])
    stmt = _selected(_window(select(*cols), since, until), D.c.id, docs)
    if doc_id:
        stmt = stmt.where(D.c.id == doc_id)
    if entity:
        stmt = stmt.where(exists(
            select(E.c.doc_id).join(K, K.c.id == E.c.kb_entity)
            .where(E.c.doc_id == D.c.id, _canonical() == entity)
        ))
    yield from stream(conn, stmt.order_by(id_order(conn, D.c.id)))


# ---- actors and their names ----------------------------------------------------------------------------
def iter_actors(conn: Connection, ids: Iterable[str] | None = None) -> Iterator[dict[str, Any]]:
    """Actors (after merges) ordered by id, with how many documents and mentions they appear in.

    `ids` restricts the output to a set of actor ids (checked as rows stream by)."""
    wanted = set(ids) if ids is not None else None
    for row in stream(conn, actors_query(conn)):
        if wanted is not None and row["id"] not in wanted:
            continue
        row["anonymous"] = bool(row["anonymous"])
        row["documents"] = int(row["documents"] or 0)
        row["mentions"] = int(row["mentions"] or 0)
        if isinstance(row["descriptor"], str):  # JSON through a scalar subquery on some backends
            try:
                row["descriptor"] = json.loads(row["descriptor"])
            except ValueError:
                pass
        yield row


def actors_query(conn: Connection) -> Select:
    """The statement behind iter_actors. The per-actor figures are grouped once over doc_entities and
    mentions (CTEs), stacked with one zero row per surviving actor (UNION ALL) and summed per actor,
    so each actor row is joined to one grouped result by primary key. (Outer-joining kb_entities to
    the grouped subqueries made SQLite scan each of them once per actor row: quadratic in the
    number of actors, 33 s for a CSV export of 2,125 documents.)"""
    member = K.alias("member")
    actor = func.coalesce(member.c.merged_into, E.c.kb_entity)
    per_actor = (
        select(actor.label("actor"), func.count(func.distinct(E.c.doc_id)).label("documents"),
               literal(0).label("mentions"), func.min(_day(D.c.published)).label("first_published"),
               func.max(_day(D.c.published)).label("last_published"))
        .select_from(E.join(member, member.c.id == E.c.kb_entity).join(D, D.c.id == E.c.doc_id))
        .group_by(actor)
    ).cte("per_actor")
    owner = K.alias("mention_owner")
    mention_actor = func.coalesce(owner.c.merged_into, E.c.kb_entity)
    per_mentions = (
        select(mention_actor.label("actor"), literal(0).label("documents"), func.count().label("mentions"),
               literal(None, String).label("first_published"), literal(None, String).label("last_published"))
        .select_from(S.mentions.join(E, and_(E.c.doc_id == S.mentions.c.doc_id, E.c.local_id == S.mentions.c.entity))
                     .join(owner, owner.c.id == E.c.kb_entity))
        .group_by(mention_actor)
    ).cte("per_mentions")
    survivors = select(K.c.id.label("actor"), literal(0).label("documents"), literal(0).label("mentions"),
                       literal(None, String).label("first_published"), literal(None, String).label("last_published")
                       ).where(K.c.merged_into.is_(None))
    stacked = union_all(survivors, select(per_actor), select(per_mentions)).subquery("stacked")
    totals = (
        select(stacked.c.actor, func.sum(stacked.c.documents).label("documents"),
               func.sum(stacked.c.mentions).label("mentions"),
               func.min(stacked.c.first_published).label("first_published"),
               func.max(stacked.c.last_published).label("last_published"))
        .group_by(stacked.c.actor)
    ).subquery("totals")
    descriptor = (select(E.c.descriptor).where(E.c.kb_entity == K.c.id, E.c.descriptor.is_not(None))
                  .order_by(E.c.doc_id).limit(1).scalar_subquery())
    return (
        select(K.c.id, K.c.name, K.c.type, K.c.subtype, K.c.anonymous, K.c.country,
               totals.c.documents, totals.c.mentions, totals.c.first_published, totals.c.last_published,
               descriptor.label("descriptor"))
        .select_from(totals.join(K, K.c.id == totals.c.actor))
        .where(K.c.merged_into.is_(None))
        .order_by(id_order(conn, K.c.id))
    )


def iter_aliases(conn: Connection, ids: Iterable[str] | None = None) -> Iterator[dict[str, Any]]:
    """Every distinct name of every actor (canonical=True for the actor's own name), by actor then name."""
    wanted = set(ids) if ids is not None else None
    owner = K.alias("owner")
    survivor = K.alias("survivor")
    actor_id = func.coalesce(owner.c.merged_into, owner.c.id)
    stmt = (
        select(survivor.c.id.label("actor_id"), survivor.c.name.label("actor_name"), S.kb_names.c.name,
               func.min(S.kb_names.c.how).label("how"),
               func.count(func.distinct(S.kb_names.c.doc_id)).label("documents"),
               func.min(S.kb_names.c.doc_id).label("first_doc_id"))
        .select_from(S.kb_names.join(owner, owner.c.id == S.kb_names.c.kb_entity)
                     .join(survivor, survivor.c.id == actor_id))
        .group_by(survivor.c.id, survivor.c.name, S.kb_names.c.name)
        .order_by(id_order(conn, survivor.c.id), S.kb_names.c.name)
    )
    for row in stream(conn, stmt):
        if wanted is not None and row["actor_id"] not in wanted:
            continue
        row["canonical"] = row["name"] == row["actor_name"]
        yield {c: row[c] for c in ALIAS_COLUMNS}


def related_actor_ids(conn: Connection, entity: str) -> set[str]:
    """The actor itself and every actor it shares a relation or an event with (after merges)."""
    ids = {entity}
    sk, ok = K.alias("sk"), K.alias("ok")
    rel = (select(_canonical(sk).label("a"), _canonical(ok).label("b"))
           .select_from(S.relations.join(sk, sk.c.id == S.relations.c.subject_kb)
                        .join(ok, ok.c.id == S.relations.c.object_kb)))
    for a, b in conn.execute(rel.where(or_(_canonical(sk) == entity, _canonical(ok) == entity))):
        ids.update((a, b))
    roles = []
    for col in (S.events.c.source_kb, S.events.c.target_kb, S.events.c.location_kb):
        k = K.alias()
        roles.append((k, col))
    j = S.events
    for k, col in roles:
        j = j.join(k, k.c.id == col, isouter=True)
    cols = [_canonical(k) for k, _ in roles]
    for row in conn.execute(select(*cols).select_from(j).where(or_(*(c == entity for c in cols)))):
        ids.update(v for v in row if v)
    return ids


def selection_actor_ids(conn: Connection, docs) -> set[str]:
    """Every kb actor (after merges) the selected documents mention."""
    stmt = (select(_canonical()).select_from(E.join(K, K.c.id == E.c.kb_entity))
            .where(E.c.doc_id.in_(docs)).distinct())
    return {a for (a,) in conn.execute(stmt)}


def persons_tied_to(conn: Connection, relation_types: Iterable[str], subtypes: Iterable[str]) -> set[str]:
    """Persons (after merges) that are the subject of one of `relation_types` towards an actor of
    one of `subtypes` (members and leaders of armed groups, say)."""
    sk, ok = K.alias("tie_subject"), K.alias("tie_object")
    ssurv, osurv = K.alias("tie_subject_survivor"), K.alias("tie_object_survivor")
    stmt = (
        select(ssurv.c.id).distinct()
        .select_from(S.relations.join(sk, sk.c.id == S.relations.c.subject_kb)
                     .join(ssurv, ssurv.c.id == _canonical(sk))
                     .join(ok, ok.c.id == S.relations.c.object_kb)
                     .join(osurv, osurv.c.id == _canonical(ok)))
        .where(S.relations.c.type.in_(list(relation_types)), S.relations.c.polarity == "positive",
               ssurv.c.type == "person", osurv.c.subtype.in_(list(subtypes)))
    )
    return {a for (a,) in conn.execute(stmt)}


# ---- statements -----------------------------------------------------------------------------------------
def iter_statements(conn: Connection, since: str | None = None, until: str | None = None,
                    entity: str | None = None, doc_id: str | None = None, docs=None) -> Iterator[dict[str, Any]]:
    """Statements ordered by document and id, with their speaker and intermediary as actors.

    With `entity`: statements it made, and statements that back a relation or an event it is part of."""
    T = S.statements
    j = T.join(D, D.c.id == T.c.doc_id)
    j, speaker_cols, speaker_local, speaker_kb = _actor_join(j, T.c.doc_id, T.c.speaker, "speaker")
    j, via_cols, _, _ = _actor_join(j, T.c.doc_id, T.c.via, "via")
    stmt = select(T.c.doc_id, T.c.local_id.label("id"), *speaker_cols,
                  speaker_local.c.anonymous.label("speaker_anonymous"), *via_cols,
                  T.c.cue, T.c.content, T.c.start, T.c.end, T.c.direct, T.c.parent, T.c.polarity, T.c.modality,
                  T.c.kind.label("statement_kind"), *_doc_columns()).select_from(j)
    stmt = _selected(_window(stmt, since, until), T.c.doc_id, docs)
    if doc_id:
        stmt = stmt.where(T.c.doc_id == doc_id)
    if entity:
        sk, ok = K.alias("rsk"), K.alias("rok")
        backs_relation = exists(
            select(S.relations.c.doc_id)
            .select_from(S.relations.join(sk, sk.c.id == S.relations.c.subject_kb)
                         .join(ok, ok.c.id == S.relations.c.object_kb))
            .where(S.relations.c.doc_id == T.c.doc_id, S.relations.c.statement == T.c.local_id,
                   or_(_canonical(sk) == entity, _canonical(ok) == entity)))
        ek = K.alias("ek")
        backs_event = exists(
            select(S.events.c.doc_id)
            .select_from(S.events.join(ek, or_(ek.c.id == S.events.c.source_kb, ek.c.id == S.events.c.target_kb)))
            .where(S.events.c.doc_id == T.c.doc_id, S.events.c.statement == T.c.local_id, _canonical(ek) == entity))
        stmt = stmt.where(or_(speaker_kb.c.id == entity, backs_relation, backs_event))
    for row in stream(conn, stmt.order_by(id_order(conn, T.c.doc_id), T.c.start, T.c.local_id)):
        row["direct"] = bool(row["direct"])
        if row["speaker_anonymous"] is not None:
            row["speaker_anonymous"] = bool(row["speaker_anonymous"])
        yield row


# ---- relations --------------------------------------------------------------------------------------------
def iter_relations(conn: Connection, since: str | None = None, until: str | None = None,
                   entity: str | None = None, types: Iterable[str] | None = None,
                   doc_id: str | None = None, order: str = "document", docs=None) -> Iterator[dict[str, Any]]:
    """Per-document relation rows (one per sentence of evidence), with kb actors on both ends.

    order="document" sorts by document then position; order="key" by (subject_id, type, object_id),
    so rows of one cross-document relation come together."""
    R = S.relations
    j = R.join(D, D.c.id == R.c.doc_id)
    j, subject_cols, _, subject_kb = _actor_join(j, R.c.doc_id, R.c.subject, "subject")
    j, object_cols, _, object_kb = _actor_join(j, R.c.doc_id, R.c.object, "object")
    stmt = select(R.c.doc_id, R.c.local_id.label("id"), *subject_cols, R.c.type, *object_cols, R.c.polarity,
                  R.c.modality, R.c.statement, R.c.start, R.c.end, R.c.evidence, R.c.trigger, R.c.time,
                  *_doc_columns()).select_from(j)
    stmt = _selected(_window(stmt, since, until), R.c.doc_id, docs)
    if doc_id:
        stmt = stmt.where(R.c.doc_id == doc_id)
    if entity:
        stmt = stmt.where(or_(subject_kb.c.id == entity, object_kb.c.id == entity))
    types = list(types or [])
    if types:
        stmt = stmt.where(R.c.type.in_(types))
    if order == "key":
        stmt = stmt.order_by(subject_kb.c.id, R.c.type, object_kb.c.id, R.c.doc_id, R.c.local_id)
    else:
        stmt = stmt.order_by(id_order(conn, R.c.doc_id), R.c.start, R.c.local_id)
    yield from stream(conn, stmt)


def relation_types_stored(conn: Connection) -> list[str]:
    """The relation types present in the knowledge base, sorted."""
    return sorted(t for (t,) in conn.execute(select(S.relations.c.type).distinct()))


# ---- events --------------------------------------------------------------------------------------------------
def iter_events(conn: Connection, since: str | None = None, until: str | None = None,
                entity: str | None = None, types: Iterable[str] | None = None,
                doc_id: str | None = None, docs=None) -> Iterator[dict[str, Any]]:
    """Per-document PLOVER events ordered by document and position, with source, target and place."""
    V = S.events
    j = V.join(D, D.c.id == V.c.doc_id)
    j, source_cols, _, source_kb = _actor_join(j, V.c.doc_id, V.c.source, "source")
    j, target_cols, _, target_kb = _actor_join(j, V.c.doc_id, V.c.target, "target")
    j, location_cols, _, location_kb = _actor_join(j, V.c.doc_id, V.c.location, "location")
    stmt = select(V.c.doc_id, V.c.local_id.label("id"), V.c.type, V.c.mode, V.c.trigger, *source_cols,
                  *target_cols, *location_cols, location_kb.c.country.label("location_country"), V.c.time,
                  V.c.polarity, V.c.statement, V.c.start, V.c.end, V.c.evidence, *_doc_columns()).select_from(j)
    stmt = _selected(_window(stmt, since, until), V.c.doc_id, docs)
    if doc_id:
        stmt = stmt.where(V.c.doc_id == doc_id)
    if entity:
        stmt = stmt.where(or_(source_kb.c.id == entity, target_kb.c.id == entity, location_kb.c.id == entity))
    types = list(types or [])
    if types:
        stmt = stmt.where(V.c.type.in_(types))
    yield from stream(conn, stmt.order_by(id_order(conn, V.c.doc_id), V.c.start, V.c.local_id))


def iter_document_actors(conn: Connection, since: str | None = None, until: str | None = None,
                         doc_id: str | None = None, docs=None) -> Iterator[dict[str, Any]]:
    """(doc_id, actor_id) for every kb actor (after merges) a document mentions, by document."""
    actor = _canonical().label("actor_id")
    stmt = (select(E.c.doc_id, actor).select_from(E.join(K, K.c.id == E.c.kb_entity).join(D, D.c.id == E.c.doc_id))
            .group_by(E.c.doc_id, actor))
    stmt = _selected(_window(stmt, since, until), E.c.doc_id, docs)
    if doc_id:
        stmt = stmt.where(E.c.doc_id == doc_id)
    yield from stream(conn, stmt.order_by(id_order(conn, E.c.doc_id), actor))


class ByDocument:
    """Walk a stream ordered by doc_id alongside the documents stream: `take(doc_id)` returns the
    rows of that document, skipping rows of documents that were left out."""

    def __init__(self, rows: Iterator[dict[str, Any]]) -> None:
        self._rows = rows
        self._head = next(rows, None)

    def take(self, doc_id: str) -> list[dict[str, Any]]:
        while self._head is not None and self._head["doc_id"] < doc_id:
            self._head = next(self._rows, None)
        out = []
        while self._head is not None and self._head["doc_id"] == doc_id:
            out.append(self._head)
            self._head = next(self._rows, None)
        return out


__all__ = [
    "stream", "iter_documents", "iter_actors", "iter_aliases", "iter_statements", "iter_relations",
    "iter_events", "actors_query", "related_actor_ids", "selection_actor_ids", "persons_tied_to", "relation_types_stored", "iter_document_actors",
    "ByDocument", "id_order",
    "DOCUMENT_COLUMNS", "ACTOR_COLUMNS", "ALIAS_COLUMNS", "STATEMENT_COLUMNS", "RELATION_COLUMNS", "EVENT_COLUMNS",
]
