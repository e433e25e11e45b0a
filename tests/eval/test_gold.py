"""Analyst gold (*.gold.json) scorer: a tiny gold written here, results written by hand, and the
agreement with the reference scorer in ../shared/tools on the same inputs."""
from __future__ import annotations

import copy
import importlib.util
import json

import pytest

from wirescope.eval.gold import load_gold, normalise, score_gold

TEXT = ("The Red Cross said on Monday that its convoy reached Mosul. A senior army officer told "
        "reporters the militia had agreed with the government to open the road.")

GOLD = {
    "text_file": "story.txt",
    "published": "2022-05-04",
    "entities": [
        {"key": "icrc", "names": ["Red Cross", "International Committee of the Red Cross"], "type": "organization"},
        {"key": "mosul", "names": ["Mosul"], "type": "location"},
        {"key": "officer", "names": ["senior army officer", "officer"], "type": "person", "anonymous": True},
        {"key": "militia", "names": ["militia"], "type": "group"},
        {"key": "gov", "names": ["government"], "type": "organization"},
        {"key": "reporters", "names": ["reporters"], "type": "group", "optional": True},
    ],
    "times": [{"text": "Monday", "value": "2022-05-02"}],
    "statements": [
        {"speaker": "icrc", "cue": "said", "contains": "convoy reached", "direct": False},
        {"speaker": "officer", "cue": "told", "contains": "open the road", "via": "reporters"},
    ],
    "relations": [
        {"subject": "militia", "type": "agreement_with", "object": "gov", "polarity": "positive"},
        {"subject": "icrc", "type_any": ["operates_in"], "object": "mosul"},
    ],
    "relations_acceptable": [{"subject": "gov", "type": "operates_in", "object": "mosul"}],
    "events": [
        {"type": "AGREE", "actors": ["militia", "gov"], "time": "2022"},
        {"type": "AID", "source": "icrc", "location": "mosul"},
    ],
    "events_acceptable": [{"type_any": ["CONSULT", "COOPERATE"], "source": "militia"}],
}


def _span(text, occurrence=0):
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(text, start + 1)
    return {"start": start, "end": start + len(text), "text": text}


def _entity(eid, name, type_, mentions, anonymous=False, aliases=()):
    return {"id": eid, "name": name, "type": type_, "anonymous": anonymous, "aliases": list(aliases),
            "mentions": [_span(m) for m in mentions]}


def perfect_result():
    return {
        "entities": [
            _entity("e1", "Red Cross", "organization", ["Red Cross"], aliases=["International Committee of the Red Cross"]),
            _entity("e2", "Mosul", "location", ["Mosul"]),
            _entity("e3", "senior army officer", "person", ["senior army officer"], anonymous=True, aliases=["officer"]),
            _entity("e4", "militia", "group", ["militia"]),
            _entity("e5", "government", "organization", ["government"]),
            _entity("e6", "reporters", "group", ["reporters"]),
        ],
        "times": [{"text": "Monday", "value": "2022-05-02", "type": "DATE", **_span("Monday")}],
        "statements": [
            {"id": "s1", "speaker": "e1", "cue": "said", "direct": False, "via": None,
             "content": _span("its convoy reached Mosul")},
            {"id": "s2", "speaker": "e3", "cue": "told", "direct": False, "via": "e6",
             "content": _span("the militia had agreed with the government to open the road")},
        ],
        "relations": [
            # symmetric type stated the other way round: still the gold link
            {"subject": "e5", "type": "agreement_with", "object": "e4", "polarity": "positive"},
            {"subject": "e1", "type": "operates_in", "object": "e2", "polarity": "positive"},
        ],
        "events": [
            {"type": "AGREE", "source": "e4", "target": "e5", "time": "2022-05"},  # more precise than 2022
            {"type": "AID", "source": "e1", "location": "e2"},
        ],
    }


def test_perfect_result_scores_exactly_one():
    s = score_gold(GOLD, perfect_result())
    assert s.recall == 1.0 and s.precision == 1.0
    assert all(c.passed for c in s.checks)
    assert s.by_category() == {"entity": (5, 5), "time": (1, 1), "statement": (3, 3), "relation": (2, 2), "event": (2, 2)}


def test_empty_result_scores_exactly_zero():
    s = score_gold(GOLD, {"entities": [], "times": [], "statements": [], "relations": [], "events": []})
    assert s.recall == 0.0 and s.precision == 0.0
    assert not any(c.passed for c in s.checks)


def _without(path):
    def edit(r):
        section, index = path
        del r[section][index]
    return edit


def _set(section, index, **values):
    def edit(r):
        r[section][index].update(values)
    return edit


def _add(section, item):
    def edit(r):
        r[section].append(item)
    return edit


