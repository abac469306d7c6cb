"""Pages outside the navigation, written a page at a time by digest.page_html after MkDocs'
own pages: byte for byte what MkDocs writes for them, in one process or in forked ones."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import pytest
from conftest import copy_project
from mkdocs.commands.build import build
from mkdocs.config import load_config

from digest import page_html, plugin


def built(project: Path) -> dict[str, str]:
    """Build ``project`` in this process as ``mkdocs build --strict`` does; its site's files
    by path, as hashes."""
    config = load_config(str(project / "mkdocs.yml"), strict=True)
    build(config)
    site = project / "site"
    return {str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def by_mkdocs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(plugin, "WRITE_OUTSIDE_MKDOCS", False)
        return built(copy_project(tmp_path_factory.mktemp("mkdocs")))


@pytest.mark.parametrize("parallel_from", [1, 10**9], ids=["forked", "in-process"])
def test_pages_written_outside_mkdocs_are_mkdocs_own(
        by_mkdocs: dict[str, str], parallel_from: int, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(page_html, "PARALLEL_FROM", parallel_from)
    monkeypatch.setattr(page_html, "SLICE", 7)  # several slices on each worker
    with caplog.at_level(logging.INFO):
        ours = built(copy_project(tmp_path))
    assert sum(name.startswith("articles/") for name in ours) >= 20
    assert ours.keys() == by_mkdocs.keys()
    assert [name for name in ours if ours[name] != by_mkdocs[name]] == []
    # MkDocs' note on each link to a page it left out is not printed
    assert "excluded from the built site" not in caplog.text


def test_a_warning_in_a_worker_is_logged_once_by_the_build(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """So that ``mkdocs build --strict`` counts it, and the terminal shows it once."""
    def warn(theme: object, file: SimpleNamespace) -> str:
        logging.getLogger("mkdocs.structure.pages").warning("a broken link in %s", file.name)
        return f"<url>{file.name}</url>"

    monkeypatch.setattr(page_html, "render_page", warn)
    monkeypatch.setattr(page_html, "PARALLEL_FROM", 1)
    monkeypatch.setattr(page_html, "SLICE", 2)
    pages = [SimpleNamespace(name=f"p{i}", inclusion=None) for i in range(7)]
    with caplog.at_level(logging.INFO):
        entries = page_html.render_pages(cast(page_html.Theme, object()), cast(list, pages), 2)
    assert entries == [f"<url>p{i}</url>" for i in range(7)]
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert sorted(warned) == [f"a broken link in p{i}" for i in range(7)]
