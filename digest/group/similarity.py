"""Text evidence between articles: TF-IDF cosine, shared names, date agreement.

Everything here works on sparse matrices and bounded neighbour lists, so the
cost grows with the corpus times the neighbours kept, never with its square.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

import numpy as np
import scipy.sparse as sp

from digest.records import GroupItem
from digest.text import STOP_WORDS, content_words, words

TITLE_WEIGHT = 2  # a title word counts as this many body words: headlines name the story
NEIGHBOURS = 20  # text neighbours kept per article; stories of the day are rarely larger
BLOCK_ROWS = 512  # rows of the similarity product computed at once (memory ~ rows x corpus)
MAX_DF_SHARE = 0.5  # a term in more than this share of articles carries no story evidence

# numerals as names (or as a feature of their own) raised CV F1 on DEV but merged unrelated
# articles sharing a coincidental "2015" or "9,000" (lower-cased CNN/DM, the sample corpus)
NAME_NUMBERS = False
_CAPITALISED = re.compile(r"(?<![\w'’])([A-Z][\w'’.-]*[\w]|\d[\d.,:-]*\d|\d)")
_SENTENCE_ENDS = frozenset(".!?:;\"“”")


def article_terms(item: GroupItem) -> list[str]:
    """The content words of an article, title words repeated ``TITLE_WEIGHT`` times."""
    return content_words(item.title) * TITLE_WEIGHT + content_words(item.text)


def article_names(item: GroupItem, numbers: bool = NAME_NUMBERS) -> list[str]:
    """Names of an article: capitalised words not opening a sentence (and numerals if ``numbers``).

    A capitalised word counts as a name only where capitals carry meaning: not
    after a sentence end, and not a stop word. Lower-cased in the result.
    """
    names: list[str] = []
    for text in (item.title, item.text):
        if text.isupper():
            continue  # a headline in capitals tells nothing of names
        opening = len(text) - len(text.lstrip())  # where the first word starts
        for match in _CAPITALISED.finditer(text):
            token = match.group(1)
            if token[0].isdigit() and not numbers:
                continue
            start = match.start()
            before = text[max(0, start - 3) : start].rstrip()
            if start == opening or (before and before[-1] in _SENTENCE_ENDS):
                continue
            folded = token.lower().strip(".-")
            if folded and folded not in STOP_WORDS and len(folded) > 1 or folded.isdigit():
                names.extend(words(folded) or [folded])
    return names


def tfidf_matrix(docs: Sequence[Iterable[str]],
                 max_df_share: float = MAX_DF_SHARE) -> sp.csr_matrix:
    """Rows are L2-normalised sublinear TF-IDF vectors of the documents.

    Terms found in only one document, or in more than ``max_df_share`` of them,
    are dropped: neither can make two documents alike. An empty document is an
    all-zero row.
    """
    vocab: dict[str, int] = {}
    indptr, cols, tfs = [0], [], []
    for doc in docs:
        counts = Counter(doc)
        cols.extend(vocab.setdefault(term, len(vocab)) for term in counts)
        tfs.extend(counts.values())
        indptr.append(len(cols))
    n_docs = len(docs)
    vals = 1.0 + np.log(np.asarray(tfs, dtype=np.float64))
    x = sp.csr_matrix((vals, np.asarray(cols, dtype=np.int64), np.asarray(indptr)),
                      shape=(n_docs, len(vocab)))
    df = np.bincount(x.indices, minlength=len(vocab))
    keep = (df >= 2) & (df <= max(2, max_df_share * n_docs))
    idf = np.where(keep, np.log((1.0 + n_docs) / (1.0 + df)) + 1.0, 0.0)
    x = (x @ sp.diags(idf)).tocsr()
    x.eliminate_zeros()
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ x)


def top_neighbours(x: sp.csr_matrix, k: int = NEIGHBOURS,
                   block_rows: int = BLOCK_ROWS) -> list[list[tuple[int, float]]]:
    """For each row, its ``k`` most cosine-similar other rows with positive similarity.

    Computed block by block (``block_rows`` x corpus at a time), so memory stays
    bounded; ties are broken by the lower index, so the result is deterministic.
    """
    n = x.shape[0]
    xt = x.T.tocsc()
    result: list[list[tuple[int, float]]] = []
    for start in range(0, n, block_rows):
        block = (x[start : start + block_rows] @ xt).toarray()
        for offset, row in enumerate(block):
            i = start + offset
            row[i] = 0.0
            cand = np.argpartition(-row, k)[: k + 1] if k < n - 1 else np.arange(n)
            cand = cand[row[cand] > 0]
            order = sorted(cand.tolist(), key=lambda j: (-row[j], j))[:k]
            result.append([(j, float(row[j])) for j in order])
    return result


def pair_cosine(x: sp.csr_matrix) -> Callable[[int, int], float]:
    """A function giving the cosine of rows i and j of the L2-normalised ``x``."""

    def cosine(i: int, j: int) -> float:
        return float(x[i].multiply(x[j]).sum())

    return cosine


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
