"""The site's search index: Pagefind bundles over the digest's search records, by period.

A reader's search downloads Pagefind's script, its WebAssembly, one bundle's
metadata, the index chunks that hold the words searched for and the fragments
of the results shown: a few hundred kilobytes whatever the archive's size. The
records (:mod:`digest.site.search`) are cut into **shards** of consecutive days,
oldest first, each of at most :data:`SHARD_RECORDS` records, so that

- no indexer run holds more than one shard (its memory is bounded by the shard,
  not by the archive);
- a new day changes only the newest shard: every older shard has the same
  records, hence the same key, and its bundle is copied from where the build
  keeps them (beside the cache file) instead of being indexed again;
- a first search reads the newest shard only; the search box merges older
  shards on demand ("more results").

``pagefind/shards.json`` in the site lists the shards, newest first. A shard's
bundle is ``pagefind/<first day>[-<n>]/``. Pagefind runs as its own process
(the ``pagefind_extended`` binary of the ``pagefind-bin-extended`` package,
which segments Chinese and Japanese text too), with a deadline; a shard it cannot
index is left out of search with one warning, and the build goes on.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from digest.records import Skipped
from digest.site.search import SearchRecord

log = logging.getLogger("digest")

SHARD_RECORDS = 10_000  # records per shard: bounds the indexer's memory and a shard's metadata
SITE_FOLDER = "pagefind"
SHARDS_FILE = "shards.json"
DEADLINE = 900  # seconds one shard may take to index before it is given up
# what the bundle holds that the digest's search box does not load (Pagefind's own UIs)
# what a bundle holds: Pagefind's code (the same bytes in every bundle one Pagefind writes
# for one language) and its data
CODE = re.compile(r"pagefind\.js|pagefind-worker\.js|wasm\.[a-z-]+\.pagefind")
DATA = re.compile(r"pagefind-entry\.json|pagefind\.[\w-]+\.pf_meta|index/[\w-]+\.pf_index"
                  r"|fragment/[\w-]+\.pf_fragment")
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js",
          "pagefind-component-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-highlight.js")


@dataclass(frozen=True)
class Shard:
    name: str  # the first day it holds ("2026-03-04"), "-2"... when a day fills several
    records: tuple[SearchRecord, ...]

    def key(self, language: str) -> str:
        """What the bundle is made from: the pages Pagefind reads (so a change in how a
        record is written is a new bundle too), where they are, and Pagefind's version."""
        h = hashlib.sha256(f"{_pagefind_version()}\0{language}\0".encode())
        for n, record in enumerate(self.records):
            h.update(f"{_document_path(record, n)}\0{document(record, language)}\0".encode())
        return h.hexdigest()[:24]


def shards(records: Iterable[SearchRecord], size: int = SHARD_RECORDS) -> list[Shard]:
    """The records in shards of consecutive days, oldest first, each of at most ``size``
    records (a day with more fills several). Undated records count as the newest day. A
    shard closes as soon as the next day would overflow it, so adding days changes only
    the last shard."""
    by_day: dict[str, list[SearchRecord]] = defaultdict(list)
    for record in records:
        by_day[record.day or "9999-12-31"].append(record)
    out: list[Shard] = []
    current: list[SearchRecord] = []
    first = ""
    for day in sorted(by_day):
        todays = sorted(by_day[day], key=lambda r: r.url)
        if current and len(current) + len(todays) > size:
            out.append(Shard(first, tuple(current)))
            current = []
        if not current:
            first = _label(day)
        part = 1
        while len(current) + len(todays) > size:  # a day larger than a shard: in parts
            room = size - len(current)
            out.append(Shard(first, (*current, *todays[:room])))
            todays = todays[room:]
            part += 1
            current, first = [], f"{_label(day)}-{part}"
        current += todays
    if current:
        out.append(Shard(first, tuple(current)))
    return out


def _label(day: str) -> str:
    return "undated" if day == "9999-12-31" else day


