"""The shared ground of the predicate layer (wirescope.analyse.predicates): its word lists
(data/predicates.yaml), the `Frame` record, which tokens are predicates, and unnamed actor phrases."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any


from wirescope.lexicon import load
from wirescope.analyse.syntax import lookup_multi
from wirescope.analyse.vocab import event_lexicon

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Token

MODALITIES = ("asserted", "hedged", "future", "hypothetical", "conditional")
MAX_SENT_TOKENS = 400  # very long "sentences" (tables, run-ons) get no frames
NAMED_TYPES = ("PERSON", "GPE", "ORG", "NORP", "DATE", "TIME", "CARDINAL", "MONEY", "PERCENT")


@lru_cache(maxsize=None)
def predicate_data() -> dict[str, Any]:
    """The whole of data/predicates.yaml."""
    return load("predicates.yaml")


@dataclass(frozen=True)
class PredicateLexicon:
    nominals: frozenset[str]
    of_agent: frozenset[str]
    place_preps: frozenset[str]
    instrument_preps: frozenset[str]
    recipient_preps: frozenset[str]
    instrument_verbs: frozenset[str]
    conditional_marks: frozenset[str]
    hypothetical_aux: frozenset[str]
    future_frames: frozenset[str]
    hedge_adverbs: frozenset[str]
    light_verbs: frozenset[str]
    agent_nouns: frozenset[str]
    people_nouns: frozenset[str]
    agent_group_nouns: frozenset[str]
    singular_people: frozenset[str]
    institution_nouns: frozenset[str]
    quantity_nouns: frozenset[str]
    state_nouns: frozenset[str]
    causatives: frozenset[str]
    person_anaphors: frozenset[str]
    possessor_patient: frozenset[str] = frozenset()


@lru_cache(maxsize=None)
def predicate_lexicon() -> PredicateLexicon:
    d = predicate_data()
    ev = event_lexicon()

    def words(key: str) -> frozenset[str]:
        return frozenset(str(w).lower() for w in d.get(key) or [])

    return PredicateLexicon(
        nominals=words("nominals"), of_agent=words("of_agent_nominals") | frozenset(ev.of_source),
        place_preps=words("place_preps"), instrument_preps=words("instrument_preps"),
        recipient_preps=words("recipient_preps"), instrument_verbs=words("instrument_verbs"),
        conditional_marks=words("conditional_marks"), hypothetical_aux=words("hypothetical_aux"),
        future_frames=words("future_frames"), hedge_adverbs=words("hedge_adverbs"),
        light_verbs=frozenset(ev.light_verbs), agent_nouns=words("agent_nouns"),
        people_nouns=frozenset(str(w).lower() for w in (d.get("actor_nouns") or {}).get("people") or []),
        agent_group_nouns=frozenset(str(w).lower() for w in (d.get("actor_nouns") or {}).get("agents") or []),
        singular_people=frozenset(str(w).lower() for w in (d.get("actor_nouns") or {}).get("singular_people") or []),
        institution_nouns=frozenset(str(w).lower() for w in (d.get("actor_nouns") or {}).get("institutions") or []),
        quantity_nouns=words("quantity_nouns"), state_nouns=words("state_nouns"),
        causatives=words("causatives"), person_anaphors=words("person_anaphors"),
        possessor_patient=words("possessor_patient_nominals"))


@dataclass(eq=False)
class Frame:
    """One predicate of a sentence and its arguments (heads of phrases, coordination expanded)."""
    trigger: "Token"
    lemma: str
    kind: str                      # verb | noun | adj
    words: list["Token"]           # the trigger's words ("carried ... out" -> carried; "air strike")
    agent: list["Token"] = field(default_factory=list)
    patient: list["Token"] = field(default_factory=list)
    recipient: list["Token"] = field(default_factory=list)
    instrument: list["Token"] = field(default_factory=list)
    place: list["Token"] = field(default_factory=list)
    obliques: dict[str, list["Token"]] = field(default_factory=dict)  # preposition -> its objects
    time: str | None = None
    negated: bool = False
    modality: str = "asserted"
    statement: str | None = None
    voice: str = "active"          # active | passive (nouns: active)
    support: "Token | None" = None  # the light or participation verb of a nominal predicate
    clause: "Token | None" = None   # the verb whose clause the predicate sits in
    tense: str = "none"            # past | present | future | none

    @property
    def polarity(self) -> str:
        return "negative" if self.negated else "positive"

    @property
    def happened(self) -> bool:
        """Reported as having taken place: positive and asserted."""
        return not self.negated and self.modality == "asserted"

    def event_modality(self) -> str:
        """The contract's three modalities: hypothetical and conditional are hedged."""
        return "hedged" if self.modality in ("hypothetical", "conditional") else self.modality

    def oblique(self, *preps: str) -> list["Token"]:
        out: list["Token"] = []
        for p in preps:
            out.extend(self.obliques.get(p, ()))
        return out

    def roles(self) -> dict[str, list[str]]:
        """Argument texts by role (for debugging and tests)."""
        return {r: [t.text for t in getattr(self, r)] for r in ("agent", "patient", "recipient", "instrument", "place")}


