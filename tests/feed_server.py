"""A loopback HTTP server for feed and page tests: routes set per test, every request logged."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "feeds"
ROBOTS = b"User-agent: *\nDisallow: /private/\n"


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before the status line
    declare_length: bool = True  # False: the body ends when the connection closes
    trickle: float = 0.0  # seconds between the body's bytes: a server that never quite stalls


@dataclass
class Hit:
    path: str
    headers: dict[str, str]
    status: int
    at: float


class FeedServer:
    """A loopback HTTP server with routes set by each test; logs every request it answers."""

    def __init__(self) -> None:
        self.routes: dict[str, Callable[[dict[str, str]], Reply]] = {}
        self.log: list[Hit] = []
        self.lock = threading.Lock()
        self.in_flight = self.max_in_flight = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802
                with server.lock:
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                try:
                    route = server.routes.get(self.path.split("?")[0])
                    headers = {k.lower(): v for k, v in self.headers.items()}
                    reply = route(headers) if route else Reply(404, b"not found")
                    with server.lock:
                        server.log.append(Hit(self.path, headers, reply.status, time.monotonic()))
                    time.sleep(reply.delay)
                    self.send_response(reply.status)
                    for k, v in reply.headers.items():
                        self.send_header(k, v)
                    if reply.declare_length:
                        self.send_header("Content-Length", str(len(reply.body)))
                    else:
                        self.send_header("Connection", "close")
                        self.close_connection = True
                    self.end_headers()
                    if reply.status != 304 and reply.trickle:
                        for i in range(len(reply.body)):
                            self.wfile.write(reply.body[i:i + 1])
                            self.wfile.flush()
                            time.sleep(reply.trickle)
                    elif reply.status != 304:
                        self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                finally:
                    with server.lock:
                        server.in_flight -= 1

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.static("/robots.txt", ROBOTS, "text/plain")

    def fixture(self, name: str) -> bytes:
        return (FIXTURES / name).read_bytes().replace(b"{BASE}", self.base.encode())

    def static(self, path: str, body: bytes, content_type: str, etag: str = "",
               last_modified: str = "") -> None:
        """Serve ``body``; with validators, answer 304 to a matching conditional request."""
        def reply(headers: dict[str, str]) -> Reply:
            sent = {"Content-Type": content_type}
            if etag:
                sent["ETag"] = etag
            if last_modified:
                sent["Last-Modified"] = last_modified
            since = headers.get("if-modified-since")
            if (etag and headers.get("if-none-match") == etag) or (
                    not etag and last_modified and since == last_modified):
                return Reply(304, headers=sent)
            return Reply(200, body, sent)
        self.routes[path] = reply

    def serve_fixtures(self) -> None:
        self.static("/rss.xml", self.fixture("rss.xml"), "application/rss+xml", etag='"rss-v1"')
        self.static("/atom.xml", self.fixture("atom.xml"), "application/atom+xml",
                    last_modified="Mon, 02 Mar 2026 08:00:00 GMT")
        self.static("/feed.json", self.fixture("feed.json"), "application/feed+json",
                    etag='W/"json-v1"', last_modified="Mon, 02 Mar 2026 08:00:00 GMT")
        for slug in ("ferry", "breakwater", "regatta"):
            self.static(f"/articles/{slug}.html", self.fixture(f"article-{slug}.html"),
                        "text/html; charset=utf-8")
        self.static("/private/leak.html", self.fixture("article-ferry.html"), "text/html")

    def hits(self, path: str) -> list[Hit]:
        return [h for h in self.log if h.path == path]


@contextmanager
def running_server() -> Iterator[FeedServer]:
    """A :class:`FeedServer` answering on 127.0.0.1 until the block ends."""
    s = FeedServer()
    thread = threading.Thread(target=s.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield s
    finally:
        s.httpd.shutdown()
        s.httpd.server_close()
