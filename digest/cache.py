"""The build cache: one SQLite file keeping each article's per-article stage results.

Entries are keyed by a hash of the input document, the settings that shape the
result, and the code of the per-article stages, so a changed input, setting or
stage misses and everything else is reused. Writes are transactional (WAL):
a build killed half-way leaves the cache as it was before or after a batch,
never torn.
"""

from __future__ import annotations

import hashlib
import pickle
import sqlite3
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

_STAGE_PACKAGES = ("clean", "summarize", "dedupe", "group")


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
    """A stable key from JSON-like parts (str, bytes, numbers, sorted collections)."""
    h = hashlib.sha256(code_version().encode())
    for part in parts:
        data = part if isinstance(part, bytes) else repr(part).encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


class Cache:
    """A key -> value store of picklable stage results in one SQLite file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.db = sqlite3.connect(self.path, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, value BLOB NOT NULL)")
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
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO results (key, value) VALUES (?, ?)",
                [(k, pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL)) for k, v in items.items()])

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Cache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
