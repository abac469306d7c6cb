"""Per-article fingerprints: what corpus-wide duplicate detection works from.

A :class:`Fingerprint` is computed from one article's clean body alone, so the
pipeline can map :func:`fingerprint` over articles in a process pool and cache
the result (541 bytes with the default 128 permutations) by content hash.
It holds

- an exact hash of the body's word sequence (exact copies, whatever their
  punctuation, case or paragraph breaks),
- the number of distinct word shingles and words (to estimate containment and
  to tell the fullest version of a story),
- a MinHash signature (datasketch, ``affine32`` scheme) of the word shingles.
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from datasketch import LeanMinHash, MinHash

from digest.text import words

SHINGLE_WORDS = 5
"""Words per shingle. On the replicated, cleaned generated corpus (20k
articles, benchmarks/dedupe.py --sweep) 3 words merged 28 pairs of distinct
stories (2 of them hard negatives), 4 words 1, 5 and 7 none, all at recall
0.999; 5 keeps more shingles through each edited word than 7."""

NUM_PERM = 128
"""MinHash permutations: the Jaccard estimate's standard error is at most
0.044 (sqrt(0.25/128)). On the replicated corpus 64 lost 2% of update pairs
and merged 3 distinct pairs; 256 found the same pairs for twice the
signature size and time (benchmarks/dedupe.py --sweep)."""

SEED = 1
"""Seed of the MinHash permutations; fingerprints compare only under one seed."""

SCHEME = "affine32"
"""datasketch's permutation scheme: 32-bit values, 4 bytes per permutation."""
_FORMAT = 2  # 2: web addresses left out of the words
_WEB_ADDRESS = re.compile(r"(?<![\w@])(?:[a-z][a-z0-9+.-]*://|www\.)[^\s<>\"]+")
_HEADER = struct.Struct("<BHHII16s")  # format, num_perm, shingle words, shingles, words, hash
_WORD_MULTIPLIERS = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
     0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x94D049BB133111EB, 0xBF58476D1CE4E5B9],
    dtype=np.uint64,
)
MAX_SHINGLE_WORDS = len(_WORD_MULTIPLIERS)

FINGERPRINT_KEY = f"fp{_FORMAT}-w{SHINGLE_WORDS}-p{NUM_PERM}-s{SEED}-{SCHEME}"
"""Names the default fingerprint settings: put it in cache keys, so that
fingerprints made under other settings (not comparable) are recomputed."""


@dataclass(frozen=True)
class Fingerprint:
    """The compact, picklable digest of one article body.

    ``signature`` is ``num_perm`` little-endian uint32 MinHash values;
    ``shingles`` counts distinct word shingles, ``words`` counts word tokens,
    ``body_hash`` is a 16-byte BLAKE2b digest of the normalised word sequence.
    Equal bodies up to case, punctuation and paragraph breaks have equal
    ``body_hash``.
    """

    body_hash: bytes
    shingles: int
    words: int
    signature: bytes
    shingle_words: int = SHINGLE_WORDS

    @property
    def num_perm(self) -> int:
        """Number of MinHash permutations in the signature."""
        return len(self.signature) // 4

    def hashvalues(self) -> np.ndarray:
        """The signature as a read-only uint32 array."""
        return np.frombuffer(self.signature, dtype="<u4")

    def minhash(self) -> LeanMinHash:
        """The signature as a datasketch ``LeanMinHash`` (for ``MinHashLSH``)."""
        return LeanMinHash(seed=SEED, hashvalues=self.hashvalues(), scheme=SCHEME)

    def to_bytes(self) -> bytes:
        """A stable byte serialisation; :meth:`from_bytes` reverses it exactly."""
        header = _HEADER.pack(
            _FORMAT, self.num_perm, self.shingle_words, self.shingles, self.words, self.body_hash
        )
        return header + self.signature

    @classmethod
    def from_bytes(cls, data: bytes) -> Fingerprint:
        """Read what :meth:`to_bytes` wrote; raise ``ValueError`` on anything else."""
        if len(data) < _HEADER.size:
            raise ValueError("fingerprint bytes too short")
        fmt, num_perm, shingle_words, shingles, n_words, body_hash = _HEADER.unpack_from(data)
        signature = data[_HEADER.size :]
        if fmt != _FORMAT or len(signature) != 4 * num_perm:
            raise ValueError(f"not a fingerprint in format {_FORMAT}")
        return cls(body_hash, shingles, n_words, bytes(signature), shingle_words)


