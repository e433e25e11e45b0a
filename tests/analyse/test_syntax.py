"""syntax.Resolver and pronouns: it reads the antecedents the one anaphora resolver (the actors
stage) recorded and resolves none itself. Its former pronoun fallback recursed on parses where two
pronouns are each other's co-arguments ("It, they insisted, it was not them": spaCy hangs both "It"
and "it" on "was") until RecursionError, which cost the whole document (E301); those sentences
stay analysed.
"""
from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from wirescope.analyse.syntax import Resolver
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


def test_pronouns_are_read_not_resolved_here():
    """One anaphora resolver: the actors stage (actor_pronouns). The predicate layer reads what it
    recorded and resolves no pronoun of its own, so "He" with no recorded antecedent stays unresolved
    even when a person stands right before it."""
    words = ["Ghani", "spoke", ".", "He", ",", "they", "said", ",", "he", "would", "return", "."]
    heads = [1, 1, 1, 10, 6, 6, 10, 6, 10, 10, 10, 10]
    deps = ["nsubj", "ROOT", "punct", "nsubj", "punct", "nsubj", "parataxis", "punct", "nsubj", "aux", "ROOT", "punct"]
    pos = ["PROPN", "VERB", "PUNCT", "PRON", "PUNCT", "PRON", "VERB", "PUNCT", "PRON", "AUX", "VERB", "PUNCT"]
    doc = parse(words, heads, deps, pos)
    ghani = Entity("e1", "Ghani", "person")
    assert Resolver(Ctx({0: ghani})).entities(doc[3]) == []
    # the pronoun the actors stage tied to Ghani is Ghani
    assert [e.id for e in Resolver(Ctx({0: ghani, 8: ghani})).entities(doc[8])] == ["e1"]


@pytest.mark.parametrize("text", [
    "It, they insisted, it was not them who attacked the convoy.",
    "He, they said, he would return.",
])
def test_sentences_that_recursed_are_analysed(analyse, text):
    """These sentences used to fail the relations stage with RecursionError (E301): the document was lost."""
    analysis = analyse(text)
    assert analysis.document.text == text
    assert len(analysis.statements) == 1  # "they insisted" / "they said": the rest of the pipeline ran
