"""Scheduling rules for one session: times, capacity, rooms, closures."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

import lessons
from db import sessions
from db.clock import now_jst
from db.errors import InvalidInput, NotFound, RoomTaken, VenueClosed
from tests.conftest import STAFF, at, working_day

LESSON = next(iter(lessons.catalogue()))


def create(database, room, start, minutes=90, capacity=4, lesson=LESSON):
    return sessions.create_session(database, STAFF, lesson, room, start, start + timedelta(minutes=minutes), capacity)


def test_session_is_stored_in_jst_and_listed_with_its_lesson(database, centre):
    day = working_day()
    session_id = create(database, centre[2], at(day, 10))
    row = sessions.get_session(database, session_id)
    assert database["sessions"].get(session_id)["starts_at"].endswith("+09:00")
    assert (row.starts_at.hour, row.ends_at.hour, row.ends_at.minute) == (10, 11, 30)
    assert row.lesson_title == lessons.catalogue()[LESSON].title
    assert [s.id for s in sessions.list_sessions(database)] == [session_id]
    assert row.helpers_needed == 1 and row.understaffed


@pytest.mark.parametrize(
    "change, field",
    [
        ({"lesson": "no-such-lesson"}, "lesson_id"),
        ({"minutes": -30}, "ends_at"),
        ({"minutes": 0}, "ends_at"),
        ({"minutes": 20}, "ends_at"),
        ({"minutes": 240}, "ends_at"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": 5}, "capacity"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(database, centre, change, field):
    args = {"minutes": 90, "capacity": 4, "lesson": LESSON, **change}
    with pytest.raises(InvalidInput) as err:
        create(database, centre[2], at(working_day(), 10), **args)
    assert err.value.field == field
    assert database["sessions"].count == 0


def test_past_start_is_refused(database, centre):
    with pytest.raises(InvalidInput, match="過去"):
        create(database, centre[2], now_jst() - timedelta(hours=1))


def test_naive_time_is_refused(database, centre):
    from datetime import datetime

    with pytest.raises(InvalidInput):
        sessions.create_session(database, STAFF, LESSON, centre[2], datetime(2099, 1, 6, 10), datetime(2099, 1, 6, 11), 4)


def test_room_cannot_be_double_booked_but_touching_sessions_are_fine(database, centre):
    day = working_day()
    first = create(database, centre[2], at(day, 10))
    with pytest.raises(RoomTaken, match=re.escape(sessions.describe(database, first))):
        create(database, centre[2], at(day, 11))
    create(database, centre[2], at(day, 11, 30))  # starts as the first ends
    create(database, centre[1], at(day, 10))  # another room at the same time
    assert database["sessions"].count == 3


def test_session_on_a_closure_date_is_refused(database, centre):
    day = working_day()
    database["closures"].insert({"venue_id": centre[0], "date": day.isoformat(), "reason": "館内点検"})
    database.conn.commit()
    with pytest.raises(VenueClosed, match="館内点検"):
        create(database, centre[2], at(day, 10))


def test_unknown_room_is_not_found(database, centre):
    with pytest.raises(NotFound):
        create(database, 999, at(working_day(), 10))


@pytest.mark.parametrize(
    "day, note",
    [
        (date(2026, 11, 23), "勤労感謝の日"),
        (date(2027, 1, 11), "成人の日"),
        (date(2026, 12, 29), "年末年始"),
        (date(2027, 1, 3), "年末年始"),
        (date(2026, 12, 3), ""),
    ],
)
def test_day_note_names_holidays_and_the_year_end_closure(day, note):
    assert sessions.day_note(day) == note


def test_helpers_follow_the_ratio():
    assert [sessions.helpers_for(c, 4) for c in (1, 4, 5, 12, 15)] == [1, 1, 2, 3, 4]
