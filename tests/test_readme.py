"""The README stays honest: its command reference is the CLI's own help, its links resolve, and its
two commands are the ones CI runs."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_command_reference_is_current():
    from wirescope.clidoc import END, START, block
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    current = START + text.split(START, 1)[1].split(END, 1)[0] + END
    assert current == block(), "run: python -m wirescope.clidoc --write"


def test_links_resolve():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#]+)\)", text):
        if "://" not in target:
            assert (ROOT / target).exists(), target


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = "pip install -e '.[test]' && python -m pytest -q"
    assert command in readme
    assert command in ci
    assert "pip install -e . && wirescope demo" in readme


def test_every_command_is_in_the_reference():
    from wirescope.cli import app
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in app.registered_commands:
        assert f"### wirescope {command.name or command.callback.__name__}" in text


def test_quality_table_is_the_generated_one():
    import sys
    sys.path.insert(0, str(ROOT))
    from bench.gate import QUALITY_END, QUALITY_START, readme_block
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    current = QUALITY_START + text.split(QUALITY_START, 1)[1].split(QUALITY_END, 1)[0] + QUALITY_END
    assert current == readme_block((ROOT / "docs" / "quality.md").read_text(encoding="utf-8"))
