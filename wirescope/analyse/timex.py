"""Time stage: find time expressions (TIMEX3) and normalise them against the publication date.

`tag_times(text, anchor, doc=None)` is the whole stage in one call: a few compiled patterns
propose candidate spans (timex_patterns), the longest non-overlapping ones are kept, then each is
resolved in reading order into a TIMEX3 `value`:

- absolute dates are read as written ("19 March 2021" -> 2021-03-19, "the 1990s" -> 199);
- deictic ones move from the anchor (`published`): "yesterday", "last year", "two weeks ago";
- anaphoric ones move from the last date the text mentioned: "two days later", "the following
  year", "the next day";
- bare months, weekdays, quarters and seasons pick the occurrence the clause points to
  (timex_tense): tense and aspect of the governing verb from the spaCy parse when a doc is given
  (past -> the latest one before the anchor; "will", "is to", "is being held", "expected",
  "scheduled", "next" -> the next one; else the nearest; "since" points back; a scheduled event or
  a lasting state may end ahead of a past clause), from cue words around the expression otherwise;
- anaphoric ones in a past-tense clause refer to the last date mentioned that is not after the
  publication date ("the same day" after a future "April 5"); a repeated day-month takes the year
  of its last mention; "that September" the year of the last date; "September 11" used as a name
  is the 2001 attacks (data/timex.yaml `famous_day_months`);
- guards (timex_guards) drop a month that is a person ("Theresa May"), a year inside a name ("the
  Terrorism Act 2000", "Windows 2000"), fractions ("three-quarters") and scores ("a 2-1 win");
- ranges ("from 2009 to 2011", "between March and June", "2009-2011") add one interval expression
  with `begin_point` and `end_point` (timex_intervals); the points stay listed.

Without an anchor, relative values stay underspecified ("XXXX-10", "XXXX-WXX-5") rather than
being guessed from today's date. Numeric dates with two small numbers ("03/04/2021") follow
`numeric_date_order` in data/timex.yaml (month first by default); a number above 12 decides.
"""
from __future__ import annotations

import re

import datetime as dt

from wirescope.analyse.pipeline import StageInfo
from wirescope.analyse.timex_intervals import join_intervals
from wirescope.analyse.timex_recognise import candidates, select, trim
from wirescope.analyse.timex_resolve import DocInfo, Resolver
from wirescope.dates import dateline_date
from wirescope.model import TimeExpr

__all__ = ["tag_times", "resolve_dateline_date", "run", "STAGE"]


def tag_times(text: str, anchor: dt.date | None, doc=None) -> list[TimeExpr]:
    """Time expressions in text, normalised against anchor (the publication date, or None).

    doc: an optional spaCy Doc of the same text, used for the tense of the governing verb and for
    the part of speech of "May"/"March"; without it, cue words decide. Sorted by start, and
    text[start:end] == expr.text for every expression. Points never overlap; an interval written
    as a range ("from 2009 to 2011": `begin_point`, `end_point` set) spans the points it joins and
    comes right before them."""
    if not text:
        return []
    if isinstance(anchor, dt.datetime):
        anchor = anchor.date()
    doc_info = None
    if doc is not None and getattr(doc, "text", None) == text:
        doc_info = DocInfo(doc)
    kept = select(candidates(text, doc_info))
    resolver = Resolver(text, anchor, doc_info)
    out: list[TimeExpr] = []
    for c in kept:
        trim(text, c)
    # reading order, but a clock time waits for the end of its sentence: it takes the day named
    # anywhere in it ("at 16:15 UTC, June 1st")
    def when(c) -> tuple[float, int]:
        if c.kind != "clock":
            return (c.start, 0)
        return (resolver.sent_bounds(resolver.sent_index(c.start))[1] - 0.5, c.start)

    order = sorted(kept, key=when)
    for c in order:
        if c.end <= c.start:
            continue
        try:
            value, used = resolver.resolve(c)
        except (ValueError, OverflowError, KeyError):
            value, used = None, None
        if value is None:
            continue
        out.append(TimeExpr(text=text[c.start:c.end], type=c.type, value=value, start=c.start, end=c.end,
                            freq=c.freq, quant=c.quant, mod=c.mod, anchor=used, zone=split_zone(value)[1]))
    out.sort(key=lambda t: t.start)
    intervals = join_intervals(text, out, anchor)
    if intervals:
        out = sorted(out + intervals, key=lambda t: (t.start, -t.end))
    return out


_ZONE = re.compile(r"(T\d{2}:\d{2}(?::\d{2})?)(Z|[+-]\d{2}:?\d{2})$")


def split_zone(value: str) -> tuple[str, str | None]:
    """A clock time's value without its zone ("2019-08-27T20:30") and the zone the text gave ("+01:00",
    "Z" for UTC/GMT). The TIMEX3 value keeps the zone, as MEANTIME's annotators write it; the zone is
    also reported on its own for consumers that compare local times."""
    m = _ZONE.search(value)
    if m is None:
        return value, None
    return value[:m.start(2)], m.group(2)


def resolve_dateline_date(text: str) -> dt.date | None:
    """The publication date at the head of an article (wirescope.dates.dateline_date)."""
    return dateline_date(text)


def run(ctx) -> None:
    anchor = ctx.published
    if anchor is None:
        anchor = resolve_dateline_date(ctx.text)
    ctx.times = tag_times(ctx.text, anchor, ctx.doc)


STAGE = StageInfo("times", requires=("doc",), assigns=("times",), run=run, version="4")

