"""CSV: one file per table with stable columns, written row by row into a directory.

Files: documents.csv, actors.csv, aliases.csv, statements.csv, relations.csv (one row per document
sentence of evidence, with kb actor ids on both ends), events.csv. Columns are the column lists of
wirescope.query.rows, in that order, so a reader can rely on them across versions. Empty cells mean
"unknown"; booleans are `true`/`false`; structured values (an anonymous source's descriptor) are
JSON.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any, Iterable, TextIO

from sqlalchemy.engine import Connection

from wirescope.export.base import ExportStats, Filters, Scope
from wirescope.query import rows as R

TABLES: dict[str, tuple[str, ...]] = {
    "documents": R.DOCUMENT_COLUMNS,
    "actors": R.ACTOR_COLUMNS,
    "aliases": R.ALIAS_COLUMNS,
    "statements": R.STATEMENT_COLUMNS,
    "relations": R.RELATION_COLUMNS,
    "events": R.EVENT_COLUMNS,
}


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def write_table(fh: TextIO, columns: tuple[str, ...], items: Iterable[dict[str, Any]]) -> int:
    writer = csv.writer(fh, lineterminator="\n")
    writer.writerow(columns)
    n = 0
    get = None
    for item in items:  # plain text as it is (most cells), everything else through cell()
        get = item.get
        writer.writerow([v if v.__class__ is str else cell(v) for v in map(get, columns)])
        n += 1
    return n


class CsvExporter:
    name = "csv"
    suffix = ""
    multi_file = True

    def write(self, conn: Connection, out: Path, filters: Filters) -> ExportStats:
        stats = ExportStats(self.name)
        scope = Scope.resolve(conn, filters)
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        sources = {
            "documents": lambda: scope.documents(conn),
            "actors": lambda: scope.actors(conn),
            "aliases": lambda: scope.aliases(conn),
            "statements": lambda: scope.statements(conn),
            "relations": lambda: scope.relations(conn),
            "events": lambda: scope.events(conn),
        }
        for table, columns in TABLES.items():
            with (out / f"{table}.csv").open("w", encoding="utf-8", newline="") as fh:
                stats.add(table, write_table(fh, columns, sources[table]()))
        return stats
