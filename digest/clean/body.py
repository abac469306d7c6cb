"""The article's body: paragraphs, subheads and a list a paragraph introduces, taken
from the region where the article lies; headlines of other stories dropped into it
cut out; each paragraph once, in the order first printed; the dateline read off."""

from __future__ import annotations

import re
from dataclasses import dataclass

from digest.clean import lines as L
from digest.clean.bios import bio_paragraphs
from digest.clean.repeats import collapse_repeats, repeat_key
from digest.clean.units import Page, Unit
from digest.text import content_words

MAX_SUBHEAD_WORDS = 4  # every subhead in the generated gold has 2-4 words
INSERT_MIN_BODY = 6  # see _inserted_headlines
INSERT_MAX_WORDS = 40
INSERT_MAX_OVERLAP = 0.35  # blank-separated pages; see _inserted_headlines
LINE_INSERT_MAX_OVERLAP = 0.05  # line-per-paragraph pages; see _inserted_headlines

DATELINE = re.compile(
    r"^(?P<dateline>(?:[A-Z][A-Z'.-]+(?:\s[A-Z][A-Z'.-]+){0,3}(?:,\s[A-Z][\w.]+(?:\s\d{1,2})?)?"
    r"(?:\s\([^)]{1,40}\))?\s?(?:—|–|-|:))"
    r"|(?:[A-Z][a-z'.-]+(?:\s[A-Z][a-z'.-]+){0,2}(?:,\s[A-Z][\w.]+)?(?:\s\([^)]{1,40}\))?\s?(?:—|–|:)))\s+(?=\S)"
)


@dataclass
class BodyParts:
    """What the body region holds, as unit indices (``end``: the last one read)."""

    units: list[int]
    subheads: list[tuple[int, str]]
    headlines: list[int]
    end: int


def take_body(
    page: Page, start: int, end: int, title_at: int | None, byline_at: int | None
) -> BodyParts:
    """The body's paragraphs, subheads and stray headlines between the region's ends,
    and the short closing lines just past its end ("he said.")."""
    units = page.units
    body_units: list[int] = []
    subheads: list[tuple[int, str]] = []
    headlines: list[int] = []
    listing = False  # after a paragraph that introduces a list ("... the following:")
    for i in range(start, end + 1):
        u = units[i]
        if u.used or i in (title_at, byline_at) or u.kind not in ("prose", "short"):
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
    blank_separated = any(u.gap_before for u in units)
    inserted = _inserted_headlines(units, body_units, blank_separated)
    body_units = [i for i in body_units if i not in inserted]
    headlines = sorted([*headlines, *inserted])
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
    return BodyParts(body_units, subheads, headlines, i - 1)


def ordered_body(page: Page, body: BodyParts) -> tuple[list[str], list[str], list[int]]:
    """The paragraphs once each, in the order first printed, with glued and bracketed
    headlines of other stories cut out (filed as related), and the subheads placed:
    (paragraphs, subhead texts, index of the paragraph each subhead stands before)."""
    units = page.units
    texts: list[str] = []
    for i in body.units:
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
    for i in body.headlines:
        page.related.append((i, units[i].text))
    keep = collapse_repeats(texts)
    # Fuller copies keep the first copy's place: sort by the first position of each kept text.
    first_pos = _first_positions(texts, body.units, keep)
    order = sorted(range(len(keep)), key=lambda k: first_pos[k])
    paragraphs = [texts[keep[k]] for k in order]
    sub_texts, sub_index = _place_subheads(body.subheads, [first_pos[k] for k in order])
    return paragraphs, sub_texts, sub_index


def split_dateline(body: list[str]) -> tuple[str, str]:
    """The first paragraph's dateline and the agency it credits, if any.

    A place dateline ("Washington —") stays in the paragraph as printed (issue 2);
    one crediting an agency ("OTTAWA (EFE) -") is a wire credit, not prose, and
    leaves the body (``body[0]`` is changed in place): the credit is returned.
    """
    if not body:
        return "", ""
    m = DATELINE.match(body[0])
    if not m or L.word_count(body[0][m.end() :]) < 3:
        return "", ""
    dateline = m.group("dateline")
    credit_match = _CREDIT.search(dateline)
    if not credit_match:
        return dateline, ""
    body[0] = body[0][m.end() :]
    return dateline, credit_match.group(1).strip()


_CREDIT = re.compile(r"\(([^)]{1,40})\)")  # the agency in "PARIS (AP) -"
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


def opens_with_dateline(text: str) -> bool:
    """Whether the paragraph starts with a dateline ("Kilcarra — ...", "PARIS (AP) - ...")."""
    m = DATELINE.match(text)
    return m is not None and L.word_count(text[m.end() :]) >= 3


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


def without_bios(
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
