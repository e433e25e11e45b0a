"""Answers of the expensive read views (the network, an actor's strongest relations), kept for the
knowledge base's current state.

Aggregating a relation means reading every statement for and against it and counting independent
sources through their attribution chains (wirescope.query.relations): the strongest relations of a
large knowledge base take hundreds of milliseconds to rank, and they change only when something is
written. A view is therefore computed once per *state* of the knowledge base and answered from
memory until the state changes. The state is read on every request (two small aggregate queries):
the documents stored (count, greatest id) and the last judgement recorded (judgements are never
deleted: the last id says whether one was added), all read from indexes, once per request however
many views it reads. Every
write changes one of them: an ingest stores a document, a merge, split or review records a
judgement, whether it comes through this server, the CLI or another process. Entries are bounded
(least recently used go first) and handed out as copies, so no caller can change a cached answer.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Callable, Hashable

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from wirescope.store import schema as S

MAX_ENTRIES = 64


def state_of(conn: Connection) -> tuple:
    """What changes whenever the knowledge base is written."""
    d, j = S.documents, S.judgements
    docs = conn.execute(select(func.count(), func.max(d.c.id))).one()
    judged = conn.execute(select(func.max(j.c.id))).scalar()  # the primary key's last entry, not a count
    return (docs[0], str(docs[1]), judged)


class ViewCache:
    def __init__(self, size: int = MAX_ENTRIES) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, tuple[tuple, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, conn: Connection, key: Hashable, compute: Callable[[], Any], state: tuple | None = None) -> Any:
        """The answer for `key` in the knowledge base's current state (`state`, else read now),
        computed when there is none."""
        state = state_of(conn) if state is None else state
        with self._lock:
            found = self._items.get(key)
            if found is not None and found[0] == state:
                self._items.move_to_end(key)
                self.hits += 1
                return _shared(found[1])
        value = compute()
        with self._lock:
            self.misses += 1
            self._items[key] = (state, value)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return _shared(value)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def cached(request, conn: Connection, key: Hashable, compute: Callable[[], Any]) -> Any:
    """ViewCache.get through the server's cache (computed directly when the app has none)."""
    cache = getattr(request.app.state.ws, "views", None)
    if cache is None:
        return compute()
    # the state is read once per request and connection: the views one page reads agree with each other
    states = getattr(request.state, "kb_states", None)
    if states is None:
        states = request.state.kb_states = {}
    state = states.get(id(conn))
    if state is None:
        state = states[id(conn)] = state_of(conn)
    return cache.get(conn, key, compute, state)


def _shared(value: Any) -> Any:
    copy = getattr(value, "copy", None)
    return copy() if copy is not None and hasattr(value, "graph") else value
