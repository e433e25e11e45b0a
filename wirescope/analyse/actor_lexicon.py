"""The actors stage's vocabulary: the lexicon read from data/actor_roles.yaml (roles, titles, generic
group nouns, alias cues, national nouns, pronouns, ...), the label and dependency sets its steps
share, and the subtype an organization's own name tells."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from wirescope.analyse import names as nm


TYPE_OF_LABEL = {"PERSON": "person", "ORG": "organization", "GPE": "location", "LOC": "location",
                 "FAC": "location", "NORP": "group"}
MODIFIER_DEPS = frozenset({"amod", "compound", "nmod", "npadvmod"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
DEFINITE = frozenset({"the", "this", "that", "these", "those"})
QUOTES = "\"\u201c\u201d\u2018\u2019'\u00ab\u00bb"
PRONOUN_WINDOW = 3  # sentences before the pronoun's own


# ---- lexicon ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Lexicon:
    role_of: dict[str, tuple[str, bool]]  # word -> (singular role, plural?)
    family: dict[str, str]
    gender: dict[str, str]
    needs_modifier: frozenset[str]
    ranks: frozenset[str]
    agencies: frozenset[str]
    affiliations: frozenset[str]
    titles: frozenset[str]  # casefolded, multiword joined by space
    title_max: int
    title_gender: dict[str, str]
    generic_of: dict[str, tuple[str, bool]]  # word -> (singular, plural?)
    generic_plural: dict[str, str]  # singular -> plural
    government_nouns: frozenset[str]
    institution_nouns: dict[str, str]
    org_generic_heads: frozenset[str]
    org_name_words: dict[str, str]
    subtype_keywords: dict[str, tuple[str, ...]]
    alias_cues: tuple[str, ...]
    alias_reversed: frozenset[str]
    alias_weak: frozenset[str]
    alias_name_nouns: tuple[str, ...]
    national_nouns: dict[tuple[str, ...], str]
    pronouns: dict[str, frozenset[str]]
    speech_verbs: frozenset[str]
    identity_cues: tuple[tuple[str, ...], ...] = ()  # word sequences, longest first
    member_roles: frozenset[str] = frozenset()
    org_anaphor_nouns: frozenset[str] = frozenset()
    phenomenon_words: frozenset[str] = frozenset()
    org_name_titles: frozenset[str] = frozenset()
    name_lead_words: frozenset[str] = frozenset()  # casefolded
    name_particles: frozenset[str] = frozenset()
    title_first: frozenset[str] = frozenset()  # casefolded first words of titles
    title_last: frozenset[str] = frozenset()  # casefolded last words of titles
    styled_titles: frozenset[str] = frozenset()  # casefolded titles a name keeps ("queen", "pope")
    style_references: dict[tuple[str, ...], frozenset[str]] = field(default_factory=dict)  # "her majesty"
    party_family: dict[str, str] = field(default_factory=dict)  # casefolded form -> the family's name
    facility_words: frozenset[str] = frozenset()
    place_after: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)  # first word -> phrases
    place_before: frozenset[str] = frozenset()
    non_actor_names: frozenset[str] = frozenset()  # casefolded
    org_head_words: frozenset[str] = frozenset()  # casefolded
    generic_family: dict[str, str] = field(default_factory=dict)  # noun lemma -> family (plural word)
    generic_members: frozenset[str] = frozenset()
    institution_nouns_actor: dict[str, str] = field(default_factory=dict)  # noun -> subtype
    institution_heads_only: frozenset[str] = frozenset()
    titles_also_names: frozenset[str] = frozenset()  # casefolded
    institution_action_nouns: frozenset[str] = frozenset()


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    raw = nm._load_yaml("actor_roles.yaml")
    role_of: dict[str, tuple[str, bool]] = {}
    family: dict[str, str] = {}
    gender: dict[str, str] = {}
    for item in raw["roles"]:
        sing, plur = item["singular"].lower(), item["plural"].lower()
        role_of.setdefault(sing, (sing, False))
        role_of.setdefault(plur, (sing, True))
        family[sing] = item.get("family", sing)
        if item.get("gender"):
            gender[sing] = item["gender"]
    generic_of: dict[str, tuple[str, bool]] = {}
    generic_plural: dict[str, str] = {}
    for item in raw["generic_groups"]:
        sing, plur = item["singular"].lower(), item["plural"].lower()
        generic_of[sing] = (sing, False)
        generic_of[plur] = (sing, True)
        generic_plural[sing] = plur
        family.setdefault(sing, sing)
    titles = frozenset(str(t).casefold() for t in raw["titles"])
    cues = sorted({str(c).casefold() for c in raw["alias_cues"]}, key=len, reverse=True)
    pron = {k: frozenset(v) for k, v in raw["pronouns"].items()}
    return Lexicon(
        role_of=role_of, family=family, gender=gender,
        needs_modifier=frozenset(w.lower() for w in raw.get("needs_modifier", [])),
        ranks=frozenset(w.lower() for w in raw["ranks"]),
        agencies=frozenset(str(w).lower() for w in raw["agencies"]),
        affiliations=frozenset(w.lower() for w in raw["affiliations"]),
        titles=titles, title_max=max(len(t.split()) for t in titles),
        title_gender={str(k).casefold(): v for k, v in raw.get("title_gender", {}).items()},
        generic_of=generic_of, generic_plural=generic_plural,
        government_nouns=frozenset(w.lower() for w in raw["government_nouns"]),
        institution_nouns={k.lower(): v for k, v in raw["institution_nouns"].items()},
        org_generic_heads=frozenset(w.lower() for w in raw.get("org_generic_heads", [])),
        org_name_words={str(k).lower(): v for k, v in raw.get("org_name_words", {}).items()},
        subtype_keywords={k: tuple(str(w).lower() for w in v) for k, v in raw["subtype_keywords"].items()},
        alias_cues=tuple(cues),
        alias_reversed=frozenset(str(c).casefold() for c in raw.get("alias_cues_reversed", [])),
        alias_weak=frozenset(str(c).casefold() for c in raw.get("alias_cues_weak", [])),
        alias_name_nouns=tuple(sorted({str(c).casefold() for c in raw.get("alias_name_nouns", [])}, key=len, reverse=True)),
        national_nouns={tuple(str(k).lower().split()): v for k, v in raw.get("national_actor_nouns", {}).items()},
        pronouns=pron,
        speech_verbs=frozenset(w.lower() for w in raw["speech_verbs"]),
        identity_cues=tuple(sorted({tuple(str(c).casefold().split()) for c in raw.get("identity_cues", [])},
                                   key=len, reverse=True)),
        member_roles=frozenset(str(w).lower() for w in raw.get("member_roles", [])),
        org_anaphor_nouns=frozenset(str(w).lower() for w in raw.get("org_anaphor_nouns", [])),
        phenomenon_words=frozenset(str(w).lower() for w in raw.get("phenomenon_words", [])),
        org_name_titles=frozenset(str(w).casefold() for w in raw.get("org_name_titles", [])),
        name_lead_words=frozenset(str(w).casefold() for w in raw.get("name_lead_words", [])),
        name_particles=frozenset(str(w).casefold() for w in raw.get("name_particles", [])),
        title_first=frozenset(t.split()[0] for t in titles),
        title_last=frozenset(t.split()[-1] for t in titles),
        styled_titles=frozenset(str(w).casefold() for w in raw.get("styled_titles", [])),
        style_references={tuple(str(k).casefold().split()): frozenset(str(t).casefold() for t in v)
                          for k, v in (raw.get("style_references") or {}).items()},
        party_family={str(f).casefold(): str(fam[0]) for fam in raw.get("party_families", []) for f in fam},
        facility_words=frozenset(str(w).casefold() for w in raw.get("facility_words", [])),
        place_after=_by_first(raw.get("place_after", [])),
        place_before=frozenset(str(w).casefold() for w in raw.get("place_before", [])),
        non_actor_names=frozenset(str(w).casefold() for w in raw.get("non_actor_names", [])),
        org_head_words=frozenset(str(w).casefold() for w in raw.get("org_head_words", [])),
        generic_family={str(w).lower(): str(fam) for fam, words in (raw.get("generic_actor_families") or {}).items()
                        for w in words},
        generic_members=frozenset(str(w).lower() for w in raw.get("generic_actor_members", [])),
        institution_nouns_actor={str(k).lower(): str(v) for k, v in (raw.get("institution_actor_nouns") or {}).items()},
        institution_heads_only=frozenset(str(w).lower() for w in raw.get("institution_heads_only", [])),
        institution_action_nouns=frozenset(str(w).lower() for w in raw.get("institution_action_nouns", [])),
        titles_also_names=frozenset(str(w).casefold() for w in raw.get("titles_also_names", [])),
    )


def _by_first(phrases: list) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Word sequences by their first word, longest first."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for p in phrases:
        words = tuple(str(p).casefold().split())
        if words:
            out.setdefault(words[0], []).append(words)
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in out.items()}


def subtype_of_org(name: str) -> str | None:
    """The subtype an organization's own name tells ("Ministry of Interior" -> government)."""
    words = nm.light_key(name).split()
    if not words:
        return None
    text = " " + " ".join(words) + " "
    best: tuple[int, str] | None = None
    for subtype, keys in lexicon().subtype_keywords.items():
        for k in keys:
            pos = text.rfind(" " + k + " ")
            if pos >= 0 and (best is None or pos > best[0]):
                best = (pos, subtype)
    return best[1] if best else None
