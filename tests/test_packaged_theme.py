"""The look ships inside the package: a site whose mkdocs.yml names only the Material theme
and the plugins gets the digest's templates, stylesheet, theme settings and tabs from the
plugin (digest/packaged_theme.py), and a site's own choices win over them."""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, copy_project
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from digest import packaged_theme
from digest.packaged_theme import NAV_TABS, STYLESHEET, THEME_SETTINGS, theme_dir
from digest.site import NAV_PAGES
from digest.site.labels import CATALOG, NAV_KEYS

EPOCH = "1773500000"  # 2026-03-14: builds are reproducible with SOURCE_DATE_EPOCH
MINIMAL = "site_name: x\ntheme:\n  name: material\nplugins:\n  - search\n  - digest\n"


def project_with(tmp_path: Path, mkdocs_yml: str = MINIMAL) -> Path:
    """The sample project (feeds.yaml, docs/, samples/) with the given mkdocs.yml."""
    project = copy_project(tmp_path)
    (project / "mkdocs.yml").write_text(mkdocs_yml, "utf-8")
    return project


def mkdocs_build(project: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project,
                          env=env, capture_output=True, text=True, timeout=600)


def built(project: Path) -> str:
    """Build ``project`` with ``mkdocs build --strict``; its front page's HTML."""
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    return (project / "site" / "index.html").read_text("utf-8")


def configured(project: Path) -> MkDocsConfig:
    """``project``'s config as the digest plugin leaves it after on_config."""
    config = load_config(str(project / "mkdocs.yml"))
    config.plugins["digest"].on_config(config)
    return config


def tabs(html: str) -> list[tuple[str, str]]:
    """The tabs of a page: (address, title), in order."""
    return [(href, title.strip()) for href, title in re.findall(
        r'<a href="([^"]*)" class="md-tabs__link[^"]*">(.*?)</a>', html, re.S)]


def stylesheets(html: str) -> list[str]:
    """The stylesheets a page links, in order, without Material's own."""
    return [href for href in re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
            if "assets/" not in href]


def test_a_minimal_mkdocs_yml_gets_the_digest_look(tmp_path: Path) -> None:
    project = project_with(tmp_path)
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    html = (project / "site" / "index.html").read_text("utf-8")
    assert '<link rel="alternate " type="application/atom+xml"' in html  # main.html: feeds
    assert '<meta property="og:title"' in html  # main.html: Open Graph
    assert 'class="md-copyright__highlight digest-footer"' in html  # partials/copyright.html
    assert 'data-digest-search="search"' in html  # partials/search.html
    assert stylesheets(html) == ["stylesheets/digest.css"]
    css = project / "site" / "stylesheets" / "digest.css"
    assert css.read_bytes() == (theme_dir() / STYLESHEET).read_bytes()
    # the settings mkdocs.yml left out: system fonts, tabs, the palette toggle, the nav
    assert "fonts.googleapis.com" not in html
    assert 'class="md-tabs"' in html and 'data-md-component="palette"' in html
    assert tabs(html) == [(".", "Today"), ("topics/", "Topics"), ("archive/", "Archive"),
                          ("sources/", "Sources"), ("about/", "About")]
    assert ("theme.font, theme.features, theme.palette, nav, validation.links: the digest's own"
            in result.stderr)


def test_the_plugin_leaves_what_mkdocs_yml_sets(tmp_path: Path) -> None:
    project = project_with(tmp_path, (
        "site_name: x\ntheme:\n  name: material\n  font: {text: Lora}\n"
        "  palette: {scheme: slate}\nplugins: [search, digest]\n"
        "nav:\n  - Today: index.md\n  - About: about.md\n"))
    config = configured(project)
    assert config.theme["font"] == {"text": "Lora"}
    assert config.theme["palette"] == {"scheme": "slate"}
    assert config.theme["features"] == THEME_SETTINGS["features"]  # not set: ours
    assert config.nav == [{"Today": "index.md"}, {"About": "about.md"}]


def test_the_plugin_nav_is_the_tabs_then_hand_written_pages(tmp_path: Path) -> None:
    project = project_with(tmp_path)
    (project / "docs" / "press-kit.md").write_text("# For the press\n", "utf-8")
    (project / "docs" / "guides").mkdir()
    (project / "docs" / "guides" / "deep.md").write_text("# Deep\n", "utf-8")
    assert configured(project).nav == [{title: src} for title, src in NAV_TABS] + [
        {"About": "about.md"}, {"Press kit": "press-kit.md"}]


def test_the_nav_tabs_are_the_generated_nav_pages_titled_in_english() -> None:
    """on_nav translates the tabs by their English titles: they must be the catalog's."""
    assert tuple(src for _, src in NAV_TABS) == NAV_PAGES
    assert [title for title, _ in NAV_TABS] == [CATALOG[k]["en"] for k in NAV_KEYS[:4]]


