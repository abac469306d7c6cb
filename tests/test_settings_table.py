"""The README's feeds.yaml reference is generated from the settings' one declaration."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from digest.config import Config, FetchSettings, SiteSettings, SourceSettings
from digest.settings import settings_reference
from digest.settings_table import BEGIN, END, README, main, settings_table, with_table


def test_the_readme_table_is_the_generated_one() -> None:
    text = README.read_text(encoding="utf-8")
    assert with_table(text) == text, "run: python -m digest.settings_table"


def test_every_setting_has_one_row_with_a_type_a_default_and_help() -> None:
    rows = list(settings_reference(Config))
    keys = [key for key, *_ in rows]
    assert len(keys) == len(set(keys))
    declared = {f"site.{f.name}" for f in dataclasses.fields(SiteSettings)} | {
        f"fetch.{f.name}" for f in dataclasses.fields(FetchSettings)} | {
        f"sources[].{f.name}" for f in dataclasses.fields(SourceSettings)
        if f.name not in ("priority", "where")} | {
        "summary.sentences", "summary.topic_sentences", "cache", "executor"}
    assert set(keys) == declared
    assert all(kind and default and meaning for _, kind, default, meaning in rows)
    assert "fetch.timeout" in keys and "sources[].full_text" in keys


def test_the_defaults_shown_are_the_defaults_read() -> None:
    shown = {key: default for key, _, default, _ in settings_reference(Config)}
    assert shown["fetch.timeout"] == f"{FetchSettings().timeout:g}"
    assert shown["site.title"] == f"`{SiteSettings().title}`"
    assert shown["summary.sentences"] == str(Config(path=Path("f")).summary_sentences)
    assert shown["sources[].name"] == "required"


def test_the_table_is_rewritten_between_the_markers_only(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"# Title\n\nbefore\n{BEGIN}\n| stale |\n{END}\nafter\n", "utf-8")
    assert main([str(readme)]) == 0
    assert readme.read_text("utf-8") == (
        f"# Title\n\nbefore\n{BEGIN}\n{settings_table()}{END}\nafter\n")
    with pytest.raises(ValueError, match="needs the lines"):
        with_table("no markers")
