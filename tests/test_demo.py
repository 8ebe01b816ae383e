"""The demo centre of `make run`: invented people, sessions on ordinary days."""

from __future__ import annotations

from datetime import date

import jpholiday

from db import demo, loans, outreach, sessions, venues, volunteers
from db.clock import today_jst
from tests.conftest import ADMIN


def test_demo_fills_an_empty_database_once(database):
    demo.seed(database, today=today_jst())
    demo.seed(database, today=today_jst())
    assert len(venues.list_venues(database)) == 1 and len(venues.list_rooms(database)) == 2
    # Two requests from groups at places of their own (outreach venues).
    assert [r.status for r in outreach.list_requests(database, ADMIN)] == ["received", "arranging"]
    assert len(outreach.list_places(database)) == 2
    assert database["attendees"].count == 10
    assert len(volunteers.list_volunteers(database)) == 4
    assert database["sessions"].count == 6
    # Loan phones, for staff to lend to those booked without a phone of their own.
    assert database["loan_phones"].count == 5
    prepare = loans.to_prepare(database, [s.id for s in sessions.list_sessions(database)])
    assert sum(p.unassigned for p in prepare.values()) > 0


def test_demo_sessions_avoid_holidays_and_the_year_end(database):
    # From 20 December the next Tuesdays/Thursdays cross the year-end closure.
    today = today_jst()
    start = date(today.year if today < date(today.year, 12, 20) else today.year + 1, 12, 20)
    demo.seed(database, today=start)
    days = [s.starts_at.date() for s in sessions.list_sessions(database)]
    assert len(days) == 6
    for day in days:
        assert not jpholiday.is_holiday(day)
        assert not ((day.month, day.day) >= (12, 29) or (day.month, day.day) <= (1, 3))
        assert day.weekday() in (1, 3)


def test_demo_phone_numbers_are_in_the_fictional_range(database):
    demo.seed(database, today=today_jst())
    phones = [r["phone"] for r in database.query("select phone from attendees union all select phone from volunteers")]
    assert phones and all(p.startswith("090-0000-") for p in phones)
