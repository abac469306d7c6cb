"""Date archives: an index of months, a page per month (its days) and a page per day.

Month pages list days, not articles, so no archive page grows with the
whole corpus; none of them is searched (the articles themselves are).
"""

from __future__ import annotations

from collections import defaultdict

from digest.site import markdown as md
from digest.site.context import SiteContext, by_date_desc
from digest.site.paths import relative

NOT_SEARCHED = {"exclude": True}


def render(ctx: SiteContext) -> dict[str, str]:
    """Every archive page, keyed by its source path."""
    pages: dict[str, str] = {}
    months: dict[str, list[str]] = defaultdict(list)
    days = list(ctx.by_day)
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
        body = [md.front_matter(title=ctx.date(day), search=NOT_SEARCHED),
                md.heading(1, ctx.date(day)), " · ".join(nav) + "\n"]
        body += [ctx.article_item(path, a) for a in by_date_desc(ctx.by_day[day])]
        pages[path] = "\n".join(body) + "\n"
    t = ctx.labels
    index = [md.front_matter(title=t["nav_archive"], search=NOT_SEARCHED),
             f"# {t['nav_archive']}\n"]
    for month, month_days in months.items():
        path = ctx.paths.month(month)
        body = [md.front_matter(title=ctx.month(month), search=NOT_SEARCHED),
                md.heading(1, ctx.month(month)),
                f"[{t['nav_archive']}]({relative(path, ctx.paths.archive_index)})\n"]
        for day in month_days:
            size = ctx.count("articles", len(ctx.by_day[day]))
            body.append(f"- [{ctx.date(day)}]({relative(path, ctx.paths.day(day))}) · *{size}*")
        pages[path] = "\n".join(body) + "\n"
        total = sum(len(ctx.by_day[d]) for d in month_days)
        index.append(f"- [{ctx.month(month)}]({relative(ctx.paths.archive_index, path)})"
                     f" · *{ctx.count('articles', total)}*")
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
