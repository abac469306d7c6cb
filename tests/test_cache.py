"""The SQLite cache keeps results across runs and misses when anything that matters changes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from digest.cache import Cache, key_for


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
        cache.db.execute("INSERT INTO results VALUES (?, ?)", ("k", b"not a pickle"))
        cache.db.commit()
        assert cache.get_many(["k"]) == {}
