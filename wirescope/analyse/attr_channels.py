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


# media named by what they are, not by a name: "told state media", "said on local television"
MEDIA_NOUNS = frozenset({"media", "television", "tv", "radio", "press", "broadcaster", "newspaper", "newspapers",
                         "outlets", "outlet", "agency", "daily", "channel", "network"})


class ChannelFinder(AttributionBase):
    """Outlets: whether an entity is one, and the one a statement came through."""

    def is_platform(self, ent: Entity) -> bool:
        return any(n.casefold().strip() in self.fam.platforms for n in [ent.name, *ent.aliases])

    def looks_like_outlet(self, ent: Entity) -> bool:
        if self.is_platform(ent):
            return True
        names = [ent.name, *ent.aliases]
        for name in names:
            low = name.casefold().strip()
            if low in self.lex.outlets or low.removeprefix("the ") in self.lex.outlets:
                return True
            words = re.findall(r"[\w']+", low)
            if ent.type == "organization" and any(w in self.lex.media_words for w in words) \
                    or ent.type == "group" and any(w in MEDIA_NOUNS for w in words):  # "state media", not "reporters"
                return True
        return False

    def via_of(self, cand: Candidate) -> Entity | None:
        if cand.via_head is not None:
            ent = self.ctx.entity_of_phrase(cand.via_head)
            if ent is not None:
                return ent
        tok = cand.cue_token
        if tok is None or cand.kind == "according_to":
            return None
        lex = self.lex
        lemma = tok.lemma_.lower()
        # "told CNN", "said on CNN", "wrote in the Times"
        slots = lex.via_verbs.get(lemma, frozenset())
        for c in tok.children:
            if c.dep_ in slots and c.dep_ in ("dobj", "dative"):
                ent = self.channel_entity(c)
                if ent is not None and self.looks_like_outlet(ent):
                    return ent
            if c.dep_ == "prep" and c.lower_ in slots:
                ent = self.pobj_entity(c)
                if ent is not None and self.looks_like_outlet(ent):
                    return ent
        # "on Twitter referred to the vote as ...", "told the public via Twitter": any cue, a platform
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("on", "via", "through") and c.lower_ not in slots:
                ent = self.pobj_entity(c)
                if ent is not None and self.looks_like_outlet(ent):
                    return ent
        # "The document, seen by Reuters, shows ...": the outlet that obtained the document
        head = cand.speaker_head
        for c in head.children if head is not None else ():
            if c.dep_ == "acl" and c.tag_ == "VBN" and c.lemma_.lower() in self.fam.channel_verbs:
                agent = next((g for g in c.children if g.dep_ == "agent"), None)
                if agent is not None:
                    ent = self.pobj_entity(agent)
                    if ent is not None and self.looks_like_outlet(ent):
                        return ent
        # "wrote student protester Joshua Wong on Twitter": a misparse can hang it on the speaker
        if head is not None and head.i > tok.i and "on" in slots:
            for c in head.children:
                if c.dep_ == "prep" and c.lower_ in ("on", "via") and c.i > head.i:
                    ent = self.pobj_entity(c)
                    if ent is not None and self.looks_like_outlet(ent):
                        return ent
        # "in an interview with the BBC", "speaking to Reuters", in the cue's own clause
        for c in tok.children:
            found = self.via_in(c, depth=0)
            if found is not None:
                return found
        # "Speaking to NBC News, she said, ...": a fronted participle the parse hung elsewhere
        sent = tok.sent
        for t in self.doc[sent.start:tok.i]:
            if t.tag_ == "VBG" and t.lemma_.lower() in lex.via_verbs and self.quotes.at(t.idx) is None \
                    and (t.i == sent.start or self.doc[t.i - 1].text == ","):
                found = self.via_in(t, depth=0, deps=(t.dep_,))
                if found is not None:
                    return found
        # "Steve Peers of the University of Essex, speaking to BBC, said": on the speaker's phrase
        for c in head.children if head is not None else ():
            if c.dep_ in ("acl", "advcl", "relcl") and c.lemma_.lower() in lex.via_verbs and self.quotes.at(c.idx) is None:
                found = self.via_in(c, depth=0, deps=("acl", "advcl", "relcl", "xcomp"))
                if found is not None:
                    return found
        return None

    def via_in(self, tok: "Token", depth: int, deps: tuple[str, ...] = ("advcl", "xcomp")) -> Entity | None:
        lex = self.lex
        if depth > 3 or tok.dep_ in CLAUSE_DEPS:
            return None
        if tok.dep_ == "prep":
            pobj = next((g for g in tok.children if g.dep_ == "pobj"), None)
            owner = next((g for g in pobj.children if g.dep_ == "poss"), None) if pobj is not None else None
            if owner is not None and tok.lower_ in ("on", "in"):  # "on BBC One's Breakfast with Frost"
                ent = self.channel_entity(owner)
                if ent is not None and self.looks_like_outlet(ent):
                    return ent
            if tok.lower_ in ("in", "during", "via", "through") and pobj is not None:
                for g in tok.children:  # "in an e-mail to The New York Times" (however "e-mail" splits)
                    if g.dep_ == "prep" and g.lower_ in ("to", "with") and g.i > pobj.i:
                        ent = self.pobj_entity(g)
                        if ent is not None and self.looks_like_outlet(ent):
                            return ent
            if pobj is not None and pobj.lower_ in lex.via_prepositions:
                for g in pobj.children:
                    if g.dep_ == "prep" and g.lower_ in lex.via_prepositions[pobj.lower_]:
                        ent = self.pobj_entity(g)
                        if ent is not None and ent.type in ("organization", "group", "other"):
                            return ent
        if tok.dep_ in deps and tok.lemma_.lower() in lex.via_verbs:
            for g in tok.children:
                if g.dep_ == "prep" and g.lower_ in lex.via_verbs[tok.lemma_.lower()]:
                    ent = self.pobj_entity(g)
                    if ent is not None and self.looks_like_outlet(ent):
                        return ent
                    pobj = next((x for x in g.children if x.dep_ == "pobj"), None)
                    owner = next((x for x in pobj.children if x.dep_ == "poss"), None) if pobj is not None else None
                    ent = self.channel_entity(owner) if owner is not None else None
                    if ent is not None and self.looks_like_outlet(ent):  # "speaking on BBC One's Breakfast"
                        return ent
                    for of in (pobj.children if pobj is not None else ()):  # "speaking to Martin Smith of PBS"
                        if of.dep_ == "prep" and of.lower_ in ("of", "from", "at"):
                            ent = self.pobj_entity(of)
                            if ent is not None and self.looks_like_outlet(ent):
                                return ent
        for c in tok.children:
            found = self.via_in(c, depth + 1)
            if found is not None:
                return found
        return None

    def pobj_entity(self, prep: "Token") -> Entity | None:
        pobj = next((g for g in prep.children if g.dep_ == "pobj"), None)
        return self.channel_entity(pobj) if pobj is not None else None

    def channel_entity(self, head: "Token") -> Entity | None:
        """The entity of a channel phrase; a known outlet or platform the actors stage left without
        one ("on Twitter" in a sentence where the tagger missed it) gets one here."""
        ent = self.ctx.entity_of_phrase(head)
        if ent is not None or head.pos_ not in ("PROPN", "NOUN"):
            return ent
        toks = [t for t in head.subtree if t.dep_ in ("compound", "flat") or t.i == head.i]
        start, end = min(t.idx for t in toks), max(t.idx + len(t.text) for t in toks)
        name = self.text[start:end]
        low = name.casefold()
        unnamed = head.pos_ == "NOUN" and (head.lower_ in MEDIA_NOUNS or head.lemma_.lower() in MEDIA_NOUNS) \
            and len(toks) > 1  # "state media"
        if low not in self.fam.platforms and low not in self.lex.outlets and not unnamed:
            return None
        ent = next((e for e in self.ctx.entities if e.name.casefold() == low), None)
        if ent is None:
            ent = self.ctx.new_entity(name, "organization", subtype="media", anonymous=unnamed)
        self.ctx.add_mention(ent, start, end)
        return ent
