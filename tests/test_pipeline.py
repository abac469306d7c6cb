"""The composed pipeline: same digest on one core or many, cached runs reuse results."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from conftest import copy_project

from digest import pipeline
from digest.cache import Cache
from digest.config import load_config
from digest.files import source_files
from digest.group import group_articles, item_features
from digest.pipeline import (
    CACHED_RECORDS,
    build_digest,
    group_features,
    group_items,
    learn_source_furniture,
    summarize_topics,
)
from digest.site import parts, render_site
from digest.sources import read_sources

FIXED = dt.datetime(2026, 3, 15, 6, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("pipeline"))


def test_parallel_run_equals_serial_run(project: Path) -> None:
    config = load_config(project / "feeds.yaml")
    serial = build_digest(config, jobs=1, use_cache=False, now=lambda: FIXED)
    with ProcessPoolExecutor(max_workers=2) as pool:
        parallel = build_digest(config, executor=pool, use_cache=False, now=lambda: FIXED)
    assert serial == parallel
    assert serial.articles and serial.topics


def test_cleaning_in_batches_equals_cleaning_at_once(project: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The pages are cleaned a batch at a time (each batch's text let go after it): the
    digest is the same whatever the batch, progress counts over all documents."""
    config = load_config(project / "feeds.yaml")
    whole = build_digest(config, jobs=1, use_cache=False, now=lambda: FIXED)
    monkeypatch.setattr(pipeline, "CLEAN_BATCH", 7)
    seen: list[tuple[int, int]] = []
    batched = build_digest(config, jobs=1, use_cache=False, now=lambda: FIXED,
                           progress=lambda stage, done, total: seen.append((done, total)))
    assert batched == whole
    totals = {total for _, total in seen}
    assert len(totals) == 1 and seen[-1][0] == seen[-1][1] > 7
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_every_input_is_an_article_a_duplicate_or_skipped(project: Path) -> None:
    config = load_config(project / "feeds.yaml")
    d = build_digest(config, jobs=1, use_cache=False)
    files = [p for s in config.sources for p in source_files(config.root, s) if s.type == "text"]
    wire = sum(1 for line in (project / "samples" / "wire.jsonl").read_text("utf-8").splitlines()
               if line.strip())
    assert len(d.articles) + len(d.duplicates) + len(d.skipped) == len(files) + wire
    kept = {a.id for a in d.articles}
    assert all(dup.duplicate_of in kept for dup in d.duplicates)
    for a in d.articles:
        for copy in a.also_in:
            assert copy.id in {dup.id for dup in d.duplicates}
    in_topics = [i for t in d.topics for i in t.article_ids]
    assert sorted(in_topics) == sorted(kept)  # every article in exactly one topic
    for t in d.topics:
        texts = {i: next(a.text for a in d.articles if a.id == i) for i in t.article_ids}
        for sentence in t.summary:
            assert sentence.text in texts[sentence.article_id]


def test_second_run_comes_from_the_cache(project: Path, caplog: pytest.LogCaptureFixture) -> None:
    config = load_config(project / "feeds.yaml")
    first = build_digest(config, jobs=1, now=lambda: FIXED)
    with caplog.at_level(logging.INFO, logger="digest"):
        second = build_digest(config, jobs=1, now=lambda: FIXED)
    assert first == second
    assert any("0 processed" in r.getMessage() for r in caplog.records)
    assert config.cache is not None and config.cache.exists()


def test_cached_furniture_and_topic_summaries_equal_fresh_ones(project: Path,
                                                                tmp_path: Path) -> None:
    config = load_config(project / "feeds.yaml")
    fresh = build_digest(config, jobs=1, use_cache=False, now=lambda: FIXED)
    docs = read_sources(config)[0]
    with Cache(tmp_path / "cache.sqlite", CACHED_RECORDS) as store:
        assert learn_source_furniture(docs, store) == learn_source_furniture(docs)
        # the second run reads every page's lines from the cache: same furniture
        assert learn_source_furniture(docs, store) == learn_source_furniture(docs)
        by_id = {a.id: a for a in fresh.articles}
        bare = [dataclasses.replace(t, summary=()) for t in fresh.topics]
        first = summarize_topics(bare, by_id, config.topic_summary_sentences, store)
        # an article gains a sentence: only its topic is summarised again
        changed = fresh.topics[0].article_ids[0]
        by_id[changed] = dataclasses.replace(
            by_id[changed], body=(*by_id[changed].body, "A late paragraph was added here."))
        second = summarize_topics(bare, by_id, config.topic_summary_sentences, store)
    assert first == list(fresh.topics)
    assert second[1:] == first[1:]
    assert second[0] == summarize_topics(bare[:1], by_id, config.topic_summary_sentences)[0]


