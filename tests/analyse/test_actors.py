"""The actors stage: entities, types, within-document coreference, anonymous sources, pronouns.

Each table holds news prose written for these tests. The stage runs alone (no later stage adds
entities), through the session's spaCy model."""
from __future__ import annotations

import json

import pytest

from wirescope.analyse import actors
from wirescope.analyse.context import Context
from wirescope.model import Document


@pytest.fixture(scope="module")
def run_actors(nlp):
    from wirescope.analyse.pipeline import Pipeline
    from wirescope.settings import Settings

    pipe = Pipeline(Settings(stages=("actors",)), nlp=nlp)

    def run(text: str):
        return pipe.analyse(Document(text, published="2021-03-20"))

    return run


def holders(analysis, name: str) -> list:
    """Entities that carry `name` as name, alias or mention text (case-insensitive)."""
    want = name.casefold()
    return [e for e in analysis.entities
            if want in {e.name.casefold(), *(a.casefold() for a in e.aliases), *(m.text.casefold() for m in e.mentions)}]


def one(analysis, name: str):
    found = holders(analysis, name)
    assert len(found) == 1, f"{name!r} held by {[e.name for e in found]} in {[e.name for e in analysis.entities]}"
    return found[0]


# ---- one actor, many names ----------------------------------------------------------------------
MERGED = [
    # spelling variants and possessives
    ("Al-Qaeda\u2019s leaders met. Later al Qaeda denied it, and al-Qaida issued a statement.",
     ["Al-Qaeda", "al Qaeda", "al-Qaida"], "organization"),
    ("Hezbollah fired rockets. Hizballah's leader spoke on Friday.", ["Hezbollah", "Hizballah"], "organization"),
    ("The Taliban took the city. Taliban commanders said the Taliban's fighters were tired.", ["Taliban"], "organization"),
    ("Mohammed Omar led the movement. Muhammad Omar's son leads it now.", ["Mohammed Omar", "Muhammad Omar"], "person"),
    # short forms of people's names
    ("President Ashraf Ghani spoke in Kabul. Ghani said the talks would go on.", ["Ashraf Ghani", "Ghani"], "person"),
    ("Police arrested Khalid Abdul Rauf on Monday. Al-Rauf denied the charges.", ["Khalid Abdul Rauf", "Al-Rauf"], "person"),
    ("Abu Bakr al-Baghdadi led the group for years. Baghdadi was killed in 2019.",
     ["Abu Bakr al-Baghdadi", "Baghdadi"], "person"),
    # explicit aliases
    ("Prosecutors charged Sami Karim, also known as Abu Yasir al-Iraqi, with murder.",
     ["Sami Karim", "Abu Yasir al-Iraqi"], "person"),
    ("Sirajuddin Haqqani, a.k.a. Khalifa, runs the network.", ["Sirajuddin Haqqani", "Khalifa"], "person"),
    ("Mullah Yaqoob, aka Mohammad Yaqoob, attended the meeting.", ["Yaqoob", "Mohammad Yaqoob"], "person"),
    ("Ahmad Shah Massoud, better known as the Lion of Panjshir, was killed in 2001.",
     ["Ahmad Shah Massoud", "Lion of Panjshir"], "person"),
    ("Hamza Yusuf, whose nom de guerre is Abu Talha al-Almani, fled. Abu Talha was arrested in Turkey.",
     ["Hamza Yusuf", "Abu Talha al-Almani", "Abu Talha"], "person"),
    ("Abu Bakr al-Baghdadi, whose real name is Ibrahim Awad Ibrahim al-Badri, led the group.",
     ["Abu Bakr al-Baghdadi", "Ibrahim Awad Ibrahim al-Badri"], "person"),
    # acronyms and expansions
    ("The Federal Bureau of Investigation (FBI) opened a case. The FBI declined to comment.",
     ["Federal Bureau of Investigation", "FBI"], "organization"),
    ("The National Salvation Front of Libya said on Monday that the NSFL would fight.",
     ["National Salvation Front of Libya", "NSFL"], "organization"),
    ("The Pentagon said the Department of Defense had no comment.", ["Pentagon", "Department of Defense"], "organization"),
    ("The Islamic State group, also known as ISIS or Daesh, lost its last town.",
     ["Islamic State group", "ISIS", "Daesh"], "organization"),
    # countries
    ("US troops left. The United States said America would keep its embassy.",
     ["US", "United States", "America"], "location"),
    ("The Haqqani network is strong. Haqqani fighters attacked the base.", ["Haqqani network", "Haqqani"], "organization"),
    ("Afghans in Kabul queued for bread. The Afghan said the city was calm.", ["Afghans", "Afghan"], "group"),
]


