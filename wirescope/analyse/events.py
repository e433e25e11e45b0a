"""Events stage: PLOVER events from a verb-and-noun dictionary over the dependency parse.

Triggers come from data/plover.yaml (lemmas, phrasal verbs, nominalisations, predicative
adjectives). Arguments:
- verbs: source = subject (passive: the "by" agent), target = object (passive: the subject), else
  the object of with/against/on/at/to; a location entity after in/at/from/on is the location;
- nouns: source = possessor, a compound actor ("US withdrawal"), "by" agent, the "of" actor of
  intransitive nouns ("the withdrawal of foreign troops"), or the subject of a light verb ("launched
  a raid"); target = on/against/for/with/to/of object, the object of a participle ("the raid
  targeting X"), or X in "X was the subject/target/victim of N";
- AGREE, CONSULT, COOPERATE with a partner but no named source take the other actor of the sentence.
Not events: words that are the content of a charge, plot, plan, threat, demand or refusal
("conspiracy to kill", "accused of bombing", "demanded the release"): the head word is the event.
Polarity and modality follow negation and modal scope (syntax.polarity_of / modality_of).
Coreference of event mentions within a document: a trigger inside another's phrase ("killed in the
raid", "the deal signed with") joins it; a definite noun ("the raid") or the same type with the
same actors joins the latest compatible earlier event (no clashing named actors, times one a prefix
of the other). A merged event keeps the most specific time and fills empty roles.
Events with neither source nor target are dropped (they say nothing about actors), except asserted
positive verb mentions ('demonstrators marched'): the happening is reported even when its actor
is not a known entity.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from wirescope.analyse.context import Context
from wirescope.analyse.pipeline import StageInfo
from wirescope.analyse.syntax import (
    DEFINITE, Resolver, agents, compatible_times, conjuncts, datives, is_passive, lookup_multi,
    modality_of, objects, particle, polarity_of, predicate_time, prep_objects, sentence_span,
    specificity, subjects,
)
from wirescope.analyse.vocab import event_lexicon, plover_data
from wirescope.model import Entity, Event

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Span as SpacySpan, Token

ACTOR = {"person", "organization", "group", "location"}
TARGET_PREPS = ("against", "on", "with", "at", "to", "for", "upon", "into", "toward", "towards")
LOCATION_PREPS = {"in", "at", "from", "near", "inside", "outside", "across", "into", "on", "throughout", "within"}
CONTENT_HEADS_EXTRA = {"demand", "request", "call", "appeal", "urge", "ask", "reject", "refuse",
                       "decline", "propose", "proposal", "offer", "agree", "promise", "pledge", "vow",
                       "willing", "ready", "prepared", "warn", "insist", "press", "threat"}
PARTNER_TYPES = {"AGREE", "CONSULT", "COOPERATE"}
VERBAL_TYPES = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "REQUEST", "ACCUSE", "REJECT", "THREATEN"}
# a stated future material act is a promise (cooperation) or a threat (conflict)
PROMISED = {"RETREAT": "AGREE", "AID": "AGREE", "COOPERATE": "AGREE",
            "ASSAULT": "THREATEN", "COERCE": "THREATEN", "SANCTION": "THREATEN", "PROTEST": "THREATEN",
            "MOBILIZE": "THREATEN"}
# the REQUEST mode of an obliged act ("X must release ...", "Y should hold talks")
REQUEST_MODE = {"RETREAT": "yield", "CONCEDE": "yield", "AID": "assist", "COOPERATE": "assist",
                "CONSULT": "meet", "AGREE": "change"}
PARTITIVES = {"part", "some", "all", "portion", "much", "most", "half", "bulk", "rest", "share", "parts", "any",
              # quantities: "tens of thousands of troops", "50 tonnes of supplies", "a shipment of arms"
              "ten", "dozen", "hundred", "thousand", "million", "tonne", "ton", "batch", "shipment",
              "consignment", "number", "convoy", "load", "truckload", "planeload", "lot"}
# particles that spaCy parses as a preposition after the object: "pulled its troops out of", "called them up"
DETACHED_PARTICLES = {"out", "back", "up", "down", "off", "away"}
# a verb of being or putting with "on" + state noun: "went on strike", "put its forces on alert"
ON_STATE_VERBS = {"go", "put", "place", "be", "remain", "stay", "keep", "come"}
# material conflict acts: a vow or pledge to carry one out is a threat ("vowed to target ships")
THREAT_ACTS = {"ASSAULT", "COERCE", "SANCTION"}
PROMISE_VERBS = {"vow", "pledge", "promise", "swear"}
OBLIGATION_AUX = {"must", "should", "ought"}
SAYING = {"say", "declare", "announce", "insist", "state", "tell", "stress", "warn", "add", "argue",
          "maintain", "write", "demand", "reiterate", "emphasize", "emphasise", "assert", "urge"}
PARTICIPATION = {"engage", "involve", "participate", "join", "take", "partake", "embroil", "implicate"}
PLACE_EVENTS = {"ASSAULT", "MOBILIZE", "PROTEST", "COERCE"}
MAX_SENT_TOKENS = 400  # very long "sentences" (tables, run-ons) are skipped for arguments


@dataclass
class Mention:
    type: str
    mode: str | None
    trigger: "Token"
    words: list["Token"]
    source: Entity | None = None
    target: Entity | None = None
    location: Entity | None = None
    time: str | None = None
    polarity: str = "positive"
    modality: str = "asserted"
    definite: bool = False
    absorbed: list[int] = field(default_factory=list)  # token ids of triggers merged in here


def _token_entities(res: Resolver, toks) -> list[Entity]:
    out: list[Entity] = []
    for t in toks:
        for e in res.entities(t):
            if e is not None and e.id not in {x.id for x in out}:
                out.append(e)
    return out


def _first_actor(ents: list[Entity], allow_location: bool = True) -> Entity | None:
    for e in ents:
        if e.type in ACTOR and (allow_location or e.type != "location"):
            return e
    return None


def _trigger_of(tok: "Token"):
    """(type, mode, words) when tok is an event trigger."""
    lex = event_lexicon()
    pos = tok.pos_
    lemma = tok.lemma_.lower()
    if pos == "VERB" or (pos == "AUX" and False):
        prt = particle(tok)
        if prt and (lemma, prt) in lex.verbs:
            etype, mode = lex.verbs[(lemma, prt)]
            return etype, mode, [tok]
        for c in tok.children:  # "pulled its troops out of": a particle parsed as a later preposition
            if c.dep_ == "prep" and c.lower_ in DETACHED_PARTICLES and tok.i + 1 < c.i <= tok.i + 6 \
                    and not any(g.dep_ == "pobj" for g in c.children) and (lemma, c.lower_) in lex.verbs:
                etype, mode = lex.verbs[(lemma, c.lower_)]
                return etype, mode, [tok]
        for c in tok.children:  # "fire on", "call for", "open fire": the next word
            if c.i == tok.i + 1 and c.dep_ in ("prep", "dobj") and (lemma, c.lower_) in lex.verbs:
                etype, mode = lex.verbs[(lemma, c.lower_)]
                return etype, mode, [tok, c]
        if (lemma,) in lex.verbs:
            etype, mode = lex.verbs[(lemma,)]
            return etype, mode, [tok]
        return None
    if pos in ("NOUN", "PROPN") and not tok.ent_type_ in ("PERSON", "GPE", "ORG", "NORP", "DATE"):
        # a modifier of a longer trigger belongs to it ("arrest warrant", "hunger strike")
        if tok.dep_ == "compound" and _trigger_of_noun(tok.head) is not None:
            return None
        return _trigger_of_noun(tok)
    if pos == "ADJ" and lemma in lex.adjectives and tok.dep_ in ("acomp", "xcomp", "attr") and any(
            c.dep_ == "xcomp" for c in tok.children):
        etype, mode = lex.adjectives[lemma]
        return etype, mode, [tok]
    return None


def _trigger_of_noun(tok: "Token"):
    if tok.pos_ not in ("NOUN", "PROPN"):
        return None
    entry, first = lookup_multi(tok, event_lexicon().nouns)
    if entry is None:
        return None
    etype, mode = entry
    words = [tok.doc[i] for i in range(first.i, tok.i + 1)]
    return etype, mode, words


def _not_an_event(tok: "Token") -> bool:
    """The word is the content of a charge, plot, plan, threat, demand or refusal."""
    lex = event_lexicon()
    heads = lex.not_event_heads | CONTENT_HEADS_EXTRA
    t = tok
    for _ in range(5):
        if t.head.i == t.i:
            return False
        if t.dep_ not in ("xcomp", "ccomp", "acl", "pobj", "prep", "pcomp", "conj", "dobj", "advcl", "relcl", "compound"):
            return False
        if t.dep_ == "ccomp" and t.head.lemma_.lower() not in heads:
            return False
        t = t.head
        if t.lemma_.lower() in heads and t.i != tok.i:
            return True
    return False


def _is_light(verb: "Token", light: set[str]) -> bool:
    """verb is a light verb; also when the tagger's lemma is off ("staged" -> "stag")."""
    lemma = verb.lemma_.lower()
    if lemma in light:
        return True
    w = verb.lower_
    return verb.pos_ == "VERB" and w.endswith("d") and (w[:-1] in light or w[:-2] in light)


