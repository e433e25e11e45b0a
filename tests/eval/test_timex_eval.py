"""TIMEX3 gold readers and scorer: tiny MEANTIME-like and TimeML files written here."""
from __future__ import annotations

import datetime as dt

import pytest

from wirescope.analyse.timex import tag_times
from wirescope.eval.timex_eval import read_meantime, read_timeml, score_timex

MEANTIME_XML = """<?xml version="1.0" ?>
<Document doc_id="42" doc_name="42_Talks_resume" lang="en" url="http://example.org/42">
<token number="0" sentence="0" t_id="1">Talks</token>
<token number="1" sentence="0" t_id="2">resume</token>
<token number="2" sentence="1" t_id="3">March</token>
<token number="3" sentence="1" t_id="4">20</token>
<token number="4" sentence="1" t_id="5">,</token>
<token number="5" sentence="1" t_id="6">2021</token>
<token number="6" sentence="2" t_id="7">Envoys</token>
<token number="7" sentence="2" t_id="8">met</token>
<token number="8" sentence="2" t_id="9">on</token>
<token number="9" sentence="2" t_id="10">Friday</token>
<token number="10" sentence="2" t_id="11">and</token>
<token number="11" sentence="2" t_id="12">will</token>
<token number="12" sentence="2" t_id="13">meet</token>
<token number="13" sentence="2" t_id="14">again</token>
<token number="14" sentence="2" t_id="15">next</token>
<token number="15" sentence="2" t_id="16">week</token>
<token number="16" sentence="2" t_id="17">.</token>
<token number="17" sentence="3" t_id="18">They</token>
<token number="18" sentence="3" t_id="19">met</token>
<token number="19" sentence="3" t_id="20">yesterday</token>
<token number="20" sentence="3" t_id="21">.</token>
<Markables>
<TIMEX3 anchorTimeID="" functionInDocument="CREATION_TIME" m_id="1" type="DATE" value="2021-03-20">
<token_anchor t_id="3"/><token_anchor t_id="4"/><token_anchor t_id="5"/><token_anchor t_id="6"/>
</TIMEX3>
<TIMEX3 anchorTimeID="1" functionInDocument="NONE" m_id="2" type="DATE" value="2021-03-19">
<token_anchor t_id="10"/>
</TIMEX3>
<TIMEX3 anchorTimeID="1" functionInDocument="NONE" m_id="3" type="DATE" value="2021-W12">
<token_anchor t_id="15"/><token_anchor t_id="16"/>
</TIMEX3>
<TIMEX3 anchorTimeID="" functionInDocument="NONE" m_id="4" type="DATE" value="2058" TAG_DESCRIPTOR="2058"/>
<ENTITY_MENTION m_id="5" syntactic_type="NAM"><token_anchor t_id="7"/></ENTITY_MENTION>
</Markables>
</Document>
"""

