"""Write one Analysis inside an open transaction (called only from KnowledgeBase.save), calling the
write hooks the flow passed in where resolution, syndication and indexing belong."""
from __future__ import annotations

from sqlalchemy import insert
from sqlalchemy.engine import Connection

from wirescope.model import Analysis
from wirescope.store import schema as S
from wirescope.store.bulk import insert_rows
from wirescope.store.timeplace import rows_for, time_rows


def write_analysis(conn: Connection, analysis: Analysis, hooks) -> str | None:
    doc = analysis.document
    duplicate_of, similarity, signature = hooks.syndication(conn, analysis)
    conn.execute(insert(S.documents).values(
        id=doc.id, text=doc.text, title=doc.title, url=doc.url, outlet=doc.outlet, published=doc.published,
        dateline=doc.dateline, source=doc.source, duplicate_of=duplicate_of, similarity=similarity,
        minhash=signature, versions=analysis.versions, warnings=analysis.warnings,
    ))
    kb_of: dict[str, str] = {}
    entity_rows, mention_rows = [], []
    kb_ids: list[str] = []
    try:
        for entity in analysis.entities:
            kb_ids.append(hooks.resolve(conn, entity, doc.id))
    except BaseException:
        hooks.end_resolution(conn, True)  # its rows go with the rolled-back transaction
        raise
    for entity, kb_id in zip(analysis.entities, kb_ids):
        kb_of[entity.id] = kb_id
        entity_rows.append(dict(
            doc_id=doc.id, local_id=entity.id, kb_entity=kb_id, name=entity.name, type=entity.type,
            subtype=entity.subtype, anonymous=entity.anonymous, aliases=list(entity.aliases),
            descriptor=entity.descriptor, country=entity.country, geo=getattr(entity, "geo", None),
        ))
        mention_rows.extend(dict(doc_id=doc.id, entity=entity.id, start=m.start, end=m.end, text=m.text)
                            for m in entity.mentions)
    hooks.end_resolution(conn, False)
    if entity_rows:
        insert_rows(conn, S.doc_entities, entity_rows)
    if mention_rows:
        insert_rows(conn, S.mentions, mention_rows)
    if analysis.statements:
        insert_rows(conn, S.statements, [dict(
            doc_id=doc.id, local_id=s.id, speaker=s.speaker, cue=s.cue, start=s.content.start, end=s.content.end,
            content=s.content.text, direct=s.direct, via=s.via, parent=s.parent, polarity=s.polarity,
            modality=s.modality, kind=s.kind,
        ) for s in analysis.statements])
    rel_rows = [dict(
        doc_id=doc.id, local_id=r.id, subject=r.subject, type=r.type, object=r.object,
        subject_kb=kb_of[r.subject], object_kb=kb_of[r.object], polarity=r.polarity, modality=r.modality,
        statement=r.statement, start=r.evidence.start, end=r.evidence.end, evidence=r.evidence.text,
        trigger=r.trigger, time=r.time,
    ) for r in analysis.relations if r.subject in kb_of and r.object in kb_of]
    if rel_rows:
        insert_rows(conn, S.relations, rel_rows)
    if analysis.events:
        event_rows = [dict(
            doc_id=doc.id, local_id=e.id, type=e.type, mode=e.mode, trigger=e.trigger, source=e.source,
            target=e.target, location=e.location, source_kb=kb_of.get(e.source or ""),
            target_kb=kb_of.get(e.target or ""), location_kb=kb_of.get(e.location or ""), time=e.time,
            polarity=e.polarity, statement=e.statement, start=e.evidence.start, end=e.evidence.end,
            evidence=e.evidence.text,
        ) for e in analysis.events]
        insert_rows(conn, S.events, event_rows)
        # the intervals events span come from the analysis's own time expressions (never re-read)
        insert_rows(conn, S.event_times, rows_for(doc.id, doc.published, event_rows, times=analysis.times))
    if analysis.times:
        insert_rows(conn, S.times, time_rows(doc.id, analysis.times))
    hooks.after_write(conn, doc.id)
    return duplicate_of

