"""The ASGI layers in front of the application, outermost first:

    SecurityHeaders -> TrustedHosts -> WriteGuard -> BodyLimit -> the FastAPI routes

- TrustedHosts (DNS-rebinding defence): only requests whose Host header names a loopback address
  (127.0.0.1, localhost, [::1], any port) or a configured name are answered; others get E506 (400).
- WriteGuard: a request for a protected route (tagged "write" or "audit") is authenticated before a
  single byte of its body is read: writes disabled -> E502 (403), wrong token -> E503 (401), too many
  failed tokens from one client -> E509 (429, Retry-After). Failures are logged (never the token).
  The web UI's forms (routes also tagged "form") may carry the token as a `token` field instead of
  the header: such a request must come from this server's own pages (an Origin header naming
  another site is refused, E505 403, before the token is looked at, so a foreign page can neither
  write nor lock the analyst out), and only a form body of at most FORM_LIMIT bytes is read to find
  the token, after the lockout check and before any handler runs.
- BodyLimit: bodies above the limit are refused (E504, 413) without reading more than limit+1 bytes.

Every refusal has the API's one error shape and the security headers.
"""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import math
import re
import threading
import time
from collections import deque
from typing import Any, Callable, Iterable
from urllib.parse import parse_qs

from fastapi.responses import JSONResponse
from starlette.routing import Match

from wirescope.errors import ApiError

log = logging.getLogger("wirescope.api.security")

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
WILDCARD_BINDS = ("0.0.0.0", "::", "")
PROTECTED_TAGS = frozenset({"write", "audit"})
FORM_TAG = "form"  # a web form: the token may come as a form field (see WriteGuard)
FORM_LIMIT = 16_384  # bytes of a form body read to find its token
FORM_TYPE = "application/x-www-form-urlencoded"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
SECURITY_HEADERS = {
    "content-security-policy": ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",  # no address leaves for other sites; our own form posts keep their Origin
    "x-frame-options": "DENY",
    "cross-origin-resource-policy": "same-origin",
}
_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_PORT = re.compile(r"^\d{1,5}$")


# ---- host names -------------------------------------------------------------------------------
def normalise_host(value: str) -> str | None:
    """A host name or IP literal as compared by TrustedHosts (lower case, no trailing dot, IPv6
    without brackets), or None when it is not a valid host name or address."""
    text = (value or "").strip().lower()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    if text.endswith(".") and not text.endswith(".."):
        text = text[:-1]
    if not text or len(text) > 253:
        return None
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        pass
    if all(_HOST_LABEL.match(label) for label in text.split(".")):
        return text
    return None


def host_of_header(value: str) -> str | None:
    """The host part of a Host header ("example.org:8000", "[::1]:8000", "localhost"), normalised;
    None when the header is malformed."""
    text = value.strip()
    if text.startswith("["):
        end = text.find("]")
        if end < 0:
            return None
        host, rest = text[:end + 1], text[end + 1:]
        if rest and not (rest.startswith(":") and _PORT.match(rest[1:])):
            return None
        found = normalise_host(host)
        return found if found and ":" in found else None  # brackets only around IPv6
    host, sep, port = text.partition(":")
    if sep and not _PORT.match(port):
        return None
    return normalise_host(host)


def is_loopback(host: str) -> bool:
    """Whether binding to `host` keeps the server on this machine (127.0.0.0/8, ::1, localhost)."""
    name = normalise_host(host)
    if name is None:
        return False
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def allowed_hosts(bind: str | None, extra: Iterable[str] = ()) -> frozenset[str]:
    """The Host names a server bound to `bind` answers: loopback, the bind address itself (unless it
    is a wildcard such as 0.0.0.0) and the extra names."""
    names = set(LOOPBACK_NAMES)
    if bind and bind.strip() not in WILDCARD_BINDS:
        found = normalise_host(bind)
        if found:
            names.add(found)
    for value in extra:
        found = normalise_host(value)
        if found is None:
            raise ValueError("not a host name or IP address")
        names.add(found)
    return frozenset(names)


# ---- shared response helpers ------------------------------------------------------------------
def _headers(scope) -> dict[bytes, list[bytes]]:
    out: dict[bytes, list[bytes]] = {}
    for name, value in scope.get("headers") or []:
        out.setdefault(name.lower(), []).append(value)
    return out


def client_of(scope) -> str:
    client = scope.get("client")
    return str(client[0])[:64] if client else "unknown"


