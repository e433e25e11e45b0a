"""GraphML and GEXF: read back with networkx, same nodes, edges and attributes as the network."""
from __future__ import annotations

import networkx as nx
import pytest

from wirescope.export import Filters, get_exporter
from wirescope.export.graphml import EDGE_ATTRS, NODE_ATTRS, edge_id
from wirescope.query.graph import network
from wirescope.flow import open_kb

READERS = {
    "graphml": lambda path: nx.read_graphml(path, force_multigraph=True),
    "gexf": lambda path: nx.read_gexf(path),
}


def export_to(url: str, fmt: str, path, filters: Filters = Filters()):
    kb = open_kb(url)
    with kb.engine.connect() as conn, open(path, "w", encoding="utf-8") as fh:
        stats = get_exporter(fmt).write(conn, fh, filters)
    with kb.engine.connect() as conn:
        source = network(conn, min_sources=filters.min_sources,
                         types=[t for t in filters.types] or None)
    kb.close()
    return stats, source


def edges_of(graph) -> dict[tuple[str, str, str], dict]:
    out = {}
    for u, v, data in graph.edges(data=True):
        out[(u, v, data["relation"])] = data
    return out


@pytest.fixture(scope="module", params=sorted(READERS))
def read_back(request, kb_url, tmp_path_factory):
    fmt = request.param
    path = tmp_path_factory.mktemp(fmt) / f"graph.{fmt}"
    stats, source = export_to(kb_url, fmt, path)
    return fmt, READERS[fmt](str(path)), source, stats


def test_same_nodes_and_edges(read_back):
    fmt, graph, source, stats = read_back
    assert set(graph.nodes) == set(source.nodes)
    assert set(edges_of(graph)) == {(u, v, k) for u, v, k in source.edges(keys=True)}
    assert graph.number_of_edges() == source.number_of_edges() == stats.counts["edges"]
    assert graph.is_directed()


def test_node_attributes_round_trip(read_back):
    fmt, graph, source, _ = read_back
    for node, data in source.nodes(data=True):
        back = graph.nodes[node]
        assert back["name"] == data["name"]
        assert back["type"] == data["type"]
        assert back["subtype"] == (data["subtype"] or "")  # None is written as ""
        assert back["anonymous"] is bool(data["anonymous"])
        assert back["documents"] == data["documents"]
        assert back["label"] == data["name"]


def test_edge_attributes_round_trip(read_back):
    fmt, graph, source, _ = read_back
    back = edges_of(graph)
    for u, v, key, data in source.edges(keys=True, data=True):
        edge = back[(u, v, key)]
        assert edge["polarity"] == data["polarity"]
        assert edge["support"] == data["support"]
        assert edge["against"] == data["against"]
        assert edge["independent_sources"] == data["independent_sources"]
        assert edge["first_seen"] == (data["first_seen"] or "")
        assert edge["last_seen"] == (data["last_seen"] or "")
        assert edge["confidence"] == pytest.approx(data["confidence"])
        assert float(edge.get("weight", 0)) == max(data["independent_sources"], 1)


def test_attribute_types_are_what_gephi_reads(read_back):
    fmt, graph, _, _ = read_back
    for _, data in graph.nodes(data=True):
        for key, kind in NODE_ATTRS.items():
            assert isinstance(data[key], kind), (key, data[key])
    for _, _, data in graph.edges(data=True):
        for key in ("relation", "polarity", "first_seen", "last_seen"):
            assert isinstance(data[key], str)
        for key in ("support", "against", "independent_sources"):
            assert isinstance(data[key], int)


def test_edge_ids_are_unique_and_stable(kb_url, tmp_path):
    paths = [tmp_path / "a.graphml", tmp_path / "b.graphml"]
    for p in paths:
        export_to(kb_url, "graphml", p)
    assert paths[0].read_text() == paths[1].read_text()
    graph = READERS["graphml"](str(paths[0]))
    keys = [k for _, _, k in graph.edges(keys=True)]
    assert len(keys) == len(set(keys))
    assert all(k == edge_id(u, v, graph.edges[u, v, k]["relation"]) for u, v, k in graph.edges(keys=True))


@pytest.mark.parametrize("fmt", sorted(READERS))
@pytest.mark.parametrize("filters,relations", [
    (Filters(types=("operates_in",)), {"operates_in"}),
    (Filters(min_sources=2), {"allied_with", "leader_of"}),
])
def test_filters_reach_the_graph(kb_url, tmp_path, fmt, filters, relations):
    path = tmp_path / f"g.{fmt}"
    export_to(kb_url, fmt, path, filters)
    graph = READERS[fmt](str(path))
    assert {d["relation"] for _, _, d in graph.edges(data=True)} == relations


def test_none_and_lists_are_coerced():
    from wirescope.export.graphml import coerce

    assert [coerce(None, str), coerce(None, int), coerce(None, float), coerce(None, bool)] == ["", 0, 0.0, False]
    assert coerce([1, 2, 3], int) == 3
    assert coerce(["a"], str) == '["a"]'
    assert coerce("x", int) == 0
    assert set(EDGE_ATTRS) >= {"relation", "independent_sources", "first_seen", "last_seen"}

