"""The working state one document carries through the analysis stages.

Stages read and write a `Context`; the runner turns it into an `Analysis` at the end. Entities are
the actors stage's output; every later stage finds actors through `entity_of_token` /
`entity_of_span`, which also see pronouns and descriptions the actors stage resolved.
"""
from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from typing import TYPE_CHECKING, Any, Iterable

from wirescope.dateline import dateline, headline
from wirescope.model import (
    Analysis, Document, Entity, Event, Relation, Span, Statement, TimeExpr,
)

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Span as SpacySpan, Token



# "the company", "the firm": a definite description of the one firm named in the passage before it
COMPANY_NOUNS = frozenset({"company", "firm", "corporation", "carrier", "airline", "manufacturer", "automaker",
                           "carmaker", "retailer", "utility", "lender", "insurer", "operator", "conglomerate"})
COMPANY_WINDOW = 1500  # characters before the description

class Context:
    def __init__(self, doc: "Doc", document: Document, published: dt.date | None,
                 options: dict[str, Any] | None = None) -> None:
        self.doc = doc
        self.document = document
        self.text = document.text
        self.published = published
        self.options = options or {}
        self.entities: list[Entity] = []
        self.token_entity: dict[int, str] = {}
        self.statements: list[Statement] = []
        self.relations: list[Relation] = []
        self.events: list[Event] = []
        self.times: list[TimeExpr] = []
        self.warnings: list[str] = []
        # named intermediate products one stage leaves for later ones ("descriptions", "predicates"):
        # each is declared in the producing stage's `assigns` and the consumer's `requires`
        self.products: dict[str, Any] = {}
        self._by_id: dict[str, Entity] = {}
        self._sent_starts: list[int] | None = None
        self._mention_sets: dict[str, set[Span]] = {}
        # position indexes over statements / times, rebuilt when the list object or its length changes
        # (stages append to ctx.statements and replace ctx.times directly)
        # (list, length, sorted starts, rows, furthest end so far)
        self._statement_index: tuple[Any, ...] | None = None
        self._times_index: tuple[Any, int, list[int] | None, list[tuple[int, int, TimeExpr]]] | None = None
        self._next_entity = 0
        found = dateline(self.text)
        top = headline(self.text)
        # the dateline ("KABUL (Reuters) -") is where the story was filed and a headline line is its
        # title, not part of what it says: no stage reads an actor out of them and no statement or
        # evidence span starts inside them
        self.body_start = found.end if found else (top[1] if top else 0)

    # ---- stage contracts ---------------------------------------------------------------------
    PUBLIC = frozenset({"doc", "document", "text", "published", "options", "entities", "token_entity", "statements",
                        "relations", "events", "times", "warnings", "products", "body_start"})

    def footprint(self) -> dict[str, Any]:
        """What a stage may add, as comparable values: the runner compares the footprint before and
        after each stage with the stage's `assigns` (entities counts creations, so a stage that
        makes an entity and removes another still shows)."""
        return {"entities": self._next_entity, "statements": len(self.statements), "relations": len(self.relations),
                "events": len(self.events), "times": len(self.times), **{k: True for k in self.products},
                "attributes": frozenset(k for k in vars(self) if not k.startswith("_")) - self.PUBLIC}

    # ---- entities -------------------------------------------------------------------------
    def new_entity(self, name: str, type: str, **fields: Any) -> Entity:
        self._next_entity += 1  # a counter, not len(): ids stay unique after removals and merges
        entity = Entity(id=f"e{self._next_entity}", name=name, type=type, **fields)  # type: ignore[arg-type]
        self.entities.append(entity)
        self._by_id[entity.id] = entity
        return entity

    def entity(self, entity_id: str | None) -> Entity | None:
        return self._by_id.get(entity_id) if entity_id else None

    def add_mention(self, entity: Entity, start: int, end: int) -> Span | None:
        """Record text[start:end] as a mention of entity and map its tokens to it."""
        if not (0 <= start < end <= len(self.text)):
            return None
        span = Span.of(self.text, start, end)
        seen = self._mention_sets.get(entity.id)
        if seen is None or len(seen) != len(entity.mentions):  # stages may also edit mentions directly
            seen = self._mention_sets[entity.id] = set(entity.mentions)
        if span not in seen:
            seen.add(span)
            entity.mentions.append(span)
        char_span = self.doc.char_span(start, end, alignment_mode="expand")
        if char_span is not None:
            for tok in char_span:
                self.token_entity.setdefault(tok.i, entity.id)
        return span

    def remove_entity(self, entity: Entity) -> None:
        self.entities = [e for e in self.entities if e.id != entity.id]
        self._by_id.pop(entity.id, None)
        self.token_entity = {i: e for i, e in self.token_entity.items() if e != entity.id}

    def merge_entities(self, keep: Entity, drop: Entity) -> None:
        """Fold drop into keep: names become aliases, mentions and token links move over."""
        if keep.id == drop.id:
            return
        keep.add_alias(drop.name, "coreference")
        for alias in drop.aliases:
            keep.add_alias(alias, drop.alias_sources.get(alias, "coreference"))
        for m in drop.mentions:
            if m not in keep.mentions:
                keep.mentions.append(m)
        keep.anonymous = keep.anonymous and drop.anonymous
        keep.subtype = keep.subtype or drop.subtype
        keep.country = keep.country or drop.country
        for i, eid in list(self.token_entity.items()):
            if eid == drop.id:
                self.token_entity[i] = keep.id
        for collection in (self.statements,):
            for s in collection:
                if s.speaker == drop.id:
                    s.speaker = keep.id
                if s.via == drop.id:
                    s.via = keep.id
        self.entities = [e for e in self.entities if e.id != drop.id]
        self._by_id.pop(drop.id, None)

    def entity_of_token(self, token: "Token") -> Entity | None:
        if token.idx < self.body_start:
            return None
        return self.entity(self.token_entity.get(token.i))

    def entity_of_span(self, start: int, end: int) -> Entity | None:
        """The entity a char range names: the one owning the most tokens in it (ties: the last)."""
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return None
        counts: dict[str, int] = {}
        for tok in span:
            eid = self.token_entity.get(tok.i) if tok.idx >= self.body_start else None
            if eid:
                counts[eid] = counts.get(eid, 0) + 1
        if not counts:
            return None
        return self.entity(max(counts, key=lambda k: counts[k]))

    def entity_of_phrase(self, head: "Token") -> Entity | None:
        """The entity a noun phrase headed by `head` refers to: the head's own entity, else the
        entity of a compound/flat/appositive child, else of its possessor ("al Qaeda's leader" is
        not al Qaeda: possessors are not followed)."""
        found = self.entity_of_token(head)
        if found:
            return found
        for child in head.children:
            if child.dep_ in ("compound", "flat", "appos", "nmod") and child.i < head.i + 6:
                found = self.entity_of_token(child)
                if found:
                    return found
        return None

    # ---- other layers ---------------------------------------------------------------------
    def named_antecedent(self, head: "Token", definite: bool = True) -> Entity | None:
        """The named organization or place a definite common noun stands for: "the party" after "Thai
        Raksa Chart Party", "the committee" after "the House Judiciary Committee", "the court" after
        "the Court of Session" (the noun is the name's last word, or its first before "of"), the latest
        one mentioned before the noun."""
        if head.pos_ != "NOUN" or definite and not any(c.dep_ == "det" and c.lower_ == "the" for c in head.children):
            return None
        want = head.lemma_.lower().rstrip("s")
        best, best_at = None, -1
        for e in self.entities:
            if e.anonymous or e.type not in ("organization", "location"):
                continue
            words = e.name.lower().split()
            if len(words) < 2 and e.subtype != want:
                continue
            if e.subtype != want and words[-1].rstrip("s") != want \
                    and not (words[0].rstrip("s") == want and words[1] == "of"):
                continue
            at = max((m.start for m in e.mentions if m.start < head.idx), default=-1)
            if at > best_at:
                best, best_at = e, at
        if best is None and want in COMPANY_NOUNS:
            # "the company apologized" after "PG&E began ...": the one firm named in the passage before
            firms = {e.id: e for e in self.entities if e.type == "organization" and not e.anonymous
                     and e.subtype in (None, "company") and any(0 <= head.idx - m.start <= COMPANY_WINDOW
                                                               for m in e.mentions)}
            if len(firms) == 1:
                best = next(iter(firms.values()))
        return best

    def statement(self, statement_id: str | None) -> Statement | None:
        for s in self.statements:
            if s.id == statement_id:
                return s
        return None

    def statement_covering(self, start: int, end: int) -> Statement | None:
        """The innermost statement whose content holds [start, end) (equal lengths: the earliest in
        the list)."""
        statements = self.statements
        index = self._statement_index
        if index is None or index[0] is not statements or index[1] != len(statements):
            rows = sorted((s.content.start, s.content.end, i, s) for i, s in enumerate(statements))
            reach, furthest = [], -1  # reach[k]: the furthest end among rows[0..k]
            for r in rows:
                furthest = max(furthest, r[1])
                reach.append(furthest)
            index = self._statement_index = (statements, len(statements), [r[0] for r in rows], rows, reach)
        rows, reach = index[3], index[4]
        best: tuple[int, int] | None = None  # (length, list position)
        found: Statement | None = None
        # contents starting at or before `start`, nearest first; a content starting at s0 that holds
        # `end` is at least end - s0 long, so the walk stops once that exceeds the best length
        for k in range(bisect_right(index[2], start) - 1, -1, -1):
            if reach[k] < end:
                break  # no content from here back reaches `end`
            s0, e0, i, s = rows[k]
            if best is not None and end - s0 > best[0]:
                break
            if end <= e0:
                key = (e0 - s0, i)
                if best is None or key < best:
                    best, found = key, s
        return found

    def times_in(self, start: int, end: int) -> list[TimeExpr]:
        times = self.times
        index = self._times_index
        if index is None or index[0] is not times or index[1] != len(times):
            rows = sorted((t.start, i, t) for i, t in enumerate(times))
            # a reversed range (end before start) would defeat the walk's stop: the plain scan then
            ordered = all(t.start <= t.end for t in times)
            index = self._times_index = (times, len(times), [r[0] for r in rows] if ordered else None, rows)
        if index[2] is None:
            return [t for t in times if start <= t.start and t.end <= end]
        rows = index[3]
        hits = []
        for k in range(bisect_left(index[2], start), len(rows)):
            s0, i, t = rows[k]
            if s0 > end:
                break
            if t.end <= end:
                hits.append((i, t))
        hits.sort(key=lambda h: h[0])
        return [t for _, t in hits]

    def sentence_of(self, char: int) -> "SpacySpan":
        if self._sent_starts is None:
            self._sents = list(self.doc.sents)
            self._sent_starts = [s.start_char for s in self._sents]
        idx = max(0, bisect_right(self._sent_starts, char) - 1)
        return self._sents[idx]

    def span(self, start: int, end: int) -> Span:
        return Span.of(self.text, start, end)

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def _clip(self, span: Span) -> Span:
        """A span that begins inside the dateline begins after it instead."""
        if span.start < self.body_start < span.end:
            start = self.body_start
            while start < span.end and self.text[start].isspace():
                start += 1
            return Span.of(self.text, start, span.end)
        return span

    def to_analysis(self, versions: dict[str, str] | None = None) -> Analysis:
        if self.body_start:
            for s in self.statements:
                s.content = self._clip(s.content)
            for r in self.relations:
                r.evidence = self._clip(r.evidence)
            for e in self.events:
                e.evidence = self._clip(e.evidence)
        for i, r in enumerate(self.relations, 1):
            r.id = r.id or f"r{i}"
        for i, e in enumerate(self.events, 1):
            e.id = e.id or f"v{i}"
        for i, t in enumerate(self.times, 1):
            t.id = t.id or f"t{i}"
        return Analysis(
            document=self.document, entities=list(self.entities), statements=list(self.statements),
            relations=list(self.relations), events=list(self.events), times=sorted(self.times, key=lambda t: t.start),
            warnings=list(self.warnings), versions=dict(versions or {}),
        )


def tokens_between(doc: "Doc", start: int, end: int) -> Iterable["Token"]:
    span = doc.char_span(start, end, alignment_mode="expand")
    return span if span is not None else ()