def test_a_custom_dir_main_html_wins_over_the_packaged_one(tmp_path: Path) -> None:
    project = project_with(tmp_path, MINIMAL.replace(
        "  name: material\n", "  name: material\n  custom_dir: overrides\n"))
    (project / "overrides").mkdir()
    (project / "overrides" / "main.html").write_text(
        '{% extends "base.html" %}\n{% block extrahead %}'
        '<meta name="site-own" content="yes">{% endblock %}\n', "utf-8")
    config = configured(project)
    dirs = config.theme.dirs
    assert dirs.index(str(project / "overrides")) < dirs.index(str(theme_dir())) \
        < next(i for i, d in enumerate(dirs) if "material" in d)
    html = built(project)
    assert '<meta name="site-own" content="yes">' in html
    assert "og:title" not in html  # the packaged main.html is not used...
    assert "digest-footer" in html  # ...while its partials are, as not overridden


def test_a_sites_own_extra_css_comes_after_the_packaged_stylesheet(tmp_path: Path) -> None:
    project = project_with(tmp_path, MINIMAL + "extra_css:\n  - css/site.css\n")
    (project / "docs" / "css").mkdir()
    (project / "docs" / "css" / "site.css").write_text("body { color: black; }\n", "utf-8")
    html = built(project)
    assert stylesheets(html) == ["stylesheets/digest.css", "css/site.css"]
    assert (project / "site" / "stylesheets" / "digest.css").is_file()


def test_a_theme_other_than_material_fails_in_one_line(tmp_path: Path) -> None:
    project = project_with(tmp_path, MINIMAL.replace("name: material", "name: mkdocs"))
    result = mkdocs_build(project)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    said = [line for line in result.stderr.splitlines() if "Material theme" in line]
    assert len(said) == 1 and "theme 'mkdocs'" in said[0], result.stderr
    assert not (project / "site").exists()


def test_require_material_names_the_theme_it_found(tmp_path: Path) -> None:
    config = load_config(str(project_with(tmp_path, MINIMAL.replace("material",
                                                                     "readthedocs"))
                             / "mkdocs.yml"))
    with pytest.raises(PluginError, match="theme 'readthedocs'.*name: material"):
        packaged_theme.require_material(config)


def test_a_custom_dir_inside_docs_stays_out_of_the_site(tmp_path: Path) -> None:
    project = project_with(tmp_path, MINIMAL.replace(
        "  name: material\n", "  name: material\n  custom_dir: docs/overrides\n"))
    overrides = project / "docs" / "overrides"
    (overrides / "partials").mkdir(parents=True)
    (overrides / "partials" / "copyright.html").write_text(
        '<div class="md-copyright">Own footer</div>\n', "utf-8")
    (overrides / "notes.txt").write_text("how the overrides work\n", "utf-8")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    assert "Own footer" in (site / "index.html").read_text("utf-8")  # the theme uses it
    assert not (site / "overrides").exists()  # but it is no part of the site
    said = [line for line in result.stderr.splitlines() if "lies inside docs_dir" in line]
    assert len(said) == 1 and "2 files" in said[0], result.stderr


def test_a_missing_search_plugin_is_one_warning(tmp_path: Path,
                                                caplog: pytest.LogCaptureFixture) -> None:
    project = project_with(tmp_path, MINIMAL.replace("  - search\n", ""))
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.digest"):
        configured(project)
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warned) == 1 and "`- search`" in warned[0]


def test_the_packaged_look_is_added_once_to_a_config_built_again(tmp_path: Path) -> None:
    """A config object built twice (tests, ``digest serve``) gets one theme folder and one
    stylesheet."""
    project = project_with(tmp_path)
    config = configured(project)
    config.plugins["digest"].on_config(config)
    assert config.theme.dirs.count(str(theme_dir())) == 1
    assert config.extra_css.count(STYLESHEET) == 1


# a `digest build` whose package theme folder is the copy given as its first argument
_BUILD_WITH_THEME = (
    "import sys; from pathlib import Path; import digest.packaged_theme as t; "
    "t.THEME_DIR = Path(sys.argv.pop(1)); from digest.__main__ import run; run()")


def test_a_changed_shipped_template_is_named_and_makes_every_page_again(
        tmp_path: Path) -> None:
    (tmp_path / "project").mkdir()
    project = project_with(tmp_path / "project")
    theme = shutil.copytree(theme_dir(), tmp_path / "theme")

    def digest_build() -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
        return subprocess.run([sys.executable, "-c", _BUILD_WITH_THEME, str(theme), "build"],
                              cwd=project, env=env, capture_output=True, text=True,
                              timeout=600)

    assert digest_build().returncode == 0
    same = digest_build()
    assert same.returncode == 0 and "made again" not in same.stderr, same.stderr
    footer = theme / "partials" / "copyright.html"
    footer.write_text(footer.read_text("utf-8") + "\n{# a template change #}\n", "utf-8")
    changed = digest_build()
    assert changed.returncode == 0, changed.stderr
    assert "digest theme: changed since the last build, so every page is made again" \
        in changed.stderr.splitlines(), changed.stderr
    report = (project / "build-report.json").read_text("utf-8")
    assert '"pages_reused": 0' in report


def test_the_sample_mkdocs_yml_is_the_minimal_one() -> None:
    """The repository's sample is an ordinary user of the package."""
    text = (ROOT / "mkdocs.yml").read_text("utf-8")
    settings = [line.split("#")[0].rstrip() for line in text.splitlines()
                if line.split("#")[0].strip()]
    assert settings == ["site_name: newsdigest", "theme:", "  name: material", "plugins:",
                        "  - search", "  - digest"]
    assert not (ROOT / "docs" / "overrides").exists()