@pytest.mark.parametrize("text,names,kind", MERGED)
def test_names_of_one_actor_merge(run_actors, text, names, kind):
    a = run_actors(text)
    entity = one(a, names[0])
    for name in names[1:]:
        assert one(a, name).id == entity.id, name
    assert entity.type == kind


# ---- actors that must stay apart ----------------------------------------------------------------
SEPARATE = [
    ("Sirajuddin Haqqani met Jalaluddin Haqqani's sons.", "Sirajuddin Haqqani", "Jalaluddin Haqqani"),
    ("A US diplomat met two Afghan officials in Doha.", "US diplomat", "Afghan officials"),
    ("A senior official said the officials had left.", "senior official", "officials"),
    ("Hassan Ali met Hussein Ali in Baghdad.", "Hassan Ali", "Hussein Ali"),
    ("A Taliban spokesman spoke to an Afghan official.", "Taliban spokesman", "Afghan official"),
    ("Washington sent George Washington Carver to Jordan.", "Jordan", "George Washington Carver"),
    ("KABUL (Reuters) - The Taliban said on Monday they had taken the town.", "KABUL", "Reuters"),
]


@pytest.mark.parametrize("text,a_name,b_name", SEPARATE)
def test_different_actors_stay_apart(run_actors, text, a_name, b_name):
    a = run_actors(text)
    assert one(a, a_name).id != one(a, b_name).id


# ---- anonymous sources ----------------------------------------------------------------------------
ANONYMOUS = [
    ("A senior Afghan intelligence official said the group was growing. The official said the senior "
     "official had seen the evidence. The senior intelligence official said he was worried.",
     ["senior Afghan intelligence official", "official", "senior official", "senior intelligence official", "he"],
     "person", {"role": "official", "rank": "senior", "affiliation": "Afghan", "agency": "intelligence"}, "AF"),
    ("A US diplomat said the talks had stalled. The diplomat added that Kabul was worried.",
     ["US diplomat", "diplomat"], "person", {"role": "diplomat", "affiliation": "US"}, "US"),
    ("Two Pakistani security officials said the border was closed. The officials asked not to be named.",
     ["Pakistani security officials", "officials"], "group",
     {"role": "official", "affiliation": "Pakistani", "agency": "security", "plural": True}, "PK"),
    ("A Taliban commander said the fighters would stay. The commander spoke by telephone.",
     ["Taliban commander", "commander"], "person", {"role": "commander", "affiliation": "Taliban"}, None),
    ("A spokeswoman for the ministry said she had no information.",
     ["spokeswoman", "she"], "person", {"role": "spokeswoman"}, None),
    ("A former high-ranking CIA officer said the agency knew. The former officer declined to elaborate.",
     ["former high-ranking CIA officer", "former officer"], "person",
     {"role": "officer", "affiliation": "CIA", "rank": "former high-ranking"}, "US"),
    ("A Western diplomat in Kabul said the deal was fragile.",
     ["Western diplomat"], "person", {"role": "diplomat", "affiliation": "Western"}, None),
    ("Local residents said the shelling lasted hours. The residents fled to the hills.",
     ["Local residents", "residents"], "group", {"role": "resident", "plural": True}, None),
]


@pytest.mark.parametrize("text,names,kind,descriptor,country", ANONYMOUS)
def test_anonymous_sources(run_actors, text, names, kind, descriptor, country):
    a = run_actors(text)
    entity = holders(a, names[0])
    entity = [e for e in entity if e.anonymous]
    assert len(entity) == 1, [e.name for e in a.entities]
    entity = entity[0]
    got = {e.id for n in names for e in holders(a, n) if e.anonymous or n in ("he", "she")}
    assert got == {entity.id}
    assert entity.type == kind and entity.anonymous is True
    for key, value in descriptor.items():
        got_value = entity.descriptor.get(key)
        assert got_value == value or (isinstance(value, str) and value.lower() in str(got_value).lower()), key
    if country:
        assert entity.country == country


def test_plural_officials_never_carry_the_singular_name(run_actors):
    a = run_actors("A senior official said the raid failed. Afghan officials cited new details. "
                   "The official said more raids would follow.")
    singular = one(a, "senior official")
    plural = one(a, "Afghan officials")
    assert singular.id != plural.id
    assert "official" not in {m.text.casefold() for m in plural.mentions}
    assert one(a, "official").id == singular.id


