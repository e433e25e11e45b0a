"""The first view after a write stays cheap: ranking bounds kept in the database by triggers (SQLite),
and aggregated relations remembered across requests, each checked against what it was made from."""
from __future__ import annotations

import pytest
from sqlalchemy import select, text

import corpus
from wirescope.model import Analysis, Document, Entity, Relation, Span, Statement
from wirescope.query import ranking as R
from wirescope.query.common import resolve_entity
from wirescope.query.relations import aggregate_relations
from wirescope.resolve import judgements as J
from wirescope.store import schema as S


def live(conn, entity=None):
    """ranked_counts as the grouped query over every relation row computes it."""
    saved = R._has_rank_table
    R._has_rank_table = lambda c: False
    try:
        return R.ranked_counts(conn, entity=entity)
    finally:
        R._has_rank_table = saved


def as_set(ranked):
    return {(bound, tuple(keys), counts) for bound, keys, counts in ranked}


def fresh(conn, limit):
    """strongest() with nothing remembered: the reference."""
    R.forget_aggregates()
    rows, _ = R.top_of_ranked(conn, R.ranked_keys(conn), limit)
    return rows


def shape(rows):
    def items(its):
        return sorted((it["doc_id"], it["relation_id"], it["attribution"], (it.get("speaker") or {}).get("name"),
                       it.get("source_key"), it.get("outlet")) for it in its)
    return [(r["subject"]["id"], r["type"], r["object"]["id"], r["independent_sources"], r["confidence"],
             items(r["support"]), items(r["against"]), r["reasons"], r["subject"]["name"], r["object"]["name"],
             [(c["key"], c["independent"], c["documents"]) for c in r["sources"]]) for r in rows]


def story(i: int, speaker: str = "Karim Osmani") -> Analysis:
    """One more report: the Taliban shelter al-Qaeda, says a named speaker, in a new outlet."""
    claim = "the Taliban shelter al-Qaeda fighters"
    text_ = f"{speaker} said {claim} in the mountains. Report {i}."
    at = text_.index(claim)
    ents = [Entity("e1", speaker, "person", mentions=[Span.of(text_, 0, len(speaker))]),
            Entity("e2", "Taliban", "organization", mentions=[Span.of(text_, text_.index("Taliban"), text_.index("Taliban") + 7)]),
            Entity("e3", "al-Qaeda", "organization", mentions=[Span.of(text_, text_.index("al-Qaeda"), text_.index("al-Qaeda") + 8)])]
    content = Span.of(text_, at, at + len(claim))
    st = [Statement("s1", "e1", "said", content, direct=False)]
    rel = [Relation("e2", "harbors", "e3", content, statement="s1", trigger="shelter", id="r1")]
    doc = Document(text_, title=f"Report {i}", outlet=f"Outlet {i}", url=f"https://example.org/{i}",
                   published="2021-06-0%d" % (1 + i % 9))
    return Analysis(doc, ents, st, rel, [], [])


@pytest.fixture
def sqlite_kb(tmp_path):
    store = corpus.build(f"sqlite:///{tmp_path}/kb.db")
    R.forget_aggregates()
    yield store
    store.close()


def test_the_table_bounds_equal_the_grouped_query(sqlite_kb):
    with sqlite_kb.engine.connect() as c:
        assert R._has_rank_table(c)
        assert as_set(R.ranked_counts(c)) == as_set(live(c))
    for i in range(3):  # the triggers follow new relation rows
        sqlite_kb.save(story(i, speaker=f"Speaker {i}"))
    with sqlite_kb.engine.connect() as c:
        assert as_set(R.ranked_counts(c)) == as_set(live(c))
        taliban = resolve_entity(c, "Taliban")["id"]
        assert as_set(R.ranked_counts(c, entity=taliban)) == as_set(live(c, entity=taliban))
        assert as_set(R.ranked_counts(c, types=["harbors"])) == {p for p in as_set(live(c)) if p[1][0][1] == "harbors"}


def test_an_older_knowledge_base_gets_the_table_filled_once(tmp_path):
    store = corpus.build(f"sqlite:///{tmp_path}/old.db")
    with store.engine.begin() as c:
        for name in ("relation_rank_insert", "relation_rank_delete", "relation_rank_update"):
            c.execute(text(f"DROP TRIGGER {name}"))
        c.execute(text("DROP TABLE relation_rank"))
        c.execute(text("DROP TABLE relation_rank_sources"))
    store.close()
    from wirescope.flow import open_kb

    with open_kb(f"sqlite:///{tmp_path}/old.db") as store, store.engine.connect() as c:
        assert R._has_rank_table(c) and as_set(R.ranked_counts(c)) == as_set(live(c))


