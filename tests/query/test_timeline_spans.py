"""Intervals in the knowledge base and on the timeline (issue 18): an event over a range its report
writes ("served as mayor from 2009 to 2011") is stored with both ends and listed as one span,
ordered by its start, with its two ends' own granularities; how loosely every event is placed is
visible (`time_uncertainty`). Sentences written for these tests."""
from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import select

from wirescope.analyse.timex import tag_times
from wirescope.flow import open_kb
from wirescope.model import Analysis, Document, Entity, Event, Span
from wirescope.query.timeline import place, span_of, timeline
from wirescope.store import schema as S
from wirescope.store.timeplace import add_columns, event_span, rows_for, time_rows

SENTENCES = [
    ("Rebels held the town from 2009 to 2011.", "held", "2009"),
    ("Rebels attacked the base in March 2010.", "attacked", "2010-03"),
    ("Rebels besieged the port between March and May 2012.", "besieged", "2012-03"),
    ("Rebels shelled the airport on 4 June 2008.", "shelled", "2008-06-04"),
    ("Rebels raided villages in the week of the vote.", "raided", None),
]


def _analysis():
    text = " ".join(s for s, _, _ in SENTENCES)
    doc = Document(text, title="Rebels", published="2013-01-10", outlet="Wire")
    rebels = Entity("e1", "Northern Rebels", "group")
    rebels.mentions = [Span.of(text, 0, 6)]
    events = []
    for i, (sentence, trigger, time) in enumerate(SENTENCES):
        start = text.index(sentence)
        events.append(Event("ASSAULT", trigger, Span.of(text, start, start + len(sentence)), source="e1",
                            time=time, id=f"v{i + 1}"))
    import datetime as dt
    times = tag_times(text, dt.date(2013, 1, 10))
    for i, t in enumerate(times):
        t.id = f"t{i + 1}"
    return Analysis(doc, [rebels], [], [], events, times)


@pytest.fixture
def kb(tmp_path):
    kb = open_kb(f"sqlite:///{tmp_path}/kb.db")
    kb.save(_analysis())
    yield kb
    kb.close()


def test_interval_event_is_stored_with_both_ends_and_listed_as_a_span(kb):
    with kb.engine.connect() as conn:
        stored = {r.local_id: r for r in conn.execute(select(S.event_times))}
        rows = timeline(conn)
    assert (stored["v1"].begin_point, stored["v1"].end_point) == ("2009", "2011")
    assert (stored["v3"].begin_point, stored["v3"].end_point) == ("2012-03", "2012-05")
    assert stored["v2"].begin_point is None and stored["v4"].end_point is None
    by = {r["trigger"]: r for r in rows}
    held = by["held"]
    assert held["time"] == "2009/2011" and held["time_start"] == "2009-01-01" and held["time_end"] == "2011-12-31"
    assert held["time_span"]["begin"]["time"] == "2009" and held["time_span"]["end"]["granularity"] == "year"
    assert held["time_label"] == "2009 to 2011" and held["time_uncertainty"] is None
    besieged = by["besieged"]
    assert besieged["time_label"] == "March 2012 to May 2012" and besieged["time_end"] == "2012-05-31"
    # ordered by the start of the period: 2008-06-04, 2009/2011, 2010-03, 2012-03/2012-05, report date
    assert [r["trigger"] for r in rows] == ["shelled", "held", "attacked", "besieged", "raided"]


def test_uncertainty_is_visible(kb):
    with kb.engine.connect() as conn:
        by = {r["trigger"]: r for r in timeline(conn)}
    assert by["shelled"]["time_uncertainty"] is None
    assert by["attacked"]["time_uncertainty"] == "within March 2010"
    assert by["raided"]["time_uncertainty"] == "report date" and by["raided"]["time_from"] == "published"


def test_window_keeps_a_span_that_overlaps_it(kb):
    with kb.engine.connect() as conn:
        got = {r["trigger"] for r in timeline(conn, since="2010-06", until="2010-12")}
    assert got == {"held"}  # 2009-2011 overlaps the second half of 2010; March 2010 does not