def test_description_in_apposition_joins_the_named_person(run_actors):
    a = run_actors("Zabihullah Mujahid, a Taliban spokesman, denied the report. The spokesman said it was false.")
    person = one(a, "Zabihullah Mujahid")
    assert person.anonymous is False
    assert one(a, "spokesman").id == person.id
    assert person.descriptor.get("role") == "spokesman"


def test_title_names_the_organization_the_person_belongs_to(run_actors):
    a = run_actors("Pakistani Taliban leader Noor Wali Mehsud said his men were ready.")
    person = one(a, "Noor Wali Mehsud")
    org = one(a, "Pakistani Taliban")
    assert person.descriptor["affiliation_id"] == org.id and person.descriptor["role"] == "leader"


def test_title_before_a_name_is_no_anonymous_source(run_actors):
    a = run_actors("Taliban spokesman Zabihullah Mujahid said the attack was over.")
    assert not [e for e in a.entities if e.anonymous]
    assert one(a, "Zabihullah Mujahid").type == "person"


def test_official_as_adjective_is_no_source(run_actors):
    a = run_actors("The official statement was published by the ministry on Friday.")
    assert not [e for e in a.entities if e.anonymous]


# ---- mention spans ------------------------------------------------------------------------------
SPANS = [
    ("Al-Qaeda\u2019s bond with the Taliban is deep.", "al-Qaeda", ["Al-Qaeda"]),
    ("Al-Qaeda's bond with the Taliban is deep.", "al-Qaeda", ["Al-Qaeda"]),
    ("The Taliban took Kandahar.", "Taliban", ["Taliban"]),
    ("The Federal Bureau of Investigation (FBI) said so.", "FBI", ["Federal Bureau of Investigation", "FBI"]),
    ("President Ashraf Ghani spoke on Friday.", "Ashraf Ghani", ["Ashraf Ghani"]),
    ("The senior Afghan intelligence official said the raid worked.", "senior Afghan intelligence official",
     ["senior Afghan intelligence official"]),
    ("Two Afghan officials said the raid worked.", "Afghan officials", ["Afghan officials"]),
]


@pytest.mark.parametrize("text,name,mentions", SPANS)
def test_mention_spans(run_actors, text, name, mentions):
    a = run_actors(text)
    entity = one(a, name)
    got = [m.text for m in sorted(entity.mentions, key=lambda m: m.start)]
    assert got == mentions
    for m in entity.mentions:
        assert text[m.start:m.end] == m.text


# ---- types, subtypes, countries ------------------------------------------------------------------
TYPES = [
    ("The Trump administration signed a deal with the Taliban.", "Trump administration", "organization", "government", None),
    ("The Afghan government rejected the plan.", "Afghan government", "organization", "government", "AF"),
    ("A Manhattan court issued a warrant.", "Manhattan court", "organization", "court", None),
    ("Reuters reported the attack first.", "Reuters", "organization", "media", "GB"),
    ("The Taliban seized the district.", "Taliban", "organization", "armed_group", "AF"),
    ("The CIA declined to comment.", "CIA", "organization", "agency", "US"),
    ("Afghans are tired of the war.", "Afghans", "group", None, "AF"),
    ("The envoy flew to Doha on Monday.", "Doha", "location", None, None),
    ("The Islamic State claimed the bombing.", "Islamic State", "organization", "armed_group", None),
    ("The United Nations condemned the attack.", "United Nations", "organization", "intergovernmental", None),
    ("Officials at the Ministry of Interior said the road was open.", "Ministry of Interior", "organization", "government", None),
    ("KABUL (Reuters) - The Taliban said on Monday they had taken the town.", "KABUL", "location", None, None),
    ("Jaish al-Adl claimed the attack on the border post.", "Jaish al-Adl", "organization", "armed_group", None),
]


@pytest.mark.parametrize("text,name,kind,subtype,country", TYPES)
def test_types_subtypes_and_countries(run_actors, text, name, kind, subtype, country):
    a = run_actors(text)
    entity = one(a, name)
    assert (entity.type, entity.subtype) == (kind, subtype)
    if country:
        assert entity.country == country


NOT_ENTITIES = [
    ("The Trump administration signed the deal with the Taliban.", "Trump"),
    ("Afghan officials said the Afghan soil would not be used.", "Afghan"),
    ("The spokesman, also known for his temper, left.", "also known"),
]


@pytest.mark.parametrize("text,name", NOT_ENTITIES)
def test_no_entity_for(run_actors, text, name):
    a = run_actors(text)
    assert not [e for e in a.entities if e.name.casefold() == name.casefold()]


