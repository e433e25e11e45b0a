"""Where an event sits on the timeline, written beside it (`event_times`) so that the timeline
pages and sorts in SQL: its own calendar time when it has one ("2019-W11": the week's first and last
day), else its report's publication date; events without either sort last. A document's event that
repeats an earlier one of the same document (type, trigger, actors and own time) is marked `twin`
and listed once."""
from __future__ import annotations

from typing import Iterable

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from wirescope.analyse.timex_calendar import period_of
from wirescope.store import schema as S

UNPLACED = "9999"  # sorts after every ISO date
META_KEY = "event_times"  # set once every stored event has its row


def place(value: str | None) -> tuple[str, str, str, str] | None:
    """(time as shown, granularity, first day, last day) of a TIMEX3 value naming a calendar period."""
    if not value:
        return None
    value = str(value).strip()
    found = period_of(value)
    if found is None:
        return None
    first, last, gran = found
    return (value.split("T", 1)[0] if gran == "day" else value), gran, first.isoformat(), last.isoformat()


def rows_for(doc_id: str, published: str | None, events: Iterable[dict]) -> list[dict]:
    """event_times rows of one document's events, given in the document's order as dicts with
    local_id, type, trigger, source_kb, target_kb, time, start."""
    day = (published or "")[:10] or None
    out, seen = [], set()
    for e in events:
        placed, time_from = place(e["time"]), "event"
        if placed is None:
            placed, time_from = (place(day), "published") if day else (None, None)
            if placed is None:
                time_from = None
        key = (e["type"], (e["trigger"] or "").casefold(), e["source_kb"], e["target_kb"],
               placed[0] if time_from == "event" else None)
        out.append(dict(doc_id=doc_id, local_id=e["local_id"], time=placed[0] if placed else None,
                        granularity=placed[1] if placed else None, time_start=placed[2] if placed else None,
                        time_end=placed[3] if placed else None, time_from=time_from,
                        sort_start=placed[2] if placed else UNPLACED, sort_end=placed[3] if placed else UNPLACED,
                        published=published or "", start=e["start"], twin=key in seen))
        seen.add(key)
    return out


def backfill(conn: Connection, batch: int = 500) -> int:
    """Rows for the events stored before event_times existed (once per knowledge base); returns how
    many were written."""
    done = conn.execute(select(S.meta.c.value).where(S.meta.c.key == META_KEY)).scalar()
    if done is not None:
        return 0
    e, t, d = S.events, S.event_times, S.documents
    missing = (select(e.c.doc_id).outerjoin(t, (t.c.doc_id == e.c.doc_id) & (t.c.local_id == e.c.local_id))
               .where(t.c.doc_id.is_(None)).distinct())
    docs = conn.execute(missing).scalars().all()
    written = 0
    for i in range(0, len(docs), batch):
        chunk = docs[i:i + batch]
        published = dict(conn.execute(select(d.c.id, d.c.published).where(d.c.id.in_(chunk))).all())
        by_doc: dict[str, list[dict]] = {}
        for r in conn.execute(select(e.c.doc_id, e.c.local_id, e.c.type, e.c.trigger, e.c.source_kb, e.c.target_kb,
                                     e.c.time, e.c.start).where(e.c.doc_id.in_(chunk))):
            by_doc.setdefault(r.doc_id, []).append(dict(r._mapping))
        rows = []
        for doc_id, events in by_doc.items():
            events.sort(key=lambda x: _local_order(x["local_id"]))
            rows.extend(rows_for(doc_id, published.get(doc_id), events))
        if rows:
            conn.execute(insert(t), rows)
            written += len(rows)
    conn.execute(insert(S.meta).values(key=META_KEY, value="1"))
    return written


def _local_order(local_id: str) -> tuple:
    """v2 before v10: the order the analysis gave its events."""
    digits = "".join(c for c in local_id if c.isdigit())
    return (int(digits) if digits else 0, local_id)
