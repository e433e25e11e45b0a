"""Attacks: attack verbs and nouns, things that stand for their owner as targets, and claims of
responsibility that refer back to the story's main attack (wirescope.analyse.relation_attacks)."""
from __future__ import annotations

import pytest


def _names(analysis, entity_id):
    for e in analysis.entities:
        if e.id == entity_id:
            return {n.lower() for n in (e.name, *e.aliases, *(m.text for m in e.mentions))}
    return set()


def _attacks(analysis, attacker, target):
    return [r for r in analysis.relations if r.type == "attacks"
            and any(attacker.lower() in n for n in _names(analysis, r.subject))
            and any(target.lower() in n for n in _names(analysis, r.object))]


def _show(analysis):
    names = {e.id: e.name for e in analysis.entities}
    return [(names.get(r.subject), r.type, names.get(r.object), r.polarity, r.modality, r.trigger) for r in analysis.relations]


# (text, attacker, target, polarity)
CASES = [
    # a claim of responsibility refers back to the attack the story opened with
    ("Gunmen attacked the Indian embassy in Kabul on Sunday, killing four guards. India condemned the "
     "assault. The Haqqani network claimed responsibility for the attack.", "Haqqani", "India", "positive"),
    ("Three Nigerian soldiers were killed in an ambush. Boko Haram was behind the ambush, the army said.",
     "Boko Haram", "Nigerian soldiers", "positive"),
    # attributions and blame
    ("Rebels shelled the town of Marib overnight. The government blamed the Houthis for the shelling.",
     "Houthis", "Marib", "positive"),
    # the attack noun's own agent and target
    ("The attack on the Marriott hotel, carried out by al-Shabaab, killed 20 people.", "al-Shabaab", "Marriott", "positive"),
    ("Baghdad was the target of an Islamic State suicide attack in 2016.", "Islamic State", "Baghdad", "positive"),
    ("Mali's army said the Islamic State group were the perpetrators of the attack on Menaka.",
     "Islamic State", "Menaka", "positive"),
    ("The Israeli army launched airstrikes on Hamas positions in Gaza.", "Israeli army", "Hamas", "positive"),
    ("Hamas fired rockets at Israel overnight.", "Hamas", "Israel", "positive"),
    # a thing attacked stands for its owner
    ("Drones hit oil facilities belonging to Petrolex on Monday. The Red Hand militia claimed responsibility.",
     "Red Hand", "Petrolex", "positive"),
    # denial
    ("Kenya denied carrying out airstrikes on al-Shabaab.", "Kenya", "al-Shabaab", "negative"),
    # an accusation of the attack itself
    ("Ankara accused the PKK of attacking the Turkish army. The Turkish army said six soldiers died.",
     "PKK", "Turkish army", "positive"),
]


@pytest.mark.parametrize("text,attacker,target,polarity", CASES, ids=[c[0][:40] for c in CASES])
def test_attacks(analyse, text, attacker, target, polarity):
    a = analyse(text)
    found = _attacks(a, attacker, target)
    assert found, f"missing {attacker} attacks {target}; got {_show(a)}"
    assert any(r.polarity == polarity for r in found), _show(a)
    for r in a.relations:
        assert a.document.text[r.evidence.start:r.evidence.end] == r.evidence.text


def test_blame_is_hedged(analyse):
    a = analyse("Rebels shelled the town of Marib overnight. The government blamed the Houthis for the shelling.")
    found = _attacks(a, "Houthis", "Marib")
    assert found and found[0].modality == "hedged", _show(a)


NOT_ATTACKS = [
    # an attack noun is no attacker, and a city modifier is where, not who
    "Twin blasts hit Colombo on Sunday. Ahmed Ali was arrested.",
    "Last week a Kabul car bombing killed five people, another attack blamed on the Taliban.",
    # "another attack" is not the main one; and the ISIS claim names no target of its own
    "Another bombing, in Aden, was blamed on al-Qaeda.",
    # planning operations is no attack on anyone
    "Hamas killed a Fatah commander in Gaza. Officials said Hezbollah was planning operations abroad.",
]


@pytest.mark.parametrize("text", NOT_ATTACKS, ids=[t[:40] for t in NOT_ATTACKS])
def test_no_attacker_read_into_things_or_places(analyse, text):
    a = analyse(text)
    names = {e.id: e for e in a.entities}
    for r in a.relations:
        if r.type == "attacks":
            subj = names[r.subject]
            assert subj.name not in ("Colombo", "Kabul", "Twin"), _show(a)
            assert not (subj.name == "Hezbollah"), _show(a)
            assert not (subj.name == "al-Qaeda"), _show(a)
