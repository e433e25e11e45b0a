"""Ties read off noun phrases and clauses (wirescope.analyse.relation_ties and the relations stage):
hyphenated participles, groupings, support against a third party, holding a place, an organization
and its place, ally and rival roles, rival verbs and nouns, proxies ("the government of X")."""
from __future__ import annotations

import pytest


def _names(analysis, entity_id):
    for e in analysis.entities:
        if e.id == entity_id:
            return {n.lower() for n in (e.name, *e.aliases, *(m.text for m in e.mentions))}
    return set()


def _find(analysis, subj, rtype, obj, symmetric):
    out = []
    for r in analysis.relations:
        if r.type != rtype:
            continue
        s, o = _names(analysis, r.subject), _names(analysis, r.object)
        hit = any(subj.lower() in n for n in s) and any(obj.lower() in n for n in o)
        if symmetric:
            hit = hit or (any(subj.lower() in n for n in o) and any(obj.lower() in n for n in s))
        if hit:
            out.append(r)
    return out


def _show(analysis):
    names = {e.id: e.name for e in analysis.entities}
    return [(names.get(r.subject), r.type, names.get(r.object), r.polarity, r.trigger) for r in analysis.relations]


SYMMETRIC = {"allied_with", "rival_of", "kin_of", "agreement_with"}

# (text, [(subject, type, object)])
CASES = [
    # hyphenated participles; the clause's own verb ("denied") does not deny the phrase's tie
    ("The Iran-backed Houthis seized the port last year.", [("Iran", "allied_with", "Houthis")]),
    ("The Kabul-based Haqqani network has denied the claim.", [("Haqqani", "operates_in", "Kabul")]),
    ("Fighters from the al-Qaeda-linked Nusra Front attacked the town.", [("al-Qaeda", "allied_with", "Nusra Front")]),
    # a participle after the noun
    ("The rebels, backed by Turkey, captured the airport.", [("Turkey", "allied_with", "rebels")]),
    # groupings
    ("France announced a naval alliance which was joined by Italy, Greece and Spain.",
     [("France", "allied_with", "Italy"), ("France", "allied_with", "Greece"), ("France", "allied_with", "Spain")]),
    # support against a third party; "the government of X" stands for X
    ("Russia supported the government of Bashar al-Assad against the Free Syrian Army.",
     [("Russia", "allied_with", "Assad"), ("Russia", "rival_of", "Free Syrian Army"),
      ("Assad", "rival_of", "Free Syrian Army")]),
    ("Iran has expanded cooperation with the navies of China and Russia.",
     [("Iran", "allied_with", "China"), ("Iran", "allied_with", "Russia")]),
    ("Hezbollah fought in alliance with the Syrian army.", [("Hezbollah", "allied_with", "Syrian army")]),
    # holding a place, an organization and its place
    ("The city of Mosul fell under Islamic State control in 2014.", [("Islamic State", "operates_in", "Mosul")]),
    ("The Taliban in Afghanistan have rejected the offer.", [("Taliban", "operates_in", "Afghanistan")]),
    # ally and rival roles, rivals in elections
    ("Maduro, a close ally of Cuba, denied the reports.", [("Maduro", "allied_with", "Cuba")]),
    ("Barack Obama won a clear victory over John McCain in 2008.", [("Obama", "rival_of", "McCain")]),
    ("Lisa Nunez was defeated by Tom Becker in the primary.", [("Nunez", "rival_of", "Becker")]),
    ("Paula Reyes ran against Daniel Ortega in the presidential election.", [("Reyes", "rival_of", "Ortega")]),
    ("Paula Reyes competed for the nomination against Daniel Ortega.", [("Reyes", "rival_of", "Ortega")]),
    # a plural tie role predicated of two actors
    ("India and Japan are close allies.", [("India", "allied_with", "Japan")]),
    ("Egypt and Ethiopia remain bitter rivals.", [("Egypt", "rival_of", "Ethiopia")]),
]


@pytest.mark.parametrize("text,expected", CASES, ids=[c[0][:40] for c in CASES])
def test_ties(analyse, text, expected):
    a = analyse(text)
    for subj, rtype, obj in expected:
        found = _find(a, subj, rtype, obj, rtype in SYMMETRIC)
        assert found, f"missing {subj} {rtype} {obj}; got {_show(a)}"
        assert any(r.polarity == "positive" and r.modality == "asserted" for r in found), _show(a)
    for r in a.relations:
        assert r.subject != r.object
        assert a.document.text[r.evidence.start:r.evidence.end] == r.evidence.text


def test_without_a_deal_is_no_deal(analyse):
    a = analyse("Britain could leave without a trade deal with the European Union.")
    found = _find(a, "Britain", "agreement_with", "European Union", True)
    assert found and all(r.polarity == "negative" for r in found), _show(a)


def test_ending_a_conflict_keeps_the_rivalry(analyse):
    a = analyse("Colombia signed an accord ending decades of conflict with the FARC rebels. Bogota and "
                "Colombia celebrated; Colombia's congress approved it.")
    found = _find(a, "Colombia", "rival_of", "FARC", True)
    assert found and all(r.polarity == "positive" for r in found), _show(a)


def test_related_people_are_kin_groups_are_tied(analyse):
    a = analyse("Omar Hassan is related to Yusuf Hassan. The Nusra Front is related to al-Qaeda.")
    assert _find(a, "Omar Hassan", "kin_of", "Yusuf Hassan", True), _show(a)
    assert _find(a, "Nusra Front", "allied_with", "al-Qaeda", True), _show(a)


def test_no_presence_for_a_company_or_a_building(analyse):
    a = analyse("Reporters from Sky News in London and doctors at St Mary's Hospital in Paris spoke.")
    assert not [r for r in a.relations if r.type == "operates_in"], _show(a)
