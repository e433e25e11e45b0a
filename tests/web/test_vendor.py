"""The install step that takes Cytoscape.js from npm (setup.py): with npm the locked file lands in
wirescope/web/static/vendor/, without it (or when it fails) the install goes on with a warning."""
from __future__ import annotations

import importlib.util
import json
import os
import stat
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def setup_module(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("wirescope_setup", ROOT / "setup.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # not __main__: setup() is not run
    (tmp_path / "package.json").write_text((ROOT / "package.json").read_text())
    (tmp_path / "package-lock.json").write_text((ROOT / "package-lock.json").read_text())
    vendor = tmp_path / "wirescope" / "web" / "static" / "vendor"
    for name, value in (("ROOT", tmp_path), ("VENDOR", vendor), ("WORK", tmp_path / "build" / "npm"),
                        ("STAMP", vendor / "cytoscape.version")):
        monkeypatch.setattr(module, name, value)
    return module


def fake_npm(folder: Path, body: str) -> Path:
    script = folder / "npm"
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def test_the_lock_pins_cytoscape_3():
    lock = json.loads((ROOT / "package-lock.json").read_text())
    version = lock["packages"]["node_modules/cytoscape"]["version"]
    assert version.startswith("3.") and lock["packages"]["node_modules/cytoscape"]["integrity"].startswith("sha512-")
    assert json.loads((ROOT / "package.json").read_text())["dependencies"]["cytoscape"] == version


def test_without_npm_the_install_warns_and_goes_on(setup_module, monkeypatch, capsys):
    monkeypatch.setattr(setup_module.shutil, "which", lambda name: None)
    assert setup_module.vendor_javascript() is False
    err = capsys.readouterr().err
    assert "WARNING: wirescope: npm was not found" in err and "server-rendered" in err
    assert not setup_module.VENDOR.exists()


def test_a_failing_npm_warns_and_goes_on(setup_module, monkeypatch, tmp_path, capsys):
    npm = fake_npm(tmp_path, "echo 'npm ERR! network unreachable' >&2\nexit 1\n")
    monkeypatch.setattr(setup_module.shutil, "which", lambda name: str(npm))
    assert setup_module.vendor_javascript() is False
    err = capsys.readouterr().err
    assert "`npm ci` failed (exit 1" in err and "network unreachable" in err


def test_npm_ci_puts_the_locked_file_in_place_once(setup_module, monkeypatch, tmp_path, capsys):
    calls = tmp_path / "calls"
    npm = fake_npm(tmp_path, f'echo "$@" >> {calls}\ntest -f package-lock.json || exit 3\n'
                             "mkdir -p node_modules/cytoscape/dist\n"
                             "echo '/* cytoscape */' > node_modules/cytoscape/dist/cytoscape.min.js\n")
    monkeypatch.setattr(setup_module.shutil, "which", lambda name: str(npm))
    assert setup_module.vendor_javascript() is True
    assert (setup_module.VENDOR / "cytoscape.min.js").read_text() == "/* cytoscape */\n"
    assert setup_module.STAMP.read_text().strip() == setup_module.locked_version()
    assert calls.read_text().split()[0] == "ci" and "--ignore-scripts" in calls.read_text()
    assert setup_module.vendor_javascript() is True  # already there for this version: npm not run again
    assert len(calls.read_text().splitlines()) == 1


def test_the_installed_file_is_the_locked_version():
    vendor = ROOT / "wirescope" / "web" / "static" / "vendor"
    if not (vendor / "cytoscape.min.js").is_file():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true and Cytoscape.js was not installed: `pip install -e .` runs npm (is npm there?)")
        pytest.skip("Cytoscape.js not installed here (npm missing when `pip install -e .` ran)")
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert (vendor / "cytoscape.version").read_text().strip() == lock["packages"]["node_modules/cytoscape"]["version"]
    head = (vendor / "cytoscape.min.js").read_bytes()[:400]
    assert b"Cytoscape Consortium" in head
    assert (vendor / "cytoscape.min.js").stat().st_size > 100_000
