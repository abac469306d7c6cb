"""Hostile networks: private addresses refused, one deadline per fetch, compression bombs cut.

Traffic goes to loopback only (127.0.0.0/8 and ::1). The address policy is checked as a
function for every other kind of address, without sockets; the connection tests point
links that the guard must refuse at loopback addresses where a real server holds a
secret page, so a broken guard can only ever reach this machine, and the test sees it.
"""

from __future__ import annotations

import json
import os
import re
import resource
import socket
import subprocess
import sys
import time
import zlib
from contextlib import ExitStack
from pathlib import Path

import pytest
from feed_server import (
    FeedServer,
    Reply,
    ipv6_loopback,
    nested_gzip_bomb,
    running_server,
    running_slow_server,
)

from digest.config import FetchSettings, load_config
from digest.fetch.addresses import parse_allowed, refusal
from digest.fetch.http import FetchError, PoliteClient, RefusedFetch
from digest.sources import read_sources

EPOCH = "1773500000"  # 2026-03-14
SECRET = "QUARTERMASTER-LEDGER-7731"
SECRET_PAGE = ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
               "<title>Internal ledger</title></head><body><main><article>"
               "<h1>Internal ledger</h1>"
               + "".join(f"<p>Paragraph {i} of the internal ledger names the account {SECRET}"
                         " and what it paid for the harbour works, the dredging and the new"
                         " lights along the quay wall this winter.</p>" for i in range(6))
               + "</article></main></body></html>").encode()
# each item's own teaser: one text on every item would be the feed's template (its items
# then headlines only: see test_template.py)
TEASER = "A short teaser of item {} that the page would replace&#8230;"


def rss(items: list[tuple[str, str]]) -> bytes:
    """An RSS feed whose items are teasers linking to ``(title, link)`` pages."""
    entries = "".join(
        f"<item><title>{title}</title><link>{link}</link><guid>g{i}</guid>"
        f"<pubDate>Mon, 02 Mar 2026 0{i % 10}:00:00 GMT</pubDate>"
        f"<description>{TEASER.format(i)}</description></item>"
        for i, (title, link) in enumerate(items))
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Quay News</title>'
            f"<link>http://127.0.0.1/</link>{entries}</channel></rss>").encode()


def project(tmp_path: Path, fetch: str, sources: str) -> Path:
    """A project folder: feeds.yaml with ``fetch`` settings and ``sources``, and one text file
    (no cache: each build fetches afresh)."""
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "lighthouse.txt").write_text(
        "date 2026-03-02 Lighthouse keeper's cottage to become a museum\n"
        "The old keeper's cottage at Gullrock Point will open as a small museum in summer.\n"
        "Volunteers restored the lamp room and the stove over the winter months.\n", "utf-8")
    (tmp_path / "feeds.yaml").write_text(
        f"site: {{title: Quay Digest}}\ncache: null\nfetch: {fetch}\nsources:\n{sources}"
        "  - {name: local, type: text, path: 'pages/*.txt'}\n", "utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\ntheme: {name: material}\nplugins: [search, digest]\n", "utf-8")
    (tmp_path / "docs").mkdir()
    return tmp_path


