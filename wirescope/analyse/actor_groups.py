"""Unnamed groups and institutions that act, a step of the actors stage after the descriptions, so
that relations and events find them as actors:

- plural people nouns of a family ("protesters", "two suspects", "the attackers", "Hong Kong
  protesters"): one generic group per family in an article (data: generic_actor_families), tied to
  the organization a modifier names when there is one ("Houthi protesters"); a singular member noun
  before a named person ("student protester Joshua Wong") is a mention of the group too;
- institution nouns ("police said", "the court", "the agency", "parliament", "the authorities"):
  the organization the article names with that head when it names exactly one ("the Indonesian
  National Police" ... "police"), else one generic organization per noun; a capitalised bare form the
  parser took for a name of its own ("Court", "Parliament") joins the same way.
Linear: one pass over the candidate tokens and the entities."""
from __future__ import annotations

from functools import lru_cache

from wirescope.analyse.actor_index import candidate_tokens, sentence_no
from wirescope.analyse.actor_lexicon import lexicon
from wirescope.analyse.actor_state import ActorState, merge_into, record_mention
from wirescope.analyse.context import Context
from wirescope.model import Entity

_MOD_DEPS = ("compound", "amod", "nmod", "nummod")


@lru_cache(maxsize=1)
def _words() -> frozenset[str]:
    lex = lexicon()
    forms = set(lex.generic_family) | set(lex.institution_nouns_actor) | lex.generic_members
    forms |= {w + "s" for w in lex.generic_family} | {"authorities"}
    return frozenset(forms)


def _head_word(e: Entity) -> str:
    """The head word of an organization's name: the word before "of" ("Court of Session"), else the last."""
    words = e.name.split()
    low = [w.casefold() for w in words]
    if "of" in low[1:]:
        return low[low.index("of", 1) - 1]
    return low[-1] if low else ""


def _named_with_head(ctx: Context) -> dict[str, list[Entity]]:
    out: dict[str, list[Entity]] = {}
    for e in ctx.entities:
        if e.type == "organization" and not e.anonymous and e.subtype not in ("generic", "sources") and len(e.name.split()) > 1:
            out.setdefault(_head_word(e), []).append(e)
    return out


def _mention_start(doc, head, possessor: bool = False) -> int:
    """First token of the noun phrase's modifiers ("Hong Kong protesters", "two suspects"), with a
    named possessor when asked ("Johnson's government"; not "her government")."""
    first = head.i
    for child in head.lefts:
        if child.dep_ in _MOD_DEPS or (possessor and child.dep_ == "poss" and child.pos_ == "PROPN"):
            first = min(first, child.left_edge.i)
    while first < head.i and (doc[first].is_punct or doc[first].lower_ in ("the", "a", "an")):
        first += 1
    return first


def _owner(ctx: Context, head) -> Entity | None:
    for child in head.lefts:
        if child.dep_ in ("compound", "amod", "poss"):
            e = ctx.entity_of_token(child)
            if e is not None and e.type in ("organization", "group") and not e.anonymous and e.label != "NORP" \
                    and e.subtype not in ("generic", "sources"):
                return e
    return None


def _nearest(ctx: Context, candidates: list[Entity], at: int) -> Entity | None:
    """The candidate named last before token `at` within three sentences."""
    doc = ctx.doc
    best, best_pos = None, -1
    sent = sentence_no(doc, at)
    for e in candidates:
        for m in e.mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is not None and best_pos < span.start < at and sent - sentence_no(doc, span.start) <= 3:
                best, best_pos = e, span.start
    return best


