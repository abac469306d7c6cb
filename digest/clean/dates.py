"""Dates as pages print them, normalised to YYYY-MM-DD, and whether a date can be true.

Pure: nothing here reads the clock. :func:`is_plausible` takes the moment it
judges against as a parameter.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

EARLIEST_DATE = "1990-01-01"  # older dates on news pages are parse accidents (e.g. the 1970 epoch)
FUTURE_DAYS = 2  # a date this far past the build (time zones, embargoes) is taken as an error

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"  # noqa: E501
_PATTERNS = [
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)(?!\d)"),
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)/(?P<m>\d\d?)/(?P<d>\d\d?)(?!\d)"),
    re.compile(r"(?<![\d.])(?P<a>\d\d?)[./](?P<b>\d\d?)[./](?P<y>(?:19|20)\d\d)(?!\d)"),
    re.compile(
        r"(?<!\d)(?P<d>\d\d?)(?:st|nd|rd|th)?\s+(?:of\s+)?"
        + _MONTH
        + r",?\s+(?P<y>(?:19|20)\d\d)(?!\d)",
        re.I,
    ),
    re.compile(_MONTH + r"\s+(?P<d>\d\d?)(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)(?!\d)", re.I),
]
_DIGIT = re.compile(r"\d")
DATE_HEADER = re.compile(r"^\s*date\s+(\d{4}-\d\d-\d\d)(?:\s+|$)")


def _valid(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def find_date(text: str) -> str | None:
    """The first date printed in ``text`` as YYYY-MM-DD, or None.

    Reads ISO dates, ``YYYY/MM/DD``, ``DD.MM.YYYY`` and ``DD/MM/YYYY`` (day
    first unless only month-first is valid), ``2 Jul 2013``, ``July 2, 2013``.
    Only real calendar dates are returned.
    """
    best: tuple[int, str] | None = None
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            found = _from_match(m)
            if found and (best is None or m.start() < best[0]):
                best = (m.start(), found)
                break
    return best[1] if best else None


def _from_match(m: re.Match[str]) -> str | None:
    groups = m.groupdict()
    y = int(groups["y"])
    if groups.get("mon"):
        month = _MONTHS.get(groups["mon"].lower().rstrip("."))
        return _valid(y, month, int(groups["d"])) if month else None
    if groups.get("a"):
        a, b = int(groups["a"]), int(groups["b"])
        return _valid(y, b, a) or _valid(y, a, b)
    return _valid(y, int(groups["m"]), int(groups["d"]))


_DATE_ONLY = re.compile(
    r"^(?:(?:published|updated|first published|posted|last updated|last modified)(?: on| at)?:?\s*)?"  # noqa: E501
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s*)?"
    r"[\d\s./:,+\-TZ]*(?:" + _MONTH.replace("(?P<mon>", "(?:") + r")?[\d\s./:,+\-TZ]*"
    r"(?:gmt|utc|bst|cet|cest|et|est|edt|pt|pst|pdt|am|pm)?\s*$",
    re.I,
)


@lru_cache(maxsize=1 << 16)
def is_date_line(line: str) -> bool:
    """Whether the line is only a date or timestamp (with a published/updated label)."""
    return (
        len(line) <= 80
        and _DIGIT.search(line) is not None
        and find_date(line) is not None
        and bool(_DATE_ONLY.match(line))
    )


def is_plausible(day: str, reference: date) -> bool:
    """Whether the YYYY-MM-DD ``day`` can be an article's date when read on ``reference``:
    not before :data:`EARLIEST_DATE` nor more than :data:`FUTURE_DAYS` after it."""
    return EARLIEST_DATE <= day <= (reference + timedelta(days=FUTURE_DAYS)).isoformat()
