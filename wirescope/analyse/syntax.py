"""Dependency-parse helpers shared by the relations and events stages.

Everything here works on spaCy tokens of one sentence and the `Context`: who a noun phrase refers to
(with small fallbacks for what the actors stage left unresolved), the subjects and objects of a
predicate through voice and coordination, negation and modality scope, and the time expression that
belongs to a predicate.
"""
from __future__ import annotations

from bisect import bisect_left
from typing import TYPE_CHECKING, Iterable

from wirescope.analyse.stance import modality_of, polarity_of  # noqa: F401 - stance lives in stance.py
from wirescope.model import Entity, TimeExpr

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Span as SpacySpan, Token

    from wirescope.analyse.context import Context

SUBJ = {"nsubj", "csubj", "expl"}
PASS_SUBJ = {"nsubjpass", "csubjpass"}
OBJ = {"dobj", "obj"}
ACTOR_TYPES = {"person", "organization", "group"}
# nouns that stand for a named actor's people when tied to it ("the al-Qaeda terrorists")
GENERIC_HEADS = {"terrorist", "militant", "fighter", "jihadist", "insurgent", "rebel", "extremist",
                 "operative", "member", "gunman", "guerrilla", "guerilla", "loyalist", "supporter",
                 "force", "troop", "soldier", "cadre", "group", "recruit", "people", "ally"}
PLURAL_PAIR = {"two", "both"}
ROLE_NOUNS = {"leader", "commander", "chief", "head", "member", "operative", "official", "spokesman",
              "spokeswoman", "spokesperson", "founder", "fighter", "militant", "emir", "deputy",
              "financier", "envoy", "minister", "president", "general", "activist", "soldier"}
PERSON_NOUNS = {"man", "woman", "leader", "brother", "son", "person", "official", "men", "women", "commander"}
DEFINITE = {"the", "this", "that", "these", "those"}


# ---- noun phrases ------------------------------------------------------------------------------
def conjuncts(tok: "Token") -> list["Token"]:
    """tok and the tokens coordinated with it ("X and Y", "X, Y or Z")."""
    out = [tok]
    for c in tok.conjuncts:
        if c.i != tok.i and c not in out:
            out.append(c)
    return sorted(out, key=lambda t: t.i)


def phrase_end(tok: "Token") -> int:
    """Char offset just after the phrase headed by tok, without trailing punctuation."""
    last = tok
    for t in tok.subtree:
        if t.i > last.i and not t.is_punct:
            last = t
    return last.idx + len(last.text)


def matches_words(head: "Token", words: tuple[str, ...]) -> bool:
    """Do the lemmas/lower forms of the tokens ending at head spell `words`?"""
    n = len(words)
    forms = _doc_forms(head.doc)
    i = head.i
    if i - n + 1 < forms.sent_start[i]:
        return False
    lem, low = forms.lemma, forms.lower
    a = i - n + 1
    return all(w == lem[a + k] or w == low[a + k] for k, w in enumerate(words))


class _DocForms:
    """Per-document arrays read by the lexicon lookups: lower-cased lemma and lower form of every
    token and the index of the first token of its sentence (built once per document, O(n))."""

    __slots__ = ("doc", "size", "lemma", "lower", "sent_start")

    def __init__(self, doc) -> None:  # noqa: ANN001
        self.doc = doc
        self.size = len(doc)
        if self.size and not doc.user_hooks and not doc.user_token_hooks and not doc.user_span_hooks:
            self._from_arrays(doc)
        else:
            self._from_tokens(doc)

    def _from_arrays(self, doc) -> None:  # noqa: ANN001
        """From doc.to_array: no Token objects made; strings looked up once per distinct word."""
        from spacy.attrs import LEMMA, LOWER

        strings = doc.vocab.strings
        lemmas, lowers = doc.to_array([LEMMA, LOWER]).T.tolist()
        cache = _LEMMA_LOWER if len(_LEMMA_LOWER) < 500_000 else _LEMMA_LOWER.clear() or _LEMMA_LOWER
        out = []
        for h in lemmas:
            low = cache.get(h)
            if low is None:
                low = cache[h] = strings[h].lower()
            out.append(low)
        self.lemma = out
        self.lower = [strings[h] for h in lowers]
        starts = [0] * len(doc)
        try:
            for sent in doc.sents:
                s = sent.start
                starts[s:sent.end] = [s] * (sent.end - s)
        except ValueError:  # no sentence boundaries: ask each token, as Token.sent would
            starts = [t.sent.start for t in doc]
        self.sent_start = starts

    def _from_tokens(self, doc) -> None:  # noqa: ANN001
        self.lemma = [t.lemma_.lower() for t in doc]
        self.lower = [t.lower_ for t in doc]
        self.sent_start = [t.sent.start for t in doc]


