"""A knowledge base at a glance: the most-reported actors and the best-supported relations."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from wirescope.query.ranking import strongest
from wirescope.store import schema as S


def top_actors(conn: Connection, limit: int = 12) -> list[dict]:
    """Named actors by the number of documents that mention them (merged actors count once)."""
    docs = func.count(func.distinct(S.doc_entities.c.doc_id))
    rows = conn.execute(
        select(S.kb_entities.c.id, S.kb_entities.c.name, S.kb_entities.c.type, docs.label("documents"))
        .join(S.doc_entities, S.doc_entities.c.kb_entity == S.kb_entities.c.id)
        .where(S.kb_entities.c.anonymous.is_(False), S.kb_entities.c.merged_into.is_(None))
        .group_by(S.kb_entities.c.id, S.kb_entities.c.name, S.kb_entities.c.type)
        .order_by(docs.desc(), S.kb_entities.c.name).limit(limit)
    ).all()
    return [dict(id=r.id, name=r.name, type=r.type, documents=r.documents) for r in rows]


def top_relations(conn: Connection, limit: int = 12) -> list[dict]:
    """Aggregated relations, best supported first (independent sources, then confidence); only the
    relations that can reach the top are aggregated (wirescope.query.ranking)."""
    return strongest(conn, limit)[0]
