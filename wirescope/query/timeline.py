"""Events in time: what an actor did and what was done to it, ordered by normalised event time.

Each event's time is shown as what it is: a day ("2019-03-15"), a week ("2019-W11"), a weekend,
a month ("2019-03"), a quarter ("2019-Q1"), a half year, a season ("2019-SU"), a year ("2019"), a
decade ("201") or a century, never cut down to a bare year. Every item carries that granularity
(`time_granularity`), the first and last day of its period (`time_start`, `time_end`) and a label
to show (`time_label`: "week 11, 2019", "summer 2019"); items are ordered by the start of their
period (a finer period first when two start on the same day). A since/until window keeps the
events whose period overlaps it.

An event without a calendar time is placed at its report's publication date (`time_from` says
which). An event repeated by a syndicated copy of a report is listed once, from the original.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select
from sqlalchemy.engine import Connection

from wirescope.analyse.timex_calendar import period_of
from wirescope.query.common import document_meta, members, refs, resolve_entity
from wirescope.query.relations import _in_window
from wirescope.store import schema as S

_SEASONS = {"SP": "spring", "SU": "summer", "FA": "autumn", "WI": "winter"}


def timeline(conn: Connection, entity: str | None = None, since: str | None = None, until: str | None = None,
             limit: int = 500) -> list[dict]:
    """[{"time", "time_granularity", "time_label", "time_start", "time_end", "time_from", "time_value",
    "type", "mode", "trigger", "source", "target", "location", "doc_id", "event_id", "evidence",
    "published", "outlet", "title", "polarity", "duplicate_of"}]."""
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
        published = (m.get("published") or "")[:10] or None
        placed = place(r.time)
        time_from = "event" if placed else None
        if placed is None and published:
            placed, time_from = place(published), "published"
        if not _window(placed, since, until):
            continue
        item = {
            **(placed or {"time": None, "time_granularity": None, "time_label": None, "time_start": None,
                          "time_end": None}),
            "time_from": time_from, "time_value": r.time, "type": r.type, "mode": r.mode, "trigger": r.trigger,
            "source": _ref(people.get(r.source_kb)), "target": _ref(people.get(r.target_kb)),
            "location": _ref(people.get(r.location_kb)), "doc_id": r.doc_id, "event_id": r.local_id,
            "evidence": {"start": r.start, "end": r.end, "text": r.evidence}, "published": m.get("published"),
            "outlet": m.get("outlet"), "title": m.get("title"), "polarity": r.polarity,
            "duplicate_of": m.get("duplicate_of"),
        }
        origin = m.get("duplicate_of") or r.doc_id
        key = (origin, r.type, (r.trigger or "").casefold(), (item["source"] or {}).get("id"),
               (item["target"] or {}).get("id"), item["time"] if time_from == "event" else None)
        if key in seen:
            if seen[key]["duplicate_of"] and not item["duplicate_of"]:
                seen[key].update(item)  # keep the original's copy of the event
            continue
        seen[key] = item
        out.append(item)
    out.sort(key=lambda it: (it["time_start"] or "9999", it["time_end"] or "9999", it["published"] or "",
                             it["doc_id"], it["evidence"]["start"]))
    return out[:limit]


def place(value: str | None) -> dict | None:
    """The calendar placing of a TIMEX3 value: {"time", "time_granularity", "time_label",
    "time_start", "time_end"}, None when the value names no calendar period."""
    if not value:
        return None
    value = str(value).strip()
    found = period_of(value)
    if found is None:
        return None
    first, last, gran = found
    time = value.split("T", 1)[0] if gran == "day" else value
    return {"time": time, "time_granularity": gran, "time_label": label(time, gran, first),
            "time_start": first.isoformat(), "time_end": last.isoformat()}


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


def _window(placed: dict | None, since: str | None, until: str | None) -> bool:
    """Whether the period overlaps the window (since and until: partial ISO dates, inclusive)."""
    if not since and not until:
        return True
    if placed is None:
        return False
    lo = period_of(since) if since else None
    hi = period_of(until) if until else None
    if (since and lo is None) or (until and hi is None):  # not a calendar value: compare as text
        return _in_window(placed["time"], since, until)
    if lo is not None and placed["time_end"] < lo[0].isoformat():
        return False
    if hi is not None and placed["time_start"] > hi[1].isoformat():
        return False
    return True


def _ref(value: dict | None) -> dict | None:
    return {"id": value["id"], "name": value["name"]} if value else None
