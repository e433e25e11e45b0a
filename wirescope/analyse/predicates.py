"""The predicate-argument layer: who did what to whom, where, when and in which mode, per sentence.

Computed once per sentence (lazily, the first time a stage asks) and published on the context
by the events stage as the named product `ctx.products["predicates"]` (a `Frames` index): one `Frame` per verb, per nominal predicate (the event nouns of
plover.yaml and the nominalisations of predicates.yaml: "the attack", "Iran's downing of") and per
predicative adjective with a clause ("willing to talk"). A frame gives its trigger, lemma (with a
particle: "carry out"), the heads of its arguments (agent, patient, recipient, instrument, place,
and every prepositional object by preposition), its time value, negation, modality and the
statement it sits in. Arguments are tokens; stages resolve them to actors (syntax.Resolver).

Arguments are read through (see predicates_args):
- voice: the passive subject is the patient and the "by" object the agent ("two aid workers were
  abducted by gunmen"); a verb coordinated with a passive one shares its voice ("was arrested and
  charged");
- chains: a coordinated verb, a participle or purpose clause, a "by"/"after" gerund and a control
  verb's complement take the subject of the verb they hang on ("the army broke the truce, shelling
  rebel positions and killing nine peacekeepers"; "vowed to retaliate"; "urged X to leave" takes
  the object); coordinated subjects are all agents ("police and soldiers raided");
- relative clauses: the relative pronoun stands for the noun it modifies, as subject or object
  ("the militia, which Iran arms"; "the envoy who met the Taliban"); a participle on a noun
  ("gunmen firing on", "a warrant issued by");
- nominal predicates: possessor, actor modifier ("US withdrawal"), "by" and (for intransitive
  nouns) "of" give the agent; "of" (transitive nouns), "on", "against", "at" the patient
  ("the attack on the convoy by militants", "Iran's downing of the airliner"); a light verb lends
  its subject and its own prepositional objects ("carried out an attack on", "launched strikes
  against"); so does a verb of taking part ("took part in the protest").

Modality is one of asserted, hedged (may, reportedly, alleged), future (will, plans to, is to, is
set to), hypothetical (would/could in a conditional sentence or with a perfect: "would have
allowed") and conditional (inside an if/unless clause). Negation reaches a predicate from its own
clause and from negating heads ("refused to", "denied").
Time: a time expression of the predicate's own clause, else of the clause it hangs on, else of its
sentence; a date standing alone on its own line (the header of a story) is never a predicate's.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from wirescope.analyse.predicates_args import build_frames
from wirescope.analyse.predicates_base import (
    MAX_SENT_TOKENS, MODALITIES, ActorPhrase, Frame, PredicateLexicon, actor_phrase, is_verbal, nominal_words,
    predicate_data, predicate_kind, predicate_lexicon, quantity_head,
)
from wirescope.analyse.syntax import times_for

__all__ = ["MAX_SENT_TOKENS", "MODALITIES", "ActorPhrase", "Frame", "Frames", "PredicateLexicon", "actor_phrase",
           "frame_of", "frames", "is_verbal", "nominal_words", "predicate_data", "predicate_kind", "predicate_lexicon",
           "publish", "quantity_head", "sentence_frames"]

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Span as SpacySpan, Token

    from wirescope.analyse.context import Context
    from wirescope.model import TimeExpr


class Frames:
    """A document's frames, built sentence by sentence on first request and kept."""

    def __init__(self, ctx: "Context") -> None:
        self.ctx = ctx
        self.doc = ctx.doc
        self._by_sentence: dict[int, list[Frame]] = {}
        self._by_token: dict[int, Frame] = {}
        self._headers: set[int] | None = None

    def sentence(self, sent: "SpacySpan") -> list[Frame]:
        found = self._by_sentence.get(sent.start)
        if found is None:
            found = build_frames(self.ctx, self, sent)
            self._by_sentence[sent.start] = found
            for f in found:
                self._by_token[f.trigger.i] = f
        return found

    def of(self, tok: "Token") -> Frame | None:
        """The frame whose trigger is tok (its sentence is built when needed)."""
        self.sentence(tok.sent)
        return self._by_token.get(tok.i)

    def all(self) -> Iterator[Frame]:
        for sent in self.doc.sents:
            yield from self.sentence(sent)

    # ---- times ------------------------------------------------------------------------------
    def header_times(self) -> set[int]:
        """ids of time expressions that stand alone on their line (a story's date header)."""
        if self._headers is None:
            text = self.ctx.text
            out = set()
            for tx in self.ctx.times:
                a = text.rfind("\n", 0, tx.start) + 1
                b = text.find("\n", tx.end)
                b = len(text) if b < 0 else b
                rest = "".join(ch for ch in text[a:tx.start] + text[tx.end:b] if ch.isalnum())
                if not rest:
                    out.add(id(tx))
            self._headers = out
        return self._headers

    def times_of(self, tokens) -> list["TimeExpr"]:  # noqa: ANN001
        headers = self.header_times()
        return [tx for tx in times_for(self.ctx, tokens) if id(tx) not in headers]


_LAST: list = [None]  # the last document's frames, before a stage publishes them


def frames(ctx: "Context") -> Frames:
    """The document's frame index: the published one (`ctx.products["predicates"]`, put there by the
    events stage), else the one being built for this document (kept here, not on the context, so
    that a stage which only reads frames adds nothing it did not declare)."""
    found = ctx.products.get("predicates") if isinstance(getattr(ctx, "products", None), dict) else None
    if isinstance(found, Frames) and found.doc is ctx.doc:
        return found
    last = _LAST[0]
    if isinstance(last, Frames) and last.ctx is ctx and last.doc is ctx.doc:
        return last
    last = _LAST[0] = Frames(ctx)
    return last


def publish(ctx: "Context") -> Frames:
    """Put the document's frames on the context as the named product "predicates"."""
    index = frames(ctx)
    ctx.products["predicates"] = index
    return index


def sentence_frames(ctx: "Context", sent: "SpacySpan") -> list[Frame]:
    return frames(ctx).sentence(sent)


def frame_of(ctx: "Context", tok: "Token") -> Frame | None:
    return frames(ctx).of(tok)


# ---- which tokens are predicates -------------------------------------------------------------
