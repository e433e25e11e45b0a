"""`wirescope review`: the resolver's least certain automatic merges, for an analyst to confirm or undo.

A thin Typer command over wirescope.resolve.review; confirmations and undos are kept as the
analyst's judgements (later ingests follow them).
"""
from __future__ import annotations

from typing import Optional

import typer

from wirescope.cli.query import DB_HELP, FORMAT_HELP, Table, _analyst, _check_format, _json, _json_lines, _open, _out
from wirescope.errors import UsageError


def register(app: typer.Typer) -> None:
    @app.command()
    def review(
        limit: int = typer.Option(20, "--limit", "-n", help="How many automatic merges to list."),
        below: Optional[float] = typer.Option(None, "--below", help="Only merges that scored under this (0..1)."),
        confirm: Optional[int] = typer.Option(None, "--confirm", metavar="ID", help="Confirm this merge (its id in the list)."),
        undo: Optional[int] = typer.Option(None, "--undo", metavar="ID", help="Undo this merge (its id in the list)."),
        note: Optional[str] = typer.Option(None, "--note", help="Why, kept with the judgement."),
        by: Optional[str] = typer.Option(None, "--by", help="The analyst's name (default: WIRESCOPE_ANALYST or USER)."),
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
        fmt: str = typer.Option("text", "--format", "-f", help=FORMAT_HELP),
    ) -> None:
        """The lowest-confidence automatic merges (score and reasons), to confirm or undo one. Both
        are kept as judgements: an undone merge is not made again by later ingests, and the absorbed
        actor gets its own id back.

        Example: wirescope review --db kb.db; wirescope review --undo 42 --by lena --db kb.db
        """
        from wirescope.resolve import review as R

        _check_format(fmt)
        if confirm is not None and undo is not None:
            raise UsageError("E209", value="--confirm and --undo together", options="one of them")
        if confirm is not None or undo is not None:
            with _open(db, write=True) as conn:
                if confirm is not None:
                    result = R.confirm(conn, confirm, _analyst(by), note)
                else:
                    result = R.undo(conn, undo, _analyst(by), note)  # type: ignore[arg-type]
            if fmt == "json":
                _json(result)
            elif result["action"] == "confirm":
                _out().print(f"confirmed merge #{result['judgement']} into {result['entity']}, by {result['by']}",
                             markup=False)
            else:
                where = "its old id" if result.get("restored") else "a new actor"
                _out().print(f"undid merge #{result['judgement']}: {result.get('new') or 'nothing'} ({where}) "
                             f"is apart from {result['entity']}, by {result['by']}", markup=False)
            return
        with _open(db) as conn:
            rows = R.low_confidence(conn, limit=limit, below=below)
        if fmt == "json":
            _json_lines(rows)
            return
        out = _out()
        if not rows:
            out.print("no automatic merge to review", markup=False)
            return
        table = Table(header_style="bold")
        for col in ("id", "score", "merged", "into", "where", "reasons"):
            table.add_column(col, overflow="fold")
        for r in rows:
            where = f"{r['document']}/{r['actor']}" if r["kind"] == "attachment" else f"actor {r['absorbed']}"
            table.add_row(str(r["judgement"]), f"{r['score']:.2f}", r.get("name") or "",
                          f"{r['entity_name']} ({r['entity']})", where, "; ".join(r["reasons"]))
        out.print(table)
        out.print("confirm with --confirm ID, undo with --undo ID", markup=False)
