"""Events stage: PLOVER events read off the predicate layer (wirescope.analyse.predicates).

Triggers are frames whose predicate is a word of data/plover.yaml (verbs, phrasal verbs, nouns,
predicative adjectives) or a naming construction ("called the move a smash and grab": criticism).
Arguments come from the frame: source = agent, target = patient or recipient, else the object of
with/against/on/at/to (a protest also "outside" an institution), else an actor inside a non-actor
argument ("May's agreement", "the investigation into Trump"), else for a promise, vow or demand the
target of the act it is about ("agreed to help with Mueller's investigation"); location = a place
of the frame, else (for material acts) an attacked place or the in/at place of the sentence.
Arguments resolve to actors through predicates_actors (pronouns, unnamed actor phrases such as
"two suspects", a quotation's "we" as its speaker); coordinated actors each make a (source,
target) pair of their own ("police and soldiers raided").
Polarity, modality and time are the frame's (hypothetical and conditional frames are hedged; an
event takes the time of its own clause, else of its sentence, else, when it is reported as having
happened, the latest date of its paragraph before it (the paragraph's narrative time); never the
publication date).
Not events: words that are the content of a charge, plot, plan, threat, demand or refusal
("conspiracy to kill", "accused of bombing", "demanded the release"): the head word is the event.
Who did it: "X claimed responsibility (for the attack)", "attributed the bombing to X", "X are the
perpetrators", "the attackers" give the source of the act named, else of the latest attack.
Coreference of event mentions within a document: a trigger inside another's phrase ("killed in the
raid", "the deal signed with") joins it; a definite noun or the same type with the same actors
joins the latest compatible earlier event of the same word family (no clashing named actors, times
one a prefix of the other), and a definite "the attack" or an agentless "were also injured" joins
the latest attack whatever word named it. A merged event keeps the most specific time and fills
empty roles. Stated future acts are also promises or threats; refusing to yield is a REJECT.
Events with neither source nor target are dropped (they say nothing about actors), except asserted
positive verb mentions ('demonstrators marched'): the happening is reported even when its actor
is not a known entity.
"""
from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from wirescope.analyse.context import Context
from wirescope.analyse.event_derived import (
    SAYING, Mention, answers, blame, is_phenomenon, promises, refusals, sympathy, tributes, victims,
)
from wirescope.analyse.pipeline import StageInfo
from wirescope.analyse.predicates import Frame, frames, nominal_words, publish
from wirescope.analyse.predicates_actors import ArgumentResolver
from wirescope.analyse.predicates_base import predicate_lexicon
from wirescope.analyse.syntax import (
    DEFINITE, Resolver, compatible_times, lookup_multi, modality_of, objects, particle, polarity_of,
    prep_objects, sentence_span, specificity, subjects,
)
from wirescope.analyse.vocab import event_lexicon, plover_data
from wirescope.model import Entity, Event

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Span as SpacySpan, Token

ACTOR = {"person", "organization", "group", "location"}
TARGET_PREPS = ("against", "on", "with", "at", "to", "for", "upon", "into", "toward", "towards")
CONTENT_HEADS_EXTRA = {"demand", "request", "call", "appeal", "urge", "ask", "reject", "refuse",
                       "decline", "propose", "proposal", "offer", "agree", "promise", "pledge", "vow",
                       "willing", "ready", "prepared", "warn", "insist", "press", "threat"}
PARTNER_TYPES = {"AGREE", "CONSULT", "COOPERATE"}
VERBAL_TYPES = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "REQUEST", "ACCUSE", "REJECT", "THREATEN"}
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
# the place a movement leaves or reaches (see Events._directional_place)
DIRECTIONAL_PREPS = {"RETREAT": ("from", "out of", "of"), "MOBILIZE": ("to", "into"), "CONSULT": ("to",),
                     "AID": ("to", "into")}
