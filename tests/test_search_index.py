"""The search index: shards of days, documents that carry text only as text, bundles kept
between builds, a failing indexer that costs one shard and a warning, and Pagefind finding
Cyrillic words in a real browser."""

from __future__ import annotations

import json
import logging
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from busy_site import served
from hypothesis import given, settings
from hypothesis import strategies as st

from digest import search_index
from digest.search_index import document, shards, write_search
from digest.site.search import SearchRecord, page_record


def record(day: str, n: int, **fields: str) -> SearchRecord:
    return SearchRecord(url=f"articles/{day or 'undated'}/a-{n}/", title=f"Title {n}",
                        content=fields.get("content", f"Words of article {n}"), day=day,
                        source=fields.get("source", ""), date=day)


def days(counts: list[int], start: int = 1) -> list[SearchRecord]:
    return [record(f"2026-03-{start + i:02d}", k * 100 + i)
            for i, count in enumerate(counts) for k in range(count)]


def test_shards_are_days_in_order_and_hold_at_most_the_size() -> None:
    got = shards(days([3, 4, 2, 5]), size=7)
    assert [s.name for s in got] == ["2026-03-01", "2026-03-03"]
    assert [len(s.records) for s in got] == [7, 7]
    assert all(len({r.day for r in s.records}) >= 1 for s in got)


def test_a_day_larger_than_a_shard_fills_several() -> None:
    got = shards(days([2, 9]), size=4)
    assert [s.name for s in got] == ["2026-03-01", "2026-03-02", "2026-03-02-2",
                                     "2026-03-02-3"]
    assert [len(s.records) for s in got] == [2, 4, 4, 1]


def test_undated_records_are_the_newest() -> None:
    got = shards([record("", 1), *days([1])], size=10)
    assert [r.day for r in got[0].records] == ["2026-03-01", ""]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 6), min_size=1, max_size=12), st.integers(1, 8),
       st.integers(1, 9))
def test_a_new_day_changes_only_the_last_shard(counts: list[int], size: int,
                                                new: int) -> None:
    """Every record is in exactly one shard, no shard is over the size, and adding a later
    day leaves every shard but the last as it was (so its bundle is reused)."""
    before = shards(days(counts), size)
    after = shards(days([*counts, new]), size)
    assert sorted(r.url for s in before for r in s.records) == sorted(
        r.url for r in days(counts))
    assert all(0 < len(s.records) <= size for s in after)
    assert len({s.name for s in after}) == len(after)
    assert after[:max(0, len(before) - 1)] == before[:max(0, len(before) - 1)]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.h1 = ""
        self._in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self._in_h1 = tag == "h1"

    def handle_endtag(self, tag: str) -> None:
        self._in_h1 = False

    def handle_data(self, data: str) -> None:
        if self._in_h1:
            self.h1 += data


@given(st.text(alphabet=st.sampled_from('<>&"\'/= scriptimgonerr'), min_size=1, max_size=60))
def test_a_document_holds_hostile_text_as_text(text: str) -> None:
    """Whatever an article's text holds, the indexed page has only the elements it is made
    of, and the title reads back as written."""
    parser = _Tags()
    parser.feed(document(SearchRecord(url="articles/x/", title=text, content=f"{text}\n{text}",
                                      source=text, date=text), "en"))
    parser.close()
    assert parser.tags <= {"html", "head", "meta", "title", "body", "h1", "p", "div"}
    assert parser.h1 == text


def test_an_article_without_a_page_keeps_its_link_as_metadata() -> None:
    page = document(SearchRecord(url="https://example.org/a?x=1&y=2", title="T", content="c"),
                    "en")
    assert 'data-pagefind-meta="link">https://example.org/a?x=1&amp;y=2</p>' in page


def test_bundles_are_written_listed_and_reused(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    store, site = tmp_path / "store", tmp_path / "site"
    records = days([3, 3])
    write_search(records, site, "en-GB", store)
    listed = json.loads((site / "pagefind" / "shards.json").read_text("utf-8"))["shards"]
    assert listed == ["2026-03-01"]
    bundle = site / "pagefind" / "2026-03-01"
    assert (bundle / "pagefind.js").is_file() and (bundle / "pagefind-entry.json").is_file()
    assert json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))["languages"]
    assert not (bundle / "pagefind-ui.js").exists()
    assert len(list((bundle / "fragment").iterdir())) == len(records)

    index = search_index._index

    def no_indexing(shard: search_index.Shard, *args: Any) -> None:
        if shard.name != "reference":  # Pagefind's code, to check the kept bundle against
            raise AssertionError("indexed again")
        index(shard, *args)

    monkeypatch.setattr(search_index, "_index", no_indexing)
    again = tmp_path / "site2"
    assert write_search(records, again, "en-GB", store) == []
    assert sorted(p.name for p in (again / "pagefind" / "2026-03-01").rglob("*")) == sorted(
        p.name for p in bundle.rglob("*"))
    assert len(list(store.iterdir())) == 1


