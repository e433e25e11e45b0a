"""Blocking keys and explainable pair scores for cross-document resolution.

A document's actor is compared only with knowledge-base actors that share a blocking key with it
(an indexed lookup, never a scan):

- `name`: the normalised name key (names.name_key) of its name or an alias (kb_names.key);
- `short`: a surname or nisba short form ("Ghani" for "Ashraf Ghani"; names.is_short_form);
- `acronym`: the initials of a multiword organisation ("ISKP" for "Islamic State Khorasan Province");
- `gaz`: the external identifier a name denotes in its document (resolve.context.readings: a
  gazetteer or name_variants.yaml entry, a country "iso:XX", a gazetteer place "geo:<id>").

`score_pair` then says how alike the two are and why: which names matched and how, whether the
types are compatible, and the context the two share (co-occurring actors that are not generic, the
countries of the documents). It refuses a pair outright (score 0, "blocked") for incompatible types,
different identifiers, conflicting given names (resolve.persons) or genders, and a name that
institutions of many countries share read in documents of different countries. It caps the score
below the threshold when only a family name ties two people in reports YEARS_APART or more apart
(father and son, brothers, successors in one office) and when a name denotes several well-known
people and one side is one of them; two actors known only by such a name, neither read as a
bearer, join at the threshold itself (one "unresolved" actor, first in review). The members'
plural of a movement is the movement ("member form": Baathists / Baath Party). The outlet is never
evidence.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable

from wirescope.analyse import names as N
import wirescope.resolve.persons as P

THRESHOLD = 0.8  # merge at or above
MARGIN = 0.1  # the best candidate must beat the next by this much

# name evidence, strongest first
NAME_SCORES = {
    "gazetteer": 1.0,  # both names denote one gazetteer entry
    "same key": 1.0,  # same name once case, diacritics, articles and transliteration are folded
    "same key (hyphenation)": 0.95,  # Ahmadinejad / Ahmadi-Nejad
    "compatible full name": 0.9,  # Dmitry Medvedev / Dmitri A. Medvedev, Bill / William J. Clinton
    "party form": 0.9,  # Democrats / Democratic Party, Social Democrats / Social Democratic Party
    "singular/plural": 0.9,  # Houthi / Houthis, Tory / Tories
    "company form": 0.9,  # Ford Motor Co / Ford Motor
    "acronym": 0.85,
    "member form": 0.9,  # Baathists / Baath Party, Sandinistas / Sandinista National Liberation Front
    "place short form": 0.75,  # Guantanamo Bay / Guantanamo (never a country: Mexico City / Mexico)
    "same key (single word)": 0.7,  # one word of a person: a unique bearer or shared context decides
    "similar spelling": 0.7,  # transliteration variants the key does not fold (Zabihullah / Zabiullah)
    "short form": 0.6,
}
UNIQUE_BEARER = 0.8  # a one-word name of a person whom the knowledge base leaves as its only bearer
GENERIC_NAME = 0.6  # a name institutions of many countries share, without a country to tell them apart
AMBIGUOUS_NAME = 0.5  # a name that denotes more than one well-known person ("George Bush")
# two actors known only by one such name, neither read as any of its bearers: one "unresolved" actor
# of that name, joined at the merge threshold (the lowest confidence, first in review), so that every
# bare "Clinton" does not make an actor of its own
UNRESOLVED_NAME = THRESHOLD
SIMILAR_RATIO = 85  # rapidfuzz ratio of two name keys for "similar spelling"
TYPE_SCORES = {"same": 1.0, "compatible": 0.9, "other": 0.85}
WEAK_NAME = 0.85  # evidence through a weak alias (coreference, short form) counts for less
DESCRIPTIVE_NAME = 0.7  # a person named by a role ("US official") needs shared context
# how an alias was learnt -> its use: names that identify ("known as", "acronym", ...) are strong;
# coreference and short forms are weak; descriptions ("the official") are not names at all
WEAK_HOWS = frozenset({"coreference", "short form", "mention", "alias"})
NOT_NAMES = frozenset({"description", "descriptor", "role", "title"})
CONTEXT_PER_ACTOR = 0.1
CONTEXT_MAX = 0.3
COUNTRY_PENALTY = 0.3  # the two actors' own countries differ
COUNTRIES_APART = 0.3  # their documents name countries, and none in common
SHARED_COUNTRY = 0.1  # their documents name a country in common
# a person named by one word (a family name, with or without a title) in reports this many years
# apart from every report of the other: father and son, brothers, successors in one office
# ("Prime Minister Papandreou" in 1985 and in 2011); the name alone does not tell them apart
YEARS_APART = 12
YEARS_APART_SCORE = 0.5
_ADHERENT_SUFFIXES = ("istas", "istes", "ists", "ites")  # plural member nouns: Baathists, Sandinistas, Sadrists

_ORGISH = frozenset({"organization", "group"})


def type_fit(a: str, b: str) -> str | None:
    """How two entity types fit: same, compatible (organization/group), other (untyped), or None."""
    if a == b:
        return "same"
    if a in _ORGISH and b in _ORGISH:
        return "compatible"
    if "other" in (a, b) and "person" not in (a, b):
        return "other"
    return None


def compatible_types(kind: str) -> list[str]:
    if kind == "person":
        return ["person"]
    if kind in _ORGISH:
        return ["organization", "group", "other"]
    if kind == "other":
        return ["organization", "group", "location", "other"]
    return [kind, "other"]


MAX_KEY = 200  # keys are indexed: a pathological name must not exceed an index row


@lru_cache(maxsize=65536)
def key(name: str) -> str:
    return N.name_key(name[:1000])[:MAX_KEY].strip()


@lru_cache(maxsize=65536)
def gazetteer_id(name: str) -> str | None:
    """The one well-known actor a name denotes whatever the context (a country as "iso:XX"), or None."""
    entries = N.variant_entries(name)
    if len(entries) == 1 and N.name_key(name) not in entries[0].primary:
        return entries[0].id
    return None


def gaz_of(name: str, kind: str) -> str | None:
    """The identifier a name denotes out of context; for a place, a nationality word denotes its
    country ("British" as a location is the United Kingdom)."""
    g = gazetteer_id(name)
    if g is None and kind == "location":
        entry = N.demonym_country(name)
        g = f"iso:{entry.country}" if entry is not None and entry.country else None
    return g


def short_keys(name: str, kind: str) -> list[str]:
    return list(_short_keys(name, kind))


@lru_cache(maxsize=65536)
def _short_keys(name: str, kind: str) -> tuple[str, ...]:
    """Keys of the short forms a person's full name can be cited by (surname, nisba; the family
    name written first: "Xi" of "Xi Jinping"); a place's name without its feature word."""
    if kind == "location":
        short = place_short(name)
        return [key(short)] if short else []
    if kind != "person":
        return variant_keys(name, kind)
    parsed = P.parse(name)
    words = N.clean_name(N.strip_titles(name)[0]).split()
    out = [key(words[0])] if parsed.first_family and words and key(words[0]) else []
    if parsed.family and len(P.loose(parsed.family)) >= 3:
        out.append("~" + P.loose(parsed.family))  # a looser spelling of the family name (Gaddafi / Qadhafi)
    if len(parsed.units) in (2, 3):
        out.append("#" + " ".join(sorted(parsed.units)))  # the name in either order (Orbán Viktor)
    for i in range(1, len(words)):
        short = " ".join(words[i:])
        if N.is_short_form(short, name):
            k = key(short)
            if k and k not in out:
                out.append(k)
    return out


