"""The data types that flow through wirescope, in the shape of the extraction contract.

Every span carries character offsets into `Document.text`; `text == document.text[start:end]`
always holds (`Span.of` builds one from the text so it cannot drift).
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

EntityType = Literal["person", "organization", "location", "group", "other"]
Polarity = Literal["positive", "negative"]
Modality = Literal["asserted", "hedged", "future"]

RELATION_TYPES = (
    "member_of", "leader_of", "allied_with", "harbors", "funds", "trains", "supplies",
    "kin_of", "attacks", "agreement_with", "rival_of", "operates_in", "other",
)
PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)


def text_id(text: str) -> str:
    """Stable document id: the same text always gives the same id."""
    return "doc_" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    text: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> "Span":
        return cls(start, end, text[start:end])

    def overlaps(self, other: "Span") -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, start: int, end: int) -> bool:
        return self.start <= start and end <= self.end

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(slots=True)
class Document:
    text: str
    id: str = ""
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    dateline: str | None = None
    source: str | None = None  # path, "path:line" or "-" it was read from
    meta: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # e.g. unreadable metadata, kept with the analysis

    def __post_init__(self) -> None:
        if not self.id:
            self.id = text_id(self.text)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "title": self.title, "url": self.url, "outlet": self.outlet,
            "published": self.published, "dateline": self.dateline, "source": self.source,
        }


@dataclass(slots=True)
class Entity:
    id: str
    name: str
    type: EntityType
    subtype: str | None = None
    aliases: list[str] = field(default_factory=list)
    anonymous: bool = False
    mentions: list[Span] = field(default_factory=list)
    # how the article describes an anonymous source: {"role": "official", "affiliation": "Afghan",
    # "rank": "senior", "agency": "intelligence"}; plural sources carry "plural": True
    descriptor: dict[str, Any] | None = None
    label: str | None = None  # the spaCy label it came from (ORG, GPE, NORP, ...)
    country: str | None = None  # ISO 3166 alpha-2 when known
    # where each alias came from: alias -> how it was learnt ("also known as", "acronym", ...)
    alias_sources: dict[str, str] = field(default_factory=dict)
    # where a location is on the map (places stage): {"geonameid", "name", "lat", "lon", "country",
    # "admin1", "feature": "country|admin1|region|city", "how"}
    geo: dict[str, Any] | None = None

    def add_alias(self, alias: str, how: str = "mention") -> None:
        alias = alias.strip()
        if alias and alias != self.name and alias not in self.aliases:
            self.aliases.append(alias)
            self.alias_sources.setdefault(alias, how)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "name": self.name, "type": self.type, "subtype": self.subtype,
            "aliases": list(self.aliases), "anonymous": self.anonymous,
            "mentions": [m.to_dict() for m in sorted(self.mentions, key=lambda s: (s.start, s.end))],
            "descriptor": self.descriptor, "label": self.label, "country": self.country,
            "alias_sources": dict(self.alias_sources), "geo": dict(self.geo) if self.geo else None,
        }


@dataclass(slots=True)
class Statement:
    id: str
    speaker: str | None
    cue: str | None
    content: Span
    direct: bool
    via: str | None = None
    parent: str | None = None
    polarity: Polarity = "positive"
    modality: Modality = "asserted"
    cue_span: Span | None = None
    speaker_span: Span | None = None  # the words that name the speaker at the cue
    kind: str = "indirect"  # direct | indirect | mixed | according_to | colon

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "speaker": self.speaker, "cue": self.cue, "content": self.content.to_dict(),
            "direct": self.direct, "via": self.via, "parent": self.parent, "polarity": self.polarity,
            "modality": self.modality, "kind": self.kind,
            "cue_span": self.cue_span.to_dict() if self.cue_span else None,
            "speaker_span": self.speaker_span.to_dict() if self.speaker_span else None,
        }


@dataclass(slots=True)
class Relation:
    subject: str
    type: str
    object: str
    evidence: Span
    polarity: Polarity = "positive"
    modality: Modality = "asserted"
    statement: str | None = None
    trigger: str | None = None
    time: str | None = None
    id: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "subject": self.subject, "type": self.type, "object": self.object,
            "polarity": self.polarity, "modality": self.modality, "statement": self.statement,
            "evidence": self.evidence.to_dict(), "trigger": self.trigger, "time": self.time,
        }


@dataclass(slots=True)
class Event:
    type: str
    trigger: str
    evidence: Span
    source: str | None = None
    target: str | None = None
    location: str | None = None
    time: str | None = None
    mode: str | None = None
    polarity: Polarity = "positive"
    modality: Modality = "asserted"
    statement: str | None = None
    trigger_span: Span | None = None
    id: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "type": self.type, "mode": self.mode, "trigger": self.trigger,
            "source": self.source, "target": self.target, "location": self.location,
            "time": self.time, "polarity": self.polarity, "modality": self.modality,
            "statement": self.statement, "evidence": self.evidence.to_dict(),
            "trigger_span": self.trigger_span.to_dict() if self.trigger_span else None,
        }


@dataclass(slots=True)
class TimeExpr:
    text: str
    type: Literal["DATE", "TIME", "DURATION", "SET"]
    value: str | None
    start: int
    end: int
    freq: str | None = None  # for SET: "1W", ...
    quant: str | None = None  # for SET: "EACH", "EVERY"
    mod: str | None = None  # TIMEX3 mod: BEFORE, AFTER, START, MID, END, APPROX, ...
    anchor: str | None = None  # the value it was resolved against
    id: str = ""
    # an interval written as a range ("from 2009 to 2011", "between March and June", "2009-2011"):
    # the values of its two ends (TIMEX3 beginPoint / endPoint); its points are listed too
    begin_point: str | None = None
    end_point: str | None = None
    zone: str | None = None  # a clock time's zone as the text gives it ("Z" for UTC/GMT, "+02:00" for CEST)

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items()}


@dataclass(slots=True)
class Analysis:
    """One analysed document: what `wirescope extract --format json` prints."""
    document: Document
    entities: list[Entity] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    times: list[TimeExpr] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    versions: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": self.document.to_dict(),
            "entities": [e.to_dict() for e in self.entities],
            "statements": [s.to_dict() for s in self.statements],
            "relations": [r.to_dict() for r in self.relations],
            "events": [e.to_dict() for e in self.events],
            "times": [t.to_dict() for t in self.times],
            "warnings": list(self.warnings),
            "versions": dict(self.versions),
        }
