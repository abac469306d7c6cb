"""Sources on the web and in feed files: polite HTTP, feeds, full text, OPML.

``http`` (the polite client), ``transport`` (checked connections), ``addresses``
(which hosts may be reached), ``decoding`` (bodies as text), ``robots``
(robots.txt), ``validators`` (what the cache keeps per source), ``feeds`` (feed
parsing), ``fulltext`` (page to article text), ``ingest`` (sources to
documents), ``opml`` (import and export of feed lists), ``images`` (the pictures
feeds name, downloaded for the site).

Import the module you need: the package itself imports nothing, so the sources
side of a build without web sources never loads httpx, feedparser or trafilatura.
"""
