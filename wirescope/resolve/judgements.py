"""Resolution decisions as recorded judgements, and the analyst's merge and split.

Every decision is a row of `judgements` (never deleted): `left`/`right` are two kb entity ids, or a
kb entity id and a document's actor (`doc_id/local_id`) for the resolver's per-mention decisions;
`decision` is same | different | split; `author` is "resolver" or the analyst's name; `explanation`
says why (names, aliases, shared context, score parts).

A merge never rewrites history: the absorbed entity keeps its rows and gets `merged_into`, and
readers follow `merged_into` (`canonical`, `members`). Ids are stable: an actor keeps its id through
merges (the resolver keeps the older id), and undoing a merge (`unmerge_one`) or splitting off the
document actors that came with an absorbed actor (`split`) gives that actor its old id back. A split
otherwise moves the document actors that go by the given names to a new entity, records which ones
moved, and records "different" so that the resolver never merges the two back automatically.
"""
from __future__ import annotations

import hashlib
from typing import Iterable

from sqlalchemy import and_, bindparam, func, insert, or_, select, update
from sqlalchemy.engine import Connection

from wirescope.resolve.summary import fold
from wirescope.store import schema as S

RESOLVER = "resolver"
MAX_CHAIN = 16

# built once (the resolver runs these for every actor of every document)
_INS_JUDGEMENT = insert(S.judgements)
_Q_PARENTS = (select(S.kb_entities.c.id, S.kb_entities.c.merged_into)
              .where(S.kb_entities.c.id.in_(bindparam("ids", expanding=True))))


