"""Resolution half of the time stage: TIMEX3 values from candidates, in reading order.

`Resolver` keeps the anchor (publication date) and the last date the text mentioned (for "two
days later", "the following year"); `DocInfo` (timex_types) reads the tense of the verb governing
a span from the spaCy parse, `tense_no_parse` from cue words when there is no parse.
"""
from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from dataclasses import dataclass

from wirescope.analyse import timex_calendar as cal
from wirescope.analyse.timex_patterns import norm_key, patterns
from wirescope.analyse.timex_types import Cand as _Cand, DocInfo, word_after as _word_after

_SENT_BREAK = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n\s*")


_PASSIVE_BEFORE = re.compile(r"\b(?:be|been|being)\s+$", re.IGNORECASE)


def tense_no_parse(text: str, sent_start: int, sent_end: int, start: int, end: int) -> str | None:
    """The tense cue nearest before the expression in its sentence (the governing verb mostly
    comes first in English), else the nearest after it. A participle after "be"/"been" ("will be
    held") is no past-tense cue."""
    p = patterns()
    # a clause, not a whole run-on "sentence": cues further than this do not govern the expression
    sent_start, sent_end = max(sent_start, start - 120), min(sent_end, end + 120)
    before: tuple[int, str] | None = None
    after: tuple[int, str] | None = None
    for rx, tense in ((p.future_cues, "future"), (p.past_cues, "past")):
        for m in rx.finditer(text, sent_start, sent_end):
            if start <= m.start() < end:
                continue
            if tense == "past" and _PASSIVE_BEFORE.search(text, max(sent_start, m.start() - 8), m.start()):
                continue
            if m.end() <= start:
                if before is None or start - m.end() < before[0]:
                    before = (start - m.end(), tense)
            elif after is None or m.start() - end < after[0]:
                after = (m.start() - end, tense)
    best = before or after
    return best[1] if best else None


# ---------------------------------------------------------------------------------------------
# resolution

@dataclass(slots=True)
class _Ref:
    day: dt.date
    gran: str
    sent: int
    explicit_year: bool


