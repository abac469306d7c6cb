"""Sentence units: a sentence's words and whether it can stand in a summary.

Not every segment a splitter returns is a sentence a reader wants in a
summary. Page furniture (bylines, "published ... updated ..." lines, photo
credits, "scroll down for video"), photo captions, pieces of a quotation
that runs over several sentences, and fragments too short to say anything
are recognised here by general properties -- length, time stamps, photo
position cues, navigation verbs in the imperative, unbalanced quotation
marks -- never by one site's strings.

Measured on CNN/DM DEV (our splitter, 3 sentences, ROUGE-1/2/Lsum F1):
LEAD-3 over all segments 40.79 / 17.94 / 37.00; first three *eligible*
units 41.07 / 18.20 / 37.21 (the harness's LEAD-3 with Punkt: 40.54 /
17.86 / 36.71). Captions were kept out although the oracle
picks early ones about as often as other early sentences (ROUGE-neutral):
a caption describes a picture the summary does not show.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from digest.summarize.sentences import sentence_spans
from digest.text import STOP_WORDS, words

#: Fragments shorter than this (in words) are not summary sentences.
#: On CNN/DM DEV the oracle picks 14 of the 436 shorter segments (3 %)
#: against 8 % of the rest; R-1 at 3 / 4 / 5 / 6 / 8 words: 41.38 / 41.50 /
#: 41.56 / 41.51 / 41.45. It also drops "scroll down for video" and the like.
MIN_WORDS = 5

# Photo-position cues in parentheses mark captions: "kim (left) watched".
_CAPTION_CUE = re.compile(
    r"\((?:pictured|picture|photo|left|right|centre|center|above|below|top|bottom|"
    r"inset|front|back|second (?:left|right)|far (?:left|right)|file photo|file)"
    r"(?:[ ,][^)]{0,20})?\)",
    re.IGNORECASE,
)
# Credits, time stamps and page navigation.
_FURNITURE = re.compile(
    r"\b(?:published|updated|last updated|posted)\s*:|\b\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?|gmt|est|"
    r"edt|bst|utc)?\b.*\b(?:19|20)\d\d\b|\|",
    re.IGNORECASE,
)
_CREDIT = re.compile(r"\b(?:photo|picture|image|credit)s?\s*:", re.IGNORECASE)
_NAVIGATION = re.compile(
    r"^\W*(?:scroll (?:down|up)|click (?:here|to)|watch (?:the )?video|read more|see more|"
    r"sign up|subscribe|follow us|share (?:this|on)|download (?:the|our)|advertisement)\b",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^\W*by\s*[.:]?\s+[^\W\d_]+(?:\s+[^\W\d_]+){0,4}\s*[.|]?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Unit:
    """One sentence of a document with what ranking needs to know about it."""

    index: int  # position among the document's sentences
    text: str  # verbatim from the document
    terms: tuple[str, ...]  # stemmed content words (Han/kana: bigrams), in order
    n_words: int
    kind: str  # "sentence" or why not: "short", "caption", "credit", "furniture",
    # "navigation", "byline", "quote_fragment"

    @property
    def eligible(self) -> bool:
        """Whether the unit may appear in a summary."""
        return self.kind == "sentence"


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light English suffix stripper: enough to match "attacks" with "attacked".

    Words in other scripts pass through unchanged except for the same endings,
    which do not occur in them.
    """
    if len(word) <= 4:
        return word
    for suffix, keep in (("'s", 0), ("’s", 0), ("ies", 1), ("ing", 0), ("ed", 0), ("es", 0),
                         ("ly", 0), ("s", 0)):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stemmed = word[: -len(suffix)]
            return stemmed + ("y" if keep else "")
    return word


# Scripts written without spaces between words: Han (with the CJK extension
# A and compatibility blocks) and katakana form the content; hiragana mostly
# carries grammar (particles, endings).
_HAN_KATAKANA = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u30a0-\u30ff\uff66-\uff9f"
_NO_SPACES = re.compile(f"[\u3040-\u309f{_HAN_KATAKANA}]")
_CONTENT_RUN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|"
                          "[\u30a0-\u30ff\uff66-\uff9f]+")

