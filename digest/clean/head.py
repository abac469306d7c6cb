"""The article's head: its title and standfirst, read from the units above the body
(a window title, the line above the byline, a title printed mid-page between two
copies of the body)."""

from __future__ import annotations

import re

from digest.clean import lines as L
from digest.clean.repeats import repeat_key
from digest.clean.units import Page, Unit

MAX_TITLE_WORDS = 50  # the longest generated titles are whole first sentences
MIN_TITLE_WORDS = 3  # shorter head lines are kickers ("BREAKING") or section labels
NAV_ITEM_WORDS = 3  # navigation items run 1-3 words

_WINDOW_TITLE = re.compile(r"^(?P<title>.{12,}?)\s+[|–—-]\s+(?P<site>[^|–—]{2,60})$")


def _previous_meaningful(units: list[Unit], i: int) -> int | None:
    """The nearest unit before ``i`` that is text (dates, prompts and captions skipped)."""
    for j in range(i - 1, -1, -1):
        if units[j].kind in ("short", "prose"):
            return j
        if units[j].kind not in ("date", "cta", "caption"):
            return None
    return None


def head_title(
    page: Page, start: int, byline_at: int | None, head_prose: list[int]
) -> tuple[int | None, str]:
    """The title from the head of the page: window title, line above the byline, glued header."""
    units = page.units
    head = range(min(start + 1, len(units)))
    texts = {u.text for u in units}
    for i in head:
        u = units[i]
        if u.used or u.kind == "list":
            continue
        m = _WINDOW_TITLE.match(u.text)
        if m and L.word_count(m.group("site")) <= 6 and m.group("title") in texts:
            return i, m.group("title")
    candidates = _title_candidates(page, start, byline_at)
    if candidates:
        return candidates[0], units[candidates[0]].text
    if head_prose:
        before = _previous_meaningful(units, head_prose[0])
        if (
            before is not None
            and units[before].kind == "short"
            and L.is_title_like(units[before].text, min_words=4)
        ):
            return before, units[before].text
        return head_prose[0], units[head_prose[0]].text
    if byline_at is not None:
        for i in range(byline_at - 1, -1, -1):
            u = units[i]
            if u.kind in ("date", "caption") or (u.kind == "cta" and L.word_count(u.text) <= 3):
                continue
            if u.kind in ("short", "prose") and L.is_title_like(u.text, min_words=2):
                return i, u.text
            break
    if (
        page.glued
        and units
        and units[0].kind in ("short", "prose")
        and L.is_title_like(units[0].text)
    ):
        return 0, units[0].text
    for i in range(min(start, len(units)) - 1, -1, -1):
        u = units[i]
        if (
            u.kind in ("short", "prose")
            and L.is_title_like(u.text, min_words=4)
            and not L.is_byline(u.text)
        ):
            return i, u.text
    return None, ""


_SITE_SEPARATOR = re.compile(r"^\S+(?:\s\S+){0,2}\s[|–—]\s")


def _is_nav_item(units: list[Unit], i: int) -> bool:
    """A unit of a navigation run: three or more short unpunctuated lines in a row."""

    def navlike(j: int) -> bool:
        if not 0 <= j < len(units):
            return False
        u = units[j]
        return (
            u.kind in ("short", "cta", "list")
            and L.word_count(u.text) <= NAV_ITEM_WORDS
            and not L.ends_like_sentence(u.text)
        )

    return navlike(i) and (
        (navlike(i - 1) and navlike(i + 1))
        or (navlike(i - 1) and navlike(i - 2))
        or (navlike(i + 1) and navlike(i + 2))
    )


def _title_candidates(page: Page, start: int, byline_at: int | None) -> list[int]:
    """Head lines (before the body) that can be the headline, in page order.

    Skipped: bylines, credits, dates, kickers (one or two words), navigation
    runs, and a site-name line ("Site — tagline") when another candidate follows.
    """
    units = page.units
    out: list[int] = []
    for i in range(min(start, len(units))):
        u = units[i]
        if u.used or u.kind not in ("short", "prose") or i == byline_at:
            continue
        t = u.text
        n = L.word_count(t)
        if n < MIN_TITLE_WORDS or n > MAX_TITLE_WORDS:
            continue
        if L.is_byline(t) or L.is_agency_like(t) or L.is_call_to_action(t):
            continue
        if n <= NAV_ITEM_WORDS and _is_nav_item(units, i):
            continue
        out.append(i)
    if len(out) > 1 and _SITE_SEPARATOR.match(units[out[0]].text):
        out.pop(0)
    return out


def head_standfirst(
    units: list[Unit], title_at: int, start: int, byline_at: int | None, title: str
) -> str:
    """The first head line after the title of 8+ words that is not the title again."""
    for i in range(title_at + 1, min(start, len(units))):
        u = units[i]
        if i == byline_at or u.kind not in ("short", "prose") or L.is_byline(u.text):
            continue
        if L.word_count(u.text) >= 8 and u.text not in (units[title_at].text, title):
            return u.text
    return ""


def mid_title(
    units: list[Unit], body_units: list[int], headlines: list[int]
) -> tuple[int, int | None] | None:
    """Title and standfirst printed between two copies of the body, as unit indices."""
    if len(body_units) < 2:
        return None
    first_key = repeat_key(units[body_units[0]].text)
    if not first_key:
        return None
    keys = {i: repeat_key(units[i].text) for i in body_units}
    again = next((i for i in reversed(body_units[1:]) if keys[i] == first_key), None)
    if again is None:
        return None
    candidates = sorted(i for i in [*body_units, *headlines] if i < again)
    if not candidates:
        return None
    second_copy = {keys[i] for i in body_units if i >= again}

    def is_paragraph(i: int) -> bool:
        # In both copies; a title that repeats the first sentence is not a paragraph.
        return i in keys and keys[i] in second_copy and keys[i] != first_key

    p1 = candidates[-1]
    p2 = candidates[-2] if len(candidates) >= 2 else None
    if is_paragraph(p1):
        return None
    if p2 is not None and not is_paragraph(p2) and L.word_count(units[p2].text) <= MAX_TITLE_WORDS:
        return p2, p1
    return p1, None
