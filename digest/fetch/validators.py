"""What a build remembers of each fetched source, in the cache's SQLite file.

Per source: the HTTP validators (ETag, Last-Modified) of its last good
response, the items that response gave, when it was fetched, and, while the
source is failing, the error and since when. So an unchanged feed costs one
conditional request answered 304, and a feed that breaks keeps its last good
items on the site.

The table lives in the build cache's file, opened through
:mod:`digest.cache_file`: a damaged file is set aside (with a warning) and the
build goes on as if nothing was remembered.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from digest.cache_file import CacheFile
from digest.fetch.http import Validators
from digest.records import RawDocument

_SCHEMA = """CREATE TABLE IF NOT EXISTS fetch_state (
    source TEXT PRIMARY KEY,
    location TEXT NOT NULL,
    etag TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT '',
    items TEXT NOT NULL DEFAULT '[]',
    fetched_at TEXT NOT NULL DEFAULT '',
    error TEXT NOT NULL DEFAULT '',
    failing_since TEXT NOT NULL DEFAULT ''
);"""


@dataclass(frozen=True)
class SourceState:
    """One source's memory between builds."""

    location: str  # the URL or path it was fetched from; a change forgets the rest
    validators: Validators = Validators()
    items: tuple[RawDocument, ...] = ()
    fetched_at: str = ""  # ISO time of the last good fetch
    error: str = ""  # the last error, while failing
    failing_since: str = ""  # ISO time of the first failure in a row


class FetchStore:
    """Read and write :class:`SourceState` in the ``fetch_state`` table of one SQLite file."""

    def __init__(self, path: str | Path) -> None:
        self.file = CacheFile(Path(path), _SCHEMA)

    def load(self, source: str, location: str) -> SourceState | None:
        """The state saved for ``source``, or None if none was saved for this location."""
        row = self.file.guarded(lambda db: db.execute(
            "SELECT location, etag, last_modified, items, fetched_at, error, failing_since"
            " FROM fetch_state WHERE source = ?", (source,)).fetchone(), None)
        if row is None or row[0] != location:
            return None
        try:
            items = tuple(_document(d) for d in json.loads(row[3]))
        except (ValueError, TypeError, KeyError):  # written by an incompatible version
            return None
        return SourceState(row[0], Validators(row[1], row[2]), items, row[4], row[5], row[6])

    def save(self, source: str, state: SourceState) -> None:
        """Replace the state of ``source`` (atomically)."""
        self.save_many([(source, state)])

    def save_many(self, states: Iterable[tuple[str, SourceState]],
                  same_items: Iterable[str] = ()) -> None:
        """Save every state in one transaction; for sources named in ``same_items`` (a 304,
        say) the kept items are not written again, only the validators, times and error."""
        unchanged = set(same_items)
        full, touched = [], []
        for source, state in states:
            row = (state.location, state.validators.etag, state.validators.last_modified,
                   state.fetched_at, state.error, state.failing_since, source)
            if source in unchanged:
                touched.append(row)
            else:
                items = json.dumps([{"id": d.id, "source": d.source, "origin": d.origin,
                                     "text": d.text, "fields": dict(d.fields),
                                     "priority": d.priority} for d in state.items],
                                   ensure_ascii=False)
                full.append((*row, items))

        def write(db: sqlite3.Connection) -> bool:
            with db:
                db.executemany(
                    "INSERT OR REPLACE INTO fetch_state (location, etag, last_modified,"
                    " fetched_at, error, failing_since, source, items)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", full)
                db.executemany(
                    "UPDATE fetch_state SET location = ?, etag = ?, last_modified = ?,"
                    " fetched_at = ?, error = ?, failing_since = ? WHERE source = ?", touched)
            return True

        if not self.file.guarded(write, False):  # the file was damaged: write to the new one
            self.file.guarded(write, False)

    def close(self) -> None:
        self.file.close()

    def __enter__(self) -> FetchStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _document(d: dict) -> RawDocument:
    return RawDocument(id=d["id"], source=d["source"], origin=d["origin"], text=d["text"],
                       fields=d["fields"], priority=d["priority"])
