"""Articles' pictures on pages: the site's own copies (:mod:`digest.fetch.images`), as
``<img>`` markup with their size, loaded lazily.

A picture is only ever one the build downloaded and the site publishes
(``images/<hash>.<ext>`` at the site root, :attr:`~digest.records.Digest.pictures`);
:func:`picture_html` refuses any other address, so no page can make a reader's browser
ask a publisher, or any other host, for one. Its ``width`` and ``height`` let the browser
keep the picture's place before it loads; the page's stylesheet decides the shown size
(``max-width: 100%; height: auto`` keeps the proportions).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from digest.fetch.images import MAX_SIDE, SITE_FOLDER
from digest.records import Picture
from digest.site.paths import url_of

# a picture's address from any page: up to the site root, then the pictures' folder
_SRC = re.compile(rf"^(?:\.\./)*{SITE_FOLDER}/[0-9a-f]{{16}}\.(?:png|jpg|gif|webp)$")
_CLASSES = re.compile(r"^[A-Za-z0-9_-]+(?: [A-Za-z0-9_-]+)*$|^$")


def picture_of(pictures: Mapping[str, Picture], article_id: str) -> Picture | None:
    """The picture of the article ``article_id`` (``digest.pictures``), if it has one."""
    picture = pictures.get(article_id)
    return picture if isinstance(picture, Picture) else None


def picture_src(picture: Picture, page: str) -> str:
    """The picture's address relative to the page whose Markdown source path is ``page``
    (``index.md``, ``articles/2026-03-02/ferry.md``), with MkDocs' directory URLs:
    ``images/<name>`` from the front page, ``../../../images/<name>`` from that article."""
    depth = url_of(page).count("/")
    return "../" * depth + picture.path


def picture_html(src: str, width: int, height: int, alt: str, css_class: str) -> str:
    """``<img>`` markup for a picture the site publishes: ``src`` relative to the page
    (:func:`picture_src`), its size in pixels, ``alt`` (the text that stands for it; ""
    for a picture beside a headline that says the same), ``css_class`` (class names, or "").

    ValueError for a ``src`` that is not a published picture's relative address (an
    absolute URL, ``//host/...``, ``data:``, another folder or name), a size out of
    1 to :data:`~digest.fetch.images.MAX_SIDE`, or class names other than ``[A-Za-z0-9_-]``
    words. ``alt`` may be anything: it is put on one line without control characters, and
    every character but letters, digits and spaces is written as a character reference,
    so that neither HTML nor Markdown (which reads inside raw inline HTML: links, code,
    emphasis, extensions' syntax) can make markup of it.
    """
    if not isinstance(src, str) or not _SRC.match(src):
        raise ValueError(f"not the address of a picture the site publishes: {src!r}")
    for name, value in (("width", width), ("height", height)):
        if type(value) is not int or not 0 < value <= MAX_SIDE:
            raise ValueError(f"{name} must be 1 to {MAX_SIDE} pixels (got {value!r})")
    if not isinstance(css_class, str) or not _CLASSES.match(css_class):
        raise ValueError(f"class names must be [A-Za-z0-9_-] words (got {css_class!r})")
    shown_alt = "".join(c if c.isalnum() or c == " " else f"&#{ord(c)};"
                        for c in " ".join(str(alt).split()) if c.isprintable())
    classes = f' class="{css_class}"' if css_class else ""
    return (f'<img src="{src}" width="{width}" height="{height}" alt="{shown_alt}"'
            f' loading="lazy" decoding="async"{classes}>')


def article_picture(pictures: Mapping[str, Picture], article_id: str, page: str,
                    alt: str = "", css_class: str = "") -> str:
    """:func:`picture_html` for the article's picture as seen from ``page`` (a Markdown
    source path); "" when the article has none."""
    picture = picture_of(pictures, article_id)
    if picture is None:
        return ""
    return picture_html(picture_src(picture, page), picture.width, picture.height, alt,
                        css_class)
