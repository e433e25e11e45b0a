"""National actors of the actors stage: a nationality adjective on a security or state noun
("Turkish police", "Israeli jets") names one organization per country and subtype."""
from __future__ import annotations

from functools import lru_cache

from wirescope.analyse import names as nm
from wirescope.analyse.actor_index import candidate_tokens
from wirescope.analyse.actor_lexicon import lexicon
from wirescope.analyse.actor_state import ActorState, record_mention
from wirescope.analyse.context import Context
from wirescope.model import Entity


# ---- nationality + security noun: "Turkish police", "Israeli jets" ------------------------------
def _national_noun(tok) -> tuple[str, int] | None:
    """(subtype, first token of the noun words) when tok heads a security or state noun."""
    table = lexicon().national_nouns
    lemma = tok.lemma_.lower()
    doc = tok.doc
    if tok.i > 0:
        prev = doc[tok.i - 1]
        for key in ((prev.lower_, lemma), (prev.lower_, tok.lower_)):
            if key in table:
                return table[key], tok.i - 1
    for key in ((lemma,), (tok.lower_,)):
        if key in table:
            return table[key], tok.i
    return None


@lru_cache(maxsize=1)
def _national_last_words() -> frozenset[str]:
    """The words a security or state noun of the table can end with (its lemma or its form)."""
    return frozenset(key[-1] for key in lexicon().national_nouns)


def national_actors(ctx: Context, state: ActorState) -> None:
    """A nationality adjective on a security or state noun names an actor of that country: one
    organization per country and subtype ("Turkish police" ... "the Turkish police officers")."""
    doc = ctx.doc
    made: dict[tuple[str, str], Entity] = {}
    last_words = _national_last_words()
    for i in candidate_tokens(doc, ("NOUN", "PROPN"), last_words, last_words):
        tok = doc[i]
        if tok.pos_ not in ("NOUN", "PROPN") or tok.i in ctx.token_entity:
            continue
        if tok.dep_ == "compound" and tok.head.i > tok.i and tok.head.pos_ in ("NOUN", "PROPN"):
            continue  # "police chief": the head noun decides
        found = _national_noun(tok)
        if found is None:
            continue
        subtype, first = found
        # the nationality: a modifier left of the noun words, with only modifiers between
        dem_tok, country = None, None
        for c in sorted(tok.lefts, key=lambda t: t.i):
            if c.dep_ in ("amod", "compound", "nmod", "npadvmod") and c.i < first and c.text[:1].isupper():
                if c.ent_type_ in ("GPE", "LOC") or nm.gazetteer_lookup(c.text) is not None:
                    break  # a place name as modifier ("US troops"): the place stands for the actor
                entry = nm.demonym_country(c.text)
                if entry is not None and entry.country:
                    dem_tok, country = c, entry.country
                    break
        if dem_tok is None:
            continue
        owner = ctx.entity_of_token(dem_tok)
        if owner is not None and owner.type in ("organization", "person"):
            continue
        if any(t.i in ctx.token_entity and ctx.entity_of_token(t) is not owner for t in doc[dem_tok.i:tok.i + 1]):
            continue
        key = (country, subtype)
        entity = made.get(key)
        text = doc[dem_tok.i:tok.i + 1].text
        if entity is None:
            entity = ctx.new_entity(text, "organization", subtype=subtype, label="NORP", country=country)
            made[key] = entity
        elif text.casefold() != entity.name.casefold() and text.casefold() not in {a.casefold() for a in entity.aliases}:
            entity.add_alias(text, "coreference")
        record_mention(ctx, state, entity, dem_tok.i, tok.i + 1, "name")
