"""Relations stage: typed relations between actors, read off the dependency parse.

The vocabulary and the trigger lexicon live in data/relations.yaml (see vocab.relation_lexicon).
Constructions handled, per sentence:
- transitive verbs, active and passive ("Y harbors X", "X is harbored by Y"), prepositional verbs
  ("cooperate with X"), intransitive verbs with a plural subject ("the two groups cooperate");
- transfers: a transfer verb and a theme noun decide the type ("Y gives X shelter", "X is given
  sanctuary by Y", "provide X with weapons", "collect money ... and give it to Y": a pronoun theme
  takes the object of the coordinated verb); receiving verbs reverse the roles ("X found refuge with Y");
- exchanges: "in exchange/return for N" makes the recipient give N back (each theme noun inside N
  gives one relation: "expertise in fund-raising" -> supplies and funds); a clause opened by
  "In return," whose recipient is unresolved answers the previous relation: its giver is that
  relation's object and its recipient that relation's subject;
- relational nouns ("X's bond with Y", "the alliance between X and Y", "ties to Y" as the object of
  a verb whose subject is X); a kin modifier ("family ties") makes them kin_of; a symmetric
  relational noun with no arguments in a copular or existential clause ("It is a family tie",
  "There are intermarriages") is about the two actors of the latest relation in the passage;
- predicative adjectives ("X is close to Y", "how close the two groups are");
- role nouns: apposition ("X, a member of Y"), copula ("X is the leader of Y"), title compounds
  ("Y commander X"), a role noun the actors stage resolved to a named person ("an al Qaeda leader"
  -> that person), possessives ("his Y counterparts" -> he is a member of Y), located roles
  ("Y fighters in Z" -> Y operates_in Z);
- operates_in from events: the source of an ASSAULT/MOBILIZE/RETREAT/COERCE event with a location
  the gazetteer knows operates in it (a target only when it is an armed or state force: a victim
  killed somewhere does not operate there);
- in their own modules, per sentence: titles and roles of named persons, party letters and kin
  (relation_roles), attacks and claims of responsibility (relation_attacks), ties read off noun
  phrases: "Iran-backed", "X-based", coalitions, "under X control", "X, an ally of Y"
  (relation_ties);
- also: rival verbs and nouns ("defeated", "ran against", "victory over", "decades of conflict with
  X": the story's country when no side is named), "in alliance with", "without a deal" (negative),
  "X is related to Y" (kin between people, allied otherwise), proxies that stand for the actor they
  belong to ("the government of X", "the navies of X and Y", "the city of X").
Unnamed objects of `trains` ("train suicide bombers") take the partner of the subject's latest
relation in the same passage (three sentences). Generic groups tied to a named actor are replaced
by the named actor (syntax.Resolver); untied ones stay as the generic group ("terrorists").
Relations never link an entity to itself, and respect the types' subject/object entity types; an
unnamed person described by a role ("a senior official") is no party to an alliance, rivalry,
attack, kinship or agreement.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from wirescope.analyse.context import Context
from wirescope.analyse.pipeline import StageInfo
from wirescope.analyse.relation_attacks import AttackReader
from wirescope.analyse.relation_roles import RoleReader
from wirescope.analyse.relation_ties import TieReader
from wirescope.analyse.syntax import (
    Resolver, agents, conjuncts, datives, is_passive, lookup_multi, matches_words, modality_of,
    objects, particle, polarity_of, predicate_time, prep_objects, is_nationality, sentence_span, subjects,
)
from wirescope.analyse.vocab import RelationLexicon, relation_data, relation_lexicon
from wirescope.model import Entity, Relation

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Span as SpacySpan, Token

MAX_SENT_TOKENS = 400
# relation types an unnamed person described by a role ("a senior official") is no party to
ANONYMOUS_NOT_PARTY = frozenset({"allied_with", "rival_of", "attacks", "kin_of", "agreement_with"})
PASSAGE_SENTS = 3


class _Builder:
    def __init__(self, ctx: Context, lex: RelationLexicon, res: Resolver) -> None:
        self.ctx = ctx
        self.lex = lex
        self.res = res
        self.seen: set[tuple] = set()
        self.sent: "SpacySpan | None" = None
        self.span: tuple[int, int] = (0, 0)
        self.proxies = set((relation_data().get("ties") or {}).get("proxy_nouns", []))
        self.associative = set((relation_data().get("ties") or {}).get("associative_verbs", []))
        self.roles = RoleReader(self)
        self.attacks = AttackReader(self)
        self.ties = TieReader(self)

    # ---- emitting -----------------------------------------------------------------------------
    def add(self, subj: Entity | None, rtype: str, obj: Entity | None, trigger: "Token",
            polarity: str | None = None, modality: str | None = None) -> Relation | None:
        if subj is None or obj is None or subj.id == obj.id:
            return None
        st, ot = self.lex.subject_types.get(rtype), self.lex.object_types.get(rtype)
        if (st and subj.type not in st) or (ot and obj.type not in ot):
            return None
        if any(e.type == "person" and e.anonymous for e in (subj, obj)) and rtype in ANONYMOUS_NOT_PARTY:
            return None  # "a sitting president", "the general manager": a description is no party to a tie
        if rtype in self.lex.symmetric and subj.id > obj.id and rtype != "agreement_with":
            subj, obj = obj, subj
        # ending a rivalry ("ending decades of conflict with X") does not deny it was one
        polarity = polarity or (_plain_polarity(trigger) if rtype == "rival_of" else self.polarity(trigger))
        modality = modality or modality_of(trigger)
        key = (self.span[0], subj.id, rtype, obj.id, polarity)
        if rtype in self.lex.symmetric:
            key = (self.span[0], *sorted((subj.id, obj.id)), rtype, polarity)
        if key in self.seen:
            return None
        self.seen.add(key)
        start, end = self.span
        tstart, tend = trigger.idx, trigger.idx + len(trigger.text)
        stmt = self.ctx.statement_covering(tstart, tend)
        rel = Relation(subject=subj.id, type=rtype, object=obj.id, evidence=self.ctx.span(start, end),
                       polarity=polarity, modality=modality, statement=stmt.id if stmt else None,
                       trigger=trigger.text, time=predicate_time(self.ctx, trigger))
        self.ctx.relations.append(rel)
        return rel

    def polarity(self, trigger: "Token") -> str:
        """The trigger's polarity, reversed under a verb that ends the tie ("cut ties with X",
        "stopped funding X"): negating the ending verb affirms the tie ("had not cut ties")."""
        ender = _ending_head(trigger, self.lex)
        if ender is None:
            return polarity_of(trigger)
        return "positive" if polarity_of(ender) == "negative" else "negative"

    def ents(self, toks) -> list[Entity]:
        out: list[Entity] = []
        for t in toks:
            if _stance_modified(t):
                continue  # "the anti-Houthi coalition" is not the Houthis
            found = self.res.entities(t)
            if not found and t.lemma_.lower() in self.proxies:  # "the government of X", "the navies of X and Y"
                found = [e for p in prep_objects(t, ("of",)) for e in self.res.entities(p)]
            for e in found:
                if e is not None and all(e.id != x.id for x in out):
                    out.append(e)
        return out

    def pairwise(self, subjs: list[Entity], rtype: str, objs: list[Entity], trigger: "Token", **kw) -> None:
        for s in subjs:
            for o in objs:
                self.add(s, rtype, o, trigger, **kw)

    # ---- passage memory -----------------------------------------------------------------------
    def _recent(self) -> list[Relation]:
        """Relations of the last PASSAGE_SENTS sentences before this one (newest first)."""
        sent = self.sent
        lo = sent
        for _ in range(PASSAGE_SENTS):
            if lo.start == 0:
                break
            lo = sent.doc[lo.start - 1].sent
        return [r for r in reversed(self.ctx.relations)
                if lo.start_char <= r.evidence.start <= sent.start_char and r.type != "operates_in"]

    def partner(self, subj: Entity) -> Entity | None:
        for r in self._recent() + [r for r in reversed(self.ctx.relations) if r.evidence.start == self.span[0]]:
            if r.subject == subj.id:
                return self.ctx.entity(r.object)
            if r.object == subj.id:
                return self.ctx.entity(r.subject)
        return None

    # ---- one sentence -------------------------------------------------------------------------
    def sentence(self, sent: "SpacySpan") -> None:
        if len(sent) > MAX_SENT_TOKENS:
            return
        self.sent = sent
        self.span = sentence_span(self.ctx, sent)
        for tok in sent:
            if tok.is_punct or tok.is_space:
                continue
            lemma = tok.lemma_.lower()
            try:
                if tok.pos_ == "VERB" or (tok.pos_ == "NOUN" and tok.dep_ in ("ROOT", "ccomp", "conj")
                                          and any(c.dep_ == "nsubj" for c in tok.children)):
                    self.verb(tok, lemma)
                elif tok.pos_ in ("NOUN", "PROPN"):
                    self.noun(tok, lemma)
                elif tok.pos_ == "ADJ":
                    self.adjective(tok, lemma)
                if lemma in self.lex.roles or lemma in self.lex.located_roles:
                    self.role(tok, lemma)
            except RecursionError:  # pathological parses: skip the token, keep the document
                continue
        try:
            self.roles.sentence(sent)
            self.attacks.sentence(sent)
            self.ties.sentence(sent)
        except RecursionError:
            pass

    # verbs ---------------------------------------------------------------------------------------
    def verb(self, v: "Token", lemma: str) -> None:
        if self.withholding(v, lemma) or self.negative_prep(v, lemma):
            return
        if lemma in self.lex.give_verbs or lemma in self.lex.receive_verbs:
            if self.transfer(v, lemma):
                return
        passive = is_passive(v)
        subj_toks = agents(v) if passive else subjects(v)
        done = False
        for prep in _verb_preps(v, self.ctx):
            rtype = self.lex.prep_verbs.get((lemma, prep.lower_))
            if rtype is None:
                continue
            pobjs = [x for p in prep.children if p.dep_ == "pobj" for x in conjuncts(p)]
            subjs = self.ents(subj_toks if not passive else _passive_subjects(v))
            if lemma in self.associative and not passive:
                subjs = self.ents(objects(v))  # "they linked X to Y": X and Y are tied, not "they"
            objs = self.ents(pobjs)
            if rtype == "allied_with" and lemma == "relate" and subjs and objs and all(
                    e.type == "person" for e in subjs + objs):
                rtype = "kin_of"  # "X is related to Y": people are kin, groups are tied
            self.pairwise(subjs, rtype, objs, v)
            done = True
        if done:
            return
        rtype = self.lex.verbs.get(lemma)
        if rtype == "attacks":
            return  # relation_attacks reads attack verbs
        if rtype is not None:
            obj_toks = _passive_subjects(v) if passive else objects(v)
            subjs, objs = self.ents(subj_toks), self.ents(obj_toks)
            if not objs and rtype in self.lex.partner_fallback and obj_toks:
                objs = [p for s in subjs[:1] for p in [self.partner(s)] if p is not None]
            self.pairwise(subjs, rtype, objs, v)
            return
        rtype = self.lex.bare_verbs.get(lemma)
        if rtype is not None and rtype in self.lex.symmetric:
            subjs = self.ents(subjects(v))
            if len(subjs) >= 2:
                self.add(subjs[0], rtype, subjs[1], v)

    def withholding(self, v: "Token", lemma: str) -> bool:
        """"refused to hand over X", "would not extradite X": the subject keeps (harbors) X."""
        prt = particle(v)
        if not ((lemma, prt) in self.lex.withholding_verbs if prt else (lemma,) in self.lex.withholding_verbs):
            return False
        if polarity_of(v) != "negative" or is_passive(v):
            return False
        objs = [e for e in self.ents(objects(v)) if e.type in ("person", "organization", "group")]
        if not objs:
            return False
        self.pairwise(self.ents(subjects(v)), "harbors", objs, v, polarity="positive")
        return True

    def negative_prep(self, v: "Token", lemma: str) -> bool:
        """"X distanced itself from Y", "X broke with Y": the tie denied (negated: affirmed)."""
        for prep in v.children:
            if prep.dep_ != "prep":
                continue
            rtype = self.lex.negative_prep_verbs.get((lemma, prep.lower_))
            if rtype is None:
                continue
            pobjs = [x for p in prep.children if p.dep_ == "pobj" for x in conjuncts(p)]
            polarity = "positive" if polarity_of(v) == "negative" else "negative"
            self.pairwise(self.ents(subjects(v)), rtype, self.ents(pobjs), v, polarity=polarity)
            return True
        return False

    def _theme_type(self, theme: "Token", verb: "Token") -> list[tuple[str, "Token"]]:
        """Relation types the transferred thing stands for (every theme noun in the phrase)."""
        out: list[tuple[str, "Token"]] = []
        cands = [theme]
        if theme.pos_ == "PRON":  # "collect money ... and give it to Y"
            sibs = [verb.head] if verb.dep_ == "conj" else []
            sibs += [c for c in verb.children if c.dep_ == "conj"]
            cands = [o for s in sibs for o in objects(s)]
        for c in cands:
            for t in conjuncts(c):
                found, _ = lookup_multi(t, self.lex.themes)
                if found and all(found != x for x, _ in out):
                    out.append((found, t))
        return out

    def transfer(self, v: "Token", lemma: str) -> bool:
        giving = lemma in self.lex.give_verbs
        passive = is_passive(v)
        dobjs = objects(v)
        withs = prep_objects(v, ("with",))
        recips_toks = datives(v) + prep_objects(v, ("to",))
        themes: list[tuple[str, "Token"]] = []
        for d in dobjs:
            themes += self._theme_type(d, v)
            if not recips_toks and themes:
                # "gives Hezbollah money": a small parser often makes the recipient a compound
                recips_toks = [c for c in d.children if c.dep_ == "compound" and c.pos_ == "PROPN"
                               and c.i == v.i + 1 + sum(1 for x in d.doc[v.i + 1:c.i] if x.dep_ == "compound")]
                recips_toks = [c for c in recips_toks if self.ctx.entity_of_token(c) is not None]
                if recips_toks:
                    themes = self._theme_type(d, v) or themes
        if not themes and withs:  # "provide X with weapons"
            for w in withs:
                themes += self._theme_type(w, v)
            recips_toks = recips_toks or dobjs
        if not themes:
            return False
        if giving:
            if passive:
                giver_toks, recips_toks = agents(v), (recips_toks or subjects(v))
            else:
                giver_toks = subjects(v)
                if not recips_toks:
                    recips_toks = prep_objects(v, ("for",))
        else:  # receiving: "X received/found sanctuary with/from Y"
            recips_toks = subjects(v) if not passive else []
            giver_toks = prep_objects(v, ("from", "with", "by", "in", "among"))
        givers, recips = self.ents(giver_toks), self.ents(recips_toks)
        in_return = self._in_return(v)
        if in_return and givers and (not recips or all(r.subtype == "generic" for r in recips)):
            for r in self._recent():
                if r.object in {g.id for g in givers}:
                    back = self.ctx.entity(r.subject)
                    if back is not None:
                        recips = [back]
                    break
        for rtype, _ in themes:
            self.pairwise(givers, rtype, recips, v)
        # "in exchange for N": the recipient gives N back
        for prep in v.children:
            if prep.dep_ != "prep":
                continue
            for p in prep.children:
                if p.dep_ == "pobj" and p.lemma_.lower() in self.lex.exchange_nouns:
                    counter: list[str] = []
                    for t in p.subtree:
                        found, _ = lookup_multi(t, self.lex.themes)
                        if found and found not in counter:
                            counter.append(found)
                    for rtype in counter:
                        self.pairwise(recips, rtype, givers, v)
        return True

    def _in_return(self, v: "Token") -> bool:
        for c in v.children:
            if c.dep_ in ("prep", "advmod") and c.i < v.i:
                last = max((t for t in c.subtree), key=lambda t: t.i)
                for words in self.lex.exchange_adverbials:
                    if matches_words(last, words) and not any(x.dep_ == "prep" for x in last.children):
                        return True
        return False

    # nouns ---------------------------------------------------------------------------------------
    def noun(self, n: "Token", lemma: str) -> None:
        rtype, first = lookup_multi(n, self.lex.nouns)
        if rtype is None or rtype == "attacks":  # relation_attacks reads attack nouns
            return
        if n.dep_ == "compound" and lookup_multi(n.head, self.lex.nouns)[0] is not None:
            return
        if rtype in ("allied_with", "agreement_with") and any(
                c.lemma_.lower() in self.lex.kin_modifiers for c in n.children if c.dep_ in ("compound", "amod")):
            rtype = "kin_of"
        subjs: list[Entity] = []
        objs: list[Entity] = []
        for c in n.children:
            if c.dep_ == "poss":
                subjs += self.ents([c])
            elif c.dep_ in ("compound", "nmod") and c.i < first.i:
                e = self.res.named(self.ctx.entity_of_token(c))
                if e is not None:
                    subjs.append(e)
        for prep in list(n.children) + [c for a in n.children if a.dep_ == "acl" for c in a.children]:
            if prep.dep_ not in ("prep", "agent"):
                continue
            pobjs = [x for p in prep.children if p.dep_ == "pobj" for x in conjuncts(p)]
            if prep.lower_ == "between" or prep.lower_ == "among":
                both = self.ents(pobjs)
                if len(both) >= 2:
                    subjs, objs = [both[0]], [both[1]]
            elif (prep.lower_ in ("with", "to", "for", "against") or prep.lower_ == "over" and rtype == "rival_of") \
                    and prep.head.lemma_.lower() not in self.lex.receive_verbs:
                objs += self.ents(pobjs)
            elif prep.lower_ == "by" and not subjs:
                subjs += self.ents(pobjs)
        # "X has/forged/denies ties with Y", "X signed a deal with Y"
        if not subjs and n.dep_ in ("dobj", "attr") and n.head.pos_ in ("VERB", "AUX") and n.head.lemma_ != "be":
            subjs = self.ents(subjects(n.head))
            if not objs:
                objs = self.ents(prep_objects(n.head, ("with", "to", "between")))
        # "X fought in alliance with Y", "X acted in coordination with Y"
        if not subjs and n.dep_ == "pobj" and n.head.lower_ in ("in", "into") \
                and n.head.head.pos_ in ("VERB", "AUX"):
            objs = objs or self.ents(prep_objects(n.head.head, ("with", "against")))
            subjs = self.ents(subjects(n.head.head)) if objs else []
        symmetric = rtype in self.lex.symmetric
        if symmetric and len(subjs) >= 2 and not objs:
            subjs, objs = subjs[:1], subjs[1:2]
        if not subjs and objs and rtype == "agreement_with":
            other = self._other_actor(objs[0])
            subjs = [other] if other else []
        if not subjs and rtype == "rival_of" and objs and all(o.type in ("organization", "group") for o in objs):
            home = self.roles.home()  # "decades of conflict with the rebels": the country the story is about
            subjs = [home] if home is not None and n.head.pos_ != "AUX" else []
        if not subjs and not objs and symmetric and rtype != "rival_of" and self._copular(n):
            pair = self._passage_pair(n)
            if pair:
                subjs, objs = [pair[0]], [pair[1]]
        if not subjs and objs and symmetric and self._copular(n) is False:
            return
        if n.dep_ == "pobj" and n.head.lower_ == "without":  # "to leave without a deal with Y"
            self.pairwise(subjs, rtype, objs, n, polarity="negative")
            return
        self.pairwise(subjs, rtype, objs, n)

    def _copular(self, n: "Token") -> bool:
        """Is the noun predicated of something vague ("It is a bond", "There are intermarriages",
        "The bond is deep")?"""
        head = n.head
        if n.dep_ == "attr" and head.lemma_ == "be":
            return True
        if n.dep_ in ("nsubj",) and head.lemma_ == "be":
            return True
        return False

    def _passage_pair(self, tok: "Token") -> tuple[Entity, ...]:
        recent = self._recent()
        for r in recent:
            if r.type in ("member_of", "leader_of"):
                continue  # a person and the body they belong to are no pair of allies or kin
            a, b = self.ctx.entity(r.subject), self.ctx.entity(r.object)
            if a and b and a.type in ("organization", "group", "person", "location") \
                    and b.type in ("organization", "group", "person", "location") \
                    and not is_nationality(a) and not is_nationality(b):
                return (a, b)
        return ()

    def _other_actor(self, exclude: Entity) -> Entity | None:
        best, best_score = None, None
        for tok in self.sent:
            e = self.res.named(self.ctx.entity_of_token(tok))
            if e is None or e.id == exclude.id or e.anonymous or is_nationality(e) or e.type not in ("organization", "group", "person", "location"):
                continue
            score = (e.type in ("organization", "group"), tok.dep_ in ("nsubj", "nsubjpass"), len(e.mentions))
            if best_score is None or score > best_score:
                best, best_score = e, score
        return best

    # adjectives ----------------------------------------------------------------------------------
    def adjective(self, a: "Token", lemma: str) -> None:
        rtype = self.lex.adjectives.get(lemma)
        if rtype is None or a.dep_ not in ("acomp", "attr", "xcomp", "ROOT", "ccomp"):
            return
        head = a.head if a.dep_ != "ROOT" else a
        subjs = self.ents(subjects(head)) if head.pos_ in ("AUX", "VERB") else []
        objs = self.ents(prep_objects(a, ("to", "with")))
        if rtype in self.lex.symmetric and len(subjs) >= 2 and not objs:
            subjs, objs = subjs[:1], subjs[1:2]
        self.pairwise(subjs, rtype, objs, a)

    # roles ---------------------------------------------------------------------------------------
    def role(self, r: "Token", lemma: str) -> None:
        rtype = self.lex.roles.get(lemma)
        orgs: list[Entity] = []
        for c in r.children:
            if c.dep_ in ("compound", "nmod", "amod") and c.i < r.i:
                e = self.res.named(self.ctx.entity_of_token(c))
                if e is not None and e.type in ("organization", "group") and not is_nationality(e):
                    orgs.append(e)
        for p in prep_objects(r, ("of", "in", "at", "with", "within", "for")):
            if p.head.lower_ == "in" and lemma in self.lex.located_roles:
                continue
            for e in self.ents([p]):
                if e.type in ("organization", "group") and not is_nationality(e):
                    orgs.append(e)
        # surface fallback for flat or broken parses: "his al Qaeda counterparts"
        person: Entity | None = None
        i = r.i - 1
        while i >= r.sent.start and r.i - i <= 5:
            t = r.doc[i]
            e = self.res.named(self.ctx.entity_of_token(t))
            if e is not None and e.type in ("organization", "group"):
                if all(e.id != o.id for o in orgs) and not is_nationality(e):
                    orgs.append(e)
                i -= 1
                continue
            if t.tag_ == "PRP$" and not orgs:
                break
            if t.tag_ == "PRP$" or t.tag_ == "POS":
                owner = t if t.tag_ == "PRP$" else t.head if t.head.i != t.i else t
                if t.tag_ == "POS" and i > r.sent.start:
                    owner = r.doc[i - 1]
                ents = self.res.entities(owner)
                if ents and ents[0].type == "person":
                    person = ents[0]
                break
            if t.pos_ in ("PROPN", "ADJ", "NOUN", "PUNCT") and not t.text in (",", ";", "(", ")"):
                i -= 1
                continue
            break
        # located roles: "Y fighters in Z"
        if lemma in self.lex.located_roles:
            places = [e for p in prep_objects(r, ("in", "inside", "across", "throughout")) for e in self.ents([p])
                      if e.type == "location"]
            for o in orgs:
                for loc in places:
                    self.add(o, "operates_in", loc, r)
        # the titles, appositions and predicates of named persons are read by relation_roles; what
        # is left here is the possessive: "his Hezbollah counterparts" -> he is a member
        if rtype is None or not orgs or person is None or person.type != "person":
            return
        for o in orgs:
            if o.id != person.id:
                self.add(person, rtype, o, r)


def _stance_modified(tok: "Token") -> bool:
    """A noun the name of an actor only modifies as "anti-X" / "pro-X" / "non-X"."""
    doc = tok.doc
    return tok.pos_ == "NOUN" and any(
        c.dep_ in ("amod", "compound") and c.i >= 2 and doc[c.i - 1].text == "-"
        and doc[c.i - 2].lower_ in ("anti", "pro", "non") for c in tok.children)


def _plain_polarity(tok: "Token") -> str:
    """negative only when the trigger or its predicate is negated outright ("no rivalry", "did not
    clash"); a verb that ends or denies it ("ending decades of conflict") keeps it a fact."""
    t = tok
    for _ in range(5):
        if any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ in ("no", "neither")) for c in t.children):
            return "negative"
        if t.pos_ in ("VERB", "AUX") or t.head.i == t.i:
            break
        t = t.head
    return "positive"


