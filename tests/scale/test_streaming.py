"""Streaming ingest: documents flow through in batches; nothing holds the whole input.

Both paths (single-process `run_ingest` and the Dask runner) are watched with a counting reader:
at every store, the documents read but not yet stored stay below a bound set by the batch size,
whatever the length of the input.
"""
from __future__ import annotations

import json

import pytest

from wirescope.settings import Settings


def write_feed(path, n: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            out.write(json.dumps({"text": f"Police in Kandahar said {i + 2} men were detained after a raid on "
                                          f"Thursday, a provincial spokesman told reporters.",
                                  "published": "2021-05-06"}) + "\n")


@pytest.fixture
def watch(monkeypatch):
    """Counts documents read and stored; `gaps` holds read - stored at every store."""
    import wirescope.ingest.readers as readers
    from wirescope.store.kb import KnowledgeBase

    state = {"read": 0, "saved": 0, "gaps": []}
    real_read, real_save = readers.read_inputs, KnowledgeBase.save

    def counting(*args, **kwargs):
        for item in real_read(*args, **kwargs):
            state["read"] += 1
            yield item

    def save(self, analysis, resolver=None):
        result = real_save(self, analysis, resolver)
        state["saved"] += 1
        state["gaps"].append(state["read"] - state["saved"])
        return result

    monkeypatch.setattr(readers, "read_inputs", counting)
    monkeypatch.setattr(KnowledgeBase, "save", save)
    return state


@pytest.mark.parametrize("docs, batch_size", [(24, 4), (60, 4), (60, 10)])
def test_run_ingest_streams(watch, tmp_path, nlp, monkeypatch, docs, batch_size):
    import wirescope.analyse.pipeline as pipeline_module
    from wirescope.cli import run_ingest

    monkeypatch.setattr(pipeline_module, "load_spacy", lambda model: nlp)  # one model load per session
    feed = tmp_path / "feed.jsonl"
    write_feed(feed, docs)
    summary = run_ingest([str(feed)], Settings(db_url=f"sqlite:///{tmp_path / 'kb.db'}", batch_size=batch_size))
    assert summary["stored"] == docs == watch["saved"] == watch["read"]
    assert max(watch["gaps"]) <= batch_size  # one batch in hand at most, however long the feed


@pytest.mark.parametrize("docs, batch_size, in_flight", [(24, 2, 2), (60, 2, 2), (60, 5, 3)])
def test_run_distributed_streams(watch, tmp_path, cluster, docs, batch_size, in_flight):
    from wirescope.scale.runner import run_distributed

    feed = tmp_path / "feed.jsonl"
    write_feed(feed, docs)
    summary = run_distributed([str(feed)], Settings(db_url=f"sqlite:///{tmp_path / 'kb.db'}"),
                              scheduler=cluster.scheduler_address, batch_size=batch_size, max_in_flight=in_flight)
    assert summary["stored"] == docs == watch["saved"] == watch["read"]
    assert max(watch["gaps"]) <= (in_flight + 1) * batch_size
