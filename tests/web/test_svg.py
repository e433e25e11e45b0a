"""The SVG pictures: deterministic, escaped, readable dates."""
from __future__ import annotations

import datetime as dt
import xml.dom.minidom

import networkx as nx
import pytest

from wirescope.web.svg import network_svg, time_point, timeline_svg


@pytest.mark.parametrize("value, expected", [
    ("2021-03-20", dt.date(2021, 3, 20)), ("2021-03", dt.date(2021, 3, 1)), ("2021", dt.date(2021, 1, 1)),
    ("2021-W11", dt.date(2021, 3, 15)), ("2021-Q3", dt.date(2021, 7, 1)), ("2021-H2", dt.date(2021, 7, 1)),
    ("2020-SU", dt.date(2020, 6, 1)), ("2021-03-20T14:00", dt.date(2021, 3, 20)),
    ("PRESENT_REF", None), ("P3D", None), ("", None), (None, None), ("2021-13-40", None),
])
def test_time_point(value, expected):
    assert time_point(value) == expected


def graph(evil: str = "<script>alert(1)</script>") -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node("ent_a", name=evil, type="group", documents=3)
    g.add_node("ent_b", name='Front "&" Co', type="organization", documents=1)
    g.add_node("ent_c", name="Lone Town", type="location", documents=1)
    g.add_edge("ent_a", "ent_b", key="harbors", type="harbors", support=2, against=0, independent_sources=2)
    g.add_edge("ent_a", "ent_b", key="funds", type="funds", support=0, against=1, independent_sources=0)
    g.add_edge("ent_b", "ent_c", key="operates_in", type="operates_in", support=1, against=0, independent_sources=1)
    return g


def test_network_svg_is_well_formed_escaped_and_linked():
    svg = network_svg(graph())
    doc = xml.dom.minidom.parseString(svg)  # well-formed XML whatever the names
    texts = [t.firstChild.data for t in doc.getElementsByTagName("text")]
    assert "<script>alert(1)</script>" in texts and "<script>" not in svg
    hrefs = {a.getAttribute("href") for a in doc.getElementsByTagName("a")}
    assert {"/actors/ent_a", "/relations/ent_a/harbors/ent_b", "/relations/ent_a/funds/ent_b"} <= hrefs
    assert len(doc.getElementsByTagName("circle")) == 3
    dashed = [g for g in doc.getElementsByTagName("g") if "negative" in g.getAttribute("class")]
    assert [g.getAttribute("data-type") for g in dashed] == ["funds"]  # denied more than supported


def test_network_layout_is_deterministic():
    assert network_svg(graph()) == network_svg(graph())


def test_empty_pictures_say_so():
    assert "No relations" in network_svg(nx.MultiDiGraph())
    assert "No dated events" in timeline_svg([{"time": "PRESENT_REF", "type": "ASSAULT"}])


def test_timeline_svg_rows_and_links():
    events = [
        {"time": "2021-03-01", "type": "ASSAULT", "doc_id": "doc_1", "evidence": {"start": 3, "end": 9, "text": "x"},
         "source": {"id": "a", "name": "<b>A</b>"}, "trigger": "attacked"},
        {"time": "2021-05", "type": "AGREE", "doc_id": "doc_2", "evidence": {"start": 0, "end": 4, "text": "y"}},
        {"time": None, "type": "CONSULT", "doc_id": "doc_3"},
    ]
    svg = timeline_svg(events)
    doc = xml.dom.minidom.parseString(svg)
    labels = {t.firstChild.data for t in doc.getElementsByTagName("text") if "row-label" in t.getAttribute("class")}
    assert labels == {"ASSAULT", "AGREE"}  # undated events are not drawn
    hrefs = [a.getAttribute("href") for a in doc.getElementsByTagName("a")]
    assert hrefs == ["/documents/doc_1?focus=3-9#focus", "/documents/doc_2?focus=0-4#focus"]
    assert "<b>" not in svg
