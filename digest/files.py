"""The files a source's ``path`` names, found when the sources are read.

A path is a glob relative to feeds.yaml's folder (or absolute). The files it
matches come back sorted and joined to that folder as written: ``../`` kept,
symlinks not resolved, so that reports name them as the user wrote them. A
glob is held to the folder it names: a file it reaches through a symlink whose
real path leaves that folder is not read unless the source says
``follow_symlinks: true``. A path without wildcards names its one file, which
is read wherever it leads. :func:`path_problems` says what a build skips: such
symlinks, and paths that match no file.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from digest.config import SourceSettings
from digest.records import Skipped


def source_files(root: Path, source: SourceSettings) -> list[Path]:
    """The files a source's path names and that are read, sorted (see :func:`matched_files`);
    ``root`` is feeds.yaml's folder."""
    return matched_files(root, source)[0]


def matched_files(root: Path, source: SourceSettings) -> tuple[list[Path], list[Path]]:
    """The files a source's path matches, sorted: those to read, and those not read because
    the glob reached them through a symlink (to the file, or to a folder on the way) whose
    real path leaves the folder the glob names."""
    # matched relative to feeds.yaml's folder, so they come back as written
    found = sorted(root / p for p in glob.glob(source.path, root_dir=root, recursive=True))
    files = [p for p in found if p.is_file()]
    folder = _glob_folder(source.path)
    if folder is None or source.follow_symlinks:
        return files, []
    real = os.path.realpath(root / folder)
    inside: list[Path] = []
    outside: list[Path] = []
    folders: dict[str, str] = {}  # each folder's real path, found once
    for path in files:
        (inside if _within(_real_file(path, folders), real) else outside).append(path)
    return inside, outside


def _real_file(path: Path, folders: dict[str, str]) -> str:
    """``os.path.realpath(path)``, with the real path of its folder found once per folder:
    a file that is not itself a symlink is where its folder really is."""
    if os.path.islink(path):
        return os.path.realpath(path)
    parent, name = os.path.split(os.fspath(path))
    if parent not in folders:
        folders[parent] = os.path.realpath(parent)
    return os.path.join(folders[parent], name)


def shown_path(root: Path, path: Path) -> str:
    """A path as the user wrote it: relative to feeds.yaml's folder when written so (``../``
    kept), else as written; never resolved to where a symlink leads."""
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


def path_problems(root: Path, sources: Iterable[SourceSettings],
                  matched: Mapping[str, tuple[list[Path], list[Path]]] | None = None
                  ) -> list[Skipped]:
    """What the sources' paths make a build skip, in feeds.yaml order: files a glob matches
    through a symlink out of its folder (named as written), and paths that match no file.
    ``matched`` holds :func:`matched_files` by source name where it was found already."""
    problems: list[Skipped] = []
    for source in sources:
        if not source.path:  # fetched from a URL
            continue
        found = (matched or {}).get(source.name)
        files, outside = found if found is not None else matched_files(root, source)
        folder = _glob_folder(source.path)
        problems.extend(Skipped(shown_path(root, path), f"symlink to a file outside {folder};"
                                f" set follow_symlinks: true on the source to read it")
                        for path in outside)
        if not files and not outside:
            problems.append(Skipped(source.where, f"sources[{source.priority}].path:"
                                                  f" {source.path!r} matches no file"))
    return problems


def _glob_folder(pattern: str) -> str | None:
    """The folder a glob names (its parts before the first wildcard); None for a pattern
    without wildcards, which names one file."""
    parts = pattern.replace(os.sep, "/").split("/")
    for i, part in enumerate(parts):
        if glob.has_magic(part):
            return "/".join(parts[:i]) or ("/" if pattern.startswith("/") else ".")
    return None


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)
