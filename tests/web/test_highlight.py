"""Highlighting with overlapping spans: cut at every boundary, escape every piece."""
from __future__ import annotations

import re

import pytest

from wirescope.web.highlight import Mark, highlight

CASES = [
    # text, marks, expected HTML
    ("plain <b>text</b>", [], "plain &lt;b&gt;text&lt;/b&gt;"),
    ("Ann met Bob.", [Mark(0, 3, "entity", "e1", "/actors/a")],
     '<a href="/actors/a" class="hl hl-entity" data-ids="e1">Ann</a> met Bob.'),
    # a statement overlapping the end of a relation: three pieces, no nesting
    ("abcdef", [Mark(0, 4, "relation", "r1"), Mark(2, 6, "statement", "s1")],
     '<span class="hl hl-relation" data-ids="r1">ab</span><span class="hl hl-statement hl-relation" data-ids="r1 s1">cd</span>'
     '<span class="hl hl-statement" data-ids="s1">ef</span>'),
    # nested mentions: the shortest one gives the link
    ("New York City", [Mark(0, 13, "entity", "e1", "/actors/city"), Mark(0, 8, "entity", "e2", "/actors/state")],
     '<a href="/actors/state" class="hl hl-entity" data-ids="e1 e2">New York</a>'
     '<a href="/actors/city" class="hl hl-entity" data-ids="e1"> City</a>'),
    # markup inside a span is escaped, quotes in text stay text
    ('x <i onclick="y">', [Mark(2, 17, "time", "t1")],
     'x <span class="hl hl-time" data-ids="t1">&lt;i onclick="y"&gt;</span>'),
    # spans outside the text are dropped
    ("short", [Mark(3, 99, "event", "v1"), Mark(-1, 2, "event", "v2")], "short"),
    # the focus span gets the anchor once
    ("one two", [Mark(0, 3, "focus", "focus"), Mark(0, 7, "statement", "s1")],
     '<span class="hl hl-statement hl-focus" data-ids="s1" id="focus">one</span><span class="hl hl-statement" data-ids="s1"> two</span>'),
]


@pytest.mark.parametrize("text, marks, expected", CASES)
def test_highlight(text, marks, expected):
    assert str(highlight(text, marks)) == expected


@pytest.mark.parametrize("n", [1, 50, 2000])
def test_text_survives_many_overlapping_spans(n):
    text = "<&>\"' wörds 🙂 " * n
    marks = [Mark(i, min(len(text), i + 17), ("entity", "statement", "time")[i % 3], f"x{i}", "/actors/x" if i % 3 == 0 else None)
             for i in range(0, len(text), 5)]
    html = str(highlight(text, marks))
    plain = re.sub(r"<[^>]+>", "", html)
    assert plain.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&") == text
    assert "<&>" not in html
