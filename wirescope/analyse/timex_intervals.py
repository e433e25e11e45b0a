"""Intervals written as ranges: "from 2009 to 2011", "between March and June", "2009-2011",
"March 15-17", "from 5 to 7 March", "the 2018-19 season".

`join_intervals(text, times)` runs after resolution over the point expressions (sorted by start)
and adds one DURATION expression per range, spanning the whole range ("from" and "between"
included), with `begin_point` and `end_point` holding the values of its two ends and `value` the
length between them when both ends have the same granularity ("P2Y", "P3M", "P2D"; TIMEX3 and
MEANTIME write "from 2009 to 2011" as P2Y), else an unspecified length ("PXY"). The points stay in
the list as well (as TimeML tags them): the interval is the one expression that spans them.

Two relative ends are kept in order: "between November and February" is read with February after
November, and the end point's own value is corrected to match.
"""
from __future__ import annotations

import datetime as dt
import re

from wirescope.model import TimeExpr

_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_CALENDAR = re.compile(r"^\d{4}(?:-(?:\d{2}(?:-\d{2})?|W\d{2}|Q[1-4]|H[12]|SP|SU|FA|WI))?$")

# what may stand between the two ends, and what must stand before the first for each
_JOIN = re.compile(r"(?:[^\S\n]*[-–][^\S\n]*|[^\S\n]+(?P<w>to|until|till|through|thru|and)[^\S\n]+)$", re.IGNORECASE)
_OPEN = re.compile(r"\b(?P<w>from|between)[^\S\n]+$", re.IGNORECASE)
_DAY_AFTER = re.compile(r"(?P<join>[^\S\n]*[-–][^\S\n]*|[^\S\n]+(?:to|until|till|through|and)[^\S\n]+)"
                        r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\b(?!\.\d|\d)(?![^\S\n]*(?:[-/:]|%|percent|per|people))"
                        r"(?:,?[^\S\n]+(?P<y>[12]\d{3})\b|[^\S\n]+of[^\S\n]+(?P<yrel>this|last|next)[^\S\n]+year\b)?",
                        re.IGNORECASE)
_DAY_BEFORE = re.compile(r"(?:\b(?P<o>from|between)[^\S\n]+)?(?<![\d.,])(?P<d>[0-3]?\d)(?:st|nd|rd|th)?"
                         r"(?P<join>[^\S\n]*[-–][^\S\n]*|[^\S\n]+(?:to|until|till|through|and)[^\S\n]+)$",
                         re.IGNORECASE)
_WRITTEN_YEAR = re.compile(r"\b[12]\d{3}\b")
_SHORT_YEAR = re.compile(r"[-–/](?P<yy>\d{2})\b(?![-–/]\d)")


def join_intervals(text: str, times: list[TimeExpr], anchor: dt.date | None = None) -> list[TimeExpr]:
    """The interval expressions of text, given its point expressions sorted by start (anchor: the
    publication date, for "of last year" after a range of days)."""
    points = [t for t in times if t.type == "DATE" and t.value and _CALENDAR.match(t.value)]
    out: list[TimeExpr] = []
    used: set[int] = set()
    for i, a in enumerate(points):
        if id(a) in used:
            continue
        b = points[i + 1] if i + 1 < len(points) else None
        made = None
        if b is not None:
            made = _pair(text, a, b)
        if made is None:
            made = _short_end(text, a) or _bare_day(text, a, anchor)
        if made is not None:
            out.append(made)
            used.add(id(a))
            if b is not None and made.end >= b.end:
                used.add(id(b))
    return out


def _interval(text: str, start: int, end: int, begin: str, finish: str) -> TimeExpr:
    return TimeExpr(text=text[start:end], type="DURATION", value=length(begin, finish), start=start, end=end,
                    begin_point=begin, end_point=finish)


def _pair(text: str, a: TimeExpr, b: TimeExpr) -> TimeExpr | None:
    """"from 2009 to 2011", "between March and June", "2009-2011", "Monday to Wednesday"."""
    j = _JOIN.match(text, a.end, b.start)
    if j is None or "\n" in text[a.end:b.start]:
        return None
    word = (j.group("w") or "").lower()
    o = _OPEN.search(text, max(0, a.start - 12), a.start)
    opener = o.group("w").lower() if o else ""
    if word == "and" and opener != "between":
        return None  # "in 2015 and 2017" is two dates
    if word in ("to", "until", "till", "through", "thru") and opener == "between":
        return None
    if (opener == "" and word in ("to",) or not word) and not _same_granularity(a.value, b.value):
        return None  # "the winter of 2006–2007" is one season
    if _gran(a.value) == "day" and _gran(b.value) == "year":
        return None  # "March 3 to 2011"?
    if b.anchor is not None and a.value and b.value:
        b.value = _after(a.value, b.value)
    elif a.value and b.value and _WRITTEN_YEAR.search(b.text) and not _WRITTEN_YEAR.search(a.text) \
            and _gran(a.value) in ("month", "day") and a.value[:4] != b.value[:4]:
        # "between March and May 2012": the year written once belongs to both ends
        moved = b.value[:4] + a.value[4:]
        if _start_day(moved) is not None and _start_day(moved) <= (_start_day(b.value) or moved):
            a.value = moved
    if _start_day(b.value) is None or _start_day(a.value) is None or _start_day(b.value) < _start_day(a.value):
        return None
    start = o.start("w") if o else a.start
    return _interval(text, start, b.end, a.value, b.value)  # type: ignore[arg-type]


