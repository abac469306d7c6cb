"""A document's cached result is keyed by the part of its source's furniture it can meet
(issue 20): cleaning with that part equals cleaning with the whole, and a source's new
pages leave its older pages' results alone unless they change furniture those pages show."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from conftest import copy_project
from hypothesis import given, settings
from hypothesis import strategies as st

from digest.config import load_config
from digest.per_article import furniture_lookups, lookup_digest, own_furniture, process
from digest.pipeline import (
    build_digest,
    learn_source_furniture,
    learn_source_templates,
    own_furnitures,
    template_units,
)
from digest.records import RawDocument
from digest.sources import read_sources

FOOTER = "Carrowmore Gazette is printed on recycled paper in Vennick."
PROMPT = "Sign up for the Gazette morning briefing"


def page(i: int, extra: str = "") -> str:
    """A fictional scraped page of the Gazette: furniture lines around its own story."""
    return "\n".join([
        "Menu | Local | Sport | Weather", PROMPT,
        f"Harbour crane number {i} repaired after storm",
        f"Engineers at the quay in Vennick finished repairs to crane number {i} on Tuesday,"
        " the harbour board said, after weeks of work that kept two berths closed.",
        f"The crane, one of {i + 3} on the east quay, had been damaged by high winds and a"
        " falling container during the storm that struck the coast last month.",
        "Dockworkers said the repairs would let ships be unloaded faster again.",
        *([extra] if extra else []), FOOTER])


def gazette(folder: Path, n: int, extra: str = "", start: int = 0) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(start, start + n):
        (folder / f"{i:03d}.txt").write_text(page(i, extra), "utf-8")


def test_cleaning_with_a_documents_own_furniture_equals_cleaning_with_the_whole(
        tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    config = load_config(project / "feeds.yaml")
    docs = read_sources(config)[0]
    units = template_units(docs)
    furniture = {**learn_source_furniture(docs), **learn_source_templates(units)}
    assert any(furniture.values())  # the sample's sources do learn furniture
    own = own_furnitures(docs, furniture)
    for doc, mine in zip(docs, own, strict=True):
        whole = furniture.get(doc.source, frozenset())
        assert mine <= whole
        assert process(doc, mine, 3) == process(doc, whole, 3), doc.origin


@settings(max_examples=50, deadline=None)
@given(st.sets(st.text(min_size=1, max_size=30), max_size=20))
def test_furniture_a_page_never_shows_does_not_change_its_part(unseen: set[str]) -> None:
    doc = RawDocument(id="g/1", source="g", origin="1.txt", text=page(1))
    lookups = furniture_lookups(doc)
    shown = {"sign up for the gazette morning briefing", "menu | local | sport | weather"}
    on_page = {k for k in shown if lookup_digest(k) in
               {lookups[i:i + 8] for i in range(0, len(lookups), 8)}}
    assert on_page == shown  # the page's furniture lines are among its lookups
    base = own_furniture(lookups, {lookup_digest(k): k for k in shown})
    text = page(1).casefold()
    more = shown | {k for k in unseen if k.casefold() not in text}
    assert own_furniture(lookups, {lookup_digest(k): k for k in more}) == base == shown


def test_a_new_furniture_line_reprocesses_only_the_pages_that_show_it(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "feeds.yaml").write_text(
        "site:\n  title: T\n  url: https://t.example/\ncache: cache.sqlite\n"
        "sources:\n  - {name: gazette, type: text, path: 'gazette/*.txt'}\n", "utf-8")
    gazette(tmp_path / "gazette", 12)
    config = load_config(tmp_path / "feeds.yaml")
    build_digest(config, jobs=1)
    # a new campaign line on 8 new pages becomes furniture of the source; the first 12
    # pages do not show it, so their cached results still hold
    gazette(tmp_path / "gazette", 8, extra="Read our special report on the port", start=12)
    docs = read_sources(config)[0]
    assert "read our special report on the port" in learn_source_furniture(docs)["gazette"]
    with caplog.at_level(logging.INFO, logger="digest"):
        build_digest(config, jobs=1)
    counts = [re.search(r"per-article stages: (\d+) cached, (\d+) processed", r.getMessage())
              for r in caplog.records]
    cached, processed = next((int(m[1]), int(m[2])) for m in counts if m)
    assert (cached, processed) == (12, 8)
