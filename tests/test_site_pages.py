"""Page kinds, feeds, tags and dates from small inline digests (no MkDocs build)."""

from __future__ import annotations

import dataclasses
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from digest.build_time import build_stamp
from digest.config import Config, SiteSettings, SourceSettings
from digest.group import group_articles
from digest.records import Article, Digest, GroupItem, Topic, TopicSentence
from digest.site import render_site
from digest.site import topic_page as tp
from digest.site.article_page import brief_markdown
from digest.site.dates import format_day, format_moment, format_month
from digest.site.feeds import entry_html, xml_safe
from digest.site.labels import CATALOG
from digest.site.tags import build_tags, candidates

ATOM = "{http://www.w3.org/2005/Atom}"


def article(i: int, date: str = "2026-03-04", **kw: object) -> Article:
    fields: dict = {"id": f"s/{i:03d}", "source": "s", "origin": f"{i}.txt",
                    "title": f"Harbour Board meets on day {i}", "date": date,
                    "summary": (f"The Harbour Board met for the {i}th time.", "It voted."),
                    "body": ("First paragraph.", "Second paragraph."), "topic": "t"}
    fields.update(kw)
    return Article(**fields)


def config(**site: object) -> Config:
    return Config(path=Path("/nowhere/feeds.yaml"),
                  site=SiteSettings(title="Test digest", url="https://t.example/", **site))


def digest_of(articles: list[Article], built: str = "2026-03-05T00:00:00+00:00") -> Digest:
    topic = Topic("t", "Harbour Board", tuple(a.id for a in articles),
                  (TopicSentence("The board met.", articles[0].id),))
    return Digest(tuple(articles), (topic,), built=built)


def front_matter(markdown: str) -> dict:
    return yaml.safe_load(markdown.split("---\n", 2)[1])


def test_dates_follow_the_locale_and_time_zone() -> None:
    assert format_day("2026-03-04", "en_GB") == "4 March 2026"
    assert format_day("2026-03-04", "en") == "March 4, 2026"
    assert format_day("2026-03-04", "uk").startswith("4 березня 2026")
    assert format_day(None) == "Undated" and format_day("spring", "en") == "spring"
    assert format_month("2026-03", "en_GB") == "March 2026"
    assert format_moment("2026-07-01T23:30:00+00:00", "en_GB", "Europe/Kyiv").startswith(
        "2 July 2026, 02:30")


def test_build_stamp_comes_from_data_or_source_date_epoch() -> None:
    dates = ["2026-03-02", None, "2026-03-04", "not a date"]
    assert build_stamp(dates, {}) == "2026-03-04T00:00:00+00:00"
    assert build_stamp(dates, {"SOURCE_DATE_EPOCH": "1773500000"}).startswith("2026-03-14T")
    assert build_stamp([], {}) == "1970-01-01T00:00:00+00:00"


def test_key_phrases_need_names_and_several_articles() -> None:
    found = candidates("Officials said the River Lisk burst. Flooding hit Dunmarrow on Monday.")
    assert found == ["River Lisk", "Dunmarrow"]  # not "Officials", "Flooding" or "Monday"
    arts = [article(1, title="River Lisk floods Dunmarrow", summary=()),
            article(2, title="Dunmarrow counts the cost", summary=()),
            article(3, title="Kilcarra votes", summary=())]
    tags, of = build_tags(arts)
    assert [t.name for t in tags] == ["Dunmarrow"]
    assert [t.slug for t in of["s/001"]] == ["dunmarrow"] and of["s/003"] == []


def test_long_topics_are_paginated_newest_first() -> None:
    days = [f"2026-0{1 + i // 28}-{1 + i % 28:02d}" for i in range(tp.PAGE_SIZE * 2 + 5)]
    arts = [article(i, d) for i, d in enumerate(days)]
    site = render_site(digest_of(arts), config(), "https://t.example/")
    pages = sorted(p for p in site.pages if p.startswith("topics/t"))
    assert pages == ["topics/t.md", "topics/t/page-2.md", "topics/t/page-3.md"]
    first = site.pages["topics/t.md"]
    assert "[Older →](t/page-2.md)" in first and "Page 1 of 3" in first
    assert first.index("Harbour Board meets on day 104") < first.index("day 103")
    timeline = first.split("## Timeline")[1]  # (the summary above may cite any article)
    assert "day 0]" not in timeline and "day 0]" in site.pages["topics/t/page-3.md"]
    assert front_matter(site.pages["topics/t/page-2.md"])["search"] == {"exclude": True}


