"""Text evidence between articles: TF-IDF cosine, shared names, date agreement.

Everything here works on sparse matrices and bounded neighbour lists, so the
cost grows with the corpus times the neighbours kept, never with its square.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
import scipy.sparse as sp

from digest.records import GroupItem
from digest.text import _WORD, STOP_WORDS, content_words, words

TITLE_WEIGHT = 2  # a title word counts as this many body words: headlines name the story
NEIGHBOURS = 20  # text neighbours kept per article; stories of the day are rarely larger
MAX_DF_SHARE = 0.5  # a term in more than this share of articles carries no story evidence
# ...and a term in more than this share of one source's articles (of at least this many) is
# that source talking, not a story (see without_source_words)
SOURCE_WORD_SHARE = 0.5
SOURCE_MIN_DOCS = 6

# numerals as names (or as a feature of their own) raised CV F1 on DEV but merged unrelated
# articles sharing a coincidental "2015" or "9,000" (lower-cased CNN/DM, the sample corpus)
NAME_NUMBERS = False
# a capitalised word (or a numeral) not inside a word, with the three characters before it;
# the look-behind after the first character lets the regex engine skip to capitals quickly
_NAME = r"[A-Z](?<![\w'’].)[\w'’.-]*\w"
_NUMBER = r"\d(?<![\w'’].)(?:[\d.,:-]*\d)?"
_NAMES = re.compile(rf"(?<=(...))({_NAME})", re.DOTALL)
_NAMES_AND_NUMBERS = re.compile(rf"(?<=(...))({_NAME}|{_NUMBER})", re.DOTALL)
_WORD_NO_UNDERSCORE = re.compile(r"\w+(?:['’]\w+)*")  # digest.text's words where no "_" is
_SENTENCE_ENDS = frozenset(".!?:;\"“”")  # the empty string is not among them


def word_tokens(text: str) -> list[str]:
    """:func:`digest.text.words` of ``text`` (the same list), lower-casing the text at once.

    Lower-casing the whole text equals lower-casing each word unless a letter
    changes length (Turkish dotted I) or Greek capital sigma takes its
    context-dependent final form; those texts go word by word. Without an
    underscore in the text, ``\\w`` (faster to match) equals ``[^\\W_]``.
    """
    lowered = text.lower()
    if len(lowered) != len(text) or "Σ" in text:
        return words(text)
    return (_WORD if "_" in text else _WORD_NO_UNDERSCORE).findall(lowered)


def article_terms(item: GroupItem) -> list[str]:
    """The content words of an article, title words repeated ``TITLE_WEIGHT`` times."""
    return content_words(item.title) * TITLE_WEIGHT + content_words(item.text)


def name_tokens(text: str, numbers: bool = NAME_NUMBERS) -> list[str]:
    """Names in one text: capitalised words not opening a sentence (and numerals if ``numbers``).

    A capitalised word counts as a name only where capitals carry meaning: not
    after a sentence end (the last non-space character of the three before it),
    and not a stop word. Lower-cased in the result; a text in capitals has none.
    """
    if text.isupper():
        return []
    pattern = _NAMES_AND_NUMBERS if numbers else _NAMES
    padded = "   " + text  # so that every candidate has three characters before it
    found = pattern.findall(padded)
    opening = len(padded) - len(text.lstrip())  # where the first word starts
    if found and pattern.match(padded, opening):
        found = found[1:]  # the first word of the text opens a sentence
    return [name for before, token in found
            if before.rstrip()[-1:] not in _SENTENCE_ENDS for name in _name_words(token)]


@functools.lru_cache(maxsize=1 << 16)
def _name_words(token: str) -> tuple[str, ...]:
    folded = token.lower().strip(".-")
    if folded and folded not in STOP_WORDS and len(folded) > 1 or folded.isdigit():
        return tuple(words(folded) or [folded])
    return ()


def article_names(item: GroupItem, numbers: bool = NAME_NUMBERS) -> list[str]:
    """Names of an article's title and text (see :func:`name_tokens`)."""
    return name_tokens(item.title, numbers) + name_tokens(item.text, numbers)


