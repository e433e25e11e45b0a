"""Small hand-made stories for the query tests: write the text, point at phrases of it.

    story("KABUL (Capital Times) - ...", outlet="Capital Times", published="2021-03-20")
        .actor("Taliban", "organization").actor("Mariam Solaimankhil", "person")
        .says("Mariam Solaimankhil", "said", "Al-Qaida commanders live under Taliban protection")
        .relation("Taliban", "harbors", "al-Qaida", "live under Taliban protection", statement="s1")
        .analysis()

Actors are named by their name; offsets are computed from the text (the first occurrence, or the
n-th with `nth`), so text[start:end] always equals the span's text.
"""
from __future__ import annotations

from wirescope.model import Analysis, Document, Entity, Relation, Span, Statement


class Story:
    def __init__(self, text: str, outlet: str | None, published: str | None, title: str | None = None) -> None:
        self.text = text
        self.document = Document(text, outlet=outlet, published=published, title=title,
                                 url=f"https://example.org/{abs(hash(text)) % 10 ** 8}")
        self.entities: dict[str, Entity] = {}
        self.statements: list[Statement] = []
        self.relations: list[Relation] = []

    def span(self, phrase: str, nth: int = 0) -> Span:
        start = -1
        for _ in range(nth + 1):
            start = self.text.index(phrase, start + 1)
        return Span.of(self.text, start, start + len(phrase))

    def actor(self, name: str, type_: str, *phrases: str, **fields) -> "Story":
        ent = Entity(f"e{len(self.entities) + 1}", name, type_, **fields)
        for phrase in phrases or (name,):
            ent.mentions.append(self.span(phrase))
        self.entities[name] = ent
        return self

    def id(self, name: str | None) -> str | None:
        return self.entities[name].id if name else None

    def says(self, speaker: str | None, cue: str, content: str, via: str | None = None, parent: str | None = None,
             polarity: str = "positive", **fields) -> "Story":
        sid = f"s{len(self.statements) + 1}"
        self.statements.append(Statement(sid, self.id(speaker), cue, self.span(content), direct=False,
                                         via=self.id(via), parent=parent, polarity=polarity, **fields))
        return self

    def relation(self, subject: str, type_: str, obj: str, evidence: str, statement: str | None = None,
                 polarity: str = "positive", **fields) -> "Story":
        self.relations.append(Relation(self.id(subject), type_, self.id(obj), self.span(evidence), polarity=polarity,
                                       statement=statement, id=f"r{len(self.relations) + 1}", **fields))
        return self

    def analysis(self) -> Analysis:
        return Analysis(self.document, list(self.entities.values()), self.statements, self.relations)


def story(text: str, outlet: str | None = None, published: str | None = None, title: str | None = None) -> Story:
    return Story(text, outlet, published, title)


def claim(outlet: str, published: str, speaker: str, words: str = "said", tag: str = "",
          polarity: str = "positive", via: str | None = None) -> Analysis:
    """A story of `outlet` in which `speaker` (a named person) says the Haven Front shelters the Ash
    Brigade (or, with polarity="negative", denies it). Texts stay under the syndication check's
    minimum length, so two claims are never taken for copies of each other; `tag` makes otherwise
    equal texts differ (a document's id is its text's hash)."""
    text = f"Haven Front shelters Ash Brigade fighters, {speaker} {words}"
    if via:
        text += f" {via}"
    text += f" {tag}".rstrip() + "."
    s = (story(text, outlet, published, title=f"{outlet} on {published}")
         .actor("Haven Front", "group").actor("Ash Brigade", "group").actor(speaker, "person"))
    if via:
        s.actor(via, "organization")
    return (s.says(speaker, words, "Haven Front shelters Ash Brigade fighters", via=via, polarity=polarity)
            .relation("Haven Front", "harbors", "Ash Brigade", "Haven Front shelters Ash Brigade fighters",
                      statement="s1", polarity=polarity)
            .analysis())
