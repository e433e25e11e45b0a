"""The pipeline runner: declared stage order, named failures, time budgets."""
from __future__ import annotations

import time

import pytest

from wirescope.analyse.pipeline import Pipeline, StageInfo, split_chunks
from wirescope.errors import ConfigError, StageError
from wirescope.model import Document
from wirescope.settings import Settings

TEXT = "KABUL (Wire) - The Taliban attacked a checkpoint in Helmand on Monday, officials said.\n"


def pipeline_with(nlp, stages, **settings):
    p = Pipeline(Settings(stages=("actors",), **settings), nlp=nlp)
    p.stages = [p.stages[0], *stages]
    p.check()
    return p


def test_a_stage_that_needs_what_no_one_assigns_is_refused(nlp):
    needy = StageInfo("needy", requires=("relations",), assigns=(), run=lambda ctx: None)
    with pytest.raises(ConfigError) as info:
        pipeline_with(nlp, [needy])
    assert info.value.code == "E104" and "needy" in info.value.message


def test_unknown_stage_name(nlp):
    with pytest.raises(ConfigError) as info:
        Pipeline(Settings(stages=("actors", "telepathy")), nlp=nlp)
    assert info.value.code == "E102" and "attribution" in info.value.message


def test_a_crashing_stage_is_named_with_the_document(nlp):
    def boom(ctx):
        raise ValueError("bad table")
    p = pipeline_with(nlp, [StageInfo("boom", requires=(), assigns=(), run=boom)])
    with pytest.raises(StageError) as info:
        p.analyse(Document(TEXT, source="story.txt"))
    assert info.value.code == "E301"
    assert "boom" in info.value.message and "story.txt" in info.value.message and "bad table" in info.value.message


def test_a_stage_over_budget_is_stopped_and_the_document_kept(nlp):
    ran = []

    def slow(ctx):
        time.sleep(5)

    def later(ctx):
        ran.append(True)

    p = pipeline_with(nlp, [StageInfo("slow", (), (), slow), StageInfo("later", (), (), later)], stage_budget=0.3)
    started = time.perf_counter()
    result = p.analyse(Document(TEXT))
    assert time.perf_counter() - started < 3
    assert any("'slow'" in w and "time budget of 0.3s" in w for w in result.warnings), result.warnings
    assert result.entities  # what the actors stage found is kept
    assert ran == []  # stages after the one that ran out do not run on this document


@pytest.mark.parametrize("text, limit", [
    ("One. Two. Three. " * 50, 40),
    ("word " * 1000, 64),
    ("x" * 1000, 100),
    ("Para one.\n\nPara two is here.\nLine.\n" * 30, 50),
])
def test_chunks_concatenate_back_to_the_text(text, limit):
    chunks = split_chunks(text, limit)
    assert "".join(chunks) == text
    assert all(len(c) <= limit for c in chunks)
