"""The page of one article: its facts, its summary, its text, then its related articles and
the copies merged into it, each said once."""

from __future__ import annotations

from collections.abc import Callable

from digest.records import Article
from digest.site import markdown as md
from digest.site.context import SiteContext
from digest.site.dates import parse_day
from digest.site.labels import CATALOG
from digest.site.language import direction
from digest.site.paths import relative
from digest.site.pictures import article_picture
from digest.urls import web_url


def brief_markdown(article: Article, in_brief: str = CATALOG["in_brief"]["en"],
                   own: Callable[[str], str] = str, *, summary: bool = True) -> str:
    """The standfirst and the "In brief" summary (headed ``in_brief``): the Markdown both
    the article page and every feed entry are made from, so pages and feeds never
    disagree. ``own`` wraps the article's own words (the page marks their language);
    ``summary=False`` leaves the summary out (the page, where it is the opening)."""
    out = []
    if article.standfirst:
        out.append(own(f"*{md.text(article.standfirst)}*\n"))
    if article.summary and summary:
        out.append(md.heading(2, in_brief))
        out.append(own("\n".join(f"- {md.text(s)}" for s in article.summary) + "\n"))
    return "\n".join(out)


def lead_summary(article: Article) -> int:
    """How many opening paragraphs the summary only repeats: when each of its sentences
    stands in the first paragraphs (one more than it has sentences), the number of them up
    to the last holding one; else 0. The page then shows the article once, those
    paragraphs searched in place of an "In brief" that would repeat them."""
    sentences = [" ".join(s.split()) for s in article.summary]
    found: set[str] = set()
    last = 0
    for i, paragraph in enumerate(article.body[:len(sentences) + 1], start=1):
        flat = " ".join(paragraph.split())
        held = {s for s in sentences if s in flat}
        if held:
            found |= held
            last = i
    return last if sentences and found == set(sentences) else 0


def render(ctx: SiteContext, article: Article) -> str:
    """Markdown for ``article``.

    The page is in the site's language; the article's own words (title, standfirst,
    summary, text, captions), where its language is another, are marked with it
    (``lang``, and ``dir`` for a right-to-left script). Its related titles link the articles
    grouping resolved them to (each article once), and stay plain text where it
    resolved them to none. Only the title,
    the line of facts and the summary are searched; the text, pictures and
    lists below are left out of the search index.
    """
    page = ctx.paths.article(article.id)
    t = ctx.labels
    topic = ctx.topic_of(article)
    lang = ctx.language_of(article)
    # the page is in the site's language; the article's own words, where another, are
    # marked with theirs (lang, and dir for a right-to-left script)
    marks = f'lang="{lang}" dir="{direction(lang)}"' if lang != ctx.language else ""

    def own(markdown: str) -> str:
        return f"<div {marks} markdown>\n\n{markdown.strip()}\n\n</div>\n" if marks else markdown

    out = [md.front_matter(
        title=article.title or t["untitled"], description=ctx.one_line(article),
        date=article.date[:10] if article.date and parse_day(article.date) else None,
        og_type="article",
        feeds=ctx.paths.feed_folder(topic.id) if topic else None)]
    heading = md.heading(1, article.title or t["untitled"])
    out.append(heading.rstrip("\n") + f" {{ {marks} }}\n" if marks and article.title
               else heading)
    if article.title_from_text:  # the source gave none: say the headline is ours
        out.append(f"*{md.text(t['title_from_text'])}*\n")
    day = article.date[:10] if article.date and parse_day(article.date) else None
    meta = [f"**[{ctx.date(day)}]({relative(page, ctx.paths.day(day))})**" if day
            and day in ctx.by_day else f"**{ctx.date(article.date)}**"]
    # a wire story's byline is often its agency, and its agency the source: say each once
    source = ctx.source_label(article.source).strip()
    credits = dict.fromkeys(v.strip() for v in (source, article.byline, article.agency)
                            if v.strip())
    seen: set[str] = set()
    for value in credits:
        if value.casefold() not in seen:
            seen.add(value.casefold())
            meta.append(md.link(value, relative(page, ctx.paths.sources)) if value == source
                        else md.text(value))
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
    caption = article.captions[0] if article.captions else ""
    picture = article_picture(ctx.digest.pictures, article.id, page, caption)
    if picture:  # the site's own copy (site.images), its caption as its text
        out.append(f'<figure class="digest-picture">{picture}</figure>\n')
    # the opening searched where it is the summary; else "In brief", then the article
    opening = lead_summary(article)
    out.append(brief_markdown(article, t["in_brief"], own, summary=not opening))
    if not article.body and web_url(article.url):  # a headline only: its link is its text
        out.append(f"{md.text(t['no_text'])} "
                   f"{md.external_link(t['read_at_source'], article.url)}.\n")
    elif not opening:
        out.append(md.heading(2, t["the_article"], searched=False))
    subheads = dict(zip(article.subhead_index, article.subheads, strict=False))
    text: list[str] = []
    for i, paragraph in enumerate(article.body):
        if i in subheads:
            text.append(md.heading(3, subheads[i], searched=False))
        searched = opening and i < opening and not any(k in subheads for k in range(1, i + 1))
        text.append(f"{md.text(paragraph)}\n" if not opening or searched else
                    f"{md.text(paragraph)}\n{md.NOT_SEARCHED.strip()}\n")
    if text:
        out.append(own("\n".join(text)))
    if article.captions:
        out.append(md.heading(2, t["pictures"], searched=False))
        out.append(own("\n".join(f"- *{md.text(c)}*" for c in article.captions) + "\n"))
    # a copy merged into this article is listed under "Also reported by" alone
    copies = {_key(c.title) for c in article.also_in} | {_key(article.title)}
    related: list[str] = []
    listed: set[str] = {article.id}
    for title in article.related:
        targets = ctx.related_articles(article, title)
        if not targets and _key(title) not in copies:
            related.append(f"- {md.text(title)}")
        for target in targets:
            if target.id not in listed:
                listed.add(target.id)
                related.append(f"- {ctx.article_link(page, target)}")
    if related:
        out += [md.heading(2, t["related_articles"], searched=False), *related, ""]
    if article.also_in:
        out.append(md.heading(2, t["also_reported_by"], searched=False))
        said = {_key(p) for p in article.body}  # an added sentence is listed once
        for copy in article.also_in:
            label = md.external_link(copy.title or t["untitled"], copy.url)
            out.append(f"- {md.text(ctx.source_label(copy.source))}: {label}"
                       f" · {ctx.date(copy.date)}")
            for extra in copy.adds:
                if _key(extra) not in said:
                    said.add(_key(extra))
                    out.append(f"    - {t['adds'].format(text=md.text(extra))}")
        out.append("")
    return "\n".join(out)


def _key(text: str) -> str:
    """Text as compared for repeats: case and spacing aside."""
    return " ".join(text.casefold().split())
