"""Brat attribution gold: reading (events, relations, discontinuous spans) and scoring."""
from __future__ import annotations

import pytest

from wirescope.eval.brat import content_match, parse_ann, read_brat, score_attribution

TEXT = ("“We will not leave,” the mayor said. The army said the road was open.\n"
        "According to witnesses, the bridge collapsed.")
# offsets written out by hand for TEXT
MAYOR_QUOTE = (0, 20)  # “We will not leave,”
MAYOR = (21, 30)  # the mayor
SAID1 = (31, 35)
ARMY = (37, 45)  # The army
SAID2 = (46, 50)
ROAD = (51, 68)  # the road was open
ACCORDING = (70, 82)  # According to
WITNESSES = (83, 92)
BRIDGE = (94, 114)  # the bridge collapsed

EVENTS_ANN = f"""T1\tSource {MAYOR[0]} {MAYOR[1]}\tthe mayor
T2\tCue {SAID1[0]} {SAID1[1]}\tsaid
T3\tContent {MAYOR_QUOTE[0]} {MAYOR_QUOTE[1]}\t“We will not leave,”
T4\tAttribution {SAID1[0]} {SAID1[1]}\tsaid
E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1
T5\tSource {ARMY[0]} {ARMY[1]}\tThe army
T6\tCue {SAID2[0]} {SAID2[1]}\tsaid
T7\tContent {ROAD[0]} {ROAD[1]}\tthe road was open
T8\tAttribution {SAID2[0]} {SAID2[1]}\tsaid
E2\tAttribution:T8 Content:T7 Cue:T6 Source:T5
A1\tDirect T7
"""
RELATIONS_ANN = f"""T1\tCue {ACCORDING[0]} {ACCORDING[1]}\tAccording to
T2\tSource {WITNESSES[0]} {WITNESSES[1]}\twitnesses
T3\tContent {BRIDGE[0]} {BRIDGE[1]}\tthe bridge collapsed
R1\tSource Arg1:T1 Arg2:T2
R2\tContent Arg1:T1 Arg2:T3
"""


def _statement(content, speaker_span, cue_span, speaker="e1"):
    def span(r):
        return {"start": r[0], "end": r[1], "text": TEXT[r[0]:r[1]]}
    return {"speaker": speaker, "content": span(content), "speaker_span": span(speaker_span),
            "cue_span": span(cue_span)}


@pytest.fixture
def gold(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "a.ann").write_text(EVENTS_ANN, encoding="utf-8")
    sub = tmp_path / "more"
    sub.mkdir()
    (sub / "b.txt").write_text(TEXT, encoding="utf-8")
    (sub / "b.ann").write_text(RELATIONS_ANN, encoding="utf-8")
    (tmp_path / "lonely.txt").write_text("no annotations", encoding="utf-8")
    return read_brat(tmp_path)


def test_read_brat_links_events_and_relations(gold):
    assert [d.name for d in gold] == ["a", "more/b"]
    a, b = gold
    assert [(x.source.text, x.cue.text, x.content.text) for x in a.attributions] == [
        ("the mayor", "said", "“We will not leave,”"), ("The army", "said", "the road was open")]
    assert a.spans["T7"].attributes == {"Direct": "true"}
    assert [(x.source.text, x.cue.text, x.content.text) for x in b.attributions] == [
        ("witnesses", "According to", "the bridge collapsed")]
    for doc in gold:
        for span in doc.spans.values():
            for s, e in span.fragments:
                assert doc.text[s:e] in span.text


def test_discontinuous_content_and_overlap_rule():
    doc = parse_ann("x", TEXT, f"T1\tContent 0 20;51 68\t“We will not leave,” the road was open\n")
    (att,) = doc.attributions
    assert att.content.fragments == [(0, 20), (51, 68)] and att.source is None
    assert content_match((1, 19), att.content) == pytest.approx(18 / 20)  # touches one fragment
    assert content_match((0, 68), att.content) == pytest.approx(37 / 68)  # both fragments, plus the gap
    assert content_match((0, 114), att.content) < 0.5  # far longer than the gold words
    assert content_match((30, 40), att.content) == 0.0


@pytest.mark.parametrize("predictions,expected", [
    ({"a": [_statement((1, 18), MAYOR, SAID1), _statement(ROAD, ARMY, SAID2)],
      "more/b": [_statement(BRIDGE, WITNESSES, ACCORDING)]},
     {"precision": 1.0, "recall": 1.0, "f1": 1.0, "speaker_accuracy": 1.0, "cue_accuracy": 1.0}),
    ({"a": [_statement((21, 50), MAYOR, SAID1)], "more/b": [_statement(ACCORDING, BRIDGE, WITNESSES)]},
     {"precision": 0.0, "recall": 0.0, "f1": 0.0, "speaker_accuracy": 0.0, "cue_accuracy": 0.0}),
    ({}, {"precision": 0.0, "recall": 0.0, "f1": 0.0, "matched": 0, "gold": 3}),
    # right contents, wrong speakers and cues
    ({"a": [_statement((1, 18), ARMY, SAID2), _statement(ROAD, MAYOR, SAID1)],
      "more/b": [_statement(BRIDGE, ACCORDING, WITNESSES, speaker=None)]},
     {"f1": 1.0, "speaker_accuracy": 0.0, "cue_accuracy": 0.0}),
])
def test_score_attribution(gold, predictions, expected):
    scores = score_attribution(gold, predictions)
    for key, value in expected.items():
        assert scores[key] == pytest.approx(value), (key, scores)


def test_score_uses_entity_mentions_for_speakers(gold):
    """With an analysis (entities present), the speaker is right when one of its mentions overlaps."""
    analysis = {
        "entities": [{"id": "e7", "mentions": [{"start": MAYOR[0] + 4, "end": MAYOR[1], "text": "mayor"}]}],
        "statements": [_statement((1, 18), (0, 0), SAID1, speaker="e7")],
    }
    scores = score_attribution(gold[:1], {"a": analysis})
    assert scores["matched"] == 1 and scores["speaker_accuracy"] == 1.0
    analysis["entities"][0]["mentions"] = [{"start": ARMY[0], "end": ARMY[1], "text": "The army"}]
    assert score_attribution(gold[:1], {"a": analysis})["speaker_accuracy"] == 0.0
