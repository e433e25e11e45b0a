"""Shared fixtures: one spaCy pipeline per test session, the shared folder, helpers."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("WIRESCOPE_SHARED", ROOT.parent / "shared"))
SEED_TEXT = SHARED / "seed" / "000_1aa4f263d7f3497b.txt"
SEED_GOLD = SHARED / "seed" / "000_1aa4f263d7f3497b.gold.json"


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.exists():
        pytest.fail(f"the shared folder is missing at {SHARED}; set WIRESCOPE_SHARED")
    return SHARED


@pytest.fixture(scope="session")
def nlp():
    from wirescope.analyse.pipeline import load_spacy

    return load_spacy(None)


@pytest.fixture(scope="session")
def pipeline(nlp):
    from wirescope.analyse.pipeline import Pipeline
    from wirescope.settings import Settings

    return Pipeline(Settings(), nlp=nlp)


@pytest.fixture(scope="session")
def analyse(pipeline):
    """analyse(text, published="2021-03-20") -> Analysis, through the full default pipeline."""
    from wirescope.model import Document

    def run(text: str, published: str | None = "2021-03-20", **meta):
        return pipeline.analyse(Document(text, published=published, **meta))

    return run


def names_of(analysis, entity_id):
    """Every name an entity goes by (name, aliases, mention texts), for assertions."""
    for e in analysis.entities:
        if e.id == entity_id:
            return {e.name, *e.aliases, *(m.text for m in e.mentions)}
    return set()
