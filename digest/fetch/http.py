"""A polite HTTP client: one clear User-Agent, bounded in time, size, redirects and reach.

Every request made through :class:`PoliteClient` is, per host, spaced by
``host_interval`` seconds and limited to ``host_concurrency`` at once; 429 and
5xx answers are retried with exponential backoff, honouring ``Retry-After``. A
``get`` that takes longer than ``total_timeout`` in all (connect, status line,
headers, body, every redirect hop and retry) is cut; a body larger than
``max_bytes``, raw or once decoded (each Content-Encoding layer capped as it
streams), is cut; a host that resolves to a private address not listed in
``allow_private_hosts`` is refused before any byte is sent, redirects included
(:class:`RefusedFetch`). Each is a :class:`FetchError` with a one-line message.
Conditional GET (``If-None-Match`` / ``If-Modified-Since``) is the caller's
choice through :class:`Validators`.
"""

from __future__ import annotations

import email.utils
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from digest.config import FetchSettings
from digest.fetch.addresses import parse_allowed
from digest.fetch.decoding import ContentError, decoded
from digest.fetch.transport import AddressRefused, GuardedTransport, deadline_at

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


class FetchError(Exception):
    """A URL could not be fetched; the message is one line fit for the build report."""

    def __init__(self, message: str, status: int | None = None, retryable: bool = False) -> None:
        super().__init__(message)
        self.status = status  # the HTTP status, when the server answered
        self.retryable = retryable


class RefusedFetch(FetchError):
    """The address policy refused the host of the URL asked for (private and not listed in
    ``allow_private_hosts``); a refused redirect target is a plain :class:`FetchError`."""


def _allows(allowed: Callable[[str], bool], url: str) -> bool:
    """``allowed(url)`` for a redirect target, a refusal while asking (robots.txt of a
    refused host) said as one."""
    try:
        return allowed(url)
    except RefusedFetch as exc:
        raise FetchError(f"redirected to {url}: {exc}") from None


@dataclass(frozen=True)
class Validators:
    """What a server said identifies a version of a resource (for conditional GET)."""

    etag: str = ""
    last_modified: str = ""

    def headers(self) -> dict[str, str]:
        out = {}
        if self.etag:
            out["If-None-Match"] = self.etag
        if self.last_modified:
            out["If-Modified-Since"] = self.last_modified
        return out


@dataclass(frozen=True)
class Response:
    """A completed fetch: 200 with its body, or 304 (not modified) with an empty body."""

    url: str  # the final URL, after redirects
    status: int
    body: bytes
    content_type: str
    validators: Validators
    attempts: int = 1  # requests sent for the last hop, retries included
    redirects: tuple[str, ...] = ()  # the URLs redirected to, in order

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """``Retry-After`` as seconds from now (delta-seconds or an HTTP date); None if absent/bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class HostGate:
    """Per-host politeness: at most ``concurrency`` requests at once, ``interval`` s apart."""

    def __init__(self, interval: float, concurrency: int,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.interval, self.concurrency = interval, concurrency
        self.clock, self.sleep = clock, sleep
        self._lock = threading.Lock()
        self._slots: dict[str, threading.Semaphore] = {}
        self._next: dict[str, float] = {}
        self._intervals: dict[str, float] = {}  # hosts that asked for more (robots Crawl-delay)

    def slow_down(self, host: str, interval: float) -> None:
        """Space requests to ``host`` at least ``interval`` seconds apart from now on."""
        with self._lock:
            self._intervals[host] = max(interval, self._intervals.get(host, 0.0))

    def slot(self, host: str) -> threading.Semaphore:
        with self._lock:
            if host not in self._slots:
                self._slots[host] = threading.Semaphore(self.concurrency)
            return self._slots[host]

    def wait_turn(self, host: str) -> None:
        """Block until this host may be sent one more request; reserves that turn."""
        with self._lock:
            now = self.clock()
            start = max(now, self._next.get(host, now))
            self._next[host] = start + max(self.interval, self._intervals.get(host, 0.0))
        if start > now:
            self.sleep(start - now)


class _Deadline:
    """When one ``get`` must be over (``time.monotonic()`` seconds), its hops and retries
    included; pushed back only by time spent queueing for our own per-host turn."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def left(self) -> float:
        return self.at - time.monotonic()

    def missed(self) -> FetchError:
        return FetchError(f"no complete response within fetch.total_timeout ({self.seconds:g}s)")


