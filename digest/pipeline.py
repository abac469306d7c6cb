"""The pipeline: ``sources -> clean -> dedupe -> summarize -> group``, composed.

Per-article work (clean, summarise, fingerprint) is one pure function,
:func:`process`, mapped over documents through a ``concurrent.futures``
executor and cached by content; the corpus-wide steps (dedupe, group, topic
summaries) then work from the compact per-article results.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import multiprocessing
import os
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from digest.cache import Cache, key_for
from digest.clean import clean_text
from digest.clean.furniture import PageLines, learn_from_pages, read_page
from digest.config import Config
from digest.dedupe import (
    FINGERPRINT_KEY,
    Candidate,
    Fingerprint,
    copy_adds,
    find_duplicates,
    fingerprint,
)
from digest.group import ItemFeatures, group_articles, item_features
from digest.records import (
    Article,
    Cleaned,
    Copy,
    Digest,
    GroupItem,
    RawDocument,
    Skipped,
    Topic,
    TopicSentence,
)
from digest.sources import read_sources
from digest.summarize import summarize, summarize_topic
from digest.text import paragraphs
from digest.workers import die_with_parent

log = logging.getLogger("digest")

EARLIEST_DATE = "1990-01-01"  # older dates on news pages are parse accidents (e.g. the 1970 epoch)
FUTURE_DAYS = 2  # a date this far past the build (time zones, embargoes) is taken as an error
SERIAL_BELOW = 24  # documents; fewer than this run in-process (a pool costs more than it saves)
_ISO_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")


@dataclass(frozen=True)
class Processed:
    """The per-article results: what the cache keeps for one document."""

    article: Article | None
    fingerprint: bytes = b""
    problem: str = ""  # why the document gave no article


# every record class a cached value holds: the cache decodes rows into these and no other
CACHED_RECORDS = (Processed, Article, Copy, Topic, TopicSentence, PageLines, ItemFeatures)


@dataclass
class StageTimes:
    seconds: dict[str, float] = field(default_factory=dict)

    def timed(self, stage: str) -> _Timer:
        return _Timer(self, stage)


class _Timer:
    def __init__(self, times: StageTimes, stage: str) -> None:
        self.times, self.stage = times, stage

    def __enter__(self) -> None:
        self.start = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        spent = time.perf_counter() - self.start
        self.times.seconds[self.stage] = self.times.seconds.get(self.stage, 0.0) + spent


# --- per article -----------------------------------------------------------------------

def from_fields(fields: Mapping[str, Any]) -> Cleaned:
    """A structured record (JSON Lines, feeds) as the cleaner's output."""
    def string(key: str) -> str:
        value = fields.get(key)
        return value.strip() if isinstance(value, str) else ""

    def strings(key: str) -> tuple[str, ...]:
        value = fields.get(key)
        if not isinstance(value, list):
            return ()
        return tuple(v.strip() for v in value if isinstance(v, str) and v.strip())

    body = strings("body") or tuple(paragraphs(string("text")))
    date_match = _ISO_DATE.match(string("date"))
    return Cleaned(title=string("title"), standfirst=string("standfirst"),
                   date=date_match.group(1) if date_match else None, byline=string("byline"),
                   agency=string("agency"), dateline=string("dateline"), body=body,
                   related=strings("related"), popular=strings("popular"))


def clean_document(doc: RawDocument, furniture: frozenset[str] = frozenset()) -> Cleaned:
    """Clean one document: scraped text through the cleaner, structured fields as given."""
    if doc.text:
        return clean_text(doc.text, furniture)
    return from_fields(doc.fields)


def process(doc: RawDocument, furniture: frozenset[str], sentences: int) -> Processed:
    """Clean, summarise and fingerprint one document. Pure; safe to run in any process.

    Never raises for a document: one that defeats a stage (a bug, met on input nobody
    foresaw) gives no article and a problem naming the error, which the build report
    lists under that document, and the build goes on.
    """
    try:
        return _process(doc, furniture, sentences)
    except ImportError:
        raise  # a broken install, not a bad document: the door says it once
    except Exception as exc:  # reported per document, never swallowed
        error = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
        return Processed(None, problem=f"could not be processed ({error}); please report this")


