"""Per-source keyword filters (``include`` / ``exclude`` in feeds.yaml), for every source type.

Words and phrases match whole and in any case; a document keeps or loses its
place by what :func:`searchable_text` gives. Plain text only: importing this
loads nothing from the web side.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from digest.records import RawDocument


@cache
def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    # whole words or phrases, any case: "rail" matches "Rail strike" but not "trailer"
    return re.compile("|".join(rf"(?<!\w){re.escape(w)}(?!\w)" for w in words), re.IGNORECASE)


def searchable_text(doc: RawDocument) -> str:
    """What keyword filters look at: the raw text, or the title, standfirst and body fields."""
    if doc.text:
        return doc.text
    parts: list[str] = []
    for key in ("title", "standfirst", "text"):
        value = doc.fields.get(key)
        if isinstance(value, str):
            parts.append(value)
    body = doc.fields.get("body")
    if isinstance(body, list):
        parts.extend(p for p in body if isinstance(p, str))
    return "\n".join(parts)


def wanted(doc: RawDocument, include: Sequence[str] = (), exclude: Sequence[str] = ()) -> bool:
    """True if ``doc`` names one of ``include`` (when given) and none of ``exclude``.

    Words match whole and case-insensitively; an empty ``include`` keeps all.
    """
    if not include and not exclude:
        return True
    text = searchable_text(doc)
    if include and not _pattern(tuple(include)).search(text):
        return False
    return not (exclude and _pattern(tuple(exclude)).search(text))
