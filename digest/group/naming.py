"""Names, stable ids and timelines of topics."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence

import numpy as np
from unidecode import unidecode

from digest.group.similarity import day_number
from digest.records import GroupItem

NAME_MAX_WORDS = 14  # longer titles (lead sentences standing in for headlines) are cut
SLUG_WORDS = 6  # words of the anchor title kept in the topic id
ID_HASH_CHARS = 10  # hex digits of the anchor article's id hash: unique across 20k+ topics
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def timeline(members: Sequence[int], items: Sequence[GroupItem]) -> list[int]:
    """Members oldest first by date, undated last, ties by article id."""

    def key(i: int) -> tuple[bool, float, str]:
        day = day_number(items[i].date)
        return (day is None, day if day is not None else 0.0, items[i].id)

    return sorted(members, key=key)


def topic_id(anchor: GroupItem) -> str:
    """A file-name-safe id (``[a-z0-9-]``) derived from the topic's oldest article.

    The oldest article of a story stays its oldest when later articles join,
    so the id survives daily rebuilds as the topic grows; the hash of the
    article's id keeps two topics with alike titles apart.
    """
    words = _NOT_SLUG.sub(" ", unidecode(anchor.title).replace("'", "").lower()).split()
    slug = "-".join(words[:SLUG_WORDS])
    digest = hashlib.sha1(anchor.id.encode("utf-8")).hexdigest()[:ID_HASH_CHARS]
    return f"{slug}-{digest}" if slug else f"topic-{digest}"


def centrality(n: int, groups: Sequence[Sequence[int]], left: np.ndarray, right: np.ndarray,
               weight: np.ndarray) -> dict[int, float]:
    """Each node's summed pair probability to the other members of its group.

    The pairs are ``(left[p], right[p])`` with probability ``weight[p]``.
    """
    group_of = np.zeros(n, dtype=np.int64)
    for k, members in enumerate(groups):
        group_of[list(members)] = k
    inside = group_of[left] == group_of[right]
    score = (np.bincount(left[inside], weights=weight[inside], minlength=n)
             + np.bincount(right[inside], weights=weight[inside], minlength=n))
    return dict(enumerate(score.tolist()))


def topic_name(members: Sequence[int], items: Sequence[GroupItem],
               score: Mapping[int, float]) -> str:
    """The title of the topic's most central article, cut to ``NAME_MAX_WORDS`` words.

    ``score`` is each member's centrality (see :func:`centrality`); titles
    short enough to read as headlines are preferred, ties go to the older
    article. Never empty: falls back to the body's first words, then the id.
    """
    order = timeline(members, items)
    rank = {i: r for r, i in enumerate(order)}

    def preference(i: int) -> tuple[bool, float, int]:
        title = items[i].title.strip()
        headline_like = 0 < len(title.split()) <= NAME_MAX_WORDS
        return (not headline_like, -score.get(i, 0.0), rank[i])

    best = min(members, key=preference)
    title = " ".join(items[best].title.split())
    title = title or " ".join(items[best].text.split()[:NAME_MAX_WORDS])
    words = title.split()
    if len(words) > NAME_MAX_WORDS:
        title = " ".join(words[:NAME_MAX_WORDS]).rstrip(",;:") + "…"
    return title or items[best].id
