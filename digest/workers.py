"""Worker processes that die with the build that started them.

A pool worker waits on a queue its parent feeds; if the parent is killed
(SIGKILL, the OOM killer) the worker would wait for ever, holding memory and
open files. :func:`die_with_parent`, given to a process pool as its
``initializer``, ties the worker's life to its parent's: on Linux the kernel
sends it SIGKILL when the parent goes (``prctl(PR_SET_PDEATHSIG)``); elsewhere a
daemon thread in the worker ends it within :data:`WATCH_SECONDS` of the parent's
pid changing. A parent already gone before the worker set this up is noticed
at once.

``PR_SET_PDEATHSIG`` fires when the *thread* that forked the worker ends, not
only the process. A ``ProcessPoolExecutor`` forks its workers in the thread that
first submits work (its manager thread starts a worker only to replace one that
reached ``max_tasks_per_child``, which the pools here do not set), and the pools
here are made, used and shut down within one call on one thread: no worker
outlives that thread's use of it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
WATCH_SECONDS = 0.5  # how often the portable watchdog looks at the parent's pid


def worker_pool(jobs: int) -> ProcessPoolExecutor:
    """A pool of ``jobs`` processes that die with this one (:func:`die_with_parent`); use it
    in a ``with`` block on the thread that made it."""
    context = multiprocessing.get_context()
    # a fork server's children die with the fork server
    parent = None if context.get_start_method() == "forkserver" else os.getpid()
    return ProcessPoolExecutor(max_workers=jobs, mp_context=context,
                               initializer=die_with_parent, initargs=(parent,))


def die_with_parent(parent: int | None = None) -> None:
    """Make this process end when its parent does; ``parent`` is the pid it should have
    (None: whatever it has now, e.g. a fork server's)."""
    expected = os.getppid() if parent is None else parent
    if not _kernel_kills_orphans():
        threading.Thread(target=_watch, args=(expected,), name="die-with-parent",
                         daemon=True).start()
    if os.getppid() != expected:  # the parent went before the hook was in place
        os._exit(1)


def _kernel_kills_orphans() -> bool:
    """Ask Linux to SIGKILL this process when its parent thread ends; False elsewhere."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    os._exit(1)
