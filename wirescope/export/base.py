"""The exporter interface, the filters every format shares, and what an export reports back.

An exporter is a small object with a `name`, a file `suffix` and `write(conn, out, filters)`:
`out` is a text stream for single-file formats, a directory (`pathlib.Path`) for formats that
write one file per table (`multi_file = True`). Exporters read the knowledge base only through
wirescope.query (streaming rows from wirescope.query.rows, cross-document aggregates from
wirescope.query.relations, graphs from wirescope.query.graph) and write as they read.

Filters (the same meaning in every format):
  entity       an actor name or id: its relations, its events, statements it made or that back them,
               documents that mention it, and the actors it is related to
  types        relation types (member_of, attacks, ...) filter relations; PLOVER categories (ASSAULT,
               ...) filter events; a kind is filtered only when some given value belongs to it
  since/until  publication date of the reporting document (YYYY-MM-DD, inclusive); cross-document
               relations use the aggregate's own time window (wirescope.query.relations)
  min_sources  keep relations backed by at least this many independent sources (and their rows)
  query        a search: the selection a search page shows (wirescope.query.search_view). The
               documents it lists, every page of them (originals, narrowed by `outlet` and
               `published` as the page narrows them, with the syndicated copies folded under them),
               and what they hold: their statements, relations and events, the actors they mention
               and the actors the page lists by name (narrowed by `actor_type`). Cross-document
               relations are aggregated over the selected documents only.
  outlet, published, actor_type   the search page's facets (with `query` only): an outlet, a year or
               month of publication ("2021", "2021-03"), an actor type
  documents    document ids: exactly these documents, as a search selection is (combines with `query`:
               both must hold)
Filters combine: every one given must hold.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Iterator, Protocol, TextIO, runtime_checkable

from sqlalchemy.engine import Connection

from wirescope.errors import UsageError
from wirescope.model import PLOVER_TYPES, RELATION_TYPES


@dataclass(frozen=True)
class Filters:
    entity: str | None = None
    types: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None
    min_sources: int = 0
    query: str | None = None
    outlet: str | None = None
    published: str | None = None
    actor_type: str | None = None
    documents: tuple[str, ...] = ()

    def key(self) -> str:
        """A stable text form (bundle ids and file headers are derived from it)."""
        out = (f"entity={self.entity or ''};types={','.join(sorted(self.types))};since={self.since or ''};"
               f"until={self.until or ''};min_sources={self.min_sources}")
        if self.is_selection():  # (unchanged for the filters that came before: bundle ids stay the same)
            out += (f";query={self.query or ''};outlet={self.outlet or ''};published={self.published or ''};"
                    f"actor_type={self.actor_type or ''};documents={','.join(sorted(self.documents))}")
        return out

    def is_selection(self) -> bool:
        """Whether a search or a list of documents selects what is exported."""
        return bool(self.query or self.documents)

    def is_empty(self) -> bool:
        return not (self.entity or self.types or self.since or self.until or self.min_sources or self.is_selection())


@dataclass
class ExportStats:
    """What was written (counts per kind) and what the user should know (notes)."""
    format: str
    counts: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    def add(self, kind: str, n: int = 1) -> None:
        self.counts[kind] += n

    def note(self, message: str) -> None:
        if message not in self.notes:
            self.notes.append(message)

    def summary(self) -> str:
        parts = ", ".join(f"{n} {kind}" for kind, n in sorted(self.counts.items()))
        return f"{self.format}: {parts or 'nothing'}"


@runtime_checkable
class Exporter(Protocol):
    name: ClassVar[str]
    suffix: ClassVar[str]  # ".json", ".graphml", ... ("" for a directory)
    multi_file: ClassVar[bool]

    def write(self, conn: Connection, out: TextIO | Path, filters: Filters) -> ExportStats: ...


def relation_vocabulary() -> dict[str, dict[str, Any]]:
    """Relation type -> its record in the vocabulary data file (empty when it cannot be read)."""
    try:
        from wirescope import vocab
    except ImportError:
        return {}
    return vocab.relation_types()


@dataclass
class Scope:
    """Filters resolved against one knowledge base."""
    filters: Filters
    entity_id: str | None = None
    relation_types: tuple[str, ...] | None = None  # None: every type
    event_types: tuple[str, ...] | None = None
    actor_ids: set[str] | None = None  # None: every actor
    relation_keys: set[tuple[str, str, str]] | None = None  # None: no min_sources filter
    docs: Any = None  # None: every document; else a one-column SQL selectable of the selected ids
    listed_actor_ids: set[str] = field(default_factory=set)  # actors a search page lists by name

    @classmethod
    def resolve(cls, conn: Connection, filters: Filters) -> "Scope":
        from wirescope.query import rows

        scope = cls(filters)
        known_relations = set(RELATION_TYPES) | set(relation_vocabulary())
        rel, evt = [], []
        for value in filters.types:
            if value.lower() in known_relations:
                rel.append(value.lower())
            elif value.upper() in PLOVER_TYPES:
                evt.append(value.upper())
            else:
                raise UsageError("E103", name="--type", value=value,
                                 reason=f"not a relation type ({', '.join(sorted(known_relations))}) "
                                        f"nor a PLOVER event type ({', '.join(PLOVER_TYPES)})")
        scope.relation_types = tuple(rel) or None
        scope.event_types = tuple(evt) or None
        if (filters.outlet or filters.published or filters.actor_type) and not filters.query:
            raise UsageError("E103", name="outlet/published/actor_type", value=filters.outlet or filters.published
                             or filters.actor_type, reason="these narrow a search: give the search words too")
        if filters.entity:
            from wirescope.query.entities import resolve_entity

            scope.entity_id = resolve_entity(conn, filters.entity)["id"]
            scope.actor_ids = rows.related_actor_ids(conn, scope.entity_id)
        if filters.is_selection():
            scope._select(conn)
        if filters.min_sources > 0:
            scope.relation_keys = {relation_key(a) for a in scope.aggregates(conn)}
        return scope

    def _select(self, conn: Connection) -> None:
        """Resolve a search (and/or a list of documents) to the selected documents and actors."""
        from sqlalchemy import select

        from wirescope.query import rows
        from wirescope.query.search_view import selected_actors, selection
        from wirescope.store import schema as S

        f = self.filters
        docs = None
        if f.query is not None:
            docs = selection(conn, f.query, outlet=f.outlet, published=f.published)
            if docs is None:
                raise UsageError("E103", name="query", value=f.query, reason="no word to search for")
        if f.documents:
            D = S.documents
            wanted = sorted(set(f.documents))
            known = set(conn.execute(select(D.c.id).where(D.c.id.in_(wanted))).scalars())
            missing = [d for d in wanted if d not in known]
            if missing:
                raise UsageError("E103", name="documents", value=", ".join(missing[:5]),
                                 reason="no such document in the knowledge base")
            listed = select(D.c.id.label("doc_id")).where(D.c.id.in_(wanted))
            docs = listed if docs is None else select(D.c.id.label("doc_id")).where(D.c.id.in_(wanted), D.c.id.in_(docs))
        self.docs = docs
        actors = rows.selection_actor_ids(conn, docs)
        if f.query is not None and not f.documents:  # the actors the page lists by name
            self.listed_actor_ids = {a["id"] for a in selected_actors(conn, f.query, f.actor_type)}
            if self.actor_ids is not None:
                self.listed_actor_ids &= self.actor_ids
            actors |= self.listed_actor_ids
        self.actor_ids = actors if self.actor_ids is None else actors & self.actor_ids

    def aggregates(self, conn: Connection) -> Iterator[dict[str, Any]]:
        """Cross-document relations in scope, one relation type at a time (the peak is one type's list)."""
        from wirescope.query import rows
        from wirescope.query.relations import aggregate_relations

        types = self.relation_types or tuple(sorted(set(relation_vocabulary()) | set(rows.relation_types_stored(conn))))
        f = self.filters
        for rtype in types:
            batch = aggregate_relations(conn, entity=self.entity_id, type=rtype, min_sources=f.min_sources,
                                        since=f.since, until=f.until, detail=False, docs=self.docs)
            for row in batch:
                if self.relation_keys is None or relation_key(row) in self.relation_keys:
                    yield row
            del batch

    def relation_row_ok(self, row: dict[str, Any]) -> bool:
        """Whether a per-document relation row (wirescope.query.rows) passes the min_sources filter."""
        if self.relation_keys is None:
            return True
        return normal_key(row["subject_id"], row["type"], row["object_id"]) in self.relation_keys

    def actor_ok(self, actor_id: str | None) -> bool:
        return actor_id is not None and (self.actor_ids is None or actor_id in self.actor_ids)

    # per-document rows, already filtered
    def documents(self, conn: Connection, include_text: bool = False) -> Iterator[dict[str, Any]]:
        from wirescope.query import rows

        f = self.filters
        return rows.iter_documents(conn, since=f.since, until=f.until, entity=self.entity_id,
                                   include_text=include_text, docs=self.docs)

    def actors(self, conn: Connection) -> Iterator[dict[str, Any]]:
        from wirescope.query import rows

        return rows.iter_actors(conn, ids=self.actor_ids)

    def aliases(self, conn: Connection) -> Iterator[dict[str, Any]]:
        from wirescope.query import rows

        return rows.iter_aliases(conn, ids=self.actor_ids)

    def statements(self, conn: Connection, doc_id: str | None = None) -> Iterator[dict[str, Any]]:
        from wirescope.query import rows

        f = self.filters
        return rows.iter_statements(conn, since=f.since, until=f.until, entity=self.entity_id, doc_id=doc_id,
                                    docs=self.docs)

    def relations(self, conn: Connection, doc_id: str | None = None) -> Iterator[dict[str, Any]]:
        from wirescope.query import rows

        f = self.filters
        for row in rows.iter_relations(conn, since=f.since, until=f.until, entity=self.entity_id,
                                       types=self.relation_types, doc_id=doc_id, docs=self.docs):
            if self.relation_row_ok(row):
                yield row

    def events(self, conn: Connection, doc_id: str | None = None) -> Iterator[dict[str, Any]]:
        from wirescope.query import rows

        f = self.filters
        return rows.iter_events(conn, since=f.since, until=f.until, entity=self.entity_id,
                                types=self.event_types, doc_id=doc_id, docs=self.docs)


def relation_key(aggregate: dict[str, Any]) -> tuple[str, str, str]:
    """(subject id, type, object id) of an aggregate row of wirescope.query.relations, normalised."""
    return normal_key(aggregate["subject"]["id"], aggregate["type"], aggregate["object"]["id"])


def normal_key(subject: str, rtype: str, obj: str) -> tuple[str, str, str]:
    """The one key of a cross-document relation: symmetric types ignore the direction (an aggregate
    shows them in the orientation seen most, a document may say them the other way round)."""
    from wirescope.query.relations import symmetric_types

    if rtype in symmetric_types() and obj < subject:
        return obj, rtype, subject
    return subject, rtype, obj
