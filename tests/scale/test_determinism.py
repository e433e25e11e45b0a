"""The same documents give the same knowledge base whatever the number of Dask workers and the order
in which they finish: every row the resolver writes (actor ids, the name an actor keeps, its names
and blocking keys, every judgement in order) is compared, not only counts."""
from __future__ import annotations

import json
import random

import pytest
from sqlalchemy import select

from wirescope.settings import Settings
from wirescope.store import schema as S

# actors that recur across articles, in forms whose resolution depends on what came first
ARTICLES = [
    "KABUL (Wire) - President Ashraf Ghani said on Monday that the Taliban had rejected a ceasefire. "
    "Ghani spoke in Kabul after meeting envoys from the United States.",
    "Ghani told reporters in Herat that talks with the Taliban would resume. The US envoy Zalmay Khalilzad "
    "met Taliban negotiators in Doha, Qatar.",
    "Zalmay Khalilzad, the U.S. special envoy, said the United States wanted a political settlement. "
    "Khalilzad met Pakistan's foreign minister Shah Mehmood Qureshi in Islamabad.",
    "Pakistan's foreign minister said Islamabad supported the talks. Qureshi said the Taliban should "
    "reduce violence. Mullah Abdul Ghani Baradar led the Taliban delegation in Doha.",
    "Baradar said the Taliban would not attack US troops. Abdul Ghani Baradar met Khalilzad in Doha on Tuesday.",
    "The Haqqani network, an ally of the Taliban, was blamed for an attack in Kabul, an Afghan official said. "
    "Sirajuddin Haqqani leads the network.",
    "Sirajuddin Haqqani wrote in the New York Times that the Taliban wanted peace. Haqqani said foreign "
    "troops must leave Afghanistan.",
    "Afghan President Ghani said Afghanistan would not accept a deal made without the government. "
    "The United Nations envoy Deborah Lyons said in Kabul that violence was rising.",
    "Deborah Lyons told the UN Security Council that the Taliban had taken districts in Kunduz. "
    "Lyons said civilians were fleeing to Kabul.",
    "Islamic State claimed an attack in Jalalabad, Afghan police said. The Islamic State group has "
    "fought the Taliban in Nangarhar.",
    "Taliban spokesman Zabihullah Mujahid denied that the group had attacked Kunduz. Mujahid said "
    "the Taliban were committed to talks in Doha.",
    "Zabiullah Mujahid, a Taliban spokesman, said the group had captured a district in Badghis. "
    "Officials in Herat denied the claim, and Ghani ordered troops to Badghis.",
]


def write_feed(path) -> None:
    with path.open("w", encoding="utf-8") as out:
        for i, text in enumerate(ARTICLES):
            out.write(json.dumps({"text": text, "published": f"2021-04-{i + 1:02d}"}) + "\n")


def kb_rows(url: str) -> dict:
    """Every row resolution writes, and what the documents point at."""
    from wirescope.flow import open_kb

    with open_kb(url) as kb, kb.engine.connect() as conn:
        def rows(table, *cols, order=None):
            q = select(*[table.c[c] for c in cols])
            q = q.order_by(*(table.c[c] for c in (order or cols)))
            return [tuple(r) for r in conn.execute(q).all()]

        k, n, rk, j = S.kb_entities, S.kb_names, S.resolve_keys, S.judgements
        return {
            "documents": rows(S.documents, "id", "duplicate_of"),
            "kb_entities": rows(k, "id", "name", "key", "type", "subtype", "anonymous", "country", "merged_into"),
            "kb_names": rows(n, "kb_entity", "name", "key", "how", "doc_id", order=["id"]),
            "resolve_keys": rows(rk, "kb_entity", "kind", "value", "doc_id", order=["id"]),
            "doc_entities": rows(S.doc_entities, "doc_id", "local_id", "kb_entity"),
            "relations": rows(S.relations, "doc_id", "local_id", "subject_kb", "object_kb"),
            "events": rows(S.events, "doc_id", "local_id", "source_kb", "target_kb", "location_kb"),
            "judgements": [(r.left, r.right, r.decision, r.score, r.author, json.dumps(r.explanation, sort_keys=True))
                           for r in conn.execute(select(j).order_by(j.c.id)).all()],
        }


