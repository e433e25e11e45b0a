"""The dateline is where a story was filed: it is no actor in the story and no part of what anyone said."""
from __future__ import annotations

import pytest

from wirescope.dateline import dateline

CASES = [
    # text, the first statement's content must not start with this, the event source must not be this
    ("BAGHDAD (Wire) - Iraqi troops raided a farmhouse near Mosul on Tuesday, the ministry said.", "BAGHDAD"),
    ("KABUL, March 3 (AP) \u2014 Afghan commandos raided a compound in Kunduz, officials said.", "KABUL"),
    ("Washington: US forces attacked a militia depot in eastern Syria on Friday, the Pentagon said.", "Washington"),
    ("ISLAMABAD (Dawn) - Pakistani police arrested two men in Lahore on Monday, a police spokesman said.", "ISLAMABAD"),
]


@pytest.mark.parametrize("text, place", CASES)
def test_dateline_is_not_an_actor_or_a_quote(analyse, text, place):
    result = analyse(text)
    names = {e.id: e.name.casefold() for e in result.entities}
    assert result.statements, "the attribution is found"
    for s in result.statements:
        assert not s.content.text.startswith(place)
        assert s.content.start >= dateline(text).end
    for ev in result.events:
        assert names.get(ev.source or "", "") != place.casefold()
        assert names.get(ev.target or "", "") != place.casefold()
        assert ev.evidence.start >= dateline(text).end


@pytest.mark.parametrize("text, place, end_word", [
    ("KABUL (Reuters) - Militants attacked", "Kabul", "Militants"),
    ("NEW YORK, March 3 (AP) \u2014 Stocks fell", "New York", "Stocks"),
    ("Doha, Qatar -- Talks resumed", "Doha", "Talks"),
    ("Washington: The report comes", "Washington", "The"),
])
def test_dateline_place_and_end(text, place, end_word):
    found = dateline(text)
    assert found.place == place
    assert text[found.end:].startswith(end_word)


@pytest.mark.parametrize("text", ["The report says: nothing", "Update: the count rose", "Militants attacked a base."])
def test_no_dateline(text):
    assert dateline(text) is None


@pytest.mark.parametrize("text", [
    "On Monday, Carlos Mendez \u2014 the city's mayor \u2014 said the bridge would reopen.",
    "Last Friday, Port Officials \u2014 speaking at the harbour \u2014 said the ships would wait.",
    "Carlos Mendez \u2014 the city's mayor \u2014 said the bridge would reopen.",
    "Tuesday: the count resumed in the north.",
])
def test_weekday_phrases_and_people_are_no_datelines(text):
    assert dateline(text) is None


def test_a_dateline_with_a_region_still_counts():
    found = dateline("Doha, Qatar -- talks resumed between the two sides.")
    assert found is not None and found.place == "Doha"
