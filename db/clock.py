"""Time in one place: Japan Standard Time for people, UTC for stored stamps."""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

JST = ZoneInfo("Asia/Tokyo")


def now_jst() -> datetime:
    """The current time as an aware datetime in Asia/Tokyo."""
    return datetime.now(JST)


def today_jst() -> date:
    """Today's date in Japan."""
    return now_jst().date()


def now_utc_iso() -> str:
    """The current time as ISO 8601 UTC with offset, e.g. ``2026-11-21T05:00:00+00:00``."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def parse_iso(value: str) -> datetime:
    """Parse a stored ISO 8601 timestamp; stored times always carry an offset.

    Raises:
        ValueError: the text is not ISO 8601 or has no offset.
    """
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError(f"naive timestamp in database: {value}")
    return parsed
