"""The cue lexicon of the statements stage, read once from data/cues.yaml."""
from __future__ import annotations

from wirescope.lexicon import load
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path


DATA = Path(__file__).resolve().parent / "data" / "cues.yaml"


@dataclass(frozen=True)
class CueInfo:
    kind: str = "speech"  # speech | belief
    modality: str | None = None  # hedged | future | None
    polarity: str | None = None  # negative | None
    np_content: bool = False
    needs_quote: bool = False
    needs_quote_or_clause: bool = False
    needs_that: bool = False  # a wh-clause ("showed why") is no content


@dataclass(frozen=True)
class Lexicon:
    verbs: dict[str, CueInfo]
    express_verbs: frozenset[str]
    express_nouns: dict[str, CueInfo]
    according: tuple[tuple[str, ...], ...]
    quoted_as: frozenset[str]
    document_nouns: frozenset[str]
    organization_nouns: frozenset[str]
    generic_subjects: frozenset[str]
    title_markers: frozenset[str]
    negation: frozenset[str]
    hedge_modals: frozenset[str]
    hedge_adverbs: frozenset[str]
    hedge_verbs: frozenset[str]
    future_modals: frozenset[str]
    future_verbs: frozenset[str]
    via_prepositions: dict[str, frozenset[str]]
    via_verbs: dict[str, frozenset[str]]
    media_words: frozenset[str]
    outlets: frozenset[str] = field(default_factory=frozenset)  # casefolded
    as_content: dict[str, CueInfo] = field(default_factory=dict)
    view_nouns: dict[str, CueInfo] = field(default_factory=dict)


def lower_set(items) -> frozenset[str]:
    return frozenset(str(i).casefold() for i in items or ())


def cue_info(props: dict | None) -> CueInfo:
    props = props or {}
    return CueInfo(
        kind=props.get("kind", "speech"), modality=props.get("modality"), polarity=props.get("polarity"),
        np_content=bool(props.get("np_content")), needs_quote=bool(props.get("needs_quote")),
        needs_quote_or_clause=bool(props.get("needs_quote_or_clause")),
        needs_that=bool(props.get("needs_that")),
    )


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    raw = load(DATA.name)
    stance = load("stance.yaml")["statements"]  # negation, hedges, future: one file with the predicates' ones
    expressing = raw.get("expressing", {})
    channels = raw.get("channels", {})
    return Lexicon(
        verbs={k.casefold(): cue_info(v) for k, v in raw["verbs"].items()},
        express_verbs=lower_set(expressing.get("verbs")),
        express_nouns={k.casefold(): cue_info(v) for k, v in (expressing.get("nouns") or {}).items()},
        according=tuple(tuple(w.casefold() for w in seq) for seq in raw.get("according", [])),
        quoted_as=lower_set(raw.get("quoted_as")),
        document_nouns=lower_set(raw.get("document_nouns")),
        organization_nouns=lower_set(raw.get("organization_nouns")),
        generic_subjects=lower_set(raw.get("generic_subjects")),
        title_markers=lower_set(raw.get("title_markers")),
        negation=lower_set(stance.get("negation", {}).get("tokens")),
        hedge_modals=lower_set(stance.get("hedges", {}).get("modals")),
        hedge_adverbs=lower_set(stance.get("hedges", {}).get("adverbs")),
        hedge_verbs=lower_set(stance.get("hedges", {}).get("verbs")),
        future_modals=lower_set(stance.get("future", {}).get("modals")),
        future_verbs=lower_set(stance.get("future", {}).get("verbs")),
        via_prepositions={k.casefold(): lower_set(v) for k, v in (channels.get("via_prepositions") or {}).items()},
        via_verbs={k.casefold(): lower_set(v) for k, v in (channels.get("via_verbs") or {}).items()},
        media_words=lower_set(channels.get("media_words")),
        outlets=lower_set(channels.get("outlets")),
        as_content={k.casefold(): cue_info(v) for k, v in (raw.get("as_content") or {}).items()},
        view_nouns={k.casefold(): cue_info(v) for k, v in (raw.get("view_nouns") or {}).items()},
    )
