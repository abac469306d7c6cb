"""A headline for an item that has none, made from its own text.

An item without a title (a feed item with only a description, a scraped page
whose title the cleaner could not find) is titled by :func:`headline` of its
text: the first sentence of its first paragraph (:func:`first_sentence`, by
:func:`digest.summarize.split_sentences`), whole when
it is short, else cut to at most ``limit`` columns at the last phrase boundary
(a comma, semicolon, colon or dash; else before a clause word such as "and",
"which", "while"), else at the last word boundary, else -- in scripts written
without spaces -- at the character the width allows, and marked with "…".
A cut headline never ends on a function word: English ones by name, and in any
cased language a lower-case word of one or two letters (``de``, ``la``, ``zu``).
Width counts East Asian wide characters twice, so a Chinese or Japanese
headline is about half as many characters as an English one.

:func:`with_title_from_text` applies the rule to a cleaned item: the one place
every source type (scraped text, feeds, JSON Lines) gets a title, and the one
that marks it (``Cleaned.title_from_text``), so a page can say so.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata

from digest.records import Cleaned
from digest.summarize import split_sentences

LIMIT = 90  # columns; a headline of about 70-90 characters
MIN_PHRASE = 40  # a phrase boundary nearer the start than this cuts too much
ELLIPSIS = "…"

#: English words a headline does not end on.
FUNCTION_WORDS = frozenset(
    (
        "a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "with", "from", "into",
        "onto", "upon", "over", "under", "about", "after", "before", "since", "until", "than",
        "as", "per", "via", "and", "or", "but", "nor", "so", "yet", "if", "that", "which", "who",
        "whom", "whose", "what", "when", "where", "while", "whether", "because", "although",
        "though", "is", "are", "was", "were", "be", "been", "being", "am", "has", "have", "had",
        "do", "does", "did", "will", "would", "shall", "should", "can", "could", "may", "might",
        "must", "not", "no", "its", "it's", "his", "her", "their", "our", "my", "your", "this",
        "these", "those", "there", "some", "any", "each", "every", "very", "more", "most",
        "also", "just", "between", "among", "against", "during", "without", "within", "through",
        "toward", "towards", "across", "around", "behind", "beyond", "near", "off", "out", "up",
        "down", "i", "he", "she", "it", "we", "they", "you", "him", "them", "us", "me",
        # the commonest of a few other Latin-script languages (none an English content word)
        "les", "des", "une", "du", "aux", "dans", "avec", "sur", "und", "der", "das", "dem",
        "von", "mit", "für", "zu", "im", "del", "los", "las", "por", "para", "una", "con", "della",
        "dei", "que",
    )
)
#: Words a clause starts with: cutting before one leaves a whole clause.
CLAUSE_WORDS = frozenset(
    ("and", "but", "which", "who", "while", "whereas", "after", "before", "because",
     "although", "though", "when", "where", "as", "amid", "despite", "since", "until", "with",
     "without", "following", "including", "saying", "according")
)
#: Particles a headline in a script without spaces does not end on.
PARTICLES = frozenset("的之和与及在了是对把被向从而或のはがをにでとへもや")

_PHRASE_END = re.compile(r"[,;:，、；：،؛](?=\s|$)|[，、；：]")  # cut after these
_DASH = re.compile(r"\s[-–—]+\s|—")  # cut before these
_SPACE = re.compile(r"\s")
_PARAGRAPHS = re.compile(r"\n[^\S\n]*\n")
_TRAILING = ",;:-–—·/&([{“‘« \u3001\uff0c\uff1b\uff1a\u060c\u061b"
_OPENERS = {"(": ")", "[": "]", "“": "”", "«": "»"}


def width(text: str) -> int:
    """Columns ``text`` takes: East Asian wide and full-width characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def headline(text: str, limit: int = LIMIT) -> str:
    """A headline from ``text``'s first sentence, at most ``limit`` columns plus "…".

    Guarantees: the result without a final "…" is a prefix of the first sentence
    (whitespace runs read as one space); it is non-empty when ``text`` has a
    non-space character; it is at most ``limit + 1`` characters long.
    """
    sentence = first_sentence(text)
    if not sentence:
        return ""
    if width(sentence) <= limit:
        return _without_full_stop(sentence)
    head = _cut(sentence, limit)
    return head + ELLIPSIS