_LEMMA_LOWER: dict[int, str] = {}  # lemma hash -> lower-cased lemma

_FORMS: list = [None]  # the last document's forms: the stages run one document at a time


def _doc_forms(doc) -> _DocForms:  # noqa: ANN001
    forms = _FORMS[0]
    if forms is None or forms.doc is not doc or forms.size != len(doc):
        forms = _DocForms(doc)
        _FORMS[0] = forms
    return forms


_TABLE_INDEX: dict[int, tuple] = {}


def _table_index(table: dict) -> tuple:
    """(table, size, last words of its keys, key lengths), kept per lexicon table."""
    got = _TABLE_INDEX.get(id(table))
    if got is None or got[0] is not table or got[1] != len(table):
        got = (table, len(table), frozenset(k[-1] for k in table if k), frozenset(len(k) for k in table))
        _TABLE_INDEX[id(table)] = got
    return got


def lookup_multi(head: "Token", table: dict, max_len: int = 4):
    """The longest entry of table (keys: tuples of words whose last is the head) ending at head.

    For each length, longest first, the lemma spelling is tried before the lower-case spelling; only
    heads whose lemma or lower form ends some key are looked at."""
    _, _, lasts, lengths = _table_index(table)
    doc = head.doc
    forms = _doc_forms(doc)
    i = head.i
    lem, low = forms.lemma, forms.lower
    if lem[i] not in lasts and low[i] not in lasts:
        return None, None
    sent_start = forms.sent_start[i]
    for n in range(max_len, 0, -1):
        a = i - n + 1
        if n not in lengths or a < sent_start:
            continue
        variant = tuple(lem[a:i + 1])
        if variant in table:
            return table[variant], doc[a]
        variant = tuple(low[a:i + 1])
        if variant in table:
            return table[variant], doc[a]
    return None, None


