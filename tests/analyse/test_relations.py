"""Relations stage: a table of news sentences and the relations an analyst reads in them."""
from __future__ import annotations

import pytest

from wirescope.analyse.vocab import relation_lexicon, relation_types
from wirescope.model import RELATION_TYPES


def _names(analysis, entity_id):
    for e in analysis.entities:
        if e.id == entity_id:
            return {n.lower() for n in (e.name, *e.aliases, *(m.text for m in e.mentions))}
    return set()


def _has(analysis, subj, rtype, obj, polarity="positive", symmetric=False):
    for r in analysis.relations:
        if r.type != rtype or r.polarity != polarity:
            continue
        s, o = _names(analysis, r.subject), _names(analysis, r.object)
        hit = any(subj.lower() in n for n in s) and any(obj.lower() in n for n in o)
        if symmetric:
            hit = hit or (any(subj.lower() in n for n in o) and any(obj.lower() in n for n in s))
        if hit:
            return r
    return None


# (text, [(subject, type, object, polarity)])
CASES = [
    # harbors: active, passive, light verbs, nominal
    ("Pakistan harbors the Haqqani Network, American officials said.", [("Pakistan", "harbors", "Haqqani", "positive")]),
    ("The Haqqani Network is harbored by Pakistan, according to the report.", [("Pakistan", "harbors", "Haqqani", "positive")]),
    ("Hamas fighters were given sanctuary by Hezbollah in southern Lebanon.", [("Hezbollah", "harbors", "Hamas", "positive")]),
    ("Syria gave Hamas shelter for more than a decade.", [("Syria", "harbors", "Hamas", "positive")]),
    ("Qatar provided the Taliban a safe haven during the negotiations.", [("Qatar", "harbors", "Taliban", "positive")]),
    ("Iran has offered refuge to Hezbollah commanders, diplomats said.", [("Iran", "harbors", "Hezbollah", "positive")]),
    ("Sudan denied that it would give sanctuary to al-Shabaab.", [("Sudan", "harbors", "al-Shabaab", "negative")]),
    ("Yemen did not provide Hezbollah shelter, the minister insisted.", [("Yemen", "harbors", "Hezbollah", "negative")]),
    # funds
    ("Qatar has funded Hamas for years, Israeli officials allege.", [("Qatar", "funds", "Hamas", "positive")]),
    ("Hamas is financed by Iran, the report said.", [("Iran", "funds", "Hamas", "positive")]),
    ("Iran sends money to Hezbollah every month.", [("Iran", "funds", "Hezbollah", "positive")]),
    ("The donors raise cash across Europe and hand it to Hamas.", []),
    ("Saudi Arabia bankrolled the Free Syrian Army in 2013.", [("Saudi Arabia", "funds", "Free Syrian Army", "positive")]),
    # supplies
    ("Iran supplies the Houthis with missiles, the Pentagon said.", [("Iran", "supplies", "Houthis", "positive")]),
    ("Russia arms the Syrian government, Western diplomats said.", [("Russia", "supplies", "Syrian government", "positive")]),
    ("Turkey provided weapons to the Free Syrian Army.", [("Turkey", "supplies", "Free Syrian Army", "positive")]),
    ("Hezbollah gave Hamas expertise in drone warfare.", [("Hezbollah", "supplies", "Hamas", "positive")]),
    # exchange
    ("Hamas was given sanctuary by Syria in exchange for fighters and funding.",
     [("Syria", "harbors", "Hamas", "positive"), ("Hamas", "supplies", "Syria", "positive"), ("Hamas", "funds", "Syria", "positive")]),
    ("Hezbollah received shelter from Syria in return for weapons.",
     [("Syria", "harbors", "Hezbollah", "positive"), ("Hezbollah", "supplies", "Syria", "positive")]),
    # trains
    ("Iran trains Hezbollah in Lebanon, Israeli officials say.", [("Iran", "trains", "Hezbollah", "positive")]),
    ("Hezbollah fighters were trained by Iran.", [("Iran", "trains", "Hezbollah", "positive")]),
    # allied_with: nouns, prep verbs, adjectives, negation
    ("Hamas's alliance with Hezbollah has grown stronger.", [("Hamas", "allied_with", "Hezbollah", "positive")]),
    ("The alliance between Hamas and Islamic Jihad has frayed.", [("Hamas", "allied_with", "Islamic Jihad", "positive")]),
    ("The Houthis cooperate with Hezbollah, the report said.", [("Houthis", "allied_with", "Hezbollah", "positive")]),
    ("Hamas has pledged that it will not cooperate with Islamic State.", [("Hamas", "allied_with", "Islamic State", "negative")]),
    ("Al-Shabaab is close to al-Qaeda, analysts say.", [("al-Shabaab", "allied_with", "al-Qaeda", "positive")]),
    ("Hezbollah has strong ties with Iran, the report said.", [("Hezbollah", "allied_with", "Iran", "positive")]),
    ("Hamas denied any ties with Islamic State.", [("Hamas", "allied_with", "Islamic State", "negative")]),
    ("Boko Haram pledged allegiance to Islamic State in 2015.", [("Boko Haram", "allied_with", "Islamic State", "positive")]),
    # kin_of
    ("The Haqqani Network and the Taliban are bound by family ties.", []),
    ("Hamas gives Islamic Jihad shelter in Gaza. It is also a family connection.",
     [("Hamas", "harbors", "Islamic Jihad", "positive"), ("Hamas", "kin_of", "Islamic Jihad", "positive")]),
    ("Hamas gives Islamic Jihad money. There are intermarriages, the official said.",
     [("Hamas", "funds", "Islamic Jihad", "positive"), ("Hamas", "kin_of", "Islamic Jihad", "positive")]),
    # kin_of is between people or groups, not states
    ("Iran gives Hezbollah money. There are intermarriages, the official said.",
     [("Iran", "funds", "Hezbollah", "positive")]),
    # membership and leadership
    ("Abu Bakr al-Baghdadi, the leader of Islamic State, was killed in 2019.", [("Baghdadi", "leader_of", "Islamic State", "positive")]),
    ("Ahmed Hassan, a member of Hamas, was arrested on Monday.", [("Ahmed Hassan", "member_of", "Hamas", "positive")]),
    ("Hezbollah commander Imad Mughniyeh was killed in Damascus.", [("Mughniyeh", "leader_of", "Hezbollah", "positive")]),
    ("Omar Khalid is a senior member of al-Shabaab.", [("Omar Khalid", "member_of", "al-Shabaab", "positive")]),
    ("Ali Rahman told his Hezbollah counterparts that the plan had failed.", [("Ali Rahman", "member_of", "Hezbollah", "positive")]),
    ("Yusuf Ibrahim joined Boko Haram in 2012.", [("Yusuf Ibrahim", "member_of", "Boko Haram", "positive")]),
    ("Ayman al-Zawahiri leads al-Qaeda from hiding.", [("Zawahiri", "leader_of", "al-Qaeda", "positive")]),
    # attacks
    ("Hezbollah attacked Israel on Sunday.", [("Hezbollah", "attacks", "Israel", "positive")]),
    # a thing attacked stands for its owner: the army whose convoy was ambushed was attacked
    ("The convoy of the Syrian army was ambushed by Islamic State.", [("Islamic State", "attacks", "Syrian army", "positive")]),
    ("Israel was attacked by Hamas in October.", [("Hamas", "attacks", "Israel", "positive")]),
    # agreement_with
    ("Hamas signed an agreement with Fatah in Cairo.", [("Hamas", "agreement_with", "Fatah", "positive")]),
    ("The deal between Israel and the United Arab Emirates was signed last year.", [("Israel", "agreement_with", "United Arab Emirates", "positive")]),
    # rival_of
    ("Hamas has a long rivalry with Fatah.", [("Hamas", "rival_of", "Fatah", "positive")]),
    ("Al-Shabaab clashed with Islamic State in Puntland.", [("al-Shabaab", "rival_of", "Islamic State", "positive")]),
    # operates_in
    ("Hezbollah operates in Syria, officials said.", [("Hezbollah", "operates_in", "Syria", "positive")]),
    ("Islamic State fighters in Mozambique seized a port town.", [("Islamic State", "operates_in", "Mozambique", "positive")]),
    # modality
    ("Iran may be supplying the Houthis with drones.", [("Iran", "supplies", "Houthis", "positive")]),
    # nothing to see: no actor pair, or no relation
    ("The weather in Kabul was cold on Monday.", []),
    ("Officials said the talks would resume next week.", []),
    ("The ministry published its annual report on Friday.", []),
]