def document(record: SearchRecord, language: str) -> str:
    """The little page Pagefind indexes for one record: every text escaped; the title,
    source, date and (for an article without a page of its own) link as metadata."""
    def meta(name: str, value: str) -> str:
        return f'<p data-pagefind-meta="{name}">{html.escape(value)}</p>' if value else ""

    external = record.url if "://" in record.url else ""
    lines = record.content.split("\n")
    if lines and lines[0] == record.title:  # the title is the heading, weighted as one
        lines = lines[1:]
    weight = "" if record.weight == 1 else f' data-pagefind-weight="{record.weight:g}"'
    return (f'<!doctype html><html lang="{html.escape(language)}"><head><meta charset="utf-8">'
            f'<title>{html.escape(record.title)}</title></head><body>'
            f'{meta("source", record.source)}{meta("date", record.date)}{meta("link", external)}'
            f'<div data-pagefind-body>'
            f'<h1 data-pagefind-meta="title">{html.escape(record.title)}</h1>'
            + "".join(f"<p{weight}>{html.escape(line)}</p>" for line in lines)
            + "</div></body></html>")


def _document_path(record: SearchRecord, n: int) -> str:
    """Where the record's page goes in the indexer's input: its URL's folder (Pagefind makes
    the result's URL from it), or ``external/<n>/`` for an absolute URL."""
    if "://" in record.url or not record.url or record.url.startswith(("/", ".")):
        return f"external/{n}/index.html"
    return f"{record.url.rstrip('/')}/index.html"


def write_search(records: Sequence[SearchRecord], site_dir: Path, language: str,
                 store: Path | None) -> list[Skipped]:
    """Write the search bundles of ``records`` into ``site_dir/pagefind`` and list them in
    ``shards.json``; bundles indexed before (same key) are copied from ``store``, new ones
    are kept there. Returns the shards that could not be indexed, for the build report."""
    lang = (language or "en").split("-")[0].lower() or "en"
    out = site_dir / SITE_FOLDER
    out.mkdir(parents=True, exist_ok=True)
    made: list[str] = []
    failed: list[Skipped] = []
    keys: set[str] = set()
    with tempfile.TemporaryDirectory(prefix="digest-search-") as tmp:
        keep = store or Path(tmp) / "store"
        keep.mkdir(parents=True, exist_ok=True)
        code: dict[str, bytes] | None = None  # Pagefind's own, made once if a bundle is kept
        for shard in shards(records, SHARD_RECORDS):
            key = shard.key(lang)
            keys.add(key)
            bundle = keep / key
            if bundle.is_dir():
                if code is None:
                    code = _reference_code(lang, Path(tmp))
                if not _sound(bundle, code):  # not as Pagefind wrote it: indexed again
                    shutil.rmtree(bundle, ignore_errors=True)
            if not bundle.is_dir():
                try:
                    _index(shard, lang, bundle, Path(tmp))
                except IndexingFailed as exc:
                    log.warning("search: the shard from %s (%d records) was left out: %s",
                                shard.name, len(shard.records), exc)
                    failed.append(Skipped(f"{SITE_FOLDER}/{shard.name}/",
                                          f"search index of {len(shard.records)} records not "
                                          f"written: {exc}"))
                    continue
            _link_tree(bundle, out / shard.name)
            made.append(shard.name)
    if store is not None:
        _prune(store, keys)
    (out / SHARDS_FILE).write_text(json.dumps({"shards": made[::-1]}), "utf-8")
    return failed


class IndexingFailed(Exception):
    pass


def _reference_code(language: str, tmp: Path) -> dict[str, bytes]:
    """Pagefind's code files as this Pagefind writes them for ``language`` (indexing one
    record); empty when it cannot run (then no kept bundle is sound)."""
    bundle = Path(tempfile.mkdtemp(dir=tmp, prefix="reference-")) / "bundle"
    try:
        _index(Shard("reference", (SearchRecord("reference/", "Reference", "Reference"),)),
               language, bundle, tmp)
    except IndexingFailed:
        return {}
    return {name: Path(path).read_bytes() for name, path in _files(bundle).items()
            if CODE.fullmatch(name)}


