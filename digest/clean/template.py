"""A source's template: text it repeats on its items is the source's, not the story's.

Feeds and other structured sources add their own text to item after item: a "Continue
reading…" link, "The post <title> appeared first on <site>", a sign-off, a thank-you for
reading, a podcast's "show notes at …" line. To a reader that is furniture, and it is no
evidence that two items tell one story. It is learned per source from what recurs across the
source's items (those of this build and those remembered from earlier builds, so that a feed
of three items still has a history), never from a list of phrases.

A *unit* is one paragraph of an item's body, or the last sentence of its last paragraph (a
"Continue reading" glued to a teaser), compared by its words (case, punctuation and spacing
aside) with the item's own title masked, so "The post <title> appeared first on …" recurs.
A unit is template when the items holding it tell at least ``max(min_items, min_share * n)``
distinct stories (``n``: the items read), or half of them for a paragraph-sized passage:
items that share another passage of own text are versions of one story and count once, so
the paragraphs that an update repeats from its first version stay text.

Units are kept as short hashes: a source's remembered items cost a few hundred bytes each.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from digest.clean.lines import WORD
from digest.records import Cleaned

MIN_ITEMS = 3
"""Fewest distinct stories a unit must recur in: two items sharing a line prove nothing, a
source's third story with it does."""
MIN_SHARE = 0.05
"""Share of the items read a unit must recur in: an aggregator's feed mixes publishers, and
one publisher's footer on its twentieth of the items is still that publisher's template."""
LONG_WORDS = 25
"""Words from which a passage is paragraph-sized: a boilerplate paragraph (a disclaimer, a
thank-you for reading) stands on most of a source's items, while a series of posts may share
an introduction on a few."""
LONG_SHARE = 0.5
"""Share of the items a paragraph-sized passage must recur in to be template."""
STORY_WORDS = 8
"""Words from which a shared passage of own text makes two items versions of one story."""
REMEMBERED = 100
"""Items per source remembered between builds (their unit hashes) for learning."""

_SENTENCE_END = re.compile(r"[.!?…。！？](?:[\"'”’»)\]]*)\s+(?=\S)")
# a closing truncation mark, read on a paragraph's stripped end (no leading \s*: a run of
# spaces before a search would be scanned from each of its positions, quadratic)
_ELLIPSIS_MARK = re.compile(r"[\[(](?:\.\s?){2,3}\.?[\])]$|[\[(]…[\])]$")
_MARK_ONLY = re.compile(r"^[\W_]*$")


@dataclass(frozen=True)
class ItemUnits:
    """What template learning reads of one item: the hash and word count of each unit, and
    the item's id (what an item remembered from an earlier build is known by)."""

    id: str
    keys: tuple[str, ...]
    words: tuple[int, ...]


def unit_key(text: str, title: str = "") -> str:
    """A unit's comparison form, hashed: its lower-cased words, the title's words masked;
    "" (never template) when nothing but the title is left."""
    return _key(WORD.findall(text.casefold()), " ".join(WORD.findall(title.casefold())))


