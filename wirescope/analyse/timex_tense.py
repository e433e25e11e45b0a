"""Which way a relative or underspecified date points: the clause around it, read from the parse.

`read_clause(doc, start, end)` climbs from the expression to the verb that governs it and returns
a `Clause`: the tense and aspect of that verb ("will", "is to", "is being held", "expected",
"scheduled" point forward; "was", "had", a simple past point back), the preposition that governs
the expression ("since", "until", "on"), the noun it modifies if it sits inside a noun phrase
("the November 13 deadline", "the laws brought in after 11 September") and the words it hangs on.
`direction(clause)` turns that into "past", "future" or "nearest" for the calendar search.

The word lists (modal and auxiliary verbs, verbs that look ahead, nouns of scheduled events,
predicates whose effect lasts "until" a date) are data: `clause_words` in data/timex.yaml.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from wirescope.analyse.timex_patterns import lexicon, norm_key


@dataclass(slots=True)
class Clause:
    tense: str | None = None         # past | future | present | None (no verb found)
    prep: str | None = None          # lowercase preposition governing the expression
    noun: str | None = None          # lemma of the noun the expression modifies, if any
    in_np: bool = False              # inside a noun phrase (a noun or a participle modifies)
    prenominal: bool = False         # it modifies the noun right after it ("Tuesday's pleas")
    heads: tuple[str, ...] = ()      # lemmas of the words between the expression and its verb
    forward: bool = False            # an expectation word ("expected", "scheduled", "due") governs it
    lasting: bool = False            # a lasting state ("suspension", "bail") lies between its verb and it


@dataclass(frozen=True)
class _Words:
    future_aux: frozenset[str]
    neutral_modals: frozenset[str]
    past_aux: frozenset[str]
    present_be: frozenset[str]
    future_heads: frozenset[str]
    expectation: frozenset[str]
    scheduled_nouns: frozenset[str]
    lasting: frozenset[str]
    past_prepositions: frozenset[str]
    open_end_prepositions: frozenset[str]
    reporting_verbs: frozenset[str]
    forward_modifiers: frozenset[str]
    onset_verbs: frozenset[str] = frozenset()
    onset_objects: frozenset[str] = frozenset()


@lru_cache(maxsize=1)
def words() -> _Words:
    lex = lexicon()["clause_words"]

    def fs(key: str) -> frozenset[str]:
        return frozenset(norm_key(str(w)) for w in lex[key])

    return _Words(fs("future_aux"), fs("neutral_modals"), fs("past_aux"), fs("present_be"), fs("future_heads"),
                  fs("expectation"), fs("scheduled_nouns"), fs("lasting"), fs("past_prepositions"),
                  fs("open_end_prepositions"), fs("reporting_verbs"), fs("forward_modifiers"), fs("onset_verbs"),
                  fs("onset_objects"))


_NOUNS = ("NOUN", "PROPN")
_VERBS = ("VERB", "AUX")


def read_clause(doc, start: int, end: int) -> Clause | None:
    """The clause an expression at [start, end) of doc sits in; None when the span does not align."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    w = words()
    content = [t for t in span if not (t.is_punct or t.is_space)]
    if not content:
        return None
    inside = {t.i for t in span}
    content_ids = {t.i for t in content}
    tok = span.root if span.root.i in content_ids else content[0]
    out = Clause(prep=_prep_before(doc, span))
    heads: list[str] = []
    nouns = []  # the nouns on the way up ("an upcoming vote in March") and, unless the verb is past,
    # its subject ("The next round of talks is on 5 May")
    for _ in range(14):
        head = tok.head
        if head.i == tok.i:
            if tok.pos_ in _VERBS and tok.i not in inside:
                out.tense = _verb_tense(tok, w)
            break
        if head.i in inside:
            tok = head
            continue
        lemma = head.lemma_.lower()
        if not heads:  # the first word outside the expression
            if head.pos_ == "ADP" or head.tag_ in ("IN", "TO"):
                out.prep = head.lower_
            elif head.pos_ in _NOUNS:
                out.noun, out.in_np = lemma, True  # "the November 13 deadline"
                out.prenominal = head.i > tok.i and tok.dep_ in ("poss", "compound", "nmod", "amod", "npadvmod")
        elif len(heads) == 1 and out.noun is None and out.prep and head.pos_ in _NOUNS:
            out.noun, out.in_np = lemma, True      # "a bid for October elections", "a ban until May"
        heads.append(lemma)
        if head.pos_ in _NOUNS:
            nouns.append(head)
        if lemma in w.expectation and (head.tag_ in ("VBN", "JJ") or head.pos_ == "ADJ") and not _simple_past(head):
            out.forward = True
        tok = head
        if tok.pos_ not in _VERBS:
            continue
        if tok.dep_ == "prep" or (tok.tag_ == "VBG" and tok.dep_ in ("acl", "advcl", "amod", "pcomp")):
            continue
        if tok.tag_ == "VBN" and tok.dep_ in ("acl", "amod"):
            out.in_np = True  # "the laws brought in after 11 September"
            out.tense = "past"
            break
        t = _verb_tense(tok, w)
        if t is not None:
            out.tense = _reporting_fix(tok, start, t, w)
            break
    if tok.pos_ in _VERBS and out.tense != "past":
        nouns.extend(c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ in _NOUNS)
    if any(m.lower_ in w.forward_modifiers for n in nouns for m in n.children if m.dep_ in ("amod", "det", "advmod")):
        out.forward = True  # "The next round of talks is on 5 May"
    if out.prep in w.open_end_prepositions:
        lo = tok.i + 1 if tok.i < span.start else span.start
        out.lasting = any(h in w.lasting for h in heads) or any(
            t.lemma_.lower() in w.lasting for t in doc[lo:span.start])
    out.heads = tuple(heads)
    if out.forward and out.tense in ("past", "present", None):
        out.tense = "future"
    return out


