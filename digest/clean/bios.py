"""Author bios printed after the article: found by the byline's name, not by wording.

A paragraph that closes the body and names the article's own author within
its first words ("Ana Lima has covered ...", "About the writer: Ana Lima ...")
is about the author, not the story. No phrase list is used: the name comes
from the page's byline, the position is the end of the body.
"""

from __future__ import annotations

import re

from digest.clean.lines import BYLINE_LEAD

MAX_BIO_WORDS = 60  # bios run one to three sentences
NAME_WITHIN = 6  # the name opens the paragraph, maybe after a short label
CLOSING = 3  # a bio stands among the last paragraphs (prompts may follow it)

_BY = re.compile(rf"(?i)^{BYLINE_LEAD}\s+")
_CUT = re.compile(r"\s*[|·,–—(]\s*|\s+-\s+")
_AND = re.compile(r"(?i)\s+(?:and|&)\s+")


def author_names(byline: str) -> list[str]:
    """The person names in a byline, case-folded: 2-4 words each, role and date cut off."""
    text = _BY.sub("", byline.strip())
    text = _CUT.split(text, maxsplit=1)[0]
    out = []
    for part in _AND.split(text):
        words = part.split()
        if 2 <= len(words) <= 4 and all(w[:1].isalpha() for w in words):
            out.append(" ".join(words).casefold())
    return out


def _opens_with(paragraph: str, names: list[str]) -> bool:
    """Whether an author's full name starts within the paragraph's first words."""
    head = " ".join(paragraph.split()[: NAME_WITHIN + 4]).casefold()
    for name in names:
        at = head.find(name)
        if at >= 0 and head[:at].count(" ") < NAME_WITHIN:
            return True
    return False


def bio_paragraphs(body: list[str], byline: str) -> set[int]:
    """Indices of the paragraphs among the last ``CLOSING`` of ``body`` that are author bios.

    Guarantees: empty when the byline names no person or the body has fewer than
    two paragraphs; never the first paragraph; each index is among the last
    ``CLOSING`` paragraphs, has at most ``MAX_BIO_WORDS`` words and names an
    author of the byline in full within its first ``NAME_WITHIN`` words.
    """
    names = author_names(byline)
    if not names or len(body) < 2:
        return set()
    return {
        k
        for k in range(max(1, len(body) - CLOSING), len(body))
        if len(body[k].split()) <= MAX_BIO_WORDS and _opens_with(body[k], names)
    }
