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
    MIXED_DIRECT_SHARE, CLAUSE_DEPS, CONCESSIVE, FIRST_PERSON, RELATIVE_PRONOUNS, SECOND_PERSON, SUBJECT_DEPS, _ONLY_JOINERS,
    _QUOTE_ENDS, AttributionBase, Candidate,
)
from wirescope.analyse.attribution_lexicon import CueInfo
from wirescope.analyse.attribution_quotes import ALL_MARKS, Quote
from wirescope.model import Entity

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Token


# parts of speech that continue a name phrase ("Connecticut Senator Richard Blumenthal")
NAME_PHRASE_POS = frozenset({"PROPN", "NOUN", "ADJ", "DET", "PART"})


class CueFinder(AttributionBase):
    """The cue-led shapes of a statement."""

    # "the official said that ...", "“...,” he said", "He said: “...”"
    def verb_cue(self, tok: "Token", info: CueInfo, cue_span: tuple[int, int] | None = None,
                 cue_text: str | None = None, subject: "Token | None" = None,
                 content_head: "Token | None" = None) -> Candidate | None:
        if tok.dep_ in ("amod", "compound") or tok.tag_ == "JJ":
            return None  # "the said company"
        if tok.dep_ == "xcomp" and (tok.head.pos_ == "ADJ" or any(
                c.dep_ == "acomp" and c.pos_ == "ADJ" and c.i < tok.i for c in tok.head.children)):
            return None  # "it is hard to say", "fair to say": no one reports anything
        if tok.tag_ == "VBG" and tok.lemma_.lower() in self.fam.citing_verbs and tok.head.lemma_.lower() in self.lex.verbs \
                and any(c.dep_ == "dobj" and self.source_like(c) for c in tok.children):
            return None  # "Reuters, citing anonymous sources, reported": who is cited, not what (apply_citing)
        inside = self.quotes.at(tok.idx)
        impersonal = False
        subj = subject if subject is not None else self.subject_of(tok)
        if subj is None and subject is None:
            subj = self.inverted_subject(tok) or self.acl_colon_subject(tok)
        if inside is not None and subj is not None and self.quotes.at(subj.idx) is not inside \
                and subj.pos_ != "PRON":
            return None  # a cue in quoted words with its "subject" outside them: a misparse
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
                if not any(c.dep_ in CLAUSE_DEPS for c in tok.children) or (
                        info.kind != "speech" and info.modality == "future"):  # "it is expected that": a forecast
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
        if inside is None and subject is None and content_head is None and (
                cue_span is None or cue_span[1] == tok.idx + len(tok.text)):  # (a cue with its auxiliaries too)
            par = self.parenthetical(tok, info)
            if par is not None:
                return par
        cue_span = cue_span or (tok.idx, tok.idx + len(tok.text))
        cue_text = cue_text or self.text[cue_span[0]:cue_span[1]]
        cand = Candidate(content=(0, 0), kind="indirect", direct=False, cue_text=cue_text, cue_span=cue_span,
                         cue_info=info, cue_token=tok)
        if subj is not None:
            self.set_speaker(cand, subj)
            self.apply_citing(cand, tok)
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
            start = self.listener_at_start(cand, tok, start, end)
            if inside is not None:  # a cue inside a quotation reports words inside that quotation
                start, end = self.trim(max(start, inside.inner_start), min(end, inside.inner_end))
            if "\n" in self.text[min(start, tok.idx):max(end, tok.idx)]:
                start = end  # a clause across a paragraph break is a misparse, not the content
            if end > start and self.fill_from_range(cand, start, end, phrase, inside):
                return self.add(cand)
        q = self.adjacent_quote(phrase, cand) if inside is None else None
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
                if inside is not None:
                    start, end = self.trim(max(start, inside.inner_start), min(end, inside.inner_end))
                if end > start and self.fill_from_range(cand, start, end, phrase, inside):
                    return self.add(cand)
        rng = self.misparsed_clause(tok, info)
        if rng is not None and inside is None:
            start, end = self.trim(*rng)
            if end > start and self.fill_from_range(cand, start, end, phrase, inside):
                return self.add(cand)
        return None

    def misparsed_clause(self, tok: "Token", info) -> tuple[int, int] | None:
        """"said a law allowing abortion marked a sad day": the parser takes "a law" for the object of
        "said" and hangs the clause's verb under it; a noun object of a verb of saying whose subtree
        holds a finite clause verb is the subject of that clause, and the whole is the content."""
        if info.kind != "speech" or info.needs_quote or tok.lemma_.lower() not in self.fam.misparse_cues:
            return None
        obj = next((c for c in tok.children if c.dep_ == "dobj" and c.i > tok.i and c.pos_ in ("NOUN", "PROPN")), None)
        if obj is None or not any(t.dep_ == "ccomp" and t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in obj.subtree):
            return None
        last = max(t.i for t in tok.subtree)
        while last > obj.i and self.doc[last].is_punct:
            last -= 1
        return obj.left_edge.idx, self.doc[last].idx + len(self.doc[last].text)

    def subject_of(self, tok: "Token", depth: int = 0) -> "Token | None":
        if any(c.dep_ == "auxpass" for c in tok.children):  # "was described by Johnson as ...": the agent
            agent = next((c for c in tok.children if c.dep_ == "agent"), None)
            who = next((g for g in agent.children if g.dep_ == "pobj"), None) if agent is not None else None
            if who is not None:
                return who
        subjects = [c for c in tok.children if c.dep_ in SUBJECT_DEPS]
        # two subjects ("Conservative Party leader and Prime Minister Boris Johnson said"): the nearer
        for c in sorted(subjects, key=lambda c: (c.i > tok.i, -c.i if c.i < tok.i else c.i))[:1]:
            if c.lower_ in RELATIVE_PRONOUNS and tok.dep_ == "relcl":
                return tok.head
            if c.tag_ == "VBG" and c.i < tok.i and depth == 0:  # "Writing to X, the head of Y, Z, said"
                return self.appositive_name_before(tok) or c
            return c
        if depth >= 3:
            return None
        if tok.dep_ == "relcl" and tok.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return tok.head
        if tok.dep_ == "acl" and tok.tag_ == "VBG" and tok.head.pos_ in ("NOUN", "PROPN") and tok.head.i < tok.i \
                and self.source_like(tok.head) and tok.head.lower_ not in self.lex.generic_subjects:
            return tok.head  # "with Steve Scalise calling ...", "a statement saying ...", "officials reporting"
        if tok.dep_ == "pcomp" and tok.tag_ == "VBG" and tok.head.lower_ == "by" and tok.head.head.pos_ in ("VERB", "AUX"):
            verb = tok.head.head  # "protested by shouting ..."
            if verb.dep_ == "acl" and verb.head.dep_ == "ROOT" and verb.head.pos_ in ("NOUN", "PROPN"):
                return verb.head  # "Members of the House protested by ...", the sentence misparsed as a noun phrase
            return self.subject_of(verb, depth + 1)

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
        if tok.dep_ == "advcl" and tok.tag_ == "VBG" and tok.head.dep_ in CLAUSE_DEPS \
                and tok.head.head.lemma_.lower() in self.lex.verbs and tok.i > 0 and self.doc[tok.i - 1].text == ",":
            # "NATO said its exercise was defensive, rejecting ...": the reporter, not the reported subject
            return self.subject_of(tok.head.head, depth + 1)
        if tok.dep_ in ("conj", "advcl", "xcomp") and tok.head.i != tok.i:
            # "He smiled and said ...", "..., saying ...", "declined to say ..."
            head = tok.head
            if tok.dep_ == "advcl" and tok.tag_ not in ("VBG",):
                return None
            return self.subject_of(head, depth + 1)
        if depth == 0 and tok.dep_ == "ROOT":
            return self.appositive_name_before(tok)
        return None

    def appositive_name_before(self, tok: "Token") -> "Token | None":
        """"Speaking to AFP, the president of the League, Jamel Msallem, said": a parse that hangs the
        speaker phrase on an earlier noun leaves the cue with no subject; the named person or
        organisation set off by commas right before the cue is the one speaking."""
        j = tok.i - 1
        while j >= 0 and (self.doc[j].text == "," or self.doc[j].pos_ == "ADV"):
            j -= 1
        if j < 0 or self.quotes.at(self.doc[j].idx) is not None:
            return None
        ent = self.ctx.entity_of_token(self.doc[j])
        if ent is None or ent.anonymous or ent.type not in ("person", "organization", "group"):
            return None
        first = j
        while first - 1 >= 0 and self.ctx.entity_of_token(self.doc[first - 1]) is ent:
            first -= 1
        if first == 0 or self.doc[first - 1].text != ",":
            return None  # set off by commas: an apposition, not a name inside a longer phrase
        return self.doc[j]

    def inverted_subject(self, tok: "Token") -> "Token | None":
        """“...,” said a protester: the speaker after a cue that follows a quotation, whatever the
        parse made of it (a misparse can hang the cue on the quoted words and the speaker on the cue
        as its object)."""
        if tok.i == 0 or tok.tag_ not in ("VBD", "VBZ", "VBP"):
            return None
        q = self.quotes.at(max(0, tok.idx - 1))
        if q is None:
            for prev in self.quotes.overlapping(max(0, tok.idx - 6), tok.idx):
                q = prev
        if q is None or q.close is None or q.end > tok.idx or self.quotes.at(tok.idx) is not None:
            return None
        gap = self.text[q.end:tok.idx]
        if not _ONLY_JOINERS.match(gap) or "\n" in gap or not (
                self.text[q.inner_end - 1] in _QUOTE_ENDS or "," in gap):
            return None
        for c in tok.children:
            if c.i > tok.i and c.dep_ in ("dobj", "nsubj", "attr", "npadvmod", "dative", "oprd", "appos") \
                    and c.pos_ in ("NOUN", "PROPN", "PRON") and c.i - tok.i <= 6:
                return c
        # the noun phrase right after the cue, read off the words
        head = None
        for t in self.doc[tok.i + 1:min(len(self.doc), tok.i + 8)]:
            if t.pos_ in ("NOUN", "PROPN"):
                head = t
            elif t.pos_ in ("DET", "ADJ", "NUM") or t.dep_ in ("compound", "amod", "poss", "case"):
                if head is not None:
                    break
            else:
                break
        return head

    def acl_colon_subject(self, tok: "Token") -> "Token | None":
        """"The summary of the decision read in part: “...”" with the cue misparsed as a modifier of
        the noun before it: the noun phrase the sentence opens with speaks."""
        if tok.dep_ != "acl" or self.quotes.at(tok.idx) is not None:
            return None
        colon = next((t for t in self.doc[tok.i + 1:min(len(self.doc), tok.i + 5)] if t.text == ":"), None)
        if colon is None or self.quotes.at(colon.idx + 1) is None and not self.text[colon.idx + 1:colon.idx + 3].strip(
                " ").startswith(tuple(ALL_MARKS)):
            return None
        top = tok.head
        while top.head.i < tok.i and top.head.i != top.i and top.head.pos_ in ("NOUN", "PROPN", "ADP"):
            top = top.head
        return top if top.pos_ in ("NOUN", "PROPN") and top.i < tok.i else None

    def cue_ancestor(self, tok: "Token") -> "Token | None":
        """The speech verb whose complement clause tok heads (tok is that clause's root)."""
        if tok.dep_ in CLAUSE_DEPS and tok.head.lemma_.lower() in self.lex.verbs:
            return tok.head
        return None

    def clause_of(self, tok: "Token", info: CueInfo) -> "Token | None":
        # ("said in the statement that he released": "that" the clause's object is a relative pronoun)
        clauses = [c for c in tok.children if c.dep_ in CLAUSE_DEPS and not (
            c.left_edge.lower_ == "that" and c.left_edge.dep_ in ("dobj", "pobj") and c.left_edge.i > tok.i + 1)]
        if not clauses:
            # "told his counterparts that ...": a misparse can hang the clause on the listener
            objects = [c for c in tok.children if c.dep_ in ("dobj", "dative")]
            objects += [g for c in tok.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
            for obj in objects:  # "said in a statement that ...": or on a preposition's object
                if obj.i > tok.i and not (obj.dep_ == "dobj" and obj.lower_ in self.fam.speech_nouns):
                    # ("rejected Moscow's claim that ...": that clause is the claim's, not the rejection's)
                    clauses = [c for c in obj.children if c.dep_ in ("ccomp", "acl", "relcl") and c.i > obj.i
                               and (any(m.dep_ == "mark" and m.lower_ == "that" and m.i == c.left_edge.i
                                        for m in c.children) or self.that_clause_misparsed(obj, c))]
                    if clauses:
                        break
        # "commented on the matter — which the BBC noted as ... —": a relative clause is not content
        clauses = [c for c in clauses if not (c.left_edge.lower_ in ("which", "who", "whom", "whose")
                                              and c.left_edge.dep_ in ("dobj", "pobj", "poss"))]
        if not clauses and info.modality == "future":
            clauses = [c for c in tok.children if c.dep_ == "xcomp"]  # "vowed to fight on"
        if not clauses:
            return None
        # a clause after the cue is its object; one before it is a fronted quotation
        after = [c for c in clauses if c.i > tok.i]
        if after:
            return after[0]
        fronted = clauses[-1]
        if not any(t.pos_ in ("VERB", "AUX") for t in fronted.subtree):
            return None  # "In addition, the bank responded by ...": no clause at all
        if any(t.text in (";", ":") or t.is_space and "\n" in t.text for t in self.doc[fronted.right_edge.i:tok.i]):
            return None  # "X launched; Thunberg promised ...": another sentence, not the words reported
        return fronted

    def that_clause_misparsed(self, obj: "Token", clause: "Token") -> bool:
        """"clarified in the proceedings that her decisions were not connected to ...": a that-clause
        parsed as a relative clause of the object; it has a subject of its own right after "that"."""
        if obj.dep_ != "pobj" or obj.right_edge.i + 1 >= len(self.doc) or clause.left_edge.lower_ != "that":
            return False
        nxt = self.doc[clause.left_edge.i + 1] if clause.left_edge.i + 1 < len(self.doc) else None
        subj = next((g for g in clause.children if g.dep_ in ("nsubj", "nsubjpass") and g.lower_ != "that"), None)
        complete = subj is not None and (subj.dep_ == "nsubjpass" or any(
            g.dep_ in ("dobj", "attr", "acomp", "ccomp", "xcomp", "oprd") for g in clause.children))
        return complete and nxt is not None and subj.left_edge.i == nxt.i \
            and clause.left_edge.i == obj.i + 1 and clause.tag_ in ("VBD", "VBZ", "VBP", "VBN", "VBG", "VB")

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
        start = self.hung_subject_start(clause, cue, start)
        if clause.i > cue.i:  # "said Tuesday the army would ...": the day of the saying, not content
            lead = next((t for t in self.doc[cue.i + 1:clause.i] if t.idx >= start), None)
            while lead is not None and lead.ent_type_ in ("DATE", "TIME") and lead.dep_ in ("npadvmod", "compound") \
                    and lead.i + 1 < clause.i:
                lead = self.doc[lead.i + 1]
                start = lead.idx
        first = self.doc.char_span(start, end, alignment_mode="expand")
        if first is not None and len(first) > 2 and first[0].lower_ in ("that", "whether"):
            # the complementizer is not content; "that" as the clause's subject ("that was wrong") is
            nxt = first[1]
            if first[0].dep_ == "mark" or not (nxt.pos_ == "AUX" or nxt.i == clause.i):
                start = nxt.idx
        return self.trim(start, end)

    def listener_at_start(self, cand: Candidate, cue: "Token", start: int, end: int) -> int:
        """"told Agence France-Presse arson has been used ...": with no object of its own, a
        listener verb's listener can be parsed into the clause's subject; a named actor at the head
        of the content, followed by more words of the subject, is the one told (the outlet, when it is
        one), and the content starts after it."""
        if cue.lemma_.lower() not in self.fam.listener_verbs or any(
                c.dep_ in ("dobj", "dative") for c in cue.children):
            return start
        first = next((t for t in self.doc[cue.i + 1:min(len(self.doc), cue.i + 8)] if t.idx >= start), None)
        if first is None or first.i != cue.i + 1:
            return start
        ent = self.ctx.entity_of_token(first)
        if ent is None or ent.anonymous or ent.type not in ("person", "organization", "group"):
            return start
        last = first
        while last.i + 1 < len(self.doc) and self.ctx.entity_of_token(self.doc[last.i + 1]) is ent:
            last = self.doc[last.i + 1]
        nxt = self.doc[last.i + 1] if last.i + 1 < len(self.doc) else None
        if nxt is None or nxt.idx >= end or nxt.is_punct or nxt.pos_ not in ("NOUN", "PROPN", "DET", "ADJ", "NUM") \
                or last.head.i <= last.i or last.dep_ not in ("compound", "nmod", "amod"):
            return start
        if self.looks_like_outlet(ent):  # (ChannelFinder, mixed into the stage's class)
            cand.via_head = last
        return nxt.idx

    def hung_subject_start(self, clause: "Token", cue: "Token", start: int) -> int:
        """"The US has indicated no support will come", "the SDF said hundreds of ISIS fighters
        escaped": the parser can make the clause's subject an object of the cue; the words between
        the cue and the clause belong to the content. Not a listener ("told reporters"), a time
        ("said Tuesday"), a prepositional phrase ("said in a statement") or a comma-set aside."""
        if clause.i < cue.i or cue.lemma_.lower() in self.fam.listener_verbs:
            return start
        first = next((t for t in self.doc[cue.i + 1:clause.i + 1] if t.idx >= start), None)
        if first is None or first.i == cue.i + 1 or first.i - cue.i > 14:
            return start
        gap = self.doc[cue.i + 1:first.i]
        objects = [c for c in cue.children if c.dep_ in ("dobj", "nmod") and cue.i < c.i < first.i]
        if not objects or gap[0].pos_ in ("ADP", "ADV", "PUNCT", "SCONJ", "PRON") or gap[0].ent_type_ in ("DATE", "TIME"):
            return start
        inside = {t.i for o in objects for t in o.subtree}
        if clause.i in inside:  # "expressed concern that ...": the clause is the object's own
            return start
        if any(t.i not in inside and not (t.is_punct and t.text in "()[]-–") for t in gap):
            return start
        if any(t.text in (",", ";", ":") or "\n" in t.text for t in gap):
            return start
        return gap[0].idx

    def np_content(self, tok: "Token") -> tuple[int, int] | None:
        objs = [c for c in tok.children if c.dep_ in ("dobj",) and c.i > tok.i]
        if not objs:
            return None
        obj = objs[0]
        if obj.lower_ in ("what", "which", "whatever") or obj.lemma_.lower() in self.fam.not_content.get(
                tok.lemma_.lower(), ()):
            return None  # "claimed 12 lives", "claiming unemployment benefits": not words
        toks = list(obj.subtree)
        assign = self.fam.assigning_cues.get(tok.lemma_.lower())
        preps = {"of", "as", "for", "since", "until", "over", "against", "about", "during", "after", "before",
                 "within", "between", "among", "across", "into", "from", "with"} | (set(assign.preps) if assign else set())
        for c in tok.children:  # "accused X of Y", "cited X as evidence of Y", "blamed X on Y"
            if c.i <= obj.right_edge.i or self.doc[c.left_edge.i - 1].text in (",", ";", ":"):
                continue
            if (c.dep_ == "prep" and c.lower_ in preps) or c.dep_ in ("oprd", "npadvmod") or (
                    c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("until", "unless", "if") for m in c.children)):
                # "promised protests every week until ...", "reported the attack the deadliest since ..."
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
        # "“...,” he said" / "“...,” said the official" (not a participle: "“...,” rejecting ...")
        participle = cand.cue_token is not None and cand.cue_token.tag_ == "VBG" and cand.cue_token.dep_ in ("advcl", "acl")
        for q in [] if participle else self.quotes.overlapping(max(0, start - 400), start):
            gap = text[q.end:start]
            if q.end <= start and q.close is not None and _ONLY_JOINERS.match(gap) and "\n" not in gap \
                    and not self.is_title(q) and (text[q.inner_end - 1] in _QUOTE_ENDS or "," in gap):
                return q
        # "he said: “...”", "said the official, “...”"
        after = text[end:end + 240]
        # "commented on the matter — which the BBC noted as unusual — “...”": past an aside in dashes
        m = re.match(r"^\s*[\u2014\u2013][^\u2014\u2013\n\"\u201c\u201d]{1,200}[\u2014\u2013]\s*(?=[\"\u201c])", after) \
            or re.match(r"^[\s,:;\u2014\u2013\-]*", after)
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

    def fill_from_range(self, cand: Candidate, start: int, end: int, phrase: tuple[int, int],
                        inside: Quote | None = None) -> bool:
        """Content from a clause or noun phrase, reconciled with the quotations it touches (not
        the one the cue itself stands in: those words are another speaker's, reported here)."""
        quotes = [q for q in self.quotes.overlapping(start, end) if not self.is_title(q) and q is not inside]
        if quotes:  # "said he was “humbled” by the results and “I will never ...”": the next quotation runs on
            nxt = next((q for q in self.quotes.overlapping(end, end + 12) if q.open >= end), None)
            if nxt is not None and inside is None and re.match(r"^[\s,;:]*(and|but|adding|saying)?[\s,:]*$",
                                                                self.text[end:nxt.open]):
                end = nxt.inner_end
                quotes.append(nxt)
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
        cand.direct = quoted * MIXED_DIRECT_SHARE >= max(1, new_end - start)
        cand.quotes = quotes
        for q in quotes:
            self.used_quotes.add(q.open)
        return True

    # "according to X, ...", "..., according to a report in CNN", "as reported by X"
    def according(self, tok: "Token") -> bool:
        doc = self.doc
        seqs = self.lex.according + self.fam.source_phrases
        if tok.lower_ in self.fam.per_words:
            seqs = ((tok.lower_,),) if self.per_source(tok) else ()
        for seq in seqs:
            n = len(seq)
            if tok.i + n > len(doc) or tuple(doc[tok.i + k].lower_ for k in range(n)) != seq:
                continue
            last = doc[tok.i + n - 1]
            sent = tok.sent
            # the source phrase: the object of the preposition, up to a comma or the sentence end
            j = last.i + 1
            stop = sent.end
            while j < stop and not (doc[j].text in (",", ";", ".", "!", "?", ":") or doc[j].is_space
                                    or doc[j].text in ALL_MARKS and doc[j].tag_ != "POS"):  # "Windsor Locks' mayor"
                j += 1
            if j == last.i + 1:
                return False
            source_toks = list(doc[last.i + 1:j])
            # at the start of the sentence, the source ends with the object's own phrase
            pobj = next((c for c in last.children if c.dep_ in ("pobj", "agent", "dobj")), None)
            if pobj is not None and pobj.right_edge.i < j - 1 and tok.i <= sent.start + 1 and not all(
                    t.pos_ in NAME_PHRASE_POS for t in doc[pobj.right_edge.i + 1:j]):
                # (unless the rest up to the comma is more of the name: "According to Connecticut
                # Senator Richard Blumenthal, ...", which the parser cuts after "Connecticut")
                source_toks = list(doc[last.i + 1:pobj.right_edge.i + 1])
                j = pobj.right_edge.i + 1
            if tok.i <= sent.start + 1 and j < stop and doc[j].text == ",":
                # "According to Windsor Locks' first selectman, Chris Kervick, there were ...": a name in
                # apposition between two commas belongs to the source
                k = j + 1
                while k < stop and doc[k].pos_ in ("PROPN", "PUNCT") and doc[k].text != ",":
                    k += 1
                named = self.ctx.entity_of_token(doc[j + 1]) if j + 1 < stop else None
                if k < stop and k > j + 1 and doc[k].text == "," and named is not None and named.type == "person":
                    source_toks = list(doc[last.i + 1:k])
                    j = k
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
            quoted = sum(max(0, min(content[1], q.inner_end) - max(content[0], q.inner_start)) for q in cand.quotes)
            cand.direct = quoted * MIXED_DIRECT_SHARE >= max(1, content[1] - content[0])  # quoted words, reported
            self.add(cand)
            return True
        return False

    def per_source(self, tok: "Token") -> bool:
        """"..., per Bloomberg", "per the ministry": "per" with a source right after it (not "per
        cent", "$5 per barrel", "as per the rules")."""
        if tok.i == 0 or tok.i + 1 >= len(self.doc) or self.doc[tok.i - 1].text not in (",", "\u2014", "(") \
                and tok.i != tok.sent.start:
            return False
        nxt = self.doc[tok.i + 1]
        head = nxt
        while head.i + 1 < len(self.doc) and self.doc[head.i + 1].pos_ in ("PROPN", "NOUN") and head.i - tok.i < 5:
            head = self.doc[head.i + 1]
        ent = self.ctx.entity_of_token(head) or self.ctx.entity_of_token(nxt)
        if ent is not None:
            return ent.type in ("organization", "person", "group")
        return nxt.lower_ in ("the", "a") and self.source_like(head) and head.lemma_.lower() not in ("cent", "annum", "capita")

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
        own = self.ctx.entity_of_phrase(head) if head.pos_ in ("NOUN", "PROPN") else None
        if (own is not None and own.type in ("organization", "person", "group")) or (
                own is None and head.pos_ == "NOUN" and head.lemma_.lower() not in self.lex.document_nouns
                and head.lower_ not in self.lex.document_nouns and self.source_like(head)):
            # "according to Johnson's critics", "a spokesman for the ministry": the head, not a name in it
            toks = [head]
        people = [t for t in toks if (e := self.ctx.entity_of_token(t)) is not None and e.type == "person" and not e.anonymous]
        if people and len(toks) > 1 and not any(t.dep_ == "pobj" and t.head.lower_ in ("in", "by", "on", "from")
                                                for t in toks):
            toks = people[-1:] + toks  # "Windsor Locks' first selectman, Chris Kervick": the person named
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
        rng = self.tok_range([head]) if len(toks) == 1 else self.tok_range(toks)
        cand.speaker_span = self.trim(*rng) if rng else None

    def entity_span(self, ent: Entity, tok: "Token", toks: list["Token"]) -> tuple[int, int]:
        for m in ent.mentions:
            if m.start <= tok.idx < m.end:
                return m.start, m.end
        return tok.idx, tok.idx + len(tok.text)

    # "Democrats see the money as a bargaining chip", "called the ruling “a dark day”"
    def as_cue(self, tok: "Token", info: CueInfo) -> bool:
        obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
        # "its legal system, which the BBC describes as “...”": the relative object stands for the noun
        relative = obj is not None and obj.lower_ in RELATIVE_PRONOUNS and obj.i < tok.i and (
            tok.dep_ == "relcl" or obj.tag_ in ("WDT", "WP"))
        if obj is None or (obj.i < tok.i and not relative) or (obj.lower_ in RELATIVE_PRONOUNS and not relative) \
                or obj.lower_ in ("what", "whatever"):
            return False
        tail = next((c for c in tok.children if c.i > max(obj.i, tok.i) and (
            (c.dep_ == "prep" and c.lower_ == "as") or c.dep_ in ("oprd", "xcomp"))), None)
        if tail is None:
            tail = next((c for c in obj.children if c.dep_ == "prep" and c.lower_ == "as"), None)
        if tail is None:  # "called the verdict “a travesty”" parsed as an apposition
            tail = next((c for c in obj.children if c.dep_ in ("appos", "oprd") and c.i > obj.i
                         and self.quotes.at(c.idx) is not None), None)
        from_quote = False
        if tail is None and not relative:  # "calling the investigation into Trump “Soviet-style”": any parse
            q = next(iter(self.quotes.overlapping(obj.right_edge.idx, tok.right_edge.idx + len(tok.right_edge.text))), None)
            between = self.doc.char_span(obj.idx, q.open, alignment_mode="expand") if q is not None and q.open > obj.idx else None
            if q is not None and q.open > obj.idx and self.quotes.at(obj.idx) is None and not re.search(
                    r"[,;.:]", self.text[obj.idx:q.open]) and between is not None \
                    and not any(t.pos_ in ("VERB", "AUX") for t in between) and self.doc.char_span(q.inner_start, q.inner_start + 1,
                                                                            alignment_mode="expand") is not None:
                tail = self.doc.char_span(q.inner_start, q.inner_start + 1, alignment_mode="expand")[0]
                from_quote = True
        if tail is None or tail.right_edge.i <= obj.i:
            return False
        if tail.dep_ == "prep" and any(g.lemma_.lower() in self.fam.as_idioms for g in tail.children):
            return False  # "saw large drops as a result of ...": not what the object is taken for
        named = self.quotes.at(tail.idx) if tail.dep_ != "prep" else None  # "called it “a pack of lies”"
        if named is not None and not from_quote and (
                self.quotes.at(obj.idx) is named or tail.left_edge.idx > named.inner_start + 1):
            named = None  # the quotation does not open on what the object is called
        if tail.dep_ != "prep" and named is None and not (tail.dep_ == "oprd" and info.kind == "speech"):
            return False  # "have never seen the river this high": only "as ...", a quoted name or "called X Y"
        if tok.dep_ in ("amod", "compound") or tok.tag_ == "JJ":
            return False
        subj = self.subject_of(tok)
        if subj is None or (self.quotes.at(tok.idx) is not None and subj.lower_ in FIRST_PERSON | SECOND_PERSON):
            return False
        first = tail if relative else obj.left_edge
        if relative and tail.dep_ == "prep":
            first = next((g for g in tail.children if g.dep_ in ("pobj", "pcomp")), tail)
            first = first.left_edge
        last = tail.right_edge
        if tail.dep_ == "oprd":  # "called the crisis the worst in the world"
            for c in tok.children:
                if c.i > last.i and c.dep_ == "prep" and self.doc[c.i - 1].text != ",":
                    last = c.right_edge
        start, end = self.trim(first.idx, last.idx + len(last.text))
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
        active = None
        if not any(c.dep_ == "auxpass" for c in tok.children):
            # "The BBC cited X as saying ...": X speaks, through the one citing
            active = next((c for c in tok.children if c.dep_ == "dobj"), None)
            if active is None or tok.lemma_.lower() not in self.fam.citing_verbs:
                return False
        saying = None
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "as":
                saying = next((g for g in c.children if g.lemma_ in ("say", "tell", "write", "describe")), None)
            elif c.dep_ in ("xcomp", "advcl", "ccomp") and c.lemma_ == "say":
                saying = c
        if saying is None and active is not None:  # "cited X, chief of Y, as saying": "as" misattached
            k = active.right_edge.i + 1
            while k < len(self.doc) - 1 and self.doc[k].is_punct:
                k += 1
            if k < len(self.doc) - 1 and self.doc[k].lower_ == "as" and self.doc[k + 1].lemma_ in ("say", "tell", "write"):
                saying = self.doc[k + 1]
        if saying is None:
            return False
        agent = next((c for c in tok.children if c.dep_ == "agent"), None)
        by = next((g for g in agent.children if g.dep_ == "pobj"), None) if agent is not None else None
        if active is None:  # "X was quoted (by Reuters) as saying": X speaks, Reuters carries it
            subj = next((c for c in tok.children if c.dep_ == "nsubjpass"), None) or self.subject_of(tok)
        else:
            subj = active
        cue_span = (tok.idx, saying.idx + len(saying.text)) if active is None else (tok.idx, tok.idx + len(tok.text))
        info = self.lex.verbs.get("say", CueInfo())
        clause = next((c for c in saying.children if c.dep_ in CLAUSE_DEPS), None)
        cand = self.verb_cue(saying, info, cue_span=cue_span, cue_text=self.text[cue_span[0]:cue_span[1]],
                             subject=subj, content_head=clause)
        if cand is not None and active is None and by is not None:
            cand.via_head = by
        if cand is not None and active is not None:
            cand.via_head = self.subject_of(tok)
        return cand is not None
