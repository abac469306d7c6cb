"""Where the article's main text lies among a page's units.

Helpers for :func:`digest.clean.structure.clean_page` that judge stretches of
the page by the prose they hold (word counts of units classified ``prose``),
never by any publisher's wording.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Protocol

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


def comments_cut(
    units: Sequence[UnitLike],
    start: int,
    end: int,
    opens: Callable[[Sequence[UnitLike], int], bool],
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
