"""Recover an article's structure from the lines of one scraped page.

:func:`clean_page` runs the steps, each in a module of its own: the page read
as classified units (:mod:`digest.clean.units`); the region where the article
lies, from the first prose under the byline or the printed headline to the end
of the heaviest block of prose before any readers' comments (here, with
:mod:`digest.clean.region`); the title and standfirst above it
(:mod:`digest.clean.head`); the body (:mod:`digest.clean.body`); then the
credits. The dateline is reported in its own field and stays at the start of
the first paragraph, as printed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from digest.clean import lines as L
from digest.clean.body import (
    opens_with_dateline,
    ordered_body,
    split_dateline,
    take_body,
    without_bios,
)
from digest.clean.dates import find_date
from digest.clean.head import MAX_TITLE_WORDS, head_standfirst, head_title, mid_title
from digest.clean.region import comments_cut, main_block, printed_headline, printed_title
from digest.clean.repeats import repeat_key
from digest.clean.titles import strip_title_affixes
from digest.clean.units import Unit, classified_page
from digest.records import Cleaned

BYLINE_WINDOW_PROSE = 3  # a byline stands before the third prose line, or is not one
HEAD_PROSE_MAX = 3  # sentence-long title and standfirst may precede the byline
DATELINE_SEARCH_PROSE = 30  # an agency dateline this far down still opens the article


def clean_page(text: str, furniture: frozenset[str] = frozenset()) -> Cleaned:
    """The article recovered from one page (see :func:`digest.clean.clean_text`).

    The steps, in order: read the units, find where the article lies, read the
    title above it, take its body, title and standfirst again where the page
    prints them mid-body, order the paragraphs, then the credits.
    """
    page = classified_page(text, furniture)
    units = page.units
    region = find_region(units)
    title_at, title = head_title(page, region.start, region.byline_at, region.head_prose)
    byline_at = region.byline_at
    if byline_at is None and title_at is not None:
        byline_at = _agency_below(units, title_at, region.start)
    if region.headline_at is not None:
        # the headline as printed above the article, not the window title with the site's name
        title_at = region.headline_at
        title = printed_title(units[0].text, region.headline)
    body = take_body(page, region.start, region.end, title_at, byline_at)
    standfirst = ""
    mid = mid_title(units, body.units, body.headlines)
    if mid is not None:
        t_at, s_at = mid
        title, title_at = units[t_at].text, t_at
        if s_at is not None:
            standfirst = units[s_at].text
        body.units = [i for i in body.units if i not in (t_at, s_at)]
        body.headlines = [i for i in body.headlines if i not in (t_at, s_at)]
    elif title_at is not None:
        standfirst = head_standfirst(units, title_at, region.start, byline_at, title)
    paragraphs, sub_texts, sub_index = ordered_body(page, body)
    dateline, credit = split_dateline(paragraphs)
    byline = L.byline_name(units[byline_at].text) if byline_at is not None else ""
    paragraphs, sub_texts, sub_index = without_bios(paragraphs, sub_texts, sub_index, byline)
    agency = _agency(units, body.end, byline)
    if not byline and agency:
        byline = agency  # a wire story's only credit is its agency line
    return Cleaned(
        title=strip_title_affixes(title, furniture),
        standfirst=standfirst,
        date=page.date or _find_page_date(units, region.start),
        byline=byline,
        agency=agency or credit,
        dateline=dateline,
        body=tuple(paragraphs),
        subheads=tuple(sub_texts),
        subhead_index=tuple(sub_index),
        captions=tuple(_unique(page.captions)),
        related=tuple(_unique([t for _, t in sorted(page.related, key=lambda x: x[0])])),
        popular=tuple(_unique(page.popular)),
    )


@dataclass
class Region:
    """Where the article lies among a page's units."""

    start: int  # the body's first unit
    end: int  # the last prose unit of the main block (-1: none)
    byline_at: int | None
    head_prose: list[int]  # sentence-shaped title and standfirst lines above ``start``
    headline_at: int | None  # the headline printed under the window title
    headline: str  # its text (without what the page prints after it)


def find_region(units: list[Unit]) -> Region:
    """The article's stretch of the page: from the first prose under the byline (or
    the printed headline) to the end of the heaviest block of prose before any
    readers' comments; sentence-shaped head lines and datelines move its start."""
    prose_at = [i for i, u in enumerate(units) if u.kind == "prose"]
    byline_at = _head_byline(units, prose_at)
    start = prose_at[0] if prose_at else len(units)
    if byline_at is not None:
        start = next((i for i in prose_at if i > byline_at), start)
    # A page that opens with its window title prints the headline again above the
    # article: whatever prose stands before that is the site's, not the article's.
    printed = printed_headline(units, prose_at)
    if printed is not None and printed[1] > start:
        start = printed[1]
    end = prose_at[-1] if prose_at else -1
    comments = comments_cut(units, start, end, _opens_comments)
    if comments is not None:
        end = max((i for i in prose_at if i < comments), default=-1)
    main = main_block(units, [i for i in prose_at if start <= i <= end])
    if main is not None:
        end = main[1]  # prose further down, past a stretch of non-text, is not the article's
    start, head_prose = _past_head_prose(units, prose_at, start, end)
    if byline_at is None:
        byline_at = next(
            (
                i
                for i in range(start)
                if units[i].kind in ("short", "prose") and L.is_byline(units[i].text)
            ),
            None,
        )
    return Region(
        start, end, byline_at, head_prose,
        printed[0] if printed else None, printed[2] if printed else "",
    )


