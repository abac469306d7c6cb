"""The connections under :class:`~digest.fetch.http.PoliteClient`: checked addresses, one deadline.

:class:`GuardedTransport` is an httpx transport over httpcore connection pools whose
network backend (:class:`GuardedBackend`) guarantees, for every connection (each
redirect hop and retry is a request of its own, so each is covered):

- **only allowed addresses**: the host is resolved once, each address is judged by
  :func:`digest.fetch.addresses.refusal`, and the socket connects to an address that
  was judged, never to the name again, so a second DNS answer cannot swap in another
  (DNS rebinding). TLS still names the URL's host (SNI and the certificate check), and
  the ``Host`` header is the URL's. A host with no allowed address raises
  :class:`AddressRefused` before any byte is sent;
- **one deadline**: resolving, connecting, the TLS handshake and every read and write
  get at most the time left before the deadline of the fetch under way (set with
  :func:`deadline_at` by the caller, per thread), so a server that sends one byte at a
  time cannot hold a request past it, whatever it trickles: the status line, headers
  or body.

Proxies: with ``HTTP_PROXY``, ``HTTPS_PROXY`` or ``ALL_PROXY`` set (and the host not
exempted by ``NO_PROXY``), requests go through that proxy, which is the user's choice and
is connected to unchecked; the *target's* host is resolved here and refused unless every
address it has is allowed (a host that does not resolve here is refused too). The proxy
resolves the name again, so through a proxy DNS rebinding is the proxy's to prevent.
Only http(s) proxies are used.
"""

from __future__ import annotations

import contextlib
import contextvars
import socket
import ssl
import threading
import time
import urllib.request
from collections.abc import Iterable, Iterator
from typing import Any

import httpcore
import httpx

from digest.fetch.addresses import AllowedHost, refusal

_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "fetch_deadline", default=None)
DEFAULT_PORTS = {"http": 80, "https": 443}


class AddressRefused(Exception):
    """A host resolves only to addresses the policy refuses; the message is one report line."""


class DeadlinePassed(httpcore.TimeoutException):
    """The fetch under way has used up its whole time (``fetch.total_timeout``)."""


@contextlib.contextmanager
def deadline_at(when: float | None) -> Iterator[None]:
    """Within the block, this thread's connections end at ``time.monotonic()`` ``when``."""
    token = _DEADLINE.set(when)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def time_left(timeout: float | None) -> float | None:
    """``timeout`` shortened to what is left before the deadline; raises once it has passed."""
    when = _DEADLINE.get()
    if when is None:
        return timeout
    left = when - time.monotonic()
    if left <= 0:
        raise DeadlinePassed("the whole fetch took longer than its deadline")
    return left if timeout is None else min(timeout, left)


def resolve(host: str, port: int, timeout: float | None) -> list[str]:
    """The addresses ``host`` resolves to, in the resolver's order, without repeats.

    The system resolver cannot be interrupted, so it runs in a daemon thread that is
    left to finish on its own if ``timeout`` passes first.
    """
    found: list[Any] = []

    def lookup() -> None:
        try:
            found.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except (OSError, UnicodeError) as exc:
            found.append(exc)

    worker = threading.Thread(target=lookup, name="resolve", daemon=True)
    worker.start()
    worker.join(timeout)
    if not found:
        raise httpcore.ConnectTimeout(f"resolving {host} took over {timeout:g}s")
    if isinstance(found[0], Exception):
        raise httpcore.ConnectError(f"cannot resolve {host}: {found[0]}")
    return list(dict.fromkeys(str(info[4][0]) for info in found[0]))


def checked_addresses(host: str, port: int, allowed: tuple[AllowedHost, ...],
                      timeout: float | None, every: bool = False) -> list[str]:
    """The addresses of ``host`` that may be connected to; :class:`AddressRefused` if none,
    or, with ``every`` (a proxy will resolve the name again and may pick any of them), if
    any one is refused."""
    addresses = resolve(host, port, timeout)
    verdicts = {a: refusal(a, port, host, allowed) for a in addresses}
    fine = [a for a, why in verdicts.items() if why is None]
    refused = [why for why in verdicts.values() if why is not None]
    if not fine or (every and refused):
        raise AddressRefused(refused[0])
    return fine


class DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read, write and handshake ends by the fetch's deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self.inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.inner.read(max_bytes, time_left(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.inner.write(buffer, time_left(timeout))

    def close(self) -> None:
        self.inner.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> DeadlineStream:
        return DeadlineStream(self.inner.start_tls(ssl_context, server_hostname,
                                                   time_left(timeout)))

    def get_extra_info(self, info: str) -> Any:
        return self.inner.get_extra_info(info)


