"""Calendar files (.ics) of sessions and of a volunteer's shifts."""

from __future__ import annotations

from datetime import datetime
from typing import Iterable

from db import volunteers
from db.feeds import FeedShift
from db.sessions import SessionRow
from locales import _
from printouts.calendar import CalendarEntry, render_ics


def sessions_ics(rows: Iterable[SessionRow], stamp: datetime, venue_title: bool = True) -> bytes:
    """An .ics file of sessions, one event each, cancelled ones marked
    STATUS:CANCELLED; UIDs come from the session ids, so re-imports replace events.

    Args:
        stamp: aware datetime written as DTSTAMP (now).
        venue_title: put the venue in the title: 「講座（会場）」.
    """
    return render_ics([
        CalendarEntry(
            session_id=s.id,
            title=f"{s.lesson_title}（{s.venue_name}）" if venue_title else s.lesson_title,
            starts_at=s.starts_at,
            ends_at=s.ends_at,
            location=f"{s.venue_name} {s.room_name}",
            description="",
            stamp=stamp,
            cancelled=s.status == "cancelled",
        )
        for s in rows
    ])


def shifts_ics(shifts: Iterable[FeedShift], stamp: datetime) -> bytes:
    """A volunteer's subscription feed (.ics): one event per shift, the role in the
    title (「講師：スマホの基本（会場）」); removed shifts and cancelled sessions
    are STATUS:CANCELLED so calendar apps drop them."""
    return render_ics([
        CalendarEntry(
            session_id=s.session.id,
            title=f"{_(volunteers.ROLES[s.role])}：{s.session.lesson_title}（{s.session.venue_name}）",
            starts_at=s.session.starts_at,
            ends_at=s.session.ends_at,
            location=f"{s.session.venue_name} {s.session.room_name}",
            description="",
            stamp=stamp,
            cancelled=s.cancelled,
        )
        for s in shifts
    ])
