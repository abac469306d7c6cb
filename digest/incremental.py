"""Incremental rendering: reuse a page's HTML from the previous site when nothing it shows changed.

A page's HTML is a function of its Markdown and of the site's layout (MkDocs
config, theme, versions). ``digest build`` records, beside the site, a ledger
of the key of every page it published; on the next build a page whose key is
unchanged and whose HTML is in the previous site is not rendered again but
copied (hard-linked where possible) into the new site, with its sitemap
entries carried over. The ledger is written only after the new
site is swapped in, so a killed build can at worst cost a re-render, never
leave a stale page.

The ledger names the exact folder it describes (device, inode and the folder's
own modification time, which changes whenever an entry is added to or removed
from its top level), and each page file's modification time. A ledger read
beside any other folder (another build's site, one rewritten by a plain
``mkdocs build``, one a second concurrent build swapped in) is ignored, and
everything is rendered again.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import logging
import os
import re
import shutil
from collections.abc import Iterable, Mapping, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from digest.packaged_theme import theme_dir

log = logging.getLogger("digest")

LEDGER_SUFFIX = ".pages.json"
_PACKAGES = ("mkdocs", "mkdocs-material", "newsdigest", "markdown", "pymdown-extensions")


def ledger_path(site_dir: Path) -> Path:
    """Where the ledger of ``site_dir`` lives: beside it, never published."""
    return site_dir.with_name(f".{site_dir.name}{LEDGER_SUFFIX}")


def site_identity(folder: Path) -> list[int]:
    """What tells one site folder from any other that was or will be at its path."""
    st = folder.stat()
    return [st.st_dev, st.st_ino, st.st_mtime_ns]


def _ledger(site_dir: Path) -> dict[str, Any]:
    """The ledger file of the site now at ``site_dir``; empty when there is none or it was
    written for another folder than the one there now."""
    try:
        data = json.loads(ledger_path(site_dir).read_text("utf-8"))
        here = site_identity(site_dir)
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("site") == here else {}


def read_ledger(site_dir: Path) -> dict[str, list[Any]]:
    """The pages of the site now at ``site_dir``: page file -> [key, mtime_ns]."""
    return read_ledger_and_layout(site_dir)[0]


def read_ledger_and_layout(site_dir: Path) -> tuple[dict[str, list[Any]], dict[str, str]]:
    """The ledger's pages (:func:`read_ledger`) and the :func:`layout_parts` the site now at
    ``site_dir`` was built with, from one read of the file."""
    data = _ledger(site_dir)
    pages, layout = data.get("pages"), data.get("layout")
    return (pages if isinstance(pages, dict) else {},
            {str(k): str(v) for k, v in layout.items()} if isinstance(layout, dict) else {})


def write_ledger(site_dir: Path, keys: Mapping[str, str], built: int | None = None,
                 layout: Mapping[str, str] | None = None,
                 kept: Mapping[str, int] | None = None) -> None:
    """Record each page file's key with the file's mtime, so that a page later rewritten
    by anything else (a plain ``mkdocs build``) is never mistaken for ours, and the
    identity of the folder. ``built`` is the inode of the folder the build made: if
    another folder is at ``site_dir`` now, no ledger is left (the next build renders all).
    ``kept`` gives the mtimes of pages linked from the previous site (read there when they
    were found reusable: a link is the same file), so only pages made by this build are
    looked at. Never raises: a ledger that cannot be written only costs the next build a
    full render.
    """
    path = ledger_path(site_dir)
    try:
        here = site_identity(site_dir)
        if built is not None and here[1] != built:
            path.unlink(missing_ok=True)
            return
        entries: dict[str, list[Any]] = {}
        root, known = os.fspath(site_dir), kept or {}
        for dest, key in sorted(keys.items()):
            mtime = known.get(dest)
            if mtime is None:
                try:
                    mtime = os.stat(os.path.join(root, dest)).st_mtime_ns
                except OSError:
                    continue
            entries[dest] = [key, mtime]
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps({"site": here, "layout": dict(layout or {}),
                                   "pages": entries}), "utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        log.warning("%s: could not be written (%s); the next build renders every page",
                    path, exc)
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


def reusable(ledger: Mapping[str, Sequence[Any]], previous_site: Path, dest: str,
             key: str) -> bool:
    """True when the previous site holds exactly the page ``key`` describes."""
    entry = ledger.get(dest)
    if not entry or entry[0] != key:
        return False
    try:
        return os.stat(os.path.join(previous_site, dest)).st_mtime_ns == entry[1]
    except OSError:
        return False


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return ""


def layout_parts(config: Mapping[str, Any]) -> dict[str, str]:
    """What besides a page's Markdown shapes its HTML, part by part (a hash or a version):
    mkdocs.yml, the settings feeds.yaml puts into it, hand-written docs (the nav shows their
    titles), the site's theme overrides (custom_dir), the package's own theme folder (an
    editable install changes it without a new version), and package versions. A part that
    changes between two builds makes every page again, and is named (:func:`changed_parts`)."""
    def digest_of(*chunks: bytes) -> str:
        return hashlib.sha256(b"\0".join(chunks)).hexdigest()[:16]

    def folder(path: object, apart: object = None) -> str:
        if not path or not Path(str(path)).is_dir():
            return ""
        skip = Path(str(apart)).resolve() if apart else None  # a part of its own
        return digest_of(*(chunk for f in sorted(Path(str(path)).rglob("*")) if f.is_file()
                           and not (skip and f.resolve().is_relative_to(skip))
                           for chunk in (f.as_posix().encode(), f.read_bytes())))

    config_file = config.get("config_file_path")
    theme = config.get("theme")
    overrides = getattr(theme, "custom_dir", None) if theme else None
    parts = {
        "mkdocs.yml": digest_of(Path(config_file).read_bytes())
        if config_file and Path(config_file).is_file() else "",
        "site settings": digest_of(*(repr(config.get(key)).encode() for key in (
            "site_name", "site_url", "site_description", "copyright", "extra"))),
        "docs/": folder(config.get("docs_dir"), overrides),
        "theme overrides": folder(overrides),
        "digest theme": folder(theme_dir()),
    }
    parts.update({name: _version(name) for name in _PACKAGES})
    return parts


def layout_key(parts: Mapping[str, str]) -> str:
    """One key for the :func:`layout_parts` of a build."""
    return hashlib.sha256(json.dumps(dict(sorted(parts.items()))).encode()).hexdigest()[:24]


def changed_parts(before: Mapping[str, str], now: Mapping[str, str]) -> list[str]:
    """The layout parts that differ from the previous build's (none when it recorded none);
    a package is named with its versions."""
    if not before:
        return []
    changed = []
    for name, value in now.items():
        if before.get(name) != value:
            old = before.get(name) or "?"
            changed.append(f"{name} {old} -> {value}" if name in _PACKAGES else name)
    return changed


def dest_of(src: str, directory_urls: bool = True) -> str:
    """The site file MkDocs writes the page ``src`` (a ``.md`` path relative to ``docs/``)
    to: ``a/b.md`` -> ``a/b/index.html`` with directory URLs, else ``a/b.html``."""
    stem = src[:-3]
    folder, _, name = stem.rpartition("/")
    if not directory_urls:
        return f"{stem}.html"
    if name in ("index", "README"):
        return f"{folder}/index.html" if folder else "index.html"
    return f"{stem}/index.html"


def page_key(markdown: str, layout: str) -> str:
    return hashlib.sha256(f"{layout}\0{markdown}".encode()).hexdigest()[:24]


def copy_pages(previous_site: Path, site_dir: Path, dest_uris: Iterable[str]) -> None:
    """Bring the given pages' HTML over from the previous site (hard links where possible)."""
    old, new = os.fspath(previous_site), os.fspath(site_dir)
    folders: set[str] = set()  # made already
    for uri in dest_uris:
        source, target = os.path.join(old, uri), os.path.join(new, uri)
        folder = os.path.dirname(target)
        if folder not in folders:
            os.makedirs(folder, exist_ok=True)
            folders.add(folder)
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)


