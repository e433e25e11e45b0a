"""Statements stage, polarity and modality: negative when the content's main predicate is negated
(not, never, "no evidence"), flipped once more by a negative cue ("denied that ..."); hedged when
the cue or the content hedges (claimed, believe, fear, could, may, reportedly), else future when
either looks ahead (pledged, vowed, will, plan to), else asserted.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from wirescope.analyse.attr_base import SUBJECT_DEPS, AttributionBase, Candidate

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Token


class PolarityModality(AttributionBase):
    """How sure and which way a statement's content is."""

    def content_root(self, start: int, end: int) -> "Token | None":
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) == 0:
            return None
        for tok in span:
            if tok.is_punct or tok.is_space:
                continue
            if tok.head.i == tok.i or tok.head.i < span.start or tok.head.i >= span.end:
                if tok.pos_ in ("VERB", "AUX") or any(c.dep_ in SUBJECT_DEPS for c in tok.children):
                    return tok
        roots = [t for t in span if (t.head.i == t.i or t.head.i < span.start or t.head.i >= span.end)
                 and not t.is_punct and not t.is_space]
        return roots[0] if roots else None

    def polarity_modality(self, cand: Candidate) -> tuple[str, str]:
        lex = self.lex
        root = self.content_root(*cand.content)
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
        if cand.cue_token is not None:
            for c in cand.cue_token.children:
                if c.dep_ == "advmod" and c.lower_ in lex.hedge_adverbs:
                    hedged = True  # "reportedly said"
        info = cand.cue_info
        if info is not None:
            if info.polarity == "negative":
                negative = not negative
            if info.modality == "hedged":
                hedged = True
            elif info.modality == "future":
                future = True
        modality = "hedged" if hedged else "future" if future else "asserted"
        return ("negative" if negative else "positive"), modality
