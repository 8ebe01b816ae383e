"""Calendar files (.ics) for sessions, with the ics library.

UIDs are derived from database ids (never random) so a calendar app that imports
an updated file replaces the event instead of adding a second one. ics 0.7.3 writes
Asia/Tokyo times as UTC ("...Z"), which every calendar app shows in local time
(stack_notes.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ics import Calendar, Event

UID_DOMAIN = "sumaho-desk"


@dataclass(frozen=True)
class CalendarEntry:
    """One session as a calendar event.

    starts_at / ends_at: aware datetimes. stamp: aware datetime of the data's
    last change (written as DTSTAMP). cancelled: marks STATUS:CANCELLED.
    """

    session_id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    location: str
    description: str
    stamp: datetime
    cancelled: bool = False


def session_uid(session_id: int) -> str:
    """Stable UID of a session's event: ``session-<id>@sumaho-desk``."""
    return f"session-{session_id}@{UID_DOMAIN}"


def render_ics(entries: list[CalendarEntry]) -> bytes:
    """An iCalendar file with one VEVENT per entry.

    Returns:
        UTF-8 bytes with CRLF line ends (RFC 5545).
    Raises:
        ValueError: a naive datetime.
    """
    calendar = Calendar()
    for entry in entries:
        for value in (entry.starts_at, entry.ends_at, entry.stamp):
            if value.tzinfo is None:
                raise ValueError("calendar times must be timezone-aware")
        event = Event(
            name=entry.title,
            begin=entry.starts_at,
            end=entry.ends_at,
            uid=session_uid(entry.session_id),
            location=entry.location,
            description=entry.description,
            created=entry.stamp,
        )
        if entry.cancelled:
            event.status = "CANCELLED"
        calendar.events.add(event)
    return calendar.serialize().encode("utf-8")
