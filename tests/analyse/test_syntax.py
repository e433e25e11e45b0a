"""syntax.Resolver: pronoun lookups terminate on parses where pronouns are each other's co-arguments.

`_pronoun` excludes the other arguments of the pronoun's predicate (`_clause_args`), resolving the
pronouns among them first. When a verb has two pronoun subjects ("It, they insisted, it was not
them": spaCy hangs both "It" and "it" on "was"), each is the other's co-argument and the two
lookups used to call each other until RecursionError, which cost the whole document (E301).
"""
from __future__ import annotations

import time

import pytest
import spacy
from spacy.tokens import Doc

from wirescope.analyse.syntax import MAX_PRONOUN_DEPTH, Resolver
from wirescope.model import Entity


VOCAB = spacy.blank("en").vocab  # English lexical attributes (lower_), no model


class Ctx:
    """What Resolver reads of the analysis context: the actors of some tokens, nothing else."""

    def __init__(self, by_token: dict[int, Entity] | None = None) -> None:
        self.by_token = by_token or {}
        self.by_id = {e.id: e for e in self.by_token.values()}
        self.entities = list(self.by_id.values())
        self.relations = []

    def entity_of_phrase(self, tok):
        return self.by_token.get(tok.i)

    def entity_of_token(self, tok):
        return self.by_token.get(tok.i)

    def entity(self, entity_id):
        return self.by_id.get(entity_id)


def parse(words, heads, deps, pos, tags=None) -> Doc:
    """A hand-made dependency parse (heads are absolute token indexes)."""
    tags = tags or ["PRP" if p == "PRON" else "XX" for p in pos]
    return Doc(VOCAB, words=words, heads=heads, deps=deps, pos=pos, tags=tags)


def two_subjects() -> Doc:
    # "He , they said , he would return ." with "He" and "he" both subjects of "return"
    # (the shape spaCy gives "He, they said, he would return.")
    words = ["He", ",", "they", "said", ",", "he", "would", "return", "."]
    heads = [7, 3, 3, 7, 3, 7, 7, 7, 7]
    deps = ["nsubj", "punct", "nsubj", "parataxis", "punct", "nsubj", "aux", "ROOT", "punct"]
    pos = ["PRON", "PUNCT", "PRON", "VERB", "PUNCT", "PRON", "AUX", "VERB", "PUNCT"]
    return parse(words, heads, deps, pos)


def test_mutual_co_argument_pronouns_terminate():
    doc = two_subjects()
    res = Resolver(Ctx())
    assert res.entities(doc[0]) == []  # no antecedent anywhere: unresolved, and no RecursionError
    assert res.entities(doc[5]) == []
    assert res._clause_args(doc[0]) == set()
    assert res._resolving == set()  # nothing left marked as in progress


def test_cycle_still_resolves_what_it_can():
    # "Ghani spoke . He , they said , he would return ." : the lookups still reach Ghani, the earlier
    # subject; co-arguments never share an antecedent, so the pronoun asked second gets him
    words = ["Ghani", "spoke", ".", "He", ",", "they", "said", ",", "he", "would", "return", "."]
    heads = [1, 1, 1, 10, 6, 6, 10, 6, 10, 10, 10, 10]
    deps = ["nsubj", "ROOT", "punct", "nsubj", "punct", "nsubj", "parataxis", "punct", "nsubj", "aux", "ROOT", "punct"]
    pos = ["PROPN", "VERB", "PUNCT", "PRON", "PUNCT", "PRON", "VERB", "PUNCT", "PRON", "AUX", "VERB", "PUNCT"]
    doc = parse(words, heads, deps, pos)
    ghani = Entity("e1", "Ghani", "person")
    res = Resolver(Ctx({0: ghani}))
    assert res.entities(doc[3]) == []
    assert res.cache == {8: "e1"}  # found for "he" while excluding the co-arguments of "He"
    assert [e.id for e in res.entities(doc[8])] == ["e1"]


def test_three_way_cycle_and_many_co_subjects_are_bounded():
    # n pronoun subjects on one verb: every pair is a cycle; the lookups stay shallow and quick
    n = 40
    words = ["he"] * n + ["left", "."]
    heads = [n] * n + [n, n]
    deps = ["nsubj"] * n + ["ROOT", "punct"]
    pos = ["PRON"] * n + ["VERB", "PUNCT"]
    doc = parse(words, heads, deps, pos)
    res = Resolver(Ctx())
    calls = []
    inner = res._antecedent

    def counting(tok):
        calls.append(len(res._resolving))
        return inner(tok)

    res._antecedent = counting
    started = time.perf_counter()
    for i in range(n):
        assert res.entities(doc[i]) == []
    assert time.perf_counter() - started < 10
    assert max(calls) <= MAX_PRONOUN_DEPTH
    assert len(calls) <= n * n  # each top-level lookup looks at each co-subject once


@pytest.mark.parametrize("text", [
    "It, they insisted, it was not them who attacked the convoy.",
    "He, they said, he would return.",
])
def test_sentences_that_recursed_are_analysed(analyse, text):
    """These sentences used to fail the relations stage with RecursionError (E301): the document was lost."""
    analysis = analyse(text)
    assert analysis.document.text == text
    assert len(analysis.statements) == 1  # "they insisted" / "they said": the rest of the pipeline ran
