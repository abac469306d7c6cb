"""The HTML of generated pages outside the navigation, written a page at a time.

MkDocs reads and converts every page of a build before it writes the first
one, and keeps them all until the end: at 100,000 articles that is several
gigabytes and one core. The digest's article, topic, day and tag pages are
outside the navigation and link to each other only by URL, so they need none
of that: the plugin hands them to MkDocs as excluded files (links to them
resolve as to any page) and, once MkDocs has written the navigation pages,
this module makes each page with MkDocs' own functions, the same template
environment, navigation and plugin events, writes it and lets it go. The
pages are byte for byte those MkDocs would have written (tested), and are cut
into slices rendered by forked workers, like the Markdown (:mod:`digest.site.parts`).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import re
import threading
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import jinja2
from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from digest.workers import die_with_parent

PARALLEL_FROM = 500  # pages; below this a pool costs more than it saves
SLICE = 250  # pages a worker renders per task: small enough to spread, large enough to pay
_URL_ENTRY = re.compile(r"\s*<url>.*?</url>", re.S)


@dataclass(frozen=True)
class Theme:
    """What MkDocs' own page build uses, taken from the build in progress."""

    config: MkDocsConfig
    files: Files
    nav: Navigation
    env: jinja2.Environment
    pages: Sequence[File]  # the site's pages, as the templates see them (the sitemap's list)


_THEME: Theme | None = None  # what forked workers render with: inherited, never pickled
_PAGES: Sequence[File] = ()


def render_page(theme: Theme, file: File) -> str:
    """Write the HTML of ``file`` (a generated page outside the navigation) as MkDocs would,
    and return its sitemap entry. The page is let go once written."""
    page = Page(None, file, theme.config)
    try:
        _populate_page(page, theme.config, theme.files)
        _build_page(page, theme.config, theme.pages, theme.nav, theme.env)
        return _sitemap_entry(theme, page)
    finally:
        file.page = None


def _sitemap_entry(theme: Theme, page: Page) -> str:
    """The page's entry as the theme's ``sitemap.xml`` template writes it (none when the
    theme has no sitemap)."""
    try:
        template = theme.env.get_template("sitemap.xml")
    except jinja2.TemplateNotFound:
        return ""
    text = template.render(pages=[page.file])
    match = _URL_ENTRY.search(text)
    return match.group(0) if match else ""


class _Held(logging.Handler):
    """In a worker: keeps the warnings of page rendering for the parent to log, so that
    they are printed once and counted by ``mkdocs build --strict``."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def _worker_start(parent: int) -> None:
    die_with_parent(parent)
    held = _Held()
    for logger in (logging.getLogger(), logging.getLogger("mkdocs")):
        for handler in logger.handlers:  # the parent's terminal: it prints them instead
            handler.addFilter(lambda record: record.levelno < logging.WARNING)
    logging.getLogger().addHandler(held)
    if not logging.getLogger("mkdocs").propagate:  # MkDocs' own command line
        logging.getLogger("mkdocs").addHandler(held)
    global _HELD
    _HELD = held


_HELD: _Held | None = None


def _render_slice(task: tuple[int, int]) -> tuple[list[str], list[tuple[str, int, str]]]:
    assert _THEME is not None and _HELD is not None, "a worker forked without its pages"
    entries = [render_page(_THEME, file) for file in _PAGES[task[0]:task[1]]]
    held, _HELD.records = _HELD.records, []
    return entries, held


def render_pages(theme: Theme, pages: Sequence[File], jobs: int) -> list[str]:
    """Render ``pages`` on ``jobs`` forked processes (in this one when small, when jobs is
    1, or beside other threads such as ``mkdocs serve``'s server, whose locks a fork could
    copy held); their sitemap entries, in the order of ``pages``.

    The pages are made part of the site first (MkDocs was told to leave them out), so that
    their links to each other read as links between pages, with the same warnings."""
    global _THEME, _PAGES
    for file in pages:
        file.inclusion = InclusionLevel.NOT_IN_NAV
    can_fork = ("fork" in multiprocessing.get_all_start_methods()
                and threading.active_count() == 1)
    if jobs <= 1 or len(pages) < PARALLEL_FROM or not can_fork:
        return [render_page(theme, file) for file in pages]
    tasks = [(start, min(start + SLICE, len(pages))) for start in range(0, len(pages), SLICE)]
    _THEME, _PAGES = theme, pages
    entries: list[str] = []
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"),
                                 initializer=_worker_start, initargs=(os.getpid(),)) as pool:
            for out, held in pool.map(_render_slice, tasks):
                entries += out
                for name, level, message in held:
                    logging.getLogger(name).log(level, message)
    finally:
        _THEME, _PAGES = None, ()
    return entries
