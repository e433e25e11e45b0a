"""Syndicated copies and near-duplicates: MinHash + LSH bands, copies point at the original."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from wirescope.model import Analysis, Document
from wirescope.resolve import syndication as Y
from wirescope.store import schema as S

STORY = (
    "KANDAHAR, Afghanistan - Gunmen attacked a checkpoint on the highway west of Kandahar city late on "
    "Tuesday, killing four police officers and wounding two others, provincial officials said. The attackers "
    "fled towards the Arghandab valley after a gunfight that lasted almost an hour, according to a police "
    "spokesman. No group has claimed responsibility for the attack, which came a day after a roadside bomb "
    "struck a bus carrying government employees in the same district. Security forces launched an operation "
    "to find the attackers and closed the highway for several hours on Wednesday morning."
)

LIGHT_EDITS = [
    ("dateline and agency changed", STORY.replace("KANDAHAR, Afghanistan -", "KANDAHAR (Continental Newswire) -")),
    ("last sentence cut", STORY.rsplit(" Security forces", 1)[0]),
    ("a few words changed", STORY.replace("four police officers", "four policemen").replace("Tuesday", "Tuesday night")
     .replace("almost an hour", "nearly an hour")),
    ("headline prepended", "Four police killed in Kandahar checkpoint attack\n\n" + STORY),
]

DIFFERENT = [
    ("same topic, different story",
     "KANDAHAR, Afghanistan - A roadside bomb struck a bus carrying government employees in Kandahar on Monday, "
     "killing three people, officials said. The blast damaged nearby shops and a school. Police said they had "
     "arrested two suspects and that the investigation was continuing, while residents demanded more security "
     "on the road that links the city to the airport."),
    ("different subject entirely",
     "Wheat prices rose sharply in Kabul markets this week as traders blamed delays at the border crossing "
     "with Pakistan and a poor harvest in the north. Bakers said they would raise the price of bread unless the "
     "government released grain from its reserves, and several aid agencies warned of hunger this winter."),
]


def analysis(text: str, published: str) -> Analysis:
    return Analysis(Document(text, published=published, outlet="Wire"))


@pytest.mark.parametrize("label,copy", LIGHT_EDITS, ids=[c[0] for c in LIGHT_EDITS])
def test_light_edits_are_copies(fresh_kb, label, copy):
    fresh_kb.save(analysis(STORY, "2021-03-01"))
    result = fresh_kb.save(analysis(copy, "2021-03-02"))
    assert result.duplicate_of == Document(STORY).id, label


@pytest.mark.parametrize("label,other", DIFFERENT, ids=[c[0] for c in DIFFERENT])
def test_different_stories_are_not_copies(fresh_kb, label, other):
    fresh_kb.save(analysis(STORY, "2021-03-01"))
    assert fresh_kb.save(analysis(other, "2021-03-02")).duplicate_of is None, label


def test_copies_collapse_onto_the_original(fresh_kb):
    fresh_kb.save(analysis(STORY, "2021-03-01"))
    first = fresh_kb.save(analysis(LIGHT_EDITS[0][1], "2021-03-02"))
    second = fresh_kb.save(analysis(LIGHT_EDITS[0][1] + " The highway reopened at noon.", "2021-03-03"))
    assert first.duplicate_of == second.duplicate_of == Document(STORY).id


def test_an_earlier_report_ingested_later_becomes_the_original(fresh_kb):
    late = fresh_kb.save(analysis(LIGHT_EDITS[1][1], "2021-03-05"))
    early = fresh_kb.save(analysis(STORY, "2021-03-01"))
    assert early.duplicate_of is None
    with fresh_kb.engine.connect() as conn:
        pointed = conn.execute(select(S.documents.c.duplicate_of).where(S.documents.c.id == late.doc_id)).scalar()
    assert pointed == early.doc_id


def test_bands_are_stored_per_document_and_short_texts_are_skipped(fresh_kb):
    fresh_kb.save(analysis(STORY, "2021-03-01"))
    fresh_kb.save(analysis("Too short to matter.", "2021-03-01"))
    with fresh_kb.engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(S.minhash_bands)).scalar()
        sigs = conn.execute(select(S.documents.c.minhash)).scalars().all()
    assert n == Y.BANDS
    assert sum(1 for s in sigs if s) == 1


def test_the_corpus_copy_is_linked(kb_corpus, corpus_module):
    original = corpus_module.analysis_of("05_aqis_original.txt").document.id
    copy = corpus_module.analysis_of("06_aqis_syndicated.txt").document.id
    with kb_corpus.engine.connect() as conn:
        row = conn.execute(select(S.documents.c.duplicate_of, S.documents.c.similarity)
                           .where(S.documents.c.id == copy)).first()
        others = conn.execute(select(func.count()).select_from(S.documents)
                              .where(S.documents.c.duplicate_of.is_not(None))).scalar()
    assert row.duplicate_of == original and row.similarity >= Y.THRESHOLD
    assert others == 1
