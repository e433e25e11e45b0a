"""Quotation marks: pair them into quotations, from the text alone.

Handles curly and straight double quotes, guillemets and single quotes (as the outer mark in
British style, or nested inside a double quotation), apostrophes inside words (don't, Qaeda's),
a quotation whose closing mark is missing (it ends with its paragraph) and the newspaper habit of
leaving a paragraph's quotation open when the next paragraph opens with a quotation mark again
(the quotation runs on). One linear pass over the quotation marks.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

_MARKS = re.compile(r"[\"\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a'\u2018\u2019\u201a\n]")
_OPEN_DOUBLE = "\u201c\u201e\u201f\u00ab"
_CLOSE_DOUBLE = "\u201d\u00bb"
_OPEN_SINGLE = "\u2018\u201a\u2039"
_CLOSE_SINGLE = "\u2019\u203a"
_OPENERS_BEFORE = " \t\n\r([{\u2014\u2013-/:;,"  # characters after which a straight mark opens
ALL_MARKS = "\"'" + _OPEN_DOUBLE + _CLOSE_DOUBLE + _OPEN_SINGLE + _CLOSE_SINGLE


@dataclass(slots=True)
class Quote:
    open: int  # offset of the opening mark
    close: int | None  # offset of the closing mark; None when the mark is missing
    inner_start: int  # the quoted words, without the marks and outer whitespace
    inner_end: int
    single: bool = False  # single quotation marks
    continued: bool = False  # ran on over a paragraph break

    @property
    def end(self) -> int:
        """One past the closing mark (or past the quoted words when it is missing)."""
        return self.close + 1 if self.close is not None else self.inner_end


def _is_word(ch: str) -> bool:
    return ch.isalnum()


def _role(text: str, i: int) -> str:
    """'open', 'close', 'either' or 'none' for the quotation mark at text[i]."""
    ch = text[i]
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    if ch in _OPEN_DOUBLE:
        return "open"
    if ch in _CLOSE_DOUBLE:
        return "close"
    if ch in _OPEN_SINGLE:
        if _is_word(prev) or nxt.isdigit():  # l‘Etat, ‘90s
            return "none"
        return "open"
    if ch in _CLOSE_SINGLE or ch == "'":
        if _is_word(prev) and _is_word(nxt):  # don't, Qaeda's
            return "none"
        if ch == "'" and (prev in _OPENERS_BEFORE or prev in _OPEN_DOUBLE) and not nxt.isspace():
            return "none" if nxt.isdigit() else "open"
        if prev.isspace() and ch != "'":
            return "none"
        if prev.isspace() and nxt.isspace():
            return "none"
        return "close"
    # straight double quote
    if prev in _OPENERS_BEFORE or prev in _OPEN_SINGLE or i == 0:
        return "open" if not nxt.isspace() else "either"
    if nxt.isspace() or not _is_word(nxt):
        return "close"
    return "either"


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def find_quotes(text: str) -> list[Quote]:
    """Every quotation in text, in order of their opening marks (nested ones are not listed:
    they belong to the quotation around them)."""
    quotes: list[Quote] = []
    outer: dict | None = None  # {"open": i, "single": bool, "continued": bool}
    inner_single: int | None = None  # an open single quotation inside a double one

    def close(at: int | None, end: int) -> None:
        nonlocal outer, inner_single
        if outer is None:
            return
        s, e = _trim(text, outer["open"] + 1, end)
        if e > s:
            quotes.append(Quote(outer["open"], at, s, e, outer["single"], outer["continued"]))
        outer = None
        inner_single = None

    n = len(text)
    for m in _MARKS.finditer(text):
        i = m.start()
        ch = text[i]
        if ch == "\n":
            if outer is None:
                continue
            # a paragraph break inside an open quotation: it runs on when the next paragraph opens
            # with a quotation mark of the same kind, otherwise its closing mark is missing
            j = i
            while j < n and text[j].isspace():
                j += 1
            if j < n and text[j] in ALL_MARKS and _role(text, j) in ("open", "either") \
                    and ((text[j] in _OPEN_SINGLE or text[j] == "'") == outer["single"]):
                outer["continued"] = True
                outer["skip"] = j
                continue
            close(None, i)
            continue
        if outer is not None and outer.get("skip") == i:
            outer.pop("skip")
            continue
        role = _role(text, i)
        if role == "none":
            continue
        single = ch in _OPEN_SINGLE or ch in _CLOSE_SINGLE or ch == "'"
        if outer is None:
            if role in ("open", "either"):
                if single and not _has_single_close(text, i + 1):
                    continue
                outer = {"open": i, "single": single, "continued": False}
            continue
        if single == outer["single"]:
            if role in ("close", "either"):
                close(i, i)
            elif role == "open" and ch not in ("'", '"'):
                # a second opening mark before any closing one: the first quotation lost its mark
                close(None, i)
                outer = {"open": i, "single": single, "continued": False}
            elif role == "open":
                close(i, i)
            continue
        # the other kind of mark inside the quotation: a nested quotation (or an apostrophe)
        if single:
            if role == "open" and inner_single is None:
                inner_single = i
            elif role == "close" and inner_single is not None:
                inner_single = None
        elif role in ("close", "either"):  # a double mark inside a single quotation ends it badly
            continue
    if outer is not None:
        close(None, n)
    return quotes


def _has_single_close(text: str, start: int) -> bool:
    """A closing single mark ahead in the same paragraph (else an opening ‘ is an apostrophe)."""
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    for j in range(start, min(end, start + 2000)):
        if text[j] in _CLOSE_SINGLE or text[j] == "'":
            if _role(text, j) == "close":
                return True
    return False


class QuoteIndex:
    """Quotations by position."""

    def __init__(self, quotes: list[Quote]) -> None:
        self.quotes = quotes
        self._starts = [q.open for q in quotes]

    def at(self, char: int) -> Quote | None:
        """The quotation whose marks enclose char (the marks included)."""
        idx = bisect_right(self._starts, char) - 1
        if idx >= 0:
            q = self.quotes[idx]
            if q.open <= char < max(q.end, q.inner_end):
                return q
        return None

    def overlapping(self, start: int, end: int) -> list[Quote]:
        idx = max(0, bisect_right(self._starts, start) - 1)
        out = []
        for q in self.quotes[idx:]:
            if q.open >= end:
                break
            if q.open < end and start < q.end:
                out.append(q)
        return out
