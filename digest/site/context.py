"""The one input of every page renderer: the digest, the config, and all derived from them.

A :class:`SiteContext` derives everything when it is made (paths, indexes by
id, days, tags, the related links grouping resolved, the feeds' base URL) and
is only read afterwards, so each page kind does no corpus-wide work of its own
and forked rendering workers inherit it complete.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Container, Iterable
from dataclasses import dataclass, field

from digest.config import Config
from digest.records import Article, Digest, Topic
from digest.site import markdown as md
from digest.site.dates import format_day, format_moment, format_month, parse_day
from digest.site.gist import restates
from digest.site.labels import counted, labels
from digest.site.language import language_tag
from digest.site.paths import SitePaths, relative
from digest.site.tags import Tag, gather
from digest.urls import web_url


def format_date(date: str | None, locale: str = "en") -> str:
    """The date as the locale writes it ("4 March 2026" in en_GB); "Undated" for None."""
    return format_day(date, locale)


def kept_pages(articles: Iterable[Article], days: list[str], keep_days: int) -> frozenset[str]:
    """The ids of the articles that have a page: every one with ``keep_days`` 0, else those
    of the latest ``keep_days`` days, counted back from the newest day (``days``: newest
    first; 1 keeps that day's), and the undated (they cannot age)."""
    articles = list(articles)
    newest = parse_day(days[0]) if days else None
    if not keep_days or newest is None:
        return frozenset(a.id for a in articles)
    first = newest - dt.timedelta(days=keep_days - 1)
    return frozenset(a.id for a in articles
                     if (day := parse_day(a.date)) is None or day >= first)


def by_date_desc(articles: list[Article]) -> list[Article]:
    """Newest first, undated last, ties by title then id so the order is stable."""
    return sorted(articles, key=lambda a: (a.date or "0000", a.title, a.id), reverse=True)


@dataclass
class SiteContext:
    """What the pages of one digest are made from; ``base_url`` is the published site's URL
    (feeds link absolutely from it; one that is not an http(s) URL gives the site root, "/")."""

    digest: Digest
    config: Config
    base_url: str = "/"
    paths: SitePaths = field(init=False)
    locale: str = field(init=False)
    built_label: str = field(init=False)  # when the digest was built, in the site's locale
    articles: dict[str, Article] = field(init=False)
    topics: dict[str, Topic] = field(init=False)
    # article id -> each of its related titles -> the articles grouping resolved it to
    related: dict[str, dict[str, tuple[str, ...]]] = field(init=False)
    source_labels: dict[str, str] = field(init=False)
    language: str = field(init=False)  # the site's language tag
    labels: dict[str, str] = field(init=False)  # the interface's words in that language
    source_languages: dict[str, str] = field(init=False)  # set on the source in feeds.yaml
    by_day: dict[str, list[Article]] = field(init=False)  # dated articles, newest day first
    window: list[str] = field(init=False)  # the latest ``site.days`` days with articles
    paged: frozenset[str] = field(init=False)  # the articles with a page (site.keep_days)
    tags: list[Tag] = field(init=False)  # every tag, most articles first
    _tags_of: dict[str, list[Tag]] = field(init=False)

    def __post_init__(self) -> None:
        digest, site = self.digest, self.config.site
        base = web_url(self.base_url) or "/"
        self.base_url = base if base.endswith("/") else base + "/"
        self.paths = SitePaths(digest.articles, digest.topics)
        self.locale = site.locale or site.language or "en"
        self.built_label = (format_moment(digest.built, self.locale, site.timezone)
                            if digest.built else "")
        self.articles = {a.id: a for a in digest.articles}
        self.topics = {t.id: t for t in digest.topics}
        related: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for topic in digest.topics:
            for article_id, title, target in topic.links:
                if target in self.articles and target != article_id:
                    related[article_id][title].append(target)
        self.related = {a: {title: tuple(targets) for title, targets in titles.items()}
                        for a, titles in related.items()}
        self.source_labels = {s.name: s.label for s in self.config.sources}
        self.language = language_tag(site.language) or "en"
        self.labels = labels(self.language)
        self.source_languages = {s.name: language_tag(s.language) for s in self.config.sources}
        days: dict[str, list[Article]] = defaultdict(list)
        for a in digest.articles:
            if a.date and parse_day(a.date):
                days[a.date[:10]].append(a)
        self.by_day = dict(sorted(days.items(), reverse=True))
        self.window = list(self.by_day)[:max(1, site.days)]
        self.paged = kept_pages(digest.articles, list(self.by_day), site.keep_days)
        self.tags, self._tags_of = gather(digest.tags)

    def date(self, value: str | None) -> str:
        """An ISO date in the site's locale ("Undated" in the site's language for none)."""
        return format_day(value, self.locale) if value else self.labels["undated"]

    def count(self, key: str, n: int) -> str:
        """``n`` of a counted word (:data:`digest.site.labels.PLURALS`) in the site's
        language: "3 articles", "5 статей"."""
        return counted(key, n, self.language)

    def month(self, month: str) -> str:
        """``YYYY-MM`` as "March 2026" in the site's locale."""
        return format_month(month, self.locale)

    def tags_of(self, article: Article) -> list[Tag]:
        return self._tags_of.get(article.id, [])

    def source_label(self, source: str) -> str:
        return self.source_labels.get(source, source)

    def language_of(self, article: Article) -> str:
        """The article's language tag: its own (the feed's, the page's), else its source's
        (set in feeds.yaml), else the site's."""
        return (language_tag(article.language) or self.source_languages.get(article.source)
                or self.language)

    def topic_of(self, article: Article) -> Topic | None:
        return self.topics.get(article.topic) if article.topic else None

    def topic_articles(self, topic: Topic) -> list[Article]:
        """The topic's articles in timeline order (oldest first)."""
        return [self.articles[i] for i in topic.article_ids if i in self.articles]

    def related_articles(self, article: Article, title: str) -> list[Article]:
        """The articles one of ``article``'s related titles was resolved to when grouping."""
        return [self.articles[i] for i in self.related.get(article.id, {}).get(title, ())]

    def article_link(self, from_page: str, article: Article) -> str:
        """The article's title linking its page, else the publisher's page (its page is not
        kept), else as text."""
        title = article.title or self.labels["untitled"]
        if article.id in self.paged:
            return md.link(title, relative(from_page, self.paths.article(article.id)))
        return md.external_link(title, article.url)

    def topic_link(self, from_page: str, topic: Topic) -> str:
        return md.link(topic.name, relative(from_page, self.paths.topic(topic.id)))

    def one_line(self, article: Article) -> str:
        """The article's first summary sentence (or standfirst), for lists."""
        return article.summary[0] if article.summary else article.standfirst

    def article_item(self, from_page: str, article: Article, with_date: bool = False,
                     skip_lines: Container[str] = ()) -> str:
        """A list item: linked title, source (and date), and the one-line summary
        unless it is among ``skip_lines`` (already said on the page)."""
        meta = md.text(self.source_label(article.source))
        if with_date:
            meta = f"{self.date(article.date)} · {meta}"
        line = self.one_line(article)  # left out where it only repeats the title
        line = (md.text(line) if line and line not in skip_lines
                and not restates(line, article.title) else "")
        return f"- {self.article_link(from_page, article)} · *{meta}*" + (
            f"  \n  {line}" if line else "")
