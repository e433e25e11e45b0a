"""Actors stage: named entities, their types, and every way one article names the same actor.

Steps, in order (each linear in the document, or windowed), each in its own module:

1. named candidates (actor_mentions): spaCy's PERSON/ORG/GPE/LOC/FAC/NORP spans, cleaned (no
   leading "the", no possessive, no title, split at brackets), plus gazetteer phrases spaCy missed;
   "<person or nationality> administration/government" becomes one government organization, "<place>
   court" an unnamed institution; a nationality used as a modifier ("Afghan officials") is no entity
   of its own;
2. within-document coreference of the candidates (actor_coref): same comparison key
   (names.name_key: spelling and transliteration variants), same gazetteer entry, an alias cue
   between two names ("also known as", "a.k.a.", brackets, ...), acronyms and their expansions,
   short forms ("Ghani" for "Ashraf Ghani"); then known names spaCy did not tag, and nationality +
   security noun actors ("Turkish police", actor_national);
3. "the former" / "the latter" (actor_pronouns);
4. descriptions (actor_descriptions): unnamed human sources ("a senior Afghan intelligence official")
   become anonymous person entities with a descriptor; later definite descriptions ("the official")
   join the most recent compatible one; plural ones ("Afghan officials") stay apart; an apposition
   ties a description to a named person; generic armed-group nouns ("the al-Qaeda terrorists")
   become group entities whose descriptor["of"] names the actor they belong to;
5. pronouns (actor_pronouns): he/she -> a recent singular person, they/them -> a recent
   plural-compatible organization or group, scored by sentence distance, subjecthood and speech;
   left unresolved when nothing fits.

Beneath the steps: actor_lexicon (the vocabulary), actor_index (per-document token indexes) and
actor_state (the working state and `record_mention`). This module only runs the steps in order.

The lexicons live in data/actor_roles.yaml and data/gazetteer.yaml. `describe_source` and
`make_source_entity` (actor_descriptions, re-exported here) let the attribution stage reuse the
description logic.
"""
from __future__ import annotations

from wirescope.analyse.actor_coref import named_entities, recover_mentions
from wirescope.analyse.actor_descriptions import describe_source, descriptions, make_source_entity
from wirescope.analyse.actor_groups import generic_actors
from wirescope.analyse.actor_holders import title_holders
from wirescope.analyse.actor_lexicon import (
    DEFINITE, MODIFIER_DEPS, PRONOUN_WINDOW, QUOTES, SUBJECT_DEPS, TYPE_OF_LABEL, Lexicon, lexicon,
    subtype_of_org,
)
from wirescope.analyse.actor_mentions import DASHES, NON_NAME_ENTS, TEX_QUOTES, Cand
from wirescope.analyse.actor_national import national_actors
from wirescope.analyse.actor_pronouns import former_latter, pronouns
from wirescope.analyse.actor_state import ActorState
from wirescope.analyse.context import Context
from wirescope.analyse.pipeline import StageInfo

__all__ = [
    # the stage
    "STAGE", "run",
    # for the attribution stage
    "describe_source", "make_source_entity",
    # the public names this module had before its steps moved out
    "Cand", "DASHES", "DEFINITE", "Lexicon", "MODIFIER_DEPS", "NON_NAME_ENTS", "PRONOUN_WINDOW", "QUOTES",
    "SUBJECT_DEPS", "TEX_QUOTES", "TYPE_OF_LABEL", "lexicon", "subtype_of_org",
]


def run(ctx: Context) -> None:
    ctx.products.setdefault("descriptions", {})  # declared product, present even when empty
    if len(ctx.doc) == 0:
        return
    state = ActorState()
    named_entities(ctx, state)
    recover_mentions(ctx, state)
    national_actors(ctx, state)
    former_latter(ctx, state)
    descriptions(ctx, state)
    title_holders(ctx, state)
    generic_actors(ctx, state)
    pronouns(ctx, state)


STAGE = StageInfo("actors", requires=("doc", "doc.ents"), assigns=("entities", "descriptions"), run=run, version="2")
