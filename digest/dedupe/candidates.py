"""Candidate pairs by MinHash LSH, confirmed by estimated Jaccard or containment.

No pair of articles is compared unless the LSH index puts them in one bucket,
so the cost grows with the number of articles plus the number of bucket
collisions, never with all pairs. Each candidate pair is then confirmed from
the two signatures alone:

- **near-duplicate**: estimated Jaccard similarity of the shingle sets at
  least ``jaccard_threshold`` (syndicated copies with light edits);
- **contained**: estimated containment of the smaller set in the larger at
  least ``containment_threshold`` (a breaking stub inside its later, fuller
  version, whose Jaccard similarity is only the ratio of their sizes), the
  Jaccard similarity still at least ``min_containment_jaccard``.

Signature values shared by more than ``max_shared`` articles are page
furniture the cleaner let through, not story text: both estimates are made
over the permutations whose minimum is not such a value (conditioned on
that, the estimate is the Jaccard similarity of the sets with the shared
shingles removed, so boilerplate can neither make nor break a match).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
from datasketch import LeanMinHash, MinHashLSH

from digest.dedupe.fingerprint import SCHEME, SEED, Fingerprint


@dataclass(frozen=True)
class MatchSettings:
    """The named parameters of duplicate detection; defaults measured by
    ``benchmarks/dedupe.py --sweep`` on the generated scraped corpus."""

    bands: int = 64
    """LSH bands; with ``rows`` they set which pairs become candidates:
    a pair of Jaccard similarity s is one with probability 1 - (1 - s^rows)^bands.
    64 bands of 2 rows: 0.93 at s = 0.2 (``min_containment_jaccard``), 0.9993
    at 0.34 (the least similar update pair of the corpus); 42 x 3 and 32 x 4
    lost update pairs (benchmarks/dedupe.py --sweep)."""
    rows: int = 2
    """Signature rows per band (``bands * rows`` must not exceed the
    permutations)."""
    jaccard_threshold: float = 0.35
    """Estimated Jaccard similarity from which two bodies are copies: midway
    between the most similar distinct stories of the generated corpus after
    cleaning (0.27) and the 1% quantile of copy pairs (0.37)
    (benchmarks/dedupe.py, margins)."""
    containment_threshold: float = 0.65
    """Estimated share of the smaller body's shingles found in the larger
    from which the smaller is an earlier or trimmed version of the larger:
    midway between the most contained distinct stories (0.45, once
    ``min_containment_jaccard`` holds) and the 1% quantile of copies (0.80)."""
    min_containment_jaccard: float = 0.2
    """A contained body must also be this similar (about this share of the
    larger body's size): a one-sentence brief quoted as a headline inside an
    unrelated article is contained in it (Jaccard 0.11 on the corpus), while
    update stubs keep Jaccard 0.3 or more with their later version."""
    min_words: int = 15
    """Bodies shorter than this are never matched (not even exactly): they
    are more often leftover page furniture than a story."""
    min_evidence: int = 24
    """Fewest informative permutations (see ``max_shared``) a pair needs:
    with 24 the Jaccard estimate's standard error is at most 0.1."""
    max_shared: int = 40
    """A signature value held by more articles than this is boilerplate.
    The largest story in the corpus has 6 copies, a wire story may have a
    few dozen; a site's furniture is on hundreds of pages. Without it, raw
    scraped text (``--bodies raw``) loses a fifth of its found pairs."""
    band_batch: int = 16
    """Bands indexed at once: a memory bound only (results do not depend on
    it). datasketch keeps a Python set per bucket, about 300 bytes per article
    and band; 16 bands at a time keep 50,000 articles under 300 MB."""
    max_bucket: int = 200
    """LSH buckets holding more articles than this are skipped (a bucket that
    big is furniture shared by a site, and would cost quadratic time)."""

    def __post_init__(self) -> None:
        if min(self.bands, self.rows, self.band_batch) < 1:
            raise ValueError("bands, rows and band_batch must be positive")
        if not 0.0 < self.jaccard_threshold <= 1.0:
            raise ValueError("jaccard_threshold must be in (0, 1]")
        if not 0.0 < self.containment_threshold <= 1.0:
            raise ValueError("containment_threshold must be in (0, 1]")


@dataclass(frozen=True)
class PairScores:
    """Estimated similarities of candidate pairs ``(left[k], right[k])``."""

    left: np.ndarray  # int64 indices, left < right
    right: np.ndarray
    jaccard: np.ndarray  # float64
    containment: np.ndarray  # float64, of the smaller set in the larger
    evidence: np.ndarray  # int64, informative permutations


def signature_matrix(fingerprints: Sequence[Fingerprint]) -> np.ndarray:
    """The signatures stacked as an ``(n, num_perm)`` uint32 array.

    Raises ``ValueError`` if the fingerprints were made with different
    permutations or shingle sizes, since they would not be comparable.
    """
    if not fingerprints:
        return np.empty((0, 0), dtype=np.uint32)
    first = fingerprints[0]
    for f in fingerprints:
        if (f.num_perm, f.shingle_words) != (first.num_perm, first.shingle_words):
            raise ValueError("fingerprints made with different settings cannot be compared")
    joined = b"".join(f.signature for f in fingerprints)
    return np.frombuffer(joined, dtype="<u4").reshape(len(fingerprints), first.num_perm)


def lsh_pairs(
    fingerprints: Sequence[Fingerprint], eligible: np.ndarray, settings: MatchSettings
) -> np.ndarray:
    """Index pairs ``(i, j)``, ``i < j``, that share an LSH bucket in any band.

    Only ``eligible`` articles are indexed. Every pair is listed once; buckets
    with more than ``settings.max_bucket`` members are left out. The bands are
    indexed ``settings.band_batch`` at a time (one datasketch ``MinHashLSH``
    per batch), which bounds the memory the index takes.
    """
    n = len(fingerprints)
    num_perm = fingerprints[0].num_perm if fingerprints else 0
    if settings.bands * settings.rows > num_perm:
        raise ValueError(f"bands * rows exceeds the {num_perm} permutations")
    signatures = signature_matrix(fingerprints)
    indexed = [int(i) for i in np.flatnonzero(eligible)]
    codes: list[int] = []
    for first in range(0, settings.bands, settings.band_batch):
        bands = min(settings.band_batch, settings.bands - first)
        lo, hi = first * settings.rows, (first + bands) * settings.rows
        lsh = MinHashLSH(num_perm=hi - lo, params=(bands, settings.rows))
        for i in indexed:
            part = LeanMinHash(seed=SEED, hashvalues=signatures[i, lo:hi], scheme=SCHEME)
            lsh.insert(i, part, check_duplication=False)
        for table in lsh.hashtables:
            for key, count in table.itemcounts().items():
                if 1 < count <= settings.max_bucket:
                    members = sorted(table.get(key))
                    codes.extend(a * n + b for a, b in combinations(members, 2))
        del lsh
    if not codes:
        return np.empty((0, 2), dtype=np.int64)
    unique = np.unique(np.array(codes, dtype=np.int64))
    return np.stack(np.divmod(unique, n), axis=1)


def shared_value_mask(signatures: np.ndarray, max_shared: int) -> np.ndarray:
    """``True`` where a signature value is held by more than ``max_shared`` rows."""
    mask = np.zeros(signatures.shape, dtype=bool)
    for col in range(signatures.shape[1]):
        _, inverse, counts = np.unique(signatures[:, col], return_inverse=True, return_counts=True)
        mask[:, col] = counts[inverse] > max_shared
    return mask


def score_pairs(
    pairs: np.ndarray,
    signatures: np.ndarray,
    shingles: np.ndarray,
    shared: np.ndarray,
    chunk: int = 16384,
) -> PairScores:
    """Estimate Jaccard similarity and containment for each pair.

    A permutation is informative for a pair when the smaller of the two
    values is not a shared (boilerplate) value. Jaccard is the share of
    informative permutations where the values agree; set sizes are scaled by
    each article's informative share; containment follows from both as
    ``J / (1 + J) * (|A| + |B|) / min(|A|, |B|)``, clipped to 1.
    """
    n = len(pairs)
    jac = np.zeros(n)
    evidence = np.zeros(n, dtype=np.int64)
    informative_share = 1.0 - shared.mean(axis=1)
    for start in range(0, n, chunk):
        i, j = pairs[start : start + chunk, 0], pairs[start : start + chunk, 1]
        a, b = signatures[i], signatures[j]
        low_is_shared = np.where(a <= b, shared[i], shared[j])
        useful = ~low_is_shared
        count = useful.sum(axis=1)
        agree = ((a == b) & useful).sum(axis=1)
        evidence[start : start + chunk] = count
        jac[start : start + chunk] = np.divide(agree, count, out=np.zeros(len(i)), where=count > 0)
    if n:
        size_a = shingles[pairs[:, 0]] * informative_share[pairs[:, 0]]
        size_b = shingles[pairs[:, 1]] * informative_share[pairs[:, 1]]
        smaller = np.maximum(np.minimum(size_a, size_b), 1e-9)
        containment = np.minimum(1.0, jac / (1.0 + jac) * (size_a + size_b) / smaller)
    else:
        containment = np.zeros(0)
    return PairScores(pairs[:, 0], pairs[:, 1], jac, containment, evidence)


def matching_pairs(
    fingerprints: Sequence[Fingerprint], settings: MatchSettings | None = None
) -> np.ndarray:
    """Index pairs ``(i, j)`` judged copies of one story: equal body hashes
    or a confirmed LSH candidate (see the module docstring).

    Bodies under ``settings.min_words`` words are in no pair.
    """
    settings = settings or MatchSettings()
    if not fingerprints:
        return np.empty((0, 2), dtype=np.int64)
    n_words = np.array([f.words for f in fingerprints], dtype=np.int64)
    shingles = np.array([f.shingles for f in fingerprints], dtype=np.float64)
    eligible = (n_words >= settings.min_words) & (shingles > 0)
    exact = _exact_pairs(fingerprints, eligible)
    candidates = lsh_pairs(fingerprints, eligible, settings)
    signatures = signature_matrix(fingerprints)
    shared = shared_value_mask(signatures, settings.max_shared)
    scores = score_pairs(candidates, signatures, shingles, shared)
    confirmed = (scores.evidence >= settings.min_evidence) & (
        (scores.jaccard >= settings.jaccard_threshold)
        | (
            (scores.containment >= settings.containment_threshold)
            & (scores.jaccard >= settings.min_containment_jaccard)
        )
    )
    return np.concatenate([exact, candidates[confirmed]])


def _exact_pairs(fingerprints: Sequence[Fingerprint], eligible: np.ndarray) -> np.ndarray:
    # Chain each body hash's articles: union-find joins the whole group.
    first: dict[bytes, int] = {}
    pairs: list[tuple[int, int]] = []
    for i in np.flatnonzero(eligible):
        seen = first.setdefault(fingerprints[i].body_hash, int(i))
        if seen != i:
            pairs.append((seen, int(i)))
    return np.array(pairs, dtype=np.int64).reshape(-1, 2)
