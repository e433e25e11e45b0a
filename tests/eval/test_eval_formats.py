"""MEANTIME entities and coreference, format detection and the `wirescope eval` command, on tiny
gold files written here (the TimeML, brat and PLOVER scorers have their own tests beside this one)."""
from __future__ import annotations

import json
from xml.sax.saxutils import escape

import pytest

from wirescope.cli import main
from wirescope.eval import KINDS, detect_kind
from wirescope.eval.meantime import (b_cubed, looks_like_name, read_meantime_docs, score_coreference,
                                     score_mentions)

# sentences of a tiny MEANTIME article, one token list each
SENTENCES = [
    ["Pilots", "end", "strike"],
    ["March", "4", ",", "2011"],
    ["Lufthansa", "pilots", "ended", "their", "strike", "in", "Frankfurt", "on", "Thursday", ",", "the", "union", "said", "."],
    ["Angela", "Merkel", "welcomed", "the", "deal", "and", "she", "thanked", "Lufthansa", "."],
    ["Berlin", "was", "quiet", "."],  # nothing annotated here: out of the scored part
]
# token ids are 1-based over the whole article
T = {}
_n = 0
for _s, _words in enumerate(SENTENCES):
    for _i, _w in enumerate(_words):
        _n += 1
        T[(_s, _i)] = _n

ENTITIES = {  # m_id: (ent_type, descriptor)
    "100": ("ORG", "Lufthansa"), "101": ("LOC", "Frankfurt"), "102": ("PER", "Angela Merkel"),
    "103": ("ORG", "the union"), "104": ("PRO", "the deal"), "105": ("PER", "pilots"),
}
MENTIONS = [  # m_id, syntactic_type, entity, token positions
    ("1", "NAM", "100", [(2, 0)]),
    ("2", "NAM", "101", [(2, 6)]),
    ("3", "NOM", "103", [(2, 10), (2, 11)]),
    ("4", "NAM", "102", [(3, 0), (3, 1)]),
    ("5", "PRO", "102", [(3, 6)]),
    ("6", "NAM", "100", [(3, 8)]),
    ("7", "NOM", "104", [(3, 3), (3, 4)]),
    ("8", "NOM", "105", [(2, 0), (2, 1)]),
]


def meantime_xml() -> str:
    out = ['<?xml version="1.0" ?>', '<Document doc_id="77" doc_name="77_Pilots_end_strike" lang="en" url="">']
    for (s, i), t in T.items():
        out.append(f'<token number="{i}" sentence="{s}" t_id="{t}">{escape(SENTENCES[s][i])}</token>')
    out.append("<Markables>")
    for m_id, syn, _, toks in MENTIONS:
        anchors = "".join(f'<token_anchor t_id="{T[p]}"/>' for p in toks)
        out.append(f'<ENTITY_MENTION m_id="{m_id}" syntactic_type="{syn}">{anchors}</ENTITY_MENTION>')
    for m_id, (kind, label) in ENTITIES.items():
        out.append(f'<ENTITY m_id="{m_id}" ent_type="{kind}" TAG_DESCRIPTOR="{label}" instance_id="X{m_id}"/>')
    dct = "".join(f'<token_anchor t_id="{T[(1, i)]}"/>' for i in range(4))
    out.append(f'<TIMEX3 m_id="50" functionInDocument="CREATION_TIME" type="DATE" value="2011-03-04">{dct}</TIMEX3>')
    out.append(f'<TIMEX3 m_id="51" functionInDocument="NONE" type="DATE" value="2011-03-03"><token_anchor t_id="{T[(2, 8)]}"/></TIMEX3>')
    out.append("</Markables><Relations>")
    for r, (m_id, _, entity, _) in enumerate(MENTIONS):
        out.append(f'<REFERS_TO r_id="{r}"><source m_id="{m_id}"/><target m_id="{entity}"/></REFERS_TO>')
    out.append("</Relations></Document>")
    return "\n".join(out)


@pytest.fixture()
def meantime_dir(tmp_path):
    folder = tmp_path / "meantime"
    folder.mkdir()
    (folder / "77_Pilots_end_strike.xml").write_text(meantime_xml(), encoding="utf-8")
    return folder


@pytest.fixture()
def doc(meantime_dir):
    (d,) = read_meantime_docs(meantime_dir)
    return d


def span(d, text, occurrence=0):
    start = -1
    for _ in range(occurrence + 1):
        start = d.text.index(text, start + 1)
    return {"start": start, "end": start + len(text), "text": text}


