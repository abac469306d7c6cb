"""The MkDocs door: a thin plugin that runs the pipeline and adds the pages it makes.

``mkdocs.yml`` names it as ``digest``; its settings (the path of ``feeds.yaml``,
the number of parallel jobs, whether to use the cache) are declared once here
and validated by MkDocs. Generated pages are MkDocs "generated" files, so
``docs/`` keeps only hand-written pages, and every page but the few listed in
:data:`digest.site.NAV_PAGES` is kept out of the navigation.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import glob
import json
import logging
import os
import time
from collections.abc import Callable
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import ValidationError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from digest.dependencies import describe_import_error

# a package that cannot be imported is one line from `mkdocs build`, never a traceback
try:
    from digest.config import FEEDS_ENV, Config, ConfigError, load_config
    from digest.fetch.opml import opml_document
    from digest.incremental import (
        copy_pages,
        layout_key,
        merge_search_index,
        merge_sitemap,
        page_key,
        reusable,
    )
    from digest.lock import LOCK_WAIT, LockTimeout, holding
    from digest.pipeline import Progress, StageTimes, build_digest
    from digest.records import BuildSummary, to_json
    from digest.site import NAV_PAGES, render_site
    from digest.site.dates import build_stamp, parse_day
    from digest.site.feeds import FEED_FILES
except ImportError as exc:
    raise ValidationError(describe_import_error(exc)) from None

log = logging.getLogger("mkdocs.plugins.digest")
REPORT_FILE = "build-report.json"  # written beside the site folder, not published in it
FOOTER_SOURCES = 6  # sources named in the footer; more are counted


class DigestPluginConfig(base.Config):
    feeds = c.Type(str, default="feeds.yaml")  # relative to mkdocs.yml
    jobs = c.Optional(c.Type(int))  # per-article workers; default: all cores
    cache = c.Type(bool, default=True)  # keep per-article results in the feeds.yaml cache file
    # seconds to wait while another build of the same site or cache runs (see digest.lock)
    lock_wait = c.Type(int, default=int(LOCK_WAIT))


class DigestPlugin(BasePlugin[DigestPluginConfig]):
    feeds: Config
    summary: BuildSummary | None = None  # of the last build (the digest itself is let go)
    progress: Progress | None = None  # set by `digest build` to draw progress bars
    # incremental rendering (digest.incremental), driven by `digest build`: the live site and
    # its ledger going in, each published page's key coming out (empty: every page rendered)
    previous_site: Path | None = None
    previous_keys: dict[str, list[object]] = {}  # replaced, never mutated
    page_keys: dict[str, str] = {}  # replaced, never mutated
    reused: list[File] = []  # pages and feed files copied from the previous site in this build
    times: StageTimes
    mkdocs_start = 0.0  # when MkDocs took over from on_files: its own time is reported too
    # the folder the build publishes (set by `digest build`, which builds beside it), whose
    # lock and the cache's are held from on_pre_build to the end of the build
    site_target: Path | None = None
    say: Callable[[str], None] | None = None  # where "waiting for another build" goes
    _locks: contextlib.ExitStack | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        base_dir = Path(config.config_file_path or ".").resolve().parent
        path = base_dir / (os.environ.get(FEEDS_ENV) or self.config.feeds)
        try:
            self.feeds = load_config(path)
        except ConfigError as exc:
            raise PluginError(str(exc)) from None
        config.site_name = self.feeds.site.title
        if self.feeds.site.description and not config.site_description:
            config.site_description = self.feeds.site.description
        if self.feeds.site.url and not config.site_url:
            config.site_url = self.feeds.site.url
        # generated pages keep whole sections out of search with { data-search-exclude }
        if "attr_list" not in config.markdown_extensions:
            config.markdown_extensions.append("attr_list")
        return config

    def on_pre_build(self, config: MkDocsConfig) -> None:
        """Take the site's and the cache's locks before MkDocs empties the site folder."""
        guarded = [self.site_target or Path(config.site_dir)]
        if self.feeds.cache:
            guarded.append(Path(self.feeds.cache))
        self._release()
        locks = contextlib.ExitStack()
        try:
            locks.enter_context(holding(guarded, self.config.lock_wait, self.say or log.info))
        except LockTimeout as exc:
            raise PluginError(str(exc)) from None
        self._locks = locks

    def _release(self) -> None:
        if self._locks is not None:
            self._locks.close()
            self._locks = None

    def on_build_error(self, error: Exception) -> None:
        self._release()

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        self.times = StageTimes()
        digest = build_digest(self.feeds, jobs=self.config.jobs, use_cache=self.config.cache,
                              times=self.times, progress=self.progress)
        dates = [a.date for a in (*digest.articles, *digest.duplicates)]
        # the build time comes from the data (or SOURCE_DATE_EPOCH), never the clock,
        # so two builds of the same inputs give the same bytes
        digest = dataclasses.replace(digest, built=build_stamp(dates))
        self.summary = BuildSummary.of(digest)
        with self.times.timed("pages"):
            site = render_site(digest, self.feeds, config.site_url or "/",
                               jobs=self.config.jobs or os.cpu_count() or 1)
        self._footer(config, files)
        layout = layout_key(config)
        keys: dict[str, str] = {}
        self.reused = []
        for src, markdown in site.pages.items():
            if files.get_file_from_path(src) is not None:
                log.warning("docs/%s is hand-written and hides the generated page", src)
                continue
            in_nav = src in NAV_PAGES  # nav pages are always rendered: the nav is in each page
            inclusion = InclusionLevel.INCLUDED if in_nav else InclusionLevel.NOT_IN_NAV
            self._add(files, File.generated(config, src, content=markdown, inclusion=inclusion),
                      page_key(markdown, layout), keys, reuse=not in_nav)
        site.files["opml.xml"] = opml_document(self.feeds, created=dt.datetime.fromisoformat(
            digest.built))  # the build stamp, not the clock: reproducible
        for path, content in site.files.items():
            if files.get_file_from_path(path) is None:
                self._add(files, File.generated(config, path, content=content),
                          page_key(content, "file"), keys, reuse=True)
        self.page_keys = keys
        self.mkdocs_start = time.perf_counter()
        return files

    def _add(self, files: Files, file: File, key: str, keys: dict[str, str], *,
             reuse: bool) -> None:
        """Add a generated page or file, keyed in ``keys``; when ``reuse`` allows and the
        previous site holds exactly it, it is linked from there after the build instead of
        being rendered (links to it still resolve)."""
        keys[file.dest_uri] = key
        if reuse and self.previous_site is not None and reusable(
                self.previous_keys, self.previous_site, file.dest_uri, key):
            file.inclusion = InclusionLevel.EXCLUDED
            self.reused.append(file)
        files.append(file)

    def _footer(self, config: MkDocsConfig, files: Files) -> None:
        """What the theme's footer shows: the build date, the sources, the feeds."""
        site = self.feeds.site
        labels = [s.label for s in self.feeds.sources]
        named = ", ".join(labels[:FOOTER_SOURCES])
        if len(labels) > FOOTER_SOURCES:
            named += f" and {len(labels) - FOOTER_SOURCES} more"
        sources = files.get_file_from_path("sources.md")
        # no build time here: it is in the front matter of the pages that show it
        config.extra["digest"] = {
            "sources": named,
            "sources_url": sources.url if sources else "",
            "feeds": [{"name": name, "file": file} for name, file in FEED_FILES.items()],
            "locale": (site.locale or site.language).replace("-", "_"),
        }

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig,
                         files: Files) -> str:
        """Date each page from the data (an article's own date, else the build date), so
        the sitemap and its gzip copy do not depend on the day of the build."""
        if self.summary is not None:
            own = page.meta.get("date")
            day = parse_day(own if isinstance(own, str) else None)
            page.update_date = day.isoformat() if day else self.summary.built[:10]
        return markdown

    def on_serve(self, server: LiveReloadServer, config: MkDocsConfig,
                 builder: object) -> LiveReloadServer:
        """Rebuild when feeds.yaml or any source file changes (MkDocs itself watches
        mkdocs.yml, docs/ and the theme's custom_dir)."""
        server.watch(str(self.feeds.path))
        for source in self.feeds.sources:
            if not source.path:  # fetched from a URL: nothing on disk to watch
                continue
            pattern = os.path.join(self.feeds.root, source.path)
            fixed = pattern.split("*", 1)[0].split("?", 1)[0].split("[", 1)[0]
            folder = fixed if os.path.isdir(fixed) else os.path.dirname(fixed)
            if folder and os.path.exists(folder) and not glob.has_magic(folder):
                server.watch(folder)
        return server

    def on_post_build(self, config: MkDocsConfig) -> None:
        """Finish the site and write the build report; then let the locks go."""
        try:
            self._finish(config)
        finally:
            self._release()

    def _finish(self, config: MkDocsConfig) -> None:
        """Write the build report (what went in, what was skipped, stage times) beside the site.

        It stays out of the site itself so that two builds of the same inputs
        publish byte-identical sites.
        """
        if self.summary is None:
            return
        site_dir = Path(config.site_dir)
        if self.previous_site is not None and self.reused:
            copy_pages(self.previous_site, site_dir, [f.dest_uri for f in self.reused])
        urls = {f.url for f in self.reused if f.is_documentation_page()}
        merge_search_index(self.previous_site, site_dir, urls)
        merge_sitemap(self.previous_site, site_dir, urls, config.site_url or "")
        self.times.seconds["mkdocs"] = time.perf_counter() - self.mkdocs_start
        d = self.summary
        report = {
            "built": d.built,
            "articles": d.articles,
            "duplicates": d.duplicates,
            "topics": d.topics,
            "skipped": to_json(d.skipped),
            "notices": to_json(d.notices),
            "pages_reused": len(urls),
            "files_reused": len(self.reused) - len(urls),
            "seconds": {k: round(v, 3) for k, v in self.times.seconds.items()},
        }
        Path(config.site_dir).resolve().parent.joinpath(REPORT_FILE).write_text(
            json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
        for s in d.skipped:
            log.warning("skipped %s: %s", s.origin, s.reason)
