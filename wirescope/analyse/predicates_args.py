"""Arguments, mode and time of the frames of one sentence (see wirescope.analyse.predicates).

Every walk here is bounded (a few steps up a chain of heads, the children of a handful of tokens),
so building a sentence's frames costs time linear in its length.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable

from wirescope.analyse.predicates_base import MAX_SENT_TOKENS, Frame, nominal_words, predicate_kind, predicate_lexicon
from wirescope.analyse.syntax import (
    agents, conjuncts, datives, is_passive, most_specific, objects, particle, polarity_of, subjects,
)
from wirescope.analyse.vocab import event_lexicon

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Span as SpacySpan, Token

    from wirescope.analyse.context import Context

RELATIVES = {"which", "that", "who", "whom", "whose"}
NOMINAL_PATIENT_PREPS = ("on", "against", "upon", "at", "toward", "towards", "into")
PARTICIPATION = {"engage", "involve", "participate", "join", "take", "partake", "embroil", "implicate", "lead"}
CLAUSE_DEPS = {"ccomp", "relcl", "advcl", "conj", "cc", "parataxis", "acl", "xcomp", "csubj", "pcomp"}
BE = {"be"}
NOT_ACTOR_ENTS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT"}


def build_frames(ctx: "Context", index: Any, sent: "SpacySpan") -> list[Frame]:
    if len(sent) > MAX_SENT_TOKENS:
        return []
    out: list[Frame] = []
    times = _SentenceTimes(index, sent)
    for tok in sent:
        kind = predicate_kind(tok)
        if kind is None:
            continue
        k, words = kind
        f = Frame(trigger=tok, lemma=tok.lemma_.lower(), kind=k, words=words)
        if k == "verb":
            _verb_frame(f)
        elif k == "noun":
            _noun_frame(f)
        else:
            _adj_frame(f)
        f.negated = polarity_of(tok) == "negative"
        f.modality = modality(tok, f.clause)
        f.tense = _tense(f.clause or tok)
        f.time = _time(times, f)
        stmt = ctx.statement_covering(tok.idx, tok.idx + len(tok.text))
        f.statement = stmt.id if stmt else None
        out.append(f)
    return out


# ---- verbs ---------------------------------------------------------------------------------------
def passive(v: "Token") -> bool:
    """Passive voice, also for a participle coordinated with a passive verb ("was arrested and charged")."""
    if _root_participle(v):
        return False
    if is_passive(v):
        return True
    if v.tag_ == "VBN" and any(c.dep_ == "agent" for c in v.children) and not any(
            c.dep_ in ("aux", "nsubj") for c in v.children):
        return True  # a reduced relative: "the attack, reportedly conducted by the Taliban"
    steps = 0
    while v.dep_ == "conj" and v.tag_ == "VBN" and steps < 4 and not any(
            c.dep_ in ("nsubj", "aux", "auxpass", "nsubjpass") for c in v.children):
        v = v.head
        steps += 1
        if is_passive(v):
            return True
    return False


def _root_participle(v: "Token") -> bool:
    """A past tense the tagger took for a participle on the sentence's only noun ("Hundreds of
    students protested outside parliament"): the main verb, active."""
    return (v.tag_ == "VBN" and v.dep_ in ("acl", "amod") and v.head.dep_ == "ROOT" and v.head.pos_ in ("NOUN", "PROPN")
            and not any(c.dep_ in ("agent", "aux", "auxpass") for c in v.children))


def _relative_head(tok: "Token") -> "Token":
    """A relative pronoun stands for the noun its clause modifies."""
    if tok.lower_ in RELATIVES and tok.tag_ in ("WDT", "WP", "WP$", "IN", "DT"):
        a = tok.head
        for _ in range(3):
            if a.dep_ == "relcl":
                return a.head
            if a.head.i == a.i:
                break
            a = a.head
    return tok


def _animate(n: "Token") -> bool:
    """Could the noun be a doer: a name, a pronoun or an actor noun ("message", "report" are not)."""
    lex = predicate_lexicon()
    return bool(n.ent_type_) or n.pos_ in ("PROPN", "PRON") or n.lemma_.lower() in (
        lex.people_nouns | lex.agent_group_nouns | lex.institution_nouns | lex.agent_nouns | lex.quantity_nouns)


