"""Name conventions: short forms, acronyms and the gazetteer of well-known actors.

Shared by the actors stage (within one document) and the cross-document resolver. The comparison
keys and spelling variants of names (`name_key`, `light_key`, `clean_name`, `variants`, with the
transliteration rules they follow) live in wirescope.vocab, below every layer, so that queries can
use them without the analysis package; they are re-exported here.

The gazetteer of well-known actors (data/gazetteer.yaml) is loaded here too, so that both the
actors stage and the resolver look names up the same way (`gazetteer_lookup`).

For cross-document resolution: the parts of names (data/name_parts.yaml: titles and the gender they
imply, given-name groups such as Bill/William, family names written first, the words institutions
of many countries share, company and place-feature words; `strip_titles`, `given_groups`,
`generic_name`, `strip_legal_suffix`, `party_key`) and the other names of institutions and people
across many countries (data/name_variants.yaml with gazetteer.yaml; `variant_entries`,
`namesake_ids`). The actors stage does not read these.
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
    a = acronym.replace(".", "").replace(" ", "").replace("&", "").casefold()  # "PG&E", "AT&T"
    if len(a) < 2 or len(_words(name)) < 2:
        return False
    if acronym_of(name).casefold() == a:
        return True
    full = "".join(w[0] for w in _words(name) if w[:1].isalnum()).casefold()
    if full == a and len(_words(name)) > 1:
        return True
    words = _words(name)
    if len(words) > 2 and light_key(words[-1]) in name_parts().legal:
        # "Pacific Gas and Electric Company" is PG&E: a company-form word the acronym leaves out
        return acronym_matches(acronym, " ".join(words[:-1]))
    return False


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
    from wirescope.lexicon import load

    return load(name)


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


# ---- name parts and institution variants (cross-document resolution) --------------------------------
# data/name_parts.yaml: titles, pronouns, given-name groups, family-name-first surnames, the words
# institutions of many countries share, company suffixes, place feature words.
# data/name_variants.yaml (with gazetteer.yaml): other names of institutions and people.
@dataclass(frozen=True, slots=True)
class NameParts:
    titles: dict[tuple[str, ...], str | None]  # title words (light keys) -> gender it implies
    title_words: int  # the longest title, in words
    pronouns: dict[str, str]  # pronoun -> gender
    given: dict[str, frozenset[int]]  # given-name key -> the groups it belongs to
    surname_first: frozenset[str]  # name keys
    generic: frozenset[str]  # light keys of words institutions share
    legal: frozenset[str]  # light keys of company suffixes
    company: frozenset[str]  # light keys of trade words after a company's name
    place_features: frozenset[str]  # light keys
    post_nominals: frozenset[str]  # exact forms, without a final "."


@lru_cache(maxsize=1)
def name_parts() -> NameParts:
    raw = _load_yaml("name_parts.yaml") or {}
    titles: dict[tuple[str, ...], str | None] = {}
    for gender, forms in (raw.get("titles") or {}).items():
        for form in forms or []:
            words = tuple(light_key(str(form)).split())
            if words:
                titles[words] = None if gender == "any" else gender
    pronouns = {str(p).casefold(): g for g, forms in (raw.get("pronouns") or {}).items() for p in forms or []}
    given: dict[str, set[int]] = {}
    for i, group in enumerate(raw.get("given_names") or []):
        for form in group or []:
            given.setdefault(name_key(str(form)), set()).add(i)
    return NameParts(
        titles=titles, title_words=max((len(t) for t in titles), default=1), pronouns=pronouns,
        given={k: frozenset(v) for k, v in given.items() if k},
        surname_first=frozenset(name_key(str(s)) for s in raw.get("surname_first") or []),
        generic=frozenset(light_key(str(w)) for w in raw.get("generic_words") or []),
        legal=frozenset(light_key(str(w)) for w in raw.get("legal_suffixes") or []),
        company=frozenset(light_key(str(w)) for w in raw.get("company_words") or []),
        place_features=frozenset(light_key(str(w)) for w in raw.get("place_features") or []),
        post_nominals=frozenset(str(w).rstrip(".") for w in raw.get("post_nominals") or []),
    )


@lru_cache(maxsize=65536)
def strip_titles(name: str) -> tuple[str, tuple[str, ...], str | None]:
    """(the name without its leading titles, the titles, the gender they imply or None):
    "Crown Prince Mohammed" -> ("Mohammed", ["crown prince"], "m"); "Mrs Blair" -> ("Blair", ["mrs"], "f").
    A title is kept when nothing would be left of the name."""
    parts = name_parts()
    words = clean_name(name).split()
    found: list[str] = []
    genders: set[str] = set()
    while len(words) > 1:
        for n in range(min(parts.title_words, len(words) - 1), 0, -1):
            key = tuple(light_key(" ".join(words[:n])).split())
            if key and key in parts.titles:
                found.append(" ".join(key))
                if parts.titles[key]:
                    genders.add(parts.titles[key])  # type: ignore[arg-type]
                words = words[n:]
                break
        else:
            break
    gender = next(iter(genders)) if len(genders) == 1 else None
    return " ".join(words), tuple(found), gender


def given_groups(word: str) -> frozenset[int]:
    """The given-name groups a word belongs to (Bill and William share one)."""
    return name_parts().given.get(name_key(word), frozenset())


def is_generic_word(word: str) -> bool:
    return light_key(word) in name_parts().generic


@lru_cache(maxsize=65536)
def generic_name(name: str) -> bool:
    """A name made only of words institutions of many countries share ("Supreme Court", "Labour",
    "National Front", "Social Democrats"), besides small words and one nationality word
    ("Kenyan police")."""
    words = [w for w in light_key(name).split() if w not in ACRONYM_SKIP]
    if not words:
        return False
    generic = name_parts().generic
    rest = [w for w in words if w not in generic]
    if not rest:
        return True
    return len(rest) == 1 and len(words) > 1 and demonym_country(rest[0]) is not None


@lru_cache(maxsize=65536)
def strip_legal_suffix(name: str) -> str:
    """A company's name without its trailing company-form and trade words: "Ford Motor Co" -> "Ford",
    "Apple Computer Inc." -> "Apple"; never down to a country's or a nationality's name ("Qatar Airways")."""
    words = clean_name(name).replace(",", " ").split()
    parts = name_parts()
    drop = parts.legal | parts.company
    while len(words) > 1:
        two = light_key(" ".join(words[-2:]))
        if len(words) > 2 and two in drop:
            cut = words[:-2]
        elif light_key(words[-1]) in drop:
            cut = words[:-1]
        else:
            break
        rest = " ".join(cut)
        if demonym_country(rest) is not None or gazetteer_lookup(rest) is not None and \
                gazetteer_lookup(rest).subtype == "country" or all(is_generic_word(w) for w in cut):
            break
        words = cut
    return " ".join(words)


_PLURAL_IES = re.compile(r"ies$")


def singular_word(word: str) -> str:
    """The singular of a group name's last word: Tories -> Tory, Houthis -> Houthi, Democrats -> Democrat."""
    low = word.casefold()
    if len(low) > 4 and low.endswith("ies"):
        return word[:-3] + ("Y" if word.isupper() else "y")
    if len(low) > 3 and low.endswith("s") and not low.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@lru_cache(maxsize=65536)
