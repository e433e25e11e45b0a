"""Statements stage, polarity and modality: negative when the content's main predicate is negated
(not, never, "no evidence"), flipped once more by a negative cue ("denied that ..."); hedged when
the cue or the content hedges (claimed, believe, fear, could, may, reportedly), else future when
either looks ahead (pledged, vowed, will, plan to), else asserted.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from wirescope.analyse.attr_base import SUBJECT_DEPS, AttributionBase, Candidate
from wirescope.analyse.stance import statement_stance

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
        return statement_stance(self.content_root(*cand.content), cand.cue_token, cand.cue_info, self.lex)
