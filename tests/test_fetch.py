"""Feeds and pages over real HTTP on 127.0.0.1: polite, cached, and never failing the build."""

from __future__ import annotations

import dataclasses
import threading
import time
from pathlib import Path

import pytest
from feed_server import FIXTURES, FeedServer, Reply

from digest.config import Config, FetchSettings, load_config
from digest.fetch.http import FetchError, PoliteClient
from digest.fetch.ingest import read_fetched_sources, source_states
from digest.sources import read_sources

# the test servers are on 127.0.0.1, a loopback address fetches are refused by default
FAST = {"timeout": 0.5, "total_timeout": 2, "retries": 1, "backoff": 0.05,
        "max_retry_after": 5, "host_interval": 0, "max_bytes": 100_000, "max_redirects": 3,
        "allow_private_hosts": ["127.0.0.1"]}


def make_config(tmp_path: Path, sources: str, **fetch: object) -> Config:
    """A feeds.yaml with short test limits, loaded the way a build loads it."""
    settings = "".join(f"  {k}: {v}\n" for k, v in {**FAST, **fetch}.items())
    path = tmp_path / "feeds.yaml"
    path.write_text(f"fetch:\n{settings}sources:\n{sources}", "utf-8")
    return load_config(path)


def feed_sources(base: str, full_text: bool = False) -> str:
    extra = "    full_text: true\n" if full_text else ""
    return (f"  - name: courier\n    type: rss\n    url: {base}/rss.xml\n{extra}"
            f"  - name: visnyk\n    type: atom\n    url: {base}/atom.xml\n"
            f"  - name: wire\n    type: jsonfeed\n    url: {base}/feed.json\n")


def reasons(skipped: list) -> dict[str, str]:
    return {s.origin: s.reason for s in skipped}


# --- feeds to documents -----------------------------------------------------------------

def test_rss_atom_and_json_feed_items_become_documents(server: FeedServer,
                                                       tmp_path: Path) -> None:
    server.serve_fixtures()
    docs, skipped, _ = read_sources(make_config(tmp_path, feed_sources(server.base)))
    assert skipped == []
    by_title = {d.fields["title"]: d for d in docs}
    assert [d.source for d in docs] == ["courier"] * 4 + ["visnyk"] + ["wire"] * 2
    ferry = by_title["Ferry service suspended as storm closes harbour"]
    assert ferry.fields["date"] == "2026-03-02T09:30:00+01:00"  # the feed's own time zone
    assert ferry.fields["url"] == f"{server.base}/articles/ferry.html" == ferry.origin
    assert ferry.fields["byline"] == "Mara Quill"
    assert ferry.fields["language"] == "en-gb"
    assert ferry.text == "" and ferry.id.startswith("courier/")
    storm = by_title["Шторм закрив гавань"]
    assert storm.fields["body"] == ["Поромне сполучення призупинено.",
                                    "Вітер посилиться до вечора."]
    assert storm.fields["related"] == ["Ferry service suspended as storm closes harbour"]
    assert storm.fields["date"] == "2026-03-02T08:15:00+02:00"
    assert storm.fields["language"] == "uk"
    rail = by_title["Rail strike called off after overnight talks"]
    assert rail.fields["body"] == ["Unions called off Monday's rail strike.",
                                   "Talks resume next week."]
    assert rail.fields["byline"] == "Calder Press Agency"
    assert by_title["Weather warning extended"].fields["body"][1] == "Coastal roads may flood."
    # every request said who we are
    assert {h.headers["user-agent"].split("/")[0] for h in server.log} == {"newsdigest"}
    # the same ids on the next build, so the cache and the site's URLs stay stable
    again, _, _ = read_sources(make_config(tmp_path, feed_sources(server.base)))
    assert [d.id for d in again] == [d.id for d in docs]


