"""Time stage: ranges kept as one interval with its begin and end (TIMEX3 beginPoint/endPoint),
the points it joins listed as well. Sentences written for these tests; anchor 2019-06-12."""
from __future__ import annotations

import datetime as dt

import pytest

from wirescope.analyse.timex import tag_times
from wirescope.analyse.timex_intervals import length

WED = dt.date(2019, 6, 12)


def intervals(text, anchor=WED, nlp=None):
    return [(t.text, t.type, t.value, t.begin_point, t.end_point)
            for t in tag_times(text, anchor, nlp(text) if nlp else None) if t.begin_point is not None]


@pytest.mark.parametrize("text,expected", [
    ("Prices rose from 2009 to 2011.", ("from 2009 to 2011", "DURATION", "P2Y", "2009", "2011")),
    ("Fighting raged between 1992 and 1995.", ("between 1992 and 1995", "DURATION", "P3Y", "1992", "1995")),
    ("In 2009-2011 growth stalled.", ("2009-2011", "DURATION", "P2Y", "2009", "2011")),
    ("The 2010-11 season ended badly.", ("2010-11", "DURATION", "P1Y", "2010", "2011")),
    ("The plant was closed between March and June.",
     ("between March and June", "DURATION", "P3M", "2019-03", "2019-06")),
    ("The fair runs from Monday to Wednesday.",
     ("from Monday to Wednesday", "DURATION", "P2D", "2019-06-10", "2019-06-12")),
    ("The talks ran March 5-7 in Doha.", ("March 5-7", "DURATION", "P2D", "2019-03-05", "2019-03-07")),
    ("Parliament sat from 5 to 7 March.", ("from 5 to 7 March", "DURATION", "P2D", "2019-03-05", "2019-03-07")),
    ("The survey ran from July 13 to 17 of last year.",
     ("from July 13 to 17 of last year", "DURATION", "P4D", "2018-07-13", "2018-07-17")),
])
def test_interval(text, expected):
    assert intervals(text) == [expected]


def test_interval_keeps_its_points_and_their_values(nlp):
    text = "He served as mayor of London from 2008 to 2016."
    times = tag_times(text, WED, nlp(text))
    assert [(t.text, t.value) for t in times] == [("from 2008 to 2016", "P8Y"), ("2008", "2008"), ("2016", "2016")]


def test_relative_months_read_in_order(nlp):
    # February after November: the end moves to the next year, and so does its point
    text = "Between November and February the mountain roads stay shut."
    times = tag_times(text, WED, nlp(text))
    assert [(t.text, t.value) for t in times] == [
        ("Between November and February", "P3M"), ("November", "2019-11"), ("February", "2020-02")]


@pytest.mark.parametrize("text", [
    "They met in 2015 and 2017.",           # two dates, not a range
    "in the winter of 2006–2007 it snowed",  # a season and a year
    "The score was 2-1 in 2018.",
])
def test_no_interval(text):
    assert intervals(text) == []


def test_length():
    assert length("2009", "2011") == "P2Y"
    assert length("2019-11", "2020-02") == "P3M"
    assert length("2019-03-05", "2019-03-07") == "P2D"
    assert length("2019-03", "2020") == "PXY"
