"""Time in one place: Japan Standard Time for people, UTC for stored stamps.

Every rule reads the time from here (DESIGN.md §5, "time is an input"). Tests fix
it with time-machine, which moves ``datetime.now`` for the whole process. A
process can also be started at another instant: ``SUMAHO_NOW`` (ISO 8601 with an
offset, e.g. ``2026-12-10T09:00:00+09:00``) sets the clock at start-up, and it runs
on from there. Browser tests start their server that way, and staff can rehearse
a future day on a copy of the database.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

JST = ZoneInfo("Asia/Tokyo")
CLOCK_ENV = "SUMAHO_NOW"


def _offset_from_env() -> timedelta:
    value = os.environ.get(CLOCK_ENV, "").strip()
    if not value:
        return timedelta(0)
    start = datetime.fromisoformat(value)
    if start.tzinfo is None:
        raise ValueError(f"{CLOCK_ENV} needs an offset, e.g. 2026-12-10T09:00:00+09:00: {value}")
    return start - datetime.now(timezone.utc)


_offset = _offset_from_env()


def now_utc() -> datetime:
    """The current time as an aware datetime in UTC."""
    return datetime.now(timezone.utc) + _offset


def now_jst() -> datetime:
    """The current time as an aware datetime in Asia/Tokyo."""
    return now_utc().astimezone(JST)


def today_jst() -> date:
    """Today's date in Japan."""
    return now_jst().date()


def now_utc_iso() -> str:
    """The current time as ISO 8601 UTC with offset, e.g. ``2026-11-21T05:00:00+00:00``."""
    return now_utc().isoformat(timespec="seconds")


def utc_iso(moment: datetime) -> str:
    """An aware datetime as stored: ISO 8601 UTC to the second.

    Raises:
        ValueError: `moment` is naive.
    """
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime has no time zone: {moment.isoformat()}")
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def parse_iso(value: str) -> datetime:
    """Parse a stored ISO 8601 timestamp; stored times always carry an offset.

    Raises:
        ValueError: the text is not ISO 8601 or has no offset.
    """
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError(f"naive timestamp in database: {value}")
    return parsed
