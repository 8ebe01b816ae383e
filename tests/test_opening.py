"""Offer deadlines a person can keep (DESIGN.md §7, issue 11): the desk's closing
time on the 2nd open day after the offer, skipping holidays, the year-end
closure and the venue's closures, never later than an hour before the class."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as strat

from db.clock import JST
from db.opening import OpenDays, offer_deadline
from db.sessions import day_note
from db.settings import Settings

DEFAULT = Settings()
NO_CLOSURES = OpenDays(frozenset())


def jst(y, m, d, hh=0, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=JST)


def test_an_offer_made_before_dawn_holds_until_five_on_the_second_open_day():
    # Wednesday 2026-12-02 04:53: Thu 3rd is the 1st open day, Fri 4th the 2nd.
    deadline = offer_deadline(NO_CLOSURES, DEFAULT, jst(2026, 12, 2, 4, 53), jst(2026, 12, 10, 10))
    assert deadline == jst(2026, 12, 4, 17)


def test_holidays_and_the_year_end_closure_are_not_open_days():
    # 12/26 (Sat) open, 12/27 (Sun) open; 12/28 open; then 12/29–1/3 closed.
    assert offer_deadline(NO_CLOSURES, DEFAULT, jst(2026, 12, 27, 10), jst(2027, 1, 20, 10)) == jst(2027, 1, 4, 17)
    # 2027-01-11 is 成人の日: the offer of Saturday 1/9 skips it.
    assert day_note(date(2027, 1, 11))
    assert offer_deadline(NO_CLOSURES, DEFAULT, jst(2027, 1, 9, 12), jst(2027, 1, 30, 10)) == jst(2027, 1, 12, 17)


def test_the_venues_own_closures_are_skipped():
    closed = OpenDays(frozenset({"2026-12-03", "2026-12-04"}))
    assert offer_deadline(closed, DEFAULT, jst(2026, 12, 2, 10), jst(2026, 12, 20, 10)) == jst(2026, 12, 6, 17)


def test_never_later_than_an_hour_before_the_class():
    deadline = offer_deadline(NO_CLOSURES, DEFAULT, jst(2026, 12, 2, 10), jst(2026, 12, 3, 13, 30))
    assert deadline == jst(2026, 12, 3, 12, 30)


def test_no_offer_when_no_desk_hour_is_left_before_the_class():
    # Friday 18:00 for a Saturday 09:30 class: the desk opens at 09:00, and the
    # offer would have to end at 08:30.
    assert offer_deadline(NO_CLOSURES, DEFAULT, jst(2026, 12, 4, 18), jst(2026, 12, 5, 9, 30)) is None
    # 50 minutes before the start there is no hour left at all.
    assert offer_deadline(NO_CLOSURES, DEFAULT, jst(2026, 12, 3, 9, 10), jst(2026, 12, 3, 10)) is None


def test_the_settings_choose_the_hours_and_the_open_days():
    later = Settings(desk_opens="10:00", desk_closes="19:30", offer_open_days=1)
    assert offer_deadline(NO_CLOSURES, later, jst(2026, 12, 2, 11), jst(2026, 12, 20, 10)) == jst(2026, 12, 3, 19, 30)


@hsettings(max_examples=300, deadline=None)
@given(
    offered=strat.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2030, 12, 31)),
    lead=strat.timedeltas(min_value=timedelta(minutes=1), max_value=timedelta(days=30)),
    closed_days=strat.sets(strat.integers(min_value=0, max_value=40), max_size=8),
)
def test_a_deadline_is_always_one_a_person_can_keep(offered, lead, closed_days):
    offered_at = offered.replace(tzinfo=JST)
    starts_at = offered_at + lead
    calendar = OpenDays(frozenset((offered_at.date() + timedelta(days=n)).isoformat() for n in closed_days))
    deadline = offer_deadline(calendar, DEFAULT, offered_at, starts_at)
    if deadline is None:
        return
    assert deadline <= starts_at - timedelta(hours=1)
    assert deadline - offered_at >= timedelta(minutes=10)
    assert time(9) < deadline.timetz().replace(tzinfo=None) <= time(17) or deadline == starts_at - timedelta(hours=1)
    # Some desk time on an open day lies between the offer and its deadline.
    day = offered_at.date()
    windows = []
    while day <= deadline.date():
        if calendar.is_open(day):
            start = max(offered_at, datetime.combine(day, time(9), tzinfo=JST))
            end = min(deadline, datetime.combine(day, time(17), tzinfo=JST))
            windows.append(end - start)
        day += timedelta(days=1)
    assert max(windows) >= timedelta(minutes=10)