@lru_cache(maxsize=65536)
def variant_keys(name: str, kind: str) -> list[str]:
    """Keys an organisation's name shares with its variants: without company words ("Apple Computer"
    -> "apple"), singular ("Houthis" -> "houthi"), party form ("Democratic Party" -> "democrat")."""
    if kind not in ("organization", "group", "other"):
        return []
    out = []
    words = N.clean_name(name).split()
    for v in (N.strip_legal_suffix(name), " ".join([*words[:-1], N.singular_word(words[-1])]) if words else ""):
        k = key(v) if v else ""
        if k and k != key(name) and k not in out:
            out.append(k)
    party = N.party_key(name)
    if party and party != key(name) and party not in out:
        out.append(party)
    stem = member_stem(name)
    if stem and stem not in out:
        out.append(stem)
    return out


def _adherent_stem(word: str) -> str | None:
    """The stem of a plural member noun ("Baathists" -> "baath", "Sandinistas" -> "sandin"), else None."""
    low = N.light_key(word)
    if " " in low:
        return None
    for suffix in _ADHERENT_SUFFIXES:
        if low.endswith(suffix) and len(low) - len(suffix) >= 3:
            return key(low[:-len(suffix)]) or None
    return None


def _founder_stem(word: str) -> str:
    """The stem of the first word of an organisation's name, as its members' plural has it
    ("Sandinista" -> "sandin", "Sadrist" -> "sadr", "Baath" -> "baath")."""
    low = N.light_key(word)
    for suffix in ("ista", "iste", "ist", "ite"):
        if low.endswith(suffix) and len(low) - len(suffix) >= 3:
            return key(low[:-len(suffix)])
    return key(low)


