"""Time stage: which way a bare or relative date points, read from the clause around it, and what
an anaphoric one refers to. Sentences written for these tests; anchors named by their weekday.

WED = Wednesday 2019-06-12 (the default), SUN = Sunday 2019-03-31, TUE = Tuesday 2019-08-06.
"""
from __future__ import annotations

import datetime as dt

import pytest

from wirescope.analyse.timex import tag_times
from wirescope.analyse.timex_tense import direction, read_clause

WED = dt.date(2019, 6, 12)
SUN = dt.date(2019, 3, 31)
TUE = dt.date(2019, 8, 6)


def value_of(nlp, text, expr, anchor=WED):
    times = tag_times(text, anchor, nlp(text))
    hits = [t for t in times if t.text == expr and t.begin_point is None]
    assert hits, f"{expr!r} not found in {[(t.text, t.value) for t in times]}"
    return hits[-1].value


# tense and aspect of the governing verb, and the cue words around it
DIRECTION = [
    ("The summit will be held on Friday.", "Friday", "2019-06-14"),
    ("The summit was held on Friday.", "Friday", "2019-06-07"),
    ("The summit is being hosted on Friday in Vienna.", "Friday", "2019-06-14"),
    ("The envoys had arrived on Monday.", "Monday", "2019-06-10"),
    ("The vote is widely expected on 5 May.", "5 May", "2020-05-05"),
    ("The vote is to take place on 5 May.", "5 May", "2020-05-05"),
    ("The election is expected in March.", "March", "2020-03"),
    ("His trial has been scheduled for November.", "November", "2019-11"),
    ("The debate scheduled for May 20 was cancelled.", "May 20", "2020-05-20"),
    ("The trial, anticipated to begin in January, drew attention.", "January", "2020-01"),
    ("A fourth book is due out in May.", "May", "2020-05"),
    ("Rebels have held the town since early this June.", "early this June", "2019-06"),
    # "next", "upcoming" on the noun the date hangs on, or on the subject of a present clause
    ("The next round of talks is on 5 May.", "5 May", "2020-05-05"),
    ("An upcoming vote in March was delayed.", "March", "2020-03"),
    # "said on Monday she would resign": the date belongs to the reporting verb
    ("The minister said on Monday she would resign.", "Monday", "2019-06-10"),
    ("The minister said that on Friday she would resign.", "Friday", "2019-06-14"),
    # a state that lasts until a date ahead of a past clause; a past state that ended
    ("Police released him on bail till October.", "October", "2019-10"),
    ("The court ruled on the suspension of the assembly until October 14.", "October 14", "2019-10-14"),
    ("She served as envoy to the coalition until December.", "December", "2018-12"),
    # a scheduled event named by its date in a past clause
    ("Two weeks before the November 13 deadline, the campaign had stalled.", "November 13", "2019-11-13"),
    # the noun's own time, not the verb's: "Tuesday's talks" were on the Tuesday just past
    ("Analysts said Tuesday's talks might ease the tension.", "Tuesday", "2019-06-11"),
    # a present-tense state: "am committed ... by October 31st"
    ("I am committed to leading our country out of the union by October 31st.", "October 31st", "2019-10-31"),
    # a headline's infinitive looks ahead
    ("Markets to remain closed until Friday", "Friday", "2019-06-14"),
]


@pytest.mark.parametrize("text,expr,value", DIRECTION)
def test_direction_from_the_clause(nlp, text, expr, value):
    assert value_of(nlp, text, expr) == value


def test_this_weekday_in_a_past_clause_is_the_one_just_past(nlp):
    text = "This Sunday, the inventor crossed the Channel on a jet-powered board."
    assert value_of(nlp, text, "This Sunday", TUE) == "2019-08-04"
    text = "This Sunday, the inventor will try to cross the Channel again."
    assert value_of(nlp, text, "This Sunday", TUE) == "2019-08-11"


def test_clause_reading(nlp):
    text = "The laws brought in after the riots were harsh."
    doc = nlp(text)
    c = read_clause(doc, text.index("after"), text.index("after") + 5)
    assert c is not None
    text = "Two weeks before the November 13 deadline, the campaign had stalled."
    doc = nlp(text)
    c = read_clause(doc, text.index("November"), text.index(" deadline"))
    assert (c.noun, c.in_np, c.tense) == ("deadline", True, "past")
    assert direction(c) == "nearest"
    assert direction(None) is None


