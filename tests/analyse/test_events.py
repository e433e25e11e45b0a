"""Events stage: a table of news sentences and the PLOVER events an analyst codes in them."""
from __future__ import annotations

import datetime as dt

import pytest

from wirescope.analyse.vocab import plover_category_map, plover_types, to_contract_type
from wirescope.model import PLOVER_TYPES, TimeExpr


def _names(analysis, entity_id):
    for e in analysis.entities:
        if e.id == entity_id:
            return {n.lower() for n in (e.name, *e.aliases, *(m.text for m in e.mentions))}
    return set()


def _find(analysis, etype, source=None, target=None, polarity=None):
    for e in analysis.events:
        if e.type != etype:
            continue
        if source and not any(source.lower() in n for n in _names(analysis, e.source)):
            continue
        if target and not any(target.lower() in n for n in _names(analysis, e.target)):
            continue
        if polarity and e.polarity != polarity:
            continue
        return e
    return None


# (text, type, source, target, polarity)
CASES = [
    # ASSAULT: verbs, nouns, passive, modes
    ("Hezbollah attacked an Israeli patrol on Sunday.", "ASSAULT", "Hezbollah", None, "positive"),
    ("Israel bombed Hamas positions in Gaza overnight.", "ASSAULT", "Israel", None, "positive"),
    ("Islamic State killed twelve soldiers in an ambush near Palmyra.", "ASSAULT", "Islamic State", None, "positive"),
    ("A Hamas commander was killed by Israel in an airstrike.", "ASSAULT", "Israel", None, "positive"),
    ("The Taliban's raid on the police station left six dead.", "ASSAULT", "Taliban", None, "positive"),
    ("Al-Shabaab launched an attack on the African Union base.", "ASSAULT", "Al-Shabaab", None, "positive"),
    ("Boko Haram gunmen shot dead four villagers in Borno.", "ASSAULT", None, None, "positive"),
    ("Hezbollah did not attack Israel, the group said.", "ASSAULT", "Hezbollah", "Israel", "negative"),
    # COERCE
    ("Turkey arrested the journalist Ahmet Demir on Friday.", "COERCE", "Turkey", "Ahmet Demir", "positive"),
    ("Egypt detained Mohamed Saleh at the airport.", "COERCE", "Egypt", "Mohamed Saleh", "positive"),
    ("Mohamed Saleh was the subject of an arrest warrant issued by Egypt.", "COERCE", "Egypt", "Mohamed Saleh", "positive"),
    ("Turkey imposed a curfew in Cizre.", "COERCE", "Turkey", None, "positive"),
    ("Britain deported Abu Qatada to Jordan in 2013.", "COERCE", "Britain", "Abu Qatada", "positive"),
    # ACCUSE (incl. DISAPPROVE and INVESTIGATE)
    ("Iran accused Israel of sabotage at the Natanz plant.", "ACCUSE", "Iran", "Israel", "positive"),
    ("The United States condemned Russia over the invasion.", "ACCUSE", "United States", "Russia", "positive"),
    ("France blamed Hezbollah for the blast.", "ACCUSE", "France", "Hezbollah", "positive"),
    ("Germany is investigating Wirecard over the missing funds.", "ACCUSE", "Germany", "Wirecard", "positive"),
    # AGREE
    ("Israel and Hamas agreed to a ceasefire on Thursday.", "AGREE", "Israel", None, "positive"),
    ("The Taliban signed a peace deal with the United States in Doha.", "AGREE", "Taliban", "United States", "positive"),
    ("Japan pledged $2 billion to Ukraine, the minister said.", "AGREE", "Japan", None, "positive"),
    ("Egypt promised to reopen the Rafah crossing.", "AGREE", "Egypt", None, "positive"),
    # CONSULT
    ("Emmanuel Macron met Vladimir Putin in Moscow on Monday.", "CONSULT", "Macron", "Putin", "positive"),
    ("Antony Blinken visited Israel on Tuesday.", "CONSULT", "Blinken", None, "positive"),
    ("Hamas held talks with Egypt in Cairo.", "CONSULT", "Hamas", "Egypt", "positive"),
    # SUPPORT
    ("Germany praised Poland for its handling of the crisis.", "SUPPORT", "Germany", "Poland", "positive"),
    ("The European Union welcomed the decision by Serbia.", "SUPPORT", "European Union", None, "positive"),
    # CONCEDE
    ("Serbia eased restrictions on Kosovo trade.", "CONCEDE", "Serbia", None, "positive"),
    ("Japan apologized to South Korea for the wartime abuses.", "CONCEDE", "Japan", "South Korea", "positive"),
    # COOPERATE
    ("Jordan and Britain held a joint exercise in the desert.", "COOPERATE", "Jordan", None, "positive"),
    ("Zambia extradited the suspect to Britain.", "COOPERATE", "Zambia", "Britain", "positive"),
    # AID
    ("Japan donated medical supplies to Ukraine.", "AID", "Japan", "Ukraine", "positive"),
    ("Peru granted asylum to five Panamanian officers.", "AID", "Peru", None, "positive"),
    ("Syria gave Hamas shelter for a decade.", "AID", "Syria", "Hamas", "positive"),
    # RETREAT
    ("US troops are withdrawing from Afghanistan.", "RETREAT", "US", None, "positive"),
    ("Russia pulled out its forces from Kherson.", "RETREAT", "Russia", None, "positive"),
    ("Hamas released two hostages to the Red Cross.", "RETREAT", "Hamas", None, "positive"),
    ("Israel's withdrawal from Gaza was completed in 2005.", "RETREAT", "Israel", None, "positive"),
    # REQUEST (DEMAND)
    ("Poland demanded compensation from Germany.", "REQUEST", "Poland", None, "positive"),
    ("The United Nations urged Myanmar to release Aung San Suu Kyi.", "REQUEST", "United Nations", "Myanmar", "positive"),
    # REJECT
    ("Israel rejected the proposal by France.", "REJECT", "Israel", None, "positive"),
    ("Ukraine refused to cede territory to Russia.", "REJECT", "Ukraine", None, "positive"),
    # THREATEN
    ("Iran threatened to close the Strait of Hormuz.", "THREATEN", "Iran", None, "positive"),
    ("North Korea warned South Korea against the drills.", "THREATEN", "North Korea", "South Korea", "positive"),
    # PROTEST
    ("Thousands of students demonstrated in Jakarta against Suharto.", "PROTEST", None, None, "positive"),
    ("Farmers in Algeria began a hunger strike outside Parliament.", "PROTEST", None, None, "positive"),
    # SANCTION
    ("The United States imposed sanctions on Iran on Monday.", "SANCTION", "United States", "Iran", "positive"),
    ("Italy suspended flights to Serbia.", "SANCTION", "Italy", None, "positive"),
    # MOBILIZE
    ("Russia deployed troops to the border with Ukraine.", "MOBILIZE", "Russia", None, "positive"),
]


