"""Cross-document resolution on the annotated corpus (tests/data/kb) and on small built cases."""
from __future__ import annotations

from functools import lru_cache

import pytest
from sqlalchemy import select

from wirescope.model import Analysis, Document, Entity, Span
from wirescope.resolve import judgements as J
from wirescope.resolve import match as M
from wirescope.store import schema as S

import corpus  # noqa: E402  (tests/resolve/conftest.py puts tests/data/kb on the path)


@lru_cache(maxsize=None)
def doc_id(article: str) -> str:
    return corpus.analysis_of(article).document.id


def article(prefix: str) -> str:
    return next(a for a in corpus.ARTICLES if a.startswith(prefix))


def kb_of(kb, prefix: str, local: str) -> str:
    with kb.engine.connect() as conn:
        raw = conn.execute(select(S.doc_entities.c.kb_entity).where(
            S.doc_entities.c.doc_id == doc_id(article(prefix)), S.doc_entities.c.local_id == local)).scalar_one()
        return J.canonical(conn, raw)


# one real actor each: every (article, local entity) in a group must resolve to one kb entity
SAME_ACTOR = [
    ("Taliban", [("01", "e1"), ("02", "e2"), ("05", "e2"), ("06", "e2"), ("07", "e1"), ("08", "e2")]),
    ("al-Qaida / Al Qaeda / al-Qa'ida / al-Qaeda",
     [("01", "e2"), ("02", "e1"), ("05", "e1"), ("06", "e1"), ("07", "e2"), ("08", "e4")]),
    ("Zabihullah / Zabiullah Mujahid", [("01", "e3"), ("07", "e3")]),
    ("Karin Lindqvist", [("02", "e3"), ("05", "e3"), ("06", "e3")]),
    ("Ashraf Ghani, later only 'Ghani'", [("02", "e5"), ("08", "e5")]),
    ("the nom de guerre used alone", [("03", "e2"), ("04", "e1")]),
    ("UN monitoring team (an organisation named by a description)", [("02", "e4"), ("05", "e4"), ("06", "e4")]),
]

DIFFERENT_ACTORS = [
    ("anonymous sources never merge across articles", ("01", "e4"), ("08", "e6")),
    ("organisation vs its leader", ("08", "e1"), ("08", "e3")),
    ("Taliban vs Haqqani Network", ("08", "e2"), ("08", "e1")),
    ("two persons", ("02", "e5"), ("03", "e2")),
    ("person vs organisation of similar name", ("08", "e3"), ("08", "e1")),
    ("a plural description stays local", ("04", "e4"), ("02", "e4")),
]


@pytest.mark.parametrize("label,members", SAME_ACTOR, ids=[c[0] for c in SAME_ACTOR])
@pytest.mark.parametrize("which", ["kb_corpus", "kb_reversed"])
def test_one_entity_per_actor(request, which, label, members):
    kb = request.getfixturevalue(which)
    ids = {kb_of(kb, a, e) for a, e in members}
    assert len(ids) == 1, f"{label}: {len(ids)} entities"


@pytest.mark.parametrize("label,left,right", DIFFERENT_ACTORS, ids=[c[0] for c in DIFFERENT_ACTORS])
@pytest.mark.parametrize("which", ["kb_corpus", "kb_reversed"])
def test_distinct_actors_stay_apart(request, which, label, left, right):
    kb = request.getfixturevalue(which)
    assert kb_of(kb, *left) != kb_of(kb, *right), label


@pytest.mark.parametrize("which", ["kb_corpus", "kb_reversed"])
def test_actor_count(request, which):
    # 22 named actors and 2 anonymous sources in the eight articles (see annotations.yaml)
    kb = request.getfixturevalue(which)
    assert kb.counts()["actors"] == 24


