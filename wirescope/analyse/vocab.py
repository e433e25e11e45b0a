"""The lemma indexes the relations and events stages match against, built from the vocabularies.

The relation and PLOVER vocabularies themselves (`relation_types()`, `plover_types()`, the raw data
files, the PLOVER category map) live in wirescope.vocab, below every layer, so that queries and
exporters can read them without the analysis package; they are re-exported here.
`relation_lexicon()` and `event_lexicon()` give the lemma indexes built from them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from wirescope.lexicon import load
from wirescope.model import PLOVER_TYPES, RELATION_TYPES
from wirescope.vocab import (  # noqa: F401  (re-exported)
    plover_category_map, plover_data, plover_types, relation_data, relation_types, to_contract_type,
)


def _key(words: str) -> tuple[str, ...]:
    return tuple(w for w in str(words).lower().replace("-", " - ").split() if w)


@dataclass
class RelationLexicon:
    verbs: dict[str, str] = field(default_factory=dict)             # lemma -> type
    prep_verbs: dict[tuple[str, str], str] = field(default_factory=dict)  # (lemma, prep) -> type
    bare_verbs: dict[str, str] = field(default_factory=dict)        # intransitive ("cooperate")
    themes: dict[tuple[str, ...], str] = field(default_factory=dict)
    nouns: dict[tuple[str, ...], str] = field(default_factory=dict)
    adjectives: dict[str, str] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)              # role noun -> member_of/leader_of
    rival_roles: set[str] = field(default_factory=set)
    located_roles: set[str] = field(default_factory=set)
    kin_modifiers: set[str] = field(default_factory=set)
    give_verbs: set[str] = field(default_factory=set)
    receive_verbs: set[str] = field(default_factory=set)
    exchange_nouns: set[str] = field(default_factory=set)
    exchange_adverbials: list[tuple[str, ...]] = field(default_factory=list)
    symmetric: set[str] = field(default_factory=set)
    subject_types: dict[str, set[str]] = field(default_factory=dict)
    object_types: dict[str, set[str]] = field(default_factory=dict)
    partner_fallback: set[str] = field(default_factory=set)
    from_events: set[str] = field(default_factory=set)
    ending_verbs: set[tuple[str, ...]] = field(default_factory=set)        # (lemma[, particle])
    negative_prep_verbs: dict[tuple[str, str], str] = field(default_factory=dict)  # (lemma, prep) -> type
    withholding_verbs: set[tuple[str, ...]] = field(default_factory=set)   # (lemma[, particle])


@lru_cache(maxsize=None)
def relation_lexicon() -> RelationLexicon:
    data = relation_data()
    lex = RelationLexicon()
    transfer = data.get("transfer_verbs", {})
    lex.give_verbs = set(transfer.get("give", []))
    lex.receive_verbs = set(transfer.get("receive", []))
    lex.exchange_nouns = set(data.get("exchange_nouns", []))
    lex.exchange_adverbials = [_key(p) for p in data.get("exchange_adverbials", [])]
    lex.ending_verbs = {tuple(str(v).lower().split()) for v in data.get("ending_verbs", [])}
    lex.withholding_verbs = {tuple(str(v).lower().split()) for v in data.get("withholding_verbs", [])}
    for rtype, items in (data.get("negative_prep_verbs") or {}).items():
        for pv in items:
            words = str(pv).lower().split()
            lex.negative_prep_verbs.setdefault((words[0], words[-1]), rtype)
    for rtype, info in data.get("types", {}).items():
        if rtype not in RELATION_TYPES:
            raise ValueError(f"relations.yaml: unknown relation type {rtype!r}; valid: {', '.join(RELATION_TYPES)}")
        if info.get("symmetric"):
            lex.symmetric.add(rtype)
        lex.subject_types[rtype] = set(info.get("subject_types", []))
        lex.object_types[rtype] = set(info.get("object_types", []))
        if info.get("partner_fallback"):
            lex.partner_fallback.add(rtype)
        if info.get("from_events"):
            lex.from_events.update(info["from_events"])
        trig = info.get("triggers") or {}
        for v in trig.get("verbs", []):
            lex.verbs.setdefault(v, rtype)
        for pv in trig.get("prep_verbs", []):
            words = pv.split()
            if len(words) == 1:
                lex.bare_verbs.setdefault(words[0], rtype)
            else:
                # "join force with": the verb, then the last word as the preposition
                lex.prep_verbs.setdefault((words[0], words[-1]), rtype)
        for n in trig.get("themes", []):
            lex.themes.setdefault(_key(n), rtype)
        for n in trig.get("nouns", []) + trig.get("phrases", []):
            lex.nouns.setdefault(_key(n), rtype)
        for a in trig.get("adjectives", []):
            lex.adjectives.setdefault(a, rtype)
        for r in trig.get("roles", []):
            lex.roles.setdefault(r, rtype)
        lex.rival_roles.update(trig.get("roles_rival", []))
        lex.located_roles.update(trig.get("roles_in", []))
        if rtype == "kin_of":
            lex.kin_modifiers.update(trig.get("modifiers", []))
    return lex


@dataclass
class EventLexicon:
    verbs: dict[tuple[str, ...], tuple[str, str | None]] = field(default_factory=dict)  # (lemma[, particle]) -> (type, mode)
    nouns: dict[tuple[str, ...], tuple[str, str | None]] = field(default_factory=dict)
    adjectives: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    mode_cues: dict[str, dict[str, str]] = field(default_factory=dict)  # type -> cue lemma -> mode
    of_source: set[str] = field(default_factory=set)
    needs_target: set[str] = field(default_factory=set)
    to_targets: set[str] = field(default_factory=set)
    needs_clause: set[str] = field(default_factory=set)
    patients: dict[str, set[str]] = field(default_factory=dict)
    light_verbs: set[str] = field(default_factory=set)
    patient_frames: set[str] = field(default_factory=set)
    not_event_heads: set[str] = field(default_factory=set)
    hedge_words: set[str] = field(default_factory=set)
    future_words: set[str] = field(default_factory=set)
    future_heads: set[str] = field(default_factory=set)
    negation_words: set[str] = field(default_factory=set)
    negating_heads: set[str] = field(default_factory=set)


@lru_cache(maxsize=None)
def event_lexicon() -> EventLexicon:
    data = plover_data()
    lex = EventLexicon()
    for etype, info in data.get("types", {}).items():
        if etype not in PLOVER_TYPES:
            raise ValueError(f"plover.yaml: unknown PLOVER type {etype!r}; valid: {', '.join(PLOVER_TYPES)}")
        for lemma, mode in (info.get("verbs") or {}).items():
            lex.verbs.setdefault(_key(lemma), (etype, mode))
        for lemma, mode in (info.get("nouns") or {}).items():
            lex.nouns.setdefault(_key(lemma), (etype, mode))
        for lemma, mode in (info.get("adjectives") or {}).items():
            lex.adjectives.setdefault(lemma, (etype, mode))
    for etype, modes in (data.get("mode_cues") or {}).items():
        lex.mode_cues[etype] = {w: mode for mode, words in modes.items() for w in words}
    lex.of_source = set(data.get("of_source", []))
    lex.needs_target = set(data.get("needs_target", []))
    lex.to_targets = set(data.get("to_targets", []))
    lex.needs_clause = set(data.get("needs_clause", []))
    lex.patients = {k: set(v) for k, v in (data.get("patients") or {}).items()}
    lex.light_verbs = set(data.get("light_verbs", []))
    lex.patient_frames = set(data.get("patient_frames", []))
    lex.not_event_heads = set(data.get("not_event_heads", []))
    stance = load("stance.yaml")["predicates"]  # the stance words live with the statements' ones
    lex.hedge_words = set(stance.get("hedge_words", []))
    lex.future_words = set(stance.get("future_words", []))
    lex.future_heads = set(stance.get("future_heads", []))
    lex.negation_words = set(stance.get("negation_words", []))
    lex.negating_heads = set(stance.get("negating_heads", []))
    return lex
