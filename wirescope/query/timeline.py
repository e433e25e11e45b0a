"""Events in time: what an actor did and what was done to it, ordered by normalised event time.

Each event's time is shown as what it is: a day ("2019-03-15"), a week ("2019-W11"), a weekend,
a month ("2019-03"), a quarter ("2019-Q1"), a half year, a season ("2019-SU"), a year ("2019"), a
decade ("201") or a century, never cut down to a bare year. Every item carries that granularity
(`time_granularity`), the first and last day of its period (`time_start`, `time_end`) and a label
to show (`time_label`: "week 11, 2019", "summer 2019"); items are ordered by the start of their
period (a finer period first when two start on the same day). A since/until window keeps the
events whose period overlaps it.

An event over an interval its report writes as a range ("mayor from 2009 to 2011") is a span:
`time` is the ISO 8601 interval ("2009/2011"), `time_span` holds its two ends with their own
granularities and labels, `time_start`/`time_end` run from the first day of the begin to the last
day of the end, and `time_label` reads "2009 to 2011"; it sorts by its start like any period.

How sure the placing is stays visible: `time_uncertainty` is None for an event on a day or over a
stated span, "within <period>" for an event known only to a coarser period (a week, a month, a
season, a year: it happened some day in it), and "report date" for an event placed at its report's
publication date because no time of its own was found (`time_from` says which).
An event repeated by a syndicated copy of a report is listed once, from the original.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, case, exists, func, literal, null, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import aliased

from wirescope.analyse.timex_calendar import period_of
from wirescope.query.common import members, refs, resolve_entity
from wirescope.store import schema as S
from wirescope.store.timeplace import has_intervals, place as _place

_SEASONS = {"SP": "spring", "SU": "summer", "FA": "autumn", "WI": "winter"}


def timeline(conn: Connection, entity: str | None = None, since: str | None = None, until: str | None = None,
             limit: int = 500, offset: int = 0) -> list[dict]:
    """[{"time", "time_granularity", "time_label", "time_start", "time_end", "time_span",
    "time_uncertainty", "time_from", "time_value",
    "type", "mode", "trigger", "source", "target", "location", "doc_id", "event_id", "evidence",
    "published", "outlet", "title", "polarity", "duplicate_of"}], `limit` of them from `offset` on."""
    return timeline_page(conn, entity, since, until, limit, offset, count=False)[0]


def timeline_page(conn: Connection, entity: str | None = None, since: str | None = None, until: str | None = None,
                  limit: int = 100, offset: int = 0, count: bool = True) -> tuple[list[dict], int | None]:
    """(one page of the timeline, how many events it has in all; None when not `count`ed). Filtered,
    de-duplicated, ordered and cut in SQL (event_times' index gives the order): the work is one
    page's, whatever the size of the knowledge base."""
    e, t, d = S.events, S.event_times, S.documents
    where = _listed(e, t, d)
    if entity:
        ids = members(conn, resolve_entity(conn, entity)["id"])
        where.append(or_(e.c.source_kb.in_(ids), e.c.target_kb.in_(ids), e.c.location_kb.in_(ids)))
    window = _window_clause(t, since, until)
    if window is not None:
        where.append(window)
    joined = t.join(e, and_(e.c.doc_id == t.c.doc_id, e.c.local_id == t.c.local_id)).join(d, d.c.id == t.c.doc_id)
    q = (select(e.c.doc_id, e.c.local_id, e.c.type, e.c.mode, e.c.trigger, e.c.source_kb, e.c.target_kb,
                e.c.location_kb, e.c.time.label("value"), e.c.polarity, e.c.start, e.c.end, e.c.evidence,
                t.c.time, t.c.granularity, t.c.time_start, t.c.time_end, t.c.time_from,
                *((t.c.begin_point, t.c.end_point) if has_intervals(conn)
                  else (null().label("begin_point"), null().label("end_point"))),
                d.c.published, d.c.outlet, d.c.title, d.c.duplicate_of)
         .select_from(joined).where(*where)
         .order_by(t.c.sort_start, t.c.sort_end, t.c.published, t.c.doc_id, t.c.start, t.c.local_id)
         .limit(max(0, int(limit))).offset(max(0, int(offset))))
    rows = conn.execute(q).all()
    total = None
    if count:
        total = conn.execute(select(func.count()).select_from(joined).where(*where)).scalar_one()
    people = refs(conn, {x for r in rows for x in (r.source_kb, r.target_kb, r.location_kb) if x})
    out = []
    for r in rows:
        span = span_of(r.begin_point, r.end_point)
        placed = ({"time": r.time, "time_granularity": r.granularity,
                   "time_label": (span_label(span) if span else
                                  label(r.time, r.granularity, dt.date.fromisoformat(r.time_start))),
                   "time_start": r.time_start, "time_end": r.time_end} if r.time_start else
                  {"time": None, "time_granularity": None, "time_label": None, "time_start": None, "time_end": None})
        out.append({
            **placed, "time_span": span, "time_uncertainty": uncertainty(placed, r.time_from, span),
            "time_from": r.time_from, "time_value": r.value, "type": r.type, "mode": r.mode,
            "trigger": r.trigger, "source": _ref(people.get(r.source_kb)), "target": _ref(people.get(r.target_kb)),
            "location": _ref(people.get(r.location_kb)), "doc_id": r.doc_id, "event_id": r.local_id,
            "evidence": {"start": r.start, "end": r.end, "text": r.evidence}, "published": r.published,
            "outlet": r.outlet, "title": r.title, "polarity": r.polarity, "duplicate_of": r.duplicate_of,
        })
    return out, total


def _canonical(kb_id):
    """The actor an event's kb id is now (merges are path-compressed: one step)."""
    k = aliased(S.kb_entities)
    return func.coalesce(select(k.c.merged_into).where(k.c.id == kb_id).scalar_subquery(), kb_id)


def _listed(e, t, d) -> list:
    """An event is listed once: not when an earlier event of its report says the same (twin), nor
    when its report is a syndicated copy and the original (or an earlier copy of it) has the same
    event (type, trigger, source, target and own time)."""
    e2, t2, d2 = aliased(S.events), aliased(S.event_times), aliased(S.documents)
    same = exists(
        select(literal(1)).select_from(
            e2.join(d2, d2.c.id == e2.c.doc_id).join(t2, and_(t2.c.doc_id == e2.c.doc_id,
                                                              t2.c.local_id == e2.c.local_id)))
        .where(or_(d2.c.id == d.c.duplicate_of, and_(d2.c.duplicate_of == d.c.duplicate_of, d2.c.id < d.c.id)),
               e2.c.type == e.c.type,
               func.lower(func.coalesce(e2.c.trigger, "")) == func.lower(func.coalesce(e.c.trigger, "")),
               _canonical(e2.c.source_kb).is_not_distinct_from(_canonical(e.c.source_kb)),
               _canonical(e2.c.target_kb).is_not_distinct_from(_canonical(e.c.target_kb)),
               _event_time(t2).is_not_distinct_from(_event_time(t))))
    return [t.c.twin.is_(False), or_(d.c.duplicate_of.is_(None), ~same)]


def _event_time(t):
    """The time that identifies an event: its own, not its report's date."""
    return case((t.c.time_from == "event", t.c.time), else_=None)


def _window_clause(t, since: str | None, until: str | None):
    """Events whose period overlaps the window (since and until: partial ISO dates, inclusive);
    values that are not calendar dates compare as text, as `_in_window` does."""
    if not since and not until:
        return None
    lo = period_of(since) if since else None
    hi = period_of(until) if until else None
    if (since and lo is None) or (until and hi is None):
        parts = [t.c.time.is_not(None)]
        if since:
            parts.append(t.c.time >= func.substr(literal(since), 1, func.length(t.c.time)))
        if until:
            parts.append(func.substr(t.c.time, 1, len(until)) <= until)
        return and_(*parts)
    parts = [t.c.time_start.is_not(None)]
    if lo is not None:
        parts.append(t.c.time_end >= lo[0].isoformat())
    if hi is not None:
        parts.append(t.c.time_start <= hi[1].isoformat())
    return and_(*parts)


def place(value: str | None) -> dict | None:
    """The calendar placing of a TIMEX3 value (or of an ISO 8601 interval of two, "2009/2011"):
    {"time", "time_granularity", "time_label", "time_start", "time_end", "time_span"}, None when the
    value names no calendar period."""
    found = _place(value)
    if found is None:
        return None
    time, gran, first, last = found
    span = span_of(*time.split("/", 1)) if "/" in time else None
    return {"time": time, "time_granularity": gran,
            "time_label": span_label(span) if span else label(time, gran, dt.date.fromisoformat(first)),
            "time_start": first, "time_end": last, "time_span": span}


def span_of(begin: str | None, end: str | None) -> dict | None:
    """The two ends of an interval as the timeline shows them: {"begin", "end"} each with its own
    "time", "granularity" and "label" ("2009", "year", "2009"); None unless both are calendar periods."""
    if not begin or not end:
        return None
    ends = []
    for value in (begin, end):
        found = _place(value)
        if found is None or "/" in found[0]:
            return None
        time, gran, first, _ = found
        ends.append({"time": time, "granularity": gran, "label": label(time, gran, dt.date.fromisoformat(first))})
    return {"begin": ends[0], "end": ends[1]}


def span_label(span: dict) -> str:
    """"2009 to 2011", "March 2019 to May 2019", "5 March 2019 to 7 March 2019"."""
    return f"{span['begin']['label']} to {span['end']['label']}"


def uncertainty(placed: dict, time_from: str | None, span: dict | None) -> str | None:
    """How loosely an event is placed: None (a day, or a stated span), "within <period>" (a coarser
    period: some day in it), "report date" (no time of its own: its report's publication date),
    "undated"."""
    if not placed.get("time_start"):
        return "undated"
    if time_from == "published":
        return "report date"
    if span is not None or placed.get("time_granularity") == "day":
        return None
    return f"within {placed['time_label']}"


def label(time: str, granularity: str, first: dt.date) -> str:
    """How a period reads: "15 March 2019", "week 11, 2019", "March 2019", "Q1 2019", "summer 2019"."""
    if granularity == "day":
        return f"{first.day} {first:%B %Y}"
    if granularity == "week":
        return f"week {int(time[6:8])}, {time[:4]}"
    if granularity == "weekend":
        return f"weekend of week {int(time[6:8])}, {time[:4]}"
    if granularity == "month":
        return f"{first:%B %Y}"
    if granularity == "quarter":
        return f"Q{time[6]} {time[:4]}"
    if granularity == "half":
        return f"{'first' if time[6] == '1' else 'second'} half of {time[:4]}"
    if granularity == "season":
        return f"{_SEASONS.get(time[5:7], time[5:7])} {time[:4]}"
    if granularity == "decade":
        return f"the {time}0s"
    if granularity == "century":
        n = int(time) + 1
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"the {n}{suffix} century"
    return time


def _ref(value: dict | None) -> dict | None:
    return {"id": value["id"], "name": value["name"]} if value else None
