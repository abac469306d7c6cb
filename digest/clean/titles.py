"""Title affixes a source prints around every headline ("Site Name: ...", "... - Site Name").

Learnt per source from the head lines (those before the first sentence-shaped
line) of its pages: a run of capitalised words set off by a separator that
opens or closes head lines on many pages, each time around different words,
is the source's name, not part of any one headline. No list of names or
phrases is used: only recurrence and shape.

The learnt affixes travel inside the furniture set as marker keys (a NUL
character opens them; :func:`digest.clean.repair.normalize` removes NUL from
every page, so no line of a page can equal one).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

PREFIX_MARK = "\x00title-prefix\x00"
SUFFIX_MARK = "\x00title-suffix\x00"

# Settings, each a measured choice (benchmarks/clean.py, held-out publisher folds).
MIN_AFFIX_WORDS = 2  # one word is a kicker ("WATCH:", "Analysis:"), kept in the headline
MAX_AFFIX_WORDS = 5  # site names run 1-4 words, "The" included
MIN_SHARE = 0.1  # of the source's pages whose head shows the affix
MIN_PAGES = 3  # and never fewer pages than this
MIN_REST_WORDS = 3  # what is left must still be a headline

_SEPARATORS = r"(?:\s*[:|]\s+|\s+[-–—|]\s+)"
_PREFIX = re.compile(rf"^(?P<affix>[^:|–—]{{2,60}}?){_SEPARATORS}(?P<rest>\S.*)$")
_SUFFIX = re.compile(rf"^(?P<rest>.*\S){_SEPARATORS}(?P<affix>[^:|–—]{{2,60}})$")
_WORD = re.compile(r"[\w'’.&-]+")


def _name_shaped(affix: str, cased: bool = True) -> bool:
    """A run of 2-5 words; when ``cased``, each capitalised and not all in capitals
    (a name, not a kicker). Learning reads case-folded keys, so it checks the count
    only; stripping checks the printed title's case."""
    words = affix.split()
    if not MIN_AFFIX_WORDS <= len(words) <= MAX_AFFIX_WORDS:
        return False
    if not cased:
        return all(_WORD.fullmatch(w) is not None and not w.isdigit() for w in words)
    return all(
        _WORD.fullmatch(w) is not None and w[:1].isupper() and not (w.isupper() and len(w) > 1)
        for w in words
    )


def _enough(rest: str) -> bool:
    return len(rest.split()) >= MIN_REST_WORDS


def _affixes(line: str, cased: bool = True) -> tuple[str | None, str | None]:
    """The name-shaped prefix and suffix of one line (case kept), if any."""
    prefix = suffix = None
    m = _PREFIX.match(line)
    if m and _name_shaped(m.group("affix"), cased) and _enough(m.group("rest")):
        prefix = m.group("affix")
    m = _SUFFIX.match(line)
    if m and _name_shaped(m.group("affix"), cased) and _enough(m.group("rest")):
        suffix = m.group("affix")
    return prefix, suffix


def learn_title_affixes(heads: Iterable[Sequence[str]]) -> frozenset[str]:
    """Marker keys of the affixes that recur around the head lines of one source's pages.

    ``heads`` holds, per page, the lines before its first sentence-shaped line
    (furniture-key form is fine: affixes are compared case-folded). Guarantees:
    an affix is learnt only when it has 2-5 words (no bare numbers), stands at
    the same end of a head line on at least ``max(MIN_PAGES, MIN_SHARE * pages)``
    pages, and leaves a different remainder of 3+ words on at least ``MIN_PAGES`` of them.
    """
    pages = 0
    count: Counter[tuple[str, str]] = Counter()
    rests: dict[tuple[str, str], set[str]] = {}
    for head in heads:
        pages += 1
        seen: set[tuple[str, str]] = set()
        for line in head:
            prefix, suffix = _affixes(line, cased=False)
            for end, affix in (("p", prefix), ("s", suffix)):
                if affix is None:
                    continue
                key = (end, " ".join(affix.casefold().split()))
                rests.setdefault(key, set()).add(line.casefold())
                seen.add(key)
        count.update(seen)
    need = max(MIN_PAGES, MIN_SHARE * pages)
    out = set()
    for (end, affix), n in count.items():
        if n >= need and len(rests[(end, affix)]) >= MIN_PAGES:
            out.add((PREFIX_MARK if end == "p" else SUFFIX_MARK) + affix)
    return frozenset(out)


# A last segment that is a web address ("... - Example.com"), set off by a separator.
_ADDRESS = re.compile(r"[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}")  # ends in a name: .com, .co.uk
_ADDRESS_SEPARATORS = (" | ", " - ", " -- ", " – ", " — ")


def _without_address(title: str) -> str:
    """``title`` without a last segment that is a web address, if enough words remain."""
    cut = max(title.rfind(sep) for sep in _ADDRESS_SEPARATORS)
    if cut < 0:
        return title
    tail = title[cut:].strip(" |-–—")
    head = title[:cut].rstrip()
    if _ADDRESS.fullmatch(tail) and len(head.split()) >= MIN_REST_WORDS:
        return head
    return title


def strip_title_affixes(title: str, furniture: frozenset[str]) -> str:
    """``title`` without a learnt prefix or suffix (see :func:`learn_title_affixes`), nor
    a last segment that is the site's web address.

    Guarantees: the result is a substring of ``title``; it is ``title`` itself (the
    address aside) when nothing was learnt, when the printed affix is not name-shaped (2-5
    capitalised words, not all capitals: "BREAKING NEWS:" stays), when no
    learnt affix matches, or when stripping would leave fewer than ``MIN_REST_WORDS`` words.
    """
    if not title:
        return title
    title = _without_address(title)
    if not furniture:
        return title
    prefix, suffix = _affixes(title)
    out = title
    if prefix is not None and PREFIX_MARK + " ".join(prefix.casefold().split()) in furniture:
        m = _PREFIX.match(out)
        if m:
            out = m.group("rest")
    if suffix is not None and SUFFIX_MARK + " ".join(suffix.casefold().split()) in furniture:
        m = _SUFFIX.match(out)
        if m and len(m.group("rest").split()) >= MIN_REST_WORDS:
            out = m.group("rest")
    return out
