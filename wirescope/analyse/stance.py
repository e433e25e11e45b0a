"""Stance: which way and how surely something is said, in one module.

- `polarity_of(tok)` / `modality_of(tok)`: a predicate's polarity (negated? "did not give shelter",
  "no sanctuary", "refused to cooperate", "denied that ...") and modality (asserted, hedged:
  may/might/could/reportedly/alleged, future: will/pledged/planned ...), used by relations, events
  and the predicate layer (which adds hypothetical and conditional on top);
- `statement_stance(root, cue_token, cue_info, lex)`: the same for a statement's content, with the
  attribution cue taken into account ("denied that ..." flips the content's polarity, "claimed"
  hedges it, "pledged" makes it future).
Word lists: stance.yaml (statements and predicates, one file), read through the one lexicon
loader.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator

from wirescope.analyse.vocab import event_lexicon

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Token


def _scope_chain(tok: "Token") -> Iterator["Token"]:
    """tok and the heads whose negation or modal reaches it: coordination heads, the predicate a
    noun depends on, control verbs."""
    seen = 0
    t = tok
    yield t
    while seen < 8 and t.head.i != t.i:
        seen += 1
        dep = t.dep_
        if dep == "conj":
            t = t.head
        elif dep in ("dobj", "obj", "attr", "pobj", "prep", "nsubj", "nsubjpass", "compound", "dative", "acomp", "amod"):
            t = t.head
        elif dep in ("xcomp",):
            t = t.head
        else:
            break
        yield t
        if t.pos_ in ("VERB", "AUX") and dep not in ("conj", "xcomp"):
            # a noun's own predicate is in scope; go no higher than it unless coordinated
            if t.dep_ not in ("conj", "xcomp"):
                break


def polarity_of(tok: "Token") -> str:
    """negative when tok, or the predicate it belongs to, is negated ("did not give shelter",
    "no sanctuary", "refused to cooperate"); negation of a verb reaches its coordinated verbs."""
    lex = event_lexicon()
    for t in _scope_chain(tok):
        for c in t.children:
            if c.dep_ == "neg" and c.i + 1 < len(c.doc) and c.doc[c.i + 1].lower_ in ("only", "just", "merely", "simply"):
                continue  # "not only ... but also" is no denial
            if c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ in ("no", "neither")):
                return "negative"
            if c.dep_ == "preconj" and c.lower_ == "neither":
                return "negative"
            if c.dep_ == "advmod" and c.lower_ in ("longer", "more") and any(
                    g.lower_ == "no" for g in c.children):
                return "negative"  # "no longer shelters"
        if t.dep_ == "xcomp" and t.head.lemma_.lower() in lex.negating_heads:
            return "negative"
        if t.dep_ == "xcomp" and any(c.dep_ == "neg" for c in t.head.children):
            return "negative"
    chain = list(_scope_chain(tok))
    for t in chain[1:]:  # "denied any ties with", "refused shelter"
        if t.lemma_.lower() in lex.negating_heads:
            return "negative"
    top = chain[-1]
    if top.dep_ == "ccomp" and top.head.lemma_.lower() in lex.negating_heads:
        return "negative"  # "denied that it would give sanctuary"
    # "never" / "nor" on the clause
    for c in tok.children:
        if c.lower_ in ("never", "nor"):
            return "negative"
    return "positive"


def modality_of(tok: "Token") -> str:
    """future for will/shall/pledged/planned..., hedged for may/might/could/reportedly/alleged..."""
    lex = event_lexicon()
    chain = list(_scope_chain(tok))
    hedged = future = False
    for t in chain:
        for c in t.children:
            low = c.lower_
            if c.dep_ in ("aux", "advmod", "amod") and low in lex.hedge_words and low != "would":
                hedged = True
            elif c.dep_ == "aux" and low == "would":
                hedged = True
            elif c.dep_ == "aux" and (low in lex.future_words or c.lemma_.lower() in lex.future_words):
                future = True
            elif c.dep_ == "aux" and low == "going":
                future = True
            elif c.dep_ == "aux" and low == "to" and t.dep_ in ("relcl", "acl", "advcl") and t.pos_ == "VERB":
                future = True  # purpose and relative infinitives: "a base for them to organize attacks"
    # governed by a promise or plan: "pledged that they will", "plans to attack"
    if any(t.lemma_.lower() in lex.future_heads for t in chain[1:]):
        future = True
    t = chain[-1]
    steps = 0
    while steps < 3 and t.dep_ in ("ccomp", "xcomp", "acl", "conj") and t.head.i != t.i:
        t = t.head
        steps += 1
        if t.lemma_.lower() in lex.future_heads:
            future = True
            break
        if t.lemma_.lower() in ("say", "tell"):
            break
    if hedged:
        return "hedged"
    return "future" if future else "asserted"


def statement_stance(root: "Token | None", cue_token: "Token | None", info: Any, lex: Any) -> tuple[str, str]:
    """(polarity, modality) of a statement whose content's main predicate is `root`."""
    negative = False
    hedged = False
    future = False
    if root is not None:
        preds = [root] + [c for c in root.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")][:0]
        for pred in preds:
            for c in pred.children:
                low = c.lower_
                if c.dep_ == "neg" or (c.dep_ == "advmod" and low in lex.negation):
                    negative = True
                if c.dep_ in ("dobj", "attr", "nsubj", "nsubjpass") and (
                        low in lex.negation or any(g.dep_ == "det" and g.lower_ in lex.negation for g in c.children)):
                    negative = True
                if c.dep_ == "aux" and low in lex.hedge_modals:
                    hedged = True
                if c.dep_ == "aux" and low in lex.future_modals:
                    future = True
                if c.dep_ == "advmod" and low in lex.hedge_adverbs:
                    hedged = True
            if pred.lemma_.lower() in lex.hedge_verbs and any(c.dep_ == "xcomp" for c in pred.children):
                hedged = True
            if pred.lemma_.lower() in lex.future_verbs and any(c.dep_ == "xcomp" for c in pred.children):
                future = True
            # "is going to"
            if pred.lower_ == "going" and any(c.dep_ == "xcomp" for c in pred.children):
                future = True
    if cue_token is not None:
        for c in cue_token.children:
            if c.dep_ == "advmod" and c.lower_ in lex.hedge_adverbs:
                hedged = True  # "reportedly said"
    if info is not None:
        if info.polarity == "negative":
            negative = not negative
        if info.modality == "hedged":
            hedged = True
        elif info.modality == "future":
            future = True
    modality = "hedged" if hedged else "future" if future else "asserted"
    return ("negative" if negative else "positive"), modality
