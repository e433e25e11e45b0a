"""STIX 2.1 export: parses with stix2, carries every actor, relation and report, stable ids."""
from __future__ import annotations

import io
import json

import pytest
import stix2

from wirescope.export import Filters, get_exporter
from wirescope.query import rows
from wirescope.query.relations import aggregate_relations
from wirescope.flow import open_kb


def export(url: str, filters: Filters = Filters()) -> tuple[str, object]:
    kb = open_kb(url)
    buf = io.StringIO()
    with kb.engine.connect() as conn:
        stats = get_exporter("stix").write(conn, buf, filters)
    kb.close()
    return buf.getvalue(), stats


@pytest.fixture(scope="module")
def bundle(kb_url):
    text, stats = export(kb_url)
    return stix2.parse(text, allow_custom=True), stats


@pytest.fixture(scope="module")
def by_wirescope_id(bundle):
    return {o["x_wirescope_id"]: o for o in bundle[0].objects if "x_wirescope_id" in o}


def kb_contents(url):
    kb = open_kb(url)
    with kb.engine.connect() as conn:
        actors = {a["id"]: a for a in rows.iter_actors(conn)}
        relations = aggregate_relations(conn)
        docs = {d["id"]: d for d in rows.iter_documents(conn)}
        statements = list(rows.iter_statements(conn))
    kb.close()
    return actors, relations, docs, statements


def test_bundle_parses_and_every_object_validates(bundle):
    parsed, _ = bundle
    assert parsed.type == "bundle"
    assert parsed.objects
    for obj in parsed.objects:  # parse again one by one: each object stands on its own
        again = stix2.parse(obj.serialize(), allow_custom=True)
        assert again.id == obj.id
        assert obj.spec_version == "2.1"


def test_every_actor_relation_report_and_statement_is_there(bundle, kb_url):
    parsed, _ = bundle
    actors, relations, docs, statements = kb_contents(kb_url)
    objects = parsed.objects
    actor_objs = [o for o in objects if o.type in ("threat-actor", "identity", "location")]
    assert {o["x_wirescope_id"] for o in actor_objs} == set(actors)
    assert len(actor_objs) == len(actors)
    by_id = {o.id: o for o in objects}
    rel_objs = [o for o in objects if o.type == "relationship"]
    exported = {(by_id[o.source_ref]["x_wirescope_id"], o["x_wirescope_type"], by_id[o.target_ref]["x_wirescope_id"])
                for o in rel_objs}
    expected = {(r["subject"]["id"], r["type"], r["object"]["id"]) for r in relations}
    assert exported == expected and len(rel_objs) == len(relations)
    reports = [o for o in objects if o.type == "report"]
    assert {o["x_wirescope_doc_id"] for o in reports} == set(docs)
    for report in reports:
        doc = docs[report["x_wirescope_doc_id"]]
        assert report.name == doc["title"]
        assert report.external_references[0].url == doc["url"]
    notes = [o for o in objects if o.type == "note"]
    assert {(n["x_wirescope_doc_id"], n["x_wirescope_statement_id"]) for n in notes} == \
        {(s["doc_id"], s["id"]) for s in statements}


def test_no_reference_dangles(bundle):
    parsed, _ = bundle
    ids = {o.id for o in parsed.objects}
    for o in parsed.objects:
        refs = list(o.get("object_refs", [])) + [o[k] for k in ("source_ref", "target_ref", "x_wirescope_speaker_ref")
                                                 if k in o]
        assert set(refs) <= ids, o.id


ACTOR_CASES = [
    # (name, STIX type, identity_class or None)
    ("Ridge Brigade", "threat-actor", None),      # armed group
    ("Salt Front", "threat-actor", None),
    ("Idris Varne", "threat-actor", None),        # leads an armed group
    ("Interior Ministry", "identity", "organization"),
    ("Daily Lantern", "identity", "organization"),
    ("a senior security official", "identity", "individual"),  # anonymous source
    ("Officials in Islamabad", "identity", "individual"),
    ("Kestrel tribes", "identity", "class"),
    ("Pakistan", "location", None),
    ("Kestrel Valley", "location", None),
]


@pytest.mark.parametrize("name,kind,identity_class", ACTOR_CASES)
def test_actor_kinds(bundle, name, kind, identity_class):
    found = [o for o in bundle[0].objects if o.get("name") == name and o.type != "report"]
    assert len(found) == 1
    assert found[0].type == kind
    assert found[0].get("identity_class") == identity_class


