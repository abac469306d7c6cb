"""The composed pipeline: same digest on one core or many, cached runs reuse results."""

from __future__ import annotations

import datetime as dt
import logging
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from conftest import copy_project

from digest.config import load_config
from digest.pipeline import build_digest

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


def test_every_input_is_an_article_a_duplicate_or_skipped(project: Path) -> None:
    config = load_config(project / "feeds.yaml")
    d = build_digest(config, jobs=1, use_cache=False)
    files = [p for s in config.sources for p in config.files(s) if s.type == "text"]
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
