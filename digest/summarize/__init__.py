"""The summarise stage: extractive summaries of articles and of topics.

``split_sentences(text)`` -- the sentences of a text, verbatim, in order;
``summarize(text, n)`` -- at most n of them, in document order, chosen by
directed, position-aware centrality (:mod:`digest.summarize.rank`);
``summarize_topic(documents, n)`` -- a multi-document summary whose sentences
each name the article they came from (:mod:`digest.summarize.topic`).

Pure functions over strings: no I/O, no model data, deterministic.
"""

from digest.summarize.article import summarize
from digest.summarize.rank import (
    CentralityRanker,
    LeadRanker,
    PositionalCentralityRanker,
    Ranker,
)
from digest.summarize.sentences import split_sentences
from digest.summarize.topic import summarize_topic

__all__ = [
    "CentralityRanker",
    "LeadRanker",
    "PositionalCentralityRanker",
    "Ranker",
    "split_sentences",
    "summarize",
    "summarize_topic",
]