def grammatical_subjects(v: "Token") -> list["Token"]:
    """subjects() plus the chains it leaves out: a gerund after a preposition ("protested by
    shouting", "after appearing in court") takes the subject of the verb the preposition hangs on;
    a participle on a thing one made takes its maker ("posted a message on Twitter blaming Iran")."""
    if _root_participle(v):
        return conjuncts(v.head)
    if v.dep_ == "acl" and v.head.pos_ == "NOUN" and any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children):
        # "the Court's decision to halt the recounts": the one who decided does it
        owner = [c for c in v.head.children if c.dep_ == "poss" or (c.dep_ == "compound" and c.ent_type_ in ("ORG", "GPE", "NORP"))]
        if owner:
            return [_relative_head(owner[0])]
    if v.dep_ == "acl" and v.tag_ == "VBG":
        n = v.head
        if nominal_words(n) is not None:
            return []  # "the raid targeting X": the raid's doers are the raid's
        if n.dep_ == "pobj" and n.pos_ == "PROPN" and n.head.head.pos_ == "NOUN":
            n = n.head.head  # a participle after "on Twitter" belongs to the noun before it
        if not _animate(n) and n.dep_ in ("dobj", "attr") and n.head.pos_ == "VERB":
            return grammatical_subjects(n.head)
        return conjuncts(n)
    found = subjects(v)
    if not found and v.dep_ == "pcomp" and v.head.dep_ == "prep":
        gov = v.head.head
        if gov.pos_ == "ADJ" and gov.dep_ in ("acomp", "amod"):  # "was forceful in blaming Iran"
            gov = gov.head
        if gov.pos_ in ("VERB", "AUX"):
            found = subjects(gov)
    if not found and v.dep_ in ("acomp", "attr", "oprd") and v.head.lemma_.lower() in ("be", "get", "become", "remain", "seem"):
        found = subjects(v.head)  # "He was nominated" parsed with the participle as a complement
    if not found and v.dep_ in ("advcl", "conj", "xcomp") and v.head.dep_ == "pcomp":
        found = grammatical_subjects(v.head)
    if not found and v.dep_ == "conj" and v.head.pos_ in ("VERB", "AUX"):
        found = grammatical_subjects(v.head)  # "giving an address ..., meeting with ... and speaking to"
    return [_relative_head(t) for t in found]


def _preps_of(head: "Token", into: dict[str, list["Token"]]) -> None:
    for c in head.children:
        if c.dep_ in ("prep", "agent", "dative") and c.pos_ == "ADP":
            key = c.lower_
            for p in c.children:
                if p.dep_ in ("pobj", "pcomp"):
                    into.setdefault(key, []).extend(conjuncts(p))
                elif p.dep_ == "prep" and p.i == c.i + 1:  # "out of", "outside of"
                    for q in p.children:
                        if q.dep_ == "pobj":
                            into.setdefault(f"{key} {p.lower_}", []).extend(conjuncts(q))


def _verb_frame(f: Frame) -> None:
    v = f.trigger
    lex = predicate_lexicon()
    prt = particle(v)
    if prt:
        f.lemma = f"{f.lemma} {prt}"
    f.clause = v
    _preps_of(v, f.obliques)
    if passive(v):
        f.voice = "passive"
        f.agent = agents(v)
        if not f.agent and v.dep_ == "conj":  # "was arrested and charged by police": by on the last
            f.agent = agents(v.head)
        if v.dep_ in ("acl", "amod") and v.head.pos_ in ("NOUN", "PROPN", "PRON"):
            f.patient = [v.head]
        else:
            f.patient = _reduced_head(v) or grammatical_subjects(v)
        f.obliques.pop("by", None)
    else:
        f.agent = grammatical_subjects(v)
        f.patient = [_relative_head(t) for t in objects(v)]
        if not f.patient and v.dep_ == "relcl" and not any(t.lower_ in RELATIVES for t in f.agent) \
                and not any(c.dep_ in ("dobj", "ccomp", "xcomp") for c in v.children) \
                and f.agent and f.agent[0].i != v.head.i and v.head.pos_ in ("NOUN", "PROPN"):
            # "the militia Iran arms": the modified noun is the object
            f.patient = [v.head]
    gapped = _gapped(v)
    if f.voice == "passive":
        f.patient = expand(f.patient + gapped)
        f.agent = expand(f.agent)
    else:
        f.agent = expand(f.agent + gapped)
        f.patient = expand(f.patient)
    f.recipient = datives(v)
    if f.patient:
        for p in lex.recipient_preps:
            f.recipient += [t for t in f.obliques.get(p, ()) if t not in f.recipient]
    f.instrument = _instrument(v, f.obliques)
    f.place = _places(f.obliques)


