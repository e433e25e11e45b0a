"""Context summaries and the resolver's cache: what resolution reads of stored actors is kept up to
date on write, built once for knowledge bases made before, and never stale when another writer
(or a rolled-back document) changed the knowledge base."""
from __future__ import annotations

import json
import random

from sqlalchemy import delete, select

from wirescope.flow import open_kb
from wirescope.resolve import summary as CS
from wirescope.store import schema as S

from test_fragmentation import corpus as us_corpus  # noqa: E402  (tests/resolve is on sys.path)


def summaries(kb) -> dict:
    with kb.engine.connect() as conn:
        rows = conn.execute(select(S.actor_context.c.kb_entity, S.actor_context.c.kind, S.actor_context.c.value)).all()
    out: dict = {}
    for r in rows:
        out.setdefault(r.kb_entity, set()).add((r.kind, r.value))
    return out


def from_documents(kb) -> dict:
    """What the summaries must hold (under their caps): per stored actor that is not a place, the
    context actors of the documents naming it, read from the documents."""
    de = S.doc_entities
    with kb.engine.connect() as conn:
        rows = conn.execute(select(de.c.doc_id, de.c.kb_entity, de.c.name, de.c.type, de.c.country, de.c.geo,
                                   de.c.anonymous)).all()
    docs: dict = {}
    for r in rows:
        docs.setdefault(r.doc_id, []).append(r)
    out: dict = {}
    for members in docs.values():
        context = set()
        for r in members:
            _, is_actor = CS.row_context(r.name, r.type, r.country, r.geo, bool(r.anonymous))
            if is_actor and not r.anonymous:
                context.add(r.kb_entity)
        for r in members:
            if r.anonymous or CS.M.name_class(r.name) == "common" or r.type == "location":
                continue
            mine = out.setdefault(r.kb_entity, set())
            mine |= {("actor", c) for c in context - {r.kb_entity}}
    return out


def test_summaries_hold_what_the_documents_say(kb_corpus):
    got, want = summaries(kb_corpus), from_documents(kb_corpus)
    assert {k: v for k, v in got.items() if v} == {k: v for k, v in want.items() if v}


def test_summaries_are_capped_and_leave_out_places(fresh_kb):
    """A document adds at most ACTOR_CAP co-occurring actors to an actor, then marks it full; places get none."""
    with fresh_kb.engine.begin() as conn:
        conn.execute(S.documents.insert().values(id="d1", text="x"))
        conn.execute(S.kb_entities.insert(), [dict(id=f"k{i}", name=f"Name{i}", key=f"name{i}", type="person",
                                                    anonymous=False) for i in range(CS.ACTOR_CAP + 5)]
                     + [dict(id="place", name="Kabul", key="kabul", type="location", anonymous=False)])
        actors = [(f"k{i}", f"Zed Name{i}", "person", None, None, False) for i in range(CS.ACTOR_CAP + 5)]
        CS.record(conn, "d1", actors + [("place", "Kabul", "location", "AF", None, False)])
    got = summaries(fresh_kb)
    assert "place" not in got
    assert len([v for k, v in got["k0"] if k == "actor"]) == CS.ACTOR_CAP
    assert ("full", "actor") in got["k0"]


def test_knowledge_bases_made_before_get_their_summaries_once(tmp_path, corpus_module):
    url = f"sqlite:///{tmp_path}/kb.db"
    kb = corpus_module.build(url)
    built = summaries(kb)
    with kb.engine.begin() as conn:  # as a knowledge base made before the summaries existed
        conn.execute(delete(S.actor_context))
        conn.execute(delete(S.meta).where(S.meta.c.key == CS.META_KEY))
    kb.close()
    again = open_kb(url)
    extra = us_corpus(1)[0][0]
    assert again.save(extra).stored  # the first document written builds them
    rebuilt = summaries(again)
    new_doc = {k for k, v in rebuilt.items() if k not in built}
    assert not new_doc & built.keys()
    for k, v in built.items():
        assert v <= rebuilt[k]
    again.close()


def _kb_rows(kb) -> dict:
    with kb.engine.connect() as conn:
        def rows(table, *cols):
            return [tuple(r) for r in conn.execute(select(*[table.c[c] for c in cols]).order_by(*[table.c[c] for c in cols]))]
        return {
            "kb_entities": rows(S.kb_entities, "id", "name", "type", "country", "merged_into"),
            "kb_names": rows(S.kb_names, "id", "kb_entity", "name", "how"),
            "resolve_keys": rows(S.resolve_keys, "id", "kb_entity", "kind", "value"),
            "doc_entities": rows(S.doc_entities, "doc_id", "local_id", "kb_entity"),
            "judgements": [(r.left, r.right, r.decision, r.score, json.dumps(r.explanation, sort_keys=True))
                           for r in conn.execute(select(S.judgements).order_by(S.judgements.c.id))],
        }


def test_two_writers_on_one_file_see_each_others_actors(tmp_path):
    """Writers take turns on one knowledge base: each one's kept reads are dropped when the other
    wrote, so the result is the one a single writer makes."""
    docs = [a for a, _ in us_corpus(60, seed=9)]
    single = open_kb(f"sqlite:///{tmp_path}/single.db")
    for a in docs:
        single.save(a)
    want = _kb_rows(single)
    single.close()
    url = f"sqlite:///{tmp_path}/shared.db"
    writers = [open_kb(url), open_kb(url)]
    rng = random.Random(3)
    for a in docs:
        writers[rng.randrange(2)].save(a)
    got = _kb_rows(writers[0])
    for w in writers:
        w.close()
    assert got == want


def test_a_rolled_back_document_leaves_no_kept_read(tmp_path):
    """A document whose transaction fails after resolution: the next one reads the knowledge base again."""
    docs = [a for a, _ in us_corpus(30, seed=4)]
    url = f"sqlite:///{tmp_path}/kb.db"
    kb = open_kb(url)
    for a in docs[:10]:
        kb.save(a)
    bad = docs[10]
    bad.relations = []
    broken = type(bad.entities[0])(bad.entities[0].id, bad.entities[0].name, bad.entities[0].type)
    broken.mentions = list(bad.entities[0].mentions)
    bad.entities.append(broken)  # a second actor with the same local id: the doc_entities insert fails
    try:
        kb.save(bad)
    except Exception:  # noqa: BLE001 - the store reports it; the transaction is rolled back
        pass
    for a in docs[11:]:
        kb.save(a)
    got = _kb_rows(kb)
    kb.close()
    clean = open_kb(f"sqlite:///{tmp_path}/clean.db")
    for a in docs[:10] + docs[11:]:
        clean.save(a)
    want = _kb_rows(clean)
    clean.close()
    assert got == want
