"""The build cache: one SQLite file keeping each article's per-article stage results.

Entries are keyed by a hash of the input document, the settings that shape the
result, and the code of the per-article stages, so a changed input, setting or
stage misses and everything else is reused. Writes are transactional (WAL):
a build killed half-way leaves the cache as it was before or after a batch,
never torn.
"""

from __future__ import annotations

import dataclasses
import hashlib
import pickle
import sqlite3
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

_STAGE_PACKAGES = ("clean", "summarize", "dedupe", "group")
_SLOT = "slot:"  # key prefix of corpus-wide results (hex keys never start with it)


@cache
def code_version() -> str:
    """A hash of the stage code: editing a stage invalidates its cached results."""
    root = Path(__file__).parent
    h = hashlib.sha256()
    for name in _STAGE_PACKAGES + ("records.py", "text.py", "pipeline.py"):
        target = root / name
        files = sorted(target.rglob("*.py")) if target.is_dir() else [target] * target.exists()
        for f in files:
            h.update(f.relative_to(root).as_posix().encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


def key_for(*parts: Any) -> str:
    """A stable key from plain parts: str, bytes, numbers, None, tuples and lists, mappings
    and sets (order-free), frozen dataclasses (by class and fields), nested at will; any
    other value by its ``repr``.

    Two parts give the same key only when they are equal, whatever objects hold them.
    """
    h = hashlib.sha256(code_version().encode())
    _feed(h, parts)
    return h.hexdigest()


def _feed(h: Any, part: Any) -> None:
    if isinstance(part, str):
        data = part.encode("utf-8", "surrogatepass")
        h.update(b"s%d:" % len(data))
        h.update(data)
    elif isinstance(part, bytes):
        h.update(b"b%d:" % len(part))
        h.update(part)
    elif part is None or isinstance(part, bool | int | float):
        h.update(b"r" + repr(part).encode() + b";")
    elif isinstance(part, tuple | list):
        h.update(b"(%d:" % len(part))
        for item in part:
            _feed(h, item)
    elif isinstance(part, Mapping):
        h.update(b"{%d:" % len(part))
        for key, value in sorted(part.items(), key=lambda kv: repr(kv[0])):
            _feed(h, key)
            _feed(h, value)
    elif isinstance(part, set | frozenset):
        h.update(b"<%d:" % len(part))
        for item in sorted(part, key=repr):
            _feed(h, item)
    elif dataclasses.is_dataclass(part) and not isinstance(part, type):
        h.update(b"d" + type(part).__qualname__.encode() + b":")
        _feed(h, [getattr(part, f.name) for f in dataclasses.fields(part)])
    else:  # anything else by its repr (a date, a Decimal): equal values, equal reprs
        h.update(b"?" + repr(part).encode("utf-8", "surrogatepass") + b";")


class Cache:
    """A key -> value store of picklable stage results in one SQLite file.

    Each entry records the stage code it was made by (:func:`code_version`), so
    :meth:`prune` can drop every entry an older version left; a corpus-wide
    result lives in one *slot* per kind (:meth:`get_slot`), replaced when its
    inputs change, so daily builds do not pile up yesterday's topics.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.db = sqlite3.connect(self.path, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY,"
                        " value BLOB NOT NULL, version TEXT NOT NULL DEFAULT '')")
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(results)")}
        if "version" not in columns:  # a cache file from before versions were recorded
            self.db.execute("ALTER TABLE results ADD COLUMN version TEXT NOT NULL DEFAULT ''")
        self.db.commit()

    def get_many(self, keys: Iterable[str]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        wanted = list(dict.fromkeys(keys))
        for start in range(0, len(wanted), 500):
            batch = wanted[start:start + 500]
            marks = ",".join("?" * len(batch))
            for key, value in self.db.execute(
                    f"SELECT key, value FROM results WHERE key IN ({marks})", batch):
                try:
                    found[key] = pickle.loads(value)
                except Exception:  # an entry from an incompatible version: recompute it
                    continue
        return found

    def put_many(self, items: Mapping[str, Any]) -> None:
        version = code_version()
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO results (key, value, version) VALUES (?, ?, ?)",
                [(k, pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL), version)
                 for k, v in items.items()])

    def get_slot(self, kind: str, key: str) -> tuple[bool, Any]:
        """``(True, value)`` when the ``kind`` slot holds the value for ``key``, else
        ``(False, None)``."""
        found = self.get_many([_SLOT + kind]).get(_SLOT + kind)
        if isinstance(found, tuple) and len(found) == 2 and found[0] == key:
            return True, found[1]
        return False, None

    def put_slot(self, kind: str, key: str, value: Any) -> None:
        """Make ``value`` (for ``key``) the one entry of the ``kind`` slot."""
        self.put_many({_SLOT + kind: (key, value)})

    def prune(self) -> int:
        """Delete the entries older stage code made (no key can reach them); their count."""
        with self.db:
            cursor = self.db.execute("DELETE FROM results WHERE version != ?", (code_version(),))
        return cursor.rowcount

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Cache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
