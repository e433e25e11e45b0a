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
  counterparts that ...": two statements);
- cues beyond a verb with its clause (attr_phrases, word families in data/cue_families.yaml):
  parenthetical and inverted cues ("The economy, the minister said, is ..."), a verb with a
  preposition ("called for", "referred to X as"), directives ("asked X to resign"), gerunds
  ("described witnessing"), assignments ("attributed X to Y"), the passive with its speaker after
  "by" ("was claimed by X"), speech nouns ("X's claim that", "demands include"), "per X", raised
  belief ("is understood to have"), "citing X" (the cited get the statement through the outlet).

Choices (documented here, pinned by tests/analyse/test_attribution.py):
- `content` of a direct quotation is the quoted words without the marks (a trailing comma that
  belongs to the attribution is dropped); of indirect speech the complement clause without "that";
  of "according to X" the rest of the sentence.
- a mixed quotation (indirect speech with quoted words in it) is `kind="mixed"` and counts as
  `direct=True` when at least a quarter of the content's characters are quoted words (so do
  "according to" contents); a quotation that runs on after the clause ("said he was “humbled” and
  “will never ...”") belongs to it.
- who can speak (attr_speakers.source_like / entity_can_speak): a person, an organisation or group,
  a country or city standing for its government, a document (whose author, when the phrase names
  one, is the speaker: "a statement from the ministry"), a role or body noun; a statement whose
  subject is a place, a thing or a misparsed fragment ("the river showed", "the talks said") is
  dropped. A descriptor tied to a name speaks as the name ("one of the Guildford Four, Gerry
  Conlon", "a protester using the pseudonym Katya", "leader and Prime Minister X"); a described
  source keeps its whole description as an alias ("a source within the Interior Ministry").
- a pronoun subject after a quotation ("“Mr Smith is wrong,” he added") is the one speaking,
  never a name inside quoted words; each of coordinated named speakers gets the statement.
- titles ("a book titled “...”"), scare quotes (a few quoted words with no cue) and quotations
  inside another statement's content make no statement of their own.
- `via`: the outlet a statement reached the article through ("told CNN", "in an interview with the
  BBC", "speaking to Reuters", "a report in CNN"). When the article has exactly one such channel,
  statements of anonymous or unresolved speakers (and statements nested in a statement that has a
  via) default to it; a named speaker keeps no via unless the text gives one. Platforms ("on
  Twitter", "via Telegram") are channels only where the text names them; an outlet that obtained or
  carried the words is the channel, never the speaker ("a document seen by Reuters", "quoted by
  Reuters as saying", "speaking on BBC One's Breakfast", "the BBC cited X as saying"); a quotation
  continuing a statement shares its channel.
- `polarity` is negative when the content's main predicate is negated (not, never, "no evidence"),
  flipped once more by a negative cue ("denied that ..."); `modality` is hedged when the cue or the
  content hedges (claimed, believe, fear, could, may, reportedly), else future when either looks
  ahead (pledged, vowed, will, plan to), else asserted.
"""
from __future__ import annotations

from bisect import bisect_right

from wirescope.analyse.attr_base import (
    CLAUSE_DEPS, CONCESSIVE, CONTINUE_PARAGRAPHS, DETERMINERS, FIRST_PERSON, GROUP_PRONOUNS, MIN_QUOTE_WORDS,
    NEST_WINDOW, PERSON_PRONOUNS, RANKS, RELATIVE_PRONOUNS, SECOND_PERSON, SUBJECT_DEPS, THING_PRONOUNS,
    AttributionBase, Candidate,
)
from wirescope.analyse.attr_channels import ChannelFinder
from wirescope.analyse.attr_cueless import CuelessQuotes
from wirescope.analyse.attr_cues import CueFinder
from wirescope.analyse.attr_phrases import PhraseCues
from wirescope.analyse.attr_polarity import PolarityModality
from wirescope.analyse.attr_speakers import SpeakerResolver, _source_maker
from wirescope.analyse.attribution_lexicon import CueInfo
from wirescope.analyse.context import Context
from wirescope.analyse.pipeline import StageInfo
from wirescope.model import Span, Statement

# the stage's names, those of its parts included, stay importable from here
__all__ = [
    "STAGE", "Attribution", "AttributionBase", "Candidate", "run", "_source_maker",
    "CLAUSE_DEPS", "CONCESSIVE", "CONTINUE_PARAGRAPHS", "DETERMINERS", "FIRST_PERSON", "GROUP_PRONOUNS",
    "MIN_QUOTE_WORDS", "NEST_WINDOW", "PERSON_PRONOUNS", "RANKS", "RELATIVE_PRONOUNS", "SECOND_PERSON",
    "SUBJECT_DEPS", "THING_PRONOUNS",
]


PARTICLE_CUE = CueInfo(kind="speech", needs_quote_or_clause=True)


class Attribution(CueFinder, PhraseCues, CuelessQuotes, SpeakerResolver, ChannelFinder, PolarityModality):
    """One document's attribution pass (a plain object so the steps can share what they found).

    Its steps live by concern in attr_cues (cue discovery), attr_phrases (cues around prepositions,
    objects, parentheses and nouns), attr_cueless (quotations with no cue),
    attr_speakers (speaker resolution), attr_channels (via) and attr_polarity (polarity, modality),
    all mixins over attr_base.AttributionBase (the shared state and helpers); this class runs them."""

    # ---- cue discovery, then the quotations no cue claimed ---------------------------------------
    def run(self) -> None:
        # first words of the source phrases: "according to", "as reported by", "per"
        self.starts = {seq[0] for seq in self.lex.according + self.fam.source_phrases} | self.fam.per_words
        for sent in self.doc.sents:
            for tok in sent:
                low = tok.lower_
                if low in self.starts and tok.i + 1 < len(self.doc):
                    if self.according(tok):
                        continue
                if low in self.lex.view_nouns and tok.dep_ in ("pobj", "nsubj") and self.view_cue(tok):
                    continue
                if tok.pos_ == "NOUN" and self.noun_cue(tok) is not None:
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
                span = None
                if info is None and lemma in self.fam.particle_cues:  # "pointed out", "spelled out"
                    prt = next((c for c in tok.children if c.dep_ == "prt" and c.lower_ in self.fam.particle_cues[lemma]
                                and c.i == tok.i + 1), None)
                    if prt is not None:
                        info, span = PARTICLE_CUE, (tok.idx, prt.idx + len(prt.text))
                if info is None or self.verb_cue(tok, info, cue_span=span or self.auxiliary_span(tok)) is None:
                    self.other_verb_cue(tok, lemma)
        self.citing_twins()
        self.coordinated_twins()
        self.quotation_statements()
        self.resolve_and_emit()

    def auxiliary_span(self, tok: "Token") -> tuple[int, int] | None:
        """The cue with the auxiliaries, negation and adverbs right before it, as a reader quotes it:
        "has said", "did not deny", "has repeatedly maintained"."""
        first = tok
        for c in sorted((c for c in tok.children if c.i < tok.i), key=lambda c: -c.i):
            if c.i == first.i - 1 and (c.dep_ in ("aux", "neg") or c.dep_ == "advmod" and c.pos_ == "ADV"
                                       and c.lower_.endswith("ly")) and self.quotes.at(c.idx) is None:
                first = c
            else:
                break
        if first.dep_ == "advmod":  # ("wrongly said": an adverb alone does not lead the cue)
            nxt = first
            while nxt.dep_ == "advmod" and nxt.i < tok.i:
                nxt = self.doc[nxt.i + 1]
            first = nxt
        return (first.idx, tok.idx + len(tok.text)) if first.i != tok.i else None

    # ---- assembly ---------------------------------------------------------------------------
    def resolve_and_emit(self) -> None:
        ctx = self.ctx
        cands = sorted(self.candidates, key=lambda c: (c.start, -(c.content[1] - c.content[0])))
        resolved: list[Candidate] = []
        for cand in cands:
            if cand.speaker_from is None:
                self.resolve_speaker(cand, resolved)
                resolved.append(cand)
        dropped = {id(c) for c in cands if c.not_a_source and c.kind != "according_to"}
        cands = [c for c in cands if id(c) not in dropped and not (c.speaker_from is not None and id(c.speaker_from) in dropped)]
        for cand in cands:  # quotations that take the speaker of another statement
            source = cand.speaker_from
            for _ in range(4):
                if source is None or source.speaker_from is None:
                    break
                source = source.speaker_from
            if source is not None:
                cand.speaker = source.speaker
                cand.no_speaker = source.no_speaker
                cand.via_from = source
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
                if other is cand or other.cue_span == cand.cue_span:  # itself, or its twin of another speaker
                    continue
                if other.content[0] <= anchor < other.content[1] and cand.content[1] <= other.content[1] + 1:
                    if best is None or (other.content[1] - other.content[0]) < (best.content[1] - best.content[0]):
                        best = other
            cand.parent = best
        # channels
        for cand in cands:
            cand.via = self.via_of(cand)
        for cand in cands:  # a quotation continuing a statement came through the same channel
            if cand.via is None and cand.via_from is not None and cand.via_from.via is not None:
                cand.via = cand.via_from.via
        by_cue = {c.cue_token.i: c for c in cands if c.cue_token is not None}
        for cand in cands:  # "officials told state media, adding that ...": the same channel
            tok = cand.cue_token
            if cand.via is None and tok is not None and tok.dep_ in ("advcl", "conj", "xcomp") and tok.head.i in by_cue:
                host = by_cue[tok.head.i]
                if host is not cand and host.via is not None and host.speaker is cand.speaker:
                    cand.via = host.via
        for cand in cands:
            if cand.via is not None and not self.is_platform(cand.via) and not cand.via.anonymous:
                self.channels[cand.via.id] = cand.via  # (a named outlet: "state media" is no document channel)
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
            elif cand.parent is not None and cand.parent.kind == "according_to" and cand.parent.speaker is not None \
                    and cand.parent.speaker is not cand.speaker and self.looks_like_outlet(cand.parent.speaker):
                cand.via = cand.parent.speaker  # "According to the BBC, a spokesman said ...": through the BBC
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

def run(ctx: Context) -> None:
    if not ctx.text.strip() or len(ctx.doc) == 0:
        return
    Attribution(ctx).run()


# speakers named only by a description ("a senior official") become entities here
STAGE = StageInfo("attribution", requires=("entities", "descriptions"), assigns=("statements", "entities"), run=run)
