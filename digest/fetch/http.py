"""A polite HTTP client: one clear User-Agent, bounded in time, size and redirects.

Every request made through :class:`PoliteClient` is, per host, spaced by
``host_interval`` seconds and limited to ``host_concurrency`` at once; 429 and
5xx answers are retried with exponential backoff, honouring ``Retry-After``; a
response larger than ``max_bytes`` or slower than ``total_timeout`` is cut and
reported as a :class:`FetchError`. Conditional GET (``If-None-Match`` /
``If-Modified-Since``) is the caller's choice through :class:`Validators`.
"""

from __future__ import annotations

import email.utils
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from digest.config import FetchSettings

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


class FetchError(Exception):
    """A URL could not be fetched; the message is one line fit for the build report."""

    def __init__(self, message: str, status: int | None = None, retryable: bool = False) -> None:
        super().__init__(message)
        self.status = status  # the HTTP status, when the server answered
        self.retryable = retryable


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


class PoliteClient:
    """Thread-safe HTTP GET with the limits of :class:`~digest.config.FetchSettings`."""

    def __init__(self, settings: FetchSettings | None = None,
                 transport: httpx.BaseTransport | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.settings = settings or FetchSettings()
        s = self.settings
        self.sleep = sleep
        self.gate = HostGate(s.host_interval, s.host_concurrency, sleep=sleep)
        self.requests = 0  # every request sent, retries included (for reports and benchmarks)
        self._count_lock = threading.Lock()
        self.client = httpx.Client(
            headers={"User-Agent": s.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(s.timeout), follow_redirects=False, transport=transport,
            limits=httpx.Limits(max_connections=s.concurrency,
                                max_keepalive_connections=s.concurrency))

    def get(self, url: str, validators: Validators | None = None, accept: str = "*/*",
            headers: Mapping[str, str] | None = None,
            allowed: Callable[[str], bool] | None = None) -> Response:
        """GET ``url``: a 200 or 304 :class:`Response`, or :class:`FetchError` (never hangs).

        Retries at most ``retries`` times, and only on 429, 5xx and connection
        errors; each wait is ``backoff * 2**n`` seconds or the server's
        ``Retry-After`` when it is longer (but not over ``max_retry_after``).
        Redirects are followed one hop at a time, each through the per-host
        limits and ``allowed`` (robots.txt, say): at most ``max_redirects``,
        and a URL seen twice stops the chain at once.
        """
        s = self.settings
        sent = {"Accept": accept, **(validators.headers() if validators else {}),
                **(headers or {})}
        seen = [url]
        attempt = 0
        while True:
            attempt += 1
            try:
                response, body = self._once(seen[-1], sent)
            except FetchError as exc:
                if attempt > s.retries or not exc.retryable:
                    raise
                self.sleep(s.backoff * 2 ** (attempt - 1))
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
                if allowed is not None and not allowed(target):
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

    def _once(self, url: str, headers: Mapping[str, str]) -> tuple[httpx.Response, bytes]:
        """One request, through the per-host gate, read within the size and time limits."""
        s = self.settings
        host = urlsplit(url).netloc.lower()
        with self.gate.slot(host):
            self.gate.wait_turn(host)
            with self._count_lock:
                self.requests += 1
            started = time.monotonic()
            try:
                with self.client.stream("GET", url, headers=dict(headers)) as response:
                    declared = response.headers.get("Content-Length", "")
                    if declared.isdigit() and int(declared) > s.max_bytes:
                        raise FetchError(f"response of {int(declared):,} bytes is over the"
                                         f" {s.max_bytes:,} byte limit")
                    chunks: list[bytes] = []
                    size = 0
                    for chunk in response.iter_bytes():
                        size += len(chunk)
                        if size > s.max_bytes:
                            raise FetchError(f"response is over the {s.max_bytes:,} byte limit")
                        if time.monotonic() - started > s.total_timeout:
                            raise FetchError(f"response took over {s.total_timeout:g}s")
                        chunks.append(chunk)
                    return response, b"".join(chunks)
            except httpx.TimeoutException as exc:
                raise FetchError(f"timed out after {s.timeout:g}s ({type(exc).__name__})",
                                 retryable=True) from None
            except httpx.TransportError as exc:
                raise FetchError(f"connection failed: {exc or type(exc).__name__}",
                                 retryable=True) from None
            except httpx.InvalidURL as exc:
                raise FetchError(f"invalid URL: {exc}") from None

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

