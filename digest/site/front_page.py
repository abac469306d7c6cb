"""The front page: what happened on the latest days, as a column of compact story units.

Each story (:mod:`digest.site.stories`) is one unit: the headline of its
newest development (and its picture, with ``site.images``), one sentence of news,
how many sources carry it (naming them, linking its topic page: the full coverage)
and its date. The page holds
the :data:`MAX_STORIES` weightiest; the rest of the day's stories are on the
day's archive page, one click away, and so is the day before. Units are
HTML elements with Markdown inside (``md_in_html``), so the stylesheet can set
them as a grid while every text still goes through :func:`digest.site.markdown.text`.

A digest no article of which gives a date is still a digest: its front page
lists its stories, the weightiest first.
"""

from __future__ import annotations

from digest.site import markdown as md
from digest.site.context import SiteContext
from digest.site.dates import parse_day
from digest.site.language import direction
from digest.site.paths import relative
from digest.site.pictures import article_picture
from digest.site.stories import Story, descending, stories
from digest.site.topic_page import feed_links

MAX_STORIES = 30  # story units on the front page; the rest are on the day's page
NAMED_SOURCES = 3  # sources named in a unit; more are counted ("+ 2")
EARLIER_TOPICS = 5  # topics from before the shown days, one line each


def story_unit(ctx: SiteContext, page: str, story: Story) -> str:
    """One story as an ``<article>`` unit (see the module docstring) linking from ``page``."""
    lead = story.lead
    lang = ctx.language_of(lead)
    marks = f' lang="{lang}" dir="{direction(lang)}"' if lang != ctx.language else ""
    names = [md.text(s) for s in story.sources[:NAMED_SOURCES]]
    if len(story.sources) > NAMED_SOURCES:
        names.append(f"+{len(story.sources) - NAMED_SOURCES}")
    count = md.text(ctx.count("sources", len(story.sources)))
    if len(story.topic.article_ids) > 1:  # its topic page has the full coverage
        target = relative(page, ctx.paths.topic(story.topic.id))
        count = f"[{count}]({target}){{ .digest-story__sources }}"
    else:
        count = f'<span class="digest-story__sources">{count}</span>'
    meta = [f"{count}: {', '.join(names)}"]
    parsed = parse_day(story.latest)
    if parsed:  # written by us from a calendar day: it can stand in the attribute
        day = parsed.isoformat()
        meta.append(f'<time datetime="{day}">{md.text(ctx.date(day))}</time>')
    out = [f'<article class="digest-story" markdown{marks}>']
    picture = article_picture(ctx.digest.pictures, lead.id, page)  # "" unless site.images
    if picture:  # beside the headline, which says what it shows: no text of its own
        out.append(f'<figure class="digest-story__picture">{picture}</figure>')
    out.append('<h2 class="digest-story__headline" markdown="span">'
               f"{ctx.article_link(page, lead)}</h2>")
    if story.gist:
        out.append(f'<p class="digest-story__gist" markdown="span">{md.text(story.gist)}</p>')
    out.append(f'<p class="digest-story__meta" markdown="span">{" · ".join(meta)}</p>')
    out.append("</article>")
    return "\n".join(out)


def story_units(ctx: SiteContext, page: str, ranked: list[Story]) -> str:
    """Units of ``ranked`` stories in one grid."""
    units = "\n\n".join(story_unit(ctx, page, s) for s in ranked)
    return f'<div class="digest-stories" markdown>\n\n{units}\n\n</div>\n'


def render(ctx: SiteContext) -> str:
    page = ctx.paths.front
    site = ctx.config.site
    days = ctx.window
    t = ctx.labels
    # the footer shows the build time only on pages that change with every build,
    # so that unchanged article pages can be reused as they are (digest.incremental)
    out = [md.front_matter(title=site.title, description=site.description or None,
                           feeds="", search={"exclude": True}, built=ctx.built_label,
                           hide=["navigation", "toc"])]
    if not ctx.digest.articles:
        out.append(md.heading(1, site.title))
        out.append(f"{t['no_articles' if ctx.config.sources else 'no_sources']}\n")
        return "\n".join(out)
    if not days:
        out.append(f"# {t['digest']}\n")
    elif len(days) == 1:
        out.append(f"# {t['digest_for'].format(day=ctx.date(days[0]))}\n")
    else:
        span = t["digest_for_days"].format(first=ctx.date(days[-1]), last=ctx.date(days[0]))
        out.append(f"# {span}\n")
    if site.description:
        out.append(f"{md.text(site.description)}\n{{ .digest-lede }}\n")
    if not days:
        out.append(f"*{t['no_dates']}*\n")
    ranked = stories(ctx, days)
    out.append(story_units(ctx, page, ranked[:MAX_STORIES]))
    links = []
    if days and len(ranked) > MAX_STORIES:  # the rest of the newest day, one click away
        rest = ctx.count("all_stories", len(ranked) if len(days) == 1 else
                         len(stories(ctx, days[:1])))
        links.append(f"[{rest}]({relative(page, ctx.paths.day(days[0]))}){{ .digest-more }}")
    before = list(ctx.by_day)[len(days)] if days and len(ctx.by_day) > len(days) else None
    if before:  # the day before the shown days is one click away
        link = f"[← {ctx.date(before)}]({relative(page, ctx.paths.day(before))})"
        links.append(t["previous_day"].format(day=link))
    links += [f"[{t['all_topics']}]({relative(page, ctx.paths.topics_index)})",
              f"[{t['archive_link']}]({relative(page, ctx.paths.archive_index)})"]
    out.append(" · ".join(links) + "\n")
    shown = {s.topic.id for s in ranked}
    latest = {tp.id: max((a.date or "" for a in ctx.topic_articles(tp)), default="")
              for tp in ctx.digest.topics if tp.id not in shown}
    earlier = sorted((tp for tp in ctx.digest.topics if tp.id in latest),
                     key=lambda tp: (descending(latest[tp.id]), -len(tp.article_ids), tp.name,
                                     tp.id))
    if earlier and days:
        out.append(f"## {t['earlier']}\n")
        for topic in earlier[:EARLIER_TOPICS]:
            when = ctx.date(latest[topic.id][:10] or None)
            out.append(f"- {ctx.topic_link(page, topic)} · *{when}*")
        out.append("")
    out.append(feed_links(ctx, page, "", t["follow_digest"]) + "\n")
    return "\n".join(out)

