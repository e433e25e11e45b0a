"""The one path from documents to the knowledge base.

    read (ingest/) -> analyse (analyse/) -> resolve + write + index (store/, with resolve/ and
    query/search passed in as write hooks) -> record failures -> report progress

`wirescope ingest`, `wirescope demo`, the API's POST /api/documents, `wirescope watch` and the Dask
runner all store documents through `Ingest`; nothing else calls `KnowledgeBase.save`. A fix made
here (what counts as already stored, how a failure is recorded, what a syndicated copy is) holds
for every entry point.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Callable, Iterable, Iterator

from wirescope.errors import StoreError, WirescopeError
from wirescope.model import Analysis, Document
from wirescope.settings import Settings
from wirescope.store.kb import KnowledgeBase, SaveResult, WriteHooks

ErrorHandler = Callable[[WirescopeError], None]
Advance = Callable[..., None]


def write_hooks(settings: Settings | None = None) -> WriteHooks:
    """Resolution, syndication and search indexing, run by the store inside each document's
    transaction. Plain imports: a broken resolver or indexer fails loudly, never silently off.
    `settings` carries the resolver's merge threshold (else WIRESCOPE_MERGE_THRESHOLD / default)."""
    from wirescope import resolve
    from wirescope.query import search
    from wirescope.resolve import syndication

    if settings is not None:
        resolve.configure(settings)

    return WriteHooks(resolve=resolve.default_resolver, end_resolution=resolve.end_document,
                      syndication=syndication.check, after_write=search.index_document, setup=search.setup)


def open_kb(url: str, create: bool = True, settings: Settings | None = None) -> KnowledgeBase:
    """The knowledge base at `url`, with the write hooks every writer needs."""
    return KnowledgeBase(url, create=create, hooks=write_hooks(settings))


def analysed(pipeline, items: Iterable[Document | WirescopeError]) -> Iterator[Analysis | WirescopeError]:
    """Analyse readable documents in batches, keep input order, pass errors through in place."""
    batch: list = []

    def flush():
        docs = [i for i in batch if isinstance(i, Document)]
        results = iter(pipeline.analyse_many(docs, batch_size=len(docs) or 1))
        for i in batch:
            yield next(results) if isinstance(i, Document) else i

    for item in items:
        batch.append(item)
        if len(batch) >= pipeline.settings.batch_size:
            yield from flush()
            batch = []
    if batch:
        yield from flush()


def failure_source(exc: WirescopeError) -> str:
    return str(exc.params.get("path") or exc.params.get("document") or "?")


@dataclass
class Tally:
    stored: int = 0
    skipped: int = 0  # already in the knowledge base
    failed: int = 0
    syndicated: int = 0  # stored, and found to be a copy of an earlier report


class Ingest:
    """Store analysed documents in one knowledge base, counting and recording what happens.

    `on_error` sees every error (the CLI prints it, the API raises it); failures are also recorded
    in the knowledge base's failure table, so a run never loses track of a document."""

    def __init__(self, kb: KnowledgeBase, on_error: ErrorHandler | None = None,
                 on_stored: Callable[[Analysis, SaveResult], None] | None = None) -> None:
        self.kb = kb
        self.on_error = on_error or (lambda exc: None)
        self.on_stored = on_stored or (lambda analysis, result: None)
        self.tally = Tally()

    def known(self, doc: Document) -> bool:
        """True (and counted as skipped) when the document is already stored: not analysed again."""
        if self.kb.has_document(doc.id):
            self.tally.skipped += 1
            return True
        return False

    def fail(self, exc: WirescopeError, source: str | None = None) -> None:
        self.tally.failed += 1
        self.on_error(exc)
        self.kb.record_failure(source or failure_source(exc), exc.code, exc.message)

    def store(self, item: Analysis | WirescopeError) -> SaveResult | None:
        """Store one analysis (or record the error that took its place); None when it failed."""
        if isinstance(item, WirescopeError):
            self.fail(item)
            return None
        source = item.document.source or item.document.id
        try:
            result = self.kb.save(item)
        except WirescopeError as exc:
            self.fail(exc, source)
            return None
        except Exception as exc:  # noqa: BLE001 - a bug in a hook costs this document only, never the run
            self.fail(StoreError("E402", document=source, reason=f"{type(exc).__name__}: {exc}"), source)
            return None
        if result.stored:
            self.tally.stored += 1
            self.tally.syndicated += result.duplicate_of is not None
            self.on_stored(item, result)
        else:
            self.tally.skipped += 1
        return result

    def fresh(self, items: Iterable[Document | WirescopeError], advance: Advance) -> Iterator[Document | WirescopeError]:
        """Inputs minus the documents already stored (each of those advances the progress once)."""
        for item in items:
            if isinstance(item, Document) and self.known(item):
                advance()
                continue
            yield item

    def run(self, pipeline, items: Iterable[Document | WirescopeError], advance: Advance | None = None) -> Tally:
        """Analyse and store every input, in order, in this process."""
        advance = advance or (lambda n=1: None)
        for item in analysed(pipeline, self.fresh(items, advance)):
            advance()
            self.store(item)
        return self.tally

    def summary(self, db: str) -> dict:
        counts = self.kb.counts()
        return {**asdict(self.tally), "db": db, **{f"kb_{k}": v for k, v in counts.items()}}


def run_ingest(paths: list[str], settings: Settings, on_error: ErrorHandler | None = None,
               advance: Advance | None = None) -> dict:
    """Read, analyse and store `paths` in this process; the summary counts and the kb totals."""
    from wirescope.analyse.pipeline import Pipeline
    from wirescope.ingest.readers import read_inputs

    kb = open_kb(settings.db_url, settings=settings)
    try:
        flow = Ingest(kb, on_error=on_error)
        anchor = settings.published.isoformat() if settings.published else None
        flow.run(Pipeline(settings), read_inputs(paths, anchor, settings.max_chars), advance)
        return flow.summary(settings.db_url)
    finally:
        kb.close()
