"""Resolving "Related Articles" titles to articles of the corpus.

A related title names another page, often not verbatim: publishers reword it,
truncate it (with or without "…"), or show the page's lead sentence instead of
its headline. Each title is resolved in three steps, the first that succeeds
wins:

1. exact: its normalised form equals an article's normalised title or lead;
2. prefix: it is a truncation of an article's normalised title or lead;
3. fuzzy: rapidfuzz similarity against the few articles that share its rarest
   words (blocking keeps this linear in the corpus).

Titles that resolve to nothing are kept under their normalised form, so that
several articles naming the same missing page still share evidence.
"""

from __future__ import annotations

import bisect
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

from rapidfuzz import fuzz

from digest.records import GroupItem
from digest.text import STOP_WORDS, normalize_title, paragraphs

LEAD_WORDS = 40  # words of the body kept as the article's "lead" key: longer than any lead title
MAX_AMBIGUOUS = 4  # a title matching more articles than this names no one page: unresolved
MIN_PREFIX_WORDS = 4  # a truncation shorter than this is too ambiguous to resolve by prefix
# words of a later paragraph it is matched by against titles and leads: as specific as a
# headline, and the per-article features the cache keeps stay small (a 40-word key for
# every paragraph more than doubled them)
QUOTE_KEY_WORDS = 12
PREFIX_CONFIDENCE = 0.95  # a word-aligned truncation of >= MIN_PREFIX_WORDS words
FUZZY_CUTOFF = 82.0  # rapidfuzz score (0-100) from which a fuzzy match is accepted
FUZZY_BLOCK_WORDS = 3  # rarest words of a title used to look up fuzzy candidates
FUZZY_MAX_CANDIDATES = 64  # candidates scored per title; bounds the cost on common words
ELLIPSES = ("…", "...")


@dataclass(frozen=True)
class Link:
    """One related title of one article, resolved or not.

    ``targets`` are indices into the items: one, or a few when the title
    names several articles verbatim (wire copies sharing a headline), empty
    when unresolved; ``key`` is the normalised title (the shared key of
    unresolved titles); ``titles`` are the article's related titles with that
    key, as it lists them (the first is the one resolved); ``confidence`` is
    1.0 for exact matches, lower for prefix and fuzzy ones.
    """

    source: int
    key: str
    targets: tuple[int, ...]
    confidence: float
    how: str  # "exact", "prefix", "fuzzy" or "none"
    titles: tuple[str, ...] = ()


def _lead_key(text: str) -> str:
    head = text.split(maxsplit=LEAD_WORDS * 2)[: LEAD_WORDS * 2]
    return " ".join(normalize_title(" ".join(head)).split()[:LEAD_WORDS])


def title_keys(title: str, text: str) -> tuple[str, str]:
    """The keys an article is found by: its normalised title and its lead (either may be empty)."""
    return normalize_title(title), _lead_key(text)


def quote_keys(text: str) -> tuple[tuple[int, str], ...]:
    """(paragraph number, its first ``QUOTE_KEY_WORDS`` normalised words) of each paragraph
    after the first with at least ``MIN_PREFIX_WORDS`` words: what a quoted headline or
    lead is found by (the key, or a title or lead the key begins)."""
    found = []
    for number, paragraph in enumerate(paragraphs(text)[1:], start=1):
        key = " ".join(_lead_key(paragraph).split()[:QUOTE_KEY_WORDS])
        if key.count(" ") + 1 >= MIN_PREFIX_WORDS:
            found.append((number, key))
    return tuple(found)


