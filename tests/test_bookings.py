"""The booking rule: never more bookings than seats, never the same person twice."""

from __future__ import annotations

import multiprocessing
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import db
from db import attendees, bookings, sessions
from db.errors import AlreadyBooked, InvalidInput, NotFound, SessionFull, SessionNotOpen
from db.permissions import Actor
from tests.conftest import STAFF


def add_people(database, n: int, start: int = 1) -> list[int]:
    return [
        attendees.register_attendee(database, STAFF, f"受講者{i}", "テスト", f"090-0000-{i:04d}", consent=True)
        for i in range(start, start + n)
    ]


def seats_taken(database, session_id: int) -> int:
    return sessions.get_session(database, session_id).seats_taken


def test_booking_takes_a_seat_and_is_listed(database, make_session):
    session_id = make_session(capacity=4)
    (person,) = add_people(database, 1)
    bookings.book(database, STAFF, session_id, person)
    assert seats_taken(database, session_id) == 1
    assert [b.attendee_id for b in bookings.list_bookings(database, STAFF, session_id)] == [person]


def test_same_attendee_cannot_book_twice(database, make_session):
    session_id = make_session(capacity=4)
    (person,) = add_people(database, 1)
    bookings.book(database, STAFF, session_id, person)
    with pytest.raises(AlreadyBooked, match="すでに"):
        bookings.book(database, STAFF, session_id, person)
    assert seats_taken(database, session_id) == 1


def test_full_session_refuses_and_writes_nothing(database, make_session):
    session_id = make_session(capacity=2)
    people = add_people(database, 3)
    for person in people[:2]:
        bookings.book(database, STAFF, session_id, person)
    before = database["bookings"].count, database["audit_log"].count
    with pytest.raises(SessionFull, match="満席"):
        bookings.book(database, STAFF, session_id, people[2])
    assert (database["bookings"].count, database["audit_log"].count) == before


def test_cancel_frees_the_seat_and_rebooking_reuses_the_row(database, make_session):
    session_id = make_session(capacity=1)
    first, second = add_people(database, 2)
    booking_id = bookings.book(database, STAFF, session_id, first)
    with pytest.raises(InvalidInput):
        bookings.cancel_booking(database, STAFF, booking_id, "  ")
    bookings.cancel_booking(database, STAFF, booking_id, "体調不良")
    bookings.book(database, STAFF, session_id, second)
    with pytest.raises(SessionFull):
        bookings.book(database, STAFF, session_id, first)
    bookings.cancel_booking(database, STAFF, bookings.list_bookings(database, STAFF, session_id)[0].id, "都合")
    assert bookings.book(database, STAFF, session_id, first) == booking_id
    with pytest.raises(NotFound):
        bookings.cancel_booking(database, STAFF, 9999, "理由")


def test_cancelled_session_takes_no_bookings(database, make_session):
    session_id = make_session(capacity=4)
    (person,) = add_people(database, 1)
    database.execute("update sessions set status = 'cancelled' where id = ?", [session_id])
    database.conn.commit()
    with pytest.raises(SessionNotOpen):
        bookings.book(database, STAFF, session_id, person)


def test_every_booking_and_cancellation_is_audited(database, make_session):
    session_id = make_session(capacity=4)
    (person,) = add_people(database, 1)
    booking_id = bookings.book(database, Actor("窓口A", "staff"), session_id, person)
    bookings.cancel_booking(database, Actor("窓口B", "staff"), booking_id, "都合")
    rows = list(database.query("select user, action from audit_log where entity = 'bookings' and entity_id = ? order by id", [str(booking_id)]))
    assert rows == [{"user": "窓口A", "action": "book"}, {"user": "窓口B", "action": "cancel"}]


def test_audit_rows_cannot_be_changed_or_deleted(database, make_session):
    make_session()
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        database.execute("delete from audit_log")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        database.execute("update audit_log set user = 'x'")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    capacity=st.integers(min_value=1, max_value=5),
    actions=st.lists(st.tuples(st.sampled_from(["book", "cancel"]), st.integers(min_value=0, max_value=7)), max_size=40),
)
def test_any_sequence_of_bookings_and_cancellations_respects_capacity(database, centre, make_session, capacity, actions):
    # One new session per example, on its own day so the room is free.
    session_id = make_session(capacity=capacity, room=centre[1], offset=7 + database["sessions"].count)
    people = add_people(database, 8, start=database["attendees"].count + 1)
    held: dict[int, int] = {}
    for action, index in actions:
        person = people[index]
        if action == "book":
            try:
                held[person] = bookings.book(database, STAFF, session_id, person)
            except (SessionFull, AlreadyBooked):
                assert person in held or len(held) >= capacity
        elif person in held:
            bookings.cancel_booking(database, STAFF, held.pop(person), "都合")
        assert seats_taken(database, session_id) == len(held) <= capacity


def _race(path: str, session_id: int, attendee_ids: list[int], results) -> None:
    booked = full = 0
    for attendee_id in attendee_ids:
        with db.connect(path) as handle:
            try:
                bookings.book(handle, Actor(f"proc-{attendee_ids[0]}", "staff"), session_id, attendee_id)
                booked += 1
            except SessionFull:
                full += 1
    results.put((booked, full))


def test_eight_processes_racing_for_the_last_seats_book_exactly_capacity(db_path, database, centre, make_session, child_clock):
    capacity = 12
    session_id = make_session(capacity=capacity, room=centre[1])
    people = add_people(database, 87)
    # Seven seats are gone; 80 people in 8 processes race for the last 5.
    for person in people[:7]:
        bookings.book(database, STAFF, session_id, person)
    contenders = people[7:]
    ctx = multiprocessing.get_context("spawn")
    results = ctx.Queue()
    procs = [ctx.Process(target=_race, args=(str(db_path), session_id, contenders[i::8], results)) for i in range(8)]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    assert sum(b for b, _ in outcomes) == 5
    assert sum(f for _, f in outcomes) == len(contenders) - 5
    assert seats_taken(database, session_id) == capacity
    assert database["bookings"].count_where("session_id = ? and status = 'booked'", [session_id]) == capacity