# anaphora: "the same day", "the next day", "that September" refer to the last time mentioned; in
# a past-tense clause, to the last one not after the publication date
def test_same_day_skips_a_future_date_in_between(nlp):
    text = ("The gunman attacked a mosque on Friday. A judge set his next appearance for April 5. "
            "A second mosque was attacked on the same day.")
    assert value_of(nlp, text, "the same day", SUN) == "2019-03-29"


def test_next_day_after_overnight(nlp):
    text = ("After his arrest on Friday, he stayed in the police station overnight before appearing "
            "in court on the next day.")
    times = tag_times(text, SUN, nlp(text))
    values = {t.text: t.value for t in times}
    assert values["the next day"] == "2019-03-30"
    assert values["overnight"].startswith("2019-03-29")


def test_clock_time_takes_the_day_of_the_story(nlp):
    text = "A fire broke out yesterday morning in the slum. The blaze started at around 3:30 a.m."
    assert value_of(nlp, text, "3:30 a.m.", SUN) == "2019-03-30T03:30"
    # a clock time in a present or future clause stays on the publication date
    text = "A fire broke out yesterday. The market will reopen at 9:00 a.m."
    assert value_of(nlp, text, "9:00 a.m.", SUN) == "2019-03-31T09:00"
    # and a day mentioned weeks before is not the story's day
    text = "His last vote was on March 1. At 2:45 a.m. local time, his office said he had died."
    assert value_of(nlp, text, "2:45 a.m.", SUN) == "2019-03-31T02:45"


def test_that_month_and_the_following_month_follow_the_last_date(nlp):
    text = ("She began her protest on August 20, 2018. That September, the movement launched. "
            "The following March, it spread abroad.")
    times = tag_times(text, dt.date(2019, 12, 14), nlp(text))
    values = {t.text: t.value for t in times}
    assert values["That September"] == "2018-09"
    assert values["The following March"] == "2019-03"


def test_month_of_this_year(nlp):
    assert value_of(nlp, "In January of this year, prices fell.", "January of this year") == "2019-01"
    assert value_of(nlp, "The march was held on September 20 of last year.",
                    "September 20 of last year") == "2018-09-20"


def test_repeated_day_month_takes_the_year_of_its_last_mention(nlp):
    text = "The treaty was signed on 7 March 2003. Each year the town marks 7 March with a parade."
    times = tag_times(text, WED, nlp(text))
    assert [t.value for t in times if t.text.startswith("7 March")] == ["2003-03-07", "2003-03-07"]


def test_weekday_next_to_a_date_picks_the_year_with_that_weekday(nlp):
    text = "The aide announced his resignation, effective Wednesday, July 31."
    assert value_of(nlp, text, "Wednesday, July 31", dt.date(2019, 7, 28)) == "2019-07-31"


def test_dateline_year_does_not_leak_into_the_first_sentence(nlp):
    text = "Thursday, January 10, 2019\n\nIn late December, a cargo ship vanished in the Java Sea."
    assert value_of(nlp, text, "late December", dt.date(2019, 1, 10)) == "2018-12"


# famous and contextual dates
def test_september_11_as_a_name_is_the_2001_attacks(nlp):
    anchor = dt.date(2004, 3, 1)
    text = "The laws brought in after 11 September were harsh."
    assert value_of(nlp, text, "11 September", anchor) == "2001-09-11"
    text = "Since September 11, airport security has tightened."
    assert value_of(nlp, text, "September 11", anchor) == "2001-09-11"
    # an ordinary date after "on", or near the publication date
    text = "The court ruled on September 11 that the suspension was unlawful."
    assert value_of(nlp, text, "September 11", dt.date(2019, 9, 24)) == "2019-09-11"


def test_past_noun_phrase_date_after_publication_stays_underspecified(nlp):
    text = "The riots after 3 October left the city scarred."
    assert value_of(nlp, text, "3 October") == "XXXX-10-03"
    # a plain past clause keeps the year before
    text = "Rioters were arrested on 3 October."
    assert value_of(nlp, text, "3 October") == "2018-10-03"


def test_without_a_parse_since_points_back():
    times = tag_times("Prices have doubled since November.", WED)
    assert [(t.text, t.value) for t in times] == [("November", "2018-11")]
