"""Name conventions: short forms, acronyms and the gazetteer of well-known actors.

Shared by the actors stage (within one document) and the cross-document resolver. The comparison
keys and spelling variants of names (`name_key`, `light_key`, `clean_name`, `variants`, with the
transliteration rules they follow) live in wirescope.vocab, below every layer, so that queries can
use them without the analysis package; they are re-exported here.

The gazetteer of well-known actors (data/gazetteer.yaml) is loaded here too, so that both the
actors stage and the resolver look names up the same way (`gazetteer_lookup`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from wirescope.vocab import (  # noqa: F401  (re-exported)
    ABD_FORMS, ABU_TOKENS, ARTICLE_TOKENS, BIN_TOKENS, VOWELS, clean_name, light_key, name_key,
    strip_diacritics, variants,
)

DATA = Path(__file__).resolve().parent / "data"

PARTICLES = frozenset({"al", "bin", "bint", "abu", "umm", "abd", "e", "the", "of", "de", "da", "van", "von",
                       "der", "la", "le", "du", "dos", "das", "del"})
ACRONYM_SKIP = frozenset({"of", "the", "and", "for", "in", "on", "at", "to", "a", "an", "de", "du", "des",
                          "la", "le", "el", "del", "di", "da", "y", "&"})


# ---- keys --------------------------------------------------------------------------------------
def key_parts(name: str) -> list[str]:
    return name_key(name).split()


def is_particle(token_key: str) -> bool:
    return token_key in PARTICLES


def short_form_keys(full: str) -> set[str]:
    """The keys of every short form of a full personal name (see `is_short_form`)."""
    f = key_parts(full)
    out: set[str] = set()
    if len(f) > 2 and f[0] in ("abu", "umm") and not is_particle(f[1]):
        out.add(" ".join(f[:2]))  # the kunya alone: "Abu Talha" for "Abu Talha al-Almani"
    for cut in range(1, len(f)):
        s = f[cut:]
        if all(is_particle(t) for t in s) or s[0] in ("abu", "umm"):
            continue
        prev = f[cut - 1]
        if prev in ("abd", "abu", "umm") and s[0] == "al":
            if len(s) >= 2:
                out.add(" ".join(s))  # "Al-Rahman" for "Abd-al-Rahman": the usual short form
            continue
        if prev == "al" and cut >= 2 and f[cut - 2] == "abd":
            continue  # "Rahman" is no name on its own: "Abd al-Rahman" means "servant of the Merciful"
        if prev in ("bin", "bint", "abd", "abu", "umm", "e") or (prev == "al" and cut < 2):
            continue  # the cut must fall on a name boundary
        out.add(" ".join(s))
    return out


def is_short_form(short: str, full: str) -> bool:
    """True when `short` names the same bearer as `full` by its last component(s): a surname
    ("Ghani" for "Ashraf Ghani"), a nisba or family part with its article ("Al-Rahman" for
    "X Abd-al-Rahman", "bin Laden" for "Osama bin Laden"). A bare particle, a first name or a kunya
    ("Abu X") is not."""
    key = name_key(short)
    return bool(key) and key in short_form_keys(full)


def is_kunya(name: str) -> bool:
    parts = key_parts(name)
    return bool(parts) and parts[0] in ("abu", "umm")


def _words(name: str) -> list[str]:
    return [w for w in re.split(r"[\s]+", clean_name(name)) if w]


def acronym_of(name: str) -> str:
    """The initials of a name, skipping of/the/and/for...: "Federal Bureau of Investigation" -> "FBI".
    Hyphenated capitalised parts count separately ("Al-Qaeda in the Arabian Peninsula" -> "AQAP")."""
    letters: list[str] = []
    for word in _words(name):
        if word.casefold() in ACRONYM_SKIP:
            continue
        parts = [p for p in re.split(r"[-\u2010\u2011]", word) if p]
        capital = [p for p in parts if p[:1].isupper()]
        use = capital if len(capital) > 1 else parts[:1]
        for p in use:
            ch = next((c for c in p if c.isalnum()), "")
            if ch:
                letters.append(ch.upper())
    return "".join(letters)


def looks_like_acronym(text: str) -> bool:
    t = text.replace(".", "").replace("&", "")
    return 2 <= len(t) <= 8 and t.isalnum() and sum(c.isupper() for c in t) >= max(2, len(t) - 1)


def acronym_matches(acronym: str, name: str) -> bool:
    """Whether `acronym` abbreviates `name`, allowing the small words in ("DoD" for "Department of
    Defense") or out ("FBI"), and the dotted form ("U.N.")."""
    a = acronym.replace(".", "").replace(" ", "").casefold()
    if len(a) < 2 or len(_words(name)) < 2:
        return False
    if acronym_of(name).casefold() == a:
        return True
    full = "".join(w[0] for w in _words(name) if w[:1].isalnum()).casefold()
    return full == a and len(_words(name)) > 1


# ---- gazetteer ----------------------------------------------------------------------------------
@dataclass(slots=True)
class GazetteerEntry:
    name: str
    type: str
    subtype: str | None = None
    country: str | None = None
    aliases: list[str] = field(default_factory=list)
    demonyms: list[str] = field(default_factory=list)
    id: str = ""


@dataclass(slots=True)
class Gazetteer:
    entries: list[GazetteerEntry]
    by_key: dict[str, GazetteerEntry]
    by_demonym: dict[str, GazetteerEntry]
    # exact surface forms for phrase matching: (text, case_sensitive, entry)
    surfaces: list[tuple[str, bool, GazetteerEntry]]


def _load_yaml(name: str) -> Any:
    import yaml

    with open(DATA / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    raw = _load_yaml("gazetteer.yaml") or {}
    entries: list[GazetteerEntry] = []
    for section, default_type in (("actors", None), ("countries", "location")):
        for item in raw.get(section, []) or []:
            entry = GazetteerEntry(
                name=item["name"], type=item.get("type", default_type) or "organization",
                subtype=item.get("subtype", "country" if section == "countries" else None),
                country=item.get("country") or item.get("iso"),
                aliases=list(item.get("aliases", []) or []), demonyms=list(item.get("demonyms", []) or []),
            )
            entry.id = "gaz:" + name_key(entry.name).replace(" ", "_")
            entries.append(entry)
    by_key: dict[str, GazetteerEntry] = {}
    by_demonym: dict[str, GazetteerEntry] = {}
    surfaces: list[tuple[str, bool, GazetteerEntry]] = []
    for entry in entries:
        for form in [entry.name, *entry.aliases]:
            by_key.setdefault(name_key(form), entry)
            by_key.setdefault("=" + light_key(form), entry)
            surfaces.append((form, looks_like_acronym(form) or len(form) <= 3, entry))
        for dem in entry.demonyms:
            by_demonym.setdefault(light_key(dem), entry)
    return Gazetteer(entries, by_key, by_demonym, surfaces)


def gazetteer_lookup(name: str) -> GazetteerEntry | None:
    """The well-known actor a name denotes, by key ("Al-Qaida" -> al-Qaeda), or None.
    All-capital acronyms must match in capitals ("US" is the country, "us" is not)."""
    base = clean_name(name)
    if not base:
        return None
    table = gazetteer().by_key
    entry = table.get(name_key(base)) or table.get("=" + light_key(base))
    if entry is None:
        return None
    if len(base.replace(".", "")) <= 3 and not base.replace(".", "").isupper():
        # short names only match as written in capitals (IS, US, UN, AP)
        forms = [entry.name, *entry.aliases]
        if not any(f == base for f in forms):
            return None
    return entry


def demonym_country(word: str) -> GazetteerEntry | None:
    """The country a nationality adjective or noun belongs to: "Afghan" -> Afghanistan."""
    return gazetteer().by_demonym.get(light_key(word))


def best_name(names: Iterable[str], kind: str | None = None) -> str:
    """The most complete of several names: the longest non-kunya, non-acronym one (first seen on ties)."""
    listed = [n for n in names if n]
    if not listed:
        return ""

    def score(item: tuple[int, str]) -> tuple:
        idx, n = item
        words = len(key_parts(n))
        return (
            not looks_like_acronym(n),
            not (kind == "person" and is_kunya(n)),
            words,
            len(n),
            -idx,
        )

    return max(enumerate(listed), key=score)[1]
