"""Statements stage, quotations without a cue of their own: a quotation takes the speaker of the
attributed quotation it runs into ("“A.” “B.” “C,” he said": all three are his) or else of the
statement just before it in the same or the previous paragraph (a quotation continuing a speaker's
words). Titles, scare quotes (a few quoted words) and quotations inside another statement's content
make no statement of their own.
"""
from __future__ import annotations

from bisect import bisect_right

from wirescope.analyse.attr_base import CONTINUE_PARAGRAPHS, MIN_QUOTE_WORDS, AttributionBase, Candidate
from wirescope.analyse.attribution_quotes import ALL_MARKS, Quote


class CuelessQuotes(AttributionBase):
    """Statements of quotations that no cue claimed."""

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
            split = self.split_quote_owner(q)  # "“A,” Cengiz said, “B.”": B is Cengiz's too
            if split is None and not self.sentence_like(q):
                continue
            introducer = self.colon_introducer(q) if split is None else None
            if split is not None:
                source = split
            elif introducer is not None:
                source = None
            elif self.text[self.para_start(q.open):q.open].strip():
                # words of the paragraph come first ("..., he said. “B.”"): it continues them
                source = self.continue_backward(q) or self.chain_forward(q, across=False)
            else:
                source = self.chain_forward(q) or self.continue_backward(q)
            s, e = self.trim(q.inner_start, q.inner_end)
            if e <= s:
                continue
            self.used_quotes.add(q.open)
            if introducer is not None:  # "X responded on Twitter, attacking the ruling: “...”"
                cand = Candidate(content=(s, e), kind="colon", direct=True, quotes=[q])
                self.set_speaker(cand, introducer)
                self.add(cand)
                continue
            # a quotation running over paragraphs (each reopened with a mark, the previous one left
            # open): one statement per paragraph, all the same speaker's
            for ps, pe in self.paragraph_pieces(s, e):
                cand = Candidate(content=(ps, pe), kind="direct", direct=True, quotes=[q])
                if source is not None:
                    cand.speaker_from = source
                    if source.cue_span and (source.cue_span[0] > q.end or split is not None):  # the cue closing
                        # the chain, or the one the quotation is split around
                        cand.cue_text, cand.cue_span, cand.cue_info = source.cue_text, source.cue_span, source.cue_info
                self.add(cand)

    def split_quote_owner(self, q: Quote) -> Candidate | None:
        """The statement whose cue ends right before this quotation with only a comma between ("“What
        is so sad,” Cengiz said, “is not seeing ...”"): the quotation goes on after the cue."""
        for c in self.candidates:
            if c.cue_span is None or c.cue_span[1] > q.open or q.open - c.cue_span[1] > 40 or not c.quotes:
                continue
            gap = self.text[c.cue_span[1]:q.open]
            if gap.strip() not in (",", ":") and not (gap.strip().startswith(",") and len(gap.strip()) < 30
                                                        and "\n" not in gap and not any(ch in gap for ch in ".;?!")):
                continue
            if any(prev.end <= c.cue_span[0] for prev in c.quotes):  # its own quotation came before the cue
                return c
        return None

    def colon_introducer(self, q: Quote) -> "Token | None":
        """The subject of a sentence that introduces a quotation with a colon and no speech verb
        ("Trump responded via Twitter, attacking the subpoena: “...”", "The ministry was blunt: “...”"):
        a person or an organisation named outside the quotation."""
        colon = self.text.rfind(":", max(0, q.open - 4), q.open)
        if colon < 0 or self.text[colon + 1:q.open].strip():
            return None
        tok = self.doc.char_span(colon, colon + 1, alignment_mode="expand")
        if tok is None or len(tok) == 0:
            return None
        sent = tok[0].sent
        # the first clause's subject before the colon (the parser may make the quotation the root)
        subj = next((t for t in self.doc[sent.start:tok[0].i] if t.dep_ in ("nsubj", "nsubjpass")
                     and t.head.i < tok[0].i and t.head.pos_ in ("VERB", "AUX") and t.i < t.head.i), None)
        if subj is None or self.quotes.at(subj.idx) is not None or self.quotes.at(subj.head.idx) is not None:
            return None
        ent = self.ctx.entity_of_phrase(subj)
        if subj.pos_ == "PRON" and subj.lower_ in ("he", "she", "they", "we") or ent is None and (
                subj.pos_ == "PROPN" or subj.pos_ == "NOUN" and self.source_like(subj)):
            return subj
        if ent is None or ent.type not in ("person", "organization", "group") or ent.anonymous and subj.pos_ != "NOUN":
            return None
        return subj

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

    def chain_forward(self, q: Quote, across: bool = True) -> Candidate | None:
        """“A.” “B.” “C,” he said: A and B belong to the speaker of C (across paragraphs only when
        each quotation is a paragraph of its own)."""
        quotes = self.quotes.quotes
        idx = self._quote_pos[q.open]
        prev = q
        for nxt in quotes[idx + 1: idx + 4]:
            gap = self.text[prev.end:nxt.open]
            if gap.strip() or (not across and "\n" in gap):
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
