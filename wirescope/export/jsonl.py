"""JSON Lines: one object per line, each with a `kind` (document, actor, alias, statement, relation, event).

Lines come kind by kind in that order; the fields of each kind are the columns of
wirescope.query.rows (relation and event rows are per document, with kb actor ids). Nothing is
held back: each row is written as it is read.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator, TextIO

from sqlalchemy.engine import Connection

from wirescope.export.base import ExportStats, Filters, Scope

KINDS = ("document", "actor", "alias", "statement", "relation", "event")


def _line(kind: str, row: dict[str, Any]) -> str:
    return json.dumps({"kind": kind, **row}, ensure_ascii=False, default=str) + "\n"


class JsonlExporter:
    name = "jsonl"
    suffix = ".jsonl"
    multi_file = False

    def write(self, conn: Connection, out: TextIO | Path, filters: Filters) -> ExportStats:
        stats = ExportStats(self.name)
        scope = Scope.resolve(conn, filters)
        sources: dict[str, Iterator[dict[str, Any]]] = {
            "document": scope.documents(conn),
            "actor": scope.actors(conn),
            "alias": scope.aliases(conn),
            "statement": scope.statements(conn),
            "relation": scope.relations(conn),
            "event": scope.events(conn),
        }
        for kind in KINDS:
            for row in sources[kind]:
                out.write(_line(kind, row))
                stats.add(kind)
        return stats
