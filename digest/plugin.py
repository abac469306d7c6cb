"""The MkDocs door: a thin plugin that runs the pipeline and adds the pages it makes.

``mkdocs.yml`` names it as ``digest``; its settings (the path of ``feeds.yaml``,
the number of parallel jobs, whether to use the cache) are declared once here
and validated by MkDocs. Generated pages are MkDocs "generated" files, so
``docs/`` keeps only hand-written pages, and every page but the few listed in
:data:`digest.site.NAV_PAGES` is kept out of the navigation. The site's look (templates,
stylesheet, theme settings, navigation) comes with the package and is put into the config
here (:mod:`digest.packaged_theme`).

A caller (``digest build``) gives the plugin one :class:`~digest.build_run.BuildRequest`
before the build and reads one :class:`~digest.build_run.BuildResult` after it. All
other state belongs to one build: it is made afresh in ``on_config``, so a rebuild
(``digest serve``) never sees the previous one's.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import glob
import json
import logging
import os
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from jinja2 import Environment
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import ValidationError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from digest.dependencies import describe_import_error

# a package that cannot be imported is one line from `mkdocs build`, never a traceback
try:
    from digest.build_run import BuildRequest, BuildResult
    from digest.config import Config, ConfigError, load_config
    from digest.dask_executor import ExecutorError, executor_at
    from digest.fetch.images import picture_files
    from digest.fetch.opml import opml_document
    from digest.incremental import (
        changed_parts,
        copy_pages,
        dest_of,
        layout_key,
        layout_parts,
        merge_sitemap,
        page_key,
        reusable,
    )
    from digest.lock import LOCK_WAIT, LockTimeout, holding
    from digest.packaged_theme import (
        add_stylesheet,
        add_theme_dir,
        check_search,
        drop_custom_dir,
        read_mkdocs_yml,
        require_material,
        sets,
        supply_settings,
    )
    from digest.page_html import Theme, render_pages
    from digest.pipeline import build_digest
    from digest.publish import delete_detached, spool_prefix
    from digest.records import BuildSummary, Digest
    from digest.search_index import search_store, write_search
    from digest.site import NAV_PAGES, render_site
    from digest.site.dates import parse_day
    from digest.site.feeds import FEED_FILES
    from digest.site.labels import CATALOG, NAV_KEYS, THEME_KEYS, labels
    from digest.site.language import language_tag
    from digest.site.origins import grouped
    from digest.site.search import SearchRecord, page_record
    from digest.timing import StageTimes, peak_mb
except ImportError as exc:
    raise ValidationError(describe_import_error(exc)) from None

EXAMPLES = 3  # inputs named on the terminal line of a reason several inputs share
log = logging.getLogger("mkdocs.plugins.digest")
REPORT_FILE = "build-report.json"  # written beside the site folder, not published in it
# pages outside the navigation are written by digest.page_html, a page at a time, after
# MkDocs' own; False hands them to MkDocs (the tests compare the two sites)
WRITE_OUTSIDE_MKDOCS = True
FOOTER_SOURCES = 6  # sources named in the footer; more are counted


class DigestPluginConfig(base.Config):
    feeds = c.Type(str, default="feeds.yaml")  # relative to mkdocs.yml
    jobs = c.Optional(c.Type(int))  # per-article workers; default: all cores
    cache = c.Type(bool, default=True)  # keep per-article results in the feeds.yaml cache file
    # seconds to wait while another build of the same site or cache runs (see digest.lock)
    lock_wait = c.Type(int, default=int(LOCK_WAIT))


@dataclass
class _Run:
    """The working state of one build, from on_config to on_post_build."""

    feeds: Config
    request: BuildRequest
    locks: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)
    times: StageTimes = field(default_factory=StageTimes)
    summary: BuildSummary | None = None  # the digest itself is let go once pages are made
    page_keys: dict[str, str] = field(default_factory=dict)
    reused: list[File] = field(default_factory=list)  # copied from the previous site
    deferred: list[File] = field(default_factory=list)  # pages written after MkDocs' own
    spool: Path | None = None  # where topic and article pages' Markdown waits
    search: list[SearchRecord] = field(default_factory=list)  # indexed after MkDocs' build
    layout: dict[str, str] = field(default_factory=dict)  # what shapes pages besides Markdown
    mkdocs_start: float = 0.0  # when MkDocs took over from on_files: its time is reported too


class DigestPlugin(BasePlugin[DigestPluginConfig]):
    request: BuildRequest | None = None  # set once by a caller before the build; None: defaults
    result: BuildResult | None = None  # set when a build has finished
    _run: _Run | None = None
    _lit: Page | None = None  # the tab lit for the page being written (on_page_context)
    _nav: Navigation | None = None  # this build's navigation and theme, for deferred pages
    _env: Environment | None = None
    _files: Files | None = None

    @event_priority(100)  # before the search plugin reads the theme's language
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._release()  # a build that ended without on_post_build or on_build_error
        self._run, self.result = None, None
        base_dir = Path(config.config_file_path or ".").resolve().parent
        path = base_dir / self.config.feeds
        try:
            feeds = load_config(path)
        except ConfigError as exc:
            raise PluginError(str(exc)) from None
        request = self.request or BuildRequest(lock_wait=self.config.lock_wait)
        # the package's look (digest.packaged_theme): the site's own settings win
        raw = read_mkdocs_yml(config.config_file_path)
        require_material(config)
        add_theme_dir(config)
        add_stylesheet(config)
        supply_settings(config, raw)
        check_search(config)
        self._run = _Run(feeds, request)
        config.site_name = feeds.site.title
        if not sets(raw, "theme", "language"):
            language = theme_language(feeds.site.language, config.theme.dirs)
            config.theme["language"] = language
            if language_tag(feeds.site.language).split("-")[0] != language.split("-")[0]:
                log.info("site.language %r: the theme has no translation for it; its labels "
                         "stay in English", feeds.site.language)
        translate_palette(config.theme.get("palette"), feeds.site.language)
        if feeds.site.description and not config.site_description:
            config.site_description = feeds.site.description
        if feeds.site.url and not config.site_url:
            config.site_url = feeds.site.url
        # generated pages keep whole sections out of search with { data-search-exclude }
        # and the front page's story units are HTML elements with Markdown inside
        for extension in ("attr_list", "md_in_html"):
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)
        quiet_theme_search(config)
        return config

    @event_priority(-100)  # after other plugins: the navigation the pages are built with
    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        """The tabs named in English ("Today", "Topics"... : the plugin's own nav, or one
        in mkdocs.yml) read in the site's language; a title written otherwise in mkdocs.yml
        stays as written."""
        words = _labels_for(self._state.feeds.site.language)
        translated = {CATALOG[key]["en"]: words[key] for key in NAV_KEYS}
        for item in nav.items:
            if item.title in translated:
                item.title = translated[item.title]
        self._nav = nav
        return nav

    @event_priority(-100)
    def on_env(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        """Keep the template environment deferred pages are written with."""
        self._env, self._files = env, files
        return env

    def on_page_context(self, context: TemplateContext, page: Page, config: MkDocsConfig,
                        nav: Navigation) -> TemplateContext:
        """Light the tab a generated page belongs to (topics under Topics; articles, days,
        months and tags under Archive): such pages are not in the navigation, which would
        leave every tab dark. The tab is put out again once the page is written."""
        home = tab_of(page.file.src_uri)
        if home:
            tab = next((p for p in nav.pages if p.file.src_uri == home), None)
            if tab is not None and not tab.active:
                tab.active = True
                self._lit = tab
        return context

    @property
    def _jobs(self) -> int:
        """Processes for the site's rendering: the plugin's ``jobs``, else every core."""
        return self.config.jobs or os.cpu_count() or 1

    @property
    def _state(self) -> _Run:
        """This build's state (an event MkDocs sends only after on_config)."""
        assert self._run is not None, "on_config has not run"
        return self._run

    def on_pre_build(self, config: MkDocsConfig) -> None:
        """Take the site's and the cache's locks before MkDocs empties the site folder."""
        run = self._state
        guarded = [run.request.site_target or Path(config.site_dir)]
        if run.feeds.cache:
            guarded.append(Path(run.feeds.cache))
        try:
            run.locks.enter_context(holding(guarded, run.request.lock_wait, run.request.say))
        except LockTimeout as exc:
            raise PluginError(str(exc)) from None

    def _release(self) -> None:
        _PAGES_LOG.removeFilter(_quiet_left_out)
        self._nav = self._env = self._files = None
        if self._run is not None:
            if self._run.spool is not None:  # thousands of files: off the critical path
                delete_detached(self._run.spool)
                self._run.spool = None
            self._run.locks.close()

    def on_build_error(self, error: Exception) -> None:
        self._release()

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        run = self._state
        drop_custom_dir(files, config)  # templates kept in docs/ are not pages
        # the per-article work on a Dask cluster when digest build --executor or feeds.yaml
        # names one (digest serve and mkdocs build: feeds.yaml's only)
        try:
            with executor_at(run.request.executor or run.feeds.executor) as executor:
                digest = build_digest(run.feeds, jobs=self.config.jobs, executor=executor,
                                      use_cache=self.config.cache, times=run.times,
                                      progress=run.request.progress)
        except ExecutorError as exc:
            raise PluginError(str(exc)) from None
        run.summary = BuildSummary.of(digest)
        # topic and article pages wait on disk beside the site until they are written
        target = (run.request.site_target or Path(config.site_dir)).resolve()
        target.parent.mkdir(parents=True, exist_ok=True)
        run.spool = Path(tempfile.mkdtemp(prefix=spool_prefix(target), dir=target.parent))
        self._footer(config, files)  # part of the layout: before it is keyed
        parts = layout_parts(config)
        run.layout, layout = parts, layout_key(parts)
        changed = changed_parts(run.request.layout, parts)
        if changed and run.request.ledger:
            run.request.say(f"{', '.join(changed)}: changed since the last build, so every"
                            " page is made again")
        previous, ledger = run.request.previous_site, run.request.ledger

        def kept(src: str, key: str) -> bool:  # a page or file the previous site holds as is
            return previous is not None and reusable(ledger, previous, *(
                (dest_of(src, config.use_directory_urls), page_key(key, layout))
                if src.endswith(".md") else (src, page_key(key, "file"))))

        with run.times.timed("pages"):
            site = render_site(digest, run.feeds, config.site_url or "/",
                               jobs=self._jobs, spool=run.spool, kept=kept)
        run.search = site.search
        for src, markdown in site.pages.items():
            if _hand_written(files, src):
                continue
            in_nav = src in NAV_PAGES  # nav pages are always rendered: the nav is in each page
            inclusion = InclusionLevel.INCLUDED if in_nav else InclusionLevel.NOT_IN_NAV
            page = File.generated(config, src, content=markdown, inclusion=inclusion)
            self._add_page(files, page, page_key(markdown, layout), in_nav=in_nav)
        for src, inputs in site.spooled.items():
            if not src.endswith(".md"):  # a topic's feed file
                if files.get_file_from_path(src) is None:
                    self._add(files, File.generated(config, src,
                                                    abs_src_path=str(run.spool / src)),
                              page_key(inputs, "file"), reuse=True)
                continue
            if _hand_written(files, src):
                continue
            page = File.generated(config, src, abs_src_path=str(run.spool / src),
                                  inclusion=InclusionLevel.NOT_IN_NAV)
            self._add_page(files, page, page_key(inputs, layout), in_nav=False)
        if run.deferred or run.reused:  # MkDocs' note on each link to a page it leaves out
            _PAGES_LOG.addFilter(_quiet_left_out)
        site.files["opml.xml"] = opml_document(run.feeds, created=dt.datetime.fromisoformat(
            digest.built))  # the build stamp, not the clock: reproducible
        for path, content in site.files.items():
            if files.get_file_from_path(path) is None:
                self._add(files, File.generated(config, path, content=content),
                          page_key(content, "file"), reuse=True)
        self._add_pictures(files, config, digest)
        run.mkdocs_start = time.perf_counter()
        return files

    def _add_page(self, files: Files, page: File, key: str, *, in_nav: bool) -> None:
        """Add a generated page: nav pages are always rendered by MkDocs (the nav is in
        each page); any other is reused from the previous site, or written after MkDocs'
        own pages (:mod:`digest.page_html`)."""
        if not self._add(files, page, key, reuse=not in_nav) and not in_nav \
                and WRITE_OUTSIDE_MKDOCS:
            page.inclusion = InclusionLevel.EXCLUDED
            self._state.deferred.append(page)

    def _add_pictures(self, files: Files, config: MkDocsConfig, digest: Digest) -> None:
        """The pictures the digest shows (``site.images``), copied into the site from where
        the build keeps them (``images/<hash>.<ext>``); a name is its content's hash, so it
        is its own key."""
        for path, kept in picture_files(self._state.feeds, digest.pictures.values()).items():
            if files.get_file_from_path(path) is None:
                self._add(files, File.generated(config, path, abs_src_path=str(kept)),
                          page_key(path, "picture"), reuse=True)

    def _add(self, files: Files, file: File, key: str, *, reuse: bool) -> bool:
        """Add a generated page or file, keyed in this build's page keys; when ``reuse``
        allows and the previous site holds exactly it, it is linked from there after the
        build instead of being rendered (links to it still resolve), and True is returned."""
        run = self._state
        run.page_keys[file.dest_uri] = key
        previous = run.request.previous_site
        reused = reuse and previous is not None and reusable(
            run.request.ledger, previous, file.dest_uri, key)
        if reused:
            file.inclusion = InclusionLevel.EXCLUDED
            run.reused.append(file)
        files.append(file)
        return reused

    def _footer(self, config: MkDocsConfig, files: Files) -> None:
        """What the theme's footer shows: the build date, the sources, the feeds."""
        site = self._state.feeds.site
        labels = [s.label for s in self._state.feeds.sources]
        words = _labels_for(site.language)
        named = ", ".join(labels[:FOOTER_SOURCES])
        if len(labels) > FOOTER_SOURCES:
            named = words["footer_more_sources"].format(sources=named,
                                                        n=len(labels) - FOOTER_SOURCES)
        sources = files.get_file_from_path("sources.md")
        # no build time here: it is in the front matter of the pages that show it
        config.extra["digest"] = {
            "sources": named,
            "sources_url": sources.url if sources else "",
            "feeds": [{"name": name, "file": file} for name, file in FEED_FILES.items()],
            "locale": (site.locale or site.language).replace("-", "_"),
            "words": {key: words[key] for key in (
                "footer_built", "footer_built_alone", "footer_news", "footer_follow",
                "footer_made_with", "search_more")},
        }

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig,
                         files: Files) -> str:
        """Date each page from the data (an article's own date, else the build date), so
        the sitemap and its gzip copy do not depend on the day of the build."""
        summary = self._state.summary
        if summary is not None:
            own = page.meta.get("date")
            day = parse_day(own if isinstance(own, str) else None)
            page.update_date = day.isoformat() if day else summary.built[:10]
        return markdown

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig,
                        files: Files) -> str:
        """A hand-written page (``docs/``) joins the search records; generated pages are
        there already, made from the digest."""
        if page.file.generated_by is None and self._run is not None:
            self._run.search.append(page_record(page.url, page.title or "", html))
        return html

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        """Put out the tab :meth:`on_page_context` lit for this page."""
        if self._lit is not None:
            self._lit.active = False
            self._lit = None
        return output

    def on_serve(self, server: LiveReloadServer, config: MkDocsConfig,
                 builder: object) -> LiveReloadServer:
        """Rebuild when feeds.yaml or any source file changes (MkDocs itself watches
        mkdocs.yml, docs/ and the theme's custom_dir)."""
        feeds = self._state.feeds
        server.watch(str(feeds.path))
        for source in feeds.sources:
            if not source.path:  # fetched from a URL: nothing on disk to watch
                continue
            pattern = os.path.join(feeds.root, source.path)
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
        """Bring reused pages over, then write the build report beside the site.

        The report stays out of the site itself so that two builds of the same
        inputs publish byte-identical sites.
        """
        run = self._state
        if run.summary is None:
            return
        site_dir = Path(config.site_dir)
        run.times.seconds["mkdocs"] = time.perf_counter() - run.mkdocs_start
        run.times.peak_mb["mkdocs"] = peak_mb()
        entries: list[str] = []
        if run.deferred:
            assert self._nav is not None and self._env is not None and self._files is not None
            theme = Theme(config, self._files, self._nav, self._env,
                          self._files.documentation_pages())
            with run.times.timed("page html"):
                entries = render_pages(theme, run.deferred,
                                       self._jobs)
            run.deferred = []
        previous = run.request.previous_site
        reused = [f.dest_uri for f in run.reused]
        if previous is not None and reused:
            copy_pages(previous, site_dir, reused)
        urls = {f.url for f in run.reused if f.is_documentation_page()}
        merge_sitemap(previous, site_dir, urls, config.site_url or "", entries)
        with run.times.timed("search"):
            failed = write_search(sorted(run.search, key=lambda r: r.url), site_dir,
                                  run.feeds.site.language, search_store(run.feeds.cache))
        run.search = []
        if failed:  # each already a warning; the report lists them too
            run.summary = replace(run.summary, notices=(*run.summary.notices, *failed))
        self.result = BuildResult(run.summary, dict(run.page_keys), dict(run.times.seconds),
                                  tuple(reused), len(urls), dict(run.times.peak_mb),
                                  dict(run.layout))
        site_dir.resolve().parent.joinpath(REPORT_FILE).write_text(
            json.dumps(self.result.report(), indent=2, ensure_ascii=False), encoding="utf-8")
        for group in grouped(run.summary.skipped, run.feeds.sources):
            if len(group.origins) == 1:
                log.warning("skipped %s: %s", group.origins[0], group.reason)
                continue
            more = len(group.origins) - EXAMPLES
            log.warning("skipped %d inputs of %s: %s: %s%s (each in the build report)",
                        len(group.origins), group.source, group.reason,
                        ", ".join(group.origins[:EXAMPLES]),
                        f" and {more} more" if more > 0 else "")


