"""Fold the duplicates a knowledge base already holds (made before resolution stopped fragmenting).

Two stored actors are one when each has exactly one gazetteer identity (resolve_keys kind "gaz":
a country "iso:XX", a gazetteer place "geo:<id>", a well-known actor "gaz:<key>") and it is the same
one: "United States" stored as several actors, a country the tagger once typed as a person. An
actor with two identities (a coreferent short form read as another actor) is left alone, and so is
a pair an analyst (or a split) judged different. The older actor keeps its id (stable ids); each
fold is a judgement of its own (author "repair", the identity as the explanation), so `wirescope
review` lists it and an analyst can undo it like any merge.

`duplicates(conn)` lists what would be folded; `fold_duplicates(conn)` folds it. Both read the
identity keys once (one indexed scan of resolve_keys kind "gaz") and are idempotent: a second run
finds nothing.
"""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from wirescope.resolve.judgements import canonical_map, judged_different, merge
from wirescope.store import schema as S

AUTHOR = "repair"


def duplicates(conn: Connection) -> list[tuple[str, list[str]]]:
    """(identity, the canonical actors holding it, oldest first) for every identity more than one
    canonical actor holds, in a fixed order."""
    rk = S.resolve_keys
    rows = conn.execute(select(rk.c.kb_entity, rk.c.value).where(rk.c.kind == "gaz").distinct()).all()
    if not rows:
        return []
    canon = canonical_map(conn, {r.kb_entity for r in rows})
    ids_of: dict[str, set[str]] = {}
    for r in rows:
        ids_of.setdefault(canon.get(r.kb_entity, r.kb_entity), set()).add(r.value)
    by_id: dict[str, set[str]] = {}
    for actor, values in ids_of.items():
        if len(values) == 1:  # one identity only: two would make the fold a guess
            by_id.setdefault(next(iter(values)), set()).add(actor)
    groups = {value: actors for value, actors in by_id.items() if len(actors) > 1}
    if not groups:
        return []
    wanted = sorted({a for actors in groups.values() for a in actors})
    nm = S.kb_names
    age: dict[str, int] = {}
    for i in range(0, len(wanted), 500):
        for r in conn.execute(select(nm.c.kb_entity, func.min(nm.c.id)).where(nm.c.kb_entity.in_(wanted[i:i + 500]))
                              .group_by(nm.c.kb_entity)):
            age[r[0]] = r[1]
    return [(value, sorted(actors, key=lambda a: (age.get(a, 1 << 62), a))) for value, actors in sorted(groups.items())]


def fold_duplicates(conn: Connection, dry_run: bool = False) -> list[dict]:
    """Fold every duplicate into the oldest actor of its identity (see the module docstring);
    returns one {"identity", "keep", "drop"} per fold (with dry_run: what would be folded)."""
    done: list[dict] = []
    for value, actors in duplicates(conn):
        keep = actors[0]
        for drop in actors[1:]:
            if judged_different(conn, [keep], [drop]):
                continue
            if not dry_run:
                keep = merge(conn, keep, drop, AUTHOR, score=1.0,
                             explanation={"action": "repair", "gazetteer": value,
                                          "names": [{"how": "gazetteer", "id": value, "score": 1.0}]})
            done.append({"identity": value, "keep": keep, "drop": drop})
    return done