def test_front_page_shows_the_days_window() -> None:
    arts = [article(1, "2026-03-01"), article(2, "2026-03-03"), article(3, "2026-03-04")]
    one = render_site(digest_of(arts), config(locale="en_GB"), "/").pages["index.md"]
    two = render_site(digest_of(arts), config(locale="en_GB", days=2), "/").pages["index.md"]
    assert "# The digest for 4 March 2026" in one and "day 3]" in one and "day 2]" not in one
    # one topic is one story: its newest development leads, with the window's articles counted
    assert "# The digest for 3 March 2026 – 4 March 2026" in two and "day 3]" in two
    # the day before the window is one click away; with every day shown, there is none
    assert "The day before: [← 3 March 2026](archive/2026-03-03.md)" in one
    assert "The day before: [← 1 March 2026](archive/2026-03-01.md)" in two
    three = render_site(digest_of(arts), config(locale="en_GB", days=3), "/").pages["index.md"]
    assert "The day before" not in three


def test_article_pages_search_only_title_and_summary() -> None:
    site = render_site(digest_of([article(1)]), config(), "/")
    page = next(v for k, v in site.pages.items() if k.startswith("articles/"))
    assert "## In brief\n" in page
    assert "## The article { data-search-exclude }" in page
    meta = front_matter(page)
    assert meta["og_type"] == "article" and meta["date"] == "2026-03-04"
    assert meta["feeds"] == "topics/t/"


def test_feeds_render_the_page_markdown_and_parse() -> None:
    arts = [article(i, f"2026-03-0{1 + i}", standfirst="A <b>bold</b> claim & more")
            for i in range(3)]
    site = render_site(digest_of(arts), config(), "https://t.example/")
    assert set(site.files) == {"atom.xml", "rss.xml", "feed.json", "topics/t/atom.xml",
                               "topics/t/rss.xml", "topics/t/feed.json"}
    atom = ET.fromstring(site.files["atom.xml"].encode())
    entries = atom.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries][0] == "Harbour Board meets on day 2"
    newest = max(arts, key=lambda a: a.date or "")
    html = MarkdownIt("commonmark").render(brief_markdown(newest))
    assert entries[0].findtext(f"{ATOM}content") == html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html  # the standfirst's tag is text, in page and feed
    assert entries[0].find(f"{ATOM}link").get("href") == (
        "https://t.example/articles/2026-03-03/harbour-board-meets-on-day-2/")
    rss = ET.fromstring(site.files["rss.xml"].encode())
    assert len(rss.findall("channel/item")) == 3
    feed = json.loads(site.files["feed.json"])
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["items"][0]["content_html"] == html


def test_same_digest_same_bytes() -> None:
    arts = [article(i, f"2026-03-0{1 + i % 5}") for i in range(12)]
    one = render_site(digest_of(arts), config(), "https://t.example/")
    two = render_site(digest_of(list(reversed(arts))), config(), "https://t.example/")
    assert one.files == two.files
    assert one.pages.keys() == two.pages.keys()


def test_sources_page_counts_each_feeds_skipped_inputs() -> None:
    from digest.config import SourceSettings
    from digest.records import Skipped

    sources = (SourceSettings(name="s", type="text", path="in/*.txt", title="The Paper"),
               SourceSettings(name="w", type="jsonl", path="wire.jsonl"))
    cfg = Config(path=Path("/nowhere/feeds.yaml"), site=SiteSettings(locale="en_GB"),
                 sources=sources)
    digest = Digest((article(1),), (), skipped=(Skipped("in/a.txt", "no article text"),
                                                 Skipped("wire.jsonl:3", "not valid JSON"),
                                                 Skipped("wire.jsonl:9", "not valid JSON")),
                    built="2026-03-05T06:00:00+00:00")
    site = render_site(digest, cfg, "/")
    page = site.pages["sources.md"]
    assert "| The Paper | text | 1 | 0 | 1 | 4 March 2026 |" in page
    assert "| w | jsonl | 0 | 0 | 2 | Undated |" in page
    assert "3 inputs skipped" in page and "(report.md)" in page
    report = MarkdownIt("commonmark").render(site.pages["report.md"])
    assert "Built 5 March 2026, 06:00 UTC" in report
    for origin in ("in/a.txt", "wire.jsonl:3", "wire.jsonl:9"):
        assert f"<code>{origin}</code>" in report