def party_key(name: str) -> str | None:
    """The key a party's name shares with its members' plural and its adjective form: "Democrats",
    "Democrat" and "Democratic Party" -> "democrat"; "Social Democrats" and "Social Democratic Party" ->
    "social democrat"; "Labour" and "Labour Party" -> "labour". None for names that are no party form."""
    words = clean_name(name).split()
    if not words:
        return None
    if len(words) > 1 and light_key(words[-1]) in ("party", "parti", "partei", "partido", "partito"):
        words = words[:-1]
    elif not all(is_generic_word(w) for w in words):
        return None
    if not words:
        return None
    last = singular_word(words[-1])
    low = last.casefold()
    if low.endswith("ic") and len(low) > 5:  # Democratic -> Democrat, Islamic stays (no member form)
        last = last[:-2]
    return name_key(" ".join([*words[:-1], last])) or None


@dataclass(slots=True)
class VariantEntry:
    id: str
    name: str
    type: str
    subtype: str | None
    country: str | None
    forms: list[str] = field(default_factory=list)
    primary: set[str] = field(default_factory=set)  # keys of shared forms this entry stands for by default


@dataclass(slots=True)
class VariantIndex:
    by_key: dict[str, list[VariantEntry]]
    by_id: dict[str, VariantEntry]
    namesakes: dict[str, list[str]]  # key of an ambiguous name -> the ids it may denote


