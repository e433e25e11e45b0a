"""The Dask runner: analyse on many worker processes, store from one writer.

Documents are read lazily on the client, grouped into batches and sent to Dask workers, at most
`max_in_flight` batches at a time, so memory stays bounded whatever the size of the input. Each
worker builds the pipeline once (a module-level cache keyed by the settings) and analyses a batch
with `Pipeline.analyse_many` (spaCy's `nlp.pipe` underneath). The client is the only writer: it
stores each `Analysis` through `wirescope.flow.Ingest`, the same path as a serial ingest, in the
order the documents were read (`InOrder`: a batch that finishes early waits for the ones before
it), so the knowledge base is the same whatever the number of workers and the order in which they
finish: the one a single process builds from the same input. A document that cannot be read, analysed or stored is recorded as a failure; it
never stops the run.

`run_distributed` returns the same summary dict as `wirescope.flow.run_ingest`.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

from wirescope import errors as E
from wirescope.errors import StageError, WirescopeError
from wirescope.model import Analysis, Document
from wirescope.settings import Settings

log = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 16

# one Pipeline per worker process and settings; built on first use, then reused for every batch
_PIPELINES: dict[str, Any] = {}


def _settings_key(settings: Settings) -> str:
    return repr(settings)


def worker_pipeline(settings: Settings):
    """The worker's Pipeline for these settings (loaded once per process)."""
    from wirescope.analyse.pipeline import Pipeline

    key = _settings_key(settings)
    pipeline = _PIPELINES.get(key)
    if pipeline is None:
        pipeline = _PIPELINES[key] = Pipeline(settings)
    return pipeline


# ---- what travels between worker and client -----------------------------------------------------
@dataclass(slots=True)
class Failure:
    """A document's error in a form that pickles (WirescopeError subclasses need their code and
    params to be rebuilt, which plain exception pickling does not do)."""
    source: str
    kind: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, exc: WirescopeError, source: str) -> "Failure":
        params = {k: v if isinstance(v, (str, int, float, bool, type(None))) else str(v)
                  for k, v in exc.params.items()}
        return cls(source=source, kind=type(exc).__name__, code=exc.code, params=params)

    def error(self) -> WirescopeError:
        cls = getattr(E, self.kind, WirescopeError)
        try:
            return cls(self.code, **self.params)
        except Exception:  # noqa: BLE001 - an odd subclass signature: the base class will do
            return WirescopeError(self.code, **self.params)


def _source(document: Document) -> str:
    return document.source or document.id


def analyse_batch(documents: list[Document], settings: Settings) -> list[Analysis | Failure]:
    """Run on a worker: one result per document, in order; errors become Failures."""
    try:
        pipeline = worker_pipeline(settings)
    except WirescopeError as exc:  # the model is missing on this worker: every document fails
        return [Failure.of(exc, _source(d)) for d in documents]
    out: list[Analysis | Failure] = []
    try:
        for document, result in zip(documents, pipeline.analyse_many(documents, batch_size=len(documents) or 1)):
            out.append(Failure.of(result, _source(document)) if isinstance(result, WirescopeError) else result)
    except Exception:  # noqa: BLE001 - something escaped the batch: finish it one document at a time
        for document in documents[len(out):]:
            out.append(_analyse_one(pipeline, document))
    return out


def _analyse_one(pipeline, document: Document) -> Analysis | Failure:
    try:
        return pipeline.analyse(document)
    except WirescopeError as exc:
        return Failure.of(exc, _source(document))
    except Exception as exc:  # noqa: BLE001
        return Failure.of(StageError("E301", stage="pipeline", document=_source(document),
                                     reason=f"{type(exc).__name__}: {exc}"), _source(document))


def warm(settings: Settings) -> str:
    """Load the pipeline on a worker ahead of the first batch (`client.run(warm, settings)`)."""
    return worker_pipeline(settings).versions.get("spacy_model", "?")


