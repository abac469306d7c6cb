"""The cache's SQLite file, opened so that a damaged one never stops a build.

A cache is disposable: everything in it can be computed again. So a file that
is not a sound SQLite database (garbage, truncated, a damaged page: SQLite's
"file is not a database" or "database disk image is malformed", or anything
``PRAGMA quick_check`` finds) is renamed aside with its WAL and shared-memory
files, as ``<name>.broken-<UTC time>``, one warning line names it, and a new
empty file takes its place. :class:`CacheFile` checks the file when it opens it
(``quick_check``: about 50 ms for a 150 MB cache) unless this process has
checked or closed it since it last changed on disk, and does the same when damage
shows later, while the file is in use (:meth:`CacheFile.guarded`).

Errors that are not damage (a locked database, a full disk, a missing folder)
are raised as they are.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

log = logging.getLogger("digest")

_DAMAGE_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB (primary result codes)
_SIDE_FILES = ("-wal", "-shm", "-journal")
_T = TypeVar("_T")
# files this process found sound, or closed without damage, as they stand on disk
_known_sound: set[tuple[int, int, int, int]] = set()


class DamagedFile(sqlite3.DatabaseError):
    """``PRAGMA quick_check`` found the file damaged."""


def is_damage(exc: BaseException) -> bool:
    """True when ``exc`` says the database file itself is damaged (not busy, not full)."""
    if isinstance(exc, DamagedFile):
        return True
    code = getattr(exc, "sqlite_errorcode", None)
    return isinstance(exc, sqlite3.DatabaseError) and code is not None and (
        code & 0xFF) in _DAMAGE_CODES


class CacheFile:
    """One connection to the SQLite file at ``path`` (WAL mode, ``schema`` applied).

    ``set_aside`` is where a damaged file found there was moved (None while none was).
    """

    def __init__(self, path: Path, schema: str) -> None:
        self.path, self.schema = path, schema
        self.set_aside: Path | None = None
        self.db = self._connect()

    def _connect(self) -> sqlite3.Connection:
        try:
            return _connect(self.path, self.schema)
        except sqlite3.DatabaseError as exc:
            if not is_damage(exc):
                raise
            self.set_aside = set_aside(self.path, exc)
        return _connect(self.path, self.schema)

    def guarded(self, work: Callable[[sqlite3.Connection], _T], fallback: _T) -> _T:
        """``work(connection)``; if the file turns out damaged, it is set aside, a new one
        opened, and ``fallback`` stands for the result (a miss, nothing written)."""
        try:
            return work(self.db)
        except sqlite3.DatabaseError as exc:
            if not is_damage(exc):
                raise
            self.db.close()
            self.set_aside = set_aside(self.path, exc)
            self.db = self._connect()
            return fallback

    def close(self) -> None:
        self.db.close()  # the last connection checkpoints the WAL into the file: it is ours
        _remember_sound(self.path)


def set_aside(path: Path, exc: BaseException) -> Path:
    """Rename the damaged file at ``path`` (and its WAL and shared-memory files) aside;
    warn in one line. Returns the new name of the file."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    aside = path.with_name(f"{path.name}.broken-{stamp}")
    for suffix in ("", *_SIDE_FILES):
        try:
            os.replace(f"{path}{suffix}", f"{aside}{suffix}")
        except FileNotFoundError:
            continue
    reason = " ".join(str(exc).split())
    log.warning("%s: damaged cache file (%s): moved aside to %s; starting a new cache",
                path, reason, aside.name)
    return aside


def _connect(path: Path, schema: str) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=30)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")  # WAL: a crash may lose the last build only
        if _identity(path) not in _known_sound:
            _check(db)
            _remember_sound(path)
        db.executescript(schema)
        db.commit()
    except BaseException:
        db.close()
        raise
    return db


def _check(db: sqlite3.Connection) -> None:
    """Raise :class:`DamagedFile` if ``PRAGMA quick_check`` finds damage."""
    problems = [row[0] for row in db.execute("PRAGMA quick_check(1)")]
    if problems != ["ok"]:
        raise DamagedFile("; ".join(problems))


def _identity(path: Path) -> tuple[int, int, int, int]:
    """The file as it stands: any write by another process changes its size or mtime."""
    try:
        st = os.stat(path)
    except OSError:
        return (0, 0, 0, 0)
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _remember_sound(path: Path) -> None:
    _known_sound.add(_identity(path))
