"""The clean stage: one scraped page in, the article's parts out.

    from digest.clean import clean_text, learn_furniture

:func:`clean_text` is pure and does not raise on any text; every string it returns is a
substring of :func:`normalize` applied to the input, once runs of whitespace
(line breaks included) are read as one space.
"""

from __future__ import annotations

from collections.abc import Iterable

from digest.clean.furniture import learn_furniture as _learn_furniture
from digest.clean.repair import normalize
from digest.clean.structure import clean_page
from digest.records import Cleaned

__all__ = ["Cleaned", "clean_text", "learn_furniture", "normalize"]


def clean_text(text: str, furniture: frozenset[str] = frozenset()) -> Cleaned:
    """The article in one scraped page: title, date, byline, body once, lists apart.

    ``furniture`` is what :func:`learn_furniture` learnt from the same source's
    pages; those lines are dropped wherever they occur. Input that is not text,
    or holds no article, gives an empty :class:`Cleaned`. It has no catch-all:
    that it never raises is a property the tests check, and if a page ever
    defeats it, the build reports that page with the error (see
    :func:`digest.per_article.process`) instead of publishing an empty article.
    """
    if not isinstance(text, str) or not text.strip():
        return Cleaned()
    return clean_page(text, furniture)


def learn_furniture(texts: Iterable[str]) -> frozenset[str]:
    """Lines (normalised) that recur across many pages of ONE source.

    Pass the result to :func:`clean_text` for every page of that source.
    """
    return _learn_furniture(texts)
