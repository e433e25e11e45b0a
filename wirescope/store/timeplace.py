"""Where an event sits on the timeline, written beside it (`event_times`) so that the timeline
pages and sorts in SQL: its own calendar time when it has one ("2019-W11": the week's first and last
day), else its report's publication date; events without either sort last. A document's event that
repeats an earlier one of the same document (type, trigger, actors and own time) is marked `twin`
and listed once.

An event whose own time is one end of an interval its evidence writes as a range ("served as mayor
from 2009 to 2011": time 2009) spans the interval: its row keeps both ends (`begin_point`,
`end_point`), the time as an ISO 8601 interval ("2009/2011") and the first day of the begin and the
last day of the end as its period. The document's intervals come from its time expressions when
the writer passes them (`rows_for(..., times=)`); without them the event's evidence is read again
for a range (only when it holds a range word), and a range is taken only when one of its ends is the
event's own time. `time_rows` gives the `times` rows with their ends.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

from sqlalchemy import insert, inspect, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from wirescope.analyse.timex_calendar import period_of
from wirescope.store import schema as S

UNPLACED = "9999"  # sorts after every ISO date
META_KEY = "event_times"  # set once every stored event has its row
_GRAN_ORDER = ("day", "weekend", "week", "month", "season", "quarter", "half", "year", "decade", "century")


def place(value: str | None) -> tuple[str, str, str, str] | None:
    """(time as shown, granularity, first day, last day) of a TIMEX3 value naming a calendar period,
    or of an ISO 8601 interval of two of them ("2009/2011": the granularity of its ends, the coarser
    one when they differ, from the first day of the begin to the last day of the end)."""
    if not value:
        return None
    value = str(value).strip()
    if "/" in value:
        ends = span_bounds(*value.split("/", 1))
        if ends is None:
            return None
        first, last, gran = ends
        return value, gran, first.isoformat(), last.isoformat()
    found = period_of(value)
    if found is None:
        return None
    first, last, gran = found
    return (value.split("T", 1)[0] if gran == "day" else value), gran, first.isoformat(), last.isoformat()


def span_bounds(begin: str | None, end: str | None) -> tuple[dt.date, dt.date, str] | None:
    """(first day of begin, last day of end, the coarser granularity of the two) of an interval's
    two ends, None when either names no calendar period or the end starts before the begin."""
    a, b = period_of(_day_part(begin)), period_of(_day_part(end))
    if a is None or b is None or b[0] < a[0] or b[1] < a[1]:
        return None
    gran = max(a[2], b[2], key=lambda g: _GRAN_ORDER.index(g) if g in _GRAN_ORDER else 0)
    return a[0], b[1], gran


def _day_part(value: str | None) -> str | None:
    return value.split("T", 1)[0] if value else value


def _get(t: Any, key: str) -> Any:
    return t.get(key) if isinstance(t, dict) else getattr(t, key, None)


def _same_period(a: str | None, b: str | None) -> bool:
    """Two values naming the same calendar period ("2019-03-05TMO" and "2019-03-05")."""
    pa, pb = period_of(_day_part(a)), period_of(_day_part(b))
    return pa is not None and pa == pb


def _matching(time: str, intervals: Iterable[Any]) -> tuple[str, str] | None:
    """The ends of the first interval one of whose ends is `time`."""
    for t in intervals:
        begin, end = _get(t, "begin_point"), _get(t, "end_point")
        if not begin or not end or span_bounds(begin, end) is None:
            continue
        if _same_period(time, begin) or _same_period(time, end):
            return begin, end
    return None


def event_span(event: dict, times: Iterable[Any] | None = None) -> tuple[str, str] | None:
    """(begin, end) of the interval an event spans: a range among the document's time expressions
    inside its evidence (document offsets `start`..`end`) one of whose ends is the event's own time;
    None for an event at one period. times: the document's time expressions, as the analysis gave
    them (TimeExpr or dicts with start, end, begin_point, end_point); the store never reads text
    again, so without them no interval is found."""
    time = event.get("time")
    if not time or "/" in str(time) or period_of(_day_part(time)) is None or not times:
        return None
    lo, hi = event.get("start"), event.get("end")
    inside = [t for t in times if _get(t, "begin_point") and (
        lo is None or hi is None or (lo <= _get(t, "start") and _get(t, "end") <= hi))]
    return _matching(time, inside)


def rows_for(doc_id: str, published: str | None, events: Iterable[dict],
             times: Iterable[Any] | None = None) -> list[dict]:
    """event_times rows of one document's events, given in the document's order as dicts with
    local_id, type, trigger, source_kb, target_kb, time, start (and end, evidence: for intervals).
    times: the document's time expressions, for the intervals events span (see `event_span`)."""
    day = (published or "")[:10] or None
    times = list(times) if times is not None else None
    out, seen = [], set()
    for e in events:
        span = event_span(e, times)
        placed, time_from = (place(f"{span[0]}/{span[1]}") if span else place(e["time"])), "event"
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
                        published=published or "", start=e["start"], twin=key in seen,
                        begin_point=span[0] if span else None, end_point=span[1] if span else None))
        seen.add(key)
    return out


