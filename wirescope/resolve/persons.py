"""People's names as the resolver compares them: titles, given names, family names, gender.

A person's name is read into units (whitespace words, a particle joined to the word it precedes:
"bin Salman", "al-Sadr", "de Kirchner"); initials ("W.", "H. W.") are kept apart. The family name
is the last unit, or the first for names written family name first (names.name_parts():
surname_first, "Xi Jinping", "Nguyen Van Hung"). Two full names are *compatible* when one's units
are, in order, a subsequence of the other's (a unit matching by name key, spelling without hyphens,
given-name group such as Bill/William, or a looser transliteration key), and their middle initials
do not contradict ("George W." / "George H. W."). Two full names of one family whose given names are
not compatible name two people (Tony / Cherie Blair, Fidel / Raúl Castro): a merge is refused.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from wirescope.analyse import names as N

_INITIAL = re.compile(r"^[A-Z]\.?$|^(?:[A-Z]\.){2,}$")
_JOIN_PARTICLES = frozenset({"al", "el", "bin", "bint", "ibn", "abu", "umm", "abd", "de", "da", "van", "von",
                             "der", "la", "le", "du", "dos", "das", "del", "di", "ter", "ten", "y", "e"})


@dataclass(frozen=True, slots=True)
class PersonName:
    text: str
    units: tuple[str, ...]  # name keys of the units, initials excluded
    initials: tuple[str, ...]
    family: str  # the family-name unit
    first_family: bool  # written family name first

    @property
    def full(self) -> bool:
        return len(self.units) >= 2

    @property
    def given(self) -> tuple[str, ...]:
        if not self.full:
            return ()
        return self.units[1:] if self.first_family else self.units[:-1]


def dehyphen(name: str) -> str:
    """Join hyphenated parts that are not particles: "Ahmadi-Nejad" -> "AhmadiNejad" (an article,
    "al-Sadr", or a single letter, "PML-N", stays)."""
    def join(m: re.Match) -> str:
        left, right = m.group(1), m.group(2)
        if len(left) < 3 or len(right) < 3 or left.casefold() in _JOIN_PARTICLES or right.casefold() in _JOIN_PARTICLES:
            return m.group(0)
        return left + right.lower()
    return re.sub(r"(\w+)-(\w+)", join, name)


@lru_cache(maxsize=65536)
def parse(name: str) -> PersonName:
    """A person's name (titles removed) as units, initials and family name."""
    rest = N.strip_titles(name)[0]
    words = [w for w in N.clean_name(rest).replace(",", " ").split() if w]
    units: list[str] = []
    initials: list[str] = []
    pending = ""
    for w in words:
        if _INITIAL.match(w):
            initials.extend(c for c in w if c.isalpha())
            continue
        k = N.name_key(dehyphen(w))
        if not k:
            continue
        if k in _JOIN_PARTICLES or (len(k.split()) == 1 and N.is_particle(k) and k not in ("e",)):
            pending = f"{pending} {k}".strip()
            continue
        units.append(f"{pending} {k}".strip() if pending else k)
        pending = ""
    if pending and units:
        units[-1] = f"{units[-1]} {pending}"
    elif pending:
        units.append(pending)
    first_family = 2 <= len(units) <= 3 and _bare(units[0]) in N.name_parts().surname_first and not initials
    family = (units[0] if first_family else units[-1]) if units else ""
    return PersonName(name, tuple(units), tuple(initials), family, first_family)


@lru_cache(maxsize=262144)  # pure, and asked again for every pair of candidates
def _bare(unit: str) -> str:
    """A unit without its particles ("al sadr" -> "sadr")."""
    parts = [p for p in unit.split() if p not in _JOIN_PARTICLES]
    return " ".join(parts) or unit


@lru_cache(maxsize=262144)  # pure, and asked again for every pair of candidates
def _compact(unit: str) -> str:
    return _bare(unit).replace(" ", "")


@lru_cache(maxsize=65536)
def loose(unit: str) -> str:
    """A looser transliteration key of a unit: g/q/k/c alike, dh/th/z/d alike, vowels dropped after
    the first letter, w among them (Gaddafi / Qadhafi / Kadhafi, Rowhani / Rouhani)."""
    u = _compact(unit)
    u = u.replace("kh", "\x01").replace("gh", "\x02")
    u = re.sub(r"[gqc]", "k", u)
    u = re.sub(r"(dh|th|z|d)", "d", u)
    u = u.replace("\x01", "kh").replace("\x02", "gh")
    head, tail = u[:1], re.sub(r"[aeiouyw]", "", u[1:])  # w as a vowel too (Rowhani / Rouhani)
    return re.sub(r"(.)\1+", r"\1", head + tail)


_LINEAGE = frozenset({"bin", "bint", "ibn", "abu", "umm", "abd"})


def _lineage(unit: str) -> str:
    """A unit's kinship particle ("bin Salman": son of Salman, a name of its own), or ""."""
    first = unit.split()[0] if unit else ""
    return first if first in _LINEAGE else ""


@lru_cache(maxsize=262144)  # pure, and asked again for every pair of candidates
def unit_match(a: str, b: str) -> str | None:
    """How two units match: "same", "given" (one given-name group), "loose" (transliteration), or None.
    An article may go ("al-Sadr" / "Sadr"), a kinship particle may not ("bin Salman" is not "Salman")."""
    if _lineage(a) != _lineage(b):
        return None
    if a == b or _compact(a) == _compact(b):
        return "same"
    ga, gb = N.given_groups(_bare(a)), N.given_groups(_bare(b))
    if ga & gb:
        return "given"
    if len(_compact(a)) >= 4 and len(_compact(b)) >= 4 and loose(a) == loose(b):
        return "loose"
    return None


