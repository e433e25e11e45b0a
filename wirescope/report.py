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
    """The most-mentioned actors and the best-supported relations of a knowledge base."""
    from sqlalchemy import func, select

    from wirescope.store import schema as S
    from wirescope.store.kb import KnowledgeBase

    kb = KnowledgeBase(db_url)
    with kb.engine.connect() as conn:
        rows = conn.execute(
            select(S.kb_entities.c.name, S.kb_entities.c.type, func.count(func.distinct(S.doc_entities.c.doc_id)))
            .join(S.doc_entities, S.doc_entities.c.kb_entity == S.kb_entities.c.id)
            .where(S.kb_entities.c.anonymous.is_(False))
            .group_by(S.kb_entities.c.id, S.kb_entities.c.name, S.kb_entities.c.type)
            .order_by(func.count(func.distinct(S.doc_entities.c.doc_id)).desc(), S.kb_entities.c.name).limit(limit)
        ).all()
        actors = Table(title="Actors across articles", title_justify="left")
        for col in ("actor", "type", "articles"):
            actors.add_column(col)
        for name, kind, n in rows:
            actors.add_row(name, kind, str(n))
        console.print(actors)
        subj, obj = S.kb_entities.alias("subj"), S.kb_entities.alias("obj")
        rows = conn.execute(
            select(subj.c.name, S.relations.c.type, obj.c.name, S.relations.c.polarity,
                   func.count(func.distinct(S.relations.c.doc_id)))
            .join(subj, subj.c.id == S.relations.c.subject_kb).join(obj, obj.c.id == S.relations.c.object_kb)
            .group_by(subj.c.name, S.relations.c.type, obj.c.name, S.relations.c.polarity)
            .order_by(func.count(func.distinct(S.relations.c.doc_id)).desc(), subj.c.name).limit(limit)
        ).all()
        if rows:
            rel = Table(title="Relations across articles", title_justify="left")
            for col in ("subject", "relation", "object", "polarity", "articles"):
                rel.add_column(col)
            for s, t, o, p, n in rows:
                rel.add_row(s, t, o, p, str(n))
            console.print(rel)
    kb.close()
