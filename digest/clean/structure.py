"""Recover an article's structure from the lines of one scraped page.

The page is read as a list of units (lines, or rejoined paragraphs on
blank-line-separated pages). Link lists are taken out first (a header such as
"Related stories" or "Most read" and the titles under it); every other unit is
classified by shape and vocabulary; the body is the stretch between the first
and the last line that can only be article prose; the title, byline and
standfirst are read from the units around it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from digest.clean import lines as L
from digest.clean.dates import DATE_HEADER, find_date, is_date_line
from digest.clean.furniture import furniture_key
from digest.clean.repair import normalise, paragraph_lines, uses_blank_line_paragraphs
from digest.clean.repeats import collapse_repeats, repeat_key
from digest.records import Cleaned


@dataclass
class Unit:
    """One line or paragraph of the page and what it was found to be."""

    text: str
    gap_before: bool = False
    kind: str = ""  # list|cta|caption|date|prose|short
    used: bool = False


@dataclass
class Page:
    """Working state while one page is read."""

    units: list[Unit]
    date: str | None = None
    glued: bool = False  # units[0] was glued to the date header
    related: list[tuple[int, str]] = field(default_factory=list)
    popular: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)


# Settings, each a measured choice (see benchmarks/clean.py).
MAX_LIST_ITEMS = 20  # the longest real link list seen holds 12 titles
MAX_ITEM_WORDS = 45  # "popular" items can be whole sentences; body paragraphs run longer
MAX_SUBHEAD_WORDS = 4  # every subhead in the generated gold has 2-4 words
BYLINE_WINDOW_PROSE = 3  # a byline stands before the third prose line, or is not one
MAX_TITLE_WORDS = 50  # the longest generated titles are whole first sentences
HEAD_PROSE_MAX = 3  # sentence-long title and standfirst may precede the byline
MAX_MARKED_ITEM_WORDS = 80  # a numbered or bulleted item may be a whole teaser paragraph


def read_units(text: str) -> Page:
    """Normalise the page and cut it into units, the ``date`` header read off."""
    raw = normalise(text).split("\n")
    date = None
    glued = False
    for i, line in enumerate(raw):
        if not line:
            continue
        m = DATE_HEADER.match(line)
        if m:
            date = m.group(1)
            rest = line[m.end():].strip()
            raw[i] = rest
            glued = bool(rest)
        break
    units: list[Unit] = []
    if uses_blank_line_paragraphs(raw):
        gap = False
        block: list[str] = []
        for line in [*raw, ""]:
            if line:
                block.append(line)
                continue
            if block:
                for k, para in enumerate(paragraph_lines(block)):
                    units.append(Unit(para, gap_before=(k == 0 and gap)))
                block = []
            gap = True
    else:
        units = [Unit(line) for line in raw if line]
    if glued and units and units[0].text != raw[next(i for i, x in enumerate(raw) if x)]:
        glued = False
    return Page(units=units, date=date, glued=glued)


def take_lists(page: Page, blank_separated: bool) -> None:
    """Mark link lists (header plus titles) and file their titles as related/popular."""
    units = page.units
    i = 0
    while i < len(units):
        header = L.list_header(units[i].text) if not units[i].used else None
        if header is None:
            i += 1
            continue
        units[i].used = True
        units[i].kind = "list"
        for item in header.items:
            _file_item(page, header.kind, i, item)
        i += 1
        if header.items:
            continue
        taken = 0
        while i < len(units) and taken < MAX_LIST_ITEMS:
            u = units[i]
            if taken and blank_separated and u.gap_before:
                break
            item = L.strip_item_mark(u.text)
            n = L.word_count(item)
            if (
                u.used
                or L.list_header(u.text) is not None
                or n == 0
                or n > (MAX_MARKED_ITEM_WORDS if L.is_item_marked(u.text) else MAX_ITEM_WORDS)
                or L.is_call_to_action(item)
                or is_date_line(item)
                or L.is_credit(item)
                or (header.kind == "tags" and n > 4)
            ):
                break
            u.used = True
            u.kind = "list"
            _file_item(page, header.kind, i, item)
            taken += 1
            i += 1


def _file_item(page: Page, kind: str, position: int, item: str) -> None:
    if kind == "related":
        page.related.append((position, item))
    elif kind == "popular":
        page.popular.append(item)


def classify(page: Page, furniture: frozenset[str]) -> None:
    """Give every unit not in a list a kind: cta, caption, date, prose or short."""
    for u in page.units:
        if u.used:
            continue
        t = u.text
        if furniture and furniture_key(t) in furniture:
            u.kind = "cta"
        elif is_date_line(t):
            u.kind = "date"
        elif L.is_credit(t) or L.is_caption_text(t):
            u.kind = "caption"
        elif L.is_call_to_action(t):
            u.kind = "cta"
        elif L.is_strong_prose(t):
            u.kind = "prose"
        else:
            u.kind = "short"


_WINDOW_TITLE = re.compile(r"^(?P<title>.{12,}?)\s+[|–—-]\s+(?P<site>[^|–—]{2,60})$")
_DATELINE = re.compile(
    r"^(?P<dateline>(?:[A-Z][A-Z'.-]+(?:\s[A-Z][A-Z'.-]+){0,3}(?:,\s[A-Z][\w.]+)?"
    r"(?:\s\([^)]{1,40}\))?\s?(?:—|–|-|:))"
    r"|(?:[A-Z][a-z'.-]+(?:\s[A-Z][a-z'.-]+){0,2}(?:,\s[A-Z][\w.]+)?(?:\s\([^)]{1,40}\))?\s?(?:—|–|:)))\s+(?=\S)"
)


def clean_page(text: str, furniture: frozenset[str] = frozenset()) -> Cleaned:
    """The article recovered from one page (see :func:`digest.clean.clean_text`)."""
    page = read_units(text)
    units = page.units
    blank_separated = any(u.gap_before for u in units)
    take_lists(page, blank_separated)
    classify(page, furniture)
    page.captions.extend(u.text for u in units if u.kind == "caption")

    prose_at = [i for i, u in enumerate(units) if u.kind == "prose"]
    # Byline: in the head of the page, before the third prose line.
    distinct: list[int] = []
    seen_heads: set[str] = set()
    for i in prose_at:
        head = units[i].text[:40].casefold()
        if head not in seen_heads:
            seen_heads.add(head)
            distinct.append(i)
    limit = distinct[BYLINE_WINDOW_PROSE - 1] if len(distinct) >= BYLINE_WINDOW_PROSE else len(units)
    byline_at = next(
        (i for i in range(limit) if units[i].kind in ("short", "prose") and L.is_byline(units[i].text)),
        None,
    )
    start = prose_at[0] if prose_at else len(units)
    if byline_at is not None:
        start = next((i for i in prose_at if i > byline_at), start)
    end = prose_at[-1] if prose_at else -1
    head_prose: list[int] = []
    for _ in range(HEAD_PROSE_MAX):
        nxt = next((i for i in prose_at if i > start), None)
        if nxt is None:
            break
        repeated = repeat_key(units[nxt].text) == repeat_key(units[start].text)
        if not repeated and not _head_marker_between(units, start, nxt):
            break
        head_prose.append(start)
        start = nxt
    if byline_at is None:
        byline_at = next(
            (i for i in range(start) if units[i].kind in ("short", "prose") and L.is_byline(units[i].text)),
            None,
        )

    # Title (head of page), before the body is read.
    title_at, title = _head_title(page, start, byline_at, head_prose)
    if byline_at is None and title_at is not None:
        for i in range(title_at + 1, start):
            if units[i].kind == "short" and L.is_agency_like(units[i].text):
                byline_at = i
                break

    # Body region.
    body_units: list[int] = []
    subheads: list[tuple[int, str]] = []
    headlines: list[int] = []
    for i in range(start, end + 1):
        u = units[i]
        if u.used or i in (title_at, byline_at):
            continue
        if u.kind not in ("prose", "short"):
            continue
        inline = L.inline_related_title(u.text)
        if inline is not None:
            page.related.append((i, inline))
            continue
        if u.kind == "prose" or L.has_punctuation_end(u.text):
            body_units.append(i)
        elif L.word_count(u.text) <= MAX_SUBHEAD_WORDS:
            if L.word_count(u.text) > 0:
                subheads.append((i, u.text))
        elif L.is_title_like(u.text):
            headlines.append(i)
    # Short closing paragraphs after the last long one ("he said.").
    i = end + 1
    while i < len(units):
        u = units[i]
        if u.used or u.kind != "short" or L.word_count(u.text) < 3 or not L.ends_like_sentence(u.text):
            break
        if L.inline_related_title(u.text) is not None or L.is_agency_like(u.text):
            break
        body_units.append(i)
        i += 1
    end_body = i - 1

    # A second copy of the body preceded by title and standfirst (the seed layout).
    standfirst = ""
    mid = _mid_title(units, body_units, headlines)
    if mid is not None:
        t_at, s_at = mid
        title, title_at = units[t_at].text, t_at
        if s_at is not None:
            standfirst = units[s_at].text
        body_units = [i for i in body_units if i not in (t_at, s_at)]
        headlines = [i for i in headlines if i not in (t_at, s_at)]
    elif title_at is not None:
        standfirst = _head_standfirst(units, title_at, start, byline_at)

    # Glued inline headlines at a paragraph's end ("... said. MORE: Headline").
    texts: list[str] = []
    for i in body_units:
        t = units[i].text
        m = L.GLUED_INLINE.search(t)
        if m and L.word_count(m.group("title")) >= 3:
            page.related.append((i, m.group("title").strip()))
            t = t[: m.start()].rstrip()
        texts.append(t)
    for i in headlines:
        page.related.append((i, units[i].text))

    keep = collapse_repeats(texts)
    body = [texts[k] for k in keep]
    positions = [body_units[k] for k in keep]
    order = sorted(range(len(body)), key=lambda k: positions[k])
    # Fuller copies keep the first copy's place: sort by the first position of each kept text.
    first_pos = _first_positions(texts, body_units, keep)
    order = sorted(range(len(body)), key=lambda k: first_pos[k])
    body = [body[k] for k in order]
    first_sorted = [first_pos[k] for k in order]

    sub_texts, sub_index = _place_subheads(subheads, first_sorted)

    dateline = ""
    if body:
        m = _DATELINE.match(body[0])
        if m and L.word_count(body[0][m.end():]) >= 3:
            dateline = m.group("dateline")
            body[0] = body[0][m.end():]

    byline = units[byline_at].text if byline_at is not None else ""
    agency = _agency(units, end_body, byline)
    if not byline and agency:
        byline = agency  # a wire story's only credit is its agency line
    date = page.date or _find_page_date(units, start)
    return Cleaned(
        title=title,
        standfirst=standfirst,
        date=date,
        byline=byline,
        agency=agency,
        dateline=dateline,
        body=tuple(body),
        subheads=tuple(sub_texts),
        subhead_index=tuple(sub_index),
        captions=tuple(_unique(page.captions)),
        related=tuple(_unique([t for _, t in sorted(page.related, key=lambda x: x[0])])),
        popular=tuple(_unique(page.popular)),
    )


def _next_meaningful(units: list[Unit], i: int, stop: int) -> int | None:
    while i < min(stop, len(units)):
        if units[i].kind in ("short", "prose"):
            return i
        if units[i].kind not in ("date", "cta", "caption"):
            return None
        i += 1
    return None


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


def _previous_meaningful(units: list[Unit], i: int) -> int | None:
    """The nearest unit before ``i`` that is text (dates, prompts and captions skipped)."""
    for j in range(i - 1, -1, -1):
        if units[j].kind in ("short", "prose"):
            return j
        if units[j].kind not in ("date", "cta", "caption"):
            return None
    return None


def _head_title(
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
    if head_prose:
        before = _previous_meaningful(units, head_prose[0])
        if before is not None and units[before].kind == "short" and L.is_title_like(units[before].text, min_words=4):
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
    if page.glued and units and units[0].kind in ("short", "prose") and L.is_title_like(units[0].text):
        return 0, units[0].text
    for i in range(min(start, len(units)) - 1, -1, -1):
        u = units[i]
        if u.kind in ("short", "prose") and L.is_title_like(u.text, min_words=4) and not L.is_byline(u.text):
            return i, u.text
    return None, ""


def _head_standfirst(units: list[Unit], title_at: int, start: int, byline_at: int | None) -> str:
    for i in range(title_at + 1, min(start, len(units))):
        u = units[i]
        if i == byline_at or u.kind not in ("short", "prose"):
            continue
        if L.word_count(u.text) >= 8 and u.text != units[title_at].text:
            return u.text
    return ""


def _mid_title(units: list[Unit], body_units: list[int], headlines: list[int]) -> tuple[int, int | None] | None:
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
    candidates = sorted(
        i for i in [*body_units, *headlines] if i < again
    )
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


def _first_positions(texts: list[str], body_units: list[int], keep: list[int]) -> list[int]:
    """For each kept paragraph, the unit position of the first copy of it that was read."""
    keys = [repeat_key(t) for t in texts]
    out = []
    for k in keep:
        big = keys[k]
        first = body_units[k]
        for j, key in enumerate(keys):
            if body_units[j] >= first:
                break
            if key and (" " + key + " ") in (" " + big + " "):
                first = body_units[j]
                break
        out.append(first)
    return out


def _place_subheads(subheads: list[tuple[int, str]], body_positions: list[int]) -> tuple[list[str], list[int]]:
    """Each subhead once, with the body index it stands before; trailing ones dropped."""
    texts: list[str] = []
    index: list[int] = []
    seen: set[str] = set()
    for pos, text in subheads:
        key = repeat_key(text)
        if key in seen:
            continue
        at = next((k for k, p in enumerate(body_positions) if p > pos), None)
        if at is None or at == 0:
            continue
        seen.add(key)
        texts.append(text)
        index.append(at)
    return texts, index


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