@lru_cache(maxsize=65536)
def member_stem(name: str) -> str | None:
    """The key ("@stem") an organisation shares with the plural noun of its members: a one-word
    plural member noun ("Baathists", "Sandinistas", "Sadrists") and a multiword name whose first word
    is that stem ("Baath Party", "Sandinista National Liberation Front", "Sadrist Movement").
    Words that institutions of many countries share ("Socialists", "Communists") make none."""
    words = N.clean_name(name).split()
    if not words or N.is_generic_word(words[0]) or not words[0][:1].isupper():
        return None
    if len(words) == 1:
        stem = _adherent_stem(words[0])
        return MEMBERS + stem if stem else None
    if len(key(words[0])) < 4 or key(words[0]) in N.ACRONYM_SKIP:
        return None
    return FOUNDED + _founder_stem(words[0])


MEMBERS, FOUNDED = "@a:", "@m:"  # the two sides of a member-form key: each looks the other up


def lookup_key(k: str) -> str:
    """The blocking key to look up for a key an actor is stored under: a member-form key finds the
    other side (the members' plural finds the organisation, and the reverse), never its own side
    (every "Sandinista ..." organisation would block with every other)."""
    if k.startswith(MEMBERS):
        return FOUNDED + k[len(MEMBERS):]
    if k.startswith(FOUNDED):
        return MEMBERS + k[len(FOUNDED):]
    return k


def looks_like_acronym(name: str) -> bool:
    """An acronym, hyphens allowed ("PML-N", "ISIS-K")."""
    return N.looks_like_acronym(name) or (("-" in name) and N.looks_like_acronym(name.replace("-", "")))


def acronym_matches(acronym: str, name: str) -> bool:
    return N.acronym_matches(acronym.replace("-", ""), name)


def place_short(name: str) -> str | None:
    """A place's name without a trailing feature word ("Guantanamo Bay" -> "Guantanamo"), or None."""
    words = N.clean_name(name).split()
    if len(words) < 2 or N.light_key(words[-1]) not in N.name_parts().place_features:
        return None
    return " ".join(words[:-1])


def acronym_key(name: str, kind: str) -> str | None:
    """The acronym key of a multiword organisation name (casefolded initials), or None."""
    if kind == "person" or looks_like_acronym(name):
        return None
    words = [w for w in N.clean_name(name).split() if w.casefold() not in N.ACRONYM_SKIP]
    if len(words) < 2:
        return None
    acr = N.acronym_of(name)
    return acr.casefold() if len(acr) >= 2 else None


