"""The Dask runner on a real two-process LocalCluster: the same knowledge base as one process."""
from __future__ import annotations

import json
import pickle
from collections import Counter

import pytest
from sqlalchemy import func, select

from wirescope.errors import ConfigError, InputError, StageError, StoreError
from wirescope.settings import Settings
from wirescope.store import schema as S
from wirescope.flow import open_kb

ARTICLES = [
    {"text": "KABUL (Wire) - Taliban fighters attacked a police checkpoint in Ghazni province on Tuesday, "
             "killing four officers, the provincial governor said. \"They came at night with rockets,\" "
             "a police commander told reporters.", "published": "2021-04-06", "outlet": "Wire"},
    {"text": "Pakistan's foreign ministry said on Friday that it had no contact with the Haqqani network, "
             "which Washington says is allied with the Taliban. A ministry spokesman said the accusations "
             "were baseless.", "published": "2021-04-09", "title": "Islamabad denies contact"},
    {"text": "Envoys from the United States and the Taliban met in Doha on Monday to discuss a ceasefire, "
             "according to a Qatari official. The talks ended without agreement, two diplomats said.",
     "published": "2021-04-12"},
    {"text": "Afghan security forces arrested a senior commander of Islamic State in Jalalabad last week, "
             "the National Directorate of Security said in a statement on Sunday.", "published": "2021-04-18"},
    {"text": "Residents of Kunduz said government troops had left two villages near the city. "
             "\"Nobody protects us now,\" one farmer said. The defence ministry declined to comment.",
     "published": "2021-04-20"},
]
BAD_LINE = "{\"text\": \"an article cut off in the middle"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    lines = [json.dumps(a) for a in ARTICLES[:3]] + [BAD_LINE] + [json.dumps(a) for a in ARTICLES[3:]]
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "story.txt").write_text(
        "---\npublished: 2021-04-21\n---\nThe Taliban said on Wednesday that they had captured a district centre "
        "in Badghis province. Officials in Herat denied the claim.\n", encoding="utf-8")
    return folder


def kb_shape(url: str) -> dict:
    """Everything the comparison looks at: documents and per-document layer counts, failures."""
    with open_kb(url) as kb, kb.engine.connect() as conn:
        per_doc = {}
        for table in (S.statements, S.relations, S.events, S.times, S.doc_entities, S.mentions):
            per_doc[table.name] = dict(conn.execute(
                select(table.c.doc_id, func.count()).group_by(table.c.doc_id)).all())
        return {
            "documents": sorted(conn.execute(select(S.documents.c.id)).scalars().all()),
            "per_doc": per_doc,
            "failures": Counter(conn.execute(select(S.failures.c.code)).scalars().all()),
            "actors": sorted(conn.execute(select(S.kb_entities.c.type, S.kb_entities.c.key)
                                          .where(S.kb_entities.c.anonymous.is_(False))).all()),
            "counts": kb.counts(),
        }


@pytest.fixture(scope="module")
def single(corpus, tmp_path_factory):
    from wirescope.flow import run_ingest

    url = f"sqlite:///{tmp_path_factory.mktemp('single') / 'kb.db'}"
    summary = run_ingest([str(corpus)], Settings(db_url=url))
    return summary, kb_shape(url)


def test_distributed_equals_single_process(corpus, cluster, single, tmp_path):
    from wirescope.scale.runner import run_distributed

    url = f"sqlite:///{tmp_path / 'kb.db'}"
    summary = run_distributed([str(corpus)], Settings(db_url=url), scheduler=cluster.scheduler_address, batch_size=2)
    single_summary, single_shape = single
    assert summary == {**single_summary, "db": url}
    shape = kb_shape(url)
    assert shape == single_shape
    assert len(shape["documents"]) == len(ARTICLES) + 1
    assert shape["failures"] == Counter({"E204": 1})
    assert summary["stored"] == len(ARTICLES) + 1 and summary["failed"] == 1
    # a second run stores nothing and analyses nothing
    again = run_distributed([str(corpus)], Settings(db_url=url), scheduler=cluster.scheduler_address)
    assert (again["stored"], again["skipped"], again["failed"]) == (0, len(ARTICLES) + 1, 1)
    assert kb_shape(url)["counts"]["documents"] == len(ARTICLES) + 1


def test_local_cluster_from_workers(corpus, single, tmp_path):
    """--workers N builds its own LocalCluster."""
    from wirescope.scale.runner import run_distributed

    url = f"sqlite:///{tmp_path / 'kb.db'}"
    summary = run_distributed([str(corpus)], Settings(db_url=url), workers=1, batch_size=3)
    assert {k: v for k, v in summary.items() if k != "db"} == {k: v for k, v in single[0].items() if k != "db"}
    assert kb_shape(url)["documents"] == single[1]["documents"]


