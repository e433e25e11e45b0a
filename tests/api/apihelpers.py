"""What the API tests share (imported by name: tests/api is on sys.path, see conftest.py)."""
from __future__ import annotations

TOKEN = "test-token-7f3a"
BASE = "http://localhost"  # the server answers loopback Host names only (E506 for others)


def make_client(app, **kwargs):
    from fastapi.testclient import TestClient

    return TestClient(app, base_url=kwargs.pop("base_url", BASE), raise_server_exceptions=False, **kwargs)


def never_builds():
    raise AssertionError("the pipeline must not load for this request")


def assert_error_shape(body: dict, code: str) -> None:
    assert set(body) == {"error"}
    # an ambiguous name (E404) adds the actors it could mean; nothing else adds fields
    assert set(body["error"]) == ({"code", "message", "hint", "candidates"} if code == "E404" else {"code", "message", "hint"})
    assert body["error"]["code"] == code
    assert all(isinstance(body["error"][k], str) and body["error"][k] for k in ("code", "message", "hint"))
    if code == "E404":
        assert isinstance(body["error"]["candidates"], list) and len(body["error"]["candidates"]) >= 2


class Spy:
    """ASGI wrapper: counts the request body bytes the application read, and can pose as another
    client address."""

    def __init__(self, app, client: tuple[str, int] | None = None) -> None:
        self.app = app
        self.client = client
        self.received = 0

    async def __call__(self, scope, receive, send):
        if self.client and scope["type"] == "http":
            scope = dict(scope, client=self.client)

        async def counting():
            message = await receive()
            self.received += len(message.get("body", b""))
            return message

        await self.app(scope, counting, send)
