"""feeds.yaml: validated once, with one-line errors naming file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from digest.config import ConfigError, load_config


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "a").mkdir(exist_ok=True)
    (tmp_path / "a" / "one.txt").write_text("date 2026-03-01 Hello", encoding="utf-8")
    path = tmp_path / "feeds.yaml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """\
site:
  title: Harbour Digest
  url: https://news.example.org/
summary:
  sentences: 2
sources:
  - name: courier
    type: text
    path: a/*.txt
    title: The Courier
  - name: wire
    type: jsonl
    path: wire.jsonl
"""


def test_good_config_is_read_with_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD))
    assert config.site.title == "Harbour Digest"
    assert config.site.url == "https://news.example.org/"
    assert config.summary_sentences == 2
    assert config.topic_summary_sentences == 3
    assert [s.name for s in config.sources] == ["courier", "wire"]
    assert [s.priority for s in config.sources] == [0, 1]
    assert config.sources[0].label == "The Courier"
    assert config.files(config.sources[0]) == [tmp_path / "a" / "one.txt"]
    assert config.cache == tmp_path / ".digest-cache.sqlite"


def test_missing_path_is_a_problem_not_a_failure(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD))
    [problem] = config.problems
    assert problem.origin == "feeds.yaml:13:11"
    assert "wire.jsonl" in problem.reason and "matches no file" in problem.reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GOOD.replace("  sentences: 2", "  sentence: 2"),
         "feeds.yaml:5:3: summary.sentence: unknown key"),
        (GOOD.replace("sentences: 2", "sentences: two"),
         "feeds.yaml:5:14: summary.sentences: must be int (got str)"),
        (GOOD.replace("sentences: 2", "sentences: 0"),
         "feeds.yaml:5:14: summary.sentences: must be between 1 and 50"),
        (GOOD.replace("type: jsonl", "type: xml"),
         "feeds.yaml:12:11: sources[1].type: must be one of text, jsonl, rss, atom, jsonfeed,"
         " html (got 'xml')"),
        (GOOD.replace("    path: wire.jsonl", "    url: https://example.org/wire.jsonl"),
         "feeds.yaml:13:10: sources[1].url: only rss, atom, jsonfeed, html sources can be"),
        (GOOD.replace("type: jsonl\n    path: wire.jsonl",
                      "type: rss\n    url: https://x.org/f\n    path: f.xml"),
         "feeds.yaml:13:10: sources[1].url: give either path or url, not both"),
        (GOOD.replace("type: jsonl\n    path: wire.jsonl", "type: rss"),
         "feeds.yaml:11:5: sources[1].url: is required (give path or url)"),
        (GOOD.replace("type: jsonl\n    path: wire.jsonl", "type: rss\n    url: x.org/f"),
         "feeds.yaml:13:10: sources[1].url: must be an http(s) URL"),
        (GOOD.replace("    title: The Courier", "    full_text: true"),
         "feeds.yaml:10:16: sources[0].full_text: only applies to rss, atom, jsonfeed"),
        (GOOD.replace("    title: The Courier", "    include: [rail, 3]"),
         "feeds.yaml:10:14: sources[0].include: must be a non-empty list of non-empty strings"),
        (GOOD.replace("summary:", "fetch:\n  timeout: 0\nsummary:"),
         "feeds.yaml:5:12: fetch.timeout: must be at least 0.1"),
        (GOOD.replace("    path: a/*.txt\n", ""),
         "feeds.yaml:7:5: sources[0].path: is required"),
        (GOOD.replace("name: wire", "name: courier"),
         "feeds.yaml:11:11: sources[1].name: 'courier' is already used"),
        (GOOD.replace("name: wire", "name: Wire Service"),
         "sources[1].name: must be lowercase letters, digits and dashes"),
        (GOOD.replace("url: https://news.example.org/", "url: news.example.org"),
         "feeds.yaml:3:8: site.url: must be an http(s) URL"),
        (GOOD.replace("sources:", "sources: 3\nx:"), "feeds.yaml:6:10: sources: must be list"),
        (GOOD + "  - [unclosed\n", "feeds.yaml:15:1: not valid YAML"),
        ("", "feeds.yaml: is empty"),
        ("site: {}\n", "feeds.yaml:1:1: sources: is required"),
    ],
)
def test_bad_config_gives_one_line_with_file_line_and_key(
        tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text))
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(expected) or expected in message, message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load_config(tmp_path / "nope.yaml")


def test_feed_sources_take_url_language_filters_and_fetch_settings(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD.replace("summary:", "fetch:\n  timeout: 5\nsummary:")
                               + """  - name: harbour-rss
    type: rss
    url: https://harbour.example.org/feed.xml
    language: en
    include: [ferry, "rail strike"]
    exclude: [sport]
    full_text: true
"""))
    feed = config.sources[2]
    assert (feed.type, feed.url, feed.path, feed.location) == (
        "rss", "https://harbour.example.org/feed.xml", "", "https://harbour.example.org/feed.xml")
    assert feed.include == ("ferry", "rail strike") and feed.exclude == ("sport",)
    assert feed.full_text and feed.language == "en"
    assert config.fetch.timeout == 5 and config.fetch.retries == 2
    assert [p.origin for p in config.problems] == ["feeds.yaml:15:11"]  # only wire.jsonl
