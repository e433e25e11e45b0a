"""Name conventions (wirescope.analyse.names): keys, short forms, acronyms, variants, gazetteer."""
from __future__ import annotations

import pytest

from wirescope.analyse import names as nm

# (a, b): two writings of one name share a key
SAME_KEY = [
    ("al Qaeda", "Al-Qaeda"),
    ("al-Qaida", "al Qaeda"),
    ("al-Qa'ida", "Al Qaeda"),
    ("Al-Qaeda\u2019s", "al-Qaeda"),
    ("Al-Qaeda's", "al Qaeda"),
    ("the Taliban", "Taliban"),
    ("Mohammed", "Muhammad"),
    ("Mohamed", "Muhammad"),
    ("Osama bin Laden", "Usama bin Ladin"),
    ("Osama ibn Laden", "Osama bin Laden"),
    ("Abdul Rauf", "Abd al-Rauf"),
    ("Abdel-Rauf", "Abd-al-Rauf"),
    ("Abd ar-Rahman", "Abdul Rahman"),
    ("Abdurrahman", "Abd al-Rahman"),
    ("Hezbollah", "Hizballah"),
    ("Hizbullah", "Hezbollah"),
    ("Hussein", "Husayn"),
    ("Hussain", "Husayn"),
    ("Omar", "Umar"),
    ("Mahmoud", "Mahmud"),
    ("Ramadhan", "Ramazan"),
    ("Ibrahim", "Ebrahim"),
    ("Saeed", "Sayyid"),
    ("Qatar", "Katar"),
    ("Abu Muhsen el-Masri", "Abu Muhsin al-Masri"),
    ("Lashkar-e-Taiba", "Lashkar-e-Tayyiba"),
    ("Mustapha", "Mustafa"),
    ("Fatah", "Fata"),
    ("Ayman al-Zawahiri", "Ayman al Zawahiri"),
    ("Zaw\u0101hir\u012b", "Zawahiri"),
    ("U.S.", "US"),
]

# (a, b): different names keep different keys
DIFFERENT_KEY = [
    ("Ghani", "Ghana"),
    ("Hassan", "Hussein"),
    ("Iran", "Iraq"),
    ("Mali", "Malawi"),
    ("EU", "IAEA"),
    ("Niger", "Nigeria"),
    ("Abu Bakr", "Bakr"),
]


@pytest.mark.parametrize("a,b", SAME_KEY)
def test_same_key(a, b):
    assert nm.name_key(a) == nm.name_key(b)


@pytest.mark.parametrize("a,b", DIFFERENT_KEY)
def test_different_key(a, b):
    assert nm.name_key(a) != nm.name_key(b)


@pytest.mark.parametrize("name,clean", [
    ("Al-Qaeda\u2019s", "Al-Qaeda"),
    ("the Taliban", "Taliban"),
    ("[al Qaeda]", "al Qaeda"),
    ("U.S.", "U.S."),
    ("Haqqanis'", "Haqqanis"),
    ("\u201cReuters,\u201d", "Reuters"),
])
def test_clean_name(name, clean):
    assert nm.clean_name(name) == clean


@pytest.mark.parametrize("short,full,expected", [
    ("Ghani", "Ashraf Ghani", True),
    ("Al-Rauf", "Husam Abd-al-Rauf", True),
    ("al-Rauf", "Khalid Abdul Rauf", True),
    ("Rauf", "Husam Abd-al-Rauf", False),  # the theophoric name is not cut after "Abd al"
    ("bin Laden", "Osama bin Laden", True),
    ("Laden", "Osama bin Laden", False),
    ("Baghdadi", "Abu Bakr al-Baghdadi", True),
    ("al-Baghdadi", "Abu Bakr al-Baghdadi", True),
    ("Abu Talha", "Abu Talha al-Almani", True),
    ("Ashraf", "Ashraf Ghani", False),  # a first name is no short form
    ("al", "Ashraf al Ghani", False),
    ("Ashraf Ghani", "Ashraf Ghani", False),
    ("Ghani", "Ghani", False),
    ("Karzai", "Hamid Karzai", True),
    ("Massoud", "Ahmad Shah Massoud", True),
    ("Shah Massoud", "Ahmad Shah Massoud", True),
])
def test_is_short_form(short, full, expected):
    assert nm.is_short_form(short, full) is expected


