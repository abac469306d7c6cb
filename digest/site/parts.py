"""The per-topic and per-article parts of the site, rendered in slices on several processes.

Topic pages, article pages and topic feeds are most of a site's rendering
time and each is independent of the others, so they are cut into slices and
rendered by forked worker processes (which inherit the prepared context
rather than receive it pickled). The slices come back in order, so the
result is the same as one process rendering everything; where the platform
cannot fork, where other threads run (``mkdocs serve``), or when the digest
is small, everything is rendered in-process.

Given a spool folder, the pages and topic feeds are written there as they are
made, and only their keys come back (:mod:`digest.site.page_keys`: what each page is made
from): the Markdown of an archive's pages is never all in memory at once
(MkDocs reads each page from the spool when it writes it). A page or feed the
caller says the previous site holds under its key (``kept``) is not made at all.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from digest.site import article_page, topic_page
from digest.site.context import SiteContext
from digest.site.feeds import FeedWriter
from digest.site.page_keys import article_key, frame_key, topic_feed_key, topic_key
from digest.workers import die_with_parent

# (a page's source path or a file's path, its key): the previous site holds it
Kept = Callable[[str, str], bool]

PARALLEL_FROM = 2_000  # topics + articles; below this a pool costs more than it saves
SLICES_PER_JOB = 4  # slices per worker, so that an uneven slice does not hold the others up


class Parts:
    """What to render, by kind, and how to render a slice of one kind."""

    TOPIC_PAGES = "topic pages"
    ARTICLE_PAGES = "article pages"
    TOPIC_FEEDS = "topic feeds"

    def __init__(self, ctx: SiteContext, writer: FeedWriter, spool: Path | None = None,
                 kept: Kept = lambda src, key: False) -> None:
        self.ctx, self.writer, self.spool, self.kept = ctx, writer, spool, kept
        self.frame = frame_key(ctx) if spool is not None else ""

    def size(self, kind: str) -> int:
        digest = self.ctx.digest
        return len(digest.articles if kind == self.ARTICLE_PAGES else digest.topics)

    def render(self, kind: str, start: int, stop: int) -> dict[str, str]:
        """Pages or feed files of items ``start:stop`` of ``kind``, keyed by path; with a
        spool, they come back as their keys, each written there unless ``kept``."""
        ctx = self.ctx
        out: dict[str, str] = {}
        if kind == self.TOPIC_FEEDS:
            if self.spool is None:
                return self.writer.topic_feeds(ctx.digest.topics[start:stop])
            for topic in ctx.digest.topics[start:stop]:
                key = topic_feed_key(self.writer, self.frame, topic)
                paths = self.writer.topic_feed_paths(topic)
                if all(self.kept(path, key) for path in paths):
                    out.update(dict.fromkeys(paths, key))
                else:
                    out.update(self._made(self.writer.topic_feeds([topic]), key))
            return out
        if kind == self.TOPIC_PAGES:
            for topic in ctx.digest.topics[start:stop]:
                key = topic_key(ctx, self.frame, topic) if self.spool is not None else ""
                srcs = topic_page.page_paths(ctx, topic)
                if key and all(self.kept(src, key) for src in srcs):
                    out.update(dict.fromkeys(srcs, key))
                else:
                    out.update(self._made(topic_page.render(ctx, topic), key))
            return out
        for article in ctx.digest.articles[start:stop]:
            if article.id not in ctx.paged:  # an article older than site.keep_days has none
                continue
            src = ctx.paths.article(article.id)
            key = article_key(ctx, self.frame, article) if self.spool is not None else ""
            if key and self.kept(src, key):
                out[src] = key
            else:
                out.update(self._made({src: article_page.render(ctx, article)}, key))
        return out

    def _made(self, pages: dict[str, str], key: str) -> dict[str, str]:
        """Pages or files just made: as they are, or with a spool written there, each as
        ``key``."""
        if self.spool is None:
            return pages
        for src, text in pages.items():
            write_spooled(self.spool, src, text)
        return dict.fromkeys(pages, key)


def write_spooled(spool: Path, src: str, text: str) -> None:
    """Write one page's Markdown (or a feed file) to ``spool`` under its path."""
    path = spool / src
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


_PARTS: Parts | None = None  # what forked workers render from: inherited, never pickled


def _render_slice(task: tuple[str, int, int]) -> dict[str, str]:
    assert _PARTS is not None, "a worker forked without the parts to render"
    return _PARTS.render(*task)


def run_parts(parts: Parts, kinds: Sequence[str], jobs: int) -> list[tuple[str, dict[str, str]]]:
    """Each kind's rendering as (kind, {path: text}) slices, in order, on ``jobs`` processes."""
    global _PARTS
    total = sum(parts.size(kind) for kind in kinds)
    # forking beside other threads (`mkdocs serve`'s web server) could copy a held lock
    can_fork = ("fork" in multiprocessing.get_all_start_methods()
                and threading.active_count() == 1)
    if jobs <= 1 or total < PARALLEL_FROM or not can_fork:
        return [(kind, parts.render(kind, 0, parts.size(kind))) for kind in kinds]
    step = max(1, total // (jobs * SLICES_PER_JOB * len(kinds)))
    tasks = [(kind, start, min(start + step, parts.size(kind)))
             for kind in kinds for start in range(0, parts.size(kind), step)]
    _PARTS = parts
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"),
                                 initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
            return [(task[0], out) for task, out in zip(tasks, pool.map(_render_slice, tasks),
                                                        strict=True)]
    finally:
        _PARTS = None