def _hand_written(files: Files, src: str) -> bool:
    """Whether docs/ holds a page at ``src``: it hides the generated one, with a warning."""
    if files.get_file_from_path(src) is None:
        return False
    log.warning("docs/%s is hand-written and hides the generated page", src)
    return True


_PAGES_LOG = logging.getLogger("mkdocs.structure.pages")


def _quiet_left_out(record: logging.LogRecord) -> bool:
    """Drop MkDocs' note (below a warning) on a link to a page it was told to leave out:
    the digest writes or reuses those pages itself."""
    return record.levelno >= logging.WARNING or "excluded from the built site" not in str(
        record.msg)


def quiet_theme_search(config: MkDocsConfig) -> None:
    """Keep the theme's search plugin for what it adds to every page (the search box), but
    not its index: the digest writes its own (:mod:`digest.search_index`), which a reader
    downloads in small parts, while the theme's holds every word of every page in one file
    (50 MB at 30,000 articles) and every page of the build in memory. Its events after
    ``on_config`` are taken out of this build's event lists."""
    plugins = config.plugins
    search = next((p for name, p in plugins.items() if name in ("search", "material/search")),
                  None)
    if search is None:
        return
    for event, methods in plugins.events.items():
        if event != "config":
            methods[:] = [m for m in methods if getattr(m, "__self__", None) is not search]


