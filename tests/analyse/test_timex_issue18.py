"""Time stage, issue 18: direction and year of underspecified dates from the clause and the story,
a day and a clock time written together, midnight, clock times of the story's day, holidays from a
calendar, zones without a fixed offset, and titles that hold a year. Sentences written for these
tests."""
from __future__ import annotations

import datetime as dt

import pytest

from wirescope.analyse.timex import tag_times


def tagged(text, anchor, nlp=None):
    return [(t.text, t.value) for t in tag_times(text, anchor, nlp(text) if nlp else None)
            if t.begin_point is None]


@pytest.mark.parametrize("use_parse", [True, False])
def test_a_future_clause_does_not_take_a_past_year_of_its_sentence(nlp, use_parse):
    text = "He served from 2009 to 2011, and he will be in office between March and May."
    got = dict(tagged(text, dt.date(2019, 1, 10), nlp if use_parse else None))
    assert got["March"] == "2019-03" and got["May"] == "2019-05"
    # a past clause still takes it
    past = dict(tagged("He served from 2009 to 2011, and he was in office between March and May.",
                       dt.date(2019, 1, 10), nlp if use_parse else None))
    assert past["March"] == "2011-03"


def test_a_story_told_in_an_earlier_year_keeps_its_year(nlp):
    anchor = dt.date(2019, 1, 10)
    got = tagged("On 14 March 2016 the deal was signed. On 20 March, protests erupted.", anchor, nlp)
    assert got == [("14 March 2016", "2016-03-14"), ("20 March", "2016-03-20")]
    got = tagged("In March 2016 the deal was signed. In May, protests erupted.", anchor, nlp)
    assert got[-1] == ("May", "2016-05")
    # the future is not the story's year, nor is a sentence two sentences on, nor a new paragraph
    assert tagged("On 14 March 2016 the deal was signed. On 20 March, talks will resume.", anchor, nlp)[-1] == \
        ("20 March", "2019-03-20")
    assert tagged("On 14 March 2016 the deal was signed.\n\nOn 2 January, protests erupted.", anchor, nlp)[-1] == \
        ("2 January", "2019-01-02")
    # a date of the publication year is no earlier story
    assert tagged("On 2 January 2019 the deal was signed. On 4 December, talks began.", anchor, nlp)[-1] == \
        ("4 December", "2018-12-04")


@pytest.mark.parametrize("text,expected", [
    ("Power will be back by midday tomorrow.", [("midday tomorrow", "2019-10-10T12:00")]),
    ("The deadline is noon today.", [("noon today", "2019-10-09T12:00")]),
    ("The vote is at 3 p.m. tomorrow.", [("3 p.m. tomorrow", "2019-10-10T15:00")]),
    ("The talks ended at 11 pm yesterday.", [("11 pm yesterday", "2019-10-08T23:00")]),
])
def test_a_clock_time_and_its_day_are_one_expression(nlp, text, expected):
    assert tagged(text, dt.date(2019, 10, 9), nlp) == expected


def test_late_yesterday_is_the_end_of_yesterday(nlp):
    (t,) = tag_times("As of late yesterday, the cause was unknown.", dt.date(2019, 4, 16),
                     nlp("As of late yesterday, the cause was unknown."))
    assert (t.text, t.value, t.mod) == ("late yesterday", "2019-04-15", "END")


def test_midnight_is_the_first_instant_of_a_day(nlp):
    anchor = dt.date(2019, 4, 16)
    # the night of a day named before: the midnight that ends it
    got = tagged("The fire started yesterday at 19:00. Firefighters were still working as of midnight.", anchor, nlp)
    assert got[-1] == ("midnight", "2019-04-16T00:00")
    # a past event of the publication day with no day named: the midnight that began it
    assert tagged("At midnight, the company began turning off power.", anchor, nlp) == [("midnight", "2019-04-16T00:00")]
    # ahead: the coming one
    assert tagged("The polls will close at midnight.", anchor, nlp) == [("midnight", "2019-04-17T00:00")]
    assert tagged("The ceasefire ends at midnight tomorrow.", anchor, nlp) == [("midnight tomorrow", "2019-04-17T00:00")]


