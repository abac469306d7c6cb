"""The per-article work on a Dask cluster: ``digest build --executor dask://HOST:PORT``.

The build hands :func:`~digest.per_article.map_documents` a ``concurrent.futures``
executor; :func:`executor_at` makes one from a Dask scheduler's address with
``distributed.Client(...).get_executor()``, and closes the client when the build
is done. What runs on the workers is :func:`~digest.per_article.process` over
batches of documents: pure, with no network access, and given everything it
reads, so a worker computes what a local process would. Reading the sources,
fetching feeds, pages and full text, and every later stage stay on the machine
that builds, under its network guard and per-host limits.

``distributed`` is imported only when an address is given (the ``dask`` extra:
``pip install 'newsdigest[dask]'``). Every failure is :class:`ExecutorError`, one
line a user can act on.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from concurrent.futures import Executor
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from digest.dependencies import describe_import_error

CONNECT_SECONDS = 30.0  # to reach the scheduler, and for it to have a worker
EXAMPLE = "dask://10.0.0.5:8786"
# dask:// (ours) or tcp:// (Dask's own), then a host name, an IPv4 address or an IPv6 address
# in brackets, then the port; nothing else (no path, no user, no query)
_ADDRESS = re.compile(r"(?:dask|tcp)://(?P<host>[A-Za-z0-9_.-]+|\[[0-9A-Fa-f:.]+\])"
                      r":(?P<port>[0-9]{1,5})")
DASK_EXTRA = "python -m pip install 'newsdigest[dask]'"


class ExecutorError(RuntimeError):
    """The cluster cannot be used, or failed; the message is one actionable line."""


def address_problem(text: str) -> str | None:
    """Why ``text`` is not a scheduler address (``dask://HOST:PORT``), or None; "" is none
    (the build's own processes) and has no problem."""
    if not text:
        return None
    match = _ADDRESS.fullmatch(text)
    if match is None or not 0 < int(match["port"]) < 65536:
        return (f"must be the address of a Dask scheduler, dask://HOST:PORT, such as {EXAMPLE}"
                f" (got {text!r})")
    return None


def scheduler_address(text: str) -> str:
    """``dask://HOST:PORT`` (or ``tcp://``) as Dask writes it: ``tcp://HOST:PORT``."""
    problem = address_problem(text)
    if problem or not text:
        raise ExecutorError(problem or "no scheduler address given")
    return "tcp://" + text.split("://", 1)[1]


@contextlib.contextmanager
def executor_at(address: str, connect_seconds: float | None = None
                ) -> Iterator[Executor | None]:
    """An executor on the Dask cluster whose scheduler is at ``address``, for one build; None
    for "" (the build's own processes). The client is closed when the block ends; a cluster
    that fails during it is an :class:`ExecutorError`. ``connect_seconds``: to reach the
    scheduler, and for it to have a worker (default :data:`CONNECT_SECONDS`)."""
    if not address:
        yield None
        return
    connect_seconds = CONNECT_SECONDS if connect_seconds is None else connect_seconds
    where = scheduler_address(address)
    distributed = _distributed()
    try:
        client = distributed.Client(where, timeout=connect_seconds, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise ExecutorError(f"cannot reach the Dask scheduler at {address} ({_line(exc)}): is it"
                            " running? (without an executor, the build runs here)") from None
    try:
        _check_workers(client, address, connect_seconds)
        failures = (distributed.KilledWorker, distributed.utils.CancelledError,
                    distributed.comm.CommClosedError)
        try:
            yield client.get_executor(pure=False)  # each batch its own task, never hashed
        except failures as exc:
            raise ExecutorError(f"the Dask cluster at {address} failed during the build"
                                f" ({type(exc).__name__}: {_line(exc)})") from None
    finally:
        client.close()


def _distributed() -> Any:
    """The ``distributed`` package, or an :class:`ExecutorError` saying how to get it."""
    try:
        import distributed
        import distributed.comm
        import distributed.utils
    except ImportError as exc:
        if (exc.name or "").split(".")[0] in ("distributed", "dask"):
            raise ExecutorError(f"--executor needs Dask's distributed package, which is not"
                                f" installed: {DASK_EXTRA}") from None
        raise ExecutorError(describe_import_error(exc)) from None
    return distributed


def _check_workers(client: Any, address: str, connect_seconds: float) -> None:
    """Wait for a worker; refuse a cluster whose workers run another newsdigest (or none),
    which could compute other results."""
    try:
        client.wait_for_workers(1, timeout=connect_seconds)
    except TimeoutError:
        raise ExecutorError(f"the Dask scheduler at {address} has no workers (none joined in"
                            f" {connect_seconds:g} s)") from None
    ours = version("newsdigest")
    found = client.run(version, "newsdigest", on_error="return")
    for worker, theirs in sorted(found.items()):
        if theirs != ours:
            had = ("none" if isinstance(theirs, PackageNotFoundError)
                   else _line(theirs) if isinstance(theirs, BaseException) else theirs)
            raise ExecutorError(f"the Dask worker {worker} at {address} must run newsdigest"
                                f" {ours} (it has {had}); install it there")


def _line(exc: object) -> str:
    return " ".join(str(exc).split())[:300]