async def refuse(scope, receive, send, exc: ApiError, headers: dict[str, str] | None = None) -> None:
    """Answer with the error shape without reading the request body; the connection is closed so
    an unread body cannot be taken for the next request."""
    response = JSONResponse(exc.to_dict(), status_code=exc.status,
                            headers={"connection": "close", **SECURITY_HEADERS, **(headers or {})})
    await response(scope, receive, send)


class SecurityHeaders:
    """Add the security headers to every response that does not set them itself, and keep
    answers out of caches unless they say otherwise (static files do)."""

    def __init__(self, app) -> None:
        self.app = app
        self.extra = [(k.encode(), v.encode()) for k, v in {**SECURITY_HEADERS, "cache-control": "no-store"}.items()]

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def sending(message):
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers") or []}
                message = dict(message, headers=list(message.get("headers") or [])
                               + [(k, v) for k, v in self.extra if k not in present])
            await send(message)

        return await self.app(scope, receive, sending)


class TrustedHosts:
    """Refuse (E506, 400) any request whose Host header is missing, repeated, malformed or not in
    `allowed` (normalised names, see allowed_hosts)."""

    def __init__(self, app, allowed: Iterable[str]) -> None:
        self.app = app
        self.allowed = frozenset(allowed)

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        values = _headers(scope).get(b"host", [])
        host = host_of_header(values[0].decode("latin-1")) if len(values) == 1 else None
        if host is None or host not in self.allowed:
            log.warning("refused a request for an unknown host from %s: %r", client_of(scope),
                        values[0][:100] if values else None)
            if scope["type"] != "http":
                return await send({"type": "websocket.close", "code": 1008})
            return await refuse(scope, receive, send, ApiError("E506", status=400))
        return await self.app(scope, receive, send)


