"""What the browser tests and ``benchmarks/busy_day.py`` measure on a built front page, in one
place: complete story units in the first screen, the page's height, the English interface
words left on a page of another language; and a fictional busy day to build.

The rule for "interface words" (the page's chrome) is :data:`CHROME_TEXT_JS`: every rendered
text node and every ``placeholder``/``aria-label``/``title``/``alt`` of the page, less the
publishers' words, which are

* the front page's story headlines and gists (``.digest-story__headline``,
  ``.digest-story__gist``);
* in the page content (``.md-content``): the ``h1`` (a headline, topic, tag or day), the
  ``h3``-``h6`` (a publisher's subheads), and the text of every link to one article, topic or
  tag page (a headline, a topic or tag name), except a story's source count
  (``.digest-story__sources``), which is the digest's own;
* text nodes of more than :data:`PROSE_WORDS` words: prose (paragraphs, summary lines,
  standfirsts, captions). The catalog's labels that long are whole sentences shown only on
  an empty or undated site;
* names the site's owner configured (site title and description, sources' titles), which
  the caller passes and which are cut out of the text before it is searched.

The English words are :func:`english_labels`: the catalog's (``CATALOG`` and ``PLURALS``),
the theme's (Material's English interface file) and the colour toggles' names in the
project's ``mkdocs.yml`` (else the digest's own palette), where they differ from the
Ukrainian; a label is searched as the run of its words of three letters or more, fragment
by fragment between its placeholders, case-sensitively and word by word; a fragment of
stop words only ("in the") is no label.
"""

from __future__ import annotations

import functools
import json
import random
import re
import shutil
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml

from digest.packaged_theme import THEME_SETTINGS
from digest.site.labels import CATALOG, PLURALS
from digest.text import STOP_WORDS

