"""The command line end to end: contract output, readable report, errors, idempotent ingest."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from wirescope.cli import main

ROOT = Path(__file__).resolve().parents[2]
STORY = ("KABUL (Reuters) - Taliban fighters attacked an army checkpoint in Helmand on Monday, "
         "a provincial spokesman said. \"We lost four soldiers,\" the spokesman told Reuters.\n")


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def schema_validator(shared):
    import jsonschema
    schema = json.loads((shared / "contract" / "extraction.schema.json").read_text())
    return jsonschema.Draft202012Validator(schema)


def test_extract_json_matches_the_contract(capsys, shared, tmp_path):
    seed = shared / "seed" / "000_1aa4f263d7f3497b.txt"
    code, out, err = run(capsys, "extract", str(seed), "--published", "2021-03-20", "--format", "json")
    assert code == 0, err
    lines = out.strip().splitlines()
    assert len(lines) == 1
    result = json.loads(lines[0])
    errors = list(schema_validator(shared).iter_errors(result))
    assert errors == []
    text = seed.read_text(encoding="utf-8")
    spans = [m for e in result["entities"] for m in e["mentions"]]
    spans += [s["content"] for s in result["statements"]] + [r["evidence"] for r in result["relations"]]
    spans += [e["evidence"] for e in result["events"]] + result["times"]
    assert spans
    for span in spans:
        assert text[span["start"]:span["end"]] == span["text"]
    assert result["document"]["published"] == "2021-03-20"


def test_scorer_reports_no_schema_errors(capsys, shared, tmp_path):
    seed = shared / "seed" / "000_1aa4f263d7f3497b.txt"
    code, out, _ = run(capsys, "extract", str(seed), "--published", "2021-03-20", "--format", "json")
    result = tmp_path / "seed.json"
    result.write_text(out)
    scored = subprocess.run([sys.executable, str(shared / "tools" / "score_extraction.py"),
                             str(shared / "seed" / "000_1aa4f263d7f3497b.gold.json"), str(result)],
                            capture_output=True, text=True)
    assert "schema:" not in scored.stdout and "SCHEMA ERRORS" not in scored.stdout


def test_readable_report_lists_the_actors(capsys, tmp_path):
    p = tmp_path / "story.txt"
    p.write_text(STORY)
    code, out, _ = run(capsys, "extract", str(p), "--published", "2021-03-22")
    assert code == 0
    assert "Actors" in out and "Reuters" in out and "Helmand" in out


def test_json_lines_keep_input_order_and_skip_bad_inputs(capsys, tmp_path):
    (tmp_path / "a.txt").write_text("Alpha: The minister said the talks would resume in Oslo.\n")
    (tmp_path / "empty.txt").write_text("")
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join([json.dumps({"text": "Bravo: NATO said it would withdraw."}), "{oops",
                               json.dumps({"text": "Charlie: Police arrested two men in Lyon."})]) + "\n")
    code, out, err = run(capsys, "extract", str(tmp_path / "a.txt"), str(tmp_path / "empty.txt"), str(feed),
                         "--format", "json")
    assert code == 1
    texts = [json.loads(line)["document"]["source"] for line in out.strip().splitlines()]
    assert texts == [str(tmp_path / "a.txt"), f"{feed}:1", f"{feed}:3"]
    assert "error [E202]" in err and "error [E204]" in err and "hint:" in err
    assert "Traceback" not in err


def test_unknown_format_is_a_usage_error(capsys, tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(STORY)
    code, _, err = run(capsys, "extract", str(p), "--format", "xml")
    assert code == 2 and "E209" in err and "report, json" in err


def test_bad_published_date(capsys, tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(STORY)
    code, _, err = run(capsys, "extract", str(p), "--published", "2021-02-30")
    assert code == 1 and "E206" in err and "Traceback" not in err


def test_missing_file_is_reported_and_others_still_run(capsys, tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(STORY)
    code, out, err = run(capsys, "extract", str(tmp_path / "missing.txt"), str(p), "-f", "json")
    assert code == 1 and "E201" in err
    assert len(out.strip().splitlines()) == 1


def test_stdin(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "wirescope", "extract", "-", "-f", "json", "-p", "2021-03-22"],
                          input=STORY, capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["document"]["source"] == "-"


def test_ingest_is_idempotent_and_keeps_good_documents(capsys, tmp_path):
    db = tmp_path / "kb.db"
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(STORY)
    (tmp_path / "in" / "b.txt").write_text("Doha: Negotiators from Qatar met Taliban envoys on Tuesday.\n")
    (tmp_path / "in" / "c.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    code, _, err = run(capsys, "ingest", str(tmp_path / "in"), "--db", str(db), "-p", "2021-03-22")
    assert code == 1 and "E203" in err
    con = sqlite3.connect(db)
    first = {t: con.execute(f"select count(*) from {t}").fetchone()[0]
             for t in ("documents", "doc_entities", "mentions", "kb_entities", "failures")}
    assert first["documents"] == 2 and first["failures"] == 1
    code, _, err = run(capsys, "ingest", str(tmp_path / "in" / "a.txt"), str(tmp_path / "in" / "b.txt"),
                       "--db", str(db), "-p", "2021-03-22")
    assert code == 0, err
    again = {t: con.execute(f"select count(*) from {t}").fetchone()[0]
             for t in ("documents", "doc_entities", "mentions", "kb_entities", "failures")}
    assert again == first
    assert "already present" in err


def test_a_failing_document_leaves_nothing_behind(tmp_path, analyse):
    from wirescope.flow import open_kb

    kb = open_kb(f"sqlite:///{tmp_path / 'kb.db'}")
    good = analyse(STORY)
    bad = analyse("Doha: Negotiators from Qatar met Taliban envoys on Tuesday in the Qatari capital.\n")
    calls = {"n": 0}

    def exploding(conn, entity, doc_id):
        from wirescope.resolve import default_resolver
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk on fire")
        return default_resolver(conn, entity, doc_id)

    assert kb.save(good).stored
    with pytest.raises(Exception):
        kb.save(bad, resolver=exploding)
    con = sqlite3.connect(tmp_path / "kb.db")
    for table in ("documents", "doc_entities", "mentions", "statements", "relations", "events", "times"):
        rows = con.execute(f"select count(*) from {table} where doc_id = ?",
                           (bad.document.id,)).fetchone()[0] if table != "documents" else \
            con.execute("select count(*) from documents where id = ?", (bad.document.id,)).fetchone()[0]
        assert rows == 0, table
    assert con.execute("select count(*) from documents").fetchone()[0] == 1
    assert kb.save(bad).stored  # and it can be stored cleanly afterwards


def test_help_teaches(capsys):
    code, out, _ = run(capsys, "extract", "--help")
    assert code == 0 and "--published" in out and "Examples" in out


def test_demo_builds_a_knowledge_base(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "demo")
    assert code == 0, err
    assert "stored 8 document(s)" in err
    assert "Taliban" in out
    assert (tmp_path / "wirescope-demo.db").exists()
