"""Feeds out: Atom and RSS (feedgen) and JSON Feed 1.1, for the whole digest and each topic.

Each entry's content is HTML rendered by markdown-it-py from the very
Markdown the article page shows (:func:`digest.site.article_page.brief_markdown`),
so pages and feeds never disagree. Every value is taken from the digest
(dates from the articles, the feed's own time from the build stamp), never
from the clock, so the same digest always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence

from feedgen.feed import FeedGenerator
from markdown_it import MarkdownIt

from digest.records import Article, Topic
from digest.site.article_page import brief_markdown
from digest.site.context import SiteContext, by_date_desc
from digest.site.dates import parse_day
from digest.site.labels import CATALOG
from digest.site.paths import FEED_FILES, url_of
from digest.urls import web_url

MAX_ENTRIES = 50  # newest articles in the whole digest's feeds
MAX_TOPIC_ENTRIES = 20  # newest articles in each topic's feeds
# characters XML 1.0 cannot carry at all (lxml refuses them)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_MD = MarkdownIt("commonmark", {"html": False})  # no raw HTML, whatever the Markdown says


def xml_safe(value: str) -> str:
    """``value`` without the characters XML 1.0 forbids; every other character is kept."""
    return _NOT_XML.sub("", value)


def entry_html(article: Article, in_brief: str = CATALOG["in_brief"]["en"]) -> str:
    """The entry content: the article page's standfirst and summary Markdown as HTML, the
    summary headed ``in_brief`` (in the site's language).

    Written directly (markdown-it costs a millisecond an article, which thousands of
    feed entries make seconds); ``tests/test_site_pages.py`` holds it equal, for any
    text, to what markdown-it makes of :func:`~digest.site.article_page.brief_markdown`.
    """
    standfirst = _html_text(article.standfirst) if article.standfirst else ""
    if article.standfirst and not standfirst:  # only spaces: not a plain paragraph
        return xml_safe(_MD.render(brief_markdown(article, in_brief)))
    out = [f"<p><em>{standfirst}</em></p>\n"] if standfirst else []
    if article.summary:
        out.append(f"<h2>{_html_text(in_brief)}</h2>\n<ul>\n")
        out.extend(f"<li>{_html_text(s)}</li>\n" for s in article.summary)
        out.append("</ul>\n")
    return xml_safe("".join(out))


def _html_text(value: str) -> str:
    """``value`` as :func:`digest.site.markdown.text` shows it, escaped as markdown-it does."""
    collapsed = " ".join(value.split()).replace("\x00", "\ufffd")  # as CommonMark says
    return collapsed.replace("&", "&amp;").replace("<", "&lt;").replace(
        ">", "&gt;").replace('"', "&quot;")


def _moment(date: str | None, fallback: str) -> dt.datetime:
    day = parse_day(date)
    if day is None:
        return dt.datetime.fromisoformat(fallback)
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


class FeedWriter:
    """Writes the feeds of one digest, linking from the context's ``base_url``."""

    def __init__(self, ctx: SiteContext) -> None:
        self.ctx = ctx
        self.built = ctx.digest.built or "1970-01-01T00:00:00+00:00"
        self._html: dict[str, str] = {}  # an article is in several feeds: render it once

    def html(self, article: Article) -> str:
        if article.id not in self._html:
            self._html[article.id] = entry_html(article, self.ctx.labels["in_brief"])
        return self._html[article.id]

    def url(self, path: str) -> str:
        """The absolute URL of a page (by its source path) or of a file."""
        return self.ctx.base_url + (url_of(path) if path.endswith(".md") else path)

    def site_feeds(self) -> dict[str, str]:
        """The whole digest's feeds: its newest articles."""
        ctx = self.ctx
        site = ctx.config.site
        return self.feeds("", site.title, site.description or site.title, ctx.paths.front,
                          by_date_desc(list(ctx.digest.articles))[:MAX_ENTRIES])

    def topic_entries(self, topic: Topic) -> list[Article]:
        """The articles of ``topic``'s feeds: its newest, newest first."""
        return by_date_desc(self.ctx.topic_articles(topic))[:MAX_TOPIC_ENTRIES]

    def topic_feed_paths(self, topic: Topic) -> list[str]:
        """Where ``topic``'s feeds are, relative to the site root."""
        return [self.ctx.paths.feed_folder(topic.id) + name for name in FEED_FILES.values()]

    def topic_feeds(self, topics: Sequence[Topic]) -> dict[str, str]:
        """The feeds of each of ``topics``: its newest articles."""
        ctx = self.ctx
        files: dict[str, str] = {}
        for topic in topics:
            folder = ctx.paths.feed_folder(topic.id)
            newest = self.topic_entries(topic)
            summary = topic.summary[0].text if topic.summary else topic.name
            files.update(self.feeds(folder, f"{topic.name} · {ctx.config.site.title}", summary,
                                    ctx.paths.topic(topic.id), newest))
        return files

    def feeds(self, folder: str, title: str, description: str, page: str,
              articles: Sequence[Article]) -> dict[str, str]:
        """The Atom, RSS and JSON feeds of ``articles`` (already newest first) in ``folder``."""
        fg = FeedGenerator()
        fg.load_extension("dc", atom=False, rss=True)
        atom_url = self.url(folder + FEED_FILES["Atom"])
        fg.id(atom_url)
        fg.title(xml_safe(title))
        fg.subtitle(xml_safe(description))
        fg.link(href=self.url(page), rel="alternate")
        fg.link(href=atom_url, rel="self")
        fg.language(self.ctx.config.site.language)
        fg.generator("newsdigest")
        updated = max((_moment(a.date, self.built) for a in articles),
                      default=_moment(None, self.built))
        fg.updated(updated)
        # when the content last changed (RSS 2.0), not when the site was built: a topic's
        # feed stays byte-identical until the topic itself changes, so it need not be rewritten
        fg.lastBuildDate(updated)
        for article in reversed(articles):  # feedgen prepends: add oldest first
            self._entry(fg, article)
        rss = fg.rss_str(pretty=True).decode("utf-8")
        # RSS's self link names the RSS file, not the Atom one
        rss = rss.replace(f'href="{atom_url}"', f'href="{self.url(folder + FEED_FILES["RSS"])}"')
        return {folder + FEED_FILES["Atom"]: fg.atom_str(pretty=True).decode("utf-8"),
                folder + FEED_FILES["RSS"]: rss,
                folder + FEED_FILES["JSON Feed"]: self.json_feed(folder, title, description,
                                                                  page, articles)}

    def _entry(self, fg: FeedGenerator, article: Article) -> None:
        fe = fg.add_entry()
        key, link = self.url(self.ctx.paths.article(article.id)), self.link(article)
        when = _moment(article.date, self.built)
        fe.id(key)
        fe.guid(key, permalink=key == link)
        fe.title(xml_safe(article.title or "Untitled"))
        fe.link(href=link, rel="alternate")
        fe.published(when)
        fe.updated(when)
        fe.author(name=xml_safe(self.ctx.source_label(article.source)))
        summary = self.ctx.one_line(article)
        if summary:
            fe.summary(xml_safe(summary))
        fe.content(self.html(article), type="html")
        for tag in self.ctx.tags_of(article):
            fe.category(term=tag.slug, label=xml_safe(tag.name))

    def link(self, article: Article) -> str:
        """Where an entry links: the article's page; for one whose page is not kept
        (``site.keep_days``) the publisher's page, else its topic's page. (Its id stays the
        page's address, so a reader's feed does not see it anew when its page goes.)"""
        if article.id in self.ctx.paged:
            return self.url(self.ctx.paths.article(article.id))
        topic = self.ctx.topic_of(article)
        return web_url(article.url) or self.url(
            self.ctx.paths.topic(topic.id) if topic else self.ctx.paths.front)

    def json_feed(self, folder: str, title: str, description: str, page: str,
                  articles: Sequence[Article]) -> str:
        """A JSON Feed 1.1 document (https://jsonfeed.org/version/1.1)."""
        items = []
        for a in articles:
            item: dict[str, object] = {
                "id": self.url(self.ctx.paths.article(a.id)), "url": self.link(a),
                "title": a.title or "Untitled",
                "content_html": self.html(a),
                "date_published": _moment(a.date, self.built).isoformat(),
                "authors": [{"name": self.ctx.source_label(a.source)}]}
            if self.ctx.one_line(a):
                item["summary"] = self.ctx.one_line(a)
            if web_url(a.url):
                item["external_url"] = web_url(a.url)
            tags = [t.name for t in self.ctx.tags_of(a)]
            if tags:
                item["tags"] = tags
            items.append(item)
        feed = {"version": "https://jsonfeed.org/version/1.1", "title": title,
                "home_page_url": self.url(page), "feed_url": self.url(folder + "feed.json"),
                "description": description, "language": self.ctx.config.site.language,
                "items": items}
        return json.dumps(feed, ensure_ascii=False, indent=1) + "\n"
