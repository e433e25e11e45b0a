"""Stable ids through merges and splits, and the analyst's review of automatic merges
(wirescope.resolve.review and `wirescope review`), kept as judgements."""
from __future__ import annotations

import json

from sqlalchemy import select

from wirescope.resolve import judgements as J
from wirescope.resolve import review as RV
from wirescope.store import schema as S

from test_rules import kb_of, make  # noqa: E402  (tests/resolve is on the path)


def alias_bridge(kb):
    a = make("Abu Omar al-Khorasani led the cell.", [("e1", "Abu Omar al-Khorasani", "person")])
    b = make("Police named Zia ul-Haq Ahmadi as a suspect.", [("e1", "Zia ul-Haq Ahmadi", "person")])
    ka, kb_ = kb_of(kb, a), kb_of(kb, b)
    bridge = make("Zia ul-Haq Ahmadi, also known as Abu Omar al-Khorasani, was freed.",
                  [("e1", "Zia ul-Haq Ahmadi", "person", {"Abu Omar al-Khorasani": "also known as"})])
    kb_of(kb, bridge)
    return a, b, ka, kb_


def test_a_merge_keeps_the_older_id_and_undoing_it_gives_the_other_back(fresh_kb):
    a, b, ka, kb_ = alias_bridge(fresh_kb)
    with fresh_kb.engine.connect() as conn:
        assert J.canonical(conn, ka) == J.canonical(conn, kb_) == ka  # the first actor's id survives
    with fresh_kb.engine.begin() as conn:
        assert J.unmerge_one(conn, ka, kb_, "analyst:ana") == [kb_]
    with fresh_kb.engine.connect() as conn:
        assert J.canonical(conn, kb_) == kb_ and J.judged_different(conn, [ka], [kb_])
    # later reports of either name go to their own actor again
    again = make("Zia ul-Haq Ahmadi appeared in court.", [("e1", "Zia ul-Haq Ahmadi", "person")])
    assert kb_of(fresh_kb, again) == kb_


def test_a_split_gives_an_absorbed_actor_its_id_back(fresh_kb):
    a, b, ka, kb_ = alias_bridge(fresh_kb)
    with fresh_kb.engine.begin() as conn:
        result = J.split(conn, ka, [], "analyst:ana", docs=[b.document.id])
    assert result["restored"] and result["new"] == kb_
    with fresh_kb.engine.connect() as conn:
        assert J.canonical(conn, kb_) == kb_ != J.canonical(conn, ka)


def review_kb(kb):
    a = make("Libya's leader Muammar Gaddafi spoke in Sirte.",
             [("e1", "Muammar Gaddafi", "person"), ("e2", "Libya", "location", {}, "LY")])
    b = make("Libyan leader Muammar Qadhafi agreed to talks in Libya.",
             [("e1", "Muammar Qadhafi", "person"), ("e2", "Libya", "location", {}, "LY")])
    return a, b, kb_of(kb, a), kb_of(kb, b)


def test_review_lists_the_least_certain_merges_first(fresh_kb):
    a, b, ka, kb_ = review_kb(fresh_kb)
    assert ka == kb_
    with fresh_kb.engine.connect() as conn:
        rows = RV.low_confidence(conn)
    assert rows and rows == sorted(rows, key=lambda r: r["score"])
    mine = [r for r in rows if r.get("document") == b.document.id]
    assert mine and mine[0]["entity"] == ka and mine[0]["reasons"]


def test_undo_and_confirm_are_judgements(fresh_kb):
    a, b, ka, _ = review_kb(fresh_kb)
    with fresh_kb.engine.connect() as conn:
        listed = RV.low_confidence(conn)
    item = next(r for r in listed if r.get("document") == b.document.id and r["actor"] == "e1")
    other = next(r for r in listed if r is not item)
    with fresh_kb.engine.begin() as conn:
        result = RV.undo(conn, item["judgement"], "analyst:omar", note="a different spelling, a different man?")
        RV.confirm(conn, other["judgement"], "analyst:omar")
    assert result["new"] and result["new"] != ka
    with fresh_kb.engine.connect() as conn:
        assert J.judged_different(conn, [ka], [result["new"]])
        left = {r["judgement"] for r in RV.low_confidence(conn)}
        moved = J.canonical(conn, conn.execute(select(S.doc_entities.c.kb_entity).where(
            S.doc_entities.c.doc_id == b.document.id, S.doc_entities.c.local_id == "e1")).scalar_one())
        reviews = [r for r in conn.execute(select(S.judgements)) if (r.explanation or {}).get("review")]
    assert item["judgement"] not in left and other["judgement"] not in left
    assert moved == result["new"]
    assert {r.author for r in reviews} == {"analyst:omar"}
    assert {r.decision for r in reviews} >= {"same", "different"}
    # a later report of the undone spelling stays with it, not with the first actor
    c = make("Muammar Qadhafi met envoys in Libya.",
             [("e1", "Muammar Qadhafi", "person"), ("e2", "Libya", "location", {}, "LY")])
    assert kb_of(fresh_kb, c) != ka


def test_the_review_command(fresh_kb, capsys):
    from wirescope.cli import main

    a, b, ka, _ = review_kb(fresh_kb)
    db = fresh_kb.url
    assert main(["review", "--db", db, "--format", "json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    item = next(r for r in rows if r.get("document") == b.document.id)
    assert main(["review", "--db", db, "--confirm", str(item["judgement"]), "--by", "lena"]) == 0
    assert "confirmed" in capsys.readouterr().out
    assert main(["review", "--db", db]) == 0
    assert str(item["judgement"]) not in capsys.readouterr().out.split()
    assert main(["review", "--db", db, "--undo", "999999"]) == 1