def entity(d, eid, type_, *mentions, anonymous=False):
    """mentions: text or (text, occurrence)."""
    spans = [span(d, *m) if isinstance(m, tuple) else span(d, m) for m in mentions]
    return {"id": eid, "type": type_, "anonymous": anonymous, "mentions": spans}


def test_reader_keeps_types_syntax_and_scope(doc):
    assert doc.id == "77" and str(doc.dct) == "2011-03-04"
    assert [(m.text, m.type, m.syntactic) for m in doc.names()] == [
        ("Lufthansa", "ORG", "NAM"), ("Frankfurt", "LOC", "NAM"), ("Angela Merkel", "PER", "NAM"), ("Lufthansa", "ORG", "NAM")]
    assert sorted(m.text for m in doc.coref_mentions()) == [
        "Angela Merkel", "Frankfurt", "Lufthansa", "Lufthansa", "Lufthansa pilots", "she", "the union"]
    assert all(doc.text[m.start:m.end] == m.text for m in doc.mentions)
    berlin = doc.text.index("Berlin")
    assert doc.in_scope(doc.text.index("Lufthansa", 50)) and not doc.in_scope(berlin)


def perfect(d):
    return {"entities": [
        entity(d, "a", "organization", "Lufthansa", ("Lufthansa", 1)),
        entity(d, "b", "location", "Frankfurt"),
        entity(d, "c", "person", "Angela Merkel", "she"),
        entity(d, "d", "organization", "the union"),
        entity(d, "e", "group", "Lufthansa pilots"),
        entity(d, "f", "location", "Berlin"),  # after the annotated part: not scored
    ]}


def test_mentions_score_exactly_one(doc):
    s = score_mentions([doc], {doc.id: perfect(doc)})
    assert (s["gold"], s["predicted"]) == (4, 4)
    assert s["exact_f1"] == 1.0 and s["overlap_f1"] == 1.0 and s["type_accuracy"] == 1.0


@pytest.mark.parametrize("prediction", [
    lambda d: {"entities": []},
    lambda d: {"entities": [entity(d, "x", "person", "Thursday"), entity(d, "y", "organization", "Pilots")]},
    # right words, but not names: an anonymous source, our "group" and "other" types
    lambda d: {"entities": [entity(d, "x", "person", "Angela Merkel", anonymous=True),
                            entity(d, "y", "group", "Lufthansa"), entity(d, "z", "other", "Frankfurt")]},
], ids=["nothing", "wrong places", "not names"])
def test_mentions_score_exactly_zero(doc, prediction):
    s = score_mentions([doc], {doc.id: prediction(doc)})
    assert s["exact_f1"] == 0.0 and s["overlap_f1"] == 0.0


def test_partial_spans_match_by_overlap_only(doc):
    pred = perfect(doc)
    pred["entities"][2]["mentions"][0] = span(doc, "Merkel")
    pred["entities"][1]["type"] = "organization"
    s = score_mentions([doc], {doc.id: pred})
    assert s["exact_p"] == s["exact_r"] == 0.75
    assert s["overlap_f1"] == 1.0 and s["type_accuracy"] == 0.75


def test_coreference_scores_exactly_one(doc):
    s = score_coreference([doc], {doc.id: perfect(doc)})
    assert s["detected"] == s["gold"] == 7
    assert (s["p"], s["r"], s["f1"]) == (1.0, 1.0, 1.0)


def test_coreference_scores_exactly_zero_when_nothing_is_detected(doc):
    far = {"entities": [entity(doc, "x", "location", "Berlin"), entity(doc, "y", "person", "welcomed")]}
    s = score_coreference([doc], {doc.id: far})
    assert s["detected"] == 0 and s["f1"] == 0.0


def test_coreference_splits_and_merges(doc):
    split = perfect(doc)
    split["entities"][2] = entity(doc, "c", "person", "Angela Merkel")
    split["entities"].append(entity(doc, "c2", "person", "she"))
    s = score_coreference([doc], {doc.id: split})
    assert s["p"] == 1.0 and s["r"] == pytest.approx((7 - 2 + 2 * 0.5) / 7)
    merged = {"entities": [entity(doc, "all", "organization", "Lufthansa", ("Lufthansa", 1), "Frankfurt",
                                  "Angela Merkel", "she", "the union", "Lufthansa pilots")]}
    s = score_coreference([doc], {doc.id: merged})
    assert s["r"] == 1.0 and s["p"] == pytest.approx((2 * 2 / 7 + 2 * 2 / 7 + 3 * 1 / 7) / 7)