@pytest.mark.parametrize("text,etype,source,target,polarity", CASES, ids=[c[0][:40] for c in CASES])
def test_event_cases(analyse, text, etype, source, target, polarity):
    a = analyse(text)
    found = _find(a, etype, source, target, polarity)
    assert found is not None, (
        f"missing {etype} {source}->{target} ({polarity}); got "
        + str([(e.type, e.trigger, e.source, e.target, e.polarity) for e in a.events])
        + " entities " + str([(e.id, e.name) for e in a.entities]))
    assert a.document.text[found.evidence.start:found.evidence.end] == found.evidence.text


# sentences whose event words are content, not happenings
NOT_EVENTS = [
    ("He was charged with conspiracy to kill American soldiers.", "ASSAULT"),
    ("Prosecutors accused Ahmed Nasser of plotting to bomb the embassy.", "ASSAULT"),
    ("Hamas demanded the release of the prisoners.", "RETREAT"),
    ("Iran threatened to attack Israeli ships.", "ASSAULT"),
    ("The poster released by the FBI shows his face.", "RETREAT"),
]


@pytest.mark.parametrize("text,absent", NOT_EVENTS, ids=[c[0][:40] for c in NOT_EVENTS])
def test_not_events(analyse, text, absent):
    a = analyse(text)
    assert all(e.type != absent for e in a.events), [(e.type, e.trigger) for e in a.events]


MODALITY = [
    ("Russia will withdraw its troops from Kherson, the minister said.", "RETREAT", "future"),
    ("Israel may attack Iran's nuclear sites.", "ASSAULT", "hedged"),
    ("Israel attacked Iran's nuclear sites.", "ASSAULT", "asserted"),
]


