"""The strongest cross-document relations, without aggregating every relation of the knowledge base.

A relation's independent sources (wirescope.query.relations) can never exceed the number of
distinct outlets of the original reports that support it (a syndicated copy adds at most its
original), which one grouped query counts for every stored (subject, type, object). `strongest` aggregates relations in that
order, a batch at a time, and stops as soon as no relation left could have more independent sources
than the last of the top `limit` (most independent sources, then confidence): graphs and the actor
page stay bounded as the knowledge base grows. The top is exact in independent sources; among
relations tied with the last one kept, those reported by more outlets were aggregated first
(a tie at the cut is not settled by confidence, which would mean aggregating every tied relation).
At most BUDGET x limit relations are aggregated: when many weakly supported relations tie, the top
is the best of those (`exact` False says so).

Aggregated relations are remembered per process (AggregateMemo), each under the number of relation
rows stored for each of its keys: relation rows are only ever added (a document is stored whole and
never rewritten), so a relation whose counts did not change since it was aggregated has the same
evidence. What else an aggregate reads is checked too: the merges and the analysts' judgements (any
change forgets everything: actors may have been merged, split or re-pointed) and the current names of every actor
it names (a fuller name learnt since: aggregated again). The `reasons`, which depend on relations
elsewhere (the organisation a denier speaks for), are written afresh each time. So the first view
after a write aggregates only the relations that write touched.

On SQLite the bounds and row counts are kept in the database as relations are written
(`relation_rank`, filled by triggers on `relations` that `setup_rank` creates with the full-text
tables, and filled once for relations stored before): ranking the whole knowledge base reads that
table instead of grouping every relation row with its document. A relation moved to another actor
(a split) leaves its old key's bound as it was: a bound only needs to be no lower than the truth.
Other backends group the relation rows on each call.
"""
from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from typing import Any, Iterable

from sqlalchemy import Column, Integer, MetaData, String, Table, and_, case, func, or_, select
from sqlalchemy.engine import Connection

from wirescope.query.common import entity_rows, members, resolve_entity
from wirescope.query.relations import _affiliations, _reasons, aggregate_relations, symmetric_types
from wirescope.resolve.judgements import MAX_CHAIN
from wirescope.store import schema as S

MIN_BATCH = 50
BUDGET = 3  # relations aggregated per relation shown, at most (see strongest)


def ranked_keys(conn: Connection, entity: str | None = None,
                types: Iterable[str] | None = None) -> list[tuple[int, list[tuple[str, str, str]]]]:
    """[(upper bound of independent sources, the stored keys of one cross-document relation)], the
    highest bound first. Keys are (subject_kb, type, object_kb) as stored; one relation gathers the
    keys of merged actors and, for symmetric types, both directions."""
    return [(bound, keys) for bound, keys, _ in ranked_counts(conn, entity, types)]


def ranked_counts(conn: Connection, entity: str | None = None, types: Iterable[str] | None = None
                  ) -> list[tuple[int, list[tuple[str, str, str]], tuple[int, ...]]]:
    """ranked_keys with, for each relation, the number of rows stored under each of its keys (what
    AggregateMemo compares to know a remembered aggregate is current)."""
    r, d = S.relations, S.documents
    if _has_rank_table(conn) and not entity:
        return WholeRanking.of(conn).ranked(conn, types)
    if _has_rank_table(conn):
        rk = _RANK
        q = select(rk.c.subject_kb, rk.c.type, rk.c.object_kb, rk.c.bound, rk.c.n).where(rk.c.n > 0)
        if entity:
            ids = members(conn, resolve_entity(conn, entity)["id"])
            q = q.where(or_(rk.c.subject_kb.in_(ids), rk.c.object_kb.in_(ids)))
        types = sorted(set(types or []))
        if types:
            q = q.where(rk.c.type.in_(types))
        return _grouped(conn, conn.execute(q).all())
    positive = r.c.polarity == "positive"
    # independent sources <= distinct outlets of the supporting originals + originals of copies
    outlets = func.count(func.distinct(case((and_(positive, d.c.duplicate_of.is_(None)),
                                             func.coalesce(d.c.outlet, d.c.id)))))
    copied = func.count(func.distinct(case((positive, d.c.duplicate_of))))
    q = (select(r.c.subject_kb, r.c.type, r.c.object_kb, (outlets + copied).label("bound"), func.count().label("n"))
         .select_from(r.join(d, d.c.id == r.c.doc_id))
         .group_by(r.c.subject_kb, r.c.type, r.c.object_kb))
    if entity:
        ids = members(conn, resolve_entity(conn, entity)["id"])
        q = q.where(or_(r.c.subject_kb.in_(ids), r.c.object_kb.in_(ids)))
    types = sorted(set(types or []))
    if types:
        q = q.where(r.c.type.in_(types))
    return _grouped(conn, conn.execute(q).all())