def test_alias_is_listed_with_its_source(kb_corpus):
    from wirescope.query.entities import entity_profile

    kb_id = kb_of(kb_corpus, "04", "e1")
    with kb_corpus.engine.connect() as conn:
        profile = entity_profile(conn, kb_id)
    by_name = {(n["name"], n["doc_id"]): n for n in profile["names"]}
    introduced = by_name[("Abu Hafs al-Logari", doc_id(article("03")))]
    assert introduced["how"] == "nom de guerre"
    assert introduced["outlet"] == "Eastern Wire"
    assert profile["entity"]["name"] == "Gul Rahman Safi"
    assert {d["id"] for d in profile["documents"]} == {doc_id(article("03")), doc_id(article("04"))}


def test_every_automatic_decision_is_a_judgement(kb_corpus):
    with kb_corpus.engine.connect() as conn:
        rows = conn.execute(select(S.judgements)).all()
    mine = [r for r in rows if r.right == f"{doc_id(article('07'))}/e3"]
    assert mine and mine[0].decision == "same" and mine[0].author == "resolver"
    why = mine[0].explanation
    assert why["names"][0]["how"] == "similar spelling"
    assert why["shared_actors"], "the shared co-occurring actors are part of the explanation"
    assert all(r.author == "resolver" for r in rows)


# ---- built cases --------------------------------------------------------------------------------
def make(text: str, actors: list[tuple], published: str = "2021-03-01", outlet: str = "Test Wire") -> Analysis:
    """actors: (local id, name, type, {alias: how}, anonymous)."""
    doc = Document(text, published=published, outlet=outlet)
    entities = []
    for local, name, kind, aliases, anonymous in actors:
        e = Entity(local, name, kind, anonymous=anonymous)
        for alias, how in aliases.items():
            e.add_alias(alias, how)
        start = text.find(name)
        if start >= 0:
            e.mentions.append(Span.of(text, start, start + len(name)))
        entities.append(e)
    return Analysis(doc, entities)


def resolved(kb, analysis: Analysis, local: str) -> str:
    kb.save(analysis)
    with kb.engine.connect() as conn:
        raw = conn.execute(select(S.doc_entities.c.kb_entity).where(
            S.doc_entities.c.doc_id == analysis.document.id, S.doc_entities.c.local_id == local)).scalar_one()
        return J.canonical(conn, raw)


NAME_CASES = [
    # (first article's actor, later article's actor, same?)
    (("al-Qaida", "organization"), ("Al Qaeda", "organization"), True),
    (("Abdul Rashid Dostum", "person"), ("Abd al-Rashid Dostum", "person"), True),
    (("Mohammed Hanif Atmar", "person"), ("Mohammad Hanif Atmar", "person"), True),
    (("Islamic State Khorasan Province", "organization"), ("ISKP", "organization"), True),
    (("National Directorate of Security", "organization"), ("NDS", "group"), True),
    (("Mohammed Hanif Atmar", "person"), ("Mohammed Atta", "person"), False),
    (("Ashraf Ghani", "person"), ("Ghana", "location"), False),
    (("Haqqani Network", "organization"), ("Sirajuddin Haqqani", "person"), False),
    (("Islamic State", "organization"), ("Islamic State Khorasan Province", "organization"), False),
]


@pytest.mark.parametrize("first,later,same", NAME_CASES, ids=[f"{a[0]}|{b[0]}" for a, b, _ in NAME_CASES])
def test_name_cases(fresh_kb, first, later, same):
    a = make(f"Officials said {first[0]} was involved in the talks.", [("e1", first[0], first[1], {}, False)])
    b = make(f"Reports about {later[0]} appeared again on Monday.", [("e1", later[0], later[1], {}, False)])
    assert (resolved(fresh_kb, a, "e1") == resolved(fresh_kb, b, "e1")) is same


def test_anonymous_sources_never_merge(fresh_kb):
    anon = ("e1", "a senior Western diplomat", "person", {}, True)
    a = make("A senior Western diplomat said the talks had failed.", [anon])
    b = make("A senior Western diplomat said the talks would resume.", [anon])
    assert resolved(fresh_kb, a, "e1") != resolved(fresh_kb, b, "e1")


