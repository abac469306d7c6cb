"""Article pages to article text, with trafilatura; and when a feed item is only a teaser.

trafilatura (and lxml under it) is imported on first extraction, not with this module, so
that a broken install of it can only affect what reads pages: ``html`` sources and
``full_text``. Its failure is :class:`ExtractorUnavailable`, said in one line.

A page's bytes are decoded as a browser would (byte order mark, then the declared
charset, never UTF-7 or UTF-16/32 by declaration, else UTF-8, else Windows-1252)
and made valid text (:func:`~digest.validtext.valid_text`) before extraction, so
that a stray control character or C1 mojibake neither cuts nor garbles the text
trafilatura finds; what that changed is kept in :attr:`Extracted.repairs`.
"""

from __future__ import annotations

import codecs
import re
import threading
import urllib.parse
from dataclasses import dataclass
from functools import cache
from types import ModuleType

from digest.dependencies import describe_import_error
from digest.urls import web_url
from digest.validtext import LINE_ENDS, valid_text

# how feeds end a cut-off item: an ellipsis, or a link to the rest
TEASER_ENDINGS = re.compile(
    r"(\.\.\.|…|\[…\]|\[\.\.\.\]|\b(read|continue reading|read the full|more)\b[^.!?]{0,40})\s*$",
    re.IGNORECASE)


@dataclass(frozen=True)
class Extracted:
    """The main text of a page, as paragraphs, with what trafilatura found of its metadata."""

    paragraphs: tuple[str, ...]
    title: str = ""
    date: str | None = None  # YYYY-MM-DD
    byline: str = ""
    language: str = ""
    repairs: tuple[tuple[str, int], ...] = ()  # what making the page valid text changed
    image: str = ""  # the page's own picture (``og:image``), an absolute http(s) URL; or ""

    def as_scraped_text(self) -> str:
        """The page in the scraped-file shape the cleaner reads: ``date YYYY-MM-DD Title``."""
        head = " ".join(p for p in ("date " + self.date if self.date else "", self.title) if p)
        return "\n".join(p for p in (head, *self.paragraphs) if p)


class ExtractorUnavailable(Exception):
    """trafilatura cannot be imported; the message names the package and the cause."""


_IMPORTING = threading.Lock()  # one thread imports: a racing one could get a half-made module


@cache
def _load_trafilatura() -> ModuleType | str:
    """trafilatura, or why it cannot be imported (tried once per process)."""
    try:
        import trafilatura
    except ImportError as exc:
        return describe_import_error(exc)
    return trafilatura


def require_extractor() -> ModuleType:
    """trafilatura; raises :class:`ExtractorUnavailable` (before any fetch) when it is broken."""
    with _IMPORTING:
        loaded = _load_trafilatura()
    if isinstance(loaded, str):
        raise ExtractorUnavailable(loaded)
    return loaded


def is_teaser(paragraphs: tuple[str, ...] | list[str], teaser_words: int = 100) -> bool:
    """True if feed content looks cut short: under ``teaser_words`` words, or ending in "…"."""
    words = sum(len(p.split()) for p in paragraphs)
    if words < teaser_words:
        return True
    return bool(paragraphs) and bool(TEASER_ENDINGS.search(paragraphs[-1]))


def extract_article(html: bytes | str, url: str | None = None,
                    min_words: int = 40) -> Extracted | None:
    """The article in a page, or None if trafilatura finds under ``min_words`` words of it.

    Navigation, comments, tables and boilerplate are left out (trafilatura's
    precision mode): the result is what a reader would call the article. Raises
    :class:`ExtractorUnavailable` when trafilatura cannot be imported.
    """
    trafilatura = require_extractor()
    if isinstance(html, bytes):
        html = _decode_html(html)
    html, repairs = valid_text(html)
    del repairs[LINE_ENDS]  # in HTML a line end is only white space: not a change to report
    try:
        doc = trafilatura.bare_extraction(
            html, url=url, favor_precision=True, include_comments=False, include_tables=False,
            with_metadata=True)
    except Exception:  # trafilatura raises many kinds on hostile markup; treat all as "no text"
        return None
    if doc is None:
        return None
    text = getattr(doc, "text", None) or ""
    paragraphs = tuple(" ".join(line.split()) for line in text.splitlines() if line.strip())
    title = getattr(doc, "title", None) or ""
    if paragraphs and title and paragraphs[0] == " ".join(title.split()):
        paragraphs = paragraphs[1:]  # the page's headline, kept as the title instead
    if sum(len(p.split()) for p in paragraphs) < min_words:
        return None
    date = getattr(doc, "date", None) or None
    return Extracted(paragraphs, title=title,
                     date=date[:10] if date else None, byline=getattr(doc, "author", None) or "",
                     language=getattr(doc, "language", None) or "",
                     repairs=tuple(repairs.items()), image=_page_image(doc, url))


def _page_image(doc: object, url: str | None) -> str:
    """The picture trafilatura found in the page's metadata (``og:image``), resolved against
    the page's URL; "" unless that is an http(s) URL."""
    found = getattr(doc, "image", None)
    if not isinstance(found, str) or not found.strip():
        return ""
    try:
        resolved = urllib.parse.urljoin(url or "", found.strip())
    except ValueError:
        return ""
    return web_url(resolved) or ""


def _decode_html(data: bytes) -> str:
    """HTML bytes as text: by byte order mark, else the charset the page declares, else
    UTF-8, else Windows-1252. As in browsers (WHATWG encoding sniffing), a declared UTF-16
    or UTF-32 is read as UTF-8 (the declaration could not have been read otherwise) and a
    declared UTF-7 is ignored (it lets markup hide in plain ASCII)."""
    for mark, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                           (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(mark):
            return data[len(mark):].decode(encoding, errors="replace")
    declared = re.search(rb"""<meta[^>]+charset=["']?([\w-]+)""", data[:4096], re.IGNORECASE)
    for encoding in ([declared.group(1).decode("ascii")] if declared else []) + ["utf-8"]:
        try:
            if codecs.lookup(encoding).name.startswith(("utf-16", "utf-32", "utf-7")):
                continue
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("cp1252", errors="replace")
