"""The look every digest site gets from the package, supplied by the plugin.

The templates (feed links, Open Graph tags, the footer, the digest's search box) and
the stylesheet live in ``digest/theme/``, installed with the package, so a site whose
``mkdocs.yml`` names only ``theme: material`` and the ``digest`` plugin looks like the
sample, and an upgrade of the package reaches it. A site's own choices win: its
``custom_dir`` comes before the package's folder, its ``extra_css`` after the package's
stylesheet, and a theme setting or ``nav`` its ``mkdocs.yml`` names is left as written.

Whether ``mkdocs.yml`` names a setting is read from the file itself: MkDocs has filled in
the theme's defaults by the time a plugin sees the config.

This module imports nothing of the digest's own, so :mod:`digest.incremental` can key the
theme folder without loading the site code.
"""

from __future__ import annotations

import copy
import logging
import os
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files

log = logging.getLogger("mkdocs.plugins.digest")

# read through theme_dir() at each call, so a test can point it at a copy
THEME_DIR = Path(__file__).with_name("theme")
STYLESHEET = "stylesheets/digest.css"  # relative to THEME_DIR, and so to the site
THEME_NAME = "material"

# the tabs of every digest (the pages digest.site.NAV_PAGES names), with the English titles
# the plugin's on_nav translates into the site's language
NAV_TABS = (("Today", "index.md"), ("Topics", "topics/index.md"),
            ("Archive", "archive/index.md"), ("Sources", "sources.md"))

_PALETTE = [
    {"media": "(prefers-color-scheme: light)", "scheme": "default",
     "primary": "blue grey", "accent": "deep orange",
     "toggle": {"icon": "material/weather-night", "name": "Dark mode"}},
    {"media": "(prefers-color-scheme: dark)", "scheme": "slate",
     "primary": "blue grey", "accent": "deep orange",
     "toggle": {"icon": "material/weather-sunny", "name": "Light mode"}},
]
# the theme settings the digest is made for, each used unless mkdocs.yml sets its own
THEME_SETTINGS: dict[str, Any] = {
    "font": False,  # system fonts: no request to a font service, nothing to wait for
    # the sections as tabs (the plugin lights the tab of a page outside the navigation),
    # a back-to-top button on long days, and tooltips for the links' titles
    "features": ["navigation.tabs", "navigation.top", "content.tooltips"],
    "palette": _PALETTE,  # light and dark, following the reader's system
}
SEARCH_PLUGINS = ("search", "material/search")


def theme_dir() -> Path:
    """The package's theme folder (``digest/theme``)."""
    return THEME_DIR


def read_mkdocs_yml(path: str | None) -> dict[str, Any]:
    """mkdocs.yml as its author wrote it (empty when it cannot be read). Tags such as
    ``!!python/name:`` and ``!ENV`` are read as nothing."""
    import yaml

    class _Loader(yaml.SafeLoader):
        pass

    _Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        with open(path or "mkdocs.yml", encoding="utf-8") as f:
            raw = yaml.load(f, Loader=_Loader)  # noqa: S506 (a SafeLoader)
    except (OSError, yaml.YAMLError):
        return {}
    return raw if isinstance(raw, dict) else {}


def sets(raw: dict[str, Any], *keys: str) -> bool:
    """Whether the mkdocs.yml read by :func:`read_mkdocs_yml` gives the setting at ``keys``
    (``"theme", "font"``) a value; ``font: false`` is a value, an empty one is not."""
    value: Any = raw
    for key in keys:
        if not isinstance(value, dict):
            return False
        value = value.get(key)
    return value is not None and value != ""


def require_material(config: MkDocsConfig) -> None:
    """The templates extend Material's: another theme stops the build, in one line."""
    name = config.theme.name
    if name != THEME_NAME:
        raise PluginError(f"theme {name!r}: the digest's pages need the Material theme; set "
                          f"`theme: {{name: {THEME_NAME}}}` in mkdocs.yml (pip install "
                          "mkdocs-material)")


def add_theme_dir(config: MkDocsConfig) -> None:
    """Put the package's templates before the theme's own, after the site's custom_dir
    (so a file of the same name there wins). Done once for a config built again."""
    dirs = config.theme.dirs
    ours = str(theme_dir())
    if ours in dirs:
        return
    custom = config.theme.custom_dir
    at = dirs.index(custom) + 1 if custom and custom in dirs else 0
    dirs.insert(at, ours)


