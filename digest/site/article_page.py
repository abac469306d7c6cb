"""The page of one article: its facts, its summary, its text, then its related articles and
the copies merged into it, each said once."""

from __future__ import annotations

from digest.records import Article
from digest.site import markdown as md
from digest.site.context import SiteContext
from digest.site.dates import parse_day
from digest.site.labels import CATALOG
from digest.site.language import direction
from digest.site.paths import relative
from digest.site.pictures import article_picture
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


def lead_summary(article: Article) -> bool:
    """Whether the summary only repeats the article's opening: each of its sentences stands
    in the first paragraphs (one more than it has sentences). The page then shows the
    article once, its opening searched in place of an "In brief" that would repeat it."""
    if not article.summary or not article.body:
        return False
    opening = " ".join(" ".join(article.body[:len(article.summary) + 1]).split())
    return all(" ".join(s.split()) in opening for s in article.summary)


def opening_paragraphs(article: Article) -> int:
    """How many of the first paragraphs hold the summary's sentences (a lead summary)."""
    last = 0
    for i, paragraph in enumerate(article.body[:len(article.summary) + 1], start=1):
        flat = " ".join(paragraph.split())
        if any(" ".join(s.split()) in flat for s in article.summary):
            last = i
    return last


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
    opening = opening_paragraphs(article) if lead_summary(article) else 0
    if opening:
        if article.standfirst:
            out.append(f"*{md.text(article.standfirst)}*\n")
    else:
        out.append(brief_markdown(article, t["in_brief"]))
    if not article.body and web_url(article.url):  # a headline only: its link is its text
        out.append(f"{md.text(t['no_text'])} "
                   f"{md.external_link(t['read_at_source'], article.url)}.\n")
    elif not opening:
        out.append(md.heading(2, t["the_article"], searched=False))
    subheads = dict(zip(article.subhead_index, article.subheads, strict=False))
    for i, paragraph in enumerate(article.body):
        if i in subheads:
            out.append(md.heading(3, subheads[i], searched=False))
        searched = opening and i < opening and not any(k in subheads for k in range(1, i + 1))
        out.append(f"{md.text(paragraph)}\n" if not opening or searched else
                   f"{md.text(paragraph)}\n{md.NOT_SEARCHED.strip()}\n")
    if article.captions:
        out.append(md.heading(2, t["pictures"], searched=False))
        out.extend(f"- *{md.text(c)}*" for c in article.captions)
        out.append("")
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