def test_analyst_merge_sends_later_mentions_to_the_survivor(fresh_kb):
    a = make("Hamid Karzai met envoys.", [("e1", "Hamid Karzai", "person", {}, False)])
    b = make("The former president, known as the Mayor of Kabul, spoke.",
             [("e1", "Mayor of Kabul", "person", {}, False)])
    ka, kb_ = resolved(fresh_kb, a, "e1"), resolved(fresh_kb, b, "e1")
    assert ka != kb_
    with fresh_kb.engine.begin() as conn:
        J.merge(conn, ka, kb_, author="analyst:lena")
    c = make("The Mayor of Kabul returned.", [("e1", "Mayor of Kabul", "person", {}, False)])
    assert resolved(fresh_kb, c, "e1") == ka
    with fresh_kb.engine.connect() as conn:
        rows = conn.execute(select(S.judgements).where(S.judgements.c.author == "analyst:lena")).all()
    assert [(r.left, r.right, r.decision) for r in rows] == [(ka, kb_, "same")]


@pytest.mark.parametrize("judged", [False, True])
def test_alias_bridge_and_the_different_judgement_that_blocks_it(fresh_kb, judged):
    a = make("Abu Omar al-Khorasani led the cell.", [("e1", "Abu Omar al-Khorasani", "person", {}, False)])
    b = make("Police named Zia ul-Haq Ahmadi as a suspect.", [("e1", "Zia ul-Haq Ahmadi", "person", {}, False)])
    ka, kb_ = resolved(fresh_kb, a, "e1"), resolved(fresh_kb, b, "e1")
    if judged:
        with fresh_kb.engine.begin() as conn:
            J.record(conn, ka, kb_, "different", author="analyst:omar")
    bridge = make("Zia ul-Haq Ahmadi, also known as Abu Omar al-Khorasani, was freed.",
                  [("e1", "Zia ul-Haq Ahmadi", "person", {"Abu Omar al-Khorasani": "also known as"}, False)])
    got = resolved(fresh_kb, bridge, "e1")
    with fresh_kb.engine.connect() as conn:
        merged = J.canonical(conn, ka) == J.canonical(conn, kb_)
        named = J.canonical(conn, kb_)
    assert merged is (not judged)
    assert got == named  # the actor whose own name it bears


def test_weak_alias_does_not_bridge(fresh_kb):
    a = make("Kabul Ledger reported the raid.", [("e1", "Kabul Ledger", "organization", {}, False)])
    b = make("Frontier Dispatch reported the raid.", [("e1", "Frontier Dispatch", "organization", {}, False)])
    ka, kb_ = resolved(fresh_kb, a, "e1"), resolved(fresh_kb, b, "e1")
    noisy = make("Frontier Dispatch said so.",
                 [("e1", "Frontier Dispatch", "organization", {"Kabul Ledger": "coreference"}, False)])
    assert resolved(fresh_kb, noisy, "e1") == kb_
    with fresh_kb.engine.connect() as conn:
        assert J.canonical(conn, ka) != J.canonical(conn, kb_)


def test_split_by_names_and_later_ingests(fresh_kb):
    a = make("Ashraf Ghani spoke. Ghani said more.",
             [("e1", "Ashraf Ghani", "person", {"Ghani": "short form"}, False)])
    b = make("Ghani, the cricket captain, won.", [("e1", "Ghani", "person", {}, False)])
    ka, kb_ = resolved(fresh_kb, a, "e1"), resolved(fresh_kb, b, "e1")
    assert ka == kb_  # a bare surname resolves to the full name
    with fresh_kb.engine.begin() as conn:
        result = J.split(conn, ka, ["Ghani"], author="analyst:sam")
    assert result["moved"] == [f"{b.document.id}/e1"]
    new = result["new"]
    with fresh_kb.engine.connect() as conn:
        assert J.judged_different(conn, [ka], [new])
        decisions = {r.decision for r in conn.execute(select(S.judgements).where(S.judgements.c.author == "analyst:sam"))}
    assert decisions == {"split", "different"}
    # a later bare "Ghani" follows the split-off entity; the full name stays with the first
    c = make("Ghani scored twice.", [("e1", "Ghani", "person", {}, False)])
    d = make("Ashraf Ghani left Kabul.", [("e1", "Ashraf Ghani", "person", {"Ghani": "short form"}, False)])
    assert resolved(fresh_kb, c, "e1") == new
    assert resolved(fresh_kb, d, "e1") == ka


