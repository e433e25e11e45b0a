"""Word families of the statements stage beyond the verb lexicon (data/cue_families.yaml), read once:
naming verbs, speech nouns, directive, phrasal, gerund and assigning cues, source phrases, citing
verbs, nouns of making and listing, passive cues with their speaker after "by"."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


from wirescope.lexicon import load
from wirescope.analyse.attribution_lexicon import CueInfo, cue_info as _info, lower_set as _set

DATA = Path(__file__).resolve().parent / "data" / "cue_families.yaml"


@dataclass(frozen=True)
class PrepCue:
    """A cue whose content hangs on a preposition ("called for", "attributed X to Y")."""
    preps: frozenset[str]
    info: CueInfo
    needs_as: bool = False  # only with an "as" tail ("referred to the vote as a hoax")


@dataclass(frozen=True)
class Families:
    naming_verbs: frozenset[str]
    speech_nouns: dict[str, CueInfo]
    directive_verbs: frozenset[str]
    phrasal_cues: dict[str, PrepCue]
    gerund_cues: frozenset[str]
    assigning_cues: dict[str, PrepCue]
    source_phrases: tuple[tuple[str, ...], ...]
    per_words: frozenset[str]
    citing_verbs: frozenset[str]
    made_nouns: frozenset[str]
    making_verbs: frozenset[str]
    list_nouns: dict[str, CueInfo]
    list_verbs: frozenset[str]
    passive_np_cues: frozenset[str]
    human_nouns: frozenset[str]
    not_sources: frozenset[str]
    platforms: frozenset[str]
    listener_verbs: frozenset[str]
    particle_cues: dict[str, frozenset[str]]
    authoring_verbs: frozenset[str]
    channel_verbs: frozenset[str]
    raising_verbs: frozenset[str]
    as_idioms: frozenset[str]
    not_content: dict[str, frozenset[str]]
    misparse_cues: frozenset[str] = frozenset()


def _preps(raw: dict | None) -> dict[str, PrepCue]:
    return {k.casefold(): PrepCue(_set((v or {}).get("prep")), _info(v), bool((v or {}).get("needs_as")))
            for k, v in (raw or {}).items()}


@lru_cache(maxsize=1)
def families() -> Families:
    raw = load(DATA.name)
    return Families(
        naming_verbs=_set(raw.get("naming_verbs")),
        speech_nouns={k.casefold(): _info(v) for k, v in (raw.get("speech_nouns") or {}).items()},
        directive_verbs=_set(raw.get("directive_verbs")),
        phrasal_cues=_preps(raw.get("phrasal_cues")),
        gerund_cues=_set(raw.get("gerund_cues")),
        assigning_cues=_preps(raw.get("assigning_cues")),
        source_phrases=tuple(tuple(w.casefold() for w in seq) for seq in raw.get("source_phrases") or ()),
        per_words=_set(raw.get("per_words")),
        citing_verbs=_set(raw.get("citing_verbs")),
        made_nouns=_set(raw.get("made_nouns")),
        making_verbs=_set(raw.get("making_verbs")),
        list_nouns={k.casefold(): _info(v) for k, v in (raw.get("list_nouns") or {}).items()},
        list_verbs=_set(raw.get("list_verbs")),
        passive_np_cues=_set(raw.get("passive_np_cues")),
        human_nouns=_set(raw.get("human_nouns")),
        not_sources=_set(raw.get("not_sources")),
        platforms=_set(raw.get("platforms")),
        listener_verbs=_set(raw.get("listener_verbs")),
        particle_cues={k.casefold(): _set(v) for k, v in (raw.get("particle_cues") or {}).items()},
        authoring_verbs=_set(raw.get("authoring_verbs")),
        channel_verbs=_set(raw.get("channel_verbs")),
        raising_verbs=_set(raw.get("raising_verbs")),
        as_idioms=_set(raw.get("as_idioms")),
        not_content={k.casefold(): _set(v) for k, v in (raw.get("not_content") or {}).items()},
        misparse_cues=_set(raw.get("misparse_cues")),
    )
