"""The build cache: one SQLite file keeping each article's per-article stage results.

Entries are keyed by a hash of the input document, the settings that shape the
result, and the code of the per-article stages, so a changed input, setting or
stage misses and everything else is reused. Writes are transactional (WAL):
a build killed half-way leaves the cache as it was before or after a batch,
never torn.

Values are stored as JSON (:mod:`digest.cache_codec`), never pickles: a cache
file restored from anywhere cannot run code, and a row that does not decode is
a miss. A damaged file is set aside and replaced by a new one
(:mod:`digest.cache_file`), at opening or whenever the damage shows: the build
goes on, computing again what the file held.

The pipeline asks a :class:`Store` for two things: :meth:`~Store.each`, results
per item (an article, a page, a topic) keyed by what each is made from, computing
only the missing ones in one batch; and :meth:`~Store.latest`, the result of a
corpus-wide step (grouping) while its inputs are unchanged, one kept per kind.
:class:`Cache` keeps them in the file; :class:`NoCache` computes everything, so a
build without a cache runs the same code.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from digest.cache_codec import Codec, Undecodable
from digest.cache_file import CacheFile

log = logging.getLogger("digest")

_STAGE_PACKAGES = ("clean", "summarize", "dedupe", "group")
_STAGE_MODULES = ("records.py", "text.py", "fields.py", "headline.py", "per_article.py",
                  "pipeline.py", "site/tags.py", "site/paths.py")  # tags: their slugs too
_SLOT = "slot:"  # key prefix of corpus-wide results (hex keys never start with it)
_RECENT = "recent:"  # key prefix of what is remembered of a group's latest inputs
_SCHEMA = ("CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY,"
           " value BLOB NOT NULL, version TEXT NOT NULL DEFAULT '');")


@cache
def code_version() -> str:
    """A hash of the stage code: editing a stage invalidates its cached results."""
    root = Path(__file__).parent
    h = hashlib.sha256()
    for name in _STAGE_PACKAGES + _STAGE_MODULES:
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


Compute = Callable[[list[int]], list[Any]]  # positions of the missing items -> their results


class Store(Protocol):
    """What the pipeline keeps between builds, and how it asks for it."""

    @property
    def set_aside(self) -> Path | None:
        """Where a damaged cache file was moved in this build (None if none was)."""

    def each(self, kind: str, inputs: Sequence[Any], compute: Compute, of: Any = object
             ) -> list[Any]:
        """The result for each of ``inputs`` (what the result is made from, by
        :func:`key_for`): kept ones as kept, the others from one call of ``compute`` with
        their positions (then kept). Equal inputs may share one computation. A kept value
        not of the type ``of`` (an annotation, e.g. ``tuple[TopicSentence, ...]``: a
        crafted or foreign row) is computed again."""

    def latest(self, kind: str, inputs: Any, compute: Callable[[], Any], of: Any = object
               ) -> Any:
        """The result of ``compute()``, kept while ``inputs`` are unchanged: one per kind;
        a kept value not of the type ``of`` is computed again."""

    def recent(self, kind: str, group: str, entries: Sequence[tuple[str, Any]], limit: int
               ) -> list[Any]:
        """The values of ``entries`` (``(id, value)``, this build's) and of those remembered
        for ``group`` from earlier builds whose ids are not among them; the ``limit`` most
        recently seen are remembered for the next build. The history survives new code."""

    def prune(self) -> int:
        """Delete what no key of this code can reach; the count deleted."""

    def close(self) -> None: ...


class NoCache:
    """A :class:`Store` that keeps nothing: every result is computed."""

    set_aside: Path | None = None

    def each(self, kind: str, inputs: Sequence[Any], compute: Compute, of: Any = object
             ) -> list[Any]:
        log.info("%s: 0 cached, %d processed", kind, len(inputs))
        return compute(list(range(len(inputs)))) if inputs else []

    def latest(self, kind: str, inputs: Any, compute: Callable[[], Any], of: Any = object
               ) -> Any:
        return compute()

    def recent(self, kind: str, group: str, entries: Sequence[tuple[str, Any]], limit: int
               ) -> list[Any]:
        return [value for _, value in entries]

    def prune(self) -> int:
        return 0

    def close(self) -> None:
        pass


class Cache:
    """A key -> value store of stage results in one SQLite file.

    Values are plain data and frozen dataclasses of the classes in ``records``
    (see :class:`~digest.cache_codec.Codec`). Each entry records the stage code it
    was made by (:func:`code_version`), so :meth:`prune` can drop every entry an
    older version left; a corpus-wide result lives in one *slot* per kind
    (:meth:`get_slot`), replaced when its inputs change, so daily builds do not pile
    up yesterday's topics. ``set_aside`` is where a damaged file was moved, if one was.
    """

    def __init__(self, path: str | Path, records: Iterable[type] = ()) -> None:
        self.path = Path(path)
        self.codec = Codec(records)
        self.file = CacheFile(self.path, _SCHEMA)
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(results)")}
        if "version" not in columns:  # a cache file from before versions were recorded
            self.db.execute("ALTER TABLE results ADD COLUMN version TEXT NOT NULL DEFAULT ''")
            self.db.commit()

    @property
    def db(self) -> sqlite3.Connection:
        return self.file.db

    @property
    def set_aside(self) -> Path | None:
        """Where a damaged cache file was moved in this build (None if none was)."""
        return self.file.set_aside

    def each(self, kind: str, inputs: Sequence[Any], compute: Compute, of: Any = object
             ) -> list[Any]:
        """:meth:`Store.each`, keyed by ``key_for(kind, input)``."""
        keys = [key_for(kind, item) for item in inputs]
        found = self.get_many(keys)
        if of is not object:
            found = {k: v for k, v in found.items() if self.codec.fits(v, of)}
        first: dict[str, int] = {}  # each missing key, computed once: at its first position
        for i, key in enumerate(keys):
            if key not in found:
                first.setdefault(key, i)
        todo = list(first.values())
        new = dict(zip(first, compute(todo), strict=True)) if todo else {}
        if new:
            self.put_many(new)
        log.info("%s: %d cached, %d processed", kind, len(keys) - len(todo), len(todo))
        return [found[k] if k in found else new[k] for k in keys]

    def latest(self, kind: str, inputs: Any, compute: Callable[[], Any], of: Any = object
               ) -> Any:
        """:meth:`Store.latest`, in the ``kind`` slot (:meth:`get_slot`)."""
        key = key_for(kind, inputs)
        hit, value = self.get_slot(kind, key)
        if not hit or not self.codec.fits(value, of):
            value = compute()
            self.put_slot(kind, key, value)
        return value

    def recent(self, kind: str, group: str, entries: Sequence[tuple[str, Any]], limit: int
               ) -> list[Any]:
        """:meth:`Store.recent`: one row per kind and group, oldest first, rewritten (with
        this code's version, so :meth:`prune` keeps it) on every build."""
        key = _RECENT + key_for(kind, group)
        found = self.get_many([key]).get(key)
        earlier = found if isinstance(found, tuple) else ()
        now = {entry_id for entry_id, _ in entries}
        kept = [e for e in earlier
                if isinstance(e, tuple) and len(e) == 2 and isinstance(e[0], str)
                and e[0] not in now]
        remembered = (*kept, *((entry_id, value) for entry_id, value in entries))
        self.put_many({key: remembered[-limit:] if limit > 0 else ()})
        return [value for _, value in entries] + [value for _, value in kept[
            max(0, len(kept) - max(0, limit - len(entries))):]]

    def get_many(self, keys: Iterable[str]) -> dict[str, Any]:
        """The value of each of ``keys`` the cache holds; a row that does not decode is a
        miss."""
        wanted = list(dict.fromkeys(keys))
        return self.file.guarded(lambda db: self._get_many(db, wanted), {})

    def _get_many(self, db: sqlite3.Connection, wanted: list[str]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        decode = self.codec.decode
        for start in range(0, len(wanted), 500):
            batch = wanted[start:start + 500]
            marks = ",".join("?" * len(batch))
            for key, value in db.execute(
                    f"SELECT key, value FROM results WHERE key IN ({marks})", batch):
                try:
                    found[key] = decode(value)
                except Undecodable:  # damaged, foreign or from an older format: recompute it
                    continue
        return found

    def put_many(self, items: Mapping[str, Any]) -> None:
        version = code_version()
        rows = [(k, self.codec.encode(v), version) for k, v in items.items()]

        def write(db: sqlite3.Connection) -> bool:
            with db:
                db.executemany(
                    "INSERT OR REPLACE INTO results (key, value, version) VALUES (?, ?, ?)",
                    rows)
            return True

        if not self.file.guarded(write, False):  # the file was damaged: write to the new one
            self.file.guarded(write, False)

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
        def delete(db: sqlite3.Connection) -> int:
            with db:
                return db.execute("DELETE FROM results WHERE version != ?",
                                  (code_version(),)).rowcount

        return self.file.guarded(delete, 0)

    def close(self) -> None:
        self.file.close()

    def __enter__(self) -> Cache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
