"""Readable renderings for the terminal: one analysed document, a knowledge base summary."""
from __future__ import annotations

from rich.console import Console
from rich.table import Table

from wirescope.model import Analysis


def _short(text: str, width: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def render_report(analysis: Analysis, console: Console) -> None:
    doc = analysis.document
    names = {e.id: e.name for e in analysis.entities}
    head = doc.title or doc.source or doc.id
    console.rule(f"{head}", characters="=")
    console.print(f"id {doc.id}   published {doc.published or 'unknown'}   dateline {doc.dateline or '-'}"
                  f"   outlet {doc.outlet or '-'}", markup=False)

    actors = Table(title="Actors", show_lines=False, title_justify="left")
    for col in ("id", "name", "type", "also called", "mentions"):
        actors.add_column(col)
    for e in analysis.entities:
        kind = e.type + (f"/{e.subtype}" if e.subtype else "") + (" (anonymous)" if e.anonymous else "")
        actors.add_row(e.id, e.name, kind, _short(", ".join(e.aliases), 50), str(len(e.mentions)))
    console.print(actors)

    if analysis.statements:
        said = Table(title="Who said what", title_justify="left")
        for col in ("id", "speaker", "cue", "via", "what", "how"):
            said.add_column(col)
        for s in analysis.statements:
            how = ("direct" if s.direct else "indirect") + ("" if s.polarity == "positive" else ", negative") \
                + ("" if s.modality == "asserted" else f", {s.modality}") + (f", inside {s.parent}" if s.parent else "")
            said.add_row(s.id, names.get(s.speaker or "", "?"), s.cue or "", names.get(s.via or "", ""),
                         _short(s.content.text, 70), how)
        console.print(said)

    if analysis.relations:
        rel = Table(title="Relations", title_justify="left")
        for col in ("subject", "relation", "object", "polarity", "on the word of", "evidence"):
            rel.add_column(col)
        speakers = {s.id: names.get(s.speaker or "", "?") for s in analysis.statements}
        for r in analysis.relations:
            rel.add_row(names.get(r.subject, r.subject), r.type, names.get(r.object, r.object),
                        r.polarity + ("" if r.modality == "asserted" else f" ({r.modality})"),
                        speakers.get(r.statement or "", "the article"), _short(r.evidence.text, 60))
        console.print(rel)

    if analysis.events:
        ev = Table(title="Events (PLOVER)", title_justify="left")
        for col in ("type", "mode", "trigger", "source", "target", "where", "when"):
            ev.add_column(col)
        for e in analysis.events:
            ev.add_row(e.type + ("" if e.polarity == "positive" else " (negated)"), e.mode or "", e.trigger,
                       names.get(e.source or "", ""), names.get(e.target or "", ""), names.get(e.location or "", ""),
                       e.time or "")
        console.print(ev)

    if analysis.times:
        tm = Table(title="Times", title_justify="left")
        for col in ("text", "type", "value"):
            tm.add_column(col)
        for t in analysis.times:
            tm.add_row(t.text, t.type, t.value or "")
        console.print(tm)
    for w in analysis.warnings:
        console.print(f"warning: {w}", markup=False)


def render_kb_summary(db_url: str, console: Console, limit: int = 12) -> None:
    """The most-reported actors and the best-supported relations of a knowledge base."""
    from wirescope.query.summary import top_actors, top_relations
    from wirescope.flow import open_kb

    kb = open_kb(db_url)
    with kb.engine.connect() as conn:
        actors = Table(title="Actors across articles", title_justify="left")
        for col in ("actor", "type", "articles"):
            actors.add_column(col)
        for row in top_actors(conn, limit):
            actors.add_row(row["name"], row["type"], str(row["documents"]))
        console.print(actors)
        rows = top_relations(conn, limit)
        if rows:
            rel = Table(title="Relations across articles (for / against, independent sources)", title_justify="left")
            for col in ("subject", "relation", "object", "for", "against", "sources", "confidence"):
                rel.add_column(col)
            for r in rows:
                arrow = "<->" if r.get("symmetric") else "->"
                rel.add_row(r["subject"]["name"], f"{arrow} {r['type']} {arrow}", r["object"]["name"],
                            str(len(r["support"])), str(len(r["against"])), str(r["independent_sources"]),
                            f"{r['confidence']:.2f}")
            console.print(rel)
    kb.close()