# acts a state does at home (see Events._home_of_source)
DOMESTIC_TYPES = frozenset({"COERCE", "MOBILIZE", "CONCEDE"})
# material conflict acts: a vow or pledge to carry one out is a threat ("vowed to target ships")
THREAT_ACTS = {"ASSAULT", "COERCE", "SANCTION"}
PROMISE_VERBS = {"vow", "pledge", "promise", "swear"}
OBLIGATION_AUX = {"must", "should", "ought"}
PARTICIPATION = {"engage", "involve", "participate", "join", "take", "partake", "embroil", "implicate"}
PLACE_EVENTS = {"ASSAULT", "MOBILIZE", "PROTEST", "COERCE"}
# "the attack", "the blast", "the protest": a definite noun of these types with no actor of its own
# is the latest such happening, whatever word named it first
ANAPHORIC_TYPES = {"ASSAULT", "PROTEST"}
CONSEQUENCE_TOKENS = 120
# verbal acts aimed at someone through a thing of theirs: "protested May's agreement", "called the
# investigation into Trump a witch hunt"
INNER_TARGET_TYPES = {"ACCUSE", "REJECT", "PROTEST", "SUPPORT", "REQUEST", "THREATEN", "CONCEDE", "AGREE", "ASSAULT"}
# "a protest outside the parliament": an institution where people protest is what they protest at
# material events that name no actor and no place are dropped: accidents and vague mentions ("33 were
# injured", "the plane crashed", "it exploded") that the knowledge base could file under nothing
ACTORLESS_DROPPED = frozenset({"ASSAULT", "COERCE", "MOBILIZE", "RETREAT", "AID"})
PROTEST_PREPS = ("outside", "outside of", "in front of", "near", "around", "at")


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


def _trigger_of(tok: "Token", verbal: bool = False):
    """(type, mode, words) when tok is an event trigger (verbal: read it as a verb whatever its tag)."""
    lex = event_lexicon()
    pos = tok.pos_
    lemma = tok.lemma_.lower()
    if pos == "VERB" or verbal:
        prt = particle(tok)
        if prt and (lemma, prt) in lex.verbs:
            etype, mode = lex.verbs[(lemma, prt)]
            return etype, mode, [tok]
        for c in tok.children:  # "pulled its troops out of": a particle parsed as a later preposition
            if c.dep_ == "prep" and c.lower_ in DETACHED_PARTICLES and tok.i + 1 < c.i <= tok.i + 6 \
                    and not any(g.dep_ == "pobj" for g in c.children) and (lemma, c.lower_) in lex.verbs:
                etype, mode = lex.verbs[(lemma, c.lower_)]
                return etype, mode, [tok]
        for c in [*tok.children, *(g for c in tok.children if c.dep_ in ("advcl", "ccomp", "xcomp") for g in c.children
                                    if g.dep_ == "mark")]:  # "fire on", "call for", "open fire": the next word
            if c.i == tok.i + 1 and c.dep_ in ("prep", "dobj", "mark") and (lemma, c.lower_) in lex.verbs:
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


def _trigger_of_frame(f: Frame):
    """(type, mode, words) when the frame's predicate is an event word."""
    if f.kind == "verb":
        return _trigger_of(f.trigger, verbal=True)
    if f.kind == "noun":
        return _trigger_of_noun(f.trigger)
    entry = event_lexicon().adjectives.get(f.lemma)
    return (entry[0], entry[1], [f.trigger]) if entry else None