def test_local_feed_file_and_keyword_filters(tmp_path: Path) -> None:
    (tmp_path / "rss.xml").write_bytes((FIXTURES / "rss.xml").read_bytes())
    config = make_config(tmp_path, "  - name: courier\n    type: rss\n    path: rss.xml\n"
                                   "    include: [harbour, ferry]\n    exclude: [sport]\n")
    docs, skipped, _ = read_sources(config)
    assert skipped == []
    # "Council papers leaked" names neither keyword; the regatta item is sport
    assert [d.fields["title"] for d in docs] == [
        "Ferry service suspended as storm closes harbour", "Harbour board approves new breakwater"]
    assert docs[0].origin == "rss.xml#courier-1001"  # "{BASE}/..." is not a URL


def test_saved_html_page_is_extracted_for_the_cleaner(tmp_path: Path) -> None:
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "ferry.html").write_bytes((FIXTURES / "article-ferry.html").read_bytes())
    docs, skipped, _ = read_sources(make_config(
        tmp_path, "  - name: saved\n    type: html\n    path: pages/*.html\n"))
    assert skipped == []
    [doc] = docs
    assert doc.id == "saved/ferry" and doc.origin == "pages/ferry.html"
    first, *rest = doc.text.splitlines()
    assert first == "date 2026-03-02 Ferry service suspended as storm closes harbour"
    assert rest[0].startswith("The morning ferry was cancelled")
    assert "Subscribe today" not in doc.text and "Most read" not in doc.text


# --- full text ----------------------------------------------------------------------------

def test_full_text_replaces_teasers_and_respects_robots(server: FeedServer,
                                                        tmp_path: Path) -> None:
    server.serve_fixtures()
    docs, _, notices = read_sources(make_config(tmp_path, feed_sources(server.base, True)))
    by_title = {d.fields["title"]: d for d in docs}
    ferry = by_title["Ferry service suspended as storm closes harbour"]
    assert len(ferry.fields["body"]) == 5
    assert ferry.fields["body"][-1].startswith("Local businesses that depend on day visitors")
    assert not any("Subscribe" in p or "Most read" in p or "Copyright" in p
                   for p in ferry.fields["body"])
    assert by_title["Harbour board approves new breakwater"].fields["body"][0].startswith(
        "Members of the harbour board voted")
    # a full item in the feed is not fetched again
    assert len(by_title["Sport: harbour regatta results"].fields["body"]) == 5
    assert server.hits("/articles/regatta.html") == []
    # robots.txt disallows /private/: the teaser stays and the report says why
    leak = by_title["Council papers leaked"]
    assert leak.fields["body"] == [
        "A short teaser about papers that robots.txt keeps us from fetching."]
    assert server.hits("/private/leak.html") == []
    assert "robots.txt disallows" in reasons(notices)[f"{server.base}/private/leak.html"]
    assert "kept the feed's teaser" in reasons(notices)[f"{server.base}/private/leak.html"]
    assert len(server.hits("/robots.txt")) == 1
    # the teaser is a notice (the article is kept), not a skipped input
    _, skipped, notices = read_sources(
        make_config(tmp_path, feed_sources(server.base, True)))
    assert skipped == [] and [n.origin for n in notices] == [f"{server.base}/private/leak.html"]


def test_unchanged_feeds_cost_one_conditional_request_each(server: FeedServer,
                                                           tmp_path: Path) -> None:
    server.serve_fixtures()
    config = make_config(tmp_path, feed_sources(server.base, True))
    first, _, _ = read_sources(config)
    server.log.clear()
    second, skipped, _ = read_sources(config)
    assert second == first
    assert [(h.path, h.status) for h in sorted(server.log, key=lambda h: h.path)] == [
        ("/atom.xml", 304), ("/feed.json", 304), ("/rss.xml", 304)]  # no page, no robots.txt
    sent = {h.path: h.headers for h in server.log}
    assert sent["/rss.xml"]["if-none-match"] == '"rss-v1"'
    assert sent["/atom.xml"]["if-modified-since"] == "Mon, 02 Mar 2026 08:00:00 GMT"
    assert sent["/feed.json"]["if-none-match"] == 'W/"json-v1"'
    assert sent["/feed.json"]["if-modified-since"] == "Mon, 02 Mar 2026 08:00:00 GMT"
    assert [s for s in skipped if "robots" not in s.reason] == []


