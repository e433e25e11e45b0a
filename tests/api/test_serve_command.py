"""`wirescope serve`: registered in the CLI, refuses writes without a token, never binds on error."""
from __future__ import annotations

import pytest

from wirescope.cli import main


def test_serve_help_lists_its_options(capsys):
    assert main(["serve", "--help"]) == 0
    out = capsys.readouterr().out
    for option in ("--db", "--host", "--port", "--public", "--allowed-host", "--allow-writes", "--token-name",
                   "--max-body"):
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


LONG_TOKEN = "k" * 32


@pytest.fixture()
def no_server(monkeypatch):
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: pytest.fail("must not start"))


@pytest.fixture()
def started(monkeypatch):
    import uvicorn

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append((app, kw)))
    return calls


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.5", "kb.example.org", "10.0.0.1"])
def test_serve_refuses_a_public_bind_without_public(tmp_path, no_server, capsys, host):
    assert main(["serve", "--db", str(tmp_path / "kb.db"), "--host", host]) == 2
    err = capsys.readouterr().err
    assert "error [E507]" in err and "--public" in err
    hint = next(line for line in err.splitlines() if line.startswith("hint:"))
    assert host not in hint  # nothing the user typed is echoed into the hint
    assert not (tmp_path / "kb.db").exists()  # refused before the knowledge base was opened


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_loopback_binds_need_no_public(tmp_path, started, host):
    assert main(["serve", "--db", str(tmp_path / "kb.db"), "--host", host]) == 0
    assert started[0][1]["host"] == host


@pytest.mark.parametrize("token", ["short", "x" * 31])
def test_serve_refuses_public_writes_with_a_short_token(tmp_path, monkeypatch, no_server, capsys, token):
    monkeypatch.setenv("WIRESCOPE_TOKEN", token)
    code = main(["serve", "--db", str(tmp_path / "kb.db"), "--host", "0.0.0.0", "--public", "--allow-writes"])
    assert code == 1
    err = capsys.readouterr().err
    assert "error [E508]" in err and f"{len(token)} characters" in err and "at least 32" in err
    assert token not in err  # the token itself is never printed
    assert not (tmp_path / "kb.db").exists()


def test_serve_public_writes_with_a_long_token(tmp_path, monkeypatch, started, capsys):
    monkeypatch.setenv("WIRESCOPE_TOKEN", LONG_TOKEN)
    assert main(["serve", "--db", str(tmp_path / "kb.db"), "--host", "0.0.0.0", "--public", "--allow-writes",
                 "--allowed-host", "kb.example.org", "--token-name", "desk-7"]) == 0
    (app, kw), = started
    assert kw["host"] == "0.0.0.0" and kw["server_header"] is False
    state = app.state.ws
    assert state.allow_writes and state.identity == "desk-7"
    assert state.hosts == {"127.0.0.1", "localhost", "::1", "kb.example.org"}
    err = capsys.readouterr().err
    assert "warning: listening on 0.0.0.0" in err and "writes enabled" in err and LONG_TOKEN not in err


def test_serve_public_read_only_needs_no_token(tmp_path, monkeypatch, started, capsys):
    monkeypatch.delenv("WIRESCOPE_TOKEN", raising=False)
    assert main(["serve", "--db", str(tmp_path / "kb.db"), "--host", "0.0.0.0", "--public"]) == 0
    err = capsys.readouterr().err
    assert "--allowed-host" in err  # a wildcard bind answers loopback names only: say so


def test_serve_with_a_short_token_on_loopback_is_fine(tmp_path, monkeypatch, started):
    monkeypatch.setenv("WIRESCOPE_TOKEN", "short")
    assert main(["serve", "--db", str(tmp_path / "kb.db"), "--allow-writes"]) == 0


def test_serve_answers_only_its_host_names(tmp_path, started):
    from apihelpers import make_client

    assert main(["serve", "--db", str(tmp_path / "kb.db"), "--host", "10.1.2.3", "--public"]) == 0
    (app, _), = started
    with make_client(app) as c:
        assert c.get("/api/health", headers={"host": "10.1.2.3:8000"}).status_code == 200
        assert c.get("/api/health", headers={"host": "rebound.example"}).status_code == 400


@pytest.mark.parametrize("args, code", [(["--allowed-host", "not a host"], "E103"),
                                        (["--allowed-host", "http://x.org/"], "E103"),
                                        (["--token-name", "two words"], "E103")])
def test_serve_refuses_bad_names(tmp_path, no_server, capsys, args, code):
    status = main(["serve", "--db", str(tmp_path / "kb.db"), *args])
    assert status in (1, 2)
    err = capsys.readouterr().err
    assert f"error [{code}]" in err
    hint = next(line for line in err.splitlines() if line.startswith("hint:"))
    assert args[1] not in hint


def test_serve_masks_a_database_password(monkeypatch, started, capsys):
    class FakeKB:
        def counts(self):
            return {"documents": 0, "actors": 0}

    monkeypatch.setattr("wirescope.flow.open_kb", lambda url, **kw: FakeKB())
    assert main(["serve", "--db", "postgresql+psycopg://analyst:hunter2@db.internal/kb"]) == 0
    err = capsys.readouterr().err
    assert "hunter2" not in err and "analyst:***@db.internal" in err
