"""Where each generated page lives: stable, unique, readable, safe paths.

A page path is built only from ``[a-z0-9-]`` slugs and ISO dates, so no title
can climb out of the output folder, and the same article keeps its URL from
one build to the next.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable

from unidecode import unidecode

from digest.records import Article, Topic

FEED_FILES = {"Atom": "atom.xml", "RSS": "rss.xml", "JSON Feed": "feed.json"}  # in a feed folder
SLUG_MAX = 70  # characters; long enough to read, short enough for any file system
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# slugs that would land on one of the site's own pages: in MkDocs, folder/index.md is the
# folder's page (tags/index.md is the tag index)
RESERVED_SLUGS = frozenset({"index"})


def slugify(title: str, fallback: str = "article") -> str:
    """``[a-z0-9-]`` only, at most SLUG_MAX characters, cut at a word boundary.

    Other scripts are transliterated ("Київ" -> "kyiv"), so Cyrillic titles
    get readable slugs.
    """
    # apostrophes (and the soft sign, which unidecode writes as one) join, not split, words
    slug = _NOT_SLUG.sub("-", unidecode(title).replace("'", "").lower()).strip("-")
    if len(slug) > SLUG_MAX:
        slug = slug[:SLUG_MAX].rsplit("-", 1)[0] or slug[:SLUG_MAX]
    return slug or fallback


_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def is_slug(text: object) -> bool:
    """Whether ``text`` is a slug a page may be named by: ``[a-z0-9]`` runs joined by
    single hyphens, none reserved (what :func:`slugify` and :func:`free_slug` give)."""
    return (isinstance(text, str) and len(text) <= SLUG_MAX + 16
            and _SLUG.fullmatch(text) is not None and text not in RESERVED_SLUGS)


def free_slug(slug: str, taken: Container[str]) -> str:
    """``slug`` itself unless it is reserved (:data:`RESERVED_SLUGS`); then
    ``<slug>-tag``, ``<slug>-tag-2``, ...: the first not in ``taken``."""
    if slug not in RESERVED_SLUGS:
        return slug
    base = candidate = f"{slug}-tag"
    n = 1
    while candidate in taken or candidate in RESERVED_SLUGS:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def day_folder(date: str | None) -> str:
    return date if date and _ISO_DATE.match(date) else "undated"


class SitePaths:
    """The source path (``.md``, relative to docs) of every generated page."""

    front = "index.md"
    topics_index = "topics/index.md"
    archive_index = "archive/index.md"
    sources = "sources.md"
    report = "report.md"
    tags_index = "tags/index.md"

    def __init__(self, articles: Iterable[Article], topics: Iterable[Topic]) -> None:
        self._articles: dict[str, str] = {}
        taken: set[str] = set()
        # sorted by id so that collisions resolve the same way in every build
        for article in sorted(articles, key=lambda a: a.id):
            base = f"articles/{day_folder(article.date)}/{slugify(article.title)}"
            path, n = f"{base}.md", 1
            while path in taken:
                n += 1
                path = f"{base}-{n}.md"
            taken.add(path)
            self._articles[article.id] = path
        self._topics = {t.id: f"topics/{slugify(t.id, 'topic')}.md" for t in topics}

    def article(self, article_id: str) -> str:
        return self._articles[article_id]

    def topic(self, topic_id: str, page: int = 1) -> str:
        """The topic's first page, or its ``page``-th page of older articles."""
        path = self._topics[topic_id]
        return path if page == 1 else f"{path[:-3]}/page-{page}.md"

    def topics_page(self, page: int = 1) -> str:
        """The topic index, or its ``page``-th page (topic ids end in a hash: no clash)."""
        return self.topics_index if page == 1 else f"topics/page-{page}.md"

    def feed_folder(self, topic_id: str | None = None) -> str:
        """The folder (relative to the site root, "" or ending in "/") of a feed's files:
        the site root for the whole digest, the topic page's folder for a topic."""
        return "" if topic_id is None else self._topics[topic_id][:-3] + "/"

    @staticmethod
    def tag(slug: str) -> str:
        return f"tags/{slug}.md"

    @staticmethod
    def month(month: str) -> str:
        return f"archive/{month}.md"

    @staticmethod
    def day(date: str, page: int = 1) -> str:
        """The day's page, or its ``page``-th page of less covered stories."""
        return f"archive/{date}.md" if page == 1 else f"archive/{date}/page-{page}.md"


def url_of(page: str) -> str:
    """The URL (relative to the site root) MkDocs gives a page source path, with
    directory URLs: ``index.md`` -> ``""``, ``topics/a.md`` -> ``topics/a/``."""
    stem = page[:-3] if page.endswith(".md") else page
    if stem == "index" or stem.endswith("/index"):
        stem = stem[:-5]
    return stem if not stem or stem.endswith("/") else stem + "/"


def relative(from_page: str, to_page: str) -> str:
    """The link from one page's source path to another's, as MkDocs resolves it.

    Both are clean relative paths ("a/b.md", no "." or ".." parts), so this is
    plain string work (``posixpath.relpath`` asks the OS for the working folder
    on every call, which dominates at 10,000 pages).
    """
    base = from_page.split("/")[:-1]
    target = to_page.split("/")
    common = 0
    while common < len(base) and common < len(target) - 1 and base[common] == target[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + target[common:])
