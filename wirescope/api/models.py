"""The API's request bodies and response models (they are what /openapi.json and /docs show).

Response models name the fields clients can rely on and allow more (`extra="allow"`): the query
functions may add fields without breaking a response. Request bodies forbid unknown fields and
bound every string and list.
"""
from __future__ import annotations

from typing import Annotated, Any, Generic, Optional, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

T = TypeVar("T")

MAX_NAME = 200  # actor names and ids, relation ends, names in a split
MAX_ID = 100  # document and actor ids
Id = Annotated[str, StringConstraints(min_length=1, max_length=MAX_ID, pattern=r"^[^\x00-\x1f\x7f]+$")]
Name = Annotated[str, StringConstraints(min_length=1, max_length=MAX_NAME, pattern=r"^[^\x00-\x1f\x7f]+$")]


class Out(BaseModel):
    model_config = ConfigDict(extra="allow")


# ---- errors -----------------------------------------------------------------------------------------
class Candidate(Out):
    """One of the actors an ambiguous name could mean."""
    id: str
    name: str
    type: Optional[str] = None
    documents: int = 0


class ErrorDetail(BaseModel):
    code: str = Field(..., description="Stable code, see docs/errors.md")
    message: str
    hint: str
    candidates: Optional[list[Candidate]] = Field(None, description="Only for an ambiguous name (E404, 409)")


class ErrorOut(BaseModel):
    """Every error, whatever its origin."""
    error: ErrorDetail


# ---- lists ------------------------------------------------------------------------------------------
class Page(BaseModel, Generic[T]):
    """One page of a list: `next` is the address of the next page, null on the last."""
    items: list[T]
    total: int = Field(..., description="How many items the whole list holds")
    limit: int
    offset: int
    next: Optional[str] = Field(None, description="Relative URL of the next page, or null")


# ---- pieces -------------------------------------------------------------------------------------------
class SpanOut(Out):
    start: int
    end: int
    text: str


class ActorRef(Out):
    id: Optional[str] = None
    name: Optional[str] = None
    type: Optional[str] = None
    anonymous: Optional[bool] = None


class ActorRow(Out):
    """An actor in a list."""
    id: str
    name: str
    type: Optional[str] = None
    subtype: Optional[str] = None
    anonymous: bool = False
    documents: int = 0
    match: Optional[str] = Field(None, description="exact | alias | prefix, when listed by a name")


class StatementOut(Out):
    """Who said what, where: the evidence span points into the document's text."""
    doc_id: str
    statement_id: Optional[str] = None
    speaker: Optional[ActorRef] = None
    via: Optional[ActorRef] = None
    cue: Optional[str] = None
    content: Optional[str] = None
    direct: bool = False
    evidence: Optional[SpanOut] = None
    polarity: Optional[str] = None
    modality: Optional[str] = None
    published: Optional[str] = None
    outlet: Optional[str] = None
    title: Optional[str] = None
    url: Optional[str] = None
    duplicate_of: Optional[str] = None


class RelationOut(Out):
    """A relation aggregated over documents, with every statement for and against it."""
    subject: ActorRef
    type: str
    object: ActorRef
    symmetric: bool = False
    support: list[StatementOut] = []
    against: list[StatementOut] = []
    first_seen: Optional[str] = None
    last_seen: Optional[str] = None
    independent_sources: int = 0
    documents: int = 0
    confidence: float = 0.0
    reasons: list[str] = []


class EventOut(Out):
    """A PLOVER event placed in time (`time_from`: event, or the report's publication date)."""
    time: Optional[str] = None
    time_from: Optional[str] = None
    type: str
    mode: Optional[str] = None
    trigger: Optional[str] = None
    source: Optional[ActorRef] = None
    target: Optional[ActorRef] = None
    location: Optional[ActorRef] = None
    doc_id: str
    event_id: str
    evidence: SpanOut
    published: Optional[str] = None
    outlet: Optional[str] = None
    title: Optional[str] = None


