"""Recover an article's structure from the lines of one scraped page.

The page is read as a list of units (lines, or rejoined paragraphs on
blank-line-separated pages). Link lists are taken out first (a header such as
"Related stories" or "Most read" and the titles under it); every other unit is
classified by shape and vocabulary; the body is the stretch between the first
and the last line that can only be article prose (a dateline moves its start,
a readers' comments section its end); the title, byline and standfirst are
read from the units around it. The dateline is reported in its own field and
stays at the start of the first paragraph, as printed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from digest.clean import lines as L
from digest.clean.bios import bio_paragraphs
from digest.clean.dates import DATE_HEADER, find_date, is_date_line
from digest.clean.furniture import furniture_key
from digest.clean.markup import split_markup
from digest.clean.region import comments_cut, headline_anchor, main_block
from digest.clean.repair import normalize, paragraph_lines, uses_blank_line_paragraphs
from digest.clean.repeats import collapse_repeats, repeat_key
from digest.clean.titles import strip_title_affixes
from digest.records import Cleaned
from digest.text import content_words


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
CAPTION_MAX_WORDS = 12  # caption lines above credits run 2-9 words
MAX_TITLE_WORDS = 50  # the longest generated titles are whole first sentences
HEAD_PROSE_MAX = 3  # sentence-long title and standfirst may precede the byline
MIN_TITLE_WORDS = 3  # shorter head lines are kickers ("BREAKING") or section labels
NAV_ITEM_WORDS = 3  # navigation items run 1-3 words
MAX_MARKED_ITEM_WORDS = 80  # a numbered or bulleted item may be a whole teaser paragraph
DATELINE_SEARCH_PROSE = 30  # an agency dateline this far down still opens the article
INSERT_MIN_BODY = 6  # see _inserted_headlines
INSERT_MAX_WORDS = 40
INSERT_MAX_OVERLAP = 0.35  # blank-separated pages; see _inserted_headlines
LINE_INSERT_MAX_OVERLAP = 0.05  # line-per-paragraph pages; see _inserted_headlines


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


_WINDOW_TITLE = re.compile(r"^(?P<title>.{12,}?)\s+[|–—-]\s+(?P<site>[^|–—]{2,60})$")
_DATELINE = re.compile(
    r"^(?P<dateline>(?:[A-Z][A-Z'.-]+(?:\s[A-Z][A-Z'.-]+){0,3}(?:,\s[A-Z][\w.]+(?:\s\d{1,2})?)?"
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
    limit = (
        distinct[BYLINE_WINDOW_PROSE - 1] if len(distinct) >= BYLINE_WINDOW_PROSE else len(units)
    )
    byline_at = next(
        (
            i
            for i in range(limit)
            if units[i].kind in ("short", "prose") and L.is_byline(units[i].text)
        ),
        None,
    )
    start = prose_at[0] if prose_at else len(units)
    if byline_at is not None:
        start = next((i for i in prose_at if i > byline_at), start)
    # A page that opens with its window title prints the headline again above the
    # article: whatever prose stands before that is the site's, not the article's.
    anchor = headline_anchor(units, prose_at)
    if anchor is not None and anchor > start:
        start = anchor
    end = prose_at[-1] if prose_at else -1
    comments = comments_cut(units, start, end, _opens_comments)
    if comments is not None:
        end = max((i for i in prose_at if i < comments), default=-1)
    main = main_block(units, [i for i in prose_at if start <= i <= end])
    if main is not None:
        end = main[1]  # prose further down, past a stretch of non-text, is not the article's
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
    if later and not _opens_with_dateline(units[start].text):
        at = next((i for i in later if _opens_with_dateline(units[i].text)), None)
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
    if byline_at is None:
        byline_at = next(
            (
                i
                for i in range(start)
                if units[i].kind in ("short", "prose") and L.is_byline(units[i].text)
            ),
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
    listing = False  # after a paragraph that introduces a list ("... the following:")
    for i in range(start, end + 1):
        u = units[i]
        if u.used or i in (title_at, byline_at):
            listing = False
            continue
        if u.kind not in ("prose", "short"):
            listing = False
            continue
        inline = L.inline_related_title(u.text)
        if inline is not None:
            page.related.append((i, inline))
            continue
        if u.kind == "prose" or L.has_punctuation_end(u.text):
            body_units.append(i)
            listing = _introduces_list(u.text)
        elif listing:
            body_units.append(i)
        elif L.word_count(u.text) <= MAX_SUBHEAD_WORDS:
            if L.word_count(u.text) > 0:
                subheads.append((i, u.text))
        elif L.is_title_like(u.text):
            headlines.append(i)
    inserted = _inserted_headlines(units, body_units, blank_separated)
    body_units = [i for i in body_units if i not in inserted]
    headlines = sorted([*headlines, *inserted])
    # Short closing paragraphs after the last long one ("he said.").
    i = end + 1
    while i < len(units):
        u = units[i]
        if (
            u.used
            or u.kind != "short"
            or L.word_count(u.text) < 3
            or not L.ends_like_sentence(u.text)
        ):
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
        standfirst = _head_standfirst(units, title_at, start, byline_at, title)

    # Glued inline headlines at a paragraph's end ("... said. MORE: Headline").
    texts: list[str] = []
    for i in body_units:
        t = units[i].text
        b = _BRACKETED.match(t)
        if b and L.word_count(b.group("title")) >= 3:
            # "[Headline of another story] rest of the paragraph": a link in brackets.
            page.related.append((i, b.group("title").strip()))
            t = b.group("rest")
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

    # A place dateline ("Washington —") stays in the paragraph as printed (issue 2);
    # one crediting an agency ("OTTAWA (EFE) -") is a wire credit, not prose, and
    # leaves the body: the credit is kept in ``dateline`` (and ``agency``).
    dateline = ""
    credit = ""
    if body:
        m = _DATELINE.match(body[0])
        if m and L.word_count(body[0][m.end() :]) >= 3:
            dateline = m.group("dateline")
            credit_match = _CREDIT.search(dateline)
            if credit_match:
                credit = credit_match.group(1).strip()
                body[0] = body[0][m.end() :]

    byline = L.byline_name(units[byline_at].text) if byline_at is not None else ""
    body, sub_texts, sub_index = _without_bios(body, sub_texts, sub_index, byline)
    agency = _agency(units, end_body, byline)
    if not byline and agency:
        byline = agency  # a wire story's only credit is its agency line
    agency = agency or credit
    date = page.date or _find_page_date(units, start)
    return Cleaned(
        title=strip_title_affixes(title, furniture),
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


_CREDIT = re.compile(r"\(([^)]{1,40})\)")  # the agency in "PARIS (AP) -"

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


_BRACKETED = re.compile(r"^\[(?P<title>[^\[\]]{10,300})\]\s*(?P<rest>.*)$")
_SENTENCE_BREAK = re.compile(r"[.!?][\"'”’]?\s+[A-Z\"“‘']")


# A line that ends in a colon after this many words introduces a list: the short
# lines below it are its items, kept in the body ("... the following:").
LIST_INTRO_MIN_WORDS = 5


def _introduces_list(text: str) -> bool:
    """Whether the paragraph ends with a colon after a clause of LIST_INTRO_MIN_WORDS+ words."""
    return text.rstrip().endswith(":") and L.word_count(text) >= LIST_INTRO_MIN_WORDS


def _inserted_headlines(
    units: list[Unit],
    body_units: list[int],
    blank_separated: bool,
    min_body: int = INSERT_MIN_BODY,
    max_words: int = INSERT_MAX_WORDS,
    max_overlap: float = INSERT_MAX_OVERLAP,
) -> set[int]:
    """Unlabelled headlines of other stories dropped into the body, as unit indices.

    A candidate is a single sentence of at most ``max_words`` words standing
    where a paragraph cannot: on a blank-line-separated page, opening a block
    that goes on (without a blank line) with a paragraph; on a line-per-paragraph
    page, between two body units. It is taken out when less than ``max_overlap``
    (blank-separated) or ``LINE_INSERT_MAX_OVERLAP`` (line per paragraph) of its
    content words occur elsewhere in the body: the article's own sentences
    share its names and topic. Bodies of fewer than ``min_body`` units are left
    alone (too little text to know the topic). Defaults, measured on the generated gold: 40
    words covers the inserted headlines; on blank-separated pages the shape is
    nearly decisive (body F1 unchanged from 0.35 up to no topic test at all),
    while on line-per-paragraph pages only 0.05 keeps body F1 (0.9896 against
    0.9897 without the rule) and brings the inline-headline leak from 2.1% to 1.7%.
    """
    if len(body_units) < min_body:
        return set()  # too little text to tell what the article is about
    body = set(body_units)
    limit = max_overlap if blank_separated else LINE_INSERT_MAX_OVERLAP
    candidates = []
    for i in body_units:
        nxt = i + 1
        if blank_separated:
            shape = units[i].gap_before and nxt in body and not units[nxt].gap_before
        else:
            shape = nxt in body and i - 1 in body
        if (
            shape
            and L.word_count(units[i].text) <= max_words
            and not _SENTENCE_BREAK.search(units[i].text)
        ):
            candidates.append(i)
    if not candidates:
        return set()
    vocab = {i: set(content_words(units[i].text)) for i in body_units}
    counts: dict[str, int] = {}
    for words_ in vocab.values():
        for w in words_:
            counts[w] = counts.get(w, 0) + 1
    out: set[int] = set()
    for i in candidates:
        if vocab[i] and sum(1 for w in vocab[i] if counts[w] > 1) / len(vocab[i]) < limit:
            out.add(i)
    return out


def _opens_with_dateline(text: str) -> bool:
    """Whether the paragraph starts with a dateline ("Kilcarra — ...", "PARIS (AP) - ...")."""
    m = _DATELINE.match(text)
    return m is not None and L.word_count(text[m.end() :]) >= 3


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


def _head_standfirst(
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


def _mid_title(
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


def _place_subheads(
    subheads: list[tuple[int, str]], body_positions: list[int]
) -> tuple[list[str], list[int]]:
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


def _without_bios(
    body: list[str], sub_texts: list[str], sub_index: list[int], byline: str
) -> tuple[list[str], list[str], list[int]]:
    """The body without the author's bio (see :func:`digest.clean.bios.bio_paragraphs`),
    subheads re-pointed at the paragraphs that remain (one before nothing is dropped)."""
    drop = bio_paragraphs(body, byline)
    if not drop:
        return body, sub_texts, sub_index
    kept = [k for k in range(len(body)) if k not in drop]
    new_index = {old: new for new, old in enumerate(kept)}
    subs = [(t, new_index[i]) for t, i in zip(sub_texts, sub_index, strict=True) if i in new_index]
    return [body[k] for k in kept], [t for t, _ in subs], [i for _, i in subs]


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
