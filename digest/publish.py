"""Swap a freshly built site into place so that readers never see half a site.

The new site is built in a staging folder beside the old one and exchanged
with it in one atomic step (Linux ``renameat2(RENAME_EXCHANGE)``; elsewhere two
renames, with the old site restored if the second fails). A build killed at any
moment before the exchange leaves the previous site untouched; a stale staging
folder from such a build is removed by the next one.

The site swapped out is renamed aside and deleted by a detached child process:
deleting tens of thousands of files is then off the build's critical path. A
folder left half-deleted (the machine stopped first) is handed to a new child
by the next build. Once the new site is live, nothing about the old one fails
the build: if it cannot be renamed aside or its deleter cannot start, a warning
says where it was left, and the next build removes it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

log = logging.getLogger("digest")

_DISCARDED = ".discarded-"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def staging_dir(site_dir: Path) -> Path:
    """The folder a new build of ``site_dir`` is written to, emptied of any earlier attempt."""
    staging = site_dir.with_name(f".{site_dir.name}.building")
    if staging.exists():
        discard(staging, site_dir)
    return staging


def discard(folder: Path, site_dir: Path) -> None:
    """Rename ``folder`` aside and delete it in a detached child process (never waited for).

    Raises OSError only if ``folder`` cannot be renamed aside; a deleter that cannot
    start is a warning (the folder is left for the next build's :func:`discard_leftovers`).
    """
    doomed = site_dir.with_name(f".{site_dir.name}{_DISCARDED}{uuid.uuid4().hex[:12]}")
    os.rename(folder, doomed)
    delete_detached(doomed)


def spool_prefix(site_dir: Path) -> str:
    """The name, before its random part, of a build's Markdown spool beside ``site_dir``."""
    return f".{site_dir.name}.markdown-"


def discard_leftovers(site_dir: Path) -> None:
    """Hand any discarded folder or Markdown spool a stopped machine left beside
    ``site_dir`` to a new child."""
    for pattern in (f".{site_dir.name}{_DISCARDED}*", f"{spool_prefix(site_dir)}*"):
        for folder in site_dir.parent.glob(pattern):
            delete_detached(folder)


def delete_detached(folder: Path) -> None:
    """Delete ``folder`` in a child process of its own session, never waited for."""
    code = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"
    try:
        subprocess.Popen([sys.executable, "-c", code, str(folder)], start_new_session=True,
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    except OSError as exc:  # out of processes or memory: the next build tries again
        log.warning("could not start deleting %s (%s); the next build will", folder, exc)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths; False where the system cannot."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def swap_in(staging: Path, site_dir: Path) -> None:
    """Make ``staging`` the site at ``site_dir``; the previous site is :func:`discard`-ed.

    Raises OSError only while the previous site is still the one at ``site_dir``.
    """
    if not site_dir.exists():
        os.rename(staging, site_dir)
        return
    if _exchange(staging, site_dir):
        _discard_replaced(staging, site_dir)  # staging now holds the previous site
        return
    previous = site_dir.with_name(f".{site_dir.name}.previous")
    if previous.exists():
        shutil.rmtree(previous)
    os.rename(site_dir, previous)
    try:
        os.rename(staging, site_dir)
    except OSError:
        os.rename(previous, site_dir)
        raise
    _discard_replaced(previous, site_dir)


def _discard_replaced(folder: Path, site_dir: Path) -> None:
    """:func:`discard` the site just replaced; the new one is live, so a failure only warns."""
    try:
        discard(folder, site_dir)
    except OSError as exc:
        log.warning("the new site is live, but the previous one could not be moved aside"
                    " for deletion (%s); it stays at %s until the next build", exc, folder)