def _on_state(tok: "Token") -> bool:
    """"went on strike", "put its forces on alert": a state noun after "on" and a verb of being or putting."""
    return tok.dep_ == "pobj" and tok.head.lower_ == "on" and tok.head.head.lemma_.lower() in ON_STATE_VERBS


@lru_cache(maxsize=None)
def _senses(key: str) -> dict[str, tuple[str, str | None]]:
    """plover.yaml `on_senses` / `intransitive_senses`: lemma -> (type, mode)."""
    return {k: (v[0], v[1] if len(v) > 1 else None) for k, v in (plover_data().get(key) or {}).items()}


class _Extractor:
    def __init__(self, ctx: Context, res: Resolver) -> None:
        self.ctx = ctx
        self.res = res
        self.lex = event_lexicon()

    # ---- arguments ----------------------------------------------------------------------------
    def _location_in(self, tok: "Token", exclude: set[str]) -> Entity | None:
        """A location entity in the trigger's prepositional phrases (depth-limited)."""
        frontier = [(c, 0) for c in tok.children if c.dep_ == "prep" and c.lower_ in LOCATION_PREPS]
        while frontier:
            prep, depth = frontier.pop(0)
            for p in prep.children:
                if p.dep_ != "pobj":
                    continue
                for e in _token_entities(self.res, conjuncts(p)):
                    if e.type == "location" and e.id not in exclude:
                        return e
                if depth < 2:
                    frontier.extend((c, depth + 1) for c in p.children if c.dep_ == "prep" and c.lower_ in LOCATION_PREPS)
        return None

    def _patient_frame(self, noun: "Token") -> Entity | None:
        """X in "X was the subject/target/victim of N"."""
        prep = noun.head
        if noun.dep_ != "pobj" or prep.lower_ != "of":
            return None
        frame = prep.head
        if frame.lemma_.lower() not in self.lex.patient_frames:
            return None
        if frame.dep_ in ("attr",) and frame.head.lemma_ == "be":
            return _first_actor(_token_entities(self.res, subjects(frame.head)))
        if frame.dep_ == "appos":
            return _first_actor(_token_entities(self.res, [frame.head]))
        return None

    def verb_args(self, m: Mention) -> None:
        v = m.trigger
        passive = is_passive(v)
        if passive:
            src_toks = agents(v)
            tgt_toks = [t for t in subjects(v)] if v.dep_ not in ("acl", "amod") else [v.head]
        else:
            src_toks = subjects(v)
            tgt_toks = objects(v) + datives(v)
        srcs = _token_entities(self.res, src_toks)
        if not srcs:  # "Uganda's government shut down ...": the possessor of an unnamed subject
            srcs = [e for e in _token_entities(self.res, [c for t in src_toks for c in t.children if c.dep_ == "poss"])
                    if e.type in ACTOR]
        tgts = _token_entities(self.res, tgt_toks)
        m.source = _first_actor(srcs)
        m.target = _first_actor([e for e in tgts if m.source is None or e.id != m.source.id])
        if m.target is None:
            for p in prep_objects(v, TARGET_PREPS):
                ents = [e for e in _token_entities(self.res, [p]) if m.source is None or e.id != m.source.id]
                e = _first_actor(ents, allow_location=p.head.lower_ not in ("in", "at", "into"))
                if e is not None:
                    m.target = e
                    break
        exclude = {e.id for e in (m.source, m.target) if e}
        m.location = self._location_in(v, exclude)
        self._needs_target(m, tgt_toks)

    def _needs_target(self, m: Mention, tgt_toks) -> None:
        lemma = m.trigger.lemma_.lower()
        if lemma not in self.lex.needs_target:
            return
        if m.target is not None:
            return
        if m.trigger.pos_ == "VERB" and len(m.words) > 1:
            return  # a phrasal entry ("call for", "open fire") is an event in its own right
        allowed = self.lex.patients.get(lemma, set())
        # "part of a military aid program": the partitive's "of" object is the real patient
        tgt_toks = list(tgt_toks) + [p for t in list(tgt_toks) + objects(m.trigger) if t.lemma_.lower() in PARTITIVES
                                     for p in prep_objects(t, ("of",))]
        heads = [t.lemma_.lower() for t in tgt_toks] + [t.lemma_.lower() for t in objects(m.trigger)]
        heads += [t.lemma_.lower() for t in prep_objects(m.trigger, ("with",))]
        if not any(h in allowed for h in heads):
            m.type = ""  # not an event in this use

    def noun_args(self, m: Mention) -> None:
        n = m.trigger
        lemma = n.lemma_.lower()
        first = m.words[0]
        src: Entity | None = None
        tgt: Entity | None = None
        for c in n.children:
            if c.dep_ == "poss":
                src = src or _first_actor(self.res.entities(c))
            elif c.dep_ in ("compound", "amod", "nmod") and c.i < first.i:
                e = self.res.named(self.ctx.entity_of_token(c))
                if e is not None and e.type in ACTOR:
                    src = src or e
        for prep in n.children:
            if prep.dep_ not in ("prep", "agent"):
                continue
            p = prep.lower_
            pobjs = [t for t in prep.children if t.dep_ == "pobj"]
            ents = _token_entities(self.res, [x for t in pobjs for x in conjuncts(t)])
            if p == "by":
                src = src or _first_actor(ents)
            elif p == "of":
                if lemma in self.lex.of_source:
                    src = src or _first_actor(ents)
                else:
                    tgt = tgt or _first_actor(ents, allow_location=False)
            elif p == "between" and len(ents) >= 2:
                src, tgt = src or ents[0], tgt or ents[1]
            elif p in TARGET_PREPS:
                # "sanctions on Iran" target a state; "a raid on Kabul" happens at a place
                place_like = p == "at" or (p == "on" and m.type in PLACE_EVENTS)
                tgt = tgt or _first_actor(ents, allow_location=not place_like)
        # participles on the noun: "the raid targeting X", "a warrant issued by Y", "the deal signed with Z"
        for c in n.children:
            if c.dep_ == "acl" and c.pos_ == "VERB":
                if is_passive(c):
                    src = src or _first_actor(_token_entities(self.res, agents(c)))
                    for p in prep_objects(c, ("with", "to")):
                        tgt = tgt or _first_actor(_token_entities(self.res, [p]))
                else:
                    tgt = tgt or _first_actor(_token_entities(self.res, objects(c)))
        tgt = tgt or self._patient_frame(n)
        # light verbs: "launched a raid", "held talks", "imposed a curfew"
        if src is None and n.dep_ in ("dobj", "attr") and _is_light(n.head, self.lex.light_verbs):
            head = n.head
            if is_passive(head):
                src = _first_actor(_token_entities(self.res, agents(head)))
            else:
                src = _first_actor(_token_entities(self.res, subjects(head)))
                if tgt is None:
                    ents = _token_entities(self.res, datives(head) + prep_objects(head, TARGET_PREPS))
                    tgt = _first_actor([e for e in ents if src is None or e.id != src.id], allow_location=False)
        # "engaged in ethnic cleansing", "took part in the protest", "returned to Geneva for talks"
        if src is None and n.dep_ == "pobj" and n.head.dep_ == "prep":
            prep, verb = n.head, n.head.head
            if verb.pos_ in ("VERB", "AUX", "ADJ") and (
                    (prep.lower_ == "in" and verb.lemma_.lower() in PARTICIPATION) or
                    (prep.lower_ == "for" and verb.pos_ == "VERB" and not is_passive(verb)) or
                    (prep.lower_ == "on" and verb.lemma_.lower() in ON_STATE_VERBS)):
                src = _first_actor(_token_entities(self.res, subjects(verb)), allow_location=False)
        if src is not None and tgt is not None and src.id == tgt.id:
            tgt = None
        m.source, m.target = src, tgt
        exclude = {e.id for e in (src, tgt) if e}
        m.location = self._location_in(n, exclude)
        for c in n.children:
            if m.location is None and c.dep_ == "acl":
                m.location = self._location_in(c, exclude)
        m.definite = any(c.dep_ in ("det", "poss") and (c.lower_ in DEFINITE or c.dep_ == "poss") for c in n.children)
        self._needs_target(m, [])

    def _mode(self, m: Mention) -> None:
        if m.mode:
            return
        cues = self.lex.mode_cues.get(m.type)
        if not cues:
            return
        tok = m.trigger
        scope = list(tok.subtree) if tok.pos_ != "VERB" else [t for c in tok.children if c.dep_ in ("prep", "dobj", "advcl", "npadvmod") for t in c.subtree]
        scope += list(tok.head.children) if tok.dep_ in ("dobj", "pobj") else []
        for t in scope:
            for w in (t.lemma_.lower(), t.lower_):
                if w in cues:
                    m.mode = cues[w]
                    return

    # ---- a sentence ---------------------------------------------------------------------------
    def sentence(self, sent: "SpacySpan") -> list[Mention]:
        found: list[Mention] = []
        if len(sent) > MAX_SENT_TOKENS:
            return found
        used: set[int] = set()
        for tok in sent:
            if tok.i in used or tok.is_punct or tok.is_space:
                continue
            trig = _trigger_of(tok)
            if trig is None:
                if tok.pos_ == "VERB" and self._obligation(tok, "", found):
                    used.add(tok.i)
                continue
            etype, mode, words = trig
            etype, mode = self._sense(tok, etype, mode)
            if _not_an_event(tok):
                continue
            if tok.pos_ == "VERB" and self._obligation(tok, etype, found):
                used.add(tok.i)
                continue
            m = Mention(etype, mode, tok, words)
            if tok.pos_ == "VERB":
                self.verb_args(m)
            elif tok.pos_ == "ADJ":
                m.source = _first_actor(_token_entities(self.res, subjects(tok.head) if tok.head.lemma_ == "be" else []))
            else:
                self.noun_args(m)
            if not m.type:
                continue
            used.update(w.i for w in words)
            m.polarity = polarity_of(tok)
            m.modality = modality_of(tok)
            m.time = predicate_time(self.ctx, tok)
            self._mode(m)
            found.append(m)
        return self._merge_in_sentence(sent, found)

    def _sense(self, tok: "Token", etype: str, mode):
        """The construction picks the sense of an ambiguous trigger: "went on strike" (PROTEST, not
        ASSAULT), "protested in the capital" (PROTEST, not ACCUSE), "vowed to attack" (THREATEN)."""
        lemma = tok.lemma_.lower()
        if tok.pos_ in ("NOUN", "PROPN"):
            sense = _senses("on_senses").get(lemma)
            if sense and _on_state(tok):
                return sense
            return etype, mode
        if tok.pos_ != "VERB":
            return etype, mode
        sense = _senses("intransitive_senses").get(lemma)
        if sense and not any(c.dep_ in ("dobj", "ccomp", "xcomp", "dative") or
                             (c.dep_ == "prep" and c.lower_ in ("to", "over", "about")) for c in tok.children):
            return sense
        if etype == "AGREE" and lemma in PROMISE_VERBS:
            for c in tok.children:
                act = _trigger_of(c) if c.dep_ == "xcomp" else None
                if act is not None and act[0] in THREAT_ACTS:
                    return "THREATEN", ("violence" if act[0] == "ASSAULT" else None)
        return etype, mode

    def _obligation(self, v: "Token", etype: str, found: list[Mention]) -> bool:
        """"X said Y must release the hostages": X demands it of Y (REQUEST, source X, target Y);
        the obliged act is the demand's content, not a happening."""
        aux = [c for c in v.children if c.dep_ == "aux" and c.lower_ in OBLIGATION_AUX]
        if not aux:
            return False
        say = v.head
        if v.dep_ != "ccomp" or say.pos_ not in ("VERB", "AUX") or say.lemma_.lower() not in SAYING:
            return False
        speaker = _first_actor(_token_entities(self.res, subjects(say)))
        obliged = _first_actor(_token_entities(self.res, subjects(v)))
        if speaker is None or obliged is None or obliged.id == speaker.id:
            return False
        m = Mention("REQUEST", REQUEST_MODE.get(etype, "change"), v, [aux[0], v] if aux[0].i < v.i else [v])
        m.source, m.target = speaker, obliged
        m.polarity = polarity_of(say)
        m.modality = modality_of(say)
        m.time = predicate_time(self.ctx, say)
        found.append(m)
        return True

    def _merge_in_sentence(self, sent: "SpacySpan", found: list[Mention]) -> list[Mention]:
        """A trigger inside another's phrase is the same happening: "killed in the raid", "the deal
        signed with Y", "give them shelter", "in which a leader was killed" (relative clause)."""
        by_tok = {m.trigger.i: m for m in found}
        out: list[Mention] = []
        for m in found:
            host = self._host(m, by_tok)
            if host is not None and host is not m:
                _absorb(host, m)
            else:
                out.append(m)
        return out

    def fill_partner(self, m: Mention) -> None:
        """AGREE/CONSULT/COOPERATE with a target and no source take the sentence's other actor."""
        if m.source is None and m.target is not None and m.type in PARTNER_TYPES:
            m.source = self._other_actor(m.trigger.sent, m.target)

    def _host(self, m: Mention, by_tok: dict[int, Mention]) -> Mention | None:
        t = m.trigger
        # participle or light verb directly on a noun trigger, or a noun trigger as a verb's object
        if t.dep_ in ("acl", "relcl") and t.head.i in by_tok:
            return by_tok[t.head.i]
        if t.dep_ in ("dobj", "attr") and t.head.i in by_tok:
            host = by_tok[t.head.i]
            # "signed a deal", "demanded the release": one happening; "dispatched inspectors"
            # (a material act whose object names another kind of event): two
            if host.type == m.type or host.type in VERBAL_TYPES:
                return host
            return None
        # "the raid killed X": the noun subject of the same type is the happening itself
        for c in t.children:
            if c.dep_ in ("nsubj",) and c.i in by_tok and by_tok[c.i].type == m.type:
                return by_tok[c.i]
        # "killed in the raid" / "in which ... was killed" (relative clause on a noun in the trigger's phrase)
        for prep in t.children:
            if prep.dep_ == "prep" and prep.lower_ in ("in", "during", "by"):
                for p in prep.children:
                    if p.i in by_tok:
                        return by_tok[p.i]
                    if p.lower_ in ("which", "that") and t.dep_ == "relcl":
                        a = t.head
                        for _ in range(4):
                            if a.i in by_tok:
                                return by_tok[a.i]
                            if a.head.i == a.i:
                                break
                            a = a.head
        return None

    def _other_actor(self, sent: "SpacySpan", exclude: Entity) -> Entity | None:
        best, best_score = None, None
        for tok in sent:
            e = self.res.named(self.ctx.entity_of_token(tok))
            if e is None or e.id == exclude.id or e.type not in ("organization", "group", "person", "location"):
                continue
            if e.anonymous or e.label == "NORP":
                continue
            score = (e.type in ("organization", "group"), tok.dep_ in ("nsubj", "nsubjpass"), len(e.mentions))
            if best_score is None or score > best_score:
                best, best_score = e, score
        return best


