"""The timeline pages, sorts, de-duplicates and counts in SQL: a page is the same slice of the whole
ordered timeline, the total is its length, syndicated copies and repeats are listed once, and no
query reads the events table whole."""
from __future__ import annotations

import pytest
from sqlalchemy import delete, event, select

from wirescope.flow import open_kb
from wirescope.model import Analysis, Document, Entity, Event, Span
from wirescope.query.timeline import timeline, timeline_page
from wirescope.store import schema as S

TIMES = ["2019-03-15", "2019-W11", "2019", "PRESENT_REF", "2018-Q4", "2019-SU", None, "2019-03", "201", "2019-03-15"]


def story(i: int, outlet: str = "Wire", extra: str = "", published: str = "2019-06-01") -> Analysis:
    phrases = [f"Rebels attacked post {i}-{n}." for n in range(len(TIMES))]
    text = " ".join(phrases) + extra
    doc = Document(text, title=f"Raids {i}", published=published, outlet=outlet)
    rebels = Entity("e1", "Northern Rebels", "group")
    army = Entity("e2", "Southern Army", "organization")
    rebels.mentions = [Span.of(text, 0, 6)]
    army.mentions = [Span.of(text, 7, 15)]
    events = []
    for n, value in enumerate(TIMES):
        start = text.index(phrases[n])
        # the last two events repeat an earlier one of the report (same type, trigger, actors, time)
        trigger = "attacked" if n in (0, len(TIMES) - 1) else f"attacked{n}"
        events.append(Event("ASSAULT", trigger, Span.of(text, start, start + len(phrases[n])), source="e1",
                            target="e2" if n % 2 and n != len(TIMES) - 1 else None, time=value, id=f"v{n + 1}"))
    return Analysis(doc, [rebels, army], [], [], events)


@pytest.fixture
def kb(tmp_path):
    store = open_kb(f"sqlite:///{tmp_path}/kb.db")
    for i in range(6):
        store.save(story(i, published=f"2019-0{1 + i}-01"))
    yield store
    store.close()


def test_pages_are_slices_of_the_whole_ordered_timeline(kb):
    with kb.engine.connect() as conn:
        whole = timeline(conn, limit=10_000)
        starts = [(r["time_start"] or "9999", r["time_end"] or "9999", r["published"] or "", r["doc_id"],
                   r["evidence"]["start"]) for r in whole]
        assert starts == sorted(starts)
        for limit, offset in ((7, 0), (7, 7), (5, 23), (100, 50)):
            rows, total = timeline_page(conn, limit=limit, offset=offset)
            assert total == len(whole)
            assert [(r["doc_id"], r["event_id"]) for r in rows] == \
                [(r["doc_id"], r["event_id"]) for r in whole[offset:offset + limit]]


def test_a_repeated_event_of_one_report_is_listed_once(kb):
    with kb.engine.connect() as conn:
        whole = timeline(conn, limit=10_000)
    per_doc = {}
    for r in whole:
        per_doc.setdefault(r["doc_id"], []).append(r["event_id"])
    assert all(len(ids) == len(TIMES) - 1 for ids in per_doc.values())  # v10 repeats v1
    assert all(f"v{len(TIMES)}" not in ids for ids in per_doc.values())


def test_syndicated_copies_are_listed_once_from_the_original(tmp_path):
    store = open_kb(f"sqlite:///{tmp_path}/kb.db")
    original = story(1, outlet="Wire", published="2019-05-01")
    copy = story(1, outlet="Other Wire", extra=" ", published="2019-05-02")  # the same text, republished
    store.save(original)
    result = store.save(copy)
    assert result.duplicate_of == original.document.id
    with store.engine.connect() as conn:
        rows, total = timeline_page(conn, limit=100)
    store.close()
    assert total == len(rows) == len(TIMES) - 1
    assert {r["doc_id"] for r in rows} == {original.document.id}


def test_window_and_actor_filters_count_in_sql(kb):
    with kb.engine.connect() as conn:
        whole = timeline(conn, limit=10_000)
        rows, total = timeline_page(conn, since="2019-03-12", until="2019-03-31", limit=3)
        inside = [r for r in whole if r["time_start"] and r["time_end"] >= "2019-03-12" and r["time_start"] <= "2019-03-31"]
        assert total == len(inside) and len(rows) == 3
        army = timeline_page(conn, entity="Southern Army", limit=1000)
        assert army[1] == len([r for r in whole if r["target"] and r["target"]["name"] == "Southern Army"])


def test_no_query_reads_the_events_whole(kb):
    seen = []

    def watch(conn, cursor, statement, parameters, context, executemany):  # noqa: ARG001
        seen.append(statement)

    event.listen(kb.engine, "before_cursor_execute", watch)
    try:
        with kb.engine.connect() as conn:
            timeline_page(conn, limit=5, offset=10)
    finally:
        event.remove(kb.engine, "before_cursor_execute", watch)
    reading_events = [s for s in seen if "FROM event_times" in s and "count(" not in s]
    assert reading_events and all("LIMIT" in s for s in reading_events)


def test_knowledge_bases_made_before_get_their_event_times_once(tmp_path):
    url = f"sqlite:///{tmp_path}/kb.db"
    store = open_kb(url)
    for i in range(3):
        store.save(story(i))
    with store.engine.connect() as conn:
        before = timeline(conn, limit=1000)
    with store.engine.begin() as conn:  # as a knowledge base made before event_times existed
        conn.execute(delete(S.event_times))
        conn.execute(delete(S.meta).where(S.meta.c.key == "event_times"))
    store.close()
    again = open_kb(url)
    with again.engine.connect() as conn:
        assert conn.execute(select(S.meta.c.value).where(S.meta.c.key == "event_times")).scalar() == "1"
        assert timeline(conn, limit=1000) == before
    again.close()
