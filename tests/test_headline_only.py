"""Issue 16, item 12: a headline-only feed (titles and links, no text) is said once per source
and reason, with a count, on the terminal and at the top of its source in the build report,
each item still listed; ``headline_only`` decides whether such items are published as links
to the original (the default) or left out. Real ``digest build`` processes over fictional
feeds written in ``tmp_path``."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from digest.config import ConfigError, load_config
from digest.pipeline import HEADLINE_ONLY, build_digest

HEADLINES = ["Tide tables for the spring equinox", "Pier lights replaced after the storm",
             "New bus stop at the ferry terminal", "Harbour school wins rowing cup",
             "Fish market moves to the north quay"]
STORY = ("The lifeboat station opened its doors to visitors on Saturday, and more than three"
         " hundred people climbed aboard the new boat to see how the crew trains at night.")


def feed(with_text: bool = False) -> str:
    """A headline-only RSS feed (and, ``with_text``, one item with text)."""
    items = [f"<item><title>{html.escape(t)}</title>"
             f"<link>https://science.example/{n}</link>"
             f"<pubDate>0{1 + n % 3} Mar 2026 08:00:00 GMT</pubDate></item>"
             for n, t in enumerate(HEADLINES)]
    if with_text:
        items.append("<item><title>Lifeboat open day</title><link>https://science.example/open"
                     f"</link><pubDate>02 Mar 2026 08:00:00 GMT</pubDate><description>{STORY}"
                     "</description></item>")
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            "<title>Science desk</title><link>https://science.example/</link>"
            + "".join(items) + "</channel></rss>")


def project(tmp_path: Path, setting: str = "") -> Path:
    (tmp_path / "feeds.yaml").write_text(
        "site: {title: Quay Digest, url: 'https://quay.example.org/'}\ncache: null\n"
        "sources:\n"
        f"  - {{name: science, title: Science, type: rss, path: science.xml{setting}}}\n",
        "utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\ntheme: {name: material}\nplugins: [search, digest]\n", "utf-8")
    (tmp_path / "docs").mkdir(exist_ok=True)
    (tmp_path / "science.xml").write_text(feed(with_text=True), "utf-8")
    return tmp_path


def build(folder: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    return subprocess.run([sys.executable, "-m", "digest", "build", "--jobs", "1"], cwd=folder,
                          env=env, capture_output=True, text=True, timeout=300)


def test_headlines_are_published_as_links_and_said_once(tmp_path: Path) -> None:
    folder = project(tmp_path)
    result = build(folder)
    assert result.returncode == 0, result.stderr  # nothing skipped
    site = folder / "site"
    pages = [p.read_text("utf-8") for p in (site / "articles").rglob("index.html")]
    assert len(pages) == len(HEADLINES) + 1
    linked = [p for p in pages if "Read it at the source" in p]
    assert len(linked) == len(HEADLINES)
    for page in linked:
        assert re.search(r'href="https://science\.example/\d"', page)
        assert "The article" not in page  # no empty section
    report = json.loads((folder / "build-report.json").read_text("utf-8"))
    noted = [n for n in report["notices"] if n["reason"].startswith(HEADLINE_ONLY)]
    assert len(noted) == len(HEADLINES) and {n["source"] for n in noted} == {"science"}
    page = (site / "report" / "index.html").read_text("utf-8")
    assert f"{len(HEADLINES)} inputs" in page  # one line with the count, then each item
    assert all(f"https://science.example/{n}" in page for n in range(len(HEADLINES)))


def test_headlines_can_be_left_out_and_the_terminal_says_so_in_one_line(tmp_path: Path) -> None:
    folder = project(tmp_path, ", headline_only: skip")
    result = build(folder)
    assert result.returncode == 3, result.stderr  # built, inputs skipped
    lines = [line for line in result.stderr.splitlines() if "skipped" in line and "WARNING" in
             line]
    assert len(lines) == 1, result.stderr
    assert f"skipped {len(HEADLINES)} inputs of Science: {HEADLINE_ONLY}" in lines[0]
    assert "https://science.example/0" in lines[0] and "and 2 more" in lines[0]
    pages = list((folder / "site" / "articles").rglob("index.html"))
    assert len(pages) == 1  # the item with text
    report_page = (folder / "site" / "report" / "index.html").read_text("utf-8")
    heading = report_page.index(f"Science ({len(HEADLINES)})")
    assert report_page.index(f"{len(HEADLINES)} inputs") > heading
    sources = (folder / "site" / "sources" / "index.html").read_text("utf-8")
    row = re.search(r"<tr>\s*<td[^>]*>Science</td>(.*?)</tr>", sources, re.S)
    assert row and [re.sub("<[^>]+>", "", c).strip() for c in
                    re.findall(r"<td[^>]*>(.*?)</td>", row.group(1))][1:4] == ["1", "0", "5"]


def test_items_whose_only_text_is_the_template_are_headlines(tmp_path: Path) -> None:
    text = feed().replace("</pubDate></item>",
                          "</pubDate><description>&lt;p&gt;Continue reading on Science"
                          " Desk &#187;&lt;/p&gt;</description></item>")
    (tmp_path / "science.xml").write_text(text, "utf-8")
    (tmp_path / "feeds.yaml").write_text(
        "cache: null\nsources:\n  - {name: science, type: rss, path: science.xml}\n", "utf-8")
    digest = build_digest(load_config(tmp_path / "feeds.yaml"), jobs=1)
    assert len(digest.articles) == len(HEADLINES)
    assert all(a.body == () and a.summary == () for a in digest.articles)
    assert sum(n.reason.startswith(HEADLINE_ONLY) for n in digest.notices) == len(HEADLINES)


def test_the_setting_is_checked_at_the_door(tmp_path: Path) -> None:
    (tmp_path / "feeds.yaml").write_text(
        "sources:\n  - {name: science, type: rss, path: s.xml, headline_only: hide}\n", "utf-8")
    with pytest.raises(ConfigError, match="headline_only.*one of link, skip"):
        load_config(tmp_path / "feeds.yaml")
