"""Events in time: what an actor did and what was done to it, ordered by normalised event time.

An event without a normalised time is placed at its report's publication date (`time_from` says
which). An event repeated by a syndicated copy of a report is listed once, from the original.
"""
from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.engine import Connection

from wirescope.query.common import document_meta, members, refs, resolve_entity
from wirescope.query.relations import _in_window, normalise_time
from wirescope.store import schema as S


def timeline(conn: Connection, entity: str | None = None, since: str | None = None, until: str | None = None,
             limit: int = 500) -> list[dict]:
    """[{"time", "time_from", "type", "mode", "trigger", "source", "target", "location", "doc_id",
    "event_id", "evidence", "published", "outlet", "title", "polarity", "modality"?, "duplicate_of"}]."""
    e = S.events
    q = select(e)
    if entity:
        ids = members(conn, resolve_entity(conn, entity)["id"])
        q = q.where(or_(e.c.source_kb.in_(ids), e.c.target_kb.in_(ids), e.c.location_kb.in_(ids)))
    rows = conn.execute(q).all()
    if not rows:
        return []
    meta = document_meta(conn, {r.doc_id for r in rows})
    people = refs(conn, {x for r in rows for x in (r.source_kb, r.target_kb, r.location_kb) if x})
    out, seen = [], {}
    for r in rows:
        m = meta.get(r.doc_id, {})
        time = normalise_time(r.time)
        published = (m.get("published") or "")[:10] or None
        when = time or published
        if not _in_window(when, since, until):
            continue
        item = {
            "time": when, "time_from": "event" if time else ("published" if published else None),
            "time_value": r.time, "type": r.type, "mode": r.mode, "trigger": r.trigger,
            "source": _ref(people.get(r.source_kb)), "target": _ref(people.get(r.target_kb)),
            "location": _ref(people.get(r.location_kb)), "doc_id": r.doc_id, "event_id": r.local_id,
            "evidence": {"start": r.start, "end": r.end, "text": r.evidence}, "published": m.get("published"),
            "outlet": m.get("outlet"), "title": m.get("title"), "polarity": r.polarity,
            "duplicate_of": m.get("duplicate_of"),
        }
        origin = m.get("duplicate_of") or r.doc_id
        key = (origin, r.type, (r.trigger or "").casefold(), (item["source"] or {}).get("id"),
               (item["target"] or {}).get("id"), time)
        if key in seen:
            if seen[key]["duplicate_of"] and not item["duplicate_of"]:
                seen[key].update(item)  # keep the original's copy of the event
            continue
        seen[key] = item
        out.append(item)
    out.sort(key=lambda it: (it["time"] or "9999", it["published"] or "", it["doc_id"], it["evidence"]["start"]))
    return out[:limit]


def _ref(value: dict | None) -> dict | None:
    return {"id": value["id"], "name": value["name"]} if value else None