def new_kb_id(seed: str) -> str:
    return "ent_" + hashlib.sha1(seed.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def record(conn: Connection, left: str, right: str, decision: str, author: str = RESOLVER,
           score: float | None = None, explanation: dict | None = None) -> None:
    conn.execute(_INS_JUDGEMENT, dict(left=left, right=right, decision=decision, author=author,
                                      score=None if score is None else round(float(score), 4),
                                      explanation=explanation or {}))


def follow_merges(conn: Connection, ids: Iterable[str], query=_Q_PARENTS) -> tuple[dict[str, str], dict]:
    """kb id -> the id it is merged into at the end of the chain (itself when not merged), and every
    row read on the way (id -> row). `query` selects at least id and merged_into for :ids."""
    wanted = {i for i in ids if i}
    parent: dict[str, str | None] = {}
    rows_by_id: dict = {}
    todo = set(wanted)
    for _ in range(MAX_CHAIN):
        if not todo:
            break
        rows = conn.execute(query, {"ids": sorted(todo)}).all()
        todo = set()
        for r in rows:
            parent[r.id] = r.merged_into
            rows_by_id[r.id] = r
            if r.merged_into and r.merged_into not in parent:
                todo.add(r.merged_into)

    def root(i: str) -> str:
        seen = set()
        while parent.get(i) and i not in seen:
            seen.add(i)
            i = parent[i]  # type: ignore[assignment]
        return i

    return {i: root(i) for i in wanted}, rows_by_id


def canonical_map(conn: Connection, ids: Iterable[str]) -> dict[str, str]:
    """kb id -> the id it is merged into at the end of the chain (itself when not merged)."""
    return follow_merges(conn, ids)[0]


def canonical(conn: Connection, kb_id: str) -> str:
    return canonical_map(conn, [kb_id]).get(kb_id, kb_id)


def members(conn: Connection, kb_id: str) -> list[str]:
    """The entity and every entity merged into it (directly or through a chain)."""
    k = S.kb_entities
    out, frontier = [kb_id], [kb_id]
    for _ in range(MAX_CHAIN):
        if not frontier:
            break
        rows = conn.execute(select(k.c.id).where(k.c.merged_into.in_(frontier))).scalars().all()
        frontier = [r for r in rows if r not in out]
        out.extend(frontier)
    return out


def judged_different(conn: Connection, a_ids: Iterable[str], b_ids: Iterable[str]) -> bool:
    """Whether any recorded judgement says an entity of `a_ids` and one of `b_ids` differ
    (the latest judgement of a pair wins, so a later "same" lifts an earlier "different")."""
    a, b = set(a_ids), set(b_ids)
    j = S.judgements
    rows = conn.execute(
        select(j.c.left, j.c.right, j.c.decision, j.c.id)
        .where(or_(and_(j.c.left.in_(a), j.c.right.in_(b)), and_(j.c.left.in_(b), j.c.right.in_(a))))
        .order_by(j.c.id)
    ).all()
    latest: dict[frozenset, str] = {}
    for r in rows:
        latest[frozenset((r.left, r.right))] = r.decision
    return any(d in ("different", "split") for d in latest.values())


def merge(conn: Connection, keep: str, drop: str, author: str, score: float | None = None,
          explanation: dict | None = None) -> str:
    """Fold `drop` (and whatever was merged into it) into `keep`; returns the surviving id."""
    keep, drop = canonical(conn, keep), canonical(conn, drop)
    if keep == drop:
        return keep
    k = S.kb_entities
    # path compression: everything that pointed at `drop` now points at `keep` directly
    conn.execute(update(k).where(k.c.merged_into == drop).values(merged_into=keep))
    conn.execute(update(k).where(k.c.id == drop).values(merged_into=keep))
    fold(conn, keep, drop)  # the survivor's context summary takes the absorbed actor's
    record(conn, keep, drop, "same", author, score, explanation)
    return keep


def unmerge(conn: Connection, kb_id: str, author: str) -> list[str]:
    """Undo every merge into `kb_id`: the absorbed entities stand alone again (and are judged
    different, so the resolver does not merge them back)."""
    kb_id = canonical(conn, kb_id)
    k = S.kb_entities
    absorbed = [m for m in members(conn, kb_id) if m != kb_id]
    direct = conn.execute(select(k.c.id).where(k.c.merged_into == kb_id)).scalars().all()
    for m in direct:
        conn.execute(update(k).where(k.c.id == m).values(merged_into=None))
        record(conn, kb_id, m, "different", author, explanation={"action": "split", "undid_merge": True})
    return absorbed


def unmerge_one(conn: Connection, keep: str, drop: str, author: str, reason: dict | None = None) -> list[str]:
    """Undo the merge of `drop` into `keep`: `drop` (with whatever had been merged into it before)
    stands alone again under its own id, judged different from `keep`. Returns the ids restored."""
    keep = canonical(conn, keep)
    k = S.kb_entities
    row = conn.execute(select(k.c.merged_into).where(k.c.id == drop)).first()
    if row is None or drop == keep or canonical(conn, drop) != keep:
        return []
    restored = _restore(conn, keep, drop)
    record(conn, keep, drop, "different", author, explanation={"action": "undo merge", **(reason or {})})
    return restored


def _restore(conn: Connection, keep: str, drop: str) -> list[str]:
    """`drop` stands alone again, with the actors merged into it before it went into `keep`."""
    k, j = S.kb_entities, S.judgements
    conn.execute(update(k).where(k.c.id == drop).values(merged_into=None))
    restored = [drop]
    earlier = conn.execute(select(j.c.right).where(j.c.left == drop, j.c.decision == "same")).scalars().all()
    for other in dict.fromkeys(earlier):  # merged into `drop` before `drop` went into `keep`
        got = conn.execute(select(k.c.merged_into).where(k.c.id == other)).first()
        if got is not None and got.merged_into == keep:
            conn.execute(update(k).where(k.c.id == other).values(merged_into=drop))
            restored.append(other)
    return restored


def detach(conn: Connection, kb_id: str, doc_id: str, local_id: str, author: str, reason: dict | None = None) -> dict:
    """Take one document actor away from `kb_id` (an automatic attachment an analyst undoes): to the
    actor it came with if that was absorbed into `kb_id` (its old id), else to a new actor."""
    de = S.doc_entities
    row = conn.execute(select(de.c.name).where(de.c.doc_id == doc_id, de.c.local_id == local_id)).first()
    if row is None:
        return {"entity": canonical(conn, kb_id), "new": None, "moved": [], "names": []}
    return split(conn, kb_id, [row.name], author, docs=[doc_id], only=[local_id], reason=reason)


def split(conn: Connection, kb_id: str, names: list[str], author: str, docs: list[str] | None = None,
          only: list[str] | None = None, reason: dict | None = None) -> dict:
    """Move the document actors of `kb_id` that go by one of `names` (their name in the document,
    or in `docs` when given; `only` these local ids) to an entity of their own: the actor they came
    with when that was absorbed into `kb_id` (it gets its id back), else a new one; returns
    {"entity", "new", "moved", "names", "restored"}."""
    from wirescope.resolve.match import key as name_key

    kb_id = canonical(conn, kb_id)
    ids = members(conn, kb_id)
    keys = {name_key(n) for n in names if name_key(n)}
    if names and not keys:  # names that normalise to nothing select nothing (never everything)
        return {"entity": kb_id, "new": None, "moved": [], "names": names}
    de = S.doc_entities
    rows = conn.execute(select(de.c.doc_id, de.c.local_id, de.c.name, de.c.aliases, de.c.kb_entity, de.c.type,
                               de.c.subtype, de.c.anonymous, de.c.country)
                        .where(de.c.kb_entity.in_(ids))).all()
    moving = []
    for r in rows:
        if docs and r.doc_id not in docs:
            continue
        if keys and name_key(r.name) not in keys:
            continue
        if only and r.local_id not in only:
            continue
        moving.append(r)
    if not moving:
        return {"entity": kb_id, "new": None, "moved": [], "names": names, "restored": False}
    first = moving[0]
    label = names[0] if names else first.name
    # the moving actors all came with one absorbed actor, and only they: it stands alone again
    raw = {r.kb_entity for r in moving}
    going = {(r.doc_id, r.local_id) for r in moving}
    staying = {r.kb_entity for r in rows if (r.doc_id, r.local_id) not in going}
    old = next(iter(raw)) if len(raw) == 1 else None
    restored = old is not None and old != kb_id and old not in staying
    if restored:
        new_id = old
        _restore(conn, kb_id, old)
    else:
        new_id = new_kb_id(f"split/{kb_id}/{author}/{'|'.join(sorted(keys))}/{'|'.join(sorted(docs or []))}/"
                           f"{len(rows)}")
        n = 1
        while conn.execute(select(S.kb_entities.c.id).where(S.kb_entities.c.id == new_id)).first():
            new_id = new_kb_id(f"split/{kb_id}/{n}/{new_id}")
            n += 1
        conn.execute(insert(S.kb_entities).values(
            id=new_id, name=label, key=name_key(label) or label.casefold(), type=first.type, subtype=first.subtype,
            anonymous=bool(first.anonymous), country=first.country))
    moved = []
    for r in moving:
        conn.execute(update(de).where(de.c.doc_id == r.doc_id, de.c.local_id == r.local_id).values(kb_entity=new_id))
        for table, local, kb in ((S.relations, "subject", "subject_kb"), (S.relations, "object", "object_kb"),
                                 (S.events, "source", "source_kb"), (S.events, "target", "target_kb"),
                                 (S.events, "location", "location_kb")):
            conn.execute(update(table).where(table.c.doc_id == r.doc_id, table.c[local] == r.local_id)
                         .values({kb: new_id}))
        moved.append(f"{r.doc_id}/{r.local_id}")
    moved_docs = {r.doc_id for r in moving}
    nm = S.kb_names
    if only:  # one document actor: the names its document brought
        conn.execute(update(nm).where(nm.c.kb_entity.in_(ids), nm.c.doc_id.in_(moved_docs),
                                      nm.c.key.in_(keys)).values(kb_entity=new_id))
    elif keys:
        # the names go with the actors that bear them
        conn.execute(update(nm).where(nm.c.kb_entity.in_(ids), nm.c.key.in_(keys)).values(kb_entity=new_id))
    else:
        conn.execute(update(nm).where(nm.c.kb_entity.in_(ids), nm.c.doc_id.in_(moved_docs)).values(kb_entity=new_id))
    # the split entity's other names learnt from the moved actors' documents
    for r in moving:
        for alias in [r.name, *(r.aliases or [])]:
            k2 = name_key(alias)
            if not k2:
                continue
            exists = conn.execute(select(func.count()).select_from(nm).where(nm.c.kb_entity == new_id,
                                                                             nm.c.key == k2)).scalar()
            if not exists:
                conn.execute(insert(nm).values(kb_entity=new_id, name=alias, key=k2, how="split", doc_id=r.doc_id))
    rk = S.resolve_keys
    if keys and not only:
        conn.execute(update(rk).where(rk.c.kb_entity.in_(ids), rk.c.value.in_(keys)).values(kb_entity=new_id))
    record(conn, kb_id, new_id, "split", author,
           explanation={"names": names, "docs": docs or [], "moved": moved, "restored": restored, **(reason or {})})
    record(conn, kb_id, new_id, "different", author, explanation={"action": "split", "names": names, **(reason or {})})
    return {"entity": kb_id, "new": new_id, "moved": moved, "names": names, "restored": restored}
