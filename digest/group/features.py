"""Per-article features of the group stage: hashed term and name counts.

:func:`item_features` depends on one article's title and text only, so a
caller can compute it in worker processes and cache it by content; the stage
gives the same result whether it receives these features or computes them.
Tokens are identified by a stable 64-bit hash (blake2b), the same in every
process and every run; two distinct tokens collide with probability about
``vocabulary² / 2⁶⁵`` (below 1e-7 for a million distinct tokens).
"""

from __future__ import annotations

import hashlib
import itertools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import cast

import numpy as np

from digest.group.links import Quote, quote_keys, title_keys
from digest.group.similarity import TITLE_WEIGHT, name_tokens, word_tokens
from digest.records import GroupItem
from digest.text import STOP_WORDS, paragraphs

HASH_DTYPE = np.dtype("<u8")  # token hashes: little-endian, so the bytes are the same everywhere
COUNT_DTYPE = np.dtype("<u4")
OUTSIDER_SHARE = 0.2  # a later paragraph sharing less of its words with the rest is left out
_HASH_MEMO_MAX = 1 << 18  # tokens whose hash is remembered per process (about 50 MB at most)
_hash_memo: dict[str, bytes] = {}


@dataclass(frozen=True)
class ItemFeatures:
    """An article's token counts, as packed arrays (compact to pickle and to cache).

    ``terms`` are the distinct content-word hashes in ascending order (``<u8``
    bytes) and ``term_counts`` their counts (``<u4`` bytes, title words
    counted ``TITLE_WEIGHT`` times); ``names`` and ``name_counts`` likewise
    for names (see :func:`digest.group.similarity.name_tokens`). ``title_key``
    and ``lead_key`` are the normalised title and lead that related titles
    are resolved against (see :func:`digest.group.links.title_keys`);
    ``quote_keys`` the same key of each later paragraph, by which a paragraph
    that repeats another page's headline or lead is found (see
    :func:`digest.group.links.quoted_pages`).
    """

    terms: bytes
    term_counts: bytes
    names: bytes
    name_counts: bytes
    title_key: str  # the keys related titles are matched against (see links.title_keys)
    lead_key: str
    quote_keys: tuple[tuple[int, str], ...] = ()  # (paragraph number, key), paragraphs 2...

    def term_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """(hashes, counts) of the content words, as read-only arrays."""
        return np.frombuffer(self.terms, HASH_DTYPE), np.frombuffer(self.term_counts, COUNT_DTYPE)

    def name_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """(hashes, counts) of the names, as read-only arrays."""
        return np.frombuffer(self.names, HASH_DTYPE), np.frombuffer(self.name_counts, COUNT_DTYPE)


def token_hash(token: str) -> int:
    """A stable 64-bit hash of a token (blake2b of its UTF-8), the same in every process."""
    return int.from_bytes(_digest(token), "little")


def _digest(token: str) -> bytes:
    return hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest()


def _packed(counts: Counter[str]) -> tuple[bytes, bytes]:
    """(sorted token hashes, their counts) as bytes; hashes are remembered per process."""
    tokens = list(counts)
    known = list(map(_hash_memo.get, tokens))
    if None in known:
        for p, value in enumerate(known):
            if value is None:
                known[p] = _hash_memo[tokens[p]] = _digest(tokens[p])
        if len(_hash_memo) > _HASH_MEMO_MAX:
            _hash_memo.clear()
    hashes = np.frombuffer(b"".join(cast(list[bytes], known)), dtype=HASH_DTYPE)  # all filled
    values = np.fromiter(counts.values(), dtype=COUNT_DTYPE, count=len(counts))
    order = np.argsort(hashes)  # distinct hashes: the order is unique
    return hashes[order].tobytes(), values[order].tobytes()


def term_counts(title: str, text: str) -> Counter[str]:
    """Counts of :func:`digest.group.similarity.article_terms` of an article, computed faster.

    Words are counted first and stop words and one-letter words dropped from
    the counts, rather than from the (longer) list of words.
    """
    counts = Counter(word_tokens(title))
    for term in counts:
        counts[term] *= TITLE_WEIGHT
    counts.update(word_tokens(text))
    short = itertools.compress(counts, map((2).__gt__, map(len, counts)))  # no Python loop
    for term in [*short, *STOP_WORDS.intersection(counts)]:
        counts.pop(term, None)  # "a" is both
    return counts


def own_text(title: str, text: str) -> str:
    """``text`` without its outsider paragraphs: after the first, those that share less than
    ``OUTSIDER_SHARE`` of their content words with the title and the other paragraphs.

    Such a paragraph is most often another page's headline or lead left in the body (a
    "read more" line); the article's own paragraphs share their words with the rest of it
    (on the gold bodies of ``scraped-gen``: 9.5% of them fall below 0.2, 91% of the inline
    headlines do). Leaving one out of the grouping evidence costs little either way: what
    the article's own text does not share, its story's other articles share no better.
    """
    parts = paragraphs(text)
    if len(parts) < 2:
        return text
    sets = [set(word_tokens(p)).difference(STOP_WORDS) for p in parts]
    held: Counter[str] = Counter()
    for words in sets:
        held.update(words)
    headline = set(word_tokens(title))
    kept = [parts[0]]
    for part, words in zip(parts[1:], sets[1:], strict=True):
        shared = sum(1 for w in words if w in headline or held[w] > 1)
        if not words or shared >= OUTSIDER_SHARE * len(words):
            kept.append(part)
    return "\n\n".join(kept)


def item_features(title: str, text: str) -> ItemFeatures:
    """The features of one article (a pure function of its title and text): its words and
    names are those of its title and :func:`own_text`."""
    own = own_text(title, text)
    names = Counter(name_tokens(title))
    names.update(name_tokens(own))
    return ItemFeatures(*_packed(term_counts(title, own)), *_packed(names),
                        *title_keys(title, text), quote_keys(text))


def features_of(items: Sequence[GroupItem],
                given: Sequence[ItemFeatures] | None = None) -> list[ItemFeatures]:
    """``given`` (checked to align with ``items``) or the features computed from the items."""
    if given is None:
        return [item_features(item.title, item.text) for item in items]
    if len(given) != len(items):
        raise ValueError(f"{len(given)} features given for {len(items)} items")
    return list(given)


def unquoted_features(items: Sequence[GroupItem], features: Sequence[ItemFeatures],
                      quotes: Sequence[Quote]) -> list[ItemFeatures]:
    """The features, with those of each article that quotes another page (see
    :func:`digest.group.links.quoted_pages`) computed again without the quoted paragraphs:
    a "read more" line left in a body is another story's words, and would make the two
    look alike. Titles and leads (what links resolve against) stay as they were."""
    dropped: dict[int, set[int]] = {}
    for quote in quotes:
        dropped.setdefault(quote.source, set()).add(quote.paragraph)
    out = list(features)
    for i, numbers in dropped.items():
        kept = [p for n, p in enumerate(paragraphs(items[i].text)) if n not in numbers]
        own = item_features(items[i].title, "\n\n".join(kept))
        out[i] = replace(own, title_key=features[i].title_key, lead_key=features[i].lead_key,
                         quote_keys=features[i].quote_keys)
    return out
