"""PLOVER JSON Lines: every record validates against the manual's field lists."""
from __future__ import annotations

import io
import json

import pytest

from wirescope.export import Filters, get_exporter
from wirescope.export.plover import ACTOR_FIELDS, CITE_FIELDS, FIELDS, REQUIRED, record, validate
from wirescope.flow import open_kb


def export(url: str, filters: Filters = Filters()):
    kb = open_kb(url)
    buf = io.StringIO()
    with kb.engine.connect() as conn:
        stats = get_exporter("plover").write(conn, buf, filters)
    kb.close()
    return [json.loads(line) for line in buf.getvalue().splitlines()], stats


@pytest.fixture(scope="module")
def lines(kb_url):
    return export(kb_url)


# field names of the PLOVER manual ("JSON Data Fields" chapter) that we rely on
@pytest.mark.parametrize("name", ["id", "date", "source", "recipient", "event", "event_loc", "event_text",
                                  "quad_code", "mode", "text", "text_info", "cite_info", "coder"])
def test_field_list_has_the_manual_names(name):
    assert name in FIELDS


def test_required_fields_and_nested_field_lists():
    assert set(REQUIRED) == {"id", "date", "source", "event"}
    assert {"actor_text", "code", "sector"} <= set(ACTOR_FIELDS)
    assert {"url", "title", "publication", "coder"} <= set(CITE_FIELDS)


def test_every_line_validates(lines):
    records, _ = lines
    assert records
    for rec in records:
        assert validate(rec) == [], rec


def test_what_is_written_and_what_is_left_out(lines):
    records, stats = lines
    by_event = {r["event"][0]: r for r in records}
    # three events have a date (own or the report's) and a source; RETREAT's report has no date
    assert set(by_event) == {"ASSAULT", "CONSULT", "REJECT"}
    assert stats.counts["events without a date (left out)"] == 1
    assert len({r["id"] for r in records}) == len(records)


CASES = [
    # (event, date, source, recipient, quad, mode, location country)
    ("ASSAULT", "2021-02-10", "Ridge Brigade", "Interior Ministry", 4, ["armed attack"], "PK"),
    ("CONSULT", "2021-03-01", "Idris Varne", "Salt Front", 1, None, "PK"),  # "2021-02" is not a day: report date
    ("REJECT", "2021-02-11", "Idris Varne", None, 3, None, None),
]


@pytest.mark.parametrize("event,date,source,recipient,quad,mode,country", CASES)
def test_records(lines, event, date, source, recipient, quad, mode, country):
    rec = [r for r in lines[0] if r["event"] == [event]][0]
    assert rec["date"] == date
    assert rec["source"][0]["identifier_text"] == source
    assert (rec["recipient"][0]["identifier_text"] if "recipient" in rec else None) == recipient
    assert rec["quad_code"] == quad
    assert rec.get("mode") == mode
    assert rec.get("event_loc", {}).get("country code") == country
    assert rec["cite_info"]["url"].startswith("https://example.org/")
    assert rec["text_info"]["end"] - rec["text_info"]["start"] == len(rec["text"])  # offsets of the evidence


def test_type_filter(kb_url):
    records, _ = export(kb_url, Filters(types=("ASSAULT",)))
    assert [r["event"] for r in records] == [["ASSAULT"]]


VALIDATION_CASES = [
    ({"id": "x", "date": "2021-01-01", "source": [{"actor_text": "A"}], "event": ["AID"]}, []),
    ({"id": "x", "date": "2021-01", "source": [{"actor_text": "A"}], "event": ["AID"]}, ["date"]),
    ({"id": "x", "date": "2021-01-01", "source": [], "event": ["AID"]}, ["source"]),
    ({"id": "x", "date": "2021-01-01", "source": [{"actor_text": "A"}], "event": ["AID"], "target": []}, ["target"]),
    ({"id": "x", "date": "2021-01-01", "source": [{"name": "A"}], "event": ["AID"]}, ["name"]),
    ({"id": "x", "date": "2021-01-01", "source": [{"actor_text": "A"}], "event": ["AID"], "wirescope_x": 1}, []),
]


@pytest.mark.parametrize("rec,problems", VALIDATION_CASES)
def test_validate(rec, problems):
    found = validate(rec)
    assert len(found) == len(problems)
    for word, message in zip(problems, found):
        assert word in message


def test_record_without_any_date_is_none():
    row = {"doc_id": "d", "id": "v1", "type": "AID", "time": "2020", "published": None, "trigger": "aid",
           "evidence": "x", "start": 0, "end": 1, "source_id": "a", "source_name": "A", "source_text": "A"}
    assert record(row, {}, "test") is None