def test_a_changed_feed_reuses_pages_already_fetched(server: FeedServer, tmp_path: Path) -> None:
    server.serve_fixtures()
    config = make_config(tmp_path, feed_sources(server.base, True))
    read_sources(config)
    server.log.clear()
    changed = server.fixture("rss.xml").replace(b"<title>Harbour Courier</title>",
                                                b"<title>The Harbour Courier</title>")
    server.static("/rss.xml", changed, "application/rss+xml", etag='"rss-v2"')
    docs, _, _ = read_sources(config)
    assert [h.path for h in server.log if h.path.startswith("/rss")] == ["/rss.xml"]
    assert not [h for h in server.log if h.path.startswith("/articles/")]
    assert len(next(d for d in docs if "Ferry" in d.fields["title"]).fields["body"]) == 5


# --- politeness and limits ----------------------------------------------------------------

def test_retry_after_is_respected(server: FeedServer, tmp_path: Path) -> None:
    server.serve_fixtures()
    rss = server.routes["/rss.xml"]
    answers = iter([Reply(429, b"slow down", {"Retry-After": "1"})])
    server.routes["/rss.xml"] = lambda h: next(answers, None) or rss(h)
    docs, skipped, _ = read_sources(make_config(
        tmp_path, f"  - name: courier\n    type: rss\n    url: {server.base}/rss.xml\n"))
    assert skipped == [] and len(docs) == 4
    first, second = server.hits("/rss.xml")
    assert (first.status, second.status) == (429, 200)
    assert second.at - first.at >= 0.95


def test_retry_after_beyond_the_limit_gives_up_at_once(server: FeedServer) -> None:
    server.routes["/busy"] = lambda h: Reply(503, b"", {"Retry-After": "3600"})
    started = time.monotonic()
    with PoliteClient(_settings(retries=3)) as client, pytest.raises(
            FetchError, match="retry after 3600s"):
        client.get(server.base + "/busy")
    # it did not wait the hour: one request, and a deadline that only a wait would miss
    assert len(server.hits("/busy")) == 1 and time.monotonic() - started < 10


def test_slow_endpoint_is_cut_at_the_timeout(server: FeedServer, tmp_path: Path) -> None:
    server.routes["/slow.xml"] = lambda h: Reply(200, b"<rss/>", delay=60)
    started = time.monotonic()
    docs, skipped, _ = read_sources(make_config(
        tmp_path, f"  - name: slow\n    type: rss\n    url: {server.base}/slow.xml\n",
        retries=0, timeout=0.3))
    assert time.monotonic() - started < 20  # a hang would wait the server's minute
    assert docs == []
    assert "timed out after 0.3s" in reasons(skipped)[f"{server.base}/slow.xml"]


def test_trickling_endpoint_is_cut_at_the_total_timeout(server: FeedServer) -> None:
    server.routes["/trickle"] = lambda h: Reply(200, b"<rss>" + b" " * 3000, trickle=0.02)
    started = time.monotonic()
    with PoliteClient(_settings(timeout=0.3, total_timeout=0.5, retries=0)) as client, \
            pytest.raises(FetchError, match=r"no complete response within .*\(0.5s\)"):
        client.get(server.base + "/trickle")
    assert time.monotonic() - started < 20  # the whole trickle would take a minute


def test_oversize_bodies_are_refused(server: FeedServer) -> None:
    big = b"<rss>" + b"x" * 300_000 + b"</rss>"
    server.routes["/declared"] = lambda h: Reply(200, big)
    server.routes["/undeclared"] = lambda h: Reply(200, big, declare_length=False)
    with PoliteClient(_settings(max_bytes=100_000)) as client:
        with pytest.raises(FetchError, match="300,011 bytes is over the 100,000 byte limit"):
            client.get(server.base + "/declared")
        with pytest.raises(FetchError, match="over the 100,000 byte limit"):
            client.get(server.base + "/undeclared")


