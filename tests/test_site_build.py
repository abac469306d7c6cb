"""The sample site as MkDocs builds it: every page there, links resolved, nothing unsafe."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

from digest.text import normalize_title


def pages(site: Path, folder: str) -> list[Path]:
    return [p for p in (site / folder).rglob("index.html")]


def searched_urls(site: Path) -> set[str]:
    """The URLs of every result the site's search index can give (Pagefind's fragments are
    gzipped JSON after a signature)."""
    urls = set()
    for fragment in (site / "pagefind").glob("*/fragment/*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes())
        urls.add(json.loads(data[data.index(b"{"):])["url"])
    return urls


def test_front_page_topics_articles_and_archives_exist(sample_site: Path,
                                                       sample_report: dict) -> None:
    assert (sample_site / "index.html").is_file()
    assert (sample_site / "sitemap.xml").is_file()
    assert json.loads((sample_site / "pagefind" / "shards.json").read_text("utf-8"))["shards"]
    assert not (sample_site / "search" / "search_index.json").exists()
    assert searched_urls(sample_site) >= {"/about/", *(
        "/" + p.parent.relative_to(sample_site).as_posix() + "/"
        for folder in ("articles", "topics") for p in pages(sample_site, folder)
        if p.parent.name != "topics")}
    assert len(pages(sample_site, "articles")) == sample_report["articles"]
    topic_pages = [p for p in pages(sample_site, "topics") if p.parent.name != "topics"]
    assert len(topic_pages) == sample_report["topics"]
    assert sample_report["skipped"] == []
    assert sample_report["duplicates"] >= 2  # the bundled wire story appears at several outlets
    assert list((sample_site / "archive").glob("20*/index.html"))


def test_articles_stay_out_of_the_navigation(sample_site: Path) -> None:
    front = (sample_site / "index.html").read_text("utf-8")
    nav = front.split('<nav class="md-nav md-nav--primary', 1)[1].split("</nav>", 1)[0]
    assert "articles/" not in nav
    # the nav is the same small size on every page, whatever the number of articles
    assert len(nav) < 20_000


def test_related_links_resolve_to_internal_pages(sample_site: Path) -> None:
    linked = 0
    for page in pages(sample_site, "articles"):
        html = page.read_text("utf-8")
        section = html.split('id="related-articles"', 1)
        if len(section) < 2:
            continue
        links = re.findall(r'<a href="(\.\./[^"]+)"', section[1].split("</ul>", 1)[0])
        for href in links:
            assert (page.parent / href / "index.html").resolve().is_file(), (page, href)
        linked += len(links)
    assert linked >= 20


def test_each_article_page_has_summary_text_and_source(sample_site: Path) -> None:
    """An article page shows its text once: "In brief" and "The article" both, or, where the
    summary is the article's opening, neither (the opening is the summary)."""
    for page in pages(sample_site, "articles"):
        html = page.read_text("utf-8")
        assert ('id="in-brief"' in html) == ('id="the-article"' in html), page
        assert html.count("<p>") >= 1 and 'class="md-content"' in html, page
        assert "<script>alert" not in html


def test_titles_match_their_articles(sample_site: Path) -> None:
    titles = [normalize_title(re.search(r"<h1[^>]*>(.*?)</h1>", p.read_text("utf-8"), re.S)
                              .group(1)) for p in pages(sample_site, "articles")]
    assert all(titles)
    assert len(set(titles)) == len(titles)  # duplicates are merged, not shown twice
