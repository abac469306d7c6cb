"""Lines where the scraper left the page's HTML source instead of its text.

Some scrapes hold whole stretches of markup (``<div ...><a href=...>``) on one
line, the article's sentences among the tags. :func:`split_markup` cuts such a
line into the text between the tags, scripts, styles and comments left out,
so the rest of the cleaner sees ordinary lines.
"""

from __future__ import annotations

import re

# A line is markup when it holds at least this many tags; prose that quotes a tag
# or two ("use <b> for bold") is left alone.
MIN_TAGS = 3
_TAG = re.compile(r"<[A-Za-z/!][^<>]{0,2000}>")
# Whole blocks whose content is never page text; one left open hides the rest of the line
# (so each opener is scanned past once: many unclosed openers cost linear time, not
# quadratic), and a stray closer goes.
_HIDDEN = (
    r"<script\b[^>]*>.*?</script\s*>|<style\b[^>]*>.*?</style\s*>|<!--.*?-->"
    r"|<(?:script|style)\b[^>]*>.*$|<!--.*$"
)
_CUT = re.compile(r"(?is)" + _HIDDEN + r"|" + _TAG.pattern + r"|-->")
_HAS_WORD = re.compile(r"\w")


def split_markup(line: str, min_tags: int = MIN_TAGS) -> list[str]:
    """The line itself, or, when it holds ``min_tags``+ tags, the text between them.

    Guarantees: every returned string is a non-empty substring of ``line`` with
    no leading or trailing spaces and with at least one letter or digit; the
    pieces come in the order they are printed; a line with fewer tags comes
    back unchanged as the only element.
    """
    if "<" not in line or len(_TAG.findall(line, 0, len(line))) < min_tags:
        return [line]
    out: list[str] = []
    pos = 0
    for m in _CUT.finditer(line):
        piece = line[pos : m.start()].strip()
        if _HAS_WORD.search(piece):
            out.append(piece)
        pos = m.end()
    piece = line[pos:].strip()
    if _HAS_WORD.search(piece):
        out.append(piece)
    return out
