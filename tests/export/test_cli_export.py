"""End to end: `wirescope ingest examples --db ...` then `wirescope export` in every format."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import pytest
import stix2

from wirescope.cli import main
from wirescope.export.plover import validate

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="module")
def examples_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("cli_export") / "kb.db"
    assert main(["ingest", str(EXAMPLES), "--db", str(db), "-q"]) == 0
    return db


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def counts(db):
    from wirescope.flow import open_kb

    kb = open_kb(f"sqlite:///{db}")
    out = kb.counts()
    kb.close()
    return out


def test_stix_from_examples(capsys, examples_db, tmp_path):
    out = tmp_path / "bundle.json"
    code, _, err = run(capsys, "export", "--format", "stix", "--db", examples_db, "--out", out)
    assert code == 0, err
    assert "exported stix" in err
    bundle = stix2.parse(out.read_text(encoding="utf-8"), allow_custom=True)
    kinds = [o.type for o in bundle.objects]
    n = counts(examples_db)
    assert kinds.count("report") == n["documents"] == len(list(EXAMPLES.glob("*.txt")))
    assert sum(kinds.count(k) for k in ("threat-actor", "identity", "location")) == n["actors"]
    assert kinds.count("note") == n["statements"]
    assert not (tmp_path / "bundle.json.partial").exists()
    # the same knowledge base exported again gives the same bytes
    code, again, _ = run(capsys, "export", "-f", "stix", "--db", examples_db, "-q")
    assert code == 0 and again == out.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt,reader", [("graphml", lambda p: nx.read_graphml(p, force_multigraph=True)),
                                        ("gexf", nx.read_gexf)])
def test_graphs_from_examples(capsys, examples_db, tmp_path, fmt, reader):
    out = tmp_path / f"g.{fmt}"
    code, _, err = run(capsys, "export", "-f", fmt, "--db", examples_db, "-o", out)
    assert code == 0, err
    graph = reader(str(out))
    assert graph.number_of_nodes() > 0 and graph.number_of_edges() > 0
    assert all(isinstance(d["relation"], str) for _, _, d in graph.edges(data=True))


def test_plover_csv_jsonl_from_examples(capsys, examples_db, tmp_path):
    n = counts(examples_db)
    code, out, err = run(capsys, "export", "-f", "plover", "--db", examples_db)
    assert code == 0, err
    records = [json.loads(line) for line in out.splitlines()]
    assert records and all(validate(r) == [] for r in records)
    assert len(records) <= n["events"]

    code, _, err = run(capsys, "export", "-f", "csv", "--db", examples_db, "--out", tmp_path / "tables")
    assert code == 0, err
    with (tmp_path / "tables" / "relations.csv").open(encoding="utf-8", newline="") as fh:
        assert len(list(csv.DictReader(fh))) == n["relations"]

    code, out, err = run(capsys, "export", "-f", "jsonl", "--db", examples_db, "--entity", "Taliban")
    assert code == 0, err
    lines = [json.loads(line) for line in out.splitlines()]
    assert {line["kind"] for line in lines} >= {"document", "actor", "relation"}
    assert any(line["kind"] == "actor" and line["name"] == "Taliban" for line in lines)


ERROR_CASES = [
    (["export", "-f", "yaml"], 2, "E209"),
    (["export", "-f", "csv"], 2, "E103"),
    (["export", "-f", "stix", "--type", "befriends"], 2, "E103"),
    (["export", "-f", "stix", "--since", "last spring"], 1, "E206"),
    (["export", "-f", "jsonl", "--entity", "Nobody Whatsoever Xq"], 1, "E403"),
]


@pytest.mark.parametrize("args,code,error", ERROR_CASES)
def test_errors(capsys, examples_db, args, code, error):
    got, out, err = run(capsys, *args, "--db", examples_db)
    assert got == code
    assert f"error [{error}]" in err
    assert out == ""


def test_out_must_fit_the_format(capsys, examples_db, tmp_path):
    code, _, err = run(capsys, "export", "-f", "stix", "--db", examples_db, "--out", tmp_path)
    assert code == 2 and "is a directory" in err
    (tmp_path / "file.txt").write_text("x")
    code, _, err = run(capsys, "export", "-f", "csv", "--db", examples_db, "--out", tmp_path / "file.txt")
    assert code == 2 and "not a directory" in err


def test_missing_database_is_an_error(capsys, tmp_path):
    code, _, err = run(capsys, "export", "-f", "jsonl", "--db", tmp_path / "none.db")
    assert code == 1 and "error [E401]" in err
    assert not (tmp_path / "none.db").exists()