def _instrument(head: "Token", obliques: dict[str, list["Token"]]) -> list["Token"]:
    lex = predicate_lexicon()
    out = [t for p in lex.instrument_preps for t in obliques.get(p, ())]
    for c in head.children:  # "using ten drones", "armed with knives"
        if c.dep_ in ("advcl", "acl", "xcomp") and c.lemma_.lower() in lex.instrument_verbs:
            out.extend(t for o in c.children if o.dep_ == "dobj" for t in conjuncts(o))
    return out


def _places(obliques: dict[str, list["Token"]]) -> list["Token"]:
    lex = predicate_lexicon()
    out: list["Token"] = []
    for prep, toks in obliques.items():
        if prep in lex.place_preps or prep.split(" ")[0] in lex.place_preps:
            for t in toks:
                out.append(t)
                # "in Maidan Shahr in the centre of Wardak", "at his home in the state of
                # Massachusetts": places nested in the place phrase, up to three levels
                level = [t]
                for _ in range(3):
                    level = [p for x in level for c in x.children
                             if c.dep_ == "prep" and c.lower_ in lex.place_preps | {"of"}
                             for p in c.children if p.dep_ == "pobj"]
                    out.extend(level)
    return out


# ---- nouns ---------------------------------------------------------------------------------------
def governing_verb(n: "Token") -> "Token | None":
    """The verb whose clause a noun sits in (through prepositions, objects and coordination)."""
    t = n
    for _ in range(6):
        if t.head.i == t.i:
            return None
        if t.dep_ in ("relcl", "acl", "appos", "ccomp", "advcl"):
            return None
        t = t.head
        if t.pos_ in ("VERB", "AUX"):
            return t
    return None


def _light(verb: "Token") -> bool:
    light = predicate_lexicon().light_verbs
    lemma = verb.lemma_.lower()
    if lemma in light:
        return True
    w = verb.lower_
    return verb.pos_ == "VERB" and w.endswith("d") and (w[:-1] in light or w[:-2] in light)


