"""feeds.yaml: validated once, with one-line errors naming file, line and key."""

from __future__ import annotations

import glob
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest.config import Config, ConfigError, load_config
from digest.files import path_problems, source_files


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
    assert source_files(config.root, config.sources[0]) == [tmp_path / "a" / "one.txt"]
    assert config.cache == tmp_path / ".digest-cache.sqlite"


def test_missing_path_is_a_problem_not_a_failure(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD))
    [problem] = path_problems(config.root, config.sources)
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


@pytest.mark.parametrize("listed", [
    "sources: []\n",
    "sources:\n",
    "sources: null\n",
    "sources:  # none yet\n  # - name: a\n  #   type: text\n  #   path: a/*.txt\ncache: null\n",
])
def test_an_empty_sources_list_means_no_sources_yet(tmp_path: Path, listed: str) -> None:
    config = load_config(write(tmp_path, "site:\n  title: New digest\n" + listed))
    assert config.sources == ()
    assert config.site.title == "New digest"


def test_a_missing_sources_key_is_an_error_that_says_how_to_start(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, "site:\n  title: New digest\n"))
    assert str(info.value) == ("feeds.yaml:1:1: sources: is required (list the sources under"
                               " it; leave it empty while there are none yet)")


def test_a_key_left_empty_is_null(tmp_path: Path) -> None:
    """"key:" with nothing after it is YAML's null, read as such (no cache here), or the
    key's own problem, never a problem of YAML's tags."""
    assert load_config(write(tmp_path, "cache:\nsources: []\n")).cache is None
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, "site:\n  title:\nsources: []\n"))
    assert str(info.value) == "feeds.yaml:2:9: site.title: must be str (got NoneType)"


def test_loading_reads_feeds_yaml_and_nothing_else(tmp_path: Path) -> None:
    """The files a source names are found when sources are read, not when the config loads."""
    path = write(tmp_path, GOOD)
    with mock.patch("glob.glob", side_effect=AssertionError("load_config globbed")), \
            mock.patch("os.scandir", side_effect=AssertionError("load_config listed a folder")):
        config = load_config(path)
    assert [s.path for s in config.sources] == ["a/*.txt", "wire.jsonl"]


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
    # only wire.jsonl
    assert [p.origin for p in path_problems(config.root, config.sources)] == ["feeds.yaml:15:11"]


# --- hostile or mistaken YAML: one line with a position, never a traceback ----------------

@pytest.mark.parametrize(("text", "expected"), [
    ("site:\n  title: !python/name:os.system x\nsources: []\n",
     "feeds.yaml:2:10: site.title: the tag !python/name:os.system is not allowed"),
    ("site:\n  title: !!binary aGVsbG8=\nsources: []\n",
     "feeds.yaml:2:10: site.title: must be str (got bytes)"),
    ('site:\n  title: !!binary "%%%"\nsources: []\n', "feeds.yaml:2:10: site.title: must be str"),
    ("summary: {sentences: !!int abc}\nsources: []\n",
     "feeds.yaml:1:22: summary.sentences: 'abc' is not a valid !!int"),
    ("site: {title: !!timestamp nope}\nsources: []\n",
     "feeds.yaml:1:15: site.title: 'nope' is not a valid !!timestamp"),
    ("site: {title: !!bool maybe}\nsources: []\n", "feeds.yaml:1:15: site.title: 'maybe' is not"),
    ("summary: {sentences: " + "9" * 5000 + "}\nsources: []\n",
     "feeds.yaml:1:22: summary.sentences: '9999"),
    ("sources:\n  - {name: a, type: text, path: x, include: [!!float q]}\n",
     "feeds.yaml:2:46: sources[0].include[0]: 'q' is not a valid !!float"),
    ("fetch: {allow_private_hosts: [!x y]}\nsources: []\n",
     "feeds.yaml:1:31: fetch.allow_private_hosts[0]: the tag !x is not allowed"),
    ("sources: " + "[" * 10_000 + "]" * 10_000 + "\n",
     "feeds.yaml:1:41: not valid YAML: nested more than 32 levels deep"),
    ("sources: " + "{a: " * 5_000 + "1" + "}" * 5_000 + "\n",
     "feeds.yaml:1:131: not valid YAML: nested more than 32 levels deep"),
    ("{[1]: 2}\n", "feeds.yaml:1:2: (top level): keys must be plain names"),
    ("? {a: 1}\n: 2\n", "feeds.yaml:1:3: (top level): keys must be plain names"),
    ('"a\\nb": 1\nsources: []\n', "feeds.yaml:1:1: a\\nb: unknown key"),
    ("site:\n  title: a\x01b\n", "feeds.yaml:2:11: not valid YAML: the character U+0001 is not"),
    ("sources: []\n---\nsources: []\n", "feeds.yaml:2:1: not valid YAML"),
    ('sources:\n  - {name: a, type: text, path: "a\\0b"}\n',
     "feeds.yaml:2:33: sources[0].path: must not hold control characters"),
    ('cache: "\\0"\nsources: []\n', "feeds.yaml:1:8: cache: must not hold control characters"),
    ('site: {timezone: "' + "a" * 300 + '"}\nsources: []\n',
     "feeds.yaml:1:18: site.timezone: must be an IANA time zone"),
    ("sources: [{name: a, type: rss, url: 'https://x.org/f', follow_symlinks: true}]\n",
     "feeds.yaml:1:73: sources[0].follow_symlinks: only applies to sources read from a path"),
])
def test_yaml_tags_deep_nesting_and_odd_keys_give_one_line(
        tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text))
    message = str(info.value)
    assert message.isprintable()
    assert message.startswith(expected), message