def _files(bundle: Path) -> dict[str, str]:
    """Every entry under ``bundle`` but its folders, by its relative path (symlinks listed,
    never followed)."""
    root = os.fspath(bundle)
    out: dict[str, str] = {}
    for top, dirs, names in os.walk(root):
        rel = os.path.relpath(top, root).replace(os.sep, "/")
        prefix = "" if rel == "." else rel + "/"
        for name in [*names, *(d for d in dirs if os.path.islink(os.path.join(top, d)))]:
            out[prefix + name] = os.path.join(top, name)
    return out


def _sound(bundle: Path, code: dict[str, bytes]) -> bool:
    """Whether a kept bundle holds only what Pagefind writes: regular files, the code byte
    for byte as this Pagefind writes it, data files by their names. The folder beside the
    cache file is not trusted to hold what the build put there."""
    if not code:
        return False
    files = _files(bundle)
    if not set(code) <= set(files):
        return False
    for name, path in files.items():
        if os.path.islink(path) or not os.path.isfile(path):
            return False
        if name in code:
            with open(path, "rb") as f:
                if f.read() != code[name]:
                    return False
        elif not DATA.fullmatch(name):
            return False
    return True


def _index(shard: Shard, language: str, bundle: Path, tmp: Path) -> None:
    """Run Pagefind over the shard's documents into ``bundle`` (written aside, then
    renamed, so a bundle is there whole or not at all)."""
    source = Path(tempfile.mkdtemp(dir=tmp, prefix="in-"))
    for n, record in enumerate(shard.records):
        path = source / _document_path(record, n)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(document(record, language), "utf-8")
    partial = bundle.with_name(bundle.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    command = [str(_executable()), "--site", str(source), "--output-path", str(partial),
               "--force-language", language, "--quiet"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=DEADLINE,
                              check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise IndexingFailed(str(exc)) from None
    finally:
        shutil.rmtree(source, ignore_errors=True)
    if done.returncode != 0:
        last = (done.stderr or done.stdout).strip().splitlines()
        raise IndexingFailed(last[-1] if last else f"pagefind exited with {done.returncode}")
    for name in UNUSED:
        (partial / name).unlink(missing_ok=True)
    os.replace(partial, bundle)


def _executable() -> Path:
    """The Pagefind binary the ``pagefind-bin-extended`` package installs."""
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:
        raise IndexingFailed("the pagefind-bin-extended package is not installed") from None
    return Path(get_executable())


def _pagefind_version() -> str:
    try:
        return version("pagefind_bin_extended")
    except PackageNotFoundError:
        return ""


def _link_tree(source: Path, target: Path) -> None:
    """Hard-link (else copy) every file of ``source`` into ``target``."""
    root, into = os.fspath(source), os.fspath(target)
    for top, _dirs, names in os.walk(root):
        folder = os.path.normpath(os.path.join(into, os.path.relpath(top, root)))
        os.makedirs(folder, exist_ok=True)
        for name in names:
            try:
                os.link(os.path.join(top, name), os.path.join(folder, name))
            except OSError:
                shutil.copy2(os.path.join(top, name), os.path.join(folder, name))


def _prune(store: Path, keys: set[str]) -> None:
    """Remove the kept bundles no shard of this build uses."""
    for entry in store.iterdir():
        if entry.name not in keys:
            shutil.rmtree(entry, ignore_errors=True)


def search_store(cache: str | Path | None) -> Path | None:
    """Where bundles are kept between builds: beside the cache file (``.digest-cache.sqlite``
    -> ``.digest-cache.sqlite-search/``); None without a cache (each build indexes all)."""
    if cache is None:
        return None
    return Path(cache).with_name(f"{Path(cache).name}-search")
