"""The numbers reported to the centre and the 推進委員会, computed in SQL.

Fiscal years (年度) run from 1 April to 31 March.
"""

from __future__ import annotations

from datetime import date

from sqlite_utils import Database


def fiscal_year_of(d: date) -> int:
    """The fiscal year (年度) a date belongs to: 2026-03-31 → 2025, 2026-04-01 → 2026."""
    return d.year if d.month >= 4 else d.year - 1


def totals(db: Database, start: date, end: date) -> dict[str, object]:
    """Class totals for sessions starting in [start, end) (JST dates).

    Returns:
        {"sessions": held or scheduled sessions (not cancelled), "cancelled": …,
         "seats": capacity offered, "bookings": seats taken, "attendances": marked
         attended, "unique_attendees": distinct attendees holding a seat,
         "by_age_band": {年代: distinct attendees}}.
    """
    window = [start.isoformat(), end.isoformat()]
    base = "from sessions s where substr(s.starts_at, 1, 10) >= ? and substr(s.starts_at, 1, 10) < ?"
    sessions, seats = db.execute(f"select count(*), coalesce(sum(capacity), 0) {base} and s.status != 'cancelled'", window).fetchone()
    cancelled = db.execute(f"select count(*) {base} and s.status = 'cancelled'", window).fetchone()[0]
    seated = (
        "from bookings b join sessions s on s.id = b.session_id join attendees a on a.id = b.attendee_id "
        "where substr(s.starts_at, 1, 10) >= ? and substr(s.starts_at, 1, 10) < ? and s.status != 'cancelled' "
        "and b.status in ('booked', 'offered', 'attended', 'absent')"
    )
    bookings, unique = db.execute(f"select count(*), count(distinct b.attendee_id) {seated}", window).fetchone()
    attendances = db.execute(f"select count(*) {seated} and b.status = 'attended'", window).fetchone()[0]
    by_age = {
        r[0]: r[1]
        for r in db.execute(f"select coalesce(a.age_band, ''), count(distinct a.id) {seated} group by 1 order by 1", window)
    }
    return {
        "sessions": sessions,
        "cancelled": cancelled,
        "seats": seats,
        "bookings": bookings,
        "attendances": attendances,
        "unique_attendees": unique,
        "by_age_band": by_age,
    }
