"""Shared fixtures: the sample site built once per test session with real MkDocs, a loopback
feed server, and what a test does when something it needs is not on the machine."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest
from busy_site import served
from feed_server import FeedServer, running_server

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
# CI=true (set by .ci/run and by GitHub) makes a missing prerequisite a failure, not a skip;
# a CI that lacks some on purpose lists them here, e.g. "browser,shared" on GitHub's runners
MAY_SKIP_ENV = "NEWSDIGEST_TESTS_MAY_SKIP"


def absent(what: str, message: str) -> NoReturn:
    """A prerequisite of kind ``what`` ("shared", "browser") is missing: skip the test locally;
    fail it under ``CI=true`` unless ``NEWSDIGEST_TESTS_MAY_SKIP`` names that kind."""
    in_ci = os.environ.get("CI", "").lower() in ("true", "1")
    allowed = {w.strip() for w in os.environ.get(MAY_SKIP_ENV, "").split(",")}
    if in_ci and what not in allowed:
        pytest.fail(f"{message} (CI=true; {MAY_SKIP_ENV} does not list {what!r})")
    pytest.skip(message)


def shared_path(*parts: str) -> Path:
    """A file or folder of ``../shared`` (the data and scorers beside the checkout)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        absent("shared", f"{path} is missing: ../shared is not beside the checkout")
    return path


def copy_project(dest: Path) -> Path:
    """The project's site inputs (feeds.yaml, mkdocs.yml, docs/, samples/) in a fresh folder."""
    for name in ("feeds.yaml", "mkdocs.yml"):
        shutil.copy(ROOT / name, dest / name)
    for name in ("docs", "samples"):
        shutil.copytree(ROOT / name, dest / name)
    return dest


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample corpus built by ``mkdocs build --strict``; returns the site folder."""
    project = copy_project(tmp_path_factory.mktemp("project"))
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    # MkDocs' own warnings (a log line "WARNING -"), not Material's release banner
    assert not re.search(r"^WARNING\s+-", result.stderr, re.M), result.stderr
    return project / "site"


@pytest.fixture(scope="session")
def sample_report(sample_site: Path) -> dict:
    return json.loads((sample_site.parent / "build-report.json").read_text("utf-8"))


@pytest.fixture(scope="session")
def site_server(sample_site: Path) -> Iterator[str]:
    """The built sample site served over real HTTP on 127.0.0.1."""
    with served(sample_site) as url:
        yield url


CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium driven by Playwright (no browser download)."""
    if not Path(CHROMIUM).exists():
        absent("browser", f"{CHROMIUM} is missing (apt-get install -y chromium;"
                          " .ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"])
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def server() -> Iterator[FeedServer]:
    """A feed and page server on 127.0.0.1 whose routes each test sets."""
    with running_server() as s:
        yield s


def tree_hash(folder: Path) -> str:
    """One hash of every file under ``folder``, by relative path and bytes."""
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(path.relative_to(folder).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()