@pytest.mark.parametrize("text,etype,modality", MODALITY, ids=[c[0][:40] for c in MODALITY])
def test_modality(analyse, text, etype, modality):
    a = analyse(text)
    found = [e for e in a.events if e.type == etype]
    assert found and found[0].modality == modality, [(e.type, e.modality) for e in a.events]


def test_one_event_per_happening(analyse):
    text = ("Israeli forces raided a village in the West Bank, where a Hamas commander was killed in the raid. "
            "The raid targeting Yahya Ayyash drew condemnation.")
    a = analyse(text)
    assaults = [e for e in a.events if e.type == "ASSAULT"]
    assert len(assaults) == 1, [(e.trigger, e.source, e.target) for e in assaults]


def test_merge_keeps_most_specific_time(nlp):
    """Two mentions of one raid: the merged event keeps the finer time value."""
    from wirescope.analyse import events
    from wirescope.analyse.actors import run as actors_run
    from wirescope.analyse.context import Context
    from wirescope.model import Document

    text = "The Taliban said the last year raid on Kabul killed Omar Saleh. The October raid targeting Omar Saleh failed."
    doc = nlp(text)
    ctx = Context(doc, Document(text, published="2021-03-20"), dt.date(2021, 3, 20))
    actors_run(ctx)
    ly = text.index("last year")
    oc = text.index("October")
    ctx.times = [TimeExpr("last year", "DATE", "2020", ly, ly + 9), TimeExpr("October", "DATE", "2020-10", oc, oc + 7)]
    found = [e for e in events.extract(ctx) if e.type == "ASSAULT"]
    assert len(found) == 1 and found[0].time == "2020-10", [(e.trigger, e.time) for e in found]


def test_vocabulary_files():
    types = plover_types()
    assert set(types) == set(PLOVER_TYPES)
    assert plover_category_map() == {"FIGHT": "ASSAULT", "DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE"}
    assert to_contract_type("fight") == "ASSAULT" and to_contract_type("DOCUMENT") is None
    assert "firearms" in types["ASSAULT"]["modes"] and "arrest" in types["COERCE"]["modes"]


def test_seed_events(analyse, shared):
    text = (shared / "seed" / "000_1aa4f263d7f3497b.txt").read_text(encoding="utf-8")
    a = analyse(text)
    kinds = [e.type for e in a.events]
    assert kinds.count("ASSAULT") == 1 and "RETREAT" in kinds and "AGREE" in kinds
    assert any(e.type in ("COERCE", "ACCUSE") and e.mode == "arrest" for e in a.events)


@pytest.mark.parametrize("text", ["", "\n\n", "\U0001F4A5 \u05e9\u05dc\u05d5\u05dd", "attack " * 2000])
def test_robust(analyse, text):
    a = analyse(text)
    for e in a.events:
        assert a.document.text[e.evidence.start:e.evidence.end] == e.evidence.text


# Wider CAMEO/PLOVER families, nationality actors, participation, obligations, promises and threats.
# (text, type, source, target, polarity)
WIDER_CASES = [
    # protesters are people, not an event, as the subject of a demand; the one asked is the target
    ("Protesters called for Governor Luis Ortega's resignation after the leak.", "REQUEST", "protesters", "Luis Ortega", "positive"),
    ("Students demanded that the government withdraw the bill.", "REQUEST", "students", "government", "positive"),
    # directives: advising, encouraging, ordering someone to act is a request of them
    ("Mayor Jane Cole advised residents to leave the city before the storm.", "REQUEST", "Jane Cole", "residents", "positive"),
    ("Governor Tom Reyes ordered the National Guard to patrol the border.", "REQUEST", "Tom Reyes", "National Guard", "positive"),
    ("The World Health Organization encouraged governments to test every suspected case.", "REQUEST",
     "World Health Organization", "governments", "positive"),
    ("Turkish police dispersed the crowd with water cannon in Ankara.", "COERCE", "Turkish police", None, "positive"),
    ("Israeli tanks fired shells at the border post, witnesses said.", "ASSAULT", "Israeli tanks", None, "positive"),
    ("Syrian forces were engaged in a bloody offensive against the rebels.", "ASSAULT", "Syrian forces", None, "positive"),
    ("Greek and Turkish diplomats travelled to Geneva for talks on the island.", "CONSULT", None, None, "positive"),
    ("The European Union cut aid to Niger after the coup.", "SANCTION", "European Union", None, "positive"),
    ("The United States suspended part of its military aid program for Egypt.", "SANCTION", "United States", None, "positive"),
    ("Jordan reopened the border crossing with Syria on Monday.", "RETREAT", "Jordan", None, "positive"),
    ("Germany paid compensation to the families of the victims.", "RETREAT", "Germany", None, "positive"),
    ("The Kenyan government lambasted Somalia over the border incursion.", "ACCUSE", None, "Somalia", "positive"),
    ("Egypt declared that Ethiopia must halt the filling of the dam.", "REQUEST", "Egypt", "Ethiopia", "positive"),
    ("The rebels said they will release the aid workers on Friday.", "AGREE", "rebels", None, "positive"),
    ("Hezbollah said it would boycott the cabinet meetings.", "THREATEN", "Hezbollah", None, "positive"),
    ("Russia amassed troops near the Ukrainian border.", "MOBILIZE", "Russia", None, "positive"),
    ("The IAEA dispatched inspectors to the Natanz site.", "ACCUSE", None, None, "positive"),
]


