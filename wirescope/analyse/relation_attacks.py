"""Attacks: who attacked whom, from attack verbs and nouns and from claims of responsibility.

Constructions, per sentence (vocabulary: `attack_phrases` and the attacks triggers in
data/relations.yaml):
- attack verbs: "X struck Y", "Y was attacked by X"; a subject or agent that is itself an attack noun
  ("twin bombings struck Y", "Y was hit by X drone strikes") names no attacker but its own modifier;
- attack nouns: "an X attack on Y", "X's raid against Y", "the bombing of Y by X", "X carried out an
  attack on Y", "the attack, conducted by X", "Y was the target of an X attack";
- claims of responsibility and attributions: "X claimed responsibility (for the attack)", "the attack
  was claimed by X", "attributed the bombing to X", "another attack ascribed to X", "blamed X for the
  attacks", "X are the suspected perpetrators", "X was behind the attack", "alleged X involvement";
A target that is a thing stands for its owner or its country: "oil facilities belonging to Y", "Y's
embassy", "an attack on oil infrastructure in Y (a country)", "a plant at Y". A claim whose attack
names no target of its own and is referred to definitely ("the attack", "the bombings", "it") means
the article's main attack: the first one whose target the article names. "Another attack" does not.
Attackers are persons (possessors, subjects, agents), organizations, groups, or countries; a city
named as a modifier ("a Kabul car bombing") is where the attack was, not who made it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from wirescope.analyse import names as nm
from wirescope.analyse.syntax import (
    agents, conjuncts, is_nationality, is_passive, lookup_multi, objects, polarity_of, prep_objects, subjects,
)
from wirescope.analyse.vocab import _key, relation_data, relation_types
from wirescope.model import Entity

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Span as SpacySpan, Token

ACTORS = ("person", "organization", "group", "location")
TARGET_PREPS = ("on", "against", "targeting", "upon")
DEFINITE = ("the", "this", "that", "these", "those", "its", "their", "his", "her", "both", "yesterday")
OTHER = ("another", "other", "previous", "earlier", "prior", "separate", "similar", "second", "third", "past",
         "last", "recent", "former", "further", "more", "new", "future")


@dataclass
class AttackWords:
    nouns: dict[tuple[str, ...], str] = field(default_factory=dict)
    verbs: set[str] = field(default_factory=set)
    of_target: set[str] = field(default_factory=set)
    perpetrate: set[str] = field(default_factory=set)
    responsibility: set[str] = field(default_factory=set)
    responsibility_verbs: set[str] = field(default_factory=set)
    attribution: set[str] = field(default_factory=set)
    perpetrators: set[str] = field(default_factory=set)
    involvement: set[str] = field(default_factory=set)
    assets: dict[tuple[str, ...], str] = field(default_factory=dict)


@lru_cache(maxsize=1)
def attack_words() -> AttackWords:
    data = relation_data().get("attack_phrases") or {}
    trig = (relation_types().get("attacks") or {}).get("triggers") or {}
    out = AttackWords()
    for n in list(trig.get("nouns", [])) + list(data.get("nouns", [])):
        out.nouns[_key(n)] = "attacks"
    out.verbs = {str(v) for v in trig.get("verbs", [])} | {str(v) for v in data.get("victim_verbs", [])}
    out.of_target = {str(v) for v in data.get("of_target_nouns", [])}
    out.perpetrate = {str(v) for v in data.get("perpetrate_verbs", [])}
    out.responsibility = {str(v) for v in data.get("responsibility_nouns", [])}
    out.responsibility_verbs = {str(v) for v in data.get("responsibility_verbs", [])}
    out.attribution = {str(v) for v in data.get("attribution_verbs", [])}
    out.perpetrators = {str(v) for v in data.get("perpetrator_nouns", [])}
    out.involvement = {str(v) for v in data.get("involvement_nouns", [])}
    out.assets = {_key(n): "asset" for n in data.get("asset_nouns", [])}
    return out


class AttackReader:
    def __init__(self, builder) -> None:  # noqa: ANN001
        self.b = builder
        self.ctx = builder.ctx
        self.res = builder.res
        self.w = attack_words()
        self._main: list[Entity] | None = None

    # ---- words -------------------------------------------------------------------------------
    def attack_noun(self, tok: "Token") -> bool:
        return tok.pos_ in ("NOUN", "PROPN") and lookup_multi(tok, self.w.nouns)[0] is not None

    def _country(self, tok: "Token") -> Entity | None:
        if not tok.text[:1].isupper():
            return None
        entry = nm.demonym_country(tok.text)
        return self.b.roles.countries().get(entry.country) if entry is not None else None

    def _modifier_actor(self, tok: "Token", persons: bool) -> Entity | None:
        """The actor a modifier of an attack noun names: an organization or group, a country (also
        by its nationality adjective), a person only when asked."""
        e = self.res.named(self.ctx.entity_of_token(tok))
        if e is None:
            return self._country(tok)
        if e.type == "location":
            return e if e.subtype == "country" else None
        if is_nationality(e):
            return self._country(tok)
        if e.type == "person" and not persons:
            return None
        return e if e.type in ACTORS else None

    def attackers_of_noun(self, n: "Token") -> list[Entity]:
        out: list[Entity] = []
        _, first = lookup_multi(n, self.w.nouns)
        first = first if first is not None else n
        j = first.i - 1
        while j >= n.sent.start and first.i - j <= 6:  # "an Al-Qaeda suicide attack", "Houthi drone strikes"
            t = n.doc[j]
            if t.pos_ not in ("PROPN", "NOUN", "ADJ") and t.text not in ("-", "'s", "\u2019s"):
                break
            e = self._modifier_actor(t, persons=False) if t.tag_ != "POS" else None
            if e is not None and all(e.id != x.id for x in out):
                out.append(e)
            j -= 1
        for c in n.children:
            if c.dep_ == "poss":
                out += [e for e in self.b.ents([c]) if e.type in ACTORS and all(e.id != x.id for x in out)]
        for p in prep_objects(n, ("by",)):
            out += [e for e in self.b.ents([p]) if e.type in ACTORS and all(e.id != x.id for x in out)]
        return [e for e in out if e.type != "location" or e.subtype == "country"]

    def targets_of_noun(self, n: "Token") -> list[Entity]:
        out: list[Entity] = []
        lemma = n.lemma_.lower()
        aimed = False
        for prep in n.children:
            if prep.dep_ != "prep":
                continue
            if prep.lower_ in TARGET_PREPS or (prep.lower_ == "of" and lemma in self.w.of_target):
                for p in prep.children:
                    if p.dep_ == "pobj":
                        for x in conjuncts(p):
                            aimed = aimed or lookup_multi(x, self.w.assets)[0] is not None
                            out += [e for e in self.target(x) if all(e.id != y.id for y in out)]
        if not out and aimed:  # "an attack on oil infrastructure in Saudi Arabia": the country's
            out = [e for p in prep_objects(n, ("in",)) for e in self.b.ents([p])
                   if e.type == "location" and e.subtype == "country"]
        return out

    def target(self, tok: "Token") -> list[Entity]:
        """The actors a target phrase names; a thing stands for its owner or its country."""
        found = [e for e in self.b.ents([tok]) if e.type in ACTORS]
        if found or lookup_multi(tok, self.w.assets)[0] is None:
            return found
        for c in tok.children:
            if c.dep_ == "poss":
                found += [e for e in self.b.ents([c]) if e.type in ACTORS]
            elif c.dep_ in ("compound", "amod", "nmod") and c.i < tok.i:
                e = self._modifier_actor(c, persons=True)
                if e is not None:
                    found.append(e)
            elif c.dep_ == "acl":  # "facilities belonging to Y", "a plant owned by Y"
                for p in prep_objects(c, ("to", "by")):
                    found += [e for e in self.b.ents([p]) if e.type in ("organization", "group", "person", "location")]
            elif c.dep_ == "prep" and c.lower_ in ("of", "in", "at"):
                for p in c.children:
                    if p.dep_ != "pobj":
                        continue
                    for e in self.b.ents([p]):
                        if c.lower_ == "of" and e.type in ACTORS or c.lower_ == "at" and e.type == "location" \
                                or c.lower_ == "in" and e.type == "location" and e.subtype == "country":
                            found.append(e)
        return found

    def main_target(self) -> list[Entity]:
        """The targets of the article's main attack: the first attack whose target it names."""
        if self._main is None:
            self._main = []
            for sent in self.ctx.doc.sents:
                for tok in sent:
                    if tok.pos_ == "VERB" and tok.lemma_.lower() in self.w.verbs:
                        toks = subjects(tok) if is_passive(tok) else objects(tok)
                        found = [e for t in toks for e in self.target(t)]
                    elif self.attack_noun(tok):
                        found = self.targets_of_noun(tok) or self._target_of_construction(tok)
                    else:
                        continue
                    found = [e for e in found if not (e.type == "person" and e.anonymous)]
                    if found:
                        self._main = found
                        return found
        return self._main

    def _target_of_construction(self, n: "Token") -> list[Entity]:
        """"Y was the target of an X attack"."""
        prep = n.head
        if n.dep_ == "pobj" and prep.lower_ == "of" and prep.head.lemma_.lower() == "target" \
                and prep.head.dep_ == "attr" and prep.head.head.lemma_ == "be":
            return [e for t in subjects(prep.head.head) for e in self.target(t)]
        return []

    def referred(self, n: "Token | None") -> list[Entity]:
        """The targets of the attack an attack noun (or "it") refers to: its own, else the main
        attack's when the reference is definite."""
        if n is None:
            return self.main_target()
        own = self.targets_of_noun(n) if self.attack_noun(n) else []
        if own:
            return own
        dets = {c.lower_ for c in n.children if c.dep_ in ("det", "amod", "poss", "predet", "nummod")}
        if dets & set(OTHER):
            return []
        if n.pos_ == "PRON" and n.lower_ in ("it", "this", "that", "them", "they"):
            return self.main_target()
        if dets & set(DEFINITE):
            return self.main_target()
        return []

    # ---- one sentence ------------------------------------------------------------------------
    def sentence(self, sent: "SpacySpan") -> None:
        for tok in sent:
            lemma = tok.lemma_.lower()
            if tok.pos_ == "VERB":
                if lemma in self.w.verbs:
                    self.verb(tok)
                if lemma in self.w.attribution:
                    self.attribution(tok)
            if tok.pos_ in ("NOUN", "PROPN"):
                if self.attack_noun(tok):
                    self.noun(tok)
                elif lemma in self.w.responsibility:
                    self.responsibility(tok)
                elif lemma in self.w.perpetrators:
                    self.perpetrator(tok)
                elif lemma in self.w.involvement:
                    self.involvement(tok)
            if tok.lower_ == "behind" and tok.dep_ == "prep" and tok.head.pos_ in ("AUX", "VERB"):
                for p in tok.children:  # "X was behind the attack"
                    if p.dep_ == "pobj" and (self.attack_noun(p) or p.pos_ == "PRON"):
                        self.emit(self.actors(subjects(tok.head)), self.referred(p), tok.head)

    def actors(self, toks) -> list[Entity]:
        out = []
        for e in self.b.ents(toks):
            if e.type in ACTORS and (e.type != "location" or e.subtype == "country") and all(e.id != x.id for x in out):
                out.append(e)
        return out

    def emit(self, attackers: list[Entity], targets: list[Entity], trigger: "Token", modality: str | None = None,
             polarity: str | None = None) -> None:
        for a in attackers:
            if a.subtype == "generic" and not (a.descriptor or {}).get("of"):
                continue  # "gunmen attacked Y": no one named
            for t in targets:
                self.b.add(a, "attacks", t, trigger, polarity=polarity, modality=modality)

    def verb(self, v: "Token") -> None:
        passive = is_passive(v)
        who = agents(v) if passive else subjects(v)
        attackers: list[Entity] = []
        for t in who:
            attackers += self.attackers_of_noun(t) if self.attack_noun(t) else self.actors([t])
        targets = [e for t in (subjects(v) if passive else objects(v)) for e in self.target(t)]
        self.emit(attackers, targets, v)

    def noun(self, n: "Token") -> None:
        attackers = self.attackers_of_noun(n)
        head = n.head
        perpetrator_verb = None
        if n.dep_ in ("dobj", "obj") and head.lemma_.lower() in self.w.perpetrate:
            perpetrator_verb = head  # "X carried out an attack on Y"
            attackers += [e for e in self.actors(subjects(head)) if all(e.id != x.id for x in attackers)]
        elif n.dep_ in ("nsubjpass",) and head.lemma_.lower() in self.w.perpetrate:
            perpetrator_verb = head  # "the attack was claimed by X"
            attackers += [e for e in self.actors(agents(head)) if all(e.id != x.id for x in attackers)]
        for c in n.children:  # "the attack, reportedly conducted by X"
            if c.dep_ in ("acl", "relcl") and c.lemma_.lower() in self.w.perpetrate:
                perpetrator_verb = c
                attackers += [e for e in self.actors(agents(c)) if all(e.id != x.id for x in attackers)]
        targets = self.targets_of_noun(n) or self._target_of_construction(n)
        if not targets and perpetrator_verb is not None:
            targets = self.referred(n)
        self.emit(attackers, targets, perpetrator_verb or n)

    def responsibility(self, tok: "Token") -> None:
        """"X claimed responsibility (for the attack)", "responsibility was claimed by X"."""
        head = tok.head
        if head.lemma_.lower() not in self.w.responsibility_verbs or tok.dep_ not in ("dobj", "obj", "nsubjpass"):
            return
        claimants = self.actors(agents(head) if tok.dep_ == "nsubjpass" else subjects(head))
        refs = prep_objects(tok, ("for",)) or prep_objects(head, ("for",))
        targets = [e for r in refs for e in self.referred(r)] if refs else self.main_target()
        self.emit(claimants, targets, head)

    def attribution(self, v: "Token") -> None:
        """"attributed the bombing to X", "the attack was blamed on X", "another attack ascribed to X",
        "blamed X for the attacks", "accused X of carrying out the attack"."""
        to = prep_objects(v, ("to", "on"))
        attack: "Token | None" = None
        claimants: list[Entity] = []
        if to:
            cands = subjects(v) if is_passive(v) else objects(v)
            if v.dep_ in ("acl", "relcl"):
                cands = [v.head]
            attack = next((t for t in cands if self.attack_noun(t) or t.pos_ == "PRON" and t.lower_ in ("it", "this")), None)
            claimants = self.actors(to)
        else:
            objs = subjects(v) if is_passive(v) else objects(v)
            refs = prep_objects(v, ("for", "of", "over", "in"))
            claimants = self.actors(objs)
            for r in list(refs):  # "of carrying out the attack", "accused X of attacking Y"
                if r.pos_ == "VERB" and r.lemma_.lower() in self.w.verbs:
                    targets = [e for t in objects(r) for e in self.target(t)]
                    self.emit(claimants, targets, v, modality="hedged")
                elif r.pos_ == "VERB":
                    refs += objects(r)
            attack = next((r for r in refs if self.attack_noun(r)), None)
        if attack is None:
            return
        self.emit(claimants, self.referred(attack), v, modality="hedged")

    def perpetrator(self, tok: "Token") -> None:
        """"X are the (suspected) perpetrators (of the attack)", "the bombers, X,"."""
        who: list[Entity] = []
        if tok.dep_ == "attr" and tok.head.lemma_ == "be":
            who = self.actors(subjects(tok.head))
        else:
            who = self.actors([c for c in tok.children if c.dep_ == "appos"])
            if not who and tok.dep_ == "appos":
                who = self.actors([tok.head])
        if not who:
            return
        refs = [p for p in prep_objects(tok, ("of", "behind", "in")) if self.attack_noun(p)]
        targets = [e for r in refs for e in self.referred(r)] if refs else self.main_target()
        hedge = "hedged" if any(c.lower_ in ("suspected", "alleged", "presumed", "likely", "possible") for c in tok.children) else None
        self.emit(who, targets, tok, modality=hedge)

    def involvement(self, tok: "Token") -> None:
        """"alleged Iranian involvement", "X's role in the attack", "denied involvement in the bombing"."""
        refs = [p for p in prep_objects(tok, ("in",)) if self.attack_noun(p)]
        if not refs and not (tok.dep_ in ("dobj", "obj") and tok.head.lemma_.lower() in
                             ("allege", "suspect", "blame", "cite", "deny", "confirm", "investigate", "claim", "admit")):
            return
        who: list[Entity] = []
        for c in tok.children:
            if c.dep_ == "poss":
                who += self.actors([c])
            elif c.dep_ in ("amod", "compound", "nmod") and c.i < tok.i:
                e = self._modifier_actor(c, persons=False)
                if e is not None:
                    who.append(e)
        targets = [e for r in refs for e in self.referred(r)] if refs else self.main_target()
        self.emit(who, targets, tok, modality="hedged", polarity=polarity_of(tok))