def generic_actors(ctx: Context, state: ActorState) -> None:
    doc, lex = ctx.doc, lexicon()
    named = _named_with_head(ctx)
    made: dict[tuple[str, str | None], Entity] = {}
    # capitalised bare institution names ("Court", "Parliament", "House") join the one institution so
    # headed ("the US Supreme Court", "the House of Representatives")
    single: dict[str, Entity] = {}
    for e in list(ctx.entities):
        low = e.name.casefold()
        if e.type != "organization" or e.anonymous or len(e.name.split()) != 1 or e.subtype in ("generic", "party"):
            continue
        if low in ("government", "authorities") or any(a.casefold() != low for a in e.aliases):
            continue
        heads = [x for x in named.get(low, []) if x.id != e.id]
        if len(heads) == 1:
            merge_into(ctx, state, heads[0], e)
        elif not heads:
            single[low] = e
    for low, e in single.items():  # "Parliament" ... "parliament": the one the article names
        named.setdefault(low, [e])
    for i in candidate_tokens(doc, ("NOUN", "PROPN"), _words(), frozenset(lex.generic_family)):
        tok = doc[i]
        if i in ctx.token_entity or tok.pos_ not in ("NOUN", "PROPN"):
            continue
        low, lemma = tok.lower_, tok.lemma_.lower()
        if tok.dep_ in ("compound", "amod", "nmod") and tok.head.i > tok.i and tok.head.pos_ in ("NOUN", "PROPN") and (
                tok.head.lemma_.lower() not in lex.institution_action_nouns or lex.generic_family.get(lemma)) and not (
                low in lex.generic_members and i + 1 < len(doc) and doc[i + 1].pos_ == "PROPN"):
            continue  # "police chief", "court records": the head noun decides; not "police violence"
        family = lex.generic_family.get(lemma) or lex.generic_family.get(low)
        if family is not None:
            plural = tok.tag_ in ("NNS", "NNPS") or low.endswith("s") and low != lemma
            nxt = ctx.entity_of_token(doc[i + 1]) if i + 1 < len(doc) else None
            member = not plural and low in lex.generic_members and nxt is not None and nxt.type == "person" \
                and not nxt.anonymous
            if not plural and not member:
                continue
            owner = _owner(ctx, tok)
            key = (family, owner.id if owner else None)
            entity = made.get(key) or ctx.entity(state.generic.get(key))
            if entity is None:
                name = f"{owner.name} {family}" if owner is not None else family
                entity = ctx.new_entity(name, "group", subtype="generic",
                                        descriptor={"role": family, "of": owner.id if owner else None, "plural": True},
                                        country=owner.country if owner is not None else None)
                state.generic[key] = entity.id
            made[key] = entity
            first = tok.i if member else _mention_start(doc, tok)
        else:
            noun = low if low in lex.institution_nouns_actor else lemma
            subtype = lex.institution_nouns_actor.get(noun)
            if subtype is None or (tok.pos_ == "PROPN" and not tok.is_sent_start):
                continue
            if any(c.dep_ == "prep" and c.lower_ in ("of", "for") and any(
                    ctx.entity_of_token(p) is not None for p in c.children if p.dep_ == "pobj") for c in tok.rights):
                continue  # "the government of Bashar al-Assad": the actor it names decides
            if noun in lex.institution_heads_only and not any(c.dep_ == "det" and c.lower_ in ("the", "this", "that")
                                                              for c in tok.lefts):
                continue  # a bare "agency" is no actor; "the agency" may be the one the article names
            heads = [] if noun == "authorities" else named.get(noun, [])
            entity = heads[0] if len(heads) == 1 else None
            if entity is None and len(heads) > 1 and any(c.dep_ == "det" and c.lower_ in ("the", "this", "that")
                                                         for c in tok.lefts):
                entity = _nearest(ctx, heads, tok.i)  # "the court": the court named last
            if entity is None:
                if noun in lex.institution_heads_only:
                    continue
                place = next((e for c in tok.lefts if c.dep_ in _MOD_DEPS and (e := ctx.entity_of_token(c)) is not None
                              and (e.type == "location" or e.label == "NORP")), None)
                key = (noun, place.id if place is not None else None)  # "the UK government" is not Germany's
                entity = made.get(key) or ctx.entity(state.generic.get(key))
                if entity is None:
                    entity = ctx.new_entity(noun, "organization", subtype="generic", anonymous=noun == "authorities",
                                            descriptor={"role": noun}, country=place.country if place else None)
                    state.generic[key] = entity.id
                made[key] = entity
            first = _mention_start(doc, tok, possessor=True)
            if not (first < tok.i and doc[first].dep_ == "poss"):
                while first < tok.i and first in ctx.token_entity:
                    first += 1  # "US government": the place keeps its own mention
        text = ctx.text[doc[first].idx:tok.idx + len(tok.text)]
        if text.casefold() != entity.name.casefold():
            entity.add_alias(text, "description")
        record_mention(ctx, state, entity, first, tok.i + 1, "generic")
