"""Statements stage, speakers: the entity a statement's speaker phrase stands for: an entity the
actors stage found, a pronoun's antecedent, no one for a generic subject ("many fear that ..."),
else a source entity made from the phrase (the actors stage's make_source_entity, or this stage's
own fallback: an earlier description with the same head noun and number, else a new anonymous one).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from wirescope.analyse.actor_descriptions import make_source_entity
from wirescope.analyse.actor_lexicon import lexicon as actor_lexicon
from wirescope.analyse.attr_base import (
    DETERMINERS, FIRST_PERSON, GROUP_PRONOUNS, PERSON_PRONOUNS, RANKS, RELATIVE_PRONOUNS, THING_PRONOUNS,
    AttributionBase, Candidate,
)
from wirescope.model import Entity

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Token


PARTS_OF_DOCUMENTS = frozenset({"part", "portion", "excerpt", "section", "extract", "passage", "paragraph",
                                "page", "line"})


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
        author = self.document_author(head)
        if author is not None:  # "a statement from the ministry said", "a Pentagon report found"
            head = cand.speaker_head = author
        if self.generic(head) and head.pos_ != "PROPN":  # "Everyone told us ...", "many fear": no one in particular
            cand.no_speaker = True
            return
        named = self.appositive_person(head)
        if named is not None:  # "Oxford economist Helen Park said", "said its chancellor, Pradeep Khosla"
            cand.speaker = named
            return
        found = ctx.entity_of_phrase(head)
        if found is not None and head.pos_ == "PRON" and head.lower_ in PERSON_PRONOUNS | GROUP_PRONOUNS \
                and self.quotes.at(head.idx) is None and not self.antecedent_outside_quotes(found, head):
            found = None  # "“Mr Smith is wrong,” he added": he is the one speaking, not the name he quotes
        if found is None or found.type not in ("person", "organization", "group") or found.anonymous or (
                found.name.casefold() == head.lower_ and head.pos_ in ("PROPN", "NUM", "NOUN")):  # a bare "Minister", "One"
            found = self.named_holder(head) or found  # "the general manager of X, Dr Ali bin Tamim, ..."
        if found is not None and found.anonymous and found.type in ("organization", "group") \
                and self.quotes.at(head.idx) is None:
            found = ctx.named_antecedent(head) or found  # "the party informed the press": the party named before
        if found is not None and not self.entity_can_speak(found, head):
            cand.not_a_source = True  # "The Amazon River showed ...": a place or a thing is no source
            return
        if found is not None:
            cand.speaker = found
            if head.pos_ == "NOUN":
                self.full_name_alias(found, head)
            return
        low = head.lower_
        if head.pos_ == "PRON" or low in PERSON_PRONOUNS | GROUP_PRONOUNS | THING_PRONOUNS | FIRST_PERSON:
            cand.speaker = self.pronoun_speaker(cand, head, resolved)
            if cand.speaker is not None and low not in RELATIVE_PRONOUNS:
                start, end = head.idx, head.idx + len(head.text)
                previous = ctx.entity_of_token(head)
                if previous is not None and previous is not cand.speaker:  # the pronoun is the speaker's
                    previous.mentions = [m for m in previous.mentions if (m.start, m.end) != (start, end)]
                    ctx.token_entity[head.i] = cand.speaker.id
                ctx.add_mention(cand.speaker, start, end)
            return
        if self.generic(head):
            cand.no_speaker = True
            return
        named = ctx.named_antecedent(head) if self.quotes.at(head.idx) is None else None
        if named is not None and named.type == "organization":  # "the party informed the press"
            cand.speaker = named
            return
        cand.speaker = self.source_entity(head)
        if cand.speaker is None and head.pos_ in ("NOUN", "PROPN", "NUM") and not self.source_like(head):
            cand.not_a_source = True  # "the talks said", "a lot think": a misread subject
        if cand.speaker is not None and head.pos_ == "NOUN":
            self.full_name_alias(cand.speaker, head)

    def appositive_person(self, head: "Token") -> Entity | None:
        """The named person in apposition to a speaker phrase's head (or to its last conjunct), who is
        the one speaking rather than the organisation or the role the phrase starts with."""
        if head.pos_ not in ("NOUN", "PROPN"):
            return None
        heads = [head] + [c for c in head.children if c.dep_ == "conj"]
        for h in heads:
            for c in h.children:
                if c.dep_ == "appos" and c.i > h.i and c.i - h.i <= 6 and self.quotes.at(c.idx) is None:
                    ent = self.ctx.entity_of_token(c)
                    if ent is not None and ent.type == "person" and not ent.anonymous:
                        return ent
        return None

    def full_name_alias(self, ent: Entity, head: "Token") -> None:
        """A described source keeps the whole description as a name: "a source within the central
        Interior Ministry", "Members of the House of Commons", "the judge in that case"."""
        if not ent.anonymous or head.ent_type_:
            return
        last = head
        for c in head.rights:
            if c.dep_ == "prep" and c.lower_ in ("of", "within", "in", "from", "at", "with", "inside", "close", "near") \
                    and c.i == last.i + 1 and c.right_edge.i - head.i <= 10 and self.quotes.at(c.idx) is None:
                last = c.right_edge
            else:
                break
        first = head
        for t in reversed(list(head.lefts)):
            if t.dep_ in ("det", "poss", "predet") or t.is_punct:
                break
            first = t
        if last.i == head.i or any(t.is_punct or t.is_space for t in self.doc[head.i:last.i + 1]):
            return
        ent.add_alias(self.text[first.left_edge.idx if first.i != head.i else first.idx:last.idx + len(last.text)],
                      "description")

    def source_like(self, head: "Token") -> bool:
        """Whether a phrase head can be a speaker: a person, an organisation or group (a country or a
        city standing for its government too), a pronoun for one, a role or body noun, a document; not
        a place's feature, a date, a number or a common noun fragment ("the talks", "a lot")."""
        ent = self.ctx.entity_of_phrase(head)
        if ent is not None:
            return self.entity_can_speak(ent, head)
        low, lemma = head.lower_, head.lemma_.lower()
        if head.pos_ == "PRON":
            return low in PERSON_PRONOUNS | GROUP_PRONOUNS | THING_PRONOUNS | FIRST_PERSON | RELATIVE_PRONOUNS \
                or low in ("who", "one", "someone", "somebody", "anyone", "everyone", "nobody")
        if head.pos_ == "PROPN":
            return head.ent_type_ not in ("DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY",
                                          "LOC", "FAC", "EVENT", "LAW", "WORK_OF_ART", "LANGUAGE", "PRODUCT")
        lex, fam = self.lex, self.fam
        if any(w in fam.human_nouns or w in lex.organization_nouns or w in lex.document_nouns
               or w in lex.generic_subjects for w in (low, lemma)):
            return True
        roles = actor_lexicon()
        if any(w in roles.role_of or w in roles.generic_of for w in (low, lemma)):
            return True
        if lemma.endswith(("ist", "ian", "eer")) and len(lemma) > 5:
            return True
        # plural agent nouns: "planners", "organisers", "investors"
        return head.tag_ == "NNS" and low.endswith(("ers", "ors")) and len(low) > 6 and low not in fam.not_sources

    def entity_can_speak(self, ent: Entity, head: "Token") -> bool:
        """A person, organisation or group; a country or city standing for its government ("Kabul
        said"); a document; not a river, a region's feature, a building or an event."""
        if ent.type in ("person", "organization", "group"):
            return True
        if ent.type == "location":
            feature = (ent.geo or {}).get("feature")
            return ent.label in ("GPE", "NORP") or feature in ("country", "admin1", "city")
        lemma = head.lemma_.lower()
        return ent in self._made or lemma in self.lex.document_nouns or head.lower_ in self.lex.document_nouns

    def named_holder(self, head: "Token") -> Entity | None:
        """The named person or body a descriptor stands for: "one of the Guildford Four, Gerry
        Conlon", "a protester using the pseudonym Katya", "a spokesman named Ali", "the government's
        lawyer, Richard Keen"."""
        own = self.ctx.entity_of_token(head)
        for c in head.children:
            if c.i <= head.i or c.i - head.i > 8:
                continue
            if c.dep_ == "prep" and c.lower_ == "of" and own is not None:
                # "Minister of Information Moammar al-Eryani": the title's holder follows its office
                for t in c.subtree:
                    ent = self.ctx.entity_of_token(t) if t.pos_ == "PROPN" else None
                    if ent is not None and ent.type == "person" and ent is not own:
                        return ent
            if c.dep_ == "conj" and c.pos_ == "PROPN" and not any(d.dep_ == "det" for d in head.children):
                # "Conservative Party leader and Prime Minister Boris Johnson": titles of one holder
                ent = self.ctx.entity_of_phrase(c)
                if ent is not None and ent.type == "person":
                    return ent
            if (c.dep_ == "appos" or (c.dep_ in ("npadvmod", "nmod") and self.doc[c.left_edge.i - 1].text == ",")) \
                    and c.pos_ == "PROPN":
                ent = self.ctx.entity_of_phrase(c)
                if ent is not None and ent.type in ("person", "organization", "group"):
                    return ent
            if c.dep_ in ("acl", "relcl") and c.lemma_.lower() in self.fam.naming_verbs:
                for t in c.subtree:
                    if t.pos_ == "PROPN" and t.i - c.i <= 4:
                        ent = self.ctx.entity_of_token(t)
                        if ent is None and t.ent_type_ in ("", "PERSON") and t.is_title:
                            # "a protester using the pseudonym Rosa": the name the tagger missed
                            ent = self.ctx.new_entity(t.text, "person", label="PERSON")
                            self.ctx.add_mention(ent, t.idx, t.idx + len(t.text))
                        if ent is not None and ent.type in ("location", "other") and t.ent_type_ == "PERSON" \
                                and head.lemma_.lower() not in self.lex.document_nouns:
                            ent.type = "person"  # the name a person goes by, whatever a gazetteer says
                        if ent is not None and ent.type in ("person", "organization", "group"):
                            return ent
        return None

    def source_entity(self, head: "Token") -> Entity | None:
        """The entity of a source noun phrase: the actors stage's (entity_of_phrase, then its
        make_source_entity), else one of this stage's own."""
        found = self.ctx.entity_of_phrase(head)
        if found is not None:
            return found
        if not self.source_like(head):
            return None
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
        # else the antecedent the actors stage's anaphora resolver chose
        ent = self.ctx.entity_of_token(head)
        return ent if ent is not None and ent.type in want else None

    def generic(self, head: "Token") -> bool:
        low = head.lower_
        return low in self.lex.generic_subjects and not any(c.dep_ in ("amod", "compound", "appos") or (
            c.dep_ == "prep" and c.lower_ == "of" and low == "one") for c in head.children)

    def document_author(self, head: "Token", depth: int = 0) -> "Token | None":
        """Who a document speaker is by: "a statement from the ministry", "a report by Human Rights
        Watch", "the ministry's statement", "a Pentagon report"; None when the phrase names no one."""
        if head.pos_ == "NOUN" and head.lemma_.lower() in PARTS_OF_DOCUMENTS:  # "Part of the judge's statement reads"
            of = next((p for c in head.children if c.dep_ == "prep" and c.lower_ == "of"
                       for p in c.children if p.dep_ == "pobj"), None)
            if of is not None:
                return self.document_author(of)
        if head.pos_ != "NOUN" or not (head.lemma_.lower() in self.lex.document_nouns or head.lower_ in self.lex.document_nouns):
            return None
        for c in head.children:
            if c.dep_ == "poss" and c.i < head.i and (c.pos_ in ("PROPN", "NOUN") or (
                    c.pos_ == "PRON" and self.ctx.entity_of_token(c) is not None)):  # "its website notes"
                return c
            if c.dep_ == "compound" and c.i < head.i and c.pos_ == "PROPN" and self.ctx.entity_of_token(c) is not None:
                ent = self.ctx.entity_of_token(c)
                if ent.type in ("organization", "person", "group"):
                    return c
        for c in head.rights:
            if c.dep_ == "prep" and c.lower_ in ("by", "from", "of") and c.i - head.i <= 2:
                obj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if obj is not None and not (obj.lemma_.lower() in self.lex.document_nouns) and self.source_like(obj):
                    return obj
            if c.dep_ == "acl" and c.tag_ == "VBN" and c.lemma_.lower() in self.fam.authoring_verbs:
                # "a statement released by the court" (not "a document seen by Reuters": a channel)
                agent = next((g for g in c.children if g.dep_ == "agent"), None)
                obj = next((g for g in agent.children if g.dep_ == "pobj"), None) if agent is not None else None
                if obj is not None and self.source_like(obj):
                    return obj
        # "Ford said in a filing": a document someone speaks in is theirs
        if head.dep_ == "pobj" and head.head.lower_ in ("in", "through", "via") and head.head.head.pos_ == "VERB" \
                and head.head.head.lemma_.lower() in self.lex.verbs:
            subj = next((g for g in head.head.head.children if g.dep_ == "nsubj"), None)
            if subj is not None and self.quotes.at(subj.idx) is None and (subj.pos_ == "PRON" or self.source_like(subj)):
                return subj
        # "the filing" after "Ford said in their filing": the author of the same document named before
        if any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in head.children) and not depth:
            lemma = head.lemma_.lower()
            for t in reversed(self.doc[max(0, head.i - 400):head.i]):
                if t.lemma_.lower() == lemma and t.pos_ == "NOUN" and self.quotes.at(t.idx) is None:
                    earlier = self.document_author(t, depth=1)
                    if earlier is not None:
                        return earlier
        # "They released a statement which said ...", "the ministry issued a report that found ...":
        # the subject of the verb that put the document out
        if head.dep_ in ("dobj", "nsubjpass") and head.head.lemma_.lower() in self.fam.authoring_verbs:
            verb = head.head
            subj = next((g for g in verb.children if g.dep_ == "nsubj" and g.i < verb.i), None)
            if subj is None and head.dep_ == "nsubjpass":
                agent = next((g for g in verb.children if g.dep_ == "agent"), None)
                subj = next((g for g in agent.children if g.dep_ == "pobj"), None) if agent is not None else None
            if subj is not None and self.quotes.at(subj.idx) is None and (subj.pos_ == "PRON" or self.source_like(subj)):
                return subj
        return None

    def antecedent_outside_quotes(self, ent: Entity, pron: "Token") -> bool:
        """Whether the latest mention of ent before pron (the pronoun's own mention aside) stands
        outside quotation marks."""
        best = None
        for m in ent.mentions:
            if m.end <= pron.idx and (best is None or m.start > best.start):
                best = m
        return best is not None and self.quotes.at(best.start) is None

    def previous_subject(self, pron: "Token") -> "Token | None":
        """The subject of the main verb of the sentence before pron's (same or previous paragraph),
        passing over sentences inside quotations (a name in quoted words is not who speaks)."""
        sent = pron.sent
        for _ in range(3):
            if sent.start == 0:
                return None
            prev = self.doc[sent.start - 1].sent
            if self.paragraphs_between(prev.start_char, pron.sent.start_char) > 1:
                return None
            root = prev.root
            for c in root.children:
                if c.dep_ in ("nsubj", "nsubjpass") and c.lower_ not in RELATIVE_PRONOUNS:
                    if self.quotes.at(c.idx) is None:
                        return c
                    break
            if self.quotes.at(root.idx) is None:
                return None
            sent = prev
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
            kind = "group" if plural else "person"
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
        ent = ctx.new_entity(self.text[name_start:name_end], kind, anonymous=kind in ("person", "group"),
                             descriptor=descriptor)
        ctx.add_mention(ent, name_start, name_end)
        self._made.append(ent)
        return ent


def _source_maker():
    """The actors stage's make_source_entity(ctx, head_token) (wirescope.analyse.actor_descriptions)."""
    return make_source_entity
