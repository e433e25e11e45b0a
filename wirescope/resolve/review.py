"""An analyst's review of the resolver's automatic merges, kept as judgements.

`low_confidence` lists the automatic merges still in force, lowest score first: a document actor the
resolver attached to a stored actor (judgement left = kb id, right = "doc_id/local_id"), or two stored
actors it merged (left = kept id, right = absorbed id). `confirm` records the analyst's "same";
`undo` takes the document actor away (judgements.detach: back to the actor it came with, else a new
one) or undoes the merge (judgements.unmerge_one: the absorbed actor gets its own id back), and
records "different", so the resolver does not merge them again. Every review judgement names the
judgement it reviews (explanation "review"), and a reviewed merge is not listed again.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Connection

from wirescope.errors import StoreError
from wirescope.resolve.judgements import RESOLVER, canonical, detach, record, unmerge_one
from wirescope.store import schema as S

SCAN = 2000  # automatic merges read per listing, lowest score first


def _reviewed(conn: Connection) -> set[int]:
    j = S.judgements
    out: set[int] = set()
    for exp in conn.execute(select(j.c.explanation).where(j.c.author != RESOLVER)).scalars():
        if isinstance(exp, dict) and isinstance(exp.get("review"), int):
            out.add(exp["review"])
    return out


def reasons(explanation: dict | None) -> list[str]:
    """The explanation of an automatic decision in a few words."""
    e = explanation or {}
    out = []
    if e.get("action"):
        out.append(str(e["action"]))
    names = [n for n in e.get("names") or [] if isinstance(n, dict)]
    if names:
        n = names[0]
        out.append(f"{n.get('how')}: {n.get('left')} ~ {n.get('right')} ({n.get('score')})")
    for key, label in (("unique_bearer", "the only bearer of the name"), ("generic_name", "generic name"),
                       ("ambiguous_name", "ambiguous name")):
        if e.get(key):
            out.append(label)
    if e.get("shared_actors"):
        out.append(f"{len(e['shared_actors'])} shared actor(s)")
    if e.get("shared_countries"):
        out.append("shared countries " + ", ".join(e["shared_countries"]))
    if e.get("countries_apart"):
        out.append("countries apart")
    if e.get("countries"):
        out.append("countries " + " / ".join(str(c) for c in e["countries"]))
    if e.get("in_document"):
        out.append("named so in the same document")
    return out


def _names(conn: Connection, ids: set[str]) -> dict[str, str]:
    k = S.kb_entities
    return {r.id: r.name for r in conn.execute(select(k.c.id, k.c.name).where(k.c.id.in_(sorted(ids))))} if ids else {}


def low_confidence(conn: Connection, limit: int = 20, below: float | None = None) -> list[dict]:
    """The automatic merges still in force, lowest score first (at most `limit`; under `below`)."""
    j = S.judgements
    q = (select(j.c.id, j.c.left, j.c.right, j.c.score, j.c.explanation)
         .where(j.c.author == RESOLVER, j.c.decision == "same", j.c.score.is_not(None)))
    if below is not None:
        q = q.where(j.c.score < below)
    rows = conn.execute(q.order_by(j.c.score, j.c.id).limit(SCAN)).all()
    reviewed = _reviewed(conn)
    de = S.doc_entities
    out: list[dict] = []
    for r in rows:
        if len(out) >= limit:
            break
        if r.id in reviewed:
            continue
        left = canonical(conn, r.left)
        if "/" in r.right:  # a document actor attached to a stored actor
            doc_id, local = r.right.split("/", 1)
            row = conn.execute(select(de.c.kb_entity, de.c.name).where(de.c.doc_id == doc_id,
                                                                       de.c.local_id == local)).first()
            if row is None or canonical(conn, row.kb_entity) != left:
                continue  # undone since, or its document is gone
            item = {"kind": "attachment", "document": doc_id, "actor": local, "name": row.name}
        else:
            if canonical(conn, r.right) != left or r.right == left:
                continue
            item = {"kind": "merge", "absorbed": r.right}
        item.update({"judgement": r.id, "score": r.score, "entity": left, "reasons": reasons(r.explanation)})
        out.append(item)
    names = _names(conn, {i["entity"] for i in out} | {i["absorbed"] for i in out if "absorbed" in i})
    for i in out:
        i["entity_name"] = names.get(i["entity"], "")
        if "absorbed" in i:
            i["name"] = names.get(i["absorbed"], "")
    return out


def _judgement(conn: Connection, judgement_id: int):
    j = S.judgements
    row = conn.execute(select(j.c.id, j.c.left, j.c.right, j.c.decision, j.c.author, j.c.score)
                       .where(j.c.id == judgement_id)).first()
    if row is None or row.author != RESOLVER or row.decision != "same":
        raise StoreError("E403", name=f"automatic merge #{judgement_id} (see `wirescope review`)")
    return row


def confirm(conn: Connection, judgement_id: int, author: str, note: str | None = None) -> dict:
    """The analyst agrees with an automatic merge: recorded as their "same" judgement."""
    row = _judgement(conn, judgement_id)
    record(conn, canonical(conn, row.left), row.right, "same", author, score=row.score,
           explanation={"review": row.id, "action": "confirm", **({"note": note} if note else {})})
    return {"judgement": row.id, "action": "confirm", "entity": canonical(conn, row.left), "by": author}


def undo(conn: Connection, judgement_id: int, author: str, note: str | None = None) -> dict:
    """The analyst disagrees: the document actor leaves the stored actor, or the merge is undone."""
    row = _judgement(conn, judgement_id)
    reason = {"review": row.id, **({"note": note} if note else {})}
    entity = canonical(conn, row.left)
    if "/" in row.right:
        doc_id, local = row.right.split("/", 1)
        result = detach(conn, entity, doc_id, local, author, reason=reason)
        return {"judgement": row.id, "action": "undo", "entity": entity, "new": result["new"],
                "restored": result.get("restored", False), "moved": result["moved"], "by": author}
    restored = unmerge_one(conn, entity, row.right, author, reason=reason)
    return {"judgement": row.id, "action": "undo", "entity": entity, "new": row.right if restored else None,
            "restored": bool(restored), "moved": restored, "by": author}