@pytest.mark.parametrize("text,etype,source,target,polarity", WIDER_CASES, ids=[c[0][:40] for c in WIDER_CASES])
def test_wider_event_cases(analyse, text, etype, source, target, polarity):
    a = analyse(text)
    found = _find(a, etype, source, target, polarity)
    assert found is not None, [(e.type, e.trigger, e.source, e.target, e.polarity) for e in a.events]


@pytest.mark.parametrize("text,absent", [
    ("The minister said the talks should continue next week.", "REQUEST"),      # no other actor to demand of
    ("Police opened an inquiry into the fire.", "RETREAT"),                       # opening is access only for borders, roads
    ("The company cut its prices in March.", "SANCTION"),                         # cutting is a sanction only of aid, ties
    ("The army said it had withdrawn from the town to protect civilians.", "THREATEN"),  # past act, no threat
], ids=["should-same-speaker", "open-inquiry", "cut-prices", "past-withdrawal"])
def test_wider_not_events(analyse, text, absent):
    a = analyse(text)
    assert not [e for e in a.events if e.type == absent], [(e.type, e.trigger) for e in a.events]

@pytest.mark.parametrize("text", [
    "Typhoon Haiyan killed more than 6,000 people in the Philippines.",
    "The earthquake destroyed 200 homes in the province.",
    "Hurricane Maria devastated Puerto Rico in September.",
])
def test_natural_phenomena_are_no_actors(analyse, text):
    """A storm or an earthquake that kills or destroys is news, not an act of an actor: no PLOVER event,
    and the phenomenon's name is not typed as a person or an organisation."""
    a = analyse(text)
    assert [e.type for e in a.events if e.type == "ASSAULT"] == [], [(e.type, e.trigger) for e in a.events]
    assert all(e.type not in ("person", "organization") for e in a.entities
               if e.name.split()[0] in ("Typhoon", "Hurricane")), [(e.name, e.type) for e in a.entities]


def test_unnamed_people_are_targets(analyse):
    """"Nine men were jailed", "police detained the driver": unnamed people are the ones acted on."""
    a = analyse("On Wednesday, nine men were jailed for the abuse. Police detained the driver on Friday.")
    assert _find(a, "COERCE", None, "nine men") is not None, [(e.type, e.source, e.target) for e in a.events]
    assert _find(a, "COERCE", "police", "driver") is not None
    driver = next(e for e in a.entities if e.name == "driver")
    assert driver.type == "person"  # one person, unnamed

@pytest.mark.parametrize("text,expected", [
    ('Senator Ann Price said, "Governor Tom Reyes is hiding the report from voters, which is a disgrace."', True),
    ('The mayor, Lina Ortiz, said the police chief Omar Haddad had acted in a reckless and irresponsible way.', True),
    ('Senator Ann Price said, "Governor Tom Reyes is reviewing the report and will publish it soon."', False),
    ('Senator Ann Price said Governor Tom Reyes was not irresponsible.', False),
])
def test_blame_in_a_statement_is_an_accusation(analyse, text, expected):
    """Words of blame about a named actor, said by someone, are that speaker's ACCUSE of the actor."""
    a = analyse(text)
    names = {e.id: e.name for e in a.entities}
    found = [(names.get(e.source), names.get(e.target)) for e in a.events if e.type == "ACCUSE"]
    assert (len(found) > 0) == expected, found
    if expected:
        assert found[0][1] in ("Tom Reyes", "Omar Haddad"), found


