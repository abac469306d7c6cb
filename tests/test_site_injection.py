"""The injection corpus builds, shows every payload as visible text, and builds reproducibly.

``tests/fixtures/injection/`` holds a feed of hostile articles: script tags,
event attributes, ``javascript:`` links, Markdown links and images, HTML
comments, template syntax, path-like and 2,000-character titles and
right-to-left text. The site is built twice with real MkDocs (``--strict``)
in two different folders; both builds must be byte-identical.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "fixtures" / "injection"
ATOM = "{http://www.w3.org/2005/Atom}"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


def build(dest: Path) -> Path:
    """The corpus as a project in ``dest``, built by ``mkdocs build --strict``."""
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", dest / "docs")
    for item in CORPUS.iterdir():
        shutil.copy(item, dest / item.name)
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=dest,
                            capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, result.stderr
    return dest / "site"


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return build(tmp_path_factory.mktemp("inject-a")), build(tmp_path_factory.mktemp("b-2"))


@pytest.fixture(scope="module")
def site(builds: tuple[Path, Path]) -> Path:
    return builds[0]


def records() -> list[dict]:
    lines = (CORPUS / "hostile.jsonl").read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def flat(value: str) -> str:
    return " ".join(value.split())


class Page(HTMLParser):
    """What a browser would build from a page: elements, attributes, comments, and the
    visible text of the article column."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.inner: list[str] = []  # elements inside <article>
        self.comments: list[str] = []
        self.depth = 0  # inside <article>
        self.text: list[str] = []
        self.title = ""
        self._in_title = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        if tag not in VOID and (tag == "article" or self.depth):
            self.depth += 1
        if self.depth:
            self.inner.append(tag)
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.text.append(data)
        if self._in_title:
            self.title += data

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)

    @property
    def visible(self) -> str:
        return flat(" ".join(self.text))


def article_pages(site: Path) -> dict[str, Page]:
    """Each article page by the text of its h1."""
    out = {}
    for path in (site / "articles").rglob("index.html"):
        html = path.read_text("utf-8")
        h1 = html.split("<h1", 1)[1].split(">", 1)[1].split("</h1>", 1)[0]
        out[flat(unescape(h1))] = Page(html)
    return out


def test_every_payload_is_visible_text(site: Path) -> None:
    pages = article_pages(site)
    for rec in records():
        title = flat(rec["title"])
        assert title in pages, f"no page shows the title {title[:60]!r}"
        page = pages[title]
        for value in (rec["body"][0], rec["standfirst"], rec["byline"]):
            assert flat(value) in page.visible, (rec["id"], value)
        assert flat(rec["related"][1]) in page.visible  # unresolved related titles as text


def test_no_payload_becomes_markup(site: Path) -> None:
    about = Page((site / "about" / "index.html").read_text("utf-8"))
    trusted_scripts = sum(1 for tag, _ in about.tags if tag == "script")
    for title, page in article_pages(site).items():
        assert sum(1 for tag, _ in page.tags if tag == "script") == trusted_scripts, title
        assert len(page.comments) == len(about.comments), title
        for tag, attrs in page.tags:
            assert not [k for k in attrs if k.startswith("on")], (title, tag, attrs)
            for key in ("href", "src", "action"):
                assert not attrs.get(key, "").strip().lower().startswith("javascript:"), title
        assert not set(page.inner) & {"img", "svg", "iframe", "object", "embed", "script",
                                      "style", "form", "input", "blockquote", "table", "pre"}
        # the theme prints the title unescaped: it must still be one text node
        assert "<" not in page.title and page.title.strip(), title


def test_hostile_settings_show_as_text(site: Path) -> None:
    front = Page((site / "index.html").read_text("utf-8"))
    assert "‹script›alert(’description’)‹/script›" in (site / "index.html").read_text("utf-8")
    assert not [a for _, a in front.tags if any(k.startswith("on") for k in a)]
    sources = Page((site / "sources" / "index.html").read_text("utf-8"))
    assert "<img src=x onerror=alert('source')> Hostile Wire" in sources.visible


def test_titles_cannot_escape_the_site(builds: tuple[Path, Path]) -> None:
    for site in builds:
        project = site.parent
        made = {p.name for p in project.iterdir()} - {"docs", "mkdocs.yml", "feeds.yaml",
                                                      "hostile.jsonl"}
        assert made <= {"site", "build-report.json"}, made
        for path in site.rglob("*"):
            assert path.resolve().is_relative_to(site.resolve())
            assert len(path.name) <= 100, path.name
        assert not (project / "etc").exists() and not (project.parent / "etc").exists()


def test_feeds_carry_payloads_as_text(site: Path) -> None:
    feed = ET.parse(site / "atom.xml").getroot()
    titles = {flat(e.findtext(f"{ATOM}title") or "") for e in feed.iter(f"{ATOM}entry")}
    assert {flat(r["title"]) for r in records()} <= titles
    for entry in feed.iter(f"{ATOM}entry"):
        content = Page("<article>" + (entry.findtext(f"{ATOM}content") or "") + "</article>")
        assert {tag for tag, _ in content.tags} <= {"article", "p", "em", "h2", "ul", "li"}
        assert not [a for _, a in content.tags if a]


def tree(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(builds: tuple[Path, Path]) -> None:
    one, two = (tree(site) for site in builds)
    assert one.keys() == two.keys()
    assert [name for name in one if one[name] != two[name]] == []
