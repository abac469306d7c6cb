"""What a hostile server costs a build: a trickling server's wall time, a bomb's memory.

    python benchmarks/hostile.py [--runs 3] [--total-timeout 2]

Builds one small project with ``digest build --jobs 1`` in a new interpreter (no cache,
so every run fetches), with and without one hostile source, ``--runs`` times each, and
prints the medians:

- **trickle**: a server that sends its status line one byte every 0.2 s, forever. With
  ``total_timeout`` a deadline on the whole request, the build should take about
  ``total_timeout`` longer than without it (it hung for as long as the server went on).
- **bomb**: a 4.9 KB response with ``Content-Encoding: gzip, gzip`` that inflates to
  2 GiB. With each layer capped at ``max_bytes`` as it streams, the build's peak RSS
  (``ru_maxrss`` of the child) should be within ~100 MB of the build without it (it was
  2.1 GB).

Every server listens on 127.0.0.1; nothing else is contacted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the tests' loopback servers and bomb

from feed_server import (  # noqa: E402
    FeedServer,
    Reply,
    nested_gzip_bomb,
    running_server,
    running_slow_server,
)

EPOCH = "1773500000"
BOMB_SIZE = 2 << 30


def trickle_status_line(path: str, send: object) -> None:
    assert callable(send)
    send(b"HTTP/1.1 200 OK\r\nX-Padding: " + b"a" * 100_000, 0.2)


def write_project(folder: Path, fetch: str, urls: list[str]) -> None:
    (folder / "pages").mkdir(exist_ok=True)
    (folder / "pages" / "lighthouse.txt").write_text(
        "date 2026-03-02 Lighthouse keeper's cottage to become a museum\n"
        "The old keeper's cottage at Gullrock Point will open as a small museum in summer.\n",
        "utf-8")
    sources = "".join(f"  - {{name: s{i}, type: rss, url: '{url}'}}\n"
                      for i, url in enumerate(urls))
    (folder / "feeds.yaml").write_text(
        f"site: {{title: Bench}}\ncache: null\nfetch: {fetch}\nsources:\n{sources}"
        "  - {name: local, type: text, path: 'pages/*.txt'}\n", "utf-8")
    (folder / "mkdocs.yml").write_text(
        "site_name: x\ntheme: {name: material}\nplugins: [search, digest]\n", "utf-8")
    (folder / "docs").mkdir(exist_ok=True)


def measured_build(folder: Path) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB (the child and what it waited for), exit status."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "digest", "build", "--jobs", "1"],
                             cwd=folder, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)  # already reaped: tell Popen
    return time.perf_counter() - started, usage.ru_maxrss / 1024, child.returncode


@contextmanager
def servers() -> Iterator[tuple[FeedServer, str, int]]:
    """The feed server (with the bomb at /bomb.xml), the trickling URL, the bomb's size."""
    with ExitStack() as stack:
        feed = stack.enter_context(running_server())
        feed.serve_fixtures()
        bomb = nested_gzip_bomb(BOMB_SIZE)
        feed.routes["/bomb.xml"] = lambda h: Reply(200, bomb, {
            "Content-Type": "application/rss+xml", "Content-Encoding": "gzip, gzip"})
        slow = stack.enter_context(running_slow_server(trickle_status_line, limit=600))
        yield feed, f"{slow.base}/feed.xml", len(bomb)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--total-timeout", type=float, default=2.0)
    args = parser.parse_args()
    fetch = (f"{{total_timeout: {args.total_timeout:g}, timeout: 1, retries: 0,"
             " host_interval: 0, allow_private_hosts: ['127.0.0.1']}")
    rows = []
    with servers() as (feed, trickle_url, bomb_bytes), tempfile.TemporaryDirectory() as tmp:
        good = [f"{feed.base}/rss.xml", f"{feed.base}/atom.xml"]
        cases = {"trickle": [*good, trickle_url], "bomb": [*good, f"{feed.base}/bomb.xml"],
                 "plain": good}
        results: dict[str, list[tuple[float, float, int]]] = {k: [] for k in cases}
        for run in range(args.runs):
            for case, urls in cases.items():
                folder = Path(tmp) / f"{case}-{run}"
                folder.mkdir()
                write_project(folder, fetch, urls)
                results[case].append(measured_build(folder))
        wall = {k: statistics.median(r[0] for r in v) for k, v in results.items()}
        rss = {k: statistics.median(r[1] for r in v) for k, v in results.items()}
        codes = {k: sorted({r[2] for r in v}) for k, v in results.items()}
        rows.append((f"trickling status line: wall s (total_timeout {args.total_timeout:g} s)",
                     wall["plain"], wall["trickle"], codes["trickle"]))
        rows.append(("nested gzip bomb, 2 GiB: peak RSS MB", rss["plain"], rss["bomb"],
                     codes["bomb"]))
    print(f"digest build --jobs 1, median of {args.runs} runs; the bomb is {bomb_bytes:,} bytes;"
          f" exit codes without a hostile source: {codes['plain']}\n")
    print("| hostile source | without | with | difference | exit codes with |")
    print("| --- | ---: | ---: | ---: | --- |")
    for name, without, with_it, exits in rows:
        print(f"| {name} | {without:.2f} | {with_it:.2f} | {with_it - without:+.2f} | {exits} |")


if __name__ == "__main__":
    main()