def is_verbal(tok: "Token") -> bool:
    """A verb, or a word the tagger took for a noun or adjective although it heads an infinitive
    ("votes to impeach President Trump")."""
    if tok.pos_ == "VERB":
        return not any(c.dep_ == "det" and c.i < tok.i for c in tok.children)  # "the accused" is a noun
    if tok.pos_ in ("NOUN", "ADJ") and tok.dep_ in ("xcomp", "ccomp", "advcl", "conj") and tok.tag_ in ("NN", "VB", "JJ"):
        return any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children) and any(
            c.dep_ in ("dobj", "nsubj") for c in tok.children)
    return False


def nominal_words(tok: "Token") -> list["Token"] | None:
    """The words of a nominal predicate headed by tok (event nouns, multiword: "air strike"), or None."""
    if tok.pos_ not in ("NOUN", "PROPN") or tok.ent_type_ in NAMED_TYPES:
        return None
    entry, first = lookup_multi(tok, event_lexicon().nouns)
    if entry is not None:
        return [tok.doc[i] for i in range(first.i, tok.i + 1)]
    if tok.pos_ == "NOUN" and tok.lemma_.lower() in predicate_lexicon().nominals:
        return [tok]
    return None


def predicate_kind(tok: "Token") -> tuple[str, list["Token"]] | None:
    if tok.is_punct or tok.is_space:
        return None
    if is_verbal(tok):
        return "verb", [tok]
    words = nominal_words(tok)
    if words is not None:
        # a modifier of a longer nominal belongs to it ("arrest warrant", "hunger strike")
        if tok.dep_ == "compound" and nominal_words(tok.head) is not None:
            return None
        return "noun", words
    if tok.pos_ == "ADJ" and tok.lemma_.lower() in event_lexicon().adjectives and tok.dep_ in ("acomp", "xcomp", "attr") \
            and any(c.dep_ == "xcomp" for c in tok.children):
        return "adj", [tok]
    return None


# ---- unnamed actors ----------------------------------------------------------------------------
PHRASE_DEPS = {"compound", "amod", "nmod", "nummod", "poss", "case", "cc", "conj", "prep", "pobj", "det", "quantmod", "advmod"}


def quantity_head(tok: "Token") -> "Token":
    """"thousands of protesters", "some of the students": the "of" object is the head."""
    lex = predicate_lexicon()
    for _ in range(2):
        if tok.lemma_.lower() not in lex.quantity_nouns and tok.pos_ != "NUM":
            break
        inner = [p for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children if p.dep_ == "pobj"]
        if not inner:
            break
        tok = inner[0]
    return tok


@dataclass(frozen=True)
class ActorPhrase:
    """An unnamed actor noun phrase: "two suspects", "Hong Kong student groups", "the authorities"."""
    key: str            # the same key for the same actor within a document ("protester")
    kind: str           # people | agents | institution
    start: int          # char offsets of the phrase (determiners and clauses left out)
    end: int
    head: "Token"


def actor_phrase(tok: "Token") -> ActorPhrase | None:
    """The unnamed actor a noun phrase headed by tok names, when its head is an actor noun:
    plural people ("protesters", "two suspects", "Members of the House of Commons") or an
    institution ("the government", "police")."""
    lex = predicate_lexicon()
    tok = quantity_head(tok)
    if tok.pos_ not in ("NOUN", "PROPN") or tok.ent_type_ in ("PERSON", "GPE", "ORG", "DATE", "TIME"):
        return None
    lemma = tok.lemma_.lower()
    if lemma in lex.people_nouns or lemma in lex.agent_group_nouns:
        if tok.tag_ not in ("NNS", "NNPS") and not any(c.dep_ == "nummod" for c in tok.children) and not (
                lemma in lex.singular_people and any(c.dep_ == "det" and c.lower_ in ("the", "a", "an") for c in tok.children)):
            return None
        kind = "people" if lemma in lex.people_nouns else "agents"
    elif lemma in lex.institution_nouns:
        kind = "institution"
    else:
        return None
    left = [c for c in tok.lefts if c.dep_ in ("compound", "amod", "nmod", "nummod", "poss")]
    toks = [tok]
    for c in left:
        toks.extend(t for t in c.subtree if not t.is_punct or t.i > c.left_edge.i)
    mods: list[str] = []
    for c in left:
        if c.dep_ != "nummod" and not c.ent_type_ and c.dep_ != "poss":
            mods.extend(t.lemma_.lower() for t in c.subtree if t.dep_ not in ("cc", "punct") and not t.ent_type_)
    for c in tok.rights:  # "Members of the House of Commons", "groups of students"
        if c.dep_ == "prep" and c.lower_ == "of":
            pobj = [p for p in c.children if p.dep_ == "pobj"]
            if pobj:
                toks.extend(c.subtree)
                mods.append("of " + " ".join(t.lemma_.lower() for t in pobj[0].subtree if t.dep_ != "det"))
            break
    toks = [t for t in toks if t.dep_ != "det" or t.i > tok.i]
    start_tok = min(toks, key=lambda t: t.i)
    end_tok = max(toks, key=lambda t: t.i)
    key = " ".join(mods + [lemma])
    return ActorPhrase(key=key, kind=kind, start=start_tok.idx, end=end_tok.idx + len(end_tok.text), head=tok)
