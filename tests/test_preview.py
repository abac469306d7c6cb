"""What ``digest serve`` watches and says (digest/preview.py), without a server."""

from __future__ import annotations

import os
from pathlib import Path

import click
import pytest

from digest.cli import _address
from digest.preview import (
    Changes,
    Preview,
    describe,
    ignored_paths,
    preview_site,
    source_folder,
    watches,
    written_by_builds,
)


def tree(root: Path, *paths: str) -> None:
    for path in paths:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text("x", "utf-8")


def test_a_source_pattern_is_watched_at_its_folder_and_as_deep_as_it_reads(
        tmp_path: Path) -> None:
    tree(tmp_path, "news/a/1.txt", "wire.jsonl")
    root = str(tmp_path)
    assert source_folder(root, "news/*/*.txt") == (str(tmp_path / "news"), True)
    assert source_folder(root, "news/**/*.txt") == (str(tmp_path / "news"), True)
    assert source_folder(root, "news/a/*.txt") == (str(tmp_path / "news" / "a"), False)
    assert source_folder(root, "wire.jsonl") == (root, False)
    assert source_folder(root, "news") == (str(tmp_path / "news"), True)
    assert source_folder(root, "missing/*.txt") is None


def test_the_folders_builds_write_are_never_watched(tmp_path: Path) -> None:
    """A source read from the project's top folder must not make each rebuild start the
    next: the preview and the published site stay out of what is watched."""
    tree(tmp_path, "feeds.yaml", "mkdocs.yml", "docs/about.md", "docs/extra/x.md",
         "in/a.txt", ".digest-preview/site/index.html", "site/index.html")
    found = watches(tmp_path, [tmp_path / "feeds.yaml", tmp_path / "mkdocs.yml"],
                    [str(tmp_path / "docs"), str(tmp_path / "docs" / "extra")],
                    ["**/*.txt"], avoid=[preview_site(tmp_path).parent, tmp_path / "site"])
    paths = {os.path.relpath(w.path, tmp_path): w.recursive for w in found}
    # the top folder at its own level only, its other folders whole; nested ones once
    assert paths == {".": False, "docs": True, "in": True, "feeds.yaml": False,
                     "mkdocs.yml": False}


def test_changes_are_named_relative_to_the_project(tmp_path: Path) -> None:
    changes = Changes()

    class Event:
        is_directory = False

        def __init__(self, path: str) -> None:
            self.src_path = path

    for name in ("b.txt", "a.txt", "c.txt", "d.txt", "a.txt"):
        changes.dispatch(Event(str(tmp_path / "in" / name)))
    taken = changes.take()
    assert describe(taken, tmp_path) == "in/a.txt, in/b.txt, in/c.txt and 1 more changed"
    assert changes.take() == []
    assert describe([], tmp_path) == "an input changed"


def test_a_failed_build_is_one_line_and_the_preview_goes_on(tmp_path: Path) -> None:
    said: list[str] = []
    outcomes = iter([click.ClickException("feeds.yaml:3:1: sources: must be a list"),
                     "Built it", SystemExit(3)])

    def build() -> str:
        outcome = next(outcomes)
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    preview = Preview(tmp_path, build, said.append)
    preview.first()
    assert said[-1].startswith("Build failed: feeds.yaml:3:1: sources: must be a list")
    assert "nothing to serve yet" in said[-1]
    preview.rebuild()
    assert said[-2:][0] == "Built it" and said[-1].startswith("Preview ready in")
    preview.rebuild()  # a build that exits is reported, not the end of the server
    assert said[-1].startswith("Build failed: 3 (the last good preview is still served")


@pytest.mark.parametrize(("text", "expected"), [
    ("127.0.0.1:8000", ("127.0.0.1", 8000)), ("[::1]:8123", ("::1", 8123)),
    ("localhost:9", ("localhost", 9))])
def test_the_serving_address(text: str, expected: tuple[str, int]) -> None:
    assert _address(text) == expected


@pytest.mark.parametrize("text", ["8000", "127.0.0.1:", "127.0.0.1:http", ":8000",
                                  "127.0.0.1:70000"])
def test_a_bad_serving_address_is_refused_in_one_line(text: str) -> None:
    with pytest.raises(click.BadParameter, match="HOST:PORT"):
        _address(text)


def test_what_a_build_writes_never_starts_a_rebuild(tmp_path: Path) -> None:
    cache = tmp_path / ".digest-cache.sqlite"
    ignored = ignored_paths(tmp_path, [preview_site(tmp_path).parent, tmp_path / "site"],
                            cache)
    for written in (".digest-preview/site/index.html", ".digest-preview/build-report.json",
                    "site/index.html", ".digest-cache.sqlite", ".digest-cache.sqlite-journal",
                    ".digest-cache.sqlite.lock", ".digest-cache.sqlite-images/a.webp",
                    ".git/index", "in/.a.txt.swp", "in/a.txt~"):
        assert ignored(str(tmp_path / written)), written
    # names that merely begin like what builds write are sources like any other
    for source in ("in/a.txt", "feeds.yaml", "docs/about.md", "sitemap/a.txt",
                   "site-archive/a.txt", "site.notes/a.txt"):
        assert not ignored(str(tmp_path / source)), source
    wanted: list[int] = []
    changes = Changes(ignored=ignored, wanted=lambda: wanted.append(1))

    class Event:
        is_directory = False

        def __init__(self, path: Path) -> None:
            self.src_path = str(path)

    changes.dispatch(Event(cache))
    assert wanted == [] and changes.take() == []
    changes.dispatch(Event(tmp_path / "in" / "a.txt"))
    assert wanted == [1] and changes.take() == [str(tmp_path / "in" / "a.txt")]


def test_the_published_site_is_where_mkdocs_yml_puts_it(tmp_path: Path) -> None:
    mkdocs = tmp_path / "mkdocs.yml"
    mkdocs.write_text("site_name: x\nsite_dir: public\n", "utf-8")
    preview = preview_site(tmp_path)
    assert written_by_builds(preview, mkdocs) == [preview.parent, tmp_path / "public"]
    mkdocs.write_text("site_name: x\n", "utf-8")
    assert written_by_builds(preview, mkdocs) == [preview.parent, tmp_path / "site"]


def test_a_source_outside_the_project_in_a_hidden_folder_still_counts(tmp_path: Path) -> None:
    project, elsewhere = tmp_path / "project", tmp_path / ".feeds" / "news"
    ignored = ignored_paths(project, [preview_site(project).parent], None)
    assert not ignored(str(elsewhere / "a.txt"))
    assert ignored(str(elsewhere / ".a.txt"))