def _naming(f: Frame):
    """"called the move a smash and grab", "described the attacks as a dastardly act": naming
    someone's act is criticism, or praise when the name is a word of praise (plover.yaml)."""
    data = plover_data()
    if f.kind != "verb" or f.lemma not in data.get("naming_verbs", ()):
        return None
    name = [c for c in f.trigger.children if c.dep_ == "oprd"] + f.oblique("as")
    if not name:
        return None
    praise = set(data.get("praise_words", ()))
    kind = "SUPPORT" if any(t.lemma_.lower() in praise for n in name for t in n.subtree) else "ACCUSE"
    return kind, "naming", [f.trigger]


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
        if t.dep_ == "conj" and t.head.lemma_.lower() in heads and t.pos_ == "VERB" and any(
                c.dep_ in ("nsubj", "nsubjpass") for c in t.children):
            return False  # "was claimed by X, but Y alleged ...": a clause of its own, not the claim's content
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
    def __init__(self, ctx: Context, res: Resolver, create: bool = False) -> None:
        self.ctx = ctx
        self.res = ArgumentResolver(ctx, res, create)
        self.lex = event_lexicon()
        self.frames = frames(ctx)

    # ---- arguments ----------------------------------------------------------------------------
    def _source_of(self, m: Mention, f: Frame) -> None:
        agent = f.agent
        if f.kind == "noun" and m.type in PLACE_EVENTS:
            # "a Kabul car bombing": a place before the noun is where, unless it is a country ("US strikes")
            agent = []
            for t in f.agent:
                places = [e for e in self.res.entities(t) if e.type == "location"] if t.i < f.words[0].i and \
                    t.dep_ in ("compound", "nmod", "amod") else []
                if places and places[0].subtype != "country":
                    m.location = m.location or places[0]
                else:
                    agent.append(t)
        if f.kind == "verb":  # "the bombing killed five": an event as subject is no actor
            # (an agent noun names people, not an event: "protesters called for ...")
            agent = [t for t in agent if nominal_words(t) is None or t.lemma_.lower() not in self._event_nouns()
                     or t.lemma_.lower() in predicate_lexicon().agent_nouns]
        m.source, m.more_sources = self.res.role(agent, set())
        if f.kind == "noun" and m.source is not None:
            first = next((t for t in agent if any(e.id == m.source.id for e in self.res.entities(t))), None)
            m.modifier_source = first is not None and first.dep_ in ("compound", "amod", "nmod")
        if m.source is None and f.kind == "verb":
            # "Uganda's government shut down ...": the possessor of an unnamed subject
            m.source = _first_actor(_token_entities(self.res, [c for t in f.agent for c in t.children if c.dep_ == "poss"]))

    def _event_nouns(self) -> set[str]:
        return {k[-1] for k in self.lex.nouns}

    def verb_args(self, m: Mention, f: Frame) -> None:
        self._source_of(m, f)
        if m.source is None and any(is_phenomenon(t) for t in f.agent):
            m.type = ""  # "Typhoon Haiyan killed 6,000 people", "the earthquake destroyed homes": no actor's act
            return
        tgt_toks = f.patient + f.recipient
        own = {m.source.id} if m.source else set()
        m.target, m.more_targets = None, []
        if m.trigger.lemma_.lower() in self.lex.to_targets or " ".join(w.lemma_.lower() for w in m.words) in self.lex.to_targets:
            m.target, m.more_targets = self.res.role(f.obliques.get("to", []), own)
        if m.target is None:
            m.target, m.more_targets = self.res.role(tgt_toks, own)
        if m.target is None:
            for prep in TARGET_PREPS:
                m.target, m.more_targets = self.res.role(f.obliques.get(prep, []), own,
                                                         allow_location=prep not in ("in", "at", "into"))
                if m.target is not None:
                    break
        if m.target is None and m.type in INNER_TARGET_TYPES:
            m.target, m.more_targets = self.res.role(tgt_toks, own, inner=True)
        if m.target is None and m.type in ("ACCUSE", "REJECT", "REQUEST"):
            # "alleged the central government are hiding figures": the one the charge is about;
            # "demanded that the government withdraw the bill": the one asked
            for c in f.trigger.children:
                if c.dep_ == "ccomp" and m.target is None:
                    m.target, m.more_targets = self.res.role(subjects(c), own, allow_location=False)
        if m.target is None and m.type == "REQUEST":
            # "called for Rosselló's resignation": the one whose act is asked for
            m.target, m.more_targets = self.res.role(f.obliques.get("for", []), own, inner=True)
        if m.target is None and m.type in VERBAL_TYPES:
            # "agreed to help with Mueller's investigation": the target of the act agreed to
            for c in f.trigger.children:
                g = self.frames.of(c) if c.dep_ == "xcomp" else None
                if g is not None and m.target is None:
                    toks = g.patient + g.recipient + g.oblique(*TARGET_PREPS)
                    m.target, m.more_targets = self.res.role(toks, own, inner=True)
        exclude = {e.id for e in (m.source, m.target) if e}
        if m.type == "CONSULT" and m.target is not None and m.target.type == "location":
            m.location = m.target  # "visited Magnitogorsk": where the visit was
        m.location = m.location or self._location_of(f, exclude) or self._directional_place(m, f, exclude) \
            or self._place_near(m, f, exclude) or self._home_of_source(m)
        self._needs_target(m, tgt_toks)

    def _directional_place(self, m: Mention, f: Frame, exclude: set[str]) -> Entity | None:
        """Where a movement happens: the place left ("the withdrawal from Syria", "pulled out of
        Iraq"), the place reached ("troops deployed to Tell Tamer", "visited Magnitogorsk")."""
        preps = DIRECTIONAL_PREPS.get(m.type)
        if not preps:
            return None
        toks = [t for p in preps for t in f.obliques.get(p, [])]
        if m.type == "CONSULT" and f.trigger.lemma_.lower() in ("visit", "tour"):
            toks += f.patient
        for e in _token_entities(self.res, toks):
            if e.type == "location" and e.id not in exclude:
                return e
        return None

    def _home_of_source(self, m: Mention) -> Entity | None:
        """A state's act at home with no place named ("the Samoan government shut schools"): the
        country of the government or state that acts, when the article names that country."""
        src = m.source
        if m.type not in DOMESTIC_TYPES or src is None or not getattr(src, "country", None):
            return None
        if src.type == "location" and src.subtype == "country":
            return src
        if src.type != "organization" or src.subtype not in ("government", "agency", "legislature", "military", "court"):
            return None
        return next((e for e in self.ctx.entities if e.type == "location" and e.subtype == "country"
                     and e.country == src.country), None)

    def _place_near(self, m: Mention, f: Frame, exclude: set[str]) -> Entity | None:
        """A material happening with no place of its own: an attacked place ("Abqaiq was the target
        of an attack"), else the place the sentence names with in/at ("in Christchurch")."""
        if m.type not in PLACE_EVENTS:
            return None
        if m.target is not None and m.target.type == "location":
            return m.target
        best, dist = None, None
        for t in f.trigger.sent:
            if t.dep_ != "pobj" or t.head.lower_ not in ("in", "at", "near", "outside"):
                continue
            for e in self.res.entities(t):
                if e.type == "location" and e.id not in exclude and (dist is None or abs(t.i - f.trigger.i) < dist):
                    best, dist = e, abs(t.i - f.trigger.i)
        return best

    def _location_of(self, f: Frame, exclude: set[str]) -> Entity | None:
        for t in f.place:
            for e in _token_entities(self.res, [t]):
                if e.type == "location" and e.id not in exclude:
                    return e
        return None

    def _needs_target(self, m: Mention, tgt_toks) -> None:
        lemma = m.trigger.lemma_.lower()
        if lemma in self.lex.needs_clause and m.trigger.pos_ == "VERB" and not any(
                c.dep_ in ("xcomp", "ccomp") for c in m.trigger.children):
            m.type = ""  # "ordered patrols": the patrols are the event, not a request
            return
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

    def noun_args(self, m: Mention, f: Frame) -> None:
        if m.type in ("AGREE", "COOPERATE", "SUPPORT", "AID") and _ended(m.trigger):
            m.type = ""  # "withdrew from the treaty with Iran": the withdrawal is the event, not the treaty
            return
        self._source_of(m, f)
        src = m.source
        own = {src.id} if src else set()
        tgt: Entity | None = None
        for k, t in enumerate(f.patient):
            prep = t.head.lower_ if t.dep_ == "pobj" else ""
            # "sanctions on Iran" target a state; "a raid on Kabul" happens at a place
            place_like = prep in ("at", "of", "into") or (prep == "on" and m.type in PLACE_EVENTS)
            tgt, m.more_targets = self.res.role(f.patient[k:], own, allow_location=not place_like)
            if tgt is not None:
                break
        if tgt is None:
            for prep in TARGET_PREPS:
                place_like = prep == "at" or (prep == "on" and m.type in PLACE_EVENTS)
                tgt, m.more_targets = self.res.role(f.obliques.get(prep, []), own, allow_location=not place_like)
                if tgt is not None:
                    break
        if tgt is None and m.type == "PROTEST":
            for prep in PROTEST_PREPS:
                tgt, m.more_targets = self.res.role(f.obliques.get(prep, []), own, allow_location=False)
                if tgt is not None:
                    break
        if tgt is None and m.type in INNER_TARGET_TYPES:
            tgt, m.more_targets = self.res.role(f.patient, own, allow_location=False, inner=True)
        if tgt is None and m.type == "ASSAULT" and f.patient:
            # "an attack on oil infrastructure in Saudi Arabia": a country's things stand for it
            tgt = next((e for e in self.res.actors(f.place) if e.type == "location" and e.subtype == "country"
                        and e.id not in own), None)
        if src is not None and tgt is not None and src.id == tgt.id:
            tgt = None
        m.source, m.target = src, tgt
        exclude = {e.id for e in (src, tgt) if e}
        m.location = m.location or self._location_of(f, exclude) or self._place_near(m, f, exclude)
        n = f.trigger
        for c in n.children:
            if m.location is None and c.dep_ == "acl":
                g = self.frames.of(c)
                if g is not None:
                    m.location = self._location_of(g, exclude)
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
        used: set[int] = set()
        for f in self.frames.sentence(sent):
            tok = f.trigger
            if tok.i in used:
                continue
            trig = _trigger_of_frame(f) or _naming(f)
            if trig is None:
                if f.kind == "verb" and self._obligation(tok, "", found):
                    used.add(tok.i)
                continue
            etype, mode, words = trig
            etype, mode = self._sense(tok, etype, mode)
            if _not_an_event(tok):
                continue
            if f.kind == "verb" and self._obligation(tok, etype, found):
                used.add(tok.i)
                continue
            m = Mention(etype, mode, tok, words)
            m.frame = f
            if f.kind == "verb":
                self.verb_args(m, f)
            elif f.kind == "adj":
                m.source = _first_actor(_token_entities(self.res, f.agent))
            else:
                self.noun_args(m, f)
            if not m.type or (m.mode == "naming" and m.target is None):
                continue
            if m.mode == "naming":
                m.mode = "disapprove" if m.type == "ACCUSE" else None
            used.update(w.i for w in words)
            m.polarity = f.polarity
            m.modality = f.event_modality()
            m.time = f.time
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
        sf = self.frames.of(say)
        m.polarity = sf.polarity if sf else polarity_of(say)
        m.modality = sf.event_modality() if sf else modality_of(say)
        m.time = sf.time if sf else None
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
    if host.source is None:
        host.more_sources = m.more_sources
    host.source = host.source or m.source
    if host.target is None or (m.target is not None and _weak(host.target) and not _weak(m.target)):
        host.more_targets = m.more_targets
    if host.target is not None and host.target.type == "location" and m.target is not None \
            and m.target.type != "location" and host.type in PLACE_EVENTS:
        host.location = host.location or host.target
        host.target = None
    if host.target is None or (m.target is not None and _weak(host.target) and not _weak(m.target)):
        host.target = m.target or host.target
    elif m.target is not None and m.target.id != host.target.id and host.type in ANAPHORIC_TYPES and \
            all(e.id != m.target.id for e in host.more_targets):
        host.more_targets = host.more_targets + [m.target] + m.more_targets  # more victims of it
    host.location = host.location or m.location
    host.mode = host.mode or (m.mode if m.type == host.type else None)
    if specificity(m.time) > specificity(host.time) and compatible_times(host.time, m.time):
        host.time = m.time
    host.time = host.time or m.time
    if m.polarity == "negative" and host.trigger.pos_ != "NOUN":
        host.polarity = "negative"
    host.absorbed.append(m.trigger.i)


