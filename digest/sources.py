"""Ingest: read every source named in ``feeds.yaml`` into :class:`RawDocument` records.

This is the only stage that reads inputs. A file or record that cannot be used
becomes a :class:`Skipped` entry with its path (and line) and the reason, and
the rest goes on. Every document of every source type leaves through one door,
:func:`~digest.validtext.valid_document`: valid Unicode, LF line ends, no
control characters; what it changed is reported per source and kind of change
(a notice), and a document it cannot make text is skipped.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from digest.config import URL_TYPES, Config, SourceSettings
from digest.dependencies import describe_import_error
from digest.files import matched_files, path_problems, shown_path, source_files
from digest.filters import wanted
from digest.records import RawDocument, Skipped
from digest.validtext import NotText, recorded_repairs, repair_notices, valid_document, valid_text

MAX_FILE_BYTES = 20_000_000  # larger than any article page; guards memory on a stray dump
# Text has no NUL; UTF-16 without a BOM is half NULs and binary formats (images, archives)
# have them in their headers and tables. Fewer are strays, removed at the door; compressed
# data with fewer NULs still fails the door's share of control characters.
MAX_NUL_SHARE = 0.01
_LINE_END = re.compile(r"\r\n?|\n")
# what the report calls one input of each source type, in "3 items: ..."
_INPUT_NOUN = {"text": "file", "html": "page", "jsonl": "record"}


def decode(data: bytes) -> str:
    """Bytes of a text file as str: UTF-8 (with or without BOM), UTF-16 by BOM, else cp1252.

    Raises ValueError for content that is not text: more than ``MAX_NUL_SHARE`` of its first
    4 kB are NUL bytes (outside UTF-16). A stray NUL is left for the door to remove.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    head = data[:4096]
    if head.count(0) > MAX_NUL_SHARE * len(head):
        raise ValueError("binary content, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_sources(config: Config) -> tuple[list[RawDocument], list[Skipped], list[Skipped]]:
    """Every source in feeds.yaml order: documents, skipped inputs, and notices.

    Feeds and web pages (``rss``, ``atom``, ``jsonfeed``, ``html``) are read by
    :mod:`digest.fetch`, concurrently and through the cache; a failing one keeps
    its last good items and is reported (skipped, with the error and since
    when), never raised. An item whose full text could not be fetched keeps its
    teaser and gets a notice. Each source's ``include``/``exclude`` keywords
    then filter its documents. Duplicate ids keep the first and report the rest.
    """
    docs: list[RawDocument] = []
    matched = {s.name: matched_files(config.root, s) for s in config.sources if s.path}
    skipped = path_problems(config.root, config.sources, matched)
    notices: list[Skipped] = []
    seen: dict[str, str] = {}
    web = [s for s in config.sources if s.type in URL_TYPES]
    fetched = _read_web(config, web) if web else {}
    for source in config.sources:
        found, skip, notice = _read_one(config, source, fetched,
                                        matched.get(source.name, ([], []))[0])
        found, refused, repaired = _at_the_door(source, found)
        skipped.extend(_of(source, [*skip, *refused]))
        notices.extend(_of(source, [*notice, *repaired]))
        for doc in found:
            if not wanted(doc, source.include, source.exclude):
                continue
            if doc.id in seen:
                first = seen[doc.id]
                skipped.append(Skipped(doc.origin, f"duplicate id {doc.id!r} (first in {first})",
                                       source.name))
                continue
            seen[doc.id] = doc.origin
            docs.append(doc)
    return docs, [_valid_entry(s) for s in skipped], [_valid_entry(s) for s in notices]


def newest_input(config: Config) -> dt.datetime | None:
    """When the newest input of ``config`` was made: the latest of the modification times
    of the files its sources name and of the fetch times kept for its URL sources (their
    last good fetch); else feeds.yaml's modification time; None when there is none.
    The build date of a digest no article of which gives a date: the same files, with the
    same times, give the same date."""
    times: list[dt.datetime] = []
    for source in config.sources:
        if not source.path:
            continue
        for path in source_files(config.root, source):
            try:
                times.append(dt.datetime.fromtimestamp(int(path.stat().st_mtime), dt.UTC))
            except (OSError, ValueError, OverflowError):
                continue
    if any(s.type in URL_TYPES and s.url for s in config.sources):
        times.extend(_fetch_times(config))
    if not times:
        try:
            return dt.datetime.fromtimestamp(int(config.path.stat().st_mtime), dt.UTC)
        except (OSError, ValueError, OverflowError):
            return None
    return max(times)


def _fetch_times(config: Config) -> list[dt.datetime]:
    """When each URL source was last fetched with success, as the cache's fetch state says."""
    try:
        from digest.fetch.ingest import source_states
        states = source_states(config)
    except (ImportError, OSError, sqlite3.Error):  # no usable fetch state: no time
        return []
    times = []
    for state in states.values():
        try:
            moment = dt.datetime.fromisoformat(state.fetched_at)
        except ValueError:
            continue
        times.append(moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC))
    return times


