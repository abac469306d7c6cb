"""The MkDocs door: a thin plugin that runs the pipeline and adds the pages it makes.

``mkdocs.yml`` names it as ``digest``; its settings (the path of ``feeds.yaml``,
the number of parallel jobs, whether to use the cache) are declared once here
and validated by MkDocs. Generated pages are MkDocs "generated" files, so
``docs/`` keeps only hand-written pages, and every page but the few listed in
:data:`digest.site.NAV_PAGES` is kept out of the navigation.
"""

from __future__ import annotations

import glob
import json
import logging
import os
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from digest.config import Config, ConfigError, load_config
from digest.pipeline import StageTimes, build_digest
from digest.records import Digest, to_json
from digest.site import NAV_PAGES, render_pages

log = logging.getLogger("mkdocs.plugins.digest")
REPORT_FILE = "report.json"
FEEDS_ENV = "DIGEST_FEEDS"  # overrides the plugin's `feeds` option (used by `digest serve`)


class DigestPluginConfig(base.Config):
    feeds = c.Type(str, default="feeds.yaml")  # relative to mkdocs.yml
    jobs = c.Optional(c.Type(int))  # per-article workers; default: all cores
    cache = c.Type(bool, default=True)  # keep per-article results in the feeds.yaml cache file


class DigestPlugin(BasePlugin[DigestPluginConfig]):
    feeds: Config
    digest: Digest | None = None
    times: StageTimes

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
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        self.times = StageTimes()
        self.digest = build_digest(self.feeds, jobs=self.config.jobs, use_cache=self.config.cache,
                                   times=self.times)
        with self.times.timed("pages"):
            pages = render_pages(self.digest, self.feeds)
        for src, markdown in pages.items():
            if files.get_file_from_path(src) is not None:
                log.warning("docs/%s is hand-written and hides the generated page", src)
                continue
            inclusion = InclusionLevel.INCLUDED if src in NAV_PAGES else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, src, content=markdown, inclusion=inclusion))
        return files

    def on_serve(self, server: LiveReloadServer, config: MkDocsConfig,
                 builder: object) -> LiveReloadServer:
        """Rebuild when feeds.yaml or any source file changes."""
        server.watch(str(self.feeds.path))
        for source in self.feeds.sources:
            pattern = os.path.join(self.feeds.root, source.path)
            fixed = pattern.split("*", 1)[0].split("?", 1)[0].split("[", 1)[0]
            folder = fixed if os.path.isdir(fixed) else os.path.dirname(fixed)
            if folder and os.path.exists(folder) and not glob.has_magic(folder):
                server.watch(folder)
        return server

    def on_post_build(self, config: MkDocsConfig) -> None:
        """Write the build report (what went in, what was skipped) beside the site."""
        if self.digest is None:
            return
        d = self.digest
        report = {
            "built": d.built,
            "articles": len(d.articles),
            "duplicates": len(d.duplicates),
            "topics": len(d.topics),
            "skipped": to_json(d.skipped),
            "seconds": {k: round(v, 3) for k, v in self.times.seconds.items()},
        }
        Path(config.site_dir, REPORT_FILE).write_text(
            json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
        for s in d.skipped:
            log.warning("skipped %s: %s", s.origin, s.reason)