def test_actor_details(bundle):
    objs = {o.name: o for o in bundle[0].objects if o.type in ("threat-actor", "identity", "location")}
    assert objs["Ridge Brigade"].aliases == ["RB"]
    assert objs["Pakistan"].country == "PK"
    assert objs["Kestrel Valley"].region == "unknown"  # STIX needs one of region/country/coordinates
    assert objs["Interior Ministry"].sectors == ["government"]
    assert objs["a senior security official"]["x_wirescope_anonymous"] is True
    assert "senior" in objs["a senior security official"].description
    assert "Pakistan" not in objs or objs["Pakistan"].get("x_wirescope_anonymous") is False
    assert bundle[1].counts["locations without a country (region 'unknown')"] == 1


RELATION_CASES = [
    # (subject, our type, object, STIX relationship_type, description contains)
    ("Ridge Brigade", "attacks", "Interior Ministry", "targets", None),
    ("Ridge Brigade", "operates_in", "Pakistan", "located-at", None),
    ("Ridge Brigade", "operates_in", "Kestrel Valley", "located-at", None),
    ("Idris Varne", "leader_of", "Ridge Brigade", "related-to", "leader of"),
    ("A spokesman for the Kestrel Tribal Council", "member_of", "Kestrel Tribal Council", "related-to", "member of"),
    ("Interior Ministry", "funds", "Salt Front", "related-to", "denied"),  # only evidence is a denial
]


@pytest.mark.parametrize("subject,rtype,obj,stix_type,description", RELATION_CASES)
def test_relationship_mapping(bundle, subject, rtype, obj, stix_type, description):
    objects = bundle[0].objects
    by_id = {o.id: o for o in objects}
    found = [o for o in objects if o.type == "relationship" and o["x_wirescope_type"] == rtype
             and by_id[o.source_ref].name == subject and by_id[o.target_ref].name == obj]
    assert len(found) == 1
    rel = found[0]
    rel = stix2.parse(rel, allow_custom=True)  # a valid STIX relationship
    assert rel.relationship_type == stix_type
    if description:
        assert description in rel.description
    assert 0 <= rel.confidence <= 100


def test_symmetric_relation_told_both_ways_is_one_relationship_with_its_confidence(bundle, kb_url):
    objects = bundle[0].objects
    allied = [o for o in objects if o.type == "relationship" and o["x_wirescope_type"] == "allied_with"]
    assert len(allied) == 1
    assert allied[0]["x_wirescope_independent_sources"] == 2
    _, relations, _, _ = kb_contents(kb_url)
    agg = [r for r in relations if r["type"] == "allied_with"][0]
    assert allied[0].confidence == round(agg["confidence"] * 100)
    # both reports that say it point at it, and so do the notes of the statements that back it
    reports = [o for o in objects if o.type == "report" and allied[0].id in o.object_refs]
    assert len(reports) == 2
    notes = [o for o in objects if o.type == "note" and allied[0].id in o.object_refs]
    assert {n["x_wirescope_cue"] for n in notes} == {"said"}
    assert all(n["x_wirescope_anonymous"] for n in notes)


NOTE_CASES = [
    # (content starts with, speaker, cue, anonymous, polarity)
    ("We will not negotiate", "Idris Varne", "told", False, "positive"),
    ("that it funds the Salt Front", "Interior Ministry", "denied", False, "negative"),
    ("the Ridge Brigade had left the valley", "A spokesman for the Kestrel Tribal Council", "said", True, "positive"),
]


@pytest.mark.parametrize("content,speaker,cue,anonymous,polarity", NOTE_CASES)
def test_statement_notes(bundle, content, speaker, cue, anonymous, polarity):
    notes = [o for o in bundle[0].objects if o.type == "note" and o.content.startswith(content)]
    assert len(notes) == 1
    note = notes[0]
    assert (note["x_wirescope_speaker"], note["x_wirescope_cue"], note["x_wirescope_anonymous"],
            note["x_wirescope_polarity"]) == (speaker, cue, anonymous, polarity)
    assert any(ref.startswith("report--") for ref in note.object_refs)