TIMEML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>talks_001</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2021-03-20" functionInDocument="CREATION_TIME">2021-03-20</TIMEX3></DCT>
<TEXT>
Envoys met on <TIMEX3 tid="t1" type="DATE" value="2021-03-19">Friday</TIMEX3> &amp; will meet again
<TIMEX3 tid="t2" type="DATE" value="2021-W12">next week</TIMEX3>, for <TIMEX3 tid="t3" type="DURATION" value="P2D">two days</TIMEX3>.
</TEXT>
</TimeML>
"""


@pytest.fixture()
def meantime_doc(tmp_path):
    path = tmp_path / "42_Talks_resume.xml"
    path.write_text(MEANTIME_XML, encoding="utf-8")
    return read_meantime(tmp_path)[0]


@pytest.fixture()
def timeml_doc(tmp_path):
    path = tmp_path / "talks_001.tml"
    path.write_text(TIMEML, encoding="utf-8")
    return read_timeml(path)[0]


def predictions(doc):
    return [{"doc": doc.id, "start": t.start, "end": t.end, "type": t.type, "value": t.value}
            for t in tag_times(doc.text, doc.dct) if doc.in_scope(t.start)]


def test_meantime_text_and_spans(meantime_doc):
    d = meantime_doc
    assert d.id == "42"
    assert d.dct == dt.date(2021, 3, 20)
    assert d.text.split("\n")[:2] == ["Talks resume", "March 20, 2021"]
    assert [(t.text, t.value, t.dct) for t in d.timexes] == [
        ("March 20, 2021", "2021-03-20", True), ("Friday", "2021-03-19", False), ("next week", "2021-W12", False)]
    for t in d.timexes:
        assert d.text[t.start:t.end] == t.text
    # annotation covers the sentences that hold markables (here up to "next week .")
    assert d.annotated_end == d.text.index("week.") + len("week.")
    assert not d.in_scope(d.text.index("yesterday"))


def test_timeml_text_and_spans(timeml_doc):
    d = timeml_doc
    assert d.id == "talks_001"
    assert d.dct == dt.date(2021, 3, 20)
    assert "Envoys met on Friday & will meet again" in d.text
    assert [(t.text, t.type, t.value) for t in d.timexes] == [
        ("Friday", "DATE", "2021-03-19"), ("next week", "DATE", "2021-W12"), ("two days", "DURATION", "P2D")]
    for t in d.timexes:
        assert d.text[t.start:t.end] == t.text


def test_tagger_scores_exactly_one_on_meantime_like_gold(meantime_doc):
    s = score_timex(meantime_doc.timexes, predictions(meantime_doc))
    assert s["strict_f1"] == 1.0 and s["relaxed_f1"] == 1.0
    assert s["value_accuracy"] == 1.0 and s["value_f1"] == 1.0


def test_tagger_scores_exactly_one_on_timeml_gold(timeml_doc):
    s = score_timex(timeml_doc.timexes, predictions(timeml_doc))
    assert s["value_f1"] == 1.0 and s["strict_f1"] == 1.0


def test_wrong_values_and_no_predictions_score_zero(meantime_doc):
    gold = meantime_doc.timexes
    wrong = [{"doc": g.doc, "start": g.start, "end": g.end, "type": g.type, "value": "XXXX"} for g in gold]
    s = score_timex(gold, wrong)
    assert s["relaxed_f1"] == 1.0 and s["value_accuracy"] == 0.0 and s["value_f1"] == 0.0
    s = score_timex(gold, [])
    assert s["relaxed_r"] == 0.0 and s["value_f1"] == 0.0


SCORES = [
    # (gold spans, predicted spans, strict_f1, relaxed_f1, value_accuracy)
    ([(0, 6, "2021")], [(0, 6, "2021")], 1.0, 1.0, 1.0),
    ([(0, 6, "2021")], [(3, 9, "2021")], 0.0, 1.0, 1.0),
    ([(0, 6, "2021")], [(6, 9, "2021")], 0.0, 0.0, 0.0),
    ([(0, 6, "2021"), (10, 14, "P2Y")], [(0, 6, "2020")], 2 / 3, 2 / 3, 0.0),
    ([(0, 6, "2021")], [(0, 3, "2021"), (3, 6, "2021")], 0.0, 2 / 3, 1.0),
]


@pytest.mark.parametrize("gold,pred,strict,relaxed,value_acc", SCORES)
def test_score_table(gold, pred, strict, relaxed, value_acc):
    g = [{"start": s, "end": e, "value": v, "type": "DATE"} for s, e, v in gold]
    p = [{"start": s, "end": e, "value": v, "type": "DATE"} for s, e, v in pred]
    s = score_timex(g, p)
    assert s["strict_f1"] == pytest.approx(strict)
    assert s["relaxed_f1"] == pytest.approx(relaxed)
    assert s["value_accuracy"] == pytest.approx(value_acc)
    assert s["value_f1"] == pytest.approx(relaxed * value_acc)


def test_spans_of_different_documents_never_match():
    g = [{"doc": "a", "start": 0, "end": 4, "value": "2021"}]
    p = [{"doc": "b", "start": 0, "end": 4, "value": "2021"}]
    assert score_timex(g, p)["relaxed_f1"] == 0.0
