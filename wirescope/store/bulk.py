"""Many rows into one table in one statement.

SQLite takes them as an executemany of the table's INSERT (in process: no round trips to save).
PostgreSQL takes them as one `INSERT ... SELECT FROM unnest(<one array per column>)`: one round
trip and one statement whatever the number of rows, where an executemany costs a statement per row
(psycopg's pipeline) and a sizeable share of a document's write time. Values are stored as the
table's own INSERT would store them (JSON columns serialised the same way, None as JSON null).
"""
from __future__ import annotations

import json
from functools import lru_cache

from sqlalchemy import JSON, Table, insert, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

PG_MIN_ROWS = 2  # fewer rows: a plain INSERT


def insert_rows(conn: Connection, table: Table, rows: list[dict], ignore_conflicts: bool = False) -> None:
    """INSERT every row (dicts with the same keys); `ignore_conflicts`: rows that break a unique
    index are skipped (ON CONFLICT DO NOTHING)."""
    if not rows:
        return
    if conn.dialect.name == "postgresql" and len(rows) >= PG_MIN_ROWS:
        columns = tuple(rows[0])
        stmt, json_cols = _pg_unnest(table, columns, ignore_conflicts)
        params = {}
        for i, col in enumerate(columns):
            values = [r[col] for r in rows]
            params[f"c{i}"] = [json.dumps(v) for v in values] if col in json_cols else values
        conn.execute(stmt, params)
        return
    if ignore_conflicts:
        if conn.dialect.name == "postgresql":
            stmt = postgresql.insert(table).on_conflict_do_nothing()
        elif conn.dialect.name == "sqlite":
            stmt = sqlite.insert(table).on_conflict_do_nothing()
        else:
            stmt = insert(table).prefix_with("IGNORE")
    else:
        stmt = insert(table)
    conn.execute(stmt, rows)


@lru_cache(maxsize=256)
def _pg_unnest(table: Table, columns: tuple[str, ...], ignore_conflicts: bool):
    dialect = postgresql.dialect()
    json_cols = {c for c in columns if isinstance(table.c[c].type, JSON)}
    arrays, picks = [], []
    for i, col in enumerate(columns):
        kind = "TEXT" if col in json_cols else table.c[col].type.compile(dialect)
        arrays.append(f"CAST(:c{i} AS {kind}[])")
        picks.append(f"u.c{i}::json" if col in json_cols else f"u.c{i}")
    names = ", ".join(f'"{c}"' for c in columns)
    aliases = ", ".join(f"c{i}" for i in range(len(columns)))
    sql = (f'INSERT INTO "{table.name}" ({names}) SELECT {", ".join(picks)} '
           f'FROM unnest({", ".join(arrays)}) AS u({aliases})')
    if ignore_conflicts:
        sql += " ON CONFLICT DO NOTHING"
    return text(sql), frozenset(json_cols)