def _at_the_door(source: SourceSettings, found: list[RawDocument]) -> Read:
    """The source's documents made valid text, those that cannot be (skipped), and one
    notice per kind of change made (for feeds, also what was changed when an item was
    fetched: kept items are reported on every build that publishes them)."""
    docs: list[RawDocument] = []
    refused: list[Skipped] = []
    changed: list[tuple[str, Counter[str]]] = []
    for doc in found:
        try:
            valid, repairs = valid_document(doc)
        except NotText as exc:
            refused.append(Skipped(doc.origin, str(exc)))
            continue
        if source.type in URL_TYPES:
            repairs.update(recorded_repairs(valid))
        if repairs:
            changed.append((valid.origin, repairs))
        docs.append(valid)
    noun = _INPUT_NOUN.get(source.type, "item")
    return docs, refused, repair_notices(source.location or source.where, noun, changed)


def _valid_entry(entry: Skipped) -> Skipped:
    """A report entry that the report can be written with (a file name's undecodable bytes,
    a control character in an error message)."""
    origin, reason = valid_text(entry.origin)[0], valid_text(entry.reason)[0]
    if (origin, reason) == (entry.origin, entry.reason):
        return entry
    return Skipped(origin, reason, entry.source)


def _of(source: SourceSettings, entries: list[Skipped]) -> list[Skipped]:
    """Report entries of one source, each marked as the source's."""
    return [e if e.source else Skipped(e.origin, e.reason, source.name) for e in entries]


Read = tuple[list[RawDocument], list[Skipped], list[Skipped]]  # documents, skipped, notices


def _read_web(config: Config, sources: list[SourceSettings]) -> dict[str, Read]:
    """Feeds and pages, by source name, through :mod:`digest.fetch` (imported only when a
    build has such sources); if it cannot be imported, each source is skipped saying why."""
    try:
        from digest.fetch.ingest import read_fetched_sources  # httpx, feedparser: loaded lazily
    except ImportError as exc:
        reason = describe_import_error(exc)
        return {s.name: ([], [Skipped(s.url or s.where, reason)], []) for s in sources}
    return {name: (list(r.docs), list(r.skipped), list(r.notices))
            for name, r in read_fetched_sources(config, sources).items()}


def _read_one(config: Config, source: SourceSettings, fetched: dict[str, Read],
              files: list[Path]) -> Read:
    """A source's documents: fetched ones, else read from its ``files``."""
    if source.type in URL_TYPES:
        return fetched[source.name]
    docs: list[RawDocument] = []
    skipped: list[Skipped] = []
    for path in files:
        shown = shown_path(config.root, path)
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                raise ValueError(f"file is {size:,} bytes, over the {MAX_FILE_BYTES:,} limit")
            text = decode(path.read_bytes())
        except (OSError, ValueError) as exc:
            skipped.append(Skipped(shown, str(exc)))
            continue
        if source.type == "jsonl":
            for doc_or_skip in _jsonl(text, shown, source):
                if isinstance(doc_or_skip, RawDocument):
                    docs.append(doc_or_skip)
                else:
                    skipped.append(doc_or_skip)
        elif not text.strip():
            skipped.append(Skipped(shown, "empty file"))
        else:
            rel = path.relative_to(config.root) if path.is_relative_to(config.root) else path
            doc_id = f"{source.name}/{rel.with_suffix('').name}"
            docs.append(RawDocument(doc_id, source.name, shown, text=text,
                                    priority=source.priority))
    return docs, skipped, []


def _jsonl(text: str, shown: str, source: SourceSettings) -> Iterator[RawDocument | Skipped]:
    """Records one per line. Lines end at LF, CRLF or CR only: str.splitlines would also cut
    at U+2028, U+0085 or a form feed, which a JSON string may hold as they are. A raw control
    character inside a string is read (strict=False) and left for the door to remove."""
    for number, line in enumerate(_LINE_END.split(text), start=1):
        if not line.strip():
            continue
        where = f"{shown}:{number}"
        try:
            record = json.loads(line, strict=False)
        except json.JSONDecodeError as exc:
            yield Skipped(where, f"not valid JSON ({exc.msg})")
            continue
        except (ValueError, RecursionError) as exc:  # a 5,000-digit number, [[[[...]]]]
            yield Skipped(where, f"not usable JSON ({type(exc).__name__}: {str(exc)[:120]})")
            continue
        if not isinstance(record, dict):
            yield Skipped(where, "not a JSON object")
            continue
        has_text = isinstance(record.get("text"), str) and record["text"].strip()
        has_body = isinstance(record.get("body"), list) and any(
            isinstance(p, str) and p.strip() for p in record["body"])
        if not (has_text or has_body):
            yield Skipped(where, "no 'text' or 'body' with content")
            continue
        record_id = str(record.get("id") or number)
        yield RawDocument(f"{source.name}/{record_id}", source.name, where, fields=record,
                          priority=source.priority)

