"""Cross-document entity resolution: which stored actor is a document's local actor?"""
from __future__ import annotations

import hashlib
import re
import unicodedata

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from wirescope.store import schema as S


def name_key(name: str) -> str:
    try:
        from wirescope.analyse.names import name_key as key
    except ImportError:
        text = unicodedata.normalize("NFKD", name)
        text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
        return re.sub(r"[^\w]+", " ", text).strip()
    return key(name)


def new_kb_id(seed: str) -> str:
    return "ent_" + hashlib.sha1(seed.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def default_resolver(conn: Connection, entity, doc_id: str) -> str:
    """First cut: same type and the same name key -> the same actor; anonymous sources never merge."""
    key = name_key(entity.name)
    if not entity.anonymous and key:
        keys = {key, *(name_key(a) for a in entity.aliases)} - {""}
        row = conn.execute(
            select(S.kb_entities.c.id).join(S.kb_names, S.kb_names.c.kb_entity == S.kb_entities.c.id)
            .where(S.kb_names.c.key.in_(keys), S.kb_entities.c.type == entity.type,
                   S.kb_entities.c.merged_into.is_(None), S.kb_entities.c.anonymous.is_(False))
            .limit(1)
        ).first()
        if row:
            _add_names(conn, row[0], entity, doc_id)
            return row[0]
    kb_id = new_kb_id(f"{doc_id}/{entity.id}" if entity.anonymous else f"{entity.type}/{key or entity.name}")
    exists = conn.execute(select(S.kb_entities.c.id).where(S.kb_entities.c.id == kb_id)).first()
    if exists:
        kb_id = new_kb_id(f"{doc_id}/{entity.id}")
    conn.execute(insert(S.kb_entities).values(
        id=kb_id, name=entity.name, key=key, type=entity.type, subtype=entity.subtype,
        anonymous=entity.anonymous, country=entity.country,
    ))
    _add_names(conn, kb_id, entity, doc_id)
    return kb_id


def _add_names(conn: Connection, kb_id: str, entity, doc_id: str) -> None:
    rows = [dict(kb_entity=kb_id, name=entity.name, key=name_key(entity.name), how="canonical", doc_id=doc_id)]
    for alias in entity.aliases:
        rows.append(dict(kb_entity=kb_id, name=alias, key=name_key(alias),
                         how=entity.alias_sources.get(alias, "alias"), doc_id=doc_id))
    conn.execute(insert(S.kb_names), rows)
