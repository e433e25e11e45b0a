"""Ties read off noun phrases and their modifiers, per sentence (vocabulary: `ties` in
data/relations.yaml):
- hyphenated participles: "the Iran-backed Houthis" (allied_with), "US-trained forces" (trains), "the
  Yemen-based Houthi movement" (operates_in), "the Taliban-controlled district" (operates_in);
- groupings: "X announced a coalition ... which was joined by Y and Z", "a coalition of X and Y",
  "Y joined the X-led coalition", "an alliance including X and Y": allied_with between the founder
  and each member (or between the members a "coalition of" lists);
- support against a third party: "X supported Y against Z" gives Z rival_of X and Y;
- holding a place: "Y fell under X control", "Y, under X control", "X's control of Y";
- an organization and its place: "the Houthi movement in Yemen", "Yemen's Houthis" (operates_in);
- ally and rival roles: "Y, an ally of X", "X's rival Y", "a critic of X, Y said".
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from wirescope.analyse import names as nm
from wirescope.analyse.syntax import (
    agents, is_nationality, lookup_multi, objects, prep_objects, subjects,
)
from wirescope.analyse.vocab import _key, relation_data, relation_lexicon, relation_types
from wirescope.model import Entity

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Span as SpacySpan, Token

ACTORS = ("person", "organization", "group", "location")
PLACE_PREPS = ("in", "inside", "across", "throughout")
MAX_MEMBERS = 8
# a tie a noun phrase states is not denied or hedged by the verb of its clause ("the Iran-backed
# Houthis denied the report")
FACT = {"polarity": "positive", "modality": "asserted"}


@dataclass
class TieWords:
    proxies: set[str] = field(default_factory=set)
    coalitions: dict[tuple[str, ...], str] = field(default_factory=dict)
    founding: set[str] = field(default_factory=set)
    control: set[str] = field(default_factory=set)
    based: set[str] = field(default_factory=set)
    placed: set[str] = field(default_factory=set)
    allies: set[str] = field(default_factory=set)
    rivals: set[str] = field(default_factory=set)
    support: set[str] = field(default_factory=set)


@lru_cache(maxsize=1)
def tie_words() -> TieWords:
    data = relation_data().get("ties") or {}
    out = TieWords()
    out.proxies = {str(w) for w in data.get("proxy_nouns", [])}
    out.coalitions = {_key(w): "coalition" for w in data.get("coalition_nouns", [])}
    out.founding = {str(w) for w in data.get("founding_verbs", [])}
    out.control = {str(w) for w in data.get("control_nouns", [])}
    out.based = {str(w) for w in data.get("based_words", [])}
    out.placed = {str(w) for w in data.get("placed_subtypes", [])}
    rival = (relation_types().get("rival_of") or {}).get("triggers") or {}
    allied = (relation_types().get("allied_with") or {}).get("triggers") or {}
    out.allies = {str(w) for w in allied.get("roles_ally", [])}
    out.rivals = {str(w) for w in rival.get("roles_rival", [])}
    out.support = {str(w) for w in allied.get("verbs", [])}
    return out


class TieReader:
    def __init__(self, builder) -> None:  # noqa: ANN001
        self.b = builder
        self.ctx = builder.ctx
        self.res = builder.res
        self.w = tie_words()
        self.lex = relation_lexicon()
        # "al-Qaeda-linked", "Iran-aligned": the verbs of "link to", "align with" as participles
        self.hyphen_types = {verb: rtype for (verb, _), rtype in self.lex.prep_verbs.items()
                             if rtype in ("allied_with", "funds", "supplies", "trains")}

    def actor(self, tok: "Token") -> Entity | None:
        """The actor a modifier names; a nationality adjective names its country."""
        e = self.res.named(self.ctx.entity_of_token(tok))
        if e is not None and e.type in ACTORS and not is_nationality(e):
            return e
        if tok.text[:1].isupper():
            entry = nm.demonym_country(tok.text)
            if entry is not None:
                return self.b.roles.countries().get(entry.country)
        return e if e is not None and e.type in ACTORS else None

    def ents(self, toks) -> list[Entity]:
        return [e for e in self.b.ents(toks) if e.type in ACTORS]

    # ---- one sentence ------------------------------------------------------------------------
    def sentence(self, sent: "SpacySpan") -> None:
        for tok in sent:
            if tok.tag_ == "HYPH" or tok.text in ("-", "\u2010", "\u2011"):
                self.hyphen(tok)
                continue
            lemma = tok.lemma_.lower()
            if tok.pos_ in ("NOUN", "PROPN"):
                if lookup_multi(tok, self.w.coalitions)[0] is not None:
                    self.coalition(tok)
                if lemma in self.w.control:
                    self.control(tok)
                if lemma in self.w.allies or lemma in self.w.rivals:
                    self.tie_role(tok, "allied_with" if lemma in self.w.allies else "rival_of")
                e = self.ctx.entity_of_token(tok)
                if e is not None and e.type in ("organization", "group") and (tok.i + 1 >= sent.end
                                                                           or self.ctx.entity_of_token(tok.doc[tok.i + 1]) is not e):
                    self.placed(tok, self.res.named(e))
            elif tok.pos_ == "VERB" and lemma in self.w.support:
                self.support_against(tok)

    def hyphen(self, h: "Token") -> None:
        """"the Iran-backed Houthis", "the Yemen-based Houthi movement"."""
        doc = h.doc
        if h.i == 0 or h.i + 1 >= len(doc):
            return
        a, v = doc[h.i - 1], doc[h.i + 1]
        if v.sent.start != a.sent.start:
            return
        if a.lower_ in ("anti", "pro"):  # "the anti-Houthi coalition", "pro-government militias"
            self.stance(a, v)
            return
        if v.tag_ not in ("VBN", "JJ", "VBD"):
            return
        who = self.actor(a)
        if who is None:
            return
        noun = v.head if v.head.i > v.i and v.dep_ in ("amod", "compound", "acl", "nmod") else None
        if noun is None:
            nxt = [t for t in doc[v.i + 1:min(v.sent.end, v.i + 5)] if t.pos_ in ("NOUN", "PROPN")]
            noun = nxt[-1] if nxt and all(t.pos_ in ("NOUN", "PROPN", "ADJ") for t in doc[v.i + 1:nxt[-1].i]) else None
        if noun is None:
            return
        owners = self.ents([noun])
        lemma = v.lemma_.lower()
        rtype = None
        for cand in (lemma, lemma[:-2], lemma[:-1]):  # a participle tagged as an adjective keeps its -ed
            rtype = "based" if cand in self.w.based else self.lex.verbs.get(cand) or self.hyphen_types.get(cand)
            if rtype is not None:
                break
        for o in owners:
            if rtype == "based":
                if who.type == "location":
                    self.b.add(o, "operates_in", who, v, **FACT)
            elif rtype == "operates_in":
                if who.type != "location" and o.type == "location":
                    self.b.add(who, "operates_in", o, v, **FACT)  # "the Taliban-controlled district"
            elif rtype is not None and rtype != "attacks":
                self.b.add(who, rtype, o, v, **FACT)

    def stance(self, a: "Token", v: "Token") -> None:
        """"the anti-Houthi coalition" (rival_of), "pro-government militias" (allied_with)."""
        who = self.actor(v)
        noun = v.head if v.head.i > v.i else None
        if who is None or noun is None:
            return
        rtype = "rival_of" if a.lower_ == "anti" else "allied_with"
        for o in self.ents([noun]):
            self.b.add(o, rtype, who, v, **FACT)

    def coalition(self, n: "Token") -> None:
        founders: list[Entity] = []
        members: list[Entity] = []
        listed: list[Entity] = []
        head = n.head
        if n.dep_ in ("dobj", "obj") and head.lemma_.lower() in self.w.founding:
            founders += self.ents(subjects(head))
        for c in n.children:
            if c.dep_ == "poss" or (c.dep_ in ("compound", "nmod") and c.i < n.i):
                e = self.actor(c)
                if e is not None:
                    founders.append(e)
            elif c.dep_ == "prep" and c.lower_ in ("including", "with"):
                members += self.ents(prep_objects(n, (c.lower_,)))
            elif c.dep_ == "prep" and c.lower_ in ("of", "between"):
                listed += self.ents(prep_objects(n, (c.lower_,)))
        # "X-led": read by the hyphen rule only for people; the founder of a grouping may be a state
        for t in n.doc[max(n.sent.start, n.i - 4):n.i]:
            if t.text == "-" and t.i + 1 < n.i and t.doc[t.i + 1].lemma_.lower() in ("lead", "back", "sponsor"):
                e = self.actor(t.doc[t.i - 1])
                if e is not None and all(e.id != f.id for f in founders):
                    founders.append(e)
        # clauses that tell who joined or leads it, also when the parser hung them lower in the phrase
        for t in n.subtree:
            if t.pos_ != "VERB" or t.i <= n.i or t.sent.start != n.sent.start:
                continue
            lemma = t.lemma_.lower()
            if lemma == "join" and t.dep_ in ("relcl", "acl"):
                members += self.ents(agents(t))
            elif lemma in ("lead", "head", "found", "back") and t.dep_ in ("relcl", "acl"):
                founders += self.ents(agents(t))
        if head.lemma_.lower() == "join" and n.dep_ in ("dobj", "obj"):
            members += self.ents(subjects(head))
        founders = _unique(founders)[:MAX_MEMBERS]
        members = _unique(members)[:MAX_MEMBERS]
        for f in founders:
            for m in members:
                self.b.add(f, "allied_with", m, n)
        if not founders and not members:
            listed = _unique(listed)[:MAX_MEMBERS]
            for i, a in enumerate(listed):
                for b in listed[i + 1:]:
                    self.b.add(a, "allied_with", b, n)

    def support_against(self, v: "Token") -> None:
        """"X supported Y against Z": Z is the rival of both."""
        against = self.ents(prep_objects(v, ("against",)))
        if not against:
            return
        sides = self.ents(subjects(v)) + self.ents(objects(v))
        for s in sides:
            for z in against:
                self.b.add(s, "rival_of", z, v)

    def control(self, n: "Token") -> None:
        """"Y fell under X control", "Y, under X control", "X's control of Y"."""
        holders: list[Entity] = []
        for c in n.children:
            if c.dep_ == "poss" or (c.dep_ in ("compound", "nmod", "amod") and c.i < n.i):
                e = self.actor(c)
                if e is not None and e.type != "location":
                    holders.append(e)
        if not holders:
            return
        places = [e for p in prep_objects(n, ("of", "over")) for e in self.ents([p]) if e.type == "location"]
        prep = n.head
        if n.dep_ == "pobj" and prep.lower_ in ("under", "in") and not places:
            host = prep.head
            if host.pos_ in ("VERB", "AUX"):
                places = [e for e in self.ents(subjects(host)) if e.type == "location"]
            else:
                places = [e for e in self.ents([host]) if e.type == "location"]
        for h in holders:
            for p in places:
                self.b.add(h, "operates_in", p, n, **FACT)

    def placed(self, tok: "Token", org: Entity | None) -> None:
        """"the Houthi movement in Yemen", "Yemen's Houthis"."""
        if org is None or org.subtype not in self.w.placed:
            return
        places = [e for p in prep_objects(tok, PLACE_PREPS) for e in self.ents([p]) if e.type == "location"]
        for c in tok.children:
            if c.dep_ == "poss":
                places += [e for e in self.ents([c]) if e.type == "location"]
        for p in places:
            self.b.add(org, "operates_in", p, tok, **FACT)

    def tie_role(self, r: "Token", rtype: str) -> None:
        """"Y, an ally of X", "X's rival Y", "Y is a critic of X"."""
        others: list[Entity] = []
        for c in r.children:
            if c.dep_ == "poss" or (c.dep_ in ("compound", "nmod", "amod") and c.i < r.i):
                e = self.actor(c) if c.dep_ != "poss" else next(iter(self.ents([c])), None)
                if e is not None:
                    others.append(e)
        others += self.ents(prep_objects(r, ("of", "to", "for")))
        if not others and r.dep_ == "attr" and r.tag_ in ("NNS", "NNPS") and r.head.lemma_ in ("be", "become", "remain"):
            pair = self.ents(subjects(r.head))  # "X and Y are allies"
            if len(pair) >= 2:
                self.b.add(pair[0], rtype, pair[1], r)
            return
        if not others:
            return
        bearers: list[Entity] = []
        if r.dep_ == "appos":
            bearers = self.ents([r.head])
        elif r.dep_ == "attr" and r.head.lemma_ in ("be", "become", "remain"):
            bearers = self.ents(subjects(r.head))
        else:
            bearers = self.ents([c for c in r.children if c.dep_ == "appos"])
            if not bearers and r.dep_ == "compound":
                bearers = self.ents([r.head])
            if not bearers and r.i + 1 < r.sent.end:
                nxt = self.ctx.entity_of_token(r.doc[r.i + 1])
                if nxt is not None and nxt.type == "person" and not nxt.anonymous:
                    bearers = [nxt]  # "Trump ally Roger Stone"
        for b in bearers:
            for o in others:
                self.b.add(b, rtype, o, r, **(FACT if r.dep_ != "attr" else {}))


def _unique(ents: list[Entity]) -> list[Entity]:
    out: list[Entity] = []
    for e in ents:
        if all(e.id != x.id for x in out):
            out.append(e)
    return out
