"""PLOVER GSR loader and scorer."""
from __future__ import annotations

import pytest

from wirescope.eval.plover import PloverRecord, actor_spans, load_records, score, score_record
from wirescope.model import Analysis, Document, Entity, Event, Span


def test_loader_reads_the_dev_records(shared):
    recs = load_records(shared / "data" / "plover-gsr-cameo" / "plover_gsr_cameo.dev.json")
    assert len(recs) == 113
    assert all(r.type in {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
                          "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"} for r in recs)
    fights = [r for r in recs if r.category == "FIGHT"]
    assert fights and all(r.type == "ASSAULT" for r in fights)
    assert all(r.sources for r in recs if r.category == "AGREE")


@pytest.mark.parametrize("text,actor,expected", [
    ("Jordan and Britain agreed.", "Britain", [(11, 18)]),
    ("U.S. and Russian negotiators return to Geneva.", "U.S. ... negotiators", [(0, 3), (17, 28)]),
    ("Nothing here.", "Iran", []),
])
def test_actor_spans(text, actor, expected):
    assert actor_spans(text, actor) == expected


def _analysis(text, events, entities):
    return Analysis(document=Document(text), entities=entities, events=events)


def _event(etype, source=None):
    return Event(type=etype, trigger="x", evidence=Span(0, 1, "x"), source=source)


CASES = [
    # (predicted types with source ids, gold type, type ok, source ok)
    ([("AGREE", "e1")], "AGREE", True, True),
    ([("AGREE", "e2")], "AGREE", True, False),
    ([("CONSULT", "e1")], "AGREE", False, True),
    ([], "AGREE", False, False),
    ([("ASSAULT", None), ("AGREE", "e1")], "AGREE", True, True),
]


@pytest.mark.parametrize("predicted,gold,type_ok,source_ok", CASES)
def test_score_record(predicted, gold, type_ok, source_ok):
    text = "Jordan and Britain agreed to hold exercises."
    ents = [Entity("e1", "Jordan", "location", mentions=[Span(0, 6, "Jordan")]),
            Entity("e2", "exercises", "other", mentions=[Span(33, 42, "exercises")])]
    rec = PloverRecord(id="r", text=text, category=gold, type=gold, sources=["Jordan"])
    s = score_record(rec, _analysis(text, [_event(t, src) for t, src in predicted], ents))
    assert s["type"] is type_ok and s["source"] is source_ok


def test_score_totals():
    text = "Jordan agreed."
    ents = [Entity("e1", "Jordan", "location", mentions=[Span(0, 6, "Jordan")])]
    recs = [PloverRecord("a", text, "AGREE", "AGREE", sources=["Jordan"]),
            PloverRecord("b", text, "FIGHT", "ASSAULT", sources=["Jordan"])]
    result = score(recs, [_analysis(text, [_event("AGREE", "e1")], ents)] * 2)
    # the second sentence has no ASSAULT, but its AGREE names the right source
    assert result["type_accuracy"] == 0.5 and result["source_match"] == 1.0
    assert result["per_type"]["ASSAULT"]["n"] == 1
