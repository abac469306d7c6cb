"""What a copy adds: its paragraphs that the canonical article lacks.

A paragraph of the copy counts as present in the canonical when most of its
word shingles occur anywhere in the canonical body, so light edits, re-wrapped
or merged paragraphs and changed punctuation do not count as additions.
"""

from __future__ import annotations

from collections.abc import Sequence

from digest.dedupe.fingerprint import body_words

ADDS_SHINGLE_WORDS = 3
"""Shingle size for paragraph comparison: short enough that a paragraph with
one word changed keeps most of its shingles."""

NOVELTY_THRESHOLD = 0.7
"""A copy paragraph is an addition when less than this share of its
shingles occurs in the canonical body (more than 30% of it is new). On the
gold bodies of the generated corpus no paragraph of a syndicated copy
(edited) scores below 0.84 against its original, so none of 5,092 is
flagged; of the paragraphs an update's late version adds to its stub, 97.6%
score below 0.7, the rest re-split text whose words the stub already has
(benchmarks/dedupe.py, copy_adds)."""


def _shingles(tokens: Sequence[str], size: int) -> set[tuple[str, ...]]:
    if len(tokens) < size:
        return {tuple(tokens)} if tokens else set()
    return {tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def paragraph_coverage(
    canonical_body: Sequence[str],
    copy_body: Sequence[str],
    shingle_words: int = ADDS_SHINGLE_WORDS,
) -> list[float]:
    """For each paragraph of ``copy_body``, the share of its word shingles
    that occur in ``canonical_body`` (1.0 for a paragraph without words)."""
    known: set[tuple[str, ...]] = set()
    for paragraph in canonical_body:
        known |= _shingles(body_words([paragraph]), shingle_words)
    coverage = []
    for paragraph in copy_body:
        own = _shingles(body_words([paragraph]), shingle_words)
        coverage.append(len(own & known) / len(own) if own else 1.0)
    return coverage


def copy_adds(
    canonical_body: Sequence[str],
    copy_body: Sequence[str],
    *,
    novelty_threshold: float = NOVELTY_THRESHOLD,
    shingle_words: int = ADDS_SHINGLE_WORDS,
) -> tuple[str, ...]:
    """Paragraphs of ``copy_body`` that ``canonical_body`` lacks, in the copy's
    order, each once, verbatim.

    Guarantees: a paragraph occurring in the canonical (up to case,
    punctuation and spacing) is never returned; the result is empty when the
    copy is the canonical or contained in it.
    """
    coverage = paragraph_coverage(canonical_body, copy_body, shingle_words)
    adds: list[str] = []
    seen: set[str] = set()
    for paragraph, share in zip(copy_body, coverage, strict=True):
        key = " ".join(body_words([paragraph]))
        if share < novelty_threshold and key not in seen:
            seen.add(key)
            adds.append(paragraph)
    return tuple(adds)
