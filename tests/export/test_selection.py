"""Exporting a selection: a search (the documents it finds, with their facets) or given documents, in
CSV, STIX and GraphML, on the three-report knowledge base of conftest.py."""
from __future__ import annotations

import csv
import io
import json
import sqlite3
from xml.etree import ElementTree

import pytest

from wirescope.cli import main
from wirescope.errors import UsageError
from wirescope.export import Filters, get_exporter
from wirescope.flow import open_kb

GRAPHML = {"g": "http://graphml.graphdrawing.org/xmlns"}


def doc_ids(url: str) -> dict[str, str]:
    """outlet -> document id (one report per outlet)."""
    con = sqlite3.connect(url[len("sqlite:///"):])
    out = dict(con.execute("SELECT outlet, id FROM documents"))
    con.close()
    return out


def csv_tables(url: str, out, filters: Filters) -> dict[str, list[dict]]:
    with open_kb(url) as kb, kb.engine.connect() as conn:
        get_exporter("csv").write(conn, out, filters)
    tables = {}
    for name in ("documents", "actors", "statements", "relations", "events"):
        with (out / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
            tables[name] = list(csv.DictReader(fh))
    return tables


def single(url: str, fmt: str, filters: Filters) -> str:
    buf = io.StringIO()
    with open_kb(url) as kb, kb.engine.connect() as conn:
        get_exporter(fmt).write(conn, buf, filters)
    return buf.getvalue()


def test_a_search_exports_only_the_documents_it_finds(kb_url, tmp_path):
    ids = doc_ids(kb_url)
    tables = csv_tables(kb_url, tmp_path, Filters(query="negotiate"))  # said in the Daily Lantern report only
    assert [d["id"] for d in tables["documents"]] == [ids["Daily Lantern"]]
    for table in ("statements", "relations", "events"):
        assert tables[table] and {r["doc_id"] for r in tables[table]} == {ids["Daily Lantern"]}, table
    names = {a["name"] for a in tables["actors"]}
    assert {"Ridge Brigade", "Salt Front", "Idris Varne"} <= names
    assert "Kestrel Tribal Council" not in names and "Officials in Islamabad" not in names  # other reports'


def test_a_search_selection_differs_from_a_whole_export(kb_url, tmp_path):
    everything = csv_tables(kb_url, tmp_path / "all", Filters())
    found = csv_tables(kb_url, tmp_path / "some", Filters(query="Salt Front"))
    assert len(everything["documents"]) == 3 and len(found["documents"]) == 2
    assert len(found["relations"]) < len(everything["relations"])


def test_relations_are_aggregated_over_the_selection(kb_url):
    def allied(filters):
        bundle = json.loads(single(kb_url, "stix", filters))
        rels = [o for o in bundle["objects"] if o["type"] == "relationship"
                and o["x_wirescope_type"] == "allied_with"]
        assert len(rels) == 1
        return rels[0]

    assert allied(Filters())["x_wirescope_documents"] == 2
    assert allied(Filters(query="Salt Front"))["x_wirescope_documents"] == 2
    one = allied(Filters(query="negotiate"))
    assert one["x_wirescope_documents"] == 1 and one["x_wirescope_support"] == 1
    bundle = json.loads(single(kb_url, "stix", Filters(query="negotiate")))
    reports = [o for o in bundle["objects"] if o["type"] == "report"]
    assert [r["x_wirescope_outlet"] for r in reports] == ["Daily Lantern"]


def test_graphml_of_a_selection_has_its_relations_only(kb_url):
    tree = ElementTree.fromstring(single(kb_url, "graphml", Filters(query="cooperated")).encode())
    edges = tree.findall(".//g:edge", GRAPHML)
    keys = {e.get("id").split(":")[-1] for e in edges}
    assert keys == {"allied_with", "funds", "leader_of"}  # the Frontier Wire report's three relations
    whole = ElementTree.fromstring(single(kb_url, "graphml", Filters()).encode())
    assert len(whole.findall(".//g:edge", GRAPHML)) > len(edges)


def test_given_documents_and_facets(kb_url, tmp_path):
    ids = doc_ids(kb_url)
    only = csv_tables(kb_url, tmp_path / "doc", Filters(documents=(ids["Hill Post"],)))
    assert [d["id"] for d in only["documents"]] == [ids["Hill Post"]]
    assert {r["doc_id"] for r in only["relations"]} == {ids["Hill Post"]}
    # the outlet facet narrows the search, as on the search page
    faceted = csv_tables(kb_url, tmp_path / "facet", Filters(query="Ridge Brigade", outlet="Frontier Wire"))
    assert [d["id"] for d in faceted["documents"]] == [ids["Frontier Wire"]]
    dated = csv_tables(kb_url, tmp_path / "month", Filters(query="Ridge Brigade", published="2021-02"))
    assert [d["id"] for d in dated["documents"]] == [ids["Daily Lantern"]]
    # a search and documents together: both must hold
    both = csv_tables(kb_url, tmp_path / "both", Filters(query="Ridge Brigade",
                                                         documents=(ids["Hill Post"], ids["Frontier Wire"])))
    assert sorted(d["id"] for d in both["documents"]) == sorted([ids["Hill Post"], ids["Frontier Wire"]])
    nothing = csv_tables(kb_url, tmp_path / "none", Filters(query="negotiate", documents=(ids["Hill Post"],)))
    assert nothing["documents"] == [] and nothing["relations"] == []


def test_actors_the_search_lists_by_name_are_exported(kb_url, tmp_path):
    # no document of 2099: only the actor matched by name is left
    tables = csv_tables(kb_url, tmp_path / "a", Filters(query="Kestrel Tribal Council", published="2099"))
    assert tables["documents"] == [] and [a["name"] for a in tables["actors"]] == ["Kestrel Tribal Council"]
    typed = csv_tables(kb_url, tmp_path / "b", Filters(query="Kestrel Tribal Council", published="2099",
                                                       actor_type="person"))
    assert typed["actors"] == []


@pytest.mark.parametrize("filters, name", [
    (Filters(outlet="Daily Lantern"), "outlet/published/actor_type"),
    (Filters(query="!!! ..."), "query"),
    (Filters(documents=("doc_nowhere",)), "documents"),
])
def test_bad_selections_are_usage_errors(kb_url, filters, name):
    with pytest.raises(UsageError) as info:
        single(kb_url, "jsonl", filters)
    assert info.value.code == "E103" and info.value.params["name"] == name


def test_cli_export_of_a_search(kb_url, tmp_path, capsys):
    db = kb_url[len("sqlite:///"):]
    assert main(["export", "-f", "csv", "--db", db, "--query", "negotiate", "--out", str(tmp_path / "t"), "-q"]) == 0
    with (tmp_path / "t" / "documents.csv").open(encoding="utf-8") as fh:
        assert [r["outlet"] for r in csv.DictReader(fh)] == ["Daily Lantern"]
    capsys.readouterr()
    assert main(["export", "-f", "jsonl", "--db", db, "--query", "brigade", "--published", "21"]) == 2
    assert "error [E103]" in capsys.readouterr().err
