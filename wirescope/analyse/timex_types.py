"""Types and helpers the two halves of the time stage share: `Cand` (a candidate span, made by
timex_recognise and resolved by timex_resolve), `DocInfo` (token lookups and the clause around a
span from the spaCy parse, timex_tense, read by both) and `word_after`.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from wirescope.analyse.timex_tense import Clause, read_clause


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
        self._clauses: dict[tuple[int, int], Clause | None] = {}

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

    def clause(self, start: int, end: int) -> Clause | None:
        """The clause the expression at [start, end) sits in (timex_tense), read once per span."""
        key = (start, end)
        if key not in self._clauses:
            try:
                self._clauses[key] = read_clause(self.doc, start, end)
            except (ValueError, IndexError):  # a parse that does not line up with the text
                self._clauses[key] = None
        return self._clauses[key]

    def tense(self, start: int, end: int) -> str | None:
        c = self.clause(start, end)
        return c.tense if c is not None else None
