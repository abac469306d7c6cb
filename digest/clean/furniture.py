"""Cross-file learning: lines a source prints on many of its pages are furniture."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from digest.clean.dates import DATE_HEADER
from digest.clean.lines import is_agency_like, is_byline
from digest.clean.repair import normalise


def furniture_key(line: str) -> str:
    """The form a line is compared in across files: case- and space-folded."""
    return " ".join(line.casefold().split())


def page_lines(text: str) -> list[str]:
    """The non-blank normalised lines of a page, the ``date`` header split off."""
    lines = [line for line in normalise(text).split("\n") if line]
    if lines:
        m = DATE_HEADER.match(lines[0])
        if m:
            rest = lines[0][m.end():].strip()
            lines[0:1] = [rest] if rest else []
    return lines


def learn_furniture(
    texts: Iterable[str],
    min_files: int = 5,
    min_share: float = 0.02,
    max_words: int = 40,
) -> frozenset[str]:
    """Lines (in :func:`furniture_key` form) that recur across many files of one source.

    A line is furniture when it occurs in at least ``min_files`` files and in at
    least ``min_share`` of all files. Defaults: on the generated corpus a story's
    copies share body lines across at most a handful of files (clusters rarely
    exceed 5), while a publisher's prompts recur in dozens; 2% keeps furniture
    learnt from a folder that mixes several publishers. Lines of more than
    ``max_words`` words are never furniture (a shared wire paragraph is content).
    """
    counts: Counter[str] = Counter()
    n = 0
    for text in texts:
        n += 1
        keys = {furniture_key(line) for line in page_lines(text)}
        counts.update(k for k in keys if k and len(k.split()) <= max_words)
    need = max(min_files, min_share * n)
    return frozenset(k for k, c in counts.items() if c >= need and not _credit_line(k))


def _credit_line(key: str) -> bool:
    """Bylines and agency credits recur but are metadata, read by the structure step."""
    return is_byline(key.title()) or is_agency_like(key.title())
