"""What a topic or article page (or a topic's feeds) is made from, as a key: a page whose
key the previous site was built with need not be made again.

An archive's pages are nearly all topic and article pages, and on a daily build nearly
all of them are as they were. Making each page's Markdown only to find it unchanged
costs as much as a page a millisecond at 100,000 articles, so each page gets a key of
its inputs instead, made without rendering it:

- the *frame* every page shares: the site's settings, language, locale and labels, the
  sources' labels and languages, and the code of the page renderers (``digest/site``,
  ``digest/urls.py``), so that code that writes pages differently makes them again;
- an article page: the article itself (every field), its topic's name, the articles its
  related titles resolve to (what a link to them shows: title, address, page path,
  whether it has a page), its tags, its picture, and the paths of the pages it links
  (so a topic that gains an article leaves its older articles' pages alone);
- a topic page: the topic, and of each of its articles what the timeline and the
  summary's notes show;
- a topic's feed files: the topic, and its entries' articles whole.

``tests/test_page_keys.py`` holds that two digests giving a page the same key give it
the same Markdown, over changes to every kind of input.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from digest.records import Article, Topic
from digest.site import topic_page
from digest.site.context import SiteContext
from digest.site.feeds import FeedWriter


@functools.cache
def renderer_code() -> str:
    """A hash of the page renderers' code: every module of ``digest/site``, and the URL
    checks they call (``digest/urls.py``)."""
    h = hashlib.sha256()
    folder = Path(__file__).parent
    for path in [*sorted(folder.glob("*.py")), folder.parent / "urls.py"]:
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def frame_key(ctx: SiteContext) -> str:
    """What every page of ``ctx``'s site is made with, beside its own records."""
    return _hash((renderer_code(), repr(ctx.config.site), ctx.language, ctx.locale,
                  sorted(ctx.labels.items()), sorted(ctx.source_labels.items()),
                  sorted(ctx.source_languages.items())))


def _shown(ctx: SiteContext, article: Article) -> tuple[object, ...]:
    """What a link to ``article``, or a line about it, shows of it."""
    return (article.id, article.title, article.url, article.source, article.date,
            article.standfirst, article.summary[:1],
            tuple(c.source for c in article.also_in),
            ctx.paths.article(article.id), article.id in ctx.paged)


def article_key(ctx: SiteContext, frame: str, article: Article) -> str:
    """The key of ``article``'s page (``frame``: :func:`frame_key`)."""
    topic = ctx.topic_of(article)
    linked = [target for title in article.related
              for target in ctx.related_articles(article, title)]
    day = (article.date or "")[:10]
    return _hash((frame, repr(article), ctx.paths.article(article.id),
                  (topic.id, topic.name, ctx.paths.topic(topic.id),
                   ctx.paths.feed_folder(topic.id)) if topic else None,
                  [_shown(ctx, target) for target in linked],
                  [(tag.slug, tag.name) for tag in ctx.tags_of(article)],
                  repr(ctx.digest.pictures.get(article.id)), day in ctx.by_day))


def topic_key(ctx: SiteContext, frame: str, topic: Topic) -> str:
    """The key of ``topic``'s pages (``frame``: :func:`frame_key`)."""
    cited = [ctx.articles[s.article_id] for s in topic.summary if s.article_id in ctx.articles]
    return _hash((frame, repr(topic), ctx.paths.topic(topic.id), ctx.paths.feed_folder(topic.id),
                  topic_page.PAGE_SIZE,
                  [_shown(ctx, a) for a in ctx.topic_articles(topic)],
                  [_shown(ctx, a) for a in cited]))


def topic_feed_key(writer: FeedWriter, frame: str, topic: Topic) -> str:
    """The key of ``topic``'s feed files: the topic, each of its entries' articles whole
    (an entry holds its text) with where the entry links, the site's address, and the
    build's moment where an undated entry is dated by it."""
    ctx = writer.ctx
    entries = writer.topic_entries(topic)
    return _hash((frame, "feeds", ctx.base_url, repr(topic), ctx.paths.topic(topic.id),
                  ctx.paths.feed_folder(topic.id),
                  [(repr(a), ctx.paths.article(a.id), a.id in ctx.paged,
                    [(tag.slug, tag.name) for tag in ctx.tags_of(a)]) for a in entries],
                  writer.built if any(not a.date for a in entries) else ""))


def _hash(parts: tuple[object, ...]) -> str:
    return "inputs:" + hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()