def _subsequence(short: PersonName, long_: PersonName, match) -> list[str] | None:
    """How each unit of `short` matches the next matching unit of `long_`, in order; None when one does not."""
    hows, j = [], 0
    for u in short.units:
        while j < len(long_.units) and not match(u, long_.units[j]):
            j += 1
        if j == len(long_.units):
            return None
        how = match(u, long_.units[j])
        if how == "loose" and u != short.family and long_.units[j] != long_.family:
            return None  # a looser spelling only for family names (Gaddafi / Qadhafi, not Mahmoud / Mohammed)
        hows.append(how)
        j += 1
    return hows


def _family_agrees(short: PersonName, long_: PersonName, match) -> bool:
    return bool(match(short.family, long_.family)) or any(match(u, long_.family) for u in short.units)


@lru_cache(maxsize=262144)  # pure, and asked again for every pair of candidates
def compatible(x: PersonName, y: PersonName) -> str | None:
    """Whether two full names can be one person's: "same" (same units), "variant" (a subsequence,
    given-name groups, initials on one side only, the same units in another order: "Orbán Viktor" /
    "Viktor Orbán") or "loose" (transliteration); None otherwise."""
    if x.initials and y.initials and x.initials != y.initials:
        return None
    if len(x.units) == len(y.units) >= 2 and x.units != y.units and sorted(x.units) == sorted(y.units):
        return "variant"
    short, long_ = (x, y) if len(x.units) <= len(y.units) else (y, x)
    hows = _subsequence(short, long_, unit_match)
    if hows is None or not _family_agrees(short, long_, unit_match):
        return None  # the family names must agree
    if "loose" in hows:
        return "loose"
    if "given" in hows or len(short.units) != len(long_.units) or x.initials != y.initials:
        return "variant"
    return "same"


@lru_cache(maxsize=262144)  # pure, and asked again for every pair of candidates
def _similar_unit(a: str, b: str) -> bool:
    from rapidfuzz import fuzz

    if unit_match(a, b):
        return True
    ca, cb = _compact(a), _compact(b)
    return min(len(ca), len(cb)) >= 4 and fuzz.ratio(ca, cb) >= 80


@lru_cache(maxsize=262144)  # pure, and asked again for every pair of candidates
def similar(x: PersonName, y: PersonName) -> bool:
    """Compatible, or alike enough in spelling not to be told apart by name (Zabiullah / Zabihullah)."""
    if x.initials and y.initials and x.initials != y.initials:
        return False
    short, long_ = (x, y) if len(x.units) <= len(y.units) else (y, x)
    return _subsequence(short, long_, _similar_unit) is not None and _family_agrees(short, long_, _similar_unit)


def conflict(a: Iterable[str], b: Iterable[str]) -> tuple[str, str] | None:
    """Two full names, one of each side, of one family and incompatible given names, when no full
    name of one side is compatible with one of the other: (name of a, name of b), else None."""
    fa = [p for p in (parse(n) for n in a) if p.full]
    fb = [p for p in (parse(n) for n in b) if p.full]
    if not fa or not fb:
        return None
    clash = None
    for x in fa:
        for y in fb:
            if compatible(x, y) or similar(x, y):
                return None
            if clash is None and _related(x, y):
                clash = (x.text, y.text)
    return clash


@lru_cache(maxsize=262144)  # pure, and asked again for every pair of candidates
def _related(x: PersonName, y: PersonName) -> bool:
    """Whether two full names share a unit (a family name, or a given name with different families)."""
    return any(unit_match(u, v) in ("same", "loose") for u in x.units for v in y.units
               if len(_compact(u)) > 1 and len(_compact(v)) > 1)


def bearers(bare: str, full_names: Iterable[str]) -> bool:
    """Whether a one-word name (a family or given name) is one of the units of a full name."""
    unit = parse(bare)
    if len(unit.units) != 1:
        return False
    for n in full_names:
        p = parse(n)
        if p.full and any(unit_match(unit.units[0], u) == "same" for u in p.units):
            return True
    return False


def is_bare(name: str) -> bool:
    """One unit only (after titles): "Xi", "President Xi", "Sayyed Nasrallah", "al-Sadr"."""
    return len(parse(name).units) == 1


def family_short_form(short: str, full: str) -> bool:
    """`short` is the family name of `full` (either name order): "Xi" of "Xi Jinping", "Suu Kyi" of
    "Aung San Suu Kyi", "Nasrallah" of "Hassan Nasrallah"."""
    s, f = parse(short), parse(full)
    if not s.units or not f.full or len(s.units) >= len(f.units):
        return False
    if N.is_short_form(N.strip_titles(short)[0], full):
        return True
    if len(s.units) == 1:
        return unit_match(s.units[0], f.family) == "same"
    tail = f.units[-len(s.units):]
    return all(unit_match(u, v) == "same" for u, v in zip(s.units, tail))


def gender(names: Iterable[str], mentions: Iterable[str]) -> str | None:
    """"m" or "f" when the titles and pronouns of a person's names and mentions agree, else None."""
    parts = N.name_parts()
    found: set[str] = set()
    for text in [*names, *mentions]:
        low = text.strip().casefold()
        if low in parts.pronouns:
            found.add(parts.pronouns[low])
            continue
        g = N.strip_titles(text)[2]
        if g:
            found.add(g)
    return next(iter(found)) if len(found) == 1 else None
