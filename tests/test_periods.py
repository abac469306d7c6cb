"""The freeze rule: closed periods' topics are decided once; a new day regroups only the
open period; a full build gets the topics a day-by-day one got. Most tests freeze every
month (``least=1``); the default period holds 2,000 articles."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from digest.cache import Cache
from digest.dedupe import fingerprint
from digest.periods import FREEZE_AFTER_DAYS, decide_in_periods, frozen_periods
from digest.pipeline import CACHED_RECORDS, NO_CACHE, group_topics, merge_duplicates
from digest.records import Article, GroupItem, Topic

START = dt.date(2026, 1, 1)


def item(story: int, day: int, n: int = 0) -> GroupItem:
    """An article of ``story`` (its title names the story) dated ``day`` days after START."""
    date = (START + dt.timedelta(days=day)).isoformat()
    return GroupItem(f"s{story}-d{day}-{n}", f"story {story}", f"text {story}", date)


def by_story(items: Sequence[GroupItem], frozen: bool) -> list[Topic]:
    """A stand-in grouping: one topic per story title, timeline by date."""
    stories: dict[str, list[GroupItem]] = {}
    for i in items:
        stories.setdefault(i.title, []).append(i)
    return [Topic(id=min(m, key=lambda i: (i.date or "", i.id)).id, name=title,
                  article_ids=tuple(i.id for i in sorted(m, key=lambda i: (i.date or "", i.id))))
            for title, m in sorted(stories.items())]


def frozen_months(items: Sequence[GroupItem]) -> list[tuple[tuple[int, int], dt.date]]:
    """The frozen periods when every month is one: (month, cutoff)."""
    out = []
    for months, cutoff in frozen_periods((i.date for i in items), least=1):
        assert len(months) == 1
        out.append((next(iter(months)), cutoff))
    return out


def monthly(items: Sequence[GroupItem], group: Any) -> list[Topic]:
    periods = frozen_periods((i.date for i in items), least=1)
    return decide_in_periods(items, group, lambda t: t.article_ids, periods)


def test_nothing_freezes_within_a_short_span() -> None:
    items = [item(1, d) for d in range(40)]
    assert frozen_months(items) == []
    calls: list[bool] = []

    def group(members: Sequence[GroupItem], frozen: bool) -> list[Topic]:
        calls.append(frozen)
        return by_story(members, frozen)

    assert len(monthly(items, group)) == 1
    assert calls == [False]


def test_months_freeze_in_order_once_they_ended_long_enough_ago() -> None:
    newest = dt.date(2026, 5, 20)
    items = [item(1, 0), item(2, (newest - START).days)]
    months = [m for m, _ in frozen_months(items)]
    # a month freezes once the newest day is past its end plus FREEZE_AFTER_DAYS: January has,
    # May (the newest article's) has not
    assert months == [(2026, 1)]
    items.append(item(3, (dt.date(2026, 3, 15) - START).days))
    assert [m for m, _ in frozen_months(items)] == [(2026, 1), (2026, 3)]
    cutoff = dict(frozen_months(items))[(2026, 3)]
    assert cutoff == dt.date(2026, 3, 31) + dt.timedelta(days=FREEZE_AFTER_DAYS)


def test_a_month_freezes_the_day_after_its_cutoff() -> None:
    """April's cutoff is 30 April plus FREEZE_AFTER_DAYS: a newest article on that day keeps
    April open, one a day later freezes it."""
    cutoff = dt.date(2026, 4, 30) + dt.timedelta(days=FREEZE_AFTER_DAYS)
    april = item(1, (dt.date(2026, 4, 10) - START).days)
    on_cutoff = item(2, (cutoff - START).days)
    assert frozen_months([april, on_cutoff]) == []
    after = item(2, (cutoff - START).days + 1)
    assert frozen_months([april, after]) == [((2026, 4), cutoff)]


def test_a_story_over_a_months_end_stays_whole_and_a_late_article_opens_a_new_topic() -> None:
    jan30 = 29
    items = [item(1, jan30), item(1, jan30 + 4), item(2, 150)]  # 30 Jan, 3 Feb; 31 May
    late = item(1, 120)  # the same story on 1 May, long after January froze
    topics = monthly([*items, late], by_story)
    members = sorted(t.article_ids for t in topics)
    assert (items[0].id, items[1].id) in members  # whole, over the month's end
    assert (late.id,) in members  # not joined to the frozen topic
    assert sum(len(m) for m in members) == 4


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 200)), min_size=1, max_size=40),
       st.lists(st.tuples(st.integers(0, 6), st.integers(0, 8)), min_size=1, max_size=8))
def test_a_new_day_leaves_frozen_topics_as_they_were(
        old: list[tuple[int, int]], new: list[tuple[int, int]]) -> None:
    """Every article is in one topic; articles of a later day change no topic of a month
    that was frozen before them."""
    before = [item(s, d, n) for n, (s, d) in enumerate(old)]
    newest = max(d for _, d in old)
    after = [*before, *(item(s, newest + 1 + d, 100 + n) for n, (s, d) in enumerate(new))]
    topics_before = monthly(before, by_story)
    topics_after = monthly(after, by_story)
    ids = [i for t in topics_after for i in t.article_ids]
    assert sorted(ids) == sorted(i.id for i in after)
    frozen_before = {m for m, _ in frozen_months(before)}

    def month(article_id: str) -> tuple[int, int]:
        day = START + dt.timedelta(days=int(article_id.split("-")[1][1:]))
        return day.year, day.month

    for topic in topics_before:
        if any(month(i) in frozen_before for i in topic.article_ids):
            assert topic in topics_after


def test_a_period_gathers_months_until_it_holds_enough_articles() -> None:
    """Small months join until the period holds ``least`` articles; the months after the
    last full period stay open."""
    items = [item(1, d) for d in range(0, 200, 4)]  # 50 articles over Jan-Jul
    items.append(item(2, 300))  # the newest: late October
    dates = [i.date for i in items]
    periods = frozen_periods(dates, least=15)
    assert [sorted(m) for m, _ in periods] == [
        [(2026, 1), (2026, 2)], [(2026, 3), (2026, 4)], [(2026, 5), (2026, 6)]]
    assert frozen_periods(dates) == []  # 2,000 by default: nothing here freezes


def test_a_full_build_groups_as_builds_day_by_day_did(tmp_path: Path) -> None:
    """With the real grouping and a cache: building every day from scratch and building
    day after day (frozen steps from the cache) give the same topics."""
    texts = {k: f"The council of town {k} voted on plan {k} for the harbour of town {k} "
                f"after residents of town {k} asked about plan {k}." for k in range(5)}
    items = [GroupItem(f"a{n:03d}", f"Town {n % 5} plan vote {n % 5}", texts[n % 5],
                       (START + dt.timedelta(days=3 * n)).isoformat())
             for n in range(50)]
    cache = Cache(tmp_path / "cache.sqlite", CACHED_RECORDS)
    try:
        for upto in (30, 40, 50):
            # every month a period
            monthly = frozen_periods((i.date for i in items[:upto]), least=1)
            daily = group_topics(items[:upto], cache, periods=monthly)
            assert daily == group_topics(items[:upto], periods=monthly)  # all computed
    finally:
        cache.close()
    assert frozen_months(items)


def story_article(n: int, day: int, source: str, story: int) -> Article:
    words = ("crane", "ferry", "lighthouse", "quay", "lock gate")[story]
    place = ("Gullrock", "Port Ardell", "Skerry Bay", "Tollin", "Marrow Head")[story]
    body = tuple(f"Paragraph {i}: the {words} at {place} is repaired, and the {place} board"
                 f" says the {words} cost {i * 7 + story} thousand less than feared."
                 for i in range(6))
    return Article(f"{source}/{n}", source, f"o{n}", title=f"Crane {story}", body=body,
                   date=(START + dt.timedelta(days=day)).isoformat(), priority=n)


def test_a_copy_of_a_frozen_article_leaves_it_as_it_was(tmp_path: Path) -> None:
    """Copies freeze with their period, up to its cutoff: a later copy of a frozen article
    is an article of the open period, and the frozen article keeps its page (the newest
    copy would otherwise be the canonical one); a build without the cache decides the
    same."""
    cutoff = 30 + FREEZE_AFTER_DAYS  # January's, in days after 1 January
    january = story_article(1, 9, "a", 0)
    last = story_article(2, cutoff - 1, "a", 1)  # the day before January's cutoff
    newest = story_article(3, cutoff + 2, "b", 2)  # the newest: January has frozen
    before = [january, last, newest]
    periods = frozen_periods((a.date for a in before), least=1)
    assert [sorted(m) for m, _ in periods] == [[(2026, 1)]]
    copy = story_article(4, cutoff + 3, "c", 1)  # word for word the article before the cutoff
    after = [*before, copy]
    prints = {a.id: fingerprint(a.body).to_bytes() for a in after}
    assert frozen_periods((a.date for a in after), least=1) == periods
    cache = Cache(tmp_path / "cache.sqlite", CACHED_RECORDS)
    try:
        for store in (cache, cache, NO_CACHE):  # computed, then from the cache, then fresh
            kept, duplicates = merge_duplicates(after, prints, store, periods)
            assert [a.id for a in kept] == ["a/1", "a/2", "b/3", "c/4"] and duplicates == []
    finally:
        cache.close()
    # without the freeze rule the newer copy takes the page of the older one away
    kept, duplicates = merge_duplicates(after, prints)
    assert [d.id for d in duplicates] == ["a/2"]
