"""Statements stage: who said what, through whom, how sure.

Finds attributions in four shapes and turns each into a `Statement`:

- a speech or belief verb from the cue lexicon (data/cues.yaml) with a clause, a quotation or (for a
  few verbs) a noun phrase as its content: "the official said (that) ...", "“...,” he explained",
  "She said: “...”", "denied the report", "expressed concern that ...", "was quoted as saying ...";
- "according to X" (and "as reported by X"): the rest of the sentence is X's statement;
- a quotation with no cue of its own: it takes the speaker of the attributed quotation it runs into
  ("“A.” “B.” “C,” he said": all three are his) or else of the statement just before it in the same
  or the previous paragraph (a quotation continuing a speaker's words);
- statements inside another statement's content get it as `parent` ("the official said X told his
  counterparts that ...": two statements).

Choices (documented here, pinned by tests/analyse/test_attribution.py):
- `content` of a direct quotation is the quoted words without the marks (a trailing comma that
  belongs to the attribution is dropped); of indirect speech the complement clause without "that";
  of "according to X" the rest of the sentence.
- a mixed quotation (indirect speech with quoted words in it) is `kind="mixed"` and counts as
  `direct=True` only when at least half of the content's characters are quoted words.
- titles ("a book titled “...”"), scare quotes (a few quoted words with no cue) and quotations
  inside another statement's content make no statement of their own.
- `via`: the outlet a statement reached the article through ("told CNN", "in an interview with the
  BBC", "speaking to Reuters", "a report in CNN"). When the article has exactly one such channel,
  statements of anonymous or unresolved speakers (and statements nested in a statement that has a
  via) default to it; a named speaker keeps no via unless the text gives one.
- `polarity` is negative when the content's main predicate is negated (not, never, "no evidence"),
  flipped once more by a negative cue ("denied that ..."); `modality` is hedged when the cue or the
  content hedges (claimed, believe, fear, could, may, reportedly), else future when either looks
  ahead (pledged, vowed, will, plan to), else asserted.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable

from wirescope.analyse.actor_descriptions import make_source_entity
from wirescope.analyse.attribution_lexicon import CueInfo, Lexicon, lexicon
from wirescope.analyse.attribution_quotes import ALL_MARKS, Quote, QuoteIndex, find_quotes
from wirescope.analyse.context import Context
from wirescope.analyse.pipeline import StageInfo
from wirescope.model import Entity, Span, Statement

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


class Attribution:
    """One document's attribution pass (a plain object so the steps can share what they found)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.text = ctx.text
        self.doc = ctx.doc
        self.lex: Lexicon = lexicon()
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

    # ---- cue discovery --------------------------------------------------------------------
    def run(self) -> None:
        for sent in self.doc.sents:
            for tok in sent:
                low = tok.lower_
                if low == "according" or (low == "as" and tok.i + 2 < len(self.doc)):
                    if self.according(tok):
                        continue
                if low in self.lex.view_nouns and tok.dep_ in ("pobj", "nsubj") and self.view_cue(tok):
                    continue
                if tok.pos_ not in ("VERB", "AUX") and tok.tag_ not in ("VBD", "VBZ", "VBP", "VBN", "VBG", "VB"):
                    continue
                lemma = tok.lemma_.lower()
                if lemma in self.lex.express_verbs:
                    if self.expressing(tok):
                        continue
                if lemma in self.lex.quoted_as and self.quoted_as(tok):
                    continue
                if lemma in self.lex.as_content and self.as_cue(tok, self.lex.as_content[lemma]):
                    continue
                info = self.lex.verbs.get(lemma)
                if info is not None:
                    self.verb_cue(tok, info)
        self.quotation_statements()
        self.resolve_and_emit()

    # "the official said that ...", "“...,” he said", "He said: “...”"
    def verb_cue(self, tok: "Token", info: CueInfo, cue_span: tuple[int, int] | None = None,
                 cue_text: str | None = None, subject: "Token | None" = None,
                 content_head: "Token | None" = None) -> Candidate | None:
        if tok.dep_ in ("amod", "compound") or tok.tag_ == "JJ":
            return None  # "the said company"
        inside = self.quotes.at(tok.idx)
        impersonal = False
        subj = subject if subject is not None else self.subject_of(tok)
        if subj is None and tok.tag_ == "VBN" and tok.dep_ == "advcl" and subject is None:
            return None  # "Asked whether ..., she said": the one asked is not the one asking
        if any(c.dep_ == "dobj" and c.lower_ in ("what", "whatever") and c.i < tok.i for c in tok.children):
            return None  # "what it calls “federalism”": naming, not speech
        if subj is None and tok.dep_ not in ("ROOT", "ccomp", "conj", "advcl", "relcl", "parataxis", "xcomp", "pcomp"):
            return None
        if subj is not None:
            low = subj.lower_
            if low in ("that", "this") and subj.i == tok.i - 1 and tok.i + 1 < len(self.doc) \
                    and self.doc[tok.i + 1].text == ",":
                return None  # "That said, ..."
            if low in ("it",) and tok.dep_ in ("ROOT",) and any(c.dep_ == "auxpass" for c in tok.children):
                # "it was reported that ...", "..., it is said": a statement with no known source
                if info.kind != "speech" or not any(c.dep_ in CLAUSE_DEPS for c in tok.children):
                    return None
                subj = None
                impersonal = True
            if inside is not None and low in FIRST_PERSON | SECOND_PERSON:
                return None  # "I believe ..." inside a quotation is part of it
        if info.kind == "belief" and any(c.dep_ == "mark" and c.lower_ in ("than", "as") for c in tok.children):
            return None  # "bigger than anyone thinks": a comparison, not a report
        if subj is None and inside is None:
            # no subject and no quotation: "Having said that", "needless to say"
            if not any(c.dep_ in CLAUSE_DEPS for c in tok.children) or tok.dep_ in ("xcomp", "pcomp") and tok.head.lemma_ not in self.lex.quoted_as:
                return None
        cue_span = cue_span or (tok.idx, tok.idx + len(tok.text))
        cue_text = cue_text or self.text[cue_span[0]:cue_span[1]]
        cand = Candidate(content=(0, 0), kind="indirect", direct=False, cue_text=cue_text, cue_span=cue_span,
                         cue_info=info, cue_token=tok)
        if subj is not None:
            self.set_speaker(cand, subj)
        cand.no_speaker = impersonal
        clause = content_head if content_head is not None else self.clause_of(tok, info)
        if clause is not None and clause.dep_ == "xcomp" and content_head is None \
                and any(c.dep_ == "auxpass" for c in tok.children) \
                and not any(c.dep_ == "agent" for c in tok.children):
            return None  # "lawmakers are expected to vote": a forecast with no one forecasting
        phrase = self.phrase_range(tok, cand, clause)
        if clause is not None and info.needs_that and clause.dep_ in CLAUSE_DEPS and (any(
                t.tag_ in ("WRB", "WP", "WDT") for t in clause.subtree if t.i < clause.i and t.i > tok.i)
                or not (clause.tag_ in ("VBD", "VBZ", "VBP", "MD") or any(
                    c.dep_ in ("aux", "auxpass", "mark") for c in clause.children))):
            return None  # "showed why ...", "found the car abandoned": no reported proposition
        if not info.needs_quote and clause is not None:
            start, end = self.clause_range(clause, tok)
            if end > start and self.fill_from_range(cand, start, end, phrase):
                return self.add(cand)
        q = self.adjacent_quote(phrase, cand)
        if q is not None and info.needs_quote_or_clause and q.open >= phrase[1] and self.quote_words(q) < 3 \
                and not re.search(r"[:,\u2014]", self.text[phrase[1]:q.open]):
            return None  # "charged “exit fees”": a quoted phrase as the object, not speech
        if q is not None:
            self.fill_direct(cand, q, phrase)
            return self.add(cand)
        if info.np_content and not info.needs_quote and not info.needs_quote_or_clause:
            rng = self.np_content(tok)
            if rng is not None:
                start, end = self.trim(*rng)
                if end > start and self.fill_from_range(cand, start, end, phrase):
                    return self.add(cand)
        return None

    def subject_of(self, tok: "Token", depth: int = 0) -> "Token | None":
        for c in tok.children:
            if c.dep_ in SUBJECT_DEPS:
                if c.lower_ in RELATIVE_PRONOUNS and tok.dep_ == "relcl":
                    return tok.head
                return c
        if depth >= 3:
            return None
        if tok.dep_ == "relcl" and tok.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return tok.head
        if tok.i > 0:
            # "many fear that ...": a misparse can leave the subject as a modifier of the verb
            prev = self.doc[tok.i - 1]
            if prev.head.i == tok.i and prev.dep_ in ("amod", "compound", "npadvmod", "nmod", "dep") and (
                    prev.pos_ in ("NOUN", "PROPN", "PRON") or prev.lower_ in self.lex.generic_subjects):
                return prev
        if tok.dep_ == "conj" and tok.head.lemma_.lower() not in self.lex.verbs:
            # "The port authority said the demands were too high and warned that ...": a misparse can
            # coordinate the second cue with the first cue's content; it belongs to the first cue
            outer = self.cue_ancestor(tok.head)
            if outer is not None:
                return self.subject_of(outer, depth + 1)
        if tok.dep_ in ("conj", "advcl", "xcomp") and tok.head.i != tok.i:
            # "He smiled and said ...", "..., saying ...", "declined to say ..."
            head = tok.head
            if tok.dep_ == "advcl" and tok.tag_ not in ("VBG",):
                return None
            return self.subject_of(head, depth + 1)
        return None

    def cue_ancestor(self, tok: "Token") -> "Token | None":
        """The speech verb whose complement clause tok heads (tok is that clause's root)."""
        if tok.dep_ in CLAUSE_DEPS and tok.head.lemma_.lower() in self.lex.verbs:
            return tok.head
        return None

    def clause_of(self, tok: "Token", info: CueInfo) -> "Token | None":
        clauses = [c for c in tok.children if c.dep_ in CLAUSE_DEPS]
        if not clauses:
            # "told his counterparts that ...": a misparse can hang the clause on the listener
            objects = [c for c in tok.children if c.dep_ in ("dobj", "dative")]
            objects += [g for c in tok.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
            for obj in objects:  # "said in a statement that ...": or on a preposition's object
                if obj.i > tok.i:
                    clauses = [c for c in obj.children if c.dep_ in ("ccomp", "acl", "relcl") and c.i > obj.i
                               and any(m.dep_ == "mark" and m.lower_ == "that" and m.i == c.left_edge.i
                                       for m in c.children)]
                    if clauses:
                        break
        if not clauses and info.modality == "future":
            clauses = [c for c in tok.children if c.dep_ == "xcomp"]  # "vowed to fight on"
        if not clauses:
            return None
        # a clause after the cue is its object; one before it is a fronted quotation
        after = [c for c in clauses if c.i > tok.i]
        return after[0] if after else clauses[-1]

    def clause_range(self, clause: "Token", cue: "Token") -> tuple[int, int]:
        start, end = self.subtree_range(clause)
        # never swallow the cue or its subject: a misparse can make the clause hold them
        if start <= cue.idx < end:
            if clause.i < cue.i:
                end = cue.left_edge.idx if cue.left_edge.i > clause.i else cue.idx
            else:
                start = cue.idx + len(cue.text)
        for c in clause.children:  # "... were too high and warned that ...": the second cue's words
            if c.dep_ == "conj" and c.lemma_.lower() in self.lex.verbs and c.i > clause.i \
                    and not any(g.dep_ in SUBJECT_DEPS for g in c.children) \
                    and any(g.dep_ in CLAUSE_DEPS + ("xcomp", "prep", "dobj") for g in c.children):
                cc = [g for g in clause.children if g.dep_ == "cc" and g.i < c.i]
                cut = cc[-1] if cc else c.left_edge
                end = min(end, cut.idx)
        for c in clause.children:  # "..., though the office denied it": the writer's aside
            if c.dep_ == "advcl" and c.i > clause.i and c.left_edge.i > 0 \
                    and self.doc[c.left_edge.i - 1].text == "," and self.quotes.at(c.idx) is None:
                if self.doc[c.left_edge.i].lower_ in CONCESSIVE and self.doc[c.left_edge.i - 1].idx > start:
                    end = min(end, self.doc[c.left_edge.i - 1].idx)
        start, end = self.trim(start, end)
        first = self.doc.char_span(start, end, alignment_mode="expand")
        if first is not None and len(first) > 2 and first[0].lower_ in ("that", "whether"):
            # the complementizer is not content; "that" as the clause's subject ("that was wrong") is
            nxt = first[1]
            if first[0].dep_ == "mark" or not (nxt.pos_ == "AUX" or nxt.i == clause.i):
                start = nxt.idx
        return self.trim(start, end)

    def np_content(self, tok: "Token") -> tuple[int, int] | None:
        objs = [c for c in tok.children if c.dep_ in ("dobj",) and c.i > tok.i]
        if not objs:
            return None
        toks = list(objs[0].subtree)
        for c in tok.children:  # "accused X of Y", "cited X as evidence of Y", "warned of Y"
            if c.dep_ == "prep" and c.i > objs[0].i and c.lower_ in ("of", "as", "for"):
                toks.extend(c.subtree)
        return self.tok_range(toks)

    def phrase_range(self, tok: "Token", cand: Candidate, clause: "Token | None") -> tuple[int, int]:
        """The attribution clause itself: cue, speaker and their modifiers, without the content
        and without anything quoted."""
        keep = [tok]
        for c in tok.children:
            if clause is not None and c.i == clause.i:
                continue
            if c.dep_ in CLAUSE_DEPS or c.dep_ in ("punct", "conj", "cc", "advcl", "parataxis"):
                continue
            if self.quotes.at(c.idx) is not None and self.quotes.at(c.idx) is not self.quotes.at(tok.idx):
                continue
            keep.extend(c.subtree)
        keep = [t for t in keep if not t.is_space]
        # the attribution phrase must be contiguous around the cue
        keep.sort(key=lambda t: t.i)
        lo, hi = tok.i, tok.i
        ids = {t.i for t in keep}
        while lo - 1 in ids:
            lo -= 1
        while hi + 1 in ids:
            hi += 1
        start = self.doc[lo].idx
        end = self.doc[hi].idx + len(self.doc[hi].text)
        if cand.speaker_span:
            start = min(start, cand.speaker_span[0]) if cand.speaker_span[1] >= start - 2 else start
            end = max(end, cand.speaker_span[1]) if cand.speaker_span[0] <= end + 2 else end
        return start, end

    def adjacent_quote(self, phrase: tuple[int, int], cand: Candidate) -> Quote | None:
        """A quotation right before or right after the attribution phrase."""
        start, end = phrase
        text = self.text
        # "“...,” he said" / "“...,” said the official"
        for q in self.quotes.overlapping(max(0, start - 400), start):
            gap = text[q.end:start]
            if q.end <= start and q.close is not None and _ONLY_JOINERS.match(gap) and "\n" not in gap \
                    and not self.is_title(q) and (text[q.inner_end - 1] in _QUOTE_ENDS or "," in gap):
                return q
        # "he said: “...”", "said the official, “...”"
        after = text[end:end + 40]
        m = re.match(r"^[\s,:;\u2014\u2013\-]*", after)
        j = end + (m.end() if m else 0)
        q = self.quotes.at(j)
        if q is not None and q.open == j and not self.is_title(q):
            return q
        # a quotation running on before the phrase with its mark missing ("... he said")
        q = self.quotes.at(max(0, start - 1))
        if q is not None and q.close is None and q.inner_end <= start:
            return q
        return None

    def fill_direct(self, cand: Candidate, q: Quote, phrase: tuple[int, int]) -> None:
        s, e = self.trim(q.inner_start, q.inner_end)
        if e <= s:
            s, e = q.inner_start, q.inner_end
        cand.content = (s, e)
        cand.direct = True
        between = self.text[phrase[1]:q.open] if q.open >= phrase[1] else ""
        cand.kind = "colon" if ":" in between else "direct"
        cand.quotes = [q]
        self.used_quotes.add(q.open)

    def fill_from_range(self, cand: Candidate, start: int, end: int, phrase: tuple[int, int]) -> bool:
        """Content from a clause or noun phrase, reconciled with the quotations it touches."""
        quotes = [q for q in self.quotes.overlapping(start, end) if not self.is_title(q)]
        if not quotes:
            cand.content = (start, end)
            cand.kind, cand.direct = "indirect", False
            return True
        length = max(1, end - start)
        # the clause is (mostly) one quotation: a direct quote
        for q in quotes:
            inner = min(end, q.inner_end) - max(start, q.inner_start)
            if (q.open <= start + 1 and q.end >= end - 1) or (inner >= 0.8 * length and q.open <= start + 2):
                if phrase[0] >= q.end - 1 or phrase[1] <= q.open + 1:  # the cue is outside it
                    self.fill_direct(cand, q, phrase)
                    return True
        # a mixed quotation: indirect speech with quoted words in it, possibly running on past
        # the clause ("said the pledge “was a joke. They knew it.”")
        new_end = end
        for q in quotes:
            if q.inner_end > new_end and q.open >= start:
                new_end = q.inner_end
        start, new_end = self.trim(start, new_end)
        quoted = sum(max(0, min(new_end, q.inner_end) - max(start, q.inner_start)) for q in quotes)
        cand.content = (start, new_end)
        cand.kind = "mixed"
        cand.direct = quoted * 2 >= max(1, new_end - start)
        cand.quotes = quotes
        for q in quotes:
            self.used_quotes.add(q.open)
        return True

    # "according to X, ...", "..., according to a report in CNN", "as reported by X"
    def according(self, tok: "Token") -> bool:
        doc = self.doc
        for seq in self.lex.according:
            n = len(seq)
            if tok.i + n > len(doc) or tuple(doc[tok.i + k].lower_ for k in range(n)) != seq:
                continue
            last = doc[tok.i + n - 1]
            sent = tok.sent
            # the source phrase: the object of the preposition, up to a comma or the sentence end
            j = last.i + 1
            stop = sent.end
            while j < stop and not (doc[j].text in (",", ";", ".", "!", "?", ":") or doc[j].text in ALL_MARKS
                                    or doc[j].is_space):
                j += 1
            if j == last.i + 1:
                return False
            source_toks = list(doc[last.i + 1:j])
            # at the start of the sentence, the source ends with the object's own phrase
            pobj = next((c for c in last.children if c.dep_ in ("pobj", "agent", "dobj")), None)
            if pobj is not None and pobj.right_edge.i < j - 1 and tok.i <= sent.start + 1:
                source_toks = list(doc[last.i + 1:pobj.right_edge.i + 1])
                j = pobj.right_edge.i + 1
            phrase = (tok.idx, source_toks[-1].idx + len(source_toks[-1].text))
            sent_start, sent_end = self.sentence_range(sent)
            if self.trim(sent_start, phrase[0])[1] <= self.trim(sent_start, phrase[0])[0]:
                content = self.trim(phrase[1], sent_end)  # "According to X, ..."
            elif not self.text[phrase[1]:sent_end].strip(" ,.;:!?\n" + ALL_MARKS):
                content = self.trim(sent_start, phrase[0])  # "..., according to X."
            else:
                content = self.trim(sent_start, sent_end)  # "The group, according to X, fired ..."
            if content[1] <= content[0]:
                return False
            cand = Candidate(content=content, kind="according_to", direct=False,
                             cue_text=self.text[tok.idx:last.idx + len(last.text)],
                             cue_span=(tok.idx, last.idx + len(last.text)), cue_info=CueInfo(), cue_token=tok)
            self.source_from_phrase(cand, source_toks)
            cand.quotes = [q for q in self.quotes.overlapping(*content) if q.inner_start >= content[0] - 1]
            for q in cand.quotes:
                self.used_quotes.add(q.open)
            self.add(cand)
            return True
        return False

    def sentence_range(self, sent) -> tuple[int, int]:
        start, end = sent.start_char, sent.end_char
        # a sentence that the parser cut inside a quotation runs to the quotation's end
        q = self.quotes.at(max(start, end - 1))
        if q is not None and q.open >= start and q.end > end and self.text.count("\n", end, q.end) == 0:
            end = q.end
        return self._strip_final(start, end)

    def _strip_final(self, start: int, end: int) -> tuple[int, int]:
        s, e = self.trim(start, end)
        while e > s and self.text[e - 1] in ".!?" + ALL_MARKS and not (
                self.text[e - 1] in ALL_MARKS and self.quotes.at(e - 1) is not None
                and self.quotes.at(e - 1).open >= s and self.quotes.at(e - 1).close == e - 1):
            e -= 1
        return s, e

    def source_from_phrase(self, cand: Candidate, toks: list["Token"]) -> None:
        """The speaker of "according to <toks>": a named author inside the phrase ("the FBI wanted
        poster", "a report in CNN") or the phrase's own head ("witnesses", "the ministry")."""
        toks = [t for t in toks if not t.is_space]
        if not toks:
            return
        heads = [t for t in toks if t.head.i < toks[0].i or t.head.i > toks[-1].i or t.head.i == t.i]
        head = heads[0] if heads else toks[-1]
        if head.pos_ not in ("NOUN", "PROPN", "PRON"):
            nouns = [t for t in toks if t.pos_ in ("NOUN", "PROPN")]
            head = nouns[-1] if nouns else head
        for t in toks:
            ent = self.ctx.entity_of_token(t)
            if ent is not None and ent.type in ("organization", "person", "group"):
                cand.speaker = ent
                cand.speaker_span = self.entity_span(ent, t, toks)
                cand.speaker_head = t
                # "a report in CNN": the outlet carried the report
                if t.dep_ == "pobj" and t.head.lower_ in ("in", "by", "on", "from") and \
                        t.head.head.lower_ in self.lex.document_nouns:
                    cand.channel_speaker = True
                elif self.looks_like_outlet(ent):
                    cand.channel_speaker = True
                return
        cand.speaker_head = head
        rng = self.tok_range(toks)
        cand.speaker_span = self.trim(*rng) if rng else None

    def entity_span(self, ent: Entity, tok: "Token", toks: list["Token"]) -> tuple[int, int]:
        for m in ent.mentions:
            if m.start <= tok.idx < m.end:
                return m.start, m.end
        return tok.idx, tok.idx + len(tok.text)

    # "Democrats see the money as a bargaining chip", "called the ruling “a dark day”"
    def as_cue(self, tok: "Token", info: CueInfo) -> bool:
        obj = next((c for c in tok.children if c.dep_ == "dobj" and c.i > tok.i), None)
        if obj is None or obj.lower_ in RELATIVE_PRONOUNS or obj.lower_ in ("what", "whatever"):
            return False
        tail = next((c for c in tok.children if c.i > obj.i and (
            (c.dep_ == "prep" and c.lower_ == "as") or c.dep_ in ("oprd", "xcomp"))), None)
        if tail is None:
            tail = next((c for c in obj.children if c.dep_ == "prep" and c.lower_ == "as"), None)
        if tail is None:  # "called the verdict “a travesty”" parsed as an apposition
            tail = next((c for c in obj.children if c.dep_ in ("appos", "oprd") and c.i > obj.i
                         and self.quotes.at(c.idx) is not None), None)
        if tail is None or tail.right_edge.i <= obj.i:
            return False
        named = self.quotes.at(tail.idx) if tail.dep_ != "prep" else None  # "called it “a pack of lies”"
        if named is not None and (self.quotes.at(obj.idx) is named or tail.left_edge.idx > named.inner_start + 1):
            named = None  # the quotation does not open on what the object is called
        if tail.dep_ != "prep" and named is None:
            return False  # "have never seen the river this high": only "as ..." or a quoted name
        if tok.dep_ in ("amod", "compound") or tok.tag_ == "JJ":
            return False
        subj = self.subject_of(tok)
        if subj is None or (self.quotes.at(tok.idx) is not None and subj.lower_ in FIRST_PERSON | SECOND_PERSON):
            return False
        start, end = self.trim(obj.left_edge.idx, tail.right_edge.idx + len(tail.right_edge.text))
        if end <= start:
            return False
        cue_span = (tok.idx, tok.idx + len(tok.text))
        cand = Candidate(content=(0, 0), kind="indirect", direct=False, cue_text=tok.text, cue_span=cue_span,
                         cue_info=info, cue_token=tok)
        self.set_speaker(cand, subj)
        phrase = (min(cand.speaker_span[0], tok.idx) if cand.speaker_span else tok.idx, cue_span[1])
        if named is not None and named.close is not None:
            self.fill_direct(cand, named, phrase)  # the quotation is the content
        elif not self.fill_from_range(cand, start, end, phrase):
            return False
        self.add(cand)
        return True

    # "In the minister's view, ...", "in the view of X, ...", "X's position is that ..."
    def view_cue(self, tok: "Token") -> bool:
        info = self.lex.view_nouns[tok.lower_]
        owner = next((c for c in tok.children if c.dep_ == "poss"), None)
        if owner is None:
            of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            owner = next((g for g in of.children if g.dep_ == "pobj"), None) if of is not None else None
        if owner is None or owner.lower_ in FIRST_PERSON | SECOND_PERSON or self.quotes.at(tok.idx) is not None:
            return False
        sent = tok.sent
        if tok.dep_ == "pobj" and tok.head.lower_ == "in" and tok.head.dep_ == "prep":
            prep = tok.head
            phrase = self.subtree_range(prep)
            sent_start, sent_end = self.sentence_range(sent)
            if self.trim(sent_start, phrase[0])[1] <= self.trim(sent_start, phrase[0])[0]:
                content = self.trim(phrase[1], sent_end)
            elif not self.text[phrase[1]:sent_end].strip(" ,.;:!?\n" + ALL_MARKS):
                content = self.trim(sent_start, phrase[0])
            else:
                return False
            content = self._strip_final(*content)
        elif tok.dep_ == "nsubj" and tok.head.lemma_ == "be":
            clause = next((c for c in tok.head.children if c.dep_ in ("ccomp", "attr") and c.i > tok.head.i
                           and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)), None)
            if clause is None:
                return False
            content = self.clause_range(clause, tok.head)
            phrase = (owner.left_edge.idx, tok.head.idx + len(tok.head.text))
        else:
            return False
        if content[1] <= content[0]:
            return False
        cand = Candidate(content=(0, 0), kind="indirect", direct=False, cue_text=tok.text,
                         cue_span=(tok.idx, tok.idx + len(tok.text)), cue_info=info, cue_token=tok)
        self.set_speaker(cand, owner)
        if not self.fill_from_range(cand, content[0], content[1], phrase):
            return False
        self.add(cand)
        return True

    # "expressed concern that ...", "voiced doubt about ..."
    def expressing(self, tok: "Token") -> bool:
        obj = next((c for c in tok.children if c.dep_ == "dobj" and c.lower_ in self.lex.express_nouns), None)
        if obj is None:
            return False
        info = self.lex.express_nouns[obj.lower_]
        clause = next((c for c in obj.children if c.dep_ in ("acl", "ccomp", "relcl") and
                       any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)), None)
        if clause is None:
            clause = next((c for c in tok.children if c.dep_ in CLAUSE_DEPS), None)
        if clause is None:  # "expressed concern about/over the raids"
            prep = next((c for c in obj.children if c.dep_ == "prep" and c.lower_ in ("about", "over", "at", "for", "that")), None)
            prep = prep or next((c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("about", "over", "at")), None)
            pobj = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None) if prep is not None else None
            if pobj is None:
                return False
            clause = pobj
        cue_span = (tok.idx, obj.idx + len(obj.text)) if obj.i > tok.i else (tok.idx, tok.idx + len(tok.text))
        merged = CueInfo(kind="belief", modality=info.modality, polarity=info.polarity)
        cand = self.verb_cue(tok, merged, cue_span=cue_span, cue_text=self.text[cue_span[0]:cue_span[1]],
                             content_head=clause)
        return cand is not None

    # "X was quoted as saying ...", "X was heard saying ..."
    def quoted_as(self, tok: "Token") -> bool:
        if not any(c.dep_ == "auxpass" for c in tok.children):
            return False
        saying = None
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "as":
                saying = next((g for g in c.children if g.lemma_ in ("say", "tell", "write", "describe")), None)
            elif c.dep_ in ("xcomp", "advcl", "ccomp") and c.lemma_ == "say":
                saying = c
        if saying is None:
            return False
        subj = self.subject_of(tok)
        cue_span = (tok.idx, saying.idx + len(saying.text))
        info = self.lex.verbs.get("say", CueInfo())
        clause = next((c for c in saying.children if c.dep_ in CLAUSE_DEPS), None)
        cand = self.verb_cue(saying, info, cue_span=cue_span, cue_text=self.text[cue_span[0]:cue_span[1]],
                             subject=subj, content_head=clause)
        return cand is not None

    # ---- quotations without a cue of their own --------------------------------------------
    def quotation_statements(self) -> None:
        self._owners = {}
        for c in self.candidates:
            if c.cue_span is not None:
                for q in c.quotes:
                    self._owners.setdefault(q.open, c)
        # (end of the statement's words, index) of the statements found so far, for look-backs
        self._ends = sorted((max(c.content[1], c.cue_span[1] if c.cue_span else 0), i)
                            for i, c in enumerate(self.candidates))
        self._quote_pos = {q.open: i for i, q in enumerate(self.quotes.quotes)}
        covered = sorted(c.content for c in self.candidates)
        starts = [r[0] for r in covered]
        quotes = [q for q in self.quotes.quotes if q.open not in self.used_quotes]
        for q in quotes:
            if self.is_title(q) or self.quote_words(q) < (2 if self.standalone(q) else MIN_QUOTE_WORDS):
                continue
            k = bisect_right(starts, q.inner_start)
            if any(covered[j][1] >= q.inner_end for j in range(max(0, k - 20), k)):
                continue
            if not self.sentence_like(q):
                continue
            source = self.chain_forward(q) or self.continue_backward(q)
            s, e = self.trim(q.inner_start, q.inner_end)
            if e <= s:
                continue
            self.used_quotes.add(q.open)
            # a quotation running over paragraphs (each reopened with a mark, the previous one left
            # open): one statement per paragraph, all the same speaker's
            for ps, pe in self.paragraph_pieces(s, e):
                cand = Candidate(content=(ps, pe), kind="direct", direct=True, quotes=[q])
                if source is not None:
                    cand.speaker_from = source
                    if source.cue_span and source.cue_span[0] > q.end:  # the cue closing the chain
                        cand.cue_text, cand.cue_span, cand.cue_info = source.cue_text, source.cue_span, source.cue_info
                self.add(cand)

    def paragraph_pieces(self, s: int, e: int) -> list[tuple[int, int]]:
        pieces, cur = [], s
        while cur < e:
            nl = self.text.find("\n", cur, e)
            stop = e if nl < 0 else nl
            ps, pe = self.trim(cur, stop)
            while ps < pe and self.text[ps] in ALL_MARKS:
                ps += 1
            if pe > ps:
                pieces.append((ps, pe))
            cur = stop + 1
        return pieces or [(s, e)]

    def standalone(self, q: Quote) -> bool:
        """A quotation that is a whole sentence: it opens its paragraph or follows a sentence's end,
        and ends with a sentence's end."""
        before = self.text[self.para_start(q.open):q.open].rstrip()
        starts = not before or before.endswith((".", "!", "?", "\u201d", '"'))
        return starts and self.text[q.inner_end - 1] in ".!?"

    def sentence_like(self, q: Quote) -> bool:
        """A quotation that stands as a sentence of its own (not a phrase inside a sentence)."""
        before = self.text[self.para_start(q.open):q.open]
        return not before.strip() or before.rstrip().endswith((".", "!", "?", ":", "\u201d", '"'))

    def chain_forward(self, q: Quote) -> Candidate | None:
        """“A.” “B.” “C,” he said: A and B belong to the speaker of C."""
        quotes = self.quotes.quotes
        idx = self._quote_pos[q.open]
        prev = q
        for nxt in quotes[idx + 1: idx + 4]:
            if self.text[prev.end:nxt.open].strip():
                return None
            owner = self.owner_of(nxt)
            if owner is not None:
                return owner
            prev = nxt
        return None

    def continue_backward(self, q: Quote) -> Candidate | None:
        ends = self._ends
        idx = bisect_right(ends, (q.open, float("inf"))) - 1
        if idx < 0:
            return None
        end, best = ends[idx][0], self.candidates[ends[idx][1]]
        if self.paragraphs_between(end, q.open) > CONTINUE_PARAGRAPHS - 1:
            return None
        # something else said in between (a new named speaker in narration) breaks the run
        gap = self.text[end:q.open]
        if len(gap) > 600:
            return None
        if best.kind == "according_to" or (best.cue_info and best.cue_info.kind == "belief") or best.no_speaker:
            return None
        return best

    def owner_of(self, q: Quote) -> Candidate | None:
        return self._owners.get(q.open)

    # ---- speakers ---------------------------------------------------------------------------
    def set_speaker(self, cand: Candidate, subj: "Token") -> None:
        cand.speaker_head = subj
        cand.speaker_span = self.np_span(subj)

    def np_span(self, head: "Token") -> tuple[int, int]:
        toks = [head]
        for c in head.children:
            if c.dep_ in ("det", "amod", "compound", "nummod", "poss", "case", "flat", "nmod", "appos",
                          "prep", "punct", "advmod", "quantmod", "cc", "conj") and abs(c.i - head.i) < 12:
                if c.dep_ == "punct" and c.i > head.i and not any(a.dep_ == "appos" and a.i > c.i for a in head.children):
                    continue
                toks.extend(t for t in c.subtree if self.quotes.at(t.idx) is self.quotes.at(head.idx))
        toks = [t for t in toks if not t.is_space]
        ids = sorted({t.i for t in toks})
        lo = hi = head.i
        while lo - 1 in ids:
            lo -= 1
        while hi + 1 in ids:
            hi += 1
        s, e = self.doc[lo].idx, self.doc[hi].idx + len(self.doc[hi].text)
        return self.trim(s, e)

    def resolve_speaker(self, cand: Candidate, resolved: list[Candidate]) -> None:
        if cand.speaker is not None or cand.speaker_head is None:
            return
        head = cand.speaker_head
        ctx = self.ctx
        found = ctx.entity_of_phrase(head)
        if found is not None:
            cand.speaker = found
            return
        low = head.lower_
        if head.pos_ == "PRON" or low in PERSON_PRONOUNS | GROUP_PRONOUNS | THING_PRONOUNS | FIRST_PERSON:
            cand.speaker = self.pronoun_speaker(cand, head, resolved)
            if cand.speaker is not None and low not in RELATIVE_PRONOUNS:
                ctx.add_mention(cand.speaker, head.idx, head.idx + len(head.text))
            return
        if low in self.lex.generic_subjects and not any(c.dep_ in ("amod", "compound") or (
                c.dep_ == "prep" and c.lower_ == "of" and low == "one") for c in head.children):
            cand.no_speaker = True
            return
        cand.speaker = self.source_entity(head)

    def source_entity(self, head: "Token") -> Entity | None:
        """The entity of a source noun phrase: the actors stage's (entity_of_phrase, then its
        make_source_entity), else one of this stage's own."""
        found = self.ctx.entity_of_phrase(head)
        if found is not None:
            return found
        maker = _source_maker()
        if maker is not None and head.pos_ in ("NOUN", "PROPN"):
            try:
                made = maker(self.ctx, head)
            except Exception as exc:  # the actors stage's helper must not sink this stage
                self.ctx.warn(f"attribution: make_source_entity failed on {head.text!r}: {type(exc).__name__}")
                made = None
            if made is not None:
                return made
        return self.fallback_source(head)

    def pronoun_speaker(self, cand: Candidate, head: "Token", resolved: list[Candidate]) -> Entity | None:
        low = head.lower_
        if low in FIRST_PERSON:
            q = self.quotes.at(head.idx)
            owner = next((c for c in resolved if q is not None and q in c.quotes), None)
            return owner.speaker if owner else None
        if low in PERSON_PRONOUNS:
            want = ("person",)
        elif low in GROUP_PRONOUNS:
            want = ("organization", "group", "person")
        else:
            want = ("organization", "group")
        # the subject of the sentence before, the usual antecedent of a subject pronoun
        previous = self.previous_subject(head)
        if previous is not None and head.sent.start > 0:
            ent = self.ctx.entity_of_phrase(previous)
            if ent is None and previous.pos_ in ("NOUN", "PROPN") and self.person_like(previous, low):
                ent = self.source_entity(previous)
            if ent is not None and ent.type in want and self.agrees(ent, low):
                return ent
        for c in reversed(resolved[-8:]):
            sp = c.speaker
            if sp is None or sp.type not in want or not self.agrees(sp, low):
                continue
            if low in GROUP_PRONOUNS and sp.type == "person" and not (sp.descriptor or {}).get("plural"):
                continue
            if head.idx - c.start > 3000:
                break
            return sp
        # the latest entity of the wanted type mentioned before the pronoun
        best, best_at = None, -1
        for ent in self.ctx.entities:
            if ent.type not in want[:1] and not (low in GROUP_PRONOUNS and ent.type in want):
                continue
            for m in ent.mentions:
                if best_at < m.start < head.idx and head.idx - m.start < 1500:
                    best, best_at = ent, m.start
        return best

    def previous_subject(self, pron: "Token") -> "Token | None":
        """The subject of the main verb of the sentence before pron's (same or previous paragraph)."""
        sent = pron.sent
        if sent.start == 0:
            return None
        prev = self.doc[sent.start - 1].sent
        if self.paragraphs_between(prev.start_char, sent.start_char) > 1:
            return None
        root = prev.root
        for c in root.children:
            if c.dep_ in ("nsubj", "nsubjpass") and c.lower_ not in RELATIVE_PRONOUNS:
                return c
        return None

    def person_like(self, tok: "Token", pronoun: str) -> bool:
        lemma = tok.lemma_.lower()
        if lemma in self.lex.document_nouns or lemma in self.lex.organization_nouns:
            return pronoun in GROUP_PRONOUNS | THING_PRONOUNS
        plural = tok.tag_ in ("NNS", "NNPS")
        return plural == (pronoun in GROUP_PRONOUNS)

    def agrees(self, ent: Entity, pronoun: str) -> bool:
        """An entity already called "she" is not "he" (and the other way round)."""
        if pronoun not in PERSON_PRONOUNS:
            return True
        female = pronoun in ("she", "her", "herself")
        other = ("he", "him", "himself") if female else ("she", "her", "herself")
        return not any(m.text.lower() in other for m in ent.mentions)

    def fallback_source(self, head: "Token") -> Entity | None:
        """An entity for a source the actors stage left without one: an earlier description with the
        same head noun and number ("the official" after "a senior official"), else a new one."""
        ctx = self.ctx
        lemma = head.lemma_.lower()
        plural = head.tag_ in ("NNS", "NNPS")
        indefinite = any(c.dep_ == "det" and c.lower_ in ("a", "an", "another") for c in head.children)
        span = self.np_span(head)
        name_start = span[0]
        for t in self.doc.char_span(*span, alignment_mode="expand") or ():
            if t.i < head.i and ((t.lower_ in DETERMINERS and t.dep_ in ("det", "poss", "nummod")) or t.is_punct):
                name_start = t.idx + len(t.text)
            else:
                break
        name_start, name_end = self.trim(name_start, head.idx + len(head.text))
        if name_end <= name_start:
            name_start, name_end = head.idx, head.idx + len(head.text)
        if not indefinite and head.pos_ != "PROPN":
            best, best_at = None, -1
            for ent in ctx.entities:
                desc = ent.descriptor or {}
                role = desc.get("role")
                last = ent.name.split()[-1].lower() if ent.name else ""
                if role != lemma and not (ent.anonymous and (last == head.lower_ or last == lemma)):
                    continue
                if bool(desc.get("plural")) != plural:
                    continue
                for m in ent.mentions:
                    if best_at < m.start < head.idx:
                        best, best_at = ent, m.start
            if best is not None:
                ctx.add_mention(best, name_start, name_end)
                return best
        if head.pos_ == "PROPN":
            kind = "person" if head.ent_type_ == "PERSON" else "organization" if head.ent_type_ in ("ORG", "NORP") else "other"
            ent = ctx.new_entity(self.text[name_start:name_end], kind, label=head.ent_type_ or None)
            ctx.add_mention(ent, name_start, name_end)
            return ent
        if lemma in self.lex.document_nouns or head.lower_ in self.lex.document_nouns:
            kind = "other"
        elif lemma in self.lex.organization_nouns or head.lower_ in self.lex.organization_nouns:
            kind = "organization"
        else:
            kind = "person"
        descriptor: dict = {"role": lemma}
        if plural:
            descriptor["plural"] = True
        for c in head.children:
            if c.i > head.i:
                continue
            if c.ent_type_ in ("NORP", "GPE") or c.pos_ == "PROPN":
                descriptor.setdefault("affiliation", c.text)
            elif c.lower_ in RANKS:
                descriptor.setdefault("rank", c.lower_)
            elif c.dep_ == "compound" and c.pos_ == "NOUN":
                descriptor.setdefault("agency", c.lower_)
        ent = ctx.new_entity(self.text[name_start:name_end], kind, anonymous=kind == "person",
                             descriptor=descriptor)
        ctx.add_mention(ent, name_start, name_end)
        self._made.append(ent)
        return ent

    # ---- channels (via) ---------------------------------------------------------------------
    def looks_like_outlet(self, ent: Entity) -> bool:
        names = [ent.name, *ent.aliases]
        for name in names:
            low = name.casefold().strip()
            if low in self.lex.outlets or low.removeprefix("the ") in self.lex.outlets:
                return True
            words = re.findall(r"[\w']+", low)
            if ent.type == "organization" and any(w in self.lex.media_words for w in words):
                return True
        return False

    def via_of(self, cand: Candidate) -> Entity | None:
        tok = cand.cue_token
        if tok is None or cand.kind == "according_to":
            return None
        lex = self.lex
        lemma = tok.lemma_.lower()
        # "told CNN", "said on CNN", "wrote in the Times"
        slots = lex.via_verbs.get(lemma, frozenset())
        for c in tok.children:
            if c.dep_ in slots and c.dep_ in ("dobj", "dative"):
                ent = self.ctx.entity_of_phrase(c)
                if ent is not None and self.looks_like_outlet(ent):
                    return ent
            if c.dep_ == "prep" and c.lower_ in slots:
                ent = self.pobj_entity(c)
                if ent is not None and self.looks_like_outlet(ent):
                    return ent
        # "in an interview with the BBC", "speaking to Reuters", in the cue's own clause
        for c in tok.children:
            found = self.via_in(c, depth=0)
            if found is not None:
                return found
        return None

    def via_in(self, tok: "Token", depth: int) -> Entity | None:
        lex = self.lex
        if depth > 3 or tok.dep_ in CLAUSE_DEPS:
            return None
        if tok.dep_ == "prep":
            pobj = next((g for g in tok.children if g.dep_ == "pobj"), None)
            if pobj is not None and pobj.lower_ in lex.via_prepositions:
                for g in pobj.children:
                    if g.dep_ == "prep" and g.lower_ in lex.via_prepositions[pobj.lower_]:
                        ent = self.pobj_entity(g)
                        if ent is not None and ent.type in ("organization", "group", "other"):
                            return ent
        if tok.dep_ in ("advcl", "xcomp") and tok.lemma_.lower() in lex.via_verbs:
            for g in tok.children:
                if g.dep_ == "prep" and g.lower_ in lex.via_verbs[tok.lemma_.lower()]:
                    ent = self.pobj_entity(g)
                    if ent is not None and self.looks_like_outlet(ent):
                        return ent
        for c in tok.children:
            found = self.via_in(c, depth + 1)
            if found is not None:
                return found
        return None

    def pobj_entity(self, prep: "Token") -> Entity | None:
        pobj = next((g for g in prep.children if g.dep_ == "pobj"), None)
        return self.ctx.entity_of_phrase(pobj) if pobj is not None else None

    # ---- polarity and modality ------------------------------------------------------------
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

    # ---- assembly ---------------------------------------------------------------------------
    def add(self, cand: Candidate) -> Candidate:
        s, e = cand.content
        if e <= s:
            return cand
        key = (cand.content, cand.cue_span)
        if key in self._seen:  # the same words from two routes: keep the first
            return self._seen[key]
        self._seen[key] = cand
        self.candidates.append(cand)
        return cand

    def resolve_and_emit(self) -> None:
        ctx = self.ctx
        cands = sorted(self.candidates, key=lambda c: (c.start, -(c.content[1] - c.content[0])))
        resolved: list[Candidate] = []
        for cand in cands:
            if cand.speaker_from is None:
                self.resolve_speaker(cand, resolved)
                resolved.append(cand)
        for cand in cands:  # quotations that take the speaker of another statement
            source = cand.speaker_from
            for _ in range(4):
                if source is None or source.speaker_from is None:
                    break
                source = source.speaker_from
            if source is not None:
                cand.speaker = source.speaker
                cand.no_speaker = source.no_speaker
        # nesting: a statement whose cue lies inside another's content
        by_start = sorted(cands, key=lambda c: c.content[0])
        content_starts = [c.content[0] for c in by_start]
        for cand in cands:
            anchor = cand.cue_span[0] if cand.cue_span and cand.speaker_from is None else None
            if anchor is None:
                continue
            best = None
            k = bisect_right(content_starts, anchor)
            for other in by_start[max(0, k - NEST_WINDOW):k]:
                if other is cand:
                    continue
                if other.content[0] <= anchor < other.content[1] and cand.content[1] <= other.content[1] + 1:
                    if best is None or (other.content[1] - other.content[0]) < (best.content[1] - best.content[0]):
                        best = other
            cand.parent = best
        # channels
        for cand in cands:
            cand.via = self.via_of(cand)
            if cand.via is not None:
                self.channels[cand.via.id] = cand.via
            if cand.channel_speaker and cand.speaker is not None:
                self.channels[cand.speaker.id] = cand.speaker
            if cand.cue_token is not None and cand.cue_token.lemma_.lower() == "report" and cand.speaker is not None \
                    and self.looks_like_outlet(cand.speaker):
                self.channels[cand.speaker.id] = cand.speaker
        default = next(iter(self.channels.values())) if len(self.channels) == 1 else None
        for cand in cands:  # parents come first in this order
            if cand.via is not None:
                continue
            if cand.parent is not None and cand.parent.via is not None and cand.parent.via is not cand.speaker:
                cand.via = cand.parent.via
            elif default is not None and cand.speaker is not default and (
                    (cand.speaker is None and not cand.no_speaker) or (cand.speaker is not None and cand.speaker.anonymous)):
                cand.via = default
        for i, cand in enumerate(cands, 1):
            polarity, modality = self.polarity_modality(cand)
            s, e = cand.content
            cand.statement = Statement(
                id=f"s{i}", speaker=cand.speaker.id if cand.speaker is not None else None,
                cue=cand.cue_text, content=Span.of(self.text, s, e), direct=cand.direct,
                via=cand.via.id if cand.via is not None else None, polarity=polarity, modality=modality,
                cue_span=Span.of(self.text, *cand.cue_span) if cand.cue_span else None,
                speaker_span=Span.of(self.text, *cand.speaker_span) if cand.speaker_span else None,
                kind=cand.kind,
            )
        for cand in cands:
            if cand.parent is not None and cand.parent.statement is not None:
                cand.statement.parent = cand.parent.statement.id
        ctx.statements.extend(c.statement for c in cands)


def _source_maker():
    """The actors stage's make_source_entity(ctx, head_token) (wirescope.analyse.actor_descriptions)."""
    return make_source_entity


def run(ctx: Context) -> None:
    if not ctx.text.strip() or len(ctx.doc) == 0:
        return
    Attribution(ctx).run()


STAGE = StageInfo("attribution", requires=("entities",), assigns=("statements",), run=run)
