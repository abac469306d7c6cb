"""Repeated blocks inside one page: each paragraph once, the fuller copy wins.

Scrapers capture the body twice, pages repeat a teaser or a pull quote, print
versions are appended. A paragraph whose words all occur, in order, inside
another paragraph of the same page is a copy of (part of) it.
"""

from __future__ import annotations

from functools import lru_cache

from digest.clean.lines import CACHE_SIZE, WORD


@lru_cache(maxsize=CACHE_SIZE)
def repeat_key(text: str) -> str:
    """The comparison form of a paragraph: its lower-cased words, space-joined."""
    return " ".join(WORD.findall(text.lower()))


def collapse_repeats(paragraphs: list[str], min_key_chars: int = 12) -> list[int]:
    """Indices of the paragraphs to keep, in reading order, each text once.

    Guarantees: no kept paragraph's key equals or lies inside (at word
    boundaries) another kept paragraph's key; where a paragraph is contained
    in a longer one, the longer (fuller) copy is kept and stands at the
    position of the first copy read. Keys shorter than ``min_key_chars`` (a
    few words like "he said.") are only collapsed when exactly equal, so
    short real sentences are not swallowed by chance matches.
    """
    keys = [repeat_key(p) for p in paragraphs]
    # One joined string lets C-speed substring search find every container at once.
    joined = "\x00 " + " \x00 ".join(keys) + " \x00"
    starts: list[int] = []
    pos = 2
    for key in keys:
        starts.append(pos)
        pos += len(key) + 3
    owner: list[int] = list(range(len(keys)))
    for i, key in enumerate(keys):
        if not key:
            continue
        needle = " " + key + " "
        if joined.count(needle) < 2:
            continue
        best = i
        at = joined.find(needle)
        while at != -1:
            j = _index_at(starts, at + 1)
            fuller = len(keys[j]) > len(keys[best]) or (
                len(keys[j]) == len(keys[best]) and j < best
            )
            if j != i and fuller and (len(key) >= min_key_chars or keys[j] == key):
                best = j
            at = joined.find(needle, at + 1)
        owner[i] = best
    # Follow chains (a inside b inside c) to the fullest copy.
    for i in range(len(owner)):
        j = owner[i]
        seen = 0
        while owner[j] != j and seen < len(owner):
            j = owner[j]
            seen += 1
        owner[i] = j
    kept: list[int] = []
    placed: set[int] = set()
    for i, key in enumerate(keys):
        if not key:
            continue
        j = owner[i]
        if j not in placed:
            placed.add(j)
            kept.append(j)
    return kept


def _index_at(starts: list[int], offset: int) -> int:
    """The paragraph whose key spans ``offset`` in the joined string."""
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo
