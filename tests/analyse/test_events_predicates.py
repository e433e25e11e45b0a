"""Events read off the predicate layer: roles, modes and times (sentences written for this file)."""
from __future__ import annotations

import pytest

from wirescope.analyse.events import STAGE


def _names(a, entity_id):
    for e in a.entities:
        if e.id == entity_id:
            return {n.lower() for n in (e.name, *e.aliases, *(m.text for m in e.mentions))}
    return set()


def _events(a, etype, source=None, target=None):
    out = []
    for e in a.events:
        if e.type != etype:
            continue
        if source and not any(source.lower() in n for n in _names(a, e.source)):
            continue
        if target and not any(target.lower() in n for n in _names(a, e.target)):
            continue
        out.append(e)
    return out


def test_stage_declares_the_frames():
    assert "predicates" in STAGE.assigns and "events" in STAGE.assigns
    assert {"entities", "statements", "times"} <= set(STAGE.requires)


@pytest.mark.parametrize("text,etype,source,target", [
    # passive with a "by" agent; unnamed actors are actors too
    ("Two aid workers were abducted by gunmen in Darfur on Monday.", "COERCE", "gunmen", "aid workers"),
    # a participle chain shares the subject of the verb it hangs on
    ("The Syrian army broke the truce with Turkey, shelling rebel positions and killing nine "
     "peacekeepers from Nepal.", "ASSAULT", "Syrian army", None),
    # nominal predicates and light verbs
    ("Iran's downing of the Ukrainian airliner angered Canada.", "ASSAULT", "Iran", None),
    ("Al-Shabaab carried out an attack on the African Union convoy.", "ASSAULT", "Al-Shabaab", "African Union"),
    ("The Houthis launched strikes against Saudi Arabia.", "ASSAULT", "Houthis", "Saudi Arabia"),
    # control: the vow's subject retaliates
    ("Hezbollah vowed to retaliate against Israel.", "THREATEN", "Hezbollah", "Israel"),
    # "at the request of": the one who asked is the source, the one asked the target
    ("President Ali Bongo dissolved parliament at the request of Prime Minister Paul Biya.",
     "REQUEST", "Paul Biya", "Ali Bongo"),
    # naming someone's act is criticism of them
    ("Senator John Kerry called the Kremlin's decision a disgrace.", "ACCUSE", "John Kerry", "Kremlin"),
    # people who act unnamed
    ("Hundreds of students protested outside the parliament in Dhaka.", "PROTEST", "students", None),
    # a common noun given a name by a participle: the name is the actor
    ("The gunman shot a man named Tariq Aziz outside the mosque.", "ASSAULT", "gunman", "Tariq Aziz"),
    # the possessor of an act one undergoes is its target, unless an "of" phrase names the target
    ("The journalist Maria Lopez wrote about corruption. Her arrest on Monday sparked protests in Lagos.",
     "COERCE", None, "Maria Lopez"),
])
def test_roles(analyse, text, etype, source, target):
    a = analyse(text)
    assert _events(a, etype, source, target), [(e.type, _names(a, e.source), _names(a, e.target)) for e in a.events]


def test_coordinated_agents_are_each_a_source(analyse):
    a = analyse("Kenyan police and Somali troops raided the al-Shabaab camp near Kismayo.")
    sources = {frozenset(_names(a, e.source)) for e in a.events if e.type == "ASSAULT"}
    assert len(sources) >= 2


def test_negated_and_hypothetical_events_are_not_happenings(analyse):
    a = analyse("Turkey did not attack the Kurdish militia.")
    attacks = _events(a, "ASSAULT", "Turkey")
    assert attacks and all(e.polarity == "negative" for e in attacks)
    a = analyse("If the talks collapse, Ethiopia would attack Eritrea.")
    attacks = _events(a, "ASSAULT", "Ethiopia")
    assert attacks and all(e.modality == "hedged" for e in attacks)


def test_event_time_is_the_clause_or_sentence_not_the_publication_date(analyse):
    a = analyse("Wednesday, March 17, 2021\n\nIsraeli jets bombed Hamas positions in Gaza.",
                published="2021-03-17")
    bombs = _events(a, "ASSAULT", "Israel")
    assert bombs and all(e.time is None for e in bombs)
    a = analyse("Israeli jets bombed Hamas positions in Gaza on Tuesday.", published="2021-03-17")
    assert any(e.time == "2021-03-16" for e in _events(a, "ASSAULT", "Israel"))


def test_a_claim_of_responsibility_names_the_attacker(analyse):
    a = analyse("A car bomb exploded outside a police station in Mogadishu on Friday, killing six people. "
                "Al-Shabaab claimed responsibility for the attack.")
    assert _events(a, "ASSAULT", "Al-Shabaab")


def test_place_nested_in_the_place_phrase(analyse):
    a = analyse("Police arrested Omar Farah at a hotel in the northern city of Garowe on Monday.")
    found = [e for e in a.events if e.type == "COERCE"]
    assert found and any("garowe" in _names(a, e.location) for e in found), [
        (e.type, _names(a, e.location)) for e in a.events]


def test_movements_take_the_place_left_and_visits_the_place_visited(analyse):
    a = analyse("Canada announced the withdrawal of its troops from Mali. The prime minister visited Nairobi.")
    retreat = [e for e in a.events if e.type == "RETREAT"]
    assert retreat and any("mali" in _names(a, e.location) for e in retreat), [(e.type, _names(a, e.location)) for e in a.events]
    visit = [e for e in a.events if e.type == "CONSULT"]
    assert visit and any("nairobi" in _names(a, e.location) for e in visit), [(e.type, _names(a, e.location)) for e in a.events]


def test_a_reported_event_takes_the_paragraphs_date(analyse):
    a = analyse("On 3 March 2019, protesters gathered outside the parliament in Algiers. "
                "Police arrested forty of them.\n\nNobody was arrested later.")
    arrests = [e for e in a.events if e.type == "COERCE" and e.polarity == "positive"]
    assert arrests and all(e.time == "2019-03-03" for e in arrests), [(e.type, e.time, e.polarity) for e in a.events]


def test_the_same_verb_with_another_named_doer_is_another_event(analyse):
    a = analyse("The actress sued Facebook in Ireland. The opposition sued the electoral commission.")
    sued = [e for e in a.events if e.type == "ACCUSE"]
    assert any("facebook" in _names(a, e.target) for e in sued), [(e.type, _names(a, e.source), _names(a, e.target)) for e in sued]
    assert not any("facebook" in _names(a, e.target) and "electoral commission" in _names(a, e.target) for e in sued)
    assert not any(_names(a, e.source) and "electoral commission" in _names(a, e.target)
                   and "actress" in _names(a, e.source) for e in sued), [(e.type, _names(a, e.source), _names(a, e.target)) for e in sued]


def test_an_assault_between_two_actors_is_an_attack_relation(analyse):
    a = analyse("Government troops shelled the rebel town on Monday, and the army killed the rebel "
                "commander Idris Musa.")
    names = {e.id: e.name for e in a.entities}
    attacks = [(names.get(r.subject), names.get(r.object)) for r in a.relations if r.type == "attacks"]
    assert any(o == "Idris Musa" for _, o in attacks), (attacks, [(e.type, e.source, e.target) for e in a.events])


def test_an_answer_to_a_request_is_aimed_at_whoever_made_it(analyse):
    a = analyse("Police chief Tom Reyes urged the Canadian Embassy to hand over the suspect. "
                "The embassy declined the request.")
    rejects = [e for e in a.events if e.type == "REJECT"]
    assert any("tom reyes" in _names(a, e.target) and "canadian embassy" in _names(a, e.source) for e in rejects), [
        (e.type, _names(a, e.source), _names(a, e.target)) for e in a.events]


def test_praise_said_of_someone_is_support(analyse):
    a = analyse("Senator Maria Holt died on Friday. Governor Tom Reyes said Holt had been a tireless champion of the poor.")
    support = [e for e in a.events if e.type == "SUPPORT"]
    assert any("tom reyes" in _names(a, e.source) and "maria holt" in _names(a, e.target) for e in support), [
        (e.type, _names(a, e.source), _names(a, e.target)) for e in a.events]
    b = analyse("Senator Maria Holt died on Friday. Governor Tom Reyes said Holt had not been a great leader.")
    assert not [e for e in b.events if e.type == "SUPPORT" and "tom reyes" in _names(b, e.source)]
