"""Calendar files (.ics) for sessions, with the ics library.

UIDs are derived from database ids (never random) so a calendar app that imports
an updated file replaces the event instead of adding a second one. ics 0.7.3 writes
Asia/Tokyo times as UTC ("...Z"), which every calendar app shows in local time
(stack_notes.md). ics writes lines of any length; `fold_lines` folds them at 75
octets as RFC 5545 §3.1 requires, never inside a UTF-8 character.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ics import Calendar, Event

UID_DOMAIN = "sumaho-desk"
# RFC 5545 §3.1: "Lines of text SHOULD NOT be longer than 75 octets, excluding the
# line break"; a longer line is split with CRLF followed by one space.
FOLD_OCTETS = 75


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
    return fold_lines(calendar.serialize()).encode("utf-8")


def fold_lines(text: str) -> str:
    """`text` with every line folded at 75 octets of UTF-8 (RFC 5545 §3.1).

    A continuation line starts with one space, which counts towards its 75
    octets; a multi-byte character is never split.

    Args:
        text: iCalendar text with CRLF (or LF) line ends.
    Returns:
        str with CRLF line ends.
    """
    out: list[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        part, size = "", 0
        for ch in line:
            octets = len(ch.encode("utf-8"))
            if size + octets > FOLD_OCTETS:
                out.append(part)
                part, size = " ", 1
            part += ch
            size += octets
        out.append(part)
    return "\r\n".join(out)
