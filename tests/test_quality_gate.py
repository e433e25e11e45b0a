"""The quality gate: every score pinned in bench/baseline.json must stay at or above its floor.

The development data are parsed once per session (the Analyser keeps the parses); the tests of
the gate itself re-run the stages of a deliberately broken pipeline on the same parses, and check
that the gate reports the regression, without touching the real gate's numbers.
"""
from __future__ import annotations

import dataclasses
import json

import pytest

from bench import gate
from wirescope.eval import Analyser

BASELINE = gate.load_baseline()
PINNED = [(name, metric) for name, ds in BASELINE["datasets"].items() for metric in ds["metrics"]]


@pytest.fixture(scope="session")
def gate_analyser(pipeline):
    return Analyser(pipeline)


@pytest.fixture(scope="session")
def scores(gate_analyser):
    return gate.measure(gate_analyser)


@pytest.mark.parametrize("dataset,metric", PINNED, ids=[f"{d}-{m}" for d, m in PINNED])
def test_score_holds_its_floor(scores, dataset, metric):
    floor = BASELINE["datasets"][dataset]["metrics"][metric]["floor"]
    score = scores[dataset]["metrics"][metric]
    assert score >= floor, (f"{dataset} {metric} fell to {score:.3f}, below its floor {floor:.2f}. If this is on "
                            "purpose, run `python -m bench.gate --update` and say why in the commit message.")


def test_every_dataset_is_pinned_with_versions():
    unsealed = {n for n, d in gate.DATASETS.items() if d.status != "sealed"}
    assert unsealed <= set(BASELINE["datasets"]) <= set(gate.DATASETS)
    for name, ds in BASELINE["datasets"].items():
        assert set(ds["metrics"]) == set(gate.DATASETS[name].metrics), name
        assert {"wirescope", "spacy", "spacy_model", "python"} <= set(ds["versions"]), name
        for metric, entry in ds["metrics"].items():
            assert entry["floor"] == gate.floor_of(entry["measured"], gate.DATASETS[name].tolerance), (name, metric)


def _broken(pipeline, stage_name):
    """A copy of the pipeline whose stage `stage_name` runs but produces nothing."""
    from wirescope.analyse.pipeline import Pipeline

    broken = Pipeline(pipeline.settings, nlp=pipeline.nlp)
    broken.stages = [dataclasses.replace(s, run=lambda ctx: None) if s.name == stage_name else s
                     for s in broken.stages]
    return broken


@pytest.mark.parametrize("stage,dataset,must_fall", [
    ("times", "meantime-dev", {"timex_value_f1"}),
    ("actors", "meantime-dev", {"mention_exact_f1", "mention_overlap_f1"}),
    ("attribution", "attribution-dev", {"content_f1", "speaker_accuracy"}),
])
def test_gate_catches_a_broken_stage(pipeline, gate_analyser, scores, stage, dataset, must_fall):
    analyser = Analyser(_broken(pipeline, stage), cache=gate_analyser.cache)  # the same parses
    broken_scores = gate.measure(analyser, [dataset])
    regressions = gate.check(broken_scores, BASELINE)
    assert must_fall <= {r.metric for r in regressions}, [str(r) for r in regressions]
    assert all(r.dataset == dataset for r in regressions)
    # the real pipeline, on the same cached parses, passes
    assert gate.check({dataset: scores[dataset]}, BASELINE) == []


@pytest.mark.parametrize("score,floor", [(1.0, 0.98), (0.843, 0.82), (0.8142, 0.79), (0.83, 0.81),
                                          (0.015, 0.0), (0.0, 0.0)])
def test_floor_of(score, floor):
    assert gate.floor_of(score) == floor


def test_update_reports_what_moved():
    old = {"datasets": {"seed": {"metrics": {"recall": {"floor": 0.9, "measured": 0.93},
                                             "precision": {"floor": 0.8, "measured": 0.82}}},
                        "retired": {"metrics": {}}}}
    scores = {"seed": {"metrics": {"recall": 0.95, "precision": 0.821}, "documents": 1}}
    new, moves = gate.updated(scores, old, {"wirescope": "9"}, today="2030-01-01")
    # the seed is tuned on: its floor sits 0.10 below the score, a guard rather than a target
    assert new["datasets"]["seed"]["metrics"]["recall"] == {"floor": 0.85, "measured": 0.95}
    assert new["datasets"]["seed"]["versions"] == {"wirescope": "9"}
    assert new["datasets"]["seed"]["status"] == "tuned"
    assert moves == ["seed recall: floor 0.90 -> 0.85 (measured 0.930 -> 0.950)",
                     "seed precision: floor 0.80 -> 0.72 (measured 0.820 -> 0.821)", "retired: data set dropped"]
    assert gate.check({"seed": {"metrics": {"recall": 0.84, "precision": 0.9}}}, new)[0].metric == "recall"


def test_quality_page_lists_every_dataset():
    page = (gate.ROOT / "docs" / "quality.md").read_text(encoding="utf-8")
    assert page.startswith("# How good is it")
    for name, ds in BASELINE["datasets"].items():
        assert f"| {name} |" in page, name
        for metric, entry in ds["metrics"].items():
            assert f"| {metric} |" in page
    generated = gate.markdown({}, BASELINE, {"wirescope": "x"})
    assert all(f"| {name} |" in generated for name in BASELINE["datasets"])


def test_baseline_file_is_plain_json():
    text = (gate.BENCH / "baseline.json").read_text(encoding="utf-8")
    assert json.loads(text) == BASELINE and text.endswith("\n")
