"""The freeze rule: copies and topics of closed periods are decided once.

Merging copies and grouping over the whole archive at every build lets one new day
change old articles (a new article becomes the canonical of an old one's copies; it
shifts the statistics every pair is judged by and moves old articles between old
topics), so a daily build re-renders pages of stories nobody wrote about that day,
and its cost grows with the archive. Instead, the archive is decided in **periods**:

- months gather, from the oldest, into periods of at least :data:`PERIOD_ARTICLES`
  dated articles; a period is **frozen** once its last month ended more than
  :data:`FREEZE_AFTER_DAYS` days before the newest article's day;
- periods freeze in order. Freezing a period decides every article not yet frozen and
  dated up to its *cutoff*, the end of its last month plus ``FREEZE_AFTER_DAYS`` days.
  Copies: every such article's copies freeze (a copy dated after the cutoff day is an
  article of its own, as is any later copy of a frozen article); so the canonical articles
  up to the cutoff, which grouping reads, never change again. Topics: each topic that
  holds an article of the period freezes, with all its articles (so a story running over
  the period's end stays whole);
- the articles left (the open period, and the undated) are decided together at every
  build. An article of an old story that arrives after its topic froze opens a topic of
  its own.

The periods are counted over every dated article, copies included, and the same periods
serve merging, grouping and tags (:func:`digest.pipeline.decide_tags`: a frozen period's
articles keep the tags decided over its step). Every step is a function of the
articles alone, so a full build applies the same rule and decides as a build that froze
the periods one by one; a frozen step's result is kept in the cache by its articles
(:mod:`digest.pipeline`), so a daily build decides only the open period.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol, TypeVar

# a period freezes once it ended this many days before the newest day, so the open period
# (regrouped at every build) spans 14 to 45 days. Of the dated articles of the stories in
# ../shared/data/stories (ECB+), 94% came within 14 days of their story's first, 95% within
# 35: a longer wait joins few more follow-ups and costs every daily build more.
FREEZE_AFTER_DAYS = 14
# articles a period holds at least: grouping judges pairs by statistics over the articles it
# is given, which a few dozen articles make unreliable (months of a small site join up)
PERIOD_ARTICLES = 2_000

Period = tuple[frozenset[tuple[int, int]], dt.date]  # its months, the last day its step sees


class Dated(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def date(self) -> str | None: ...


Item = TypeVar("Item", bound=Dated)
Cluster = TypeVar("Cluster")


def day_of(date: str | None) -> dt.date | None:
    """The day of an ISO date or moment; None when undated."""
    try:
        return dt.date.fromisoformat((date or "")[:10])
    except ValueError:
        return None


def _month_end(month: tuple[int, int]) -> dt.date:
    year, number = month
    first_next = dt.date(year + number // 12, number % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def frozen_periods(dates: Iterable[str | None], after_days: int = FREEZE_AFTER_DAYS,
                   least: int = PERIOD_ARTICLES) -> list[Period]:
    """The frozen periods of articles of ``dates``, oldest first: runs of consecutive
    months, from the oldest, each closed once it holds ``least`` dated articles; frozen once
    its last month ended more than ``after_days`` days before the newest article's day.
    Each comes with the last day its freezing step sees: ``(months, cutoff)``."""
    days = [d for date in dates if (d := day_of(date)) is not None]
    if not days:
        return []
    newest = max(days)
    counts = Counter((d.year, d.month) for d in days)
    out: list[tuple[frozenset[tuple[int, int]], dt.date]] = []
    months: list[tuple[int, int]] = []
    held = 0
    for month in sorted(counts):
        months.append(month)
        held += counts[month]
        if held < least:
            continue
        cutoff = _month_end(month) + dt.timedelta(days=after_days)
        if cutoff >= newest:
            break
        out.append((frozenset(months), cutoff))
        months, held = [], 0
    return out


def decide_in_periods(items: Sequence[Item],
                      decide: Callable[[Sequence[Item], bool], list[Cluster]],
                      members: Callable[[Cluster], Iterable[str]],
                      periods: Sequence[Period], *, whole_step: bool = False
                      ) -> list[Cluster]:
    """The clusters of ``items`` by the freeze rule: ``decide`` clusters one step's items
    (told whether the step is a frozen period's) into clusters that together hold every
    one of them, and ``members`` gives a cluster's item ids. A frozen step freezes the
    clusters holding an article of its period, or with ``whole_step`` all of them (every
    article up to its cutoff). Frozen periods' clusters come first, oldest first, then the
    open period's."""
    days = {item.id: day_of(item.date) for item in items}
    done: set[str] = set()
    out: list[Cluster] = []
    for months, cutoff in periods:
        step = [item for item in items if item.id not in done
                and (day := days[item.id]) is not None and day <= cutoff]
        for cluster in decide(step, True):
            ids = list(members(cluster))
            if whole_step or any((d := days.get(i)) is not None and (d.year, d.month) in months
                                 for i in ids):
                out.append(cluster)
                done.update(ids)
    rest = [item for item in items if item.id not in done]
    if rest:
        out.extend(decide(rest, False))
    return out