def same(got: dict, want: dict) -> None:
    """Assert two kb_rows() are equal, naming the first row that differs."""
    for table in want:
        a, b = got[table], want[table]
        if a != b:
            first = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
            raise AssertionError(f"{table}: {len(a)} rows vs {len(b)}; row {first}: "
                                 f"{a[first] if first < len(a) else None} != {b[first] if first < len(b) else None}")


@pytest.fixture(scope="module")
def feed(tmp_path_factory):
    path = tmp_path_factory.mktemp("feed") / "feed.jsonl"
    write_feed(path)
    return path


@pytest.fixture(scope="module")
def serial(feed, tmp_path_factory):
    from wirescope.flow import run_ingest

    url = f"sqlite:///{tmp_path_factory.mktemp('serial') / 'kb.db'}"
    summary = run_ingest([str(feed)], Settings(db_url=url, batch_size=5))
    assert summary["stored"] == len(ARTICLES)
    return kb_rows(url)


def test_serial_runs_agree_whatever_the_batch_size(feed, serial, tmp_path, monkeypatch, nlp):
    import wirescope.analyse.pipeline as pipeline_module
    from wirescope.flow import run_ingest

    monkeypatch.setattr(pipeline_module, "load_spacy", lambda model: nlp)
    url = f"sqlite:///{tmp_path / 'kb.db'}"
    run_ingest([str(feed)], Settings(db_url=url, batch_size=2))
    same(kb_rows(url), serial)


def test_two_workers_build_the_serial_knowledge_base(feed, serial, cluster, tmp_path):
    """Batches of one document on two workers finish in whatever order; the writer stores in input order."""
    from wirescope.scale.runner import run_distributed

    url = f"sqlite:///{tmp_path / 'kb.db'}"
    summary = run_distributed([str(feed)], Settings(db_url=url), scheduler=cluster.scheduler_address,
                              batch_size=1, max_in_flight=4)
    assert summary["stored"] == len(ARTICLES)
    same(kb_rows(url), serial)


class _Future:
    def __init__(self, key: str, fn, args) -> None:
        self.key, self.fn, self.args = key, fn, args

    def result(self):
        return self.fn(*self.args)

    def release(self) -> None:
        pass


class _Client:
    """Runs each task in this process when its result is asked for."""

    def __init__(self) -> None:
        self.n = 0

    def submit(self, fn, *args, pure=True):  # noqa: ARG002
        self.n += 1
        return _Future(f"task-{self.n}", fn, args)


class _Shuffled:
    """distributed.as_completed, finishing the running tasks in a random order."""

    def __init__(self, seed: int) -> None:
        self.pending: list = []
        self.rng = random.Random(seed)
        self.order: list[str] = []

    def add(self, future) -> None:
        self.pending.append(future)

    def __iter__(self):
        while self.pending:
            future = self.pending.pop(self.rng.randrange(len(self.pending)))
            self.order.append(future.key)
            yield future


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_shuffled_completion_builds_the_serial_knowledge_base(feed, serial, tmp_path, monkeypatch, nlp, seed):
    import distributed

    import wirescope.analyse.pipeline as pipeline_module
    from wirescope.flow import Ingest, open_kb
    from wirescope.scale import runner

    monkeypatch.setattr(pipeline_module, "load_spacy", lambda model: nlp)
    made: list[_Shuffled] = []

    def as_completed():
        made.append(_Shuffled(seed))
        return made[-1]

    monkeypatch.setattr(distributed, "as_completed", as_completed)
    url = f"sqlite:///{tmp_path / 'kb.db'}"
    settings = Settings(db_url=url)
    kb = open_kb(url, settings=settings)
    flow = Ingest(kb)
    try:
        runner._drive(_Client(), flow, [str(feed)], settings, batch_size=1, limit=5, advance=lambda n=1: None)
    finally:
        kb.close()
    order = made[0].order
    assert order != sorted(order, key=lambda k: int(k.split("-")[1]))  # they did finish out of order
    assert flow.tally.stored == len(ARTICLES)
    same(kb_rows(url), serial)


def test_in_order_buffer_hands_batches_out_in_submission_order():
    from wirescope.scale.runner import InOrder

    rng = random.Random(4)
    buffer = InOrder()
    keys = [f"k{i}" for i in range(50)]
    for k in keys:
        buffer.expect(k, [k])
    finished = keys[:]
    rng.shuffle(finished)
    out = []
    for k in finished:
        out.extend(members[0] for members, _results in buffer.done(k, k.upper()))
    assert out == keys and len(buffer) == 0