def test_person_named_alone_after_the_administration_is_a_person(run_actors):
    a = run_actors("The Trump administration signed the deal. Trump later praised it.")
    admin = one(a, "Trump administration")
    people = [e for e in a.entities if e.type == "person" and e.name == "Trump"]
    assert admin.type == "organization" and len(people) == 1
    assert [m.text for m in people[0].mentions] == ["Trump"]


# ---- how aliases were learnt ------------------------------------------------------------------------
ALIAS_SOURCES = [
    ("Prosecutors charged Sami Karim, also known as Abu Yasir al-Iraqi, with murder.", "Abu Yasir al-Iraqi", "also known as"),
    ("The Federal Bureau of Investigation (FBI) opened a case.", "FBI", "acronym"),
    ("President Ashraf Ghani spoke. Ghani left for Doha.", "Ghani", "short form"),
    ("Hezbollah fired rockets. Hizballah's leader spoke.", "Hizballah", "variant spelling"),
    ("Sirajuddin Haqqani, alias Khalifa, runs the network.", "Khalifa", "alias"),
]


@pytest.mark.parametrize("text,alias,how", ALIAS_SOURCES)
def test_alias_sources(run_actors, text, alias, how):
    a = run_actors(text)
    entity = one(a, alias)
    assert entity.alias_sources.get(alias) == how, entity.alias_sources


# ---- generic groups ---------------------------------------------------------------------------------
GENERIC = [
    ("The al-Qaeda terrorists collect money for the group.", "al-Qaeda", "al-Qaeda terrorists"),
    ("Taliban fighters entered the city at dawn.", "Taliban", "Taliban fighters"),
    ("Militants from al-Shabaab attacked the base.", "al-Shabaab", "Militants"),
    ("The Taliban pledged not to cooperate with terrorists.", None, "terrorists"),
    ("Hezbollah's fighters crossed the border.", "Hezbollah", "Hezbollah\u2019s fighters".replace("\u2019", "'")),
]


@pytest.mark.parametrize("text,owner,mention", GENERIC)
def test_generic_groups(run_actors, text, owner, mention):
    a = run_actors(text)
    group = [e for e in a.entities if e.subtype == "generic" and mention in {m.text for m in e.mentions}]
    assert len(group) == 1, [(e.name, [m.text for m in e.mentions]) for e in a.entities]
    group = group[0]
    assert group.type == "group"
    if owner is None:
        assert group.descriptor["of"] is None
    else:
        owner_entity = one(a, owner)
        assert group.descriptor["of"] == owner_entity.id
        # the modifier is still a mention of the named actor
        assert owner_entity.type == "organization"


def test_the_former_refers_to_the_first_of_two(run_actors):
    a = run_actors("Al-Qaeda's bond with the Taliban is deep as the former's terrorists are sheltered.")
    aq = one(a, "Al-Qaeda")
    assert "former" in {m.text for m in aq.mentions}
    group = [e for e in a.entities if e.subtype == "generic"]
    assert len(group) == 1 and group[0].descriptor["of"] == aq.id


# ---- post-nominal letters -----------------------------------------------------------------------
@pytest.mark.parametrize("text,name", [
    ("Prosecutor Kama Melly QC said the victims were vulnerable.", "Kama Melly"),
    ("The bill was tabled by Sarah Jenkins MP on Monday.", "Sarah Jenkins"),
    ("The award went to Peter Owusu OBE, a former teacher.", "Peter Owusu"),
])
def test_post_nominal_letters_make_a_person(run_actors, text, name):
    """Letters after a name (silk, seats, honours) mark a person, and the name drops them."""
    a = run_actors(text)
    found = [e for e in a.entities if e.name == name]
    assert len(found) == 1 and found[0].type == "person", [(e.name, e.type) for e in a.entities]


# ---- names typed by their context ----------------------------------------------------------------
def test_a_name_before_a_media_noun_is_an_outlet(run_actors):
    a = run_actors("On Wednesday, Time magazine announced its choice for the cover.")
    time = next(e for e in a.entities if e.name == "Time")
    assert (time.type, time.subtype) == ("organization", "media")


def test_names_after_a_role_or_beside_a_person_are_people(run_actors):
    """"officers Antoine Quirin and Nicolas Redouane": people, whatever type the tagger gave them;
    a place beside a person stays a place."""
    a = run_actors("She met officers Antoine Quirin and Nicolas Redouane at an Irish pub in Paris.")
    types = {e.name: e.type for e in a.entities}
    assert types.get("Antoine Quirin") == "person" and types.get("Nicolas Redouane") == "person", types
    b = run_actors("The governor thanked Maria Lopez and Puerto Rico for their patience.")
    assert {e.name: e.type for e in b.entities}.get("Puerto Rico") == "location"


