"""Statements stage, cue discovery: a speech or belief verb with its clause, quotation or noun phrase
("the official said (that) ...", "“...,” he said", "She said: “...”", "denied the report"),
"according to X" / "as reported by X", "X sees Y as Z", "in X's view", "expressed concern that ...",
"was quoted as saying ...". Each finding becomes a `Candidate` with its content, cue and speaker
phrase (the speaker's entity is resolved later, attr_speakers).
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from wirescope.analyse.attr_base import (
    CLAUSE_DEPS, CONCESSIVE, FIRST_PERSON, RELATIVE_PRONOUNS, SECOND_PERSON, SUBJECT_DEPS, _ONLY_JOINERS,
    _QUOTE_ENDS, AttributionBase, Candidate,
)
from wirescope.analyse.attribution_lexicon import CueInfo
from wirescope.analyse.attribution_quotes import ALL_MARKS, Quote
from wirescope.model import Entity

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Token


class CueFinder(AttributionBase):
    """The cue-led shapes of a statement."""

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