def _short_end(text: str, a: TimeExpr) -> TimeExpr | None:
    """"the 2018-19 season", "1939–45": a year and the last two digits of a later one."""
    m = _YEAR.match(a.value or "")
    if not m or not a.text.endswith(m.group(1)):
        return None
    s = _SHORT_YEAR.match(text, a.end)
    if s is None:
        return None
    year = int(m.group(1))
    end = year // 100 * 100 + int(s.group("yy"))
    if end <= year:
        end += 100
    if end - year > 30:
        return None
    o = _OPEN.search(text, max(0, a.start - 12), a.start)
    return _interval(text, o.start("w") if o else a.start, s.end(), m.group(1), f"{end:04d}")


def _range_year(m: re.Match, a: TimeExpr, anchor: dt.date | None) -> int | None:
    """The year written after a range of days ("March 15-17, 2019", "... 17 of last year"), if the
    first day did not carry its own."""
    if a.anchor is None:
        return None
    if m.group("y"):
        return int(m.group("y"))
    if m.group("yrel") and anchor is not None:
        return anchor.year + {"this": 0, "last": -1, "next": 1}[m.group("yrel").lower()]
    return None


def _bare_day(text: str, a: TimeExpr, anchor: dt.date | None) -> TimeExpr | None:
    """"March 15-17", "from May 24 to 26", "15 to 17 March": a date and a bare day of its month."""
    m = _DAY.match(a.value or "")
    if not m:
        return None
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if a.text[-1:].isdigit() or a.text.lower().endswith(("st", "nd", "rd", "th")):
        after = _DAY_AFTER.match(text, a.end)  # "March 15" then "-17"
        if after is not None:
            other = int(after.group("d"))
            if d < other <= 31 and (after.group("join").strip() in ("-", "–") or _OPEN.search(
                    text, max(0, a.start - 12), a.start)):
                year = _range_year(after, a, anchor)
                if year is not None and year != y and _day_value(year, mo, d):
                    y, a.value = year, _day_value(year, mo, d)  # "from July 13 to 17 of last year"
                finish = _day_value(y, mo, other)
                if finish:
                    o = _OPEN.search(text, max(0, a.start - 12), a.start)
                    start = o.start("w") if o else a.start
                    return _interval(text, start, after.end(), a.value, finish)  # type: ignore[arg-type]
    if a.text[:1].isdigit():
        before = _DAY_BEFORE.search(text, max(0, a.start - 24), a.start)  # "15-" then "17 March"
        if before is not None:
            other = int(before.group("d"))
            if 1 <= other < d and (before.group("join").strip() in ("-", "–") or before.group("o")):
                begin = _day_value(y, mo, other)
                if begin:
                    start = before.start("o") if before.group("o") else before.start("d")
                    return _interval(text, start, a.end, begin, a.value)  # type: ignore[arg-type]
    return None


def _day_value(y: int, mo: int, d: int) -> str | None:
    try:
        return dt.date(y, mo, d).isoformat()
    except ValueError:
        return None


def _gran(value: str | None) -> str:
    if not value:
        return ""
    if _YEAR.match(value):
        return "year"
    if _MONTH.match(value):
        return "month"
    if _DAY.match(value):
        return "day"
    return value[5:6] if len(value) > 5 else ""


def _same_granularity(a: str | None, b: str | None) -> bool:
    return _gran(a) == _gran(b)


def _after(begin: str, finish: str) -> str:
    """A relative end read after its begin: "between November and February" ends in February of
    the year after November's."""
    mb, mf = _MONTH.match(begin), _MONTH.match(finish)
    if mb and mf:
        y = int(mb.group(1)) + (1 if int(mf.group(2)) < int(mb.group(2)) else 0)
        return f"{y:04d}-{mf.group(2)}"
    db, df = _DAY.match(begin), _DAY.match(finish)
    if db and df:
        y = int(db.group(1)) + (1 if (df.group(2), df.group(3)) < (db.group(2), db.group(3)) else 0)
        if y == int(df.group(1)) or abs(y - int(df.group(1))) == 1:
            return _day_value(y, int(df.group(2)), int(df.group(3))) or finish
    return finish


def _start_day(value: str | None) -> dt.date | None:
    from wirescope.analyse.timex_calendar import period_of

    found = period_of(value)
    return found[0] if found else None


def length(begin: str, finish: str) -> str:
    """The TIMEX3 duration from begin to finish at their common granularity ("P2Y"), "PX.." else."""
    yb, yf = _YEAR.match(begin), _YEAR.match(finish)
    if yb and yf:
        return f"P{int(finish) - int(begin)}Y"
    mb, mf = _MONTH.match(begin), _MONTH.match(finish)
    if mb and mf:
        return f"P{(int(mf.group(1)) - int(mb.group(1))) * 12 + int(mf.group(2)) - int(mb.group(2))}M"
    db, df = _DAY.match(begin), _DAY.match(finish)
    if db and df:
        return f"P{(dt.date.fromisoformat(finish) - dt.date.fromisoformat(begin)).days}D"
    unit = {"year": "Y", "month": "M", "day": "D"}
    coarse = [unit[g] for g in ("year", "month", "day") if g in (_gran(begin), _gran(finish))]
    return "PX" + (coarse[0] if coarse else "D")
