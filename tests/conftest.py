"""Shared fixtures: a fixed clock, a fresh database file per test, a small
centre, future sessions, and the app signed in through a real sign-in session."""

from __future__ import annotations

import os
import sys
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
import time_machine

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import db  # noqa: E402
from db import sessions, settings, venues  # noqa: E402
from db.clock import JST, today_jst  # noqa: E402
from db.permissions import Actor  # noqa: E402

ADMIN = Actor("admin-test", "admin")
STAFF = Actor("staff-test", "staff")

# Every test runs at this instant unless it moves the clock itself: an ordinary
# Wednesday morning at the desk. `SUMAHO_TEST_NOW` (ISO 8601 with offset) runs
# the whole suite at another instant instead, e.g. 2027-12-28T06:00:00+09:00.
FIXED_NOW = datetime.fromisoformat(os.environ.get("SUMAHO_TEST_NOW") or "2027-06-09T10:00:00+09:00")


@pytest.fixture(autouse=True)
def clock():
    """The fixed clock (time-machine, ticking from `FIXED_NOW`); tests move it with
    ``clock.move_to(aware_datetime)`` or ``clock.shift(timedelta)``."""
    with time_machine.travel(FIXED_NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture
def child_clock(monkeypatch):
    """Child processes started from now on (multiprocessing, subprocess) share
    this test's clock through `db.clock.CLOCK_ENV`."""
    from db.clock import CLOCK_ENV, now_utc

    monkeypatch.setenv(CLOCK_ENV, now_utc().isoformat())


def subprocess_env(**extra: str) -> dict[str, str]:
    """The environment for a child process (server, command line, racer) whose
    clock starts where this test's clock is now (`db.clock.CLOCK_ENV`)."""
    from db.clock import CLOCK_ENV, now_utc

    return {**os.environ, CLOCK_ENV: now_utc().isoformat(), **extra}


@pytest.fixture
def db_path(tmp_path, monkeypatch) -> Path:
    """An initialised, empty database; SUMAHO_DB points at it for the app too."""
    path = tmp_path / "desk.sqlite3"
    monkeypatch.setenv(db.DB_ENV, str(path))
    db.init_db(path)
    return path


@pytest.fixture
def database(db_path):
    with db.connect(db_path) as handle:
        yield handle


@pytest.fixture
def centre(database):
    """One venue with a 12-seat and a 4-seat room. Returns (venue_id, big_room, small_room)."""
    settings.update_settings(database, ADMIN, centre_name="テスト市民センター", centre_phone="03-0000-0000")
    venue_id = venues.create_venue(database, ADMIN, "テスト市民センター", "テスト市1-1", "03-0000-0000")
    big = venues.create_room(database, ADMIN, venue_id, "研修室", 12)
    small = venues.create_room(database, ADMIN, venue_id, "相談室", 4)
    return venue_id, big, small


def working_day(offset_days: int = 7):
    """A date at least `offset_days` ahead that is no holiday or year-end closure."""
    day = today_jst() + timedelta(days=offset_days)
    while sessions.day_note(day):
        day += timedelta(days=1)
    return day


def at(day, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=JST)


@pytest.fixture
def make_session(database, centre):
    """Factory: make_session(capacity=4, room=small, hour=10, offset=7) -> session id."""

    def make(capacity: int = 4, room: int | None = None, hour: int = 10, offset: int = 7, lesson_id: str | None = None) -> int:
        import lessons

        day = working_day(offset)
        return sessions.create_session(
            database,
            STAFF,
            lesson_id or next(iter(lessons.catalogue())),
            room or centre[2],
            at(day, hour),
            at(day, hour) + timedelta(minutes=90),
            capacity,
        )

    return make


APP = str(ROOT / "app.py")
STAFF_USER = Actor("staff", "staff")


def sign_in_session(who: Actor, idle_s: float = 0.0) -> int:
    """A real sign-in session of `who` in the test database (the account is
    created when missing), last seen `idle_s` seconds ago. Returns its id."""
    from db import sign_in_sessions
    from db.clock import now_utc, utc_iso

    with db.connect() as handle:
        row = handle.execute("select id from users where username = ?", [who.username]).fetchone()
        if row is None:
            user_id = handle["users"].insert(
                {"username": who.username, "password_hash": "-", "role": who.role, "volunteer_id": who.volunteer_id,
                 "active": 1, "failed_logins": 0, "created_at": utc_iso(now_utc())}
            ).last_pk
        else:
            user_id = row[0]
        session_id = sign_in_sessions.start(handle, user_id)
        if idle_s:
            seen = utc_iso(now_utc() - timedelta(seconds=idle_s))
            with handle.atomic():
                handle.execute("update sign_in_sessions set last_seen_at = ?, created_at = ? where id = ?", [seen, seen, session_id])
    return session_id


def run_app(who: Actor | None = None, idle_s: float = 0.0):
    """AppTest of app.py signed in as `who` (None: signed out) through a sign-in
    session last used `idle_s` seconds ago."""
    from streamlit.testing.v1 import AppTest

    from ui.sign_in import SID_KEY

    at = AppTest.from_file(APP, default_timeout=60)
    if who is not None:
        at.session_state[SID_KEY] = sign_in_session(who, idle_s)
    return at.run()


def open_page(page: str, who: Actor | None = STAFF_USER):
    """AppTest on `page` (e.g. "app_pages/bookings.py") signed in as `who`."""
    at = run_app(who)
    assert not at.exception
    if page != "app_pages/today.py":
        at.switch_page(page).run()
    assert not at.exception
    return at


def texts(at, kind: str) -> str:
    """All messages of one kind ("error", "success", …) joined, for `in` checks."""
    return " ".join(e.value for e in getattr(at, kind))


@pytest.fixture
def demo_db(db_path):
    """The demo centre of `make run` in a fresh database."""
    from db import demo

    with db.connect(db_path) as handle:
        demo.seed(handle)
    return db_path
