"""The SQLite cache keeps results across runs and misses when anything that matters changes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

import digest.cache
from digest.cache import Cache, NoCache, Store, key_for


def test_values_survive_reopening(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    with Cache(path) as cache:
        cache.put_many({key_for("a", 1): {"summary": ["One."]}, key_for("b", 1): ("x", b"\x00")})
    with Cache(path) as cache:
        found = cache.get_many([key_for("a", 1), key_for("b", 1), key_for("c", 1)])
    assert found == {key_for("a", 1): {"summary": ["One."]}, key_for("b", 1): ("x", b"\x00")}
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_keys_differ_when_any_part_differs() -> None:
    assert key_for("doc", "text", 3) == key_for("doc", "text", 3)
    assert len({key_for("doc", "text", 3), key_for("doc", "text", 2), key_for("doc", "text2", 3),
                key_for("do", "ctext", 3)}) == 4


def test_unreadable_entries_are_misses(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    with Cache(path) as cache:
        cache.db.execute("INSERT INTO results (key, value) VALUES (?, ?)", ("k", b"not a pickle"))
        cache.db.commit()
        assert cache.get_many(["k"]) == {}


def test_keys_follow_values_not_objects() -> None:
    @dataclasses.dataclass(frozen=True)
    class Item:
        name: str
        tags: tuple[str, ...]

    a = Item("x", ("".join(["t", "ag"]), "tag"))  # equal strings, different objects
    assert key_for([a], {"k": 1, "j": 2}, {3, 1}) == key_for([Item("x", ("tag", "tag"))],
                                                              {"j": 2, "k": 1}, {1, 3})
    assert key_for(Item("x", ())) != key_for(Item("x", ("",)))
    assert key_for(("ab", "c")) != key_for(("a", "bc"))
    assert key_for(1) != key_for("1") != key_for(b"1")
    assert key_for(dt.date(2026, 3, 1)) == key_for(dt.date(2026, 3, 1))


def test_slots_keep_one_result_and_prune_drops_older_code(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    with Cache(tmp_path / "cache.sqlite") as cache:
        cache.put_slot("topics", "monday", ["a"])
        cache.put_slot("topics", "tuesday", ["a", "b"])
        assert cache.get_slot("topics", "tuesday") == (True, ["a", "b"])
        assert cache.get_slot("topics", "monday") == (False, None)
        cache.put_many({key_for("article", 1): "old code's result"})
        count = cache.db.execute("SELECT COUNT(*) FROM results").fetchone()[0]
        assert count == 2  # one slot, one entry
        monkeypatch.setattr(digest.cache, "code_version", lambda: "a newer version")
        cache.put_many({key_for("article", 1): "new code's result"})
        assert cache.prune() == 2
        assert cache.get_many([key_for("article", 1)]) == {
            key_for("article", 1): "new code's result"}


def test_a_cache_file_without_versions_is_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE results (key TEXT PRIMARY KEY, value BLOB NOT NULL)")
        db.execute("INSERT INTO results VALUES ('k', x'00')")
    with Cache(path) as cache:
        assert cache.prune() == 1
        cache.put_many({"k": 1})
        assert cache.get_many(["k"]) == {"k": 1}


@pytest.mark.parametrize("cached", [True, False], ids=["cache", "no cache"])
def test_a_store_gives_each_result_and_computes_only_what_it_lacks(tmp_path: Path,
                                                                    cached: bool) -> None:
    store: Store = Cache(tmp_path / "cache.sqlite") if cached else NoCache()
    asked: list[list[int]] = []

    def lengths(words: list[str]) -> Callable[[list[int]], list[int]]:
        def compute(todo: list[int]) -> list[int]:
            asked.append(todo)
            return [len(words[i]) for i in todo]
        return compute

    words = ["harbour", "ferry", "harbour", "storm"]
    assert store.each("length", words, lengths(words)) == [7, 5, 7, 5]
    more = ["storm", "tide"]
    assert store.each("length", more, lengths(more)) == [5, 4]
    assert store.latest("count", words, lambda: len(words)) == 4
    assert store.latest("count", words, lambda: -1) == (4 if cached else -1)
    assert store.latest("count", more, lambda: len(more)) == 2
    if cached:  # one call per batch, each new input computed once
        assert asked == [[0, 1, 3], [1]]
    else:
        assert asked == [[0, 1, 2, 3], [0, 1]]
    assert store.set_aside is None and store.prune() == 0
    store.close()