def build(folder: Path, timeout: float = 120, address_space: int | None = None
          ) -> subprocess.CompletedProcess[str]:
    """``digest build --jobs 1`` in a new interpreter, as a user runs it; optionally with
    its address space capped at ``address_space`` bytes."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}

    def cap() -> None:
        if address_space:
            resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))

    if address_space:  # fewer reserved-but-unused arenas and thread buffers under the cap
        env.update(MALLOC_ARENA_MAX="2", OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    return subprocess.run([sys.executable, "-m", "digest", "build", "--jobs", "1"], cwd=folder,
                          env=env, capture_output=True, text=True, timeout=timeout,
                          preexec_fn=cap if address_space else None)


def report(folder: Path) -> dict:
    return json.loads((folder / "build-report.json").read_text("utf-8"))


def reasons(entries: list[dict]) -> dict[str, str]:
    return {e["origin"]: e["reason"] for e in entries}


def everything_published(folder: Path) -> str:
    """Every file of the built site (pages, feeds, search index, sitemap) as one text."""
    return "\n".join(p.read_bytes().decode("utf-8", "replace")
                     for p in sorted((folder / "site").rglob("*")) if p.is_file())


# --- the address policy, as a function (no sockets) ------------------------------------------

@pytest.mark.parametrize("address", [
    "93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8",
    "64:ff9b::808:808", "2002:808:808::1", "2001:0:4136:e378:8000:63bf:f7f7:f7f7"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert refusal(address, 443, "news.example.org", ()) is None


@pytest.mark.parametrize(("address", "kind"), [
    ("169.254.169.254", "a link-local"), ("fe80::1", "a link-local"),
    ("fe80::1%eth0", "a link-local"),
    ("10.0.0.1", "a private"), ("172.16.5.4", "a private"), ("192.168.1.20", "a private"),
    ("100.64.0.1", "carrier-grade NAT"), ("fd00::1", "unique local"),
    ("127.0.0.2", "a loopback"), ("::1", "a loopback"),
    ("0.0.0.0", "an unspecified"), ("::", "an unspecified"),
    ("224.0.0.251", "a multicast"), ("ff02::fb", "a multicast"),
    ("240.0.0.1", "a reserved"), ("255.255.255.255", "a reserved"),
    ("192.0.2.10", "documentation"), ("2001:db8::1", "documentation"),
    ("198.18.0.1", "benchmarking"), ("::7f00:1", "a reserved"), ("100::1", "a reserved"),
    ("::ffff:127.0.0.1", "embeds 127.0.0.1, a loopback"),
    ("::ffff:169.254.169.254", "embeds 169.254.169.254, a link-local"),
    ("64:ff9b::a9fe:a9fe", "embeds 169.254.169.254, a link-local"),  # NAT64
    ("2002:c0a8:101::1", "embeds 192.168.1.1, a private"),  # 6to4
    ("2001:0:4136:e378:8000:63bf:80ff:fffe", "embeds 127.0.0.1, a loopback"),  # Teredo client
])
def test_non_public_addresses_are_refused_naming_their_kind(address: str, kind: str) -> None:
    why = refusal(address, 80, "feeds.example.org", ())
    assert why is not None and why.startswith("refused: ")
    assert kind in why and "fetch.allow_private_hosts" in why


@pytest.mark.parametrize(("host", "address"), [
    ("2130706434", "127.0.0.2"), ("0x7f.0.0.2", "127.0.0.2"), ("0177.0.0.2", "127.0.0.2"),
    ("127.1", "127.0.0.1"), ("0", "0.0.0.0"), ("2852039166", "169.254.169.254"),
    ("::ffff:127.0.0.2", "::ffff:127.0.0.2"), ("::", "::")])
def test_every_textual_form_is_judged_by_the_address_it_means(host: str, address: str) -> None:
    # AI_NUMERICHOST: the resolver parses the literal and never asks DNS
    [resolved] = {info[4][0] for info in socket.getaddrinfo(
        host, 80, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)}
    assert resolved == address
    why = refusal(resolved, 80, host, ())
    assert why is not None and why.startswith("refused: ")


def test_the_allow_list_admits_listed_addresses_names_and_ports(tmp_path: Path) -> None:
    (tmp_path / "feeds.yaml").write_text(
        "fetch:\n  allow_private_hosts: ['192.168.1.20', 'intranet.local:8080',"
        " '[fd00::5]:443', 'fd00::6', NAS.Local.]\n"
        "sources: [{name: a, type: text, path: a/*.txt}]\n", "utf-8")
    allowed = parse_allowed(load_config(tmp_path / "feeds.yaml").fetch.allow_private_hosts)
    # an address allows itself, on any port, however it is reached
    assert refusal("192.168.1.20", 80, "192.168.1.20", allowed) is None
    assert refusal("192.168.1.20", 8443, "printer.lan", allowed) is None
    assert refusal("::ffff:192.168.1.20", 80, "printer.lan", allowed) is None
    assert "192.168.1.21 is a private address" in str(
        refusal("192.168.1.21", 80, "192.168.1.21", allowed))
    # a name allows what it resolves to, when the connection is made to that name
    assert refusal("10.0.0.7", 8080, "intranet.local", allowed) is None
    assert refusal("10.0.0.7", 8080, "INTRANET.local.", allowed) is None
    assert refusal("10.9.9.9", 80, "nas.local", allowed) is None
    assert "list the host under" in str(refusal("10.0.0.7", 8080, "other.lan", allowed))
    # a port restricts the entry to that port
    assert "on port 8080 only (not 80)" in str(refusal("10.0.0.7", 80, "intranet.local", allowed))
    assert refusal("fd00::5", 443, "fd00::5", allowed) is None
    assert "on port 443 only (not 80)" in str(refusal("fd00::5", 80, "[fd00::5]", allowed))
    assert refusal("fd00::6", 1234, "v6.lan", allowed) is None
    # what is not listed stays refused
    assert refusal("169.254.169.254", 80, "169.254.169.254", allowed) is not None
    assert refusal("127.0.0.1", 80, "localhost", allowed) is not None


# --- connections: refused before a byte is sent -----------------------------------------------

def serve_secret(server: FeedServer) -> None:
    server.static("/secret.html", SECRET_PAGE, "text/html; charset=utf-8")


def test_full_text_never_reaches_private_addresses_and_the_report_says_so(
        tmp_path: Path) -> None:
    """Item links to 127.0.0.2, [::1], a decimal 127.0.0.2 and a 127.0.0.1 page that
    redirects to 127.0.0.2, with only 127.0.0.1 allowed: each has a real server with the
    secret page, none is asked anything, and nothing of it is published."""
    with ExitStack() as stack:
        feed = stack.enter_context(running_server())
        inner = stack.enter_context(running_server("127.0.0.2"))
        servers = [inner]
        feed.serve_fixtures()
        serve_secret(inner)
        refused = [("Loopback neighbour", f"http://127.0.0.2:{inner.port}/secret.html"),
                   ("Decimal address", f"http://2130706434:{inner.port}/secret.html"),
                   ("Redirected inside", f"{feed.base}/moved")]
        feed.routes["/moved"] = lambda h: Reply(302, headers={"Location": refused[0][1]})
        if ipv6_loopback():
            inner6 = stack.enter_context(running_server("::1"))
            serve_secret(inner6)
            servers.append(inner6)
            refused.append(("IPv6 loopback", f"{inner6.base}/secret.html"))
        items = [("Ferry service suspended", f"{feed.base}/articles/ferry.html"), *refused]
        feed.static("/quay.xml", rss(items), "application/rss+xml")
        folder = project(tmp_path, "{host_interval: 0, timeout: 2, retries: 0,"
                                   " allow_private_hosts: ['127.0.0.1']}",
                         f"  - {{name: quay, type: rss, url: '{feed.base}/quay.xml',"
                         " full_text: true}\n")
        result = build(folder)
        assert result.returncode == 0, result.stderr
        assert all(s.log == [] for s in servers)  # not even robots.txt was asked for
    assert SECRET not in everything_published(folder)
    assert SECRET not in (folder / "build-report.json").read_text("utf-8")
    notices = reasons(report(folder)["notices"])
    for _, url in refused:
        assert "refused: " in notices[url] and "a loopback address" in notices[url], url
        assert "kept the feed's teaser" in notices[url]
    assert notices[f"{feed.base}/moved"].startswith(
        f"full text unavailable (redirected to {refused[0][1]}: refused: 127.0.0.2 is")
    assert "2130706434 (127.0.0.2) is a loopback address" in notices[refused[1][1]]
    # the allowed host was fetched as usual
    assert "Local businesses that depend on day visitors" in everything_published(folder)


def test_an_allowed_port_does_not_open_the_others(server: FeedServer, tmp_path: Path) -> None:
    """Only 127.0.0.1 at the feed's port is allowed; a secret on another port of
    127.0.0.1 is refused under every name for it."""
    server.serve_fixtures()
    with running_server() as other:
        serve_secret(other)
        links = [f"http://localhost:{other.port}/secret.html",
                 f"http://127.0.0.1:{other.port}/secret.html",
                 f"http://127.1:{other.port}/secret.html",
                 f"http://[::ffff:127.0.0.1]:{other.port}/secret.html"]
        server.static("/quay.xml", rss([(f"Item {i}", link) for i, link in enumerate(links)]),
                      "application/rss+xml")
        folder = project(tmp_path, f"{{host_interval: 0, retries: 0,"
                                   f" allow_private_hosts: ['127.0.0.1:{server.port}']}}",
                         f"  - {{name: quay, type: rss, url: '{server.base}/quay.xml',"
                         " full_text: true}\n")
        docs, skipped, notices = read_sources(load_config(folder / "feeds.yaml"))
        assert other.log == []
    assert skipped == [] and len(docs) == 5
    assert not any(SECRET in json.dumps(d.fields) for d in docs)
    found = {n.origin: n.reason for n in notices}
    for link in links:
        assert (f"allowed by fetch.allow_private_hosts on port {server.port} only"
                f" (not {other.port})") in found[link], link


def test_by_default_even_127_0_0_1_is_refused(server: FeedServer, tmp_path: Path) -> None:
    server.serve_fixtures()
    folder = project(tmp_path, "{host_interval: 0, retries: 0}",
                     f"  - {{name: courier, type: rss, url: '{server.base}/rss.xml'}}\n")
    docs, skipped, _ = read_sources(load_config(folder / "feeds.yaml"))
    assert server.log == []
    [failing] = skipped
    assert failing.origin == f"{server.base}/rss.xml"
    assert failing.reason.endswith(
        "refused: 127.0.0.1 is a loopback address; list the host under"
        " fetch.allow_private_hosts in feeds.yaml to allow it")
    assert [d.source for d in docs] == ["local"]  # the rest of the build goes on


def test_a_name_in_the_allow_list_allows_that_name_only(server: FeedServer) -> None:
    server.static("/page", b"hello", "text/plain")
    settings = FetchSettings(host_interval=0, retries=0, allow_private_hosts=("localhost",))
    with PoliteClient(settings) as client:
        assert client.get(f"http://localhost:{server.port}/page").body == b"hello"
        with pytest.raises(RefusedFetch, match="127.0.0.1 is a loopback address"):
            client.get(f"{server.base}/page")
    assert [h.path for h in server.log] == ["/page"]


def test_through_a_proxy_the_target_is_checked_and_the_proxy_is_not(
        server: FeedServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """HTTP_PROXY on 127.0.0.1 (not in the allow list: the user's choice): a target on an
    allowed host goes through it; a private target is refused before the proxy hears of it."""
    for name in ("HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    monkeypatch.setenv("HTTP_PROXY", server.base)
    target = "http://127.0.0.1:9/feed.xml"  # port 9: nothing there, only the proxy answers
    server.routes[target] = lambda h: Reply(200, b"<rss/> via the proxy")
    settings = FetchSettings(host_interval=0, retries=0, allow_private_hosts=("127.0.0.1:9",))
    with PoliteClient(settings) as client:
        assert client.get(target).body == b"<rss/> via the proxy"
        with pytest.raises(RefusedFetch, match="127.0.0.2 is a loopback address"):
            client.get("http://127.0.0.2:9/feed.xml")
    assert [h.path for h in server.log] == [target]


def test_through_a_proxy_a_target_with_any_refused_address_is_refused(
        server: FeedServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """The proxy resolves the name again and may pick any address it has: a target with one
    allowed and one refused address never reaches the proxy. (The resolver is stubbed: no
    lookup is made, and the proxy is the loopback test server.)"""
    import digest.fetch.transport as transport

    for name in ("HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    monkeypatch.setenv("HTTP_PROXY", server.base)
    answers = {"mixed.test": ["127.0.0.1", "127.0.0.2"], "allowed.test": ["127.0.0.1"]}
    monkeypatch.setattr(transport, "resolve",  # an address (the proxy) stands for itself
                        lambda host, port, timeout: answers.get(host, [host]))
    server.routes["http://allowed.test:9/feed.xml"] = lambda h: Reply(200, b"<rss/>")
    settings = FetchSettings(host_interval=0, retries=0, allow_private_hosts=("127.0.0.1:9",))
    with PoliteClient(settings) as client:
        with pytest.raises(RefusedFetch, match="127.0.0.2"):
            client.get("http://mixed.test:9/feed.xml")
        assert client.get("http://allowed.test:9/feed.xml").body == b"<rss/>"
    assert [h.path for h in server.log] == ["http://allowed.test:9/feed.xml"]


# --- one deadline for the whole request ------------------------------------------------------

def slow_answer(path: str, send: object) -> None:
    """A status line, headers, or redirects, each sent a byte at a time (never stalling)."""
    assert callable(send)
    if path == "/status":
        send(b"HTTP/1.1 200 OK\r\nX-Padding: " + b"a" * 2000, 0.2)
    elif path == "/headers":
        send(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n", 0)
        send(b"X-Padding: " + b"a" * 2000, 0.2)
    elif path.startswith("/hop/"):
        hop = int(path.rsplit("/", 1)[1])
        send(f"HTTP/1.1 302 Found\r\nLocation: /hop/{hop + 1}\r\nContent-Length: 0\r\n\r\n"
             .encode(), 0.05)


def test_servers_that_trickle_are_cut_at_the_total_timeout(server: FeedServer,
                                                           tmp_path: Path) -> None:
    server.serve_fixtures()
    with running_slow_server(slow_answer) as slow:
        urls = [f"{slow.base}/status", f"{slow.base}/headers", f"{slow.base}/hop/0"]
        folder = project(
            tmp_path, "{total_timeout: 1, timeout: 0.5, retries: 2, backoff: 0.05,"
                      " host_interval: 0, max_redirects: 20, allow_private_hosts: ['127.0.0.1']}",
            "".join(f"  - {{name: slow-{i}, type: rss, url: '{url}'}}\n"
                    for i, url in enumerate(urls))
            + f"  - {{name: courier, type: rss, url: '{server.base}/rss.xml'}}\n")
        started = time.monotonic()
        result = build(folder)
        elapsed = time.monotonic() - started
    assert elapsed < 15, elapsed  # a few times total_timeout plus the build; a hang is minutes
    assert result.returncode == 3, result.stderr  # built, with inputs skipped
    skipped = reasons(report(folder)["skipped"])
    assert sorted(skipped) == sorted(urls)
    for url in urls:
        assert "no complete response within fetch.total_timeout (1s)" in skipped[url], url
    published = everything_published(folder)
    assert "Ferry service suspended as storm closes harbour" in published
    assert "Lighthouse keeper" in published


def test_retries_stay_within_the_total_timeout(server: FeedServer) -> None:
    server.routes["/busy"] = lambda h: Reply(503, b"busy", {"Retry-After": "1"})
    settings = FetchSettings(host_interval=0, retries=5, backoff=0.05, max_retry_after=5,
                             total_timeout=1.5, allow_private_hosts=("127.0.0.1",))
    started = time.monotonic()
    with PoliteClient(settings) as client, pytest.raises(
            FetchError, match=re.escape("HTTP 503; no time left to retry within"
                                        " fetch.total_timeout (1.5s)")):
        client.get(server.base + "/busy")
    assert len(server.hits("/busy")) == 2  # the second wait would have passed the deadline
    assert time.monotonic() - started < 5  # five retries a second apart would take longer


# --- compression bombs ---------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["gzip", "x-gzip", "deflate", "deflate-raw",
                                      "gzip, deflate", "identity, gzip"])
def test_content_encodings_are_decoded_layer_by_layer(server: FeedServer, encoding: str) -> None:
    text = b"<rss>" + b"harbour news " * 5000 + b"</rss>"
    compressors = {"gzip": zlib.MAX_WBITS | 16, "x-gzip": zlib.MAX_WBITS | 16,
                   "deflate": zlib.MAX_WBITS, "deflate-raw": -zlib.MAX_WBITS}
    body = text
    for name in [n.strip() for n in encoding.split(",") if n.strip() != "identity"]:
        packer = zlib.compressobj(6, zlib.DEFLATED, compressors[name])
        body = packer.compress(body) + packer.flush()
    sent = encoding.replace("deflate-raw", "deflate")
    server.routes["/feed"] = lambda h: Reply(200, body, {"Content-Encoding": sent},
                                             declare_length=False)
    with PoliteClient(FetchSettings(host_interval=0, allow_private_hosts=("127.0.0.1",))) as c:
        assert c.get(server.base + "/feed").body == text


@pytest.mark.parametrize(("encoding", "body", "message"), [
    ("br", b"\x0b\x02\x80hello\x03", "unsupported Content-Encoding 'br'"),
    ("gzip, gzip, gzip, gzip", b"", "Content-Encoding has 4 layers; at most 3"),
    ("gzip", b"\x1f\x8b\x08\x00 not gzip at all", "broken gzip data"),
    ("deflate", nested_gzip_bomb(64 << 20, layers=1)[10:-8],
     "over the 1,000,000 byte limit once decoded (deflate)"),
    ("gzip, gzip", nested_gzip_bomb(64 << 20), "over the 1,000,000 byte limit once decoded"),
], ids=["brotli", "too-many-layers", "broken-gzip", "deflate-bomb", "nested-gzip-bomb"])
def test_bad_or_bombing_encodings_are_refused(server: FeedServer, encoding: str, body: bytes,
                                              message: str) -> None:
    server.routes["/feed"] = lambda h: Reply(200, body, {"Content-Encoding": encoding})
    settings = FetchSettings(host_interval=0, retries=0, max_bytes=1_000_000,
                             allow_private_hosts=("127.0.0.1",))
    with PoliteClient(settings) as client, pytest.raises(FetchError, match=re.escape(message)):
        client.get(server.base + "/feed")


def test_a_nested_gzip_bomb_is_cut_within_a_1_gb_address_space(server: FeedServer,
                                                                  tmp_path: Path) -> None:
    """4.9 KB of ``Content-Encoding: gzip, gzip`` that would inflate to 2 GiB: the build
    runs with its address space capped at 1 GB, reports the source, publishes the rest."""
    bomb = nested_gzip_bomb(2 << 30)
    assert len(bomb) < 10_000
    server.serve_fixtures()
    server.routes["/bomb.xml"] = lambda h: Reply(200, bomb, {
        "Content-Type": "application/rss+xml", "Content-Encoding": "gzip, gzip"})
    folder = project(tmp_path, "{host_interval: 0, retries: 0, allow_private_hosts: ['127.0.0.1']}",
                     f"  - {{name: bomb, type: rss, url: '{server.base}/bomb.xml'}}\n"
                     f"  - {{name: courier, type: rss, url: '{server.base}/rss.xml'}}\n")
    result = build(folder, address_space=1 << 30)
    assert result.returncode == 3, result.stderr
    [(origin, reason)] = reasons(report(folder)["skipped"]).items()
    assert origin == f"{server.base}/bomb.xml"
    assert "response is over the 10,000,000 byte limit once decoded (gzip)" in reason
    assert "Ferry service suspended as storm closes harbour" in everything_published(folder)