def _grouped(conn: Connection, stored: list) -> list[tuple[int, list[tuple[str, str, str]], tuple[int, ...]]]:
    """Stored keys (subject_kb, type, object_kb, bound, n) gathered into cross-document relations."""
    groups = _groups(_merged(conn), stored)
    return _ordered(_entry(g) for g in groups.values())


def _groups(canon: dict[str, str], stored, groups: dict | None = None) -> dict[tuple, dict]:
    """canonical relation key -> {stored key: (bound, n)}, stored keys added to (or replaced in) `groups`."""
    symmetric = symmetric_types()
    groups = {} if groups is None else groups
    for subject, rtype, obj, bound, n in map(tuple, stored):
        s, o = (canon.get(subject, subject), canon.get(obj, obj)) if canon else (subject, obj)
        key = ((s, rtype, o) if s <= o else (o, rtype, s)) if rtype in symmetric else (s, rtype, o)
        group = groups.get(key)
        if group is None:
            groups[key] = group = {}
        if n > 0:
            group[(subject, rtype, obj)] = (bound, n)
        else:
            group.pop((subject, rtype, obj), None)
            if not group:
                del groups[key]
    return groups


def _entry(group: dict) -> tuple[int, list[tuple[str, str, str]], tuple[int, ...]]:
    """(bound, stored keys, their row counts) of one relation: the bound is a sum over its stored
    keys, never below the relation's own count."""
    if len(group) == 1:
        (key, (bound, n)), = group.items()
        return bound, [key], (n,)
    keys = sorted(group)
    return sum(group[k][0] for k in keys), keys, tuple(group[k][1] for k in keys)


def _ordered(entries) -> list:
    out = list(entries)
    out.sort(key=lambda p: (-p[0], p[1][0]))
    return out


class _PerEngine:
    """One instance per database (engine) and process, made on first use; subclasses get their own."""

    _all: "weakref.WeakKeyDictionary[Any, Any]"
    _all_lock: threading.Lock

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        cls._all, cls._all_lock = weakref.WeakKeyDictionary(), threading.Lock()

    @classmethod
    def of(cls, conn: Connection):
        engine = conn.engine
        with cls._all_lock:
            found = cls._all.get(engine)
            if found is None:
                found = cls._all[engine] = cls()
            return found

    @classmethod
    def instances(cls) -> list:
        with cls._all_lock:
            return list(cls._all.values())


