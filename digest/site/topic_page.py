"""The page of one topic: its summary, linked to the articles, then the timeline.

A topic's timeline is paginated (:data:`PAGE_SIZE` articles a page, newest
first), so a story followed for months keeps light pages; so is the index of
all topics (:data:`INDEX_PAGE_SIZE` a page), which grows with the archive.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from itertools import groupby

from digest.records import Article, Topic
from digest.site import markdown as md
from digest.site.context import SiteContext, by_date_desc
from digest.site.labels import CATALOG
from digest.site.paths import FEED_FILES, relative

PAGE_SIZE = 50  # timeline entries on one topic page
INDEX_PAGE_SIZE = 200  # topics on one page of the topic index


def summary_lines(ctx: SiteContext, from_page: str, topic: Topic) -> list[str]:
    """The topic summary as one quoted paragraph, then its sources: each run of sentences
    from one article ends in that article's number, a small link, and the list under the
    paragraph names each number's source and headline."""
    numbers: dict[str, int] = {}
    parts: list[str] = []
    sentences = [(s, ctx.articles[s.article_id]) for s in topic.summary
                 if s.article_id in ctx.articles]
    for i, (sentence, article) in enumerate(sentences):
        parts.append(md.text(sentence.text))
        if i + 1 < len(sentences) and sentences[i + 1][1].id == article.id:
            continue  # the run goes on: one mark at its end
        n = numbers.setdefault(article.id, len(numbers) + 1)
        if article.id in ctx.paged:
            mark = f"[{n}]({relative(from_page, ctx.paths.article(article.id))})"
        else:  # its page is not kept (site.keep_days): the publisher's, else no link
            mark = md.external_link(str(n), article.url)
        parts[-1] += f"<sup>{mark}</sup>"
    if not parts:
        return []
    notes = []
    for article_id, n in numbers.items():
        article = ctx.articles[article_id]
        notes.append(f"{n}. {md.text(ctx.source_label(article.source))}: "
                     f"{ctx.article_link(from_page, article)}")
    return [f"> {' '.join(parts)}", "", *notes]


def feed_links(ctx: SiteContext, from_page: str, folder: str, label: str) -> str:
    """"Follow ...: Atom · RSS · JSON Feed", linking the feeds in ``folder``."""
    links = [f"[{name}]({relative(from_page, folder + file)})"
             for name, file in FEED_FILES.items()]
    return f"{md.text(label)}: " + " · ".join(links)


def pager(path_of: Callable[[int], str], page_no: int, pages: int,
          back: str = CATALOG["newer"]["en"], forward: str = CATALOG["older"]["en"],
          page_of: str = CATALOG["page_of"]["en"]) -> str:
    """Links to the pages before and after page ``page_no`` of ``pages`` (``path_of(n)`` is
    the n-th page's source path): a topic's timeline, or the topic index. ``page_of`` is
    the "Page {page} of {pages}" label."""
    here = path_of(page_no)
    links = []
    if page_no > 1:
        links.append(f"[{back}]({relative(here, path_of(page_no - 1))})")
    links.append(page_of.format(page=page_no, pages=pages))
    if page_no < pages:
        links.append(f"[{forward}]({relative(here, path_of(page_no + 1))})")
    return " · ".join(links) + "\n"


def _chunks(articles: list[Article]) -> list[list[Article]]:
    """The timeline's pages: ``PAGE_SIZE`` articles each, and one page when there are none."""
    return [articles[i:i + PAGE_SIZE] for i in range(0, len(articles), PAGE_SIZE)] or [[]]


def page_paths(ctx: SiteContext, topic: Topic) -> list[str]:
    """The source paths of ``topic``'s pages, as :func:`render` makes them."""
    return [ctx.paths.topic(topic.id, n)
            for n in range(1, len(_chunks(ctx.topic_articles(topic))) + 1)]


