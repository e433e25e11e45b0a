"""`wirescope watch`: follow feeds and pages, ingest what is new, until stopped."""
from __future__ import annotations

from typing import List, Optional

import typer


def register(app: typer.Typer) -> None:
    app.command("watch")(watch)


def watch(
    sources: List[str] = typer.Argument(..., metavar="FEEDS.opml|URL...",
                                        help="OPML lists of feeds (files or addresses), feed addresses, page addresses."),
    every: str = typer.Option("15m", "--every", help="Time between polls: 30s, 15m, 1h, 1h30m."),
    db: Optional[str] = typer.Option(None, "--db", help="SQLAlchemy URL or SQLite path (default: WIRESCOPE_DB or sqlite:///wirescope.db)."),
    once: bool = typer.Option(False, "--once", help="Poll once and exit (for cron)."),
    model: Optional[str] = typer.Option(None, "--model", help="spaCy pipeline to load."),
    timeout: Optional[float] = typer.Option(None, "--timeout", help="Seconds to wait for a server (default 20; WIRESCOPE_FETCH_TIMEOUT)."),
    max_bytes: Optional[int] = typer.Option(None, "--max-bytes", help="Stop downloading a page past this size (default 5,000,000; WIRESCOPE_FETCH_MAX_BYTES)."),
    max_attempts: int = typer.Option(3, "--max-attempts", min=1, help="Tries for a page that keeps failing."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Only errors and the poll summaries."),
) -> None:
    """Follow feeds: poll, ingest only what is new, remember what was seen across restarts.

    Items are recognised by address and by content, in the knowledge base's seen_items table, so a
    restarted watch ingests nothing twice. Pages that fail are reported and retried on later polls;
    the watch goes on. Ctrl-C or SIGTERM lets the current document finish storing, then exits.

    Examples:

      wirescope watch feeds.opml --db kb.db

      wirescope watch https://example.org/world.rss --every 5m --db kb.db

      wirescope watch feeds.opml --once --db kb.db   # from cron
    """
    from wirescope.analyse.pipeline import Pipeline
    from wirescope.cli.common import err, report_error, settings_from
    from wirescope.ingest.http import FetchOptions
    from wirescope.watch import Watcher, WatchOptions, parse_interval
    from wirescope.flow import open_kb

    interval = parse_interval(every)
    settings = settings_from(db=db, model=model)
    fetch = FetchOptions.from_env(timeout=timeout, max_bytes=max_bytes)

    def say(message: str) -> None:
        if not quiet or message.startswith(("poll ", "stopped", "SIG")):
            err.print(message, markup=False)

    kb = open_kb(settings.db_url, settings=settings)
    try:
        say(f"loading the analysis pipeline; knowledge base {settings.db_url}")
        pipeline = Pipeline(settings)
        watcher = Watcher(list(sources), kb, pipeline, WatchOptions(every=interval, max_attempts=max_attempts, fetch=fetch),
                          say=say, on_error=report_error)
        totals = watcher.run(once=once)
    finally:
        kb.close()
    if once and totals.items == 0 and totals.feed_errors:
        raise typer.Exit(1)  # nothing could be read at all
