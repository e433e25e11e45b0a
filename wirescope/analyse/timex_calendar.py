"""Calendar arithmetic for the time stage: finding the occurrence of a month, a day or a weekday
nearest to an anchor in a given direction, and writing TIMEX3 values.

Directions: "past" (the latest occurrence on or before the anchor), "future" (the earliest on or
after it), "nearest" (whichever is closer; ties go to the past, as news mostly reports what
happened). Weekdays said on the same weekday resolve to the anchor itself (wire style names the
day of publication by its weekday).

Adding months and years (clipped to the end of a shorter month), weekday steps and Easter are
python-dateutil's (relativedelta, easter).
"""
from __future__ import annotations

import datetime as dt
import re

from dateutil.easter import EASTER_ORTHODOX, easter as _easter
from dateutil.relativedelta import FR, MO, SA, SU, TH, TU, WE, relativedelta

Direction = str  # "past" | "future" | "nearest"

_WEEKDAYS = (MO, TU, WE, TH, FR, SA, SU)  # ISO weekday n (Monday = 1) is _WEEKDAYS[n - 1]


def add_months(year: int, month: int, n: int) -> tuple[int, int]:
    """(year, month) n months on. Plain arithmetic, not relativedelta: the year may leave the range
    of a date (year 0, 10000), which the caller reports as written rather than failing."""
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


def shift_date(day: dt.date, n: float, unit: str) -> tuple[dt.date, str] | None:
    """day moved by n units; returns the new date and the granularity to write it at."""
    try:
        if unit == "D":
            return day + dt.timedelta(days=round(n)), "day"
        if unit == "W":
            return day + dt.timedelta(days=round(7 * n)), "day"
        if unit == "2W":
            return day + dt.timedelta(days=round(14 * n)), "day"
        if unit == "M":
            return day + relativedelta(months=round(n)), "month"
        if unit == "Q":
            return day.replace(day=1) + relativedelta(months=round(3 * n)), "quarter"
        if unit == "Y":
            return day + relativedelta(years=round(n)), "year"
        if unit == "DE":
            return day + relativedelta(years=round(10 * n)), "decade"
        if unit == "CE":
            return day + relativedelta(years=round(100 * n)), "century"
    except (OverflowError, ValueError):
        return None
    return None


def _pick(before: dt.date, after: dt.date, anchor: dt.date, direction: Direction) -> dt.date:
    if direction == "past":
        return before
    if direction == "future":
        return after
    return before if (anchor - before) <= (after - anchor) else after


def month_occurrence(anchor: dt.date, month: int, direction: Direction) -> tuple[int, int]:
    """The (year, month) of the named month seen from anchor."""
    this = (anchor.year, month)
    if month == anchor.month:
        return this
    if month < anchor.month:
        before, after = this, (anchor.year + 1, month)
    else:
        before, after = (anchor.year - 1, month), this
    if direction == "past":
        return before
    if direction == "future":
        return after
    dist_before = (anchor.year * 12 + anchor.month) - (before[0] * 12 + before[1])
    dist_after = (after[0] * 12 + after[1]) - (anchor.year * 12 + anchor.month)
    return before if dist_before <= dist_after else after


def monthday_occurrence(anchor: dt.date, month: int, day: int, direction: Direction) -> dt.date | None:
    """The date of month/day seen from anchor (29 February goes to the nearest leap year)."""
    def make(year: int) -> dt.date | None:
        for y in (year, year - 1, year - 2, year - 3) if direction != "future" else (year, year + 1, year + 2, year + 3):
            try:
                return dt.date(y, month, day)
            except ValueError:
                if not (month == 2 and day == 29):
                    return None
        return None

    this = make(anchor.year)
    if this is None:
        return None
    if this == anchor:
        return this
    if this < anchor:
        before = this
        after = _next_valid(anchor.year + 1, month, day)
    else:
        after = this
        before = _prev_valid(anchor.year - 1, month, day)
    if before is None or after is None:
        return before or after
    return _pick(before, after, anchor, direction)


def valid_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _next_valid(year: int, month: int, day: int) -> dt.date | None:
    for y in range(year, year + 8):
        try:
            return dt.date(y, month, day)
        except ValueError:
            continue
    return None


def _prev_valid(year: int, month: int, day: int) -> dt.date | None:
    for y in range(year, year - 8, -1):
        try:
            return dt.date(y, month, day)
        except ValueError:
            continue
    return None


