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


def test_the_call_list_does_not_read_past_bookings(database, centre, make_session):
    from db import bookings, calls
    from tests.conftest import STAFF

    tomorrow = make_session(offset=1)
    person = database["attendees"].insert({"name": "明日 花子", "name_kana": "アシタ ハナコ", "kana_key": "アシタハナコ",
                                           "phone": "090-0000-0001", "phone_digits": "09000000001",
                                           "created_at": "2020-01-01T00:00:00+00:00"}).last_pk
    bookings.book(database, STAFF, tomorrow, person)
    start = now_jst().replace(hour=10, minute=0, second=0, microsecond=0)
    add_past_sessions(database, centre[1], 20, start)
    few = vm_steps(database, lambda: calls.call_list(database, STAFF))
    counted = vm_steps(database, lambda: calls.call_counts(database, STAFF))
    add_past_sessions(database, centre[2], 2000, start)
    assert [t.kind for t in calls.call_list(database, STAFF)] == ["reminder"]
    assert calls.call_counts(database, STAFF) == {"reminder": 1, "offer": 0, "cancelled": 0, "won": 0, "lost": 0}
    assert vm_steps(database, lambda: calls.call_list(database, STAFF)) <= few * 1.5 + 5
    assert vm_steps(database, lambda: calls.call_counts(database, STAFF)) <= counted * 1.5 + 5


def test_housekeeping_finds_lapsed_offers_without_reading_past_bookings(database, centre):
    from db import bookings
    from db.permissions import SYSTEM

    start = now_jst().replace(hour=10, minute=0, second=0, microsecond=0)
    add_past_sessions(database, centre[1], 20, start)
    few = vm_steps(database, lambda: bookings.expire_offers(database, SYSTEM))
    add_past_sessions(database, centre[2], 2000, start)
    assert bookings.expire_offers(database, SYSTEM) == 0
    assert vm_steps(database, lambda: bookings.expire_offers(database, SYSTEM)) <= few * 1.5 + 5


def test_the_printouts_page_counts_calls_and_builds_the_list_only_for_the_download(demo_db, monkeypatch):
    import db
    from db import calls
    from tests.conftest import STAFF, run_app

    with db.connect() as handle:
        session = sessions.list_sessions(handle)[0]
        handle.execute("update sessions set status = 'cancelled' where id = ?", [session.id])
        handle.conn.commit()
    # The 今日 screen, where the app opens, lists the calls themselves; 印刷 only counts them.
    at = run_app(STAFF)
    built = []
    real = calls.call_list
    monkeypatch.setattr(calls, "call_list", lambda *a, **k: built.append(1) or real(*a, **k))
    at.switch_page("app_pages/printouts.py").run()
    assert any("中止のお知らせ 4 件" in m.value for m in at.markdown)
    assert "電話連絡リスト（PDF）" in [b.label for b in at.get("download_button")]
    assert built == []


def test_the_year_report_reads_the_year_not_the_history(database, centre):
    """Ten regulars came to a class every day of the year; then five earlier years
    of their bookings are added, first all missed (absent), then one attended. The
    figures say who is new, and the cost stays that of the year."""
    from datetime import date

    from db import reports
    from tests.conftest import STAFF

    people = [database["attendees"].insert({"name": f"常連 {n}", "name_kana": "ジョウレン", "age_band": "70代",
                                            "created_at": "2015-01-01T00:00:00+00:00"}).last_pk for n in range(10)]

    def attended_daily(first: date, days: int, room: int, status: str = "attended") -> None:
        for n in range(days):
            begin = datetime.combine(first + timedelta(days=n), datetime.min.time(), tzinfo=JST).replace(hour=10)
            session_id = database["sessions"].insert({
                "lesson_id": LESSON, "room_id": room, "starts_at": begin.isoformat(),
                "ends_at": (begin + timedelta(minutes=60)).isoformat(), "capacity": 12, "status": "scheduled",
            }).last_pk
            database["bookings"].insert_all({"session_id": session_id, "attendee_id": p, "status": status,
                                             "queued_at": "2015-01-01T00:00:00+00:00"} for p in people)

    attended_daily(date(2024, 4, 1), 365, centre[1])
    after = datetime(2025, 4, 2, 12, 0, tzinfo=JST)
    report = reports.year_report(database, STAFF, 2024, now=after)
    assert (report.classes.unique_attendees, report.classes.new_attendees) == (10, 10)
    one_year = vm_steps(database, lambda: reports.year_report(database, STAFF, 2024, now=after))
    attended_daily(date(2019, 4, 1), 5 * 365, centre[2], status="absent")
    report = reports.year_report(database, STAFF, 2024, now=after)
    assert (report.classes.unique_attendees, report.classes.new_attendees, report.classes.returning_attendees) == (10, 10, 0)
    more = vm_steps(database, lambda: reports.year_report(database, STAFF, 2024, now=after))
    assert more <= one_year * 1.02 + 10
    attended_daily(date(2018, 4, 1), 1, centre[2])
    report = reports.year_report(database, STAFF, 2024, now=after)
    assert (report.classes.new_attendees, report.classes.returning_attendees) == (0, 10)


def test_the_reports_page_shows_a_mark_made_elsewhere_on_its_next_run(demo_db):
    """No cache stands between the page and the database."""
    import db
    from tests.conftest import open_page

    def attendances(app) -> str:
        for t in app.table:
            frame = t.value
            if list(frame.columns) == ["項目", "実績"] and "延べ参加者数" in set(frame["項目"]):
                return frame.set_index("項目").loc["延べ参加者数", "実績"]
        raise KeyError("延べ参加者数")

    with db.connect() as handle:
        room = handle.execute("select id from rooms order by id limit 1").fetchone()[0]
        begin = (now_jst() - timedelta(minutes=100)).replace(second=0, microsecond=0)
        session_id = handle["sessions"].insert({
            "lesson_id": LESSON, "room_id": room, "starts_at": begin.isoformat(),
            "ends_at": (begin + timedelta(minutes=60)).isoformat(), "capacity": 10, "status": "scheduled",
        }).last_pk
        booking = handle["bookings"].insert({"session_id": session_id, "attendee_id": 1, "status": "booked",
                                             "queued_at": "2020-01-01T00:00:00+00:00"}).last_pk
        handle.conn.commit()
    from db.reports import fiscal_year_of

    app = open_page("app_pages/reports.py")
    app = app.selectbox(key="rep_year").set_value(fiscal_year_of(begin.date())).run()
    assert attendances(app) == "0"
    with db.connect() as handle:
        handle.execute("update bookings set status = 'attended' where id = ?", [booking])
        handle.conn.commit()
    assert attendances(app.run()) == "1"