@pytest.mark.parametrize("name,acronym", [
    ("Federal Bureau of Investigation", "FBI"),
    ("Central Intelligence Agency", "CIA"),
    ("North Atlantic Treaty Organization", "NATO"),
    ("Islamic State of Iraq and the Levant", "ISIL"),
    ("Al-Qaeda in the Arabian Peninsula", "AQAP"),
    ("Tehrik-i-Taliban Pakistan", "TTP"),
    ("the Federal Bureau of Investigation", "FBI"),
    ("National Directorate of Security", "NDS"),
])
def test_acronym_of(name, acronym):
    assert nm.acronym_of(name) == acronym


@pytest.mark.parametrize("acronym,name,expected", [
    ("DoD", "Department of Defense", True),
    ("U.N.", "United Nations", True),
    ("FBI", "Federal Bureau of Investigation", True),
    ("CIA", "Federal Bureau of Investigation", False),
    ("US", "Ghani", False),
])
def test_acronym_matches(acronym, name, expected):
    assert nm.acronym_matches(acronym, name) is expected


@pytest.mark.parametrize("name,must_have", [
    ("al-Qaeda", {"al Qaeda", "Al-Qaeda", "al-Qaida"}),
    ("Mohammed Omar", {"Muhammed Omar", "Mohammed Umar"}),
    ("Hezbollah", {"Hezbollah"}),
])
def test_variants_contain_known_spellings(name, must_have):
    found = nm.variants(name)
    assert must_have <= found


@pytest.mark.parametrize("name", ["al-Qaeda", "Osama bin Laden", "Abd al-Rahman", "Hezbollah", "Husayn"])
def test_variants_share_the_key(name):
    found = nm.variants(name)
    assert len(found) >= 2
    assert {nm.name_key(v) for v in found} == {nm.name_key(name)}


@pytest.mark.parametrize("name,expected", [
    ("Al-Qaida", "al-Qaeda"),
    ("Daesh", "Islamic State"),
    ("ISIL", "Islamic State"),
    ("the United States", "United States"),
    ("U.S.", "United States"),
    ("America", "United States"),
    ("Hizballah", "Hezbollah"),
    ("Nato", "North Atlantic Treaty Organization"),
    ("Defense Department", "Pentagon"),
    ("Islamic Emirate of Afghanistan", "Taliban"),
    ("us", None),  # the pronoun is no country
    ("is", None),
    ("Reuters", "Reuters"),
])
def test_gazetteer_lookup(name, expected):
    found = nm.gazetteer_lookup(name)
    assert (found.name if found else None) == expected


@pytest.mark.parametrize("word,iso", [("Afghan", "AF"), ("Pakistani", "PK"), ("American", "US"),
                                      ("Americans", "US"), ("Iraqis", "IQ"), ("Martian", None)])
def test_demonym_country(word, iso):
    found = nm.demonym_country(word)
    assert (found.country if found else None) == iso


def test_gazetteer_is_large_and_unambiguous():
    gaz = nm.gazetteer()
    assert len(gaz.entries) >= 150
    owner: dict[str, str] = {}
    for entry in gaz.entries:
        for form in [entry.name, *entry.aliases]:
            key = nm.name_key(form)
            assert owner.setdefault(key, entry.name) == entry.name, (form, owner[key], entry.name)


@pytest.mark.parametrize("names,kind,best", [
    (["Abu Muhsen al-Masri", "Husam Abd-al-Rauf", "Al-Rauf"], "person", "Husam Abd-al-Rauf"),
    (["FBI", "Federal Bureau of Investigation"], "organization", "Federal Bureau of Investigation"),
    (["US", "United States"], "location", "United States"),
    (["Ghani", "Ashraf Ghani"], "person", "Ashraf Ghani"),
])
def test_best_name(names, kind, best):
    assert nm.best_name(names, kind) == best


@pytest.mark.parametrize("text", ["", "   ", "\u0645\u0631\u062d\u0628\u0627", "\U0001F600", "'s", "-", "the"])
def test_odd_input_does_not_raise(text):
    nm.name_key(text)
    nm.variants(text)
    nm.acronym_of(text)
    nm.is_short_form(text, "Ashraf Ghani")
    nm.gazetteer_lookup(text)


@pytest.mark.parametrize("acronym,name,expected", [
    ("PG&E", "Pacific Gas and Electric Company", True),  # "&" for "and", the company word left out
    ("AT&T", "American Telephone and Telegraph", True),
    ("PGE", "Pacific Gas Exploration Company", True),
    ("FBI", "Federal Bureau of Investigation", True),
    ("PGC", "Pacific Gas and Electric Company", False),
])
def test_acronyms_with_ampersands_and_company_words(acronym, name, expected):
    from wirescope.analyse import names as nm
    assert nm.acronym_matches(acronym, name) is expected

