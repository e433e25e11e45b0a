"""insert_rows stores what the table's own INSERT stores, on every backend (PostgreSQL: one
unnest statement), and skips rows that break a unique index when asked."""
from __future__ import annotations

import pytest
from sqlalchemy import insert, select

from wirescope.store import schema as S
from wirescope.store.bulk import insert_rows

ROWS = [
    dict(doc_id="d1", local_id="e1", kb_entity="k1", name="Taliban", type="organization", subtype=None,
         anonymous=False, aliases=["Taleban"], descriptor=None, country=None, geo={"country": "AF", "lat": 1.5}),
    dict(doc_id="d1", local_id="e2", kb_entity="k2", name="a senior official", type="person", subtype="official",
         anonymous=True, aliases=[], descriptor={"role": "official"}, country="AF", geo=None),
    dict(doc_id="d1", local_id="e3", kb_entity="k1", name="Kabul \u2013 \"quoted\" \U0001F600", type="location",
         subtype=None, anonymous=False, aliases=None, descriptor=None, country="AF", geo=None),
]


def _prepare(conn):
    conn.execute(insert(S.documents).values(id="d1", text="t"))
    for k in ("k1", "k2"):
        conn.execute(insert(S.kb_entities).values(id=k, name=k, key=k, type="organization", anonymous=False))


def test_rows_are_stored_as_the_insert_stores_them(kb):
    with kb.engine.begin() as conn:
        _prepare(conn)
        insert_rows(conn, S.doc_entities, ROWS)
        got = [dict(r._mapping) for r in conn.execute(select(S.doc_entities).order_by(S.doc_entities.c.local_id))]
        conn.execute(S.doc_entities.delete())
        conn.execute(insert(S.doc_entities), ROWS)
        want = [dict(r._mapping) for r in conn.execute(select(S.doc_entities).order_by(S.doc_entities.c.local_id))]
    assert got == want


@pytest.mark.parametrize("n", [1, 2, 300])
def test_conflicting_rows_are_skipped_when_asked(kb, n):
    rows = [dict(kb_entity="k1", kind="actor", value=f"v{i % 50}", doc_id="d1") for i in range(n)]
    with kb.engine.begin() as conn:
        _prepare(conn)
        insert_rows(conn, S.actor_context, rows[:1], ignore_conflicts=True)
        insert_rows(conn, S.actor_context, rows, ignore_conflicts=True)
        values = conn.execute(select(S.actor_context.c.value)).scalars().all()
    assert sorted(values) == sorted({r["value"] for r in rows})