def first_sentence(text: str) -> str:
    """The first sentence of ``text``'s first paragraph, its lines joined (a feed's text is
    often wrapped) and its whitespace runs read as one space; "" for blank text."""
    for paragraph in _PARAGRAPHS.split(text):
        joined = " ".join(paragraph.split())
        if joined:
            return split_sentences(joined)[0]
    return ""


def with_title_from_text(cleaned: Cleaned, limit: int = LIMIT) -> Cleaned:
    """``cleaned`` itself when it has a title (or no text); else titled by :func:`headline`
    of its text, and marked ``title_from_text``."""
    if cleaned.title.strip() or cleaned.title_from_text:
        return cleaned
    title = headline(cleaned.text, limit)
    if not title:
        return cleaned
    return dataclasses.replace(cleaned, title=title, title_from_text=True)


def _without_full_stop(sentence: str) -> str:
    """A whole sentence as a headline: without its one final full stop, comma or colon
    (headlines have none), unless it ends a short form ("U.S.") or is all there is."""
    for stop in (".", "。", "।", "۔", ",", ";", ":", "，", "；", "：", "،", "؛"):
        if sentence.endswith(stop) and not sentence.endswith(stop * 2):
            last = sentence.rsplit(" ", 1)[-1]
            if stop == "." and "." in last[:-1]:
                return sentence  # "in the U.S."
            rest = sentence[: -len(stop)].rstrip()
            return rest or sentence
    return sentence


def _cut(sentence: str, limit: int) -> str:
    """The longest good head of ``sentence`` within ``limit`` columns (never empty)."""
    fits = _fitting(sentence, limit)  # characters that fit
    window = sentence[: fits + 1]  # one more: a boundary right after the last that fits
    low = _fitting(sentence, MIN_PHRASE)
    for candidates in (_phrase_cuts(window, low, fits), _clause_cuts(window, low, fits),
                       _word_cuts(window, low // 2, fits)):
        for end in sorted(candidates, reverse=True):
            head = _tidy(sentence[:end])
            if head and _balanced(head):
                return head
    # one long token, or a script written without spaces: cut at the width
    head = _tidy(sentence[:fits], particles=True)
    return head or sentence[:max(fits, 1)]


def _fitting(text: str, limit: int) -> int:
    """How many leading characters of ``text`` fit in ``limit`` columns."""
    used = 0
    for i, ch in enumerate(text):
        used += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if used > limit:
            return i
    return len(text)


def _phrase_cuts(window: str, low: int, fits: int) -> list[int]:
    ends = [m.end() for m in _PHRASE_END.finditer(window)]
    ends += [m.start() for m in _DASH.finditer(window)]
    return [e for e in ends if low <= e <= fits]


def _clause_cuts(window: str, low: int, fits: int) -> list[int]:
    return [m.start() for m in re.finditer(r"\s(\w+)", window)
            if m.group(1).lower() in CLAUSE_WORDS and low <= m.start() <= fits]


def _word_cuts(window: str, low: int, fits: int) -> list[int]:
    return [m.start() for m in _SPACE.finditer(window) if max(low, 1) <= m.start() <= fits]


def _tidy(head: str, particles: bool = False) -> str:
    """``head`` without trailing punctuation, function words and short lower-case words."""
    while True:
        before = head
        head = head.rstrip(_TRAILING)
        words = head.rsplit(" ", 1)
        if len(words) == 2 and _weak(words[1]):
            head = words[0]
        if particles and head and head[-1] in PARTICLES:
            head = head[:-1]
        if head == before:
            return head


def _weak(word: str) -> bool:
    """A word a headline does not end on: a function word, or a short lower-case one."""
    bare = word.strip("\"'“”‘’«»()[]")
    lower = bare.lower()
    if lower in FUNCTION_WORDS:
        return True
    return 0 < len(bare) <= 2 and bare.isalpha() and bare == lower and bare != bare.upper()


def _balanced(head: str) -> bool:
    """Whether every bracket or quote ``head`` opens, it also closes."""
    return all(head.count(o) <= head.count(c) for o, c in _OPENERS.items())
