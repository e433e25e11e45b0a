"""What the JSON routes and the HTML pages share: reading connections, parameter checks and bounds,
actor lookup with structured ambiguity (404 / 409 + candidates), the list envelope."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator
from urllib.parse import urlencode

from fastapi import Query, Request
from fastapi.responses import Response

from wirescope.errors import ApiError, StoreError
from wirescope.model import RELATION_TYPES
from wirescope.settings import parse_date

# bounds of every query and path parameter (above them: 422, E505)
MAX_NAME = 200  # an actor's name or id
MAX_ID = 100  # a document id
MAX_SEARCH = 500  # a full-text query
MAX_DATE = 32
MAX_TYPE = 32
MAX_TYPES = 20  # relation types in one request
MAX_OFFSET = 1_000_000_000
MAX_LIMIT = 500
MAX_MATCHES = 100  # actors listed for one name (their total is capped there)
NO_CONTROL = r"^[^\x00-\x1f\x7f]*$"  # no control characters in names, ids and dates


# ---- reading -------------------------------------------------------------------------------------
@contextmanager
def reading(request: Request) -> Iterator[Any]:
    with request.app.state.ws.kb.engine.connect() as conn:
        yield conn


def not_found(what: str) -> ApiError:
    return ApiError("E501", status=404, what=what)


def invalid(reason: str) -> ApiError:
    return ApiError("E505", status=422, reason=reason)


# ---- parameters ----------------------------------------------------------------------------------
def name_query(description: str = "An actor's id or name", alias: str | None = None, deprecated: bool = False):
    return Query(None, min_length=1, max_length=MAX_NAME, pattern=NO_CONTROL, description=description,
                 alias=alias, deprecated=deprecated)


def date_query(description: str):
    return Query(None, max_length=MAX_DATE, pattern=NO_CONTROL, description=description)


def limit_query(default: int = 50, maximum: int = MAX_LIMIT):
    return Query(default, ge=1, le=maximum, description=f"Items per page (1-{maximum})")


def offset_query():
    return Query(0, ge=0, le=MAX_OFFSET, description="Items to skip")


def check_date(value: str | None, name: str) -> str | None:
    if value in (None, ""):
        return None
    return parse_date(value, where=name).isoformat()


def check_types(types: list[str] | None) -> list[str] | None:
    """Relation types from repeated or comma-separated parameters, each one known."""
    if not types:
        return None
    if len(types) > MAX_TYPES or any(len(raw) > MAX_TYPE * MAX_TYPES for raw in types):
        raise invalid(f"type: at most {MAX_TYPES} relation types")
    found = [t.strip() for raw in types for t in raw.split(",") if t.strip()]
    if len(found) > MAX_TYPES:
        raise invalid(f"type: at most {MAX_TYPES} relation types")
    bad = [t for t in found if t not in RELATION_TYPES]
    if bad:
        shown = bad[0] if len(bad[0]) <= MAX_TYPE else bad[0][:MAX_TYPE] + "…"
        raise invalid(f"unknown relation type {shown!r}; valid: {', '.join(RELATION_TYPES)}")
    return list(dict.fromkeys(found)) or None


def one_of(value: str | None, deprecated: str | None, name: str, old: str) -> str | None:
    """A parameter and its deprecated alias (entity= for actor=): either, or both when equal."""
    if value and deprecated and value != deprecated:
        raise invalid(f"{name} and {old} name different actors; give {name} only")
    return (value or deprecated or "").strip() or None


# ---- actors --------------------------------------------------------------------------------------
class AmbiguousName(ApiError):
    """E404 (409) with the actors the name could mean, as structured `candidates`."""

    def __init__(self, name: str, candidates: list[dict[str, Any]], options: str) -> None:
        super().__init__("E404", status=409, name=name, options=options)
        self.candidates = candidates

    def to_dict(self) -> dict[str, Any]:
        out = super().to_dict()
        out["error"]["candidates"] = self.candidates
        return out


def candidates(conn, name: str, limit: int = 20) -> list[dict[str, Any]]:
    """The actors an ambiguous name could mean, best first (as wirescope.query.common.resolve_entity
    weighs them: exact or alias matches before prefixes, named before anonymous)."""
    from wirescope.query.common import find_entities

    rows = find_entities(conn, name, limit=50)
    rows = [r for r in rows if r["match"] != "prefix"] or rows
    named = [r for r in rows if not r["anonymous"]] or rows
    top = [r for r in named if r["match"] == named[0]["match"]] if named else []
    return [{"id": r["id"], "name": r["name"], "type": r["type"], "documents": r["documents"]} for r in top[:limit]]


def resolve_actor(conn, ref: str) -> dict[str, Any]:
    """The one actor an id or name denotes (merged ids read as the survivor): E403 (404) when none,
    E404 (409, with candidates) when several fit."""
    from wirescope.query.common import resolve_entity

    text = (ref or "").strip()
    if not text:
        raise ApiError("E403", status=404, name="")
    try:
        return resolve_entity(conn, text)
    except StoreError as exc:
        if exc.code == "E403":
            raise ApiError("E403", status=404, **exc.params) from None
        if exc.code == "E404":
            raise AmbiguousName(text, candidates(conn, text), exc.params.get("options", "")) from None
        raise


def actor_id(conn, ref: str | None) -> str | None:
    return resolve_actor(conn, ref)["id"] if ref else None


def entity_or_404(conn, ref: str) -> dict[str, Any]:
    """The profile of an actor by id or by name."""
    from wirescope.query.entities import entity_profile

    kb_id = resolve_actor(conn, ref)["id"]
    try:
        profile = entity_profile(conn, kb_id)
    except StoreError as exc:
        if exc.code in ("E403", "E404"):
            raise not_found(f"actor {kb_id}") from None
        raise
    if not profile:
        raise not_found(f"actor {kb_id}")
    return profile


def relation_or_404(conn, subject: str, type_: str, obj: str) -> dict[str, Any]:
    from wirescope.query.relations import relation_detail

    try:
        row = relation_detail(conn, subject, type_, obj)
    except StoreError as exc:
        if exc.code in ("E403", "E404"):
            raise not_found(f"relation {subject} {type_} {obj}") from None
        raise
    if not row or not (row.get("support") or row.get("against")):
        raise not_found(f"relation {subject} {type_} {obj}")
    return row


# ---- answers ------------------------------------------------------------------------------------
_SCALARS = frozenset({str, int, float, bool, type(None)})


def plain(value: Any) -> Any:
    """Plain JSON values (dates as ISO strings, sets and tuples as lists)."""
    kind = type(value)
    if kind in _SCALARS:  # the common cases first: a large profile holds hundreds of thousands of values
        return value
    if kind is dict:
        return {k if type(k) is str else str(k): plain(v) for k, v in value.items()}
    if kind is list:
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def graph_json(graph) -> dict[str, Any]:
    """A networkx MultiDiGraph as {"nodes": [...], "edges": [...]} of plain values."""
    nodes = [{"id": n, **plain(attrs)} for n, attrs in graph.nodes(data=True)]
    edges = [{"source": u, "target": v, "key": k, **plain(attrs)} for u, v, k, attrs in graph.edges(keys=True, data=True)]
    return {"nodes": nodes, "edges": edges}


def next_url(request: Request, offset: int, limit: int) -> str:
    """The same request with another offset, as a relative URL (the Host header is never echoed)."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k not in ("offset", "limit")]
    params += [("limit", str(limit)), ("offset", str(offset))]
    return f"{request.url.path}?{urlencode(params)}"


def page(request: Request, items: list, total: int, limit: int, offset: int) -> dict[str, Any]:
    """The list envelope: {"items", "total", "limit", "offset", "next"}."""
    following = offset + limit
    return {"items": plain(items), "total": total, "limit": limit, "offset": offset,
            "next": next_url(request, following, limit) if following < total else None}


def sliced(request: Request, rows: list, limit: int, offset: int) -> dict[str, Any]:
    """The envelope over a list computed whole."""
    return page(request, rows[offset:offset + limit], len(rows), limit, offset)


def svg_response(svg: str) -> Response:
    return Response(svg, media_type="image/svg+xml")