class WholeRanking(_PerEngine):
    """ranked_counts of the whole knowledge base (SQLite, from `relation_rank`), kept per process and
    brought up to date with the relation rows written since (rowid above the last one read): after
    an ingest, only the relations it touched are read again. Merges and the analysts' judgements
    (which may move relation rows) or rows that went away make it read everything again."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.state: tuple | None = None  # (generation, last rowid, relation rows)
        self.groups: dict[tuple, dict] = {}
        self.entries: dict[tuple, tuple] = {}
        self.order: list | None = None

    def ranked(self, conn: Connection, types: Iterable[str] | None) -> list:
        canon = _merged(conn)
        j = S.judgements
        judged = tuple(conn.execute(select(func.count(), func.max(j.c.id)).where(j.c.author != "resolver")).one())
        generation = (judged, hash(frozenset(canon.items())))
        last, rows = conn.exec_driver_sql("SELECT max(rowid), count(*) FROM relations").one()
        last = last or 0
        rk = _RANK
        cols = (rk.c.subject_kb, rk.c.type, rk.c.object_kb, rk.c.bound, rk.c.n)
        with self.lock:
            state = self.state
            if state is None or state[0] != generation or state[1] > last or (
                    state[1] == last and state[2] != rows):
                self.groups = _groups(canon, conn.execute(select(*cols)).all())
                self.entries = {k: _entry(g) for k, g in self.groups.items()}
                self.order = None
            elif state[1] < last:
                new = conn.exec_driver_sql("SELECT count(*) FROM relations WHERE rowid > ?", (state[1],)).scalar()
                if state[2] + new != rows:  # rows went away: read everything again
                    self.groups = _groups(canon, conn.execute(select(*cols)).all())
                    self.entries = {k: _entry(g) for k, g in self.groups.items()}
                else:
                    touched = conn.exec_driver_sql(
                        "SELECT k.subject_kb, k.type, k.object_kb, k.bound, k.n FROM relation_rank k JOIN "
                        "(SELECT DISTINCT subject_kb, type, object_kb FROM relations WHERE rowid > ?) AS t "
                        "ON t.subject_kb = k.subject_kb AND t.type = k.type AND t.object_kb = k.object_kb",
                        (state[1],)).all()
                    before = set(self.groups)
                    _groups(canon, touched, self.groups)
                    changed = {k for k in self.groups if k not in before} | {
                        _canonical_key(canon, t[0], t[1], t[2]) for t in touched}
                    for key in changed:
                        group = self.groups.get(key)
                        if group:
                            self.entries[key] = _entry(group)
                        else:
                            self.entries.pop(key, None)
                self.order = None
            self.state = (generation, last, rows)
            if self.order is None:
                self.order = _ordered(self.entries.values())
            order = self.order
        wanted = set(types or [])
        return [p for p in order if p[1][0][1] in wanted] if wanted else list(order)


def _canonical_key(canon: dict[str, str], subject: str, rtype: str, obj: str) -> tuple:
    s, o = canon.get(subject, subject), canon.get(obj, obj)
    return ((s, rtype, o) if s <= o else (o, rtype, s)) if rtype in symmetric_types() else (s, rtype, o)


def _merged(conn: Connection) -> dict[str, str]:
    """Every merged actor id -> the id it reads as (end of the merge chain); unmerged ids are absent.
    One indexed query over the merged actors, however many actors there are."""
    k = S.kb_entities
    parent = dict(conn.execute(select(k.c.id, k.c.merged_into).where(k.c.merged_into.is_not(None))).all())
    out = {}
    for i in parent:
        root, seen = i, set()
        while root in parent and root not in seen and len(seen) < MAX_CHAIN:
            seen.add(root)
            root = parent[root]
        out[i] = root
    return out


def strongest(conn: Connection, limit: int, entity: str | None = None, types: Iterable[str] | None = None,
              since: str | None = None, until: str | None = None, min_sources: int = 0,
              detail: bool = False, budget: int | None = None, batch: int | None = None) -> tuple[list[dict], dict]:
    """The top `limit` aggregated relations (touching `entity`), most independent sources first, then
    confidence, and {"candidates": relations stored, "aggregated": how many were aggregated,
    "truncated": whether relations were left out, "exact": whether the top is proven (else the
    `budget` of relations to aggregate, default BUDGET x limit, ran out first: the best of those
    aggregated, in the order of the outlets that report them)}. Relations are aggregated `batch` at a
    time (default: `limit`, at least MIN_BATCH)."""
    return top_of_ranked(conn, ranked_counts(conn, entity, types), limit, since=since, until=until,
                         min_sources=min_sources, detail=detail, budget=budget, batch=batch)


def top_of_ranked(conn: Connection, ranked: list, limit: int, since: str | None = None, until: str | None = None,
                  min_sources: int = 0, detail: bool = False, budget: int | None = None,
                  batch: int | None = None) -> tuple[list[dict], dict]:
    """`strongest` over relation keys already ranked by their bound (ranked_keys, possibly filtered
    by the caller): aggregated `batch` at a time until the top `limit` is proven or the budget runs out.
    With ranked_counts' triples, aggregates still current are taken from the process's AggregateMemo."""
    ranked = [p for p in ranked if p[0] >= min_sources]
    memo = AggregateMemo.of(conn) if not (since or until) and all(len(p) == 3 for p in ranked) else None
    generation = memo.generation(conn) if memo is not None else None
    budget = max(budget or BUDGET * limit, limit)
    found: list[dict] = []
    done, exact = 0, True
    rank = lambda row: (-row["independent_sources"], -row["confidence"], row["subject"]["name"],  # noqa: E731
                        row["type"], row["object"]["name"])
    while done < len(ranked):
        if len(found) >= limit and ranked[done][0] <= found[limit - 1]["independent_sources"]:
            break  # nothing left can have more independent sources than the last one kept
        if done >= budget:
            exact = False
            break
        part = ranked[done:done + (batch or max(limit, MIN_BATCH))]
        done += len(part)
        if memo is not None:
            rows = memo.aggregate(conn, generation, part, detail)
            found += [row for row in rows if row["independent_sources"] >= min_sources]
        else:
            keys = [k for p in part for k in p[1]]
            found += aggregate_relations(conn, keys=keys, since=since, until=until, min_sources=min_sources,
                                         detail=detail)
        found.sort(key=rank)
    info = {"candidates": len(ranked), "aggregated": done, "exact": exact,
            "truncated": done < len(ranked) or len(found) > limit}
    return found[:limit], info


# ---- aggregates remembered across requests ----------------------------------------------------------
MEMO_SIZE = 20_000  # relations remembered per knowledge base (least recently used forgotten first)
MEMO_ITEMS = 200_000  # and the statements for and against them, in all


class AggregateMemo(_PerEngine):
    """Aggregated relations of one database (engine), each with what it was computed from."""

    def __init__(self, size: int = MEMO_SIZE, items: int = MEMO_ITEMS) -> None:
        self.size, self.max_items, self.items = size, items, 0
        self.lock = threading.Lock()
        self.entries: OrderedDict[tuple, tuple] = OrderedDict()  # (keys, detail) -> (counts, row, names)
        self.current: tuple | None = None
        self.hits = self.misses = 0

    def generation(self, conn: Connection) -> tuple:
        """What every aggregate depends on beyond its own rows: the analysts' judgements (merges, splits
        and reviews, which may move relation rows between actors) and the merges themselves (the
        resolver's too). The resolver's other judgements, recorded for every actor of every document
        stored, change nothing stored before."""
        j = S.judgements
        judged = tuple(conn.execute(select(func.count(), func.max(j.c.id)).where(j.c.author != "resolver")).one())
        merged = hash(frozenset(_merged(conn).items()))
        found = (judged, merged)
        with self.lock:
            if found != self.current:
                self.entries.clear()
                self.items = 0
                self.current = found
        return found

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.items = 0
            self.current = None

    def aggregate(self, conn: Connection, generation: tuple, part: list, detail: bool) -> list[dict]:
        """The aggregates of ranked relations (ranked_counts triples), remembered or computed."""
        rows: dict[tuple, dict] = {}
        names: dict[tuple, dict[str, str]] = {}
        missing = []
        stale: dict[tuple, dict] = {}  # relations with rows added since: their earlier aggregate
        with self.lock:
            current = generation == self.current
            for _, keys, counts in part:
                entry = self.entries.get((tuple(keys), detail)) if current else None
                if entry is not None and entry[0] == counts:
                    self.entries.move_to_end((tuple(keys), detail))
                    if entry[1] is not None:
                        rows[tuple(keys)], names[tuple(keys)] = entry[1], entry[2]
                    else:
                        rows[tuple(keys)] = None
                else:
                    missing.append((keys, counts))
                    if entry is not None and entry[1] is not None:
                        stale[tuple(keys)] = entry
        seen_names = {i: n for k in list(names) + list(stale) for i, n in
                      (names.get(k) or stale[k][2]).items()}
        renamed: set[str] = set()
        if seen_names:  # a fuller name learnt since (the resolver renames actors): aggregate those again
            now = entity_rows(conn, seen_names)
            renamed = {i for i, name in seen_names.items() if (now.get(i) or {}).get("name") != name}
        for keys, seen in list(names.items()):
            if renamed & set(seen):
                missing.append((list(keys), next(p[2] for p in part if tuple(p[1]) == keys)))
                del rows[keys]
        # the statements of rows aggregated before are taken as they were (a relation row never changes)
        reuse = {(it["doc_id"], it["relation_id"]): it for keys, entry in stale.items() if not (renamed & set(entry[2]))
                 for it in (entry[1].get("support") or []) + (entry[1].get("against") or [])}
        self.hits += len(rows)
        self.misses += len(missing)
        if missing:
            computed = aggregate_relations(conn, keys=[k for keys, _ in missing for k in keys], detail=detail,
                                           reuse=reuse)
            symmetric = symmetric_types()
            by_key = {}
            for row in computed:
                s, t, o = row["subject"]["id"], row["type"], row["object"]["id"]
                by_key[(min(s, o), t, max(s, o)) if t in symmetric else (s, t, o)] = row
            canon = _merged(conn)
            with self.lock:
                keep = generation == self.current
                for keys, counts in missing:
                    s, t, o = keys[0]
                    s, o = canon.get(s, s), canon.get(o, o)
                    row = by_key.get((min(s, o), t, max(s, o)) if t in symmetric else (s, t, o))
                    rows[tuple(keys)] = row
                    if keep:
                        old = self.entries.pop((tuple(keys), detail), None)
                        self.items += _size(row) - (_size(old[1]) if old else 0)
                        self.entries[(tuple(keys), detail)] = (counts, row, _names_in(row) if row else {})
                while self.entries and (len(self.entries) > self.size or self.items > self.max_items):
                    _, (_, dropped, _) = self.entries.popitem(last=False)
                    self.items -= _size(dropped)
        out = [dict(row) for row in rows.values() if row is not None]
        _fresh_reasons(conn, out)
        return out


def _size(row: dict | None) -> int:
    return 1 + len(row.get("support") or []) + len(row.get("against") or []) if row else 1


def _names_in(row: dict) -> dict[str, str]:
    """Every actor an aggregate names (the relation's ends, speakers, channels, relays): id -> name."""
    out = {row["subject"]["id"]: row["subject"]["name"], row["object"]["id"]: row["object"]["name"]}
    for it in (row.get("support") or []) + (row.get("against") or []):
        for ref in [it.get("speaker"), it.get("via"), *(it.get("relayed_by") or [])]:
            if ref and ref.get("id"):
                out[ref["id"]] = ref.get("name")
    return out


def _fresh_reasons(conn: Connection, rows: list[dict]) -> None:
    """`reasons` written now: who a denier speaks for may have been learnt from another relation."""
    deniers = {it["speaker"]["id"] for row in rows for it in row.get("against") or []
               if it["polarity"] != "positive" and it.get("speaker") and not it["speaker"]["anonymous"]}
    affiliation = _affiliations(conn, deniers) if deniers else {}
    for row in rows:
        row["reasons"] = _reasons(row, row["subject"], row["object"], affiliation)


def forget_aggregates() -> None:
    """Empty every process-wide memo (benchmarks timing a first opening, tests)."""
    for memo in AggregateMemo.instances():
        memo.clear()
    for ranking in WholeRanking.instances():
        with ranking.lock:
            ranking.state = None


# ---- bounds kept in the database (SQLite) -----------------------------------------------------------
RANK_KEY = "wirescope.ranking.table"
_RANK = Table("relation_rank", MetaData(), Column("subject_kb", String), Column("type", String),
              Column("object_kb", String), Column("n", Integer), Column("bound", Integer))
# a relation row's source for the bound: the outlet of an original report (its id when it has none),
# or the original of a syndicated copy (the same two counts as ranked_counts' grouped query)
_SOURCE = ("CASE WHEN d.duplicate_of IS NULL THEN 'o:' || coalesce(d.outlet, d.id) "
           "ELSE 'c:' || d.duplicate_of END")
_RANK_SETUP = (
    "CREATE TABLE IF NOT EXISTS relation_rank (subject_kb TEXT NOT NULL, type TEXT NOT NULL, "
    "object_kb TEXT NOT NULL, n INTEGER NOT NULL, bound INTEGER NOT NULL, PRIMARY KEY (subject_kb, type, object_kb))",
    "CREATE INDEX IF NOT EXISTS ix_relation_rank_object ON relation_rank (object_kb)",
    "CREATE INDEX IF NOT EXISTS ix_relation_rank_bound ON relation_rank (bound)",
    "CREATE TABLE IF NOT EXISTS relation_rank_sources (subject_kb TEXT NOT NULL, type TEXT NOT NULL, "
    "object_kb TEXT NOT NULL, source TEXT NOT NULL, PRIMARY KEY (subject_kb, type, object_kb, source)) WITHOUT ROWID",
)
_ADD = ("INSERT INTO relation_rank (subject_kb, type, object_kb, n, bound) VALUES ({s}, {t}, {o}, 1, 0) "
        "ON CONFLICT (subject_kb, type, object_kb) DO UPDATE SET n = n + 1; "
        "INSERT OR IGNORE INTO relation_rank_sources (subject_kb, type, object_kb, source) "
        f"SELECT {{s}}, {{t}}, {{o}}, {_SOURCE} FROM documents d WHERE d.id = {{doc}} AND {{polarity}} = 'positive'; "
        "UPDATE relation_rank SET bound = (SELECT count(*) FROM relation_rank_sources x WHERE x.subject_kb = {s} "
        "AND x.type = {t} AND x.object_kb = {o}) WHERE subject_kb = {s} AND type = {t} AND object_kb = {o};")
_DROP = ("UPDATE relation_rank SET n = n - 1 WHERE subject_kb = {s} AND type = {t} AND object_kb = {o};")
_NEW = {"s": "new.subject_kb", "t": "new.type", "o": "new.object_kb", "doc": "new.doc_id", "polarity": "new.polarity"}
_OLD = {"s": "old.subject_kb", "t": "old.type", "o": "old.object_kb"}
_RANK_TRIGGERS = (
    f"CREATE TRIGGER IF NOT EXISTS relation_rank_insert AFTER INSERT ON relations BEGIN {_ADD.format(**_NEW)} END",
    f"CREATE TRIGGER IF NOT EXISTS relation_rank_delete AFTER DELETE ON relations BEGIN {_DROP.format(**_OLD)} END",
    "CREATE TRIGGER IF NOT EXISTS relation_rank_update AFTER UPDATE OF subject_kb, type, object_kb, polarity "
    f"ON relations BEGIN {_DROP.format(**_OLD)} {_ADD.format(**_NEW)} END",
)
_RANK_FILL = (
    "INSERT OR IGNORE INTO relation_rank_sources (subject_kb, type, object_kb, source) "
    f"SELECT r.subject_kb, r.type, r.object_kb, {_SOURCE} FROM relations r JOIN documents d ON d.id = r.doc_id "
    "WHERE r.polarity = 'positive'",
    "INSERT INTO relation_rank (subject_kb, type, object_kb, n, bound) "
    "SELECT r.subject_kb, r.type, r.object_kb, count(*), (SELECT count(*) FROM relation_rank_sources x "
    "WHERE x.subject_kb = r.subject_kb AND x.type = r.type AND x.object_kb = r.object_kb) "
    "FROM relations r GROUP BY r.subject_kb, r.type, r.object_kb",
)


def setup_rank(conn: Connection) -> None:
    """Create the bounds table and its triggers (SQLite; idempotent), filled once for relations
    stored before they existed. Runs when a knowledge base is opened (wirescope.query.search.setup)."""
    if conn.dialect.name != "sqlite":
        return
    for ddl in _RANK_SETUP:
        conn.exec_driver_sql(ddl)
    filled = conn.exec_driver_sql("SELECT 1 FROM relation_rank LIMIT 1").first()
    stored = conn.exec_driver_sql("SELECT 1 FROM relations LIMIT 1").first()
    if stored and not filled:
        conn.exec_driver_sql("DELETE FROM relation_rank_sources")
        for ddl in _RANK_FILL:
            conn.exec_driver_sql(ddl)
    for ddl in _RANK_TRIGGERS:
        conn.exec_driver_sql(ddl)


def _has_rank_table(conn: Connection) -> bool:
    if conn.dialect.name != "sqlite":
        return False
    if conn.info.get(RANK_KEY):
        return True
    found = conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE type = 'trigger' "
                                 "AND name = 'relation_rank_insert'").first() is not None
    if found:  # only a positive answer is kept: the table may be made later
        conn.info[RANK_KEY] = True
    return found
