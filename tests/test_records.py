"""Records hold each fact once and keep their claims: an article reads its cleaned fields as
its own, a raw document hashes, and structured input is read one way everywhere."""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
import pickle

import pytest

from digest.cache_codec import Codec
from digest.clean.dates import is_plausible
from digest.fields import from_fields
from digest.pipeline import CACHED_RECORDS
from digest.records import Article, Cleaned, RawDocument, to_json


def test_an_article_reads_and_replaces_its_cleaned_fields_by_name() -> None:
    cleaned = Cleaned(title="Ferry delayed", date="2026-03-04", body=("One.", "Two."))
    article = Article("s/1", "s", "1.txt", cleaned, summary=("One.",))
    assert (article.title, article.date, article.body) == ("Ferry delayed", "2026-03-04",
                                                           ("One.", "Two."))
    assert article.text == cleaned.text == "One.\n\nTwo."
    assert Article(id="s/1", source="s", origin="1.txt", title="Ferry delayed",
                   date="2026-03-04", body=("One.", "Two."), summary=("One.",)) == article
    undated = dataclasses.replace(article, date=None)
    assert undated.cleaned == dataclasses.replace(cleaned, date=None)
    assert undated.summary == article.summary and article.date == "2026-03-04"
    assert pickle.loads(pickle.dumps(article)) == article
    codec = Codec(CACHED_RECORDS)
    assert codec.decode(codec.encode(article)) == article


def test_an_article_is_made_from_its_fields_by_name() -> None:
    """The cache rebuilds a record by its fields' names: the constructor Article writes by
    hand must take every field under its own name (a new field goes in both)."""
    names = [f.name for f in dataclasses.fields(Article)]
    assert list(inspect.signature(Article).parameters)[:len(names)] == names


def test_an_article_refuses_the_cleaners_fields_by_position() -> None:
    """Article(id, source, origin, "Title") was the old order; it must not make an article
    whose title is a method of str."""
    with pytest.raises(TypeError, match="fourth argument is a Cleaned"):
        Article("s/1", "s", "1.txt", "Ferry delayed")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Article("s/1", "s", "1.txt", Cleaned(), "https://example.org/")  # type: ignore[misc]


def test_an_article_serialises_flat_as_it_always_did() -> None:
    article = Article("s/1", "s", "1.txt", title="Ferry delayed", date="2026-03-04",
                      body=("One.",), url="https://example.org/a", summary=("One.",))
    data = to_json(article)
    assert "cleaned" not in data
    assert list(data)[:3] == ["id", "source", "origin"]
    assert {k: data[k] for k in ("title", "date", "body", "url", "summary")} == {
        "title": "Ferry delayed", "date": "2026-03-04", "body": ["One."],
        "url": "https://example.org/a", "summary": ["One."]}
    fields = {f.name for f in dataclasses.fields(Cleaned)} | {
        f.name for f in dataclasses.fields(Article)} - {"cleaned"}
    assert set(data) == fields


def test_a_raw_document_hashes_and_equal_documents_hash_alike() -> None:
    one = RawDocument("w/1", "w", "wire.jsonl:1", fields={"body": ["One."], "tags": {"a": 1}})
    same = RawDocument("w/1", "w", "wire.jsonl:1", fields={"body": ["One."], "tags": {"a": 1}})
    other = dataclasses.replace(one, fields={"body": ["Two."]})
    assert one == same and hash(one) == hash(same)
    assert one != other and len({one, same, other}) == 2


def test_structured_fields_are_read_one_way() -> None:
    cleaned = from_fields({"title": " Storm ", "date": "2026-03-04T07:00:00Z",
                           "body": ["  First. ", "", 3, "Second."], "related": ["A", 1, " "]})
    assert cleaned == Cleaned(title="Storm", date="2026-03-04", body=("First.", "Second."),
                              related=("A",))
    assert from_fields({"text": "One.\n\nTwo.", "date": "March"}).body == ("One.", "Two.")
    assert from_fields({"text": "One.", "date": "March"}).date is None


def test_dates_are_judged_against_the_reference_given_never_the_clock() -> None:
    day = dt.date(2026, 3, 4)
    assert is_plausible("2026-03-06", day) and not is_plausible("2026-03-07", day)
    assert is_plausible("1990-01-01", day) and not is_plausible("1970-01-01", day)
    assert not is_plausible("2026-03-06", dt.date(2020, 1, 1))

