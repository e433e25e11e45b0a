"""A plain-text story that starts with its headline: the line is the title, not body text."""
from __future__ import annotations

import pytest

from wirescope.dateline import dateline, headline
from wirescope.ingest import readers as R

BODY = "KABUL (Reuters) - A Taliban spokesman said on Friday the group would attend the talks."


@pytest.mark.parametrize("text,title", [
    ("Taliban to attend peace talks\n\n" + BODY, "Taliban to attend peace talks"),
    ("Flooding cuts off northern towns\n\nHeavy rain closed the roads, officials said.", "Flooding cuts off northern towns"),
    (BODY, None),  # starts with its first sentence
    ("The army said it won.\n\nIt said so again.", None),  # a sentence, not a headline
    ("Wednesday, July 24, 2019\n\nThe vote was held on Tuesday.", None),  # a date line
    ("WASHINGTON\n\nThe talks ended.", None),  # one word: a place line
])
def test_headline_line(text, title):
    found = headline(text)
    assert (found[0] if found else None) == title


def test_title_and_dateline_after_a_headline(tmp_path):
    p = tmp_path / "story.txt"
    p.write_text("Taliban to attend peace talks\n\n" + BODY + "\n")
    (doc,) = list(R.read_inputs([str(p)]))
    assert doc.title == "Taliban to attend peace talks"
    assert doc.dateline == "Kabul"
    assert dateline(doc.text).end == doc.text.index("A Taliban")


def test_metadata_title_wins(tmp_path):
    p = tmp_path / "story.txt"
    p.write_text("---\ntitle: From the metadata\n---\nTaliban to attend peace talks\n\n" + BODY + "\n")
    (doc,) = list(R.read_inputs([str(p)]))
    assert doc.title == "From the metadata"


def test_statements_do_not_start_in_the_headline(pipeline):
    from wirescope.model import Document

    text = "Ministry denies arming the militia\n\n\u201cWe have never armed them,\u201d the ministry said on Monday."
    analysis = pipeline.analyse(Document(text, published="2021-03-20"))
    start = text.index("\u201cWe")
    assert analysis.statements and all(s.content.start >= start for s in analysis.statements)
