"""Multi-document summaries: a few sentences for a topic, each linked to its article.

A sentence earns its place by what the topic's *other* articles say too
(cross-article support over TF-IDF cosine), by how early it comes in its own
article (news puts the point first), and by its own article's ranking. A
sentence that repeats one already chosen -- the same wire copy in two
outlets, or a rewording -- is left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from digest.records import TopicSentence
from digest.summarize.rank import cosine_matrix, position_prior
from digest.summarize.units import MIN_WORDS, Unit, document_units

#: Two topic sentences with TF-IDF cosine above this say the same thing.
#: Lower than the single-article threshold: across outlets the same fact is
#: reworded more, and a topic summary has room for few sentences.
TOPIC_REDUNDANCY = 0.4

#: Share of a sentence's content words found in a chosen one above which it
#: adds nothing new (catches a short sentence inside a longer rewrite).
CONTAINMENT = 0.8

#: Only the leading sentences of each article are read: news puts the point
#: first, and it bounds the work at (this x articles) squared similarities.
SENTENCES_PER_ARTICLE = 20


@dataclass(frozen=True)
class TopicWeights:
    """How a topic sentence's score mixes its signals (each in [0, 1]).

    support: summed similarity to sentences of other articles, scaled to the
    best; position: the article-position prior; window and decay shape it as
    in :class:`~digest.summarize.rank.PositionalCentralityRanker`.

    No multi-document reference summaries are among the shared data, so these
    are not tuned: they carry over the single-article ranker's DEV-chosen
    balance (half position, half centrality, window 2, decay 2).
    """

    support: float = 0.5
    position: float = 0.5
    window: int = 2
    decay: float = 2.0


def summarize_topic(documents: Sequence[tuple[str, str]], n: int = 3, *,
                    weights: TopicWeights = TopicWeights(),  # noqa: B008 - frozen
                    redundancy: float = TOPIC_REDUNDANCY, containment: float = CONTAINMENT,
                    min_words: int = MIN_WORDS,
                    sentences_per_article: int = SENTENCES_PER_ARTICLE) -> list[TopicSentence]:
    """At most ``n`` sentences summarising the documents together.

    ``documents`` are ``(article_id, text)`` pairs, oldest first. Guarantees:
    each result's ``text`` is a sentence of its article's text (verbatim) and
    its ``article_id`` names that article; no two results have TF-IDF cosine
    above ``redundancy`` or share more than ``containment`` of the shorter
    one's content words; results are in the order of ``documents``, then of
    sentences within an article. Deterministic; ``[]`` for no text.
    """
    if n <= 0:
        return []
    units: list[Unit] = []
    owner: list[int] = []
    rank_in_doc: list[int] = []
    for doc, (_, text) in enumerate(documents):
        eligible = 0
        for unit in document_units(text, min_words, sentences_per_article):
            units.append(unit)
            owner.append(doc)
            rank_in_doc.append(eligible)
            eligible += unit.eligible
    if not units:
        return []
    sim = cosine_matrix(units)
    owners = np.array(owner)
    other = owners[:, None] != owners[None, :]
    support = np.where(other, sim, 0.0).sum(axis=1)
    if support.max() > 0:
        support = support / support.max()
    prior = position_prior(np.array(rank_in_doc), weights.window, weights.decay)
    score = weights.support * support + weights.position * prior
    order = sorted(range(len(units)), key=lambda i: (-score[i], owner[i], i))
    chosen: list[int] = []
    for i in order:
        if len(chosen) >= n:
            break
        if not units[i].eligible:
            continue
        if any(_repeats(units, sim, i, j, redundancy, containment) for j in chosen):
            continue
        chosen.append(i)
    chosen.sort(key=lambda i: (owner[i], units[i].index))
    return [TopicSentence(units[i].text, documents[owner[i]][0]) for i in chosen]


def _repeats(units: Sequence[Unit], sim: np.ndarray, i: int, j: int, redundancy: float,
             containment: float) -> bool:
    """Whether unit ``i`` says what unit ``j`` already says."""
    if sim[i, j] > redundancy or units[i].text == units[j].text:
        return True
    mine, theirs = set(units[i].terms), set(units[j].terms)
    if not mine or not theirs:
        return False
    shorter = min(len(mine), len(theirs))
    return len(mine & theirs) / shorter > containment