@pytest.mark.parametrize("text,expected", CASES, ids=[c[0][:40] for c in CASES])
def test_relation_cases(analyse, text, expected):
    a = analyse(text)
    for subj, rtype, obj, polarity in expected:
        sym = rtype in relation_lexicon().symmetric
        assert _has(a, subj, rtype, obj, polarity, symmetric=sym), (
            f"missing {subj} {rtype} {obj} ({polarity}); got "
            + str([(r.subject, r.type, r.object, r.polarity, r.trigger) for r in a.relations])
            + " entities " + str([(e.id, e.name) for e in a.entities]))
    for r in a.relations:
        assert r.subject != r.object
        assert a.document.text[r.evidence.start:r.evidence.end] == r.evidence.text
    if not expected:
        assert [r for r in a.relations if r.type != "operates_in"] == []


MODALITY_CASES = [
    ("Iran may be supplying the Houthis with drones.", "supplies", "hedged"),
    ("Iran reportedly supplies the Houthis with drones.", "supplies", "hedged"),
    ("Iran will supply the Houthis with drones, the minister said.", "supplies", "future"),
    ("Iran supplies the Houthis with drones.", "supplies", "asserted"),
    ("Qatar has promised to fund Hamas next year.", "funds", "future"),
]


@pytest.mark.parametrize("text,rtype,modality", MODALITY_CASES, ids=[c[0][:40] for c in MODALITY_CASES])
def test_modality(analyse, text, rtype, modality):
    a = analyse(text)
    found = [r for r in a.relations if r.type == rtype]
    assert found and found[0].modality == modality, [(r.type, r.modality) for r in a.relations]


