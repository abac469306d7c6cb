"""The freeze rule: topics of closed periods are decided once.

Grouping the whole archive at every build lets one new day move old articles
between old topics (a new article shifts the statistics every pair is judged by),
so a daily build re-renders pages of stories nobody wrote about that day, and its
cost grows with the archive. Instead, the archive is grouped in **periods**:

- months gather, from the oldest, into periods of at least :data:`PERIOD_ARTICLES`
  dated articles; a period is **frozen** once its last month ended more than
  :data:`FREEZE_AFTER_DAYS` days before the newest article's day;
- periods freeze in order. Freezing a period groups every article not yet in a frozen
  topic and dated up to the end of its last month plus ``FREEZE_AFTER_DAYS`` days (so a
  story running over the period's end stays whole), and freezes each topic that holds
  an article of the period, with all its articles;
- the articles left (the open period, and the undated) are grouped together at every
  build. An article of an old story that arrives after its topic froze opens a topic
  of its own in the open period.

Every step is a function of the articles alone, so a full build applies the same rule
and gets the same topics as a build that froze the periods one by one; a frozen
step's topics are kept in the cache by its articles, so a daily build groups only the
open period (while merging copies, not frozen, leaves the old articles as they were)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence

from digest.records import GroupItem, Topic

FREEZE_AFTER_DAYS = 35  # a period freezes once it ended this many days before the newest day
# articles a period holds at least: grouping judges pairs by statistics over the articles it
# is given, which a few dozen articles make unreliable (months of a small site join up)
PERIOD_ARTICLES = 2_000

Grouping = Callable[[Sequence[GroupItem], bool], list[Topic]]  # items, frozen step -> topics


def _day(item: GroupItem) -> dt.date | None:
    try:
        return dt.date.fromisoformat((item.date or "")[:10])
    except ValueError:
        return None


def _month_end(month: tuple[int, int]) -> dt.date:
    year, number = month
    first_next = dt.date(year + number // 12, number % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def frozen_periods(items: Sequence[GroupItem], after_days: int = FREEZE_AFTER_DAYS,
                   least: int = PERIOD_ARTICLES) -> list[tuple[frozenset[tuple[int, int]],
                                                             dt.date]]:
    """The frozen periods of ``items``, oldest first: runs of consecutive months, from the
    oldest, each closed once it holds ``least`` dated articles; frozen once its last month
    ended more than ``after_days`` days before the newest article's day. Each comes with
    the last day its freezing step sees: ``(months, cutoff)``."""
    days = [d for item in items if (d := _day(item)) is not None]
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


def group_in_periods(items: Sequence[GroupItem], group: Grouping,
                     after_days: int = FREEZE_AFTER_DAYS,
                     least: int = PERIOD_ARTICLES) -> list[Topic]:
    """The topics of ``items`` by the freeze rule; ``group`` groups one step's items (told
    whether the step is a frozen period's, kept while its articles are the same). Topics come
    largest first, ties by id, as :func:`~digest.group.group_articles` orders them."""
    days = {item.id: _day(item) for item in items}
    done: set[str] = set()
    topics: list[Topic] = []
    for months, cutoff in frozen_periods(items, after_days, least):
        step = [item for item in items if item.id not in done
                and (day := days[item.id]) is not None and day <= cutoff]
        for topic in group(step, True):
            if any((d := days.get(i)) is not None and (d.year, d.month) in months
                   for i in topic.article_ids):
                topics.append(topic)
                done.update(topic.article_ids)
    rest = [item for item in items if item.id not in done]
    if rest:
        topics.extend(group(rest, False))
    topics.sort(key=lambda t: (-len(t.article_ids), t.id))
    return topics
