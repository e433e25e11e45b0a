"""What the web pages share: the Jinja2 environment, page rendering, parameter helpers and safe URLs.

Article text and metadata are untrusted: Jinja2 autoescapes everything, the highlighted text and
the SVG pictures are built from escaped pieces, and only http(s) URLs ever become links.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import jinja2
from fastapi import Path as PathParam, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from wirescope import __version__
from wirescope.api.common import MAX_DATE, MAX_NAME, NO_CONTROL
from wirescope.model import RELATION_TYPES
from wirescope.web import svg

TEMPLATES = Path(__file__).resolve().parent / "templates"
VENDOR = Path(__file__).resolve().parent / "static" / "vendor"


def _actor():
    return PathParam(..., min_length=1, max_length=MAX_NAME, pattern=NO_CONTROL)


def _name_query():
    return Query(None, max_length=MAX_NAME, pattern=NO_CONTROL)


def _date_query():
    return Query(None, max_length=MAX_DATE, pattern=NO_CONTROL)


def safe_url(value: Any) -> str | None:
    """The URL if it is a plain http(s) address, else None (javascript:, data:, relative, ...)."""
    if not value or not isinstance(value, str):
        return None
    text = value.strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc and not any(c in text for c in "\"'<> \t\n\r"):
        return text
    return None


def _pct(value: Any) -> str:
    try:
        return f"{float(value) * 100:.0f}%"
    except (TypeError, ValueError):
        return "–"


def _name(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("name") or value.get("id") or "")
    return "" if value is None else str(value)


@lru_cache(maxsize=1)
def templates() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,  # every {{ }} is escaped unless it is Markup we built from escaped pieces
        undefined=jinja2.ChainableUndefined,
        trim_blocks=True, lstrip_blocks=True,
    )
    env.globals.update(
        actor_href=svg.actor_href, relation_href=svg.relation_href, document_href=svg.document_href,
        version=__version__, relation_types=RELATION_TYPES, actor_colours=svg.ACTOR_COLOURS,
        relation_colours=svg.RELATION_COLOURS,
    )
    env.filters.update(safe_url=safe_url, pct=_pct, name=_name, q=lambda v: quote(str(v or ""), safe=""))
    return env


def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    state = request.app.state.ws
    html = templates().get_template(name).render(request_path=request.url.path, writes=state.allow_writes, **context)
    return HTMLResponse(html, status_code=status)


def render_error(request: Request, status: int, error: dict[str, str], headers: dict | None = None) -> HTMLResponse:
    html = templates().get_template("error.html").render(error=error, status=status, request_path=request.url.path)
    return HTMLResponse(html, status_code=status, headers=headers)




def has_cytoscape(request: Request) -> bool:
    """Whether the JavaScript taken from npm at install time is being served."""
    return "vendor/cytoscape.min.js" in request.app.state.ws.static


def json_script(value: Any) -> Markup:
    """JSON to put inside <script type="application/json">: no "<", ">" or "&" left that could end
    the element or start markup (they become \\u003c ...)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)