ROOT = Path(__file__).resolve().parents[1]
PROSE_WORDS = 8
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
_LETTERS = re.compile(r"[^\W\d_]{3,}")
_MATERIAL_ENTRY = re.compile(r'^\s*"([^"]+)":\s*"((?:[^"\\]|\\.)*)"', re.M)
_MATERIAL_SKIP = re.compile(r"^(language|direction|search\.config\..*)$")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@contextmanager
def served(site: Path) -> Iterator[str]:
    """The built ``site`` over real HTTP on 127.0.0.1; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


# ---------------------------------------------------------------------------------------
# the front page's story units

UNITS_JS = """() => {
  const inside = (el) => {
    if (!el) return false;
    const r = el.getBoundingClientRect();
    return r.height > 0 && r.width > 0 && r.top >= 0 && r.left >= 0
      && r.bottom <= window.innerHeight && r.right <= window.innerWidth;
  };
  return [...document.querySelectorAll('article.digest-story')].filter((unit) =>
    ['.digest-story__headline a', '.digest-story__gist', '.digest-story__meta']
      .every((part) => inside(unit.querySelector(part)))).length;
}"""
"""Story units of the front page whose headline, gist and source line (its count, or its one
source's name) are all wholly inside the first screen."""

BASELINE_UNITS_JS = """() => {
  const inside = (el) => {
    if (!el) return false;
    const r = el.getBoundingClientRect();
    return r.height > 0 && r.width > 0 && r.top >= 0 && r.left >= 0
      && r.bottom <= window.innerHeight && r.right <= window.innerWidth;
  };
  return [...document.querySelectorAll('.md-content article h2')]
    .filter((h) => h.querySelector('a[href*="topics/"]'))
    .filter((h) => inside(h) && inside(h.nextElementSibling)).length;
}"""
"""The same for the front page before the story units (commit 66dd459): a topic's ``h2``
heading and the block after it (its summary) wholly inside the first screen; it had no
source count."""


def complete_units(page: Any, baseline: bool = False) -> int:
    """Story units wholly inside the first screen of ``page`` (a Playwright page, scrolled to
    the top)."""
    page.evaluate("window.scrollTo(0, 0)")
    return int(page.evaluate(BASELINE_UNITS_JS if baseline else UNITS_JS))


def screens_tall(page: Any) -> float:
    """The page's height in screens of its viewport."""
    return float(page.evaluate(
        "document.documentElement.scrollHeight / window.innerHeight"))


def sideways_overflow(page: Any) -> int:
    """Pixels the page scrolls sideways (0 when it fits its viewport's width)."""
    return int(page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"))


# ---------------------------------------------------------------------------------------
# English interface words on a page of another language

CHROME_TEXT_JS = """([proseWords]) => {
  const DATA = ['.digest-story__headline', '.digest-story__gist', '.md-content h1',
                '.md-content h3', '.md-content h4', '.md-content h5', '.md-content h6'].join(',');
  const ONE_PAGE = /\\/(articles|topics|tags)\\/[^/]+\\//;
  const publishers = (el) => {
    if (el.closest(DATA)) return true;
    const link = el.closest('.md-content a[href]');
    return !!link && !link.matches('.digest-story__sources')
      && ONE_PAGE.test(new URL(link.href, location.href).pathname);
  };
  const rendered = (el) => el.checkVisibility ? el.checkVisibility() : true;
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    const text = node.data.replace(/\\s+/g, ' ').trim();
    if (!el || !text || el.closest('script, style, noscript, template')) continue;
    if (!rendered(el) || publishers(el)) continue;
    if (text.split(' ').filter((w) => /[\\p{L}\\p{N}]/u.test(w)).length > proseWords) continue;
    out.push(text);
  }
  for (const el of document.body.querySelectorAll('[placeholder], [aria-label], [title], [alt]')) {
    if (!rendered(el) || publishers(el)) continue;
    for (const name of ['placeholder', 'aria-label', 'title', 'alt']) {
      const value = (el.getAttribute(name) || '').trim();
      if (value) out.push(value);
    }
  }
  return out;
}"""


@dataclass(frozen=True)
class Label:
    where: str  # "catalog:in_brief", "material:search.placeholder", "mkdocs.yml:palette"
    english: str
    probes: tuple[tuple[str, ...], ...]  # word runs to look for, one per fragment


def probes(text: str) -> tuple[tuple[str, ...], ...]:
    """The word runs a label is searched by: each fragment between its placeholders
    (``{name}``, Material's ``#``, or a `key` to type, which reads the same in any
    language), as its words of three letters or more; fragments with no such word, or only
    stop words, are left out."""
    fragments = re.split(r"\{[^}]*\}|#|`[^`]*`", text)
    runs = []
    for fragment in fragments:
        run = tuple(_LETTERS.findall(fragment))
        if run and not all(w.lower() in STOP_WORDS for w in run):
            runs.append(run)
    return tuple(runs)


def material_labels(language: str) -> dict[str, str]:
    """Material for MkDocs' interface words in ``language``, by key, from the installed
    theme's own translation file."""
    import material

    path = Path(material.__file__).parent / "templates" / "partials" / "languages"
    text = (path / f"{language}.html").read_text("utf-8")
    return {k: json.loads(f'"{v}"') for k, v in _MATERIAL_ENTRY.findall(text)
            if not _MATERIAL_SKIP.match(k)}


def palette_names(mkdocs_yml: Path) -> list[str]:
    """The colour toggles' names in a project's ``mkdocs.yml``, else in the palette the
    digest plugin supplies (the theme shows them as the toggle's label); mkdocs.yml's own
    tags are read as plain values."""
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    config = yaml.load(mkdocs_yml.read_text("utf-8"), Loader=Loader) or {}
    palette = ((config.get("theme") or {}).get("palette")
               or THEME_SETTINGS["palette"])
    palette = palette if isinstance(palette, list) else [palette]
    return [p["toggle"]["name"] for p in palette
            if isinstance(p, dict) and isinstance(p.get("toggle"), dict)
            and p["toggle"].get("name")]


def english_labels(other: str = "uk", mkdocs_yml: Path = ROOT / "mkdocs.yml") -> list[Label]:
    """The English interface words a page in ``other`` must not show (see the module
    docstring): those whose English differs from the ``other`` language's."""
    found: list[Label] = []
    for key, texts in CATALOG.items():
        if texts["en"] != texts.get(other):
            found.append(Label(f"catalog:{key}", texts["en"], probes(texts["en"])))
    for key, forms in PLURALS.items():
        theirs = set(forms.get(other, {}).values())
        for form, text in forms["en"].items():
            if text not in theirs:
                found.append(Label(f"catalog:{key}.{form}", text, probes(text)))
    english, translated = material_labels("en"), material_labels(other)
    for key, text in english.items():
        if text != translated.get(key):
            found.append(Label(f"material:{key}", text, probes(text)))
    for name in palette_names(mkdocs_yml):
        found.append(Label("mkdocs.yml:palette toggle", name, probes(name)))
    return [label for label in found if label.probes]


def _has_run(words: list[str], run: tuple[str, ...]) -> bool:
    n = len(run)
    return any(tuple(words[i:i + n]) == run for i in range(len(words) - n + 1))


_CODE = re.compile(r"`[^`]*`")


def english_in(texts: Sequence[str], labels: Sequence[Label],
               names: Sequence[str] = ()) -> list[str]:
    """Each English label found in ``texts`` (chrome texts, see :data:`CHROME_TEXT_JS`), as
    "where 'English' in 'text'", with the owner's ``names`` cut out of the texts first."""
    found = []
    for text in texts:
        for name in sorted(names, key=len, reverse=True):
            if name:
                text = text.replace(name, " ")
        text = _CODE.sub(" ", text)  # a key to type (`sources:`) stays as written in any language
        words = _LETTERS.findall(text)
        for label in labels:
            if any(_has_run(words, run) for run in label.probes):
                found.append(f"{label.where} {label.english!r} in {text.strip()!r}")
    return found


def english_on_page(page: Any, labels: Sequence[Label], names: Sequence[str] = ()) -> list[str]:
    """The English labels in the chrome of ``page`` (a loaded Playwright page)."""
    return english_in(page.evaluate(CHROME_TEXT_JS, [PROSE_WORDS]), labels, names)


# ---------------------------------------------------------------------------------------
# a fictional busy day: made-up words, several sources, stories told by several of them

DAY = "2026-03-10"
_ONSETS = ["b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z",
           "br", "dr", "kr", "pl", "st", "tr", "sk", "gl"]
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ou", "ei"]
_CODAS = ["", "", "", "n", "r", "l", "s", "k", "m"]


def _word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS)
                   for _ in range(syllables))


