"""The fetch package's small parts, without a server: parsing, limits, filters, the store."""

from __future__ import annotations

import email.utils
import time
from pathlib import Path

import httpx
import pytest

from digest.config import FetchSettings
from digest.fetch.feeds import FeedError, html_paragraphs, parse_feed, text_paragraphs
from digest.fetch.fulltext import is_teaser
from digest.fetch.http import HostGate, PoliteClient, Validators, retry_after_seconds
from digest.fetch.robots import RobotsRules
from digest.fetch.validators import FetchStore, SourceState
from digest.filters import wanted
from digest.records import RawDocument


def test_retry_after_takes_seconds_or_an_http_date() -> None:
    assert retry_after_seconds("7") == 7.0
    now = time.time()
    later = email.utils.formatdate(now + 30, usegmt=True)
    assert 28 <= (retry_after_seconds(later, now=now) or 0) <= 31
    assert retry_after_seconds(email.utils.formatdate(now - 30, usegmt=True), now=now) == 0.0
    assert retry_after_seconds(None) is None and retry_after_seconds("soon") is None


def test_host_gate_spaces_requests_per_host() -> None:
    clock = [100.0]
    waits: list[float] = []
    gate = HostGate(2.0, 1, clock=lambda: clock[0], sleep=waits.append)
    for _ in range(3):
        gate.wait_turn("a.example")
    gate.wait_turn("b.example")  # another host does not wait
    assert waits == [2.0, 4.0]
    gate.slow_down("b.example", 10.0)  # robots.txt asked for a Crawl-delay
    gate.wait_turn("b.example")
    gate.wait_turn("b.example")
    assert waits == [2.0, 4.0, 2.0, 12.0]


def test_conditional_headers() -> None:
    assert Validators('"x"', "Mon, 02 Mar 2026 08:00:00 GMT").headers() == {
        "If-None-Match": '"x"', "If-Modified-Since": "Mon, 02 Mar 2026 08:00:00 GMT"}
    assert Validators().headers() == {}


def test_teasers_are_short_or_cut_off() -> None:
    long = ["word " * 120]
    assert is_teaser(["The ferry was cancelled."])
    assert not is_teaser(long)
    assert is_teaser([long[0] + "and then …"])
    assert is_teaser([long[0], "Continue reading"])
    assert is_teaser(long, teaser_words=200)


def test_html_fragments_become_paragraphs() -> None:
    html = ("<p>One <b>bold</b>&nbsp;move.</p><script>alert(1)</script><ul><li>A</li><li>B</li>"
            "</ul>Tail<br>line")
    assert html_paragraphs(html) == ["One bold move.", "A", "B", "Tail", "line"]
    assert text_paragraphs("a\n\nb\nc") == ["a", "b c"]
    assert text_paragraphs("a\nb") == ["a", "b"]


def test_keyword_filters_match_whole_words_in_any_case() -> None:
    doc = RawDocument("s/1", "s", "o", fields={"title": "Rail strike", "body": ["Trailer park."]})
    assert wanted(doc, include=["rail"])
    assert not wanted(doc, include=["trail"])
    assert wanted(doc, include=["trailer"]) and not wanted(doc, exclude=["STRIKE"])
    assert wanted(doc, include=["rail strike"], exclude=["ferry"])
    assert wanted(RawDocument("s/2", "s", "o", text="Київ готується"), include=["київ"])


def test_json_feed_errors_are_one_line() -> None:
    with pytest.raises(FeedError, match="not valid JSON"):
        parse_feed(b'{"version": ')
    with pytest.raises(FeedError, match="not a JSON Feed"):
        parse_feed(b'{"items": []}')


def test_store_keeps_state_per_source_and_location(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    doc = RawDocument("s/1", "s", "https://x.example/1", fields={"title": "T", "body": ["B"]})
    with FetchStore(path) as store:
        store.save("s", SourceState("https://x.example/feed a", Validators('"e"', "lm"), (doc,),
                                    "2026-03-02T06:00:00+00:00", "HTTP 500", "2026-03-03"))
    with FetchStore(path) as store:  # a new build
        state = store.load("s", "https://x.example/feed a")
        assert state is not None and state.items == (doc,)
        assert (state.validators.etag, state.error, state.failing_since) == ('"e"', "HTTP 500",
                                                                              "2026-03-03")
        assert store.load("s", "https://x.example/other a") is None  # a new URL starts afresh
        assert store.load("t", "https://x.example/feed a") is None


@pytest.mark.parametrize(("status", "allowed"), [(404, True), (403, True), (503, False)])
def test_robots_txt_missing_allows_and_unreachable_disallows(status: int, allowed: bool) -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(status))
    settings = FetchSettings(retries=0, host_interval=0)
    with PoliteClient(settings, transport=transport) as client:
        assert RobotsRules(client).allowed("https://x.example/page") is allowed


def test_robots_rules_name_our_product_token_and_set_its_crawl_delay() -> None:
    robots = (b"User-agent: newsdigest\nDisallow: /private/\nCrawl-delay: 600\n\n"
              b"User-agent: *\nDisallow: /\n")
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=robots))
    with PoliteClient(FetchSettings(host_interval=0), transport=transport) as client:
        rules = RobotsRules(client)
        assert rules.allowed("https://x.example/page")
        assert not rules.allowed("https://x.example/private/page")
        assert client.gate._intervals == {"x.example": 30.0}  # capped by max_crawl_delay


def test_feeds_without_entity_declarations_still_parse() -> None:
    netscape = (b'<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS'
                b' 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version='
                b'"0.91"><channel><title>Old feed</title><item><title>A&amp;B</title>'
                b"<description>Text.</description></item></channel></rss>")
    feed = parse_feed(netscape)
    assert feed.title == "Old feed" and [i.title for i in feed.items] == ["A&B"]


def test_keyword_filters_apply_to_scraped_text_sources_too(tmp_path: Path) -> None:
    from digest.config import load_config
    from digest.sources import read_sources

    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "1.txt").write_text("date 2026-03-02 Ferry cancelled\nBody.", "utf-8")
    (tmp_path / "a" / "2.txt").write_text("date 2026-03-02 Regatta results\nSport.", "utf-8")
    (tmp_path / "feeds.yaml").write_text(
        "sources:\n  - {name: a, type: text, path: a/*.txt, exclude: [sport]}\n", "utf-8")
    docs, skipped, _ = read_sources(load_config(tmp_path / "feeds.yaml"))
    assert [d.id for d in docs] == ["a/1"] and skipped == []
