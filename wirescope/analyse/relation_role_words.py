"""The word lists of the role phrases (relation_roles): role nouns and the relation each gives, heads
of state and of places, members of states, party adjectives and letters, kin nouns, institutions,
legislative chambers and the services of ranks, read once from data/relations.yaml."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from wirescope.analyse import names as nm
from wirescope.analyse.actor_lexicon import lexicon as actor_lexicon
from wirescope.analyse.vocab import _key, relation_data, relation_types


@dataclass
class RoleWords:
    table: dict[tuple[str, ...], str] = field(default_factory=dict)  # role words -> member_of/leader_of
    state_heads: set[tuple[str, ...]] = field(default_factory=set)
    place_heads: set[tuple[str, ...]] = field(default_factory=set)
    state_members: set[tuple[str, ...]] = field(default_factory=set)
    generic_heads: set[tuple[str, ...]] = field(default_factory=set)
    object_predicative: set[str] = field(default_factory=set)
    copular: set[str] = field(default_factory=set)
    openers: set[str] = field(default_factory=set)
    party_adjectives: set[str] = field(default_factory=set)
    portfolios: set[str] = field(default_factory=set)
    party_letters: dict[str, set[str]] = field(default_factory=dict)
    kin: set[str] = field(default_factory=set)
    institutions: dict[tuple[str, ...], str] = field(default_factory=dict)  # role words -> entity subtype
    chambers: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = field(default_factory=dict)  # title -> chamber words
    services: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = field(default_factory=dict)  # rank -> service words
    leader_verbs: set[str] = field(default_factory=set)
    honorifics: frozenset[str] = frozenset()


@lru_cache(maxsize=1)
def role_words() -> RoleWords:
    data = relation_data().get("role_phrases") or {}
    out = RoleWords()
    for rtype in ("leader_of", "member_of"):  # a multiword role of either list wins over its head
        info = relation_types().get(rtype) or {}
        for r in (info.get("triggers") or {}).get("roles", []):
            out.table.setdefault(_key(r), rtype)
        for v in (info.get("triggers") or {}).get("verbs", []):
            if rtype == "leader_of":
                out.leader_verbs.add(str(v))
    out.state_heads = {_key(w) for w in data.get("state_heads", [])}
    out.place_heads = {_key(w) for w in data.get("place_heads", [])}
    out.state_members = {_key(w) for w in data.get("state_members", [])}
    out.generic_heads = {_key(w) for w in data.get("generic_heads", [])}
    out.object_predicative = {str(w).lower() for w in data.get("object_predicative", [])}
    out.copular = {str(w).lower() for w in data.get("copular", [])}
    out.openers = {str(w).lower() for w in data.get("apposition_openers", [])}
    out.party_adjectives = {nm.name_key(str(w)) for w in data.get("party_adjectives", [])}
    out.portfolios = {str(w).lower() for w in data.get("portfolios", [])}
    out.party_letters = {k: {nm.name_key(str(n)) for n in v} for k, v in (data.get("party_letters") or {}).items()}
    out.kin = {str(w).lower() for w in data.get("kin_nouns", [])}
    out.institutions = {_key(w): kind for kind, words in (data.get("institutions") or {}).items() for w in words}
    out.chambers = {_key(w): tuple(tuple(nm.name_key(str(c)).split()) for c in cs)
                    for w, cs in (data.get("chambers") or {}).items()}
    out.services = {_key(w): tuple(tuple(nm.name_key(str(c)).split()) for c in cs)
                    for w, cs in (data.get("services") or {}).items()}
    out.honorifics = frozenset(t.rstrip(".") for t in actor_lexicon().titles)
    return out
