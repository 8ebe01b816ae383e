"""Housekeeping (定時処理, issue 11): what the clock triggers happens by itself —
overdue offers pass on, the daily backup is taken, idle sign-ins end — run by the
server every 15 minutes or by `python -m db housekeeping` from cron, idempotent
and safe when several run at once."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import datetime, timedelta

import db
from db import attendees, backup, bookings, housekeeping, sign_in_sessions
from db.clock import JST
from tests.browser import streamlit_server
from tests.conftest import ROOT, STAFF, subprocess_env


def offered_session(database, make_session) -> tuple[int, list[int], datetime]:
    """A full 1-seat session whose seat was freed and offered to the first of two
    waiting attendees. Returns (session id, [holder, first, second], deadline)."""
    session_id = make_session(capacity=1)
    people = [
        attendees.register_attendee(database, STAFF, f"定時{i}", "テイジ", f"090-0000-{7100 + i}", True, allow_duplicate=True)
        for i in range(3)
    ]
    holder = bookings.book(database, STAFF, session_id, people[0])
    for person in people[1:]:
        bookings.book(database, STAFF, session_id, person, waitlist=True)
    bookings.cancel_booking(database, STAFF, holder, "体調不良")
    deadline = datetime.fromisoformat(bookings.waitlist(database, STAFF, session_id)[0].offered_until)
    return session_id, people, deadline


def statuses(database, session_id: int) -> list[str]:
    return [r[0] for r in database.execute("select status from bookings where session_id = ? order by attendee_id", [session_id])]


def test_an_overdue_offer_passes_on_when_housekeeping_runs(db_path, database, make_session, clock):
    session_id, _people, deadline = offered_session(database, make_session)
    assert housekeeping.run(db_path).offers_expired == 0
    clock.move_to(deadline + timedelta(minutes=1))
    report = housekeeping.run(db_path)
    assert report.offers_expired == 1
    assert statuses(database, session_id) == ["cancelled", "cancelled", "offered"]
    actions = database.execute("select user, action from audit_log where action in ('offer_expired', 'offer') order by id").fetchall()
    assert actions[-2:] == [("system", "offer_expired"), ("system", "offer")]
    # Idempotent: nothing more is due.
    assert housekeeping.run(db_path).offers_expired == 0


def test_the_daily_backup_is_taken_once_a_day_and_named_in_japan_time(db_path, clock, monkeypatch, tmp_path):
    monkeypatch.setenv(backup.BACKUP_ENV, str(tmp_path / "backups"))
    clock.move_to(datetime(2027, 6, 9, 4, 48, tzinfo=JST))
    first = housekeeping.run(db_path).backup
    assert first is not None and first.name == "desk-20270609-044800.sqlite3"
    clock.shift(timedelta(hours=23))
    assert housekeeping.run(db_path).backup is None
    clock.shift(timedelta(hours=1, minutes=1))
    assert housekeeping.run(db_path).backup is not None


def test_idle_sign_ins_end_without_anyone_looking(db_path, database, clock):
    from db import accounts
    from tests.conftest import ADMIN

    user_id = accounts.create_user(database, ADMIN, "madoguchi", "kawasemi-no-hane-42", "staff")
    sid = sign_in_sessions.start(database, user_id)
    clock.shift(timedelta(minutes=31))
    assert housekeeping.run(db_path).sign_ins_ended == 1
    assert sign_in_sessions.end_reason(database, sid) == "idle"


def _cli(env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "db", "housekeeping"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def test_the_command_for_cron_passes_offers_on_and_is_safe_to_run_twice_at_once(db_path, database, make_session, tmp_path):
    session_id, _people, deadline = offered_session(database, make_session)
    env = subprocess_env(SUMAHO_NOW=(deadline + timedelta(hours=1)).isoformat(), SUMAHO_BACKUPS=str(tmp_path / "backups"))
    runs = [_cli(env) for _ in range(3)]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], outputs
    assert sum("offers passed on: 1" in out for out in outputs) == 1
    assert statuses(database, session_id) == ["cancelled", "cancelled", "offered"]
    assert database.execute("select count(*) from audit_log where action = 'offer_expired'").fetchone()[0] == 1
    assert len(backup.list_backups(tmp_path / "backups")) == 1


def test_the_server_alone_passes_an_overdue_offer_on(db_path, database, make_session, tmp_path, monkeypatch):
    session_id, _people, deadline = offered_session(database, make_session)
    monkeypatch.setenv(backup.BACKUP_ENV, str(tmp_path / "backups"))
    # A server whose clock is already past the deadline; nobody opens a page.
    with streamlit_server(db_path, now=deadline + timedelta(days=1)):
        end = time.monotonic() + 60
        while statuses(database, session_id) != ["cancelled", "cancelled", "offered"]:
            assert time.monotonic() < end, statuses(database, session_id)
            time.sleep(0.5)
    with db.connect(db_path) as handle:
        assert handle.execute("select user from audit_log where action = 'offer_expired'").fetchone() == ("system",)
    assert backup.list_backups(tmp_path / "backups")
