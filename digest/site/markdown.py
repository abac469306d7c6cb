"""Untrusted text to Markdown that renders as exactly that text.

Article text comes from pages we do not control. Everything a source says goes
through :func:`text` (inline) before it reaches a generated page, so no HTML,
script, Markdown link, image, heading, list, table or attribute written by a
source can become markup. Python-Markdown (MkDocs) and markdown-it-py (feeds)
both read the result as the same plain text.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import yaml

from digest.urls import web_url

# Python-Markdown's backslash-escapable characters (markdown.Markdown.ESCAPED_CHARS)
# that can start markup anywhere in a line.
_BACKSLASHED = set("\\`*_{}[]()#+!")
# Characters HTML or Markdown extensions could read as markup, written as entities.
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "&#124;", '"': "&quot;",
             "~": "&#126;", "^": "&#94;", ":": "&#58;", "=": "&#61;", "$": "&#36;"}
# Line starts that open a block: "-", "1." or "1)" lists, setext/rule lines.
_LIST_START = re.compile(r"^(\d+)([.)])")


# each special character's backslash escape or entity; every other character stays itself
_ESCAPES = {**{ch: "\\" + ch for ch in _BACKSLASHED}, **_ENTITIES}
_SPECIAL = re.compile("[" + re.escape("".join(_ESCAPES)) + "]")
_LOOKALIKES = str.maketrans({"<": "‹", ">": "›", '"': "”", "'": "’"})
# libyaml's emitter when PyYAML has it (about 10x faster); the same YAML either way
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def text(value: str) -> str:
    """Inline Markdown that displays ``value`` verbatim, on one line.

    Guarantees: the output has no newline, no unescaped Markdown or HTML
    syntax, and renders to ``value`` with runs of whitespace collapsed.
    """
    # str.split() and the regex \s agree on what is whitespace; split is the faster
    escaped = _SPECIAL.sub(_escape, " ".join(value.split()))
    if escaped.startswith("-"):
        escaped = "\\" + escaped
    if not escaped[:1].isdigit():  # cheap test first: most lines do not open with a number
        return escaped
    return _LIST_START.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)


def _escape(match: re.Match[str]) -> str:
    return _ESCAPES[match.group()]


def link(label: str, target: str) -> str:
    """A Markdown link to one of our own pages (a relative ``.md`` path)."""
    return f"[{text(label)}]({quote(target, safe='/#.-_~')})"


def external_link(label: str, url: str | None) -> str:
    """A link to a source's page, only for URLs :func:`digest.urls.web_url` accepts;
    otherwise the label as text."""
    safe = web_url(url)
    if safe is None:
        return text(label)
    return f"[{text(label)}](<{quote(safe, safe=':/?#[]@!$&*+,;=%~.-_')}>)"


def front_matter(**meta: object) -> str:
    """A YAML front-matter block; values are dumped by PyYAML, so any text is safe.

    Strings pass through :func:`plain` (the theme prints titles and
    descriptions unescaped); other values (lists, mappings of our own) go as
    they are, and empty values are left out. Every generated page hides the
    left navigation sidebar: the top tabs carry the few sections, and the
    reading column gets the width.
    """
    clean: dict[str, object] = {
        k: plain(v) if isinstance(v, str) else v for k, v in meta.items() if v}
    clean.setdefault("hide", ["navigation"])
    dumped = yaml.dump(clean, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=10_000)
    return f"---\n{dumped}---\n\n"


# Material's search leaves out a heading's whole section when the heading has this
# attribute (attr_list), so the index holds titles and summaries, not whole articles.
NOT_SEARCHED = " { data-search-exclude }"


def heading(level: int, value: str, searched: bool = True) -> str:
    """A Markdown heading showing ``value`` verbatim; ``searched=False`` keeps its
    section out of the search index."""
    return f"{'#' * level} {text(value)}{'' if searched else NOT_SEARCHED}\n"


def plain(value: str) -> str:
    """Text for places the theme prints without escaping (page titles, meta tags).

    MkDocs themes print page titles and descriptions unescaped, so angle
    brackets and quotes become look-alike characters: the text can then sit in
    an HTML element or attribute as it is. (A bare "&" cannot open markup: an
    entity decodes to text after the HTML is parsed.)
    """
    return " ".join(value.split()).translate(_LOOKALIKES)