def test_redirect_loop_is_stopped(server: FeedServer, tmp_path: Path) -> None:
    server.routes["/a"] = lambda h: Reply(302, headers={"Location": "/b"})
    server.routes["/b"] = lambda h: Reply(302, headers={"Location": "/a"})
    docs, skipped, _ = read_sources(make_config(
        tmp_path, f"  - name: loop\n    type: rss\n    url: {server.base}/a\n", max_redirects=3))
    assert docs == []
    assert f"redirect loop: {server.base}/a redirects back" in reasons(skipped)[f"{server.base}/a"]
    assert [h.path for h in server.log] == ["/a", "/b"]  # stopped at once, not retried


def test_redirect_chains_are_capped(server: FeedServer) -> None:
    for i in range(10):
        server.routes[f"/r{i}"] = lambda h, i=i: Reply(301, headers={"Location": f"/r{i + 1}"})
    server.routes["/r2"] = lambda h: Reply(308, headers={"Location": f"{server.base}/r3"})
    with PoliteClient(_settings(max_redirects=3)) as client:
        with pytest.raises(FetchError, match="more than 3 redirects"):
            client.get(server.base + "/r0")
        assert [h.path for h in server.log] == ["/r0", "/r1", "/r2", "/r3"]
        server.routes["/r3"] = lambda h: Reply(200, b"here")
        response = client.get(server.base + "/r0")
        assert response.url == server.base + "/r3" and response.body == b"here"
        assert response.redirects == tuple(f"{server.base}/r{i}" for i in (1, 2, 3))
        server.routes["/r0"] = lambda h: Reply(302, headers={"Location": "file:///etc/passwd"})
        with pytest.raises(FetchError, match="not an http"):
            client.get(server.base + "/r0")


def test_robots_txt_disallow_is_honoured_for_pages(server: FeedServer, tmp_path: Path) -> None:
    server.serve_fixtures()
    docs, skipped, _ = read_sources(make_config(
        tmp_path, f"  - name: page\n    type: html\n    url: {server.base}/private/leak.html\n"
                  f"  - name: ok\n    type: html\n    url: {server.base}/articles/ferry.html\n"))
    assert server.hits("/private/leak.html") == []
    assert "robots.txt disallows" in reasons(skipped)[f"{server.base}/private/leak.html"]
    assert [d.source for d in docs] == ["ok"]
    assert docs[0].text.startswith("date 2026-03-02 Ferry service suspended")


