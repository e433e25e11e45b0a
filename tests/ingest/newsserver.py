"""A small news site on 127.0.0.1 for the source and watch tests (http.server in a thread).

Routes live in `NewsServer.routes` (path -> Route) and can be changed while it runs; every request
is logged in `hits` (path, User-Agent) so tests can check what was fetched, how often, and by whom.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering
    stream: int = 0  # send this many bytes of filler in chunks (a huge page), no Content-Length
    fail_first: int = 0  # answer 503 this many times before answering normally
    etag: str | None = None  # answer 304 to a matching If-None-Match


def article(title: str, body: str, date: str = "2021-03-20", site: str = "Frontier Dispatch") -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n") if p.strip())
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title} | {site}</title>
<meta property="og:title" content="{title}"><meta property="og:site_name" content="{site}">
<meta name="date" content="{date}"><meta property="article:published_time" content="{date}T08:00:00Z">
</head><body><header><nav><a href="/">Home</a> | <a href="/world">World</a></nav></header>
<main><article><h1>{title}</h1><p class="byline">By Staff Reporter</p>{paragraphs}</article></main>
<footer><p>Copyright {site}. All rights reserved.</p></footer></body></html>""".encode("utf-8")


def rss(title: str, items: list[tuple[str, str, str]], base: str = "") -> bytes:
    """items: (title, link, RFC 822 date)."""
    entries = "".join(f"<item><title>{t}</title><link>{base}{link}</link><guid>{base}{link}</guid>"
                      f"<pubDate>{d}</pubDate><description>{t}</description></item>" for t, link, d in items)
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>{base}/</link><description>{title}</description>{entries}</channel></rss>").encode("utf-8")


def atom(title: str, items: list[tuple[str, str, str]], base: str = "") -> bytes:
    """items: (title, link, ISO date)."""
    entries = "".join(f'<entry><title>{t}</title><link href="{base}{link}"/><id>{base}{link}</id>'
                      f"<updated>{d}</updated><summary>{t}</summary></entry>" for t, link, d in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>{title}</title>'
            f'<id>{base}/atom</id><updated>2021-03-20T00:00:00Z</updated>{entries}</feed>').encode("utf-8")


def opml(feeds: list[tuple[str, str]]) -> bytes:
    outlines = "".join(f'<outline type="rss" text="{t}" title="{t}" xmlUrl="{u}"/>' for t, u in feeds)
    return (f'<?xml version="1.0"?><opml version="2.0"><head><title>Feeds</title></head><body>'
            f'<outline text="News">{outlines}</outline></body></opml>').encode("utf-8")


class NewsServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        self._served: dict[str, int] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # noqa: ANN002 - quiet
                pass

            def do_GET(self):  # noqa: N802
                path = self.path
                with server._lock:
                    server.hits.append((path, self.headers.get("User-Agent", "")))
                    count = server._served.get(path, 0)
                    server._served[path] = count + 1
                route = server.routes.get(path)
                if route is None:
                    return self._send(404, b"not found", "text/plain")
                if route.delay:
                    time.sleep(route.delay)
                if count < route.fail_first:
                    return self._send(503, b"try later", "text/plain")
                if route.etag and self.headers.get("If-None-Match") == route.etag:
                    return self._send(304, b"", None, {"ETag": route.etag})
                headers = dict(route.headers)
                if route.etag:
                    headers["ETag"] = route.etag
                if route.stream:
                    self.send_response(route.status)
                    self.send_header("Content-Type", route.content_type)
                    self.send_header("Connection", "close")
                    self.end_headers()
                    chunk = b"<p>" + b"filler " * 1400 + b"</p>\n"
                    sent = 0
                    try:
                        self.wfile.write(b"<html><body>")
                        while sent < route.stream:
                            self.wfile.write(chunk)
                            sent += len(chunk)
                        with server._lock:
                            server.streamed_to_end = True
                    except (BrokenPipeError, ConnectionResetError):
                        pass
                    self.close_connection = True
                    return
                return self._send(route.status, route.body, route.content_type, headers)

            def _send(self, status, body, ctype, headers=None):  # noqa: ANN001
                self.send_response(status)
                if ctype:
                    self.send_header("Content-Type", ctype)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if body:
                    try:
                        self.wfile.write(body)
                    except (BrokenPipeError, ConnectionResetError):
                        pass

        self.streamed_to_end = False
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "NewsServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str) -> str:
        return self.base + path

    def count(self, path: str) -> int:
        with self._lock:
            return sum(1 for p, _ in self.hits if p == path)

    def reset_hits(self) -> None:
        with self._lock:
            self.hits.clear()
            self._served.clear()

    def add(self, path: str, body: bytes | str = b"", **kw) -> Route:
        route = Route(body=body.encode("utf-8") if isinstance(body, str) else body, **kw)
        self.routes[path] = route
        return route


def when(predicate: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()
