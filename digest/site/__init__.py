"""Emit: the digest as Markdown pages and feed files for MkDocs.

Page kinds each have a module (front page, topic, article, archive, tags,
sources, build report), and each renders from one
:class:`~digest.site.context.SiteContext` alone; :func:`render_site` makes
that context and returns every generated page by its source path and every
feed file by its site path, and the MkDocs plugin adds them as generated
files. Nothing here reads the clock, and nothing touches the disk but the spool
folder a caller may give for topic and article pages (:mod:`digest.site.parts`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

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
from digest.site.parts import Kept, Parts, run_parts
from digest.site.search import SearchRecord, search_records

# Pages that belong in the navigation; every other generated page stays out of it,
# so the nav (embedded in every page) does not grow with the archive.
NAV_PAGES = ("index.md", "topics/index.md", "archive/index.md", "sources.md")


@dataclass(frozen=True)
class Site:
    pages: dict[str, str]  # Markdown by source path relative to docs/
    files: dict[str, str]  # feed files (XML, JSON) by path relative to the site root
    search: list[SearchRecord]  # what the search index holds, by URL
    # with a spool: the topic and article pages, by source path, and the topic feeds, by
    # path, each with its key (digest.site.page_keys), written there unless the caller said
    # it is kept; never in ``pages`` or ``files``
    spooled: dict[str, str] = field(default_factory=dict)


def render_head(ctx: SiteContext) -> dict[str, str]:
    """The pages over the whole digest: front page, topic index, sources, build report,
    archive, tags."""
    pages = {ctx.paths.front: front_page.render(ctx), **topic_page.render_index(ctx),
             ctx.paths.sources: sources_page.render(ctx),
             ctx.paths.report: report_page.render(ctx)}
    pages.update(archive.render(ctx))
    pages.update(tag_page.render(ctx))
    return pages


def render_pages(digest: Digest, config: Config) -> dict[str, str]:
    """Every generated page's Markdown, keyed by its path relative to ``docs/``."""
    return render(SiteContext(digest, config), feeds=False).pages


def render_site(digest: Digest, config: Config, base_url: str, *, jobs: int = 1,
                spool: Path | None = None, kept: Kept = lambda src, key: False) -> Site:
    """Every page and feed of the digest; ``base_url`` (the published site URL) makes the
    feeds' links absolute. The same digest and config always give the same output,
    whatever ``jobs`` (processes rendering the per-topic and per-article parts). With a
    ``spool`` folder, topic and article pages and topic feeds are written there instead
    of kept, except those that ``kept(path, key)`` says the previous site holds."""
    return render(SiteContext(digest, config, base_url), jobs=jobs, spool=spool, kept=kept)


def render(ctx: SiteContext, *, jobs: int = 1, feeds: bool = True,
           spool: Path | None = None, kept: Kept = lambda src, key: False) -> Site:
    """The site of ``ctx``: its pages, and its feeds unless ``feeds`` is false."""
    writer = FeedWriter(ctx)
    pages = render_head(ctx)
    files = writer.site_feeds() if feeds else {}
    spooled: dict[str, str] = {}
    parts = Parts(ctx, writer, spool, kept)
    kinds = [Parts.TOPIC_PAGES, Parts.ARTICLE_PAGES] + [Parts.TOPIC_FEEDS] * feeds
    for kind, out in run_parts(parts, kinds, jobs):
        if spool is not None:
            spooled.update(out)
        else:
            (files if kind == Parts.TOPIC_FEEDS else pages).update(out)
    return Site(pages, files, search_records(ctx) if feeds else [], spooled)