_URL_ENTRY = re.compile(r"\s*<url>.*?</url>", re.S)
_LOC = re.compile(r"<loc>(.*?)</loc>")


def _loc(entry: str) -> str:
    """The URL of a sitemap entry ("" when it has none)."""
    found = _LOC.search(entry)
    return found.group(1) if found else ""


def merge_sitemap(previous_site: Path | None, site_dir: Path, urls: set[str], base: str,
                  written: Sequence[str] = ()) -> None:
    """Carry the previous sitemap entries of reused pages, and the entries of pages
    ``written`` outside MkDocs' page list, into the new sitemap, in URL order, and write
    the gzip copy without a timestamp (reproducible either way)."""
    new_path = site_dir / "sitemap.xml"
    if not new_path.is_file():
        return
    new = new_path.read_text("utf-8")
    entries = [m.group(0) for m in _URL_ENTRY.finditer(new)] + [e for e in written if e]
    old_path = previous_site / "sitemap.xml" if previous_site else None
    if old_path and old_path.is_file() and urls:
        absolute = {base + u for u in urls} | urls
        entries += [m.group(0) for m in _URL_ENTRY.finditer(old_path.read_text("utf-8"))
                    if (loc := _loc(m.group(0))) and loc in absolute]
    entries.sort(key=_loc)
    start = new.index("<url>") if "<url>" in new else new.rindex("</urlset>")
    head = new[:start].rstrip() if "<url>" in new else new[:start]
    new_path.write_text(head + "".join(entries) + "\n</urlset>\n", "utf-8")
    gz = site_dir / "sitemap.xml.gz"
    if gz.exists():
        with gzip.GzipFile(gz, "wb", mtime=0) as f:
            f.write(new_path.read_bytes())