def test_an_order_without_a_to_clause_is_the_ordered_act(analyse):
    """"ordered patrols by police" is the patrols (MOBILIZE), not a request; "ordered X to patrol" is both."""
    a = analyse("The provincial government ordered patrols by police after the riots.")
    assert [e.type for e in a.events if e.type == "REQUEST"] == [], [(e.type, e.trigger) for e in a.events]
    assert _find(a, "MOBILIZE") is not None
    b = analyse("Governor Tom Reyes ordered the National Guard to patrol the border.")
    assert _find(b, "REQUEST", "Tom Reyes", "National Guard") is not None


@pytest.mark.parametrize("text,source,target", [
    ('Prime Minister Ana Lopes tweeted "We are with Mayor Jan Nowak in our thoughts and prayers."', "Ana Lopes", "Jan Nowak"),
    ('Former president Paul Girard said of Marc Dubois, "He served his country with dignity."', "Paul Girard", "Marc Dubois"),
])
def test_sympathy_said_of_someone_is_support(analyse, text, source, target):
    """Sympathy, prayers or praise about a named person, said by someone, are that speaker's SUPPORT."""
    a = analyse(text)
    assert _find(a, "SUPPORT", source, target) is not None, [(e.type, e.source, e.target) for e in a.events]


def test_no_support_from_blame_or_without_a_named_actor(analyse):
    a = analyse('Senator Ann Price said, "Our thoughts are with the families of the victims."')
    assert [e for e in a.events if e.type == "SUPPORT"] == []
    b = analyse('Senator Ann Price said Governor Tom Reyes showed no respect and acted in a disgraceful way.')
    assert [e for e in b.events if e.type == "SUPPORT"] == []


def test_withdrawing_from_an_agreement_is_no_agreement(analyse):
    """"withdrew from a treaty with Iran": a RETREAT, and the treaty tie is denied, not asserted."""
    a = analyse("In May, Ghana withdrew from a trade treaty with Togo.")
    assert [e for e in a.events if e.type == "AGREE"] == [], [(e.type, e.trigger) for e in a.events]
    ties = [r for r in a.relations if r.type == "agreement_with"]
    assert ties and all(r.polarity == "negative" for r in ties)


@pytest.mark.parametrize("text,source,target", [
    ("Bruce Dorn was convicted. Dorn's first victim was 40-year-old Peter Valk, a former employee.", "Dorn", "Peter Valk"),
    ("Anna Berg, a victim of Tomas Lind, testified on Monday.", "Tomas Lind", "Anna Berg"),
])
def test_whose_victim_someone_was(analyse, text, source, target):
    """"X's victim was Y", "Y, a victim of X": an ASSAULT by X on Y."""
    a = analyse(text)
    assert _find(a, "ASSAULT", source, target) is not None, [(e.type, e.source, e.target) for e in a.events]


def test_the_company_is_the_one_firm_named_before(analyse):
    """"The company apologized" after "PG&E began ...": PG&E's CONCEDE; with two firms named, nobody's."""
    a = analyse("PG&E began shutting off power on Tuesday. The company apologized for the outage.")
    assert _find(a, "CONCEDE", "PG&E") is not None, [(e.type, e.source) for e in a.events]
    b = analyse("PG&E and Edison began shutting off power on Tuesday. The company apologized for the outage.")
    assert _find(b, "CONCEDE", "PG&E") is None and _find(b, "CONCEDE", "Edison") is None


def test_material_events_with_no_actor_and_no_place_are_not_filed(analyse):
    """"33 were injured", "it exploded": nothing to file them under; with a place they stay."""
    a = analyse("In addition to the deaths, 33 were hospitalised with five seriously injured.")
    assert [e for e in a.events if e.type == "ASSAULT"] == [], [(e.type, e.trigger) for e in a.events]
    b = analyse("A car bomb exploded in a market in Kabul on Monday, killing five people.")
    assert any(e.type == "ASSAULT" and e.location for e in b.events), [(e.type, e.location) for e in b.events]