def _absorb(host: Mention, m: Mention) -> None:
    host.source = host.source or m.source
    if host.target is not None and host.target.type == "location" and m.target is not None \
            and m.target.type != "location" and host.type in PLACE_EVENTS:
        host.location = host.location or host.target
        host.target = None
    if host.target is None or (m.target is not None and _weak(host.target) and not _weak(m.target)):
        host.target = m.target or host.target
    host.location = host.location or m.location
    host.mode = host.mode or (m.mode if m.type == host.type else None)
    if specificity(m.time) > specificity(host.time) and compatible_times(host.time, m.time):
        host.time = m.time
    host.time = host.time or m.time
    if m.polarity == "negative" and host.trigger.pos_ != "NOUN":
        host.polarity = "negative"
    host.absorbed.append(m.trigger.i)


def _promises(merged: list[tuple[Mention, tuple[int, int]]]) -> list[tuple[Mention, tuple[int, int]]]:
    """A material act the source states it will carry out is also a promise (AGREE: "the rebels
    said they will release the hostages") or a threat (THREATEN: "they would boycott all contact")."""
    out = []
    for m, span in merged:
        kind = PROMISED.get(m.type)
        if kind is None or m.modality not in ("future", "hedged") or m.polarity != "positive" or m.source is None:
            continue
        pred = m.trigger.head if m.trigger.dep_ in ("dobj", "attr") and m.trigger.head.pos_ == "VERB" else m.trigger
        auxes = {t.lower_ for t in pred.children if t.dep_ == "aux"}
        if m.modality == "hedged" and not ("would" in auxes and pred.dep_ == "ccomp"
                                           and pred.head.lemma_.lower() in SAYING):
            continue  # "would" only as the source's own reported intent ("said they would boycott")
        if not auxes & {"will", "would", "shall", "'ll"} \
                and not any(t.lemma_.lower() in ("pledge", "promise", "vow", "threaten", "offer", "agree")
                            for t in m.trigger.ancestors):
            continue  # the future must be the source's stated intent, not a purpose clause
        d = Mention(kind, None, m.trigger, m.words, source=m.source, target=m.target,
                    location=m.location, time=m.time, polarity="positive", modality="asserted")
        out.append((d, span))
    return out