@pytest.mark.parametrize("gold,pred,p,r", [
    (["a", "a", "b"], ["x", "x", "y"], 1.0, 1.0),
    (["a", "a", "b"], ["x", "y", "z"], 1.0, (0.5 + 0.5 + 1) / 3),
    (["a", "a", "b"], ["x", "x", "x"], (2 / 3 + 2 / 3 + 1 / 3) / 3, 1.0),
    ([], [], 1.0, 1.0),
])
def test_b_cubed(gold, pred, p, r):
    assert b_cubed(gold, pred) == pytest.approx((p, r))


@pytest.mark.parametrize("text,expected", [
    ("Lufthansa", True), ("Angela Merkel", True), ("the European Union", True), ("U.S.", True),
    ("He", False), ("The", False), ("they", False), ("the union", False), ("2011", False), ("", False),
])
def test_looks_like_name(text, expected):
    assert looks_like_name(text) is expected


# ---- format detection ------------------------------------------------------------------------
TML = """<?xml version="1.0" ?>
<TimeML><DOCID>wire_1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2011-03-04" functionInDocument="CREATION_TIME">2011-03-04</TIMEX3></DCT>
<TEXT>Pilots ended their strike on <TIMEX3 tid="t1" type="DATE" value="2011-03-03">Thursday</TIMEX3> after <TIMEX3 tid="t2" type="DURATION" value="P3D">three days</TIMEX3>.</TEXT>
</TimeML>
"""
PLOVER = [
    {"id": "DOC", "event": "DOCUMENT", "text": ""},
    {"id": "T-1", "date": "2011-03-04", "event": "ASSAULT", "text": "Rebels attacked a police station in Kandahar on Thursday.",
     "source": [{"actorText": "Rebels", "code": "REB"}], "target": [{"actorText": "police station", "code": "COP"}]},
    {"id": "T-2", "date": "2011-03-04", "event": "AGREE", "text": "Germany and France signed a trade agreement on Friday.",
     "source": [{"actorText": "Germany", "code": "DEU"}], "target": [{"actorText": "France", "code": "FRA"}]},
]
BRAT_TXT = "“We will rebuild the bridge by June,” the mayor said on Tuesday.\n"
BRAT_ANN = ("T1\tContent 0 37\t“We will rebuild the bridge by June,”\n"
            "T2\tSource 38 47\tthe mayor\nT3\tCue 48 52\tsaid\n"
            "R1\tSource Arg1:T3 Arg2:T2\nR2\tContent Arg1:T3 Arg2:T1\n")
GOLD_TEXT = "The United Nations said on Friday that aid convoys would resume.\n"


def write_gold(folder, entities, times, name="story"):
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.txt").write_text(GOLD_TEXT, encoding="utf-8")
    gold = {"text_file": f"{name}.txt", "published": "2021-03-20", "entities": entities, "times": times}
    path = folder / f"{name}.gold.json"
    path.write_text(json.dumps(gold), encoding="utf-8")
    return path


@pytest.fixture()
def files(tmp_path, meantime_dir):
    out = {"meantime": meantime_dir, "meantime_file": next(meantime_dir.iterdir())}
    (tmp_path / "tml").mkdir()
    (tmp_path / "tml" / "wire_1.tml").write_text(TML, encoding="utf-8")
    out["timeml"], out["timeml_file"] = tmp_path / "tml", tmp_path / "tml" / "wire_1.tml"
    (tmp_path / "plover.json").write_text(json.dumps(PLOVER), encoding="utf-8")
    out["plover"] = tmp_path / "plover.json"
    (tmp_path / "brat").mkdir()
    (tmp_path / "brat" / "mayor.txt").write_text(BRAT_TXT, encoding="utf-8")
    (tmp_path / "brat" / "mayor.ann").write_text(BRAT_ANN, encoding="utf-8")
    out["brat"] = tmp_path / "brat"
    out["gold"] = write_gold(tmp_path / "gold", [{"key": "un", "names": ["United Nations"], "type": "organization"}],
                             [{"text": "Friday", "value": "2021-03-19"}])
    out["gold_dir"] = tmp_path / "gold"
    (tmp_path / "notes.txt").write_text("just text", encoding="utf-8")
    out["none"] = tmp_path / "notes.txt"
    (tmp_path / "other.json").write_text('{"a": 1}', encoding="utf-8")
    out["none_json"] = tmp_path / "other.json"
    return out


