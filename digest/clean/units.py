"""A scraped page read as units: lines, or paragraphs rejoined on blank-line pages.

Link lists (a header such as "Related stories" or "Most read" and the titles
under it) are taken out first and filed as related or popular; every other
unit gets a kind by its shape and vocabulary: ``cta``, ``caption``, ``date``,
``prose`` (can only be article text) or ``short``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from digest.clean import lines as L
from digest.clean.dates import DATE_HEADER, is_date_line
from digest.clean.furniture import furniture_key
from digest.clean.markup import split_markup
from digest.clean.repair import normalize, paragraph_lines, uses_blank_line_paragraphs


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
CAPTION_MAX_WORDS = 12  # caption lines above credits run 2-9 words
MAX_MARKED_ITEM_WORDS = 80  # a numbered or bulleted item may be a whole teaser paragraph


def read_units(text: str) -> Page:
    """Normalise the page and cut it into units, the ``date`` header read off."""
    raw = [piece for line in normalize(text).split("\n") for piece in split_markup(line)]
    date = None
    glued = False
    for i, line in enumerate(raw):
        if not line:
            continue
        m = DATE_HEADER.match(line)
        if m:
            date = m.group(1)
            rest = line[m.end() :].strip()
            raw[i] = rest
            glued = bool(rest)
        break
    units: list[Unit] = []
    # Hard-wrapped blocks are rejoined wherever blank lines cut the page, even when
    # only its body is blank-separated; gaps count as structure only on pages that
    # separate everything by blank lines.
    gaps = uses_blank_line_paragraphs(raw)
    if gaps or "" in raw:
        gap = False
        block: list[str] = []
        for line in [*raw, ""]:
            if line:
                block.append(line)
                continue
            if block:
                for k, para in enumerate(paragraph_lines(block)):
                    units.append(Unit(para, gap_before=gaps and k == 0 and gap))
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
        items = list(header.items)
        if items and _NAMED_LIST.match(units[i].text):
            items[0] = _without_site_name(units, i, items[0])
        for item in items:
            _file_item(page, header.kind, i, item)
        i += 1
        if header.items:
            continue
        taken = 0
        while i < len(units) and taken < MAX_LIST_ITEMS:
            u = units[i]
            if taken and blank_separated and u.gap_before:
                break
            if taken and _numbering_ends(units, i, taken):
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


def _numbering_ends(units: list[Unit], i: int, taken: int) -> bool:
    """Whether a numbered list ("1. ...", "2. ...") ends at unit ``i``: every item taken
    so far was numbered and this line is not, so it is the page going on (a comments
    notice, a footer), not one more item."""
    return not L.is_item_marked(units[i].text) and all(
        L.is_item_marked(units[j].text) for j in range(i - taken, i)
    )


_NAMED_LIST = re.compile(r"(?i)^(?:more|latest)\s+(?:from|in|on)\s")


def _without_site_name(units: list[Unit], at: int, item: str, max_words: int = 4) -> str:
    """The first item of "More from Site Name First title | ..." without the site name.

    The name is the longest run of 2 to ``max_words`` capitalised words that
    opens the item, is printed elsewhere on the page, and leaves a capitalised
    title of 3+ words; failing that, a run of 2 to ``max_words`` capitalised
    words followed by a capitalised then a lower-case word ("The Lantern Review
    Norwich move up ..."). Otherwise the item is returned as it is.
    """
    tokens = item.split(" ")
    for k in range(min(max_words, len(tokens) - 3), 1, -1):
        name, rest = " ".join(tokens[:k]), " ".join(tokens[k:])
        if not all(t[:1].isupper() for t in tokens[:k]) or not rest[:1].isupper():
            continue
        folded = name.casefold()
        if any(folded in u.text.casefold() for j, u in enumerate(units) if j != at):
            return rest
    # Not printed elsewhere: the header names something, so a run of capitalised
    # words then one more capitalised word and a lower-case one is "Name Title ...".
    run = 0
    while run < len(tokens) and tokens[run][:1].isupper():
        run += 1
    if 3 <= run <= max_words + 1 and run < len(tokens) and tokens[run][:1].islower():
        rest = " ".join(tokens[run - 1 :])
        if len(tokens) - run + 1 >= 3:
            return rest
    return item


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
        elif L.is_call_to_action(t) and not _names_with_role(t):
            u.kind = "cta"
        elif L.is_strong_prose(t):
            u.kind = "prose"
        else:
            u.kind = "short"
    # A short sentence right above a bare credit line is that photo's caption.
    units = page.units
    for i in range(1, len(units)):
        u, prev = units[i], units[i - 1]
        if (
            u.kind == "caption"
            and L.is_credit(u.text)
            and prev.kind in ("short", "prose")
            and L.word_count(prev.text) <= CAPTION_MAX_WORDS
            and L.ends_like_sentence(prev.text)
        ):
            prev.kind = "caption"


def _names_with_role(text: str) -> bool:
    """A byline of names and a role, no date ("NAME SURNAME | Harbour Correspondent"):
    it reads like a breadcrumb or a prompt to the call-to-action test, but the byline
    shape wins. A line with a date stamp ("Site - since 1915") is left to that test."""
    return L.is_byline(text) and L.byline_name(text) == text


def classified_page(text: str, furniture: frozenset[str]) -> Page:
    """The page's units, link lists taken out and every other unit classified."""
    page = read_units(text)
    take_lists(page, any(u.gap_before for u in page.units))
    classify(page, furniture)
    page.captions.extend(u.text for u in page.units if u.kind == "caption")
    return page
