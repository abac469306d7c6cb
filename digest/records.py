"""The small typed records passed between stages.

Every record is a frozen dataclass of plain values (str, int, tuples), so it
pickles across a process pool, hashes, and serialises to JSON Lines with
:func:`to_json`. Stages add their results with :func:`dataclasses.replace`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RawDocument:
    """One input exactly as a source delivered it, before any cleaning."""

    id: str  # stable across builds: "<source>/<relative path>" or "<source>/<record id>"
    source: str  # the feed's name in feeds.yaml
    origin: str  # where it came from: a file path, "file.jsonl:12", or a URL
    text: str = ""  # raw page text, for sources that deliver scraped text
    fields: Mapping[str, Any] = field(default_factory=dict)  # structured fields (jsonl, feeds)
    priority: int = 0  # the source's position in feeds.yaml; lower wins ties in dedupe


@dataclass(frozen=True)
class Cleaned:
    """What the cleaner recovers from one scraped page.

    ``body`` holds every paragraph once, in order, without subheads;
    ``subhead_index[i]`` is the body position before which ``subheads[i]``
    stands, so the article can be laid out again.
    """

    title: str = ""
    standfirst: str = ""
    date: str | None = None  # YYYY-MM-DD
    byline: str = ""
    agency: str = ""
    dateline: str = ""
    body: tuple[str, ...] = ()
    subheads: tuple[str, ...] = ()
    subhead_index: tuple[int, ...] = ()
    captions: tuple[str, ...] = ()
    related: tuple[str, ...] = ()  # Related / More-from blocks and inline "read more" titles
    popular: tuple[str, ...] = ()  # Most Read / Trending / Editor's picks titles


@dataclass(frozen=True)
class Copy:
    """A duplicate kept as "also in" on its canonical article."""

    id: str
    source: str
    title: str
    date: str | None
    url: str | None
    adds: tuple[str, ...] = ()  # paragraphs this copy has that the canonical lacks


@dataclass(frozen=True)
class Article:
    """One article after cleaning, with the results later stages attach."""

    id: str
    source: str
    origin: str
    title: str
    date: str | None = None
    url: str | None = None
    standfirst: str = ""
    byline: str = ""
    agency: str = ""
    dateline: str = ""
    body: tuple[str, ...] = ()
    subheads: tuple[str, ...] = ()
    subhead_index: tuple[int, ...] = ()
    captions: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    popular: tuple[str, ...] = ()
    priority: int = 0
    summary: tuple[str, ...] = ()
    duplicate_of: str | None = None
    also_in: tuple[Copy, ...] = ()
    topic: str | None = None

    @property
    def text(self) -> str:
        """The body as one text, paragraphs separated by blank lines."""
        return "\n\n".join(self.body)


@dataclass(frozen=True)
class GroupItem:
    """The compact view of an article that grouping works from."""

    id: str
    title: str
    text: str
    date: str | None = None
    related: tuple[str, ...] = ()


@dataclass(frozen=True)
class TopicSentence:
    """A topic-summary sentence and the article it was taken from."""

    text: str
    article_id: str


@dataclass(frozen=True)
class Topic:
    """A story followed across articles."""

    id: str  # stable across daily rebuilds while the story grows
    name: str
    article_ids: tuple[str, ...]  # the timeline: oldest first
    summary: tuple[TopicSentence, ...] = ()


@dataclass(frozen=True)
class Skipped:
    """An input the build could not use, and why; listed in the build report."""

    origin: str
    reason: str


@dataclass(frozen=True)
class Digest:
    """Everything the site is made from."""

    articles: tuple[Article, ...]  # canonical articles only
    topics: tuple[Topic, ...]
    duplicates: tuple[Article, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    notices: tuple[Skipped, ...] = ()  # inputs kept with a caveat (e.g. an implausible date)
    built: str = ""  # ISO timestamp of the build


@dataclass(frozen=True)
class BuildSummary:
    """What a build made, without the articles: the report and the closing line need no more,
    and the site build need not hold every article in memory while MkDocs renders."""

    built: str
    articles: int  # published (canonical) articles
    duplicates: int
    topics: int
    skipped: tuple[Skipped, ...] = ()
    notices: tuple[Skipped, ...] = ()

    @classmethod
    def of(cls, digest: Digest) -> BuildSummary:
        return cls(digest.built, len(digest.articles), len(digest.duplicates),
                   len(digest.topics), digest.skipped, digest.notices)


def to_json(record: Any) -> Any:
    """A record (or tuple/list of records) as plain JSON-ready values."""
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        return {f.name: to_json(getattr(record, f.name)) for f in dataclasses.fields(record)}
    if isinstance(record, (tuple, list)):
        return [to_json(x) for x in record]
    if isinstance(record, Mapping):
        return {str(k): to_json(v) for k, v in record.items()}
    return record
