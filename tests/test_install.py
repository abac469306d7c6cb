"""What a fresh install must do: every module imports, every package the code imports is
declared, a site builds from one source of each type, a package that cannot be imported is
named in one line (never a traceback), and a build leaves ``git status`` clean.

The builds run ``digest build`` in a new interpreter, as a user runs it, against feeds and
pages served on 127.0.0.1.
"""

from __future__ import annotations

import ast
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import ROOT, shared_path
from feed_server import FeedServer

EPOCH = "1773500000"  # 2026-03-14
MKDOCS_YML = "site_name: x\ntheme: {name: material}\nplugins: [search, digest]\n"

SCRAPED_PAGE = """date 2026-03-02 Lighthouse keeper's cottage to become a museum
Skip to content
The old keeper's cottage at Gullrock Point will open as a small museum in the summer.
The trust that bought it last year said volunteers had restored the lamp room and the stove.
Visitors will be able to climb to the gallery on fine days, weather and tides permitting.
Share this page
"""
WIRE_RECORD = {
    "id": "calder-77", "title": "Valley bus timetable changes from Monday",
    "date": "2026-03-02",
    "body": ["Buses between Carrowmore and the valley villages will run every forty minutes.",
             "The operator said drivers' hours, not passenger numbers, forced the change.",
             "Evening services on the upper valley road are unchanged."]}
PAGE_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Night market returns to the quayside | Valley Echo</title>
<meta property="og:title" content="Night market returns to the quayside">
<meta property="article:published_time" content="2026-03-02T18:00:00+00:00">
</head><body>
<header><nav><a href="/">Home</a> <a href="/news">News</a>
<a href="/join">Join us</a></nav></header>
<main><article>
<h1>Night market returns to the quayside</h1>
<p>The night market returned to the quayside on Saturday after a winter away, with forty
stalls selling food, books and pottery under strings of lanterns along the harbour wall.</p>
<p>Organisers said more than two thousand people came through in the first three hours,
twice as many as at the last market in October, and several stalls sold out before nine.</p>
<p>The harbour board has agreed to close the quay road to traffic on market nights until
the end of September, and the next market is planned for the first Saturday of April.</p>
</article></main>
<footer>Valley Echo. All rights reserved.</footer>
</body></html>
"""

# Runs the command line with some modules made unimportable, as a broken install leaves them.
BLOCKING_LAUNCHER = """
import sys

blocked = sys.argv.pop(1).split(",")


class Blocker:
    def find_spec(self, name, path=None, target=None):
        if any(name == b or name.startswith(b + ".") for b in blocked):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, Blocker())
tool = sys.argv.pop(1)
sys.argv[0] = tool
if tool == "mkdocs":
    from mkdocs.__main__ import cli
    cli()
else:
    from digest.__main__ import run
    run()
"""


def run_build(project: Path, *, blocked: str = "", tool: str = "digest"
              ) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    if blocked:
        launcher = project / "blocking_launcher.py"
        launcher.write_text(BLOCKING_LAUNCHER, "utf-8")
        command = [sys.executable, str(launcher), blocked, tool, "build"]
    else:
        command = [sys.executable, "-m", tool, "build"]
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True,
                          timeout=300)


def one_of_each(project: Path, base: str) -> Path:
    """A project with one source of each type: four from the server, two from files."""
    (project / "pages").mkdir()
    (project / "pages" / "lighthouse.txt").write_text(SCRAPED_PAGE, "utf-8")
    (project / "wire.jsonl").write_text(json.dumps(WIRE_RECORD) + "\n", "utf-8")
    (project / "feeds.yaml").write_text(
        "site: {title: Valley Digest}\n"
        "fetch: {host_interval: 0, timeout: 5, retries: 0, allow_private_hosts: [127.0.0.1]}\n"
        "sources:\n"
        f"  - {{name: courier, type: rss, url: '{base}/rss.xml', full_text: true}}\n"
        f"  - {{name: visnyk, type: atom, url: '{base}/atom.xml'}}\n"
        f"  - {{name: calder, type: jsonfeed, url: '{base}/feed.json'}}\n"
        f"  - {{name: echo, type: html, url: '{base}/night-market.html'}}\n"
        "  - {name: scraped, type: text, path: 'pages/*.txt'}\n"
        "  - {name: wire, type: jsonl, path: wire.jsonl}\n", "utf-8")
    (project / "mkdocs.yml").write_text(MKDOCS_YML, "utf-8")
    (project / "docs").mkdir()
    return project


def serve_one_of_each(server: FeedServer) -> None:
    server.serve_fixtures()
    server.static("/night-market.html", PAGE_HTML.encode(), "text/html; charset=utf-8")


def published_text(site: Path) -> str:
    return "\n".join(p.read_text("utf-8") for p in sorted((site / "articles").rglob("*.html")))


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr, result.stderr


# --- every module, every package --------------------------------------------------------

def third_party_imports(folder: Path) -> dict[str, set[str]]:
    """Top-level names of every module imported (at any depth of the code) under ``folder``
    that is neither the standard library nor the project's own: name -> files."""
    found: dict[str, set[str]] = {}
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top not in ("digest", "__future__"):
                    found.setdefault(top, set()).add(path.relative_to(ROOT).as_posix())
    return found


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared(*extras: str) -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    requirements = list(project["dependencies"])
    for extra in extras:
        requirements += project["optional-dependencies"][extra]
    return {canonical(re.split(r"[\s<>=!~;\[]", r, maxsplit=1)[0]) for r in requirements}


