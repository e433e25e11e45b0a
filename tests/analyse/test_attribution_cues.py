"""The statements stage beyond a speech verb with its clause: noun, prepositional and belief cues,
parenthetical and inverted cues, passives with their speaker after "by", directives, the speaker
guard, appositive and described speakers, channels (`via`) and continuation quotes. Sentences are
written for these tests; every row names only what it checks, `N` pins the count when given."""
from __future__ import annotations

import pytest

from tests.analyse.test_attribution import _describe, _matches
from tests.conftest import names_of

CASES = [
    # ---- parenthetical and inverted cues with no quotation -----------------------------------
    ("The economy, the finance minister said, is recovering faster than expected.",
     [dict(speaker="finance minister", cue="said", contains="is recovering faster")], 1),
    ("The negotiations, said one diplomat, were going nowhere.",
     [dict(speaker="diplomat", cue="said", contains="were going nowhere")], 1),
    ("The convoy was ambushed near the border, stated Interior Minister Karim Haddad, and two drivers were killed.",
     [dict(speaker="Karim Haddad", cue="stated", content="The convoy was ambushed near the border")], 1),
    ("Nadia Osei, the chair of the committee, announced the inquiry on Tuesday.",
     [dict(speaker="Nadia Osei", cue="announced", contains="the inquiry")], 1),
    # ---- verbs with a preposition, directives, gerunds, assignments ---------------------------
    ("Civil rights groups have called for the law to be repealed.",
     [dict(speaker="groups", cue="called for", contains="the law to be repealed", modality="future")], 1),
    ("The senator referred to the deal as “a betrayal of our farmers”.",
     [dict(speaker="senator", cue="referred to", contains="a betrayal of our farmers", direct=True)], 1),
    ("The union asked the company to reopen the plant.",
     [dict(speaker="union", cue="asked", contains="reopen the plant", modality="future")], 1),
    ("The pilot described seeing smoke from the left engine.",
     [dict(speaker="pilot", cue="described", contains="seeing smoke from the left engine")], 1),
    ("The governor attributed the outbreak to contaminated water.",
     [dict(speaker="governor", cue="attributed", content="the outbreak to contaminated water")], 1),
    ("The charity promised food parcels every week until the harvest.",
     [dict(speaker="charity", cue="promised", content="food parcels every week until the harvest")], 1),
    # ---- the passive with its speaker after "by" ------------------------------------------------
    ("The bombing was claimed by the Eastern Front in a message to reporters.",
     [dict(speaker="Eastern Front", cue="claimed", content="The bombing")], None),
    ("The budget was described by the mayor as “a recipe for ruin”, saying it would close libraries.",
     [dict(speaker="mayor", cue="described", content="a recipe for ruin", direct=True),
      dict(speaker="mayor", cue="saying", content="it would close libraries")], 2),
    ("The minister was quoted by Reuters as saying the talks had collapsed.",
     [dict(speaker="minister", via="Reuters", content="the talks had collapsed")], 1),
    # each of coordinated named speakers
    ("Both Norway and Canada have alleged Russian interference.",
     [dict(speaker="Norway", cue="have alleged", content="Russian interference"),
      dict(speaker="Canada", cue="have alleged", content="Russian interference")], 2),
    # ---- noun cues -------------------------------------------------------------------------------
    ("The ministry's claim that the prisoners were released has been disputed.",
     [dict(speaker="ministry", cue="claim", content="the prisoners were released", modality="hedged")], None),
    ("The strikers' demands include a pay rise, shorter shifts and the reinstatement of dismissed staff.",
     [dict(speaker="strikers", cue="demands", contains="a pay rise, shorter shifts")], 1),
    ("A statement from the ministry said the border would reopen on Friday.",
     [dict(speaker="ministry", cue="said", content="the border would reopen on Friday")], 1),
    ("A tweet from the mayor said the bridge was safe.",
     [dict(speaker="mayor", content="the bridge was safe")], 1),
    # ---- prepositional and belief cues --------------------------------------------------------
    ("The company will close three factories, per Bloomberg.",
     [dict(speaker="Bloomberg", cue="per", content="The company will close three factories")], 1),
    ("Prices rose 5 per cent in March, and fuel cost $2 per litre.", [], 0),
    ("It is understood the minister will resign on Friday.",
     [dict(speaker=None, cue="understood", content="the minister will resign on Friday")], 1),
    ("The general is understood to have offered his resignation.",
     [dict(speaker=None, cue="understood", content="The general is understood to have offered his resignation")], 1),
    ("According to Smith's critics, the reform is a ploy to cut pensions.",
     [dict(speaker="critics", content="the reform is a ploy to cut pensions")], 1),
    ("Reuters, citing two people familiar with the matter, reported the merger had been called off.",
     [dict(speaker="Reuters", cue="reported", via=None, content="the merger had been called off"),
      dict(speaker="people", via="Reuters", content="the merger had been called off")], 2),
    ("The Gazette also cited Omar Farah, head of the port authority, as saying the cranes were idle.",
     [dict(speaker="Omar Farah", via="Gazette", content="the cranes were idle")], 1),
    # ---- who can speak --------------------------------------------------------------------------
    ("The river showed that the drought had worsened.", [], 0),
    ("It is hard to say whether the ceasefire will hold.", [], 0),
    ("Hundreds of people claiming unemployment benefits queued outside.", [], 0),
    ("One of the Tolpuddle Six, Ellen Marsh, said the police had lied.",
     [dict(speaker="Ellen Marsh", cue="said")], 1),
    ("“Leave now,” said a protester using the pseudonym Rosa.",
     [dict(speaker="Rosa", cue="said", content="Leave now", direct=True)], 1),
    ("Transport Secretary and Deputy Leader Maria Costa said the line would reopen.",
     [dict(speaker="Maria Costa")], 1),
    ("A source within the finance ministry said the figures had been revised.",
     [dict(speaker="source within the finance ministry", content="the figures had been revised")], 1),
    # ---- channels: outlets carry, they do not speak ----------------------------------------------
    ("The general told the Observer that the war was lost.",
     [dict(speaker="general", via="Observer", content="the war was lost")], 1),
    ("Speaking on BBC One's Breakfast with Frost, the envoy said sanctions would stay.",
     [dict(speaker="envoy", via="BBC One", content="sanctions would stay")], 1),
    ("The activist wrote on Twitter that the march would go ahead.",
     [dict(speaker="activist", via="Twitter", content="the march would go ahead")], 1),
    ("The leaked memo, seen by Reuters, shows that the plant failed two inspections.",
     [dict(speaker="memo", via="Reuters", content="the plant failed two inspections")], 1),
    # ---- quotations: continuations, asides, misparses ---------------------------------------------
    ("“We are ready to talk,” the envoy said. “Mr Brandt is wrong about this,” he added.",
     [dict(speaker="envoy", cue="said"), dict(speaker="envoy", cue="added", contains="Mr Brandt is wrong")], 2),
    ("“Nobody listens to us. Many people think that,” said a nurse at the clinic. “The wards are full.”",
     [dict(speaker="nurse", cue="said", contains="Nobody listens to us"),
      dict(speaker="nurse", content="The wards are full.")], None),
    ("The speaker replied to the motion — which the Herald called a stunt — “This house will not be bullied.”",
     [dict(speaker="speaker", cue="replied", content="This house will not be bullied.", direct=True)], None),
    ("The chief said he was “humbled” by the vote and “will never take it for granted.”",
     [dict(speaker="chief", cue="said", contains="will never take it for granted", direct=True)], 1),
    ("The judge clarified in the hearing that the ruling did not apply to minors.",
     [dict(speaker="judge", cue="clarified", content="the ruling did not apply to minors")], 1),
    ("He said in the statement that he released on Monday.", [], 0),
    # ---- content and speakers the parse misplaces ----------------------------------------------
    # a listener verb's listener read into the clause's subject: the outlet is the channel
    ("A witness, Omar Daud, told Reuters gunmen had set the depot on fire.",
     [dict(speaker="Omar Daud", cue="told", via="Reuters", content="gunmen had set the depot on fire")], 1),
    # the clause's subject parsed as the cue's object: the content starts right after the cue
    ("The ministry has indicated no aid will arrive before the talks resume.",
     [dict(speaker="ministry", cue="has indicated", content="no aid will arrive before the talks resume")], 1),
    # the day of the saying is not content
    ("The spokesman said Thursday the convoy would leave at dawn.",
     [dict(speaker="spokesman", cue="said", content="the convoy would leave at dawn")], 1),
    # a speaker phrase hung on an earlier noun: the named person set off by commas right before the cue
    ("Writing to the Guardian, the head of the Kenyan Bar Association, Amina Wekesa, said, “The law is clear.”",
     [dict(speaker="Amina Wekesa", cue="said", contains="The law is clear", direct=True)], 1),
    # a channel on the speaker's phrase
    ("Paolo Renzi of the University of Bologna, speaking to Reuters, said the vote was a warning.",
     [dict(speaker="Paolo Renzi", cue="said", via="Reuters", content="the vote was a warning")], 1),
    # particle cues and auxiliaries
    ("The senator pointed out that the budget had not been passed.",
     [dict(speaker="senator", cue="pointed out", content="the budget had not been passed")], 1),
    ("The governor has repeatedly insisted the dam is safe.",
     [dict(speaker="governor", cue="has repeatedly insisted", content="the dam is safe")], 1),
    # a colon quotation after a sentence with no speech verb: its subject speaks
    ("The mayor said the bridge would reopen. Lina Haddad answered on Facebook, mocking the plan: "
     "“Nobody in this town believes a word of it.”",
     [dict(speaker="mayor", cue="said"), dict(speaker="Lina Haddad", contains="Nobody in this town believes")], 2),
    # a document a named actor put out speaks for that actor
    ("The Red Cross criticised the raid. It issued a statement which said, “Civilians must never be targets.”",
     [dict(speaker="Red Cross", contains="Civilians must never be targets")], None),
    # channels: a letter or an e-mail to an outlet, media named by what they are
    ("“We were never told,” wrote Ines Duarte, a nurse, in a letter to The Guardian.",
     [dict(speaker="Ines Duarte", cue="wrote", via="The Guardian", direct=True)], 1),
    ("Twelve people were injured, officials told state television.",
     [dict(speaker="officials", cue="told", via="state television", content="Twelve people were injured")], 1),
    # confess / admit to: the gerund is the content
    ("The driver admitted to falling asleep at the wheel.",
     [dict(speaker="driver", cue="admitted to", contains="falling asleep at the wheel")], 1),
    # a fronted "Speaking to <outlet>," however the parse hangs it; one spoken to is not the speaker
    ("The minister resigned on Monday. Speaking to Reuters, she said, “I have no regrets at all.”",
     [dict(speaker="minister", cue="said", via="Reuters", contains="I have no regrets")], None),
    ("Governor Ana Ruiz toured the flooded valley. Speaking to Tom Hale of CNN, she said, “We need help now.”",
     [dict(speaker="Ana Ruiz", cue="said", via="CNN", contains="We need help now")], None),
    # a quotation split around its cue: both halves are the speaker's, with the cue
    ("Ana Ruiz spoke on Monday. “What hurts most,” Ruiz said, “is the silence of our neighbours.”",
     [dict(speaker="Ruiz", cue="said", contains="What hurts most", direct=True),
      dict(speaker="Ruiz", cue="said", contains="silence of our neighbours", direct=True)], 2),
    # a participle cue on a cue with a channel goes through the same channel
    ("Six people died, officials told state radio, adding that the search would go on.",
     [dict(speaker="officials", cue="adding", via="state radio", contains="the search would go on")], None),
    # the cited, on the subject without commas: through the ones citing them
    ("Reports citing officials in the ministry have said the dam will be closed.",
     [dict(speaker="officials", via="Reports", contains="the dam will be closed")], None),
    # part of a document speaks for the document's author
    ("Judge Omar Said ruled on Friday. Part of the judge's ruling reads “the law cannot stand as written.”",
     [dict(speaker="Omar Said", contains="the law cannot stand")], None),
    # a statement inside "according to <outlet>": through the outlet
    ("According to Reuters, a police spokesman said three suspects had been detained.",
     [dict(speaker="spokesman", cue="said", via="Reuters", content="three suspects had been detained")], None),
    # judging aloud and predicting: the thing judged or foreseen is the content
    ("Interior Ministry spokeswoman Lena Brandt criticized the court's decision.",
     [dict(speaker="Lena Brandt", cue="criticized", content="the court's decision")], 1),
    ("The foreign minister, Ali Rahimi, welcomed the ceasefire on Monday.",
     [dict(speaker="Ali Rahimi", cue="welcomed", content="the ceasefire")], 1),
    ("Forecasters predicted a storm surge of three to six feet.",
     [dict(speaker="Forecasters", cue="predicted", content="a storm surge of three to six feet")], 1),
    ("Police arrested the man who slammed the door.", [], 0),
    # a document's author: its owner by a pronoun, or the author given when it was first named
    ("The NTSB is closed. However, its website notes that its operations center is still open.",
     [dict(speaker="NTSB", content="its operations center is still open")], 1),
    ("Ford said in a filing that the matter was serious. According to the filing, Ford disclosed the issue early.",
     [dict(speaker="Ford", content="the matter was serious"), dict(speaker="Ford", content="Ford disclosed the issue early")], None),
    # proposals and advice
    ("Senator Ted Lowe proposed to set term limits for members of Congress.",
     [dict(speaker="Ted Lowe", cue="proposed", content="to set term limits for members of Congress")], None),
    ("The mayor advised residents to stay indoors.", [dict(speaker="mayor", cue="advised", content="to stay indoors")], 1),
    # "called on X to ...": a directive only with what X is to do
    ("The ministry called on drivers to slow down near schools.",
     [dict(speaker="ministry", content="drivers to slow down near schools")], 1),
    ("The police called on the house twice.", [], 0),
    # a clause the parser reads as a noun object with its verb hung under it
    ("Senator Kim Lowe said a law allowing the sale of the land marked a sad day.",
     [dict(speaker="Kim Lowe", cue="said", content="a law allowing the sale of the land marked a sad day")], 1),
    # "according to" a titled name, or a description and the name in apposition
    ("According to Vermont Senator Paula Hart, the aircraft was built in 1944.",
     [dict(speaker="Paula Hart", content="the aircraft was built in 1944")], 1),
    ("According to Millbrook's first selectman, Tom Ridley, there were ten passengers aboard.",
     [dict(speaker="Tom Ridley", content="there were ten passengers aboard")], 1),
]


