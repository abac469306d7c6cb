"""Stories: the topics of a span of days as a reader meets them, ranked by coverage and news.

A story is one topic seen from the days shown: its articles of those days,
the sources that carry them (their merged copies' publishers too), its
newest development (the article whose headline leads) and one sentence
that says what happened. Stories are ranked by how many sources cover them,
a little by how many articles, and by how fresh they are, so the front page
opens on what most of the press reported today.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date as Date

from digest.records import Article, Topic
from digest.site.context import SiteContext
from digest.site.dates import parse_day
from digest.site.gist import gist

PER_ARTICLE = 0.25  # a story's weight for each article beyond its first, beside one per source
DAY_DECAY = 0.5  # a story's weight is halved for each day its newest article is older


@dataclass(frozen=True)
class Story:
    topic: Topic
    lead: Article  # the newest development: its headline leads the story
    articles: tuple[Article, ...]  # the topic's articles of the days shown, lead first
    sources: tuple[str, ...]  # the sources' labels, the most articles first
    gist: str  # one sentence of news beyond the headline ("" when none has any)
    latest: str | None  # the newest article's date
    weight: float


def in_days(article: Article, days: Collection[str]) -> bool:
    """Whether ``article`` is dated in ``days``; with no days (nothing is dated), every
    article is."""
    return (article.date or "")[:10] in days if days else True


def _lead_key(article: Article) -> tuple[object, ...]:
    """The newest first; on one day the most reported (merged copies), then the source
    listed first in feeds.yaml, then one with its text, then by id (stable)."""
    return (descending(article.date or ""), -len(article.also_in), article.priority,
            not article.body, article.id)


def descending(text: str) -> tuple[int, ...]:
    """A sort key that orders texts (ISO dates) backwards inside an ascending sort."""
    return tuple(-ord(ch) for ch in text)


def _age(newest: str, day: str | None) -> int:
    first, last = parse_day(newest), parse_day(day or "")
    return max(0, (first - last).days) if isinstance(first, Date) and isinstance(last, Date) else 0


def stories(ctx: SiteContext, days: list[str],
            topics: Iterable[Topic] | None = None) -> list[Story]:
    """The stories of ``days`` (every article's when ``days`` is empty), the weightiest
    first: a total, stable order (weight, newest, headline, topic id). ``topics`` narrows
    the search to the topics that may have articles on those days (default: all)."""
    window = set(days)
    newest_day = days[0] if days else ""
    found: list[Story] = []
    for topic in ctx.digest.topics if topics is None else topics:
        articles = sorted((a for a in ctx.topic_articles(topic) if in_days(a, window)),
                          key=_lead_key)
        if not articles:
            continue
        lead = articles[0]
        counts = Counter(ctx.source_label(a.source) for a in articles)
        for article in articles:
            counts.update({ctx.source_label(c.source) for c in article.also_in}
                          - {ctx.source_label(article.source)})
        sources = tuple(sorted(counts, key=lambda s: (-counts[s], s.casefold(), s)))
        weight = (len(sources) + PER_ARTICLE * (len(articles) - 1)) * DAY_DECAY ** _age(
            newest_day, lead.date[:10] if lead.date else None)
        found.append(Story(topic, lead, tuple(articles), sources, gist(lead),
                           lead.date, weight))
    found.sort(key=lambda s: (-s.weight, descending(s.latest or ""), s.lead.title, s.topic.id))
    return found
