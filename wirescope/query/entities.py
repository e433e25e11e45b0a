"""Actors of the knowledge base: find them, resolve a name to one, and profile one.

Every function takes a SQLAlchemy Connection and returns plain JSON-serialisable dicts. Entities
merged into another (kb_entities.merged_into) are read as the entity they were merged into.
Finding and resolving actors, and the row helpers the other query modules share (references to
actors, document metadata, statement dicts), live in wirescope.query.common; they are re-exported
here under their old names.
"""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, or_, select
from sqlalchemy.engine import Connection

from wirescope.query.common import (  # noqa: F401  (re-exported)
    _chunks, as_json, canonical_map, document_counts, document_meta, entity_rows, find_entities, local_refs,
    members, refs, resolve_entity, statement_dicts,
)
from wirescope.query.relations import aggregate_relations
from wirescope.store import schema as S

__all__ = ["find_entities", "resolve_entity", "entity_profile", "canonical_map", "members"]

MAX_PROFILE_DOCS = 500


# ---- the profile -----------------------------------------------------------------------------
def entity_profile(conn: Connection, kb_id: str) -> dict:
    """Everything the knowledge base holds on one actor: its names and aliases (each with the
    document it was learnt from), mentions, documents, relations (aggregated, for and against),
    statements by it and about it, and the resolution judgements that shaped it."""
    ent = S.kb_entities
    if not conn.execute(select(ent.c.id).where(ent.c.id == kb_id)).first():
        kb_id = resolve_entity(conn, kb_id)["id"]
    kb_id = canonical_map(conn, [kb_id])[kb_id]
    ids = members(conn, kb_id)
    entity = dict(entity_rows(conn, [kb_id])[kb_id])
    row = conn.execute(select(ent.c.country).where(ent.c.id == kb_id)).first()
    entity["country"] = row.country if row else None
    entity["merged"] = [i for i in ids if i != kb_id]

    de, nm = S.doc_entities, S.kb_names
    local = conn.execute(select(de.c.doc_id, de.c.local_id).where(de.c.kb_entity.in_(ids))).all()
    doc_ids = sorted({r.doc_id for r in local})
    meta = document_meta(conn, doc_ids)
    docs = sorted(meta.values(), key=lambda m: (m["published"] or "", m["id"]), reverse=True)

    names = []
    seen = set()
    name_rows = conn.execute(select(nm.c.name, nm.c.how, nm.c.doc_id, nm.c.kb_entity).where(nm.c.kb_entity.in_(ids))
                             .order_by(nm.c.id)).all()
    extra = document_meta(conn, {r.doc_id for r in name_rows if r.doc_id and r.doc_id not in meta})
    for r in name_rows:
        if (r.name, r.how) in seen:
            continue
        seen.add((r.name, r.how))
        m = meta.get(r.doc_id) or extra.get(r.doc_id) or {}
        names.append({"name": r.name, "how": r.how, "doc_id": r.doc_id, "title": m.get("title"),
                      "outlet": m.get("outlet"), "published": m.get("published")})

    mention_count = 0
    if local:
        m = S.mentions
        by_doc: dict[str, list[str]] = defaultdict(list)
        for r in local:
            by_doc[r.doc_id].append(r.local_id)
        for chunk in _chunks(sorted(by_doc), 200):
            rows = conn.execute(select(m.c.doc_id, m.c.entity, func.count()).where(m.c.doc_id.in_(chunk))
                                .group_by(m.c.doc_id, m.c.entity)).all()
            mention_count += sum(n for doc, e, n in rows if e in by_doc[doc])

    by, about = _statements_by_and_about(conn, local[:MAX_PROFILE_DOCS * 20], set(ids))
    j = S.judgements
    judged = conn.execute(select(j.c.id, j.c.left, j.c.right, j.c.decision, j.c.score, j.c.author, j.c.explanation)
                          .where(or_(j.c.left.in_(ids), j.c.right.in_(ids)), j.c.author != "resolver")
                          .order_by(j.c.id)).all()
    return {
        "entity": entity,
        "names": names,
        "mentions": mention_count,
        "documents": docs[:MAX_PROFILE_DOCS],
        "relations": aggregate_relations(conn, entity=kb_id),
        "statements_by": by,
        "statements_about": about,
        "judgements": [{"id": r.id, "left": r.left, "right": r.right, "decision": r.decision, "score": r.score,
                        "author": r.author, "explanation": r.explanation} for r in judged],
    }


def _statements_by_and_about(conn: Connection, local: list, ids: set[str]) -> tuple[list[dict], list[dict]]:
    st, m = S.statements, S.mentions
    by_doc: dict[str, set[str]] = defaultdict(set)
    for r in local:
        by_doc[r.doc_id].add(r.local_id)
    docs = sorted(by_doc)[-MAX_PROFILE_DOCS:]
    by, about = [], []
    for chunk in _chunks(docs, 200):
        rows = conn.execute(select(st).where(st.c.doc_id.in_(chunk))).all()
        spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for r in conn.execute(select(m.c.doc_id, m.c.entity, m.c.start, m.c.end).where(m.c.doc_id.in_(chunk))):
            if r.entity in by_doc[r.doc_id]:
                spans[r.doc_id].append((r.start, r.end))
        mine, theirs = [], []
        for r in rows:
            if r.speaker in by_doc[r.doc_id]:
                mine.append(r)
            elif any(r.start <= s and e <= r.end for s, e in spans[r.doc_id]):
                theirs.append(r)
        by.extend(statement_dicts(conn, mine))
        about.extend(statement_dicts(conn, theirs))
    key = lambda s: (s["published"] or "", s["doc_id"], s["evidence"]["start"])  # noqa: E731
    return sorted(by, key=key), sorted(about, key=key)
