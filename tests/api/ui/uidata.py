"""A knowledge base for the analyst's pages: enough documents to page through, a chain of relations
to find a path along (Northern Front - Coastal Brigade - Delta Legion - Eastern Guard), an unnamed
group ("fighters") in relations, and a syndicated copy (the same story from another outlet)."""
from __future__ import annotations

import random

from apihelpers import TOKEN
from wirescope.model import Analysis, Document, Entity, Relation, Span, Statement

UI_TOKEN = TOKEN + "-ui"

OUTLETS = ["Harbour Times", "Valley Post", "Port Gazette"]
WORDS = ["river", "market", "bridge", "council", "harvest", "winter", "school", "clinic", "ferry", "border",
         "tunnel", "garrison", "pasture", "quarry", "orchard", "lighthouse", "station", "warehouse", "village",
         "plateau", "canal", "granary", "barracks", "checkpoint"]
CHAIN = [("Northern Front", "harbors", "Coastal Brigade"), ("Coastal Brigade", "allied_with", "Delta Legion"),
         ("Delta Legion", "funds", "Eastern Guard")]
SENTENCE = {"harbors": "{s} has sheltered the {o} in the hills", "allied_with": "{s} has fought alongside the {o}",
            "funds": "{s} sends money to the {o} every month"}
STORIES = 60  # more than one page of search results (50)


SYLLABLES = ["kar", "tal", "ven", "mor", "sin", "dra", "bel", "qu", "zan", "hol", "rit", "os", "ul", "em", "fay"]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(3))


def _span(text: str, phrase: str) -> Span:
    start = text.index(phrase)
    return Span.of(text, start, start + len(phrase))


def story(i: int, rng: random.Random) -> Analysis:
    s, rtype, o = CHAIN[i % len(CHAIN)]
    outlet = OUTLETS[i % len(OUTLETS)]
    filler = " ".join(_word(rng) for _ in range(30))  # made-up words: no two stories look syndicated
    claim = SENTENCE[rtype].format(s="The " + s, o=o)
    text = (f"PORT SELIN ({outlet}) - {claim}, a regional official said about the convoy. "
            f"Fighters loyal to the {s} were seen near the {filler}. Report number {i} on the {rng.choice(WORDS)}.")
    doc = Document(text, title=f"Convoy report {i}: {s} and {o}", outlet=outlet,
                   url=f"https://example.org/{outlet.split()[0].lower()}/{i}", published=f"202{i % 2}-0{1 + i % 6}-1{i % 9}")
    ents = [Entity("e1", s, "group", mentions=[_span(text, s)]),
            Entity("e2", o, "group", mentions=[_span(text, o)]),
            Entity("e3", "a regional official", "person", anonymous=True, mentions=[_span(text, "a regional official")]),
            Entity("e4", "fighters", "group", subtype="generic", mentions=[_span(text, "Fighters")])]
    content = _span(text, claim)
    stmts = [Statement("s1", "e3", "said", content, direct=False)]
    rels = [Relation("e1", rtype, "e2", content, statement="s1", trigger=rtype, id="r1"),
            Relation("e4", "member_of", "e1", _span(text, f"Fighters loyal to the {s}"), trigger="loyal", id="r2")]
    return Analysis(doc, ents, stmts, rels, [], [])


def copy_of(original: Analysis) -> Analysis:
    """The same story under another outlet's header (stored as a syndicated copy)."""
    import copy

    a = copy.deepcopy(original)
    a.document = Document(original.document.text + " ", title=original.document.title + " (wire copy)",
                          outlet="Wire Service", url="https://example.org/wire/copy",
                          published=original.document.published)
    return a


def ui_reports() -> list[Analysis]:
    rng = random.Random(7)
    stories = [story(i, rng) for i in range(STORIES)]
    return stories + [copy_of(stories[0])]


def actor_ids(app) -> dict[str, str]:
    """Name -> kb id of the actors not merged into another."""
    from sqlalchemy import select

    from wirescope.store import schema as S

    with app.state.ws.kb.engine.connect() as conn:
        return {name: kb_id for kb_id, name in conn.execute(
            select(S.kb_entities.c.id, S.kb_entities.c.name).where(S.kb_entities.c.merged_into.is_(None)))}