def _case_id(case) -> str:
    return case[0][:50]


@pytest.mark.parametrize("text,expected,count", CASES, ids=[_case_id(c) for c in CASES])
def test_cue_shapes(analyse, text, expected, count):
    analysis = analyse(text)
    if count is not None:
        assert len(analysis.statements) == count, _describe(analysis)
    ids: dict[int, str] = {}
    for index, want in enumerate(expected):
        hits = [s for s in analysis.statements if _matches(analysis, s, want, ids)]
        assert hits, f"no statement matches {want}\n{_describe(analysis)}"
        ids[index] = hits[0].id


def test_a_pronoun_after_a_quotation_is_the_speaker_not_a_name_quoted(analyse):
    text = "“We will hold the bridge,” the colonel said. “General Amin knows this,” he added."
    analysis = analyse(text)
    added = next(s for s in analysis.statements if s.cue == "added")
    assert "colonel" in " ".join(names_of(analysis, added.speaker))
    amin = next(e for e in analysis.entities if "Amin" in e.name)
    assert not any(m.text == "he" for m in amin.mentions)


def test_twins_are_not_nested_in_each_other(analyse):
    analysis = analyse("Similar claims of responsibility were made by the Red Brigade and the People's Front.")
    assert len(analysis.statements) == 2, _describe(analysis)
    assert all(s.parent is None for s in analysis.statements)


def test_a_platform_is_no_default_channel(analyse):
    text = ("The minister wrote on Facebook that the border would reopen. "
            "A senior official said the decision had been taken in haste.")
    analysis = analyse(text)
    official = next(s for s in analysis.statements if "haste" in s.content.text)
    assert official.via is None, _describe(analysis)
