"""Dates as the site's readers expect them.

Article dates are calendar days (``YYYY-MM-DD``); they are shown in the
site's locale (``site.locale`` in feeds.yaml, else ``site.language``). The
build time is shown in the site's time zone (``site.timezone``).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as babel_date
from babel.dates import format_datetime as babel_datetime


@lru_cache(maxsize=16)
def locale_of(name: str) -> Locale:
    """The Babel locale for ``name`` ("en_GB", "uk"); English if Babel does not know it."""
    try:
        return Locale.parse(name or "en")
    except (ValueError, UnknownLocaleError):
        return Locale.parse("en")


def parse_day(value: str | None) -> dt.date | None:
    """The calendar day of an ISO date (or the day part of an ISO timestamp); None otherwise."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


@lru_cache(maxsize=65_536)
def format_day(value: str | None, locale: str = "en") -> str:
    """"4 March 2026" (en_GB), "March 4, 2026" (en), "4 березня 2026 р." (uk) for an ISO
    date; the raw value if it is not one; "Undated" for None or ""."""
    if not value:
        return "Undated"
    day = parse_day(value)
    return babel_date(day, format="long", locale=locale_of(locale)) if day else value


@lru_cache(maxsize=4096)
def format_month(month: str, locale: str = "en") -> str:
    """"March 2026" for ``2026-03`` in the locale's standalone month form."""
    day = parse_day(f"{month}-01")
    if day is None:
        return month
    return babel_date(day, format="LLLL y", locale=locale_of(locale))


def format_moment(stamp: str, locale: str = "en", timezone: str = "UTC") -> str:
    """An ISO timestamp as a date and time in ``timezone``, e.g. "4 March 2026, 07:30 GMT"."""
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    local = moment.astimezone(ZoneInfo(timezone))
    return babel_datetime(local, format="d MMMM y, HH:mm zzz", locale=locale_of(locale))

