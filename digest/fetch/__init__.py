"""Sources on the web and in feed files: polite HTTP, feeds, full text, OPML.

``http`` (the polite client), ``robots`` (robots.txt), ``validators`` (what the
cache keeps per source), ``feeds`` (feed parsing), ``fulltext`` (page to
article text), ``filters`` (keyword filters), ``ingest`` (sources to
documents), ``opml`` (import and export of feed lists).
"""

from digest.fetch.ingest import SourceResult, read_fetched_sources

__all__ = ["SourceResult", "read_fetched_sources"]
