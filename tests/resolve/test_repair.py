"""The repair of a knowledge base made while resolution still fragmented: actors of one gazetteer
identity folded into the oldest, each fold a judgement; pairs judged different and actors with two
identities left alone; a second run finds nothing."""
from __future__ import annotations

from sqlalchemy import insert, select

from wirescope.resolve import judgements as J
from wirescope.resolve import repair
from wirescope.store import schema as S


def _actor(conn, kb_id: str, name: str, kind: str, gaz: list[str]) -> None:
    conn.execute(insert(S.kb_entities).values(id=kb_id, name=name, key=name.lower(), type=kind, anonymous=False))
    conn.execute(insert(S.kb_names).values(kb_entity=kb_id, name=name, key=name.lower(), how="canonical"))
    for g in gaz:
        conn.execute(insert(S.resolve_keys).values(kb_entity=kb_id, kind="gaz", value=g))


def test_duplicates_of_one_identity_fold_into_the_oldest(fresh_kb):
    with fresh_kb.engine.begin() as conn:
        _actor(conn, "us1", "United States", "location", ["iso:US"])
        _actor(conn, "us2", "US", "location", ["iso:US"])
        _actor(conn, "us3", "United States", "person", ["iso:US"])  # a country the tagger took for a person
        _actor(conn, "t1", "Taliban", "organization", ["gaz:taliban"])
        _actor(conn, "t2", "Pakistani Taliban", "organization", ["gaz:ttp", "gaz:taliban"])  # two identities
        _actor(conn, "fr1", "France", "location", ["iso:FR"])
        _actor(conn, "fr2", "France", "location", ["iso:FR"])
        J.record(conn, "fr1", "fr2", "different", "analyst")
        assert [v for v, _ in repair.duplicates(conn)] == ["iso:FR", "iso:US"]
        assert repair.fold_duplicates(conn, dry_run=True) == [
            {"identity": "iso:US", "keep": "us1", "drop": "us2"}, {"identity": "iso:US", "keep": "us1", "drop": "us3"}]
        assert J.canonical(conn, "us2") == "us2"  # a dry run changes nothing
        done = repair.fold_duplicates(conn)
        assert [(d["keep"], d["drop"]) for d in done] == [("us1", "us2"), ("us1", "us3")]
        assert J.canonical(conn, "us2") == J.canonical(conn, "us3") == "us1"
        assert J.canonical(conn, "t2") == "t2" and J.canonical(conn, "fr2") == "fr2"
        why = conn.execute(select(S.judgements.c.author, S.judgements.c.explanation)
                           .where(S.judgements.c.right == "us3")).one()
        assert why.author == repair.AUTHOR and why.explanation["gazetteer"] == "iso:US"
        assert repair.fold_duplicates(conn) == []  # idempotent


def test_an_empty_knowledge_base_has_nothing_to_repair(fresh_kb):
    with fresh_kb.engine.begin() as conn:
        assert repair.duplicates(conn) == [] and repair.fold_duplicates(conn) == []


def test_the_repair_command_lists_then_folds(fresh_kb, tmp_path, capsys):
    """`wirescope repair --dry-run` lists the folds and changes nothing; `wirescope repair` folds them."""
    import json

    from wirescope.cli import main

    with fresh_kb.engine.begin() as conn:
        _actor(conn, "us1", "United States", "location", ["iso:US"])
        _actor(conn, "us2", "US", "location", ["iso:US"])
    url = str(fresh_kb.engine.url)
    assert main(["repair", "--dry-run", "--db", url]) == 0
    assert "would fold us2 into us1 (iso:US)" in capsys.readouterr().out
    with fresh_kb.engine.connect() as conn:
        assert J.canonical(conn, "us2") == "us2"
    assert main(["repair", "--db", url, "-f", "json"]) == 0
    folds = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert folds == [{"identity": "iso:US", "keep": "us1", "drop": "us2"}]
    with fresh_kb.engine.connect() as conn:
        assert J.canonical(conn, "us2") == "us1"
    assert main(["repair", "--db", url]) == 0
    assert "no duplicate actors to fold" in capsys.readouterr().out

