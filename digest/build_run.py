"""The hand-off between ``digest build`` and the MkDocs plugin: one request in, one result out.

``digest build`` states what it asks of one MkDocs build in a :class:`BuildRequest`
and gives it to the plugin once, before the build starts; the plugin hands back a
:class:`BuildResult` when the build has finished. Neither side sets or reads the
other's attributes. A plain ``mkdocs build`` gives no request: the plugin then
builds with the defaults of :class:`BuildRequest` and its own ``lock_wait`` option
(messages to the log, no progress bars, every page rendered).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from digest.lock import LOCK_WAIT
from digest.per_article import Progress
from digest.records import BuildSummary, to_json

log = logging.getLogger("mkdocs.plugins.digest")


@dataclass(frozen=True)
class BuildRequest:
    """What the caller asks of one build.

    ``site_target`` is the folder the build publishes (``digest build`` renders
    beside it and swaps the result in); its lock and the cache's are held from
    the start of the build to its end. ``previous_site`` with its ``ledger``
    (see :mod:`digest.incremental`) lets unchanged pages be copied, not rendered.
    """

    site_target: Path | None = None  # None: MkDocs' own site_dir
    previous_site: Path | None = None  # None: every page is rendered
    ledger: Mapping[str, Sequence[Any]] = field(default_factory=dict)  # of previous_site
    layout: Mapping[str, str] = field(default_factory=dict)  # previous_site's layout parts
    progress: Progress | None = None  # draws progress bars; None: none
    # where "waiting for another build" and "every page is made again" go
    say: Callable[[str], None] = log.info
    lock_wait: float = LOCK_WAIT  # seconds to wait for another build of the site or cache
    executor: str = ""  # a Dask scheduler for the per-article work; "": feeds.yaml's executor


@dataclass(frozen=True)
class BuildResult:
    """What one finished build made: read by ``digest build``, written as the build report."""

    summary: BuildSummary
    page_keys: Mapping[str, str]  # each published page or file -> its key, for the ledger
    seconds: Mapping[str, float]  # per stage, MkDocs' own rendering included
    reused: tuple[str, ...] = ()  # files copied from the previous site (site-relative)
    pages_reused: int = 0  # how many of ``reused`` are pages (the rest are feeds and such)
    # the build process's peak resident memory (MB) as each stage ended: where a peak is made
    peak_mb: Mapping[str, int] = field(default_factory=dict)
    layout: Mapping[str, str] = field(default_factory=dict)  # for the ledger: layout_parts

    def report(self) -> dict[str, Any]:
        """The build report: what went in, what was skipped, what was reused, stage times."""
        d = self.summary
        return {
            "built": d.built,
            "articles": d.articles,
            "duplicates": d.duplicates,
            "topics": d.topics,
            "skipped": to_json(d.skipped),
            "notices": to_json(d.notices),
            "pages_reused": self.pages_reused,
            "files_reused": len(self.reused) - self.pages_reused,
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
            "peak_mb": dict(self.peak_mb),
        }