class PoliteClient:
    """Thread-safe HTTP GET with the limits of :class:`~digest.config.FetchSettings`.

    Connections go through :class:`~digest.fetch.transport.GuardedTransport`: only to
    addresses the address policy allows (``allow_private_hosts``), each read bounded by
    the deadline of the ``get`` under way. A ``transport`` given instead (a test's
    :class:`httpx.MockTransport`) replaces the network, and with it those guards.
    """

    def __init__(self, settings: FetchSettings | None = None,
                 transport: httpx.BaseTransport | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.settings = settings or FetchSettings()
        s = self.settings
        self.sleep = sleep
        self.gate = HostGate(s.host_interval, s.host_concurrency, sleep=sleep)
        self.requests = 0  # every request sent, retries included (for reports and benchmarks)
        self._count_lock = threading.Lock()
        limits = httpx.Limits(max_connections=s.concurrency,
                              max_keepalive_connections=s.concurrency)
        if transport is None:
            transport = GuardedTransport(parse_allowed(s.allow_private_hosts), limits)
        self.client = httpx.Client(
            headers={"User-Agent": s.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(s.timeout), follow_redirects=False, transport=transport,
            trust_env=False)  # the transport reads the proxy settings, to check the targets

    def get(self, url: str, validators: Validators | None = None, accept: str = "*/*",
            headers: Mapping[str, str] | None = None,
            allowed: Callable[[str], bool] | None = None) -> Response:
        """GET ``url``: a 200 or 304 :class:`Response`, or :class:`FetchError` (never hangs).

        The whole call, every redirect hop and retry included, ends within
        ``total_timeout`` seconds (plus any wait for this host's turn). Retries at
        most ``retries`` times, and only on 429, 5xx and connection errors; each wait
        is ``backoff * 2**n`` seconds or the server's ``Retry-After`` when it is longer
        (but not over ``max_retry_after``, nor past the deadline). Redirects are
        followed one hop at a time, each through the per-host limits, the address
        policy and ``allowed`` (robots.txt, say): at most ``max_redirects``, and a URL
        seen twice stops the chain at once.
        """
        s = self.settings
        sent = {"Accept": accept, **(validators.headers() if validators else {}),
                **(headers or {})}
        deadline = _Deadline(s.total_timeout)
        seen = [url]
        attempt = 0
        while True:
            attempt += 1
            try:
                response, body = self._once(seen[-1], sent, deadline)
            except RefusedFetch as exc:
                if len(seen) > 1:
                    raise FetchError(f"redirected to {seen[-1]}: {exc}") from None
                raise
            except FetchError as exc:
                wait = s.backoff * 2 ** (attempt - 1)
                if attempt > s.retries or not exc.retryable or wait >= deadline.left():
                    raise
                self.sleep(wait)
                continue
            status = response.status_code
            location = response.headers.get("Location")
            if status in REDIRECT_STATUSES and location:
                target = urljoin(seen[-1], location)
                if urlsplit(target).scheme not in ("http", "https"):
                    raise FetchError(f"redirected to {target}, which is not an http(s) URL", status)
                if target in seen:
                    raise FetchError(f"redirect loop: {target} redirects back to itself", status)
                if len(seen) > s.max_redirects:
                    raise FetchError(f"more than {s.max_redirects} redirects", status)
                if allowed is not None and not _allows(allowed, target):
                    raise FetchError(f"redirected to {target}, which robots.txt disallows",
                                     status)
                seen.append(target)
                attempt = 0
                continue
            if status in RETRY_STATUSES and attempt <= s.retries:
                wait = s.backoff * 2 ** (attempt - 1)
                asked = retry_after_seconds(response.headers.get("Retry-After"))
                if asked is not None and asked > s.max_retry_after:
                    raise FetchError(f"HTTP {status}; server asks to retry after {asked:.0f}s,"
                                     f" over the {s.max_retry_after:.0f}s limit", status)
                if max(wait, asked or 0.0) >= deadline.left():
                    raise FetchError(f"HTTP {status}; no time left to retry within"
                                     f" fetch.total_timeout ({s.total_timeout:g}s)", status)
                self.sleep(max(wait, asked or 0.0))
                continue
            if status in (200, 203, 304):
                return Response(
                    url=seen[-1], status=status, body=body,
                    content_type=response.headers.get("Content-Type", ""),
                    validators=Validators(response.headers.get("ETag", ""),
                                          response.headers.get("Last-Modified", "")),
                    attempts=attempt, redirects=tuple(seen[1:]))
            raise FetchError(f"HTTP {status} {response.reason_phrase}".strip()
                             + (f" after {attempt} attempts" if attempt > 1 else ""), status)

    def _once(self, url: str, headers: Mapping[str, str],
              deadline: _Deadline) -> tuple[httpx.Response, bytes]:
        """One request, through the per-host gate, read within the size and time limits."""
        s = self.settings
        host = urlsplit(url).netloc.lower()
        queued = time.monotonic()
        with self.gate.slot(host):
            self.gate.wait_turn(host)
            deadline.at += time.monotonic() - queued  # our politeness is not the server's delay
            with self._count_lock:
                self.requests += 1
            left = deadline.left()
            if left <= 0:
                raise deadline.missed()
            try:
                with deadline_at(deadline.at), self.client.stream(
                        "GET", url, headers=dict(headers),
                        timeout=httpx.Timeout(min(s.timeout, left))) as response:
                    declared = response.headers.get("Content-Length", "")
                    if declared.isdigit() and int(declared) > s.max_bytes:
                        raise FetchError(f"response of {int(declared):,} bytes is over the"
                                         f" {s.max_bytes:,} byte limit")
                    return response, self._body(response, deadline)
            except AddressRefused as exc:
                raise RefusedFetch(str(exc)) from None
            except httpx.TimeoutException as exc:
                if deadline.left() <= 0:
                    raise deadline.missed() from None
                raise FetchError(f"timed out after {s.timeout:g}s ({type(exc).__name__})",
                                 retryable=True) from None
            except httpx.TransportError as exc:
                raise FetchError(f"connection failed: {exc or type(exc).__name__}",
                                 retryable=True) from None
            except httpx.InvalidURL as exc:
                raise FetchError(f"invalid URL: {exc}") from None
            except ContentError as exc:
                raise FetchError(str(exc)) from None

    def _body(self, response: httpx.Response, deadline: _Deadline) -> bytes:
        """The decoded body, each layer of its Content-Encoding capped at ``max_bytes``."""
        limit = self.settings.max_bytes
        source: Iterable[bytes] = response.iter_raw()
        encoding = response.headers.get("Content-Encoding", "")
        if response.is_stream_consumed:  # a transport that gave it whole (httpx.MockTransport)
            source, encoding = [response.content], ""  # already decoded by httpx

        def raw() -> Iterator[bytes]:
            size = 0
            for chunk in source:
                size += len(chunk)
                if size > limit:
                    raise FetchError(f"response is over the {limit:,} byte limit")
                yield chunk

        chunks: list[bytes] = []
        size = 0
        for piece in decoded(raw(), encoding, limit):
            size += len(piece)
            if size > limit:
                raise FetchError(f"response is over the {limit:,} byte limit")
            if deadline.left() <= 0:
                raise deadline.missed()
            chunks.append(piece)
        return b"".join(chunks)

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

