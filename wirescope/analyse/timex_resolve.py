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
from wirescope.analyse.timex_tense import Clause, direction as tense_direction, words as tense_words
from wirescope.analyse.timex_types import Cand as _Cand, DocInfo, word_after as _word_after

_SENT_BREAK = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n\s*")


_PASSIVE_BEFORE = re.compile(r"\b(?:be|been|being)\s+$", re.IGNORECASE)
_CLOCK_REACH_DAYS = 7
_WORD_BEFORE = re.compile(r"([A-Za-z]+)\W*$")
# prepositions that introduce an ordinary calendar date, not the name of a famous one
_DATE_PREPOSITIONS = frozenset({"on", "by", "until", "till", "to", "from", "through", "between", "and", "starting",
                                "beginning", "ending", "as"})
_SINCE_BEFORE = re.compile(r"\bsince\s+(?:(?:early|late|mid)[\s-]+)?(?:this\s+|last\s+)?$", re.IGNORECASE)


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
    pos: int = 0


class Resolver:
    def __init__(self, text: str, anchor: dt.date | None, doc_info: DocInfo | None) -> None:
        self.text = text
        self.anchor = anchor
        self.doc_info = doc_info
        self.ref: _Ref | None = None
        self.history: list[_Ref] = []  # every reference time so far, in reading order
        self.days: dict[int, list[tuple[int, dt.date]]] = {}  # sentence -> day-level dates in it
        self.monthdays: dict[tuple[int, int], tuple[int, bool]] = {}  # (month, day) -> (year, explicit)
        if doc_info is not None:
            self.sents = doc_info.sentence_starts()
        else:
            self.sents = [0] + [m.end() for m in _SENT_BREAK.finditer(text)]

    def sent_index(self, char: int) -> int:
        return max(0, bisect_right(self.sents, char) - 1)

    def sent_bounds(self, idx: int) -> tuple[int, int]:
        end = self.sents[idx + 1] if idx + 1 < len(self.sents) else len(self.text)
        return self.sents[idx], end

    def clause(self, c: _Cand) -> Clause | None:
        return self.doc_info.clause(c.start, c.end) if self.doc_info is not None else None

    def direction(self, c: _Cand) -> str:
        """"past", "future" or "nearest": from the clause in the parse (timex_tense), else from the
        cue words of the sentence."""
        found = tense_direction(self.clause(c))
        if found is not None:
            return found
        if _SINCE_BEFORE.search(self.text, max(0, c.start - 12), c.start):
            return "past"
        s, e = self.sent_bounds(self.sent_index(c.start))
        tense = tense_no_parse(self.text, s, e, c.start, c.end)
        return {"past": "past", "future": "future"}.get(tense or "", "nearest")

    def tense(self, c: _Cand) -> str | None:
        d = self.direction(c)
        return None if d == "nearest" else d

    def _same_sentence_year(self, c: _Cand) -> int | None:
        """The year written in the same sentence before the expression ("in 2003 ... on 7 March"),
        not across a line break (a dateline is no part of the story's first sentence)."""
        r = self.ref
        if (r is not None and r.explicit_year and r.sent == self.sent_index(c.start)
                and "\n" not in self.text[r.pos:c.start]):
            if self._against_tense(c, r.day.year):
                return None  # "served from 2009 to 2011, and will be in office between March and May"
            return r.day.year
        return None

    def _narrative_year(self, c: _Cand) -> int | None:
        """The year of a story told in an earlier year: the last date mentioned, a day or a month
        with its year written, in the sentence right before and the same paragraph, in a year before
        the publication year ("On 14 March 2016 the deal was signed. On 20 March, protests erupted."),
        unless the clause is about the future."""
        r, a = self.ref, self.anchor
        if r is None or a is None or not r.explicit_year or r.gran not in ("day", "month") or r.day.year >= a.year:
            return None
        if self.sent_index(c.start) - r.sent != 1 or re.search(r"\n\s*\n", self.text[r.pos:c.start]):
            return None
        if self.direction(c) == "future":
            return None
        return r.day.year

    def _against_tense(self, c: _Cand, year: int) -> bool:
        """A year the clause's tense points away from: a future clause and a year before the
        publication year, or a past clause and a year after it."""
        a = self.anchor
        if a is None or year == a.year:
            return False
        direction = self.direction(c)
        return (direction == "future" and year < a.year) or (direction == "past" and year > a.year)

    def set_ref(self, day: dt.date, gran: str, c: _Cand, explicit_year: bool = False) -> None:
        self.ref = _Ref(day, gran, self.sent_index(c.start), explicit_year, c.start)
        self.history.append(self.ref)
        if gran == "day":
            self.days.setdefault(self.ref.sent, []).append((c.start, day))

    def ref_for(self, c: _Cand, day_only: bool = False) -> _Ref | None:
        """The reference time of an anaphoric expression ("the same day", "the next day", "that
        September"): the last one the text mentioned; in a past-tense clause the last one that is
        not after the publication date (a future date named in between is not what it refers to)."""
        if not self.history:
            return None
        past = self.anchor is not None and self.direction(c) == "past"
        for r in reversed(self.history):
            if day_only and r.gran != "day":
                continue
            if past and r.day > self.anchor:  # type: ignore[operator]
                continue
            return r
        return None

    def base_day(self, c: _Cand) -> dt.date | None:
        """The day a clock time belongs to: the nearest day named in the same sentence (before or
        after it: "at 16:15 UTC, June 1st"); in a past-tense clause without one, the last day
        mentioned that is not after the publication date and at most a week before it (the story's
        own event: "the fire broke out at around 3:30am" after "a fire yesterday morning"); else the
        anchor."""
        sent = self.sent_index(c.start)
        best = None
        for pos, day in self.days.get(sent, ()):
            dist = abs(pos - c.start)
            if best is None or dist < best[0]:
                best = (dist, day)
        if best:
            return best[1]
        if self.anchor is not None and self.direction(c) == "past":
            for r in reversed(self.history):  # a date of background in between is not the story's day
                if r.gran == "day" and 0 <= (self.anchor - r.day).days <= _CLOCK_REACH_DAYS:
                    return r.day
        return self.anchor

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
            suffix = f"T{f['dp']}" if f.get("dp") else ""
            if f.get("overnight"):
                # "stayed overnight after his arrest on Friday": the night of the day just named
                named = self.days.get(self.sent_index(c.start))
                if named and named[-1][0] < c.start:
                    return named[-1][1].isoformat() + suffix, named[-1][1].isoformat()
            base = a
            if k == "refday":
                r = self.ref_for(c, day_only=True)
                base = r.day if r is not None else a
            if base is None:
                return "XXXX-XX-XX" + suffix, None
            day = base + dt.timedelta(days=f["off"])
            self.set_ref(day, "day", c)
            return day.isoformat() + suffix, base.isoformat()
        if k == "relunit":
            return self._relunit(c, a, f["n"], f["unit"])
        if k == "refunit":
            r = self.ref_for(c)
            return self._relunit(c, r.day if r is not None else a, f["n"], f["unit"], from_ref=r is not None)
        if k == "refshift":
            # "the previous day", "the same day": the last day mentioned, past a year in between
            r = (self.ref_for(c, day_only=True) if f["unit"] == "D" else None) or self.ref_for(c)
            if r is None or r.gran != "day":
                if f["unit"] != "D" and r is not None:
                    return self._relunit(c, r.day, f["n"], f["unit"], from_ref=True)
                return ("XXXX-XX-XX", None) if a is None or f["n"] != 0 else (a.isoformat(), a.isoformat())
            moved = cal.shift_date(r.day, f["n"], f["unit"])
            if moved is None:
                return None, None
            day, gran = moved
            self.set_ref(day, gran, c)
            return cal.fmt(day, gran), cal.fmt(r.day, "day")
        if k == "shift":
            base = a
            if f["base"] != "anchor":
                r = self.ref_for(c)
                base = r.day if r is not None else a
            if base is None:
                return "XXXX-XX-XX", None
            unit = f["unit"]
            if unit.startswith("T"):
                return base.isoformat(), base.isoformat()
            moved = cal.shift_date(base, f["n"], unit)
            if moved is None:
                return None, None
            day, gran = moved
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
            if f.get("off") is not None and a is not None:  # "noon today", "midday tomorrow"
                day = a + dt.timedelta(days=f["off"])
                self.set_ref(day, "day", c)
            else:
                day = self.base_day(c)
            if f.get("midnight") and day is not None and f.get("off") is None:
                day = self._midnight(c, day)
            hh = f"T{f['h']:02d}:{f['mi']:02d}{f['tz'] or ''}"
            return ((day.isoformat() if day else "XXXX-XX-XX") + hh), (day.isoformat() if day else None)
        return None, None

    def _midnight(self, c: _Cand, day: dt.date) -> dt.date:
        """The day whose first instant a bare "midnight" is (written T00:00): the midnight that
        ends the day it belongs to, unless that lies after the publication date in a past clause
        ("began at midnight" in a story of that day: the one that began it)."""
        after = day + dt.timedelta(days=1)
        if self.anchor is not None and after > self.anchor and self.direction(c) == "past":
            return day
        return after

    def _rel_year(self, c: _Cand, rel: str | None) -> int | None:
        """The year of "of this year", "of the following year", "that year"-style words."""
        if not rel:
            return None
        a = self.anchor
        if rel in ("this", "last", "next"):
            return None if a is None else a.year + {"this": 0, "last": -1, "next": 1}[rel]
        r = self.ref_for(c)
        if r is None:
            return None
        return r.day.year + {"following": 1, "previous": -1, "preceding": -1, "prior": -1}.get(rel, 0)

    def _day(self, c: _Cand, year: int, explicit: bool, anchor_used: str | None = None
             ) -> tuple[str | None, str | None]:
        f = c.f
        try:
            day = dt.date(year, f["m"], f["d"])
        except ValueError:
            return None, None
        self.set_ref(day, "day", c, explicit)
        known = self.monthdays.get((f["m"], f["d"]))
        if explicit or known is None or not known[1]:
            self.monthdays[(f["m"], f["d"])] = (year, explicit)
        return day.isoformat(), anchor_used

    def _monthday(self, c: _Cand) -> tuple[str | None, str | None]:
        f, a = c.f, self.anchor
        if f["y"]:
            return self._day(c, f["y"], True)
        year = self._rel_year(c, f.get("yrel"))
        if year is not None:
            return self._day(c, year, True, a.isoformat() if a else None)
        md = f"{f['m']:02d}-{f['d']:02d}"
        famous = patterns().lex.get("famous_day_months", {}).get(md)
        if famous and norm_key(_word_after(self.text, c.end)) in patterns().named_date_nouns:
            return str(famous), None  # "the September 11 attacks"
        year = self._same_sentence_year(c)
        if year is not None:
            return self._day(c, year, True)
        known = self.monthdays.get((f["m"], f["d"]))
        if known is not None:  # "7 March 2003 ... on 7 March": the year of its last mention
            return self._day(c, known[0], known[1], None if known[1] or a is None else a.isoformat())
        year = self._narrative_year(c)
        if year is not None:
            return self._day(c, year, False)
        if a is None:
            return f"XXXX-{md}", None
        direction = self.direction(c)
        day = cal.monthday_occurrence(a, f["m"], f["d"], direction)
        if day is None:
            return None, None
        if f.get("wd") and day.isoweekday() != f["wd"]:
            # "Wednesday, July 31": the year whose calendar has that weekday, nearest the anchor
            fits = [d for y in (a.year - 1, a.year, a.year + 1) for d in [cal.valid_date(y, f["m"], f["d"])]
                    if d is not None and d.isoweekday() == f["wd"]]
            if fits:
                day = min(fits, key=lambda d: abs((d - a).days))
        if famous and abs((day - a).days) > 60 and self._prep(c) not in _DATE_PREPOSITIONS:
            return str(famous), None  # "the laws brought in after 11 September" (in a 2004 story)
        clause = self.clause(c)
        if (direction == "past" and clause is not None and clause.in_np and day.year < a.year
                and clause.noun not in tense_words().scheduled_nouns):
            # a past event's noun phrase ("the protests after 3 October") with a date that would fall
            # after publication in its year: which earlier year is not said
            return f"XXXX-{md}", None
        return self._day(c, day.year, False, a.isoformat())

    def _prep(self, c: _Cand) -> str:
        clause = self.clause(c)
        if clause is not None and clause.prep:
            return clause.prep
        m = _WORD_BEFORE.search(self.text, max(0, c.start - 20), c.start)
        return m.group(1).lower() if m else ""

    def _month(self, c: _Cand) -> tuple[str | None, str | None]:
        f, a = c.f, self.anchor
        if f["y"]:
            self.set_ref(dt.date(f["y"], f["m"], 1), "month", c, True)
            return f"{f['y']:04d}-{f['m']:02d}", None
        year = self._rel_year(c, f.get("yrel"))
        if year is not None:
            self.set_ref(dt.date(year, f["m"], 1), "month", c, True)
            return f"{year:04d}-{f['m']:02d}", a.isoformat() if a else None
        rel = f["rel"]
        if rel and rel.startswith("ref:"):
            r = self.ref_for(c)
            if r is not None:
                y = r.day.year
                if rel in ("ref:following",) and f["m"] <= r.day.month:
                    y += 1
                elif rel in ("ref:previous", "ref:preceding", "ref:prior") and f["m"] >= r.day.month:
                    y -= 1
                self.set_ref(dt.date(y, f["m"], 1), "month", c, r.explicit_year)
                return f"{y:04d}-{f['m']:02d}", cal.fmt(r.day, r.gran)
            rel = None
        year = self._same_sentence_year(c) if rel is None else None
        if year is not None:
            self.set_ref(dt.date(year, f["m"], 1), "month", c, True)
            return f"{year:04d}-{f['m']:02d}", None
        year = self._narrative_year(c) if rel is None else None
        if year is not None:
            self.set_ref(dt.date(year, f["m"], 1), "month", c)
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
            r = self.ref_for(c, day_only=True)
            base = r.day if r is not None else None
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
        r = self.ref_for(c) if rel in ("ref", "same", "following", "previous") else None
        if rel == "ref" or rel in ("same",):
            base = r.day if r is not None else a
            if base is None:
                return f"XXXX-{code}", None
            return f"{base.year:04d}-{code}", base.isoformat()
        if rel in ("following", "previous"):
            base = r.day if r is not None else a
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


