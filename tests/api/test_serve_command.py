"""`wirescope serve`: registered in the CLI, refuses writes without a token, never binds on error."""
from __future__ import annotations

import pytest

from wirescope.cli import main


def test_serve_help_lists_its_options(capsys):
    assert main(["serve", "--help"]) == 0
    out = capsys.readouterr().out
    for option in ("--db", "--host", "--port", "--allow-writes", "--max-body"):
        assert option in out


@pytest.mark.parametrize("env_token, code", [(None, 1), ("", 1)])
def test_serve_refuses_writes_without_token(tmp_path, monkeypatch, capsys, env_token, code):
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: pytest.fail("must not start"))
    if env_token is None:
        monkeypatch.delenv("WIRESCOPE_TOKEN", raising=False)
    else:
        monkeypatch.setenv("WIRESCOPE_TOKEN", env_token)
    assert main(["serve", "--db", str(tmp_path / "kb.db"), "--allow-writes"]) == code
    assert "E103" in capsys.readouterr().err


def test_serve_starts_uvicorn_on_loopback_by_default(tmp_path, monkeypatch, capsys):
    import uvicorn

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append((app, kw)))
    assert main(["serve", "--db", str(tmp_path / "kb.db"), "--port", "8123"]) == 0
    (app, kw), = calls
    assert (kw["host"], kw["port"]) == ("127.0.0.1", 8123)
    assert app.state.ws.allow_writes is False
    assert "read-only" in capsys.readouterr().err
