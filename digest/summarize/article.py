"""Single-article extractive summaries."""

from __future__ import annotations

from digest.summarize.rank import (
    REDUNDANCY,
    PositionalCentralityRanker,
    Ranker,
    cosine_matrix,
    select,
)
from digest.summarize.units import MIN_WORDS, document_units

DEFAULT_RANKER: Ranker = PositionalCentralityRanker()


def summarize(text: str, n: int = 3, *, ranker: Ranker = DEFAULT_RANKER,
              redundancy: float = REDUNDANCY, max_words: int | None = None,
              min_words: int = MIN_WORDS) -> list[str]:
    """At most ``n`` sentences of ``text``, verbatim, in document order.

    Sentences come from :func:`~digest.summarize.sentences.split_sentences`
    (substrings of ``text``); page furniture, captions and fragments are never
    chosen (see :mod:`digest.summarize.units`); no two
    chosen sentences are near-identical (see :func:`select`). Empty or
    sentence-less text gives ``[]``. Deterministic: same input, same output.
    """
    if n <= 0 or not text.strip():
        return []
    units = document_units(text, min_words)
    if not units:
        return []
    sim = cosine_matrix(units)
    scores = ranker.scores(units, sim)
    return [units[i].text for i in select(units, scores, sim, n, redundancy, max_words)]
