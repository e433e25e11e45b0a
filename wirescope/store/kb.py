"""The knowledge base: open by URL, store one analysed document per transaction.

SQLite is the embedded default (WAL journal, busy timeout, foreign keys on); PostgreSQL takes a
`postgresql+psycopg://` URL. Every write path goes through `KnowledgeBase.save`, which stores a
document whole or not at all and is idempotent on the document id (the hash of its text).

The store only stores. What runs inside a document's transaction besides the inserts (cross-document
resolution, syndication, search indexing) is handed in as `WriteHooks` by the layer above
(`wirescope.flow.open_kb` builds them); the store imports nothing above itself.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace
from typing import Any, Callable

from sqlalchemy import create_engine, event, func, insert, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError

from wirescope.errors import StoreError
from wirescope.model import Analysis
from wirescope.store import schema as S
from wirescope.store import timeplace

log = logging.getLogger(__name__)


def normalise_url(url: str) -> str:
    if "://" not in url:  # a bare path means a SQLite file
        return f"sqlite:///{url}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _set_wal(cur) -> None:  # noqa: ANN001
    """Switch a SQLite file to WAL. The switch needs a moment alone with the file and SQLite does not
    always wait for it, so a busy answer is retried; once any process has switched, the mode sticks."""
    import sqlite3

    for attempt in range(50):
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            time.sleep(0.05 * (attempt + 1))
    cur.execute("PRAGMA journal_mode")  # still busy after ~60 s: go on in whatever mode the file has


SQLITE_CACHE_KB = 32768  # page cache per SQLite connection


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    try:
        if url.startswith("sqlite"):
            engine = create_engine(url, connect_args={"timeout": 60})

            @event.listens_for(engine, "connect")
            def _pragmas(dbapi_conn, _record):  # noqa: ANN001
                cur = dbapi_conn.cursor()
                cur.execute("PRAGMA busy_timeout=60000")
                _set_wal(cur)
                cur.execute("PRAGMA foreign_keys=ON")
                cur.execute("PRAGMA synchronous=NORMAL")
                # a page cache that holds the hot index pages of a knowledge base of many thousand
                # documents (the default 2 MB makes every write re-read them as the indexes grow)
                cur.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KB}")
                cur.close()
        elif url.startswith("postgresql"):
            # the durability SQLite has with synchronous=NORMAL in WAL mode: a commit does not wait
            # for its WAL flush (a crash may lose the last moment of writes, never consistency; the
            # ingest is idempotent and stores them again), one disk flush less per document
            engine = create_engine(url, pool_pre_ping=True)

            @event.listens_for(engine, "connect")
            def _pg_session(dbapi_conn, _record):  # noqa: ANN001
                autocommit = dbapi_conn.autocommit
                dbapi_conn.autocommit = True  # a SET outside any transaction the pool will roll back
                with dbapi_conn.cursor() as cur:
                    cur.execute("SET synchronous_commit TO off")
                dbapi_conn.autocommit = autocommit
        else:
            engine = create_engine(url, pool_pre_ping=True)
    except (SQLAlchemyError, ImportError, ValueError) as exc:
        raise StoreError("E401", url=url, reason=str(exc).splitlines()[0]) from None
    return engine


@dataclass
class SaveResult:
    doc_id: str
    stored: bool  # False when the document was already there
    duplicate_of: str | None = None


Resolver = Callable[[Connection, Any, str], str]


def _nothing(*_args: object) -> None:
    return None


def _no_syndication(_conn: Connection, _analysis: Analysis) -> tuple[None, None, None]:
    return None, None, None


@dataclass(frozen=True)
class WriteHooks:
    """What runs inside a document's write transaction, passed in by the flow.

    resolve(conn, entity, doc_id) -> kb id, once per document actor; end_resolution(conn, failed)
    after the last one; syndication(conn, analysis) -> (duplicate_of, similarity, signature) before
    the document row; after_write(conn, doc_id) once every row is written (indexing); setup(conn)
    once when the knowledge base is opened (backend extras such as full-text tables)."""
    resolve: Resolver
    end_resolution: Callable[[Connection, bool], None] = _nothing
    syndication: Callable[[Connection, Analysis], tuple] = _no_syndication
    after_write: Callable[[Connection, str], None] = _nothing
    setup: Callable[[Connection], None] = _nothing


class KnowledgeBase:
    def __init__(self, url: str, create: bool = True, hooks: WriteHooks | None = None) -> None:
        self.url = normalise_url(url)
        self.hooks = hooks
        self.engine = make_engine(self.url)
        if create:
            self.create()

    # ---- lifecycle --------------------------------------------------------------------------
    def create(self) -> None:
        for attempt in range(5):
            try:
                return self._create()
            except StoreError as exc:
                if "locked" not in exc.message or attempt == 4:
                    raise
                time.sleep(0.2 * (attempt + 1))

    def _create(self) -> None:
        try:
            with self.engine.begin() as conn:
                if conn.dialect.name == "postgresql":  # concurrent first runs must not race on DDL
                    conn.execute(text("SELECT pg_advisory_xact_lock(7261998)"))
                elif conn.dialect.name == "sqlite":  # the same on SQLite: take the write lock before DDL
                    conn.exec_driver_sql("BEGIN IMMEDIATE")
                S.metadata.create_all(conn)
                found = conn.execute(select(S.meta.c.value).where(S.meta.c.key == "schema_version")).scalar()
                if found is None:
                    try:
                        with conn.begin_nested():
                            conn.execute(insert(S.meta).values(key="schema_version", value=S.SCHEMA_VERSION))
                    except IntegrityError:
                        pass
                elif found != S.SCHEMA_VERSION:
                    raise StoreError("E405", url=self.url, found=found, expected=S.SCHEMA_VERSION)
                timeplace.backfill(conn)  # events stored before event_times existed: placed once
            self._after_create()
        except OperationalError as exc:
            raise StoreError("E401", url=self.url, reason=str(exc.orig).splitlines()[0]) from None

    def _after_create(self) -> None:
        """Backend extras (full-text indexes) come with the hooks, from the query layer."""
        if self.hooks is not None:
            with self.engine.begin() as conn:
                self.hooks.setup(conn)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "KnowledgeBase":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- writes -------------------------------------------------------------------------------
    def has_document(self, doc_id: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(S.documents.c.id).where(S.documents.c.id == doc_id)).first() is not None

    def record_failure(self, source: str, code: str, message: str) -> None:
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(S.failures).values(source=source, code=code, message=message))
        except SQLAlchemyError as exc:  # a failure log must not fail the run
            log.warning("could not record failure for %s: %s", source, exc)

    def save(self, analysis: Analysis, resolver: Resolver | None = None) -> SaveResult:
        """Store one analysed document in one transaction; already stored -> stored=False.
        `resolver` replaces the hooks' resolver for this call (tests, benchmarks)."""
        from wirescope.store.writer import write_analysis

        hooks = self.hooks
        if hooks is None:
            if resolver is None:
                raise StoreError("E406", url=self.url)
            hooks = WriteHooks(resolve=resolver)
        elif resolver is not None:
            hooks = replace(hooks, resolve=resolver)
        doc_id = analysis.document.id
        for attempt in range(3):
            try:
                with self.engine.begin() as conn:
                    if conn.dialect.name == "postgresql":
                        # serialise writers on resolution so two processes never create one actor twice
                        conn.execute(text("SELECT pg_advisory_xact_lock(7261999)"))
                    else:
                        conn.exec_driver_sql("SELECT 1")
                    if conn.execute(select(S.documents.c.id).where(S.documents.c.id == doc_id)).first():
                        return SaveResult(doc_id, stored=False)
                    duplicate_of = write_analysis(conn, analysis, hooks)
                return SaveResult(doc_id, stored=True, duplicate_of=duplicate_of)
            except IntegrityError as exc:
                # another writer stored the same document between our check and our insert
                if self.has_document(doc_id):
                    return SaveResult(doc_id, stored=False)
                if attempt == 2:  # not a race: the analysis itself breaks a constraint
                    raise StoreError("E402", document=analysis.document.source or doc_id,
                                     reason=str(exc.orig).splitlines()[0]) from None
            except OperationalError as exc:
                if "locked" in str(exc).lower() and attempt < 2:
                    continue
                raise StoreError("E402", document=analysis.document.source or doc_id,
                                 reason=str(exc.orig).splitlines()[0]) from None
            except SQLAlchemyError as exc:
                raise StoreError("E402", document=analysis.document.source or doc_id,
                                 reason=str(exc).splitlines()[0]) from None
            except StoreError:
                raise
            except Exception as exc:  # a bug in a resolver must cost this document only, never the run
                log.debug("save failed", exc_info=True)
                reason = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
                raise StoreError("E402", document=analysis.document.source or doc_id, reason=reason) from exc
        return SaveResult(doc_id, stored=False)

    # ---- reads used by the CLI summary (everything else is in wirescope.query) -----------------
    def counts(self) -> dict[str, int]:
        tables = {"documents": S.documents, "actors": S.kb_entities, "statements": S.statements,
                  "relations": S.relations, "events": S.events, "times": S.times, "failures": S.failures}
        out = {}
        with self.engine.connect() as conn:
            for name, table in tables.items():
                q = select(func.count()).select_from(table)
                if table is S.kb_entities:
                    q = q.where(S.kb_entities.c.merged_into.is_(None))
                out[name] = conn.execute(q).scalar_one()
        return out
