"""`digest serve`: a live preview over real HTTP that rebuilds when a source changes."""

from __future__ import annotations

import os
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


def test_serve_rebuilds_when_a_source_file_is_added(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "digest", "serve", "--dev-addr", f"127.0.0.1:{port}"]
    server = subprocess.Popen(command,
                              cwd=project, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}/"
        assert wait_for(base, "The digest for", 120), "the preview never came up"
        folder = next(p for p in sorted((project / "samples").iterdir()) if p.is_dir())
        (folder / "999-gullrock-lighthouse.txt").write_text(NEW_ARTICLE, encoding="utf-8")
        assert wait_for(base + "archive/2026-03-09/", "Lighthouse keepers return", 120)
    finally:
        server.terminate()
        server.wait(timeout=30)
