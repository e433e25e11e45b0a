"""One actor as the actor page reads it: each list a page at a time, paged and counted in the database.

`section(conn, kb_id, name, limit, offset)` answers (rows, total) for "names", "documents",
"statements_by", "statements_about" and "relations" (the strongest first, wirescope.query.ranking:
the top offset+limit are aggregated, the page is cut from them). Orders are those of
wirescope.query.entities.entity_profile (newest documents and statements first, names in the order
learnt), so the overview and the pages agree; merged actors count as the actor they were merged into.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import and_, exists, func, select
from sqlalchemy.engine import Connection

from wirescope.query.common import document_meta, entity_rows, members, statement_dicts
from wirescope.query.ranking import strongest
from wirescope.store import schema as S

SECTIONS = ("relations", "statements_by", "statements_about", "documents", "names")


def head(conn: Connection, kb_id: str) -> dict[str, Any]:
    """The actor's own fields: id, name, type, subtype, anonymous, country, merged (ids folded into it)."""
    ids = members(conn, kb_id)
    entity = dict(entity_rows(conn, [kb_id])[kb_id])
    k = S.kb_entities
    entity["country"] = conn.execute(select(k.c.country).where(k.c.id == kb_id)).scalar()
    entity["merged"] = [i for i in ids if i != kb_id]
    de, m = S.doc_entities, S.mentions
    entity["mentions"] = conn.execute(
        select(func.count()).select_from(m.join(de, and_(de.c.doc_id == m.c.doc_id, de.c.local_id == m.c.entity)))
        .where(de.c.kb_entity.in_(ids))).scalar() or 0
    entity["documents"] = conn.execute(select(func.count(func.distinct(de.c.doc_id)))
                                       .where(de.c.kb_entity.in_(ids))).scalar() or 0
    return entity


def section(conn: Connection, kb_id: str, name: str, limit: int, offset: int = 0) -> tuple[list[dict], int]:
    if name not in SECTIONS:
        raise ValueError(f"unknown section {name!r}")
    ids = members(conn, kb_id)
    if name == "relations":
        rows, info = strongest(conn, offset + limit, entity=kb_id, detail=False, batch=max(offset + limit, 10))
        for row in rows:
            row["latest"] = latest(row)
        return rows[offset:], info["candidates"]
    if name == "documents":
        return _documents(conn, ids, limit, offset)
    if name == "names":
        return _names(conn, ids, limit, offset)
    return _statements(conn, ids, limit, offset, by=name == "statements_by")


def latest(row: dict) -> dict | None:
    """The relation's newest statement, for or against (`stance`), by publication date."""
    items = [dict(it, stance="for") for it in row.get("support") or []]
    items += [dict(it, stance="against") for it in row.get("against") or []]
    dated = [it for it in items if it.get("date")]
    return max(dated, key=lambda it: (it["date"], it["doc_id"], it["evidence"]["start"])) if dated else None


def _documents(conn: Connection, ids: list[str], limit: int, offset: int) -> tuple[list[dict], int]:
    d, de = S.documents, S.doc_entities
    mine = select(de.c.doc_id).where(de.c.kb_entity.in_(ids))
    total = conn.execute(select(func.count(func.distinct(de.c.doc_id))).where(de.c.kb_entity.in_(ids))).scalar()
    rows = conn.execute(select(d.c.id, d.c.title, d.c.outlet, d.c.url, d.c.published, d.c.duplicate_of)
                        .where(d.c.id.in_(mine))
                        .order_by(d.c.published.is_(None), d.c.published.desc(), d.c.id.desc())
                        .limit(limit).offset(offset)).all()
    return [dict(r._mapping) for r in rows], total or 0


def _names(conn: Connection, ids: list[str], limit: int, offset: int) -> tuple[list[dict], int]:
    nm = S.kb_names
    first = (select(nm.c.name, nm.c.how, func.min(nm.c.id).label("first"))
             .where(nm.c.kb_entity.in_(ids)).group_by(nm.c.name, nm.c.how)).subquery()
    total = conn.execute(select(func.count()).select_from(first)).scalar() or 0
    rows = conn.execute(select(nm.c.name, nm.c.how, nm.c.doc_id).join(first, first.c.first == nm.c.id)
                        .order_by(nm.c.id).limit(limit).offset(offset)).all()
    meta = document_meta(conn, {r.doc_id for r in rows if r.doc_id})
    return [{"name": r.name, "how": r.how, "doc_id": r.doc_id, "title": (meta.get(r.doc_id) or {}).get("title"),
             "outlet": (meta.get(r.doc_id) or {}).get("outlet")} for r in rows], total


def _statements(conn: Connection, ids: list[str], limit: int, offset: int, by: bool) -> tuple[list[dict], int]:
    """Statements the actor made (by) or that name it (its mentions inside their content, not its own),
    newest report first. Both start from the actor's own rows (doc_entities by kb_entity, then their
    mentions), so the work follows how often the actor is reported, not the size of the knowledge base."""
    st, d, de, m = S.statements, S.documents, S.doc_entities, S.mentions
    own = de.alias("own")
    spoke = (select(own.c.local_id).where(own.c.doc_id == st.c.doc_id, own.c.local_id == st.c.speaker,
                                          own.c.kb_entity.in_(ids)))
    if by:
        keys = (select(st.c.doc_id, st.c.local_id)
                .select_from(de.join(st, and_(st.c.doc_id == de.c.doc_id, st.c.speaker == de.c.local_id)))
                .where(de.c.kb_entity.in_(ids)).distinct()).subquery()
    else:
        inside = de.join(m, and_(m.c.doc_id == de.c.doc_id, m.c.entity == de.c.local_id)).join(
            st, and_(st.c.doc_id == m.c.doc_id, st.c.start <= m.c.start, st.c.end >= m.c.end))
        keys = (select(st.c.doc_id, st.c.local_id).select_from(inside)
                .where(de.c.kb_entity.in_(ids), ~exists(spoke)).distinct()).subquery()
    # the page and the size of the whole list in one pass (a window count, taken before LIMIT)
    rows = conn.execute(select(st, func.count().over().label("_total")).select_from(
        st.join(keys, and_(keys.c.doc_id == st.c.doc_id, keys.c.local_id == st.c.local_id))
        .join(d, d.c.id == st.c.doc_id))
        .order_by(d.c.published.is_(None), d.c.published.desc(), st.c.doc_id.desc(), st.c.start.desc())
        .limit(limit).offset(offset)).all()
    if rows:
        total = rows[0]._total
    else:  # past the end (or nothing): count alone
        total = conn.execute(select(func.count()).select_from(keys)).scalar() or 0
    return statement_dicts(conn, rows), total
