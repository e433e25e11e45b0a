"""Speed as the knowledge base grows: per-actor figures grouped once (not once per actor row), the
indexes behind them, and bounded actor pages and networks that still show the strongest relations."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select, text

from wirescope.flow import open_kb
from wirescope.model import Analysis, Document, Entity, Span
from wirescope.query import rows as R
from wirescope.query.entities import entity_profile, resolve_entity
from wirescope.query.graph import network
from wirescope.query.ranking import ranked_keys, strongest
from wirescope.query.relations import aggregate_relations
from wirescope.resolve import judgements as J
from wirescope.store import schema as S

NEW_INDEXES = {"ix_doc_entities_kb_doc", "ix_mentions_doc_entity", "ix_statements_speaker"}


# ---- rows.iter_actors -------------------------------------------------------------------------------------
def naive_actors(conn) -> dict[str, dict]:
    """The per-actor figures computed the slow, obvious way, in Python."""
    k, de, m, d = S.kb_entities, S.doc_entities, S.mentions, S.documents
    survivor = {r.id: r.merged_into or r.id for r in conn.execute(select(k.c.id, k.c.merged_into))}
    published = dict(conn.execute(select(d.c.id, d.c.published)).all())
    owner = {}
    out = {i: {"documents": set(), "mentions": 0, "days": [], "descriptor": None}
           for i, s in survivor.items() if s == i}
    descriptors: dict[str, list] = {}
    for r in conn.execute(select(de.c.doc_id, de.c.local_id, de.c.kb_entity, de.c.descriptor)):
        a = survivor[r.kb_entity]
        owner[(r.doc_id, r.local_id)] = a
        out[a]["documents"].add(r.doc_id)
        if published[r.doc_id]:
            out[a]["days"].append(published[r.doc_id][:10])
        if r.descriptor is not None:
            descriptors.setdefault(r.kb_entity, []).append((r.doc_id, r.descriptor))
    for r in conn.execute(select(m.c.doc_id, m.c.entity)):
        out[owner[(r.doc_id, r.entity)]]["mentions"] += 1
    for i, v in out.items():
        v["documents"] = len(v["documents"])
        v["first_published"], v["last_published"] = (min(v["days"]), max(v["days"])) if v["days"] else (None, None)
        v["descriptor"] = min(descriptors[i], key=lambda p: p[0])[1] if i in descriptors else None
        del v["days"]
    return out


def figures(conn) -> dict[str, dict]:
    return {a["id"]: {k: a[k] for k in ("documents", "mentions", "first_published", "last_published", "descriptor")}
            for a in R.iter_actors(conn)}


def test_iter_actors_figures(conn):
    assert figures(conn) == naive_actors(conn)


def test_iter_actors_figures_after_a_merge(writable_kb):
    with writable_kb.engine.begin() as c:
        J.merge(c, resolve_entity(c, "Islamic State Khorasan Province")["id"], resolve_entity(c, "Islamic State")["id"],
                "analyst:test")
    with writable_kb.engine.connect() as c:
        assert figures(c) == naive_actors(c)


def test_iter_actors_joins_each_actor_once(writable_kb):
    """SQLite's plan: the grouped figures are computed once and each actor row is found by primary key;
    no grouped subquery is scanned inside the loop over actors (that was quadratic)."""
    with writable_kb.engine.connect() as c:
        sql = str(R.actors_query(c).compile(c, compile_kwargs={"literal_binds": True}))
        plan = [row[3] for row in c.exec_driver_sql("EXPLAIN QUERY PLAN " + sql)]
    assert not [p for p in plan if "LEFT-JOIN" in p]
    assert any(re.match(r"SEARCH kb_entities USING INDEX sqlite_autoindex_kb_entities_1 \(id=\?\)", p) for p in plan)
    assert any("ix_doc_entities_kb_doc" in p for p in plan)  # the first descriptor, no sort per actor


def many_actors(url: str, docs: int) -> None:
    """A knowledge base of `docs` short stories naming four actors each, never the same twice."""
    kb = open_kb(url)
    for d in range(docs):
        names = [f"Person{d}x{i} Qorvan{d}y{i}" for i in range(4)]
        body = "Today " + " and ".join(names) + f" met in town number {d}."
        ents = [Entity(f"e{i + 1}", n, "person", mentions=[Span.of(body, body.index(n), body.index(n) + len(n))])
                for i, n in enumerate(names)]
        kb.save(Analysis(Document(body, published=f"2021-01-{d % 28 + 1:02d}", outlet="Wire"), ents))
    kb.close()


def steps(url: str) -> int:
    """SQLite virtual machine steps (in thousands) that reading every actor takes."""
    kb = open_kb(url)
    count = [0]

    def tick():
        count[0] += 1
        return 0

    with kb.engine.connect() as c:
        raw = c.connection.driver_connection
        raw.set_progress_handler(tick, 1000)
        n = sum(1 for _ in R.iter_actors(c))
        raw.set_progress_handler(None, 0)
    kb.close()
    assert n > 0
    return count[0]


def test_iter_actors_work_grows_linearly(tmp_path):
    small, large = f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"
    many_actors(small, 60)
    many_actors(large, 240)  # four times the actors
    ratio = steps(large) / max(steps(small), 1)
    assert ratio < 6, f"4x the actors took {ratio:.1f}x the work (a quadratic read takes ~16x)"


# ---- indexes ---------------------------------------------------------------------------------------------
def index_names(kb) -> set[str]:
    with kb.engine.connect() as c:
        return {r[0] for r in c.execute(text("SELECT name FROM sqlite_master WHERE type = 'index'"))}


def test_new_indexes_reach_knowledge_bases_made_before(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    kb = open_kb(url)
    assert NEW_INDEXES <= index_names(kb)
    with kb.engine.begin() as c:
        for name in NEW_INDEXES:
            c.execute(text(f"DROP INDEX {name}"))
    kb.close()
    kb = open_kb(url)  # opening an older knowledge base adds them (indexes only, no table changes)
    assert NEW_INDEXES <= index_names(kb)
    kb.close()


# ---- bounded relations, networks and profiles ---------------------------------------------------------------
def test_ranked_keys_bound_the_independent_sources(conn):
    everything = {(r["type"], frozenset((r["subject"]["id"], r["object"]["id"]))): r["independent_sources"]
                  for r in aggregate_relations(conn)}
    for bound, keys in ranked_keys(conn):
        rows = aggregate_relations(conn, keys=keys)
        assert len(rows) <= 1
        for r in rows:
            assert r["independent_sources"] <= bound
            assert everything[(r["type"], frozenset((r["subject"]["id"], r["object"]["id"])))] == \
                r["independent_sources"]


@pytest.mark.parametrize("limit", [1, 2, 3, 5, 50])
def test_strongest_is_the_top_of_everything(conn, limit):
    everything = sorted(aggregate_relations(conn, detail=False),
                        key=lambda r: (-r["independent_sources"], -r["confidence"]))
    top, info = strongest(conn, limit)
    assert len(top) == min(limit, len(everything))
    assert [r["independent_sources"] for r in top] == [r["independent_sources"] for r in everything[:limit]]
    assert info["truncated"] == (len(everything) > limit) and info["exact"]
    if limit >= len(everything):
        key = lambda r: (r["type"], r["subject"]["id"], r["object"]["id"])  # noqa: E731
        assert sorted(map(key, top)) == sorted(map(key, everything))


def test_strongest_stops_early(conn):
    everything = sorted(aggregate_relations(conn, detail=False), key=lambda r: -r["independent_sources"])
    top, info = strongest(conn, 1, batch=1)
    assert info["aggregated"] < info["candidates"] and info["exact"]
    assert top[0]["independent_sources"] == everything[0]["independent_sources"]
    top, info = strongest(conn, 2, batch=1, budget=2)  # out of budget: the best of those aggregated
    assert info["aggregated"] == 2 and len(top) == 2
    taliban = resolve_entity(conn, "Taliban")["id"]
    around, info = strongest(conn, 2, entity=taliban, batch=1)
    assert len(around) == 2 and all(taliban in (r["subject"]["id"], r["object"]["id"]) for r in around)


def test_network_limit(conn):
    whole = network(conn)
    assert whole.graph["truncated"] is False
    two = network(conn, limit=2)
    assert two.number_of_edges() == 2 and two.graph["truncated"] is True
    assert two.graph["candidates"] == whole.number_of_edges()
    assert set(two.nodes) <= set(whole.nodes)
    assert sorted(d["independent_sources"] for *_, d in two.edges(data=True)) == \
        sorted(d["independent_sources"] for *_, d in whole.edges(data=True))[-2:]


def test_profile_lists_are_bounded_and_counted(conn):
    taliban = resolve_entity(conn, "Taliban")["id"]
    full = entity_profile(conn, taliban, limit=None)
    one = entity_profile(conn, taliban, limit=1)
    for name in ("names", "documents", "relations", "statements_by", "statements_about"):
        assert len(one[name]) <= 1 and one["totals"][name] == len(full[name]) >= len(one[name]), name
    assert one["documents"][0] == full["documents"][0]  # the newest
    assert one["relations"][0]["independent_sources"] == max(r["independent_sources"] for r in full["relations"])
    assert one["statements_by"][0] == full["statements_by"][-1]  # the newest statement
    assert one["mentions"] == full["mentions"] and one["entity"] == full["entity"]


@pytest.fixture
def client(writable_kb):
    from fastapi.testclient import TestClient

    from wirescope.api.app import create_app
    from wirescope.settings import Settings

    with TestClient(create_app(Settings(db_url=writable_kb.url)), base_url="http://localhost") as c:
        yield c


def test_api_network_and_profile_limits(client, writable_kb):
    body = client.get("/api/network", params={"limit": 1}).json()
    assert len(body["edges"]) == 1 and body["truncated"] is True and body["limit"] == 1
    assert body["candidates"] > 1 and {"nodes", "edges"} <= set(body)
    assert client.get("/api/network", params={"limit": 0}).status_code == 422
    with writable_kb.engine.connect() as c:
        taliban = resolve_entity(c, "Taliban")["id"]
    profile = client.get(f"/api/actors/{taliban}", params={"limit": 1}).json()
    assert len(profile["relations"]) == 1 and profile["totals"]["relations"] > 1
    assert client.get(f"/api/actors/{taliban}/events").json()["total"] >= 1


def test_actor_page_says_what_it_leaves_out(client, writable_kb):
    with writable_kb.engine.connect() as c:
        taliban = resolve_entity(c, "Taliban")["id"]
    html = client.get(f"/actors/{taliban}", params={"limit": 1}, headers={"accept": "text/html"}).text
    relations = html.split('id="relations"')[1].split("</section>")[0]
    assert re.search(r"Showing 1 of \d+ relations", relations)
    assert relations.count('class="rtype"') == 1
    assert f"/api/relations?actor={taliban}" in relations
    r = client.get("/actors/Taliban", params={"limit": 1}, headers={"accept": "text/html"}, follow_redirects=False)
    assert r.status_code == 307 and r.headers["location"] == f"/actors/{taliban}?limit=1"


def test_bounded_network_follows_merges(writable_kb):
    with writable_kb.engine.begin() as c:
        J.merge(c, resolve_entity(c, "Islamic State Khorasan Province")["id"], resolve_entity(c, "Islamic State")["id"],
                "analyst:test")
    with writable_kb.engine.connect() as c:
        whole, bounded = network(c), network(c, limit=100)
    edges = lambda g: sorted((u, v, k, d["independent_sources"]) for u, v, k, d in g.edges(keys=True, data=True))  # noqa: E731
    assert edges(bounded) == edges(whole) and bounded.graph["truncated"] is False
