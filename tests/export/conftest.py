"""A small knowledge base built from Analysis objects written here (no NLP involved).

Three reports from two outlets about two invented armed groups, a ministry, a newspaper, a
country, an unplaced valley and an anonymous official; relations of several types (one denied),
statements (one anonymous), events with and without dates. The tests export it and read it back.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from wirescope.model import Analysis, Document, Entity, Event, Relation, Span, Statement


@dataclass
class DocBuilder:
    """Write an article, then point at phrases of it: offsets come from the text itself."""
    text: str
    published: str | None
    outlet: str
    title: str
    url: str
    entities: list[Entity] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    def span(self, phrase: str, nth: int = 0) -> Span:
        start = -1
        for _ in range(nth + 1):
            start = self.text.index(phrase, start + 1)
        return Span.of(self.text, start, start + len(phrase))

    def entity(self, name, type, *phrases, **fields) -> str:
        eid = f"e{len(self.entities) + 1}"
        ent = Entity(eid, name, type, **fields)
        for p in phrases or (name,):
            ent.mentions.append(self.span(p))
        self.entities.append(ent)
        return eid

    def statement(self, speaker, cue, content, **fields) -> str:
        sid = f"s{len(self.statements) + 1}"
        self.statements.append(Statement(sid, speaker, cue, self.span(content), direct=fields.pop("direct", False),
                                         cue_span=self.span(cue), **fields))
        return sid

    def relation(self, subject, type, object, evidence, **fields) -> str:
        rid = f"r{len(self.relations) + 1}"
        self.relations.append(Relation(subject, type, object, self.span(evidence), id=rid, **fields))
        return rid

    def event(self, type, trigger, evidence, **fields) -> str:
        vid = f"v{len(self.events) + 1}"
        self.events.append(Event(type, trigger, self.span(evidence), trigger_span=self.span(trigger), id=vid, **fields))
        return vid

    def analysis(self) -> Analysis:
        doc = Document(self.text, title=self.title, url=self.url, outlet=self.outlet, published=self.published)
        return Analysis(doc, self.entities, self.statements, self.relations, self.events)


def make_analyses() -> list[Analysis]:
    a = DocBuilder(
        "The Ridge Brigade, an armed group also known as RB, is allied with the Salt Front, a senior security "
        "official said on Tuesday. Commander Idris Varne leads the Ridge Brigade. The brigade operates in "
        "Pakistan and in the Kestrel Valley. Its fighters attacked the Interior Ministry in Quetta on "
        "2021-02-10, the Daily Lantern reported. \"We will not negotiate,\" Varne told reporters.",
        "2021-02-11", "Daily Lantern", "Brigade and Front join hands", "https://example.org/lantern/ridge-front")
    rb = a.entity("Ridge Brigade", "organization", "Ridge Brigade", subtype="armed_group", aliases=["RB"],
                  alias_sources={"RB": "also known as"})
    sf = a.entity("Salt Front", "organization", subtype="armed_group")
    off = a.entity("a senior security official", "person", anonymous=True,
                   descriptor={"role": "official", "rank": "senior", "agency": "security"})
    iv = a.entity("Idris Varne", "person", "Commander Idris Varne")
    pk = a.entity("Pakistan", "location", country="PK", subtype="country")
    kv = a.entity("Kestrel Valley", "location")
    im = a.entity("Interior Ministry", "organization", subtype="government", country="PK")
    dl = a.entity("Daily Lantern", "organization", subtype="media")
    s1 = a.statement(off, "said", "The Ridge Brigade, an armed group also known as RB, is allied with the Salt Front")
    s2 = a.statement(iv, "told", "We will not negotiate", direct=True)
    s3 = a.statement(dl, "reported", "Its fighters attacked the Interior Ministry in Quetta on 2021-02-10")
    a.relation(rb, "allied_with", sf, "The Ridge Brigade, an armed group also known as RB, is allied with the Salt Front",
               statement=s1, trigger="allied")
    a.relation(iv, "leader_of", rb, "Commander Idris Varne leads the Ridge Brigade", trigger="leads")
    a.relation(rb, "operates_in", pk, "The brigade operates in Pakistan", trigger="operates")
    a.relation(rb, "operates_in", kv, "in the Kestrel Valley", trigger="operates")
    a.relation(rb, "attacks", im, "Its fighters attacked the Interior Ministry", statement=s3, trigger="attacked",
               time="2021-02-10")
    a.event("ASSAULT", "attacked", "Its fighters attacked the Interior Ministry in Quetta on 2021-02-10",
            source=rb, target=im, location=pk, time="2021-02-10", mode="armed attack", statement=s3)
    a.event("REJECT", "negotiate", "We will not negotiate", source=iv, statement=s2, polarity="negative")

    b = DocBuilder(
        "Officials in Islamabad said the Salt Front and the Ridge Brigade have cooperated for years. "
        "The Interior Ministry denied that it funds the Salt Front. Idris Varne, the leader of the Ridge "
        "Brigade, met Salt Front envoys in Pakistan last month.",
        "2021-03-01", "Frontier Wire", "Ministry denies funding militants", "https://example.org/frontier/ministry-denies")
    sf2 = b.entity("Salt Front", "organization", "Salt Front", subtype="armed_group")
    rb2 = b.entity("Ridge Brigade", "organization", "Ridge Brigade", subtype="armed_group")
    offs = b.entity("Officials in Islamabad", "person", anonymous=True, descriptor={"role": "official", "plural": True})
    im2 = b.entity("Interior Ministry", "organization", subtype="government", country="PK")
    iv2 = b.entity("Idris Varne", "person")
    pk2 = b.entity("Pakistan", "location", country="PK", subtype="country")
    t1 = b.statement(offs, "said", "the Salt Front and the Ridge Brigade have cooperated for years")
    t2 = b.statement(im2, "denied", "that it funds the Salt Front", polarity="negative")
    b.relation(sf2, "allied_with", rb2, "the Salt Front and the Ridge Brigade have cooperated for years", statement=t1,
               trigger="cooperated")
    b.relation(im2, "funds", sf2, "it funds the Salt Front", statement=t2, polarity="negative", trigger="funds")
    b.relation(iv2, "leader_of", rb2, "Idris Varne, the leader of the Ridge Brigade", trigger="leader")
    b.event("CONSULT", "met", "Idris Varne, the leader of the Ridge Brigade, met Salt Front envoys in Pakistan last month",
            source=iv2, target=sf2, location=pk2, time="2021-02")

    c = DocBuilder(
        "A spokesman for the Kestrel Tribal Council said the Ridge Brigade had left the valley.",
        None, "Hill Post", "Council says brigade left", "https://example.org/hillpost/left")
    kc = c.entity("Kestrel Tribal Council", "organization")
    sp = c.entity("A spokesman for the Kestrel Tribal Council", "person", anonymous=True)
    rb3 = c.entity("Ridge Brigade", "organization", "Ridge Brigade", subtype="armed_group")
    pash = c.entity("Kestrel tribes", "group", "Kestrel")
    u1 = c.statement(sp, "said", "the Ridge Brigade had left the valley")
    c.relation(sp, "member_of", kc, "A spokesman for the Kestrel Tribal Council", trigger="spokesman")
    c.event("RETREAT", "left", "the Ridge Brigade had left the valley", source=rb3, statement=u1)
    _ = pash
    return [a.analysis(), b.analysis(), c.analysis()]


def build_kb(path) -> str:
    from wirescope.flow import open_kb

    url = f"sqlite:///{path}"
    kb = open_kb(url)
    for analysis in make_analyses():
        kb.save(analysis)
    kb.close()
    return url


@pytest.fixture(scope="session")
def kb_url(tmp_path_factory) -> str:
    return build_kb(tmp_path_factory.mktemp("export_kb") / "kb.db")


@pytest.fixture(scope="session")
def analyses() -> list[Analysis]:
    return make_analyses()


@pytest.fixture(scope="session")
def kb_builder():
    """build_kb(path) -> url: the same articles into a fresh knowledge base."""
    return build_kb