# ---- entities ----------------------------------------------------------------------------------
class Resolver:
    """Finds the actors a token stands for, with fallbacks the stages share in one document.

    The actors stage's `ctx.entity_of_phrase` comes first: it also sees the pronouns and "the former"
    / "the latter" that the one anaphora resolver (actor_pronouns) tied to actors; a pronoun it left
    unresolved stays unresolved here. When it has nothing, and only then:
    - "the two groups" / "both groups" take the two most salient actors of the passage;
    - a generic noun ("terrorists", "militants") tied to an actor by compound or possessive
      ("the al-Qaeda terrorists", "the former's terrorists") stands for that actor; an untied one
      becomes (once per document) a generic group entity, subtype "generic".
    A generic group entity with descriptor {"of": id} is replaced by the named actor it belongs to.
    """

    def __init__(self, ctx: "Context") -> None:
        self.ctx = ctx
        self.cache: dict[int, str] = {}
        self._generic: dict[str, Entity] = {}

    # entity of a single token, including what this resolver learnt
    def _known(self, tok: "Token") -> Entity | None:
        e = self.ctx.entity_of_token(tok)
        if e is None and tok.i in self.cache:
            e = self.ctx.entity(self.cache[tok.i])
        return e

    def named(self, entity: Entity | None) -> Entity | None:
        """A generic group tied to a named actor stands for that actor."""
        if entity is None:
            return None
        desc = entity.descriptor or {}
        of = desc.get("of") if isinstance(desc, dict) else None
        if entity.subtype == "generic" and of:
            target = self.ctx.entity(of)
            if target is not None and target.id != entity.id:
                return target
        return entity

    def entities(self, tok: "Token", allow_generic: bool = True) -> list[Entity]:
        """The actors the phrase headed by tok refers to (usually one; two for "the two groups")."""
        found = self.ctx.entity_of_phrase(tok)
        if (found is not None and found.type != "person" and self.ctx.entity_of_token(tok) is None
                and tok.lemma_.lower() in ROLE_NOUNS and tok.tag_ in ("NN", "NNP")):
            found = None  # "an al Qaeda leader" is a person of al Qaeda, not al Qaeda
            return []
        if found is None and tok.i in self.cache:
            found = self.ctx.entity(self.cache[tok.i])
        if found is None and tok.pos_ == "NOUN":
            # "Turkish authorities", "Israeli tanks": the nationality stands for the actor
            for c in tok.children:
                if c.dep_ == "amod" and c.i < tok.i:
                    e = self.ctx.entity_of_token(c)
                    if e is not None and e.type in ("group", "location", "organization"):
                        found = e
                        break
        if found is not None:
            return [self.named(found)]
        if tok.pos_ == "PRON":
            return []  # the actors stage's anaphora resolver (actor_pronouns) left it unresolved
        lemma = tok.lemma_.lower()
        if tok.pos_ in ("NOUN", "PROPN") and any(c.lower_ in PLURAL_PAIR for c in tok.children) and tok.tag_ in ("NNS", "NNPS"):
            kinds = {"person"} if lemma in PERSON_NOUNS else {"organization", "group", "location"}
            return [e for e in salient_pair(self.ctx, tok, self) if e.type in kinds]
        if lemma in GENERIC_HEADS and tok.pos_ == "NOUN" and tok.tag_ == "NNS":
            for c in tok.children:
                if c.dep_ in ("poss", "compound", "amod", "nmod") and c.i < tok.i:
                    inner = self.entities(c, allow_generic=False) if c.dep_ == "poss" else (
                        [self.named(self._known(c))] if self._known(c) else [])
                    if c.dep_ == "poss" and not inner:
                        inner = self.entities(c, allow_generic=False)
                    inner = [e for e in inner if e is not None and e.type in ACTOR_TYPES]
                    if inner:
                        return inner[:1]
            if allow_generic and lemma not in ("people", "group", "force", "troop", "soldier", "ally"):
                return [self._generic_group(tok)]
        return []

    def entity(self, tok: "Token", allow_generic: bool = True) -> Entity | None:
        found = self.entities(tok, allow_generic)
        return found[0] if found else None

    def _generic_group(self, tok: "Token") -> Entity:
        name = tok.text
        key = tok.lemma_.lower()
        e = self._generic.get(key)
        if e is None:
            for ent in self.ctx.entities:
                if ent.subtype == "generic" and ent.name.lower() == name.lower():
                    e = ent
                    break
        if e is None:
            e = self.ctx.new_entity(name, "group", subtype="generic")
        self._generic[key] = e
        self.ctx.add_mention(e, tok.idx, tok.idx + len(tok.text))
        return e


def is_nationality(e: Entity) -> bool:
    """A nationality or religious adjective ("Afghan", "Shiite"): a group, not an actor one joins."""
    return e.label == "NORP" or e.subtype in ("nationality", "norp", "religion")


def _phrase_head(tok: "Token") -> "Token":
    while tok.dep_ in ("compound", "flat", "amod", "nmod", "poss", "case") and tok.head.i != tok.i:
        tok = tok.head
    return tok