def _process(doc: RawDocument, furniture: frozenset[str], sentences: int) -> Processed:
    cleaned = clean_document(doc, furniture)
    if not cleaned.body:
        return Processed(None, problem="no article text recognised")
    url = doc.fields.get("url") if isinstance(doc.fields.get("url"), str) else None
    article = Article(
        id=doc.id, source=doc.source, origin=doc.origin, url=url, priority=doc.priority,
        title=cleaned.title or "Untitled", date=cleaned.date, standfirst=cleaned.standfirst,
        byline=cleaned.byline, agency=cleaned.agency, dateline=cleaned.dateline,
        body=cleaned.body, subheads=cleaned.subheads, subhead_index=cleaned.subhead_index,
        captions=cleaned.captions, related=cleaned.related, popular=cleaned.popular)
    article = replace(article, summary=tuple(summarize(article.text, sentences)))
    return Processed(article, fingerprint(article.body).to_bytes())


def _process_many(batch: Sequence[tuple[RawDocument, frozenset[str]]],
                  sentences: int) -> list[Processed]:
    return [process(doc, furniture, sentences) for doc, furniture in batch]


Progress = Callable[[str, int, int], None]  # (stage, done, total)


def map_documents(docs: Sequence[RawDocument], furniture: Mapping[str, frozenset[str]],
                  sentences: int, executor: Executor | None = None,
                  jobs: int | None = None, progress: Progress | None = None) -> list[Processed]:
    """:func:`process` over ``docs``, in order, on an executor (a process pool by default).

    The result does not depend on the executor or the number of jobs.
    """
    work = [(doc, furniture.get(doc.source, frozenset())) for doc in docs]
    run = functools.partial(_process_many, sentences=sentences)
    jobs = jobs or os.cpu_count() or 1
    serial = executor is None and (jobs == 1 or len(work) < SERIAL_BELOW)
    size = 1 if serial else max(1, min(64, len(work) // (jobs * 4) or 1))
    batches = [work[i:i + size] for i in range(0, len(work), size)]
    out: list[Processed] = []

    def collect(parts: Iterable[list[Processed]]) -> list[Processed]:
        for part in parts:
            out.extend(part)
            if progress:
                progress("clean+summarize", len(out), len(work))
        return out

    if serial:
        return collect(map(run, batches))
    if executor is not None:
        return collect(executor.map(run, batches))
    context = multiprocessing.get_context()
    # workers die with the build (a fork server's children: with the fork server)
    parent = None if context.get_start_method() == "forkserver" else os.getpid()
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=die_with_parent,
                             initargs=(parent,)) as pool:
        return collect(pool.map(run, batches))


# --- corpus-wide -----------------------------------------------------------------------

def merge_duplicates(articles: Sequence[Article], fingerprints: Mapping[str, bytes]
                     ) -> tuple[list[Article], list[Article]]:
    """Canonical articles (with their ``also_in`` copies) and the duplicates, in input order."""
    candidates = [Candidate(id=a.id, fingerprint=Fingerprint.from_bytes(fingerprints[a.id]),
                            date=a.date, priority=a.priority) for a in articles]
    canonical_of = find_duplicates(candidates)
    by_id = {a.id: a for a in articles}
    copies: dict[str, list[Article]] = defaultdict(list)
    for dup, canon in canonical_of.items():
        copies[canon].append(by_id[dup])
    kept: list[Article] = []
    duplicates: list[Article] = []
    for a in articles:
        if a.id in canonical_of:
            duplicates.append(replace(a, duplicate_of=canonical_of[a.id]))
            continue
        also = tuple(Copy(c.id, c.source, c.title, c.date, c.url, copy_adds(a.body, c.body))
                     for c in sorted(copies.get(a.id, ()), key=lambda c: c.id))
        kept.append(replace(a, also_in=also))
    return kept, duplicates


def group_items(kept: Sequence[Article], duplicates: Sequence[Article]) -> list[GroupItem]:
    """What grouping sees: each canonical article with the related titles of all its copies."""
    extra: dict[str, list[str]] = defaultdict(list)
    for d in duplicates:
        if d.duplicate_of:
            extra[d.duplicate_of].extend(d.related)
    return [GroupItem(a.id, a.title, a.text, a.date,
                      tuple(dict.fromkeys((*a.related, *extra.get(a.id, ())))))
            for a in kept]


def summarize_topics(topics: Sequence[Topic], articles: Mapping[str, Article],
                     sentences: int) -> list[Topic]:
    """Each topic with its multi-document summary (single articles reuse their own)."""
    out = []
    for t in topics:
        members = [articles[i] for i in t.article_ids]
        summary = summarize_topic([(a.id, a.text) for a in members], sentences)
        out.append(replace(t, summary=tuple(summary)))
    return out


def build_digest(config: Config, *, jobs: int | None = None, executor: Executor | None = None,
                 use_cache: bool = True, now: Callable[[], dt.datetime] | None = None,
                 times: StageTimes | None = None, progress: Progress | None = None) -> Digest:
    """Run every stage over the sources in ``config`` and return the digest.

    With the cache, per-article results are reused by content, and the
    corpus-wide results (furniture, topics, topic summaries) whenever their
    inputs are unchanged: the digest is the same as without the cache. Entries
    made by older stage code are deleted after a build.
    """
    times = times or StageTimes()
    store = Cache(config.cache, CACHED_RECORDS) if (use_cache and config.cache) else None
    try:
        digest = _build(config, store, jobs, executor, now, times, progress)
        if store:
            store.prune()
            if store.set_aside is not None:  # already named in a warning; listed in the report
                notice = _cache_notice(config, store.path, store.set_aside)
                digest = replace(digest, notices=(*digest.notices, notice))
        return digest
    finally:
        if store:
            store.close()


def _cache_notice(config: Config, path: Path, aside: Path) -> Skipped:
    return Skipped(os.path.relpath(path, config.root), f"damaged cache file: set aside as"
                   f" {aside.name}; everything was processed again")


def _build(config: Config, store: Cache | None, jobs: int | None, executor: Executor | None,
           now: Callable[[], dt.datetime] | None, times: StageTimes,
           progress: Progress | None) -> Digest:
    with times.timed("sources"):
        docs, skipped, notices = read_sources(config)
        furniture = learn_source_furniture(docs, store)
    n = config.summary_sentences
    with times.timed("clean+summarize"):
        results = _cached_process(store, docs, furniture, n, executor, jobs, progress)
    built_at = (now or build_time)()
    built = built_at.isoformat(timespec="seconds")
    latest = (built_at.date() + dt.timedelta(days=FUTURE_DAYS)).isoformat()
    articles: list[Article] = []
    fingerprints: dict[str, bytes] = {}
    for doc, result in zip(docs, results, strict=True):
        if result.article is None:
            skipped.append(Skipped(doc.origin, result.problem))
            continue
        article = result.article
        if article.date and not EARLIEST_DATE <= article.date <= latest:
            notices.append(Skipped(doc.origin, f"date {article.date} is implausible"
                                   " (before 1990 or in the future): listed as undated"))
            article = replace(article, date=None)
        elif not article.date:
            notices.append(Skipped(doc.origin, "no date found: listed as undated"))
        articles.append(article)
        fingerprints[doc.id] = result.fingerprint
    with times.timed("dedupe"):
        kept, duplicates = merge_duplicates(articles, fingerprints)
    with times.timed("group"):
        items = group_items(kept, duplicates)
        by_id = {a.id: a for a in kept}
        topics = _reuse(store, "topics", items,
                        lambda: group_articles(items, cached_group_features(store, items)))
    with times.timed("topic summaries"):
        topics = _cached_topic_summaries(store, topics, by_id, config.topic_summary_sentences)
        topic_of = {i: t.id for t in topics for i in t.article_ids}
        kept = [replace(a, topic=topic_of.get(a.id)) for a in kept]
        duplicates = [replace(d, topic=topic_of.get(d.duplicate_of or "")) for d in duplicates]
    log.info("%d documents: %d articles, %d duplicates merged, %d topics, %d skipped",
             len(docs), len(kept), len(duplicates), len(topics), len(skipped))
    return Digest(tuple(kept), tuple(topics), tuple(duplicates), tuple(skipped), tuple(notices),
                  built)


def cached_group_features(store: Cache | None, items: Sequence[GroupItem]
                          ) -> list[ItemFeatures]:
    """Each item's per-article grouping features, from the cache by its title and text
    when there, else computed (and kept): a new day's grouping tokenises only new articles."""
    keys = [key_for("group features", item.title, item.text) for item in items]
    return _cached_each(store, keys, lambda i: item_features(items[i].title, items[i].text))


def _cached_each(store: Cache | None, keys: Sequence[str],
                 compute: Callable[[int], Any]) -> list[Any]:
    """The value of each key: from the cache, else ``compute(position)`` (then kept)."""
    found = store.get_many(keys) if store else {}
    new: dict[str, Any] = {}
    out: list[Any] = []
    for i, key in enumerate(keys):
        if key not in found and key not in new:
            new[key] = compute(i)
        out.append(found[key] if key in found else new[key])
    if store and new:
        store.put_many(new)
    return out


def _reuse(store: Cache | None, kind: str, inputs: Any, compute: Callable[[], Any]) -> Any:
    """A corpus-wide result from the cache when its inputs are unchanged, else computed.

    One result of each ``kind`` is kept: the newest.
    """
    if store is None:
        return compute()
    key = key_for(kind, inputs)
    hit, value = store.get_slot(kind, key)
    if hit:
        return value
    value = compute()
    store.put_slot(kind, key, value)
    return value


def _cached_topic_summaries(store: Cache | None, topics: Sequence[Topic],
                            articles: Mapping[str, Article], sentences: int) -> list[Topic]:
    """:func:`summarize_topics`, reusing each topic's summary while its articles are unchanged.

    A new article touches one topic: only that topic is summarised again.
    """
    keys = [key_for("topic summary", sentences,
                    [(i, articles[i].text) for i in t.article_ids]) for t in topics]
    summaries = _cached_each(store, keys, lambda k: summarize_topics(
        topics[k:k + 1], articles, sentences)[0].summary)
    return [replace(t, summary=s) for t, s in zip(topics, summaries, strict=True)]


def build_time() -> dt.datetime:
    """Now, or ``SOURCE_DATE_EPOCH`` when set, so that a build can be reproduced exactly."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC)


def learn_source_furniture(docs: Iterable[RawDocument],
                           store: Cache | None = None) -> dict[str, frozenset[str]]:
    """Lines that recur across one source's files, learned per source.

    Each page's part of the learning is kept in ``store`` by the page's text, so a
    new day's files cost only their own reading and the (fast) per-source count.
    """
    texts = [doc for doc in docs if doc.text]
    keys = [key_for("furniture lines", doc.text) for doc in texts]
    pages: dict[str, list[PageLines]] = defaultdict(list)
    for doc, page in zip(texts, _cached_each(store, keys, lambda i: read_page(texts[i].text)),
                         strict=True):
        pages[doc.source].append(page)
    return {source: learn_from_pages(p) for source, p in pages.items()}


def _cached_process(store: Cache | None, docs: Sequence[RawDocument],
                    furniture: Mapping[str, frozenset[str]], n: int,
                    executor: Executor | None, jobs: int | None,
                    progress: Progress | None) -> list[Processed]:
    furniture_keys = {s: key_for(sorted(f)) for s, f in furniture.items()}
    keys = [key_for(doc.id, doc.source, doc.origin, doc.priority, doc.text,
                    doc.fields,
                    furniture_keys.get(doc.source, ""), n, FINGERPRINT_KEY) for doc in docs]
    found = store.get_many(keys) if store else {}
    todo = [i for i, k in enumerate(keys) if k not in found]
    fresh = map_documents([docs[i] for i in todo], furniture, n, executor, jobs, progress)
    new = {keys[i]: result for i, result in zip(todo, fresh, strict=True)}
    if store and new:
        store.put_many(new)
    log.info("per-article stages: %d cached, %d processed", len(docs) - len(todo), len(todo))
    return [found.get(k) or new[k] for k in keys]