def tfidf_matrix(docs: Sequence[Iterable[str]],
                 max_df_share: float = MAX_DF_SHARE) -> sp.csr_matrix:
    """:func:`tfidf_rows` of documents given as token lists."""
    vocab: dict[str, int] = {}
    keys: list[np.ndarray] = []
    counts: list[np.ndarray] = []
    for doc in docs:
        tally = Counter(doc)
        ids = np.array([vocab.setdefault(t, len(vocab)) for t in tally], dtype=np.int64)
        order = np.argsort(ids)
        keys.append(ids[order])
        counts.append(np.array(list(tally.values()), dtype=np.int64)[order])
    return tfidf_rows(keys, counts, max_df_share)


def tfidf_rows(keys: Sequence[np.ndarray], counts: Sequence[np.ndarray],
               max_df_share: float = MAX_DF_SHARE) -> sp.csr_matrix:
    """Rows are L2-normalised sublinear TF-IDF vectors of the documents.

    Document ``d`` has the distinct term keys ``keys[d]`` (any integers, in
    ascending order) with the counts ``counts[d]``; columns are the kept keys in ascending order, so
    the matrix does not depend on the order of the terms. Terms found in only
    one document, or in more than ``max_df_share`` of them, are dropped:
    neither can make two documents alike. An empty document is an all-zero row.
    """
    n_docs = len(keys)
    lengths = np.fromiter((len(k) for k in keys), dtype=np.int64, count=n_docs)
    rows = np.repeat(np.arange(n_docs), lengths)
    flat = np.concatenate(keys) if n_docs else np.zeros(0, dtype=np.int64)
    tf = np.concatenate(counts).astype(np.float64) if n_docs else np.zeros(0)
    cols = _ranks(flat)
    df = np.bincount(cols)
    keep = (df >= 2) & (df <= max(2, max_df_share * n_docs))
    used = keep[cols]
    rows, tf = rows[used], tf[used]
    cols = (np.cumsum(keep) - 1)[cols[used]]  # renumber the kept terms, order kept
    df = df[keep]
    vals = (1.0 + np.log(tf)) * (np.log((1.0 + n_docs) / (1.0 + df)) + 1.0)[cols]
    norms = np.sqrt(np.bincount(rows, weights=vals * vals, minlength=n_docs))
    vals /= norms[rows]
    indptr = np.concatenate(([0], np.cumsum(np.bincount(rows, minlength=n_docs))))
    return sp.csr_matrix((vals, cols, indptr), shape=(n_docs, len(df)))


def without_source_words(keys: Sequence[np.ndarray], counts: Sequence[np.ndarray],
                         sources: Sequence[str], share: float = SOURCE_WORD_SHARE,
                         min_docs: int = SOURCE_MIN_DOCS,
                         ) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """The documents' terms (as :func:`tfidf_rows` takes them) without each source's own
    words: a term in more than ``share`` of the documents of a source with at least
    ``min_docs`` of them is left out of that source's documents.

    What most of one source's articles say is the source talking (its sign-off, a
    "submitted by ... to ..." line, its language's function words where the corpus is mostly
    in another), not a story: kept, it makes every pair of that source's articles look
    alike. Other sources' documents keep the term.
    """
    members: dict[str, list[int]] = {}
    for d, source in enumerate(sources):
        members.setdefault(source, []).append(d)
    out_keys, out_counts = list(keys), list(counts)
    for docs in members.values():
        if len(docs) < min_docs:
            continue
        found, df = np.unique(np.concatenate([keys[d] for d in docs]), return_counts=True)
        own = found[df > share * len(docs)]
        if not len(own):
            continue
        for d in docs:
            keep = ~np.isin(keys[d], own, assume_unique=True)
            out_keys[d], out_counts[d] = keys[d][keep], counts[d][keep]
    return out_keys, out_counts


def _ranks(keys: np.ndarray) -> np.ndarray:
    """Each key's rank among the distinct keys (``np.unique``'s inverse, by a radix sort)."""
    if not len(keys):
        return np.zeros(0, dtype=np.int64)
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    ranks = np.empty(len(keys), dtype=np.int64)
    ranks[order] = np.concatenate(([0], np.cumsum(ordered[1:] != ordered[:-1])))
    return ranks


def day_number(date: str | None) -> float | None:
    """Days since year 1 for "YYYY-MM-DD" (or mid-month for "YYYY-MM"); None if unknown."""
    if not date:
        return None
    try:
        if len(date) >= 10:
            return float(dt.date.fromisoformat(date[:10]).toordinal())
        if len(date) == 7:
            return float(dt.date.fromisoformat(date + "-15").toordinal())
    except ValueError:
        return None
    return None
