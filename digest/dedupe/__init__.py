"""Dedupe: collapse copies of one story across the corpus into one canonical article.

Use::

    from digest.dedupe import Candidate, copy_adds, find_duplicates, fingerprint

    fp = fingerprint(article.body)               # per article; pure, picklable, cacheable
    dupes = find_duplicates([Candidate(a.id, fp, a.date, a.priority), ...])
    # {duplicate id: canonical id}; articles absent from the dict are canonical
    adds = copy_adds(canonical.body, copy.body)  # paragraphs the copy adds

Modules: ``fingerprint`` (shingles, MinHash signature, exact hash),
``candidates`` (LSH candidates confirmed by Jaccard or containment),
``canonical`` (groups and the rule choosing each group's canonical article),
``adds`` (what a copy adds to its canonical).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np

from digest.dedupe.adds import copy_adds
from digest.dedupe.candidates import MatchSettings, matching_pairs
from digest.dedupe.canonical import (
    FULLNESS_TOLERANCE,
    Candidate,
    choose_canonical,
    connected_groups,
)
from digest.dedupe.fingerprint import FINGERPRINT_KEY, Fingerprint, fingerprint
from digest.text import words

__all__ = [
    "FINGERPRINT_KEY",
    "Candidate",
    "Fingerprint",
    "MatchSettings",
    "choose_canonical",
    "copy_adds",
    "duplicate_groups",
    "find_duplicates",
    "fingerprint",
    "may_be_copies",
]


def duplicate_groups(
    candidates: Sequence[Candidate], settings: MatchSettings | None = None
) -> list[list[Candidate]]:
    """Groups (two or more) of candidates that are copies of one story.

    Copying is transitive here: two articles are in one group when a chain
    of confirmed pairs joins them, pairs that :func:`may_be_copies` refuses
    left out. Candidates in no group are unique.
    """
    settings = settings or MatchSettings()
    # equal bodies are chained by source, title and date: a refused pair never
    # stands between two candidates that may be copies
    ranked = sorted(range(len(candidates)), key=lambda i: (
        candidates[i].source, title_key(candidates[i].title), candidates[i].date or "", i))
    rank = np.empty(len(candidates), dtype=np.int64)
    rank[ranked] = np.arange(len(candidates))
    pairs = matching_pairs([c.fingerprint for c in candidates], settings, rank)
    kept = [(int(i), int(j)) for i, j in pairs
            if may_be_copies(candidates[int(i)], candidates[int(j)], settings)]
    return [[candidates[i] for i in g] for g in connected_groups(len(candidates), kept)]


def may_be_copies(a: Candidate, b: Candidate, settings: MatchSettings) -> bool:
    """Whether two matching bodies may be copies of one story: not when both are dated
    more than ``settings.max_days_apart`` days apart (a source's recurring post), nor when
    one source gave them equal bodies under different titles (a series whose posts share
    their text: in the generated corpus every pair of one publisher's exact copies has
    one title)."""
    if a.date and b.date:
        try:
            apart = abs((dt.date.fromisoformat(a.date) - dt.date.fromisoformat(b.date)).days)
        except ValueError:
            apart = 0
        if apart > settings.max_days_apart:
            return False
    return not (a.source and a.source == b.source
                and a.fingerprint.body_hash == b.fingerprint.body_hash
                and title_key(a.title) != title_key(b.title))


def title_key(title: str) -> str:
    """A title as compared: its lower-cased words."""
    return " ".join(words(title))


def find_duplicates(
    candidates: Sequence[Candidate],
    settings: MatchSettings | None = None,
    fullness_tolerance: float = FULLNESS_TOLERANCE,
) -> dict[str, str]:
    """Map each duplicate's id to its group's canonical id.

    Canonical articles and unique articles are not keys; every value is a
    canonical id, never itself a key. Ids must be unique. The result does
    not depend on the order of ``candidates``.
    """
    ids = [c.id for c in candidates]
    if len(set(ids)) != len(ids):
        raise ValueError("candidate ids must be unique")
    duplicates: dict[str, str] = {}
    for group in duplicate_groups(candidates, settings):
        canonical = choose_canonical(group, fullness_tolerance)
        for member in group:
            if member.id != canonical.id:
                duplicates[member.id] = canonical.id
    return duplicates
