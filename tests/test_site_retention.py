"""site.keep_days (issue 20): article pages older than the kept days are not published, and
nothing links them: the article keeps its place in its topic, summary, day page and feeds,
linked to the publisher's page (or not linked, where it has none)."""

from __future__ import annotations

import json
import re

import pytest
from test_site_pages import article, config

from digest.config import ConfigError, load_config
from digest.records import Digest, Topic, TopicSentence
from digest.site import render_site

DAYS = ("2026-03-01", "2026-03-03", "2026-03-04")


def digest() -> Digest:
    arts = [article(i, day, url=f"https://harbour.example/{i}" if i != 1 else None)
            for i, day in enumerate(DAYS)]
    summary = tuple(TopicSentence(f"The Harbour Board met for the {i}th time.", a.id)
                    for i, a in enumerate(arts))
    return Digest(tuple(arts), (Topic("t", "Harbour Board", tuple(a.id for a in arts),
                                      summary),), built="2026-03-05T00:00:00+00:00")


def test_every_article_has_a_page_by_default() -> None:
    pages = render_site(digest(), config(), "https://t.example/").pages
    assert sorted(p for p in pages if p.startswith("articles/")) == [
        f"articles/{d}/harbour-board-meets-on-day-{i}.md" for i, d in enumerate(DAYS)]


def test_pages_older_than_the_kept_days_are_gone_and_nothing_links_them() -> None:
    site = render_site(digest(), config(keep_days=2), "https://t.example/")  # 3 and 4 March
    kept = sorted(p for p in site.pages if p.startswith("articles/"))
    assert kept == ["articles/2026-03-03/harbour-board-meets-on-day-1.md",
                    "articles/2026-03-04/harbour-board-meets-on-day-2.md"]
    gone = "articles/2026-03-01/"
    for path, text in site.pages.items():
        assert gone not in text, path
    timeline = site.pages["topics/t.md"]
    # the old article keeps its place: its publisher's page, in the timeline and the summary
    assert "[Harbour Board meets on day 0](<https://harbour.example/0>)" in timeline
    assert "<sup>[1](<https://harbour.example/0>)</sup>" in timeline
    assert "2026-03-01" in site.pages["archive/2026-03-01.md"]  # its day's page stays
    feed = json.loads(site.files["feed.json"])
    old = next(i for i in feed["items"] if i["title"].endswith("day 0"))
    assert old["url"] == "https://harbour.example/0"
    assert old["id"] == "https://t.example/articles/2026-03-01/harbour-board-meets-on-day-0/"


def test_an_old_article_without_an_address_is_listed_unlinked() -> None:
    site = render_site(digest(), config(keep_days=1), "https://t.example/")  # 4 March
    timeline = site.pages["topics/t.md"]
    assert re.search(r"^- Harbour Board meets on day 1 · ", timeline, re.M)
    assert "<sup>2</sup>" in timeline  # its summary sentence keeps its number, unlinked
    assert not any("day-1.md" in text for text in site.pages.values())


def test_keep_days_must_be_a_count_of_days(tmp_path) -> None:
    (tmp_path / "feeds.yaml").write_text(
        "site:\n  title: T\n  keep_days: -3\nsources:\n"
        "  - {name: s, type: text, path: 's/*.txt'}\n", "utf-8")
    with pytest.raises(ConfigError, match="keep_days"):
        load_config(tmp_path / "feeds.yaml")


@pytest.mark.slow
def test_a_sample_build_keeping_two_days_has_no_link_to_a_missing_page(tmp_path) -> None:
    import subprocess
    import sys
    from urllib.parse import unquote, urlsplit

    from conftest import copy_project

    project = copy_project(tmp_path)
    feeds = project / "feeds.yaml"
    feeds.write_text(feeds.read_text("utf-8").replace(
        "  days: 1 ", "  keep_days: 2\n  days: 1 ", 1), "utf-8")
    assert "keep_days: 2" in feeds.read_text("utf-8")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    days = sorted(p.name for p in (site / "articles").iterdir())
    assert days == ["2026-03-13", "2026-03-14"]  # the sample runs 9 to 14 March
    for page in site.rglob("*.html"):
        if page.name == "404.html":  # its links are from the site root, wherever it is served
            continue
        for href in re.findall(r'href="([^"#]+)', page.read_text("utf-8")):
            if urlsplit(href).scheme or href.startswith("/"):
                continue
            target = (page.parent / unquote(href)).resolve()
            assert target.exists() or (target / "index.html").exists(), (page, href)
