"""What a document says about where its actors belong, and which well-known actor a name denotes there.

- `contribution`: the countries one actor of a document stands for (a place's country, a person's
  or a nationality group's country, a well-known organisation's country). A place whose name several
  countries' places of country or region rank share ("Georgia": the country, the US state) stands
  for all of them. The countries of a document's *other* actors are an actor's country context.
- `readings`: the external identifiers (gazetteer ids) an actor's names denote in that context. A
  name that institutions of several countries share ("Labour", "Tories", "Supreme Court", "Social
  Democrats") denotes the one of a country in the context, else the entry the data marks primary
  for it when the document names no country, else none: the name is then *generic* and identifies
  nothing on its own. A place's identifier is its country ("iso:XX") or its gazetteer place
  ("geo:<geonameid>"), read again from the context when its name is such a homonym.
- `doc_links`: a one-word person name ("Xi", "Bongo") that is a part of exactly one full name in the
  same document, and an organisation named by the tail of exactly one longer name in it ("Democrats"
  in "Social Democrats"), are that actor: the document says which bearer it means.

Never evidence of identity: the outlet, and generic actors ("police", "officials").
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable

from wirescope.analyse import names as N
import wirescope.resolve.persons as P

PLACE_RANKS = ("country", "admin1", "region")


@dataclass
class Readings:
    ids: dict[str, str] = field(default_factory=dict)  # identifier -> the name that gave it
    maybe: set[str] = field(default_factory=set)  # identifiers an ambiguous name may denote
    generic: bool = False  # a name shared by institutions of many countries, not read here
    entry_type: str | None = None  # the type of the one well-known entry denoted


# ---- places -----------------------------------------------------------------------------------------
def _geo():
    from wirescope.analyse import geo

    return geo.gazetteer()


@lru_cache(maxsize=16384)
def place_homonyms(name: str) -> tuple:
    """The places of country or region rank a name denotes in more than one country, else ()."""
    try:
        places = [p for p in _geo().lookup(name) if p.feature in PLACE_RANKS]
    except Exception:  # noqa: BLE001 - no gazetteer data: no homonyms known
        return ()
    return tuple(places) if len({p.country for p in places}) > 1 else ()


@lru_cache(maxsize=16384)
def place_countries(name: str) -> set[str]:
    """The country of a place name the places stage did not read, when its places share one."""
    try:
        countries = {p.country for p in _geo().lookup(name)}
    except Exception:  # noqa: BLE001
        return set()
    return countries if len(countries) == 1 else set()


@lru_cache(maxsize=16384)
def country_named(name: str) -> str | None:
    """The ISO code of the country a name is (not a nationality word), else None (also for a name
    that several countries share: "Congo")."""
    entries = [e for e in N.variant_entries(name) if e.id.startswith("iso:")]
    if len({e.country for e in entries}) > 1:
        return None
    if entries:
        return entries[0].country
    try:
        from wirescope.analyse.geo import place_key

        return _geo().country_keys.get(place_key(name))
    except Exception:  # noqa: BLE001
        return None


def _place_id(place) -> str:
    return f"iso:{place.country}" if place.feature == "country" else f"geo:{place.geonameid or place.name}"


@lru_cache(maxsize=16384)
def country_homonyms(name: str) -> tuple[str, ...]:
    """The countries a short name denotes when the data gives it to more than one ("Congo": the
    Republic of the Congo and the Democratic Republic of the Congo; "Korea"), else ()."""
    codes = sorted({e.country for e in N.variant_entries(name) if e.id.startswith("iso:") and e.country})
    return tuple(codes) if len(codes) > 1 else ()


def place_ids(name: str, geo: dict | None, context: set[str]) -> dict[str, str]:
    """The identifier of a place: its reading in this context for a homonym, else the country
    its name is, else the places stage's reading. A country name several countries share is the
    one of them the rest of the document names, else none (`readings` keeps them as possible)."""
    shared = country_homonyms(name)
    if shared:
        fits = [c for c in shared if c in context]
        return {f"iso:{fits[0]}": name} if len(fits) == 1 else {}
    homonyms = place_homonyms(name)
    if homonyms:
        fits = [p for p in homonyms if p.country in context]
        if len({p.country for p in fits}) == 1:
            best = max(fits, key=lambda p: PLACE_RANKS.index(p.feature) * -1)
            return {_place_id(best): name}
    if geo and str(geo.get("how") or "").startswith("inside "):
        geo = None  # a place the gazetteer lacks, read as inside another: it is not that place
    code = country_named(name)
    if code:  # a country's own name is the country, whatever the places stage read ("Mexico" as a town
        return {f"iso:{code}": name}  # elsewhere, "Lebanon" as the country of several towns of that name)
    if geo and geo.get("country"):
        if geo.get("feature") == "country":
            return {f"iso:{geo['country']}": name}
        if geo.get("geonameid"):
            return {f"geo:{geo['geonameid']}": name}
    only = _only_place(name)  # a place the places stage did not read: its old or other name ("Bombay")
    return {f"geo:{only}": name} if only else {}


@lru_cache(maxsize=16384)
def _only_place(name: str) -> int | None:
    try:
        ids = {p.geonameid for p in _geo().lookup(name)}
    except Exception:  # noqa: BLE001
        return None
    return next(iter(ids)) if len(ids) == 1 and None not in ids else None


# ---- countries of a document ----------------------------------------------------------------------
def contribution(name: str, kind: str, country: str | None, geo: dict | None) -> set[str]:
    """The countries one document actor stands for (see the module docstring)."""
    if not name:
        return set()
    if kind == "location":
        homonyms = place_homonyms(name)
        if homonyms:
            return {p.country for p in homonyms}
        code = (geo or {}).get("country") or country or country_named(name)
        return {code} if code else set(place_countries(name))
    if kind == "person":
        return {country} if country else set()
    if kind == "group":
        if country and any(N.demonym_country(w) for w in N.clean_name(name).split()):
            return {country}
        return set()
    entries = [e for e in N.variant_entries(name) if e.country]
    if len(entries) == 1 and not _shared(name, entries):
        return {entries[0].country}  # type: ignore[arg-type]
    return set()


def document_countries(entities: Iterable) -> dict[str, set[str]]:
    """local id -> the countries that actor stands for."""
    return {e.id: contribution(e.name, e.type, e.country, getattr(e, "geo", None)) for e in entities}


def context_of(per_actor: dict[str, set[str]], local_id: str) -> set[str]:
    out: set[str] = set()
    for other, countries in per_actor.items():
        if other != local_id:
            out |= countries
    return out


# ---- readings of names ---------------------------------------------------------------------------
def national(name: str) -> tuple[str, str] | None:
    """(country, the rest's key) of a generic name with a country or nationality word in it."""
    words = N.clean_name(name).split()
    for i, w in enumerate(words):
        if N.is_generic_word(w):
            continue
        entry = N.demonym_country(w)
        code = entry.country if entry is not None and entry.country else country_named(w)
        rest = N.name_key(" ".join(words[:i] + words[i + 1:]))
        if code and rest:
            return code, rest.replace(" ", "_")
    return None


def _shared(name: str, entries: list) -> bool:
    """A form several institutions share: listed for several entries, or marked primary (the data
    says other countries' institutions go by it too: "Democrats", "Senate")."""
    key = N.name_key(name)
    return len(entries) > 1 or any(key in e.primary for e in entries)


def read_name(name: str, kind: str, context: set[str]) -> tuple[dict[str, str], set[str], bool, str | None]:
    """(identifiers, possible identifiers, generic?, entry type) of one name in a country context."""
    initialism = N.looks_like_acronym(name.replace("-", ""))
    entries = [e for e in N.variant_entries(name)
               if (e.type == "person") == (kind == "person") or (e.type == "person" and initialism and kind != "location")]
    if kind in ("organization", "group", "other", "location", "person") and not entries:
        # a country's own name is the country, whatever type the tagger gave it ("Bermuda said")
        code = country_named(name)
        if code:
            return {f"iso:{code}": name}, set(), False, "location"
    maybe = set(N.namesake_ids(name))
    if not maybe and kind == "person":  # "Prime Minister Papandreou": the family name the title qualifies
        bare = N.strip_titles(name)[0]
        maybe = set(N.namesake_ids(bare)) if bare and bare != name else set()
    if maybe:
        return {}, maybe, False, None
    if not entries:
        if kind == "person" or not N.generic_name(name):
            return {}, set(), False, None
        own = national(name)
        if own:  # "the U.S. government", "Kenyan police": that country's
            return {f"cty:{own[0]}:{own[1]}": name}, set(), False, None
        return {}, set(), True, None
    if not _shared(name, entries):
        return {entries[0].id: name}, set(), False, entries[0].type
    key = N.name_key(name)
    fits = [e for e in entries if e.country is None or e.country in context]
    if len(fits) > 1:
        fits = [e for e in fits if key in e.primary] or ([] if context else fits)
    if not fits and not context:
        fits = [e for e in entries if key in e.primary]
    if len(fits) == 1:
        return {fits[0].id: name}, set(), False, fits[0].type
    return {}, {e.id for e in entries}, True, None


def readings(names: Iterable[str], kind: str, context: set[str], geo: dict | None = None) -> Readings:
    """What an actor's names denote in its document's country context."""
    out = Readings()
    listed = [n for n in names if n]
    if kind == "location":
        for n in listed[:1]:
            out.ids.update(place_ids(n, geo, context))
            if not out.ids and country_homonyms(n):
                out.maybe = {f"iso:{c}" for c in country_homonyms(n)}
                return out
            entry = N.demonym_country(n) if not out.ids else None
            if entry is not None and entry.country:  # "British" as a place is the United Kingdom
                out.ids[f"iso:{entry.country}"] = n
        if out.ids:
            return out
    generic = []
    for n in listed:
        ids, maybe, gen, etype = read_name(n, kind, context)
        for i in ids:
            out.ids.setdefault(i, n)
        out.maybe |= maybe
        generic.append(gen)
        if etype and out.entry_type is None:
            out.entry_type = etype
    out.generic = not out.ids and bool(generic) and generic[0]
    if out.ids:
        out.maybe = set()
    return out


# ---- links inside one document -------------------------------------------------------------------
def _full_names(entity) -> list[str]:
    return [n for n in [entity.name, *entity.aliases] if P.parse(n).full]


def mention_names(entity) -> list[str]:
    """Fuller names of a person that only its mentions give ("Sadiq Khan" of an actor named "Khan")."""
    if entity.type != "person" or not P.is_bare(entity.name):
        return []
    out = []
    for m in entity.mentions:
        text = N.strip_titles(m.text)[0]
        if text and text[:1].isupper() and P.parse(text).full and P.bearers(entity.name, [text]) and text not in out:
            out.append(text)
    return out


def _proper(name: str) -> bool:
    """Every significant word capitalised ("Social Democrats", not "a 52 percent majority stake in X")."""
    words = [w for w in N.clean_name(name).split() if w.casefold() not in N.ACRONYM_SKIP]
    return bool(words) and all(w[:1].isupper() or w[:1].isdigit() for w in words)


def doc_links(entities: list, specific: set[str]) -> dict[str, str]:
    """local id -> the local id of the actor it is (see the module docstring). `specific`: local ids
    whose names denote a well-known actor of their own (never linked)."""
    persons = [e for e in entities if e.type == "person" and not e.anonymous]
    orgs = [e for e in entities if e.type in ("organization", "group", "other") and not e.anonymous]
    links: dict[str, str] = {}
    for e in persons:
        if e.id in specific or not P.is_bare(e.name) or _full_names(e) or mention_names(e):
            continue
        bearers = [o for o in persons if o is not e and P.bearers(e.name, _full_names(o))]
        if len(bearers) == 1:
            links[e.id] = bearers[0].id
    for e in orgs:
        if e.id in specific:
            continue
        key = N.name_key(e.name).split()
        if not key:
            continue
        longer = []
        for o in orgs:
            if o is e:
                continue
            ok = N.name_key(o.name).split()
            if len(ok) > len(key) and ok[-len(key):] == key and _proper(o.name):
                longer.append(o)
        if len(longer) == 1 and longer[0].id not in links:
            links[e.id] = longer[0].id
    return links
