"""The FastAPI application: JSON under /api, HTML pages everywhere else, from the same query functions.

Safe by default: bound to loopback names only (a Host header naming anything else gets E506, the
DNS-rebinding defence); read-only unless built with allow_writes and a token; the token is checked
before a write's body is read, and failed tokens are rate-limited per client (wirescope.api.security);
every write is recorded in the knowledge base's audit log; every request body is capped (E504);
every error, ours or the framework's (404, 405, 422, 500), has one JSON shape
{"error": {"code", "message", "hint"}} (HTML pages show the same three fields as a page); no
request path reaches the filesystem (templates and static files are loaded by fixed names).
"""
from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from fastapi import FastAPI, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from wirescope import __version__
from wirescope.api.cache import ViewCache
from wirescope.api.security import (
    SECURITY_HEADERS, BodyLimit, FailureLimiter, SecurityHeaders, TrustedHosts, WriteGuard, allowed_hosts, bearer,
    token_matches,
)
from wirescope.errors import ApiError, ConfigError, WirescopeError
from wirescope.settings import Settings

log = logging.getLogger(__name__)

DEFAULT_MAX_BODY = 5_000_000
STATIC_DIR = Path(__file__).resolve().parent.parent / "web" / "static"
STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                ".svg": "image/svg+xml", ".ico": "image/x-icon"}
# the fallback for errors that have no catalogue code (a bug on our side)
INTERNAL_ERROR = {"code": "E500", "message": "Internal server error.",
                  "hint": "This is a bug in wirescope; the server log has the traceback."}
DEFAULT_IDENTITY = "api-token"
_IDENTITY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}")


@dataclass
class ServerState:
    """What the handlers share: the knowledge base, the write switch and the lazy pipeline."""
    settings: Settings
    kb: Any
    allow_writes: bool = False
    token: str | None = None
    identity: str = DEFAULT_IDENTITY  # who writes with the token: the author of merges and splits
    max_body: int = DEFAULT_MAX_BODY
    limiter: FailureLimiter = field(default_factory=FailureLimiter)
    hosts: frozenset[str] = frozenset()
    pipeline_factory: Callable[[], Any] | None = None
    _pipeline: Any = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    static: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    views: ViewCache = field(default_factory=ViewCache)  # expensive read views, per knowledge-base state

    def pipeline(self):
        """The spaCy pipeline, built on the first write (reads never load it)."""
        with self._lock:
            if self._pipeline is None:
                if self.pipeline_factory is not None:
                    self._pipeline = self.pipeline_factory()
                else:
                    from wirescope.analyse.pipeline import Pipeline

                    self._pipeline = Pipeline(self.settings)
            return self._pipeline

    def authenticate(self, header: str | None) -> str:
        """The identity behind an Authorization header (E502 writes disabled, E503 wrong token).
        WriteGuard does this (and the rate limiting) before the body is read; handlers repeat it."""
        if not self.allow_writes:
            raise ApiError("E502", status=403)
        given = bearer(header)
        if given is None or not token_matches(given, self.token):
            raise ApiError("E503", status=401)
        return self.identity


def status_of(exc: WirescopeError) -> int:
    """HTTP status of a wirescope error."""
    if isinstance(exc, ApiError):
        return exc.status
    code = exc.code
    if code == "E403":
        return 404
    if code == "E404":
        return 409
    if code == "E207":
        return 413
    if code.startswith("E2"):
        return 422
    if code in ("E401", "E405"):
        return 503
    return 500


def _load_static() -> dict[str, tuple[bytes, str]]:
    """Our own files by name, and the JavaScript taken from npm at install time as "vendor/NAME"."""
    files = {}
    for folder, prefix in ((STATIC_DIR, ""), (STATIC_DIR / "vendor", "vendor/")):
        if folder.is_dir():
            for path in folder.iterdir():
                if path.is_file() and path.suffix in STATIC_TYPES:
                    files[prefix + path.name] = (path.read_bytes(), STATIC_TYPES[path.suffix])
    if "vendor/cytoscape.min.js" not in files:
        log.warning("the interactive network view is off: %s/vendor/cytoscape.min.js is missing (npm was not "
                    "available when wirescope was installed); the network page draws its server-rendered "
                    "picture. Install Node.js and npm, then run `pip install -e .` again.", STATIC_DIR)
    return files


def _wants_html(request: Request) -> bool:
    path = request.url.path
    if path.startswith("/api/") or path in ("/api", "/openapi.json") or path.endswith(".svg"):
        return False
    return "text/html" in request.headers.get("accept", "")


def error_response(request: Request, status: int, body: dict, headers: dict | None = None) -> Response:
    if _wants_html(request):
        from wirescope.web.routes import render_error

        return render_error(request, status, body["error"], headers=headers)
    return JSONResponse(body, status_code=status, headers=headers)


