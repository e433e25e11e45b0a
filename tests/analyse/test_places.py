"""The places stage: location entities on the map, actors with a country, events with a place.

Tables of news phrases written for these tests. Each place case names the words of a location
mention and what it must resolve to: the ISO country, and where it matters the feature
(country / admin1 / region / city), the US state or ISO 3166-2 region, or None for a name that
must stay unresolved.
"""
from __future__ import annotations

import pytest

from wirescope.analyse import geo

# (text, mention, country, feature, admin1)  -- feature/admin1 None means "not checked"
PLACES = [
    # plain countries, cities, regions
    ("Gunmen attacked a checkpoint in Kandahar province on Tuesday.", "Kandahar", "AF", "admin1", "AF-KAN"),
    ("A roadside bomb exploded in Kandahar city on Sunday morning.", "Kandahar", "AF", "city", None),
    ("Taliban fighters overran two districts in Helmand on Monday.", "Helmand", "AF", "admin1", "AF-HEL"),
    ("The delegation flew to Kabul for talks with the government.", "Kabul", "AF", "city", None),
    ("Heavy fighting was reported in northern Afghanistan overnight.", "Afghanistan", "AF", "country", None),
    ("Protesters gathered outside the parliament in Islamabad.", "Islamabad", "PK", "city", None),
    ("Government forces shelled rebel positions near Aleppo.", "Aleppo", "SY", "city", None),
    ("Iraqi troops pushed into western Mosul at dawn.", "Mosul", "IQ", "city", None),
    ("Coalition aircraft struck targets in Anbar province.", "Anbar", "IQ", "admin1", "IQ-AN"),
    ("Militants regrouped in Nineveh after the offensive.", "Nineveh", "IQ", "admin1", "IQ-NI"),
    ("Fighting resumed in Hodeidah on Thursday.", "Hodeidah", "YE", "city", None),
    ("Airstrikes were reported in Sanaa and Saada overnight.", "Sanaa", "YE", "city", None),
    ("Airstrikes were reported in Sanaa and Saada overnight.", "Saada", "YE", "city", None),
    ("Talks resumed in Doha on Saturday.", "Doha", "QA", "city", None),
    ("Thousands marched through the streets of Tehran.", "Tehran", "IR", "city", None),
    ("The minister arrived in Moscow late on Tuesday.", "Moscow", "RU", "city", None),
    ("Fighting intensified around Donetsk this week.", "Donetsk", "UA", "city", None),
    ("The summit will be held in Kiev next month.", "Kiev", "UA", "city", None),
    ("Soldiers were deployed across the West Bank.", "West Bank", "PS", "region", None),
    ("Rockets were fired from the Gaza Strip overnight.", "Gaza Strip", "PS", "region", None),
    ("Police raided homes in Karachi after the attack.", "Karachi", "PK", "city", None),
    ("Floods displaced thousands of families in Sindh.", "Sindh", "PK", "admin1", "PK-SD"),
    ("Gunmen kidnapped 30 students in Zamfara state.", "Zamfara", "NG", "admin1", None),
    ("Militants attacked a military base in Borno state.", "Borno", "NG", "admin1", None),
    ("Al-Shabaab fighters attacked a hotel in Mogadishu.", "Mogadishu", "SO", "city", None),
    ("The United States imposed new sanctions on Tuesday.", "United States", "US", "country", None),
    ("Officials in Washington rejected the claim.", "Washington", "US", "city", "US-DC"),
    ("Britain summoned the ambassador on Friday.", "Britain", "GB", "country", None),
    ("Election observers arrived in Ivory Coast on Sunday.", "Ivory Coast", "CI", "country", None),
    ("A court in Myanmar sentenced the journalist to seven years.", "Myanmar", "MM", "country", None),
    ("Fighting spread across the Tigray region in November.", "Tigray", "ET", "admin1", None),
    ("The earthquake struck southeastern Turkey before dawn.", "Turkey", "TR", "country", None),
    ("Security forces were placed on alert in Xinjiang.", "Xinjiang", "CN", "admin1", None),
    ("Clashes erupted again in Nagorno-Karabakh on Monday.", "Nagorno-Karabakh", "AZ", "region", None),
    ("The UN envoy travelled to Khartoum for talks.", "Khartoum", "SD", "city", None),
    ("A bomb went off at a market in Peshawar.", "Peshawar", "PK", "city", None),
    # ambiguous names resolved by the rest of the document
    ("Georgia's governor spoke in Atlanta on Monday after storms hit Savannah.", "Georgia", "US", "admin1", "US-GA"),
    ("Russia has troops in two breakaway regions of Georgia, officials in Tbilisi said.", "Georgia", "GE", "country", None),
    ("Georgia's prime minister said the talks with Moscow had failed.", "Georgia", "GE", "country", None),
    ("Clashes broke out in Tripoli, Lebanon, as the Lebanese army deployed.", "Tripoli", "LB", "city", None),
    ("Lebanese soldiers were deployed in Tripoli after clashes near Beirut.", "Tripoli", "LB", "city", None),
    ("Rival militias clashed in Tripoli overnight, the Libyan interior ministry said.", "Tripoli", "LY", "city", None),
    ("Flights resumed at the airport in Tripoli, weeks after fighting near Benghazi.", "Tripoli", "LY", "city", None),
    ("The festival in Paris, Texas drew record crowds.", "Paris", "US", "city", "US-TX"),
    ("The march went from Dallas to Paris along the state highway in Texas.", "Paris", "US", "city", "US-TX"),
    ("The French president returned to Paris on Monday.", "Paris", "FR", "city", None),
    ("Protesters blocked roads in Hyderabad, the capital of Telangana, on Friday.", "Hyderabad", "IN", "city", None),
    ("Protesters blocked roads in Hyderabad, Pakistan, on Friday.", "Hyderabad", "PK", "city", None),
    ("Floods swept through Hyderabad and Karachi, the Pakistani authorities said.", "Hyderabad", "PK", "city", None),
    ("The governor of Punjab met farmers in Lahore.", "Punjab", "PK", "admin1", "PK-PB"),
    ("Farmers in Punjab marched towards New Delhi.", "Punjab", "IN", "admin1", "IN-PB"),
    ("The mayor of Springfield announced new curfews on Monday.", "Springfield", "US", "country", None),
    ("Officials in Springfield, Illinois announced new curfews.", "Springfield", "US", "city", "US-IL"),
    ("Delegates met in Punjab on Monday.", "Punjab", None, None, None),
]