@lru_cache(maxsize=65536)  # pure; asked for every stored name of every candidate
def name_class(name: str) -> str:
    """proper: every significant word capitalised ("al-"/"bin" aside), an identifying name;
    descriptive: a capitalised description used as a name ("UN monitoring team");
    common: not a name at all ("members", "Taliban negotiators", "Pentagon officials")."""
    words = N.clean_name(name).split()
    significant, lower = [], 0
    for word in words:
        low = word.casefold()
        if low in N.ACRONYM_SKIP or low in N.PARTICLES:
            continue
        parts = [p for p in word.replace("\u2010", "-").split("-") if p]
        parts = [p for p in parts if p.casefold() not in N.ARTICLE_TOKENS and p.casefold() not in N.PARTICLES]
        if not parts:
            continue
        significant.append(word)
        if not any(c.isupper() or c.isdigit() for c in word):
            lower += 1
    if not significant or lower == len(significant):
        return "common"
    if lower == 0:
        return "proper"
    last = significant[-1]
    if last.islower() and last.endswith("s") and not last.endswith("ss"):
        return "common"  # a plural description names no one in particular
    return "descriptive"


def is_proper(name: str) -> bool:
    return name_class(name) == "proper"


@dataclass
class Profile:
    """What the resolver knows of one side of a pair."""
    names: list[str]
    type: str
    keys: dict[str, str] = field(default_factory=dict)  # key -> the name it came from
    gaz: dict[str, str] = field(default_factory=dict)  # identifier -> name
    country: str | None = None
    weak: set[str] = field(default_factory=set)  # names known only through a weak alias
    descriptive: set[str] = field(default_factory=set)  # descriptions used as names
    context: set[str] = field(default_factory=set)  # co-occurring kb actors (not generic ones)
    countries: set[str] = field(default_factory=set)  # countries of its documents (its own among them)
    maybe: set[str] = field(default_factory=set)  # identifiers an ambiguous name of it may denote
    generic: bool = False  # named only by a name institutions of many countries share
    years: set[int] = field(default_factory=set)  # publication years of its documents (a few)
    gender: str | None = None
    oldest: int = 0  # the first name row of a kb actor: its age, for choosing between equals

    @property
    def full_names(self) -> list[str]:
        return [n for n in self.names if P.parse(n).full] if self.type == "person" else []

    @property
    def bare(self) -> bool:
        """A person known by one word only (family or given name, titles aside)."""
        return self.type == "person" and bool(self.names) and not self.full_names


def profile(names: Iterable[str], kind: str, country: str | None = None, weak: Iterable[str] = (),
            ids: dict[str, str] | None = None, maybe: Iterable[str] = (), generic: bool | None = None) -> Profile:
    """A profile from names; `ids` (what the names denote where they were read) replaces the
    identifiers the names have out of context."""
    listed = [n for n in dict.fromkeys(names) if n and n.strip()]
    if kind == "person":  # "Sayyed Nasrallah" is also "Nasrallah"
        for n in list(listed):
            bare = N.strip_titles(n)[0]
            if bare and bare != n and bare not in listed and name_class(bare) != "common":
                listed.append(bare)
    p = Profile(listed, kind, country=country)
    p.weak = set(weak) & set(p.names)
    if kind == "person":  # "US official": a role, not a name; an organisation's "UN monitoring team" is a name
        p.descriptive = {n for n in p.names if name_class(n) == "descriptive" and not gazetteer_id(n)}
    for n in p.names:
        k = key(n)
        if k:
            p.keys.setdefault(k, n)
    if ids is not None:
        p.gaz = dict(ids)
    else:
        for n in p.names:
            g = gaz_of(n, kind)
            if g:
                p.gaz.setdefault(g, n)
    p.maybe = set(maybe)
    if ids is None:
        for n in p.names:
            p.maybe.update(N.namesake_ids(n))
    p.generic = (not p.gaz and bool(p.names) and kind != "person" and N.generic_name(p.names[0])) \
        if generic is None else generic
    return p


def _single_word(k: str) -> bool:
    return len([t for t in k.split() if not N.is_particle(t)]) <= 1


def _factor(p: Profile, name: str) -> float:
    return min(WEAK_NAME if name in p.weak else 1.0, DESCRIPTIVE_NAME if name in p.descriptive else 1.0)


def _similar(a: str, b: str, kind: str) -> bool:
    from rapidfuzz import fuzz

    ka, kb = key(a).split(), key(b).split()
    if len(ka) < 2 or len(ka) != len(kb) or ka == kb:
        return False
    if kind == "person":  # the family name must agree (or be a looser spelling of it)
        pa, pb = P.parse(a), P.parse(b)
        if ka[-1] != kb[-1] and not (pa.full and pb.full and P.unit_match(pa.family, pb.family)):
            return False
    return fuzz.ratio(" ".join(ka), " ".join(kb)) >= (SIMILAR_RATIO if kind == "person" else SIMILAR_RATIO + 7)