class TitleIndex:
    """Normalised titles and leads of the corpus, for exact, prefix and fuzzy look-up.

    ``keys`` are the items' :func:`title_keys`, computed if not given.
    """

    def __init__(self, items: Sequence[GroupItem],
                 keys: Sequence[tuple[str, str]] | None = None) -> None:
        self.exact: dict[str, list[int]] = defaultdict(list)
        keyed: list[tuple[str, int]] = []
        for i, item in enumerate(items):
            for key in set(keys[i] if keys is not None else title_keys(item.title, item.text)):
                if key:
                    self.exact[key].append(i)
                    keyed.append((key, i))
        keyed.sort()
        self._sorted_keys = [k for k, _ in keyed]
        self._sorted_ids = [i for _, i in keyed]
        self._keys_of: dict[int, list[str]] = defaultdict(list)
        for key, i in keyed:
            self._keys_of[i].append(key)
        self._postings: dict[str, list[int]] = defaultdict(list)
        for i, own in self._keys_of.items():
            for word in {w for key in own for w in key.split()[:LEAD_WORDS]}:
                if word not in STOP_WORDS:
                    self._postings[word].append(i)

    def by_prefix(self, prefix: str) -> list[int]:
        """Ids of articles whose title or lead starts with ``prefix`` (word-aligned)."""
        lo = bisect.bisect_left(self._sorted_keys, prefix)
        found: list[int] = []
        for pos in range(lo, len(self._sorted_keys)):
            key = self._sorted_keys[pos]
            if not key.startswith(prefix):
                break
            if len(key) == len(prefix) or key[len(prefix)] == " ":
                found.append(self._sorted_ids[pos])
        return sorted(set(found))

    def fuzzy(self, key: str) -> tuple[int | None, float]:
        """The best fuzzy match of ``key`` and its score in [0, 100]; ties go to the lower id."""
        words = [w for w in set(key.split()) if w in self._postings]
        if not words:
            return None, 0.0
        words.sort(key=lambda w: (len(self._postings[w]), w))
        votes: Counter[int] = Counter()
        for word in words[:FUZZY_BLOCK_WORDS]:
            votes.update(self._postings[word][: FUZZY_MAX_CANDIDATES * 4])
        candidates = sorted(votes, key=lambda i: (-votes[i], i))[:FUZZY_MAX_CANDIDATES]
        best, best_score = None, 0.0
        for i in sorted(candidates):
            for candidate_key in self._keys_of[i]:
                head = candidate_key[: len(key) + 10]
                score = max(fuzz.ratio(key, candidate_key), fuzz.ratio(key, head),
                            fuzz.token_sort_ratio(key, candidate_key))
                if score > best_score:
                    best, best_score = i, score
        return best, best_score

    def resolve(self, title: str) -> tuple[tuple[int, ...], float, str]:
        """(article indices, confidence in [0, 1], how) for one related title.

        Guarantees: an exact normalised match always wins with confidence 1.0;
        a title matching several articles (copies sharing a headline or lead)
        resolves to all of them, up to ``MAX_AMBIGUOUS``, beyond which it is
        left unresolved; indices are sorted.
        """
        key = normalize_title(title)
        if not key:
            return (), 0.0, "none"
        hits = sorted(set(self.exact.get(key, [])))
        if hits:
            return (tuple(hits), 1.0, "exact") if len(hits) <= MAX_AMBIGUOUS else ((), 0.0, "none")
        words = key.split()
        truncated = title.rstrip().endswith(ELLIPSES)
        if truncated and len(words) > 1:
            words = words[:-1]  # the last word may be cut mid-word
        if len(words) >= MIN_PREFIX_WORDS:
            hits = self.by_prefix(" ".join(words))
            if hits:
                if len(hits) <= MAX_AMBIGUOUS:
                    return tuple(hits), PREFIX_CONFIDENCE, "prefix"
                return (), 0.0, "none"
        target, score = self.fuzzy(key)
        if target is not None and score >= FUZZY_CUTOFF:
            return (target,), score / 100.0, "fuzzy"
        return (), 0.0, "none"


def resolve_links(items: Sequence[GroupItem],
                  keys: Sequence[tuple[str, str]] | None = None,
                  index: TitleIndex | None = None) -> list[Link]:
    """Every related title of every item, resolved against the items themselves.

    Self-links are dropped; a title is resolved once however many articles name
    it, and titles of one article with the same key make one link. ``keys`` are
    the items' :func:`title_keys`, computed if not given; ``index`` the items'
    :class:`TitleIndex`, built from them if not given.
    """
    index = index if index is not None else TitleIndex(items, keys)
    cache: dict[str, tuple[str, tuple[int, ...], float, str]] = {}
    links: list[Link] = []
    for source, item in enumerate(items):
        seen: dict[str, int | None] = {}  # key -> position of its link (None: a self-link)
        for title in item.related:
            if title not in cache:
                cache[title] = (normalize_title(title), *index.resolve(title))
            key, targets, confidence, how = cache[title]
            if not key:
                continue
            if key in seen:
                at = seen[key]
                if at is not None:
                    links[at] = replace(links[at], titles=(*links[at].titles, title))
                continue
            targets = tuple(t for t in targets if t != source)
            if how != "none" and not targets:
                seen[key] = None  # the article names itself
                continue
            seen[key] = len(links)
            links.append(Link(source, key, targets, confidence, how, (title,)))
    return links


@dataclass(frozen=True)
class Quote:
    """A later paragraph of article ``source`` that repeats the headline or lead of the
    ``targets``: a link the page printed inside its text (a "read more" line), not its
    own words."""

    source: int
    paragraph: int
    targets: tuple[int, ...]


def quoted_pages(items: Sequence[GroupItem], quotes: Sequence[Sequence[tuple[int, str]]],
                 index: TitleIndex) -> list[Quote]:
    """The paragraphs (after the first) of each item whose first words (their
    :func:`quote_keys`, given as ``quotes``) are another item's headline, or the start of
    its headline or lead, word for word once normalised. A paragraph naming more than
    ``MAX_AMBIGUOUS`` items (a line many pages open with) is a quote of no one page, and is
    not reported."""
    found: list[Quote] = []
    for source, keys in enumerate(quotes):
        for number, key in keys:
            hits = index.exact.get(key) or index.by_prefix(key)
            targets = tuple(sorted({t for t in hits if t != source}))
            if targets and len(targets) <= MAX_AMBIGUOUS:
                found.append(Quote(source, number, targets))
    return found


def popularity_weight(count: int) -> float:
    """Weight of evidence through a target linked by ``count`` articles.

    Inverse-log popularity: a page linked from one or two articles counts
    fully, a hub linked from everywhere counts little (1 / (1 + ln count)).
    """
    return 1.0 / (1.0 + math.log(max(count, 1)))
