"""`digest serve`: a live preview over real HTTP that rebuilds when a source changes."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from conftest import copy_project

NEW_ARTICLE = """date 2026-03-09 Lighthouse keepers return to Gullrock after forty years
The lighthouse on Gullrock will be staffed again from April, the harbour trust said on Monday, \
ending four decades of automatic operation.
Two keepers will live on the island in rotation, the trust said, after a study found that \
automatic lamps failed twice last winter.
"The sea has not got any kinder," said trust chair Elin Maddock.
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except OSError as exc:
        return getattr(exc, "code", 0) or 0, ""


def wait_for(url: str, text: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status, body = fetch(url)
        if status == 200 and text in body:
            return True
        time.sleep(0.5)
    return False


class Preview:
    """``digest serve`` run in ``project`` on a free loopback port, its lines in a file."""

    def __init__(self, project: Path, port: int | None = None) -> None:
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}/"
        self.log = project / "serve.log"
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        command = [sys.executable, "-m", "digest", "serve", "--dev-addr",
                   f"127.0.0.1:{self.port}"]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, cwd=project, env=env,
                                            stdout=subprocess.DEVNULL, stderr=log)

    def said(self) -> str:
        return self.log.read_text("utf-8")

    def says(self, text: str, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if text in self.said():
                return True
            time.sleep(0.3)
        return False

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)  # SIGINT is ignored in a background job
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=30)


def test_serve_rebuilds_when_a_source_file_is_added(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    server = Preview(project)
    try:
        assert wait_for(server.base, "The digest for", 120), "the preview never came up"
        assert f"Serving the preview on {server.base} (Ctrl+C stops)" in server.said()
        assert "Rebuilt when these change:" in server.said()
        assert "samples" in server.said().split("Rebuilt when these change:")[1]
        folder = next(p for p in sorted((project / "samples").iterdir()) if p.is_dir())
        (folder / "999-gullrock-lighthouse.txt").write_text(NEW_ARTICLE, encoding="utf-8")
        assert wait_for(server.base + "archive/2026-03-09/", "Lighthouse keepers return", 120)
        assert server.says(f"samples/{folder.name}/999-gullrock-lighthouse.txt changed:"
                           " rebuilding", 10), server.said()
        assert server.says("Preview ready in", 10)
        report = project / ".digest-preview" / "build-report.json"
        assert json.loads(report.read_text("utf-8"))["pages_reused"] > 0, \
            "a rebuild made every page again"
    finally:
        server.stop()
    assert "Stopped" in server.said()
    # the preview has a folder of its own: the published site is not touched
    assert not (project / "site").exists()
    assert (project / ".digest-preview" / "site" / "index.html").is_file()


def test_a_failed_rebuild_keeps_the_last_preview_and_a_restart_reuses_its_pages(
        tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    feeds = project / "feeds.yaml"
    good = feeds.read_text("utf-8")
    server = Preview(project)
    try:
        assert wait_for(server.base, "The digest for", 120), "the preview never came up"
        feeds.write_text(good.replace("sources:", "sources: [", 1), "utf-8")
        assert server.says("Build failed: ", 60), server.said()
        assert "the last good preview is still served" in server.said()
        assert wait_for(server.base, "The digest for", 5)
        assert "Traceback" not in server.said()
        feeds.write_text(good.replace("title:", "title: Renamed", 1), "utf-8")
        assert wait_for(server.base, "Renamed", 120), server.said()
    finally:
        server.stop()
    again = Preview(project, server.port)  # the same address: the same pages
    try:
        assert wait_for(again.base, "The digest for", 120), "the preview never came back"
    finally:
        again.stop()
    report = json.loads((project / ".digest-preview" / "build-report.json").read_text("utf-8"))
    assert report["pages_reused"] > 0, "a restart made every page again"


SECOND_ARTICLE = NEW_ARTICLE.replace("Lighthouse keepers return to Gullrock after forty years",
                                     "Gullrock ferry gains a winter timetable").replace(
    "lighthouse on Gullrock will be staffed again from April",
    "ferry to Gullrock will sail twice a day all winter")


def test_a_source_added_while_serving_is_read_and_then_watched(tmp_path: Path) -> None:
    """A source folder that feeds.yaml names only once the preview runs is built at once,
    and watched from then on; one that lies outside every watched folder too."""
    project = copy_project(tmp_path)
    added = project / "island-notes"
    added.mkdir()
    (added / "001.txt").write_text(NEW_ARTICLE, "utf-8")
    server = Preview(project)
    try:
        assert wait_for(server.base, "The digest for", 120), "the preview never came up"
        assert "island-notes" not in server.said()
        feeds = project / "feeds.yaml"
        feeds.write_text(feeds.read_text("utf-8").replace(
            "sources:", "sources:\n  - name: island-notes\n    type: text\n"
                        "    path: island-notes/*.txt", 1), "utf-8")
        assert wait_for(server.base + "archive/2026-03-09/", "Lighthouse keepers return", 120)
        assert server.says("Now also watching: island-notes", 10), server.said()
        (added / "002.txt").write_text(SECOND_ARTICLE, "utf-8")
        assert wait_for(server.base + "archive/2026-03-09/", "Gullrock ferry gains", 120), \
            server.said()
        assert server.says("island-notes/002.txt changed: rebuilding", 10)
    finally:
        server.stop()