# ---- authentication ----------------------------------------------------------------------------
class FailureLimiter:
    """Failed tokens per client in a sliding window: after `limit` failures within `window`
    seconds the client is refused until the oldest of them leaves the window."""

    MAX_CLIENTS = 10_000

    def __init__(self, limit: int = 5, window: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> deque[float]:
        found = self._failures.get(client)
        if found is None:
            return deque()
        while found and found[0] <= now - self.window:
            found.popleft()
        if not found:
            del self._failures[client]
        return found

    def retry_after(self, client: str) -> int | None:
        """Seconds until `client` may try again, or None when it may try now."""
        with self._lock:
            now = self.clock()
            recent = self._recent(client, now)
            if len(recent) < self.limit:
                return None
            return max(1, math.ceil(recent[-self.limit] + self.window - now))

    def fail(self, client: str) -> int:
        """Record a failure; returns the failures of `client` within the window."""
        with self._lock:
            now = self.clock()
            if client not in self._failures and len(self._failures) >= self.MAX_CLIENTS:
                self._prune(now)
            recent = self._failures.setdefault(client, deque(maxlen=self.limit * 4))
            recent.append(now)
            return len(recent)

    def _prune(self, now: float) -> None:
        for client in list(self._failures):
            self._recent(client, now)
        while len(self._failures) >= self.MAX_CLIENTS:  # still full: forget the longest quiet client
            oldest = min(self._failures, key=lambda c: self._failures[c][-1])
            del self._failures[oldest]


def token_matches(given: str, token: str | None) -> bool:
    """Constant-time comparison (of digests, so the token's length does not leak either)."""
    if not token:
        return False
    return hmac.compare_digest(hashlib.sha256(given.encode("utf-8", "surrogateescape")).digest(),
                               hashlib.sha256(token.encode("utf-8")).digest())


def bearer(header: str | None) -> str | None:
    scheme, _, given = (header or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        return None
    return given.strip()


class WriteGuard:
    """Authenticate requests for protected routes before their body is read (see the module doc).

    `routes` are the routes to protect (those tagged "write" or "audit" are kept); a request is
    protected when one of them matches its method and path. On success the identity
    (state.identity) is put into the request's state for the handlers. `html_error(scope, exc)`,
    when given, answers refused web forms (routes tagged "form") with a page for a browser."""

    def __init__(self, app, state: Any, routes: Iterable[Any], html_error: Callable | None = None) -> None:
        self.app = app
        self.state = state
        self.routes = [r for r in routes if PROTECTED_TAGS & set(getattr(r, "tags", None) or ())]
        self.html_error = html_error

    def _match(self, scope):
        return next((route for route in self.routes if route.matches(scope)[0] == Match.FULL), None)

    async def __call__(self, scope, receive, send):
        route = self._match(scope) if scope["type"] == "http" else None
        if route is None:
            return await self.app(scope, receive, send)
        state = self.state
        client = client_of(scope)
        where = f"{scope['method']} {scope.get('path', '')[:200]}"
        headers = _headers(scope)
        form = FORM_TAG in (getattr(route, "tags", None) or ())

        async def refusing(exc: ApiError, extra: dict[str, str] | None = None):
            if form and self.html_error is not None and b"text/html" in b",".join(headers.get(b"accept", [])):
                response = self.html_error(scope, exc)
                for name, value in {"connection": "close", **SECURITY_HEADERS, **(extra or {})}.items():
                    response.headers[name] = value
                return await response(scope, receive, send)
            return await refuse(scope, receive, send, exc, extra)

        if form and not same_origin(headers):
            log.warning("refused %r from %s: a form posted from another site", where, client)
            return await refusing(ApiError("E505", status=403, reason="a form posted from another site"))
        if not state.allow_writes:
            return await refusing(ApiError("E502", status=403))
        wait = state.limiter.retry_after(client)
        if wait is not None:
            log.warning("refused %r from %s: too many failed tokens (retry in %ds)", where, client, wait)
            return await refusing(ApiError("E509", status=429, retry=wait), {"retry-after": str(wait)})
        values = headers.get(b"authorization", [])
        given = bearer(values[0].decode("latin-1")) if len(values) == 1 else None
        if given is None and form and not values and _content_type(headers) == FORM_TYPE:
            body = await _read_at_most(receive, FORM_LIMIT)
            if body is None:
                return await refusing(ApiError("E504", status=413, size=f"{FORM_LIMIT}+", limit=FORM_LIMIT))
            if body is False:
                return
            found = parse_qs(body.decode("latin-1"), max_num_fields=200).get("token") or []
            given = found[0].strip() if len(found) == 1 and found[0].strip() else None
            receive = _replay(body, receive)
        if given is None or not token_matches(given, state.token):
            failures = state.limiter.fail(client)
            log.warning("refused %r from %s: %s token (%d failure(s) in %ds)", where, client,
                        "missing" if given is None else "wrong", failures, int(state.limiter.window))
            return await refusing(ApiError("E503", status=401), {"www-authenticate": "Bearer"})
        scope.setdefault("state", {})["identity"] = state.identity
        return await self.app(scope, receive, send)


def same_origin(headers: dict[bytes, list[bytes]]) -> bool:
    """Whether a form post comes from this server's own pages: no Origin header (not a browser), or
    one whose host and port are the Host header's. "null" (a sandboxed or privacy-hidden origin) is
    not this server."""
    origins = headers.get(b"origin", [])
    if not origins:
        return True
    hosts = headers.get(b"host", [])
    if len(origins) != 1 or len(hosts) != 1:
        return False
    origin = origins[0].decode("latin-1").strip()
    scheme, sep, rest = origin.partition("://")
    if not sep or scheme.lower() not in ("http", "https") or "/" in rest:
        return False
    return rest.lower() == hosts[0].decode("latin-1").strip().lower()


def _content_type(headers: dict[bytes, list[bytes]]) -> str:
    values = headers.get(b"content-type", [])
    return values[0].decode("latin-1").split(";")[0].strip().lower() if len(values) == 1 else ""


async def _read_at_most(receive, limit: int):
    """The whole body if it is at most `limit` bytes; None when longer (not read further); False
    when the client went away."""
    chunks, total, more = [], 0, True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            return False
        chunk = message.get("body", b"")
        total += len(chunk)
        if total > limit:
            return None
        chunks.append(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks)


def _replay(body: bytes, receive):
    sent = False

    async def replay():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()
    return replay


# ---- body size -----------------------------------------------------------------------------------
class BodyLimit:
    """Refuse request bodies above `limit` bytes (E504, 413) without reading more than limit+1
    bytes; a declared Content-Length above the limit is refused before reading."""

    def __init__(self, app, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            return await self.app(scope, receive, send)
        declared = _headers(scope).get(b"content-length") or []
        try:
            size = max(int(v) for v in declared) if declared else -1
        except ValueError:  # malformed: the streamed count below still holds the limit
            size = -1
        if size > self.limit:
            return await self._refuse(scope, receive, send, size)
        chunks, total, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            total += len(chunk)
            if total > self.limit:
                return await self._refuse(scope, receive, send, total, partial=True)
            chunks.append(chunk)
            more = message.get("more_body", False)
        return await self.app(scope, _replay(b"".join(chunks), receive), send)

    async def _refuse(self, scope, receive, send, size: int, partial: bool = False):
        await refuse(scope, receive, send,
                     ApiError("E504", status=413, size=f"{size}+" if partial else size, limit=self.limit))