@pytest.mark.parametrize("text,name,absent", [
    ("Newly elected Assemblywoman Selena Ortiz said the vote was historic.", "Selena Ortiz", "Assemblywoman"),
    ("Detective Inspector Darren Cole said the death was not suspicious.", "Darren Cole", "Detective"),
    ("Dr. Steven Marsh at Saint Luke's said the hospital was ready.", "Steven Marsh", "Steven Marsh at Saint Luke's"),
])
def test_titles_and_bodies_are_not_part_of_a_name(run_actors, text, name, absent):
    """State legislators' and police titles are titles; "at <body>" after a name ends the name."""
    a = run_actors(text)
    names = {e.name for e in a.entities}
    assert name in names and absent not in names, names


# ---- pronouns ---------------------------------------------------------------------------------------
# (text, pronoun, occurrence, expected holder's name or None)
PRONOUNS = [
    ("A senior official said he was worried.", "he", 0, "senior official"),
    ("Ashraf Ghani met the envoy. He said the talks would go on.", "He", 0, "Ashraf Ghani"),
    ("The Taliban has pledged that they will not cooperate with terrorists or give them shelter.", "they", 0, "Taliban"),
    ("The Taliban has pledged that they will not cooperate with terrorists or give them shelter.", "them", 0, "terrorists"),
    ("The al-Qaeda terrorists give money to the Taliban. They train bombers and help them.", "They", 0, "al-Qaeda terrorists"),
    ("The al-Qaeda terrorists give money to the Taliban. They train bombers and help them.", "them", 0, "Taliban"),
    ("The al-Qaeda terrorists give money to the Taliban. In return, the Taliban provide them shelter.",
     "them", 0, "al-Qaeda terrorists"),
    ("A Taliban spokeswoman said she was pleased.", "she", 0, "Taliban spokeswoman"),
    ("A Taliban spokesman said she was pleased.", "she", 0, None),  # gender clash: left alone
    ("The weather was bad. It rained. He left.", "He", 0, None),  # nobody to refer to
    ("Al-Rauf was charged in 2018. In messages found on his computer, al-Rauf praised the group.", "his", 0, "Al-Rauf"),
    ("Hamas said they would fight on.", "they", 0, "Hamas"),
    # it / its: an organisation (or for "its", a country) of this sentence or the one before
    ("The Interior Ministry said it had arrested four men.", "it", 0, "Interior Ministry"),
    ("The State Department gave its sympathies to the family.", "its", 0, "State Department"),
    ("China said the law protects its sovereignty.", "its", 0, "China"),
    ("The World Health Organization met on Monday. It said the outbreak was an emergency.", "It", 0,
     "World Health Organization"),
    ("The company was fined. It is clear that the rules were broken.", "It", 0, None),  # expletive
    ("Syria says it is willing to withdraw its troops from Lebanon.", "it", 0, "Syria"),  # only an actor is willing
    ("The Interior Ministry said it took five hours to put out the fire.", "it", 0, None),  # raising verb
    # chains: a pronoun stands for the actor its antecedent pronoun stood for
    ("Anne Sacoolas was questioned in August. She told police she had immunity. The talks went nowhere. "
     "Later she and her husband left the country.", "her", 0, "Anne Sacoolas"),
]


@pytest.mark.parametrize("text,pronoun,occurrence,expected", PRONOUNS)
def test_pronouns(run_actors, text, pronoun, occurrence, expected):
    a = run_actors(text)
    starts = [i for i in range(len(text)) if text.startswith(pronoun, i)
              and (i == 0 or not text[i - 1].isalnum()) and not text[i + len(pronoun):i + len(pronoun) + 1].isalnum()]
    start = starts[occurrence]
    owners = [e for e in a.entities if any(m.start == start and m.end == start + len(pronoun) for m in e.mentions)]
    if expected is None:
        assert owners == []
    else:
        assert len(owners) == 1
        assert expected.casefold() in {owners[0].name.casefold(), *(m.text.casefold() for m in owners[0].mentions),
                                       *(x.casefold() for x in owners[0].aliases)}


# ---- helpers for the attribution stage ------------------------------------------------------------
DESCRIBE = [
    ("A senior Afghan intelligence official said so.", "official",
     {"role": "official", "rank": "senior", "affiliation": "Afghan", "agency": "intelligence", "plural": False}),
    ("Two Pakistani officials said so.", "officials", {"role": "official", "plural": True, "count": "Two"}),
    ("A spokesman for the Taliban said so.", "spokesman", {"role": "spokesman", "affiliation": "Taliban"}),
    ("The official said so.", "official", {"role": "official", "definite": True}),
    ("The report said so.", "report", None),
    ("The member said so.", "member", None),  # a bare "member" describes nobody in particular
]


