"""The reports' maintained tallies (db/schema.py m020: ``session_tallies`` and
``report_people``) equal a count from scratch after any sequence of writes:
bookings made, moved between statuses (cancelled, waitlisted, offered, attended,
late, absent, attendance taken back), moved or deleted; sessions cancelled,
moved to another month, fiscal year or room, given another lesson; residents'
年代 and device changed, residents erased. The migration counts what was there."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

import db
from db import retention, schema
from db.clock import JST

STATUSES = ("booked", "waitlisted", "offered", "cancelled", "attended", "absent")
# Either side of a month's and a fiscal year's turn.
STARTS = tuple(
    datetime(*day, 10, tzinfo=JST).isoformat()
    for day in ((2025, 3, 31), (2025, 4, 1), (2025, 4, 30), (2025, 5, 1), (2026, 3, 31), (2026, 4, 1))
)
LESSONS = ("phone-basics", "line-basics", "scams-safety")
AGE_BANDS = ("", "60代", "70代", "80代以上")
DEVICES = ("", "iPhone", "Android")
SESSIONS, PEOPLE = 5, 5


def tallies(handle: Database) -> tuple[list, list]:
    """The maintained tables' rows, and the same counted from scratch."""
    kept = (handle.execute("select * from session_tallies order by 1").fetchall(),
            handle.execute("select * from report_people order by 1, 2, 3, 4, 5").fetchall())
    scratch = (handle.execute(f"select * from ({schema.SESSION_TALLIES}) order by 1").fetchall(),
               handle.execute(f"select * from ({schema.REPORT_PEOPLE}) order by 1, 2, 3, 4, 5").fetchall())
    return kept, scratch


def add_sessions_and_people(handle: Database, rooms: list[int]) -> tuple[list[int], list[int]]:
    sessions = [
        handle["sessions"].insert({"lesson_id": LESSONS[n % len(LESSONS)], "room_id": rooms[n % len(rooms)], "starts_at": STARTS[n],
                                   "ends_at": STARTS[n].replace("T10:", "T11:"), "capacity": 10, "status": "scheduled"}).last_pk
        for n in range(SESSIONS)
    ]
    people = [
        handle["attendees"].insert({"name": f"受講 {n}", "name_kana": "ジュコウ", "age_band": AGE_BANDS[n % len(AGE_BANDS)],
                                    "device": DEVICES[n % len(DEVICES)], "created_at": "2020-01-01T00:00:00+00:00"}).last_pk
        for n in range(PEOPLE)
    ]
    return sessions, people


session_index = st.integers(0, SESSIONS - 1)
person_index = st.integers(0, PEOPLE - 1)
booking_index = st.integers(0, 30)
WRITES = st.one_of(
    st.tuples(st.just("book"), session_index, person_index, st.sampled_from(STATUSES), st.booleans(), st.booleans()),
    st.tuples(st.just("status"), booking_index, st.sampled_from(STATUSES), st.booleans()),
    st.tuples(st.just("late"), booking_index, st.booleans()),
    st.tuples(st.just("move"), booking_index, session_index, person_index),
    st.tuples(st.just("delete"), booking_index),
    st.tuples(st.just("cancel_session"), session_index, st.booleans()),
    st.tuples(st.just("reschedule"), session_index, st.sampled_from(STARTS), st.integers(0, 1)),
    st.tuples(st.just("relesson"), session_index, st.sampled_from(LESSONS)),
    st.tuples(st.just("resident"), person_index, st.sampled_from(AGE_BANDS), st.sampled_from(DEVICES)),
    st.tuples(st.just("erase"), person_index),
)