class DocumentRow(Out):
    """A document in a list, with how much was found in it."""
    id: str
    title: Optional[str] = None
    url: Optional[str] = None
    outlet: Optional[str] = None
    published: Optional[str] = None
    duplicate_of: Optional[str] = None
    chars: int = 0
    lead: str = ""
    actors: int = 0
    statements: int = 0
    relations: int = 0
    events: int = 0


class DocumentOut(Out):
    """One document: its text and every layer, with character offsets into the text."""
    id: str
    title: Optional[str] = None
    url: Optional[str] = None
    outlet: Optional[str] = None
    published: Optional[str] = None
    text: str
    entities: list[dict[str, Any]]
    statements: list[dict[str, Any]]
    relations: list[dict[str, Any]]
    events: list[dict[str, Any]]
    times: list[dict[str, Any]]


class ActorProfile(Out):
    """One actor: names with the documents they come from, relations, statements by and about it."""
    entity: ActorRow
    names: list[dict[str, Any]]
    mentions: int = 0
    documents: list[dict[str, Any]]
    relations: list[RelationOut]
    statements_by: list[StatementOut]
    statements_about: list[StatementOut]
    judgements: list[dict[str, Any]]


class SearchOut(Out):
    query: str
    actors: list[ActorRow]
    documents: list[dict[str, Any]]
    statements: list[StatementOut]


class NetworkOut(Out):
    """Actors (nodes: id, name, type, subtype, anonymous, documents) and aggregated relations (edges:
    source, target, type, polarity, support, against, independent_sources, first_seen, last_seen,
    confidence)."""
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    truncated: bool = Field(False, description="Whether weaker relations were left out (see limit)")
    generic_hidden: int = Field(0, description='Relations left out with unnamed groups ("fighters"); generic=true shows them')


class PathOut(NetworkOut):
    """The shortest chain of relations between two actors: `path` lists the actors in order."""
    source: str
    target: str
    found: bool
    path: list[str]
    hops: Optional[int] = None


class StatsOut(Out):
    documents: int
    actors: int
    statements: int
    relations: int
    events: int


class HealthOut(Out):
    ok: bool
    writes: bool
    pipeline_loaded: bool


class AuditEntry(Out):
    """One write through the API."""
    id: int
    at: str = Field(..., description="ISO time, UTC")
    client: Optional[str] = None
    identity: str
    action: str
    ids: list[str]
    result: str = Field(..., description='"ok" or the error code the write ended with')
    detail: Optional[dict[str, Any]] = None


# ---- write bodies and answers ------------------------------------------------------------------
class ArticleIn(BaseModel):
    """One article to analyse and store."""
    model_config = ConfigDict(extra="forbid")
    text: str = Field(..., min_length=1, description="The article text (offsets point into it)")
    published: Optional[str] = Field(None, max_length=32, description="ISO date, e.g. 2021-03-20")
    url: Optional[str] = Field(None, max_length=2000)
    title: Optional[str] = Field(None, max_length=2000)
    outlet: Optional[str] = Field(None, max_length=500)


class MergeIn(BaseModel):
    """Two actors an analyst judges to be the same: `drop` folds into `keep`. The judgement's author
    is the authenticated identity, never a field of the request."""
    model_config = ConfigDict(extra="forbid")
    keep: Id
    drop: Id
    note: Optional[str] = Field(None, max_length=2000)


class SplitIn(BaseModel):
    """Undo a merge: the actor gets back the documents (or names) listed, as a new actor."""
    model_config = ConfigDict(extra="forbid")
    documents: Optional[list[Id]] = Field(None, max_length=1000, description="Document ids whose mentions move out")
    names: Optional[list[Name]] = Field(None, max_length=1000, description="Names whose mentions move out")
    note: Optional[str] = Field(None, max_length=2000)


class StoredDocument(Out):
    id: str
    stored: bool
    duplicate_of: Optional[str] = None
    href: str
    api: str


class IngestOut(Out):
    documents: list[StoredDocument]
    counts: dict[str, int]


class MergeOut(Out):
    merged: str
    into: str
    author: str
    href: str


class SplitOut(Out):
    new: Optional[str] = None
    author: str
    href: str