def undeclared(imports: dict[str, set[str]], allowed: set[str]) -> list[str]:
    distributions = importlib.metadata.packages_distributions()
    problems = []
    for module, files in sorted(imports.items()):
        owners = {canonical(d) for d in distributions.get(module, [])}
        if not owners:
            problems.append(f"{module} (imported by {sorted(files)}) is not installed")
        elif not owners & allowed:
            problems.append(f"{module} (imported by {sorted(files)}) comes from"
                            f" {sorted(owners)}, which pyproject.toml does not declare")
    return problems


def test_every_package_the_code_imports_is_declared_in_pyproject() -> None:
    imports = third_party_imports(ROOT / "digest")
    assert {"mkdocs", "feedparser", "trafilatura", "httpx"} <= set(imports)  # the scan works
    # distributed (the dask extra) only where digest build --executor needs it, imported there
    optional = {"distributed": imports.pop("distributed", set())}
    assert optional["distributed"] == {"digest/dask_executor.py"}
    assert undeclared(imports, declared()) == []
    assert undeclared(optional, declared("dask")) == []


def test_every_package_the_tests_import_is_declared_in_the_test_extra() -> None:
    imports = third_party_imports(ROOT / "tests")
    local = {p.stem for p in (ROOT / "tests").glob("*.py")}
    local |= {p.stem for p in shared_path("tools").glob("*.py")}  # put on sys.path by tests
    imports = {m: f for m, f in imports.items() if m not in local}
    assert {"pytest", "hypothesis", "playwright"} <= set(imports)
    assert undeclared(imports, declared("test")) == []


def test_every_declared_dependency_is_installed() -> None:
    for name in sorted(declared("test")):
        importlib.metadata.version(name)  # raises PackageNotFoundError when it is not


