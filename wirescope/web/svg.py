"""Server-side pictures: the relation network and the event timeline as SVG, no JavaScript needed.

Every piece of text that reaches the SVG (actor names, triggers, ids in links) is escaped here;
the result is safe to inline in a page. Layouts are deterministic (a fixed seed), so the same
knowledge base always draws the same picture.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter, defaultdict
from html import escape
from typing import Any, Iterable
from urllib.parse import quote

import networkx as nx

# presentation only: one colour per relation type and per actor type (CSS can override by class)
RELATION_COLOURS = {
    "member_of": "#4e79a7", "leader_of": "#f28e2b", "allied_with": "#59a14f", "harbors": "#e15759",
    "funds": "#b07aa1", "trains": "#9c755f", "supplies": "#edc948", "kin_of": "#ff9da7",
    "attacks": "#c0392b", "agreement_with": "#76b7b2", "rival_of": "#8c564b", "operates_in": "#7f7f7f",
    "other": "#bab0ac",
}
ACTOR_COLOURS = {"person": "#4e79a7", "organization": "#e15759", "group": "#f28e2b", "location": "#59a14f",
                 "other": "#9c9c9c"}
_CLASS_SAFE = re.compile(r"[^a-z0-9_-]+")


def _e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def _cls(value: Any) -> str:
    return _CLASS_SAFE.sub("-", str(value or "other").lower())[:40]


def _count(value: Any) -> int:
    if isinstance(value, (list, tuple, set)):
        return len(value)
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def actor_href(kb_id: str) -> str:
    return "/actors/" + quote(str(kb_id), safe="")


def relation_href(subject: str, type_: str, obj: str) -> str:
    return "/relations/" + "/".join(quote(str(p), safe="") for p in (subject, type_, obj))


def _empty(width: int, height: int, message: str, label: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="picture empty" role="img" aria-label="{_e(label)}" '
            f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">'
            f'<text x="{width // 2}" y="{height // 2}" text-anchor="middle" class="empty-note">{_e(message)}</text></svg>')


# ---- network --------------------------------------------------------------------------------------
def _trim(graph: nx.MultiDiGraph, max_nodes: int) -> nx.MultiDiGraph:
    if graph.number_of_nodes() <= max_nodes:
        return graph
    weight = Counter()
    for u, v, data in graph.edges(data=True):
        w = 1 + _count(data.get("independent_sources"))
        weight[u] += w
        weight[v] += w
    keep = sorted(graph.nodes, key=lambda n: (-weight[n], str(n)))[:max_nodes]
    return graph.subgraph(keep).copy()


def layout(graph: nx.MultiDiGraph, width: int, height: int, seed: int = 7, margin: int = 60
           ) -> dict[Any, tuple[float, float]]:
    """Node positions in pixels: networkx spring layout with a fixed seed, scaled into the box."""
    if graph.number_of_nodes() == 0:
        return {}
    simple = nx.Graph()
    simple.add_nodes_from(sorted(graph.nodes, key=str))
    simple.add_edges_from((u, v) for u, v in graph.edges() if u != v)
    if simple.number_of_nodes() == 1:
        only = next(iter(simple.nodes))
        return {only: (width / 2, height / 2)}
    k = 1.6 / math.sqrt(simple.number_of_nodes())
    pos = nx.spring_layout(simple, seed=seed, k=k, iterations=80)
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    sx = (width - 2 * margin) / ((x1 - x0) or 1)
    sy = (height - 2 * margin) / ((y1 - y0) or 1)
    return {n: (margin + (p[0] - x0) * sx, margin + (p[1] - y0) * sy) for n, p in pos.items()}


def network_svg(graph: nx.MultiDiGraph, width: int = 960, height: int = 640, seed: int = 7,
                max_nodes: int = 150, focus: str | None = None) -> str:
    """Actors as nodes (sized by documents, coloured by type), typed relations as arrows
    (width by independent sources, dashed when the reports mostly deny it). Nodes link to actor
    pages, edges to the relation's evidence."""
    if graph is None or graph.number_of_nodes() == 0:
        return _empty(width, 120, "No relations match these filters.", "relation network (empty)")
    graph = _trim(graph, max_nodes)
    pos = layout(graph, width, height, seed=seed)
    docs = {n: _count(graph.nodes[n].get("documents")) for n in graph.nodes}
    radius = {n: 6 + min(14, 3 * math.sqrt(docs[n] or 1)) for n in graph.nodes}
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="picture network" role="img" '
           f'aria-label="relation network" viewBox="0 0 {width} {height}" width="{width}" height="{height}">', "<defs>"]
    for rtype, colour in RELATION_COLOURS.items():
        out.append(f'<marker id="arrow-{_cls(rtype)}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
                   f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>')
    out.append("</defs><g class=\"edges\">")
    parallel: dict[tuple, int] = defaultdict(int)
    for u, v, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2]))):
        rtype = str(data.get("type") or key or "other")
        pair = tuple(sorted((str(u), str(v))))
        index = parallel[pair]
        parallel[pair] += 1
        out.append(_edge(u, v, rtype, data, pos, radius, index, graph))
    out.append('</g><g class="nodes">')
    for n in sorted(graph.nodes, key=str):
        attrs = graph.nodes[n]
        x, y = pos[n]
        name = attrs.get("name") or n
        kind = _cls(attrs.get("type"))
        label = name if len(str(name)) <= 28 else str(name)[:27] + "…"
        fill = ACTOR_COLOURS.get(str(attrs.get("type")), ACTOR_COLOURS["other"])
        focus_cls = " focus" if focus and str(n) == str(focus) else ""
        anon = " anonymous" if attrs.get("anonymous") else ""
        out.append(
            f'<a href="{_e(actor_href(n))}" class="node-link"><g class="node type-{kind}{focus_cls}{anon}" '
            f'data-id="{_e(n)}"><title>{_e(name)} ({_e(attrs.get("type") or "actor")}, '
            f'{docs[n]} document{"s" if docs[n] != 1 else ""})</title>'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius[n]:.1f}" fill="{fill}"/>'
            f'<text x="{x:.1f}" y="{y + radius[n] + 12:.1f}" text-anchor="middle">{_e(label)}</text></g></a>')
    out.append("</g></svg>")
    return "".join(out)


