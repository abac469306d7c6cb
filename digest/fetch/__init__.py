"""Sources on the web and in feed files: polite HTTP, feeds, full text, OPML.

``http`` (the polite client), ``robots`` (robots.txt), ``validators`` (what the
cache keeps per source), ``feeds`` (feed parsing), ``fulltext`` (page to
article text), ``filters`` (keyword filters), ``ingest`` (sources to
documents), ``opml`` (import and export of feed lists).

The names below are imported on first use, so that ``digest.fetch.filters``
(used for every source) does not load httpx, feedparser and trafilatura.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {"SourceResult": "ingest", "read_fetched_sources": "ingest",
            "source_states": "ingest", "opml_document": "opml"}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"digest.fetch.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module 'digest.fetch' has no attribute {name!r}")