def _entry_id(name: str, subtype: str | None, country: str | None) -> str:
    if subtype == "country" and country:
        return f"iso:{country}"
    return "gaz:" + name_key(name).replace(" ", "_")


@lru_cache(maxsize=1)
def variant_index() -> VariantIndex:
    by_id: dict[str, VariantEntry] = {}

    def add(name: str, kind: str, subtype: str | None, country: str | None, forms: Iterable[str],
            primary: Iterable[str] = ()) -> None:
        eid = _entry_id(name, subtype, country)
        entry = by_id.get(eid)
        if entry is None:
            entry = by_id[eid] = VariantEntry(eid, name, kind, subtype, country)
        for form in [name, *forms]:
            if form and form not in entry.forms:
                entry.forms.append(str(form))
        entry.primary.update(name_key(str(p)) for p in primary)

    for e in gazetteer().entries:
        add(e.name, e.type, e.subtype, e.country, e.aliases)
    raw = _load_yaml("name_variants.yaml") or {}
    for item in raw.get("institutions") or []:
        add(item["name"], item.get("type", "organization"), item.get("subtype"), item.get("country"),
            item.get("aliases") or [], item.get("primary") or [])
    for item in raw.get("people") or []:
        add(item["name"], "person", None, item.get("country"), item.get("aliases") or [])
    by_key: dict[str, list[VariantEntry]] = {}
    for entry in by_id.values():
        for form in entry.forms:
            for k in {name_key(form), "=" + light_key(form)}:
                if k and k != "=":
                    found = by_key.setdefault(k, [])
                    if entry not in found:
                        found.append(entry)
    namesakes: dict[str, list[str]] = {}
    for item in raw.get("namesakes") or []:
        ids = [i for i in (_entry_id(r, None, None) for r in item.get("refers") or []) if i in by_id]
        if ids:
            namesakes[name_key(item["name"])] = ids
    return VariantIndex(by_key, by_id, namesakes)


def variant_entries(name: str) -> list[VariantEntry]:
    """Every institution, person or country (gazetteer.yaml, name_variants.yaml) a name may denote.
    Short names match only as written in capitals (as in `gazetteer_lookup`)."""
    return list(_variant_entries(name))


@lru_cache(maxsize=65536)
def _variant_entries(name: str) -> tuple[VariantEntry, ...]:
    base = clean_name(name)
    if not base:
        return []
    index = variant_index()
    found = index.by_key.get(name_key(base)) or index.by_key.get("=" + light_key(base)) or []
    if found and len(base.replace(".", "")) <= 3 and not base.replace(".", "").isupper():
        found = [e for e in found if any(f == base for f in e.forms)]
    return tuple(found)


@lru_cache(maxsize=65536)
def namesake_ids(name: str) -> tuple[str, ...]:
    """The well-known people an ambiguous name may denote ("George Bush"), or ()."""
    return tuple(variant_index().namesakes.get(name_key(clean_name(name)), []))
