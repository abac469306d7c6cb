"""Ingest: read every source named in ``feeds.yaml`` into :class:`RawDocument` records.

This is the only stage that reads inputs. A file or record that cannot be used
becomes a :class:`Skipped` entry with its path (and line) and the reason, and
the rest goes on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from digest.config import URL_TYPES, Config, SourceSettings
from digest.dependencies import describe_import_error
from digest.fetch.filters import wanted
from digest.records import RawDocument, Skipped

MAX_FILE_BYTES = 20_000_000  # larger than any article page; guards memory on a stray dump


def decode(data: bytes) -> str:
    """Bytes of a text file as str: UTF-8 (with or without BOM), UTF-16 by BOM, else cp1252.

    Raises ValueError for content that is not text (NUL bytes outside UTF-16).
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:4096]:
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
    skipped = list(config.problems)
    notices: list[Skipped] = []
    seen: dict[str, str] = {}
    web = [s for s in config.sources if s.type in URL_TYPES]
    fetched = _read_web(config, web) if web else {}
    for source in config.sources:
        found, skip, notice = _read_one(config, source, fetched)
        skipped.extend(skip)
        notices.extend(notice)
        for doc in found:
            if not wanted(doc, source.include, source.exclude):
                continue
            if doc.id in seen:
                first = seen[doc.id]
                skipped.append(Skipped(doc.origin, f"duplicate id {doc.id!r} (first in {first})"))
                continue
            seen[doc.id] = doc.origin
            docs.append(doc)
    return docs, skipped, notices


Read = tuple[list[RawDocument], list[Skipped], list[Skipped]]  # documents, skipped, notices


def _read_web(config: Config, sources: list[SourceSettings]) -> dict[str, Read]:
    """Feeds and pages, by source name, through :mod:`digest.fetch` (imported only when a
    build has such sources); if it cannot be imported, each source is skipped saying why."""
    try:
        from digest.fetch import read_fetched_sources  # httpx and feedparser, loaded lazily
    except ImportError as exc:
        reason = describe_import_error(exc)
        return {s.name: ([], [Skipped(s.url or s.where, reason)], []) for s in sources}
    return {name: (list(r.docs), list(r.skipped), list(r.notices))
            for name, r in read_fetched_sources(config, sources).items()}


def _read_one(config: Config, source: SourceSettings, fetched: dict[str, Read]) -> Read:
    if source.type in URL_TYPES:
        return fetched[source.name]
    docs: list[RawDocument] = []
    skipped: list[Skipped] = []
    for path in config.files(source):
        shown = _shown(path, config.root)
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
                (docs if isinstance(doc_or_skip, RawDocument) else skipped).append(doc_or_skip)
        elif not text.strip():
            skipped.append(Skipped(shown, "empty file"))
        else:
            rel = path.relative_to(config.root) if path.is_relative_to(config.root) else path
            doc_id = f"{source.name}/{rel.with_suffix('').name}"
            docs.append(RawDocument(doc_id, source.name, shown, text=text,
                                    priority=source.priority))
    return docs, skipped, []


def _jsonl(text: str, shown: str, source: SourceSettings) -> Iterator[RawDocument | Skipped]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{shown}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Skipped(where, f"not valid JSON ({exc.msg})")
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


def _shown(path: Path, root: Path) -> str:
    """A path as the user wrote it: relative to feeds.yaml's folder where possible."""
    try:
        return str(path.resolve().relative_to(root))
    except ValueError:
        return str(path)
