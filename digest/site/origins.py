"""Which source of feeds.yaml a report entry belongs to, and report entries grouped by it.

A report entry names its source when the build knew it; else its origin (a
path, "file:line", a URL, or the source's own place in feeds.yaml) tells. The
sources page counts each source's skipped inputs by it, and the build report
and the terminal group them by it and by reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from fnmatch import fnmatch

from digest.config import SourceSettings
from digest.records import Article, Skipped

OTHER = "Other inputs"  # the label of origins no source of feeds.yaml claims
_LINE = re.compile(r":\d+(:\d+)?$")  # "wire.jsonl:12", "feeds.yaml:12:5"


def belongs(origin: str, source: SourceSettings) -> bool:
    """Whether ``origin`` is one of ``source``'s inputs."""
    if origin == source.where or (source.url and origin.startswith(source.url)):
        return True
    return bool(source.path) and fnmatch(_LINE.sub("", origin), source.path)


def source_finder(sources: Sequence[SourceSettings],
                  made: Iterable[Article]) -> Callable[[Skipped], str]:
    """The label of the source a report entry belongs to: the source it names, else the
    source of the article ``made`` from its origin, else the source whose URL, path or place
    in feeds.yaml its origin matches, else :data:`OTHER`."""
    labels = {s.name: s.label for s in sources}
    source_by_origin = {a.origin: a.source for a in made}

    def source_of(entry: Skipped) -> str:
        if entry.source in labels:
            return labels[entry.source]
        if source_by_origin.get(entry.origin) in labels:
            return labels[source_by_origin[entry.origin]]
        return next((s.label for s in sources if belongs(entry.origin, s)), OTHER)

    return source_of


@dataclass(frozen=True)
class Group:
    """Report entries of one source that share one reason."""

    source: str  # the source's label, or OTHER
    reason: str
    origins: tuple[str, ...]


def grouped(entries: Iterable[Skipped], sources: Sequence[SourceSettings],
            made: Iterable[Article] = ()) -> list[Group]:
    """``entries`` grouped by source (in feeds.yaml order, :data:`OTHER` last) and, within
    a source, by reason (in the order first met): what the terminal and the build report
    say first, before any one input."""
    source_of = source_finder(sources, made)
    groups: dict[str, dict[str, list[str]]] = {}
    for entry in entries:
        groups.setdefault(source_of(entry), {}).setdefault(entry.reason, []).append(
            entry.origin)
    place = {s.label: i for i, s in enumerate(sources)}
    return [Group(source, reason, tuple(origins))
            for source in sorted(groups, key=lambda s: (s == OTHER, place.get(s, len(place))))
            for reason, origins in groups[source].items()]
