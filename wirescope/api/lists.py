"""Paged lists the query layer does not offer whole: every actor, and statements by actor or
document. Each returns (rows, total) for the list envelope; merged actors read as the survivor."""
from __future__ import annotations

from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.engine import Connection

from wirescope.query.common import document_counts, members, statement_dicts
from wirescope.store import schema as S


def list_actors(conn: Connection, limit: int, offset: int, type: str | None = None) -> tuple[list[dict[str, Any]], int]:
    """Actors (not merged into another), by name."""
    k = S.kb_entities
    where = [k.c.merged_into.is_(None)]
    if type:
        where.append(k.c.type == type)
    total = conn.execute(select(func.count()).select_from(k).where(*where)).scalar_one()
    rows = conn.execute(select(k.c.id, k.c.name, k.c.type, k.c.subtype, k.c.anonymous).where(*where)
                        .order_by(k.c.name, k.c.id).limit(limit).offset(offset)).all()
    counts = document_counts(conn, [r.id for r in rows])
    return [{"id": r.id, "name": r.name, "type": r.type, "subtype": r.subtype, "anonymous": bool(r.anonymous),
             "documents": counts.get(r.id, 0)} for r in rows], total


def list_statements(conn: Connection, limit: int, offset: int, speaker: str | None = None,
                    document: str | None = None, polarity: str | None = None) -> tuple[list[dict[str, Any]], int]:
    """Statements, newest report first, then in reading order; `speaker` (a canonical actor id)
    keeps those it made, `document` those of one document."""
    st, d, de = S.statements, S.documents, S.doc_entities
    source = st.join(d, d.c.id == st.c.doc_id)
    where = []
    if speaker:
        source = source.join(de, and_(de.c.doc_id == st.c.doc_id, de.c.local_id == st.c.speaker))
        where.append(de.c.kb_entity.in_(members(conn, speaker)))
    if document:
        where.append(st.c.doc_id == document)
    if polarity:
        where.append(st.c.polarity == polarity)
    total = conn.execute(select(func.count()).select_from(source).where(*where)).scalar_one()
    rows = conn.execute(select(st).select_from(source).where(*where)
                        .order_by(d.c.published.is_(None), d.c.published.desc(), st.c.doc_id, st.c.start,
                                  st.c.local_id)
                        .limit(limit).offset(offset)).all()
    return statement_dicts(conn, rows), total


def count_documents(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(S.documents)).scalar_one()