def salient_pair(ctx: "Context", tok: "Token", resolver: Resolver | None = None) -> tuple[Entity, ...]:
    """The two actors the passage is about: the arguments of the latest relation between two actors
    in the last few sentences; else the two organizations/groups mentioned most often in the last
    three sentences (ties: the later mention)."""
    sent = tok.sent
    limit = sent.start_char
    lo_sent = sent
    for _ in range(5):
        if lo_sent.start == 0:
            break
        lo_sent = tok.doc[lo_sent.start - 1].sent
    for r in reversed(ctx.relations):
        if lo_sent.start_char <= r.evidence.start <= limit and r.type != "operates_in":
            a, b = ctx.entity(r.subject), ctx.entity(r.object)
            if a and b and a.id != b.id and a.type in ACTOR_TYPES and b.type in ACTOR_TYPES \
                    and not is_nationality(a) and not is_nationality(b):
                return (a, b)
    counts: dict[str, list[int]] = {}
    lo = sent
    for _ in range(3):
        if lo.start == 0:
            break
        lo = tok.doc[lo.start - 1].sent
    for i in range(lo.start, tok.i):
        e = ctx.entity_of_token(tok.doc[i])
        if resolver is not None and e is None and i in resolver.cache:
            e = ctx.entity(resolver.cache[i])
        if e is None:
            continue
        if resolver is not None:
            e = resolver.named(e)
        if e.type in ("organization", "group") and e.subtype != "generic" and not is_nationality(e):
            counts.setdefault(e.id, []).append(i)
    ranked = sorted(counts, key=lambda k: (len(counts[k]), max(counts[k])), reverse=True)
    if len(ranked) >= 2:
        return (ctx.entity(ranked[0]), ctx.entity(ranked[1]))
    return ()


# ---- predicates and arguments ------------------------------------------------------------------
def is_passive(verb: "Token") -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children) or (
        verb.tag_ == "VBN" and verb.dep_ in ("acl", "amod") and not any(c.dep_ == "aux" for c in verb.children))


def _own(verb: "Token", deps: set[str]) -> list["Token"]:
    return [c for c in verb.children if c.dep_ in deps]


def subjects(verb: "Token") -> list["Token"]:
    """Grammatical subjects of verb, inherited through coordination, xcomp and relative clauses."""
    seen = 0
    v = verb
    while seen < 6:
        seen += 1
        found = _own(v, SUBJ | PASS_SUBJ)
        found = [t for t in found if t.dep_ != "expl"]
        if found:
            out = []
            for f in found:
                if f.lower_ in ("who", "which", "that") and v.dep_ == "relcl":
                    f = v.head
                out.extend(conjuncts(f))
            return out
        if v.dep_ == "conj" and v.head.pos_ in ("VERB", "AUX"):
            v = v.head
            continue
        if v.dep_ in ("xcomp", "advcl") and v.head.pos_ in ("VERB", "AUX", "ADJ"):
            # object control ("urged X to leave") takes the object; else the subject
            objs = _own(v.head, OBJ) if v.dep_ == "xcomp" else []
            if objs:
                return conjuncts(objs[0])
            v = v.head
            continue
        if v.dep_ == "relcl":
            return conjuncts(v.head)
        if v.dep_ == "acl" and v.tag_ == "VBG":
            return conjuncts(v.head)
        if v.dep_ == "amod" and v.pos_ == "ADJ":
            return conjuncts(v.head)
        break
    return []


def agents(verb: "Token") -> list["Token"]:
    """The "by" agents of a passive verb."""
    out = []
    for c in verb.children:
        if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by" and is_passive(verb)):
            for p in c.children:
                if p.dep_ == "pobj":
                    out.extend(conjuncts(p))
    return out


def objects(verb: "Token") -> list["Token"]:
    """Direct objects of verb (with their conjuncts), inherited by a coordinated verb that lacks one."""
    found = _own(verb, OBJ)
    if not found and verb.dep_ == "conj" and verb.head.pos_ == "VERB" and not _own(verb, {"dative"}):
        found = _own(verb.head, OBJ) if not _own(verb, {"prep"}) else []
    out: list["Token"] = []
    for f in found:
        out.extend(conjuncts(f))
    return out


def datives(verb: "Token") -> list["Token"]:
    """Recipients: indirect objects and "to"/"for" datives."""
    out: list["Token"] = []
    for c in verb.children:
        if c.dep_ == "dative":
            if c.pos_ == "ADP":
                for p in c.children:
                    if p.dep_ == "pobj":
                        out.extend(conjuncts(p))
            else:
                out.extend(conjuncts(c))
    return out


def prep_objects(head: "Token", preps: Iterable[str]) -> list["Token"]:
    preps = set(preps)
    out: list["Token"] = []
    for c in head.children:
        if c.dep_ in ("prep", "dative", "agent") and c.lower_ in preps:
            for p in c.children:
                if p.dep_ in ("pobj", "pcomp"):
                    out.extend(conjuncts(p))
    return out


def particle(verb: "Token") -> str | None:
    for c in verb.children:
        if c.dep_ == "prt":
            return c.lower_
    return None


