"""`wirescope export`: write the knowledge base as STIX 2.1, GraphML, GEXF, PLOVER, CSV or JSON Lines."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import List, Optional

import typer

from wirescope.errors import StoreError, UsageError
from wirescope.export import EXPORTERS, Filters, get_exporter


def register(app: typer.Typer) -> None:
    app.command(name="export")(export)


def export(
    fmt: str = typer.Option(..., "--format", "-f", help=f"One of: {', '.join(EXPORTERS)}."),
    out: Optional[Path] = typer.Option(None, "--out", "-o",
                                       help="File to write (default: stdout); for csv, a directory (one file per table)."),
    db: Optional[str] = typer.Option(None, "--db", help="SQLAlchemy URL or SQLite path (default: WIRESCOPE_DB or sqlite:///wirescope.db)."),
    entity: Optional[str] = typer.Option(None, "--entity", "-e", help="Only this actor (name or id), its relations, events and statements."),
    types: Optional[List[str]] = typer.Option(None, "--type", "-t",
                                              help="Relation type (member_of, attacks, ...) or PLOVER category (ASSAULT, ...); repeatable."),
    since: Optional[str] = typer.Option(None, "--since", metavar="YYYY-MM-DD", help="Reports published on or after this day."),
    until: Optional[str] = typer.Option(None, "--until", metavar="YYYY-MM-DD", help="Reports published on or before this day."),
    min_sources: int = typer.Option(0, "--min-sources", min=0, help="Relations backed by at least this many independent sources."),
    query: Optional[str] = typer.Option(None, "--query", "-s", metavar="WORDS",
                                        help="What `wirescope search WORDS` finds: the matching documents (with their syndicated copies), what they hold, and the actors matched by name."),
    outlet: Optional[str] = typer.Option(None, "--outlet", help="With --query: documents from this outlet."),
    published: Optional[str] = typer.Option(None, "--published", metavar="YYYY[-MM]", help="With --query: documents published in this year or month."),
    actor_type: Optional[str] = typer.Option(None, "--actor-type", help="With --query: the actors matched by name of this type."),
    documents: Optional[List[str]] = typer.Option(None, "--document", "-d", help="Only this document (id); repeatable."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No summary on stderr."),
) -> None:
    """Export the knowledge base for other tools, streaming (a large knowledge base in bounded memory).

    Examples:

      wirescope export -f stix --db kb.db -o bundle.json

      wirescope export -f graphml --db kb.db --min-sources 2 -o actors.graphml

      wirescope export -f csv --db kb.db --out tables/

      wirescope export -f plover --db kb.db --type ASSAULT --since 2021-01-01 > events.jsonl

      wirescope export -f stix --db kb.db --query "safe haven" --outlet Reuters -o haven.json
    """
    from wirescope.cli.common import err, settings_from
    from wirescope.settings import parse_date
    from wirescope.flow import open_kb

    exporter = get_exporter(fmt)
    filters = Filters(
        entity=entity or None, types=tuple(types or ()),
        since=parse_date(since, where="--since").isoformat() if since else None,
        until=parse_date(until, where="--until").isoformat() if until else None,
        min_sources=min_sources, query=query, outlet=outlet or None, published=_month(published),
        actor_type=actor_type or None, documents=tuple(documents or ()),
    )
    if exporter.multi_file and out is None:
        raise UsageError("E103", name="--out", value=None,
                         reason=f"{exporter.name} writes one file per table: give --out DIRECTORY")
    if exporter.multi_file and out is not None and out.exists() and not out.is_dir():
        raise UsageError("E103", name="--out", value=str(out), reason="exists and is not a directory")
    if not exporter.multi_file and out is not None and out.is_dir():
        raise UsageError("E103", name="--out", value=str(out),
                         reason=f"is a directory; {exporter.name} writes one file (give a file name)")
    settings = settings_from(db=db)
    _check_exists(settings.db_url)
    kb = open_kb(settings.db_url)
    try:
        with kb.engine.connect() as conn:
            if exporter.multi_file:
                stats = exporter.write(conn, out, filters)
            elif out is None:
                stats = exporter.write(conn, sys.stdout, filters)
                sys.stdout.flush()
            else:
                stats = _write_file(exporter, conn, out, filters)
    finally:
        kb.close()
    if not quiet:
        where = f" to {out}" if out is not None else ""
        err.print(f"exported {stats.summary()}{where}", markup=False)
        for note in stats.notes:
            err.print(f"note: {note}", markup=False)


def _month(value: Optional[str]) -> Optional[str]:
    import re

    if not value:
        return None
    if not re.fullmatch(r"\d{4}(-\d{2})?", value.strip()):
        raise UsageError("E103", name="--published", value=value, reason="give a year (2021) or a month (2021-03)")
    return value.strip()


def _write_file(exporter, conn, out: Path, filters: Filters):
    """Write next to the target and rename at the end: a failed export leaves no half file."""
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8", newline="\n") as fh:
            stats = exporter.write(conn, fh, filters)
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    return stats


def _check_exists(url: str) -> None:
    from wirescope.store.kb import normalise_url

    url = normalise_url(url)
    if url.startswith("sqlite:///") and ":memory:" not in url:
        path = Path(url[len("sqlite:///"):])
        if not path.exists():
            raise StoreError("E401", url=url, reason="no such database file (build one with `wirescope ingest`)")