def _dyads(m: Mention, limit: int = 4) -> list[tuple[Entity | None, Entity | None]]:
    """One (source, target) pair per coordinated participant: "police and soldiers raided",
    "impeached two Presidents, Bill Clinton and Andrew Johnson"."""
    sources = [m.source] + [e for e in m.more_sources if m.source is not None][:limit - 1]
    targets = [m.target] + [e for e in m.more_targets if m.target is not None][:limit - 1]
    out = []
    for s in sources:
        for t in targets:
            if s is not None and t is not None and s.id == t.id:
                t = None
            if (s, t) not in out:
                out.append((s, t))
    return out


def _responsibility(ex: _Extractor, merged: list[tuple[Mention, tuple[int, int]]]) -> None:
    """"X claimed responsibility (for the attack)", "the attack was claimed by X", "attributed the
    bombing to X", "X are the perpetrators": X is the source of the act named, else of the latest
    act of that kind before the claim (plover.yaml `responsibility`)."""
    data = plover_data().get("responsibility") or {}
    acts = set(data.get("acts", ()))
    claim_v, claim_n = set(data.get("claim_verbs", ())), set(data.get("claim_nouns", ()))
    attr_v, perp_n = set(data.get("attribution_verbs", ())), set(data.get("perpetrator_nouns", ()))
    doers_n = set(data.get("doer_nouns", ()))
    by_tok: dict[int, Mention] = {}
    for m, _ in merged:
        for i in (m.trigger.i, *m.absorbed):
            by_tok[i] = m
    if not any(m.type in acts for m, _ in merged):
        return
    for f in ex.frames.all():
        t = f.trigger
        named: list["Token"] = []
        if f.kind == "verb" and f.lemma in claim_v:
            nouns = [p for p in f.patient if p.lemma_.lower() in claim_n]
            named = [o for p in nouns for o in prep_objects(p, ("for",))] + f.oblique("for")
            if not nouns and not any(p.i in by_tok for p in f.patient):
                continue
            named += f.patient
            doers = f.agent
        elif f.kind == "verb" and f.lemma in attr_v and f.oblique("to"):
            doers, named = f.oblique("to"), f.patient
        elif f.kind == "noun" and f.lemma in perp_n and t.dep_ == "attr" and t.head.lemma_ == "be":
            doers, named = subjects(t.head), f.oblique("of", "behind", "in", "for")
        elif f.kind == "noun" and f.lemma in doers_n and t.dep_ not in ("compound", "attr") and any(
                c.dep_ in ("det", "poss") and (c.lower_ in DEFINITE or c.dep_ == "poss") for c in t.children):
            doers, named = [t], f.oblique("of", "behind", "in")
            if not named:  # "the attackers": the doers of the latest attack that has none named
                act = next((m for m, _ in reversed(merged) if m.type == "ASSAULT" and m.trigger.i < t.i), None)
                if act is None or act.source is not None:
                    continue
        else:
            continue
        actors = ex.res.actors(doers, allow_location=False)
        if not actors:
            continue
        act = next((by_tok[p.i] for p in named if p.i in by_tok and by_tok[p.i].type in acts), None)
        if act is None:  # unnamed: the latest attack before the claim
            act = next((m for m, _ in reversed(merged) if m.type == "ASSAULT" and m.trigger.i < t.i), None)
        if act is not None and (act.source is None or _weak(act.source) or act.modifier_source) and \
                (act.target is None or act.target.id != actors[0].id):
            act.source, act.more_sources = actors[0], actors[1:]


