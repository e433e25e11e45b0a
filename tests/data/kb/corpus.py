"""Build Analysis objects from the hand annotations of this folder (annotations.yaml).

Used by tests/resolve and tests/query: resolution and aggregation are tested on analyses whose
content is known, independently of the analysis stages' quality.
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from wirescope.ingest.readers import read_text_file
from wirescope.model import Analysis, Entity, Event, Relation, Span, Statement

HERE = Path(__file__).resolve().parent
ARTICLES = sorted(p.name for p in HERE.glob("*.txt"))


def _find(text: str, phrase, where: str) -> Span:
    if isinstance(phrase, list):
        phrase, nth = phrase
    else:
        nth = 1
    start = -1
    for _ in range(nth):
        start = text.find(phrase, start + 1)
    if start < 0:
        raise ValueError(f"{where}: phrase not found: {phrase!r}")
    return Span.of(text, start, start + len(phrase))


def _all(text: str, phrase: str) -> list[Span]:
    return [Span.of(text, m.start(), m.end()) for m in re.finditer(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", text)]


def analysis_of(name: str, notes: dict | None = None) -> Analysis:
    notes = notes if notes is not None else annotations()[name]
    doc = read_text_file(HERE / name)
    text = doc.text
    entities = []
    for eid, spec in (notes.get("entities") or {}).items():
        aliases = spec.get("aliases") or {}
        e = Entity(eid, spec["name"], spec["type"], anonymous=bool(spec.get("anonymous")), country=spec.get("country"))
        for alias, how in aliases.items():
            e.add_alias(alias, how)
        spans = {}
        for phrase in [spec["name"], *aliases, *(spec.get("mentions") or [])]:
            for s in _all(text, phrase) or _all(text, phrase[:1].upper() + phrase[1:]):
                spans[(s.start, s.end)] = s
        e.mentions = sorted(spans.values(), key=lambda s: s.start)
        entities.append(e)
    statements = []
    for sid, spec in (notes.get("statements") or {}).items():
        content = _find(text, spec["content"], f"{name} {sid}")
        statements.append(Statement(sid, spec.get("speaker"), spec.get("cue"), content, bool(spec.get("direct")),
                                    polarity=spec.get("polarity", "positive"),
                                    modality=spec.get("modality", "asserted")))
    relations = []
    for i, spec in enumerate(notes.get("relations") or [], 1):
        relations.append(Relation(spec["subject"], spec["type"], spec["object"],
                                  _find(text, spec["evidence"], f"{name} r{i}"),
                                  polarity=spec.get("polarity", "positive"), modality=spec.get("modality", "asserted"),
                                  statement=spec.get("statement"), time=spec.get("time"), id=f"r{i}"))
    events = []
    for i, spec in enumerate(notes.get("events") or [], 1):
        events.append(Event(spec["type"], spec["trigger"], _find(text, spec["evidence"], f"{name} v{i}"),
                            source=spec.get("source"), target=spec.get("target"), location=spec.get("location"),
                            time=spec.get("time"), mode=spec.get("mode"), id=f"v{i}"))
    return Analysis(doc, entities, statements, relations, events)


def annotations() -> dict:
    with open(HERE / "annotations.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def analyses(order: list[str] | None = None) -> list[Analysis]:
    notes = annotations()
    return [analysis_of(n, notes[n]) for n in (order or ARTICLES)]


def build(url: str, order: list[str] | None = None):
    """A knowledge base at `url` holding the annotated corpus (in `order`)."""
    from wirescope.flow import open_kb

    kb = open_kb(url)
    for a in analyses(order):
        kb.save(a)
    return kb


PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def pg_schema_url(prefix: str = "ws_kbtest") -> tuple[str, callable] | None:
    """A URL to a fresh PostgreSQL schema and a function that drops it; None without a server."""
    import os
    import uuid

    from sqlalchemy import create_engine, text

    base = os.environ.get("WIRESCOPE_TEST_PG", PG_URL)
    if base.lower() in ("", "0", "off", "none"):
        return None
    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    try:
        engine = create_engine(base)
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception:
        return None

    def drop() -> None:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()

    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}", drop