def _labels_for(language: str) -> dict[str, str]:
    """The interface words of the site's language (``site.language``, any spelling)."""
    return labels(language_tag(language) or "en")


def translate_palette(palette: object, language: str) -> None:
    """The palette toggles named in English ("Dark mode": the digest's palette, or one in
    mkdocs.yml) read in the site's language; a name written otherwise stays as written."""
    words = _labels_for(language)
    translated = {CATALOG[key]["en"]: words[key] for key in THEME_KEYS}
    schemes = palette if isinstance(palette, list) else [palette]
    for scheme in schemes:
        toggle = scheme.get("toggle") if isinstance(scheme, dict) else None
        if isinstance(toggle, dict) and toggle.get("name") in translated:
            toggle["name"] = translated[toggle["name"]]


# the tab (its page) each kind of generated page outside the navigation is shown under
TABS = (("topics/", "topics/index.md"), ("articles/", "archive/index.md"),
        ("archive/", "archive/index.md"), ("tags/", "archive/index.md"))


def tab_of(src_uri: str) -> str | None:
    """The navigation page whose tab a generated page belongs to; None for any other."""
    return next((tab for prefix, tab in TABS if src_uri.startswith(prefix)
                 and src_uri != tab), None)


def theme_language(tag: str, theme_dirs: list[str]) -> str:
    """The theme's language for the site's language tag: the tag itself ("pt-BR") or its
    language ("en-GB" -> "en") where the theme has a translation for it, else English."""
    tag = language_tag(tag)
    have = {p.stem for d in theme_dirs for p in Path(d, "partials", "languages").glob("*.html")}
    for candidate in (tag, tag.split("-")[0]):
        if candidate in have:
            return candidate
    return "en"
