"""Emit: the digest as Markdown pages and feed files for MkDocs.

Page kinds each have a module (front page, topic, article, archive, tags,
sources); :func:`render_site` returns every generated page by its source
path and every feed file by its site path, and the MkDocs plugin adds them
as generated files. Nothing here touches the disk or reads the clock.
"""

from __future__ import annotations

from dataclasses import dataclass

from digest.config import Config
from digest.records import Digest
from digest.site import (
    archive,
    front_page,
    report_page,
    sources_page,
    tag_page,
    topic_page,
)
from digest.site.context import SiteContext
from digest.site.feeds import FeedWriter
from digest.site.parts import Parts, run_parts
from digest.text import normalize_title

# Pages that belong in the navigation; every other generated page stays out of it,
# so the nav (embedded in every page) does not grow with the archive.
NAV_PAGES = ("index.md", "topics/index.md", "archive/index.md", "sources.md")


@dataclass(frozen=True)
class Site:
    pages: dict[str, str]  # Markdown by source path relative to docs/
    files: dict[str, str]  # feed files (XML, JSON) by path relative to the site root


def title_index(digest: Digest) -> dict[str, str]:
    """Normalised title -> article id (the lowest id of equal titles), to link related titles."""
    titles: dict[str, str] = {}
    for a in sorted(digest.articles, key=lambda a: a.id):
        titles.setdefault(normalize_title(a.title), a.id)
    return titles


def render_head(ctx: SiteContext) -> dict[str, str]:
    """The pages over the whole digest: front page, topic index, sources, build report,
    archive, tags."""
    pages = {ctx.paths.front: front_page.render(ctx), **topic_page.render_index(ctx),
             ctx.paths.sources: sources_page.render(ctx),
             ctx.paths.report: report_page.render(ctx)}
    pages.update(archive.render(ctx))
    pages.update(tag_page.render(ctx))
    return pages


def render_pages(digest: Digest, config: Config, ctx: SiteContext | None = None) -> dict[str, str]:
    """Every generated page's Markdown, keyed by its path relative to ``docs/``."""
    ctx = ctx or SiteContext(digest, config)
    return render_site(digest, config, "/", ctx=ctx, feeds=False).pages


def render_site(digest: Digest, config: Config, base_url: str, *, jobs: int = 1,
                ctx: SiteContext | None = None, feeds: bool = True) -> Site:
    """Every page and feed of the digest; ``base_url`` (the published site URL) makes the
    feeds' links absolute. The same digest and config always give the same output,
    whatever ``jobs`` (processes rendering the per-topic and per-article parts)."""
    ctx = ctx or SiteContext(digest, config)
    writer = FeedWriter(ctx, base_url)
    pages = render_head(ctx)  # also fills the context's shared caches before any fork
    files = writer.site_feeds() if feeds else {}
    parts = Parts(ctx, writer, title_index(digest))
    kinds = [Parts.TOPIC_PAGES, Parts.ARTICLE_PAGES] + [Parts.TOPIC_FEEDS] * feeds
    for kind, out in run_parts(parts, kinds, jobs):
        (files if kind == Parts.TOPIC_FEEDS else pages).update(out)
    return Site(pages, files)
