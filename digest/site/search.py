"""What readers search: one record per topic and per article, made from the digest.

The site's search is a fragment index (Pagefind, written by
:mod:`digest.search_index`): a reader downloads a small metadata file and the
few index chunks and fragments their words and results need, so the download
does not grow with the archive. What is indexed is what a reader looks for in a
news archive: titles, standfirsts, summaries, names (tags), sources and topic
summaries, not every word of every article body, which keeps the indexer's own
time and memory proportional to the digest rather than to its pages' HTML.

Records are plain data, ordered by URL, so the same digest always writes the
same index.
"""

from __future__ import annotations

from dataclasses import dataclass

from digest.html_text import html_paragraphs
from digest.records import Article, Topic
from digest.site.context import SiteContext
from digest.site.paths import url_of

SUMMARY_SENTENCES = 5  # of a topic's summary, indexed with its name
TOPIC_TEXT_WEIGHT = 0.25


@dataclass(frozen=True)
class SearchRecord:
    """One search result: ``url`` relative to the site root ("articles/2026-03-04/x/"), or
    absolute for an article whose page is not kept (``site.keep_days``)."""

    url: str
    title: str
    content: str
    source: str = ""  # the publisher, shown under the title
    date: str = ""  # as the site writes it
    day: str = ""  # ISO day: its article's, a topic's newest article's; "" undated
    # how much a word of the text (not the title) counts: a topic's text is its articles'
    # sentences and titles, which should find those articles before the topic
    weight: float = 1.0


def search_records(ctx: SiteContext) -> list[SearchRecord]:
    """Every topic and article of ``ctx``'s digest as a search record, by URL."""
    records = [_topic_record(ctx, t) for t in ctx.digest.topics]
    records += [_article_record(ctx, a) for a in ctx.digest.articles
                if a.duplicate_of is None and a.title]
    return sorted((r for r in records if r.url), key=lambda r: r.url)


def _topic_record(ctx: SiteContext, topic: Topic) -> SearchRecord:
    sentences = [s.text for s in topic.summary[:SUMMARY_SENTENCES]]
    articles = ctx.topic_articles(topic)
    newest = max((a.date for a in articles if a.date), default="")
    return SearchRecord(url_of(ctx.paths.topic(topic.id)), topic.name,
                        _joined([topic.name, *sentences, *(a.title for a in articles)]),
                        date=ctx.date(newest) if newest else "", day=newest[:10],
                        weight=TOPIC_TEXT_WEIGHT)


def _article_record(ctx: SiteContext, article: Article) -> SearchRecord:
    url = (url_of(ctx.paths.article(article.id)) if article.id in ctx.paged
           else article.url or "")
    names = [tag.name for tag in ctx.tags_of(article)]
    source = ctx.source_label(article.source)
    return SearchRecord(url, article.title,
                        _joined([article.title, article.standfirst, *article.summary,
                                 *names, source]),
                        source=source, date=ctx.date(article.date) if article.date else "",
                        day=(article.date or "")[:10])


def _joined(parts: list[str]) -> str:
    """The parts as one text, each once, in order."""
    return "\n".join(dict.fromkeys(p.strip() for p in parts if p and p.strip()))


def page_record(url: str, title: str, content_html: str) -> SearchRecord:
    """A hand-written page (``docs/about.md``) as a search record: its title and its text,
    undated."""
    return SearchRecord(url, title, _joined([title, *html_paragraphs(content_html)]))
