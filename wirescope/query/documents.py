"""Read stored documents back with every layer and its offsets, list them, count the knowledge base.

`get_document` is what the document page highlights: each layer keeps the character offsets of the
extraction contract (`text[start:end] == span text`), and local ids (e1, s1, r1, v1, t1) are joined
to their cross-document actors (`kb_id`) so a page can link out to every actor.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from wirescope.store import schema as S

DOCUMENT_FIELDS = ("id", "title", "url", "outlet", "published", "dateline", "source", "duplicate_of",
                   "similarity", "warnings", "versions")


def _span(start: int, end: int, text: str) -> dict[str, Any]:
    return {"start": start, "end": end, "text": text}


def _document_row(row) -> dict[str, Any]:
    out = {name: row._mapping[name] for name in DOCUMENT_FIELDS}
    ingested = row._mapping.get("ingested_at")
    out["ingested_at"] = ingested.isoformat() if hasattr(ingested, "isoformat") else ingested
    return out


def get_document(conn: Connection, doc_id: str) -> dict[str, Any] | None:
    """One document with its text and every layer; None when no document has that id."""
    row = conn.execute(select(S.documents).where(S.documents.c.id == doc_id)).first()
    if row is None:
        return None
    doc = _document_row(row)
    doc["text"] = row.text

    ents = conn.execute(
        select(S.doc_entities, S.kb_entities.c.name.label("kb_name"), S.kb_entities.c.merged_into)
        .join(S.kb_entities, S.kb_entities.c.id == S.doc_entities.c.kb_entity, isouter=True)
        .where(S.doc_entities.c.doc_id == doc_id)
    ).all()
    mentions: dict[str, list[dict[str, Any]]] = {}
    for m in conn.execute(select(S.mentions).where(S.mentions.c.doc_id == doc_id)
                          .order_by(S.mentions.c.start, S.mentions.c.end)):
        mentions.setdefault(m.entity, []).append(_span(m.start, m.end, m.text))
    entities, kb_of, name_of = [], {}, {}
    for e in ents:
        kb_id = e.merged_into or e.kb_entity  # an analyst's merge sends readers to the surviving actor
        kb_of[e.local_id] = kb_id
        name_of[e.local_id] = e.name
        entities.append({
            "id": e.local_id, "kb_id": kb_id, "kb_name": e.kb_name, "name": e.name, "type": e.type,
            "subtype": e.subtype, "anonymous": bool(e.anonymous), "aliases": list(e.aliases or []),
            "descriptor": e.descriptor, "country": e.country, "mentions": mentions.get(e.local_id, []),
        })
    entities.sort(key=lambda e: (e["mentions"][0]["start"] if e["mentions"] else len(doc["text"]), e["id"]))

    def actor(local: str | None) -> dict[str, Any] | None:
        if not local:
            return None
        return {"id": local, "kb_id": kb_of.get(local), "name": name_of.get(local, local)}

    statements = [{
        "id": s.local_id, "speaker": actor(s.speaker), "cue": s.cue, "content": _span(s.start, s.end, s.content),
        "direct": bool(s.direct), "via": actor(s.via), "parent": s.parent, "polarity": s.polarity,
        "modality": s.modality, "kind": s.kind,
    } for s in conn.execute(select(S.statements).where(S.statements.c.doc_id == doc_id)
                            .order_by(S.statements.c.start, S.statements.c.local_id))]
    relations = [{
        "id": r.local_id, "subject": actor(r.subject), "type": r.type, "object": actor(r.object),
        "polarity": r.polarity, "modality": r.modality, "statement": r.statement,
        "evidence": _span(r.start, r.end, r.evidence), "trigger": r.trigger, "time": r.time,
    } for r in conn.execute(select(S.relations).where(S.relations.c.doc_id == doc_id)
                            .order_by(S.relations.c.start, S.relations.c.local_id))]
    events = [{
        "id": v.local_id, "type": v.type, "mode": v.mode, "trigger": v.trigger, "source": actor(v.source),
        "target": actor(v.target), "location": actor(v.location), "time": v.time, "polarity": v.polarity,
        "statement": v.statement, "evidence": _span(v.start, v.end, v.evidence),
    } for v in conn.execute(select(S.events).where(S.events.c.doc_id == doc_id)
                            .order_by(S.events.c.start, S.events.c.local_id))]
    times = [{
        "id": t.local_id, "text": t.text, "type": t.type, "value": t.value, "start": t.start, "end": t.end,
    } for t in conn.execute(select(S.times).where(S.times.c.doc_id == doc_id)
                            .order_by(S.times.c.start, S.times.c.local_id))]
    doc.update(entities=entities, statements=statements, relations=relations, events=events, times=times)
    return doc


def _counts_by_doc(conn: Connection, table, ids: list[str]) -> dict[str, int]:
    if not ids:
        return {}
    rows = conn.execute(select(table.c.doc_id, func.count()).where(table.c.doc_id.in_(ids)).group_by(table.c.doc_id))
    return {doc_id: n for doc_id, n in rows}


def list_documents(conn: Connection, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    """Documents, newest publication first (undated last), with how much was found in each."""
    limit = max(0, min(int(limit), 1000))
    offset = max(0, int(offset))
    d = S.documents
    rows = conn.execute(
        select(d.c.id, d.c.title, d.c.url, d.c.outlet, d.c.published, d.c.dateline, d.c.duplicate_of,
               func.length(d.c.text).label("chars"), func.substr(d.c.text, 1, 240).label("lead"))
        .order_by(d.c.published.is_(None), d.c.published.desc(), d.c.id)
        .limit(limit).offset(offset)
    ).all()
    ids = [r.id for r in rows]
    counts = {name: _counts_by_doc(conn, table, ids) for name, table in
              (("actors", S.doc_entities), ("statements", S.statements), ("relations", S.relations),
               ("events", S.events))}
    return [{
        "id": r.id, "title": r.title, "url": r.url, "outlet": r.outlet, "published": r.published,
        "dateline": r.dateline, "duplicate_of": r.duplicate_of, "chars": r.chars,
        "lead": " ".join((r.lead or "").split()),
        **{name: counts[name].get(r.id, 0) for name in counts},
    } for r in rows]


def stats(conn: Connection) -> dict[str, Any]:
    """How big the knowledge base is and what it holds, by kind."""
    def count(table, *where) -> int:
        q = select(func.count()).select_from(table)
        for w in where:
            q = q.where(w)
        return conn.execute(q).scalar_one()

    def by(column, *where) -> dict[str, int]:
        q = select(column, func.count()).group_by(column).order_by(func.count().desc(), column)
        for w in where:
            q = q.where(w)
        return {str(k): n for k, n in conn.execute(q)}

    live = S.kb_entities.c.merged_into.is_(None)
    first, last = conn.execute(select(func.min(S.documents.c.published), func.max(S.documents.c.published))).one()
    return {
        "documents": count(S.documents),
        "syndicated": count(S.documents, S.documents.c.duplicate_of.is_not(None)),
        "actors": count(S.kb_entities, live),
        "names": count(S.kb_names),
        "mentions": count(S.mentions),
        "statements": count(S.statements),
        "relations": count(S.relations),
        "events": count(S.events),
        "times": count(S.times),
        "judgements": count(S.judgements),
        "failures": count(S.failures),
        "first_published": first,
        "last_published": last,
        "actor_types": by(S.kb_entities.c.type, live),
        "relation_types": by(S.relations.c.type),
        "event_types": by(S.events.c.type),
    }