def render(ctx: SiteContext, topic: Topic) -> dict[str, str]:
    """Every page of ``topic``, keyed by source path: the first holds the summary and the
    newest PAGE_SIZE articles, later pages older ones."""
    t = ctx.labels
    articles = by_date_desc(ctx.topic_articles(topic))
    dates = sorted(a.date for a in articles if a.date)
    span = (ctx.date(dates[0]) if dates and dates[0] == dates[-1] else
            f"{ctx.date(dates[0])} – {ctx.date(dates[-1])}" if dates else t["undated"])
    chunks = _chunks(articles)
    folder = ctx.paths.feed_folder(topic.id)
    said = {s.text for s in topic.summary}
    pages: dict[str, str] = {}
    for page_no, chunk in enumerate(chunks, start=1):
        page = ctx.paths.topic(topic.id, page_no)
        first = page_no == 1
        out = [md.front_matter(
                   title=topic.name if first else f"{topic.name} ({page_no})",
                   description=topic.summary[0].text if topic.summary else None,
                   feeds=folder, search=None if first else {"exclude": True}),
               md.heading(1, topic.name),
               f"*{ctx.count('articles', len(articles))} · {span}*\n"]
        if first:
            out.append(feed_links(ctx, page, folder, t["follow_topic"]) + "\n")
            summary = summary_lines(ctx, page, topic)
            if summary:
                out += [md.heading(2, t["summary"]), *summary, ""]
        out.append(md.heading(2, t["timeline"], searched=False))
        turn = pager(partial(ctx.paths.topic, topic.id), page_no, len(chunks), t["newer"],
                     t["older"], t["page_of"]) if len(chunks) > 1 else ""
        if turn:
            out.append(turn)
        for date, group in groupby(chunk, key=lambda a: a.date):
            out.append(md.heading(3, ctx.date(date), searched=False))
            for article in group:  # a line the summary above says is not said again
                out.append(ctx.article_item(page, article, skip_lines=said))
                if article.also_in:
                    names = ", ".join(sorted({md.text(ctx.source_label(c.source))
                                              for c in article.also_in}))
                    out.append(f"  \n  {t['also_reported_by']} {names}")
            out.append("")
        if turn:
            out.append(turn)
        pages[page] = "\n".join(out)
    return pages


def render_index(ctx: SiteContext) -> dict[str, str]:
    """Every topic, biggest first, with its size and latest date (not searched), on pages of
    ``INDEX_PAGE_SIZE``: the first is the Topics tab, the others follow it."""
    t = ctx.labels
    ranked = sorted(ctx.digest.topics, key=lambda t: (-len(t.article_ids), t.name, t.id))
    chunks = [ranked[i:i + INDEX_PAGE_SIZE]
              for i in range(0, len(ranked), INDEX_PAGE_SIZE)] or [[]]
    pages: dict[str, str] = {}
    for page_no, chunk in enumerate(chunks, start=1):
        page = ctx.paths.topics_page(page_no)
        title = t["nav_topics"] if page_no == 1 else t["topics_page"].format(page=page_no)
        out = [md.front_matter(title=title, search={"exclude": True}), f"# {title}\n"]
        nav = pager(ctx.paths.topics_page, page_no, len(chunks), t["bigger_topics"],
                    t["smaller_topics"], t["page_of"]) if len(chunks) > 1 else ""
        out.append(nav)
        if not ranked:
            out.append(f"{t['no_topics']}\n")
        for topic in chunk:
            articles = ctx.topic_articles(topic)
            latest = max((a.date for a in articles if a.date), default=None)
            when = (t["latest_on"].format(day=ctx.date(latest)) if latest
                    else t["undated_lower"])
            out.append(f"- {ctx.topic_link(page, topic)} · "
                       f"*{ctx.count('articles', len(articles))}, {when}*")
        out += ["", nav]
        pages[page] = "\n".join(out).rstrip("\n") + "\n"
    return pages