@pytest.mark.parametrize("text,head,expected", DESCRIBE)
def test_describe_source(nlp, text, head, expected):
    doc = nlp(text)
    tok = next(t for t in doc if t.text == head)
    got = actors.describe_source(tok)
    if expected is None:
        assert got is None
        return
    for key, value in expected.items():
        assert got[key] == value, key
    assert text[got["start"]:got["end"]] == got["text"]


def test_make_source_entity_reuses_earlier_description(nlp):
    text = "A senior Western diplomat said the deal was dead. The diplomat said it again."
    doc = nlp(text)
    ctx = Context(doc, Document(text), None)
    first = actors.make_source_entity(ctx, next(t for t in doc if t.text == "diplomat"))
    second = actors.make_source_entity(ctx, [t for t in doc if t.text == "diplomat"][1])
    assert first is not None and first.anonymous and first is second
    assert actors.make_source_entity(ctx, next(t for t in doc if t.text == "deal")) is None


# ---- the seed article -------------------------------------------------------------------------------
def test_seed_entities_pass_the_scorer(run_actors, shared, tmp_path):
    """The scorer's entity checks on the seed article, with the actors stage's own output."""
    import subprocess
    import sys

    text = (shared / "seed" / "000_1aa4f263d7f3497b.txt").read_text(encoding="utf-8")
    out = tmp_path / "seed.json"
    out.write_text(json.dumps(run_actors(text).to_dict()), encoding="utf-8")
    proc = subprocess.run([sys.executable, str(shared / "tools" / "score_extraction.py"),
                           str(shared / "seed" / "000_1aa4f263d7f3497b.gold.json"), str(out), "-v",
                           "--only", "entity"], capture_output=True, text=True)
    rows = [line for line in proc.stdout.splitlines() if " entity " in f" {line} " and ":" in line]
    assert len(rows) >= 11, proc.stdout
    assert all(line.startswith("ok") for line in rows), proc.stdout


# ---- robustness ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["", "   ", "\U0001F600\U0001F680", "\u201c\u201d", "\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645",
                                  "they them he him", "(FBI)", "Abu", "A senior official. The official. He.",
                                  "al-Qaeda " * 400])
def test_odd_text_gives_exact_spans(run_actors, text):
    a = run_actors(text)
    for e in a.entities:
        for m in e.mentions:
            assert text[m.start:m.end] == m.text


# Alias cues with a name noun between cue and alias: one person, the alias kept.
# (text, true name, alias)
ALIAS_NOUN_CASES = [
    ("Police arrested Abdul Karim Noorzai, better known by his nom de guerre Abu Hamza al-Afghani, in Herat.",
     "Abdul Karim Noorzai", "Abu Hamza al-Afghani"),
    ("The commander, Mohammad Yusuf Safi, who goes by the kunya Abu Omar al-Khorasani, fled to Kunar.",
     "Mohammad Yusuf Safi", "Abu Omar al-Khorasani"),
    ("Prosecutors charged Tariq Mehmood, known by the name Tariq Bhai, with financing the cell.",
     "Tariq Mehmood", "Tariq Bhai"),
    ("The suspect, Karim Haddad, using the alias Samir Khalil, opened three bank accounts in Beirut.",
     "Karim Haddad", "Samir Khalil"),
    ("The recruiter Abu Yahya al-Shami (real name Ahmed Darwish) was killed in Idlib.",
     "Ahmed Darwish", "Abu Yahya al-Shami"),
]


@pytest.mark.parametrize("text,name,alias", ALIAS_NOUN_CASES, ids=[c[1] for c in ALIAS_NOUN_CASES])
def test_alias_with_name_noun(analyse, text, name, alias):
    a = analyse(text)
    people = [e for e in a.entities if e.type == "person" and not e.anonymous]
    owner = [e for e in people if alias in (e.name, *e.aliases) or any(m.text == alias for m in e.mentions)]
    assert len(owner) == 1, [(e.name, e.aliases) for e in people]
    names = {owner[0].name, *owner[0].aliases}
    assert name in names and alias in names


# A nationality on a security or state noun is an actor of that country.
# (text, phrase, subtype, country)
NATIONAL_CASES = [
    ("Turkish police detained 14 suspects in Izmir on Tuesday.", "Turkish police", "agency", "TR"),
    ("Israeli jets struck targets in southern Lebanon overnight.", "Israeli jets", "military", "IL"),
    ("Iraqi troops entered the town after a week of fighting.", "Iraqi troops", "military", "IQ"),
    ("Russian forces shelled the outskirts of the city, the mayor said.", "Russian forces", "military", "RU"),
    ("Egyptian authorities banned the march, organisers said.", "Egyptian authorities", "government", "EG"),
]


