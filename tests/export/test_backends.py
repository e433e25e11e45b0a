"""The same knowledge base on SQLite and on PostgreSQL exports to the same bytes, in every format.

PostgreSQL comes from WIRESCOPE_TEST_PG (default postgresql+psycopg://postgres@127.0.0.1:5432/test);
the test works in a schema of its own, dropped at the end, and is skipped when PostgreSQL is
unreachable (it fails under CI=true).
"""
from __future__ import annotations

import io
import os
import secrets
from pathlib import Path
from urllib.parse import quote

import pytest

from wirescope.export import EXPORTERS, Filters, get_exporter
from wirescope.flow import open_kb
from wirescope.store.kb import normalise_url

PG_URL = os.environ.get("WIRESCOPE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="module")
def pg_kb_url(analyses):
    from sqlalchemy import create_engine, text

    admin = create_engine(normalise_url(PG_URL), connect_args={"connect_timeout": 5}, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any reason it cannot be reached
        admin.dispose()
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"PostgreSQL at {PG_URL} is unreachable: {exc}", pytrace=False)
        pytest.skip(f"PostgreSQL at {PG_URL} is unreachable")
    schema = f"ws_export_{secrets.token_hex(4)}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{PG_URL}{'&' if '?' in PG_URL else '?'}options={quote(f'-csearch_path={schema}', safe='')}"
    try:
        kb = open_kb(url)
        for analysis in analyses:
            kb.save(analysis)
        kb.close()
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def export_all(url: str, fmt: str, filters: Filters, tmp: Path):
    kb = open_kb(url)
    try:
        with kb.engine.connect() as conn:
            exporter = get_exporter(fmt)
            if exporter.multi_file:
                exporter.write(conn, tmp, filters)
                return {p.name: p.read_text(encoding="utf-8") for p in sorted(tmp.iterdir())}
            buf = io.StringIO()
            exporter.write(conn, buf, filters)
            return buf.getvalue()
    finally:
        kb.close()


@pytest.mark.pg
@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
@pytest.mark.parametrize("filters", [Filters(), Filters(entity="Salt Front", min_sources=1)])
def test_sqlite_and_postgresql_export_the_same(pg_kb_url, kb_url, fmt, filters, tmp_path):
    lite = export_all(kb_url, fmt, filters, tmp_path / "lite")
    pg = export_all(pg_kb_url, fmt, filters, tmp_path / "pg")
    assert lite and lite == pg
