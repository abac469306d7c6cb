"""Loopback servers for feed and page tests: an HTTP server whose routes each test sets (every
request logged), a raw socket server that answers as slowly as a test likes, and a nested
compression bomb. They listen on loopback addresses only (127.0.0.0/8, ::1)."""

from __future__ import annotations

import socket
import struct
import sys
import threading
import time
import zlib
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


class _Server(ThreadingHTTPServer):
    """A threading server that takes a client hanging up mid-answer in its stride (the
    client under test cuts responses short on purpose: size caps, deadlines)."""

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class _ServerV6(_Server):
    address_family = socket.AF_INET6


class FeedServer:
    """A loopback HTTP server with routes set by each test; logs every request it answers."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        assert host.startswith("127.") or host == "::1", "test servers listen on loopback only"
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

        self.httpd = (_ServerV6 if ":" in host else _Server)((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base = f"http://{f'[{host}]' if ':' in host else host}:{self.port}"
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
def running_server(host: str = "127.0.0.1") -> Iterator[FeedServer]:
    """A :class:`FeedServer` answering on ``host`` (a loopback address) until the block ends."""
    s = FeedServer(host)
    thread = threading.Thread(target=s.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield s
    finally:
        s.httpd.shutdown()
        s.httpd.server_close()


def ipv6_loopback() -> bool:
    """Whether this machine can listen on ::1."""
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


class SlowServer:
    """A raw socket server on 127.0.0.1 that sends, for each request, what ``answer(path,
    send)`` sends: ``send(data, gap)`` writes ``data`` a byte at a time, ``gap`` seconds
    apart. A connection ends when the client goes or after ``limit`` seconds, whichever is
    first; every request path is logged."""

    def __init__(self, answer: Callable[[str, Callable[[bytes, float], None]], None],
                 limit: float = 60.0) -> None:
        self.answer, self.limit = answer, limit
        self.log: list[str] = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.1)
        self.base = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.stopped = threading.Event()

    def serve(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        ends = time.monotonic() + self.limit

        def send(data: bytes, gap: float) -> None:
            for i in range(len(data)):
                if self.stopped.is_set() or time.monotonic() > ends:
                    raise ConnectionAbortedError
                conn.sendall(data[i:i + 1])
                time.sleep(gap)

        with conn:
            try:
                conn.settimeout(5)
                request = b""
                while b"\r\n\r\n" not in request:
                    data = conn.recv(4096)
                    if not data:
                        return
                    request += data
                path = request.split(b" ")[1].decode("ascii", "replace")
                self.log.append(path)
                self.answer(path, send)
            except OSError:
                return  # the client went, or gave up: what a slow server's reader should do


@contextmanager
def running_slow_server(answer: Callable[[str, Callable[[bytes, float], None]], None],
                        limit: float = 60.0) -> Iterator[SlowServer]:
    """A :class:`SlowServer` answering until the block ends (its connections closed then)."""
    s = SlowServer(answer, limit)
    thread = threading.Thread(target=s.serve, daemon=True)
    thread.start()
    try:
        yield s
    finally:
        s.stopped.set()
        s.listener.close()
        thread.join(5)


def nested_gzip_bomb(size: int, layers: int = 2) -> bytes:
    """``size`` zero bytes (a multiple of 1 MiB) gzipped ``layers`` times: a few kilobytes.

    Built in well under a second without compressing ``size`` bytes: a full flush resets
    the compressor, so the deflate bytes of one MiB of zeros followed by a full flush encode
    every further MiB as well; the CRC is computed over the zeros a MiB at a time.
    """
    mib = 1 << 20
    assert size % mib == 0
    deflater = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = deflater.compress(bytes(mib)) + deflater.flush(zlib.Z_FULL_FLUSH)
    final = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS).flush()  # an empty last block
    crc = 0
    zeros = bytes(mib)
    for _ in range(size // mib):
        crc = zlib.crc32(zeros, crc)
    body = (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff" + block * (size // mib) + final
            + struct.pack("<II", crc, size & 0xFFFFFFFF))
    for _ in range(layers - 1):
        outer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
        body = outer.compress(body) + outer.flush()
    return body