def _pair_how(name: str, other: str, kind: str, persons: bool) -> str | None:
    """How two names of one side and the other match when their keys differ."""
    if looks_like_acronym(name) and acronym_matches(name, other):
        return "acronym"
    if looks_like_acronym(other) and acronym_matches(other, name):
        return "acronym"
    if key(P.dehyphen(name)) == key(P.dehyphen(other)):
        return "same key (hyphenation)"
    if persons:
        pa, pb = P.parse(name), P.parse(other)
        if pa.full and pb.full:
            how = P.compatible(pa, pb)
            if how in ("same", "variant"):
                return "compatible full name"
            if how == "loose":
                return "similar spelling"
        if N.is_short_form(name, other) or N.is_short_form(other, name) \
                or P.family_short_form(name, other) or P.family_short_form(other, name):
            return "short form"
        if _similar(name, other, "person"):
            return "similar spelling"
        return None
    if kind in ("organization", "group", "other"):
        pa, pb = N.party_key(name), N.party_key(other)
        if pa and pa == pb:
            return "party form"
        words_a, words_b = N.clean_name(name).split(), N.clean_name(other).split()
        if words_a and words_b and key(" ".join([*words_a[:-1], N.singular_word(words_a[-1])])) == \
                key(" ".join([*words_b[:-1], N.singular_word(words_b[-1])])):
            return "singular/plural"
        sa, sb = N.strip_legal_suffix(name), N.strip_legal_suffix(other)
        if (sa != N.clean_name(name) or sb != N.clean_name(other)) and key(sa) == key(sb) and key(sa):
            return "company form"
        ma, mb = member_stem(name), member_stem(other)
        if ma and mb and ma != mb and ma[3:] == mb[3:]:  # the members' plural and the organisation
            return "member form"
    if kind == "location":
        from wirescope.resolve.context import country_named

        sa, sb = place_short(name), place_short(other)
        if ((sa and key(sa) == key(other)) or (sb and key(sb) == key(name))) \
                and not country_named(sa or sb or ""):  # Mexico City is not Mexico
            return "place short form"
    if _similar(name, other, "organization"):
        return "similar spelling"
    return None


def name_evidence(a: Profile, b: Profile) -> list[dict]:
    """Every way a name of `a` matches a name of `b`, best first: [{"how", "left", "right", "score"}]."""
    found: list[dict] = []
    for g, name in a.gaz.items():
        if g in b.gaz:
            found.append({"how": "gazetteer", "left": name, "right": b.gaz[g], "id": g})
    for k, name in a.keys.items():
        if k in b.keys:
            how = "same key (single word)" if a.type == "person" and _single_word(k) else "same key"
            found.append({"how": how, "left": name, "right": b.keys[k]})
    if not found or all(f["how"] == "same key (single word)" for f in found):
        persons = a.type == "person" == b.type
        kind = a.type if a.type == b.type else ("organization" if type_fit(a.type, b.type) == "compatible" else "other")
        for name in a.names:
            for other in b.names:
                if key(name) == key(other):
                    continue
                how = _pair_how(name, other, kind, persons)
                if how:
                    found.append({"how": how, "left": name, "right": other})
    for f in found:
        factor = min(_factor(a, f["left"]), _factor(b, f["right"]))
        f["score"] = round(NAME_SCORES[f["how"]] * factor, 3)
        if f["left"] in a.weak:
            f["weak"] = True
        if factor == DESCRIPTIVE_NAME:
            f["descriptive"] = True
    found.sort(key=lambda f: -f["score"])
    return found


BARE_HOWS = frozenset({"short form", "same key (single word)"})