# ---- the client side ----------------------------------------------------------------------------
def _batches(items: Iterable[Document], size: int) -> Iterator[list[Document]]:
    batch: list[Document] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def run_distributed(paths: list[str], settings: Settings, workers: int | None = None, scheduler: str | None = None,
                    batch_size: int = DEFAULT_BATCH_SIZE, max_in_flight: int | None = None,
                    on_error: Callable[[WirescopeError], None] | None = None,
                    advance: Callable[[int], None] | None = None, connect_timeout: float = 20.0) -> dict:
    """Ingest `paths` with Dask: a local cluster of `workers` processes, or the cluster at `scheduler`.

    Returns run_ingest's summary: stored, skipped, failed, syndicated, db and kb_* counts.
    `on_error` sees every error (the CLI prints it); `advance(n)` is called once per input read.
    """
    from distributed import Client, LocalCluster

    from wirescope.flow import Ingest, open_kb

    if scheduler is None and not workers:
        workers = 1
    if workers is not None and workers < 1:
        raise E.ConfigError("E103", name="workers", value=workers, reason="give at least one worker")
    batch_size = max(1, int(batch_size))
    on_error = on_error or (lambda exc: log.warning("%s", exc.render()))
    advance = advance or (lambda n=1: None)

    kb = open_kb(settings.db_url, settings=settings)
    flow = Ingest(kb, on_error=on_error)
    cluster = None
    dask_log = logging.getLogger("distributed")
    old_level = dask_log.level
    if not settings.debug:  # the scheduler's INFO chatter is not for the user
        dask_log.setLevel(logging.ERROR)
    try:
        if scheduler:
            try:
                client = Client(scheduler, timeout=connect_timeout)
            except (OSError, TimeoutError, ValueError) as exc:
                raise E.ConfigError("E103", name="--scheduler", value=scheduler,
                                    reason=f"no Dask scheduler answers there ({type(exc).__name__}: "
                                           f"{str(exc).splitlines()[0] if str(exc) else 'no reason given'})") from None
        else:
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR)
            client = Client(cluster)
        with client:
            n_workers = max(1, len(client.scheduler_info().get("workers", {})) or (workers or 1))
            limit = max_in_flight or 2 * n_workers
            _drive(client, flow, paths, settings, batch_size, limit, advance)
        return flow.summary(settings.db_url)
    finally:
        if cluster is not None:
            cluster.close()
        dask_log.setLevel(old_level)
        kb.close()


def _drive(client, flow, paths, settings, batch_size, limit, advance) -> None:
    from distributed import as_completed

    from wirescope.ingest.readers import read_inputs

    anchor = settings.published.isoformat() if settings.published else None

    def fresh() -> Iterator[Document]:
        # read lazily; unreadable inputs are recorded here, stored documents are not analysed again
        for item in flow.fresh(read_inputs(paths, anchor, settings.max_chars), advance):
            if isinstance(item, WirescopeError):
                advance(1)
                flow.fail(item)
            else:
                yield item

    pending = _batches(fresh(), batch_size)
    running = as_completed()
    in_order = InOrder()
    outstanding = 0  # batches submitted and not stored yet (running, or done and waiting their turn)

    def submit_next() -> bool:
        nonlocal outstanding
        batch = next(pending, None)
        if batch is None:
            return False
        future = client.submit(analyse_batch, batch, settings, pure=False)
        in_order.expect(future.key, [(_source(d), d.id) for d in batch])
        running.add(future)
        outstanding += 1
        return True

    def store(members: list[tuple[str, str]], results: list | BaseException) -> None:
        nonlocal outstanding
        outstanding -= 1
        if isinstance(results, BaseException):  # a worker died or the task failed: every document of it fails
            for source, _doc_id in members:
                advance(1)
                flow.fail(StageError("E301", stage="worker", document=source,
                                     reason=f"{type(results).__name__}: {results}"), source)
            return
        for result in results:
            advance(1)
            if isinstance(result, Failure):
                flow.fail(result.error(), result.source)
                continue
            flow.store(result)

    for _ in range(limit):
        if not submit_next():
            break
    for future in running:
        try:
            results = future.result()
        except Exception as exc:  # noqa: BLE001 - stored (as failures) in its turn
            results = exc
        finally:
            future.release()
        for members, ready in in_order.done(future.key, results):
            store(members, ready)
        # keep `limit` batches between reading and storing: a slow batch holds back the ones after
        # it (they wait in order), never more than that
        while outstanding < limit and submit_next():
            pass


class InOrder:
    """A reorder buffer: batches are stored in the order they were read, whatever the order in
    which the workers finish them, so that the knowledge base (actor ids, which name an actor
    keeps, every resolution decision) is the one a single process builds from the same input."""

    def __init__(self) -> None:
        self._order: list[str] = []  # keys in submission order, not yet handed out
        self._head = 0
        self._members: dict[str, list] = {}
        self._ready: dict[str, Any] = {}

    def expect(self, key: str, members: list) -> None:
        self._order.append(key)
        self._members[key] = members

    def done(self, key: str, results: Any) -> Iterator[tuple[list, Any]]:
        """Record a finished batch; yield (members, results) of every batch now due, in order."""
        self._ready[key] = results
        while self._head < len(self._order) and self._order[self._head] in self._ready:
            head = self._order[self._head]
            self._head += 1
            yield self._members.pop(head), self._ready.pop(head)
        if self._head > 1024:  # drop the keys handed out
            del self._order[:self._head]
            self._head = 0

    def __len__(self) -> int:
        """Batches waiting for an earlier one."""
        return len(self._ready)
