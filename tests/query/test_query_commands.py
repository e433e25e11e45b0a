"""The knowledge-base commands end to end through the CLI entry point (SQLite file)."""
from __future__ import annotations

import json

import pytest

from wirescope.cli import main


@pytest.fixture
def db(writable_kb):
    return writable_kb.url


def run(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_relations_text_lists_speakers_and_outlets(capsys, db):
    code, out, _ = run(capsys, "relations", "Taliban", "al-Qaida", "--db", db)
    assert code == 0
    assert "Taliban -> harbors -> al-Qaeda" in out
    for expected in ("Zabihullah Mujahid", "senior Afghan intelligence official", "Eastern Wire",
                     "Continental Newswire", "syndicated copy", "against", "contradicting"):
        assert expected in out, expected


def test_relations_json_lines(capsys, db):
    code, out, _ = run(capsys, "relations", "Taliban", "al-Qaeda", "--type", "harbors", "--format", "json", "--db", db)
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(rows) == 1 and rows[0]["independent_sources"] == 2


def test_show_json_and_text(capsys, db):
    code, out, _ = run(capsys, "show", "Al-Logari", "--format", "json", "--db", db)
    profile = json.loads(out)
    assert code == 0 and profile["entity"]["name"] == "Gul Rahman Safi"
    code, out, _ = run(capsys, "show", "Abu Hafs al-Logari", "--db", db)
    assert code == 0 and "nom de guerre" in out and "Eastern Wire" in out


def test_timeline_and_search(capsys, db):
    code, out, _ = run(capsys, "timeline", "Taliban", "--db", db)
    assert code == 0 and out.index("2020-02-29") < out.index("2021-03-04")
    code, out, _ = run(capsys, "search", "al-Qaida", "--format", "json", "--db", db)
    assert code == 0 and json.loads(out)["actors"][0]["name"] == "al-Qaeda"


def test_merge_and_split_keep_history(capsys, db):
    code, out, _ = run(capsys, "merge", "Islamic State Khorasan Province", "Islamic State", "--by", "lena",
                       "--format", "json", "--db", db)
    merged = json.loads(out)
    assert code == 0 and merged["merged"] and merged["by"] == "lena"
    code, out, _ = run(capsys, "show", "Islamic State", "--format", "json", "--db", db)
    assert json.loads(out)["entity"]["id"] == merged["entity"]
    code, out, _ = run(capsys, "split", "Islamic State Khorasan Province", "--by", "lena", "--format", "json", "--db", db)
    assert code == 0 and json.loads(out)["unmerged"] == [merged["merged"]]
    code, out, _ = run(capsys, "show", "Islamic State", "--format", "json", "--db", db)
    profile = json.loads(out)
    assert profile["entity"]["id"] == merged["merged"]
    assert [j["decision"] for j in profile["judgements"]] == ["same", "different"]


def test_split_by_names(capsys, db):
    code, out, _ = run(capsys, "split", "Ashraf Ghani", "--names", "Ghani", "--by", "sam", "--db", db)
    assert code == 0 and "moved 1" in out
    code, out, _ = run(capsys, "show", "Ashraf Ghani", "--format", "json", "--db", db)
    assert len(json.loads(out)["documents"]) == 1


ERRORS = [
    (("show", "Nobody Atall"), 1, "error [E403]"),
    (("relations", "Taliban", "--format", "yaml"), 2, "error [E209]"),
]


@pytest.mark.parametrize("args,code,message", ERRORS)
def test_errors(capsys, db, args, code, message):
    got, _, err = run(capsys, *args, "--db", db)
    assert got == code and message in err


def test_missing_database_is_an_error(capsys, tmp_path):
    code, _, err = run(capsys, "show", "Taliban", "--db", str(tmp_path / "none.db"))
    assert code == 1 and "error [E401]" in err
    assert not (tmp_path / "none.db").exists()
