"""Stage contracts are true: a stage adds only what its StageInfo declares, and leaves no hidden
state on the context; the runner names the stage that breaks its declaration (E105)."""
from __future__ import annotations

import dataclasses

import pytest

from wirescope.analyse.pipeline import Pipeline, StageInfo
from wirescope.errors import ConfigError
from wirescope.model import Document
from wirescope.settings import Settings

TEXT = ("KABUL (Reuters) - A senior Afghan official said on Friday that the Taliban attacked a police "
        "checkpoint in Ghazni, killing six officers. The Taliban denied it, a spokesman told CNN.")


def _with(pipeline, stage: StageInfo) -> Pipeline:
    out = Pipeline(pipeline.settings, nlp=pipeline.nlp)
    out.stages = [*pipeline.stages, stage]
    return out


def test_builtin_stages_keep_their_declarations(pipeline):
    analysis = pipeline.analyse(Document(TEXT, published="2021-03-20"))
    assert analysis.entities and analysis.statements


def test_undeclared_entities_are_refused(pipeline):
    def sneaky(ctx):
        ctx.new_entity("Nobody", "person")

    bad = _with(pipeline, StageInfo("sneaky", requires=("entities",), assigns=("relations",), run=sneaky))
    with pytest.raises(ConfigError) as info:
        bad.analyse(Document(TEXT, published="2021-03-20"))
    assert info.value.code == "E105" and "sneaky" in info.value.message and "entities" in info.value.message


def test_hidden_state_on_the_context_is_refused(pipeline):
    def leaves_state(ctx):
        ctx.scratch = {"for": "later stages"}

    bad = _with(pipeline, StageInfo("leaves_state", requires=(), assigns=(), run=leaves_state))
    with pytest.raises(ConfigError) as info:
        bad.analyse(Document(TEXT, published="2021-03-20"))
    assert info.value.code == "E105" and "scratch" in info.value.message


def test_a_declared_product_passes(pipeline):
    def makes(ctx):
        ctx.products["scratch"] = 1

    good = _with(pipeline, StageInfo("makes", requires=(), assigns=("scratch",), run=makes))
    assert good.analyse(Document(TEXT, published="2021-03-20")).entities


def test_requirements_are_checked_at_start_up(pipeline):
    stage = StageInfo("late", requires=("nothing_assigns_this",), assigns=(), run=lambda ctx: None)
    with pytest.raises(ConfigError) as info:
        _with(pipeline, stage).check()
    assert info.value.code == "E104"


def test_every_builtin_stage_declares_what_it_reads(pipeline):
    Pipeline(Settings(), nlp=pipeline.nlp).check()  # raises E104 on a missing declaration
    assert all(dataclasses.is_dataclass(s) for s in pipeline.stages)
