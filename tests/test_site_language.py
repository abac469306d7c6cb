"""The site's language: feeds.yaml's ``site.language`` sets the theme's (and so the search's
and ``<html lang>``), unless mkdocs.yml names one itself."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_project

from digest.plugin import theme_language
from digest.site.labels import CATALOG


def built(project: Path) -> str:
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return (project / "site" / "index.html").read_text("utf-8")


def with_language(project: Path, language: str) -> Path:
    feeds = project / "feeds.yaml"
    text = feeds.read_text("utf-8")
    assert "\n  language: en\n" in text
    feeds.write_text(text.replace("\n  language: en\n", f"\n  language: {language}\n"), "utf-8")
    return project


@pytest.mark.slow
def test_the_site_language_sets_the_theme_and_search_language(tmp_path: Path) -> None:
    project = with_language(copy_project(tmp_path), "uk")
    html = built(project)
    assert re.search(r'<html lang="uk"', html)
    assert 'placeholder="Пошук"' in html  # the theme's own label, in Ukrainian
    assert 'placeholder="Search"' not in html
    # the digest's own words on article and topic pages are Ukrainian too
    site = project / "site"
    pages = [p.read_text("utf-8") for p in (*sorted((site / "articles").rglob("index.html")),
                                            *sorted((site / "topics").glob("*/index.html")))]
    english = {CATALOG[k]["en"] for k in ("in_brief", "the_article", "related_articles",
                                          "also_reported_by", "summary", "timeline",
                                          "follow_topic", "original_article")}
    for text in english:
        assert not any(f">{text}<" in page for page in pages), text
    assert any(f">{CATALOG['summary']['uk']}<" in page for page in pages)
    assert any(f">{CATALOG['timeline']['uk']}<" in page for page in pages)
    assert not any("Topic: <a" in page for page in pages)
    # ...and on the front page, the tabs among them
    for key in ("all_topics", "nav_today", "nav_topics", "nav_archive", "nav_sources"):
        assert f">{CATALOG[key]['en']}<" not in html, key
        assert CATALOG[key]["uk"] in html, key
    assert not re.search(r"\b\d+ articles?\b", html)
    # ...and on the archive, tag and topic indexes
    for index, key in (("archive", "nav_archive"), ("tags", "tags_title"),
                       ("topics", "nav_topics")):
        text = (site / index / "index.html").read_text("utf-8")
        assert f">{CATALOG[key]['uk']}</h1>" in text, index
        assert not re.search(r"\b\d+ articles?\b|\blatest \d", text), index


@pytest.mark.slow
def test_a_language_named_in_mkdocs_yml_wins(tmp_path: Path) -> None:
    project = with_language(copy_project(tmp_path), "uk")
    mkdocs = project / "mkdocs.yml"
    text = mkdocs.read_text("utf-8")
    assert "  name: material\n" in text
    mkdocs.write_text(text.replace("  name: material\n", "  name: material\n  language: de\n"),
                      "utf-8")
    assert '<html lang="de"' in built(project)


def test_the_theme_language_is_the_tag_or_its_language_else_english(tmp_path: Path) -> None:
    languages = tmp_path / "partials" / "languages"
    languages.mkdir(parents=True)
    for name in ("en", "uk", "pt-BR", "de"):
        (languages / f"{name}.html").write_text("", "utf-8")
    dirs = [str(tmp_path)]
    assert theme_language("uk", dirs) == "uk"
    assert theme_language("pt_br", dirs) == "pt-BR"
    assert theme_language("de-AT", dirs) == "de"
    assert theme_language("xx", dirs) == "en"
    assert theme_language("not a tag!", dirs) == "en"
