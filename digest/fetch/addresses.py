"""Which network addresses the digest may connect to: public ones, and the private ones listed.

:func:`refusal` judges one *resolved* address (what the socket will connect to), so every
textual form of a host — ``2130706434``, ``0x7f.1``, ``127.1``, ``[::ffff:127.0.0.1]``,
``localhost`` — is judged by the address the resolver turned it into. It returns None
only for

- an address on the public internet: not loopback, private, shared (carrier-grade NAT),
  link-local, multicast, unspecified, documentation, benchmarking or otherwise reserved
  (the IANA special-purpose registries, IPv4 and IPv6); an IPv6 address that embeds an
  IPv4 one (IPv4-mapped, NAT64, 6to4, Teredo) is judged by the IPv4 it carries; IPv6
  outside global unicast (``2000::/3``) is reserved;
- or an address ``fetch.allow_private_hosts`` allows: an entry that is an address allows
  that address however it is reached; an entry that is a name allows whatever that name
  resolves to when the connection is made to that name; an entry with ``:port`` allows
  only that port.

The table is our own, not :mod:`ipaddress`'s ``is_global``, whose lists change between
Python releases. Pure functions: no resolving, no sockets.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

ALLOW_KEY = "fetch.allow_private_hosts"

_V4 = tuple((ipaddress.IPv4Network(net), kind) for net, kind in (
    ("0.0.0.0/8", "an unspecified"),
    ("10.0.0.0/8", "a private"),
    ("100.64.0.0/10", "a private (carrier-grade NAT)"),
    ("127.0.0.0/8", "a loopback"),
    ("169.254.0.0/16", "a link-local"),
    ("172.16.0.0/12", "a private"),
    ("192.0.0.0/24", "a reserved"),
    ("192.0.2.0/24", "a reserved (documentation)"),
    ("192.88.99.0/24", "a reserved"),
    ("192.168.0.0/16", "a private"),
    ("198.18.0.0/15", "a reserved (benchmarking)"),
    ("198.51.100.0/24", "a reserved (documentation)"),
    ("203.0.113.0/24", "a reserved (documentation)"),
    ("224.0.0.0/4", "a multicast"),
    ("240.0.0.0/4", "a reserved"),
))
_V6 = tuple((ipaddress.IPv6Network(net), kind) for net, kind in (
    ("::/128", "an unspecified"),
    ("::1/128", "a loopback"),
    ("fc00::/7", "a private (unique local)"),
    ("fec0::/10", "a private (site-local)"),
    ("fe80::/10", "a link-local"),
    ("ff00::/8", "a multicast"),
    ("2001::/23", "a reserved"),  # IETF protocol assignments; Teredo (2001::/32) comes first
    ("2001:db8::/32", "a reserved (documentation)"),
    ("3fff::/20", "a reserved (documentation)"),
))
_GLOBAL_UNICAST = ipaddress.IPv6Network("2000::/3")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


@dataclass(frozen=True)
class AllowedHost:
    """One entry of ``fetch.allow_private_hosts``: a name or an address, maybe one port."""

    host: str  # a lowercase name without a trailing dot, or an address in its short form
    port: int | None = None
    address: IPAddress | None = None  # set when the entry is an address


def parse_allowed(entries: Iterable[str]) -> tuple[AllowedHost, ...]:
    """``host``, ``host:port``, ``[v6]``, ``[v6]:port`` or a bare IPv6 address, as records
    (the forms :mod:`digest.config` accepts)."""
    out = []
    for entry in entries:
        text, port = entry.strip(), None
        if text.startswith("["):
            host, _, rest = text[1:].partition("]")
            port = int(rest[1:]) if rest.startswith(":") else None
        elif text.count(":") == 1:
            host, _, digits = text.partition(":")
            port = int(digits)
        else:
            host = text
        address = _address(host)
        name = str(address) if address else host.lower().rstrip(".")
        out.append(AllowedHost(name, port, address))
    return tuple(out)


def _address(text: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def special_kind(address: IPAddress) -> str | None:
    """What kind of non-public address this is ("a loopback", "a private", ...); None if public.

    An IPv6 address that carries an IPv4 one is described by it ("embeds 127.0.0.1, a
    loopback").
    """
    if isinstance(address, ipaddress.IPv4Address):
        return next((kind for net, kind in _V4 if address in net), None)
    for embedded in _embedded_v4(address):
        inner = special_kind(embedded)
        if inner:
            return f"embeds {embedded}, {inner}"
    if address.ipv4_mapped or address in _NAT64 or address.sixtofour or address.teredo:
        return None  # every IPv4 address it carries is public
    found = next((kind for net, kind in _V6 if address in net), None)
    if found is None and address not in _GLOBAL_UNICAST:
        return "a reserved"
    return found


def _embedded_v4(address: ipaddress.IPv6Address) -> tuple[ipaddress.IPv4Address, ...]:
    """The IPv4 addresses an IPv6 address routes to: mapped, NAT64, 6to4 or Teredo ones."""
    if address.ipv4_mapped:
        return (address.ipv4_mapped,)
    if address in _NAT64:
        return (ipaddress.IPv4Address(int(address) & 0xFFFFFFFF),)
    if address.sixtofour:
        return (address.sixtofour,)
    if address.teredo:
        return address.teredo  # (server, client)
    return ()


def refusal(address: str, port: int, host: str, allowed: Sequence[AllowedHost]) -> str | None:
    """Why connecting to ``address``:``port`` (reached as ``host``) is refused; None if it may.

    ``address`` is what the resolver returned (an IPv6 scope such as ``%eth0`` is
    ignored); ``host`` is the name or literal of the URL. The message is one line that
    names the setting which would allow it.
    """
    ip = ipaddress.ip_address(address.split("%")[0])
    kind = special_kind(ip)
    if kind is None:
        return None
    plain = ip.ipv4_mapped if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped else ip
    name = host.lower().rstrip(".").strip("[]")
    matching = [e for e in allowed
                if (e.address is not None and e.address in (ip, plain)) or
                (e.address is None and e.host == name)]
    if any(e.port is None or e.port == port for e in matching):
        return None
    shown = str(ip) if _address(name) == ip else f"{host} ({ip})"
    what = f"{shown} is {kind} address" if kind.startswith("a") else f"{shown} {kind} address"
    if matching:
        ports = ", ".join(sorted({str(e.port) for e in matching}))
        return f"refused: {what}, allowed by {ALLOW_KEY} on port {ports} only (not {port})"
    return f"refused: {what}; list the host under {ALLOW_KEY} in feeds.yaml to allow it"