SCORE_CASES = [
    # (names a, type a, names b, type b, expected evidence, minimum score, maximum score)
    (["al-Qaida"], "organization", ["al-Qaeda"], "organization", "gazetteer", 1.0, 1.0),
    (["Zabiullah Mujahid"], "person", ["Zabihullah Mujahid"], "person", "similar spelling", 0.6, 0.79),
    (["Lindqvist"], "person", ["Karin Lindqvist"], "person", "short form", 0.5, 0.79),
    (["ISKP"], "organization", ["Islamic State Khorasan Province"], "group", "gazetteer", 0.8, 1.0),
    (["Ghani"], "person", ["Ghana"], "location", None, 0.0, 0.0),
]


@pytest.mark.parametrize("a,ta,b,tb,how,low,high", SCORE_CASES)
def test_pair_scores_explain_themselves(a, ta, b, tb, how, low, high):
    score, why = M.score_pair(M.profile(a, ta), M.profile(b, tb))
    assert low <= score <= high
    if how:
        assert why["names"][0]["how"] == how
    else:
        assert not why.get("names")


CLASS_CASES = [
    ("Taliban", "proper"), ("al-Qaeda", "proper"), ("Abdul Ghani bin Laden", "proper"),
    ("Islamic State of Iraq and the Levant", "proper"), ("UN monitoring team", "descriptive"),
    ("Taliban negotiators", "common"), ("members", "common"), ("the official", "common"),
]


@pytest.mark.parametrize("name,expected", CLASS_CASES)
def test_name_class(name, expected):
    assert M.name_class(name) == expected


def test_postgresql_resolves_like_sqlite(kb_corpus):
    """The same corpus on PostgreSQL gives the same partition of actors."""
    found = corpus.pg_schema_url("ws_resolve")
    if found is None:
        pytest.skip("no PostgreSQL server (set WIRESCOPE_TEST_PG to its URL)")
    url, drop = found
    try:
        pg = corpus.build(url)

        def partition(kb):
            with kb.engine.connect() as conn:
                rows = conn.execute(select(S.doc_entities.c.doc_id, S.doc_entities.c.local_id,
                                           S.doc_entities.c.kb_entity)).all()
                canon = J.canonical_map(conn, {r.kb_entity for r in rows})
            groups = {}
            for r in rows:
                groups.setdefault(canon[r.kb_entity], set()).add((r.doc_id, r.local_id))
            return {frozenset(g) for g in groups.values()}

        assert partition(pg) == partition(kb_corpus)
        pg.close()
    finally:
        drop()


ODD_NAMES = ["", "   ", "🙂🙂", "طالبان", "Талибан", "x" * 5000, "al-", "'s", "The", "U.S.-Taliban-al-Qaeda-ISKP " * 40]


@pytest.mark.parametrize("name", ODD_NAMES, ids=[repr(n[:12]) for n in ODD_NAMES])
def test_odd_names_are_stored(fresh_kb, name):
    text = f"Someone named {name} was mentioned twice: {name}."
    a = make(text, [("e1", name, "organization", {name[:40]: "also known as"}, False)])
    b = make(text + " Again.", [("e1", name, "organization", {}, False)])
    first, second = resolved(fresh_kb, a, "e1"), resolved(fresh_kb, b, "e1")
    assert first and second
