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
    at 0.34. On the replicated corpus 42 x 3 found 98.8% of update pairs,
    21 x 6 62%, 64 x 2 100% (benchmarks/dedupe.py --sweep)."""
    rows: int = 2
    """Signature rows per band (``bands * rows`` must not exceed the
    permutations)."""
    jaccard_threshold: float = 0.4
    """Estimated Jaccard similarity from which two bodies are copies. After
    cleaning, distinct stories of the generated corpus reach 0.30 (two wire
    reports of one earthquake) and 1% of copy pairs fall below 0.35 (most
    are found by containment instead); the estimate's noise (standard error
    about 0.04) made 0.35 merge 9 distinct pairs in the replicated 20k
    corpus, 0.4 none, at recall 0.999 (benchmarks/dedupe.py margins, --sweep)."""
    containment_threshold: float = 0.7
    """Estimated share of the smaller body's shingles found in the larger
    from which the smaller is an earlier or trimmed version of the larger.
    Distinct stories reach 0.47 (once ``min_containment_jaccard`` holds),
    1% of copy pairs fall below 0.82. On the replicated corpus 0.65 to 0.75
    merge no distinct pair and find 99.1 to 100% of update pairs."""
    min_containment_jaccard: float = 0.2
    """A contained body must also be this similar (about this share of the
    larger body's size): a one-sentence brief quoted as a headline inside an
    unrelated article is contained in it (Jaccard 0.11 on the corpus), while
    update stubs keep Jaccard 0.31 or more with their later version. On the
    replicated corpus 0.1 merged 69 distinct pairs, 0.3 lost 0.5% of update
    pairs."""
    min_words: int = 15
    """Bodies shorter than this are never matched (not even exactly): they
    are more often leftover page furniture than a story. The shortest copied
    story of the corpus has 23 words; 30 lost 16% of short-brief pairs."""
    min_evidence: int = 24
    """Fewest informative permutations (see ``max_shared``) a pair needs:
    with 24 the Jaccard estimate's standard error is at most 0.1."""
    max_shared: int = 40
    """A signature value held by more articles than this is boilerplate.
    The largest story in the corpus has 6 copies, a wire story may have a
    few dozen; a site's furniture is on hundreds of pages. It changes nothing
    on cleaned bodies; on raw scraped text (furniture left in) it raises
    recall from 0.52 to 0.59 and removes the one hard negative merged without
    it (10: recall 0.69, but it would mask a story syndicated 11 times)."""
    max_bucket: int = 200
    """LSH buckets holding more articles than this are skipped (a bucket that
    big is furniture shared by a site, and would cost quadratic time)."""
    max_days_apart: int = 6
    """Two dated articles published more days apart than this are not copies, however
    alike: a story's copies and updates come within days (in the generated corpus every
    story's copies lie within 2 days), while a source's recurring posts (a weekly calendar,
    an API's sunset notice for each version, a yearly call for papers) repeat their text
    a week or more apart."""

    def __post_init__(self) -> None:
        if min(self.bands, self.rows) < 1:
            raise ValueError("bands and rows must be positive")
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


def lsh_pairs(by_permutation: np.ndarray, eligible: np.ndarray, settings: MatchSettings
              ) -> np.ndarray:
    """Index pairs ``(i, j)``, ``i < j``, of eligible articles that agree on every
    value of at least one band (``settings.bands`` bands of ``settings.rows``
    consecutive permutations): MinHash LSH banding, as datasketch's
    ``MinHashLSH`` with ``params=(bands, rows)``, vectorised over the corpus.

    ``by_permutation`` is the ``(num_perm, n)`` transposed signature matrix
    (one contiguous row per permutation). Every pair is listed once; buckets
    with more than ``settings.max_bucket`` members are left out. Cost: linear
    per band, plus a sort of the articles that share a hash slot.
    """
    num_perm, n = by_permutation.shape
    if settings.bands * settings.rows > num_perm:
        raise ValueError(f"bands * rows exceeds the {num_perm} permutations")
    rows = np.flatnonzero(eligible)
    chunks: list[np.ndarray] = []
    for band in range(settings.bands):
        block = by_permutation[band * settings.rows : (band + 1) * settings.rows]
        keys = _band_keys(block)[rows]
        chunks.extend(_bucket_pairs(rows, keys, settings.max_bucket, n))
    if not chunks:
        return np.empty((0, 2), dtype=np.int64)
    codes = np.unique(np.concatenate(chunks))
    return np.stack(np.divmod(codes, n), axis=1)


def _band_keys(block: np.ndarray) -> np.ndarray:
    # One uint64 per article (column of ``block``), equal for equal band values.
    # Exact for up to 2 rows per band; beyond, a rare collision only adds a
    # candidate that scoring rejects.
    keys = np.zeros(block.shape[1], dtype=np.uint64)
    with np.errstate(over="ignore"):
        for values in block:
            keys = (keys << np.uint64(32)) ^ (keys >> np.uint64(32)) * np.uint64(0x9E3779B97F4A7C15)
            keys ^= values.astype(np.uint64)
    return keys


def _bucket_pairs(
    rows: np.ndarray, keys: np.ndarray, max_bucket: int, n: int
) -> list[np.ndarray]:
    # Pairs within each bucket of 2..max_bucket members, coded i * n + j.
    # A linear pass first drops the articles alone in their hash slot (most of
    # them), so that only the few left are sorted.
    slots = (keys % np.uint64(8 * len(keys) + 1)).astype(np.int64)
    crowded = np.bincount(slots)[slots] > 1
    rows, keys = rows[crowded], keys[crowded]
    order = np.argsort(keys)
    members = rows[order]
    ordered = keys[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    sizes = np.diff(np.r_[starts, len(order)])
    out = []
    for size in np.unique(sizes[(sizes > 1) & (sizes <= max_bucket)]):
        # All buckets of one size at once: an (m, size) array of members.
        group = np.sort(members[starts[sizes == size][:, None] + np.arange(size)], axis=1)
        left, right = np.triu_indices(int(size), k=1)
        out.append((group[:, left] * n + group[:, right]).ravel())
    return out


def datasketch_lsh_pairs(
    signatures: np.ndarray, eligible: np.ndarray, settings: MatchSettings
) -> np.ndarray:
    """The pairs :func:`lsh_pairs` returns, found with datasketch's ``MinHashLSH``
    index instead: the reference the tests and the benchmark compare against.

    Equal results; about 40 times slower and 300 bytes per article and band
    (a Python set per bucket), hence not the default.
    """
    n, num_perm = signatures.shape
    lsh = MinHashLSH(num_perm=num_perm, params=(settings.bands, settings.rows))
    for i in np.flatnonzero(eligible):
        lsh.insert(int(i), LeanMinHash(seed=SEED, hashvalues=signatures[i], scheme=SCHEME),
                   check_duplication=False)
    codes: list[int] = []
    for table in lsh.hashtables:
        for key, count in table.itemcounts().items():
            if 1 < count <= settings.max_bucket:
                members = sorted(table.get(key))
                codes.extend(a * n + b for a, b in combinations(members, 2))
    if not codes:
        return np.empty((0, 2), dtype=np.int64)
    unique = np.unique(np.array(codes, dtype=np.int64))
    return np.stack(np.divmod(unique, n), axis=1)


def shared_value_mask(by_permutation: np.ndarray, max_shared: int) -> np.ndarray:
    """``True`` where a signature value is held by more than ``max_shared``
    articles under the same permutation; in and out ``(num_perm, n)``."""
    mask = np.zeros(by_permutation.shape, dtype=bool)
    if by_permutation.shape[1] <= max_shared:
        return mask
    ordered = np.sort(by_permutation, axis=1)
    # A value held by more than max_shared articles spans that many sorted places.
    heavy = ordered[:, :-max_shared] == ordered[:, max_shared:]
    for perm in np.flatnonzero(heavy.any(axis=1)):
        values = np.unique(ordered[perm, :-max_shared][heavy[perm]])
        mask[perm] = np.isin(by_permutation[perm], values)
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
    fingerprints: Sequence[Fingerprint], settings: MatchSettings | None = None,
    chain_order: np.ndarray | None = None,
) -> np.ndarray:
    """Index pairs ``(i, j)`` judged copies of one story: equal body hashes
    or a confirmed LSH candidate (see the module docstring).

    Bodies under ``settings.min_words`` words are in no pair. Equal bodies are
    chained (each to the next) in ``chain_order`` (a rank per fingerprint; by
    default their order), so that a caller who drops some pairs keeps the
    chains between neighbours of that order.
    """
    settings = settings or MatchSettings()
    if not fingerprints:
        return np.empty((0, 2), dtype=np.int64)
    n_words = np.array([f.words for f in fingerprints], dtype=np.int64)
    shingles = np.array([f.shingles for f in fingerprints], dtype=np.float64)
    eligible = (n_words >= settings.min_words) & (shingles > 0)
    exact = _exact_pairs(fingerprints, eligible, chain_order)
    signatures = signature_matrix(fingerprints)
    by_permutation = np.ascontiguousarray(signatures.T)  # each band and sort reads contiguously
    candidates = lsh_pairs(by_permutation, eligible, settings)
    shared = shared_value_mask(by_permutation, settings.max_shared).T
    scores = score_pairs(candidates, signatures, shingles, shared)
    confirmed = (scores.evidence >= settings.min_evidence) & (
        (scores.jaccard >= settings.jaccard_threshold)
        | (
            (scores.containment >= settings.containment_threshold)
            & (scores.jaccard >= settings.min_containment_jaccard)
        )
    )
    return np.concatenate([exact, candidates[confirmed]])


def _exact_pairs(fingerprints: Sequence[Fingerprint], eligible: np.ndarray,
                 chain_order: np.ndarray | None = None) -> np.ndarray:
    # Chain the articles of each body hash: the groups join them all.
    rows = np.flatnonzero(eligible)
    if not len(rows):
        return np.empty((0, 2), dtype=np.int64)
    digests = np.frombuffer(b"".join(fingerprints[int(i)].body_hash for i in rows), dtype="<u8")
    keys = digests.reshape(-1, 2)
    rank = rows if chain_order is None else np.asarray(chain_order)[rows]
    order = np.lexsort((rows, rank, keys[:, 1], keys[:, 0]))
    same = np.all(keys[order][1:] == keys[order][:-1], axis=1)
    return np.stack([rows[order][:-1][same], rows[order][1:][same]], axis=1)