def _noun_frame(f: Frame) -> None:
    n = f.trigger
    lex = predicate_lexicon()
    first = f.words[0]
    f.lemma = " ".join(w.lemma_.lower() for w in f.words)
    f.clause = governing_verb(n)
    _preps_of(n, f.obliques)
    of_agent = n.lemma_.lower() in lex.of_agent
    agent: list["Token"] = []
    patient: list["Token"] = []
    possessor_undergoes = n.lemma_.lower() in lex.possessor_patient and not f.obliques.get("of") \
        and not f.obliques.get("by")
    for c in n.children:
        if c.dep_ == "poss":  # "Iran's downing of", but "her murder": she was murdered
            (patient if possessor_undergoes else agent).append(_relative_head(c))
        elif c.dep_ in ("compound", "amod", "nmod") and c.i < first.i and c.ent_type_ not in NOT_ACTOR_ENTS and (
                c.ent_type_ or c.pos_ == "PROPN"):
            agent.append(c)  # "US withdrawal", "Houthi attacks", "Israeli strikes"
    agent += f.obliques.get("by", [])
    if n.lemma_.lower() in lex.agent_nouns:  # "the protesters", "the attackers": the doers themselves
        agent.insert(0, n)
    if of_agent:
        agent += f.obliques.get("of", [])
    else:
        patient += f.obliques.get("of", [])
    between = f.obliques.get("between", [])
    if len(between) >= 2:
        agent.append(between[0])
        patient.append(between[1])
    for p in NOMINAL_PATIENT_PREPS:
        patient += f.obliques.get(p, [])
    # participles on the noun: "the raid targeting X", "a warrant issued by Y", "the deal signed with Z"
    for c in [c for c in n.children if c.dep_ == "acl" and c.pos_ == "VERB"] + _reduced_relative(n):
        if c.pos_ == "VERB":
            if passive(c):
                agent += agents(c)
                for p in ("with", "to"):
                    f.obliques.setdefault(p, []).extend(t for t in _objects_of_prep(c, p))
            else:
                patient += objects(c)
    patient += _patient_frame(n)
    # light and participation verbs: "launched a raid", "held talks", "took part in the protest"
    support, taking_part = None, False
    if n.dep_ in ("dobj", "attr", "nsubjpass") and n.head.pos_ in ("VERB", "AUX") and _light(n.head):
        support = n.head
    elif n.dep_ == "pobj" and n.head.dep_ == "prep" and n.head.head.pos_ in ("VERB", "AUX", "ADJ"):
        prep, verb = n.head, n.head.head
        if (prep.lower_ == "in" and verb.lemma_.lower() in PARTICIPATION) or \
                (prep.lower_ == "for" and verb.pos_ == "VERB" and not is_passive(verb)) or \
                (prep.lower_ == "on" and verb.lemma_.lower() in ("go", "put", "place", "be", "remain", "stay", "keep", "come")):
            support, taking_part = verb, True
        elif prep.lower_ in ("in", "into") and lex_state(n) and verb.pos_ in ("VERB", "AUX"):
            # "remain in custody", "was taken into custody by police": the subject (or object) is held
            patient += objects(verb) or grammatical_subjects(verb) or (
                objects(verb.head) if verb.head.lemma_.lower() in predicate_lexicon().causatives else [])
            f.support = verb
            agent += agents(verb) if passive(verb) else (grammatical_subjects(verb) if objects(verb) else [])
            agent += _causer(verb)
        elif prep.lower_ == "in" and prep.dep_ == "prep" and not any(p.dep_ == "det" for p in n.children):
            # "resigned in protest", "struck back in retaliation": the subject acts
            support, taking_part = verb, True
    if support is not None:
        f.support = support
        if not agent:  # "were engaged in an offensive": the subject takes part, whatever the voice
            agent = agents(support) if passive(support) and not taking_part else grammatical_subjects(support)
        extra: dict[str, list["Token"]] = {}
        _preps_of(support, extra)
        for p, toks in extra.items():
            if p not in ("by", "in") or support is not n.head:
                f.obliques.setdefault(p, []).extend(t for t in toks if t.i != n.i)
        if not patient:
            patient += datives(support)
            for p in NOMINAL_PATIENT_PREPS:
                patient += extra.get(p, [])
    elif n.dep_ == "pobj" and n.head.lower_ in ("at", "per", "upon", "with", "on") and of_agent and \
            n.head.head.pos_ in ("VERB", "AUX") and f.obliques.get("of"):
        # "suspended parliament at the behest of Johnson", "comply with the request of": the one asked acts
        patient += grammatical_subjects(n.head.head)
    elif n.dep_ in ("nsubj", "nsubjpass") and n.head.lemma_.lower() in BE:
        # "the first attack was in Al Noor Mosque": the copula's phrases are the noun's
        _preps_of(n.head, f.obliques)
    f.agent = expand(agent)
    f.patient = expand([t for t in patient if t.i not in {a.i for a in f.agent}])
    f.recipient = [t for p in predicate_lexicon().recipient_preps for t in f.obliques.get(p, ())]
    f.instrument = _instrument(n, f.obliques)
    f.place = _places(f.obliques)


def _reduced_head(v: "Token") -> list["Token"]:
    """The noun a misattached reduced relative belongs to (the inverse of _reduced_relative)."""
    if v.tag_ != "VBN" or v.dep_ not in ("advcl", "conj") or any(c.dep_ in ("nsubj", "nsubjpass", "aux") for c in v.children):
        return []
    doc = v.doc
    j = v.i - 1
    while j > v.sent.start and j >= v.i - 4 and (doc[j].is_punct or doc[j].pos_ == "ADV"):
        j -= 1
    if j < v.i - 1 and doc[j].pos_ in ("NOUN", "PROPN") and v in _reduced_relative(doc[j]):
        return [doc[j]]
    return []


def _reduced_relative(n: "Token") -> list["Token"]:
    """A passive participle right after the noun but attached elsewhere by the parser ("died in the
    attack, reportedly conducted by the Taliban")."""
    doc = n.doc
    j = n.i + 1
    while j < len(doc) and j <= n.i + 4 and (doc[j].is_punct or doc[j].pos_ == "ADV"):
        j += 1
    if j < len(doc) and j > n.i + 1 and doc[j].tag_ == "VBN" and doc[j].dep_ in ("advcl", "conj") and \
            doc[j].head.i != n.i and any(c.dep_ == "agent" for c in doc[j].children):
        return [doc[j]]
    return []


def lex_state(n: "Token") -> bool:
    return n.lemma_.lower() in predicate_lexicon().state_nouns


