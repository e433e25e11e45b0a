"""The `seen_items` table: which feed items and pages a watch has handled, kept across restarts."""
from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from wirescope.store import schema as S

log = logging.getLogger(__name__)


def seen(engine: Engine, key: str) -> dict | None:
    with engine.connect() as conn:
        row = conn.execute(select(S.seen_items).where(S.seen_items.c.url == key)).mappings().first()
    return dict(row) if row else None


def seen_hash(engine: Engine, digest: str) -> str | None:
    """The document id of an item already stored (or found a duplicate) with this content hash."""
    with engine.connect() as conn:
        row = conn.execute(select(S.seen_items.c.doc_id).where(
            S.seen_items.c.content_hash == digest, S.seen_items.c.status.in_(("stored", "duplicate")))).first()
    return row[0] if row else None


def remember(engine: Engine, key: str, feed: str | None, digest: str | None, doc_id: str | None, status: str,
             attempts: int, message: str | None) -> None:
    now = dt.datetime.now(dt.timezone.utc)
    values = {"feed": feed, "content_hash": digest, "doc_id": doc_id, "status": status, "attempts": attempts,
              "message": message, "last_seen": now}
    t = S.seen_items
    for _attempt in range(3):
        try:
            with engine.begin() as conn:
                done = conn.execute(update(t).where(t.c.url == key).values(**values)).rowcount
                if not done:
                    conn.execute(insert(t).values(url=key, first_seen=now, **values))
            return
        except IntegrityError:  # another watcher inserted it between our update and insert
            continue
        except SQLAlchemyError as exc:
            log.warning("could not remember %s: %s", key, str(exc).splitlines()[0])
            return


def seen_rows(engine: Engine) -> list[dict]:
    """Every row of seen_items (for status output and tests)."""
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(S.seen_items).order_by(S.seen_items.c.first_seen,
                                                                            S.seen_items.c.url)).mappings()]
