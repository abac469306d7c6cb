"""Issue 16, items 1 and 11: a build where no article has a date is still a digest (dated by
its newest input, never 1970), and a language given by a feed or a source reaches the
article pages (the article's own words marked with ``lang`` and, for right-to-left scripts,
``dir="rtl"``).

Fixtures are small fictional feeds written in ``tmp_path``; the builds are real
``digest build`` processes (MkDocs and the Material theme)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from digest.build_time import build_stamp
from digest.config import Config, SiteSettings, SourceSettings
from digest.fields import from_fields
from digest.records import Article, Digest, Topic
from digest.site import render_site
from digest.site.language import direction, language_tag

ATOM = "{http://www.w3.org/2005/Atom}"
# 2025-11-02 10:20:30 UTC: the fixtures' modification time, and so the build date
MTIME = int(dt.datetime(2025, 11, 2, 10, 20, 30, tzinfo=dt.UTC).timestamp())
MTIME_ISO = "2025-11-02T10:20:30+00:00"

UNDATED_RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="0.92">
<channel>
<title>Quayside Notes</title>
<link>https://quayside.example.org/</link>
<description>Notes from a fictional harbour town.</description>
<item>
<title>Crane on the east pier is repaired</title>
<link>https://quayside.example.org/crane</link>
<description>The crane on the east pier was repaired by the harbour crew on Tuesday. Engineers
replaced the winch cable and tested the brakes twice. Barges can now unload at the east pier
again, the harbour master said.</description>
</item>
<item>
<title>Library opens a reading room for sailors</title>
<link>https://quayside.example.org/library</link>
<description>The town library opened a reading room for visiting sailors beside the ferry
terminal. It holds charts, newspapers in nine languages and a kettle. Volunteers will keep it
open every evening through the winter.</description>
</item>
<item>
<title>Regatta committee picks a new course</title>
<link>https://quayside.example.org/regatta</link>
<description>The regatta committee chose a shorter course that stays inside the breakwater.
Skippers had asked for calmer water after last year's storm. The first race starts at the
lighthouse buoy and ends at the fish market steps.</description>
</item>
</channel>
</rss>
"""