def test_ids_are_stable_across_exports_and_rebuilds(kb_url, kb_builder, tmp_path):
    first, _ = export(kb_url)
    second, _ = export(kb_url)
    assert first == second
    rebuilt = kb_builder(tmp_path / "again.db")  # the same articles in a fresh knowledge base
    third, _ = export(rebuilt)
    ids = lambda text: sorted(o["id"] for o in json.loads(text)["objects"])  # noqa: E731
    assert ids(first) == ids(third)
    assert json.loads(first)["id"] == json.loads(third)["id"]


FILTER_CASES = [
    # (filters, relation types expected, reports expected)
    (Filters(types=("attacks",)), {"attacks"}, 3),
    (Filters(entity="Salt Front"), {"allied_with", "funds"}, 2),
    (Filters(min_sources=2), {"allied_with", "leader_of"}, 3),
    (Filters(since="2021-03-01"), {"allied_with", "funds", "leader_of"}, 1),
]


@pytest.mark.parametrize("filters,types,reports", FILTER_CASES)
def test_filters(kb_url, filters, types, reports):
    text, _ = export(kb_url, filters)
    parsed = stix2.parse(text, allow_custom=True)
    assert {o["x_wirescope_type"] for o in parsed.objects if o.type == "relationship"} == types
    assert len([o for o in parsed.objects if o.type == "report"]) == reports
    ids = {o.id for o in parsed.objects}
    for o in parsed.objects:
        assert set(o.get("object_refs", [])) <= ids


def test_missing_stix_mapping_falls_back_to_related_to_and_says_so(kb_url, monkeypatch):
    from wirescope.export import stix as stix_module

    real = stix_module.relation_vocabulary()
    trimmed = {k: {kk: vv for kk, vv in v.items() if not (k == "attacks" and kk == "stix")} for k, v in real.items()}
    monkeypatch.setattr(stix_module, "relation_vocabulary", lambda: trimmed)
    text, stats = export(kb_url)
    parsed = stix2.parse(text, allow_custom=True)
    attacks = [o for o in parsed.objects if o.type == "relationship" and o["x_wirescope_type"] == "attacks"]
    assert attacks[0].relationship_type == "related-to"
    assert attacks[0].description == "attacks"
    assert any("attacks" in n for n in stats.notes)


DENIAL_CASES = [
    # (type, support, against, relationship_type, description starts with)
    ("attacks", 1, 0, "targets", None),
    ("attacks", 1, 1, "targets", None),
    ("attacks", 0, 2, "related-to", "denied: "),
    ("operates_in", 0, 1, "related-to", "denied: "),
]


@pytest.mark.parametrize("rtype,support,against,stix_type,prefix", DENIAL_CASES)
def test_denied_relations_are_never_typed_facts(rtype, support, against, stix_type, prefix):
    from wirescope.export.base import ExportStats, relation_vocabulary
    from wirescope.export.stix import relationship_object

    target_kind = "location" if rtype == "operates_in" else "identity"
    agg = {"subject": {"id": "ent_a", "name": "A"}, "type": rtype, "object": {"id": "ent_b", "name": "B"},
           "support": [{}] * support, "against": [{}] * against, "confidence": 0.5 if support else 0.0,
           "independent_sources": support, "first_published": "2021-01-02", "last_published": "2021-01-05"}
    rel = relationship_object(agg, {"ent_a": "threat-actor", "ent_b": target_kind}, relation_vocabulary(),
                              ExportStats("stix"))
    rel = stix2.parse(rel, allow_custom=True)  # a valid STIX relationship
    assert rel.relationship_type == stix_type
    assert (rel.get("description") or "").startswith(prefix or "")
    assert rel["x_wirescope_polarity"] == ("positive" if support >= against else "negative")
    assert rel.modified >= rel.created


def test_each_object_is_what_the_stix2_library_writes(kb_url, tmp_path):
    """The exporter writes plain dicts: each must be exactly what stix2 makes of it (parsed, validated,
    serialised again), for every kind of object, on the export knowledge base and on the examples."""
    text, _ = export(kb_url)
    objects = json.loads(text)["objects"]
    assert {o["type"] for o in objects} >= {"threat-actor", "identity", "location", "relationship", "note", "report"}
    for obj in objects:
        again = json.loads(stix2.parse(obj, allow_custom=True).serialize(sort_keys=True, ensure_ascii=False))
        assert again == obj, obj["id"]
    dated = [o for o in objects if o["type"] == "report"] + [o for o in objects if "start_time" in o]
    assert dated and all(o.get("published", o.get("start_time")).endswith("T00:00:00Z") for o in dated)
