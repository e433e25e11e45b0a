"""The `audit_log` table: one row per write through the HTTP API (time, client, identity, action,
ids, result). Rows are only ever appended; nothing in wirescope updates or deletes them.

Functions take a Connection, so a write and its audit row can share one transaction (the row
exists exactly when the write committed); a refused write is recorded in a transaction of its own.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

from sqlalchemy import func, insert, select
from sqlalchemy.engine import Connection

from wirescope.store import schema as S

MAX_IDS = 1000  # a batch ingest records at most this many ids (the rest are counted in detail)
FIELD_LIMITS = {"client": 64, "identity": 64, "action": 32, "result": 16}


def _clip(name: str, value: str | None) -> str | None:
    if value is None:
        return None
    return str(value)[:FIELD_LIMITS[name]]


def append(conn: Connection, *, action: str, identity: str, client: str | None = None,
           ids: Iterable[str] = (), result: str = "ok", detail: dict[str, Any] | None = None,
           at: dt.datetime | None = None) -> int:
    """Record one write; returns the new row's id."""
    ids = [str(i) for i in ids]
    extra = dict(detail or {})
    if len(ids) > MAX_IDS:
        extra["ids_not_listed"] = len(ids) - MAX_IDS
        ids = ids[:MAX_IDS]
    row = conn.execute(insert(S.audit_log).values(
        at=at or dt.datetime.now(dt.timezone.utc), client=_clip("client", client),
        identity=_clip("identity", identity), action=_clip("action", action), ids=ids,
        result=_clip("result", result), detail=extra or None))
    return int(row.inserted_primary_key[0])


def _where(query, action: str | None, result: str | None):
    if action:
        query = query.where(S.audit_log.c.action == action)
    if result:
        query = query.where(S.audit_log.c.result == result)
    return query


def entries(conn: Connection, *, limit: int = 100, offset: int = 0, action: str | None = None,
            result: str | None = None) -> list[dict[str, Any]]:
    """Audit rows, newest first: [{"id", "at" (ISO, UTC), "client", "identity", "action", "ids",
    "result", "detail"}]."""
    a = S.audit_log
    query = _where(select(a), action, result).order_by(a.c.id.desc()).limit(max(0, int(limit))).offset(max(0, int(offset)))
    out = []
    for r in conn.execute(query):
        at = r.at
        if isinstance(at, dt.datetime):
            at = (at if at.tzinfo else at.replace(tzinfo=dt.timezone.utc)).isoformat()
        out.append({"id": r.id, "at": at, "client": r.client, "identity": r.identity, "action": r.action,
                    "ids": list(r.ids or []), "result": r.result, "detail": r.detail})
    return out


def count(conn: Connection, *, action: str | None = None, result: str | None = None) -> int:
    return conn.execute(_where(select(func.count()).select_from(S.audit_log), action, result)).scalar_one()