def _causer(verb: "Token") -> list["Token"]:
    """The subject of a verb that makes the clause happen: "ordered the accused remain in custody"."""
    t = verb
    for _ in range(2):
        if t.dep_ in ("ccomp", "xcomp", "conj") and t.head.lemma_.lower() in predicate_lexicon().causatives:
            return grammatical_subjects(t.head)
        if t.dep_ not in ("conj",):
            break
        t = t.head
    return []


def _objects_of_prep(head: "Token", prep: str) -> list["Token"]:
    out = []
    for c in head.children:
        if c.dep_ == "prep" and c.lower_ == prep:
            out.extend(t for p in c.children if p.dep_ == "pobj" for t in conjuncts(p))
    return out


def _patient_frame(noun: "Token") -> list["Token"]:
    """X in "X was the subject/target/victim of N"."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.lower_ != "of":
        return []
    frame = prep.head
    if frame.lemma_.lower() not in event_lexicon().patient_frames:
        return []
    if frame.dep_ == "attr" and frame.head.lemma_ == "be":
        return subjects(frame.head)
    if frame.dep_ == "appos":
        return [frame.head]
    return []


def _adj_frame(f: Frame) -> None:
    a = f.trigger
    f.clause = a.head if a.head.pos_ in ("VERB", "AUX") else a
    f.agent = grammatical_subjects(a.head) if a.head.lemma_ == "be" else []
    _preps_of(a, f.obliques)


def expand(toks: Iterable["Token"]) -> list["Token"]:
    """Arguments with their coordinated and appositive names ("two Presidents, Bill Clinton and
    Andrew Johnson"; "police and soldiers")."""
    out: list["Token"] = []
    for t in toks:
        out.append(t)
        for c in t.children:
            if c.dep_ == "appos" and c.pos_ in ("PROPN", "NOUN"):
                out.extend(conjuncts(c))
        for c in t.conjuncts:
            if c.pos_ in ("PROPN", "NOUN", "PRON") and c not in out:
                out.append(c)
    return _dedupe(out)


def _gapped(v: "Token") -> list["Token"]:
    """Names coordinated with a verb stand for a clause whose verb is left out: "Bill Clinton was
    impeached in 1998, and Andrew Johnson in 1868"."""
    return [c for c in v.children if c.dep_ == "conj" and c.pos_ in ("PROPN", "NOUN") and c.ent_type_ in (
        "PERSON", "ORG", "GPE", "NORP")]


def _dedupe(toks: Iterable["Token"]) -> list["Token"]:
    seen: set[int] = set()
    out = []
    for t in toks:
        if t.i not in seen:
            seen.add(t.i)
            out.append(t)
    return out


# ---- mode ----------------------------------------------------------------------------------------
def _clause_head(v: "Token") -> "Token":
    """The head of the finite clause a predicate sits in (up through xcomp, conj and aux chains)."""
    for _ in range(6):
        if v.dep_ in ("xcomp", "conj") and v.head.i != v.i and v.head.pos_ in ("VERB", "AUX", "ADJ", "NOUN"):
            v = v.head
        else:
            break
    return v


def conditional(v: "Token") -> bool:
    """Inside an if/unless clause ("if the House votes to impeach")."""
    marks = predicate_lexicon().conditional_marks
    t = v
    for _ in range(6):
        if any(c.dep_ == "mark" and c.lower_ in marks for c in t.children):
            return True
        if t.dep_ in ("xcomp", "conj", "ccomp", "acl", "relcl") and t.head.i != t.i and t.head.dep_ != "ROOT" or \
                (t.dep_ in ("xcomp", "conj") and t.head.i != t.i):
            t = t.head
            continue
        break
    return False


def hypothetical(v: "Token") -> bool:
    """would/could/might in a conditional sentence or with a perfect ("would have allowed")."""
    lex = predicate_lexicon()
    head = _clause_head(v)
    for t in {v, head}:
        auxes = [c for c in t.children if c.dep_ == "aux"]
        modal = [c for c in auxes if c.lower_ in lex.hypothetical_aux]
        if not modal:
            continue
        if any(c.lemma_.lower() == "have" for c in auxes) and t.tag_ == "VBN":
            return True
        if any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in lex.conditional_marks for m in c.children)
               for c in t.children):
            return True
    return False