def create_app(settings: Settings | None = None, *, allow_writes: bool = False, token: str | None = None,
               max_body: int = DEFAULT_MAX_BODY, pipeline_factory: Callable[[], Any] | None = None,
               kb: Any = None, host: str | None = "127.0.0.1", allowed_host: Iterable[str] = (),
               identity: str | None = None, max_failures: int = 5, failure_window: float = 60.0) -> FastAPI:
    """Build the application over the knowledge base at settings.db_url.

    Requests are answered only for Host names that are loopback, `host` (the address it is bound
    to, unless a wildcard) or one of `allowed_host`. allow_writes needs a token (clients send
    `Authorization: Bearer <token>`); `identity` names whoever holds it (default "api-token"): the
    author of merges and splits and the identity in the audit log. After `max_failures` wrong
    tokens within `failure_window` seconds a client is refused with E509. pipeline_factory builds
    the analysis pipeline on the first write (default: Pipeline(settings)).
    """
    from wirescope.flow import open_kb

    settings = settings or Settings.from_env()
    if allow_writes and not token:
        raise ConfigError("E103", name="WIRESCOPE_TOKEN", value="",
                          reason="--allow-writes needs a token: set WIRESCOPE_TOKEN")
    if max_body <= 0:
        raise ConfigError("E103", name="max_body", value=max_body, reason="must be a positive number of bytes")
    identity = identity or DEFAULT_IDENTITY
    if not _IDENTITY.fullmatch(identity):
        raise ConfigError("E103", name="identity", value=identity[:80],
                          reason="1-64 letters, digits or . _ @ + - (starting with a letter or digit)")
    try:
        hosts = allowed_hosts(host, allowed_host)
    except ValueError:
        raise ConfigError("E103", name="allowed_host", value="", reason="not a host name or IP address") from None
    kb = kb or open_kb(settings.db_url, settings=settings)
    state = ServerState(settings=settings, kb=kb, allow_writes=allow_writes, token=token, identity=identity,
                        max_body=max_body, pipeline_factory=pipeline_factory, static=_load_static(),
                        limiter=FailureLimiter(max_failures, failure_window), hosts=hosts)

    app = FastAPI(
        title="wirescope",
        version=__version__,
        description=("Read a wirescope knowledge base: actors, who said what about whom, typed relations with "
                     "their supporting and contradicting statements, events on a timeline. Every error has the "
                     'shape {"error": {"code", "message", "hint"}}; every list has the shape {"items", "total", "limit", '
                     '"offset", "next"}. Writes need --allow-writes and a bearer token, and are recorded in an '
                     'audit log.'),
        docs_url=None, redoc_url=None, swagger_ui_oauth2_redirect_url=None,
    )
    app.state.ws = state

    @app.exception_handler(WirescopeError)
    async def _wirescope_error(request: Request, exc: WirescopeError):
        headers = {"www-authenticate": "Bearer"} if exc.code == "E503" else None
        return error_response(request, status_of(exc), exc.to_dict(), headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 404:
            err = ApiError("E501", status=404, what=request.url.path)
        elif exc.status_code == 405:
            err = ApiError("E505", status=405, reason=f"{request.method} is not allowed on {request.url.path}")
        else:
            err = ApiError("E505", status=exc.status_code, reason=str(exc.detail))
        return error_response(request, err.status, err.to_dict(), getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError):
        return error_response(request, 422, ApiError("E505", status=422, reason=describe_validation(exc)).to_dict())

    @app.exception_handler(Exception)
    async def _internal_error(request: Request, exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        # this response is built outside the middleware stack (ServerErrorMiddleware): add the headers here
        return error_response(request, 500, {"error": dict(INTERNAL_ERROR)}, headers=dict(SECURITY_HEADERS))

    from wirescope.api.docs import docs_page
    from wirescope.api.exports import router as export_router
    from wirescope.api.network import router as network_router
    from wirescope.api.routes import router as read_router
    from wirescope.api.writes import router as write_router
    from wirescope.web.routes import router as web_router

    app.include_router(read_router)
    app.include_router(network_router)
    app.include_router(export_router)
    app.include_router(write_router)
    app.include_router(web_router)

    @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    def _docs() -> HTMLResponse:
        return HTMLResponse(docs_page(app.openapi()))

    def _static_file(key: str) -> Response:
        found = state.static.get(key)  # a fixed in-memory table: the request never names a file
        if found is None:
            raise ApiError("E501", status=404, what=f"static file {key}")
        body, media = found
        return Response(body, media_type=media, headers={"cache-control": "public, max-age=3600"})

    @app.get("/static/{name}", include_in_schema=False)
    def _static(name: str = PathParam(..., max_length=100)) -> Response:
        return _static_file(name)

    @app.get("/static/vendor/{name}", include_in_schema=False)
    def _static_vendor(name: str = PathParam(..., max_length=100)) -> Response:
        return _static_file("vendor/" + name)

    # outermost last: SecurityHeaders -> TrustedHosts -> WriteGuard -> BodyLimit -> the routes
    app.add_middleware(BodyLimit, limit=max_body)
    app.add_middleware(WriteGuard, state=state, routes=[*write_router.routes, *web_router.routes],
                       html_error=_html_error)
    app.add_middleware(TrustedHosts, allowed=hosts)
    app.add_middleware(SecurityHeaders)
    return app


def _html_error(scope, exc: ApiError) -> Response:
    """A refused web form as a page (WriteGuard answers before the routes run)."""
    from wirescope.web.routes import render_error

    return render_error(Request(scope), exc.status, exc.to_dict()["error"])


def describe_validation(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path"))
        parts.append(f"{where or 'body'}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "the request does not match the expected shape"