def test_a_clock_time_takes_the_storys_day_past_a_background_date(nlp):
    text = ("Cummings died yesterday morning. His last vote was on September 11. "
            "At 2:45 a.m., his office said, he died in hospital.")
    got = dict(tagged(text, dt.date(2019, 10, 18), nlp))
    assert got["2:45 a.m."] == "2019-10-17T02:45"
    # a day more than a week back is no day of the story: the publication date
    text = "His last vote was on September 11. At 2:45 a.m., his office said, he died in hospital."
    assert dict(tagged(text, dt.date(2019, 10, 18), nlp))["2:45 a.m."] == "2019-10-18T02:45"


@pytest.mark.parametrize("text,anchor,expected", [
    ("Crowds gathered on Bastille Day in Paris.", "2019-08-06", ("Bastille Day", "2019-07-14")),
    ("Orthodox Easter was celebrated in Athens.", "2019-06-01", ("Orthodox Easter", "2019-04-28")),
    ("Orthodox Easter was celebrated in Athens.", "2021-06-01", ("Orthodox Easter", "2021-05-02")),
    ("Shops were shut on Labor Day.", "2019-09-20", ("Labor Day", "2019-09-02")),
    ("Veterans gathered on Memorial Day.", "2019-06-10", ("Memorial Day", "2019-05-27")),
    ("Marches were held on Martin Luther King Day.", "2019-02-01", ("Martin Luther King Day", "2019-01-21")),
])
def test_holidays_from_the_calendar(nlp, text, anchor, expected):
    assert tagged(text, dt.date.fromisoformat(anchor), nlp) == [expected]


def test_a_zone_without_a_fixed_offset_stays_in_the_span_not_the_value(nlp):
    text = "Markets opened at 9:54 a.m. ET and closed at 4 p.m. EDT."
    got = {t.text: (t.value, t.zone) for t in tag_times(text, dt.date(2019, 10, 3), nlp(text))}
    assert got["9:54 a.m. ET"] == ("2019-10-03T09:54", None)
    assert got["4 p.m. EDT"] == ("2019-10-03T16:00-04:00", "-04:00")


@pytest.mark.parametrize("use_parse", [True, False])
def test_a_year_that_titles_a_work_is_no_time(nlp, use_parse):
    parse = nlp if use_parse else None
    assert tagged("She starred in the film 1917 and in her album 1989.", dt.date(2019, 6, 1), parse) == []
    assert tagged("The film was shot in 1917.", dt.date(2019, 6, 1), parse) == [("1917", "1917")]


@pytest.mark.parametrize("text,expr,expected", [
    ("The law, which takes effect in January, was passed on Monday.", "January", "2020-01"),
    ("The new rules come into force in March.", "March", "2020-03"),
    ("The truce expires in April.", "April", "2020-04"),
    ("The truce expired in April.", "April", "2019-04"),            # told in the past
    ("The ministry opens an inquiry in April.", "April", "2020-04"),
    ("Police took control in April.", "April", "2019-04"),          # "take" without effect/force
])
def test_a_scheduled_start_or_end_in_the_present_looks_ahead(nlp, text, expr, expected):
    assert dict(tagged(text, dt.date(2019, 6, 12), nlp))[expr] == expected


def test_a_headline_in_the_present_tells_the_past(nlp):
    text = "Rebels end siege of city in April\nThe rebels ended the siege, officials said."
    assert dict(tagged(text, dt.date(2019, 6, 12), nlp))["April"] == "2019-04"


def test_the_evening_is_that_part_of_the_day_last_mentioned(nlp):
    text = "The fire broke out yesterday. Macron cancelled an address he was to give during the evening."
    assert tagged(text, dt.date(2019, 4, 16), nlp)[-1] == ("the evening", "2019-04-15TEV")
    assert tagged("He left in the afternoon.", dt.date(2019, 4, 16), nlp) == [("the afternoon", "2019-04-16TAF")]
    # "the morning of ..." is another expression's business, not this one's
    assert ("the morning", "2019-04-16TMO") not in tagged("He arrived in the morning of the vote.", dt.date(2019, 4, 16), nlp)