def _weak(e: Entity) -> bool:
    """A descriptive or generic actor, to be replaced by a named one on merging."""
    return e.anonymous or e.subtype == "generic" or not e.name[:1].isupper()


def _compatible(a: Mention, b: Mention) -> bool:
    if a.type != b.type:
        return False
    for x, y in ((a.source, b.source), (a.target, b.target)):
        if x is not None and y is not None and x.id != y.id and not (_weak(x) or _weak(y)):
            return False
    return compatible_times(a.time, b.time)


def _same_actors(a: Mention, b: Mention) -> bool:
    return (a.source is not None and b.source is not None and a.source.id == b.source.id
            and a.target is not None and b.target is not None and a.target.id == b.target.id)


def _same_word(a: Mention, b: Mention) -> bool:
    """Mentions of one happening by the same word family ("withdrawing" / "the withdrawal")."""
    x, y = a.trigger.lemma_.lower(), b.trigger.lemma_.lower()
    n = min(len(x), len(y), 6)
    return x == y or (n >= 4 and x[:n] == y[:n])


def extract(ctx: Context, res: Resolver | None = None) -> list[Event]:
    """The document's events, merged across mentions (no change to ctx except generic groups the
    resolver may add)."""
    res = res or Resolver(ctx)
    ex = _Extractor(ctx, res)
    merged: list[tuple[Mention, tuple[int, int]]] = []
    # the same, by event type: only a mention of the same type can be compatible (_compatible)
    merged_by_type: dict[str, list[Mention]] = {}
    for sent in ctx.doc.sents:
        span = sentence_span(ctx, sent)
        for m in ex.sentence(sent):
            host = None
            for prev in reversed(merged_by_type.get(m.type, ())):
                if not _compatible(prev, m):
                    continue
                if _same_actors(prev, m) or (_same_word(prev, m) and (
                        m.definite or m.source is None or m.target is None)):
                    host = prev
                    break
            if host is not None:
                _absorb(host, m)
            else:
                merged.append((m, span))
                merged_by_type.setdefault(m.type, []).append(m)
    for m, _ in merged:
        ex.fill_partner(m)
    merged.extend(_promises(merged))
    events: list[Event] = []
    for m, (start, end) in merged:
        if m.source is None and m.target is None and not (
                m.modality == "asserted" and m.polarity == "positive" and (
                    m.trigger.pos_ == "VERB" or (m.trigger.dep_ == "dobj" and _is_light(m.trigger.head, ex.lex.light_verbs))
                    or _on_state(m.trigger))):
            continue
        if m.source is not None and m.target is not None and m.source.id == m.target.id:
            m.target = None
        trig = m.trigger
        tstart = m.words[0].idx
        tend = m.words[-1].idx + len(m.words[-1].text)
        if not (start <= tstart and tend <= end):
            start, end = min(start, tstart), max(end, tend)
        stmt = ctx.statement_covering(tstart, tend)
        events.append(Event(
            type=m.type, trigger=ctx.text[tstart:tend], evidence=ctx.span(start, end),
            source=m.source.id if m.source else None, target=m.target.id if m.target else None,
            location=m.location.id if m.location else None, time=m.time, mode=m.mode,
            polarity=m.polarity, modality=m.modality, statement=stmt.id if stmt else None,
            trigger_span=ctx.span(tstart, tend),
        ))
        del trig
    return events


def run(ctx: Context) -> None:
    ctx.events.extend(extract(ctx))


STAGE = StageInfo("events", requires=("entities", "statements", "times"), assigns=("events",), run=run)