def test_per_host_concurrency_and_interval(server: FeedServer) -> None:
    server.routes["/wait"] = lambda h: Reply(200, b"ok", delay=0.15)
    with PoliteClient(_settings(host_concurrency=2)) as client:
        threads = [threading.Thread(target=client.get, args=(server.base + "/wait",))
                   for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(5)
    assert server.max_in_flight == 2 and len(server.hits("/wait")) == 6
    server.routes["/now"] = lambda h: Reply(200, b"ok")
    with PoliteClient(_settings(host_interval=0.25)) as spaced:
        for _ in range(3):
            spaced.get(server.base + "/now")
    times = [h.at for h in server.hits("/now")]
    assert min(b - a for a, b in zip(times, times[1:], strict=False)) >= 0.2


# --- hostile or broken content --------------------------------------------------------------

@pytest.mark.parametrize(("fixture", "content_type", "expected"), [
    ("malformed.xml", "application/rss+xml", "not well-formed XML"),
    ("error-page.html", "text/html", "not a feed: the server sent an HTML page"),
])
def test_broken_feeds_are_reported_not_raised(server: FeedServer, tmp_path: Path,
                                              fixture: str, content_type: str,
                                              expected: str) -> None:
    server.static("/feed", server.fixture(fixture), content_type)
    docs, skipped, _ = read_sources(make_config(
        tmp_path, f"  - name: broken\n    type: rss\n    url: {server.base}/feed\n"))
    assert docs == []
    assert expected in reasons(skipped)[f"{server.base}/feed"]


QUADRATIC = ('<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "' + "x" * 20_000 + '">]>\n'
             '<rss version="2.0"><channel><title>q</title><item><title>t</title><description>'
             + "&a;" * 20_000 + "</description></item></channel></rss>")


@pytest.mark.parametrize("payload", ["billion-laughs", "quadratic", "billion-laughs-utf16"])
def test_entity_expansion_payloads_are_refused_at_once(server: FeedServer, tmp_path: Path,
                                                       payload: str) -> None:
    body = {"billion-laughs": server.fixture("billion-laughs.xml"),
            "quadratic": QUADRATIC.encode(),
            "billion-laughs-utf16": server.fixture("billion-laughs.xml").decode().replace(
                'version="1.0"?>', 'version="1.0" encoding="UTF-16"?>').encode("utf-16")}[payload]
    server.static("/lol.xml", body, "application/rss+xml")
    started = time.monotonic()
    docs, skipped, _ = read_sources(make_config(
        tmp_path, f"  - name: lol\n    type: rss\n    url: {server.base}/lol.xml\n"))
    assert time.monotonic() - started < 20  # a deadline that catches an expansion, not a speed
    assert docs == []
    assert "declares XML entities" in reasons(skipped)[f"{server.base}/lol.xml"]


def test_http_errors_are_reported_with_their_status(server: FeedServer, tmp_path: Path) -> None:
    server.routes["/gone"] = lambda h: Reply(404, b"nope")
    server.routes["/down"] = lambda h: Reply(500, b"oops")
    docs, skipped, _ = read_sources(make_config(
        tmp_path, f"  - name: gone\n    type: rss\n    url: {server.base}/gone\n"
                  f"  - name: down\n    type: rss\n    url: {server.base}/down\n"
                  "  - name: nohost\n    type: rss\n    url: http://127.0.0.1:9/feed\n"))
    found = reasons(skipped)
    assert docs == []
    assert "HTTP 404" in found[f"{server.base}/gone"]
    assert "HTTP 500 Internal Server Error after 2 attempts" in found[f"{server.base}/down"]
    assert "connection failed" in found["http://127.0.0.1:9/feed"]
    assert len(server.hits("/gone")) == 1  # a 404 is not retried


# --- a source that fails after succeeding -------------------------------------------------

def test_failing_source_keeps_its_last_good_items(server: FeedServer, tmp_path: Path) -> None:
    server.serve_fixtures()
    config = make_config(tmp_path, feed_sources(server.base))
    sources = config.sources
    good = read_fetched_sources(config, sources, now=lambda: "2026-03-02T06:00:00+00:00")
    server.routes["/rss.xml"] = lambda h: Reply(500, b"down")
    server.static("/feed.json", b"<html><body>Oops</body></html>", "text/html")
    for now in ("2026-03-03T06:00:00+00:00", "2026-03-04T06:00:00+00:00"):
        later = read_fetched_sources(config, sources, now=lambda now=now: now)
        assert later["courier"].docs == good["courier"].docs
        assert later["wire"].docs == good["wire"].docs
        assert later["courier"].status == "failing"
        [report] = later["courier"].skipped
        assert report.origin == f"{server.base}/rss.xml"
        assert report.reason.startswith("failing since 2026-03-03T06:00:00+00:00: HTTP 500")
        assert "kept 4 items from the last good fetch (2026-03-02T06:00:00+00:00)" in report.reason
        assert "not a feed" in later["wire"].skipped[0].reason
        assert later["visnyk"].status == "not modified"
    states = source_states(config)
    assert (states["courier"].failing_since, states["courier"].fetched_at) == (
        "2026-03-03T06:00:00+00:00", "2026-03-02T06:00:00+00:00")
    assert states["visnyk"].error == "" and states["visnyk"].fetched_at.startswith("2026-03-04")
    server.serve_fixtures()
    recovered = read_fetched_sources(config, sources, now=lambda: "2026-03-05T06:00:00+00:00")
    assert recovered["courier"].skipped == () and recovered["courier"].status == "not modified"


def test_a_source_failing_from_the_start_remembers_since_when(server: FeedServer,
                                                               tmp_path: Path) -> None:
    server.routes["/rss.xml"] = lambda h: Reply(500, b"down")
    config = make_config(tmp_path, feed_sources(server.base))
    courier = config.sources[:1]
    read_fetched_sources(config, courier, now=lambda: "2026-03-01T06:00:00+00:00")
    later = read_fetched_sources(config, courier, now=lambda: "2026-03-02T06:00:00+00:00")
    assert later["courier"].docs == ()
    assert later["courier"].skipped[0].reason.startswith(
        "failing since 2026-03-01T06:00:00+00:00: HTTP 500")


def test_failing_source_keeps_its_articles_in_the_digest(server: FeedServer,
                                                         tmp_path: Path) -> None:
    from digest.pipeline import build_digest

    server.serve_fixtures()
    config = make_config(tmp_path, feed_sources(server.base))
    before = build_digest(config, jobs=1)
    server.routes["/rss.xml"] = lambda h: Reply(503, b"down")
    after = build_digest(config, jobs=1)
    titles = sorted(a.title for a in (*after.articles, *after.duplicates) if a.source == "courier")
    assert titles == sorted(a.title for a in (*before.articles, *before.duplicates)
                            if a.source == "courier")
    assert len(titles) == 4
    assert any(s.origin.endswith("/rss.xml") and "failing since" in s.reason
               for s in after.skipped)


def _settings(**changes: object) -> FetchSettings:
    values: dict = {**FAST, **changes}
    return FetchSettings(**{**values, "allow_private_hosts": tuple(values["allow_private_hosts"])})


def test_a_surprise_in_one_source_does_not_fail_the_others(
        server: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import digest.fetch.ingest as ingest

    server.serve_fixtures()
    real = ingest.parse_feed

    def parse(data: bytes, base_url: str = "", **options: str) -> object:
        if base_url.endswith("/atom.xml"):
            raise RuntimeError("a library bug")
        return real(data, base_url, **options)

    monkeypatch.setattr(ingest, "parse_feed", parse)
    docs, skipped, _ = read_sources(make_config(tmp_path, feed_sources(server.base)))
    assert {d.source for d in docs} == {"courier", "wire"}
    assert "unexpected RuntimeError: a library bug" in reasons(skipped)[f"{server.base}/atom.xml"]


def test_without_a_cache_every_build_fetches_in_full(server: FeedServer, tmp_path: Path) -> None:
    server.serve_fixtures()
    config = dataclasses.replace(make_config(tmp_path, feed_sources(server.base)), cache=None)
    for _ in range(2):
        docs, skipped, _ = read_sources(config)
        assert len(docs) == 7 and skipped == []
    assert all("if-none-match" not in h.headers for h in server.log)
    assert not (tmp_path / ".digest-cache.sqlite").exists()


def test_full_text_redirected_into_a_disallowed_path_keeps_the_teaser(
        server: FeedServer, tmp_path: Path) -> None:
    server.serve_fixtures()
    server.routes["/articles/moved.html"] = lambda h: Reply(
        302, headers={"Location": "/private/leak.html"})
    rss = server.fixture("rss.xml").replace(b"/articles/ferry.html", b"/articles/moved.html")
    server.static("/moved.xml", rss, "application/rss+xml")
    docs, _, notices = read_sources(make_config(
        tmp_path, f"  - name: c\n    type: rss\n    url: {server.base}/moved.xml\n"
                  "    full_text: true\n"))
    assert server.hits("/private/leak.html") == []
    ferry = next(d for d in docs if d.fields["title"].startswith("Ferry"))
    assert len(ferry.fields["body"]) == 1  # the teaser
    assert "which robots.txt disallows" in reasons(notices)[f"{server.base}/articles/moved.html"]
