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

    @app.command()
    def repair(
        dry_run: bool = typer.Option(False, "--dry-run", help="List what would be folded; change nothing."),
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
        fmt: str = typer.Option("text", "--format", "-f", help=FORMAT_HELP),
    ) -> None:
        """Fold the duplicate actors a knowledge base already holds: actors that share one gazetteer
        identity (a country, a known place or actor stored several times) become the oldest of them.
        Each fold is a judgement (author "repair"), listed by `wirescope review` and undone like any
        merge; a pair an analyst judged different is left apart. Running it twice finds nothing.

        Example: wirescope repair --dry-run --db kb.db; wirescope repair --db kb.db
        """
        from wirescope.resolve.repair import fold_duplicates

        _check_format(fmt)
        with _open(db, write=not dry_run) as conn:
            folds = fold_duplicates(conn, dry_run=dry_run)
        if fmt == "json":
            _json_lines(folds)
            return
        out = _out()
        if not folds:
            out.print("no duplicate actors to fold", markup=False)
            return
        verb = "would fold" if dry_run else "folded"
        for f in folds:
            out.print(f"{verb} {f['drop']} into {f['keep']} ({f['identity']})", markup=False)
        out.print(f"{len(folds)} fold(s){' (dry run: nothing changed)' if dry_run else ''}", markup=False)
