"""The write side of the API: ingest articles, record an analyst's merge or split.

Only reached after ServerState.check_token. The spaCy pipeline is built on the first ingest. Each
article goes through the same path as `wirescope ingest`: make_document (date and size checks),
the pipeline, then `wirescope.flow.Ingest` (one transaction per document, idempotent).
"""
from __future__ import annotations

from typing import Any

from wirescope.errors import ApiError, WirescopeError
from wirescope.flow import Ingest


def _raise(exc: WirescopeError) -> None:
    raise exc


def ingest(state, articles: list[dict[str, Any]]) -> dict[str, Any]:
    from wirescope.ingest.readers import make_document

    docs = []
    for number, article in enumerate(articles, 1):
        text = article["text"]
        if len(text) > state.settings.max_chars:
            raise WirescopeError("E207", path=f"article {number}", size=len(text), limit=state.settings.max_chars)
        meta = {k: article.get(k) for k in ("published", "url", "title", "outlet") if article.get(k)}
        doc = make_document(text, meta, source=f"api:{number}")  # E202 empty, E206 bad date
        if state.settings.published and not doc.published:
            doc.published = state.settings.published.isoformat()
        docs.append(doc)
    pipeline = state.pipeline()
    results = []
    with state._lock:  # one analysis at a time: the pipeline is shared
        analyses = list(pipeline.analyse_many(docs, batch_size=len(docs)))
    for analysis in analyses:
        if isinstance(analysis, WirescopeError):
            raise analysis
    flow = Ingest(state.kb, on_error=_raise)
    for analysis in analyses:
        saved = flow.store(analysis)
        results.append({
            "id": saved.doc_id, "stored": saved.stored, "duplicate_of": saved.duplicate_of,
            "href": f"/documents/{saved.doc_id}", "api": f"/api/documents/{saved.doc_id}",
            "actors": len(analysis.entities), "statements": len(analysis.statements),
            "relations": len(analysis.relations), "events": len(analysis.events),
        })
    return {"documents": results, "counts": state.kb.counts()}


def merge(state, keep: str, drop: str, author: str = "analyst", note: str | None = None) -> dict[str, Any]:
    """An analyst's judgement that two actors are one: recorded, `drop` folds into `keep`."""
    from wirescope.resolve.judgements import merge as merge_entities

    if keep == drop:
        raise ApiError("E505", status=422, reason="keep and drop are the same actor")
    with state.kb.engine.begin() as conn:
        _exists(conn, keep)
        _exists(conn, drop)
        survivor = merge_entities(conn, keep, drop, author=author,
                                  explanation={"action": "merge", "via": "api", **({"note": note} if note else {})})
    return {"merged": drop, "into": survivor, "href": f"/actors/{survivor}"}


def split(state, kb_id: str, documents: list[str] | None = None, names: list[str] | None = None,
          author: str = "analyst", note: str | None = None) -> dict[str, Any]:
    """An analyst's split: the document actors of `kb_id` going by `names` (or found in
    `documents`) move to a new actor; recorded as a judgement."""
    from wirescope.resolve.judgements import split as split_entity

    if not documents and not names:
        raise ApiError("E505", status=422, reason="give the documents or the names to split out")
    with state.kb.engine.begin() as conn:
        _exists(conn, kb_id)
        result = split_entity(conn, kb_id, names=list(names or []), author=author, docs=list(documents or []) or None)
    if not result.get("new"):
        raise ApiError("E505", status=422, reason="no mention of this actor matches those names or documents")
    return {**result, "href": f"/actors/{result['new']}", "note": note}


def _exists(conn, kb_id: str) -> None:
    from sqlalchemy import select

    from wirescope.store import schema as S

    if conn.execute(select(S.kb_entities.c.id).where(S.kb_entities.c.id == kb_id)).first() is None:
        raise ApiError("E501", status=404, what=f"actor {kb_id}")
