"""PLOVER gold-standard records (CAMEO manual sentences recoded to PLOVER): loader and scorer.

The records (shared/data/plover-gsr-cameo) carry one event per sentence: the PLOVER category
(18 older categories, folded into the contract's 16 by vocab.to_contract_type), the event text and
the source/target actor texts. Scores per sentence:
- type accuracy: the gold type is among the types of the events predicted for the sentence;
- source match: some predicted event (of the gold type when there is one, else any) has a source
  entity with a mention overlapping an occurrence of a gold source actorText in the sentence.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from wirescope.analyse.vocab import to_contract_type

def default_path() -> Path:
    """PLOVER GSR dev under the shared folder (WIRESCOPE_SHARED, else ../shared beside the checkout)."""
    from wirescope.settings import Environment

    shared = Environment.read().shared or Path(__file__).resolve().parents[3] / "shared"
    return Path(shared) / "data" / "plover-gsr-cameo" / "plover_gsr_cameo.dev.json"


@dataclass
class PloverRecord:
    id: str
    text: str
    category: str                 # as coded in the record (FIGHT, DEMAND, ...)
    type: str | None              # the contract's category
    mode: str | None = None
    date: str | None = None
    sources: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    event_text: str | None = None


def _actor_texts(value: Any) -> list[str]:
    if not value or not isinstance(value, list):
        return []
    return [str(a.get("actorText", "")).strip() for a in value if isinstance(a, dict) and a.get("actorText")]


def load_records(path: str | Path | None = None) -> list[PloverRecord]:
    """The event records of a PLOVER GSR JSON file (the DOCUMENT record is skipped)."""
    data = json.loads(Path(path or default_path()).read_text(encoding="utf-8"))
    out = []
    for r in data:
        cat = str(r.get("event", ""))
        if cat == "DOCUMENT" or not r.get("text"):
            continue
        out.append(PloverRecord(id=r.get("id", ""), text=r["text"], category=cat, type=to_contract_type(cat),
                                mode=r.get("mode") or None, date=r.get("date"), sources=_actor_texts(r.get("source")),
                                targets=_actor_texts(r.get("target")), event_text=r.get("eventText")))
    return out


def actor_spans(text: str, actor_text: str) -> list[tuple[int, int]]:
    """Where an actorText occurs in the sentence; "U.S. ... negotiators" gives each piece."""
    spans = []
    for piece in [p.strip(" .") for p in actor_text.replace("..", "\u2026").split("\u2026")]:
        if len(piece) < 2:
            continue
        start = text.find(piece)
        while start != -1:
            spans.append((start, start + len(piece)))
            start = text.find(piece, start + 1)
    return spans


def _mentions(analysis: Any, entity_id: str | None) -> list[tuple[int, int]]:
    for e in getattr(analysis, "entities", []):
        if e.id == entity_id:
            return [(m.start, m.end) for m in e.mentions]
    return []


def score_record(record: PloverRecord, analysis: Any) -> dict[str, bool]:
    events = list(getattr(analysis, "events", []))
    types = {e.type for e in events}
    type_ok = record.type in types
    pool = [e for e in events if e.type == record.type] or events
    gold = [s for a in record.sources for s in actor_spans(record.text, a)]
    source_ok = False
    for e in pool:
        for (ms, me) in _mentions(analysis, e.source):
            if any(ms < ge and gs < me for gs, ge in gold):
                source_ok = True
    return {"type": type_ok, "source": source_ok, "any_event": bool(events)}


def score(records: Iterable[PloverRecord], analyses: Iterable[Any]) -> dict[str, Any]:
    """Event-type accuracy and source-actor match over the records, with per-type counts."""
    n = type_ok = source_ok = with_event = 0
    per_type: dict[str, Counter] = {}
    for rec, an in zip(records, analyses):
        s = score_record(rec, an)
        n += 1
        type_ok += s["type"]
        source_ok += s["source"]
        with_event += s["any_event"]
        c = per_type.setdefault(rec.type or "?", Counter())
        c["n"] += 1
        c["type"] += s["type"]
        c["source"] += s["source"]
    return {
        "records": n,
        "type_accuracy": type_ok / n if n else 0.0,
        "source_match": source_ok / n if n else 0.0,
        "with_event": with_event / n if n else 0.0,
        "per_type": {k: dict(v) for k, v in sorted(per_type.items())},
    }
