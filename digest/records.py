"""The small typed records passed between stages.

Every record is a frozen dataclass of plain values (str, int, tuples), so it
pickles across a process pool, hashes, and serialises to JSON Lines with
:func:`to_json`. Stages add their results with :func:`dataclasses.replace`.
A :class:`RawDocument`'s structured ``fields`` are a JSON object as a source gave
it: compared, not hashed (its values may be lists), and never changed in place.
An :class:`Article` holds what the cleaner recovered as one :class:`Cleaned`
and reads its fields as its own (``article.title``, ``article.body``).
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
    # structured fields (jsonl, feeds); left out of the hash, which id, origin and text carry
    fields: Mapping[str, Any] = field(default_factory=dict, hash=False)
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
    language: str = ""  # as the feed, page or record gave it ("ur", "en-GB"); "" if none
    title_from_text: bool = False  # the source gave no title: made from the text (headline.py)
    image: str = ""  # the picture the feed or page names (an http(s) URL); never shown as is

    @property
    def text(self) -> str:
        """The body as one text, paragraphs separated by blank lines."""
        return "\n\n".join(self.body)


@dataclass(frozen=True)
class Copy:
    """A duplicate kept as "also in" on its canonical article."""

    id: str
    source: str
    title: str
    date: str | None
    url: str | None
    adds: tuple[str, ...] = ()  # paragraphs this copy has that the canonical lacks


@dataclass(frozen=True, init=False)
class Article:
    """One article: where it came from, what the cleaner recovered, and the results later
    stages attach.

    The cleaner's fields are read as the article's own (``article.title``, ``.date``,
    ``.body``...); they are given, and changed with :func:`dataclasses.replace`, by the same
    names: ``replace(article, date=None)`` is the article with an undated ``cleaned``.
    """

    id: str
    source: str
    origin: str
    cleaned: Cleaned
    url: str | None
    priority: int  # the source's position in feeds.yaml
    summary: tuple[str, ...]
    duplicate_of: str | None
    also_in: tuple[Copy, ...]
    topic: str | None

    def __init__(self, id: str, source: str, origin: str,
                 cleaned: Cleaned = Cleaned(),  # noqa: B008 - frozen
                 *, url: str | None = None, priority: int = 0, summary: tuple[str, ...] = (),
                 duplicate_of: str | None = None, also_in: tuple[Copy, ...] = (),
                 topic: str | None = None, **cleaned_fields: Any) -> None:
        if not isinstance(cleaned, Cleaned):  # Article(id, source, origin, "Title") was the
            raise TypeError(f"Article's fourth argument is a Cleaned, not {type(cleaned).__name__}"
                            "; give the cleaner's fields by name (title=...)")  # old order
        if cleaned_fields:  # Cleaned's own fields by name (TypeError for any other name)
            cleaned = dataclasses.replace(cleaned, **cleaned_fields)
        for name, value in (("id", id), ("source", source), ("origin", origin),
                            ("cleaned", cleaned), ("url", url), ("priority", priority),
                            ("summary", summary), ("duplicate_of", duplicate_of),
                            ("also_in", also_in), ("topic", topic)):
            object.__setattr__(self, name, value)

    @property
    def title(self) -> str:
        return self.cleaned.title

    @property
    def standfirst(self) -> str:
        return self.cleaned.standfirst

    @property
    def date(self) -> str | None:
        return self.cleaned.date

    @property
    def byline(self) -> str:
        return self.cleaned.byline

    @property
    def agency(self) -> str:
        return self.cleaned.agency

    @property
    def dateline(self) -> str:
        return self.cleaned.dateline

    @property
    def body(self) -> tuple[str, ...]:
        return self.cleaned.body

    @property
    def subheads(self) -> tuple[str, ...]:
        return self.cleaned.subheads

    @property
    def subhead_index(self) -> tuple[int, ...]:
        return self.cleaned.subhead_index

    @property
    def captions(self) -> tuple[str, ...]:
        return self.cleaned.captions

    @property
    def related(self) -> tuple[str, ...]:
        return self.cleaned.related

    @property
    def popular(self) -> tuple[str, ...]:
        return self.cleaned.popular

    @property
    def language(self) -> str:
        return self.cleaned.language

    @property
    def title_from_text(self) -> bool:
        return self.cleaned.title_from_text

    @property
    def image(self) -> str:
        return self.cleaned.image

    @property
    def text(self) -> str:
        """The body as one text, paragraphs separated by blank lines."""
        return self.cleaned.text


@dataclass(frozen=True)
class GroupItem:
    """The compact view of an article that grouping works from."""

    id: str
    title: str
    text: str
    date: str | None = None
    related: tuple[str, ...] = ()
    source: str = ""  # the feed it came from: related lists are judged per source


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
    # its articles' related titles as grouping resolved them: (article id, title, linked id)
    links: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class Skipped:
    """An input the build could not use, and why; listed in the build report."""

    origin: str
    reason: str
    source: str = ""  # the name in feeds.yaml of the source it is one of, when known


@dataclass(frozen=True)
class Picture:
    """An article's picture as the site publishes it: downloaded at build time, never
    linked from its publisher (:mod:`digest.fetch.images`)."""

    path: str  # relative to the site root: "images/<16 hex digits>.<png|jpg|gif|webp>"
    width: int  # pixels, as the image is shown (a JPEG's EXIF rotation applied)
    height: int


@dataclass(frozen=True)
class Digest:
    """Everything the site is made from."""

    articles: tuple[Article, ...]  # canonical articles only
    topics: tuple[Topic, ...]
    duplicates: tuple[Article, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    notices: tuple[Skipped, ...] = ()  # inputs kept with a caveat (e.g. an implausible date)
    built: str = ""  # ISO timestamp of the build
    # canonical article id -> its picture (``site.images``; empty when off)
    pictures: Mapping[str, Picture] = field(default_factory=dict, hash=False)
    # canonical article id -> its tags, (tag page slug, name) strongest first, as the freeze
    # rule decided them (:func:`digest.pipeline.decide_tags`); articles without are left out
    tags: Mapping[str, tuple[tuple[str, str], ...]] = field(default_factory=dict, hash=False)


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
    """A record (or tuple/list of records) as plain JSON-ready values; an
    :class:`Article` flat, its cleaner's fields beside its own, as it always was."""
    if isinstance(record, Article):
        own = {f.name: to_json(getattr(record, f.name)) for f in dataclasses.fields(record)}
        cleaned = own.pop("cleaned")
        return {**{k: own.pop(k) for k in ("id", "source", "origin")}, **cleaned, **own}
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        return {f.name: to_json(getattr(record, f.name)) for f in dataclasses.fields(record)}
    if isinstance(record, (tuple, list)):
        return [to_json(x) for x in record]
    if isinstance(record, Mapping):
        return {str(k): to_json(v) for k, v in record.items()}
    return record