def test_a_failing_indexer_leaves_one_shard_out_with_a_warning(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    failing = tmp_path / "pagefind"
    failing.write_text(f"#!{sys.executable}\nimport sys\nprint('index broke', file=sys.stderr)\n"
                       "sys.exit(3)\n")
    failing.chmod(0o755)
    monkeypatch.setattr(search_index, "_executable", lambda: failing)
    with caplog.at_level(logging.WARNING, logger="digest"):
        failed = write_search(days([2]), tmp_path / "site", "en", None)
    assert [f.origin for f in failed] == ["pagefind/2026-03-01/"]
    assert "index broke" in failed[0].reason
    assert "index broke" in caplog.text and "2026-03-01" in caplog.text
    assert json.loads((tmp_path / "site" / "pagefind" / "shards.json").read_text())[
        "shards"] == []


SEARCH_PAGE = """<!doctype html><html lang="uk"><meta charset="utf-8"><body><script type="module">
const pf = await import("./pagefind/{shard}/pagefind.js");
await pf.options({{basePath: "/pagefind/{shard}/", baseUrl: "/"}});
window.found = {{}};
for (const word of {words}) {{
  const search = await pf.search(word);
  window.found[word] = await Promise.all(search.results.map(r => r.data().then(d => d.url)));
}}
window.done = true;
</script></body></html>"""


@pytest.mark.browser
def test_pagefind_finds_ukrainian_words(browser, tmp_path: Path) -> None:
    """A Ukrainian site's index finds an article by a Cyrillic word of its title or text,
    and by the start of one as the reader types it."""
    records = [SearchRecord(url="articles/2026-03-01/mist/", title="Новий міст через річку",
                            content="Міська рада відкрила новий міст через річку Десну.",
                            day="2026-03-01"),
               SearchRecord(url="articles/2026-03-01/shkola/", title="Школа на околиці",
                            content="Батьки просять відремонтувати стару школу.",
                            day="2026-03-01")]
    site = tmp_path / "site"
    write_search(records, site, "uk", None)
    shard = json.loads((site / "pagefind" / "shards.json").read_text("utf-8"))["shards"][0]
    words = ["міст", "річку", "школу", "відремонт"]
    (site / "index.html").write_text(SEARCH_PAGE.format(shard=shard, words=json.dumps(words)),
                                     "utf-8")
    with served(site) as base:
        page = browser.new_page()
        try:
            page.goto(base, wait_until="load")
            page.wait_for_function("window.done === true", timeout=20_000)
            found = page.evaluate("window.found")
        finally:
            page.close()
    assert found["міст"] == ["/articles/2026-03-01/mist/"]
    assert found["річку"] == ["/articles/2026-03-01/mist/"]
    assert found["школу"] == ["/articles/2026-03-01/shkola/"]
    assert found["відремонт"] == ["/articles/2026-03-01/shkola/"]  # as it is being typed


def test_the_same_records_give_the_same_bytes(tmp_path: Path) -> None:
    """Indexing is reproducible: a bundle made again (no store) is the bundle kept, so a full
    build and an incremental one publish the same files."""
    def files(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes()
                for p in sorted(root.rglob("*")) if p.is_file()}

    records = days([4, 3])
    write_search(records, tmp_path / "a", "en", None)
    write_search(records, tmp_path / "b", "en", None)
    assert files(tmp_path / "a") == files(tmp_path / "b")
    assert len(files(tmp_path / "a")) > len(records)


def test_a_hand_written_page_is_searched_by_its_text_not_its_code() -> None:
    got = page_record("about/", "About", "<h1>About</h1><p>Built every\nmorning.</p>"
                      "<script>steal()</script><style>p{}</style><ul><li>Sources</li></ul>")
    assert got.url == "about/" and got.day == ""
    assert got.content.split("\n") == ["About", "Built every morning.", "Sources"]


def test_a_build_whose_index_fails_goes_on_and_reports_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The site is built without search, and build-report.json lists the shard left out."""
    from conftest import copy_project
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    failing = tmp_path / "pagefind"
    failing.write_text(f"#!{sys.executable}\nimport sys\nsys.exit('no index today')\n")
    failing.chmod(0o755)
    monkeypatch.setattr(search_index, "_executable", lambda: failing)
    (tmp_path / "project").mkdir()
    project = copy_project(tmp_path / "project")
    build(load_config(str(project / "mkdocs.yml")))
    assert (project / "site" / "index.html").is_file()
    report = json.loads((project / "build-report.json").read_text("utf-8"))
    left_out = [n for n in report["notices"] if n["origin"].startswith("pagefind/")]
    assert left_out and all("no index today" in n["reason"] for n in left_out)


def test_a_kept_bundle_not_as_pagefind_wrote_it_is_indexed_again(tmp_path: Path) -> None:
    """The bundles beside the cache file are not trusted: a changed script or a file
    Pagefind does not write makes the build index that shard again, and neither reaches
    the site."""
    store, records = tmp_path / "store", days([3])
    write_search(records, tmp_path / "first", "en", store)
    script = (tmp_path / "first" / "pagefind" / "2026-03-01" / "pagefind.js").read_bytes()
    kept = next(store.iterdir())
    (kept / "pagefind.js").unlink()  # a hard link to the site's copy: replaced, not edited
    (kept / "pagefind.js").write_text("alert(document.cookie)")
    (kept / "fragment" / "extra.html").write_text("<script>alert(1)</script>")
    write_search(records, tmp_path / "second", "en", store)
    bundle = tmp_path / "second" / "pagefind" / "2026-03-01"
    assert (bundle / "pagefind.js").read_bytes() == script
    assert not (bundle / "fragment" / "extra.html").exists()
    # a symlink in a kept bundle, to a file or a folder out of it: indexed again too
    secret = tmp_path / "secret"
    (secret / "index").mkdir(parents=True)
    (secret / "index" / "x.pf_index").write_text("not Pagefind's")
    for n, (name, target) in enumerate([("index/stolen.pf_index", secret / "index" / "x.pf_index"),
                                        ("fragment-link", secret / "index")]):
        kept = next(store.iterdir())
        (kept / name).symlink_to(target)
        out = tmp_path / f"linked-{n}"
        write_search(records, out, "en", store)
        site = out / "pagefind" / "2026-03-01"
        assert not (site / name).exists() and not (site / name).is_symlink()
        assert (site / "pagefind.js").read_bytes() == script
