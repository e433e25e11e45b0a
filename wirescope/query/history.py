"""An actor's merge and split history: the recorded judgements that shaped it, newest first.

Analysts' judgements (merge, split, review of an automatic merge) and the resolver's merges of two
stored actors; the resolver's attachment of each document's actor (a judgement per mention) is left
out: it is how every actor grows, not history an analyst reads. Bounded by `limit`.
"""
from __future__ import annotations

from sqlalchemy import and_, not_, or_, select
from sqlalchemy.engine import Connection

from wirescope.query.common import entity_rows, members
from wirescope.resolve.judgements import RESOLVER
from wirescope.store import schema as S

HISTORY = 50


def history(conn: Connection, kb_id: str, limit: int = HISTORY) -> list[dict]:
    """[{"id", "at", "author", "decision", "action", "left", "right", "other", "score", "note", "by_resolver"}]."""
    ids = members(conn, kb_id)
    j = S.judgements
    touching = or_(j.c.left.in_(ids), j.c.right.in_(ids))
    attachment = and_(j.c.author == RESOLVER, j.c.right.like("%/%"))
    rows = conn.execute(select(j.c.id, j.c.left, j.c.right, j.c.decision, j.c.score, j.c.author, j.c.explanation,
                               j.c.created_at).where(touching, not_(attachment))
                        .order_by(j.c.id.desc()).limit(limit)).all()
    others = {x for r in rows for x in (r.left, r.right) if "/" not in x}
    names = entity_rows(conn, others)
    mine = set(ids)
    out = []
    for r in rows:
        exp = r.explanation if isinstance(r.explanation, dict) else {}
        other = r.right if r.left in mine else r.left
        out.append({
            "id": r.id, "at": r.created_at.isoformat(timespec="seconds") if r.created_at else None,
            "author": r.author, "decision": r.decision, "action": exp.get("action") or r.decision,
            "left": r.left, "right": r.right, "other": other if "/" not in other else None,
            "other_name": (names.get(other) or {}).get("name") if "/" not in other else other,
            "score": r.score, "note": exp.get("note") or exp.get("reason"), "review": exp.get("review"),
            "via": exp.get("via"), "by_resolver": r.author == RESOLVER,
        })
    return out