@pytest.mark.parametrize("text,phrase,subtype,country", NATIONAL_CASES, ids=[c[1] for c in NATIONAL_CASES])
def test_nationality_actor(analyse, text, phrase, subtype, country):
    a = analyse(text)
    found = [e for e in a.entities if any(m.text == phrase for m in e.mentions)]
    assert len(found) == 1, [(e.name, e.type) for e in a.entities]
    e = found[0]
    assert e.type == "organization" and e.subtype == subtype and e.country == country


@pytest.mark.parametrize("text", [
    "Afghan officials said the talks would resume.",   # a role noun: a described source, not an organization
    "US troops left the base on Friday.",              # a place name as modifier: the place stands for the actor
    "The Turkish lira fell sharply.",                  # not a security or state noun
])
def test_nationality_not_an_organization(analyse, text):
    a = analyse(text)
    assert not [e for e in a.entities if e.type == "organization" and e.label == "NORP"], \
        [(e.name, e.type, e.label) for e in a.entities]


# ---- a definite description outranks an older named person for "he"/"she" -------------------------
# (text, pronoun, occurrence, expected holder's name or mention)
DESCRIPTION_ANTECEDENTS = [
    ("Maria Lopez said the vote was fair. The commission's chairman rejected the claims. He said the count "
     "would be repeated.", "He", 0, "chairman"),
    ("Omar Haddad praised the deal. The official disagreed. He said the terms were unfair.", "He", 0, "official"),
    ("Elena Petrova defended the budget. The committee's chairwoman objected. She said the figures were wrong.",
     "She", 0, "chairwoman"),
    ("Karim Nouri said the bridge was safe. The mayor ordered it closed. He cited new cracks.", "He", 0, "mayor"),
]


@pytest.mark.parametrize("text,pronoun,occurrence,expected", DESCRIPTION_ANTECEDENTS)
def test_description_subject_is_the_nearer_antecedent(run_actors, text, pronoun, occurrence, expected):
    test_pronouns(run_actors, text, pronoun, occurrence, expected)


# ---- names after titles and roles, Arabic and Persian name words --------------------------------------
# (text, full name, title kept in descriptor or None)
RULE_NAMES = [
    ("Minister Amir Khan Muttaqi met the delegation in Tashkent.", "Amir Khan Muttaqi", "Minister"),
    ("Foreign Minister Amir Khan Muttaqi met the delegation.", "Amir Khan Muttaqi", "Foreign Minister"),
    ("The cleric Maulvi Abdul Kabir spoke to reporters.", "Abdul Kabir", "Maulvi"),
    ("Taliban spokesman Zabihullah Mujahid said the attack was over.", "Zabihullah Mujahid", "spokesman"),
    ("Mullah Abdul Ghani Baradar led the delegation to Doha.", "Abdul Ghani Baradar", "Mullah"),
    ("Prime Minister Imran Khan spoke on Friday.", "Imran Khan", "Prime Minister"),
    ("Gen. Austin Miller left the base.", "Austin Miller", "Gen."),
    ("Abu Mohammed al-Julani sent a letter to the council.", "Abu Mohammed al-Julani", None),
]


@pytest.mark.parametrize("text,name,title", RULE_NAMES)
def test_person_names_after_titles(run_actors, text, name, title):
    a = run_actors(text)
    person = one(a, name)
    assert person.type == "person" and person.name == name
    assert not [e for e in a.entities if e.type != "person" and name.split()[-1] in e.name]
    if title:
        assert person.descriptor["title"] == title


# a title word that starts an organization's or place's name stays in it
ORG_TITLE_WORDS = [
    ("Shares of General Motors fell on Monday.", "General Motors", "organization"),
    ("The Justice Department opened an inquiry.", "Justice Department", "organization"),
]


@pytest.mark.parametrize("text,name,kind", ORG_TITLE_WORDS)
def test_title_word_inside_an_organization_name(run_actors, text, name, kind):
    a = run_actors(text)
    entity = one(a, name)
    assert entity.type == kind and entity.name == name


# plural family and movement names are the movement
PLURAL_MOVEMENTS = [
    ("The Haqqanis control the border crossings.", "Haqqanis", "Haqqani network"),
    ("The Houthis fired drones at Riyadh, and the Haqqanis denied any role.", "Houthis", "Houthis"),
    ("The Houthis fired drones at Riyadh, and the Haqqanis denied any role.", "Haqqanis", "Haqqani network"),
]


