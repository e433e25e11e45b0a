"""Statements stage, cues beyond a speech verb with its clause or quotation (word families in
data/cue_families.yaml):

- parenthetical and inverted cues with no quotation: "The economy, the minister said, is
  recovering", "The talks, said one diplomat, were going nowhere", "X happened, stated Y, and ...";
- a verb with a preposition whose object is the content: "called for the bill to be dropped",
  "committed to holding a trial", "referred to the vote as a hoax", "warned of reprisals";
- directives: "asked the chief executive to resign", "an order directing units to join ...";
- a gerund as content: "described witnessing 35 bodies", "denied taking bribes";
- crediting and blaming: "attributed the bombing to Houthi rebels", "ascribed his death to a stroke";
- the passive with its speaker after "by": "the attack was claimed by the Houthi movement", "was
  identified as X by a spokesperson" (each of coordinated speakers gets the statement);
- speech nouns: "X's claim that ...", "a warning from the army that ...", lists of demands ("the
  protesters' demands include ..."), "attributions of responsibility were made by X and Y";
- "citing X" on an outlet's report: X is the speaker, the outlet the channel.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from wirescope.analyse.attr_base import SUBJECT_DEPS, AttributionBase, Candidate
from wirescope.analyse.attr_lexicon import PrepCue
from wirescope.analyse.attribution_lexicon import CueInfo
from wirescope.analyse.attribution_quotes import ALL_MARKS

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Token

_SIDE = (",", "\u2014", "\u2013", "--")
_END = (".", "!", "?", ";")


class PhraseCues(AttributionBase):
    """Cue shapes around a verb's prepositions, objects and parentheses, and noun cues."""

    # ---- shared ------------------------------------------------------------------------------
    def make_cand(self, tok: "Token", info: CueInfo, content: tuple[int, int] | None, subj: "Token | None",
                  cue_span: tuple[int, int] | None = None, twin: bool = False) -> Candidate | None:
        if content is None or subj is None:
            return None
        cue_span = cue_span or (tok.idx, tok.idx + len(tok.text))
        start, end = self.trim(*content)
        if "\n" in self.text[start:end]:  # reported words stay in their paragraph
            end = self.trim(start, self.text.index("\n", start))[1] if start >= cue_span[1] else end
            if "\n" in self.text[start:end]:
                return None
        inside = self.quotes.at(tok.idx)
        if inside is not None:
            start, end = self.trim(max(start, inside.inner_start), min(end, inside.inner_end))
        if end <= start or start <= cue_span[0] < end and end - start < 3:
            return None
        cand = Candidate(content=(0, 0), kind="indirect", direct=False, cue_text=self.text[cue_span[0]:cue_span[1]],
                         cue_span=cue_span, cue_info=info, cue_token=tok)
        self.set_speaker(cand, subj)
        phrase = (min(cue_span[0], cand.speaker_span[0]), max(cue_span[1], cand.speaker_span[1]))
        if not self.fill_from_range(cand, start, end, phrase, inside):
            return None
        return self.add(cand, twin)

    def _object(self, prep: "Token") -> "Token | None":
        return next((g for g in prep.children if g.dep_ in ("pobj", "pcomp")), None)

    def _range(self, toks) -> tuple[int, int] | None:
        toks = [t for t in toks if not t.is_space]
        return self.tok_range(toks) if toks else None

    # ---- parenthetical and inverted cues -----------------------------------------------------
    def parenthetical(self, tok: "Token", info: CueInfo) -> Candidate | None:
        """"The economy, the minister said, is recovering": a cue set off by commas (or ending the
        sentence after one) whose content is the rest of the sentence."""
        doc, sent = self.doc, tok.sent
        if tok.tag_ not in ("VBD", "VBZ", "VBP"):
            return None
        subj = next((c for c in tok.children if c.dep_ in SUBJECT_DEPS and c.i < tok.i), None)
        inverted = None
        if subj is not None and (subj.i < tok.i - 8 or any(t.text in _SIDE for t in doc[subj.i + 1:tok.i])) \
                and not any(c.dep_ in ("appos", "relcl", "acl") for c in subj.children):
            subj = None  # "The talks, said one diplomat, ...": the subject before the comma is the content's
        if subj is None:
            inverted = next((c for c in tok.children if c.i > tok.i and c.dep_ in ("dobj", "nsubj", "attr", "npadvmod")
                             and c.pos_ in ("NOUN", "PROPN") and c.i - tok.i <= 6), None)
            if inverted is None or not self.source_like(inverted):
                return None
        left = subj.left_edge.i if subj is not None else tok.i
        right = tok.i
        for c in tok.children:
            if c.i > tok.i and ((inverted is not None and c.i == inverted.i) or c.dep_ in ("prep", "npadvmod", "advmod", "agent")):
                if not any(t.text in _SIDE or t.text in _END for t in doc[right + 1:c.i]):
                    right = max(right, c.right_edge.i)
        if left <= sent.start or doc[left - 1].text not in _SIDE:
            return None
        after = doc[right + 1] if right + 1 < sent.end else None
        if after is not None and after.text not in _SIDE and after.text not in _END and after.text not in ALL_MARKS:
            return None
        if self.quotes.overlapping(sent.start_char, sent.end_char):
            return None  # quotations are the other steps' business
        sent_start, sent_end = self.sentence_range(sent)
        phrase = (doc[left].idx, doc[right].idx + len(doc[right].text))
        before = self.trim(sent_start, doc[left - 1].idx)
        rest = self.trim(phrase[1], sent_end)
        rest = (rest[0] + 1, rest[1]) if rest[1] > rest[0] and self.text[rest[0]] in ",\u2014\u2013" else rest
        if before[1] <= before[0]:
            return None
        rest = self.trim(*rest)
        content = before if rest[1] <= rest[0] or re.match(r"^(and|but)\b", self.text[rest[0]:rest[1]]) \
            else (before[0], rest[1])
        cand = Candidate(content=(0, 0), kind="indirect", direct=False, cue_text=tok.text,
                         cue_span=(tok.idx, tok.idx + len(tok.text)), cue_info=info, cue_token=tok)
        self.set_speaker(cand, subj if subj is not None else inverted)
        if not self.fill_from_range(cand, content[0], content[1], phrase):
            return None
        return self.add(cand)

    # ---- verbs with a preposition, a directive, a gerund, an assignment, a passive -----------
    def other_verb_cue(self, tok: "Token", lemma: str) -> Candidate | None:
        fam = self.fam
        if tok.dep_ in ("amod", "compound") or tok.tag_ == "JJ":
            return None
        found = None
        if lemma in fam.passive_np_cues:
            found = self.passive_agent(tok)
        if found is None and lemma in fam.phrasal_cues:
            found = self.phrasal_cue(tok, fam.phrasal_cues[lemma])
        if found is None and lemma in fam.assigning_cues:
            found = self.assigning(tok, fam.assigning_cues[lemma])
        if found is None and lemma in fam.directive_verbs:
            found = self.directive(tok)
        if found is None and lemma in fam.gerund_cues:
            found = self.gerund(tok)
        if found is None and lemma in fam.raising_verbs:
            found = self.raised(tok, self.lex.verbs.get(lemma, CueInfo(kind="belief", modality="hedged")))
        return found

    def raised(self, tok: "Token", info: CueInfo) -> Candidate | None:
        """"The minister is understood to have offered his resignation", "the rebels are said to hold
        the town": the subject and what it is said to do, with no one named as saying it."""
        if info.modality == "future" or not any(c.dep_ == "auxpass" for c in tok.children) \
                or any(c.dep_ == "agent" for c in tok.children) or self.quotes.at(tok.idx) is not None:
            return None
        subj = next((c for c in tok.children if c.dep_ == "nsubjpass" and c.i < tok.i), None)
        act = next((c for c in tok.children if c.dep_ == "xcomp" and c.i > tok.i
                    and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)), None)
        if subj is None or act is None or subj.lower_ in ("it", "that", "which", "who"):
            return None
        start, end = self.trim(subj.left_edge.idx, act.right_edge.idx + len(act.right_edge.text))
        cand = Candidate(content=(0, 0), kind="indirect", direct=False, cue_text=tok.text,
                         cue_span=(tok.idx, tok.idx + len(tok.text)), cue_info=info, cue_token=tok, no_speaker=True)
        if end <= start or not self.fill_from_range(cand, start, end, (tok.idx, tok.idx + len(tok.text))):
            return None
        return self.add(cand)

    def phrasal_cue(self, tok: "Token", pc: PrepCue) -> Candidate | None:
        """"called for the bill to be dropped", "referred to the vote as “The Impeachment Hoax”"."""
        for c in tok.children:
            mark = next((m for m in c.children if m.dep_ == "mark" and m.lower_ in pc.preps and m.i == c.left_edge.i),
                        None) if c.dep_ in ("advcl", "ccomp", "xcomp") else None
            if mark is not None and mark.i - tok.i <= 3 and not pc.needs_as:
                # "called for the bill to be dropped" parsed as a clause marked by "for"
                cue_span = (tok.idx, mark.idx + len(mark.text)) if mark.i == tok.i + 1 else None
                return self.make_cand(tok, pc.info, self.subtree_range(c), self.subject_of(tok), cue_span)
            if c.dep_ != "prep" or c.lower_ not in pc.preps or c.i < tok.i or c.i - tok.i > 3:
                continue
            obj = self._object(c)
            if obj is None:
                continue
            toks = list(c.subtree)  # (every object: a misparse can split "a re-run" into three)
            told = False
            for g in tok.children:  # "called for the talks to resume", "pressed for borrowing to finance it"
                if g.i > c.right_edge.i and g.dep_ in ("xcomp", "advcl") and self.doc[g.left_edge.i - 1].text != "," \
                        and any(a.dep_ == "aux" and a.lower_ == "to" for a in g.children):
                    toks += list(g.subtree)
                    told = True
            if c.lower_ in ("on", "upon"):
                # "called on drivers to slow down": a directive only with what they are to do (not
                # "called on the house"); the content leaves the preposition out
                told = told or any(g.dep_ in ("xcomp", "acl", "relcl") and any(
                    a.dep_ == "aux" and a.lower_ == "to" for a in g.children) for g in obj.subtree)
                if not told:
                    continue
                toks = [t for t in toks if t.i != c.i]
            if pc.needs_as:
                tail = next((g for g in list(tok.children) + list(obj.children)
                             if g.dep_ == "prep" and g.lower_ == "as" and g.i > obj.i), None)
                if tail is None:
                    return None
                toks += list(tail.subtree)
            cue_span = (tok.idx, c.idx + len(c.text)) if c.i == tok.i + 1 else None
            return self.make_cand(tok, pc.info, self._range(toks), self.subject_of(tok), cue_span)
        return None

    def assigning(self, tok: "Token", pc: PrepCue) -> Candidate | None:
        """"attributed the bombing to Houthi rebels": the object and where it is assigned."""
        obj = next((c for c in tok.children if c.dep_ == "dobj" and c.i > tok.i), None)
        if obj is None or obj.lower_ in ("what", "which", "that", "whatever"):
            return None
        prep = next((c for c in list(tok.children) + list(obj.children)
                     if c.dep_ == "prep" and c.lower_ in pc.preps and c.i > obj.i), None)
        last = prep.right_edge if prep is not None and self._object(prep) is not None else None
        nxt = self.doc[obj.right_edge.i + 1] if obj.right_edge.i + 1 < len(self.doc) else None
        if last is None and nxt is not None and nxt.lower_ in pc.preps and nxt.head.head.i == tok.i:
            last = nxt.head.right_edge  # "attributed the outbreak to contaminated water" misparsed as a verb
        if last is None:
            return None
        content = (obj.left_edge.idx, last.idx + len(last.text))
        return self.make_cand(tok, pc.info, content, self.subject_of(tok))

    def directive(self, tok: "Token") -> Candidate | None:
        """"asked the chief executive to resign", "directing units to join the search"."""
        asked = next((c for c in tok.children if c.dep_ in ("dobj", "dative") and c.i > tok.i), None)
        act = next((c for c in tok.children if c.dep_ in ("xcomp", "ccomp") and c.i > tok.i
                    and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)), None)
        if act is None and asked is not None:
            act = next((c for c in asked.children if c.dep_ in ("acl", "relcl") and c.i > asked.i
                        and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)), None)
        if act is None or (asked is None and not any(g.dep_ == "nsubj" for g in act.children)):
            return None
        to = next(g for g in act.children if g.dep_ == "aux" and g.lower_ == "to")
        start = self.doc[to.i + 1].idx if to.i + 1 < len(self.doc) else act.idx
        content = (start, act.right_edge.idx + len(act.right_edge.text))
        return self.make_cand(tok, CueInfo(modality="future"), content, self.subject_of(tok))

    def gerund(self, tok: "Token") -> Candidate | None:
        """"described witnessing 35 bodies in one hospital", "denied taking bribes"."""
        ger = next((c for c in tok.children if c.tag_ == "VBG" and c.i > tok.i and c.i - tok.i <= 2
                    and c.dep_ in ("xcomp", "ccomp", "dobj", "pcomp", "advcl")), None)
        if ger is None:
            return None
        info = self.lex.verbs.get(tok.lemma_.lower(), CueInfo())
        return self.make_cand(tok, info, self.subtree_range(ger), self.subject_of(tok))

    def passive_agent(self, tok: "Token") -> Candidate | None:
        """"The attack was claimed by the Houthi movement": the subject is the content, the agent
        the speaker; "was identified as X by Y" keeps the "as" tail."""
        if not any(c.dep_ == "auxpass" for c in tok.children) or any(c.dep_ in ("ccomp",) for c in tok.children):
            return None
        agent = next((c for c in tok.children if c.dep_ == "agent"), None)
        who = self._object(agent) if agent is not None else None
        subj = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
        if who is None or subj is None or subj.lower_ in ("it", "this"):
            return None
        if subj.lower_ in ("which", "that", "who") and tok.dep_ == "relcl":
            subj = tok.head
        toks = [t for t in subj.subtree if not (t.i >= tok.i)]
        tail = next((c for c in tok.children if (c.dep_ == "prep" and c.lower_ == "as") or c.dep_ == "oprd"), None)
        if tail is not None:
            toks += [t for t in self.doc[subj.right_edge.i + 1:tail.right_edge.i + 1]]
        lemma = tok.lemma_.lower()
        info = self.lex.verbs.get(lemma) or self.lex.as_content.get(lemma) or CueInfo()
        content = self._range(toks)
        named = self.quotes.at(tail.right_edge.idx) if tail is not None else None
        if named is not None and named.close is not None and named.open >= tail.idx - 1 and not self.is_title(named):
            content = self.trim(named.inner_start, named.inner_end)  # "described by Johnson as a “historic mandate”"
        made = None
        for speaker in self._coordinated(who):
            made = self.make_cand(tok, info, content, speaker, twin=True) or made
        return made

    # ---- noun cues ----------------------------------------------------------------------------
    def noun_cue(self, tok: "Token") -> Candidate | None:
        low = tok.lower_
        fam = self.fam
        found = None
        if low in fam.list_nouns and tok.dep_ == "nsubj" and tok.head.lemma_.lower() in fam.list_verbs:
            found = self.list_noun(tok, fam.list_nouns[low])
        if found is None and low in fam.made_nouns and tok.dep_ == "nsubjpass" \
                and tok.head.lemma_.lower() in fam.making_verbs:
            found = self.made_noun(tok)
        if found is None and low in fam.speech_nouns:
            found = self.speech_noun(tok, fam.speech_nouns[low])
        return found

    def noun_owner(self, noun: "Token") -> "Token | None":
        """Whose words a speech noun names: "X's claim", "a warning from X", "a Pentagon statement",
        "issued a statement that" (the one issuing)."""
        for c in noun.children:
            if c.dep_ == "poss" and c.i < noun.i:
                return c
        for c in noun.children:
            if c.dep_ == "prep" and c.lower_ in ("by", "from", "of") and c.i > noun.i:
                obj = self._object(c)
                if obj is not None and obj.pos_ in ("PROPN", "NOUN", "PRON"):
                    return obj
        for c in noun.children:
            if c.dep_ == "compound" and c.i < noun.i and self.ctx.entity_of_token(c) is not None:
                return c
        if noun.dep_ == "dobj" and noun.head.lemma_.lower() in self.fam.making_verbs | {"make", "issue", "release"}:
            return self.subject_of(noun.head)
        return None

    def speech_noun(self, tok: "Token", info: CueInfo) -> Candidate | None:
        """"the ministry's claim that the vote was rigged": a that-clause on a speech noun."""
        clause = next((c for c in tok.children if c.dep_ in ("acl", "ccomp", "appos", "relcl") and c.i > tok.i
                       and any(m.dep_ == "mark" and m.lower_ == "that" and m.i == c.left_edge.i for m in c.children)
                       and any(g.dep_ in SUBJECT_DEPS for g in c.children)), None)
        if clause is None:
            return None
        owner = self.noun_owner(tok)
        if owner is None:
            return None
        content = self.clause_range(clause, tok)
        return self.make_cand(tok, info, content, owner)

    def list_noun(self, tok: "Token", info: CueInfo) -> Candidate | None:
        """"Protesters' demands include an inquiry, the release of ... and ...": what is listed."""
        owner = self.noun_owner(tok)
        verb = tok.head
        first = next((c for c in verb.children if c.i > verb.i and c.dep_ in ("dobj", "attr", "ccomp", "xcomp")), None)
        if owner is None or first is None:
            return None
        end = verb.right_edge
        while end.i > first.i and (end.is_punct or end.is_space):
            end = self.doc[end.i - 1]
        return self.make_cand(tok, info, (first.left_edge.idx, end.idx + len(end.text)), owner)

    def made_noun(self, tok: "Token") -> Candidate | None:
        """"Similar attributions of responsibility were made by state news firm Saba and al-Eryani"."""
        agent = next((c for c in tok.head.children if c.dep_ == "agent"), None)
        who = self._object(agent) if agent is not None else None
        if who is None:
            return None
        made = None
        info = self.fam.speech_nouns.get(tok.lower_, CueInfo())
        for speaker in self._coordinated(who):
            made = self.make_cand(tok, info, self.subtree_range(tok), speaker, twin=True) or made
        return made

    def _coordinated(self, who: "Token") -> list["Token"]:
        """who and the ones coordinated with it ("by state news firm Saba and al-Eryani")."""
        out = [who]
        for t in who.subtree:
            if t.dep_ == "conj" and t.pos_ in ("PROPN", "NOUN") and t.i > who.i and t.head.i in {who.i, *[
                    c.i for c in who.children if c.dep_ in ("appos", "compound")]}:
                out.append(t)
        return out

    # ---- citing -------------------------------------------------------------------------------
    def apply_citing(self, cand: Candidate, tok: "Token") -> None:
        """"Reuters, citing anonymous sources, reported ...": remember the cited, who get the
        statement too (citing_twins), through the one citing them."""
        # (on the cue, or on its subject: "Reports citing sources within the party have indicated ...")
        subj = cand.speaker_head
        heads = [tok] + ([subj] if subj is not None and subj.i < tok.i else [])
        for c in (c for h in heads for c in h.children):
            if c.dep_ in ("advcl", "acl", "xcomp", "conj") and c.tag_ == "VBG" and c.lemma_.lower() in self.fam.citing_verbs:
                obj = next((g for g in c.children if g.dep_ == "dobj"), None)
                if obj is not None and obj.pos_ in ("NOUN", "PROPN"):
                    cand.cited_head = obj
                    cand.cited_cue = c
                return

    def coordinated_twins(self) -> None:
        """"Both Saudi Arabia and the United States have alleged ...": each named speaker gets the
        statement (the first conjunct already has it)."""
        for cand in list(self.candidates):
            head = cand.speaker_head
            if head is None or cand.speaker_from is not None or head.pos_ != "PROPN" or head.dep_ not in SUBJECT_DEPS \
                    or not head.ent_type_:
                continue
            for other in head.conjuncts:
                if other.i <= head.i or other.pos_ != "PROPN" or not other.ent_type_ \
                        or not any(c.dep_ == "cc" and c.lower_ in ("and", "as") for c in head.children) \
                        or self.ctx.entity_of_phrase(other) is self.ctx.entity_of_phrase(head):
                    continue
                twin = Candidate(content=cand.content, kind=cand.kind, direct=cand.direct, cue_text=cand.cue_text,
                                 cue_span=cand.cue_span, cue_info=cand.cue_info, cue_token=cand.cue_token,
                                 quotes=list(cand.quotes))
                self.set_speaker(twin, other)
                self.add(twin, twin=True)

    def citing_twins(self) -> None:
        for cand in list(self.candidates):
            if cand.cited_head is None or cand.speaker_head is None or cand.kind == "fragment":
                continue
            cue = cand.cited_cue  # the cited speak through "citing": "Reuters, citing sources, reported"
            twin = Candidate(content=cand.content, kind=cand.kind, direct=cand.direct, cue_text=cue.text,
                             cue_span=(cue.idx, cue.idx + len(cue.text)), cue_info=cand.cue_info, cue_token=cue,
                             quotes=list(cand.quotes), via_head=cand.speaker_head)
            self.set_speaker(twin, cand.cited_head)
            self.candidates.append(twin)