def _key(words: list[str], own: str) -> str:
    """:func:`unit_key` of a unit's words, ``own`` the title's words joined."""
    joined = " ".join(words)
    if own.count(" ") >= 1:  # a title of two words or more: one word recurs by chance
        joined = f" {joined} ".replace(f" {own} ", " \x00 ").strip()
    if not joined.replace("\x00", "").strip():
        return ""
    return hashlib.blake2b(joined.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def _units(body: Sequence[str]) -> list[tuple[int, str]]:
    """(paragraph index, text) of each unit: every paragraph with words, and the last
    sentence of the last one when it has more than one (index ``-1``)."""
    out = [(i, p) for i, p in enumerate(body) if WORD.search(p)]
    if body:
        tail = trailing_sentence(body[-1])
        if tail:
            out.append((-1, tail))
    return out


def trailing_sentence(paragraph: str) -> str:
    """The paragraph's last sentence when it has more than one and that one has words."""
    ends = [m.end() for m in _SENTENCE_END.finditer(paragraph)]
    if not ends:
        return ""
    tail = paragraph[ends[-1]:].strip()
    return tail if WORD.search(tail) else ""


def item_units(item_id: str, title: str, body: Sequence[str]) -> ItemUnits:
    """The units of one item (see the module docstring)."""
    own = " ".join(WORD.findall(title.casefold()))
    keys: list[str] = []
    counts: list[int] = []
    for _, text in _units(body):
        words = WORD.findall(text.casefold())
        keys.append(_key(words, own))
        counts.append(len(words))
    return ItemUnits(item_id, tuple(keys), tuple(counts))


def learn_template(items: Sequence[ItemUnits], min_items: int = MIN_ITEMS,
                   min_share: float = MIN_SHARE, long_share: float = LONG_SHARE,
                   long_words: int = LONG_WORDS, story_words: int = STORY_WORDS
                   ) -> frozenset[str]:
    """The unit hashes that are the source's template, learned from its ``items``.

    Guarantees: every unit returned recurs in items that tell at least
    ``max(min_items, min_share * n)`` distinct stories (``n``: the items), and at least
    ``max(min_items, long_share * n)`` when it has ``long_words`` words or more. Items that
    share a passage of own text (``story_words``+ words, not template by its count) are
    versions of one story and count once, so copies never make their shared text template.
    """
    short_need = max(min_items, min_share * len(items))
    long_need = max(min_items, long_share * len(items))
    holders: defaultdict[str, set[int]] = defaultdict(set)
    words: dict[str, int] = {}
    for n, item in enumerate(items):
        for key, count in zip(item.keys, item.words, strict=True):
            if key:
                holders[key].add(n)
                words[key] = count

    def need(key: str) -> float:
        return long_need if words[key] >= long_words else short_need

    candidates = [k for k, held in holders.items() if len(held) >= need(k)]
    if not candidates:
        return frozenset()
    story = _StoryOf(len(items))
    for key, held in holders.items():
        if 1 < len(held) < need(key) and words[key] >= story_words:
            story.join(held)
    return frozenset(k for k in candidates
                     if len({story.find(i) for i in holders[k]}) >= need(k))


class _StoryOf:
    """Items joined into stories by the passages of own text they share (union-find)."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, items: Iterable[int]) -> None:
        first = None
        for i in items:
            root = self.find(i)
            if first is None:
                first = root
            elif root != first:
                self.parent[root] = first


def without_template(cleaned: Cleaned, template: frozenset[str]
                     ) -> tuple[Cleaned, tuple[str, ...]]:
    """The item without its source's template units, and the units left out.

    A template paragraph is dropped wherever it stands; a template last sentence is cut from
    the last paragraph. Then a body's closing truncation mark ("[...]", "[…]") becomes "…",
    and a paragraph of marks alone ("…", "[...]") is dropped: the shape of a cut teaser in
    any language.
    """
    body = list(cleaned.body)
    removed: list[str] = []
    if template:
        drop: set[int] = set()
        for (index, text), key in zip(_units(body), item_units("", cleaned.title, body).keys,
                                      strict=True):
            if key not in template:
                continue
            removed.append(text)
            if index >= 0:
                drop.add(index)
            elif len(body) - 1 not in drop:
                body[-1] = body[-1][: len(body[-1]) - len(text)].rstrip()
        body = [p for i, p in enumerate(body) if i not in drop]
    body = [p for p in body if not _MARK_ONLY.match(p)]
    if body:
        end = body[-1].rstrip()
        mark = _ELLIPSIS_MARK.search(end[-12:])
        if mark:
            body[-1] = end[: len(end) - len(mark.group())].rstrip() + "…"
    if tuple(body) == cleaned.body:
        return cleaned, tuple(removed)
    return replace(cleaned, body=tuple(body)), tuple(removed)