def test_a_split_keeps_the_bounds_above_the_truth(sqlite_kb):
    with sqlite_kb.engine.begin() as c:
        taliban = resolve_entity(c, "Taliban")["id"]
        doc = c.execute(select(S.doc_entities.c.doc_id).where(S.doc_entities.c.kb_entity == taliban)).first()[0]
        name = c.execute(select(S.doc_entities.c.name).where(S.doc_entities.c.kb_entity == taliban,
                                                            S.doc_entities.c.doc_id == doc)).first()[0]
        J.split(c, taliban, [name], "analyst:test", docs=[doc])
    with sqlite_kb.engine.connect() as c:
        table = {tuple(k): (b, n) for b, k, n in R.ranked_counts(c)}
        truth = {tuple(k): (b, n) for b, k, n in live(c)}
        assert set(table) == set(truth)
        for key, (bound, counts) in truth.items():
            assert table[key][1] == counts and table[key][0] >= bound
        for bound, keys in R.ranked_keys(c):  # still bounds on what the aggregates find
            for row in aggregate_relations(c, keys=keys):
                assert row["independent_sources"] <= bound


def test_remembered_aggregates_are_the_same_as_fresh_ones(sqlite_kb):
    with sqlite_kb.engine.connect() as c:
        reference = shape(fresh(c, 20))
        R.forget_aggregates()
        first, _ = R.strongest(c, 20)
        memo = R.AggregateMemo.of(c)
        assert memo.misses and not memo.hits
        again, _ = R.strongest(c, 20)
        assert memo.hits >= len(again)
        assert shape(first) == shape(again) == reference


def test_a_write_recomputes_only_what_it_touched(sqlite_kb):
    with sqlite_kb.engine.connect() as c:
        R.forget_aggregates()
        R.strongest(c, 50)
        memo = R.AggregateMemo.of(c)
        before = memo.misses
    sqlite_kb.save(story(7))
    with sqlite_kb.engine.connect() as c:
        rows, _ = R.strongest(c, 50)
        assert memo.misses - before == 1  # the Taliban harbour al-Qaeda: the one relation the report adds to
        assert shape(rows) == shape(fresh(c, 50))
        harbors = [r for r in rows if r["type"] == "harbors" and r["object"]["name"] == "al-Qaeda"]
        assert any(it["outlet"] == "Outlet 7" for r in harbors for it in r["support"])


def test_merges_renames_and_judgements_are_seen(sqlite_kb):
    with sqlite_kb.engine.connect() as c:
        R.forget_aggregates()
        R.strongest(c, 50)
    with sqlite_kb.engine.begin() as c:  # an analyst's merge: everything is aggregated again
        J.merge(c, resolve_entity(c, "Islamic State Khorasan Province")["id"],
                resolve_entity(c, "Islamic State")["id"], "analyst:test")
    with sqlite_kb.engine.connect() as c:
        assert shape(R.strongest(c, 50)[0]) == shape(fresh(c, 50))
        R.strongest(c, 50)
        taliban = resolve_entity(c, "Taliban")["id"]
    with sqlite_kb.engine.begin() as c:  # the resolver learns a fuller name
        c.execute(S.kb_entities.update().where(S.kb_entities.c.id == taliban).values(name="Taliban movement"))
    with sqlite_kb.engine.connect() as c:
        rows = R.strongest(c, 50)[0]
        assert "Taliban" not in {r[k]["name"] for r in rows for k in ("subject", "object")}
        assert shape(rows) == shape(fresh(c, 50))


def test_the_memo_is_bounded(sqlite_kb):
    with sqlite_kb.engine.connect() as c:
        memo = R.AggregateMemo.of(c)
        memo.max_items = 6
        try:
            rows, _ = R.strongest(c, 50)
            assert len(rows) > 3
            assert memo.entries and memo.items <= 6
            assert memo.items == sum(R._size(row) for _, row, _ in memo.entries.values())
            assert shape(R.strongest(c, 50)[0]) == shape(rows)
        finally:
            memo.max_items = R.MEMO_ITEMS
