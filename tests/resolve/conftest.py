"""Fixtures for the resolution tests: the annotated multi-article corpus of tests/data/kb."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "data" / "kb"))
import corpus  # noqa: E402


@pytest.fixture(scope="session")
def kb_corpus(tmp_path_factory):
    """The annotated corpus in a SQLite knowledge base, ingested in file order."""
    kb = corpus.build(f"sqlite:///{tmp_path_factory.mktemp('resolve')}/kb.db")
    yield kb
    kb.close()


@pytest.fixture(scope="session")
def kb_reversed(tmp_path_factory):
    """The same corpus ingested in the reverse order."""
    kb = corpus.build(f"sqlite:///{tmp_path_factory.mktemp('resolve_rev')}/kb.db", order=corpus.ARTICLES[::-1])
    yield kb
    kb.close()


@pytest.fixture
def fresh_kb(tmp_path):
    from wirescope.flow import open_kb

    kb = open_kb(f"sqlite:///{tmp_path}/kb.db")
    yield kb
    kb.close()


@pytest.fixture(scope="session")
def corpus_module():
    return corpus