def weekday_occurrence(anchor: dt.date, weekday: int, direction: Direction, relative: str | None = None
                       ) -> dt.date:
    """The date of an ISO weekday (Monday=1) seen from anchor.

    relative: "last" (strictly before), "next" (strictly after), "this"/"coming" (on or after;
    "this" in a past-tense clause: on or before), None (the direction decides; the same weekday is
    the anchor itself)."""
    wd = _WEEKDAYS[weekday - 1]
    if relative == "last":
        return anchor + relativedelta(days=-1, weekday=wd(-1))
    if relative == "next":
        return anchor + relativedelta(days=+1, weekday=wd(+1))
    if relative == "this" and direction == "past":
        return anchor + relativedelta(weekday=wd(-1))  # "This Sunday, he crossed the Channel"
    if relative in ("this", "coming"):
        return anchor + relativedelta(weekday=wd(+1))
    if weekday == anchor.isoweekday():
        return anchor
    before = anchor + relativedelta(weekday=wd(-1))
    after = anchor + relativedelta(weekday=wd(+1))
    return _pick(before, after, anchor, direction)


def weekend_of(anchor: dt.date, direction: Direction, relative: str | None = None) -> str:
    """ISO week value of a weekend ("2021-W11-WE") seen from anchor."""
    wd = anchor.isoweekday()
    week = dt.timedelta(days=7)
    if relative == "last":
        base = anchor - week
    elif relative == "next":
        base = anchor + week if wd >= 6 else anchor
    elif wd >= 6 or relative in ("this", "coming"):
        base = anchor
    elif direction == "past":
        base = anchor - week
    elif direction == "future":
        base = anchor
    else:  # nearest: the Sunday behind or the Saturday ahead
        base = anchor - week if wd <= 3 else anchor
    return iso_week(base) + "-WE"


def iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


def quarter_occurrence(anchor: dt.date, quarter: int, direction: Direction) -> int:
    """Year of the named quarter seen from anchor."""
    current = quarter_of(anchor.month)
    if quarter == current:
        return anchor.year
    if direction == "past":
        return anchor.year if quarter < current else anchor.year - 1
    if direction == "future":
        return anchor.year if quarter > current else anchor.year + 1
    return anchor.year


def season_of(day: dt.date, start_months: dict[str, int]) -> tuple[int, str]:
    """(year, code) of the season holding day; winter is labelled with the year it starts in."""
    best = None
    for code, start in start_months.items():
        year = day.year if day.month >= start else day.year - 1
        begin = dt.date(year, start, 1)
        if begin <= day and (best is None or begin > best[0]):
            best = (begin, code)
    assert best is not None
    return best[0].year, best[1]


def season_occurrence(anchor: dt.date, code: str, start_months: dict[str, int], direction: Direction,
                      relative: str | None = None) -> int:
    """Year label of the named season seen from anchor."""
    start = start_months[code]
    cur_year, cur_code = season_of(anchor, start_months)
    if code == cur_code and relative in (None, "this", "coming"):
        return cur_year
    begin_this = dt.date(anchor.year, start, 1)
    if relative == "this":
        return anchor.year if not (code == "WI" and anchor.month < 3) else anchor.year - 1
    if relative == "last" or (relative is None and direction == "past"):
        year = anchor.year if begin_this <= anchor else anchor.year - 1
        if code == cur_code:
            year = cur_year - 1
        return year
    if relative in ("next", "coming") or direction == "future":
        year = anchor.year if begin_this > anchor else anchor.year + 1
        if code == cur_code and relative == "next":
            year = cur_year + 1
        return year
    # nearest: the season of this calendar year
    return anchor.year if not (code == "WI" and anchor.month < 3) else anchor.year - 1


def easter(year: int) -> dt.date:
    """Gregorian Easter Sunday."""
    return _easter(year)


def thanksgiving_us(year: int) -> dt.date:
    """Fourth Thursday of November."""
    return dt.date(year, 11, 1) + relativedelta(weekday=TH(+4))


def orthodox_easter(year: int) -> dt.date:
    """Easter Sunday of the Orthodox churches (Julian computus, as a Gregorian date)."""
    return _easter(year, EASTER_ORTHODOX)


def labor_day_us(year: int) -> dt.date:
    """The first Monday of September."""
    return dt.date(year, 9, 1) + relativedelta(weekday=MO(+1))


def memorial_day_us(year: int) -> dt.date:
    """The last Monday of May."""
    return dt.date(year, 5, 31) + relativedelta(weekday=MO(-1))


