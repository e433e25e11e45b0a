"""Statements stage, speakers: the entity a statement's speaker phrase stands for: an entity the
actors stage found, a pronoun's antecedent, no one for a generic subject ("many fear that ..."),
else a source entity made from the phrase (the actors stage's make_source_entity, or this stage's
own fallback: an earlier description with the same head noun and number, else a new anonymous one).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from wirescope.analyse.actor_descriptions import make_source_entity
from wirescope.analyse.attr_base import (
    DETERMINERS, FIRST_PERSON, GROUP_PRONOUNS, PERSON_PRONOUNS, RANKS, RELATIVE_PRONOUNS, THING_PRONOUNS,
    AttributionBase, Candidate,
)
from wirescope.model import Entity

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Token


class SpeakerResolver(AttributionBase):
    """Who each statement's speaker is."""

    def set_speaker(self, cand: Candidate, subj: "Token") -> None:
        cand.speaker_head = subj
        cand.speaker_span = self.np_span(subj)

    def np_span(self, head: "Token") -> tuple[int, int]:
        toks = [head]
        for c in head.children:
            if c.dep_ in ("det", "amod", "compound", "nummod", "poss", "case", "flat", "nmod", "appos",
                          "prep", "punct", "advmod", "quantmod", "cc", "conj") and abs(c.i - head.i) < 12:
                if c.dep_ == "punct" and c.i > head.i and not any(a.dep_ == "appos" and a.i > c.i for a in head.children):
                    continue
                toks.extend(t for t in c.subtree if self.quotes.at(t.idx) is self.quotes.at(head.idx))
        toks = [t for t in toks if not t.is_space]
        ids = sorted({t.i for t in toks})
        lo = hi = head.i
        while lo - 1 in ids:
            lo -= 1
        while hi + 1 in ids:
            hi += 1
        s, e = self.doc[lo].idx, self.doc[hi].idx + len(self.doc[hi].text)
        return self.trim(s, e)

    def resolve_speaker(self, cand: Candidate, resolved: list[Candidate]) -> None:
        if cand.speaker is not None or cand.speaker_head is None:
            return
        head = cand.speaker_head
        ctx = self.ctx
        found = ctx.entity_of_phrase(head)
        if found is not None:
            cand.speaker = found
            return
        low = head.lower_
        if head.pos_ == "PRON" or low in PERSON_PRONOUNS | GROUP_PRONOUNS | THING_PRONOUNS | FIRST_PERSON:
            cand.speaker = self.pronoun_speaker(cand, head, resolved)
            if cand.speaker is not None and low not in RELATIVE_PRONOUNS:
                ctx.add_mention(cand.speaker, head.idx, head.idx + len(head.text))
            return
        if low in self.lex.generic_subjects and not any(c.dep_ in ("amod", "compound") or (
                c.dep_ == "prep" and c.lower_ == "of" and low == "one") for c in head.children):
            cand.no_speaker = True
            return
        cand.speaker = self.source_entity(head)

    def source_entity(self, head: "Token") -> Entity | None:
        """The entity of a source noun phrase: the actors stage's (entity_of_phrase, then its
        make_source_entity), else one of this stage's own."""
        found = self.ctx.entity_of_phrase(head)
        if found is not None:
            return found
        maker = _source_maker()
        if maker is not None and head.pos_ in ("NOUN", "PROPN"):
            try:
                made = maker(self.ctx, head)
            except Exception as exc:  # the actors stage's helper must not sink this stage
                self.ctx.warn(f"attribution: make_source_entity failed on {head.text!r}: {type(exc).__name__}")
                made = None
            if made is not None:
                return made
        return self.fallback_source(head)

    def pronoun_speaker(self, cand: Candidate, head: "Token", resolved: list[Candidate]) -> Entity | None:
        low = head.lower_
        if low in FIRST_PERSON:
            q = self.quotes.at(head.idx)
            owner = next((c for c in resolved if q is not None and q in c.quotes), None)
            return owner.speaker if owner else None
        if low in PERSON_PRONOUNS:
            want = ("person",)
        elif low in GROUP_PRONOUNS:
            want = ("organization", "group", "person")
        else:
            want = ("organization", "group")
        # the subject of the sentence before, the usual antecedent of a subject pronoun
        previous = self.previous_subject(head)
        if previous is not None and head.sent.start > 0:
            ent = self.ctx.entity_of_phrase(previous)
            if ent is None and previous.pos_ in ("NOUN", "PROPN") and self.person_like(previous, low):
                ent = self.source_entity(previous)
            if ent is not None and ent.type in want and self.agrees(ent, low):
                return ent
        for c in reversed(resolved[-8:]):
            sp = c.speaker
            if sp is None or sp.type not in want or not self.agrees(sp, low):
                continue
            if low in GROUP_PRONOUNS and sp.type == "person" and not (sp.descriptor or {}).get("plural"):
                continue
            if head.idx - c.start > 3000:
                break
            return sp
        # the latest entity of the wanted type mentioned before the pronoun
        best, best_at = None, -1
        for ent in self.ctx.entities:
            if ent.type not in want[:1] and not (low in GROUP_PRONOUNS and ent.type in want):
                continue
            for m in ent.mentions:
                if best_at < m.start < head.idx and head.idx - m.start < 1500:
                    best, best_at = ent, m.start
        return best

    def previous_subject(self, pron: "Token") -> "Token | None":
        """The subject of the main verb of the sentence before pron's (same or previous paragraph)."""
        sent = pron.sent
        if sent.start == 0:
            return None
        prev = self.doc[sent.start - 1].sent
        if self.paragraphs_between(prev.start_char, sent.start_char) > 1:
            return None
        root = prev.root
        for c in root.children:
            if c.dep_ in ("nsubj", "nsubjpass") and c.lower_ not in RELATIVE_PRONOUNS:
                return c
        return None

    def person_like(self, tok: "Token", pronoun: str) -> bool:
        lemma = tok.lemma_.lower()
        if lemma in self.lex.document_nouns or lemma in self.lex.organization_nouns:
            return pronoun in GROUP_PRONOUNS | THING_PRONOUNS
        plural = tok.tag_ in ("NNS", "NNPS")
        return plural == (pronoun in GROUP_PRONOUNS)

    def agrees(self, ent: Entity, pronoun: str) -> bool:
        """An entity already called "she" is not "he" (and the other way round)."""
        if pronoun not in PERSON_PRONOUNS:
            return True
        female = pronoun in ("she", "her", "herself")
        other = ("he", "him", "himself") if female else ("she", "her", "herself")
        return not any(m.text.lower() in other for m in ent.mentions)

    def fallback_source(self, head: "Token") -> Entity | None:
        """An entity for a source the actors stage left without one: an earlier description with the
        same head noun and number ("the official" after "a senior official"), else a new one."""
        ctx = self.ctx
        lemma = head.lemma_.lower()
        plural = head.tag_ in ("NNS", "NNPS")
        indefinite = any(c.dep_ == "det" and c.lower_ in ("a", "an", "another") for c in head.children)
        span = self.np_span(head)
        name_start = span[0]
        for t in self.doc.char_span(*span, alignment_mode="expand") or ():
            if t.i < head.i and ((t.lower_ in DETERMINERS and t.dep_ in ("det", "poss", "nummod")) or t.is_punct):
                name_start = t.idx + len(t.text)
            else:
                break
        name_start, name_end = self.trim(name_start, head.idx + len(head.text))
        if name_end <= name_start:
            name_start, name_end = head.idx, head.idx + len(head.text)
        if not indefinite and head.pos_ != "PROPN":
            best, best_at = None, -1
            for ent in ctx.entities:
                desc = ent.descriptor or {}
                role = desc.get("role")
                last = ent.name.split()[-1].lower() if ent.name else ""
                if role != lemma and not (ent.anonymous and (last == head.lower_ or last == lemma)):
                    continue
                if bool(desc.get("plural")) != plural:
                    continue
                for m in ent.mentions:
                    if best_at < m.start < head.idx:
                        best, best_at = ent, m.start
            if best is not None:
                ctx.add_mention(best, name_start, name_end)
                return best
        if head.pos_ == "PROPN":
            kind = "person" if head.ent_type_ == "PERSON" else "organization" if head.ent_type_ in ("ORG", "NORP") else "other"
            ent = ctx.new_entity(self.text[name_start:name_end], kind, label=head.ent_type_ or None)
            ctx.add_mention(ent, name_start, name_end)
            return ent
        if lemma in self.lex.document_nouns or head.lower_ in self.lex.document_nouns:
            kind = "other"
        elif lemma in self.lex.organization_nouns or head.lower_ in self.lex.organization_nouns:
            kind = "organization"
        else:
            kind = "person"
        descriptor: dict = {"role": lemma}
        if plural:
            descriptor["plural"] = True
        for c in head.children:
            if c.i > head.i:
                continue
            if c.ent_type_ in ("NORP", "GPE") or c.pos_ == "PROPN":
                descriptor.setdefault("affiliation", c.text)
            elif c.lower_ in RANKS:
                descriptor.setdefault("rank", c.lower_)
            elif c.dep_ == "compound" and c.pos_ == "NOUN":
                descriptor.setdefault("agency", c.lower_)
        ent = ctx.new_entity(self.text[name_start:name_end], kind, anonymous=kind == "person",
                             descriptor=descriptor)
        ctx.add_mention(ent, name_start, name_end)
        self._made.append(ent)
        return ent


def _source_maker():
    """The actors stage's make_source_entity(ctx, head_token) (wirescope.analyse.actor_descriptions)."""
    return make_source_entity
