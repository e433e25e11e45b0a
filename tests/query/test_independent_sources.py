"""Independent sources as an analyst counts them, and the attribution chain as the text gives it.

A claim's independent sources are distinct original speakers reaching us through distinct outlets,
after syndicated copies are folded onto their original: one speaker in two outlets is one source,
two speakers in one outlet are one source, two stories of one outlet repeating one speaker are one
source. Words the text attributes to someone are never the report's own ("(the report)").
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from wirescope.query.relations import aggregate_relations
from wirescope.query.sources import chain_text, sources, speaker_words

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stories import claim, story  # noqa: E402


# ---- counting, on hand-made statement items ---------------------------------------------------------
def item(doc, outlet, speaker=None, kind="named", via=None, relayed=(), copy_of=None, published="2021-01-01",
         origin_outlet=None, start=0):
    sp = None
    if speaker:
        sp = {"id": f"ent_{speaker.lower().replace(' ', '_')}", "name": speaker, "anonymous": kind == "anonymous",
              "type": "person"}
    return {"doc_id": doc, "origin": copy_of or doc, "outlet": outlet, "origin_outlet": origin_outlet or outlet,
            "duplicate_of": copy_of, "attribution": kind, "speaker": sp, "speaker_text": None,
            "via": {"id": f"ent_{via}", "name": via} if via else None,
            "relayed_by": [{"id": f"ent_{r}", "name": r} for r in relayed], "published": published,
            "evidence": {"start": start, "end": start + 5, "text": "words"}, "modality": "asserted", "title": None}


def counted(items):
    return sum(1 for g in sources(items) if g["independent"])


CASES = [
    ("two stories of one outlet repeating one speaker", [item("d1", "Ledger", "Ana Diaz"),
                                                         item("d2", "Ledger", "Ana Diaz")], 1),
    ("one speaker quoted by two outlets", [item("d1", "Ledger", "Ana Diaz"), item("d2", "Post", "Ana Diaz")], 1),
    ("two speakers in one outlet's stories", [item("d1", "Ledger", "Ana Diaz"), item("d2", "Ledger", "Ben Ross")], 1),
    ("two speakers through two outlets", [item("d1", "Ledger", "Ana Diaz"), item("d2", "Post", "Ben Ross")], 2),
    ("a syndicated copy adds nothing", [item("d1", "Ledger", "Ana Diaz"),
                                        item("d9", "Wire", "Ana Diaz", copy_of="d1", origin_outlet="Ledger")], 1),
    ("two outlets in their own voice", [item("d1", "Ledger", kind="narrator"), item("d2", "Post", kind="narrator")], 2),
    ("the outlet's own words and a speaker it quotes", [item("d1", "Ledger", kind="narrator"),
                                                        item("d2", "Ledger", "Ana Diaz")], 1),
    ("anonymous officials in two outlets", [item("d1", "Ledger", "officials", kind="anonymous"),
                                            item("d2", "Post", "officials", kind="anonymous")], 2),
    ("two speakers through one channel, in two outlets", [item("d1", "Ledger", "Ana Diaz", via="Radio X"),
                                                          item("d2", "Post", "Ben Ross", via="Radio X")], 1),
    ("a speaker relayed by another who also speaks", [item("d1", "Ledger", "Ana Diaz", relayed=["Ben Ross"]),
                                                      item("d2", "Post", "Ben Ross")], 2),
    # the largest set of chains sharing nothing: Diaz/Post and Ross/Ledger, though Diaz/Ledger came first
    ("a matching, not the first come", [item("d1", "Ledger", "Ana Diaz", published="2021-01-01"),
                                        item("d2", "Ledger", "Ben Ross", published="2021-01-02"),
                                        item("d3", "Post", "Ana Diaz", published="2021-01-03")], 2),
]


@pytest.mark.parametrize("items,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_independent_sources(items, expected):
    assert counted(items) == expected


def test_sources_list_every_chain_and_fold_copies():
    items = [item("d1", "Ledger", "Ana Diaz", published="2021-01-01"),
             item("d9", "Wire", "Ana Diaz", copy_of="d1", origin_outlet="Ledger", published="2021-01-02"),
             item("d2", "Ledger", "Ben Ross", published="2021-01-03")]
    chains = sources(items)
    assert [(c["speaker"]["name"], c["documents"], c["copies"], c["independent"]) for c in chains] == [
        ("Ana Diaz", ["d1"], ["d9"], True), ("Ben Ross", ["d2"], [], False)]
    assert chains[0]["outlets"] == ["Ledger", "Wire"] and chains[0]["statements"] == 2
    assert all(it["source_key"] for it in items)


def test_chain_text_never_calls_attributed_words_the_report():
    named = item("d1", "Ledger", "Ana Diaz", via="Radio X", relayed=["Ben Ross"])
    assert chain_text(named) == "Ana Diaz, as told by Ben Ross, via Radio X, in Ledger (2021-01-01, d1)"
    unresolved = dict(item("d1", "Ledger", kind="unresolved"), speaker_text="a UN report", cue="according to")
    assert chain_text(unresolved).startswith("“a UN report” (speaker not identified)")
    unnamed = dict(item("d1", "Ledger", kind="unresolved"), cue="said")
    assert chain_text(unnamed).startswith("an unidentified speaker (said)")
    assert "report" not in chain_text(unnamed)
    assert chain_text(item("d1", "Ledger", kind="narrator")).startswith("Ledger itself (no one quoted)")


WORDS = [
    # (text, content, cue, the words naming the speaker)
    ("Fighters regroup under Taliban protection, according to a UN report released on Sunday.",
     "Fighters regroup under Taliban protection", "according to", "a UN report released on Sunday"),
    ("Fighters regroup. The report said the Taliban give the group shelter.",
     "the Taliban give the group shelter", "said", "The report"),
    ("Forces captured a recruiter in Logar, the National Directorate of Security said.",
     "Forces captured a recruiter in Logar", "said", "the National Directorate of Security"),
    ("“Nothing has changed,” said Ghani, who met officials.", "Nothing has changed", "said", "Ghani"),
    ("According to the ministry, the group funds the brigade.", "the group funds the brigade", "according to",
     "the ministry"),
    ("The group funds the brigade.", "The group funds the brigade", "said", None),
]


@pytest.mark.parametrize("text,content,cue,expected", WORDS, ids=[w[3] or "none" for w in WORDS])
def test_speaker_words(text, content, cue, expected):
    start = text.index(content)
    assert speaker_words(text, start, start + len(content), cue) == expected


# ---- on the annotated corpus ---------------------------------------------------------------------------
def row_of(rows, type_, names):
    found = [r for r in rows if r["type"] == type_ and {r["subject"]["name"], r["object"]["name"]} == set(names)]
    assert len(found) == 1
    return found[0]


def test_unresolved_speakers_are_not_the_report(conn, doc_ids):
    harbors = row_of(aggregate_relations(conn, "Taliban", "al-Qaeda", type="harbors"), "harbors",
                     ["Taliban", "al-Qaeda"])
    un = [i for i in harbors["support"] if i["doc_id"] == doc_ids["05"]]
    assert {i["attribution"] for i in un} == {"unresolved"}
    assert {i["speaker_text"] for i in un} == {"a UN report released on Sunday", "The report"}
    assert all("itself" not in i["chain_text"] for i in harbors["support"] + harbors["against"])
    assert not any("reporting outlet" in r for r in harbors["reasons"])
    assert any("did not identify" in r and "a UN report released on Sunday" in r for r in harbors["reasons"])
    assert harbors["unresolved_speakers"] == 2 and harbors["independent_sources"] == 2
    # the official (Kabul Ledger) and the UN report (Global Security Review; its copy adds nothing)
    counted_chains = [c for c in harbors["sources"] if c["independent"]]
    assert {c["outlet"] for c in counted_chains} == {"Kabul Ledger", "Global Security Review"}
    assert [c["copies"] for c in harbors["sources"] if c["speaker_text"] == "a UN report released on Sunday"] == [
        [doc_ids["06"]]]


def test_words_no_statement_carries_are_the_outlets_own(conn):
    allied = row_of(aggregate_relations(conn, "Taliban", "al-Qaeda", type="allied_with"), "allied_with",
                    ["Taliban", "al-Qaeda"])
    pledge = allied["against"][0]
    assert pledge["attribution"] == "narrator" and pledge["statement_id"] is None
    assert pledge["chain_text"].startswith("Eastern Wire itself")
    # Lindqvist (two outlets) and Ghani (one of them): two independent sources, not three reports
    assert allied["independent_sources"] == 2 and allied["independent_reports"] == 2
    assert len(allied["sources"]) == 3 and sum(c["independent"] for c in allied["sources"]) == 2


def test_two_speakers_in_one_story_are_one_source(conn):
    allied = row_of(aggregate_relations(conn, "Haqqani Network", "Taliban", type="allied_with"), "allied_with",
                    ["Haqqani network", "Taliban"])
    assert {c["attribution"] for c in allied["sources"]} == {"named", "anonymous"}
    assert allied["independent_sources"] == 1
    assert any("shares a speaker or an outlet" in r for r in allied["reasons"])


def test_outlets_and_speakers_as_stories_arrive(writable_kb):
    """Adding stories: a new story of the same outlet and speaker, or the same speaker elsewhere, adds no
    source; a new speaker through a new outlet adds one; a new speaker in an outlet already counted
    does not."""
    def sources_now():
        with writable_kb.engine.connect() as c:
            rows = aggregate_relations(c, "Haven Front", "Ash Brigade")
        return rows[0]["independent_sources"], rows[0]["independent_reports"]

    writable_kb.save(claim("Capital Times", "2021-04-01", "Mariam Solaimankhil"))
    assert sources_now() == (1, 1)
    writable_kb.save(claim("Capital Times", "2021-04-02", "Mariam Solaimankhil", tag="again"))
    assert sources_now() == (1, 2)  # two stories of one outlet repeating one speaker
    writable_kb.save(claim("Valley Post", "2021-04-03", "Mariam Solaimankhil", tag="today"))
    assert sources_now() == (1, 3)  # the same speaker through another outlet
    writable_kb.save(claim("Capital Times", "2021-04-04", "Omar Said"))
    assert sources_now() == (2, 4)  # Omar Said in Capital Times, Solaimankhil in Valley Post
    writable_kb.save(claim("Capital Times", "2021-04-05", "Lina Noor"))
    assert sources_now() == (2, 5)  # a third speaker, but no outlet left for her
    writable_kb.save(claim("Harbour Times", "2021-04-06", "Lina Noor", tag="today"))
    assert sources_now() == (3, 6)


def test_syndicated_copy_is_folded_onto_its_original(writable_kb):
    body = ("The Haven Front has sheltered fighters of the Ash Brigade in the hills above the border town "
            "for more than a year, Mariam Solaimankhil said on Monday, citing villagers and local officials.")
    original = (story("KABUL (Capital Times) - " + body, "Capital Times", "2021-04-01")
                .actor("Haven Front", "group").actor("Ash Brigade", "group").actor("Mariam Solaimankhil", "person")
                .says("Mariam Solaimankhil", "said", "The Haven Front has sheltered fighters of the Ash Brigade")
                .relation("Haven Front", "harbors", "Ash Brigade", "The Haven Front has sheltered fighters of the "
                          "Ash Brigade", statement="s1"))
    copy = (story("KABUL (Valley Post) - " + body, "Valley Post", "2021-04-02")
            .actor("Haven Front", "group").actor("Ash Brigade", "group").actor("Mariam Solaimankhil", "person")
            .says("Mariam Solaimankhil", "said", "The Haven Front has sheltered fighters of the Ash Brigade")
            .relation("Haven Front", "harbors", "Ash Brigade", "The Haven Front has sheltered fighters of the "
                      "Ash Brigade", statement="s1"))
    writable_kb.save(original.analysis())
    assert writable_kb.save(copy.analysis()).duplicate_of == original.document.id
    with writable_kb.engine.connect() as c:
        row = aggregate_relations(c, "Haven Front", "Ash Brigade")[0]
    assert len(row["support"]) == 2 and row["independent_sources"] == 1 and row["independent_reports"] == 1
    [entry] = row["statements"]
    assert entry["doc_id"] == original.document.id and [x["outlet"] for x in entry["copies"]] == ["Valley Post"]
    assert any("1 syndicated copy not counted again" in r for r in row["reasons"])


def test_words_inside_a_statement_are_its_speakers_and_relays_are_kept(writable_kb):
    text = ("A senior official said Omar Said told him that the Haven Front shelters the Ash Brigade. "
            "The Ash Brigade attacked a convoy.")
    s = (story(text, "Capital Times", "2021-04-01")
         .actor("Haven Front", "group").actor("Ash Brigade", "group", "Ash Brigade", )
         .actor("a senior official", "person", "A senior official", anonymous=True).actor("Omar Said", "person")
         .says("a senior official", "said", "Omar Said told him that the Haven Front shelters the Ash Brigade")
         .says("Omar Said", "told", "the Haven Front shelters the Ash Brigade", parent="s1")
         # no statement id given: the relation lies inside Omar Said's words, nested in the official's
         .relation("Haven Front", "harbors", "Ash Brigade", "the Haven Front shelters the Ash Brigade"))
    writable_kb.save(s.analysis())
    with writable_kb.engine.connect() as c:
        [it] = aggregate_relations(c, "Haven Front", "Ash Brigade")[0]["support"]
    assert it["attribution"] == "named" and it["speaker"]["name"] == "Omar Said"
    assert it["statement_inferred"] is True and it["statement_id"] == "s2"
    assert [r["name"] for r in it["relayed_by"]] == ["a senior official"]
    assert [link["role"] for link in it["chain"]] == ["speaker", "relayed by", "outlet"]
    assert it["chain_text"].startswith("Omar Said, as told by a senior official, in Capital Times")


def test_channels_are_part_of_the_chain(writable_kb):
    writable_kb.save(claim("Capital Times", "2021-04-01", "Omar Said", words="told", via="Radio Meridian"))
    writable_kb.save(claim("Valley Post", "2021-04-02", "Lina Noor", words="told", via="Radio Meridian"))
    with writable_kb.engine.connect() as c:
        row = aggregate_relations(c, "Haven Front", "Ash Brigade")[0]
    assert [i["via"]["name"] for i in row["support"]] == ["Radio Meridian", "Radio Meridian"]
    assert "via Radio Meridian" in row["support"][0]["chain_text"]
    assert row["independent_sources"] == 1  # both reached the outlets through one broadcaster