# text that looks like YAML: its structure characters, tags, anchors and feeds.yaml's keys
FUZZ = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_PIECES = ["sources", "site", "title", "name", "type", "path", "url", "fetch", "summary", "cache",
           "include", "sentences", "text", "rss", "a/*.txt", "https://x.org/f", ":", ": ", " ",
           "  ", "\n", "\n  ", "- ", "-", "[", "]", "{", "}", ",", "? ", "!", "!!", "!!binary ",
           "!!int ", "!!timestamp ", "!!set ", "!python/name:os.system ", "!x ", "&a ", "*a", "|",
           ">", "'", '"', "#", "%YAML 1.1\n", "---\n", "...", "@", "`", "\t", "\\", "\\0", "1",
           "-1", "1e999", ".nan", "0x1F", "~", "null", "true", "\x85", "\u2028", "\x00", "\ufeff",
           "é", "\U0001f600"]


@pytest.fixture(scope="module")
def fuzz_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "a").mkdir()
    (folder / "a" / "one.txt").write_text("date 2026-03-01 Hello", encoding="utf-8")
    return folder


def loads_or_one_line(folder: Path, text: str) -> None:
    """``load_config`` gives a Config or one printable ConfigError line, never another error,
    and never globs; the paths of a Config it gives are then globbed without an error, kept
    inside ``folder`` (a mutation could write "/**")."""
    path = folder / "feeds.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    real_glob = glob.glob

    def local_glob(pattern: str, **kw: object) -> list[str]:
        return [] if pattern.startswith(("/", "~")) or ".." in pattern else real_glob(
            pattern, **kw)  # type: ignore[arg-type]

    with mock.patch("glob.glob", side_effect=AssertionError("load_config globbed")):
        try:
            config = load_config(path)
        except ConfigError as exc:
            assert str(exc).isprintable() and str(exc).startswith(("feeds.yaml", str(path)))
            return
    assert isinstance(config, Config)
    with mock.patch("glob.glob", local_glob):
        path_problems(config.root, config.sources)


@FUZZ
@given(st.lists(st.sampled_from(_PIECES), max_size=60))
def test_any_yaml_like_text_loads_or_gives_one_line(fuzz_folder: Path, pieces: list[str]) -> None:
    loads_or_one_line(fuzz_folder, "".join(pieces))


@FUZZ
@given(st.lists(st.tuples(st.integers(0, len(GOOD)), st.integers(0, 3), st.sampled_from(_PIECES)),
                min_size=1, max_size=6))
def test_any_mutation_of_a_good_feeds_yaml_loads_or_gives_one_line(
        fuzz_folder: Path, edits: list[tuple[int, int, str]]) -> None:
    """Insertions, replacements and deletions of pieces at random places of a valid file."""
    text = GOOD
    for at, cut, piece in edits:
        at = min(at, len(text))
        text = text[:at] + piece + text[at + cut:]
    loads_or_one_line(fuzz_folder, text)
