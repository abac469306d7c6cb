"""The front page: the latest days' digest, topic by topic, light at any archive size.

A digest no article of which gives a date is still a digest: its front page lists
every topic with its articles, the biggest first.
"""

from __future__ import annotations

from collections.abc import Collection

from digest.records import Topic
from digest.site import markdown as md
from digest.site.context import SiteContext, by_date_desc
from digest.site.paths import relative
from digest.site.topic_page import feed_links, summary_lines

MAX_TOPICS = 25  # topics in full on the front page; the rest are one line under "More"
PER_TOPIC = 6  # fresh articles listed under each topic; the topic page has the rest
EARLIER_TOPICS = 10  # topics from before the window listed under "Earlier"


def rank_topics(ctx: SiteContext, days: list[str]) -> list[tuple[Topic, int]]:
    """Topics with the number of their articles dated in ``days`` (every article when
    ``days`` is empty: no article is dated): most such articles first, then the biggest,
    then the freshest, then by name (a total, stable order)."""
    window = set(days)
    ranked = []
    for topic in ctx.digest.topics:
        articles = ctx.topic_articles(topic)
        fresh = sum(1 for a in articles if _in(a.date, window))
        latest = max((a.date or "" for a in articles), default="")
        ranked.append((topic, fresh, len(articles), latest))
    ranked.sort(key=lambda r: (-r[1], -r[2], _desc(r[3]), r[0].name, r[0].id))
    return [(t, fresh) for t, fresh, _, _ in ranked]


def _in(date: str | None, window: Collection[str]) -> bool:
    """Whether an article of ``date`` is in the window of days; with no days (no article
    is dated) every article is."""
    return date in window if window else True


def _desc(date: str) -> tuple[int, ...]:
    return tuple(-ord(ch) for ch in date)


def render(ctx: SiteContext) -> str:
    page = ctx.paths.front
    site = ctx.config.site
    days = ctx.window
    # the footer shows the build time only on pages that change with every build,
    # so that unchanged article pages can be reused as they are (digest.incremental)
    out = [md.front_matter(title=site.title, description=site.description or None,
                           feeds="", search={"exclude": True}, built=ctx.built_label)]
    if not ctx.digest.articles:
        out.append(md.heading(1, site.title))
        out.append(f"{ctx.labels['no_articles']}\n")
        return "\n".join(out)
    t = ctx.labels
    if not days:
        out.append(f"# {t['digest']}\n")
    elif len(days) == 1:
        out.append(f"# {t['digest_for'].format(day=ctx.date(days[0]))}\n")
    else:
        span = t["digest_for_days"].format(first=ctx.date(days[-1]), last=ctx.date(days[0]))
        out.append(f"# {span}\n")
    intro = [md.text(site.description)] if site.description else []
    intro += [f"[{t['all_topics']}]({relative(page, ctx.paths.topics_index)})",
              f"[{t['archive_link']}]({relative(page, ctx.paths.archive_index)})"]
    before = list(ctx.by_day)[len(days)] if days and len(ctx.by_day) > len(days) else None
    if before:  # yesterday (the latest day before the window) is one click away
        link = f"[← {ctx.date(before)}]({relative(page, ctx.paths.day(before))})"
        intro.append(t["previous_day"].format(day=link))
    out.append(" · ".join(intro) + "\n")
    if not days:
        out.append(f"*{t['no_dates']}*\n")
    ranked = rank_topics(ctx, days)
    fresh_topics = [t for t, fresh in ranked if fresh]
    window = set(days)
    for topic in fresh_topics[:MAX_TOPICS]:
        out.append(f"## {ctx.topic_link(page, topic)}\n")
        out.extend(summary_lines(ctx, page, topic))
        out.append("")
        said = {s.text for s in topic.summary}
        fresh = [a for a in by_date_desc(ctx.topic_articles(topic)) if _in(a.date, window)]
        out.extend(ctx.article_item(page, a, skip_lines=said, with_date=len(days) > 1)
                   for a in fresh[:PER_TOPIC])
        if len(fresh) > PER_TOPIC:
            more = ctx.count("more_articles", len(fresh) - PER_TOPIC)
            out.append(f"- [{more}]({relative(page, ctx.paths.topic(topic.id))})")
        out.append("")
    if len(fresh_topics) > MAX_TOPICS:
        out.append(f"## {t['more_topics']}\n")
        out += [f"- {ctx.topic_link(page, t)}" for t in fresh_topics[MAX_TOPICS:]]
        out.append("")
    earlier = [t for t, fresh in ranked if not fresh][:EARLIER_TOPICS]
    if earlier:
        out.append(f"## {t['earlier']}\n")
        for topic in earlier:
            latest = max((a.date for a in ctx.topic_articles(topic) if a.date), default=None)
            out.append(f"- {ctx.topic_link(page, topic)} · *{ctx.date(latest)}*")
        out.append("")
    out.append(feed_links(ctx, page, "", ctx.labels["follow_digest"]) + "\n")
    return "\n".join(out)
