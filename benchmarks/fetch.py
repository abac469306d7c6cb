"""Benchmark feed fetching with the cache cold and warm, against a local HTTP server.

    python benchmarks/fetch.py [--feeds 200] [--items 20] [--host-concurrency 8]

Serves ``--feeds`` RSS 2.0 feeds of ``--items`` items each from 127.0.0.1
(each feed with an ETag and a Last-Modified, answering 304 to a matching
conditional request), then reads them through ``digest.sources.read_sources``
three times with one SQLite cache: cold (empty cache), warm (nothing changed),
and warm with one feed changed. Prints, per run, the wall time, the requests
the server saw by status, how many of them were conditional, and the documents
read. All feeds live on one host here, so the per-host interval is set to 0
(the default, 1 s, is for real publishers; with it 200 feeds on one host
would take 200 s by design).
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from collections import Counter
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from digest.config import load_config
from digest.sources import read_sources

LAST_MODIFIED = formatdate(1772438400, usegmt=True)


def rss(feed: int, items: int, version: int) -> bytes:
    """One feed of ``items`` full-length items (no full-text page fetches needed)."""
    paragraph = ("The harbour board met on Monday to discuss the new breakwater, the ferry"
                 " timetable and the cost of repairs to the old quay after the winter storms. ")
    entries = "".join(
        f"<item><title>Feed {feed} story {i} v{version}</title>"
        f"<link>http://example.invalid/{feed}/{i}</link><guid>{feed}-{i}</guid>"
        f"<pubDate>Mon, 02 Mar 2026 {i % 24:02d}:00:00 GMT</pubDate>"
        f"<description>&lt;p&gt;{paragraph * 3}&lt;/p&gt;&lt;p&gt;{paragraph * 3}&lt;/p&gt;"
        "</description></item>" for i in range(items))
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {feed}</title>'
            f"<link>http://example.invalid/{feed}</link>{entries}</channel></rss>").encode()


class Feeds:
    """The server's state: feed versions, and a log of (status, conditional) per request."""

    def __init__(self, feeds: int, items: int) -> None:
        self.items = items
        self.version = dict.fromkeys(range(feeds), 1)
        self.log: list[tuple[int, bool]] = []
        self.lock = threading.Lock()

    def handler(self) -> type[BaseHTTPRequestHandler]:
        feeds = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802
                n = int(self.path.strip("/").split(".")[0])
                etag = f'"{n}-v{feeds.version[n]}"'
                conditional = "If-None-Match" in self.headers or "If-Modified-Since" in self.headers
                status = 304 if self.headers.get("If-None-Match") == etag else 200
                body = b"" if status == 304 else rss(n, feeds.items, feeds.version[n])
                with feeds.lock:
                    feeds.log.append((status, conditional))
                self.send_response(status)
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", LAST_MODIFIED)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--host-concurrency", type=int, default=8,
                        help="requests at once to the one local host")
    args = parser.parse_args()
    feeds = Feeds(args.feeds, args.items)
    server = ThreadingHTTPServer(("127.0.0.1", 0), feeds.handler())
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "feeds.yaml"
        sources = "".join(f"  - name: feed-{n}\n    type: rss\n    url: {base}/{n}.xml\n"
                          for n in range(args.feeds))
        path.write_text(f"cache: cache.sqlite\nfetch:\n  host_interval: 0\n"
                        "  allow_private_hosts: [127.0.0.1]\n"  # the server is on loopback
                        f"  host_concurrency: {args.host_concurrency}\n"
                        f"  concurrency: {max(16, args.host_concurrency)}\n"
                        f"sources:\n{sources}", "utf-8")
        config = load_config(path)
        for run in ("cold cache", "warm, unchanged", "warm, 1 feed changed"):
            if run == "warm, 1 feed changed":
                feeds.version[0] += 1
            feeds.log.clear()
            started = time.perf_counter()
            docs, skipped, _ = read_sources(config)
            seconds = time.perf_counter() - started
            statuses = Counter(status for status, _ in feeds.log)
            rows.append((run, seconds, len(feeds.log), statuses[200], statuses[304],
                         sum(c for _, c in feeds.log), len(docs), len(skipped)))
    server.shutdown()
    server.server_close()
    print(f"{args.feeds} feeds x {args.items} items from {base} (one host;"
          f" host_interval 0, host_concurrency {args.host_concurrency})\n")
    header = ("run", "wall s", "requests", "200", "304", "conditional", "documents", "skipped")
    print("| " + " | ".join(header) + " |")
    print("| --- | " + " | ".join("---:" for _ in header[1:]) + " |")
    for run, seconds, *counts in rows:
        print(f"| {run} | {seconds:.2f} | " + " | ".join(str(c) for c in counts) + " |")


if __name__ == "__main__":
    main()
