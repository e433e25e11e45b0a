"""Datelines: "KABUL (Reuters) -", "Washington:", "NEW YORK, March 3 (AP) \u2014" at the head of a story.

Readers record the place as `document.dateline`; the analysis keeps the dateline out of statements,
evidence and event arguments (the place a story was filed from is not an actor in it).
"""
from __future__ import annotations

import re
from typing import NamedTuple

# "KABUL (Reuters) -", "Washington:", "NEW YORK, March 3 (AP) —", "Doha, Qatar --"
_DATELINE = re.compile(
    r"""^\s*(?P<place>[A-Z][A-Za-z\u00C0-\u024F.'\-]*(?:[ ][A-Za-z\u00C0-\u024F.'\-]+){0,3}?)
        (?:,[ ]?(?P<region>[A-Z][A-Za-z.]+(?:[ ][A-Z][A-Za-z.]+)?))?
        (?:,[ ]?(?P<date>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?[ ]\d{1,2}(?:,[ ]\d{4})?))?
        [ ]?(?:\((?P<agency>[A-Za-z .&\-]{2,30})\))?
        [ ]?(?:[:\-\u2013\u2014]{1,2})[ ]""",
    re.VERBOSE,
)
_NOT_PLACES = {"update", "editor's note", "breaking", "exclusive", "analysis", "opinion", "note", "correction",
               "warning", "photo", "video", "live", "watch", "read more", "related"}


# a dateline's place is never a time: "On Monday, Carlos Mendez —" opens a sentence, not a dateline
_WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
             "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"}
_TIME_OPENERS = _WEEKDAYS | {"on", "in", "at", "by", "last", "this", "next", "early", "late", "earlier", "later",
                             "yesterday", "today", "tonight", "tomorrow", "overnight", "morning", "afternoon",
                             "evening", "night", "week", "weekend", "since", "until", "after", "before", "during"}


def _time_phrase(words: list[str]) -> bool:
    """A place that opens with a weekday or a time phrase ("On Monday", "Last week", "Friday")."""
    folded = [w.strip(".,'").casefold() for w in words]
    return bool(folded) and (folded[0] in _TIME_OPENERS or any(w in _WEEKDAYS for w in folded))


class Dateline(NamedTuple):
    place: str  # "Kabul" for "KABUL (Reuters) -"
    end: int  # where the article's own words begin


_HEADLINE = re.compile(r"\A[ \t]*(?P<line>[^\n]{3,150}?)[ \t\u00a0]*\n[ \t\u00a0]*\n")


def headline(text: str) -> tuple[str, int] | None:
    """A headline line at the head of a plain-text story, and where the text after it begins: a
    short first line (2 to 25 words) without final sentence punctuation, followed by a blank line,
    that is not itself a date or a dateline. None when the story starts with its first sentence."""
    m = _HEADLINE.match(text)
    if not m:
        return None
    line = m.group("line").strip()
    words = line.split()
    if not 2 <= len(words) <= 25 or line[-1] in ".!?:;,\"\u201d'\u2019)" or dateline(line + " - ") is not None:
        return None
    from wirescope.dates import dateline_date  # below this module's layer too; imported late: dates is larger

    if dateline_date(line):
        return None
    end = m.end()
    while end < len(text) and text[end] in " \t\n\u00a0":
        end += 1
    return line, end


def dateline(text: str) -> Dateline | None:
    """The dateline at the head of an article (after a headline line, if there is one)."""
    found = headline(text)
    offset = found[1] if found else 0
    head = text[offset:offset + 200]
    m = _DATELINE.match(head)
    if not m:
        return None
    place = m.group("place").strip()
    if place.casefold() in _NOT_PLACES or len(place) < 2:
        return None
    words = place.split()
    # a dateline is short; a sentence opening "The report says:" is not one
    if len(words) > 4 or (m.group("agency") is None and any(w[0].islower() for w in words)):
        return None
    region = (m.group("region") or "").split()
    if _time_phrase(words) or (region and _time_phrase(region)):
        return None
    rest = head[m.end():].lstrip()
    if m.group("agency") is None and not place.isupper() and rest[:1].islower() and not region and m.group("date") is None:
        return None  # "Carlos Mendez — the mayor — said": a person in apposition, not a place

    if place.isupper():
        place = " ".join(w.capitalize() for w in place.split())
    return Dateline(place, offset + m.end())


