"""The page of one article: summary first, then the clean text, source and related links."""

from __future__ import annotations

from digest.records import Article
from digest.site import markdown as md
from digest.site.context import SiteContext
from digest.site.dates import parse_day
from digest.site.labels import CATALOG
from digest.site.language import direction
from digest.site.paths import relative
from digest.urls import web_url


def brief_markdown(article: Article, in_brief: str = CATALOG["in_brief"]["en"]) -> str:
    """The standfirst and the "In brief" summary (headed ``in_brief``): the Markdown both
    the article page and every feed entry are made from, so pages and feeds never
    disagree."""
    out = []
    if article.standfirst:
        out.append(f"*{md.text(article.standfirst)}*\n")
    if article.summary:
        out.append(md.heading(2, in_brief))
        out.extend(f"- {md.text(s)}" for s in article.summary)
        out.append("")
    return "\n".join(out)


def render(ctx: SiteContext, article: Article) -> str:
    """Markdown for ``article``.

    The front matter carries the article's language (``lang``) and its direction
    (``dir``), which the page is marked with. Its related titles link the articles
    grouping resolved them to (each article once), and stay plain text where it
    resolved them to none. Only the title,
    the line of facts and the summary are searched; the text, pictures and
    lists below are left out of the search index.
    """
    page = ctx.paths.article(article.id)
    t = ctx.labels
    topic = ctx.topic_of(article)
    lang = ctx.language_of(article)  # the plugin marks the page with it (html lang, dir)
    out = [md.front_matter(
        title=article.title or t["untitled"], description=ctx.one_line(article),
        date=article.date[:10] if article.date and parse_day(article.date) else None,
        og_type="article",
        feeds=ctx.paths.feed_folder(topic.id) if topic else None,
        lang=lang, dir=direction(lang))]
    out.append(md.heading(1, article.title or t["untitled"]))
    if article.title_from_text:  # the source gave none: say the headline is ours
        out.append(f"*{md.text(t['title_from_text'])}*\n")
    meta = [f"**{ctx.date(article.date)}**"]
    # a wire story's byline is often its agency, and its agency the source: say each once
    credits = dict.fromkeys(v.strip() for v in (ctx.source_label(article.source),
                                                 article.byline, article.agency) if v.strip())
    seen: set[str] = set()
    for value in credits:
        if value.casefold() not in seen:
            seen.add(value.casefold())
            meta.append(md.text(value))
    if web_url(article.url):  # a script or data URL is left out, label and all
        meta.append(md.external_link(t["original_article"], article.url))
    out.append(" · ".join(meta) + "\n")
    about = [t["topic_line"].format(topic=ctx.topic_link(page, topic))] if topic else []
    tags = ctx.tags_of(article)
    if tags:
        about.append(t["tags_line"].format(tags=", ".join(
            md.link(tag.name, relative(page, ctx.paths.tag(tag.slug))) for tag in tags)))
    if about:
        out.append(" · ".join(about) + "\n")
    out.append(brief_markdown(article, t["in_brief"]))
    if not article.body and web_url(article.url):  # a headline only: its link is its text
        out.append(f"{md.text(t['no_text'])} "
                   f"{md.external_link(t['read_at_source'], article.url)}.\n")
    else:
        out.append(md.heading(2, t["the_article"], searched=False))
    subheads = dict(zip(article.subhead_index, article.subheads, strict=False))
    for i, paragraph in enumerate(article.body):
        if i in subheads:
            out.append(md.heading(3, subheads[i], searched=False))
        out.append(f"{md.text(paragraph)}\n")
    if article.captions:
        out.append(md.heading(2, t["pictures"], searched=False))
        out.extend(f"- *{md.text(c)}*" for c in article.captions)
        out.append("")
    if article.related:
        out.append(md.heading(2, t["related_articles"], searched=False))
        listed: set[str] = set()
        for title in article.related:
            targets = ctx.related_articles(article, title)
            if not targets:
                out.append(f"- {md.text(title)}")
            for target in targets:
                if target.id not in listed:
                    listed.add(target.id)
                    out.append(f"- {ctx.article_link(page, target)}")
        out.append("")
    if article.also_in:
        out.append(md.heading(2, t["also_reported_by"], searched=False))
        for copy in article.also_in:
            label = md.external_link(copy.title or t["untitled"], copy.url)
            out.append(f"- {md.text(ctx.source_label(copy.source))}: {label}"
                       f" · {ctx.date(copy.date)}")
            for extra in copy.adds:
                out.append(f"    - {t['adds'].format(text=md.text(extra))}")
        out.append("")
    return "\n".join(out)
