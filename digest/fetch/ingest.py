"""Feed and web-page sources to :class:`RawDocument` records, never failing the build.

For each ``rss``/``atom``/``jsonfeed``/``html`` source of feeds.yaml:

- a URL is fetched with a conditional GET using the validators kept in the
  cache, so an unchanged feed costs one request answered 304 and gives back the
  items kept from its last good fetch;
- a source that fails (DNS, timeout, 4xx/5xx, not a feed, broken XML) keeps
  the items of its last good fetch, and the build report says the error and
  since when it has been failing;
- with ``full_text: true``, items whose feed content is a teaser get the
  article text of their page (robots.txt permitting); when that fails the
  teaser stays and the report says why;
- every document is made valid text where it is made (:func:`made_valid`),
  before it is kept in the cache; what that changed is kept in its fields
  (``text_repairs``), so the report says it on every build that shows it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from digest.config import Config, SourceSettings
from digest.fetch.feeds import FeedError, FeedItem, item_id, parse_feed, word_count
from digest.fetch.fulltext import (
    ExtractorUnavailable,
    extract_article,
    is_teaser,
    require_extractor,
)
from digest.fetch.http import FetchError, PoliteClient, Validators
from digest.fetch.robots import RobotsRules
from digest.fetch.validators import FetchStore, SourceState
from digest.files import shown_path, source_files
from digest.filters import wanted
from digest.records import RawDocument, Skipped
from digest.urls import web_url
from digest.validtext import NotText, change, made_valid

log = logging.getLogger("digest")

FEED_ACCEPT = ("application/rss+xml, application/atom+xml, application/feed+json,"
               " application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.1")
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"


@dataclass(frozen=True)
class SourceResult:
    """What one source gave this build."""

    docs: tuple[RawDocument, ...]
    skipped: tuple[Skipped, ...] = ()
    state: SourceState | None = None  # what to remember for next build (URL sources)
    status: str = "read"  # "fetched", "not modified", "failing" or "read" (local files)
    new_items: bool = True  # False: the state keeps the items already in the cache
    notices: tuple[Skipped, ...] = ()  # items kept with a caveat (a teaser, not the full text)


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def read_fetched_sources(config: Config, sources: Sequence[SourceSettings],
                         client: PoliteClient | None = None,
                         now: Callable[[], str] = utc_now) -> dict[str, SourceResult]:
    """Every source of ``sources`` read (concurrently), by name; states saved in the cache.

    Never raises for a source's failure: that becomes a :class:`Skipped` entry.
    Without a cache (``cache: null``) every build fetches in full and a failing
    source has no last good items to keep.
    """
    own_client = client is None
    client = client or PoliteClient(config.fetch)
    store = _open_store(config)
    fetcher = Fetcher(config, client, now)
    try:
        previous = {s.name: store.load(s.name, state_key(s)) if store and s.url else None
                    for s in sources}
        with ThreadPoolExecutor(max_workers=max(1, min(config.fetch.concurrency, len(sources)))
                                ) as pool:
            results = dict(zip([s.name for s in sources],
                               pool.map(lambda s: fetcher.read(s, previous[s.name]), sources),
                               strict=True))
        counts = Counter(r.status for r in results.values())
        log.info("web sources: %s; %d requests", ", ".join(f"{n} {k}" for k, n in counts.items()),
                 client.requests)
        if store:
            store.save_many(((n, r.state) for n, r in results.items() if r.state is not None),
                            same_items=[n for n, r in results.items() if not r.new_items])
        return results
    finally:
        fetcher.close()
        if store:
            store.close()
        if own_client:
            client.close()


def _open_store(config: Config) -> FetchStore | None:
    if not config.cache:
        return None
    try:
        return FetchStore(config.cache)
    except sqlite3.Error as exc:  # the build goes on, without conditional GET or last good items
        log.warning("%s: cannot be used for fetch state (%s)", config.cache, exc)
        return None


def source_states(config: Config) -> dict[str, SourceState]:
    """What the cache remembers of each URL source of ``config`` (for the sources page):
    when it was last fetched and, while it fails, the error and since when."""
    if not config.cache or not Path(config.cache).exists():
        return {}
    with FetchStore(config.cache) as store:
        found = {s.name: store.load(s.name, state_key(s)) for s in config.sources if s.url}
    return {name: state for name, state in found.items() if state is not None}


def state_key(source: SourceSettings) -> str:
    """What the kept state depends on: the URL and the settings that shape the items."""
    shaping = json.dumps([source.type, source.include, source.exclude, source.full_text,
                          source.language])
    return f"{source.url} {hashlib.sha256(shaping.encode()).hexdigest()[:12]}"


class Fetcher:
    """Reads sources through one :class:`PoliteClient` (shared limits, shared robots.txt)."""

    def __init__(self, config: Config, client: PoliteClient,
                 now: Callable[[], str] = utc_now) -> None:
        self.config, self.client, self.now = config, client, now
        self.settings = config.fetch
        self.robots = RobotsRules(client)
        self.pages = ThreadPoolExecutor(max_workers=self.settings.concurrency)

    def close(self) -> None:
        self.pages.shutdown()

    def read(self, source: SourceSettings, previous: SourceState | None) -> SourceResult:
        """One source: a URL through the cache's validators, or local files. Never raises."""
        try:
            return self._read(source, previous)
        except Exception as exc:  # a bug or a library's surprise must not fail the whole build
            log.exception("source %s", source.name)
            error = f"unexpected {type(exc).__name__}: {exc}"
            if not source.url:
                return SourceResult((), (Skipped(source.where, error),))
            return self._failed(source, previous, error, self.now())

    def _read(self, source: SourceSettings, previous: SourceState | None) -> SourceResult:
        if not source.url:
            return self._read_files(source)
        now = self.now()
        try:
            page = source.type == "html"
            if page:
                require_extractor()  # before any request: a broken extractor costs no traffic
                if not self.robots.allowed(source.url):
                    raise FetchError("robots.txt disallows fetching this page")
            response = self.client.get(source.url, previous.validators if previous else None,
                                       accept=PAGE_ACCEPT if page else FEED_ACCEPT,
                                       allowed=self.robots.allowed if page else None)
            if response.redirects:
                log.warning("%s: %s redirects to %s; consider updating feeds.yaml",
                            source.where, source.url, response.url)
            if response.not_modified:
                if previous is None:
                    raise FetchError("HTTP 304 to a request that was not conditional")
                docs = _restamp(previous.items, source)
                return SourceResult(docs, (),
                                    replace(previous, fetched_at=now, error="", failing_since=""),
                                    "not modified", new_items=False, notices=_notes(docs))
            docs, refused, feed_notes = self._documents(
                source, response.body, response.url, source.url, previous.items if previous else (),
                content_type=response.content_type)
        except (FetchError, FeedError, ExtractorUnavailable) as exc:
            return self._failed(source, previous, str(exc), now)
        state = SourceState(state_key(source), response.validators, docs, now)
        return SourceResult(docs, refused, state, "fetched", notices=feed_notes + _notes(docs))

    def _failed(self, source: SourceSettings, previous: SourceState | None, error: str,
                now: str) -> SourceResult:
        since = previous.failing_since if previous and previous.failing_since else now
        kept = _restamp(previous.items, source) if previous else ()
        reason = f"failing since {since}: {error}"
        if kept and previous:
            reason += f"; kept {len(kept)} items from the last good fetch ({previous.fetched_at})"
        state = SourceState(state_key(source), previous.validators if previous else Validators(),
                            kept, previous.fetched_at if previous else "", error, since)
        return SourceResult(kept, (Skipped(source.url, reason),), state, "failing",
                            new_items=previous is None, notices=_notes(kept))

    def _read_files(self, source: SourceSettings) -> SourceResult:
        docs: list[RawDocument] = []
        skipped: list[Skipped] = []
        notes: list[Skipped] = []
        for path in source_files(self.config.root, source):
            shown = shown_path(self.config.root, path)
            try:
                size = path.stat().st_size
                if size > self.settings.max_bytes:
                    raise FeedError(f"file is {size:,} bytes, over the"
                                    f" {self.settings.max_bytes:,} limit")
                found, refused, feed_notes = self._documents(source, path.read_bytes(), "",
                                                             shown, (), path)
            except (OSError, FeedError, ExtractorUnavailable) as exc:
                skipped.append(Skipped(shown, str(exc)))
                continue
            docs.extend(found)
            skipped.extend(refused)
            notes.extend(feed_notes)
        return SourceResult(tuple(docs), tuple(skipped), notices=(*notes, *_notes(docs)))

    def _documents(self, source: SourceSettings, body: bytes, base_url: str, origin: str,
                   previous: Iterable[RawDocument], path: Path | None = None,
                   content_type: str = ""
                   ) -> tuple[tuple[RawDocument, ...], tuple[Skipped, ...], tuple[Skipped, ...]]:
        """The documents in one fetched body (a feed, or a page for ``html`` sources), the
        items that are not text (skipped), and notices about the body as a whole (characters
        XML forbids, removed before parsing). ``content_type`` is the HTTP header's, whose
        charset names the feed's encoding."""
        if source.type == "html":
            return (self._page_document(source, body, base_url, origin, path),), (), ()
        feed = parse_feed(body, base_url, content_type=content_type)
        notes = tuple(Skipped(origin, f"the feed's XML, before parsing: {change(kind, count)}")
                      for kind, count in feed.repairs)
        if feed.guessed_encoding:
            notes += (Skipped(origin, "no encoding declared (no byte order mark, XML"
                                      " declaration or HTTP charset) and not UTF-8: read as"
                                      f" {feed.guessed_encoding}, the encoding its words read"
                                      " most naturally in"),)
        docs: list[RawDocument] = []
        refused: list[Skipped] = []
        for item in feed.items:
            try:
                doc = _item_document(source, item, origin, feed.language)
            except NotText as exc:
                refused.append(Skipped(web_url(item.url) or f"{origin}#{item.key}", str(exc)))
                continue
            if wanted(doc, source.include, source.exclude):
                docs.append(doc)
        if source.full_text:
            before = {d.id: d for d in previous}
            docs = list(self.pages.map(lambda d: self._with_full_text(d, before.get(d.id)), docs))
        return tuple(docs), tuple(refused), notes

    def _page_document(self, source: SourceSettings, body: bytes, base_url: str, origin: str,
                       path: Path | None) -> RawDocument:
        page = extract_article(body, base_url or None)
        if page is None:
            raise FeedError("no article text found in the page")
        key = path.stem if path else item_id(base_url or origin)
        fields = {"title": page.title, "date": page.date, "byline": page.byline,
                  "language": source.language or page.language, "image": page.image}
        if base_url:
            fields["url"] = base_url
        # the cleaner reads the extracted text, in the scraped-file shape it knows
        try:
            return made_valid(RawDocument(f"{source.name}/{key}", source.name, origin,
                                          text=page.as_scraped_text(), fields=fields,
                                          priority=source.priority), page.repairs)
        except NotText as exc:
            raise FeedError(str(exc)) from None

    def _with_full_text(self, doc: RawDocument, before: RawDocument | None) -> RawDocument:
        """``doc`` with its page's article text if its body is a teaser; else as it was."""
        body = list(doc.fields.get("body") or [])
        url = doc.fields.get("url") or ""
        if not url or not is_teaser(body, self.settings.teaser_words):
            return doc
        digest = _hash(body)
        if (before is not None and before.fields.get("teaser_sha") == digest
                and "full_text_problem" not in before.fields):
            return replace(doc, fields=before.fields)  # same teaser, page already fetched
        fields: dict[str, Any] = {**doc.fields, "teaser_sha": digest}
        problem = ""
        page_repairs: tuple[tuple[str, int], ...] = ()
        try:
            require_extractor()  # before any request: a broken extractor costs no traffic
            if not self.robots.allowed(url):
                raise FetchError("robots.txt disallows fetching the page")
            response = self.client.get(url, accept=PAGE_ACCEPT, allowed=self.robots.allowed)
            page = extract_article(response.body, response.url)
            if page is None:
                problem = "no article text found in the page"
            elif word_count(page.paragraphs) <= word_count(body):
                problem = "the page has no more text than the feed"
            else:
                fields["body"] = list(page.paragraphs)
                fields["full_text"] = response.url
                page_repairs = page.repairs
        except (FetchError, ExtractorUnavailable) as exc:
            problem = str(exc)
        if not problem:
            try:
                return made_valid(replace(doc, fields=fields), page_repairs)
            except NotText as exc:
                problem = f"the page is {exc}"
        return replace(doc, fields={**doc.fields, "teaser_sha": digest,
                                    "full_text_problem": problem})