def _prep_before(doc, span) -> str | None:
    """The preposition right before the expression ("after 11 September"), however it was parsed."""
    if span.start == 0:
        return None
    prev = doc[span.start - 1]
    return prev.lower_ if prev.tag_ in ("IN", "TO") and prev.lower_ not in ("that", "if", "whether") else None


def _simple_past(v) -> bool:
    """"was expected", "had been scheduled": an expectation told in the past does not look ahead."""
    return any(c.dep_ in ("aux", "auxpass") and c.tag_ == "VBD" for c in v.children) or (
        v.head.i != v.i and v.head.lemma_ == "be" and v.head.tag_ == "VBD")


def _reporting_fix(v, start: int, tense: str, w: _Words) -> str:
    """"May said on Monday she would resign": an expression between a reporting verb and the
    subject of its complement clause belongs to the reporting verb, whatever the parse hung it on."""
    if v.dep_ != "ccomp" or v.head.i == v.i or v.head.lemma_.lower() not in w.reporting_verbs:
        return tense
    rep = v.head
    if rep.idx >= start:
        return tense
    subj = next((c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None or subj.idx <= start:
        return tense
    if any(c.dep_ == "mark" and c.idx < start for c in v.children):
        return tense
    return _verb_tense(rep, w) or tense


def _verb_tense(v, w: _Words) -> str | None:
    if v.tag_ == "VBN" and v.dep_ == "acomp":
        return None  # "I am committed to ...": an adjective; the verb above it decides
    auxes = [c for c in v.children if c.dep_ in ("aux", "auxpass")]
    lowers = {norm_key(a.text) for a in auxes}
    modals = {norm_key(a.text) for a in auxes if a.tag_ == "MD"}
    if lowers & w.future_aux:
        return "future"
    if modals and modals <= w.neutral_modals:
        return "present"  # "could", "can": no direction of their own
    if modals:
        return "future"
    if v.dep_ == "xcomp" and any(a.lower_ == "to" for a in auxes):
        head = v.head
        if head.lemma_.lower() in w.future_heads:
            return "future"
        if head.lemma_ == "be" and head.lower_ in w.present_be:  # "is to take place"
            return "future"
    if v.tag_ == "VBN" and lowers & w.present_be:
        # "is being hosted" looks ahead; "is committed", "is located" are states now
        return "future" if "being" in lowers else "present" if not lowers & w.past_aux else "past"
    if lowers & w.past_aux or v.tag_ == "VBD":
        return "past"
    if v.tag_ == "VBG" and lowers & w.present_be:
        return "future"
    if v.tag_ == "VBN":
        return "past"
    if v.tag_ == "VB" and "to" in lowers:
        if v.head.i == v.i:
            return "future"  # a headline's "Markets to remain closed until Friday"
        if v.head.pos_ in _VERBS:
            return _verb_tense(v.head, w)
    if v.tag_ in ("VBZ", "VBP"):
        return "future" if not auxes and _onset(v, w) else "present"
    return None



def _onset(v, w: _Words) -> bool:
    """A scheduled start or end told in the simple present ("the law takes effect in January",
    "the truce expires on Friday"), outside a headline (where the present tells the past: "Rebels
    end siege on Friday": a line without a closing stop)."""
    lemma = v.lemma_.lower()
    if lemma not in w.onset_verbs:
        return False
    if lemma in ("take", "come", "go") and not any(
            t.lemma_.lower() in w.onset_objects for c in v.children for t in c.subtree if t.i - v.i <= 3):
        return False
    text = v.doc.text
    lo, hi = text.rfind("\n", 0, v.idx) + 1, text.find("\n", v.idx)
    line = text[lo:hi if hi >= 0 else len(text)].strip()
    return line.endswith((".", "!", "?", '"', "”", "'", "’", ":", ";", ",", ")"))  # a line without one: a title


def direction(clause: Clause | None) -> str | None:
    """"past", "future", "nearest" from a clause, or None to leave it to the cue words."""
    if clause is None:
        return None
    w = words()
    tense = clause.tense
    if clause.prep in w.past_prepositions and tense != "future":
        return "past"  # "since early June"
    if tense == "past":
        # a scheduled event ("the November 13 deadline", "a bid for October elections") and the end
        # of a lasting state ("released on bail till October") may lie ahead of a past clause
        if clause.noun in w.scheduled_nouns:
            return "nearest"
        if clause.lasting:
            return "nearest"
        return "past"
    if tense == "future":
        # "Tuesday's pleas might provide solace": the noun's own time, not the verb's
        return "nearest" if clause.prenominal and clause.noun not in w.scheduled_nouns else "future"
    if tense == "present":
        return "nearest"
    return None
