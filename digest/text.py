"""Text tools shared by the stages: words, stop words, title normalisation."""

from __future__ import annotations

import re
import unicodedata


def _mark_ranges() -> str:
    """The combining marks (Unicode category M) of the Basic Multilingual Plane, as the
    ranges of a regular expression's character class."""
    ranges: list[tuple[int, int]] = []
    for cp in range(0x10000):
        if unicodedata.category(chr(cp)).startswith("M"):
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1] = (ranges[-1][0], cp)
            else:
                ranges.append((cp, cp))
    return "".join(f"\\u{a:04x}" if a == b else f"\\u{a:04x}-\\u{b:04x}" for a, b in ranges)


MARKS = _mark_ranges()
"""Combining marks, for a character class: Devanagari's vowel signs and virama, Arabic's
short vowels, Latin's combining accents. ``\\w`` leaves them out, which would cut "हिन्दी"
into "ह", "न", "द"; a word runs on through them."""
_PART = rf"[^\W_]+(?:[{MARKS}]+[^\W_]*)*"
_WORD = re.compile(rf"{_PART}(?:['’]{_PART})*")

STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if
    in into is it its itself just me more most my myself no nor not now of off on once only
    or other our ours ourselves out over own same she should so some such than that the
    their theirs them themselves then there these they this those through to too under until
    up very was we were what when where which while who whom why will with would you your
    yours yourself yourselves said says say mr mrs ms one two new year years like get got
    """.split()
)


_BLANK_LINE = re.compile(r"\n\s*\n")


def paragraphs(text: str) -> list[str]:
    """Paragraphs of a plain text: blocks separated by blank lines, stripped, none empty."""
    return [p.strip() for p in _BLANK_LINE.split(text) if p.strip()]


def words(text: str) -> list[str]:
    """Lower-cased word tokens (letters and digits, inner apostrophes kept)."""
    return [w.lower() for w in _WORD.findall(text)]


def content_words(text: str) -> list[str]:
    """Word tokens without stop words and one-letter tokens."""
    return [w for w in words(text) if w not in STOP_WORDS and len(w) > 1]


def normalize_title(title: str) -> str:
    """A title reduced to what survives rewording of case, punctuation and spacing.

    Accents are kept apart from case: "Zelenskyy's" and "zelenskyys" agree,
    Cyrillic letters stay Cyrillic.
    """
    folded = unicodedata.normalize("NFKC", title).casefold()
    folded = folded.replace("’", "'").replace("'", "")
    return " ".join(_WORD.findall(folded))


def shorten(text: str, limit: int = 60) -> str:
    """``text`` on one line, cut at a word boundary to at most ``limit`` characters with "…"
    when longer: how a report quotes a passage."""
    one = " ".join(text.split())
    if len(one) <= limit:
        return one
    cut = one[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,;:") + "…"
