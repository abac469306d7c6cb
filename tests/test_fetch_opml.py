"""OPML: import into feeds.yaml keeping what is there; export the sources; a round trip."""

from __future__ import annotations

import difflib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from feed_server import FIXTURES, FeedServer
from test_fetch import FAST

from digest.cli import main
from digest.config import Config, SiteSettings, SourceSettings, load_config
from digest.fetch.opml import OpmlError, OpmlFeed, add_feeds, opml_document, read_opml, source_name
from digest.sources import read_sources

FEEDS_YAML = """\
# Our digest. Comments and order must survive an import.
site:
  title: Harbour Digest   # shown in the header
fetch:
{fetch}
sources:    # earlier sources win ties
    -   name: local
        type: text
        path: pages/*.txt   # scraped by hand
        # more local sources later

# end of sources
cache: .cache.sqlite
"""


def only_insertions(before: str, after: str) -> bool:
    ops = difflib.SequenceMatcher(None, before.splitlines(), after.splitlines()).get_opcodes()
    return all(tag in ("equal", "insert") for tag, *_ in ops)


def test_opml_round_trip_import_build_export(server: FeedServer, tmp_path: Path) -> None:
    server.serve_fixtures()
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "one.txt").write_text("date 2026-03-02 Quay repaired\nBody.", "utf-8")
    feeds = tmp_path / "feeds.yaml"
    before = FEEDS_YAML.format(fetch="".join(f"  {k}: {v}\n" for k, v in FAST.items()).rstrip())
    feeds.write_text(before, "utf-8")
    opml = tmp_path / "subscriptions.opml"
    opml.write_bytes(server.fixture("subscriptions.opml"))

    result = CliRunner().invoke(main, ["import-opml", str(opml), "--config", str(feeds)])
    assert result.exit_code == 0, result.output
    assert "added 3 feeds: harbour-courier, portovii-visnik, coastal-wire" in result.output
    after = feeds.read_text("utf-8")
    assert only_insertions(before, after)
    assert "    -   name: harbour-courier\n        title: Harbour Courier\n        type: rss\n" \
        in after  # the file's own indentation
    assert after.index("portovii-visnik") < after.index("# end of sources")

    config = load_config(feeds)
    assert [s.name for s in config.sources] == [
        "local", "harbour-courier", "portovii-visnik", "coastal-wire"]
    assert [s.type for s in config.sources] == ["text", "rss", "atom", "jsonfeed"]
    docs, skipped, _ = read_sources(config)  # the build's ingest, against the server
    assert skipped == []
    assert {d.source for d in docs} == {"local", "harbour-courier", "portovii-visnik",
                                        "coastal-wire"}

    exported = read_opml(opml_document(config).encode())
    imported = read_opml(opml.read_bytes())
    assert [f.xml_url for f in exported] == [f.xml_url for f in imported]
    assert [f.title for f in exported] == [f.title for f in imported]
    assert [f.html_url for f in exported] == [f.html_url for f in imported]

    # importing again adds nothing and leaves the file as it is
    again = CliRunner().invoke(main, ["import-opml", str(opml), "--config", str(feeds)])
    assert again.exit_code == 0 and "added 0 feeds" in again.output
    assert f"already in feeds.yaml: {server.base}/rss.xml" in again.output
    assert feeds.read_text("utf-8") == after


def test_opml_document_is_valid_opml_2() -> None:
    config = Config(path=Path("/x/feeds.yaml"), site=SiteSettings(title="Harbour & Co"),
                    sources=(SourceSettings("a", "text", path="a/*.txt"),
                             SourceSettings("b", "atom", url="https://b.example/feed",
                                            title="B <news>", site_url="https://b.example/",
                                            language="uk")))
    root = ET.fromstring(opml_document(config))
    assert root.tag == "opml" and root.get("version") == "2.0"
    assert root.findtext("head/title") == "Harbour & Co: sources"
    [outline] = root.iter("outline")
    assert outline.attrib == {"type": "rss", "text": "B <news>", "title": "B <news>",
                              "xmlUrl": "https://b.example/feed",
                              "htmlUrl": "https://b.example/", "language": "uk"}


def test_empty_flow_list_becomes_a_block_list() -> None:
    text = "site: {}\nsources: []   # nothing yet\ncache: null\n"
    new, added, _ = add_feeds(text, [OpmlFeed("https://a.example/rss", "A: the news")])
    assert new == ('site: {}\nsources:\n  - name: a-the-news\n    title: "A: the news"\n'
                   "    type: rss\n    url: https://a.example/rss\n   # nothing yet\ncache: null\n")
    assert added == ["a-the-news"]


def test_a_sources_key_with_nothing_but_comments_becomes_a_block_list() -> None:
    text = "sources:\n  # - name: x\n  #   type: rss\ncache: null\n"
    new, added, _ = add_feeds(text, [OpmlFeed("https://a.example/rss", "A")])
    assert new == ("sources:\n  - name: a\n    title: A\n    type: rss\n"
                   "    url: https://a.example/rss\n  # - name: x\n  #   type: rss\ncache: null\n")
    assert added == ["a"]


def test_opml_that_is_not_safe_or_not_opml_is_refused() -> None:
    with pytest.raises(OpmlError, match="not a usable OPML"):
        read_opml((FIXTURES / "billion-laughs.xml").read_bytes())
    with pytest.raises(OpmlError, match="root element is <rss>"):
        read_opml((FIXTURES / "rss.xml").read_bytes())
    with pytest.raises(OpmlError, match="flow"):
        add_feeds("sources: [{name: a, type: text, path: x}]\n", [OpmlFeed("https://a.org/f")])


def test_source_names_are_unique_slugs() -> None:
    assert source_name("Портовий вісник", "https://x.org", []) == "portovii-visnik"
    assert source_name("", "https://www.example.org/rss", []) == "example-org"
    assert source_name("News", "https://x.org", ["news", "news-2"]) == "news-3"
