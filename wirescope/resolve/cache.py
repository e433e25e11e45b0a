"""What the resolver has read of stored actors, kept across the documents one process writes.

The same actors come back as candidates document after document ("United States", a party, a
minister): their row, members, names and blocking keys are read once and kept here, per knowledge
base (engine), so that a document's work does not grow with how often its actors were seen before.

Kept exact: an entry is dropped whenever the resolver writes to its actor (a name, a key, a new
display name or country, a merge), and everything is dropped when the knowledge base was written by
anyone else (or a document's transaction was rolled back) since this process last wrote: the stamp
(the last kb_names, resolve_keys and judgements ids; every write of actors adds to one of them) is
read when a document begins and compared with the one this process saw when its previous document
ended.
"""
from __future__ import annotations

import weakref

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from wirescope.store import schema as S

MAX_ENTRIES = 50_000  # actors kept per knowledge base (more: start again)

_Q_STAMP = select(
    select(func.max(S.kb_names.c.id)).scalar_subquery(),
    select(func.max(S.resolve_keys.c.id)).scalar_subquery(),
    select(func.max(S.judgements.c.id)).scalar_subquery(),
)


class ActorCache:
    def __init__(self) -> None:
        self.entries: dict[str, dict] = {}  # canonical id -> {"row", "ids", "names", "oldest", "known", "keys"}
        self.canon: dict[str, str] = {}  # kb id -> its canonical id (when read; see `root`)
        self.moved: dict[str, str] = {}  # canonical id -> the one it was merged into since
        self.countries: dict[str, frozenset] = {}  # canonical id -> the countries of its documents, once full
        self.expected: tuple | None = None  # the stamp after this process's last document

    def clear(self) -> None:
        self.entries.clear()
        self.canon.clear()
        self.moved.clear()
        self.countries.clear()

    def forget(self, *ids: str) -> None:
        for i in ids:
            self.entries.pop(i, None)
            self.countries.pop(i, None)

    def keyed(self, kb_id: str, keys: list[tuple[str, str]]) -> None:
        """Blocking keys added to an actor read before: its entry gains them (what a new read would
        give: keys are a set, unordered), instead of being read again."""
        entry = self.entries.get(kb_id)
        if entry is None or "keys" not in entry:
            return
        if not entry["ids"] or kb_id not in entry["ids"]:
            self.entries.pop(kb_id, None)
            return
        self.entries[kb_id] = {**entry, "keys": entry["keys"] | frozenset(keys),
                               "own_keys": None if entry["own_keys"] is None else entry["own_keys"] | frozenset(keys)}

    def root(self, kb_id: str) -> str | None:
        """The canonical id of a kb id read before, following the merges made since."""
        c = self.canon.get(kb_id)
        seen = 0
        while c is not None and c in self.moved and seen < 64:
            c = self.moved[c]
            seen += 1
        return c

    def merged(self, keep: str, drop: str) -> None:
        """`drop` (canonical) was merged into `keep` (canonical)."""
        self.forget(keep, drop)
        if keep != drop:
            self.moved[drop] = keep

    def put(self, root: str, entry: dict) -> None:
        if len(self.entries) >= MAX_ENTRIES:
            self.entries.clear()
        self.entries[root] = entry

    def put_canon(self, raw: str, root: str) -> None:
        if len(self.canon) >= 4 * MAX_ENTRIES:
            self.canon.clear()
        self.canon[raw] = root


_CACHES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def of(conn: Connection) -> ActorCache:
    cache = _CACHES.get(conn.engine)
    if cache is None:
        cache = _CACHES[conn.engine] = ActorCache()
    return cache


def stamp(conn: Connection) -> tuple:
    return tuple(conn.execute(_Q_STAMP).one())


def begin(conn: Connection) -> ActorCache:
    """At a document's start: the cache, emptied if the knowledge base changed behind it."""
    cache = of(conn)
    if cache.expected is None or stamp(conn) != cache.expected:
        cache.clear()
    cache.expected = None  # until this document ends
    return cache


def end(conn: Connection) -> None:
    """At a document's end (every row of its resolution sent): the stamp to expect next time."""
    of(conn).expected = stamp(conn)


def forget(conn: Connection, *ids: str) -> None:
    of(conn).forget(*ids)


def keyed(conn: Connection, kb_id: str, keys: list[tuple[str, str]]) -> None:
    of(conn).keyed(kb_id, keys)


def merged(conn: Connection, keep: str, drop: str) -> None:
    of(conn).merged(keep, drop)
