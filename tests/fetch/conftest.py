"""A small Arabic news site served from 127.0.0.1 for the fetch tests (tests/data/news-site).

Its feed and robots.txt are stored as feed.rss and robots.rules, names that
`nashra build` does not read as articles when a test loads all of tests/data.

/robots.txt forbids /private/; /feed.xml is an RSS feed (with an ETag) whose
entries are article pages (with a menu, a cookie notice, share buttons, "read
also" and "most read" boxes and a footer around the article), a forbidden
page, a page that fails with 500, a redirect to an article, an entry older
than the fetch window, and an article on a second host whose server answers
429 (Retry-After: one hour) to everything. Every request is logged, per host,
so that tests can say what was (not) asked.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, UTC
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

SITE = Path(__file__).parent.parent / "data" / "news-site"


class NewsSite:
    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.busy_requests: list[str] = []
        #: Paths that answer 503 (Retry-After: 0) the first time they are asked.
        self.unavailable_once: set[str] = set()
        now = datetime.now(UTC).replace(microsecond=0)
        self.dates = {"DATE0": (now - timedelta(hours=5)).isoformat(),
                      "DAY1": (now - timedelta(days=1)).strftime("%Y-%m-%d"),
                      "RFC0": format_datetime(now - timedelta(hours=5)),
                      "RFC1": format_datetime(now - timedelta(days=1)),
                      "RFCOLD": format_datetime(now - timedelta(days=40))}
        self.etag = '"feed-v1"'
        #: Extra routes: path -> (status, headers, body).
        self.routes: dict[str, tuple[int, dict[str, str], bytes]] = {}
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                if self.server is site.busy_server:
                    site.busy_requests.append(self.path)
                    status, headers, body = 429, {"Retry-After": "3600"}, b"<h1>Too Many Requests</h1>"
                else:
                    site.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                    status, headers, body = site.answer(self.path, self.headers)
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        self.busy_server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.busy_base = f"http://127.0.0.1:{self.busy_server.server_port}"
        self.threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in (self.server, self.busy_server)]

    def fill(self, text: str) -> bytes:
        text = text.replace("{{BASE}}", self.base).replace("{{BUSY}}", self.busy_base)
        for key, value in self.dates.items():
            text = text.replace("{{" + key + "}}", value)
        return text.encode("utf-8")

    def answer(self, path: str, headers) -> tuple[int, dict[str, str], bytes]:  # type: ignore[no-untyped-def]
        path = path.split("?")[0]
        if path in self.routes:
            return self.routes[path]
        if path in self.unavailable_once:
            self.unavailable_once.discard(path)
            return 503, {"Retry-After": "0"}, b"<h1>Service Unavailable</h1>"
        if path == "/feed.xml":
            if headers.get("If-None-Match") == self.etag:
                return 304, {"ETag": self.etag}, b""
            return 200, {"Content-Type": "application/rss+xml; charset=utf-8", "ETag": self.etag}, \
                self.fill((SITE / "feed.rss").read_text(encoding="utf-8"))
        if path == "/robots.txt":
            return 200, {"Content-Type": "text/plain"}, (SITE / "robots.rules").read_bytes()
        if path == "/news/broken.html":
            return 500, {"Content-Type": "text/html"}, b"<h1>Internal Server Error</h1>"
        if path == "/moved/hospital":
            return 301, {"Location": "/news/hospital.html"}, b""
        file = SITE / path.lstrip("/")
        if path.endswith(".html") and file.is_file() and ".." not in path:
            return 200, {"Content-Type": "text/html; charset=utf-8"}, self.fill(file.read_text(encoding="utf-8"))
        return 404, {"Content-Type": "text/html"}, b"<h1>Not Found</h1>"

    def asked(self, prefix: str) -> int:
        return sum(1 for path, _ in self.requests if path.startswith(prefix))


@pytest.fixture
def news_site():
    site = NewsSite()
    for thread in site.threads:
        thread.start()
    try:
        yield site
    finally:
        for server in (site.server, site.busy_server):
            server.shutdown()
            server.server_close()
