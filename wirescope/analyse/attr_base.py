"""Shared ground of the statements stage (wirescope.analyse.attribution): the word lists and limits
its steps use, the `Candidate` a step builds for each statement it finds, and `AttributionBase`, the
one document's state (text, parse, quotations, candidates found so far) with the small helpers every
step uses (ranges of tokens, trimming, titles, paragraphs) and `add`, how a step records a candidate.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable

from wirescope.analyse.attr_lexicon import Families, families
from wirescope.analyse.attribution_lexicon import CueInfo, Lexicon, lexicon
from wirescope.analyse.attribution_quotes import ALL_MARKS, Quote, QuoteIndex, find_quotes
from wirescope.analyse.context import Context
from wirescope.model import Entity, Statement

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Token

SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
CLAUSE_DEPS = ("ccomp",)
FIRST_PERSON = frozenset({"i", "we", "me", "us", "my", "our", "myself", "ourselves"})
SECOND_PERSON = frozenset({"you", "your", "yourself", "yourselves"})
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "himself", "herself"})
GROUP_PRONOUNS = frozenset({"they", "them", "themselves"})
THING_PRONOUNS = frozenset({"it", "itself"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})
DETERMINERS = frozenset({"a", "an", "the", "this", "that", "these", "those", "its", "their", "his", "her",
                         "another", "one", "two", "three", "several", "some"})
RANKS = frozenset({"senior", "top", "junior", "high-ranking", "high", "former", "chief", "deputy", "acting",
                   "ranking", "veteran", "retired", "local", "regional", "provincial"})
_EDGE_PUNCT = " \t\n\r,;:\u2014\u2013-"
_QUOTE_ENDS = ",?!\u2014\u2013-\u2026"  # how a quotation ends when its attribution follows
_ONLY_JOINERS = re.compile(r"^[\s,:;\u2014\u2013\-]*$")
# subordinators of an aside the writer adds after reported words (", even as ...", ", though ...")
CONCESSIVE = frozenset({"though", "although", "whereas", "even"})
# how far back a quotation with no cue looks for the speaker it continues (paragraphs)
CONTINUE_PARAGRAPHS = 2
# a cue-less quotation of fewer words than this is a scare quote, not a statement
MIN_QUOTE_WORDS = 4
# a mixed quotation (reported speech with quoted words) is direct when at least 1/N of its
# characters are the speaker's quoted words
MIXED_DIRECT_SHARE = 4
# how many statements before a cue are tried as the statement it is nested in
NEST_WINDOW = 40


@dataclass
class Candidate:
    content: tuple[int, int]
    kind: str
    direct: bool
    cue_text: str | None = None
    cue_span: tuple[int, int] | None = None
    cue_info: CueInfo | None = None
    cue_token: "Token | None" = None
    speaker_head: "Token | None" = None
    speaker_span: tuple[int, int] | None = None
    speaker: Entity | None = None
    speaker_from: "Candidate | None" = None  # a quotation that takes another statement's speaker
    via_from: "Candidate | None" = None  # the statement whose channel it shares
    via_head: "Token | None" = None  # the outlet that cites the speaker ("Reuters, citing X, reported")
    cited_head: "Token | None" = None  # the ones an outlet cites for the statement
    cited_cue: "Token | None" = None  # "citing", "quoting"
    not_a_source: bool = False  # its subject is a thing or a place: no attribution at all
    via: Entity | None = None
    channel_speaker: bool = False  # the speaker is a channel itself ("a report in CNN")
    quotes: list[Quote] = field(default_factory=list)
    no_speaker: bool = False  # a generic subject ("many fear that"): no entity
    parent: "Candidate | None" = None
    statement: Statement | None = None

    @property
    def start(self) -> int:
        points = [self.content[0]]
        if self.cue_span:
            points.append(self.cue_span[0])
        if self.speaker_span:
            points.append(self.speaker_span[0])
        return min(points)


class AttributionBase:
    """One document's attribution state; the steps (attr_cues, attr_cueless, attr_speakers,
    attr_channels, attr_polarity) are mixins over it, put together in attribution.Attribution."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.text = ctx.text
        self.doc = ctx.doc
        self.lex: Lexicon = lexicon()
        self.fam: Families = families()
        self.quotes = QuoteIndex(find_quotes(self.text))
        self.used_quotes: set[int] = set()  # Quote.open of quotations a statement took
        self.candidates: list[Candidate] = []
        self._seen: dict[tuple, Candidate] = {}
        self.channels: dict[str, Entity] = {}
        self._para_starts: list[int] | None = None
        self._made: list[Entity] = []  # anonymous sources this stage created

    # ---- small helpers --------------------------------------------------------------------
    def tok_range(self, tokens: Iterable["Token"]) -> tuple[int, int] | None:
        toks = list(tokens)
        if not toks:
            return None
        first = min(toks, key=lambda t: t.i)
        last = max(toks, key=lambda t: t.i)
        return first.idx, last.idx + len(last.text)

    def subtree_range(self, tok: "Token") -> tuple[int, int]:
        left, right = tok.left_edge, tok.right_edge
        return left.idx, right.idx + len(right.text)

    def trim(self, start: int, end: int) -> tuple[int, int]:
        """Strip whitespace, joining punctuation and quotation marks that belong to a quotation
        reaching outside the range."""
        text = self.text
        for _ in range(6):
            before = (start, end)
            while start < end and text[start] in _EDGE_PUNCT:
                start += 1
            while end > start and text[end - 1] in _EDGE_PUNCT:
                end -= 1
            if start < end and text[start] in ALL_MARKS:
                q = self.quotes.at(start)
                if q is None or q.open != start or q.end > end or q.close is None:
                    start += 1
            if end > start and text[end - 1] in ALL_MARKS:
                q = self.quotes.at(end - 1)
                if q is None or q.close != end - 1 or q.open < start:
                    end -= 1
            if (start, end) == before:
                break
        return start, end

    def is_title(self, q: Quote) -> bool:
        """A title or name in quotation marks: "a book titled “...”", "the so-called “...”"."""
        span = self.doc.char_span(max(0, q.open - 40), q.open, alignment_mode="contract")
        words = [t.lower_ for t in span if not t.is_punct and not t.is_space][-2:] if span is not None else []
        if not words:
            return False
        if words[-1] in self.lex.title_markers or " ".join(words) in self.lex.title_markers:
            return True
        return False

    def para_start(self, char: int) -> int:
        return self.text.rfind("\n", 0, char) + 1

    def paragraphs_between(self, a: int, b: int) -> int:
        """How many paragraph breaks lie between offsets a < b."""
        return self.text.count("\n", a, b) if b > a else 0

    def quote_words(self, q: Quote) -> int:
        return len(self.text[q.inner_start:q.inner_end].split())

    # ---- recording a candidate --------------------------------------------------------------
    def add(self, cand: Candidate, twin: bool = False) -> Candidate:
        """Record a candidate; the same words and cue from a second route are the first one's,
        unless `twin` (the same statement of another speaker: "both X and Y alleged ...")."""
        s, e = cand.content
        if e <= s:
            return cand
        key = (cand.content, cand.cue_span)
        if twin and cand.speaker_head is not None:
            key += (cand.speaker_head.i,)
        if key in self._seen:  # the same words from two routes: keep the first
            return self._seen[key]
        self._seen[key] = cand
        self.candidates.append(cand)
        return cand
