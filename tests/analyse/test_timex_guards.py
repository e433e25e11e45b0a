"""Time stage guards: names, law and product titles, fractions and scores that look like time
expressions. Sentences written for these tests; anchor Wednesday 2019-06-12."""
from __future__ import annotations

import datetime as dt

import pytest

from wirescope.analyse.timex import tag_times

WED = dt.date(2019, 6, 12)


def tagged(text, nlp=None):
    return [(t.text, t.value) for t in tag_times(text, WED, nlp(text) if nlp else None)]


NOT_TIMES = [
    "Theresa May said the deal was dead.",          # a person called May
    "May said the deal was dead.",
    "Mrs May told MPs to back the deal.",
    "Prime Minister May will visit Berlin.",
    "June Carter sang at the concert.",
    "He was arrested under the Terrorism Act 2000.",  # a law title
    "The office computers still run Windows 2000.",  # a product name
    "Three-quarters of the voters backed the plan.",  # a share, not nine months
    "Two-thirds of the members and three quarters of the staff agreed.",
    "They drew 1-1 and then won 9-11 in the final.",  # scores
    "He won by a 7/7 margin.",
    "Easter Island is remote.",                       # a holiday word inside a place name
]


@pytest.mark.parametrize("text", NOT_TIMES)
def test_not_a_time_with_parse(nlp, text):
    assert tagged(text, nlp) == []


@pytest.mark.parametrize("text", [
    "Mrs May told MPs to back the deal.", "The office computers still run Windows 2000.",
    "Three-quarters of the voters backed the plan.", "They drew 1-1 and then won 9-11 in the final.",
    "He was arrested under the Terrorism Act 2000."])
def test_not_a_time_without_parse(text):
    assert tagged(text) == []


def test_the_month_and_the_person_in_one_story(nlp):
    text = ("Theresa May resigned as leader in June. Critics said May's deal had failed. "
            "Parliament will sit again in May.")
    values = tagged(text, nlp)
    assert values == [("June", "2019-06"), ("May", "2020-05")]


@pytest.mark.parametrize("text,expr,value", [
    ("In May Congress passed the bill.", "May", "2019-05"),
    ("Elections are due in May.", "May", "2020-05"),
    ("The 2000 presidential election was close.", "2000", "2000"),
    ("Since 1998, he has been mayor.", "1998", "1998"),
    ("Profits rose in the first three quarters of the year.", "the first three quarters", "P9M"),
    ("Easter is early this year.", "Easter", "2019-04-21"),
    ("The attacks of 9/11 changed the city.", "9/11", "2001-09-11"),
])
def test_still_a_time(nlp, text, expr, value):
    assert (expr, value) in tagged(text, nlp)
