"""Date archives: an index of months by year, a page per month (its days) and a page per day.

A day's page holds that day's stories as the front page shows them, every one
of them, the weightiest first, :data:`DAY_PAGE_SIZE` a page. Month pages list
days, not articles, so no archive page grows with the whole corpus; none of
them is searched (the articles themselves are).
"""

from __future__ import annotations

from collections import defaultdict
from functools import partial

from digest.records import Topic
from digest.site import markdown as md
from digest.site.context import SiteContext, by_date_desc
from digest.site.front_page import story_units
from digest.site.paths import relative
from digest.site.stories import stories
from digest.site.topic_page import pager

NOT_SEARCHED = {"exclude": True}
DAY_PAGE_SIZE = 60  # stories on one page of a day


def render(ctx: SiteContext) -> dict[str, str]:
    """Every archive page, keyed by its source path."""
    pages: dict[str, str] = {}
    months: dict[str, list[str]] = defaultdict(list)
    days = list(ctx.by_day)
    day_topics: dict[str, list[Topic]] = defaultdict(list)  # each day's topics, in digest order
    for topic in ctx.digest.topics:
        for day in dict.fromkeys((a.date or "")[:10] for a in ctx.topic_articles(topic)):
            day_topics[day].append(topic)
    for i, day in enumerate(days):
        months[day[:7]].append(day)
        path = ctx.paths.day(day)
        nav = [f"[{ctx.month(day[:7])}]({relative(path, ctx.paths.month(day[:7]))})"]
        if i + 1 < len(days):
            older = days[i + 1]
            nav.insert(0, f"[← {ctx.date(older)}]({relative(path, ctx.paths.day(older))})")
        if i > 0:
            newer = days[i - 1]
            nav.append(f"[{ctx.date(newer)} →]({relative(path, ctx.paths.day(newer))})")
        ranked = stories(ctx, [day], day_topics.get(day, []))
        chunks = [ranked[k:k + DAY_PAGE_SIZE] for k in range(0, len(ranked), DAY_PAGE_SIZE)]
        for page_no, chunk in enumerate(chunks, start=1):
            here = ctx.paths.day(day, page_no)
            links = nav if page_no == 1 else [
                f"[{ctx.date(day)}]({relative(here, path)})"]
            turn = pager(partial(ctx.paths.day, day), page_no, len(chunks),
                         ctx.labels["newer"], ctx.labels["older"],
                         ctx.labels["page_of"]) if len(chunks) > 1 else ""
            title = ctx.date(day) if page_no == 1 else f"{ctx.date(day)} ({page_no})"
            body = [md.front_matter(title=title, search=NOT_SEARCHED,
                                    hide=["navigation", "toc"]),
                    md.heading(1, ctx.date(day)),
                    f"*{ctx.count('articles', len(ctx.by_day[day]))}* · "
                    + " · ".join(links) + "\n", turn, story_units(ctx, here, chunk), turn]
            pages[here] = "\n".join(body) + "\n"
    t = ctx.labels
    index = [md.front_matter(title=t["nav_archive"], search=NOT_SEARCHED),
             f"# {t['nav_archive']}\n"]
    year = ""
    for month, month_days in months.items():
        if month[:4] != year:  # a year's months on one line under the year
            year = month[:4]
            index.append(f"\n## {year}\n")
        path = ctx.paths.month(month)
        body = [md.front_matter(title=ctx.month(month), search=NOT_SEARCHED),
                md.heading(1, ctx.month(month)),
                f"[{t['nav_archive']}]({relative(path, ctx.paths.archive_index)})\n"]
        for day in month_days:
            size = ctx.count("articles", len(ctx.by_day[day]))
            body.append(f"- [{ctx.date(day)}]({relative(path, ctx.paths.day(day))}) · *{size}*")
        pages[path] = "\n".join(body) + "\n"
        total = sum(len(ctx.by_day[d]) for d in month_days)
        link = f"[{ctx.month(month)}]({relative(ctx.paths.archive_index, path)})"
        index.append(f"- {link} · *{ctx.count('articles', total)}*")
    if not months:
        index.append(t["no_dated_articles"])
    index.append("")
    if ctx.tags:
        tags = relative(ctx.paths.archive_index, ctx.paths.tags_index)
        index.append(f"{t['browse_by_tag']}: [{t['all_tags']}]({tags})\n")
    undated = [a for a in ctx.digest.articles if not (a.date and a.date[:10] in ctx.by_day)]
    if undated:
        index.append(f"## {t['undated']}\n")
        index += [ctx.article_item(ctx.paths.archive_index, a) for a in by_date_desc(undated)]
    pages[ctx.paths.archive_index] = "\n".join(index) + "\n"
    return pages
