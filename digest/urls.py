"""The one URL policy for every link the digest writes or keeps: http(s) to a host, or nothing.

Every output that carries a URL from a source or from ``feeds.yaml`` (article
pages, Atom, RSS, JSON Feed, OPML, the configuration itself) asks
:func:`web_url`. Guarantees: a URL it returns begins with ``http://`` or
``https://`` in any case, names a host, and holds no control character and no
whitespace but the space, so a browser, a feed reader and :mod:`urllib` all
read the same scheme from it. Anything else (``javascript:``, ``data:``,
``vbscript:``, schemes hidden behind spaces, tabs, control characters or
character references, relative or host-less URLs) gives ``None``, and the
caller leaves the link out rather than rewrite it. A plain space inside is
kept: sloppy feeds write one in a path, and every writer escapes it.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

WEB_SCHEMES = ("http", "https")
# what browsers strip from both ends of a URL before reading it (C0 controls and space),
# plus the Unicode spaces str.strip() knows
_EDGES = "".join(map(chr, range(0x21))) + "\x7f"
# C0, DEL, C1 controls and any whitespace but the space: browsers drop tabs and newlines
# inside a URL ("java\tscript:"), so a URL holding one could mean another scheme than it shows
_INSIDE = re.compile(r"[\x00-\x1f\x7f-\x9f]|[^\S ]")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")


def web_url(value: object) -> str | None:
    """``value`` without its surrounding spaces if it is an http(s) URL naming a host;
    otherwise None (see the module's guarantees)."""
    if not isinstance(value, str):
        return None
    url = value.strip(_EDGES).strip()
    scheme = _SCHEME.match(url)
    if not scheme or scheme.group(1).lower() not in WEB_SCHEMES or _INSIDE.search(url):
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:  # e.g. an unclosed "[" of an IPv6 address
        return None
    return url if host else None