def _head_byline(units: list[Unit], prose_at: list[int]) -> int | None:
    """The byline in the head of the page: before the third distinct prose line."""
    distinct: list[int] = []
    seen_heads: set[str] = set()
    for i in prose_at:
        head = units[i].text[:40].casefold()
        if head not in seen_heads:
            seen_heads.add(head)
            distinct.append(i)
    limit = (
        distinct[BYLINE_WINDOW_PROSE - 1] if len(distinct) >= BYLINE_WINDOW_PROSE else len(units)
    )
    return next(
        (
            i
            for i in range(limit)
            if units[i].kind in ("short", "prose") and L.is_byline(units[i].text)
        ),
        None,
    )


def _past_head_prose(
    units: list[Unit], prose_at: list[int], start: int, end: int
) -> tuple[int, list[int]]:
    """The body's start moved past sentence-shaped head lines (a title, a standfirst
    above a byline or date, a repeated line, lines above a dateline), and those lines."""
    head_prose: list[int] = []
    for _ in range(HEAD_PROSE_MAX):
        nxt = next((i for i in prose_at if i > start), None)
        if nxt is None or nxt > end:  # the body's last paragraph is not its head
            break
        repeated = repeat_key(units[nxt].text) == repeat_key(units[start].text)
        if not repeated and not _head_marker_between(units, start, nxt):
            break
        head_prose.append(start)
        start = nxt
    # A dateline opens the body: sentence-shaped lines above it are the head.
    later = [i for i in prose_at if i > start][:HEAD_PROSE_MAX]
    if later and not opens_with_dateline(units[start].text):
        at = next((i for i in later if opens_with_dateline(units[i].text)), None)
        if at is not None and all(
            L.word_count(units[i].text) <= MAX_TITLE_WORDS for i in prose_at if start <= i < at
        ):
            head_prose.extend(i for i in prose_at if start <= i < at)
            start = at
        elif at is None:
            # Teasers of other stories above the article: an agency dateline further
            # down ("ST. JOSEPH, Mich. (AP) —") is where the article starts.
            later = [i for i in prose_at if i > start][:DATELINE_SEARCH_PROSE]
            at = next((i for i in later if _AGENCY_DATELINE.match(units[i].text)), None)
            if at is not None:
                start = at
    return start, head_prose


def _agency_below(units: list[Unit], title_at: int, start: int) -> int | None:
    """An agency line between the title and the body, the article's only credit."""
    for i in range(title_at + 1, start):
        if units[i].kind == "short" and L.is_agency_like(units[i].text):
            return i
    return None


# "ST. JOSEPH, Mich. (AP) —", "LONDON (Reuters) -": a dateline naming an agency.
_AGENCY_DATELINE = re.compile(
    r"^[A-Z][A-Z.'-]+(?:\s[A-Z][A-Z.'-]+){0,3},?(?:\s[A-Z][\w.]+){0,2}"
    r"\s\([A-Z][\w ]{1,20}\)\s?[—–-]\s"
)
_COMMENTS_HEADER = re.compile(
    r"(?i)^(?:\d+\s+(?:responses?|comments?|replies|thoughts)\b"
    r"|(?:comments|responses|reader comments)\s*(?:\(\d+\))?$)"
)
_SAYS = re.compile(r"^\S+(?:\s\S+){0,3}\s(?:says|said|wrote):$")


def _opens_comments(units: Sequence[Unit], i: int) -> bool:
    """Whether a readers' comments section starts at unit ``i``.

    A header ("34 responses to ...", "Comments (12)") or two "name says:" lines
    within the next four units.
    """
    text = units[i].text
    if _COMMENTS_HEADER.match(text) and L.word_count(text) <= 20:
        return True
    if not _SAYS.match(text):
        return False
    return any(_SAYS.match(u.text) for u in units[i + 1 : i + 5])


def _head_marker_between(units: list[Unit], a: int, b: int) -> bool:
    """Whether the units between prose lines ``a`` and ``b`` mark ``a`` as page head.

    A byline or a date line, or a bare credit line ("Reuters") right after ``a``,
    stands between a title or standfirst and the body, never between paragraphs.
    """
    first = True
    for u in units[a + 1 : b]:
        if u.kind == "date" or (u.kind in ("short", "prose") and L.is_byline(u.text)):
            return True
        if first and u.kind == "short" and L.is_agency_like(u.text):
            return True
        if u.kind != "cta":
            first = False
    return False


def _agency(units: list[Unit], end_body: int, byline: str) -> str:
    for i in range(end_body + 1, min(end_body + 4, len(units))):
        u = units[i]
        if u.used:
            break
        if u.kind == "short" and L.is_agency_like(u.text):
            return u.text.lstrip("—–- ").strip()
    if byline and L.is_agency_like(byline) and not L.is_byline(byline):
        return byline.lstrip("—–- ").strip()
    return ""


def _find_page_date(units: list[Unit], start: int) -> str | None:
    for u in units:
        if u.kind == "date":
            return find_date(u.text)
    for u in units[: start + 1]:
        found = find_date(u.text)
        if found:
            return found
    return None


def _unique(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        key = " ".join(item.casefold().split())
        if key and key not in seen:
            seen.add(key)
            out.append(item)
    return out