def test_vocabulary_file_is_complete():
    types = relation_types()
    assert set(types) == set(RELATION_TYPES)
    for name, info in types.items():
        for key in ("label", "direction", "symmetric", "inverse", "stix", "triggers"):
            assert key in info, (name, key)
    assert types["harbors"]["inverse"] == "harbored_by"
    assert types["attacks"]["stix"]["relationship_type"] == "targets"


def test_seed_relations(analyse, shared):
    """The seed's relations, read from the shared folder (never copied into the repo)."""
    text = (shared / "seed" / "000_1aa4f263d7f3497b.txt").read_text(encoding="utf-8")
    a = analyse(text)
    types = {r.type for r in a.relations}
    assert {"harbors", "funds", "supplies", "trains", "allied_with", "kin_of", "agreement_with"} <= types
    assert any(r.type == "harbors" and r.polarity == "negative" for r in a.relations)
    assert all(r.subject != r.object for r in a.relations)


@pytest.mark.parametrize("text", ["", "   ", "\u202e\u05e9\u05dc\u05d5\u05dd \U0001F600", "\u201cQuote only.\u201d", "word " * 3000])
def test_robust(analyse, text):
    a = analyse(text)
    for r in a.relations:
        assert a.document.text[r.evidence.start:r.evidence.end] == r.evidence.text


# Ties ended, kept or withheld: the ending verb reverses the tie; negating it affirms the tie again.
# (text, subject, type, object, polarity, modality or None)
ENDING_CASES = [
    ("Under the ceasefire deal, the rebels pledged to cut ties with al-Shabaab.",
     "rebels", "allied_with", "al-Shabaab", "negative", "future"),
    ("Officials in Kabul said the Taliban pledged to sever their links with al-Qaeda.",
     "Taliban", "allied_with", "al-Qaeda", "negative", "future"),
    ("A United Nations panel found that the Taliban had not cut their ties with al-Qaeda.",
     "Taliban", "allied_with", "al-Qaeda", "positive", None),
    ("Hamas distanced itself from the Islamic State after the bombing.",
     "Hamas", "allied_with", "Islamic State", "negative", None),
    ("The Taliban broke with al-Qaeda after the embassy attacks, the envoy claimed.",
     "Taliban", "allied_with", "al-Qaeda", "negative", None),
    ("Qatar stopped funding Hamas in 2019, according to the ministry.",
     "Qatar", "funds", "Hamas", "negative", None),
    ("The Taliban no longer shelters al-Qaeda, the minister said.",
     "Taliban", "harbors", "al-Qaeda", "negative", None),
    ("Pakistan denied harbouring the Haqqani network.",
     "Pakistan", "harbors", "Haqqani", "negative", None),
    ("The Taliban refused to hand over Osama bin Laden to the United States.",
     "Taliban", "harbors", "bin Laden", "positive", None),
    ("Sudan would not extradite Carlos, the minister said.",
     "Sudan", "harbors", "Carlos", "positive", None),
]


@pytest.mark.parametrize("text,subj,rtype,obj,polarity,modality", ENDING_CASES, ids=[c[0][:40] for c in ENDING_CASES])
def test_ending_ties(analyse, text, subj, rtype, obj, polarity, modality):
    a = analyse(text)
    r = _has(a, subj, rtype, obj, polarity, symmetric=rtype == "allied_with")
    assert r is not None, [(x.subject, x.type, x.object, x.polarity) for x in a.relations]
    if modality:
        assert r.modality == modality
    # and never the opposite reading of the same pair
    other = "negative" if polarity == "positive" else "positive"
    assert _has(a, subj, rtype, obj, other, symmetric=rtype == "allied_with") is None


ROLE_POLARITY = [
    # a role held by the subject of a negated or denying verb is still held
    ("A Taliban spokesman, Zabihullah Mujahid, rejected the report.", "Zabihullah Mujahid", "Taliban", "positive"),
    ("Hamas commander Yahya Sinwar denied that the group had fired the rockets.", "Yahya Sinwar", "Hamas", "positive"),
    ("Hezbollah official Hassan Fadlallah did not comment on the claims.", "Hassan Fadlallah", "Hezbollah", "positive"),
]


@pytest.mark.parametrize("text, person, org, polarity", ROLE_POLARITY)
def test_role_relations_ignore_the_bearers_verb(analyse, text, person, org, polarity):
    result = analyse(text)
    names = {e.id: e.name for e in result.entities}
    found = [r for r in result.relations if r.type in ("member_of", "leader_of")
             and names[r.subject] == person and names[r.object] == org]
    assert found, [(names[r.subject], r.type, names[r.object]) for r in result.relations]
    assert all(r.polarity == polarity for r in found)
