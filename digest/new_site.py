"""``digest new DIR``: a new digest project, ready to build, from the starter files.

The starter files are package data in ``digest/starter/``. A file whose name
starts with a dot is kept there without it (a packaged dotfile is easily left
out, and a ``.github`` folder inside a package would confuse tools that look for
one), and :data:`STARTER_FILES` maps each to its place in the project.

The project has no sources yet: every example in its ``feeds.yaml`` is commented
out, and it builds as it is, into a site that says how to add one.
"""

from __future__ import annotations

import os
import shlex
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

# (file in digest/starter/, where it goes in the project), in the order they are said
STARTER_FILES: tuple[tuple[str, str], ...] = (
    ("feeds.yaml", "feeds.yaml"),
    ("mkdocs.yml", "mkdocs.yml"),
    ("docs/about.md", "docs/about.md"),
    ("gitignore", ".gitignore"),
    ("workflow-digest.yml", ".github/workflows/digest.yml"),
)


class FolderNotEmpty(Exception):
    """The folder already holds something and ``force`` was not given, or it is a file."""


@dataclass(frozen=True)
class NewSite:
    """What :func:`create_site` did: the files written, and those left as they were."""

    folder: Path
    written: tuple[str, ...]
    kept: tuple[str, ...]


def starter_file(name: str) -> Traversable:
    """One file of ``digest/starter/`` (``name`` as in :data:`STARTER_FILES`)."""
    node = resources.files("digest") / "starter"
    for part in name.split("/"):
        node = node / part
    return node


def create_site(folder: Path, *, force: bool = False) -> NewSite:
    """Write the starter files into ``folder``, made if missing.

    A folder that holds anything is refused (:class:`FolderNotEmpty`) unless
    ``force``; then only the files that do not exist yet are written, and the
    others are left exactly as they are. Raises OSError when a file cannot be
    written.
    """
    if os.path.lexists(folder) and not folder.is_dir():
        raise FolderNotEmpty(f"{folder} is a file, not a folder")
    if not force and _has_anything(folder):
        raise FolderNotEmpty(f"{folder} is not empty (--force adds only the starter files"
                             " it lacks)")
    folder.mkdir(parents=True, exist_ok=True)
    written: list[str] = []
    kept: list[str] = []
    for source, target in STARTER_FILES:
        made = _write_new(folder / target, starter_file(source).read_bytes())
        (written if made else kept).append(target)
    return NewSite(folder, tuple(written), tuple(kept))


def _has_anything(folder: Path) -> bool:
    """Whether ``folder`` exists and holds anything at all (hidden files too)."""
    if not folder.is_dir():
        return False
    with os.scandir(folder) as entries:
        return any(True for _ in entries)


def _write_new(path: Path, content: bytes) -> bool:
    """Write ``path`` only if nothing is there yet (not even a dangling link); False when
    something was."""
    if os.path.lexists(path):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("xb") as f:  # exclusive: never over a file made meanwhile
            f.write(content)
    except FileExistsError:
        return False
    return True


def next_steps(shown: str) -> list[str]:
    """What to do next, as lines to print; ``shown`` is the folder as the user named it."""
    return [
        "Next:",
        f"  cd {shlex.quote(shown)}",
        "  edit feeds.yaml: uncomment an example under 'sources:' and make it yours,",
        "    or add the feeds of an OPML file: digest import-opml subscriptions.opml",
        "  digest serve    # preview the site while you edit it",
        "  digest build    # build the site into site/",
    ]
