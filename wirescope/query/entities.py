"""Actors of the knowledge base: find them, resolve a name to one, and profile one.

Every function takes a SQLAlchemy Connection and returns plain JSON-serialisable dicts. Entities
merged into another (kb_entities.merged_into) are read as the entity they were merged into.
Finding and resolving actors, and the row helpers the other query modules share (references to
actors, document metadata, statement dicts), live in wirescope.query.common; they are re-exported
here under their old names.
"""
from __future__ import annotations

from sqlalchemy import and_, func, or_, select
from sqlalchemy.engine import Connection

from wirescope.query.common import (  # noqa: F401  (re-exported)
    _chunks, as_json, canonical_map, document_counts, document_meta, entity_rows, find_entities, local_refs,
    members, refs, resolve_entity, statement_dicts,
)
from wirescope.query.ranking import strongest
from wirescope.query.relations import aggregate_relations
from wirescope.store import schema as S

__all__ = ["find_entities", "resolve_entity", "entity_profile", "canonical_map", "members"]

MAX_PROFILE_DOCS = 500
PROFILE_LIMIT = 200  # items per list of a profile unless the caller asks for another bound


# ---- the profile -----------------------------------------------------------------------------
def entity_profile(conn: Connection, kb_id: str, limit: int | None = PROFILE_LIMIT) -> dict:
    """Everything the knowledge base holds on one actor: its names and aliases (each with the
    document it was learnt from), mentions, documents, relations (aggregated, for and against),
    statements by it and about it, and the resolution judgements that shaped it.

    Each list holds at most `limit` items (None: every relation, and up to MAX_PROFILE_DOCS
    documents and statements): the strongest relations, the newest documents and statements, names
    in the order they were learnt. `totals` gives each list's full size, so a page can say how much
    it leaves out; the work done is bounded by `limit`, not by how often the actor is reported."""
    ent = S.kb_entities
    if not conn.execute(select(ent.c.id).where(ent.c.id == kb_id)).first():
        kb_id = resolve_entity(conn, kb_id)["id"]
    kb_id = canonical_map(conn, [kb_id])[kb_id]
    ids = members(conn, kb_id)
    entity = dict(entity_rows(conn, [kb_id])[kb_id])
    row = conn.execute(select(ent.c.country).where(ent.c.id == kb_id)).first()
    entity["country"] = row.country if row else None
    entity["merged"] = [i for i in ids if i != kb_id]
    cap = min(limit, MAX_PROFILE_DOCS) if limit is not None else MAX_PROFILE_DOCS
    de, m = S.doc_entities, S.mentions
    mention_count = conn.execute(
        select(func.count()).select_from(m.join(de, and_(de.c.doc_id == m.c.doc_id, de.c.local_id == m.c.entity)))
        .where(de.c.kb_entity.in_(ids))).scalar() or 0
    docs, doc_total = _documents(conn, ids, cap)
    names, name_total = _names(conn, ids, limit)
    by, by_total = _statements(conn, ids, cap, by=True)
    about, about_total = _statements(conn, ids, cap, by=False)
    if limit is None:
        relations = aggregate_relations(conn, entity=kb_id)
        relation_total = len(relations)
    else:
        relations, info = strongest(conn, limit, entity=kb_id, detail=True)
        relation_total = info["candidates"]
    j = S.judgements
    judged = conn.execute(select(j.c.id, j.c.left, j.c.right, j.c.decision, j.c.score, j.c.author, j.c.explanation)
                          .where(or_(j.c.left.in_(ids), j.c.right.in_(ids)), j.c.author != "resolver")
                          .order_by(j.c.id)).all()
    return {
        "entity": entity,
        "names": names,
        "mentions": mention_count,
        "documents": docs,
        "relations": relations,
        "statements_by": by,
        "statements_about": about,
        "judgements": [{"id": r.id, "left": r.left, "right": r.right, "decision": r.decision, "score": r.score,
                        "author": r.author, "explanation": r.explanation} for r in judged],
        "limit": limit,
        "totals": {"names": name_total, "documents": doc_total, "relations": relation_total,
                   "statements_by": by_total, "statements_about": about_total},
    }


def _documents(conn: Connection, ids: list[str], cap: int) -> tuple[list[dict], int]:
    """The newest `cap` documents naming the actor (undated last), and how many there are."""
    d, de = S.documents, S.doc_entities
    mine = select(de.c.doc_id).where(de.c.kb_entity.in_(ids))
    total = conn.execute(select(func.count(func.distinct(de.c.doc_id))).where(de.c.kb_entity.in_(ids))).scalar()
    rows = conn.execute(select(d.c.id, d.c.title, d.c.outlet, d.c.url, d.c.published, d.c.duplicate_of,
                               d.c.similarity).where(d.c.id.in_(mine))
                        .order_by(d.c.published.is_(None), d.c.published.desc(), d.c.id.desc()).limit(cap)).all()
    return [{"id": r.id, "title": r.title, "outlet": r.outlet, "url": r.url, "published": r.published,
             "duplicate_of": r.duplicate_of, "similarity": r.similarity} for r in rows], total or 0


def _names(conn: Connection, ids: list[str], limit: int | None) -> tuple[list[dict], int]:
    """Each (name, how) once, with the document it was first learnt from, in the order learnt."""
    nm = S.kb_names
    first = (select(nm.c.name, nm.c.how, func.min(nm.c.id).label("first"))
             .where(nm.c.kb_entity.in_(ids)).group_by(nm.c.name, nm.c.how)).subquery()
    total = conn.execute(select(func.count()).select_from(first)).scalar() or 0
    q = select(nm.c.name, nm.c.how, nm.c.doc_id).join(first, first.c.first == nm.c.id).order_by(nm.c.id)
    rows = conn.execute(q if limit is None else q.limit(limit)).all()
    meta = document_meta(conn, {r.doc_id for r in rows if r.doc_id})
    out = []
    for r in rows:
        m = meta.get(r.doc_id) or {}
        out.append({"name": r.name, "how": r.how, "doc_id": r.doc_id, "title": m.get("title"),
                    "outlet": m.get("outlet"), "published": m.get("published")})
    return out, total


def _statements(conn: Connection, ids: list[str], cap: int, by: bool) -> tuple[list[dict], int]:
    """The newest `cap` statements the actor made (by=True), or made by others with the actor named
    in their content (by=False), oldest first, and how many there are: the actor page's lists
    (wirescope.query.actor_view), read from the actor's own rows and counted in the same pass."""
    from wirescope.query.actor_view import _statements as newest

    rows, total = newest(conn, ids, cap, 0, by=by)
    key = lambda s: (s["published"] or "", s["doc_id"], s["evidence"]["start"])  # noqa: E731
    return sorted(rows, key=key), total