def _ended(noun: "Token") -> bool:
    """A tie named by a noun that its clause ends: "withdrew from the treaty", "pulled out of the
    deal", "scrapped the accord" (relations.yaml ending_verbs)."""
    from wirescope.analyse.vocab import relation_lexicon

    ending = relation_lexicon().ending_verbs
    t = noun
    if t.dep_ == "pobj" and t.head.lower_ in ("from", "of"):
        t = t.head
    elif t.dep_ not in ("dobj", "nsubjpass"):
        return False
    head = t.head
    if head.pos_ != "VERB":
        return False
    prt = particle(head)
    return (head.lemma_.lower(),) in ending or (prt is not None and (head.lemma_.lower(), prt) in ending)


def _vague(m: Mention) -> bool:
    """A first report with no named actor ("a former advisor was sentenced"): a later one with
    names tells who."""
    return m.target is not None and _weak(m.target) and (m.source is None or _weak(m.source))


def _consequence(prev: Mention, m: Mention) -> bool:
    """"Wiranto was stabbed ... The police chief and two others were also injured": an agentless
    passive of the same kind close after a happening reports more of it."""
    f = m.frame
    return (m.type in ANAPHORIC_TYPES and m.source is None and f is not None and f.voice == "passive"
            and f.kind == "verb" and 0 < m.trigger.i - prev.trigger.i <= CONSEQUENCE_TOKENS)


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


