"""What every page kind reads: the digest, where pages live, how to show dates, tags."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Container
from dataclasses import dataclass, field
from functools import cached_property

from digest.config import Config
from digest.records import Article, Digest, Topic
from digest.site import markdown as md
from digest.site.dates import format_day, format_moment, format_month, parse_day
from digest.site.paths import SitePaths, relative
from digest.site.tags import Tag, build_tags


def format_date(date: str | None, locale: str = "en") -> str:
    """The date as the locale writes it ("4 March 2026" in en_GB); "Undated" for None."""
    return format_day(date, locale)


def by_date_desc(articles: list[Article]) -> list[Article]:
    """Newest first, undated last, ties by title then id so the order is stable."""
    return sorted(articles, key=lambda a: (a.date or "0000", a.title, a.id), reverse=True)


@dataclass
class SiteContext:
    digest: Digest
    config: Config
    paths: SitePaths = field(init=False)

    def __post_init__(self) -> None:
        self.paths = SitePaths(self.digest.articles, self.digest.topics)

    @property
    def locale(self) -> str:
        return self.config.site.locale or self.config.site.language or "en"

    @cached_property
    def built_label(self) -> str:
        """When the digest was built, in the site's locale and time zone."""
        stamp = self.digest.built
        return format_moment(stamp, self.locale, self.config.site.timezone) if stamp else ""

    def date(self, value: str | None) -> str:
        """An ISO date in the site's locale."""
        return format_day(value, self.locale)

    def month(self, month: str) -> str:
        """``YYYY-MM`` as "March 2026" in the site's locale."""
        return format_month(month, self.locale)

    @cached_property
    def articles(self) -> dict[str, Article]:
        return {a.id: a for a in self.digest.articles}

    @cached_property
    def topics(self) -> dict[str, Topic]:
        return {t.id: t for t in self.digest.topics}

    @cached_property
    def source_labels(self) -> dict[str, str]:
        return {s.name: s.label for s in self.config.sources}

    @cached_property
    def by_day(self) -> dict[str, list[Article]]:
        """Dated articles by ISO day, newest day first (only real calendar days)."""
        days: dict[str, list[Article]] = defaultdict(list)
        for a in self.digest.articles:
            if a.date and parse_day(a.date):
                days[a.date[:10]].append(a)
        return dict(sorted(days.items(), reverse=True))

    @cached_property
    def latest_day(self) -> str | None:
        return next(iter(self.by_day), None)

    @cached_property
    def window(self) -> list[str]:
        """The latest ``site.days`` days that have articles, newest first."""
        return list(self.by_day)[:max(1, self.config.site.days)]

    @cached_property
    def _tags(self) -> tuple[list[Tag], dict[str, list[Tag]]]:
        return build_tags(self.digest.articles)

    @property
    def tags(self) -> list[Tag]:
        """Every tag, most articles first."""
        return self._tags[0]

    def tags_of(self, article: Article) -> list[Tag]:
        return self._tags[1].get(article.id, [])

    def source_label(self, source: str) -> str:
        return self.source_labels.get(source, source)

    def article_link(self, from_page: str, article: Article) -> str:
        target = relative(from_page, self.paths.article(article.id))
        return md.link(article.title or "Untitled", target)

    def topic_link(self, from_page: str, topic: Topic) -> str:
        return md.link(topic.name, relative(from_page, self.paths.topic(topic.id)))

    def topic_of(self, article: Article) -> Topic | None:
        return self.topics.get(article.topic) if article.topic else None

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
        line = self.one_line(article)
        line = md.text(line) if line and line not in skip_lines else ""
        return f"- {self.article_link(from_page, article)} · *{meta}*" + (
            f"  \n  {line}" if line else "")
