"""Statements stage, channels (`via`): the outlet a statement reached the article through ("told
CNN", "in an interview with the BBC", "speaking to Reuters", "a report in CNN").
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from wirescope.analyse.attr_base import CLAUSE_DEPS, AttributionBase, Candidate
from wirescope.model import Entity

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Token


class ChannelFinder(AttributionBase):
    """Outlets: whether an entity is one, and the one a statement came through."""

    def looks_like_outlet(self, ent: Entity) -> bool:
        names = [ent.name, *ent.aliases]
        for name in names:
            low = name.casefold().strip()
            if low in self.lex.outlets or low.removeprefix("the ") in self.lex.outlets:
                return True
            words = re.findall(r"[\w']+", low)
            if ent.type == "organization" and any(w in self.lex.media_words for w in words):
                return True
        return False

    def via_of(self, cand: Candidate) -> Entity | None:
        tok = cand.cue_token
        if tok is None or cand.kind == "according_to":
            return None
        lex = self.lex
        lemma = tok.lemma_.lower()
        # "told CNN", "said on CNN", "wrote in the Times"
        slots = lex.via_verbs.get(lemma, frozenset())
        for c in tok.children:
            if c.dep_ in slots and c.dep_ in ("dobj", "dative"):
                ent = self.ctx.entity_of_phrase(c)
                if ent is not None and self.looks_like_outlet(ent):
                    return ent
            if c.dep_ == "prep" and c.lower_ in slots:
                ent = self.pobj_entity(c)
                if ent is not None and self.looks_like_outlet(ent):
                    return ent
        # "in an interview with the BBC", "speaking to Reuters", in the cue's own clause
        for c in tok.children:
            found = self.via_in(c, depth=0)
            if found is not None:
                return found
        return None

    def via_in(self, tok: "Token", depth: int) -> Entity | None:
        lex = self.lex
        if depth > 3 or tok.dep_ in CLAUSE_DEPS:
            return None
        if tok.dep_ == "prep":
            pobj = next((g for g in tok.children if g.dep_ == "pobj"), None)
            if pobj is not None and pobj.lower_ in lex.via_prepositions:
                for g in pobj.children:
                    if g.dep_ == "prep" and g.lower_ in lex.via_prepositions[pobj.lower_]:
                        ent = self.pobj_entity(g)
                        if ent is not None and ent.type in ("organization", "group", "other"):
                            return ent
        if tok.dep_ in ("advcl", "xcomp") and tok.lemma_.lower() in lex.via_verbs:
            for g in tok.children:
                if g.dep_ == "prep" and g.lower_ in lex.via_verbs[tok.lemma_.lower()]:
                    ent = self.pobj_entity(g)
                    if ent is not None and self.looks_like_outlet(ent):
                        return ent
        for c in tok.children:
            found = self.via_in(c, depth + 1)
            if found is not None:
                return found
        return None

    def pobj_entity(self, prep: "Token") -> Entity | None:
        pobj = next((g for g in prep.children if g.dep_ == "pobj"), None)
        return self.ctx.entity_of_phrase(pobj) if pobj is not None else None
