"""Blocking keys and explainable pair scores for cross-document resolution.

A document's actor is compared only with knowledge-base actors that share a blocking key with it
(an indexed lookup, never a scan):

- `name`: the normalised name key (names.name_key) of its name or an alias (kb_names.key);
- `short`: a surname or nisba short form ("Ghani" for "Ashraf Ghani"; names.is_short_form);
- `acronym`: the initials of a multiword organisation ("ISKP" for "Islamic State Khorasan Province");
- `gaz`: the gazetteer entry a name denotes (names.gazetteer_lookup), an external identifier.

`score_pair` then says how alike the two are and why: which names matched and how, whether the
types are compatible, and the context the two share (co-occurring actors, outlet).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable

from wirescope.analyse import names as N

THRESHOLD = 0.8  # merge at or above
MARGIN = 0.1  # the best candidate must beat the next by this much

# name evidence, strongest first
NAME_SCORES = {
    "gazetteer": 1.0,  # both names denote one gazetteer entry
    "same key": 1.0,  # same name once case, diacritics, articles and transliteration are folded
    "same key (single word)": 0.8,
    "acronym": 0.85,
    "similar spelling": 0.7,  # transliteration variants the key does not fold (Zabihullah / Zabiullah)
    "short form": 0.6,
}
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
OUTLET_BONUS = 0.05
COUNTRY_PENALTY = 0.3

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
    entry = N.gazetteer_lookup(name)
    return entry.id if entry is not None else None


def gaz_of(name: str, kind: str) -> str | None:
    """The gazetteer entry a name denotes; for a place, a nationality word denotes its country
    ("British" as a location is the United Kingdom)."""
    g = gazetteer_id(name)
    if g is None and kind == "location":
        entry = N.demonym_country(name)
        g = entry.id if entry is not None else None
    return g


def short_keys(name: str, kind: str) -> list[str]:
    """Keys of the short forms a person's full name can be cited by (surname, nisba)."""
    if kind != "person":
        return []
    words = N.clean_name(name).split()
    out = []
    for i in range(1, len(words)):
        short = " ".join(words[i:])
        if N.is_short_form(short, name):
            k = key(short)
            if k and k not in out:
                out.append(k)
    return out


def acronym_key(name: str, kind: str) -> str | None:
    """The acronym key of a multiword organisation name (casefolded initials), or None."""
    if kind == "person" or N.looks_like_acronym(name):
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
    gaz: dict[str, str] = field(default_factory=dict)  # gazetteer id -> name
    country: str | None = None
    weak: set[str] = field(default_factory=set)  # names known only through a weak alias
    descriptive: set[str] = field(default_factory=set)  # descriptions used as names
    context: set[str] = field(default_factory=set)  # co-occurring kb actors
    outlets: set[str] = field(default_factory=set)


def profile(names: Iterable[str], kind: str, country: str | None = None, weak: Iterable[str] = ()) -> Profile:
    p = Profile([n for n in dict.fromkeys(names) if n and n.strip()], kind, country=country)
    p.weak = set(weak) & set(p.names)
    if kind == "person":  # "US official": a role, not a name; an organisation's "UN monitoring team" is a name
        p.descriptive = {n for n in p.names if name_class(n) == "descriptive" and not gazetteer_id(n)}
    for n in p.names:
        k = key(n)
        if k:
            p.keys.setdefault(k, n)
        g = gaz_of(n, kind)
        if g:
            p.gaz.setdefault(g, n)
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
    if kind == "person" and ka[-1] != kb[-1]:  # the family name must agree
        return False
    return fuzz.ratio(" ".join(ka), " ".join(kb)) >= (SIMILAR_RATIO if kind == "person" else SIMILAR_RATIO + 7)


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
    if not found:
        persons = a.type == "person" == b.type
        for name in a.names:
            for other in b.names:
                if N.looks_like_acronym(name) and N.acronym_matches(name, other):
                    found.append({"how": "acronym", "left": name, "right": other})
                elif N.looks_like_acronym(other) and N.acronym_matches(other, name):
                    found.append({"how": "acronym", "left": name, "right": other})
                elif persons and (N.is_short_form(name, other) or N.is_short_form(other, name)):
                    found.append({"how": "short form", "left": name, "right": other})
                elif _similar(name, other, a.type if persons else "organization"):
                    found.append({"how": "similar spelling", "left": name, "right": other})
    for f in found:
        factor = min(_factor(a, f["left"]), _factor(b, f["right"]))
        f["score"] = round(NAME_SCORES[f["how"]] * factor, 3)
        if f["left"] in a.weak:
            f["weak"] = True
        if factor == DESCRIPTIVE_NAME:
            f["descriptive"] = True
    found.sort(key=lambda f: -f["score"])
    return found


def score_pair(a: Profile, b: Profile) -> tuple[float, dict]:
    """A score in 0..1 and its explanation (JSON-serialisable)."""
    fit = type_fit(a.type, b.type)
    why: dict = {"types": [a.type, b.type], "type_fit": fit}
    if fit is None:
        why["blocked"] = "incompatible types"
        return 0.0, why
    conflicting = set(a.gaz) and set(b.gaz) and not (set(a.gaz) & set(b.gaz))
    if conflicting:
        why["blocked"] = "different gazetteer entries"
        why["gazetteer"] = [sorted(a.gaz), sorted(b.gaz)]
        return 0.0, why
    evidence = name_evidence(a, b)
    why["names"] = evidence[:4]
    if not evidence:
        return 0.0, why
    score = evidence[0]["score"] * TYPE_SCORES[fit]
    shared = sorted(a.context & b.context)
    if shared:
        bonus = min(CONTEXT_MAX, CONTEXT_PER_ACTOR * len(shared))
        score += bonus
        why["shared_actors"] = shared[:10]
    outlets = sorted(a.outlets & b.outlets)
    if outlets:
        score += OUTLET_BONUS
        why["shared_outlet"] = outlets[:3]
    if a.country and b.country and a.country != b.country:
        score -= COUNTRY_PENALTY
        why["countries"] = [a.country, b.country]
    score = round(max(0.0, min(1.0, score)), 3)
    why["score"] = score
    return score, why
