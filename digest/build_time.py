"""The two times of a build, each decided once.

The *reference moment* is what article dates are judged against (a date days
past it is a mistake): ``SOURCE_DATE_EPOCH`` when set, else the clock, read once
at the door. The *build stamp* is the time the site shows as built:
``SOURCE_DATE_EPOCH`` when set, else midnight UTC of the latest article date,
else (no article gives a date) the newest input's modification or fetch time
(:func:`digest.sources.newest_input`); never the clock, so two builds of the
same inputs give the same bytes (and incremental rendering can reuse unchanged
pages).
See https://reproducible-builds.org/specs/source-date-epoch/.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Mapping

EPOCH_ENV = "SOURCE_DATE_EPOCH"


def reference_moment(environ: Mapping[str, str] | None = None) -> dt.datetime:
    """``SOURCE_DATE_EPOCH`` when set (so that a build can be reproduced exactly), else now."""
    epoch = _epoch(environ)
    return epoch if epoch is not None else dt.datetime.now(dt.UTC)


def build_stamp(dates: Iterable[str | None], environ: Mapping[str, str] | None = None,
                newest_input: Callable[[], dt.datetime | None] | None = None) -> str:
    """The build time shown on the site, as an ISO timestamp: ``SOURCE_DATE_EPOCH`` when
    set, otherwise midnight UTC of the latest of ``dates`` (ISO days or timestamps),
    otherwise what ``newest_input`` gives (the newest input's modification or fetch time,
    asked only then), otherwise the Unix epoch (a build without any input)."""
    epoch = _epoch(environ)
    if epoch is None:
        latest = max((d for d in (_day(v) for v in dates) if d), default=None)
        if latest is not None:
            epoch = dt.datetime(latest.year, latest.month, latest.day, tzinfo=dt.UTC)
    if epoch is None and newest_input is not None:
        newest = newest_input()
        epoch = newest.astimezone(dt.UTC).replace(microsecond=0) if newest else None
    if epoch is None:
        epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    return epoch.isoformat(timespec="seconds")


def _epoch(environ: Mapping[str, str] | None) -> dt.datetime | None:
    value = (os.environ if environ is None else environ).get(EPOCH_ENV, "").strip()
    return dt.datetime.fromtimestamp(int(value), dt.UTC) if value.isdigit() else None


def _day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None