def time_rows(doc_id: str, times: Iterable[Any]) -> list[dict]:
    """`times` rows of one document's time expressions, intervals with their two ends."""
    return [dict(doc_id=doc_id, local_id=_get(t, "id"), text=_get(t, "text"), type=_get(t, "type"),
                 value=_get(t, "value"), start=_get(t, "start"), end=_get(t, "end"),
                 begin_point=_get(t, "begin_point"), end_point=_get(t, "end_point")) for t in times]


_ADDED = {"times": ("begin_point", "end_point"), "event_times": ("begin_point", "end_point")}
_HAS_INTERVALS: dict[str, bool] = {}


def has_intervals(conn: Connection) -> bool:
    """Whether event_times has the interval columns: a knowledge base made before them and opened
    read-only could not gain them, and is read without spans (remembered per database)."""
    key = str(conn.engine.url)
    if key not in _HAS_INTERVALS:
        insp = inspect(conn)
        have = {c["name"] for c in insp.get_columns("event_times")} if insp.has_table("event_times") else set()
        _HAS_INTERVALS[key] = {"begin_point", "end_point"} <= have
    return _HAS_INTERVALS[key]


def add_columns(conn: Connection) -> list[str]:
    """Add the interval columns to a knowledge base made before them (ALTER TABLE ... ADD COLUMN,
    nullable: rows stored before keep NULL); returns the columns added as "table.column"."""
    added = []
    insp = inspect(conn)
    for table, columns in _ADDED.items():
        if not insp.has_table(table):
            continue
        have = {c["name"] for c in insp.get_columns(table)}
        for col in columns:
            if col in have:
                continue
            kind = S.metadata.tables[table].c[col].type.compile(dialect=conn.dialect)
            prep = conn.dialect.identifier_preparer
            try:
                with conn.begin_nested():  # a knowledge base opened read-only keeps its tables as they are
                    conn.execute(text(f"ALTER TABLE {prep.quote(table)} ADD COLUMN {prep.quote(col)} {kind}"))
            except DBAPIError:
                continue
            added.append(f"{table}.{col}")
    return added


def backfill(conn: Connection, batch: int = 500) -> int:
    """Rows for the events stored before event_times existed (once per knowledge base); returns how
    many were written. Adds the interval columns first when the knowledge base lacks them."""
    add_columns(conn)
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
                                     e.c.time, e.c.start, e.c.end).where(e.c.doc_id.in_(chunk))):
            by_doc.setdefault(r.doc_id, []).append(dict(r._mapping))
        times: dict[str, list[dict]] = {}
        tt = S.times
        for r in conn.execute(select(tt.c.doc_id, tt.c.start, tt.c.end, tt.c.begin_point, tt.c.end_point)
                              .where(tt.c.doc_id.in_(chunk), tt.c.begin_point.is_not(None))):
            times.setdefault(r.doc_id, []).append(dict(r._mapping))
        rows = []
        for doc_id, events in by_doc.items():
            events.sort(key=lambda x: _local_order(x["local_id"]))
            rows.extend(rows_for(doc_id, published.get(doc_id), events, times.get(doc_id, [])))
        if rows:
            conn.execute(insert(t), rows)
            written += len(rows)
    conn.execute(insert(S.meta).values(key=META_KEY, value="1"))
    return written


def _local_order(local_id: str) -> tuple:
    """v2 before v10: the order the analysis gave its events."""
    digits = "".join(c for c in local_id if c.isdigit())
    return (int(digits) if digits else 0, local_id)
