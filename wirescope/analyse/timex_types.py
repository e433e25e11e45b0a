"""Types and helpers the two halves of the time stage share: `Cand` (a candidate span, made by
timex_recognise and resolved by timex_resolve), `DocInfo` (token lookups and the tense of the
governing verb from the spaCy parse, read by both) and `word_after`.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Cand:
    start: int
    end: int
    type: str                      # DATE | TIME | DURATION | SET
    kind: str                      # how to resolve it
    f: dict[str, Any] = field(default_factory=dict)
    prio: int = 0
    mod: str | None = None
    freq: str | None = None
    quant: str | None = None


_WORD_AFTER = re.compile(r"[ \t]*([A-Za-z][\w'’-]*)")


def word_after(text: str, end: int) -> str:
    m = _WORD_AFTER.match(text, end, min(len(text), end + 40))
    return m.group(1) if m else ""


class DocInfo:
    """Token lookups by character offset and the tense of the verb governing a span."""

    def __init__(self, doc) -> None:
        self.doc = doc
        self.starts = [t.idx for t in doc]
        self._sents: list[int] | None = None

    def token_at(self, char: int):
        i = bisect_right(self.starts, char) - 1
        if i < 0:
            return None
        tok = self.doc[i]
        return tok if tok.idx <= char < tok.idx + max(1, len(tok.text)) else None

    def ent_label(self, start: int, end: int) -> str:
        tok = self.token_at(start)
        return tok.ent_type_ if tok is not None else ""

    def sentence_starts(self) -> list[int]:
        if self._sents is None:
            try:
                self._sents = [s.start_char for s in self.doc.sents]
            except ValueError:  # no sentence boundaries set
                self._sents = [0]
        return self._sents

    def tense(self, start: int, end: int) -> str | None:
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) == 0:
            return None
        content = [t for t in span if not (t.is_punct or t.is_space)]
        tok = span.root if not (span.root.is_punct or span.root.is_space) else (content or [span.root])[0]
        for _ in range(12):
            if tok.head.i == tok.i:
                return _verb_tense(tok) if tok.pos_ in ("VERB", "AUX") else None
            tok = tok.head
            if tok.pos_ not in ("VERB", "AUX"):
                continue
            if tok.dep_ == "prep" or (tok.tag_ == "VBG" and tok.dep_ in ("acl", "advcl", "amod", "pcomp")):
                continue
            if tok.tag_ == "VBN" and tok.dep_ in ("acl", "amod"):
                return "past"
            t = _verb_tense(tok)
            if t is not None:
                return t
        return None


_FUTURE_AUX = frozenset({"will", "'ll", "shall", "wo", "would", "’ll"})
_PAST_AUX = frozenset({"has", "have", "had", "was", "were", "did", "'d", "’d"})
_FUTURE_HEADS = frozenset({"go", "plan", "expect", "schedule", "set", "intend", "aim", "prepare", "hope", "want",
                           "due", "seek", "vow", "pledge", "promise", "threaten", "decide", "agree"})


def _verb_tense(v) -> str | None:
    auxes = [c for c in v.children if c.dep_ in ("aux", "auxpass")]
    lowers = {a.lower_ for a in auxes}
    if lowers & _FUTURE_AUX or any(a.tag_ == "MD" for a in auxes):
        return "future"
    if v.dep_ == "xcomp" and v.head.lemma_ in _FUTURE_HEADS and any(a.lower_ == "to" for a in auxes):
        return "future"
    if lowers & _PAST_AUX or v.tag_ == "VBD":
        return "past"
    if v.tag_ == "VBG" and lowers & {"is", "are", "am", "'s", "'re", "’s", "’re"}:
        return "future"
    if v.tag_ == "VBN":
        return "past"
    if v.tag_ == "VB" and "to" in lowers and v.head.i != v.i and v.head.pos_ in ("VERB", "AUX"):
        return _verb_tense(v.head)
    if v.tag_ in ("VBZ", "VBP"):
        return "present"
    return None
