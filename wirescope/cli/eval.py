"""`wirescope eval`: score the pipeline against gold data and print precision / recall / F1 tables."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from wirescope.errors import UsageError
from wirescope.eval import KINDS

FORMATS = ("text", "json")


HELP = """Score wirescope against gold data: precision / recall / F1 tables.

The gold format is detected from PATH (use --kind to force it):

\b
gold      NAME.gold.json, an analyst's gold for one article (the format of
          ../shared/seed/*.gold.json; its text_file is read from beside it and
          analysed with its `published` date), or a folder of them. Prints check
          recall per category (entity, time, statement, relation, event) and
          relation+event precision.
          Example: wirescope eval ../shared/seed/000_1aa4f263d7f3497b.gold.json
\b
timeml    TimeML .tml files (a file or a folder): TIMEX3 spans and values against
          each document's creation time. Strict and relaxed span F1, value
          accuracy, value F1 (= relaxed F1 x value accuracy, as in TempEval-3).
          Example: wirescope eval corpus/timebank/ --kind timeml
\b
meantime  MEANTIME (NewsReader) XML, a file or a folder: named-mention detection
          (PER/ORG/LOC proper names, exact and overlap span P/R/F1),
          in-document coreference (B-cubed over the gold mentions we detect) and
          TIMEX3 value F1. Only the annotated first sentences are scored.
          Example: wirescope eval ../shared/data/meantime-en
\b
plover    PLOVER gold-standard records (a JSON array of event records):
          event-type accuracy and source-actor match per sentence.
          Example: wirescope eval ../shared/data/plover-gsr-cameo/plover_gsr_cameo.dev.json
\b
brat      brat standoff attribution: a folder of NAME.txt + NAME.ann with
          Source / Cue / Content spans. Content P/R/F1 at 50% overlap, speaker
          and cue accuracy on matched statements.
          Example: wirescope eval bench/data/attribution

--format json prints one JSON object (kind, documents, metrics, tables, details) for scripts.
"""


def _out() -> Console:
    console = Console(highlight=False, soft_wrap=False)
    if not console.is_terminal:  # piped: wide enough for the tables
        console = Console(highlight=False, soft_wrap=False, width=int(os.environ.get("COLUMNS") or 160))
    return console


def _cell(value: object) -> Text:
    if isinstance(value, float):
        return Text(f"{value:.3f}")
    return Text("" if value is None else str(value))


def render(report, out: Console) -> None:
    """A report as rich tables: a title line, one table per EvalTable, warnings last."""
    plural = "" if report.documents == 1 else "s"
    out.print(Text(f"{report.kind}: {report.path} ({report.documents} document{plural})", style="bold"))
    for t in report.tables:
        if not t.rows:
            continue
        table = Table(title=t.title, title_justify="left")
        for i, column in enumerate(t.columns):
            table.add_column(column, justify="left" if isinstance(t.rows[0][i], str) else "right")
        for row in t.rows:
            table.add_row(*(_cell(v) for v in row))
        out.print(table)
    headline = "  ".join(f"{k} {v:.3f}" for k, v in report.metrics.items())
    out.print(Text(headline))
    for w in report.warnings:
        out.print(Text(f"warning: {w}", style="yellow"))


def register(app: typer.Typer) -> None:
    @app.command("eval", help=HELP)
    def eval_(
        path: Path = typer.Argument(..., help="A gold file or folder (see the formats above)."),
        kind: Optional[str] = typer.Option(None, "--kind", "-k", metavar="|".join(KINDS),
                                           help="Force the gold format instead of detecting it."),
        fmt: str = typer.Option("text", "--format", "-f", help="text (tables) or json (for scripts)."),
        model: Optional[str] = typer.Option(None, "--model", help="spaCy pipeline to load (default: the installed small English model)."),
    ) -> None:
        from wirescope.cli.common import settings_from
        from wirescope.eval import Analyser, evaluate

        if fmt not in FORMATS:
            raise UsageError("E209", value=fmt, options=", ".join(FORMATS))
        report = evaluate(path, kind, Analyser(settings=settings_from(model=model)))
        if fmt == "json":
            sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, default=str) + "\n")
        else:
            render(report, _out())
