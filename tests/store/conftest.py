"""Store fixtures: one `kb` fixture over every backend (SQLite file, live PostgreSQL).

PostgreSQL comes from WIRESCOPE_TEST_PG (default postgresql+psycopg://postgres@127.0.0.1:5432/test).
Each test gets its own schema (ws_test_<session token>_<n>, reached through the URL's search_path
option), dropped when the test ends. When PostgreSQL is unreachable the PostgreSQL cases are
skipped, except under CI=true, where they fail: CI must exercise both backends.
"""
from __future__ import annotations

import itertools
import os
import secrets
from urllib.parse import quote

import pytest

PG_URL = os.environ.get("WIRESCOPE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BACKENDS = ["sqlite", "postgresql"]

_SESSION_TOKEN = secrets.token_hex(4)
_counter = itertools.count(1)


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def with_search_path(url: str, schema: str) -> str:
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options={quote(f'-csearch_path={schema}', safe='')}"


@pytest.fixture(scope="session")
def pg_admin():
    """An engine on the test PostgreSQL database, or skip (fail under CI) when it is unreachable."""
    from sqlalchemy import create_engine, text

    from wirescope.store.kb import normalise_url

    engine = create_engine(normalise_url(PG_URL), connect_args={"connect_timeout": 5}, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any reason it cannot be reached
        engine.dispose()
        reason = f"PostgreSQL at {PG_URL} is unreachable ({type(exc).__name__}: {str(exc).splitlines()[0]})"
        if _in_ci():
            pytest.fail(f"{reason}; CI=true requires the PostgreSQL store tests to run. "
                        "Start PostgreSQL or point WIRESCOPE_TEST_PG at one.", pytrace=False)
        pytest.skip(f"{reason}; set WIRESCOPE_TEST_PG to run the PostgreSQL store tests")
    yield engine
    # sweep anything a crashed test left behind in this session
    with engine.connect() as conn:
        left = conn.execute(text("SELECT nspname FROM pg_namespace WHERE nspname LIKE :p"),
                            {"p": f"ws_test_{_SESSION_TOKEN}_%"}).scalars().all()
        for schema in left:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture(scope="session")
def pg_schema_url(pg_admin):
    """A factory: the URL of a fresh PostgreSQL schema; every one is dropped at the end of the session."""
    from sqlalchemy import text

    def make() -> str:
        schema = f"ws_test_{_SESSION_TOKEN}_{next(_counter)}"
        with pg_admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        return with_search_path(PG_URL, schema)

    return make


@pytest.fixture(params=BACKENDS)
def kb_url(request, tmp_path):
    """A URL for an empty knowledge base on each backend (nothing created yet)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'kb.db'}"
        return
    from sqlalchemy import text

    admin = request.getfixturevalue("pg_admin")
    schema = f"ws_test_{_SESSION_TOKEN}_{next(_counter)}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield with_search_path(PG_URL, schema)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))


@pytest.fixture
def kb(kb_url):
    from wirescope.flow import open_kb

    store = open_kb(kb_url)
    try:
        yield store
    finally:
        store.close()
