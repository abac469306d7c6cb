"""Text repair: the normalised form of a scraped page that every output is cut from.

:func:`normalize` fixes broken Unicode (mojibake) with ftfy, turns non-breaking
and other odd spaces into plain spaces, drops zero-width and control
characters and unifies line ends. Curly quotes are kept as they are.
:func:`paragraph_lines` then rejoins hard-wrapped lines into paragraphs.
"""

from __future__ import annotations

import re

import ftfy
from ftfy.badness import is_bad

from digest.clean.lines import is_credit

# ftfy's defaults straighten curly quotes and fold width; we keep what was printed.
_FTFY = ftfy.TextFixerConfig(
    uncurl_quotes=False,
    fix_character_width=False,
    fix_latin_ligatures=False,
    normalization="NFC",
    explain=False,
)
_ODD_SPACE = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\f\v]")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad\x00-\x08\x0e-\x1f\x7f]")
_SPACES = re.compile(r" {2,}")
# UTF-8 read as Latin-1/cp1252 turns every non-ASCII character into a lead byte
# (U+00C2-U+00F4) followed by a continuation byte (U+0080-U+00BF or its cp1252
# form); curly quotes or accents alone in clean text never look like that.
_MOJIBAKE_HINT = re.compile(
    r"[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    r"\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]|\ufffd"
)


def normalize(text: str) -> str:
    """The page with repaired Unicode and plain spaces, one line per input line.

    Guarantees: no character outside ``\\n`` and printable text; no line has
    leading, trailing or doubled spaces; mojibake that ftfy can prove is
    reversed; curly quotes and the line structure are kept.
    """
    if not isinstance(text, str):
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    # ftfy is the slow part; only pages with a hint of mojibake pay for it.
    if _MOJIBAKE_HINT.search(text) and is_bad(text):
        text = ftfy.fix_text(text, _FTFY)
    text = _INVISIBLE.sub("", _ODD_SPACE.sub(" ", text))
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


def uses_blank_line_paragraphs(lines: list[str], min_share: float = 0.25) -> bool:
    """Whether blank lines separate the page's blocks (else every line is a block).

    ``min_share``: blank lines per non-blank line above which the page is taken
    to separate paragraphs by blank lines; the generated publishers either do it
    everywhere (about 1.0) or never (0.0), so anything in between works.
    """
    blank = sum(1 for line in lines if not line)
    filled = len(lines) - blank
    return filled > 0 and blank >= min_share * filled


# "SEE ALSO: headline" on its own line is an inline link, never part of a wrapped paragraph.
_LABELLED = re.compile(r"^[A-Z][A-Z' ]{1,20}:\s")
_ITEM_START = re.compile(r"^(?:[•·▪►*»–—-]\s|\d{1,2}[.)]\s)")


def paragraph_lines(
    lines: list[str],
    wrap_min_chars: int = 40,
    wrap_max_chars: int = 110,
) -> list[str]:
    """Blocks of a blank-line-separated page, hard-wrapped lines rejoined with a space.

    A block is rejoined only when it looks hard-wrapped: every line at most
    ``wrap_max_chars`` long (hard wrapping is done at a fixed width, usually
    70-100), every line but the last at least ``wrap_min_chars`` long, and no
    line starting like a list item or ending in a photo credit (a caption set
    into a paragraph). Other blocks are returned line by line.
    Joining with one space keeps each result a substring of the page once
    line breaks count as spaces.
    """
    out: list[str] = []
    block: list[str] = []

    def flush() -> None:
        if len(block) > 1 and _is_wrapped(block, wrap_min_chars, wrap_max_chars):
            out.append(" ".join(block))
        else:
            out.extend(block)
        block.clear()

    for line in lines:
        if line:
            block.append(line)
        else:
            flush()
    flush()
    return out


def _is_wrapped(block: list[str], wrap_min: int, wrap_max: int, even: float = 0.75) -> bool:
    """Hard wrapping fills every line but the last to about the same width.

    ``even``: each line but the last is at least this share of the longest
    line (wrapped lines differ by one word; a headline over a standfirst does not).
    """
    if any(
        len(line) > wrap_max
        or _ITEM_START.match(line)
        or _LABELLED.match(line)
        or is_credit(line)
        for line in block
    ):
        return False
    width = max(len(line) for line in block)
    return all(len(line) >= max(wrap_min, even * width) for line in block[:-1])
