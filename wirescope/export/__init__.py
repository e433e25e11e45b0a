"""Exports of the knowledge base: STIX 2.1, GraphML, GEXF, PLOVER JSON Lines, CSV and JSON Lines.

`EXPORTERS` is the one explicit registry: format name -> "module:Class", imported on first use so
`wirescope export --format csv` never loads stix2 or networkx.
"""
from __future__ import annotations

import importlib

from wirescope.errors import UsageError
from wirescope.export.base import ExportStats, Exporter, Filters

EXPORTERS: dict[str, str] = {
    "stix": "wirescope.export.stix:StixExporter",
    "graphml": "wirescope.export.graphml:GraphMLExporter",
    "gexf": "wirescope.export.graphml:GEXFExporter",
    "plover": "wirescope.export.plover:PloverExporter",
    "csv": "wirescope.export.csv_:CsvExporter",
    "jsonl": "wirescope.export.jsonl:JsonlExporter",
}


def get_exporter(name: str) -> Exporter:
    """A fresh exporter for a format name; unknown names raise E209 with the valid ones."""
    target = EXPORTERS.get((name or "").lower())
    if target is None:
        raise UsageError("E209", value=name, options=", ".join(EXPORTERS))
    module, cls = target.split(":")
    return getattr(importlib.import_module(module), cls)()


__all__ = ["EXPORTERS", "ExportStats", "Exporter", "Filters", "get_exporter"]
