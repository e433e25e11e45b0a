"""What every command shares: the stderr console, error rendering, settings, progress bars."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from rich.console import Console

from wirescope.errors import WirescopeError
from wirescope.settings import Settings, parse_date

err = Console(stderr=True, highlight=False, soft_wrap=True)
DB_HELP = "SQLAlchemy URL or SQLite path (default: WIRESCOPE_DB or sqlite:///wirescope.db)."


class State:
    debug = False


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


def count_inputs(paths: list[str]) -> int | None:
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


