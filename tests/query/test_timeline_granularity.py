"""The timeline shows each event time as what it is (a week as a week, a season as a season),
ordered by the start of its period, with its granularity for the page to show."""
from __future__ import annotations

import pytest

from wirescope.flow import open_kb
from wirescope.model import Analysis, Document, Entity, Event, Span
from wirescope.query.timeline import label, place, timeline

TIMES = ["2019", "2019-W11", "2019-03", "2019-Q1", "2019-SU", "2019-03-15", "2019-03-15TMO", "PRESENT_REF",
         "201", "2019-H2", "2019-W11-WE"]


@pytest.fixture
def conn(tmp_path):
    text = " ".join(f"Rebels attacked post {i}." for i in range(len(TIMES)))
    doc = Document(text, title="Raids", published="2019-06-01", outlet="Wire")
    rebels = Entity("e1", "Northern Rebels", "group")
    rebels.mentions = [Span.of(text, 0, 6)]
    events = []
    for i, value in enumerate(TIMES):
        phrase = f"Rebels attacked post {i}."
        start = text.index(phrase)
        events.append(Event("ASSAULT", f"attacked{i}", Span.of(text, start, start + len(phrase)),
                            source="e1", time=value, id=f"v{i + 1}"))
    kb = open_kb(f"sqlite:///{tmp_path}/kb.db")
    kb.save(Analysis(doc, [rebels], [], [], events))
    with kb.engine.connect() as c:
        yield c
    kb.close()


def test_each_time_keeps_its_granularity_and_order_follows_the_start(conn):
    rows = timeline(conn)
    got = [(r["time"], r["time_granularity"], r["time_start"]) for r in rows]
    assert got == [
        ("201", "decade", "2010-01-01"),
        ("2019-Q1", "quarter", "2019-01-01"),         # same start: the shorter period first
        ("2019", "year", "2019-01-01"),
        ("2019-03", "month", "2019-03-01"),
        ("2019-W11", "week", "2019-03-11"),           # a week, not the bare year 2019
        ("2019-03-15", "day", "2019-03-15"),          # the same day twice (one with a part of day)
        ("2019-03-15", "day", "2019-03-15"),
        ("2019-W11-WE", "weekend", "2019-03-16"),
        ("2019-06-01", "day", "2019-06-01"),          # PRESENT_REF: placed at publication
        ("2019-SU", "season", "2019-06-01"),
        ("2019-H2", "half", "2019-07-01"),
    ]
    assert [r["time_start"] for r in rows] == sorted(r["time_start"] for r in rows)
    week = next(r for r in rows if r["time_granularity"] == "week")
    assert week["time"] == "2019-W11" and week["time_label"] == "week 11, 2019" and week["time_end"] == "2019-03-17"
    published = next(r for r in rows if r["time_value"] == "PRESENT_REF")
    assert published["time_from"] == "published" and published["time_granularity"] == "day"


def test_window_keeps_periods_that_overlap_it(conn):
    rows = timeline(conn, since="2019-03-12", until="2019-03-31")
    got = {r["time"] for r in rows}
    # the week of 11-17 March overlaps; so do the month, the quarter, the year and the decade
    assert {"2019-W11", "2019-03", "2019-Q1", "2019", "201", "2019-03-15", "2019-W11-WE"} == got
    assert {r["time"] for r in timeline(conn, since="2019-07")} == {"2019-SU", "2019-H2", "2019", "201"}


@pytest.mark.parametrize("value,gran,text", [
    ("2019-03-15", "day", "15 March 2019"), ("2019-W11", "week", "week 11, 2019"), ("2019-03", "month", "March 2019"),
    ("2019-Q1", "quarter", "Q1 2019"), ("2019-H2", "half", "second half of 2019"), ("2019-SU", "season", "summer 2019"),
    ("2019", "year", "2019"), ("201", "decade", "the 2010s"), ("20", "century", "the 21st century"),
])
def test_place_and_label(value, gran, text):
    placed = place(value)
    assert placed["time_granularity"] == gran and placed["time_label"] == text


def test_place_rejects_values_without_a_calendar_period():
    assert place("PRESENT_REF") is None and place("P3D") is None and place("XXXX-03") is None and place(None) is None
    assert label("2019", "year", None) == "2019"