def _edge(u, v, rtype: str, data: dict, pos, radius, index: int, graph) -> str:
    (x1, y1), (x2, y2) = pos[u], pos[v]
    support, against = _count(data.get("support")), _count(data.get("against"))
    sources = _count(data.get("independent_sources"))
    colour = RELATION_COLOURS.get(rtype, RELATION_COLOURS["other"])
    negative = against > support or (support == 0 and data.get("polarity") == "negative")
    width = 1.2 + min(5.0, 0.9 * sources)
    name_u = graph.nodes[u].get("name") or u
    name_v = graph.nodes[v].get("name") or v
    title = (f"{name_u} {rtype.replace('_', ' ')} {name_v}: {support} supporting, {against} contradicting, "
             f"{sources} independent source{'s' if sources != 1 else ''}")
    cls = f"edge rel-{_cls(rtype)}" + (" negative" if negative else "")
    if u == v:  # a loop: a small circle above the node
        r = radius[u]
        d = (f"M{x1 - r * 0.6:.1f},{y1 - r * 0.8:.1f} C{x1 - r * 2.5:.1f},{y1 - r * 3.5:.1f} "
             f"{x1 + r * 2.5:.1f},{y1 - r * 3.5:.1f} {x1 + r * 0.6:.1f},{y1 - r * 0.8:.1f}")
    else:
        dx, dy = x2 - x1, y2 - y1
        dist = math.hypot(dx, dy) or 1.0
        # parallel edges bend alternately to each side, further for each extra one
        bend = 0.0 if index == 0 else (18.0 * ((index + 1) // 2)) * (1 if index % 2 else -1)
        if str(u) > str(v):
            bend = -bend
        mx, my = (x1 + x2) / 2 - dy / dist * bend, (y1 + y2) / 2 + dx / dist * bend
        # start and end on the circles' rims, aimed at the control point
        a1 = math.atan2(my - y1, mx - x1)
        a2 = math.atan2(my - y2, mx - x2)
        sx, sy = x1 + math.cos(a1) * radius[u], y1 + math.sin(a1) * radius[u]
        ex, ey = x2 + math.cos(a2) * (radius[v] + 2), y2 + math.sin(a2) * (radius[v] + 2)
        d = f"M{sx:.1f},{sy:.1f} Q{mx:.1f},{my:.1f} {ex:.1f},{ey:.1f}"
    dash = ' stroke-dasharray="6 4"' if negative else ""
    return (f'<a href="{_e(relation_href(u, rtype, v))}" class="edge-link"><g class="{cls}" data-type="{_e(rtype)}" '
            f'data-source="{_e(u)}" data-target="{_e(v)}"><title>{_e(title)}</title>'
            f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="{width:.1f}"{dash} '
            f'marker-end="url(#arrow-{_cls(rtype) if rtype in RELATION_COLOURS else "other"})"/></g></a>')


# ---- timeline -------------------------------------------------------------------------------------
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])")
_SEASON = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
_HALF = re.compile(r"^(\d{4})-H([12])")


def time_point(value: str | None) -> dt.date | None:
    """The first day a normalised (TIMEX3-style) value names: 2021-03-20, 2021-03, 2021, 2021-W11,
    2021-Q1, 2021-H2, 2021-SU; None for values without a calendar anchor (PRESENT_REF, P3D, ...)."""
    if not value:
        return None
    value = str(value).strip()
    try:
        m = _WEEK.match(value)
        if m:
            return dt.date.fromisocalendar(int(m.group(1)), max(1, min(53, int(m.group(2)))), 1)
        m = _QUARTER.match(value)
        if m:
            return dt.date(int(m.group(1)), 3 * (int(m.group(2)) - 1) + 1, 1)
        m = _HALF.match(value)
        if m:
            return dt.date(int(m.group(1)), 1 if m.group(2) == "1" else 7, 1)
        if len(value) >= 7 and value[4] == "-" and value[5:7] in _SEASON:
            return dt.date(int(value[:4]), _SEASON[value[5:7]], 1)
        m = _DATE.match(value)
        if m:
            return dt.date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        return None
    return None


