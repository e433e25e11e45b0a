"""Actors for the arguments of frames (wirescope.analyse.predicates).

`ArgumentResolver` wraps the shared `syntax.Resolver` (the actors stage's entities, pronouns,
generic groups) and adds what a predicate's argument may be besides a named actor:
- an unnamed actor phrase becomes a generic entity, one per phrase key in a document: plural people
  ("two suspects", "Hong Kong protesters" -- not Hong Kong), institutions ("the government",
  "police"), a nationality used as a noun ("the British");
- "both of them" / "they" with no fitting antecedent: the last pair of coordinated actors;
- a definite role noun for a person ("the accused", "the suspect") takes the nearest person actor
  of the passage, as a pronoun would;
- an argument that names no actor stands for an actor inside it: its possessor ("May's
  agreement") or the object of into/of/by/against ("the investigation into Trump").
Roles give one primary actor and the actors coordinated with it ("police and soldiers"; "two
Presidents, Bill Clinton and Andrew Johnson"), each its own participant.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from wirescope.analyse.predicates_base import ActorPhrase, Frame, actor_phrase, predicate_lexicon, quantity_head
from wirescope.analyse.syntax import Resolver, conjuncts, is_nationality, subjects

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Token

    from wirescope.analyse.context import Context
    from wirescope.model import Entity

ACTOR = {"person", "organization", "group", "location"}
INNER_PREPS = ("into", "of", "by", "against", "on", "from", "with", "in")
PAIR_WORDS = {"both", "each", "either", "neither", "all"}
FIRST_PERSON = {"i", "me", "my", "we", "us", "our"}
OWNING = {"belong", "own", "operate", "run", "control", "hold"}


class ArgumentResolver:
    def __init__(self, ctx: "Context", res: Resolver, create: bool = True) -> None:
        self.ctx = ctx
        self.res = res
        self.create = create  # may make generic entities for unnamed actor phrases
        self.cache = res.cache
        self._by_key: dict[str, "Entity"] = {}

    def named(self, entity: "Entity | None") -> "Entity | None":
        return self.res.named(entity)

    # ---- one token --------------------------------------------------------------------------
    def entities(self, tok: "Token", allow_generic: bool = True) -> list["Entity"]:
        if tok.idx < self.ctx.body_start:
            return []
        head = quantity_head(tok)
        if tok.lower_ in PAIR_WORDS and head is tok:
            head = next((p for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                         for p in c.children if p.dep_ == "pobj"), tok)
        phrase = actor_phrase(head)
        named = _named_by(head)
        if named is not None:  # "a woman named Heather Heyer", "a group called the Base"
            found = self.res.entities(named, allow_generic=False)
            if found:
                return found
        found = self.res.entities(tok, allow_generic)
        if not found and head is not tok:
            found = self.res.entities(head, allow_generic)
        if phrase is not None and phrase.kind == "people" and self.ctx.entity_of_token(head) is None and \
                all(e.type == "location" or is_nationality(e) for e in found):
            found = []  # "Hong Kong protesters" are not Hong Kong
        if found and self.ctx.entity_of_token(head) is None and any(
                t.lower_ in ("anti", "non") for c in head.lefts for t in c.subtree):
            found = []  # an "anti-Houthi coalition" is not the Houthis
        if not found and head.ent_type_ == "NORP":
            found = self._country_of(head)
        if found:
            if len(found) == 1 and found[0].type == "person" and head.pos_ == "PROPN":
                self._titled(head, found[0])
            return found
        named = self.ctx.named_antecedent(head) if head.pos_ == "NOUN" else None
        if named is not None:  # "the embassy" after "the US Embassy", "the committee" after its name
            return [named]
        if phrase is not None and phrase.kind != "people":
            # "personnel from the army", "officials of the ministry": the body they belong to
            body = [e for c in head.children if c.dep_ == "prep" and c.lower_ in ("from", "of")
                    for p in c.children if p.dep_ == "pobj" for e in self.res.entities(p, allow_generic=False)
                    if e.type in ("organization", "group")]
            if body:
                return body[:1]
        if phrase is not None and head.tag_ == "NN" and head.lemma_.lower() in predicate_lexicon().person_anaphors \
                and any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in head.children):
            e = self._person_anaphor(head)  # "the attacker" after "Usman Khan stabbed ...": him
            if e is not None:
                return [e]
        if phrase is not None:
            e = self._phrase_entity(phrase)
            return [e] if e else []
        if head.ent_type_ == "NORP" and head.pos_ in ("PROPN", "NOUN", "ADJ") and head.dep_ in (
                "nsubj", "nsubjpass", "dobj", "pobj", "conj", "appos"):
            # "The British relinquished control": the nationality as a noun is the people
            e = self._phrase_entity(ActorPhrase(key=head.lemma_.lower(), kind="people", start=head.idx,
                                                end=head.idx + len(head.text), head=head))
            return [e] if e else []
        if head.pos_ == "PRON" and head.lower_ in FIRST_PERSON:
            # "we warn the Saudis", said Saree: the speaker of the quotation
            stmt = self.ctx.statement_covering(head.idx, head.idx + len(head.text))
            speaker = self.ctx.entity(stmt.speaker) if stmt is not None and stmt.direct else None
            return [speaker] if speaker is not None else []
        if head.pos_ == "PRON" and head.lower_ in ("they", "them", "both"):
            return self._last_pair(head)
        if head.tag_ in ("NN", "VBN", "JJ") and (head.lemma_.lower() in predicate_lexicon().person_anaphors or
                                                head.lower_ in predicate_lexicon().person_anaphors) \
                and any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in head.children):
            e = self._person_anaphor(head)
            return [e] if e else []
        return []

    def _country_of(self, tok: "Token") -> list["Entity"]:
        """"Iranian" -> the document's Iran, when the demonym names one country."""
        from wirescope.analyse.geo import gazetteer

        codes = gazetteer().demonym(tok.text)
        if len(codes) != 1:
            return []
        for e in self.ctx.entities:
            if e.type == "location" and e.country == codes[0] and e.subtype == "country":
                return [e]
        return []

    def _titled(self, head: "Token", person: "Entity") -> None:
        """"Queen Elizabeth II", "Pope Francis": the name with its title is a mention too."""
        left = [c for c in head.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"]
        if left and self.ctx.entity_of_token(left[0]) in (None, person):
            start = left[0].idx
            end = head.idx + len(head.text)
            if self.create and not any(m.start == start and m.end == end for m in person.mentions):
                self.ctx.add_mention(person, start, end)

    def _phrase_entity(self, ph: ActorPhrase) -> "Entity | None":
        e = self._by_key.get(ph.key)
        if e is None:
            for ent in self.ctx.entities:
                if ent.subtype == "generic" and isinstance(ent.descriptor, dict) and ent.descriptor.get("phrase") == ph.key:
                    e = ent
                    break
        if e is None and not self.create:
            return None
        if e is None:
            one = ph.kind == "people" and ph.head.tag_ == "NN" and not any(c.dep_ == "nummod" for c in ph.head.children)
            kind = "organization" if ph.kind == "institution" else "person" if one else "group"  # "the driver": one person
            e = self.ctx.new_entity(self.ctx.text[ph.start:ph.end], kind, subtype="generic", descriptor={"phrase": ph.key})
        self._by_key[ph.key] = e
        self.ctx.add_mention(e, ph.start, ph.end)
        if ph.head.text != e.name:
            e.add_alias(ph.head.text, "description")
        return e

    def _window(self, tok: "Token") -> Iterable[tuple[int, int]]:
        """This sentence before tok, then up to two earlier sentences."""
        doc = tok.doc
        sent = tok.sent
        yield sent.start, tok.i
        prev = sent
        for _ in range(2):
            if prev.start == 0:
                return
            prev = doc[prev.start - 1].sent
            yield prev.start, prev.end

    def _last_pair(self, tok: "Token") -> list["Entity"]:
        """"both of them", "they": the last two actors named as subjects or objects before it."""
        doc = tok.doc
        found: list["Entity"] = []
        verb = next((a for a in tok.ancestors if a.pos_ in ("VERB", "AUX")), None)
        own = {e.id for t in (subjects(verb) if verb is not None else []) for e in self.res.entities(t, allow_generic=False)}
        for start, end in self._window(tok):
            for i in range(end - 1, start - 1, -1):
                t = doc[i]
                if t.dep_ not in ("nsubj", "nsubjpass", "dobj", "conj", "pobj", "appos"):
                    continue
                for e in self.res.entities(t, allow_generic=False):
                    if e.type in ("person", "organization", "group") and e.id not in own and all(x.id != e.id for x in found):
                        found.append(e)
                if len(found) >= 2:
                    return found[::-1]
        return []

    def _person_anaphor(self, tok: "Token") -> "Entity | None":
        """"the accused": the nearest person of the passage, subjects first."""
        doc = tok.doc
        for start, end in self._window(tok):
            best, best_score = None, None
            for i in range(end - 1, start - 1, -1):
                e = self.ctx.entity_of_token(doc[i])
                if e is None or e.type != "person" or e.anonymous:
                    continue
                score = (doc[i].dep_ in ("nsubj", "nsubjpass"), i)
                if best_score is None or score > best_score:
                    best, best_score = e, score
            if best is not None:
                if self.create:
                    self.ctx.add_mention(best, tok.idx, tok.idx + len(tok.text))
                return best
        return None

    # ---- arguments -----------------------------------------------------------------------------
    def actors(self, toks: Iterable["Token"], allow_location: bool = True) -> list["Entity"]:
        out: list["Entity"] = []
        for t in toks:
            for e in self.entities(t):
                if e.type in ACTOR and (allow_location or e.type != "location") and all(x.id != e.id for x in out):
                    out.append(e)
        return out

    def inner(self, tok: "Token", allow_location: bool = False) -> list["Entity"]:
        """The actor inside an argument that names none: "May's agreement", "the investigation into Trump"."""
        for c in tok.children:
            if c.dep_ == "poss":
                found = self.actors([c], allow_location)
                if found:
                    return found
        for c in tok.children:
            if c.dep_ in ("amod", "compound") and c.i < tok.i and c.ent_type_ == "NORP":
                found = self._country_of(c)  # "Iranian involvement"
                if found:
                    return found
            if c.dep_ == "acl" and c.lemma_.lower() in OWNING:  # "facilities belonging to Aramco"
                found = self.actors([p for q in c.children if q.dep_ in ("prep", "agent") for p in q.children
                                     if p.dep_ == "pobj"], allow_location)
                if found:
                    return found
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in INNER_PREPS:
                # "an attack on oil infrastructure in Saudi Arabia": a country may stand for its things
                found = [e for e in self.actors([p for p in c.children if p.dep_ == "pobj"], True)
                         if allow_location or e.type != "location" or e.subtype == "country"]
                if found:
                    return found
        return []

    def role(self, toks: list["Token"], exclude: set[str], allow_location: bool = True,
             inner: bool = False) -> tuple["Entity | None", list["Entity"]]:
        """The first actor of a role and the actors coordinated with it."""
        for k, t in enumerate(toks):
            found = [e for e in self.actors([t], allow_location) if e.id not in exclude]
            if not found and inner:
                found = [e for e in self.inner(t, allow_location) if e.id not in exclude]
            if not found:
                continue
            first = found[0]
            partners = {x.i for x in conjuncts(t)} | {x.i for c in t.children if c.dep_ == "appos" for x in conjuncts(c)}
            partners |= {x.i for x in toks[k + 1:] if x.dep_ == "conj" and x.head.i == t.head.i}
            partners |= {x.i for x in toks[k + 1:] if x.dep_ in ("appos", "conj") and x.head.i in partners}
            more = found[1:]
            for x in toks[k + 1:]:
                if x.i in partners:
                    more += [e for e in self.actors([x], allow_location) if e.id not in exclude]
            seen = {first.id}
            extra = []
            for e in more:
                if e.id not in seen:
                    seen.add(e.id)
                    extra.append(e)
            return first, extra
        return None, []

    def frame_role(self, f: Frame, role: str, exclude: set[str], allow_location: bool = True,
                   inner: bool = False) -> tuple["Entity | None", list["Entity"]]:
        return self.role(list(getattr(f, role)), exclude, allow_location, inner)


NAMING_PARTICIPLES = frozenset({"name", "call", "identify", "know", "dub", "nickname"})


def _named_by(head: "Token") -> "Token | None":
    """The name a common noun is given by a participle right after it: "a woman named X", "a group
    called Y", "a man identified as Z" (the name's head token), else None."""
    if head.pos_ != "NOUN":
        return None
    for c in head.children:
        if c.dep_ == "acl" and c.tag_ == "VBN" and c.lemma_.lower() in NAMING_PARTICIPLES and c.i == head.i + 1:
            for g in c.children:
                if g.dep_ in ("oprd", "attr", "dobj", "xcomp", "npadvmod") and g.pos_ == "PROPN":
                    return g
                if g.dep_ == "prep" and g.lower_ == "as":
                    return next((p for p in g.children if p.dep_ == "pobj" and p.pos_ == "PROPN"), None)
    return None