def test_site_rendered_on_several_processes_equals_one(project: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parts, "PARALLEL_FROM", 0)  # the sample is small: fork anyway
    config = load_config(project / "feeds.yaml")
    d = build_digest(config, jobs=1, use_cache=False, now=lambda: FIXED)
    one = render_site(d, config, "https://t.example/", jobs=1)
    two = render_site(d, config, "https://t.example/", jobs=2)
    assert list(two.pages.items()) == list(one.pages.items())
    assert list(two.files.items()) == list(one.files.items())


def test_cached_group_features_give_the_same_topics(project: Path, tmp_path: Path) -> None:
    config = load_config(project / "feeds.yaml")
    d = build_digest(config, jobs=1, use_cache=False, now=lambda: FIXED)
    items = group_items(d.articles, d.duplicates)
    with Cache(tmp_path / "cache.sqlite", CACHED_RECORDS) as store:
        first = group_features(items, store)
        again = group_features(items, store)  # every one from the cache now
    assert first == again == [item_features(i.title, i.text) for i in items]
    assert group_articles(items, again) == group_articles(items)


def test_a_page_that_defeats_the_cleaner_is_reported_and_the_build_goes_on(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """clean_text has no catch-all (its never-crash property tests could not fail with one);
    the pipeline names the error against the page, and every other page is published."""
    import digest.clean as clean

    real = clean.clean_page

    def fails_on_ferry_pages(text: str, furniture: frozenset[str]) -> object:
        if "ferry" in text:
            raise IndexError("list index out of range")
        return real(text, furniture)

    monkeypatch.setattr(clean, "clean_page", fails_on_ferry_pages)
    with pytest.raises(IndexError):
        clean.clean_text("date 2026-03-01 Harbour news\nThe ferry left.")
    config = load_config(project / "feeds.yaml")
    d = build_digest(config, jobs=1, use_cache=False, now=lambda: FIXED)
    broken = [s for s in d.skipped if "IndexError: list index out of range" in s.reason]
    pages = [p for s in config.sources for p in source_files(config.root, s) if s.type == "text"
             and "ferry" in p.read_text("utf-8")]
    assert pages and len(broken) == len(pages)
    assert all("could not be processed" in s.reason for s in broken)
    assert d.articles  # the rest was published


def test_the_build_time_comes_from_the_articles_and_now_only_judges_their_dates(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    config = load_config(project / "feeds.yaml")
    today = build_digest(config, jobs=1, use_cache=False, now=lambda: FIXED)
    dated = [a.date for a in (*today.articles, *today.duplicates) if a.date]
    assert today.built == f"{max(dated)}T00:00:00+00:00"
    long_ago = build_digest(config, jobs=1, use_cache=False,
                            now=lambda: dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    assert all(a.date is None for a in long_ago.articles)  # every date is in its future
    assert any("is implausible" in n.reason for n in long_ago.notices)
    # no dated article: the newest source file's modification time, never 1970
    newest = max(int(f.stat().st_mtime) for s in config.sources
                 for f in source_files(config.root, s))
    assert long_ago.built == dt.datetime.fromtimestamp(newest, dt.UTC).isoformat()


def test_topic_names_leave_out_the_publishers_in_feeds_yaml_and_learnt_affixes(
        project: Path) -> None:
    from digest.clean.titles import PREFIX_MARK, SUFFIX_MARK
    from digest.pipeline import group_topics, publisher_names
    from digest.records import GroupItem

    config = load_config(project / "feeds.yaml")
    furniture = {"harbour-courier": frozenset({PREFIX_MARK + "quay weekly",
                                               SUFFIX_MARK + "the courier online",
                                               "share this article"})}
    names = publisher_names(config, furniture)
    assert {"The Harbour Courier", "harbour courier", "quay weekly",
            "the courier online"} <= set(names)
    assert "share this article" not in names  # furniture lines are not names
    text = ("The ferry between the two quays of Carrowmore will run every hour from May, "
            "the operator said, after a winter of complaints about crowded boats.")
    items = [GroupItem(f"a{k}", f"The Harbour Courier: Carrowmore ferry to run hourly {k}",
                       text, "2026-03-14", (), "harbour-courier") for k in range(2)]
    topics = group_topics(items, publishers=names)
    assert len(topics) == 1
    assert not topics[0].name.casefold().startswith("the harbour courier")
    assert "ferry" in topics[0].name.casefold()
