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


class Dateline(NamedTuple):
    place: str  # "Kabul" for "KABUL (Reuters) -"
    end: int  # where the article's own words begin


def dateline(text: str) -> Dateline | None:
    """The dateline at the head of an article, if it has one."""
    head = text[:200]
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
    if place.isupper():
        place = " ".join(w.capitalize() for w in place.split())
    return Dateline(place, m.end())


