"""Structured records (JSON Lines, feed items) read as the cleaner's output.

A source that delivers fields instead of a scraped page (a ``jsonl`` source, a
feed) and the stage commands reading JSON Lines on stdin go through one
conversion, :func:`from_fields`: ``title``, ``standfirst``, ``byline``,
``agency`` and ``dateline`` as stripped strings, ``date`` as the YYYY-MM-DD it
starts with (else none), ``body`` as its non-blank strings (else ``text`` split
on blank lines), ``related`` and ``popular`` as their non-blank strings,
``language`` as a stripped string (checked where it is shown), ``title_from_text``
(a title made from the text, :mod:`digest.headline`) as true only beside a title,
``image`` (the item's picture) only if it is an http(s) URL.
A value of another type counts as absent; nothing raises.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from digest.records import Cleaned
from digest.text import paragraphs
from digest.urls import web_url

_ISO_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")


def from_fields(fields: Mapping[str, Any]) -> Cleaned:
    """A structured record as the cleaner's output."""
    def string(key: str) -> str:
        value = fields.get(key)
        return value.strip() if isinstance(value, str) else ""

    def strings(key: str) -> tuple[str, ...]:
        value = fields.get(key)
        if not isinstance(value, list):
            return ()
        return tuple(v.strip() for v in value if isinstance(v, str) and v.strip())

    body = strings("body") or tuple(paragraphs(string("text")))
    date_match = _ISO_DATE.match(string("date"))
    title = string("title")
    return Cleaned(title=title, standfirst=string("standfirst"),
                   date=date_match.group(1) if date_match else None, byline=string("byline"),
                   agency=string("agency"), dateline=string("dateline"), body=body,
                   related=strings("related"), popular=strings("popular"),
                   language=language_of(fields),
                   title_from_text=bool(title) and fields.get("title_from_text") is True,
                   image=image_of(fields))


def language_of(fields: Mapping[str, Any]) -> str:
    """The language a structured record gives (a feed's, a page's), stripped; else ""."""
    value = fields.get("language")
    return value.strip() if isinstance(value, str) else ""


def image_of(fields: Mapping[str, Any]) -> str:
    """The picture a structured record names (a feed item's, a page's ``og:image``), if it
    is an http(s) URL; else ""."""
    value = fields.get("image")
    return (web_url(value) or "") if isinstance(value, str) else ""