def _verb_preps(v: "Token", ctx: Context) -> list["Token"]:
    """The prepositions of a verb, and those the parser hung on an object of its own preposition that
    names no actor ("competed for the role against X", "fought in the war against Y")."""
    out = []
    for prep in v.children:
        if prep.dep_ not in ("prep", "dative", "agent"):
            continue
        out.append(prep)
        for p in prep.children:
            if p.dep_ == "pobj" and ctx.entity_of_phrase(p) is None and lookup_multi(p, relation_lexicon().nouns)[0] is None:
                out += [c for c in p.children if c.dep_ == "prep" and c.lower_ in ("against", "with")]
    return out


def _passive_subjects(v: "Token") -> list["Token"]:
    """What a passive verb says something about: its subject, the noun a participle modifies ("the
    rebels, backed by Iran"); not the subject of the clause an adverbial participle hangs on."""
    if v.dep_ == "acl":
        return conjuncts(v.head)
    if v.dep_ == "advcl" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in v.children):
        return []
    return subjects(v)


def _ending_head(trigger: "Token", lex: RelationLexicon) -> "Token | None":
    """The verb that ends the tie a trigger names: "cut ties", "ended its support", "stopped funding",
    "broke off relations" (the trigger as object or complement of the ending verb)."""
    t = trigger
    if t.dep_ == "pobj" and t.head.lower_ in ("from", "of") and t.head.head.pos_ == "VERB":
        t = t.head  # "withdrew the US from a treaty with Iran", "pulled out of the deal"
        head = t.head
        prt = particle(head)
        lemma = head.lemma_.lower()
        return head if (prt and (lemma, prt) in lex.ending_verbs) or (lemma,) in lex.ending_verbs else None
    for _ in range(2):
        head = t.head
        if head.i == t.i or t.dep_ not in ("dobj", "xcomp", "obj", "nsubjpass", "pcomp", "conj", "ccomp"):
            return None
        if head.pos_ in ("VERB", "AUX"):
            lemma = head.lemma_.lower()
            prt = particle(head)
            if (prt and (lemma, prt) in lex.ending_verbs) or (lemma,) in lex.ending_verbs:
                return head
            return None
        if t.dep_ != "conj":
            return None
        t = head
    return None


def run(ctx: Context) -> None:
    if not ctx.text.strip():
        return
    res = Resolver(ctx)
    builder = _Builder(ctx, relation_lexicon(), res)
    for sent in ctx.doc.sents:
        builder.sentence(sent)
    builder.roles.drop_contradicted()
    # operates_in read off events is added by the events stage (relation_events), which reads the
    # events once: this stage no longer runs the event extraction a second time
    ctx.relations.sort(key=lambda r: (r.evidence.start, r.evidence.end))


# "entities": the resolver makes a generic group entity for an untied "terrorists" / "militants"
STAGE = StageInfo("relations", requires=("entities", "statements", "times"), assigns=("relations", "entities"), run=run)