def _other_doer(m: Mention) -> bool:
    """"The opposition sued the commission" after "X sued Facebook": a verb whose own subject names
    someone (no known actor, but not a pronoun) reports another act, not the same one again."""
    t = m.trigger
    return m.source is None and t.pos_ == "VERB" and any(
        c.dep_ == "nsubj" and c.pos_ in ("NOUN", "PROPN") for c in t.children)


def _same_actors(a: Mention, b: Mention) -> bool:
    return (a.source is not None and b.source is not None and a.source.id == b.source.id
            and a.target is not None and b.target is not None and a.target.id == b.target.id)


def _same_word(a: Mention, b: Mention) -> bool:
    """Mentions of one happening by the same word family ("withdrawing" / "the withdrawal")."""
    x, y = a.trigger.lemma_.lower(), b.trigger.lemma_.lower()
    n = min(len(x), len(y), 6)
    return x == y or (n >= 4 and x[:n] == y[:n])


def extract(ctx: Context, res: Resolver | None = None, create: bool = False) -> list[Event]:
    """The document's events, merged across mentions (no change to ctx except generic groups the
    resolver may add, and -- with `create`, as the events stage does -- generic entities for unnamed
    actor phrases)."""
    res = res or Resolver(ctx)
    ex = _Extractor(ctx, res, create)
    merged: list[tuple[Mention, tuple[int, int]]] = []
    # the same, by event type: only a mention of the same type can be compatible (_compatible)
    merged_by_type: dict[str, list[Mention]] = {}
    for sent in ctx.doc.sents:
        span = sentence_span(ctx, sent)
        for m in ex.sentence(sent):
            earlier = [p for p in reversed(merged_by_type.get(m.type, ())) if _compatible(p, m)]
            host = next((p for p in earlier if _same_actors(p, m) or (_same_word(p, m) and not _other_doer(m) and (
                m.definite or m.source is None or m.target is None or _vague(p)))), None)
            if host is None and earlier and ((m.definite and m.trigger.pos_ == "NOUN" and m.source is None
                                              and m.type in ANAPHORIC_TYPES) or _consequence(earlier[0], m)):
                host = earlier[0]  # "the attack", "were also injured": the latest such happening
            if host is not None:
                _absorb(host, m)
            else:
                merged.append((m, span))
                merged_by_type.setdefault(m.type, []).append(m)
    _responsibility(ex, merged)
    for m, _ in merged:
        ex.fill_partner(m)
    answers(merged)
    merged.extend(tributes(ctx, res, merged))
    merged.extend(blame(ctx, res, merged))
    merged.extend(sympathy(ctx, res, merged))
    merged.extend(victims(ctx, res, merged))
    merged.extend(promises(merged))
    merged.extend(refusals(merged))
    events: list[Event] = []
    for m, (start, end) in merged:
        if m.source is None and m.target is None and m.location is None and m.type in ACTORLESS_DROPPED:
            continue  # "seven people were killed", "it exploded": no actor and no place, nothing to file it under
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
        if m.time is None and m.modality == "asserted" and m.polarity == "positive":
            m.time = _narrative_time(ctx, tstart)
        for src, tgt in _dyads(m):
            events.append(Event(
                type=m.type, trigger=ctx.text[tstart:tend], evidence=ctx.span(start, end),
                source=src.id if src else None, target=tgt.id if tgt else None,
                location=m.location.id if m.location else None, time=m.time, mode=m.mode,
                polarity=m.polarity, modality=m.modality, statement=stmt.id if stmt else None,
                trigger_span=ctx.span(tstart, tend),
            ))
        del trig
    return events


def run(ctx: Context) -> None:
    from wirescope.analyse.relation_events import attacks_from_events, operates_in_from_events

    publish(ctx)
    ctx.events.extend(extract(ctx, create=True))
    operates_in_from_events(ctx, ctx.events)  # "relations": operates_in read off these events
    attacks_from_events(ctx, ctx.events)  # and attacks whose roles only the predicate layer finds


STAGE = StageInfo("events", requires=("entities", "statements", "times", "relations"),
                  assigns=("events", "predicates", "entities", "relations"),
                  run=run, version="2")


def _narrative_time(ctx: Context, pos: int) -> str | None:
    """The latest calendar date of the paragraph before pos ("On 1 October police fired on
    protesters ... The shooting drew crowds": the shooting is of 1 October)."""
    para = max(ctx.text.rfind("\n", 0, pos) + 1, 0)
    best = None
    for t in ctx.times:
        if para <= t.start and t.end <= pos and t.type in ("DATE", "TIME") and t.value and t.value[:1].isdigit() \
                and not t.begin_point:
            best = t
    return best.value if best is not None else None