def conflicts(a: Profile, b: Profile) -> dict | None:
    """Why the two cannot be one actor whatever the names say, or None."""
    fit = type_fit(a.type, b.type)
    shared_ids = set(a.gaz) & set(b.gaz)
    if fit is None and not shared_ids:
        return {"blocked": "incompatible types"}
    if a.gaz and b.gaz and not shared_ids:
        return {"blocked": "different gazetteer entries", "gazetteer": [sorted(a.gaz), sorted(b.gaz)]}
    if a.type == "person" == b.type and not shared_ids:
        if a.gender and b.gender and a.gender != b.gender:
            return {"blocked": "different genders", "genders": [a.gender, b.gender]}
        clash = P.conflict(a.full_names, b.full_names)
        if clash:
            return {"blocked": "conflicting given names", "names": list(clash)}
    if (a.generic or b.generic) and not shared_ids and a.countries and b.countries \
            and not (a.countries & b.countries):
        return {"blocked": "a name shared by institutions of different countries",
                "countries": [sorted(a.countries)[:5], sorted(b.countries)[:5]]}
    return None


def score_pair(a: Profile, b: Profile, unique: bool = False) -> tuple[float, dict]:
    """A score in 0..1 and its explanation (JSON-serialisable). `unique`: `b` is the only
    knowledge-base bearer of `a`'s one-word name (or `a` of `b`'s), which then identifies it."""
    fit = type_fit(a.type, b.type)
    shared_ids = set(a.gaz) & set(b.gaz)
    why: dict = {"types": [a.type, b.type], "type_fit": fit or ("gazetteer" if shared_ids else None)}
    refused = conflicts(a, b)
    if refused:
        why.update(refused)
        return 0.0, why
    evidence = name_evidence(a, b)
    why["names"] = evidence[:4]
    if not evidence:
        return 0.0, why
    base = evidence[0]["score"]
    if unique and evidence[0]["how"] in BARE_HOWS and (a.bare or b.bare):
        base = max(base + UNIQUE_BEARER - NAME_SCORES["short form"], UNIQUE_BEARER)  # the same word still beats a short form
        why["unique_bearer"] = True
    score = base * (TYPE_SCORES[fit] if fit else 1.0)
    if not shared_ids:
        if (a.generic or b.generic) and not (a.countries & b.countries):
            score = min(score, GENERIC_NAME)
            why["generic_name"] = True
    shared = sorted(a.context & b.context)
    if shared:
        bonus = min(CONTEXT_MAX, CONTEXT_PER_ACTOR * len(shared))
        score += bonus
        why["shared_actors"] = shared[:10]
    if not shared_ids:
        if a.country and b.country and a.country != b.country:
            score -= COUNTRY_PENALTY
            why["countries"] = [a.country, b.country]
        elif a.countries & b.countries:
            score += SHARED_COUNTRY
            why["shared_countries"] = sorted(a.countries & b.countries)[:5]
        elif a.countries and b.countries and a.type == "person" == b.type:
            score -= COUNTRIES_APART  # namesakes: one name, documents of different countries
            why["countries_apart"] = [sorted(a.countries)[:5], sorted(b.countries)[:5]]
    same_doubt = not a.gaz and not b.gaz and bool(a.maybe) and a.maybe == b.maybe
    if not shared_ids and (a.bare or b.bare or same_doubt) and a.type == "person" == b.type and a.years and b.years \
            and min(abs(x - y) for x in a.years for y in b.years) >= YEARS_APART:
        score = min(score, YEARS_APART_SCORE)  # only the family name ties reports a generation apart
        why["years_apart"] = [min(a.years), max(a.years), min(b.years), max(b.years)]
    ambiguous = set() if shared_ids else (a.maybe & set(b.gaz)) | (b.maybe & set(a.gaz)) | (
        set() if same_doubt else a.maybe & b.maybe)
    if ambiguous:  # only an analyst tells which of the people so named it is
        score = min(score, AMBIGUOUS_NAME)
        why["ambiguous_name"] = sorted(ambiguous)[:4]
    elif same_doubt and not why.get("years_apart"):
        score = min(score, UNRESOLVED_NAME)
        why["unresolved_name"] = sorted(a.maybe)[:4]
    score = round(max(0.0, min(1.0, score)), 3)
    why["score"] = score
    return score, why