URDU_RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0">
<channel>
<title>بندرگاہ خبریں</title>
<link>https://bandargah.example.org/</link>
<description>ایک فرضی بندرگاہ کی خبریں</description>
<language>ur</language>
<item>
<title>مشرقی گھاٹ کی کرین مرمت ہو گئی</title>
<link>https://bandargah.example.org/crane</link>
<pubDate>Tue, 03 Mar 2026 08:00:00 GMT</pubDate>
<description>مشرقی گھاٹ کی کرین منگل کو بندرگاہ کے عملے نے مرمت کر دی۔ انجینئروں نے
ونچ کی تار بدل دی اور بریک دو بار آزمائے۔ بندرگاہ کے افسر نے کہا کہ کشتیاں اب دوبارہ سامان
اتار سکتی ہیں۔</description>
</item>
</channel>
</rss>
"""

ENGLISH_JSONL = json.dumps({
    "id": "ferry", "title": "Ferry timetable changes for the winter",
    "date": "2026-03-03",
    "text": "The ferry will sail twice a day from Monday. The morning crossing leaves at seven."
            " The evening crossing leaves at six, the ferry company said."}) + "\n"

HEBREW_JSONL = json.dumps({
    "id": "market", "title": "שוק הדגים נפתח מחדש",
    "date": "2026-03-03",
    "text": "שוק הדגים ליד הנמל נפתח מחדש ביום שני. הדוכנים שופצו במהלך החורף."}) + "\n"


def write_project(folder: Path, sources: str) -> Path:
    (folder / "feeds.yaml").write_text(
        "site: {title: Quay Digest, url: 'https://quay.example.org/'}\n"
        f"sources:\n{sources}", "utf-8")
    (folder / "mkdocs.yml").write_text(
        "site_name: x\ntheme: {name: material}\nplugins: [search, digest]\n", "utf-8")
    (folder / "docs").mkdir()
    return folder


def build(project: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    return subprocess.run([sys.executable, "-m", "digest", "build"], cwd=project, env=env,
                          capture_output=True, text=True, timeout=300)


def page_with(site: Path, title: str) -> str:
    """The HTML of the article page whose heading is ``title``."""
    found = [p.read_text("utf-8") for p in (site / "articles").rglob("index.html")
             if f">{title}</h1>" in p.read_text("utf-8")]
    assert len(found) == 1, title
    return found[0]


# --- item 1: no dated article -------------------------------------------------------------

def test_an_all_undated_feed_builds_a_site_dated_by_its_newest_file(tmp_path: Path) -> None:
    project = write_project(tmp_path, "  - {name: notes, type: rss, path: feed.xml}\n")
    feed = project / "feed.xml"
    feed.write_text(UNDATED_RSS, "utf-8")
    os.utime(feed, (MTIME, MTIME))
    result = build(project)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    site = project / "site"
    report = json.loads((project / "build-report.json").read_text("utf-8"))
    assert report["built"] == MTIME_ISO  # the feed file's mtime: never 1970, never the clock
    titles = ["Crane on the east pier is repaired", "Library opens a reading room for sailors",
              "Regatta committee picks a new course"]
    front = (site / "index.html").read_text("utf-8")
    for title in titles:
        assert title in front  # the front page lists the undated articles
        assert f">{title}</h1>" in page_with(site, title)
    assert "1970" not in front
    archive = (site / "archive" / "index.html").read_text("utf-8")
    assert "Undated" in archive and all(t in archive for t in titles)
    atom = ET.parse(site / "atom.xml").getroot()
    entries = atom.findall(f"{ATOM}entry")
    assert len(entries) == 3
    assert {e.findtext(f"{ATOM}updated") for e in entries} == {MTIME_ISO}
    assert atom.findtext(f"{ATOM}updated") == MTIME_ISO
    ET.parse(site / "rss.xml")
    items = json.loads((site / "feed.json").read_text("utf-8"))["items"]
    assert sorted(i["title"] for i in items) == sorted(titles)
    sitemap = (site / "sitemap.xml").read_text("utf-8")
    assert set(re.findall(r"<lastmod>(.*?)</lastmod>", sitemap)) == {MTIME_ISO[:10]}
    # the same inputs give the same build date: built again, unchanged
    again = build(project)
    assert again.returncode == 0, again.stderr
    assert json.loads((project / "build-report.json").read_text("utf-8"))["built"] == MTIME_ISO


def test_the_build_stamp_falls_back_to_the_newest_input_never_1970() -> None:
    newest = dt.datetime.fromtimestamp(MTIME, dt.UTC)
    assert build_stamp([None], {}, lambda: newest) == MTIME_ISO
    assert build_stamp(["2026-03-04"], {}, lambda: newest) == "2026-03-04T00:00:00+00:00"
    assert build_stamp([], {"SOURCE_DATE_EPOCH": "1773500000"}, lambda: newest).startswith(
        "2026-03-14T")


def test_the_newest_input_is_a_file_mtime_or_a_kept_fetch_time(tmp_path: Path) -> None:
    from digest.fetch.ingest import state_key
    from digest.fetch.validators import FetchStore, SourceState
    from digest.sources import newest_input

    (tmp_path / "a.jsonl").write_text(ENGLISH_JSONL, "utf-8")
    os.utime(tmp_path / "a.jsonl", (MTIME, MTIME))
    local = SourceSettings(name="a", type="jsonl", path="a.jsonl")
    web = SourceSettings(name="web", type="rss", url="https://quay.example.org/feed.xml")
    config = Config(path=tmp_path / "feeds.yaml", cache=tmp_path / "cache.sqlite",
                    sources=(local, web))
    assert newest_input(config) == dt.datetime.fromtimestamp(MTIME, dt.UTC)
    fetched = "2026-01-05T06:07:08+00:00"
    with FetchStore(tmp_path / "cache.sqlite") as store:
        store.save("web", SourceState(state_key(web), fetched_at=fetched))
    assert newest_input(config) == dt.datetime.fromisoformat(fetched)


def undated_config() -> Config:
    return Config(path=Path("/nowhere/feeds.yaml"),
                  site=SiteSettings(title="Test digest", url="https://t.example/"),
                  sources=(SourceSettings(name="s", type="text", path="*.txt"),))


def test_every_page_kind_renders_a_digest_without_dates() -> None:
    articles = tuple(Article(f"s/{i}", "s", f"{i}.txt", title=f"Harbour note {i}",
                             body=("A paragraph.",), summary=(f"Note {i} said something.",),
                             topic="t") for i in range(3))
    digest = Digest(articles, (Topic("t", "Harbour notes", tuple(a.id for a in articles)),),
                    built=MTIME_ISO)
    site = render_site(digest, undated_config(), "https://t.example/")
    front = site.pages["index.md"]  # one story: its lead, and its three articles one click away
    assert front.count('<article class="digest-story"') == 1 and "Harbour note" in front
    assert "[1 source](topics/t.md)" in front
    assert all(f"Harbour note {i}" in site.pages["topics/t.md"] for i in range(3))
    assert "Undated" in site.pages["archive/index.md"]
    feed = json.loads(site.files["feed.json"])
    assert [i["date_published"] for i in feed["items"]] == [MTIME_ISO] * 3
    ET.fromstring(site.files["atom.xml"])
    ET.fromstring(site.files["rss.xml"])


# --- item 11: the feed's or the source's language -----------------------------------------

def test_language_tags_and_their_direction() -> None:
    assert [direction(t) for t in ("ur", "ar-SA", "fa", "he", "iw", "ps", "sd", "ug", "yi",
                                   "dv", "ckb", "ku-Arab", "pa-Arab")] == ["rtl"] * 13
    assert [direction(t) for t in ("en", "uk", "zh-CN", "ku", "sd-Deva", "hi", "")] == (
        ["ltr"] * 7)
    assert language_tag(" en_US ") == "en-US" and language_tag("UR") == "ur"
    assert language_tag('en" onload="x') == "" and language_tag("<b>") == ""
    assert from_fields({"language": "ur", "text": "x"}).language == "ur"


def test_a_feed_language_reaches_its_article_pages(tmp_path: Path) -> None:
    project = write_project(
        tmp_path,
        "  - {name: urdu, type: rss, path: urdu.xml}\n"
        "  - {name: wire, type: jsonl, path: wire.jsonl}\n"
        "  - {name: market, type: jsonl, path: market.jsonl, language: he}\n")
    (project / "urdu.xml").write_text(URDU_RSS, "utf-8")
    (project / "wire.jsonl").write_text(ENGLISH_JSONL, "utf-8")
    (project / "market.jsonl").write_text(HEBREW_JSONL, "utf-8")
    result = build(project)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    # each page is in the site's language; the article's own words are marked with theirs
    urdu = page_with(site, "مشرقی گھاٹ کی کرین مرمت ہو گئی")
    assert '<html lang="en"' in urdu and '<body dir="ltr"' in urdu
    assert marked(urdu, "h1", "ur", "rtl") and marked(urdu, "div", "ur", "rtl")
    hebrew = page_with(site, "שוק הדגים נפתח מחדש")  # the source's language
    assert marked(hebrew, "h1", "he", "rtl")
    english = page_with(site, "Ferry timetable changes for the winter")
    assert '<html lang="en"' in english and 'lang="' not in english.split("<body", 1)[1]
    front = (site / "index.html").read_text("utf-8")
    assert '<html lang="en"' in front and marked(front, "article", "ur", "rtl")


def marked(html: str, tag: str, lang: str, direction: str) -> bool:
    """Whether some ``tag`` element of ``html`` carries ``lang`` and ``dir``."""
    return any(f'lang="{lang}"' in t and f'dir="{direction}"' in t
               for t in re.findall(rf"<{tag}\b[^>]*>", html))


@pytest.mark.parametrize("value", ["", "not a language!"])
def test_an_unusable_language_falls_back_to_the_source_then_the_site(value: str) -> None:
    from digest.site.context import SiteContext

    config = Config(path=Path("/nowhere/feeds.yaml"),
                    site=SiteSettings(title="T", url="https://t.example/", language="en"),
                    sources=(SourceSettings(name="s", type="jsonl", path="a.jsonl",
                                            language="fa"),
                             SourceSettings(name="t", type="jsonl", path="b.jsonl")))
    a = Article("s/1", "s", "a.jsonl:1", title="A", body=("x",), language=value)
    b = Article("t/1", "t", "b.jsonl:1", title="B", body=("x",), language=value)
    ctx = SiteContext(Digest((a, b), ()), config)
    assert ctx.language_of(a) == "fa" and ctx.language_of(b) == "en"