class GuardedBackend(httpcore.NetworkBackend):
    """Connects only to checked addresses (unless ``allowed`` is None: a proxy), by deadline."""

    def __init__(self, allowed: tuple[AllowedHost, ...] | None) -> None:
        self.allowed = allowed
        self.sockets = httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        if self.allowed is None:
            addresses = resolve(host, port, time_left(timeout))  # the proxy: the user's choice
        else:
            addresses = checked_addresses(host, port, self.allowed, time_left(timeout))
        failure: Exception | None = None
        for address in addresses:  # an address literal: create_connection resolves nothing
            try:
                return DeadlineStream(self.sockets.connect_tcp(
                    address, port, time_left(timeout), local_address, socket_options))
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None  # resolve() never returns an empty list
        raise failure

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[Any] | None = None
                            ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("Unix sockets are not fetched from")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


_CORE_ERRORS = (httpcore.TimeoutException, httpcore.NetworkError, httpcore.ProtocolError,
                httpcore.ProxyError, httpcore.UnsupportedProtocol)


@contextlib.contextmanager
def _as_httpx_errors() -> Iterator[None]:
    """httpcore's exceptions as httpx's of the same name (httpx's own transport does this)."""
    try:
        yield
    except _CORE_ERRORS as exc:
        kind = getattr(httpx, type(exc).__name__, None) or (
            httpx.TimeoutException if isinstance(exc, httpcore.TimeoutException)
            else httpx.TransportError)
        raise kind(str(exc) or type(exc).__name__) from exc


class _Body(httpx.SyncByteStream):
    def __init__(self, response: httpcore.Response) -> None:
        self.response = response

    def __iter__(self) -> Iterator[bytes]:
        with _as_httpx_errors():
            yield from self.response.iter_stream()

    def close(self) -> None:
        with _as_httpx_errors():
            self.response.close()


class GuardedTransport(httpx.BaseTransport):
    """Direct connections to checked addresses, or the environment's proxy for checked hosts."""

    def __init__(self, allowed: tuple[AllowedHost, ...], limits: httpx.Limits) -> None:
        self.allowed = allowed
        self.limits = limits
        self.ssl_context = httpx.create_ssl_context(trust_env=True)
        self.proxies = urllib.request.getproxies()
        self._lock = threading.Lock()
        self._direct = self._pool(None)
        self._via: dict[str, httpcore.ConnectionPool] = {}

    def _pool(self, proxy: httpx.Proxy | None) -> httpcore.ConnectionPool:
        common: dict[str, Any] = {
            "ssl_context": self.ssl_context,
            "max_connections": self.limits.max_connections,
            "max_keepalive_connections": self.limits.max_keepalive_connections,
            "keepalive_expiry": self.limits.keepalive_expiry}
        if proxy is None:
            return httpcore.ConnectionPool(network_backend=GuardedBackend(self.allowed),
                                           **common)
        return httpcore.HTTPProxy(
            proxy_url=httpcore.URL(scheme=proxy.url.raw_scheme, host=proxy.url.raw_host,
                                   port=proxy.url.port, target=proxy.url.raw_path),
            proxy_auth=proxy.raw_auth, proxy_headers=proxy.headers.raw,
            network_backend=GuardedBackend(None), **common)

    def proxy_for(self, url: httpx.URL) -> str | None:
        """The proxy URL the environment names for ``url``, or None to connect directly."""
        proxy = self.proxies.get(url.scheme) or self.proxies.get("all")
        # proxy_bypass_environment is public in urllib.request but missing from its stubs
        bypass = getattr(urllib.request, "proxy_bypass_environment")  # noqa: B009
        if not proxy or bypass(url.host, self.proxies):
            return None
        return proxy if "://" in proxy else f"http://{proxy}"

    def _route(self, url: httpx.URL) -> httpcore.ConnectionPool:
        proxy = self.proxy_for(url)
        if proxy is None:
            return self._direct
        scheme = httpx.URL(proxy).scheme
        if scheme not in ("http", "https"):
            raise httpx.UnsupportedProtocol(f"the {scheme} proxy {proxy} is not supported;"
                                            " only http(s) proxies are")
        port = url.port or DEFAULT_PORTS[url.scheme]
        checked_addresses(url.host, port, self.allowed, time_left(None), every=True)
        with self._lock:
            if proxy not in self._via:
                self._via[proxy] = self._pool(httpx.Proxy(proxy))
            return self._via[proxy]

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.SyncByteStream)
        with _as_httpx_errors():
            pool = self._route(request.url)
            response = pool.handle_request(httpcore.Request(
                method=request.method,
                url=httpcore.URL(scheme=request.url.raw_scheme, host=request.url.raw_host,
                                 port=request.url.port, target=request.url.raw_path),
                headers=request.headers.raw, content=request.stream,
                extensions=request.extensions))
        return httpx.Response(status_code=response.status, headers=response.headers,
                              stream=_Body(response), extensions=response.extensions)

    def close(self) -> None:
        with self._lock:
            pools = [self._direct, *self._via.values()]
        for pool in pools:
            pool.close()