# each edit of the perfect result, and the checks it must fail (precision as a fraction)
CASES = [
    ("entity typed wrong", _set("entities", 1, type="organization"), ["entity:mosul"], 1.0),
    ("anonymous source not marked", _set("entities", 2, anonymous=False), ["entity:officer"], 1.0),
    ("alias missing", _set("entities", 0, aliases=[]), ["entity:icrc"], 1.0),
    ("one actor split in two",
     _add("entities", _entity("e9", "International Committee of the Red Cross", "organization", [])), ["entity:icrc"], 1.0),
    ("optional entity missing: not counted", _without(("entities", 5)), ["statement:via"], 1.0),
    ("time with the wrong value", _set("times", 0, value="2022-05-09"), ["time"], 1.0),
    ("statement with the wrong cue", _set("statements", 0, cue="denied"), ["statement:said"], 1.0),
    ("statement marked direct", _set("statements", 0, direct=True), ["statement:said"], 1.0),
    ("reported through no one", _set("statements", 1, via=None), ["statement:via"], 1.0),
    ("relation of another type", _set("relations", 1, type="harbors"), ["relation:operates_in"], 0.75),
    ("non-symmetric relation reversed", _set("relations", 1, subject="e2", object="e1"), ["relation:operates_in"], 0.75),
    ("negated relation", _set("relations", 0, polarity="negative"), ["relation:agreement_with"], 0.75),
    ("event time less precise than gold", _set("events", 0, time=None), ["event:AGREE"], 0.75),
    ("event at the wrong place", _set("events", 1, location="e5"), ["event:AID"], 0.75),
    ("acceptable extra link: precision holds", _add("relations", {"subject": "e5", "type": "operates_in", "object": "e2"}), [], 1.0),
    ("acceptable extra event", _add("events", {"type": "CONSULT", "source": "e4"}), [], 1.0),
    ("unsupported extra link", _add("relations", {"subject": "e2", "type": "funds", "object": "e1"}), [], 0.8),
]


@pytest.mark.parametrize("name,edit,failing,precision", CASES, ids=[c[0] for c in CASES])
def test_each_check(name, edit, failing, precision):
    result = perfect_result()
    edit(result)
    s = score_gold(GOLD, result)
    missed = [c for c in s.checks if not c.passed and not c.optional]
    assert len(missed) == len(failing), [c.label for c in missed]
    for want, got in zip(sorted(failing), sorted(missed, key=lambda c: c.category + ":" + c.label)):
        category, _, words = want.partition(":")
        assert got.category == category and words in got.label
    assert s.precision == pytest.approx(precision)


@pytest.mark.parametrize("text,expected", [
    ("The Taliban's", "taliban"),
    ("al-Qaeda", "al qaeda"),
    ("Al Qaeda", "al qaeda"),
    ("Ağca", "agca"),
    ("  an  Official ", "official"),
    ("the U.S.", "u s"),
    ("Theodore", "theodore"),
    ("don’t", "don t"),
    ("", ""),
    (None, ""),
])
def test_normalise(text, expected):
    assert normalise(text) == expected


def test_loose_speaker_names_hold_the_gold_words_whole():
    result = perfect_result()
    result["entities"][2]["aliases"] = []
    result["entities"][2]["name"] = "two senior army officers"  # "officer" is not a whole word of it
    result["entities"][2]["mentions"] = []
    s = score_gold(GOLD, result)
    assert [c.label for c in s.checks if not c.passed and c.category == "statement"] == [
        'officer told "open the road"', 'officer told "open the road" via reporters']
    result["entities"][2]["name"] = "a senior army officer from the north"
    assert score_gold(GOLD, result).recall == pytest.approx(12 / 13)  # only the entity check itself fails


def test_load_gold_reads_the_text_beside_it(tmp_path):
    (tmp_path / "story.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "story.gold.json").write_text(json.dumps(GOLD), encoding="utf-8")
    g = load_gold(tmp_path / "story.gold.json")
    assert g.text == TEXT and g.published == "2022-05-04" and g.gold["times"][0]["value"] == "2022-05-02"
    (tmp_path / "bad.gold.json").write_text("{}", encoding="utf-8")
    with pytest.raises(ValueError):
        load_gold(tmp_path / "bad.gold.json")


# ---- agreement with the reference scorer -------------------------------------------------------
@pytest.fixture(scope="module")
def reference(shared):
    spec = importlib.util.spec_from_file_location("score_extraction", shared / "tools" / "score_extraction.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    def run(gold, result):
        scorer = module.Scorer(gold, result)
        (rel_ok, rel_n), (evt_ok, evt_n) = scorer.run()
        counted = [r for r in scorer.rows if not r[3]]
        recall = sum(r[2] for r in counted) / len(counted)
        precision = (rel_ok + evt_ok) / (rel_n + evt_n) if rel_n + evt_n else 0.0
        return recall, precision, [r[2] for r in scorer.rows]

    return run


@pytest.mark.parametrize("name,edit", [("perfect", lambda r: None)] + [(c[0], c[1]) for c in CASES])
def test_agrees_with_the_reference_scorer(reference, name, edit):
    result = perfect_result()
    edit(result)
    ours = score_gold(GOLD, copy.deepcopy(result))
    recall, precision, passed = reference(GOLD, result)
    assert (ours.recall, ours.precision) == pytest.approx((recall, precision))
    assert [c.passed for c in ours.checks] == passed


def test_agrees_with_the_reference_on_the_seed(reference, shared, analyse):
    """The real pipeline's output on the seed article, scored by both."""
    gold = json.loads((shared / "seed" / "000_1aa4f263d7f3497b.gold.json").read_text(encoding="utf-8"))
    text = (shared / "seed" / gold["text_file"]).read_text(encoding="utf-8")
    result = analyse(text, published=gold["published"]).to_dict()
    recall, precision, passed = reference(gold, result)
    ours = score_gold(gold, result)
    assert (ours.recall, ours.precision) == pytest.approx((recall, precision))
    assert [c.passed for c in ours.checks] == passed
