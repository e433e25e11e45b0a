"""Fixtures for the query tests: the annotated corpus of tests/data/kb in SQLite and PostgreSQL."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "data" / "kb"))
import corpus  # noqa: E402


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def kb(request, tmp_path_factory):
    """The annotated corpus, read-only, on each backend (PostgreSQL in a throwaway schema)."""
    drop = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('query')}/kb.db"
    else:
        found = corpus.pg_schema_url("ws_query")
        if found is None:
            pytest.skip("no PostgreSQL server (set WIRESCOPE_TEST_PG to its URL)")
        url, drop = found
    store = corpus.build(url)
    yield store
    store.close()
    if drop:
        drop()


@pytest.fixture
def conn(kb):
    with kb.engine.connect() as c:
        yield c


@pytest.fixture
def writable_kb(tmp_path):
    """A private SQLite copy of the corpus that a test may change."""
    store = corpus.build(f"sqlite:///{tmp_path}/kb.db")
    yield store
    store.close()


@pytest.fixture(scope="session")
def doc_ids():
    return {name[:2]: corpus.analysis_of(name).document.id for name in corpus.ARTICLES}
