"""Preview benchmark (issue 21): how soon ``digest serve`` shows an edit.

Generates a 2,000-article project with the year-archive generator
(``benchmarks/year_archive.py``: ten fictional publishers' scraped pages made of
paragraphs of the real texts in ``../shared/data``), then, for ``digest serve`` and for
the baseline ``mkdocs serve`` (MkDocs' own server running the digest plugin, which is
what ``digest serve`` was before), each in a fresh copy of the project with no cache:

- **first response**: seconds from starting the server to the first page served;
- **source edit**: one article's text file gets a new word; seconds until that
  article's page, fetched over HTTP, carries it (median of ``--rounds`` edits, each of
  another article);
- **feeds.yaml edit**: the site's title changes; seconds until the front page shows it;
- **restart**: stopped and started again with what the first run left (cache, preview),
  seconds to the first page.

Bar: a source edit shows within 15 s. Loopback only; the machine is shared, so run it
under ``nice`` and read medians.

    nice python benchmarks/preview.py                 # 2,000 articles, 3 edits each
    nice python benchmarks/preview.py --articles 500 --rounds 1   # a quick look
"""

from __future__ import annotations

import argparse
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from year_archive import DATA, Generator, make_project, make_year, real_sentences  # noqa: E402

from digest.site.paths import slugify  # noqa: E402

BAR_S = 15.0
WAIT_S = 600.0  # a server that has shown nothing by then has failed
TOOLS = {
    "digest serve": [sys.executable, "-m", "digest", "serve", "-a"],
    "mkdocs serve (baseline)": [sys.executable, "-m", "mkdocs", "serve", "-a"],
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback)
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return None


def wait_for(check: Callable[[], bool], start: float) -> float:
    """Seconds from ``start`` until ``check`` holds (polled); fails after ``WAIT_S``."""
    while not check():
        if time.perf_counter() - start > WAIT_S:
            sys.exit(f"nothing after {WAIT_S:.0f} s")
        time.sleep(0.2)
    return time.perf_counter() - start


def article_pages(project: Path, count: int) -> list[tuple[Path, str]]:
    """``count`` article files of the newest days and the URL path of each one's page."""
    files = sorted((project / "corpus").rglob("*.txt"),
                   key=lambda f: (f.read_text("utf-8").split(" ", 2)[1], f.name), reverse=True)
    picked = []
    for file in files[:count]:
        first, title = file.read_text("utf-8").splitlines()[:2]
        picked.append((file, f"articles/{first.split()[1]}/{slugify(title)}/"))
    return picked


def edit_body(file: Path, word: str) -> None:
    """Put ``word`` at the start of the article's first paragraph (its third line)."""
    lines = file.read_text("utf-8").splitlines(keepends=True)
    lines[2] = f"{word} {lines[2]}"
    file.write_text("".join(lines), "utf-8")


class Server:
    def __init__(self, command: list[str], project: Path, port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = (project / "serve.log").open("a")
        self.start = time.perf_counter()
        self.process = subprocess.Popen([*command, f"127.0.0.1:{self.port}"], cwd=project,
                                        stdout=self.log, stderr=subprocess.STDOUT)

    def page(self, path: str = "") -> str | None:
        if self.process.poll() is not None:
            sys.exit(f"the server stopped (status {self.process.returncode});"
                     f" see {self.log.name}")
        return fetch(self.url + path)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)  # SIGINT is ignored in a background job
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def measure(tool: str, template: Path, rounds: int) -> dict[str, object]:
    project = Path(tempfile.mkdtemp(prefix="preview-bench-"))
    shutil.rmtree(project)
    shutil.copytree(template, project)
    print(f"{tool}: {project}", file=sys.stderr)
    server = Server(TOOLS[tool], project)
    first = wait_for(lambda: server.page() is not None, server.start)
    edits = []
    for number, (file, path) in enumerate(article_pages(project, rounds)):
        word = f"Quillimorph{number}"
        start = time.perf_counter()
        edit_body(file, word)
        edits.append(wait_for(lambda p=path, w=word: w in (server.page(p) or ""), start))
        time.sleep(1.0)  # the server settles before the next edit
    feeds = project / "feeds.yaml"
    start = time.perf_counter()
    feeds.write_text(feeds.read_text("utf-8").replace("Year benchmark digest",
                                                      "Renamed preview digest"), "utf-8")
    renamed = wait_for(lambda: "Renamed preview digest" in (server.page() or ""), start)
    server.stop()
    again = Server(TOOLS[tool], project, server.port)
    restart = wait_for(lambda: again.page() is not None, again.start)
    again.stop()
    shutil.rmtree(project, ignore_errors=True)
    return {"tool": tool, "first": first, "edits": edits, "renamed": renamed,
            "restart": restart}


def print_table(n: int, rows: list[dict[str, object]]) -> None:
    print(f"\nPreview of a {n:,}-article site (seconds; loopback HTTP; bar: source edit"
          f" shown within {BAR_S:.0f} s)\n")
    print("| server | first response | source edit, median (each) | feeds.yaml edit |"
          " restart |")
    print("|---|---:|---:|---:|---:|")
    for row in rows:
        edits = row["edits"]
        assert isinstance(edits, list)
        median = statistics.median(edits)
        mark = "pass" if median <= BAR_S else "FAIL"
        print(f"| {row['tool']} | {row['first']:.1f} | {median:.1f} {mark}"
              f" ({', '.join(f'{e:.1f}' for e in edits)}) | {row['renamed']:.1f} |"
              f" {row['restart']:.1f} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3, help="source edits per server")
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--only", choices=sorted(TOOLS), help="measure one server")
    args = parser.parse_args()
    if not (DATA / "cnndm" / "dev.jsonl").is_file():
        sys.exit(f"needs {DATA} (the shared data beside the checkout)")
    template = Path(tempfile.mkdtemp(prefix="preview-template-"))
    make_project(template)
    make_year(template, args.articles, Generator(real_sentences(), args.seed))
    tools = [args.only] if args.only else list(TOOLS)
    rows = [measure(tool, template, args.rounds) for tool in tools]
    shutil.rmtree(template, ignore_errors=True)
    print_table(args.articles, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
