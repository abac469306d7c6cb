"""A story's one sentence of news: the first summary line that does more than repeat the
headline."""

from __future__ import annotations

import re

from digest.records import Article
from digest.text import STOP_WORDS

RESTATES = 0.7  # share of a line's content words the headline already has: no news in it
_WORD = re.compile(r"[^\W_]+")


def content_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.casefold()) if w not in STOP_WORDS}


def restates(line: str, headline: str) -> bool:
    """Whether ``line`` says little the headline does not (most of its content words are
    the headline's): a gist or list line that would only repeat it."""
    words = content_words(line)
    return not words or len(words & content_words(headline)) >= RESTATES * len(words)


def gist(article: Article) -> str:
    """The article's first summary sentence (or standfirst) that adds to its headline."""
    for line in (*article.summary, article.standfirst):
        if line.strip() and not restates(line, article.title):
            return line
    return ""