@pytest.fixture(scope="module")
def run(analyse):
    return analyse


def _entity_at(analysis, words):
    text = analysis.document.text
    start = text.index(words)
    end = start + len(words)
    for e in analysis.entities:
        for m in e.mentions:
            if m.start <= start and end <= m.end or start <= m.start < end:
                return e
    return None


@pytest.mark.parametrize("text,mention,country,feature,admin1", PLACES, ids=[c[1] + ":" + c[0][:30] for c in PLACES])
def test_places(run, text, mention, country, feature, admin1):
    analysis = run(text)
    entity = _entity_at(analysis, mention)
    assert entity is not None, f"no entity for {mention!r}: {[e.name for e in analysis.entities]}"
    assert entity.type == "location"
    if country is None:
        assert entity.geo is None or entity.geo["feature"] == "country" and entity.geo["country"] is None
        assert entity.country is None
        return
    assert entity.country == country, entity.geo
    assert entity.geo is not None and entity.geo["country"] == country
    if feature:
        assert entity.geo["feature"] == feature, entity.geo
    if admin1:
        assert entity.geo["admin1"] == admin1, entity.geo
    if entity.geo["feature"] == "city":
        assert entity.geo["lat"] is not None and entity.geo["lon"] is not None
        assert -90 <= entity.geo["lat"] <= 90 and -180 <= entity.geo["lon"] <= 180
    assert entity.to_dict()["geo"] == entity.geo