#: Characters of Han/kana text per counted word (Chinese words average
#: about 1.5-2 characters), so that ``MIN_WORDS`` and word budgets mean
#: about the same length of text in every script.
CHARS_PER_WORD = 2


def content_terms(text: str) -> tuple[str, ...]:
    """Stemmed content words of ``text`` (stop words and one-letter tokens dropped).

    Han and katakana text, written without spaces, gives its character
    bigrams instead (a single character when it stands alone), so that two
    sentences on the same subject share terms.
    """
    return _tokens(text)[1]


def _terms(tokens: list[str]) -> tuple[str, ...]:
    return tuple(stem(w) for w in tokens if len(w) > 1 and w not in STOP_WORDS)


def _tokens(text: str) -> tuple[int, tuple[str, ...]]:
    """(word count, terms) of ``text``; see :func:`content_terms`."""
    tokens = words(text)
    if text.isascii() or not _NO_SPACES.search(text):
        return len(tokens), _terms(tokens)
    count = 0
    terms: list[str] = []
    for token in tokens:
        if not _NO_SPACES.search(token):
            count += 1
            terms.extend(_terms([token]))
            continue
        spaced = _NO_SPACES.sub(" ", token).split()  # Latin or digits inside: "iphone的"
        count += len(spaced) + -(-len(_NO_SPACES.findall(token)) // CHARS_PER_WORD)
        terms.extend(_terms(spaced))
        for run in _CONTENT_RUN.findall(token):
            terms.extend([run] if len(run) == 1 else
                         [run[i : i + 2] for i in range(len(run) - 1)])
    return count, tuple(terms)


def classify(text: str, min_words: int = MIN_WORDS) -> tuple[str, int]:
    """The kind of a segment and its word count; only "sentence" is summary material."""
    n_words = _tokens(text)[0]
    return _kind(text, n_words, min_words), n_words


def _kind(text: str, n_words: int, min_words: int) -> str:
    if _NAVIGATION.search(text):
        return "navigation"
    if _BYLINE.match(text):
        return "byline"
    if _CREDIT.search(text):
        return "credit"
    if _FURNITURE.search(text):
        return "furniture"
    if n_words < min_words:
        return "short"
    if _CAPTION_CUE.search(text):
        return "caption"
    if is_quote_fragment(text):
        return "quote_fragment"
    return "sentence"


def is_quote_fragment(text: str) -> bool:
    """Whether ``text`` opens or closes a quotation it does not also close or open.

    Such a sentence is one piece of a quote running over several sentences
    and reads wrongly on its own. Counted on double quotation marks only:
    single ones double as apostrophes. On CNN/DM DEV the greedy oracle picks
    these 3.8 % of the time against 8.6 % for other sentences.
    """
    marks = sum(text.count(mark) for mark in '"“”«»')
    return marks % 2 == 1


def make_units(sentences: list[str], min_words: int = MIN_WORDS,
               line_breaks: list[bool] | None = None) -> list[Unit]:
    """Units for the sentences of one document, in order.

    ``line_breaks[i]`` tells whether a line break separates sentence ``i``
    from the one before; when given, a sentence followed on its own line by
    a photo credit ("... in Washington. Picture: REUTERS/...") is a caption.
    """
    units: list[Unit] = []
    for i, sentence in enumerate(sentences):
        n_words, terms = _tokens(sentence)
        kind = _kind(sentence, n_words, min_words)
        if kind == "credit" and i and line_breaks is not None and not line_breaks[i] \
                and units[i - 1].kind == "sentence":
            units[i - 1] = replace(units[i - 1], kind="caption")
        units.append(Unit(i, sentence, terms, n_words, kind))
    return units


def document_units(text: str, min_words: int = MIN_WORDS, limit: int | None = None) -> list[Unit]:
    """Units for the sentences of ``text`` (the first ``limit`` of them if given)."""
    spans = sentence_spans(text)[:limit]
    breaks = [i > 0 and "\n" in text[spans[i - 1][1] : a] for i, (a, _) in enumerate(spans)]
    return make_units([text[a:b] for a, b in spans], min_words, breaks)