def write(handle: Database, step: tuple, sessions: list[int], people: list[int], rooms: list[int]) -> None:
    """One write of `WRITES`, as the app's modules make it (a raw statement, so the
    triggers alone keep the tallies); a write the schema refuses changes nothing."""
    kind, *args = step
    booking_ids = [r[0] for r in handle.execute("select id from bookings order by id")]

    def booking(n: int) -> int | None:
        return booking_ids[n % len(booking_ids)] if booking_ids else None

    try:
        if kind == "book":
            session, person, status, late, offered = args
            handle.execute(
                "insert into bookings (session_id, attendee_id, status, queued_at, late, offered_until) values (?, ?, ?, ?, ?, ?)",
                [sessions[session], people[person], status, "2025-01-01T00:00:00+00:00", int(late),
                 "2025-01-02T08:00:00+00:00" if offered else None],
            )
        elif kind == "status" and booking(args[0]):
            handle.execute("update bookings set status = ?, offered_until = ? where id = ?",
                           [args[1], "2025-01-02T08:00:00+00:00" if args[2] else None, booking(args[0])])
        elif kind == "late" and booking(args[0]):
            handle.execute("update bookings set late = ? where id = ?", [int(args[1]), booking(args[0])])
        elif kind == "move" and booking(args[0]):
            handle.execute("update bookings set session_id = ?, attendee_id = ? where id = ?",
                           [sessions[args[1]], people[args[2]], booking(args[0])])
        elif kind == "delete" and booking(args[0]):
            handle.execute("delete from loans where booking_id = ?", [booking(args[0])])
            handle.execute("delete from bookings where id = ?", [booking(args[0])])
        elif kind == "cancel_session":
            handle.execute("update sessions set status = ? where id = ?", ["cancelled" if args[1] else "scheduled", sessions[args[0]]])
        elif kind == "reschedule":
            handle.execute("update sessions set starts_at = ?, room_id = ? where id = ?", [args[1], rooms[args[2]], sessions[args[0]]])
        elif kind == "relesson":
            handle.execute("update sessions set lesson_id = ? where id = ?", [args[1], sessions[args[0]]])
        elif kind == "resident":
            handle.execute("update attendees set age_band = ?, device = ? where id = ?", [args[1], args[2], people[args[0]]])
        elif kind == "erase":
            retention._erase(handle, people[args[0]])
            handle.execute("update attendees set anonymised_at = coalesce(anonymised_at, '2025-06-01T00:00:00+00:00') where id = ?",
                           [people[args[0]]])
    except sqlite3.IntegrityError:
        pass  # a second booking of the same person in one session


def check_after_each(database: Database, steps: list[tuple], rooms: list[int], same_key: bool = False) -> None:
    """Make `steps` on fresh sessions and people, comparing the tallies with a
    count from scratch after each; everything is rolled back afterwards. With
    `same_key` the sessions are two of one lesson, room and month."""
    database.execute("savepoint example")
    try:
        sessions, people = add_sessions_and_people(database, rooms)
        if same_key:
            sessions = [
                database["sessions"].insert({"lesson_id": LESSONS[0], "room_id": rooms[0], "starts_at": STARTS[n],
                                             "ends_at": STARTS[n].replace("T10:", "T11:"), "capacity": 10, "status": "scheduled"}).last_pk
                for n in (1, 2)
            ]
        for step in steps:
            write(database, step, sessions, people, rooms)
            kept, scratch = tallies(database)
            assert kept == scratch, step
    finally:
        database.execute("rollback to example")
        database.execute("release example")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(WRITES, max_size=40))
def test_the_tallies_equal_a_count_from_scratch_after_any_writes(database, centre, steps):
    check_after_each(database, steps, list(centre[1:]))


BOOKINGS = st.tuples(st.just("book"), st.integers(0, 1), st.integers(0, 1), st.sampled_from(STATUSES), st.booleans(), st.booleans())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(BOOKINGS, min_size=2, max_size=10))
def test_each_new_booking_adds_itself_to_counts_already_kept(database, centre, steps):
    # Bookings pile up in two sessions of one lesson, room and month, so most of
    # them add to a session's and a person's month's counts already there.
    check_after_each(database, steps, list(centre[1:]), same_key=True)


def test_the_migration_counts_the_bookings_already_there(tmp_path):
    path = tmp_path / "before.sqlite3"
    handle = Database(sqlite3.connect(path))
    schema.migrations.apply(handle, stop_before="m020_report_tallies")
    venue = handle["venues"].insert({"name": "会場", "address": "", "phone": ""}).last_pk
    rooms = [handle["rooms"].insert({"venue_id": venue, "name": f"部屋{n}", "seats": 10}).last_pk for n in range(2)]
    sessions, people = add_sessions_and_people(handle, rooms)
    for n, status in enumerate(STATUSES * 3):
        handle.execute(
            "insert or ignore into bookings (session_id, attendee_id, status, queued_at, late, offered_until) values (?, ?, ?, ?, ?, ?)",
            [sessions[n % SESSIONS], people[(n * 2) % PEOPLE], status, "2025-01-01T00:00:00+00:00", n % 2,
             "2025-01-02T08:00:00+00:00" if n % 3 == 0 else None],
        )
    handle.execute("update sessions set status = 'cancelled' where id = ?", [sessions[0]])
    handle.conn.commit()
    handle.conn.close()
    db.init_db(path)
    with db.connect(path) as migrated:
        kept, scratch = tallies(migrated)
        assert kept == scratch
        assert kept[0] and kept[1], "there was something to count"