# (text, actor words, country) -- actors get a country from a demonym or a country name
ACTORS = [
    ("An Afghan official said the road had been closed.", "Afghan official", "AF"),
    ("Pakistani Prime Minister Imran Khan arrived in Beijing on Monday.", "Imran Khan", "PK"),
    ("Afghan President Ashraf Ghani rejected the proposal.", "Ashraf Ghani", "AF"),
    ("Iraq's Interior Ministry said 12 people were killed.", "Interior Ministry", "IQ"),
    ("The Syrian Democratic Forces said they had captured the town.", "Syrian Democratic Forces", "SY"),
    ("The Nigerian Army said it had freed 20 hostages on Sunday.", "Nigerian Army", "NG"),
    ("Zalmay Khalilzad, the American envoy, met the delegation in Doha.", "Zalmay Khalilzad", "US"),
    ("Turkish Defence Minister Hulusi Akar visited the border on Friday.", "Hulusi Akar", "TR"),
    ("Lebanese army commanders met in Beirut on Tuesday.", "Lebanese", "LB"),
    ("A senior Iranian commander was killed in the strike.", "Iranian commander", "IR"),
]


@pytest.mark.parametrize("text,words,country", ACTORS, ids=[c[1] for c in ACTORS])
def test_actor_countries(run, text, words, country):
    analysis = run(text)
    entity = _entity_at(analysis, words)
    assert entity is not None, [e.name for e in analysis.entities]
    assert entity.country == country


# (text, trigger, location words) -- events take the place their sentence puts them at
EVENTS = [
    ("Militants attacked a remote village in Afghanistan, killing four.", "attacked", "Afghanistan"),
    ("Taliban fighters attacked a police checkpoint in Kunduz on Tuesday.", "attacked", "Kunduz"),
    ("Pakistan accused India of shelling villages near Kotli.", "accused", None),
    ("The foreign ministers met in Geneva to discuss the ceasefire.", "met", "Geneva"),
]


@pytest.mark.parametrize("text,trigger,where", EVENTS, ids=[c[0][:40] for c in EVENTS])
def test_event_places(run, text, trigger, where):
    analysis = run(text)
    events = [v for v in analysis.events if v.trigger == trigger]
    assert events, [(v.type, v.trigger) for v in analysis.events]
    event = events[0]
    if where is None:  # never its own source or target
        assert event.location not in (event.source, event.target) or event.location is None
        return
    place = _entity_at(analysis, where)
    assert place is not None and event.location == place.id


GAZETTEER = [
    ("Kandahār", "kandahar"), ("Sana'a", "sanaa"), ("U.S.", "us"), ("Port-au-Prince", "port au prince"),
    ("the Gambia", "gambia"), ("  São Paulo ", "sao paulo"),
]


@pytest.mark.parametrize("name,key", GAZETTEER)
def test_place_key(name, key):
    assert geo.place_key(name) == key


DEMONYMS = [("Afghan", ("AF",)), ("Afghans", ("AF",)), ("Congolese", ("CD", "CG")), ("U.S.", ("US",)),
            ("Filipino", ("PH",)), ("Kurdish", ()), ("South Sudanese", ("SS",))]


@pytest.mark.parametrize("word,countries", DEMONYMS)
def test_demonyms(word, countries):
    assert tuple(sorted(geo.gazetteer().demonym(word))) == countries


def test_demonym_table_is_facts_with_real_codes():
    import pycountry

    import yaml

    raw = yaml.safe_load((geo.DATA / "demonyms.yaml").read_text(encoding="utf-8"))
    codes = set(raw["countries"])
    assert len(codes) >= 190
    unknown = [c for c in codes if not isinstance(c, str) or pycountry.countries.get(alpha_2=c) is None and c != "XK"]
    assert not unknown


HOSTILE = ["", "   ", "\u05e9\u05dc\u05d5\u05dd Kabul \U0001F600", "Paris, " * 2000, "In Georgia. " * 500]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text(run, text):
    analysis = run(text)
    for e in analysis.entities:
        for m in e.mentions:
            assert analysis.document.text[m.start:m.end] == m.text
