"""The pipeline: ``sources -> clean -> dedupe -> summarize -> group``, composed.

:func:`build_digest` reads as the build: the sources are read and each source's
furniture learned; each document is cleaned, summarised and fingerprinted
(:mod:`digest.per_article`, over a process pool); article dates are checked
against the build's reference moment; duplicates are merged; articles are
grouped into topics and each topic summarised. Every step that can reuse
earlier work asks a :class:`~digest.cache.Store` for it, keyed by its inputs: the
cache file, or :class:`~digest.cache.NoCache`, which computes everything. The
digest is the same either way.

With ``site.images`` on, each canonical article's picture is downloaded last
(:mod:`digest.fetch.images`) and the digest maps article ids to the pictures the
site publishes (:attr:`~digest.records.Digest.pictures`).

The date check runs after the cached per-article step, on its results: it is
cheap and pure, and its reference moves daily, so keying cached articles by it
would make every article miss every day.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import replace

from digest.build_time import build_stamp, reference_moment
from digest.cache import Cache, NoCache, Store, key_for
from digest.clean.dates import is_plausible
from digest.clean.furniture import PageLines, learn_from_pages, read_page
from digest.clean.template import (
    REMEMBERED,
    ItemUnits,
    item_units,
    learn_template,
    without_template,
)
from digest.clean.titles import PREFIX_MARK, SUFFIX_MARK
from digest.config import Config
from digest.dedupe import FINGERPRINT_KEY, Candidate, Fingerprint, copy_adds, find_duplicates
from digest.fetch.images import article_pictures
from digest.fields import from_fields
from digest.group import ItemFeatures, group_articles, item_features
from digest.per_article import (
    Processed,
    Progress,
    furniture_lookups,
    lookup_digest,
    map_documents,
    own_furniture,
)
from digest.periods import Period, decide_in_periods, frozen_periods
from digest.records import (
    Article,
    Cleaned,
    Copy,
    Digest,
    GroupItem,
    Picture,
    RawDocument,
    Skipped,
    Topic,
    TopicSentence,
)
from digest.site.paths import is_slug
from digest.site.tags import Given, article_tags
from digest.sources import newest_input, read_sources
from digest.summarize import summarize_topic
from digest.text import shorten
from digest.timing import StageTimes

__all__ = ["CACHED_RECORDS", "Progress", "StageTimes", "build_digest"]

log = logging.getLogger("digest")

# every record class a cached value holds: the cache decodes rows into these and no other
CACHED_RECORDS = (Processed, Article, Cleaned, Copy, Topic, TopicSentence, PageLines,
                  ItemFeatures, ItemUnits)
NO_CACHE = NoCache()
HEADLINE_ONLY = "headline only (a title and a link, no text of its own)"


def build_digest(config: Config, *, jobs: int | None = None, executor: Executor | None = None,
                 use_cache: bool = True, now: Callable[[], dt.datetime] | None = None,
                 times: StageTimes | None = None, progress: Progress | None = None) -> Digest:
    """Run every stage over the sources in ``config`` and return the digest.

    ``now`` gives the moment article dates are judged against (default:
    ``SOURCE_DATE_EPOCH``, else the clock), read once. ``Digest.built`` never
    comes from the clock (:func:`~digest.build_time.build_stamp`; with no dated article,
    the newest input's modification or fetch time). With the
    cache, per-article results are reused by content, and the corpus-wide results
    (furniture, topics, topic summaries) whenever their inputs are unchanged;
    entries made by older stage code are deleted after a build.
    """
    today = (now or reference_moment)().date()
    times = times or StageTimes()
    store: Store = (Cache(config.cache, CACHED_RECORDS) if use_cache and config.cache
                    else NO_CACHE)
    try:
        with times.timed("sources"):
            docs, skipped, notices = read_sources(config)
            units = template_units(docs, store)
            templates = learn_source_templates(units, store)
            furniture = {**learn_source_furniture(docs, store), **templates}
            notices.extend(template_notices(units, templates, config))
            del units  # what the templates were learned from is not read again
        with times.timed("clean+summarize"):
            results = process_in_batches(docs, furniture, config.summary_sentences, store,
                                         executor, jobs, progress)
        articles, fingerprints, dropped, undated = checked_articles(
            docs, results, today, {s.name: s.headline_only == "link" for s in config.sources})
        documents = len(docs)
        del docs, results  # the pages as read, and the cleaned articles now in ``articles``
        skipped, notices = [*skipped, *dropped], [*notices, *undated]
        periods = frozen_periods(a.date for a in articles)  # the freeze rule's
        with times.timed("dedupe"):
            kept, duplicates = merge_duplicates(articles, fingerprints, store, periods)
        with times.timed("group"):
            topics = group_topics(group_items(kept, duplicates), store,
                                  publisher_names(config, furniture), periods)
        with times.timed("topic summaries"):
            topics = summarize_topics(topics, {a.id: a for a in kept},
                                      config.topic_summary_sentences, store)
            kept, duplicates = in_topics(kept, duplicates, topics)
        with times.timed("tags"):
            tags = decide_tags(kept, tag_publishers(config), periods, store)
        store.prune()
        if store.set_aside is not None:  # already named in a warning; listed in the report
            notices.append(Skipped(os.path.relpath(str(config.cache), config.root),
                                   f"damaged cache file: set aside as {store.set_aside.name};"
                                   " everything was processed again"))
    finally:
        store.close()
    pictures: dict[str, Picture] = {}
    if config.site.images:  # each article's picture, downloaded (a stage only when asked for)
        with times.timed("pictures"):
            pictures, picture_notices = article_pictures(config, kept)
        notices.extend(picture_notices)
    log.info("%d documents: %d articles, %d duplicates merged, %d topics, %d skipped",
             documents, len(kept), len(duplicates), len(topics), len(skipped))
    # no dated article: the newest input's modification or fetch time, never the clock
    built = build_stamp((a.date for a in (*kept, *duplicates)),
                        newest_input=lambda: newest_input(config))
    return Digest(tuple(kept), tuple(topics), tuple(duplicates), tuple(skipped), tuple(notices),
                  built, pictures, tags)


# --- per source and per article ------------------------------------------------------------

def learn_source_furniture(docs: Iterable[RawDocument],
                           store: Store = NO_CACHE) -> dict[str, frozenset[str]]:
    """Lines that recur across one source's files, learned per source.

    Each page's part of the learning is kept in ``store`` by the page's text, so a
    new day's files cost only their own reading and the (fast) per-source count. One
    source's pages are read at a time: what the learning reads of a page (its lines) is
    as large as the page, and is let go once its source is learned.
    """
    texts: dict[str, list[str]] = defaultdict(list)
    for doc in docs:
        if doc.text:
            texts[doc.source].append(doc.text)
    return {source: learn_from_pages(_page_lines(pages, store))
            for source, pages in texts.items()}


def _page_lines(pages: Sequence[str], store: Store) -> list[PageLines]:
    return store.each("furniture lines", pages,
                      lambda todo: [read_page(pages[i]) for i in todo], of=PageLines)


Units = dict[str, list[tuple[RawDocument, ItemUnits]]]  # per source, each item's units


def template_units(docs: Iterable[RawDocument], store: Store = NO_CACHE) -> Units:
    """Each structured item (feeds, JSON Lines) with its template units, by source; kept in
    ``store`` by the item's id, title and text, so a build reads only new items."""
    items = [(doc, from_fields(doc.fields)) for doc in docs if not doc.text]
    inputs = [(doc.id, fields.title, fields.body) for doc, fields in items]
    found = store.each("template units", inputs,
                       lambda todo: [item_units(*inputs[i]) for i in todo], of=ItemUnits)
    units: Units = defaultdict(list)
    for (doc, _), read, given in zip(items, found, inputs, strict=True):
        units[doc.source].append((doc, read if _whole(read) else item_units(*given)))
    return units


def learn_source_templates(units: Units, store: Store = NO_CACHE) -> dict[str, frozenset[str]]:
    """What each source of structured items repeats on its items
    (:mod:`digest.clean.template`), learned from its items of this build and the last
    :data:`~digest.clean.template.REMEMBERED` remembered in ``store`` from earlier ones."""
    learned = {}
    for source, items in units.items():
        read = store.recent("template history", source, [(d.id, u) for d, u in items],
                            REMEMBERED)
        learned[source] = learn_template([u for u in read if _whole(u)])
    return learned


def _whole(units: object) -> bool:
    # a cached or remembered entry is data from a file: used only when it is what this code
    # wrote
    return (isinstance(units, ItemUnits) and len(units.keys) == len(units.words)
            and all(isinstance(k, str) for k in units.keys)
            and all(isinstance(n, int) for n in units.words))


def template_notices(units: Units, templates: Mapping[str, frozenset[str]], config: Config
                     ) -> list[Skipped]:
    """One notice per source whose template was left out of items: how many items, and what
    the template says (the first passage of it met)."""
    where = {s.name: s.location or s.where for s in config.sources}
    notices = []
    for source, items in units.items():
        template = templates.get(source, frozenset())
        hit = [doc for doc, read in items if template.intersection(read.keys)]
        if not hit:
            continue
        _, removed = without_template(from_fields(hit[0].fields), template)
        notices.append(Skipped(where.get(source, source),
                               f"{len(hit)} item{'s' if len(hit) != 1 else ''}: text the"
                               " source repeats on its items (its template) left out, such as"
                               f" “{shorten(removed[0] if removed else '')}”", source))
    return notices


CLEAN_BATCH = 10_000  # documents cleaned at a time: the text of one batch is held at once


def process_in_batches(docs: list[RawDocument], furniture: Mapping[str, frozenset[str]],
                       sentences: int, store: Store = NO_CACHE,
                       executor: Executor | None = None, jobs: int | None = None,
                       progress: Progress | None = None) -> list[Processed]:
    """:func:`process_documents` over ``docs`` a batch at a time; each document's text (and
    fields) is let go from ``docs`` once its batch is processed, so an archive's pages are
    not all in memory beside their results."""
    results: list[Processed] = []
    for start in range(0, len(docs), CLEAN_BATCH):
        def step(stage: str, done: int, total: int, start: int = start) -> None:
            if progress:
                progress(stage, start + done, len(docs))

        stop = min(start + CLEAN_BATCH, len(docs))
        results += process_documents(docs[start:stop], furniture, sentences, store, executor,
                                     jobs, step)
        docs[start:stop] = [replace(doc, text="", fields={}) for doc in docs[start:stop]]
    return results


def process_documents(docs: Sequence[RawDocument], furniture: Mapping[str, frozenset[str]],
                      sentences: int, store: Store = NO_CACHE, executor: Executor | None = None,
                      jobs: int | None = None, progress: Progress | None = None
                      ) -> list[Processed]:
    """Each document cleaned, summarised and fingerprinted; kept in ``store`` by the
    document, the part of its source's furniture it can meet (:func:`own_furnitures`) and
    the settings, so only new documents are processed, and a source's new pages leave its
    older pages' results alone unless they change furniture those pages show."""
    own = own_furnitures(docs, furniture, store)
    inputs = [(doc, key_for(sorted(mine)), sentences, FINGERPRINT_KEY)
              for doc, mine in zip(docs, own, strict=True)]
    return store.each("per-article stages", inputs, lambda todo: map_documents(
        [docs[i] for i in todo], [own[i] for i in todo], sentences, executor, jobs, progress),
        of=Processed)


def own_furnitures(docs: Sequence[RawDocument], furniture: Mapping[str, frozenset[str]],
                   store: Store = NO_CACHE) -> list[frozenset[str]]:
    """For each document, the part of its source's furniture cleaning it can meet
    (:func:`~digest.per_article.own_furniture`); each document's lookups are kept in
    ``store`` by the document, so a build reads only new documents."""
    lookups = store.each("furniture lookups", list(docs),
                         lambda todo: [furniture_lookups(docs[i]) for i in todo], of=bytes)
    by_digest = {s: {lookup_digest(k): k for k in f} for s, f in furniture.items()}
    affixes = {s: frozenset(k for k in f if k.startswith((PREFIX_MARK, SUFFIX_MARK)))
               for s, f in furniture.items()}
    return [own_furniture(found, by_digest.get(doc.source, {}),
                          affixes.get(doc.source, frozenset()))
            for doc, found in zip(docs, lookups, strict=True)]


def checked_articles(docs: Sequence[RawDocument], results: Sequence[Processed], today: dt.date,
                     list_headlines: Mapping[str, bool] | None = None
                     ) -> tuple[list[Article], dict[str, bytes], list[Skipped], list[Skipped]]:
    """The articles, their fingerprints by id, the documents that gave no article (skipped)
    and the articles listed with a note (notices): those without a date, or whose date is not
    plausible on ``today``, and headlines only (a title and a link, no text of their own),
    which are published as links where ``list_headlines`` says so for their source (by
    default) and skipped elsewhere."""
    articles: list[Article] = []
    fingerprints: dict[str, bytes] = {}
    skipped: list[Skipped] = []
    notices: list[Skipped] = []
    for doc, result in zip(docs, results, strict=True):
        article = result.article
        if article is None:
            skipped.append(Skipped(doc.origin, result.problem, doc.source))
            continue
        if not article.body:
            if not (list_headlines or {}).get(doc.source, True):
                skipped.append(Skipped(doc.origin, f"{HEADLINE_ONLY}: not published"
                                       " (headline_only: skip)", doc.source))
                continue
            notices.append(Skipped(doc.origin, f"{HEADLINE_ONLY}: published as a link to"
                                   " the original", doc.source))
        if article.date and not is_plausible(article.date, today):
            notices.append(Skipped(doc.origin, f"date {article.date} is implausible"
                                   " (before 1990 or in the future): listed as undated",
                                   doc.source))
            article = replace(article, cleaned=replace(article.cleaned, date=None))
        elif not article.date:
            notices.append(Skipped(doc.origin, "no date found: listed as undated", doc.source))
        articles.append(article)
        if result.fingerprint:
            fingerprints[doc.id] = result.fingerprint
    return articles, fingerprints, skipped, notices


# --- corpus-wide -----------------------------------------------------------------------

def merge_duplicates(articles: Sequence[Article], fingerprints: Mapping[str, bytes],
                     store: Store = NO_CACHE, periods: Sequence[Period] = ()
                     ) -> tuple[list[Article], list[Article]]:
    """Canonical articles (with their ``also_in`` copies) and the duplicates, in input order.
    Articles without a fingerprint (headlines only) are nobody's copy. A canonical article
    without a picture of its own takes that of its first copy (by source priority) that has
    one. Copies are decided by the freeze rule (:mod:`digest.periods`): a frozen period's
    are kept in ``store`` by its step's articles, and never change again."""
    candidates = [Candidate(id=a.id, fingerprint=Fingerprint.from_bytes(fingerprints[a.id]),
                            date=a.date, priority=a.priority, source=a.source, title=a.title)
                  for a in articles if a.id in fingerprints]

    def step(members: Sequence[Candidate], frozen: bool) -> list[tuple[str, ...]]:
        def compute() -> list[tuple[str, ...]]:
            return copy_clusters(members, find_duplicates(members))
        if not frozen:
            return compute()
        inputs = [(c.id, fingerprints[c.id], c.date, c.priority, c.source, c.title)
                  for c in members]
        kept = list(store.each("frozen copies", [inputs], lambda todo: [compute()],
                               of=list[tuple[str, ...]])[0])
        # a cache file is data: used only when it holds each of these articles once
        ids = [i for cluster in kept for i in cluster]
        return kept if sorted(ids) == sorted(c.id for c in members) else compute()

    canonical_of = {dup: cluster[0] for cluster in decide_in_periods(
        candidates, step, lambda cluster: cluster, periods, whole_step=True)
        for dup in cluster[1:]}
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
        ordered = sorted(copies.get(a.id, ()), key=lambda c: c.id)
        also = tuple(Copy(c.id, c.source, c.title, c.date, c.url, copy_adds(a.body, c.body))
                     for c in ordered)
        image = a.image or next(
            (c.image for c in sorted(ordered, key=lambda c: c.priority) if c.image), "")
        kept.append(replace(a, also_in=also, cleaned=replace(a.cleaned, image=image)))
    return kept, duplicates


def copy_clusters(members: Sequence[Candidate], canonical_of: Mapping[str, str]
                  ) -> list[tuple[str, ...]]:
    """Every member once: each canonical article followed by its copies (by id), and each
    article without copies alone."""
    copies: dict[str, list[str]] = defaultdict(list)
    for dup, canon in canonical_of.items():
        copies[canon].append(dup)
    return [(c.id, *sorted(copies.get(c.id, ()))) for c in members if c.id not in canonical_of]


def group_items(kept: Sequence[Article], duplicates: Sequence[Article]) -> list[GroupItem]:
    """What grouping sees: each canonical article with the related titles of all its copies."""
    extra: dict[str, list[str]] = defaultdict(list)
    for d in duplicates:
        if d.duplicate_of:
            extra[d.duplicate_of].extend(d.related)
    return [GroupItem(a.id, a.title, a.text, a.date,
                      tuple(dict.fromkeys((*a.related, *extra.get(a.id, ())))), a.source)
            for a in kept]


def group_topics(items: Sequence[GroupItem], store: Store = NO_CACHE,
                 publishers: Sequence[str] = (), periods: Sequence[Period] = ()
                 ) -> list[Topic]:
    """The topics of ``items`` by the freeze rule (:mod:`digest.periods`) over ``periods``:
    a frozen period's topics are kept in ``store`` by its step's items for good, the open
    period's while its items (and the ``publishers`` topic names leave out) are unchanged.
    Topics come largest first, ties by id, as :func:`~digest.group.group_articles` orders
    them."""
    names = tuple(publishers)
    kept_as = list[Topic] | tuple[Topic, ...]

    def step(members: Sequence[GroupItem], frozen: bool) -> list[Topic]:
        def compute() -> list[Topic]:
            return group_articles(members, group_features(members, store), names)
        if frozen:
            return list(store.each("frozen topics", [(list(members), names)],
                                   lambda todo: [compute()], of=kept_as)[0])
        return list(store.latest("topics", (list(members), names), compute, of=kept_as))

    topics = decide_in_periods(items, step, lambda topic: topic.article_ids, periods)
    return sorted(topics, key=lambda t: (-len(t.article_ids), t.id))


def decide_tags(articles: Sequence[Article], publishers: Sequence[str] = (),
                periods: Sequence[Period] = (), store: Store = NO_CACHE) -> dict[str, Given]:
    """Each article's tags (:mod:`digest.site.tags`) by the freeze rule over ``periods``: a
    frozen period's articles keep the tags decided over its step's articles, kept in
    ``store`` by what tags are read from; the open period's are decided again over its own.
    ``publishers`` are names that are no tags. Articles without tags are left out."""
    names = tuple(publishers)

    def step(members: Sequence[Article], frozen: bool) -> list[tuple[str, Given]]:
        def compute() -> dict[str, Given]:
            return article_tags(members, names)
        if frozen:
            read = [(a.id, a.source, a.title, a.standfirst, a.summary, a.agency, a.byline)
                    for a in members]
            given = store.each("frozen tags", [(read, names)], lambda todo: [compute()],
                               of=dict[str, Given])[0]
            # a cache file is data: its tags are used only when each names a page as a slug
            # does (a crafted one could name a path out of the site) and a name is shown
            if not all(is_slug(slug) and name.strip() for pairs in given.values()
                       for slug, name in pairs):
                given = compute()
        else:
            given = compute()
        return [(a.id, given.get(a.id, ())) for a in members]

    decided = decide_in_periods(articles, step, lambda d: (d[0],), periods)
    return {article_id: pairs for article_id, pairs in decided if pairs}


def tag_publishers(config: Config) -> list[str]:
    """What is never a tag: the site's title and each source's label."""
    return [config.site.title, *(s.label for s in config.sources)]


def publisher_names(config: Config, furniture: Mapping[str, frozenset[str]]) -> list[str]:
    """What a topic's name must not carry: each source's title (its name when it has none,
    and a name of several words with spaces for its hyphens) and the title prefixes and
    suffixes the cleaner learnt (a site's name set before or after its headlines)."""
    names: set[str] = set()
    for source in config.sources:
        names.add(source.title or source.name)
        if "-" in source.name:
            names.add(source.name.replace("-", " "))
    for lines in furniture.values():
        for line in lines:
            for mark in (PREFIX_MARK, SUFFIX_MARK):
                if line.startswith(mark):
                    names.add(line[len(mark):])
    return sorted(name for name in names if name.strip())


def group_features(items: Sequence[GroupItem], store: Store = NO_CACHE) -> list[ItemFeatures]:
    """Each item's per-article grouping features, kept in ``store`` by its title and text:
    a new day's grouping tokenises only new articles."""
    return store.each("group features", [(item.title, item.text) for item in items],
                      lambda todo: [item_features(items[i].title, items[i].text) for i in todo],
                      of=ItemFeatures)


def summarize_topics(topics: Sequence[Topic], articles: Mapping[str, Article],
                     sentences: int, store: Store = NO_CACHE) -> list[Topic]:
    """Each topic with its multi-document summary, kept in ``store`` by its articles' texts:
    a new article touches one topic, and only that topic is summarised again."""
    inputs = [(sentences, [(i, articles[i].text) for i in t.article_ids]) for t in topics]
    summaries = store.each("topic summary", inputs, lambda todo: [
        tuple(summarize_topic(inputs[k][1], sentences)) for k in todo],
        of=tuple[TopicSentence, ...])
    return [replace(t, summary=s) for t, s in zip(topics, summaries, strict=True)]


def in_topics(kept: Sequence[Article], duplicates: Sequence[Article], topics: Sequence[Topic]
              ) -> tuple[list[Article], list[Article]]:
    """Each article with its topic's id; each duplicate with its canonical article's."""
    topic_of = {i: t.id for t in topics for i in t.article_ids}
    return ([replace(a, topic=topic_of.get(a.id)) for a in kept],
            [replace(d, topic=topic_of.get(d.duplicate_of or "")) for d in duplicates])