@pytest.mark.parametrize("text,mention,gazetteer_name", PLURAL_MOVEMENTS)
def test_plural_movement_names(run_actors, text, mention, gazetteer_name):
    from wirescope.analyse import names as nm

    a = run_actors(text)
    entity = one(a, mention)
    assert entity.type == "organization" and entity.subtype == "armed_group"
    assert nm.gazetteer_lookup(gazetteer_name) is not None


# dateline places in capitals: a location named in title case, never an organization
DATELINES = [
    ("KABUL (Reuters) - Gunmen killed two guards at a checkpoint.", "KABUL", "Kabul"),
    ("ISLAMABAD, Pakistan (AP) -- Police arrested three men on Friday.", "ISLAMABAD", "Islamabad"),
    ("MOGADISHU - A car bomb exploded near the port.", "MOGADISHU", "Mogadishu"),
]


@pytest.mark.parametrize("text,mention,name", DATELINES)
def test_dateline_place(run_actors, text, mention, name):
    a = run_actors(text)
    entity = one(a, mention)
    assert entity.type == "location" and entity.name == name
    assert [m.text for m in entity.mentions] == [mention]
    assert not [e for e in a.entities if e.type == "organization" and e.name.casefold() == name.casefold()]


# ---- appositive identity: the description and the name are one actor ---------------------------------
# (text, description head, name)
IDENTITY = [
    ("The man, identified as Ahmad Karimi, was arrested at the airport.", "man", "Ahmad Karimi"),
    ("A suspect, named as Yusuf Haidari, fled across the border.", "suspect", "Yusuf Haidari"),
    ("The victim, Fatima Rahimi, died in hospital on Sunday.", "victim", "Fatima Rahimi"),
    ("The woman, who was identified as Leila Sharif, had been missing for a week.", "woman", "Leila Sharif"),
    ("A gunman, later identified as Tomas Berg, opened fire on the crowd.", "gunman", "Tomas Berg"),
]


@pytest.mark.parametrize("text,head,name", IDENTITY)
def test_appositive_identity(run_actors, text, head, name):
    a = run_actors(text)
    person = one(a, name)
    assert person.type == "person" and not person.anonymous
    assert head in {m.text.casefold() for m in person.mentions}
    assert not [e for e in a.entities if e.anonymous and e.type == "person"]


def test_bare_man_without_a_name_is_no_source(run_actors):
    a = run_actors("The man was arrested at the airport.")
    assert not [e for e in a.entities if e.anonymous]


# ---- members of a named actor are a part of it --------------------------------------------------------
# (text, mention of the group, owner)
MEMBERS = [
    ("The report said al-Qaeda remains close to the Taliban and that senior members of the network have "
     "married into local families.", "members", "al-Qaeda"),
    ("Members of Hezbollah crossed the border.", "Members", "Hezbollah"),
    ("Hamas members marched in Gaza.", "Hamas members", "Hamas"),
]


@pytest.mark.parametrize("text,mention,owner", MEMBERS)
def test_members_are_tied_to_their_organization(run_actors, text, mention, owner):
    a = run_actors(text)
    group = [e for e in a.entities if any(m.text == mention for m in e.mentions)]
    assert len(group) == 1, [(e.name, [m.text for m in e.mentions]) for e in a.entities]
    assert group[0].subtype == "generic" and group[0].descriptor["of"] == one(a, owner).id


# ---- mention spans a reader would mark --------------------------------------------------------------
MENTION_SHAPES = [
    ("Demand for the ''New GM'' shares rose.", "New GM"),
    ("San Jose - Cisco said on Monday it would cut jobs.", "San Jose"),
    ("San Jose - Cisco said on Monday it would cut jobs.", "Cisco"),
    ("Shares of The New York Times rose.", "The New York Times"),
    ("The New York Times reported the raid.", "New York Times"),
]


@pytest.mark.parametrize("text,mention", MENTION_SHAPES)
def test_mention_shapes(run_actors, text, mention):
    a = run_actors(text)
    assert mention in {m.text for e in a.entities for m in e.mentions}, \
        [(e.name, [m.text for m in e.mentions]) for e in a.entities]


@pytest.mark.parametrize("text,word", [
    ("said Joe Leonard, Chairman and Chief Operating Officer of AirTran Airways.", "Operating"),
    ("The spokesman Monday declined to comment.", "Monday"),
    ("Shares of General Motors fell.", "Motors"),
])
def test_title_words_make_no_person(run_actors, text, word):
    a = run_actors(text)
    assert not [e for e in a.entities if e.type == "person" and e.name == word]
