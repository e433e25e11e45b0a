"""Fixtures of the analyst's pages: a read-only knowledge base of uidata.py and writable copies."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from apihelpers import make_client  # noqa: E402
from uidata import UI_TOKEN  # noqa: E402


@pytest.fixture(scope="session")
def ui_db(tmp_path_factory) -> Path:
    from uidata import ui_reports

    from wirescope.flow import open_kb

    path = tmp_path_factory.mktemp("uikb") / "kb.db"
    with open_kb(f"sqlite:///{path}") as kb:
        for analysis in ui_reports():
            kb.save(analysis)
        with kb.engine.begin() as conn:
            copies = conn.exec_driver_sql("SELECT count(*) FROM documents WHERE duplicate_of IS NOT NULL").scalar()
    assert copies == 1, "the wire copy must be stored as a syndicated copy"
    return path


@pytest.fixture(scope="session")
def ui_client(ui_db):
    from wirescope.api.app import create_app
    from wirescope.settings import Settings

    with make_client(create_app(Settings(db_url=f"sqlite:///{ui_db}"))) as c:
        yield c


@pytest.fixture()
def ui_writable(ui_db, tmp_path):
    """A writable copy of the knowledge base: (client, app)."""
    from apihelpers import never_builds

    from wirescope.api.app import create_app
    from wirescope.settings import Settings

    path = tmp_path / "w.db"
    shutil.copyfile(ui_db, path)
    app = create_app(Settings(db_url=f"sqlite:///{path}"), allow_writes=True, token=UI_TOKEN,
                     pipeline_factory=never_builds)
    with make_client(app) as c:
        yield c, app
