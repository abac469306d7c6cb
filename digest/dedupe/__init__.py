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

from collections.abc import Sequence

from digest.dedupe.adds import copy_adds
from digest.dedupe.candidates import MatchSettings, matching_pairs
from digest.dedupe.canonical import (
    FULLNESS_TOLERANCE,
    Candidate,
    choose_canonical,
    connected_groups,
)
from digest.dedupe.fingerprint import FINGERPRINT_KEY, Fingerprint, fingerprint

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
]


def duplicate_groups(
    candidates: Sequence[Candidate], settings: MatchSettings | None = None
) -> list[list[Candidate]]:
    """Groups (two or more) of candidates that are copies of one story.

    Copying is transitive here: two articles are in one group when a chain
    of confirmed pairs joins them. Candidates in no group are unique.
    """
    pairs = matching_pairs([c.fingerprint for c in candidates], settings)
    return [[candidates[i] for i in g] for g in connected_groups(len(candidates), pairs)]


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