@pytest.mark.parametrize("batch_size, in_flight", [(1, 1), (2, 2), (3, 4)])
def test_input_is_read_lazily_with_bounded_batches_in_flight(cluster, tmp_path, monkeypatch, batch_size, in_flight):
    import wirescope.ingest.readers as readers
    from wirescope.scale.runner import run_distributed

    total = 30
    feed = tmp_path / "feed.jsonl"
    with feed.open("w", encoding="utf-8") as out:
        for i in range(total):
            out.write(json.dumps({"text": f"Officials in Kabul said {i + 3} people were hurt in a blast on Tuesday.",
                                  "published": "2021-05-04"}) + "\n")
    read = 0
    gaps = []
    real = readers.read_inputs

    def counting(*args, **kwargs):
        nonlocal read
        for item in real(*args, **kwargs):
            read += 1
            yield item

    done = 0

    def advance(n=1):
        nonlocal done
        done += n
        gaps.append(read - done)

    monkeypatch.setattr(readers, "read_inputs", counting)
    summary = run_distributed([str(feed)], Settings(db_url=f"sqlite:///{tmp_path / 'kb.db'}"),
                              scheduler=cluster.scheduler_address, batch_size=batch_size,
                              max_in_flight=in_flight, advance=advance)
    assert summary["stored"] == total and done == total
    # documents read but not yet stored never exceed the batches in flight plus the one being filled
    assert max(gaps) <= (in_flight + 1) * batch_size
    assert read == total


def test_missing_model_fails_every_document_and_the_run_goes_on(cluster, corpus, tmp_path):
    from wirescope.scale.runner import run_distributed

    url = f"sqlite:///{tmp_path / 'kb.db'}"
    summary = run_distributed([str(corpus)], Settings(db_url=url, model="no_such_spacy_model"),
                              scheduler=cluster.scheduler_address, batch_size=2)
    assert summary["stored"] == 0
    assert summary["failed"] == len(ARTICLES) + 2  # every document plus the bad line
    assert kb_shape(url)["failures"] == Counter({"E101": len(ARTICLES) + 1, "E204": 1})


@pytest.mark.parametrize("text", [a["text"] for a in ARTICLES] + ["\u0627\u0644\u0633\u0644\u0627\u0645 \U0001F600 \"\"", "x"])
def test_analysis_pickles(analyse, text):
    analysis = analyse(text)
    copy = pickle.loads(pickle.dumps(analysis))
    assert copy.to_dict() == analysis.to_dict()
    assert type(copy) is type(analysis)


@pytest.mark.parametrize("error, source", [
    (InputError("E204", path="feed.jsonl", line=4, reason="Unterminated string"), "feed.jsonl"),
    (StageError("E301", stage="events", document="doc_1", reason="IndexError: list index out of range"), "doc_1"),
    (StoreError("E402", document="a.txt", reason="database is locked"), "a.txt"),
    (ConfigError("E101", name="no_such_model"), "b.txt"),
])
def test_failures_cross_processes_with_code_and_message(error, source):
    from wirescope.scale.runner import Failure

    failure = pickle.loads(pickle.dumps(Failure.of(error, source)))
    rebuilt = failure.error()
    assert (type(rebuilt), rebuilt.code, rebuilt.message, rebuilt.hint) == (type(error), error.code, error.message, error.hint)
    assert failure.source == source


def test_cli_ingest_dispatches_to_the_cluster(corpus, cluster, single, tmp_path, capsys):
    from wirescope.cli import main

    url = f"sqlite:///{tmp_path / 'kb.db'}"
    code = main(["ingest", str(corpus), "--db", url, "--scheduler", cluster.scheduler_address])
    err = capsys.readouterr().err
    assert code == 1  # the bad line fails; every other document is stored
    assert "error [E204]" in err and f"stored {len(ARTICLES) + 1} document(s)" in err
    assert kb_shape(url) == single[1]


@pytest.mark.parametrize("args", [["--workers", "0"], ["--workers", "-2"]])
def test_cli_refuses_bad_worker_counts(args, tmp_path):
    from wirescope.cli import main

    assert main(["ingest", str(tmp_path), "--db", str(tmp_path / "kb.db"), *args]) == 2


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:1", "tcp://127.0.0.1:9"])
def test_unreachable_scheduler_is_a_config_error(corpus, tmp_path, address):
    from wirescope.scale.runner import run_distributed

    with pytest.raises(ConfigError) as info:
        run_distributed([str(corpus)], Settings(db_url=f"sqlite:///{tmp_path / 'kb.db'}"), scheduler=address,
                        connect_timeout=2)
    assert info.value.code == "E103" and address in info.value.message
