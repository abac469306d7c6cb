"""Which source of feeds.yaml a skipped input belongs to, from its origin alone.

An origin is a path, "file:line", a URL, or the source's own place in
feeds.yaml; the sources page counts each source's skipped inputs by it and
the build report groups them by it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from fnmatch import fnmatch

from digest.config import SourceSettings
from digest.records import Article

OTHER = "Other inputs"  # the label of origins no source of feeds.yaml claims
_LINE = re.compile(r":\d+(:\d+)?$")  # "wire.jsonl:12", "feeds.yaml:12:5"


def belongs(origin: str, source: SourceSettings) -> bool:
    """Whether ``origin`` is one of ``source``'s inputs."""
    if origin == source.where or (source.url and origin.startswith(source.url)):
        return True
    return bool(source.path) and fnmatch(_LINE.sub("", origin), source.path)


def source_finder(sources: Sequence[SourceSettings],
                  made: Iterable[Article]) -> Callable[[str], str]:
    """The label of the source an origin belongs to: the source of the article ``made`` from
    it, else the source whose URL, path or place in feeds.yaml it matches, else
    :data:`OTHER`."""
    labels = {s.name: s.label for s in sources}
    source_by_origin = {a.origin: a.source for a in made}

    def source_of(origin: str) -> str:
        if source_by_origin.get(origin) in labels:
            return labels[source_by_origin[origin]]
        return next((s.label for s in sources if belongs(origin, s)), OTHER)

    return source_of
