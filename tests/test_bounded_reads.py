"""Reads of a window (now, a day, a month, a queue) cost the same after years of
history: counted in SQLite steps, never timed."""

from __future__ import annotations

from datetime import datetime, timedelta

import lessons
from db import sessions
from db.clock import JST, now_jst
from tests.steps import vm_steps

LESSON = next(iter(lessons.catalogue()))


def add_past_sessions(database, room: int, count: int, start: datetime) -> None:
    """`count` held sessions, one a day going back from `start`, each with two bookings."""
    person = database["attendees"].insert({"name": "過去 太郎", "name_kana": "カコ タロウ", "created_at": "2020-01-01T00:00:00+00:00"}).last_pk
    for n in range(count):
        begin = (start - timedelta(days=n + 1)).astimezone(JST)
        session_id = database["sessions"].insert({
            "lesson_id": LESSON, "room_id": room, "starts_at": begin.isoformat(),
            "ends_at": (begin + timedelta(minutes=90)).isoformat(), "capacity": 10, "status": "scheduled",
        }).last_pk
        database["bookings"].insert({"session_id": session_id, "attendee_id": person, "status": "booked",
                                     "queued_at": "2020-01-01T00:00:00+00:00"})


def test_upcoming_sessions_are_read_without_walking_past_ones(database, centre, make_session):
    upcoming = make_session()
    start = now_jst().replace(hour=10, minute=0, second=0, microsecond=0)
    add_past_sessions(database, centre[1], 20, start)
    few = vm_steps(database, lambda: sessions.list_sessions(database))
    add_past_sessions(database, centre[2], 2000, start)
    many = vm_steps(database, lambda: sessions.list_sessions(database))
    assert [s.id for s in sessions.list_sessions(database)] == [upcoming]
    assert many <= few * 1.5 + 5


def test_a_running_session_is_still_listed(database, centre):
    start = (now_jst() - timedelta(minutes=170)).replace(second=0, microsecond=0)
    running = database["sessions"].insert({
        "lesson_id": LESSON, "room_id": centre[1], "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(minutes=180)).isoformat(), "capacity": 10, "status": "scheduled",
    }).last_pk
    assert [s.id for s in sessions.list_sessions(database)] == [running]