def _item_document(source: SourceSettings, item: FeedItem, origin: str,
                   feed_language: str) -> RawDocument:
    fields: dict[str, Any] = {"title": item.title, "body": list(item.body), "date": item.date,
                              "url": web_url(item.url) or None, "byline": item.byline,
                              "related": list(item.related),
                              "language": source.language or item.language or feed_language,
                              "image": item.image}
    return made_valid(RawDocument(f"{source.name}/{item_id(item.key)}", source.name,
                                  web_url(item.url) or f"{origin}#{item.key}", fields=fields,
                                  priority=source.priority))



def _notes(docs: Iterable[RawDocument]) -> tuple[Skipped, ...]:
    """Report lines for items that kept their teaser because the full text failed."""
    return tuple(Skipped(d.origin, f"full text unavailable ({d.fields['full_text_problem']});"
                                   " kept the feed's teaser")
                 for d in docs if d.fields.get("full_text_problem"))


def _restamp(docs: Iterable[RawDocument], source: SourceSettings) -> tuple[RawDocument, ...]:
    """Kept documents with the source's current priority (feeds.yaml may have been reordered)."""
    return tuple(d if d.priority == source.priority else replace(d, priority=source.priority)
                 for d in docs)


def _hash(paragraphs: Sequence[str]) -> str:
    return hashlib.sha256("\n".join(paragraphs).encode("utf-8", "surrogatepass")).hexdigest()[:16]