def test_rows_for_uses_the_documents_intervals_when_given():
    analysis = _analysis()
    text = analysis.document.text
    events = [dict(local_id=e.id, type=e.type, trigger=e.trigger, source_kb="k1", target_kb=None, time=e.time,
                   start=e.evidence.start, end=e.evidence.end, evidence=e.evidence.text) for e in analysis.events]
    rows = {r["local_id"]: r for r in rows_for("d1", "2013-01-10", events, times=analysis.times)}
    assert (rows["v1"]["begin_point"], rows["v1"]["end_point"], rows["v1"]["granularity"]) == ("2009", "2011", "year")
    # an interval outside the event's evidence is not its time
    far = dict(events[1], start=text.index("Rebels attacked"), end=text.index("Rebels attacked") + 10)
    assert event_span(dict(far, time="2009"), analysis.times) is None
    stored = time_rows("d1", analysis.times)
    assert any(r["begin_point"] == "2009" and r["end_point"] == "2011" and r["type"] == "DURATION" for r in stored)


def test_a_range_that_does_not_reach_the_events_time_is_not_its_span():
    times = [dict(start=10, end=28, begin_point="2009", end_point="2011")]
    ev = dict(time="2015", start=0, end=40)
    assert event_span(ev, times) is None
    assert event_span(dict(ev, time="2011"), times) == ("2009", "2011")
    assert event_span(dict(ev, time="2011")) is None  # the store reads no text: no times, no interval


def test_place_of_an_interval_value():
    placed = place("2019-W11/2019-W13")
    assert placed["time_granularity"] == "week" and placed["time_start"] == "2019-03-11"
    assert placed["time_end"] == "2019-03-31" and placed["time_label"] == "week 11, 2019 to week 13, 2019"
    assert place("2011/2009") is None and place("2009/soon") is None
    assert span_of("2019-SU", "2019") == {"begin": {"time": "2019-SU", "granularity": "season", "label": "summer 2019"},
                                          "end": {"time": "2019", "granularity": "year", "label": "2019"}}


def test_an_older_knowledge_base_gains_the_interval_columns(tmp_path):
    path = tmp_path / "old.db"
    kb = open_kb(f"sqlite:///{path}")
    kb.close()
    con = sqlite3.connect(path)
    for table in ("times", "event_times"):
        for col in ("begin_point", "end_point"):
            con.execute(f"ALTER TABLE {table} DROP COLUMN {col}")
    con.commit()
    con.close()
    kb = open_kb(f"sqlite:///{path}")  # opening adds them back; saving and the timeline work
    kb.save(_analysis())
    with kb.engine.connect() as conn:
        assert add_columns(conn) == []
        assert {r["trigger"] for r in timeline(conn)} >= {"held", "shelled"}
    kb.close()


def test_an_older_knowledge_base_opened_read_only_is_read_without_spans(tmp_path):
    from sqlalchemy import create_engine

    path = tmp_path / "old_ro.db"
    kb = open_kb(f"sqlite:///{path}")
    kb.save(_analysis())
    kb.close()
    con = sqlite3.connect(path)
    for col in ("begin_point", "end_point"):
        con.execute(f"ALTER TABLE event_times DROP COLUMN {col}")
    con.commit()
    con.close()
    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    with engine.connect() as conn:
        rows = timeline(conn)
    engine.dispose()
    assert {r["trigger"] for r in rows} >= {"held", "shelled"}
    assert all(r["time_span"] is None for r in rows)


@pytest.fixture
def client(kb):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
    from apihelpers import make_client

    from wirescope.api.app import create_app
    from wirescope.settings import Settings

    with make_client(create_app(Settings(db_url=str(kb.engine.url)))) as c:
        yield c


def test_api_and_page_show_the_span(client):
    items = client.get("/api/timeline").json()["items"]
    held = next(r for r in items if r["trigger"] == "held")
    assert held["time"] == "2009/2011" and held["time_span"]["end"]["time"] == "2011"
    assert held["time_label"] == "2009 to 2011"
    assert next(r for r in items if r["trigger"] == "attacked")["time_uncertainty"] == "within March 2010"
    page = client.get("/timeline").text
    assert "2009 to 2011" in page and "span of years" in page and "within March 2010" in page
    assert page.index("4 June 2008") < page.index("2009 to 2011") < page.index("March 2012 to May 2012")