def body_words(body: Sequence[str]) -> list[str]:
    """The body's word tokens after Unicode (NFKC), case and apostrophe folding; web
    addresses left out (a link's path, an id or a tracking code is no story's text, and one
    source's posts differ in them alone)."""
    text = unicodedata.normalize("NFKC", "\n".join(body)).casefold().replace("’", "'")
    return words(_WEB_ADDRESS.sub(" ", text))


def shingle_hashes(tokens: Sequence[str], size: int = SHINGLE_WORDS) -> np.ndarray:
    """Distinct 32-bit hashes of the ``size``-word shingles of ``tokens``.

    A text shorter than ``size`` words is one shingle; an empty text has none.
    Hashes are stable across processes and Python versions (CRC-32 per word,
    then a fixed mix), so fingerprints can be cached.
    """
    if not 1 <= size <= MAX_SHINGLE_WORDS:
        raise ValueError(f"shingle size must be 1..{MAX_SHINGLE_WORDS}")
    if not tokens:
        return np.empty(0, dtype=np.uint32)
    ids = np.fromiter(map(_word_ids(tokens).__getitem__, tokens), dtype=np.uint64,
                      count=len(tokens))
    span = min(size, len(ids))
    n = len(ids) - span + 1
    mixed = np.zeros(n, dtype=np.uint64)
    for k in range(span):
        mixed ^= ids[k : k + n] * _WORD_MULTIPLIERS[k]
        mixed = (mixed << np.uint64(7)) | (mixed >> np.uint64(57))
    return np.unique((mixed >> np.uint64(32)).astype(np.uint32))


def fingerprint(
    body: Sequence[str],
    *,
    shingle_words: int = SHINGLE_WORDS,
    num_perm: int = NUM_PERM,
) -> Fingerprint:
    """The fingerprint of one clean article body (a sequence of paragraphs).

    Pure and deterministic: the same body gives byte-identical fingerprints in
    any process. An empty body gives ``shingles == 0`` and a signature that
    matches nothing.
    """
    tokens = body_words(body)
    digest = hashlib.blake2b(" ".join(tokens).encode("utf-8"), digest_size=16).digest()
    hashes = shingle_hashes(tokens, shingle_words)
    minhash = MinHash(
        num_perm=num_perm,
        seed=SEED,
        hashfunc=int,
        permutations=_permutations(num_perm),
        scheme=SCHEME,
    )
    if len(hashes):
        minhash.update_batch(hashes.tolist())
    signature = minhash.hashvalues.astype("<u4").tobytes()
    return Fingerprint(digest, len(hashes), len(tokens), signature, shingle_words)


@lru_cache(maxsize=4)
def _permutations(num_perm: int) -> np.ndarray:
    # Drawing the permutations is the slow part of a new MinHash: do it once.
    return MinHash(num_perm=num_perm, seed=SEED, scheme=SCHEME).permutations


_WORD_IDS: dict[str, int] = {}
_WORD_IDS_MAX = 1 << 20  # about 100 MB at most; replaced by a new memo when full


def _word_ids(tokens: Sequence[str]) -> dict[str, int]:
    # A stable 64-bit id per word (CRC-32 and length), memoised per process.
    # When full the memo is replaced, never cleared, so a caller in another
    # thread keeps a complete mapping for its own tokens.
    global _WORD_IDS
    memo = _WORD_IDS
    missing = set(tokens).difference(memo)
    if len(memo) + len(missing) > _WORD_IDS_MAX:
        memo = _WORD_IDS = {}
        missing = set(tokens)
    for word in missing:
        memo[word] = zlib.crc32(word.encode("utf-8")) | (len(word) << 32)
    return memo
