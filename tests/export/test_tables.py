"""CSV (one file per table) and JSON Lines (one object a line with a kind): read back, counts, filters."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from wirescope.export import Filters, get_exporter
from wirescope.export.csv_ import TABLES
from wirescope.query import rows as R
from wirescope.flow import open_kb


def export_csv(url: str, out: Path, filters: Filters = Filters()):
    kb = open_kb(url)
    with kb.engine.connect() as conn:
        stats = get_exporter("csv").write(conn, out, filters)
    kb.close()
    tables = {}
    for table in TABLES:
        with (out / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            tables[table] = (reader.fieldnames, list(reader))
    return tables, stats


def export_jsonl(url: str, filters: Filters = Filters()):
    kb = open_kb(url)
    buf = io.StringIO()
    with kb.engine.connect() as conn:
        stats = get_exporter("jsonl").write(conn, buf, filters)
    kb.close()
    return [json.loads(line) for line in buf.getvalue().splitlines()], stats


@pytest.fixture(scope="module")
def tables(kb_url, tmp_path_factory):
    return export_csv(kb_url, tmp_path_factory.mktemp("csv"))


@pytest.fixture(scope="module")
def counts(kb_url):
    kb = open_kb(kb_url)
    out = kb.counts()
    kb.close()
    return out


COLUMNS = [
    ("documents", R.DOCUMENT_COLUMNS), ("actors", R.ACTOR_COLUMNS), ("aliases", R.ALIAS_COLUMNS),
    ("statements", R.STATEMENT_COLUMNS), ("relations", R.RELATION_COLUMNS), ("events", R.EVENT_COLUMNS),
]


@pytest.mark.parametrize("table,columns", COLUMNS)
def test_csv_columns_are_stable(tables, table, columns):
    header, _ = tables[0][table]
    assert tuple(header) == columns


@pytest.mark.parametrize("table,kb_key", [("documents", "documents"), ("actors", "actors"),
                                          ("statements", "statements"), ("relations", "relations"),
                                          ("events", "events")])
def test_csv_has_every_row(tables, counts, table, kb_key):
    assert len(tables[0][table][1]) == counts[kb_key]
    assert tables[1].counts[table] == counts[kb_key]


def test_csv_values(tables, analyses):
    actors = {r["name"]: r for r in tables[0]["actors"][1]}
    assert actors["Ridge Brigade"]["documents"] == "3"
    assert actors["a senior security official"]["anonymous"] == "true"
    assert json.loads(actors["a senior security official"]["descriptor"])["rank"] == "senior"
    assert actors["Kestrel Valley"]["country"] == ""
    aliases = [(r["actor_name"], r["name"], r["how"]) for r in tables[0]["aliases"][1] if r["canonical"] == "false"]
    assert ("Ridge Brigade", "RB", "also known as") in aliases
    # evidence offsets point into the stored text
    texts = {a.document.id: a.document.text for a in analyses}
    for row in tables[0]["relations"][1]:
        assert texts[row["doc_id"]][int(row["start"]):int(row["end"])] == row["evidence"]
    for row in tables[0]["statements"][1]:
        assert texts[row["doc_id"]][int(row["start"]):int(row["end"])] == row["content"]


def test_jsonl_kinds_and_counts(kb_url, counts):
    lines, stats = export_jsonl(kb_url)
    kinds = [line["kind"] for line in lines]
    assert set(kinds) == {"document", "actor", "alias", "statement", "relation", "event"}
    assert kinds == sorted(kinds, key=["document", "actor", "alias", "statement", "relation", "event"].index)
    for kind, key in [("document", "documents"), ("actor", "actors"), ("statement", "statements"),
                      ("relation", "relations"), ("event", "events")]:
        assert kinds.count(kind) == counts[key] == stats.counts[kind]


def test_jsonl_rows_match_csv_rows(kb_url, tables):
    lines, _ = export_jsonl(kb_url)
    relations = [line for line in lines if line["kind"] == "relation"]
    assert [(r["doc_id"], r["id"]) for r in relations] == [(r["doc_id"], r["id"]) for r in tables[0]["relations"][1]]


FILTER_CASES = [
    # (filters, {table: rows expected})
    (Filters(entity="Salt Front"), {"relations": 3, "events": 1, "documents": 2, "statements": 3}),
    (Filters(entity="RB"), {"relations": 7, "events": 2, "documents": 3}),  # by alias
    (Filters(types=("operates_in", "ASSAULT")), {"relations": 2, "events": 1, "documents": 3}),
    (Filters(since="2021-03-01"), {"relations": 3, "events": 1, "documents": 1, "statements": 2}),
    (Filters(until="2021-02-28"), {"relations": 5, "events": 2, "documents": 1}),
    (Filters(min_sources=2), {"relations": 4, "events": 4}),  # allied_with and leader_of, twice each
]


@pytest.mark.parametrize("filters,expected", FILTER_CASES)
def test_filters(kb_url, tmp_path, filters, expected):
    tables, _ = export_csv(kb_url, tmp_path, filters)
    for table, n in expected.items():
        assert len(tables[table][1]) == n, table
    lines, _ = export_jsonl(kb_url, filters)
    assert sum(1 for line in lines if line["kind"] == "relation") == expected["relations"]


def test_unknown_entity_is_an_error(kb_url, tmp_path):
    from wirescope.errors import StoreError

    with pytest.raises(StoreError) as info:
        export_csv(kb_url, tmp_path, Filters(entity="Nobody At All"))
    assert info.value.code == "E403"