def mlk_day_us(year: int) -> dt.date:
    """The third Monday of January."""
    return dt.date(year, 1, 1) + relativedelta(weekday=MO(+3))


COMPUTED = {"easter": easter, "thanksgiving_us": thanksgiving_us, "orthodox_easter": orthodox_easter,
            "labor_day_us": labor_day_us, "memorial_day_us": memorial_day_us, "mlk_day_us": mlk_day_us}


def fmt(day: dt.date, granularity: str) -> str:
    """A date written at a granularity as a TIMEX3 value."""
    if granularity == "day":
        return day.isoformat()
    if granularity == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if granularity == "year":
        return f"{day.year:04d}"
    if granularity == "week":
        return iso_week(day)
    if granularity == "quarter":
        return f"{day.year:04d}-Q{quarter_of(day.month)}"
    if granularity == "decade":
        return f"{day.year // 10:03d}"
    if granularity == "century":
        return f"{day.year // 100:02d}"
    return day.isoformat()


def duration_value(amount: float | None, unit: str) -> str:
    """P2Y, PT3H, P1.5Y, PXY (amount None), P2W for fortnight units."""
    if unit == "2W":
        unit, amount = "W", (amount * 2 if amount is not None else None)
    if unit == "Q":
        unit, amount = "M", (amount * 3 if amount is not None else None)
    if unit in ("DE", "CE") and amount is not None and not float(amount).is_integer():
        unit, amount = "Y", amount * (10 if unit == "DE" else 100)  # "half a century": P50Y
    t = unit.startswith("T")
    code = unit[1:] if t else unit
    if amount is None:
        num = "X"
    elif float(amount).is_integer():
        num = str(int(amount))
    else:
        num = f"{amount:g}"
    return ("PT" if t else "P") + num + code


_PERIOD = re.compile(r"^(?P<y>\d{4})(?:-(?:(?P<m>\d{2})(?:-(?P<d>\d{2})(?P<t>T.*)?)?|W(?P<w>\d{2})(?P<we>-WE)?"
                     r"|Q(?P<q>[1-4])|H(?P<h>[12])|(?P<s>SP|SU|FA|WI)))?$|^(?P<dec>\d{3})$|^(?P<cen>\d{2})$")


def period_of(value: str | None) -> tuple[dt.date, dt.date, str] | None:
    """(first day, last day, granularity) of a calendar TIMEX3 value: "2019-03-15" (day; a time
    of day too), "2019-W11" (week), "2019-W11-WE" (weekend), "2019-03" (month), "2019-Q1"
    (quarter), "2019-H2" (half), "2019-SU" (season), "2019" (year), "201" (decade), "20"
    (century); None for anything else (PRESENT_REF, P3D, XXXX-03)."""
    m = _PERIOD.match(str(value or "").strip())
    if m is None:
        return None
    try:
        if m.group("dec"):
            y = int(m.group("dec")) * 10
            return dt.date(max(1, y), 1, 1), dt.date(y + 9, 12, 31), "decade"
        if m.group("cen"):
            y = int(m.group("cen")) * 100
            return dt.date(max(1, y), 1, 1), dt.date(y + 99, 12, 31), "century"
        y = int(m.group("y"))
        if m.group("d"):
            day = dt.date(y, int(m.group("m")), int(m.group("d")))
            return day, day, "day"
        if m.group("m"):
            first = dt.date(y, int(m.group("m")), 1)
            return first, first + relativedelta(months=1, days=-1), "month"
        if m.group("w"):
            first = dt.date.fromisocalendar(y, int(m.group("w")), 1)
            if m.group("we"):
                return first + dt.timedelta(days=5), first + dt.timedelta(days=6), "weekend"
            return first, first + dt.timedelta(days=6), "week"
        if m.group("q"):
            first = dt.date(y, 3 * int(m.group("q")) - 2, 1)
            return first, first + relativedelta(months=3, days=-1), "quarter"
        if m.group("h"):
            first = dt.date(y, 1 if m.group("h") == "1" else 7, 1)
            return first, first + relativedelta(months=6, days=-1), "half"
        if m.group("s"):
            from wirescope.analyse.timex_patterns import lexicon

            first = dt.date(y, int(lexicon()["season_start_month"][m.group("s")]), 1)
            return first, first + relativedelta(months=3, days=-1), "season"
        return dt.date(y, 1, 1), dt.date(y, 12, 31), "year"
    except ValueError:
        return None
