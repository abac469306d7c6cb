"""Where the article's main text lies among a page's units.

Helpers for :func:`digest.clean.structure.clean_page` that judge stretches of
the page by the prose they hold (word counts of units classified ``prose``),
never by any publisher's wording.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence, Set
from typing import Protocol, TypeVar

from digest.clean import lines as L

# A comments header ("4 Comments") printed in the article's head is a link to the
# comments, not their start: below this many words of prose above it, the article
# has not been read yet. Measured on real pages (even half of the dev set).
MIN_ARTICLE_WORDS_BEFORE_COMMENTS = 80
# A bare count or label ("4 Comments", "Comments (12)") is how such a link reads;
# a header naming the article ("12 responses to ...") or commenters' "name says:"
# lines are the section itself.
_BARE_COMMENTS_LABEL = re.compile(
    r"(?i)^(?:\d+\s+)?(?:reader\s+)?(?:comments?|responses?|replies|thoughts)\s*(?:\(\d+\))?$"
)


class UnitLike(Protocol):
    """What these helpers read of a unit."""

    text: str
    kind: str


U = TypeVar("U", bound=UnitLike)


def comments_cut(
    units: Sequence[U],
    start: int,
    end: int,
    opens: Callable[[Sequence[U], int], bool],
    min_words: int = MIN_ARTICLE_WORDS_BEFORE_COMMENTS,
) -> int | None:
    """The unit in ``start..end`` where readers' comments begin, or None.

    It is the first unit for which ``opens`` holds that is not a bare label
    ("4 Comments") or has at least ``min_words`` words of prose units between
    ``start`` and itself; bare labels with less above them (a comment count
    beside the headline) are passed over.
    """
    words = 0
    for i in range(start, min(end, len(units) - 1) + 1):
        if opens(units, i) and (
            words >= min_words or not _BARE_COMMENTS_LABEL.match(units[i].text.strip())
        ):
            return i
        if units[i].kind == "prose":
            words += L.word_count(units[i].text)
    return None


# Prose lines further apart than this many other units belong to different blocks
# (an article's subheads, captions and ad slots interrupt it for fewer).
BLOCK_GAP = 6
UNENDED_SHARE = 0.5  # see block_weight


def is_text(unit: UnitLike) -> bool:
    """Whether the unit reads as article text: prose, or a short line ending like a sentence."""
    return unit.kind == "prose" or (unit.kind == "short" and L.has_punctuation_end(unit.text))


def prose_blocks(
    units: Sequence[UnitLike],
    prose_at: Sequence[int],
    gap: int = BLOCK_GAP,
    items: Set[int] = frozenset(),
) -> list[tuple[int, int]]:
    """The page's prose units grouped into blocks, as (first, last) unit indices.

    Guarantees: blocks are in page order, cover every index of ``prose_at``
    (which must be sorted), and two consecutive prose units share a block
    exactly when fewer than ``gap`` units that are neither text (:func:`is_text`)
    nor list items (``items``, see :func:`list_items`) stand between them.
    """
    blocks: list[tuple[int, int]] = []
    for i in prose_at:
        if blocks:
            last = blocks[-1][1]
            between = sum(
                1 for j in range(last + 1, i) if not is_text(units[j]) and j not in items
            )
            if between < gap:
                blocks[-1] = (blocks[-1][0], i)
                continue
        blocks.append((i, i))
    return blocks


def list_items(units: Sequence[UnitLike]) -> set[int]:
    """The short units in a run right under a line that ends in a colon: the items of
    a list the article introduces ("Ingredients:", "... the following:")."""
    out: set[int] = set()
    listing = False
    for j, u in enumerate(units):
        introduces = u.text.rstrip().endswith(":")
        if listing and u.kind == "short" and not introduces:
            out.add(j)
            continue
        listing = introduces and u.kind in ("short", "prose")
    return out


def block_weight(
    units: Sequence[UnitLike], block: tuple[int, int], items: Set[int] = frozenset()
) -> float:
    """Prose words in the block times the share of its units that are prose (list
    items, ``items``, left out of the count).

    Paragraphs that follow one another weigh more than as many words spread
    over teasers, each under a headline of its own; words of a prose unit that
    does not end like a sentence (a run-on line of links) count half.
    """
    first, last = block
    span = units[first : last + 1]
    prose = [u for u in span if u.kind == "prose"]
    words = sum(
        L.word_count(u.text) * (1.0 if L.ends_like_sentence(u.text) else UNENDED_SHARE)
        for u in prose
    )
    listed = sum(1 for j in range(first, last + 1) if j in items)
    return words * len(prose) / (len(span) - listed)


def main_block(
    units: Sequence[UnitLike], prose_at: Sequence[int], gap: int = BLOCK_GAP
) -> tuple[int, int] | None:
    """The heaviest block of :func:`prose_blocks` (the first of equals), or None if no
    prose; the items of a list the article introduces join its blocks."""
    items = list_items(units)
    blocks = prose_blocks(units, prose_at, gap, items)
    if not blocks:
        return None
    return max(blocks, key=lambda b: block_weight(units, b, items))


# The printed headline stands at most this many units above the article's first
# paragraph (byline, date, share tools and a photo caption between them).
HEADLINE_LEAD = 8
HEADLINE_SHARE = 0.4  # of the window title's characters: "Headline - Site Name"
MAX_TRAILING_WORDS = 4  # a comment count or a label printed after the headline
MIN_WINDOW_HEADLINE_WORDS = 5  # a shorter window title is a site's name, not a headline


def printed_headline(
    units: Sequence[UnitLike], prose_at: Sequence[int]
) -> tuple[int, int, str] | None:
    """The printed headline, the first prose unit under it (unit indices) and the
    headline's text, when the page opens with its window title ("Headline | Site"; a
    paragraph followed by another is the article's start, not a window title).

    The headline is the first later unit of 3+ words whose text is the first
    unit's with the site's words left out (see :func:`_window_title_of`) and at
    least HEADLINE_SHARE of its length, or the first unit's text itself (if of
    MIN_WINDOW_HEADLINE_WORDS+ words) with up to MAX_TRAILING_WORDS after it
    ("... 12 Comments"), with a prose unit
    (``prose_at``, sorted) within HEADLINE_LEAD units below it: a copy of the
    title in a list of links has none. Prose above it is the site's.
    """
    if len(units) < 3 or units[0].kind not in ("short", "prose", "cta") or (
        units[0].kind == "prose" and units[1].kind == "prose"
    ):
        return None
    window = units[0].text
    first = window.casefold()
    shortest = HEADLINE_SHARE * len(window)
    with_trailing = L.word_count(window) >= MIN_WINDOW_HEADLINE_WORDS
    for i in range(1, len(units)):
        text = units[i].text
        if len(text) < shortest:
            continue  # most units are cut here or below before any folding
        if len(text) <= len(window):
            if L.word_count(text) < 3 or not _window_title_of(first, text.casefold()):
                continue
            headline = text
        elif (
            with_trailing
            and text[len(window) :].count(" ") <= 2 * MAX_TRAILING_WORDS
            and text[: len(window)].casefold() == first
            and L.word_count(text[len(window) :]) <= MAX_TRAILING_WORDS
        ):
            headline = window
        else:
            continue
        k = bisect_right(prose_at, i)
        if k < len(prose_at) and prose_at[k] - i <= HEADLINE_LEAD:
            return i, prose_at[k], headline
    return None


def _window_title_of(window: str, headline: str) -> bool:
    """Whether ``window`` is ``headline`` alone or with other words (a site name, a
    section) set off from it by a mark ("Headline | Site", "Site: Headline", "Headline
    « Blog"), both case-folded; a line cut out of a longer one (a hard-wrapped
    sentence) runs on into words, and is not the headline."""
    at = window.find(headline)
    if at < 0:
        return False
    before, after = window[:at].rstrip(), window[at + len(headline) :].lstrip()
    return (not before or not before[-1].isalnum()) and (not after or not after[0].isalnum())


_KICKER = re.compile(r"^[^\W\d_]{2,}:$")  # "WATCH:", "UPDATE:": one capitalised word


def printed_title(window: str, headline: str) -> str:
    """The title for a page whose window title holds its printed ``headline``: the
    headline as printed, with a kicker the window puts before it ("WATCH: ...") kept."""
    folded = window.casefold()
    if len(folded) != len(window):  # folding changed the length: positions would not match
        return headline
    at = folded.find(headline.casefold())
    before = window[:at].strip() if at > 0 else ""
    if before and _KICKER.match(before) and before.isupper():
        return window[: at + len(headline)].strip()  # as the window prints it
    return headline