def _vocabulary(rng: random.Random, n: int, taken: set[str]) -> list[str]:
    out: list[str] = []
    while len(out) < n:
        word = _word(rng, rng.choice((2, 2, 3)))
        if word not in taken and len(word) >= 4:
            taken.add(word)
            out.append(word)
    return out


def _sentence(rng: random.Random, topical: list[str], names: list[str],
              common: list[str]) -> str:
    words = [rng.choice(topical) if rng.random() < 0.45 else rng.choice(common)
             for _ in range(rng.randint(9, 18))]
    words.insert(rng.randrange(1, len(words)), rng.choice(names))
    if rng.random() < 0.5:
        words.insert(rng.randrange(1, len(words)), rng.choice(names))
    words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words) + rng.choice((".", ".", ".", "?"))


def fictional_project(folder: Path, stories: int = 34, seed: int = 19) -> Path:
    """A project in ``folder`` (feeds.yaml, mkdocs.yml and docs/ of this checkout, and six
    JSON Lines sources) of one day's news in a made-up language: ``stories`` stories, the
    biggest told by all six sources, the smallest by one, each article in its own words
    (no two are copies). Returns ``folder``; about five articles a story."""
    rng = random.Random(seed)
    taken: set[str] = set()
    common = _vocabulary(rng, 160, taken)
    sources = [(f"source-{i + 1}", " ".join(w.capitalize() for w in _vocabulary(rng, 2, taken)))
               for i in range(6)]
    items: dict[str, list[dict[str, object]]] = {name: [] for name, _ in sources}
    for s in range(stories):
        names = [" ".join(w.capitalize() for w in _vocabulary(rng, 2, taken)) for _ in range(3)]
        topical = _vocabulary(rng, 14, taken)
        tellers = max(1, 6 - s * 6 // stories)  # the first stories by all six sources
        for k, (source, _) in enumerate(rng.sample(sources, tellers)):
            for copy in range(2 if s < 3 and k < 2 else 1):
                title_words = [names[0], *rng.sample(topical, rng.randint(3, 6))]
                title = " ".join(title_words)
                title = title[:1].upper() + title[1:]
                body = [" ".join(_sentence(rng, topical, names, common)
                                 for _ in range(rng.randint(2, 3)))
                        for _ in range(rng.randint(4, 7))]
                items[source].append({
                    "id": f"{source}-{s:02d}-{copy}", "title": title, "date": DAY,
                    "url": f"https://{source}.example.org/{DAY}/{s}-{copy}",
                    "byline": f"By {rng.choice(names)}", "body": body})
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", folder / "docs", dirs_exist_ok=True)
    (folder / "sources").mkdir(exist_ok=True)
    entries = []
    for name, title in sources:
        lines = [json.dumps(item, ensure_ascii=False) for item in items[name]]
        (folder / "sources" / f"{name}.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
        entries.append(f"  - name: {name}\n    title: {title}\n    type: jsonl\n"
                       f"    path: sources/{name}.jsonl\n")
    site_title = " ".join(w.capitalize() for w in _vocabulary(rng, 2, taken))
    (folder / "feeds.yaml").write_text(
        f"site:\n  title: {site_title}\n  url: https://busy.example.org/\n"
        f"  language: en\n  locale: en_GB\n  days: 1\n"
        f"cache: .digest-cache.sqlite\nsources:\n{''.join(entries)}", "utf-8")
    return folder


def owner_names(project: Path) -> list[str]:
    """The names a project's owner configured in its feeds.yaml (site title and description,
    sources' titles and names): the site shows them as written, in any language."""
    config = yaml.safe_load((project / "feeds.yaml").read_text("utf-8")) or {}
    site = config.get("site") or {}
    names = [site.get("title"), site.get("description")]
    for source in config.get("sources") or []:
        names += [source.get("title"), source.get("name")]
    return [str(n) for n in names if n]
