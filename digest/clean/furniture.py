"""Cross-file learning: lines a source prints on many of its pages are furniture.

A line that recurs across a source's files is furniture only when it is not
article prose. Copies of one story (re-scrapes, updates, a shared wire
paragraph) repeat real paragraphs across files; those must survive. So a
sentence-shaped line is learnt only when it is short enough to be a prompt
and recurs across files that are otherwise different stories.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from digest.clean.dates import DATE_HEADER
from digest.clean.lines import (
    is_agency_like,
    is_byline,
    is_call_to_action,
    is_strong_prose,
    word_count,
)
from digest.clean.repair import normalize
from digest.clean.titles import learn_title_affixes


def furniture_key(line: str) -> str:
    """The form a line is compared in across files: case- and space-folded."""
    return " ".join(line.casefold().split())


def page_lines(text: str) -> list[str]:
    """The non-blank normalised lines of a page, the ``date`` header split off."""
    lines = [line for line in normalize(text).split("\n") if line]
    if lines:
        m = DATE_HEADER.match(lines[0])
        if m:
            rest = lines[0][m.end() :].strip()
            lines[0:1] = [rest] if rest else []
    return lines


@dataclass(frozen=True)
class PageLines:
    """What furniture learning reads of one page: its line keys, and where its prose runs
    (the first and last sentence-shaped line; ``len(keys)`` and -1 when there is none)."""

    keys: tuple[str, ...]
    first_prose: int
    last_prose: int


def read_page(text: str) -> PageLines:
    """One page's part of furniture learning: pure, so it can be cached by the page's text."""
    keys = tuple(furniture_key(line) for line in page_lines(text))
    prose_at = [i for i, k in enumerate(keys) if _is_prose(k)]
    return PageLines(keys, prose_at[0] if prose_at else len(keys),
                     prose_at[-1] if prose_at else -1)


def learn_furniture(texts: Iterable[str]) -> frozenset[str]:
    """:func:`learn_from_pages` (default settings) over the pages' texts."""
    return learn_from_pages(read_page(text) for text in texts)


def learn_from_pages(
    pages: Iterable[PageLines],
    min_files: int = 5,
    min_share: float = 0.02,
    max_words: int = 40,
    max_prompt_words: int = 24,
    max_copies_share: float = 0.05,
) -> frozenset[str]:
    """Lines (in :func:`furniture_key` form) that recur across many files of one source.

    Guarantees: a line is returned only when it occurs in at least
    ``min_files`` files and in at least ``min_share`` of all files, and it is
    not the article's own text. Sentence-shaped lines (see
    :func:`~digest.clean.lines.is_strong_prose`) of more than
    ``max_prompt_words`` words are never furniture; one held by at most
    ``max(2 * min_files, max_copies_share * n)`` files marks those files as
    copies of one story (more files than that: a publisher's disclaimer). A
    shorter line is furniture when it recurs in ``min_files`` files that are
    not copies of each other; a line that recurs only within copies is
    furniture only when it is not sentence-shaped and always stands after the
    page's last sentence-shaped line (a footer): in the head or between
    paragraphs it is the story's own title, standfirst or subhead. A line in
    the head of fewer than half of the files holding it is a headline (its own
    page's title, other pages' link lists). Lines of more than ``max_words``
    words are never furniture. The set also holds the source's title affixes
    as marker keys (see :mod:`digest.clean.titles`); no page line equals one.

    Defaults: on the generated corpus a story's copies share body lines across
    at most a handful of files (clusters rarely exceed 5) while a publisher's
    prompts recur in dozens; 2% keeps furniture learnt from a folder mixing
    several publishers. The longest sentence-shaped prompt learnt there has 21
    words, and every one is also a call to action; real paragraphs run longer.
    """
    files_of: defaultdict[str, list[int]] = defaultdict(list)
    in_text: set[str] = set()  # keys seen at least once before a page's last prose line
    in_head: Counter[str] = Counter()  # files where the key stands before the first prose line
    n = 0
    heads: list[tuple[str, ...]] = []  # each page's lines up to its first prose line
    for page in pages:
        keys = page.keys
        heads.append(keys[: page.first_prose + 1])
        in_text.update(keys[: max(page.last_prose, 0)])
        in_head.update(set(keys[: max(page.first_prose, 0)]))  # once per file
        for k in dict.fromkeys(keys):
            if k:
                files_of[k].append(n)
        n += 1
    need = max(min_files, min_share * n)
    max_copies = max(2 * min_files, max_copies_share * n)
    # Copies of one story share a long prose line that few files hold.
    story_lines: defaultdict[int, set[str]] = defaultdict(set)
    candidates: list[str] = []
    for k, files in files_of.items():
        if len(files) < 2:
            continue
        if word_count(k) > max_prompt_words and _is_prose(k):
            if len(files) <= max_copies:
                for f in files:
                    story_lines[f].add(k)
            continue  # content, never furniture
        if len(files) >= need and word_count(k) <= max_words and not _credit_line(k):
            candidates.append(k)
    out: set[str] = set()
    for k in candidates:
        if 0 < in_head[k] < len(files_of[k]) / 2:
            continue  # a headline: its own page's title, other pages' link lists
        if _distinct_stories(files_of[k], story_lines, need) >= need:
            out.add(k)
        elif k not in in_text and not _is_prose(k):
            out.add(k)  # a footer line on every copy of one story
    return frozenset(out) | learn_title_affixes(heads)


def _distinct_stories(files: list[int], story_lines: dict[int, set[str]], enough: float) -> int:
    """Files (counted up to ``enough``) sharing no long prose line with an earlier one."""
    seen: set[str] = set()
    count = 0
    for f in files:
        lines = story_lines.get(f, set())
        if seen.isdisjoint(lines):
            count += 1
            if count >= enough:
                break
        seen |= lines
    return count


def _is_prose(key: str) -> bool:
    """A sentence-shaped line that no call-to-action vocabulary marks as furniture."""
    return is_strong_prose(key) and not is_call_to_action(key)


def _credit_line(key: str) -> bool:
    """Bylines and agency credits recur but are metadata, read by the structure step."""
    return is_byline(key.title()) or is_agency_like(key.title())
