"""A knowledge base of hand-built analyses (tests/api/kbdata.py) and in-process clients over it."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from apihelpers import TOKEN, make_client  # noqa: E402


@pytest.fixture(scope="session")
def kb_url(tmp_path_factory) -> str:
    from kbdata import all_reports

    from wirescope.flow import open_kb

    url = f"sqlite:///{tmp_path_factory.mktemp('apikb') / 'kb.db'}"
    with open_kb(url) as kb:
        for analysis in all_reports():
            assert kb.save(analysis).stored
    return url


@pytest.fixture(scope="session")
def ids(kb_url) -> dict[str, str]:
    """kb ids of the actors and document ids of the articles, looked up by name and title."""
    from kbdata import all_reports
    from sqlalchemy import select

    from wirescope.store import schema as S
    from wirescope.flow import open_kb

    with open_kb(kb_url) as kb, kb.engine.connect() as conn:
        out = {name: kb_id for kb_id, name in conn.execute(
            select(S.kb_entities.c.id, S.kb_entities.c.name).where(S.kb_entities.c.merged_into.is_(None)))}
    shelter, denial, malicious = all_reports()
    out.update(shelter=shelter.document.id, denial=denial.document.id, malicious=malicious.document.id)
    return out


@pytest.fixture(scope="session")
def client(kb_url):
    from wirescope.api.app import create_app
    from wirescope.settings import Settings

    with make_client(create_app(Settings(db_url=kb_url))) as c:
        yield c


@pytest.fixture()
def writable(tmp_path, pipeline):
    """A fresh writable knowledge base (the read-only one stays untouched), sharing the session's
    spaCy pipeline; returns (client, app)."""
    from kbdata import all_reports

    from wirescope.api.app import create_app
    from wirescope.settings import Settings
    from wirescope.flow import open_kb

    url = f"sqlite:///{tmp_path / 'w.db'}"
    with open_kb(url) as kb:
        for analysis in all_reports()[:2]:
            kb.save(analysis)
    app = create_app(Settings(db_url=url), allow_writes=True, token=TOKEN, pipeline_factory=lambda: pipeline)
    with make_client(app) as c:
        yield c, app