class Resolver:
    def __init__(self, text: str, anchor: dt.date | None, doc_info: DocInfo | None) -> None:
        self.text = text
        self.anchor = anchor
        self.doc_info = doc_info
        self.ref: _Ref | None = None
        self.days: dict[int, list[tuple[int, dt.date]]] = {}  # sentence -> day-level dates in it
        if doc_info is not None:
            self.sents = doc_info.sentence_starts()
        else:
            self.sents = [0] + [m.end() for m in _SENT_BREAK.finditer(text)]

    def sent_index(self, char: int) -> int:
        return max(0, bisect_right(self.sents, char) - 1)

    def sent_bounds(self, idx: int) -> tuple[int, int]:
        end = self.sents[idx + 1] if idx + 1 < len(self.sents) else len(self.text)
        return self.sents[idx], end

    def direction(self, c: _Cand) -> str:
        tense = None
        if self.doc_info is not None:
            try:
                tense = self.doc_info.tense(c.start, c.end)
            except Exception:  # a parse that does not line up with the text: fall back to cues
                tense = None
        if tense is None:
            s, e = self.sent_bounds(self.sent_index(c.start))
            tense = tense_no_parse(self.text, s, e, c.start, c.end)
        return {"past": "past", "future": "future"}.get(tense or "", "nearest")

    def tense(self, c: _Cand) -> str | None:
        d = self.direction(c)
        return None if d == "nearest" else d

    def _same_sentence_year(self, c: _Cand) -> int | None:
        r = self.ref
        if r is not None and r.explicit_year and r.sent == self.sent_index(c.start):
            return r.day.year
        return None

    def set_ref(self, day: dt.date, gran: str, c: _Cand, explicit_year: bool = False) -> None:
        self.ref = _Ref(day, gran, self.sent_index(c.start), explicit_year)
        if gran == "day":
            self.days.setdefault(self.ref.sent, []).append((c.start, day))

    def base_day(self, c: _Cand) -> dt.date | None:
        """The day a clock time belongs to: the nearest day named in the same sentence (before or
        after it: "at 16:15 UTC, June 1st"), else the anchor."""
        sent = self.sent_index(c.start)
        best = None
        for pos, day in self.days.get(sent, ()):
            dist = abs(pos - c.start)
            if best is None or dist < best[0]:
                best = (dist, day)
        return best[1] if best else self.anchor

    # each returns (value, anchor_used)
    def resolve(self, c: _Cand) -> tuple[str | None, str | None]:
        f = c.f
        a = self.anchor
        k = c.kind
        if k == "fixed":
            return f["value"], None
        if k == "abs_day":
            try:
                day = dt.date(f["y"], f["m"], f["d"])
            except ValueError:
                return None, None
            self.set_ref(day, "day", c, True)
            return day.isoformat(), None
        if k == "abs_time":
            try:
                day = dt.date(f["y"], f["m"], f["d"])
            except ValueError:
                return None, None
            self.set_ref(day, "day", c, True)
            z = f["z"] or ""
            if z and z != "Z" and ":" not in z:
                z = z[:3] + ":" + z[3:]
            return f"{day.isoformat()}T{f['h']:02d}:{f['mi']:02d}{z}", None
        if k == "monthday":
            return self._monthday(c)
        if k == "month":
            return self._month(c)
        if k == "dom":
            if a is None:
                return f"XXXX-XX-{f['d']:02d}", None
            direction = self.direction(c)
            y, mo = a.year, a.month
            if (direction == "past" and f["d"] > a.day) or (direction == "nearest" and f["d"] > a.day + 15):
                y, mo = cal.add_months(y, mo, -1)
            elif direction == "future" and f["d"] < a.day:
                y, mo = cal.add_months(y, mo, 1)
            try:
                day = dt.date(y, mo, f["d"])
            except ValueError:
                return f"{y:04d}-{mo:02d}-{f['d']:02d}", a.isoformat()
            self.set_ref(day, "day", c)
            return day.isoformat(), a.isoformat()
        if k == "weekday":
            return self._weekday(c)
        if k in ("relday", "refday"):
            base = a if k == "relday" else (self.ref.day if self.ref and self.ref.gran == "day" else a)
            suffix = f"T{f['dp']}" if f.get("dp") else ""
            if base is None:
                return "XXXX-XX-XX" + suffix, None
            day = base + dt.timedelta(days=f["off"])
            self.set_ref(day, "day", c)
            return day.isoformat() + suffix, base.isoformat()
        if k == "relunit":
            return self._relunit(c, a, f["n"], f["unit"])
        if k == "refunit":
            base = self.ref.day if self.ref is not None else a
            return self._relunit(c, base, f["n"], f["unit"], from_ref=self.ref is not None)
        if k == "refshift":
            if self.ref is None or self.ref.gran != "day":
                if f["unit"] != "D" and self.ref is not None:
                    return self._relunit(c, self.ref.day, f["n"], f["unit"], from_ref=True)
                return ("XXXX-XX-XX", None) if a is None or f["n"] != 0 else (a.isoformat(), a.isoformat())
            moved = cal.shift_date(self.ref.day, f["n"], f["unit"])
            if moved is None:
                return None, None
            day, gran = moved
            self.set_ref(day, gran, c)
            return cal.fmt(day, gran), cal.fmt(self.ref.day, "day")
        if k == "shift":
            base = a if f["base"] == "anchor" else (self.ref.day if self.ref is not None else a)
            if base is None:
                return "XXXX-XX-XX", None
            unit = f["unit"]
            if unit.startswith("T"):
                return base.isoformat(), base.isoformat()
            moved = cal.shift_date(base, f["n"], unit)
            if moved is None:
                return None, None
            day, gran = moved
            if gran == "quarter":
                gran = "quarter"
            self.set_ref(day, gran, c)
            return cal.fmt(day, gran), base.isoformat()
        if k == "year":
            self.set_ref(dt.date(f["y"], 1, 1), "year", c, True)
            return f"{f['y']:04d}", None
        if k == "quarter":
            return self._quarter(c)
        if k == "season":
            return self._season(c)
        if k == "holiday":
            return self._holiday(c)
        if k == "clock":
            day = self.base_day(c)
            hh = f"T{f['h']:02d}:{f['mi']:02d}{f['tz'] or ''}"
            return ((day.isoformat() if day else "XXXX-XX-XX") + hh), (day.isoformat() if day else None)
        return None, None

    def _monthday(self, c: _Cand) -> tuple[str | None, str | None]:
        f, a = c.f, self.anchor
        if f["y"]:
            try:
                day = dt.date(f["y"], f["m"], f["d"])
            except ValueError:
                return None, None
            self.set_ref(day, "day", c, True)
            return day.isoformat(), None
        p = patterns()
        follower = norm_key(_word_after(self.text, c.end))
        if follower in p.named_date_nouns:
            for value in p.named_dates.values():
                if value[5:] == f"{f['m']:02d}-{f['d']:02d}":
                    return value, None
        year = self._same_sentence_year(c)
        if year is not None:
            try:
                day = dt.date(year, f["m"], f["d"])
            except ValueError:
                return None, None
            self.set_ref(day, "day", c, True)
            return day.isoformat(), None
        if a is None:
            return f"XXXX-{f['m']:02d}-{f['d']:02d}", None
        if not 1 <= f["d"] <= 31:
            return None, None
        day = cal.monthday_occurrence(a, f["m"], f["d"], self.direction(c))
        if day is None:
            return None, None
        self.set_ref(day, "day", c)
        return day.isoformat(), a.isoformat()

    def _month(self, c: _Cand) -> tuple[str | None, str | None]:
        f, a = c.f, self.anchor
        if f["y"]:
            self.set_ref(dt.date(f["y"], f["m"], 1), "month", c, True)
            return f"{f['y']:04d}-{f['m']:02d}", None
        rel = f["rel"]
        year = self._same_sentence_year(c) if rel is None else None
        if year is not None:
            self.set_ref(dt.date(year, f["m"], 1), "month", c, True)
            return f"{year:04d}-{f['m']:02d}", None
        if a is None:
            return f"XXXX-{f['m']:02d}", None
        if rel in ("last", "past", "previous"):
            y = a.year if f["m"] < a.month else a.year - 1
        elif rel in ("next", "coming"):
            y = a.year if f["m"] > a.month else a.year + 1
        elif rel in ("this", "current"):
            y = a.year
        else:
            y, _ = cal.month_occurrence(a, f["m"], self.direction(c))
        self.set_ref(dt.date(y, f["m"], 1), "month", c)
        return f"{y:04d}-{f['m']:02d}", a.isoformat()

    def _weekday(self, c: _Cand) -> tuple[str | None, str | None]:
        f, a = c.f, self.anchor
        suffix = f"T{f['dp']}" if f["dp"] else ""
        direction = self.direction(c)
        if f["custom"] and direction == "nearest":
            c.type, c.freq = "SET", "1W"
            return f"XXXX-WXX-{f['wd']}", None
        rel = f["rel"]
        base = a
        if rel == "that":
            base = self.ref.day if self.ref is not None and self.ref.gran == "day" else None
            rel = None
            if base is None:
                return f"XXXX-WXX-{f['wd']}" + suffix, None
        if base is None:
            # a weekday next to a dated sentence takes that date's week
            r = self.ref
            if r is not None and r.gran == "day" and r.sent == self.sent_index(c.start):
                base = r.day
            else:
                return f"XXXX-WXX-{f['wd']}" + suffix, None
        rel = {"past": "last", "previous": "last"}.get(rel or "", rel)
        day = cal.weekday_occurrence(base, f["wd"], direction, rel)
        self.set_ref(day, "day", c)
        return day.isoformat() + suffix, base.isoformat()

    def _relunit(self, c: _Cand, base: dt.date | None, n: int, unit: str, from_ref: bool = False
                 ) -> tuple[str | None, str | None]:
        if base is None:
            under = {"W": "XXXX-WXX", "M": "XXXX-XX", "Y": "XXXX", "WE": "XXXX-WXX-WE", "Q": "XXXX-QX",
                     "DE": "XXX", "CE": "XX", "D": "XXXX-XX-XX"}
            return under.get(unit, "XXXX"), None
        if unit == "WE":
            direction = self.direction(c)
            rel = {-1: "last", 1: "next", 0: "this"}.get(n)  # type: ignore[arg-type]
            return cal.weekend_of(base, direction, rel), base.isoformat()
        gran = {"W": "week", "M": "month", "Y": "year", "Q": "quarter", "DE": "decade", "CE": "century",
                "D": "day"}[unit]
        moved = cal.shift_date(base, n, unit)
        if moved is None:
            return None, None
        day, _ = moved
        if gran == "week":
            self.set_ref(day, "week", c)
        else:
            self.set_ref(day, gran, c)
        return cal.fmt(day, gran), base.isoformat()

    def _quarter(self, c: _Cand) -> tuple[str | None, str | None]:
        f, a = c.f, self.anchor
        code = ("H" if f["half"] else "Q") + str(f["q"])
        if f["y"]:
            self.set_ref(dt.date(f["y"], 1, 1), "year", c, True)
            return f"{f['y']:04d}-{code}", None
        rel = f["rel"]
        if rel == "ref" or rel in ("same",):
            base = self.ref.day if self.ref is not None else a
            if base is None:
                return f"XXXX-{code}", None
            return f"{base.year:04d}-{code}", base.isoformat()
        if rel in ("following", "previous"):
            base = self.ref.day if self.ref is not None else a
            if base is None:
                return f"XXXX-{code}", None
            return f"{base.year + (1 if rel == 'following' else -1):04d}-{code}", base.isoformat()
        if a is None:
            year = self._same_sentence_year(c)
            return (f"{year:04d}-{code}" if year else f"XXXX-{code}"), None
        if rel in ("last", "previous"):
            year = a.year - 1
        elif rel == "next":
            year = a.year + 1
        elif rel in ("this", "current"):
            year = a.year
        else:
            year = self._same_sentence_year(c)
            if year is None:
                if f["half"]:
                    half_now = 1 if a.month <= 6 else 2
                    d = self.direction(c)
                    year = a.year - 1 if (d == "past" and f["q"] > half_now) else a.year + 1 if (
                        d == "future" and f["q"] < half_now) else a.year
                else:
                    year = cal.quarter_occurrence(a, f["q"], self.direction(c))
        return f"{year:04d}-{code}", a.isoformat()

    def _season(self, c: _Cand) -> tuple[str | None, str | None]:
        f, a = c.f, self.anchor
        if f["y"]:
            return f"{f['y']:04d}-{f['code']}", None
        if a is None:
            year = self._same_sentence_year(c)
            return (f"{year:04d}-{f['code']}" if year else f"XXXX-{f['code']}"), None
        starts = patterns().lex["season_start_month"]
        rel = {"past": "last", "previous": "last"}.get(f["rel"] or "", f["rel"])
        year = cal.season_occurrence(a, f["code"], starts, self.direction(c), rel)
        return f"{year:04d}-{f['code']}", a.isoformat()

    def _holiday(self, c: _Cand) -> tuple[str | None, str | None]:
        f, a = c.f, self.anchor
        spec = f["spec"]
        if spec is None:
            return (f"{f['y']:04d}" if f["y"] else "XXXX-XX-XX"), None

        def on(year: int) -> dt.date:
            if "computed" in spec:
                return cal.COMPUTED[spec["computed"]](year) + dt.timedelta(days=spec.get("offset", 0))
            return dt.date(year, spec["month"], spec["day"])

        if f["y"]:
            day = on(f["y"])
            self.set_ref(day, "day", c, True)
            return day.isoformat(), None
        if a is None:
            if "computed" in spec:
                return "XXXX-XX-XX", None
            return f"XXXX-{spec['month']:02d}-{spec['day']:02d}", None
        rel = f["rel"]
        this, before, after = on(a.year), on(a.year - 1), on(a.year + 1)
        prev = this if this < a else before
        nxt = this if this > a else after
        if rel == "last":
            day = prev
        elif rel in ("next", "coming"):
            day = nxt
        elif rel == "this":
            day = this
        else:
            direction = self.direction(c)
            if this == a:
                day = this
            elif direction == "past":
                day = prev
            elif direction == "future":
                day = nxt
            else:
                day = prev if (a - prev) <= (nxt - a) else nxt
        self.set_ref(day, "day", c)
        return day.isoformat(), a.isoformat()


