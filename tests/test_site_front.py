"""The front page's stories, the day pages, and the article and topic pages without repeats
(issue 19), from small inline digests (no MkDocs build)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st
from test_site_pages import article, config

from digest.plugin import tab_of
from digest.records import Copy, Digest, Topic, TopicSentence
from digest.site import front_page, render_site
from digest.site.article_page import lead_summary
from digest.site.context import SiteContext
from digest.site.gist import gist, restates
from digest.site.stories import stories


def topic(tid: str, arts: list, summary: tuple = ()) -> Topic:
    return Topic(tid, f"Topic {tid}", tuple(a.id for a in arts), summary)


def story_digest() -> Digest:
    """Three stories on 4 March: one carried by three sources, one by one source with three
    articles, one lone article; and a story of 3 March carried by two sources."""
    wide = [article(1, source="a", topic="wide", title="Ferry fares to rise by a tenth"),
            article(2, source="b", topic="wide", title="Ferry operator confirms fare rise"),
            article(3, source="c", topic="wide", title="Fare rise angers island commuters")]
    deep = [article(10 + i, source="a", topic="deep", title=f"Council vote number {i}")
            for i in range(3)]
    lone = [article(20, source="b", topic="lone", title="Lighthouse keeper retires")]
    old = [article(30, "2026-03-03", source="a", topic="old", title="Harbour dredging begins"),
           article(31, "2026-03-03", source="c", topic="old", title="Dredgers arrive")]
    arts = [*wide, *deep, *lone, *old]
    return Digest(tuple(arts), (topic("wide", wide), topic("deep", deep), topic("lone", lone),
                                topic("old", old)), built="2026-03-05T00:00:00+00:00")


def test_stories_rank_by_sources_then_articles_and_freshness() -> None:
    ctx = SiteContext(story_digest(), config(days=2))
    ranked = stories(ctx, ctx.window)
    assert [s.topic.id for s in ranked] == ["wide", "deep", "old", "lone"]
    assert ranked[0].sources == ("a", "b", "c") and len(ranked[0].articles) == 3
    # one per source, a quarter per further article, halved for each day older
    assert [s.weight for s in ranked] == [3.5, 1.5, 1.125, 1.0]


def test_a_merged_copy_counts_its_publisher_as_a_source() -> None:
    copy = Copy("z/1", "z", "Copy title", "https://z.example/1", "2026-03-04")
    one = article(1, source="a", topic="t", also_in=(copy,))
    digest = Digest((one,), (topic("t", [one]),), built="2026-03-05T00:00:00+00:00")
    story = stories(SiteContext(digest, config()), ["2026-03-04"])[0]
    assert story.sources == ("a", "z")


def test_the_lead_is_the_newest_article() -> None:
    arts = [article(1, "2026-03-03", topic="t"), article(2, "2026-03-04", topic="t")]
    digest = Digest(tuple(arts), (topic("t", arts),), built="2026-03-05T00:00:00+00:00")
    story = stories(SiteContext(digest, config(days=2)), ["2026-03-04", "2026-03-03"])[0]
    assert story.lead.id == "s/002"


def test_the_gist_skips_a_line_that_repeats_the_headline() -> None:
    a = article(1, title="Ferry fares to rise by a tenth",
                summary=("Ferry fares to rise by a tenth.", "The operator blames fuel costs."))
    assert gist(a) == "The operator blames fuel costs."
    assert gist(article(2, title="Fares rise", summary=("Fares rise.",), standfirst="")) == ""


@given(st.text(max_size=80), st.text(max_size=80))
def test_a_line_always_restates_itself_and_a_gist_never_restates_its_title(
        line: str, title: str) -> None:
    assert restates(line, line)
    found = gist(article(1, title=title, summary=(line,), standfirst=""))
    assert found == "" or not restates(found, title)


def test_the_front_page_is_capped_and_the_rest_of_the_day_is_one_click_away() -> None:
    arts = [article(i, source=f"s{i % 5}", topic=f"t{i}", title=f"Story number {i}")
            for i in range(front_page.MAX_STORIES + 7)]
    digest = Digest(tuple(arts), tuple(topic(a.topic, [a]) for a in arts),
                    built="2026-03-05T00:00:00+00:00")
    pages = render_site(digest, config(locale="en_GB"), "/").pages
    front = pages["index.md"]
    assert front.count('<article class="digest-story"') == front_page.MAX_STORIES
    assert "[All 37 stories of the day →](archive/2026-03-04.md){ .digest-more }" in front
    assert pages["archive/2026-03-04.md"].count('<article class="digest-story"') == 37


def test_a_day_page_is_paged() -> None:
    from digest.site.archive import DAY_PAGE_SIZE

    n = DAY_PAGE_SIZE + 3
    arts = [article(i, topic=f"t{i}", title=f"Story number {i}") for i in range(n)]
    digest = Digest(tuple(arts), tuple(topic(a.topic, [a]) for a in arts),
                    built="2026-03-05T00:00:00+00:00")
    pages = render_site(digest, config(locale="en_GB"), "/").pages
    first, second = pages["archive/2026-03-04.md"], pages["archive/2026-03-04/page-2.md"]
    assert first.count('<article class="digest-story"') == DAY_PAGE_SIZE
    assert second.count('<article class="digest-story"') == 3
    assert "[Older →](2026-03-04/page-2.md)" in first


def test_a_story_unit_escapes_what_sources_write() -> None:
    evil = article(1, source="<b>x</b>", topic="t", title="<script>alert(1)</script> [x](y)",
                   summary=("Click <img src=x onerror=alert(1)> now {: .evil }",))
    digest = Digest((evil,), (topic("t", [evil]),), built="2026-03-05T00:00:00+00:00")
    front = render_site(digest, config(), "/").pages["index.md"]
    units = front[front.index('<div class="digest-stories"'):]
    assert "<script" not in units and "<img" not in units and "<b>" not in units
    assert "{: .evil }" not in units and "\\[x\\]\\(y\\)" in units


def test_a_story_in_another_language_is_marked() -> None:
    other = article(1, topic="t", language="ur", title="ایک خبر")
    digest = Digest((other,), (topic("t", [other]),), built="2026-03-05T00:00:00+00:00")
    front = render_site(digest, config(), "/").pages["index.md"]
    assert '<article class="digest-story" markdown lang="ur" dir="rtl">' in front


def test_an_article_whose_summary_is_its_opening_shows_its_text_once() -> None:
    lead = article(1, summary=("First paragraph.",), body=("First paragraph.", "Second one."))
    assert lead_summary(lead)
    page = next(v for k, v in render_site(Digest((lead,), (topic("t", [lead]),)),
                                          config(), "/").pages.items() if k.startswith("art"))
    assert "In brief" not in page and "The article" not in page
    assert page.split("---\n")[2].count("First paragraph.") == 1
    # the opening is searched, the rest is not
    assert "First paragraph.\n\n" in page and "Second one.\n{ data-search-exclude }" in page
    chosen = article(2, summary=("Second one.",),
                     body=("First paragraph.", "x", "y", "Second one."))
    assert not lead_summary(chosen)


def test_copies_are_listed_once_with_each_added_sentence_once() -> None:
    copies = (Copy("z/1", "z", "Same story elsewhere", "https://z.example/1", "2026-03-04",
                   adds=("An extra fact.",)),
              Copy("y/1", "y", "Same story again", "https://y.example/1", "2026-03-04",
                   adds=("An extra fact.", "Another one.")))
    a = article(1, also_in=copies, related=("Same story elsewhere", "A truly related story"))
    page = next(v for k, v in render_site(Digest((a,), (topic("t", [a]),)),
                                          config(), "/").pages.items() if k.startswith("art"))
    assert page.count("An extra fact.") == 1 and page.count("Another one.") == 1
    related = page.split("## Related articles")[1].split("##")[0]
    assert "A truly related story" in related and "Same story elsewhere" not in related


def test_a_topic_summary_cites_each_run_once_with_a_numbered_source() -> None:
    a, b = article(1, source="a", topic="t"), article(2, source="b", topic="t")
    summary = (TopicSentence("One.", a.id), TopicSentence("Two.", a.id),
               TopicSentence("Three.", b.id))
    digest = Digest((a, b), (topic("t", [a, b], summary),))
    page = render_site(digest, config(), "/").pages["topics/t.md"]
    quote = next(line for line in page.splitlines() if line.startswith("> "))
    assert re.findall(r"<sup>\[(\d)\]", quote) == ["1", "2"]
    assert quote.startswith("> One. Two.<sup>")
    assert "1. a: [Harbour Board meets on day 1]" in page
    assert "2. b: [Harbour Board meets on day 2]" in page


def test_generated_pages_light_the_tab_they_belong_to() -> None:
    assert tab_of("topics/x-1.md") == "topics/index.md"
    assert tab_of("articles/2026-03-04/x.md") == "archive/index.md"
    assert tab_of("tags/ferry.md") == "archive/index.md"
    assert tab_of("topics/index.md") is None and tab_of("about.md") is None


def test_a_story_and_its_article_show_the_sites_own_copy_of_its_picture() -> None:
    from digest.records import Picture

    a = article(1, topic="t", captions=("The quay at dawn <b>",))
    picture = Picture("images/0123456789abcdef.png", 640, 480)
    digest = Digest((a,), (topic("t", [a]),), built="2026-03-05T00:00:00+00:00",
                    pictures={a.id: picture})
    pages = render_site(digest, config(), "/").pages
    assert ('<figure class="digest-story__picture"><img src="images/0123456789abcdef.png"'
            ' width="640" height="480" alt="" loading="lazy"') in pages["index.md"]
    page = next(v for k, v in pages.items() if k.startswith("articles/"))
    assert '<img src="../../../images/0123456789abcdef.png" width="640"' in page
    assert "<b>" not in page and "The quay at dawn &#60;b&#62;" in page
    without = render_site(Digest((a,), (topic("t", [a]),)), config(), "/").pages
    assert "<img" not in without["index.md"]
