"""Highlight a document's layers in place, overlapping spans included.

The text is cut at every span boundary; each piece is escaped and wrapped in one element that
names every span covering it (classes per layer, ids in data-ids). Pieces never nest, so any
overlap renders as well-formed HTML. A piece inside an actor mention links to that actor (the
shortest covering mention wins when mentions overlap).
"""
from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any, Iterable

from markupsafe import Markup

LAYERS = ("entity", "statement", "relation", "event", "time", "focus")


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    layer: str  # one of LAYERS
    id: str  # local id (e1, s2, ...) or "focus"
    href: str | None = None  # where a click goes (actors only)
    kind: str | None = None  # entity type, relation type, event type, ...


def marks_of(doc: dict[str, Any], actor_href) -> list[Mark]:
    """Every span of a get_document() result as a Mark, dropping spans outside the text."""
    n = len(doc.get("text") or "")
    marks: list[Mark] = []

    def add(start, end, layer, id_, href=None, kind=None):
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= n:
            marks.append(Mark(start, end, layer, str(id_), href, kind))

    for e in doc.get("entities", []):
        href = actor_href(e["kb_id"]) if e.get("kb_id") else None
        for m in e.get("mentions", []):
            add(m["start"], m["end"], "entity", e["id"], href, e.get("type"))
    for s in doc.get("statements", []):
        add(s["content"]["start"], s["content"]["end"], "statement", s["id"], None, s.get("polarity"))
    for r in doc.get("relations", []):
        add(r["evidence"]["start"], r["evidence"]["end"], "relation", r["id"], None, r.get("type"))
    for v in doc.get("events", []):
        add(v["evidence"]["start"], v["evidence"]["end"], "event", v["id"], None, v.get("type"))
    for t in doc.get("times", []):
        add(t["start"], t["end"], "time", t["id"], None, t.get("type"))
    return marks


def highlight(text: str, marks: Iterable[Mark]) -> Markup:
    """HTML of `text` with every mark applied; all text is escaped."""
    marks = [m for m in marks if 0 <= m.start < m.end <= len(text)]
    if not marks:
        return Markup(escape(text, quote=False))
    bounds = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    starts: dict[int, list[Mark]] = {}
    ends: dict[int, list[Mark]] = {}
    for m in marks:
        starts.setdefault(m.start, []).append(m)
        ends.setdefault(m.end, []).append(m)
    active: dict[int, Mark] = {}  # id(mark) -> mark, in order of opening
    out: list[str] = []
    focus_done = False
    for a, b in zip(bounds, bounds[1:]):
        for m in ends.get(a, ()):
            active.pop(id(m), None)
        for m in starts.get(a, ()):
            active[id(m)] = m
        piece = escape(text[a:b], quote=False)
        if not active:
            out.append(piece)
            continue
        covering = list(active.values())
        layers = sorted({m.layer for m in covering}, key=LAYERS.index)
        classes = ["hl", *(f"hl-{layer}" for layer in layers)]
        classes += sorted({f"{m.layer}-{_kind(m.kind)}" for m in covering if m.kind and m.layer in ("entity", "event", "relation")})
        ids = " ".join(sorted({m.id for m in covering if m.layer != "focus"}))
        attrs = f' class="{escape(" ".join(classes))}" data-ids="{escape(ids)}"'
        if "focus" in layers and not focus_done:
            attrs += ' id="focus"'
            focus_done = True
        links = [m for m in covering if m.layer == "entity" and m.href]
        if links:
            link = min(links, key=lambda m: (m.end - m.start, m.start))
            out.append(f'<a href="{escape(link.href)}"{attrs}>{piece}</a>')
        else:
            out.append(f"<span{attrs}>{piece}</span>")
    return Markup("".join(out))


def _kind(kind: str) -> str:
    return "".join(c if c.isalnum() or c in "_-" else "-" for c in str(kind).lower())[:32]