@pytest.mark.parametrize("key,kind", [
    ("meantime", "meantime"), ("meantime_file", "meantime"), ("timeml", "timeml"), ("timeml_file", "timeml"),
    ("plover", "plover"), ("brat", "brat"), ("gold", "gold"), ("gold_dir", "gold"), ("none", None), ("none_json", None),
])
def test_detect_kind(files, key, kind):
    assert detect_kind(files[key]) == kind


# ---- the command -----------------------------------------------------------------------------
def run_eval(capsys, *args):
    code = main(["eval", *map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


def json_report(capsys, *args):
    code, out, err = run_eval(capsys, *args, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def test_help_documents_every_format(capsys):
    code, out, _ = run_eval(capsys, "--help")
    assert code == 0
    for kind in KINDS:
        block = out[out.index(f"  {kind} "):]
        assert "Example: wirescope eval " in block.split("\n\n")[0], kind
    assert "--format" in out and "--kind" in out


def test_gold_file_scores_one_and_zero(capsys, files, tmp_path):
    report = json_report(capsys, files["gold"])
    assert report["kind"] == "gold" and report["documents"] == 1
    assert report["metrics"]["recall"] == 1.0
    wrong = write_gold(tmp_path / "wrong", [{"key": "wb", "names": ["World Bank"], "type": "organization"}],
                       [{"text": "Friday", "value": "2021-03-12"}])
    report = json_report(capsys, wrong)
    assert report["metrics"]["recall"] == 0.0
    assert {r[0] for r in report["tables"][2]["rows"]} == {"entity", "time"}  # the missed checks


def test_meantime_folder(capsys, files):
    report = json_report(capsys, files["meantime"])
    m = report["metrics"]
    assert report["kind"] == "meantime" and report["documents"] == 1
    assert set(m) >= {"mention_exact_f1", "mention_overlap_f1", "coref_b3_f1", "timex_value_f1"}
    assert m["timex_value_f1"] == 1.0  # the creation date line and "Thursday" = 2011-03-03
    assert m["mention_overlap_f1"] >= 0.75  # Lufthansa, Frankfurt, Angela Merkel are plain names
    assert 0.0 < m["coref_b3_f1"] <= 1.0


def test_timeml_plover_and_brat(capsys, files):
    tml = json_report(capsys, files["timeml"])
    assert tml["kind"] == "timeml" and tml["details"]["timex"]["gold"] == 2
    assert tml["metrics"]["value_f1"] == 1.0
    plover = json_report(capsys, files["plover"])
    assert plover["kind"] == "plover" and plover["documents"] == 2
    assert set(plover["metrics"]) == {"type_accuracy", "source_match"}
    brat = json_report(capsys, files["brat"])
    assert brat["kind"] == "brat" and brat["details"]["gold"] == 1
    assert brat["metrics"]["content_f1"] == 1.0 and brat["metrics"]["speaker_accuracy"] == 1.0


def test_kind_can_be_forced(capsys, files, tmp_path):
    renamed = tmp_path / "story.tml.txt"
    renamed.write_text(TML, encoding="utf-8")
    code, _, err = run_eval(capsys, renamed)
    assert code == 1 and "not a recognised gold format" in err
    assert json_report(capsys, renamed, "--kind", "timeml")["metrics"]["value_f1"] == 1.0


def test_text_output_is_tables(capsys, files):
    code, out, _ = run_eval(capsys, files["meantime"])
    assert code == 0
    for title in ("Named mentions", "coreference", "TIMEX3", "mention_exact_f1"):
        assert title in out


@pytest.mark.parametrize("args,code,message", [
    (["{tmp}/missing"], 1, "E201"),
    (["{brat}", "--kind", "conll"], 1, "unknown gold kind 'conll'"),
    (["{brat}", "--format", "xml"], 2, "E209"),
    (["{plover}", "--kind", "meantime"], 1, "no meantime gold documents"),  # forced wrong: no article in it
    (["{meantime}", "--kind", "plover"], 1, "not readable as plover gold"),
])
def test_errors(capsys, files, tmp_path, args, code, message):
    args = [a.format(tmp=tmp_path, brat=files["brat"], plover=files["plover"], meantime=files["meantime"]) for a in args]
    got, out, err = run_eval(capsys, *args)
    assert got == code and message in err
    assert out == ""


@pytest.mark.parametrize("text, expected", [
    ("US", True), ("U.S.", True), ("us", False), ("Us", False), ("He", False), ("The", False),
    ("Boeing", True), ("the company", False), ("IT", True),
])
def test_looks_like_name(text, expected):
    from wirescope.eval.meantime import looks_like_name
    assert looks_like_name(text) is expected