def _ticks(first: dt.date, last: dt.date) -> list[tuple[dt.date, str]]:
    days = (last - first).days
    ticks: list[tuple[dt.date, str]] = []
    if days > 365 * 3:
        for year in range(first.year, last.year + 2):
            ticks.append((dt.date(year, 1, 1), str(year)))
    elif days > 62:
        y, m = first.year, first.month
        step = 1 if days <= 400 else 3
        while dt.date(y, m, 1) <= last + dt.timedelta(days=31):
            ticks.append((dt.date(y, m, 1), dt.date(y, m, 1).strftime("%b %Y")))
            m += step
            while m > 12:
                m -= 12
                y += 1
    else:
        step = max(1, days // 8 or 1)
        day = first
        while day <= last:
            ticks.append((day, day.isoformat()))
            day += dt.timedelta(days=step)
    return [(d, label) for d, label in ticks if first - dt.timedelta(days=1) <= d <= last + dt.timedelta(days=1)]


def _evidence_of(event: dict) -> tuple[str, int | None, int | None]:
    ev = event.get("evidence")
    if isinstance(ev, dict):
        return str(ev.get("text") or ""), ev.get("start"), ev.get("end")
    return str(ev or ""), None, None


def document_href(doc_id: str, start: int | None = None, end: int | None = None) -> str:
    href = "/documents/" + quote(str(doc_id), safe="")
    if isinstance(start, int) and isinstance(end, int):
        href += f"?focus={start}-{end}#focus"
    return href


def _name(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("name") or value.get("id") or "")
    return str(value or "")


def timeline_svg(events: Iterable[dict], width: int = 960, row_height: int = 30) -> str:
    """Events by normalised time: one row per event type, one dot per event (click: its evidence)."""
    dated = [(time_point(e.get("time")), e) for e in events]
    dated = [(d, e) for d, e in dated if d is not None]
    if not dated:
        return _empty(width, 80, "No dated events to draw.", "event timeline (empty)")
    dated.sort(key=lambda p: (p[0], str(p[1].get("type"))))
    rows = sorted({str(e.get("type") or "?") for _, e in dated})
    left, right, top = 110, 30, 20
    height = top + len(rows) * row_height + 50
    first, last = dated[0][0], dated[-1][0]
    pad = max(1, (last - first).days // 20)
    first, last = first - dt.timedelta(days=pad), last + dt.timedelta(days=pad)
    span = max(1, (last - first).days)

    def x_of(day: dt.date) -> float:
        return left + (day - first).days / span * (width - left - right)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="picture timeline" role="img" aria-label="event timeline" '
           f'viewBox="0 0 {width} {height}" width="{width}" height="{height}"><g class="rows">']
    for i, row in enumerate(rows):
        y = top + i * row_height + row_height / 2
        out.append(f'<line class="row-line" x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}"/>'
                   f'<text class="row-label" x="{left - 8}" y="{y + 4:.1f}" text-anchor="end">{_e(row)}</text>')
    axis_y = top + len(rows) * row_height + 6
    out.append(f'</g><g class="axis"><line x1="{left}" x2="{width - right}" y1="{axis_y}" y2="{axis_y}"/>')
    for day, label in _ticks(first, last):
        x = x_of(day)
        out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{axis_y}" y2="{axis_y + 5}"/>'
                   f'<text x="{x:.1f}" y="{axis_y + 18}" text-anchor="middle">{_e(label)}</text>')
    out.append('</g><g class="events">')
    stacked: Counter = Counter()
    for day, event in dated:
        row = rows.index(str(event.get("type") or "?"))
        x = x_of(day)
        slot = (row, round(x / 6))
        shift = stacked[slot]
        stacked[slot] += 1
        y = top + row * row_height + row_height / 2 + (shift % 3 - 1) * 7 * (1 if shift else 0)
        text, start, end = _evidence_of(event)
        who = " → ".join(p for p in (_name(event.get("source")), _name(event.get("target"))) if p)
        where = _name(event.get("location"))
        title = (f"{event.get('time')} {event.get('type')}: {who or 'unknown actors'}"
                 f"{' in ' + where if where else ''} ({event.get('trigger') or ''}). {text[:200]}")
        negative = " negative" if event.get("polarity") == "negative" else ""
        href = document_href(event.get("doc_id") or "", start, end) if event.get("doc_id") else "#"
        out.append(f'<a href="{_e(href)}" class="event-link"><g class="event type-{_cls(event.get("type"))}{negative}">'
                   f'<title>{_e(title)}</title><circle cx="{x:.1f}" cy="{y:.1f}" r="5"/></g></a>')
    out.append("</g></svg>")
    return "".join(out)