def add_stylesheet(config: MkDocsConfig) -> None:
    """The digest's stylesheet first among ``extra_css``: a site's own come after it in the
    cascade, so their rules win. MkDocs copies it from the theme folder into the site."""
    if STYLESHEET not in config.extra_css:
        config.extra_css.insert(0, STYLESHEET)


def supply_settings(config: MkDocsConfig, raw: dict[str, Any]) -> None:
    """Use the digest's theme settings and navigation where mkdocs.yml sets none (said in
    one line); warn when the site's own features leave out the tabs."""
    supplied = []
    for key, value in THEME_SETTINGS.items():
        if not sets(raw, "theme", key):
            config.theme[key] = copy.deepcopy(value)  # translated in place later
            supplied.append(f"theme.{key}")
    if not sets(raw, "nav"):
        config.nav = default_nav(config)
        supplied.append("nav")
    if not sets(raw, "validation"):
        # a link the digest wrote as an absolute path, or to no page, is a warning
        # (a failure under --strict), not an info line nobody sees
        links = config.validation.links
        links.absolute_links = links.unrecognized_links = logging.WARNING
        supplied.append("validation.links")
    if supplied:
        log.info("%s: the digest's own, as mkdocs.yml does not set %s", ", ".join(supplied),
                 "it" if len(supplied) == 1 else "them")
    features = config.theme.get("features") or []
    if sets(raw, "theme", "features") and "navigation.tabs" not in features:
        log.warning("theme.features in mkdocs.yml lacks navigation.tabs: the digest's "
                    "sections (Today, Topics, Archive, Sources) show as a side menu")


def default_nav(config: MkDocsConfig) -> list[dict[str, str]]:
    """The digest's tabs, then each hand-written page at the top of docs_dir by file name,
    titled from it the way MkDocs titles a page without one (``about.md``: "About").
    Generated pages stay out: thousands of them would fill the navigation."""
    tabs = [{title: src} for title, src in NAV_TABS]
    taken = {src for _, src in NAV_TABS} | {"readme.md"}
    docs = Path(config.docs_dir)
    pages = sorted(p.name for p in docs.glob("*.md") if p.is_file()
                   and p.name.lower() not in taken) if docs.is_dir() else []
    return tabs + [{page_title(name): name} for name in pages]


def page_title(name: str) -> str:
    """A page's title from its file name: ``press-kit.md`` -> "Press kit"."""
    title = name[:-3].replace("-", " ").replace("_", " ")
    return title.capitalize() if title.lower() == title else title


def check_search(config: MkDocsConfig) -> None:
    """The search box comes with the theme's search plugin (the digest writes its index)."""
    if not any(name in SEARCH_PLUGINS for name in config.plugins):
        log.warning("plugins: no search box on the site; add `- search` to plugins in "
                    "mkdocs.yml")


def custom_dir_in_docs(config: MkDocsConfig) -> str | None:
    """The site's custom_dir relative to docs_dir, when it lies inside it (else None)."""
    custom = config.theme.custom_dir
    if not custom:
        return None
    inside = os.path.relpath(os.path.realpath(custom), os.path.realpath(config.docs_dir))
    if inside == "." or inside == ".." or inside.startswith(".." + os.sep):
        return None  # outside docs_dir (or docs_dir itself: its pages are pages)
    return inside.replace(os.sep, "/")


def drop_custom_dir(files: Files, config: MkDocsConfig) -> None:
    """Keep a custom_dir that lies inside docs_dir out of the site: its templates are the
    theme's, not pages (its static files still come through the theme, as any theme's)."""
    inside = custom_dir_in_docs(config)
    if inside is None:
        return
    # files exclude_docs leaves out already go without a word
    dropped = [f for f in files if f.generated_by is None and not f.inclusion.is_excluded()
               and f.src_uri.startswith(f"{inside}/")]
    for file in dropped:
        files.remove(file)
    if dropped:
        log.info("theme.custom_dir %s lies inside docs_dir: its %d files are kept out of the "
                 "site as pages", config.theme.custom_dir, len(dropped))
