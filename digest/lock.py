"""One build at a time per site folder and per cache file, by a lock the kernel lets go.

A build holds an advisory lock (``fcntl.flock``) on a small file beside each
thing it writes: ``.site.lock`` beside ``site/``, ``.digest-cache.sqlite.lock``
beside the cache. The kernel releases the lock when the holder's process ends
in any way, SIGKILL included, so a lock is never stale and there is no pid
file to clean up; the holder's pid is written into the file only to be named
in the message a second build shows. The holder deletes the file when it is
done (a waiter that locked a deleted file tries again, so two builds never
both hold one path).

A second build waits, saying once that it does, for at most ``wait`` seconds,
then stops with a :class:`LockTimeout` naming the folder and the other build's
pid. Locks are re-entrant within a process (``digest build`` holds them and its
MkDocs plugin asks again), and a forked child drops its copies, so a worker
that outlived its build could not keep the lock.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

try:
    import fcntl
except ImportError:  # not POSIX: builds are not guarded against each other
    fcntl = None  # type: ignore[assignment]

POLL_SECONDS = 0.1  # how often a waiting build tries again
LOCK_WAIT = 600.0  # seconds a build waits for another one by default (a daily build's length)


class LockTimeout(Exception):
    """Another build held the lock for longer than this one would wait."""


_held: dict[Path, list[int]] = {}  # lock file -> [fd, depth], this process only
_guard = threading.Lock()


def lock_file(path: Path) -> Path:
    """The lock file that guards ``path`` (a site folder or a cache file): beside it."""
    name = path.name if path.name.startswith(".") else f".{path.name}"
    return path.with_name(f"{name}.lock")


@contextlib.contextmanager
def holding(paths: Sequence[Path], wait: float = LOCK_WAIT,
            say: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the locks of ``paths`` (in that order) while the block runs.

    Waits up to ``wait`` seconds for each, calling ``say`` once with a line that
    names the path and the holder's pid; raises :class:`LockTimeout` after that.
    """
    taken: list[Path] = []
    try:
        for path in paths:
            target = lock_file(Path(path).resolve())
            _acquire(target, Path(path), wait, say)
            taken.append(target)
        yield
    finally:
        for target in reversed(taken):
            _release(target)


def _acquire(target: Path, guarded: Path, wait: float,
             say: Callable[[str], None] | None) -> None:
    with _guard:
        if target in _held:
            _held[target][1] += 1
            return
    if fcntl is None:
        return
    deadline = time.monotonic() + wait
    told = False
    while True:
        fd = os.open(target, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            os.close(fd)
            if time.monotonic() >= deadline:
                raise LockTimeout(f"another build of {guarded} is running (pid {holder});"
                                  f" gave up after waiting {wait:.0f} s") from None
            if say and not told:
                say(f"another build of {guarded} is running (pid {holder});"
                    f" waiting up to {wait:.0f} s…")
                told = True
            time.sleep(POLL_SECONDS)
            continue
        if _same_file(fd, target):
            break
        os.close(fd)  # locked a file its holder deleted on release: take the new one
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()}\n".encode())
    with _guard:
        _held[target] = [fd, 1]


def _release(target: Path) -> None:
    with _guard:
        entry = _held.get(target)
        if entry is None:
            return
        entry[1] -= 1
        if entry[1] > 0:
            return
        del _held[target]
    with contextlib.suppress(OSError):
        target.unlink()  # while still locked, so no waiter can hold the old file for good
    os.close(entry[0])


def _holder(fd: int) -> str:
    try:
        return os.pread(fd, 32, 0).decode("ascii").strip() or "unknown"
    except (OSError, UnicodeDecodeError):
        return "unknown"


def _same_file(fd: int, path: Path) -> bool:
    try:
        now = os.stat(path)
    except OSError:
        return False
    mine = os.fstat(fd)
    return (now.st_dev, now.st_ino) == (mine.st_dev, mine.st_ino)


def _forget_in_child() -> None:
    """In a forked child: drop the parent's lock descriptors (the parent still holds them)."""
    for fd, _ in _held.values():
        with contextlib.suppress(OSError):
            os.close(fd)
    _held.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_in_child)