# ---- time --------------------------------------------------------------------------------------
def specificity(value: str | None) -> int:
    if not value:
        return -1
    v = value.split("T")[0]
    return len([p for p in v.split("-") if p]) * 10 + (1 if "T" in value else 0)


class _TimesIndex:
    """A document's time expressions by start offset, so that finding those that overlap a few
    tokens costs a bisection, not a pass over every time of the document."""

    __slots__ = ("times", "size", "starts", "order", "longest")

    def __init__(self, times: list[TimeExpr]) -> None:
        self.times = times
        self.size = len(times)
        pairs = sorted((tx.start, i) for i, tx in enumerate(times))
        self.starts = [start for start, _ in pairs]
        self.order = [i for _, i in pairs]
        self.longest = max((tx.end - tx.start for tx in times), default=0)

    def near(self, lo: int, hi: int) -> list[TimeExpr]:
        """Every time that may overlap [lo, hi), in the document's list order."""
        a = bisect_left(self.starts, lo - self.longest)
        b = bisect_left(self.starts, hi)
        return [self.times[i] for i in sorted(self.order[a:b])]


_TIMES: list = [None]  # the last document's index


def _times_index(ctx: "Context") -> _TimesIndex:
    index = _TIMES[0]
    if index is None or index.times is not ctx.times or index.size != len(ctx.times):
        index = _TimesIndex(ctx.times)
        _TIMES[0] = index
    return index


def times_for(ctx: "Context", tokens: Iterable["Token"]) -> list[TimeExpr]:
    """Time expressions (with a value) that lie within the given tokens' character ranges."""
    toks = list(tokens)
    if not toks or not ctx.times:
        return []
    ranges = sorted((t.idx, t.idx + len(t.text)) for t in toks)
    out = []
    for tx in _times_index(ctx).near(ranges[0][0], max(e for _, e in ranges)):
        if not tx.value or tx.type not in ("DATE", "TIME"):
            continue
        if tx.value.startswith("P") or tx.value in ("PRESENT_REF", "PAST_REF", "FUTURE_REF"):
            continue
        for s, e in ranges:
            if s < tx.end and tx.start < e:
                out.append(tx)
                break
    return out


def most_specific(times: Iterable[TimeExpr]) -> str | None:
    best = None
    for t in times:
        if best is None or specificity(t.value) > specificity(best):
            best = t.value
    return best


def compatible_times(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return True
    return a.startswith(b) or b.startswith(a)


def predicate_time(ctx: "Context", tok: "Token", stop: set[int] | None = None) -> str | None:
    """The time that belongs to a predicate: a time expression inside the trigger's own phrase
    (compounds, modifiers, prepositional phrases, "the October raid", "signed ... last year"),
    not inside a clause of its own; else one attached to the verb a nominal trigger depends on."""
    stop = stop or set()

    def own_tokens(head: "Token") -> list["Token"]:
        out = []
        seen = {head.i}  # guards against a malformed parse that is not a tree
        stack = [head]
        while stack:
            t = stack.pop()
            out.append(t)
            for c in t.children:
                if c.i in seen or c.i in stop or c.dep_ in ("ccomp", "relcl", "advcl", "conj", "cc", "parataxis"):
                    continue
                seen.add(c.i)
                stack.append(c)
        return out

    found = most_specific(times_for(ctx, own_tokens(tok)))
    if found:
        return found
    head = tok.head
    if tok.pos_ in ("NOUN", "PROPN") and head.i != tok.i:
        while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
            head = head.head
        if head.pos_ in ("VERB", "AUX"):
            direct = [c for c in head.children if c.dep_ in ("npadvmod", "prep", "advmod", "tmod")
                      and c.i != tok.i and tok not in c.subtree]
            toks = [t for c in direct for t in c.subtree]
            return most_specific(times_for(ctx, toks))
    return None


def sentence_span(ctx: "Context", sent: "SpacySpan") -> tuple[int, int]:
    start, end = sent.start_char, sent.end_char
    while end > start and ctx.text[end - 1].isspace():
        end -= 1
    while start < end and ctx.text[start].isspace():
        start += 1
    return start, end