def _future_frame(v: "Token") -> bool:
    """"is to step down", "is set to open", "is due to", "is expected to arrive"."""
    lex = predicate_lexicon()
    t = v
    if t.dep_ != "xcomp" or not any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children):
        return False
    head = t.head
    if head.lemma_.lower() == "be" and head.pos_ == "AUX":
        return True
    return head.lemma_.lower() in lex.future_frames and (
        any(c.dep_ in ("auxpass", "aux") and c.lemma_.lower() == "be" for c in head.children) or head.pos_ == "ADJ")


def modality(tok: "Token", clause: "Token | None") -> str:
    from wirescope.analyse.stance import modality_of

    v = clause if clause is not None else tok
    if conditional(v):
        return "conditional"
    if hypothetical(v):
        return "hypothetical"
    base = modality_of(tok)
    if base == "asserted" and (_future_frame(v) or _future_frame(_clause_head(v))):
        return "future"
    if base == "asserted":
        lex = predicate_lexicon()
        if any(c.dep_ == "advmod" and c.lower_ in lex.hedge_adverbs for c in (v.children if v is not None else ())):
            return "hedged"
    return base


def _tense(v: "Token") -> str:
    if v.pos_ not in ("VERB", "AUX"):
        return "none"
    auxes = {c.lower_ for c in v.children if c.dep_ in ("aux", "auxpass")}
    if auxes & {"will", "shall", "'ll"}:
        return "future"
    if v.tag_ == "VBD" or auxes & {"was", "were", "had", "did"}:
        return "past"
    if v.tag_ == "VBN" and auxes & {"has", "have", "'ve", "'s"}:
        return "past"
    if v.tag_ in ("VBZ", "VBP") or auxes & {"is", "are", "am", "does", "do"}:
        return "present"
    return "none"


# ---- time ----------------------------------------------------------------------------------------
def _own_tokens(head: "Token", stop: set[int]) -> list["Token"]:
    """The predicate's own phrase: its subtree without clauses of their own."""
    out = []
    seen = {head.i}
    stack = [head]
    while stack:
        t = stack.pop()
        out.append(t)
        for c in t.children:
            if c.i in seen or c.i in stop or c.dep_ in CLAUSE_DEPS:
                continue
            seen.add(c.i)
            stack.append(c)
    return out


class _SentenceTimes:
    """The time expressions of one sentence by the tokens they cover (built once per sentence)."""

    def __init__(self, index: Any, sent: "SpacySpan") -> None:
        self.times = index.times_of(list(sent))
        self.by_token: dict[int, list] = {}
        for tx in self.times:
            for t in sent:
                if t.idx < tx.end and tx.start < t.idx + len(t.text):
                    self.by_token.setdefault(t.i, []).append(tx)

    def of(self, tokens: Iterable["Token"]) -> str | None:
        found = {id(tx): tx for t in tokens for tx in self.by_token.get(t.i, ())}
        return most_specific(found.values())


def _time(st: _SentenceTimes, f: Frame) -> str | None:
    """Own clause, else the clause the predicate hangs on, else the sentence."""
    if not st.times:
        return None
    tok = f.trigger
    own = st.of(_own_tokens(tok, set()))
    found = _clause_time(st, f)
    if own:
        # "announced on Wednesday its selection as 2019 Person of the Year": a more precise time of
        # the clause that agrees with the phrase's own refines it
        return found if found and found.startswith(own) and len(found) > len(own) else own
    if found:
        return found
    # the nearest time of the sentence
    return min(st.times, key=lambda tx: abs(tx.start - tok.idx)).value


def _clause_time(st: _SentenceTimes, f: Frame) -> str | None:
    tok = f.trigger
    heads = []
    if f.kind != "verb" and f.clause is not None:
        # a noun's verb: its direct modifiers, not the noun's own phrase again ("killed in the raid on Monday")
        heads.append(f.clause)
    v = f.clause or tok
    for _ in range(3):
        if v.dep_ in ("xcomp", "conj", "advcl", "pcomp", "acl", "relcl") and v.head.i != v.i:
            v = v.head if v.dep_ != "pcomp" else v.head.head
            heads.append(v)
        else:
            break
    for h in heads:
        toks = [t for c in h.children if c.dep_ in ("npadvmod", "prep", "advmod", "tmod", "obl", "nmod")
                and not (c.left_edge.i <= tok.i <= c.right_edge.i) for t in _own_tokens(c, set())]
        found = st.of(toks)
        if found:
            return found
    return None
