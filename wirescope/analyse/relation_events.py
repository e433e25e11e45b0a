"""Relations read off events: the source (or an armed target) of an ASSAULT/MOBILIZE/RETREAT/COERCE
event placed somewhere operates in that place; the source of an ASSAULT reported as having happened
attacks its target. Run by the events stage on the events it has just read, so that the event
extraction runs once per document."""
from __future__ import annotations

from wirescope.analyse.context import Context
from wirescope.analyse.relation_ties import tie_words
from wirescope.analyse.vocab import relation_lexicon
from wirescope.model import Relation


def operates_in_from_events(ctx: Context, events) -> None:
    lex = relation_lexicon()
    placed = tie_words().placed
    seen = {(r.evidence.start, r.subject, r.type, r.object, r.polarity) for r in ctx.relations}
    added = False
    for ev in events:
        if ev.type not in lex.from_events or not ev.location or ev.polarity != "positive":
            continue
        if ev.modality != "asserted":
            continue
        loc = ctx.entity(ev.location)
        if loc is None or not loc.country:
            continue  # a place the gazetteer cannot put on a map ("4:00 A.M.") is no place to operate in
        for role in (ev.target, ev.source):
            actor = ctx.entity(role)
            if actor is None or loc is None or actor.type == "location":
                continue
            if role == ev.target and actor.subtype not in placed or ev.location in (ev.target, ev.source):
                continue  # a victim killed in X, a man arrested in Y: no presence; armed forces hit there: yes
            start = ev.evidence.start
            if (start, actor.id, "operates_in", loc.id, "positive") in seen:
                continue
            seen.add((start, actor.id, "operates_in", loc.id, "positive"))
            stmt = ctx.statement_covering(ev.trigger_span.start, ev.trigger_span.end) if ev.trigger_span else None
            added = True
            ctx.relations.append(Relation(
                subject=actor.id, type="operates_in", object=loc.id, evidence=ev.evidence,
                polarity="positive", modality="asserted", statement=stmt.id if stmt else None,
                trigger=ev.trigger, time=ev.time))
    if added:
        ctx.relations.sort(key=lambda r: (r.evidence.start, r.evidence.end))


ATTACKERS = ("person", "organization", "group", "location")


def attacks_from_events(ctx: Context, events) -> None:
    """"The army shelled the town, killing nine peacekeepers": an ASSAULT whose source and target are
    both actors, asserted and positive, is an attack by the one on the other (the relations stage
    reads attack words itself; this adds what only the predicate layer's roles find)."""
    have = {(r.subject, r.object) for r in ctx.relations if r.type == "attacks"}
    added = False
    for ev in events:
        if ev.type != "ASSAULT" or ev.polarity != "positive" or ev.modality != "asserted":
            continue
        src, tgt = ctx.entity(ev.source), ctx.entity(ev.target)
        if src is None or tgt is None or src.id == tgt.id or src.type not in ATTACKERS or tgt.type not in ATTACKERS:
            continue
        if src.type == "location" and src.subtype != "country" or tgt.type == "location" and tgt.subtype != "country":
            continue  # a city is where, not who; "attacked the proclamation of Golan Heights" is words
        if src.subtype in ("company", "media") or src.anonymous and src.type == "person" and tgt.anonymous:
            continue  # "struck by a Volvo": a vehicle's maker attacks no one
        if (src.id, tgt.id) in have:
            continue
        have.add((src.id, tgt.id))
        stmt = ctx.statement_covering(ev.trigger_span.start, ev.trigger_span.end) if ev.trigger_span else None
        added = True
        ctx.relations.append(Relation(
            subject=src.id, type="attacks", object=tgt.id, evidence=ev.evidence, polarity="positive",
            modality="asserted", statement=stmt.id if stmt else None, trigger=ev.trigger, time=ev.time))
    if added:
        ctx.relations.sort(key=lambda r: (r.evidence.start, r.evidence.end))
