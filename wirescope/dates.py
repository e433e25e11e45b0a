"""Publication dates: from metadata in any common form, and from the head of an article.

Below every layer (readers and analysis both use it). Metadata never costs a document: a date that
cannot be read, or that could be read two ways ("03-02-2009"), gives a warning and no date, and the
document is still analysed (anchored to the date in its dateline or first lines when there is one).

    parse_published("February 3, 2009")        -> Published("2009-02-03", None)
    parse_published("Tue, 03 Feb 2009 10:00 GMT") -> Published("2009-02-03", None)   (RFC 2822)
    parse_published("03-02-2009")              -> Published(None, "... ambiguous ...")
    dateline_date("KABUL, March 19, 2021 (Reuters) - ...") -> date(2021, 3, 19)
"""
from __future__ import annotations

import datetime as dt
import re
from email.utils import parsedate_to_datetime
from typing import NamedTuple

from dateutil import parser as dateutil_parser

_MONTHS = {name: i for i, names in enumerate((
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
    ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
    ("dec", "december")), 1) for name in names}
_MONTH = r"(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")"
_WEEKDAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday|rsday)?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
FULL_DATE = re.compile(
    rf"""(?:\b{_WEEKDAY}\.?,?\s+)?
        (?:(?P<m1>{_MONTH})\.?\s+(?P<d1>{_DAY}),?\s+(?P<y1>\d{{4}})
         |(?P<d2>{_DAY})\s+(?:of\s+)?(?P<m2>{_MONTH})\.?,?\s+(?P<y2>\d{{4}})
         |(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})
         |(?P<a>\d{{1,2}})[/.](?P<b>\d{{1,2}})[/.](?P<y3>\d{{4}}))\b""",
    re.IGNORECASE | re.VERBOSE)
_NUMERIC = re.compile(r"^\s*(\d{1,4})[-/.](\d{1,2})[-/.](\d{1,4})\s*$")
_ISO_SHAPE = re.compile(r"^\s*\d{4}-\d{1,2}-\d{1,2}")


class Published(NamedTuple):
    iso: str | None  # YYYY-MM-DD
    warning: str | None  # why a given value was not used


def _numeric(a: int, b: int, year: int, raw: str) -> Published:
    """D/M/Y or M/D/Y: read only when one order is impossible or both give the same day."""
    readings = set()
    for month, day in ((a, b), (b, a)):
        try:
            readings.add(dt.date(year, month, day))
        except ValueError:
            continue
    if len(readings) == 1:
        return Published(readings.pop().isoformat(), None)
    if not readings:
        return Published(None, f"published date {raw!r} is not a real date; the document is analysed without it")
    return Published(None, f"published date {raw!r} is ambiguous (day-month or month-day); "
                           "the document is analysed without it")


def parse_published(value: object) -> Published:
    """A metadata date in ISO, RFC 2822 or a written form with a month name; never raises."""
    if value is None:
        return Published(None, None)
    if isinstance(value, dt.datetime):
        return Published(value.date().isoformat(), None)
    if isinstance(value, dt.date):
        return Published(value.isoformat(), None)
    raw = str(value).strip()
    if not raw:
        return Published(None, None)
    if _ISO_SHAPE.match(raw):
        try:
            return Published(dt.date.fromisoformat(raw[:10]).isoformat(), None)
        except ValueError:
            pass
        try:
            return Published(dt.datetime.fromisoformat(raw.replace("Z", "+00:00")).date().isoformat(), None)
        except ValueError:
            return Published(None, f"published date {raw!r} is not a real date; the document is analysed without it")
    numeric = _NUMERIC.match(raw)
    if numeric:
        x, y, z = (int(g) for g in numeric.groups())
        if len(numeric.group(3)) == 4:
            return _numeric(x, y, z, raw)
        return Published(None, f"published date {raw!r} is ambiguous; the document is analysed without it")
    try:  # RFC 2822, as feeds write it: "Tue, 03 Feb 2009 10:00:00 +0000"
        return Published(parsedate_to_datetime(raw).date().isoformat(), None)
    except (TypeError, ValueError, IndexError):
        pass
    if re.search(_MONTH, raw, re.IGNORECASE) and re.search(r"\b\d{4}\b", raw):
        try:
            parsed = dateutil_parser.parse(raw, fuzzy=False, default=dt.datetime(1, 1, 1))
        except (ValueError, OverflowError):
            return Published(None, f"published date {raw!r} could not be read; the document is analysed without it")
        if parsed.year > 1 and parsed.day:
            return Published(parsed.date().isoformat(), None)
    return Published(None, f"published date {raw!r} could not be read; the document is analysed without it")


def _date_of(m: re.Match) -> dt.date | None:
    try:
        if m.group("iso"):
            return dt.date.fromisoformat(m.group("iso"))
        if m.group("y3"):
            a, b, year = int(m.group("a")), int(m.group("b")), int(m.group("y3"))
            month, day = (a, b) if a <= 12 else (b, a)  # month first unless impossible (US usage)
            return dt.date(year, month, day)
        month = _MONTHS[(m.group("m1") or m.group("m2")).lower()]
        day = int(re.match(r"\d+", m.group("d1") or m.group("d2")).group())
        return dt.date(int(m.group("y1") or m.group("y2")), month, day)
    except ValueError:
        return None


_DATELINE_PREFIX = re.compile(
    r"^\s*(?:published|posted|updated|date|dated|first published|last updated)\b\s*(?:on|at)?\s*[:\-–—]?\s*",
    re.IGNORECASE)


def dateline_date(text: str) -> dt.date | None:
    """The publication date written at the head of an article, or None.

    Looks at the first few lines only: a full date (day, month and year) in a dateline
    ("KABUL, March 19, 2021 (Reuters) -"), after "Published:"/"Posted on"/"Updated", or alone on
    a line. A date inside a sentence of the story is not a publication date."""
    if not text:
        return None
    lines = [ln for ln in text[:600].splitlines() if ln.strip()][:4]
    for line in lines:
        stripped = line.strip()[:200]
        prefixed = bool(_DATELINE_PREFIX.match(stripped))
        for m in FULL_DATE.finditer(stripped):
            found = _date_of(m)
            if found is None:
                continue
            before, after = stripped[:m.start()], stripped[m.end():].strip()
            alone = not re.sub(r"[\W_]+", "", _DATELINE_PREFIX.sub("", before)) and len(after) < 20 \
                and not re.search(r"[a-z]{4,}", after)
            dateline = (len(before) < 60 and re.match(r"\s*(?:\(|[-–—]|/|\|)", after or "-") is not None
                        and re.fullmatch(r"[\w .,'’()/-]*?(?:[,\s]+\w+day)?[,\s]*", before) is not None)
            if prefixed or alone or dateline:
                return found
    return None