def test_every_module_and_every_package_it_imports_loads_in_a_fresh_interpreter() -> None:
    """Imports every module of ``digest`` and, by name, every third-party package any of them
    imports, lazily imported ones (trafilatura) included, in a new interpreter."""
    packages = sorted(third_party_imports(ROOT / "digest"))
    script = (
        "import importlib, pkgutil, sys, digest\n"
        "mods = [m.name for m in pkgutil.walk_packages(digest.__path__, 'digest.')]\n"
        f"mods += {packages!r}\n"
        "for name in mods:\n"
        "    importlib.import_module(name)\n"
        "print(len(mods))\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    modules = [p for p in (ROOT / "digest").rglob("*.py")]
    assert int(result.stdout) == len(modules) - 1 + len(packages)  # digest/__init__ is the root


# --- a build from every kind of source --------------------------------------------------

def test_a_site_builds_from_one_source_of_each_type(server: FeedServer, tmp_path: Path) -> None:
    serve_one_of_each(server)
    project = one_of_each(tmp_path, server.base)
    result = run_build(project)
    assert result.returncode == 0, result.stderr
    no_traceback(result)
    text = published_text(project / "site")
    for title in ("Ferry service suspended as storm closes harbour",  # rss, full text fetched
                  "Шторм закрив гавань",  # atom
                  "Rail strike called off after overnight talks",  # JSON Feed
                  "Night market returns to the quayside",  # a web page
                  "Lighthouse keeper",  # a scraped text file
                  "Valley bus timetable changes from Monday"):  # JSON Lines
        assert title in text, title
    # the rss item's teaser was replaced by its page's text
    assert "Local businesses that depend on day visitors" in text
    assert server.hits("/articles/ferry.html")


def test_a_broken_page_extractor_costs_only_what_needs_it(server: FeedServer,
                                                          tmp_path: Path) -> None:
    """lxml_html_clean missing, as a fresh Python 3.11 venv left it: the web page source and
    full text are reported in one line naming the package; every other source builds."""
    serve_one_of_each(server)
    project = one_of_each(tmp_path, server.base)
    result = run_build(project, blocked="lxml_html_clean")
    assert result.returncode == 3, result.stderr  # built, with an input skipped
    no_traceback(result)
    [line] = [x for x in result.stderr.splitlines() if "night-market.html" in x]
    assert "cannot import lxml.html.clean (from the package lxml)" in line
    assert server.hits("/night-market.html") == []  # refused before any request
    assert server.hits("/articles/ferry.html") == []
    report = json.loads((project / "build-report.json").read_text("utf-8"))
    assert [s["origin"] for s in report["skipped"]] == [f"{server.base}/night-market.html"]
    notices = {n["origin"]: n["reason"] for n in report["notices"]}
    assert "cannot import lxml.html.clean" in notices[f"{server.base}/articles/ferry.html"]
    text = published_text(project / "site")
    for title in ("Ferry service suspended as storm closes harbour", "Шторм закрив гавань",
                  "Rail strike called off after overnight talks", "Lighthouse keeper",
                  "Valley bus timetable changes from Monday"):
        assert title in text, title


def test_without_the_feed_reader_feeds_are_skipped_in_one_line_each(server: FeedServer,
                                                                    tmp_path: Path) -> None:
    serve_one_of_each(server)
    project = one_of_each(tmp_path, server.base)
    result = run_build(project, blocked="feedparser")
    assert result.returncode == 3, result.stderr
    no_traceback(result)
    named = [x for x in result.stderr.splitlines() if "cannot import feedparser" in x]
    assert len(named) == 4  # rss, atom, JSON Feed and the page: all read by digest.fetch
    assert server.log == []
    assert "Valley bus timetable changes from Monday" in published_text(project / "site")


@pytest.mark.parametrize(("tool", "blocked"), [("digest", "numpy"), ("digest", "click"),
                                               ("digest", "yaml"), ("mkdocs", "scipy")])
def test_a_missing_core_package_is_one_line_and_the_site_is_kept(tmp_path: Path, tool: str,
                                                                 blocked: str) -> None:
    project = one_of_each(tmp_path, "http://127.0.0.1:9")  # nothing is fetched
    (project / "site").mkdir()
    (project / "site" / "index.html").write_text("previous", "utf-8")
    result = run_build(project, blocked=blocked, tool=tool)
    assert result.returncode == 1
    no_traceback(result)
    [line] = [x for x in result.stderr.splitlines() if f"cannot import {blocked}" in x]
    assert "reinstall newsdigest" in line
    assert (project / "site" / "index.html").read_text("utf-8") == "previous"


# --- a build leaves the checkout clean ---------------------------------------------------

def test_a_build_leaves_git_status_clean(tmp_path: Path) -> None:
    git = shutil.which("git")
    assert git, "git is needed to check what a build leaves behind"
    project = tmp_path / "checkout"
    project.mkdir()
    for name in ("feeds.yaml", "mkdocs.yml", ".gitignore"):
        shutil.copy(ROOT / name, project / name)
    for name in ("docs", "samples"):
        shutil.copytree(ROOT / name, project / name)

    def git_run(*args: str) -> str:
        return subprocess.run([git, "-c", "user.name=t", "-c", "user.email=t@example.org",
                               *args], cwd=project, capture_output=True, text=True,
                              check=True).stdout

    git_run("init", "-q")
    git_run("add", "-A")
    git_run("commit", "-q", "-m", "sample")
    assert run_build(project).returncode == 0
    assert run_build(project).returncode == 0  # a second, incremental build writes its ledger
    assert (project / "site" / "index.html").is_file()
    assert git_run("status", "--porcelain") == ""


def test_the_repository_tracks_nothing_it_ignores() -> None:
    """A tracked file that .gitignore lists (the build ledger once was) shows as changed
    after every build."""
    git = shutil.which("git")
    if git is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    tracked = subprocess.run([git, "ls-files", "--cached", "-i", "--exclude-standard"],
                             cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert tracked == ""
