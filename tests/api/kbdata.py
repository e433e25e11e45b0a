"""Hand-built analyses with known layers, so API tests do not depend on the extraction stages.

The articles are news prose written for these tests; every span is computed from the text
(`Span.of`), so offsets always satisfy text[start:end] == span.text.
"""
from __future__ import annotations

from wirescope.model import Analysis, Document, Entity, Event, Relation, Span, Statement, TimeExpr

MALICIOUS_TITLE = '<script>window.__pwned = 1; document.title = "pwned"</script>Harbour <b>raid</b>'
MALICIOUS_URL = "javascript:window.__pwned=1"
MALICIOUS_TEXT = (
    'The Coastal Brigade <script>window.__pwned = 1; document.title = "pwned"</script> claimed the raid. '
    '<img src="x" onerror="window.__pwned = 2"> A spokesman for the Northern Front said '
    '"<a href="javascript:window.__pwned=3">click</a>" was all it had to say. '
    '<svg onload="window.__pwned = 4"></svg> <iframe src="javascript:window.__pwned=5"></iframe>'
)


def find(text: str, phrase: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return Span.of(text, start, start + len(phrase))


def entity(text: str, id_: str, name: str, type_: str, phrases: list[str], **fields) -> Entity:
    e = Entity(id=id_, name=name, type=type_, **fields)
    for phrase in phrases:
        nth = 0
        if phrase.endswith("#2"):
            phrase, nth = phrase[:-2], 1
        e.mentions.append(find(text, phrase, nth))
    return e


def timex(text: str, id_: str, phrase: str, value: str, type_: str = "DATE") -> TimeExpr:
    s = find(text, phrase)
    return TimeExpr(text=s.text, type=type_, value=value, start=s.start, end=s.end, id=id_)


def shelter_report() -> Analysis:
    text = ("PORT SELIN (Harbour Times) - The Northern Front has sheltered fighters of the Coastal Brigade since March, "
            "a senior security official said on Sunday. \"They train in the hills above the port,\" the official added.")
    doc = Document(text, title="Official says Northern Front shelters brigade fighters", outlet="Harbour Times",
                   url="https://example.org/harbour/2021/05/shelter", published="2021-05-02")
    ents = [
        entity(text, "e1", "Northern Front", "group", ["Northern Front"]),
        entity(text, "e2", "Coastal Brigade", "group", ["Coastal Brigade"]),
        entity(text, "e3", "a senior security official", "person", ["a senior security official", "the official"],
               anonymous=True, descriptor={"role": "official", "rank": "senior", "agency": "security"}),
        entity(text, "e4", "Port Selin", "location", ["PORT SELIN"]),
    ]
    claim = find(text, "The Northern Front has sheltered fighters of the Coastal Brigade since March")
    quote = find(text, "They train in the hills above the port,")
    stmts = [
        Statement("s1", "e3", "said", claim, direct=False, kind="indirect"),
        Statement("s2", "e3", "added", quote, direct=True, kind="direct"),
    ]
    rels = [Relation("e1", "harbors", "e2", claim, statement="s1", trigger="sheltered", time="2021-03", id="r1")]
    events = [Event("SUPPORT", "sheltered", claim, source="e1", target="e2", time="2021-03", statement="s1",
                    mode="provide shelter", id="v1")]
    times = [timex(text, "t1", "March", "2021-03"), timex(text, "t2", "Sunday", "2021-05-02")]
    return Analysis(doc, ents, stmts, rels, events, times)


def denial_report() -> Analysis:
    text = ("Mara Ellison, a spokeswoman for the Northern Front, denied that the group shelters the Coastal Brigade. "
            "On Monday the Coastal Brigade attacked a convoy near Port Selin, police said.")
    doc = Document(text, title="Northern Front denies sheltering brigade", outlet="Valley Post",
                   url="https://example.org/valley/2021/05/denial", published="2021-05-04")
    ents = [
        entity(text, "e1", "Mara Ellison", "person", ["Mara Ellison"]),
        entity(text, "e2", "Northern Front", "group", ["Northern Front", "the group"]),
        entity(text, "e3", "Coastal Brigade", "group", ["Coastal Brigade", "Coastal Brigade#2"]),
        entity(text, "e4", "Port Selin", "location", ["Port Selin"]),
        entity(text, "e5", "police", "organization", ["police"]),
    ]
    denied = find(text, "the group shelters the Coastal Brigade")
    attack = find(text, "On Monday the Coastal Brigade attacked a convoy near Port Selin")
    stmts = [
        Statement("s1", "e1", "denied", denied, direct=False, polarity="negative"),
        Statement("s2", "e5", "said", attack, direct=False),
    ]
    rels = [
        Relation("e2", "harbors", "e3", denied, polarity="negative", statement="s1", trigger="shelters", id="r1"),
        Relation("e1", "member_of", "e2", find(text, "Mara Ellison, a spokeswoman for the Northern Front"),
                 trigger="spokeswoman", id="r2"),
    ]
    events = [Event("ASSAULT", "attacked", attack, source="e3", location="e4", time="2021-05-03", statement="s2",
                    mode="attack convoy", id="v1")]
    times = [timex(text, "t1", "Monday", "2021-05-03")]
    return Analysis(doc, ents, stmts, rels, events, times)


def malicious_report() -> Analysis:
    text = MALICIOUS_TEXT
    doc = Document(text, title=MALICIOUS_TITLE, outlet='<i onmouseover="window.__pwned=6">Evil Wire</i>',
                   url=MALICIOUS_URL, published="2021-05-05")
    ents = [
        entity(text, "e1", 'Coastal Brigade <script>', "group", ["Coastal Brigade <script>"]),
        entity(text, "e2", "Northern Front", "group", ["Northern Front"]),
        entity(text, "e3", "A spokesman for the Northern Front", "person", ["A spokesman for the Northern Front"]),
    ]
    # spans overlapping each other and the markup: a statement across the anchor tag, a relation inside it
    said = find(text, '"<a href="javascript:window.__pwned=3">click</a>" was all it had to say')
    stmts = [Statement("s1", "e3", "said", said, direct=True)]
    rels = [Relation("e3", "member_of", "e2", find(text, "A spokesman for the Northern Front said"), id="r1"),
            Relation("e1", "rival_of", "e2", find(text, "Coastal Brigade <script>"), id="r2")]
    events = [Event("ASSAULT", "claimed", find(text, 'The Coastal Brigade <script>window.__pwned = 1; document.title = "pwned"</script> claimed the raid'),
                    source="e1", time="2021-05-05", id="v1")]
    return Analysis(doc, ents, stmts, rels, events, [])


def all_reports() -> list[Analysis]:
    return [shelter_report(), denial_report(), malicious_report()]