def test_article_credits_are_not_repeated() -> None:
    wire = article(1, byline="Calder Press Agency", agency="calder press agency")
    cfg = dataclasses.replace(config(), sources=(
        SourceSettings(name="s", type="jsonl", path="x", title="Calder Press Agency"),))
    site = render_site(digest_of([wire]), cfg, "/")
    page = next(v for k, v in site.pages.items() if k.startswith("articles/"))
    credit_line = next(line for line in page.splitlines() if line.startswith("**"))
    assert credit_line.count("Calder Press Agency") == 1


def test_related_titles_link_the_articles_grouping_resolved() -> None:
    # a reworded title and a truncated one both name the storm article (resolved by grouping,
    # fuzzily and by prefix): it is listed once; a page nobody wrote stays text
    storm = article(1, title="Storm Wendeline: amber rain warning issued for the Lisk valley")
    river = article(2, date="2026-03-05", title="River Lisk bursts its banks in Dunmarrow",
                    related=("Storm Wendeline: amber rain warning issued for Lisk valley",
                             "Storm Wendeline: amber rain warning issued…",
                             "Kilcarra council approves the harbour depot budget"))
    topics = group_articles([GroupItem(a.id, a.title, a.text, a.date, a.related)
                             for a in (storm, river)])
    links = {link for t in topics for link in t.links}
    assert links == {(river.id, title, storm.id) for title in river.related[:2]}
    topic_of = {i: t.id for t in topics for i in t.article_ids}
    arts = [dataclasses.replace(a, topic=topic_of[a.id]) for a in (storm, river)]
    pages = render_site(Digest(tuple(arts), tuple(topics)), config(), "/").pages
    page = next(v for k, v in pages.items() if "river-lisk" in k)
    section = page.split("## Related articles", 1)[1].split("\n## ", 1)[0]
    related = [line for line in section.splitlines() if line.startswith("- ")]
    assert related == [
        "- [Storm Wendeline&#58; amber rain warning issued for the Lisk valley]"
        "(../2026-03-04/storm-wendeline-amber-rain-warning-issued-for-the-lisk-valley.md)",
        "- Kilcarra council approves the harbour depot budget"]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40), st.lists(st.text(max_size=40), max_size=3),
       st.sampled_from(sorted(CATALOG["in_brief"].values())))
def test_feed_entry_html_is_what_markdown_it_makes_of_the_page_markdown(
        standfirst: str, summary: list[str], in_brief: str) -> None:
    a = dataclasses.replace(article(0, "2026-03-01"), standfirst=standfirst, summary=tuple(summary))
    markdown = brief_markdown(a, in_brief)
    expected = xml_safe(MarkdownIt("commonmark", {"html": False}).render(markdown))
    assert entry_html(a, in_brief) == expected


def test_topic_index_is_paginated_biggest_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tp, "INDEX_PAGE_SIZE", 2)
    arts = [article(i, f"2026-03-0{1 + i}", topic=f"topic-{i % 3}") for i in range(6)]
    topics = tuple(Topic(f"topic-{k}-0123456789", f"Story {k}",
                         tuple(a.id for a in arts[: k + 1])) for k in range(3))
    site = render_site(Digest(tuple(arts), topics), config(), "/")
    first, second = site.pages["topics/index.md"], site.pages["topics/page-2.md"]
    assert "Story 2" in first and "Story 1" in first and "Story 0" in second
    assert "[Smaller topics →](page-2.md)" in first
    assert "[← Bigger topics](index.md)" in second and "Page 2 of 2" in second
    assert "topics/page-3.md" not in site.pages
