"""The permission matrix of README.md, tried cell by cell: every page by role, every
`db/` function by role; and every write leaves an audit row."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from datetime import time as clock_time
from datetime import timedelta
from pathlib import Path

import pytest

import db
from db import (
    accounts,
    attendees,
    audit,
    backup,
    bookings,
    calls,
    exports,
    feeds,
    importer,
    loans,
    outreach,
    lottery,
    reports,
    retention,
    series,
    sessions,
    settings,
    sign_in_sessions,
    surveys,
    tickets,
    venues,
    volunteers,
)
from db.clock import now_jst, now_utc, today_jst
from db.permissions import SYSTEM, Actor, PermissionDenied, allowed
from tests.conftest import ADMIN, at, run_app, working_day

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
ROLES = ("admin", "staff", "volunteer")
PASSWORD = "kawasemi-no-hane-42"


def table(first_header: str) -> dict[str, dict[str, str]]:
    """A README table whose first header cell is `first_header`: {row key: {role: cell}}."""
    lines = README.splitlines()
    start = next(i for i, l in enumerate(lines) if l.startswith(f"| {first_header} |"))
    rows = {}
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        key = re.search(r"`([^`]+)`", cells[0]).group(1)
        rows[key] = dict(zip(ROLES, cells[1:]))
    return rows


PAGE_TABLE = table("page")
FUNCTION_TABLE = table("db function")


class Scenario:
    """A small centre: a session the volunteer staffs (own) and one they do not."""

    def __init__(self, database):
        self.db = database
        self.venue = venues.create_venue(database, ADMIN, "権限テスト会館", "", "03-0000-0000")
        self.room = venues.create_room(database, ADMIN, self.venue, "研修室", 12)
        self.other_room = venues.create_room(database, ADMIN, self.venue, "和室", 8)
        day = working_day()
        lesson = "phone-basics"
        self.own_session = sessions.create_session(database, ADMIN, lesson, self.room, at(day, 10), at(day, 11, 30), 12)
        self.other_session = sessions.create_session(database, ADMIN, lesson, self.other_room, at(day, 13), at(day, 14, 30), 8)
        self.attendee = attendees.register_attendee(database, ADMIN, "権限 太郎", "ケンゲン タロウ", "090-0000-0001", True)
        self.booking = bookings.book(database, ADMIN, self.own_session, self.attendee)
        # A full one-seat session with an open offer, in a series of its own.
        small = venues.create_room(database, ADMIN, self.venue, "相談室", 1)
        self.series_session = sessions.create_session(database, ADMIN, lesson, small, at(day, 15), at(day, 16), 1)
        database.execute("update sessions set series_id = 1 where id = ?", [self.series_session])
        database.conn.commit()
        first, waiting = (
            attendees.register_attendee(database, ADMIN, f"待機 {n}", "タイキ", f"090-0000-00{n}", True, allow_duplicate=True) for n in (11, 12)
        )
        seat = bookings.book(database, ADMIN, self.series_session, first)
        self.offer = bookings.book(database, ADMIN, self.series_session, waiting, waitlist=True)
        bookings.cancel_booking(database, ADMIN, seat, "都合")
        later = attendees.register_attendee(database, ADMIN, "待機 13", "タイキ", "090-0000-0013", True, allow_duplicate=True)
        self.waiting = bookings.book(database, ADMIN, self.series_session, later, waitlist=True)
        self.volunteer = volunteers.register_volunteer(database, ADMIN, "推進 花子", "スイシン ハナコ", "090-0000-0101", "promoter", [])
        self.other_volunteer = volunteers.register_volunteer(database, ADMIN, "補助 次郎", "ホジョ ジロウ", "090-0000-0102", "student", [])
        self.own_shift = volunteers.assign_shift(database, ADMIN, self.own_session, self.volunteer, "lead")
        accounts.create_user(database, ADMIN, "kanri", PASSWORD, "admin")
        self.staff_user = accounts.create_user(database, ADMIN, "madoguchi", PASSWORD, "staff")
        accounts.create_user(database, ADMIN, "suishin", PASSWORD, "volunteer", self.volunteer)
        self.closure = venues.add_closure(database, ADMIN, self.venue, working_day(60), "点検")
        # 出前講座 requests at each step (db.outreach).
        self.outreach = {status: _outreach_at(database, status) for status in ("received", "arranging", "begun", "held")}
        # 抽選: a session nobody booked yet, and lotteries open, closed and drawn.
        lottery_day = working_day(20)
        self.other_attendee = attendees.register_attendee(database, ADMIN, "申込 三郎", "モウシコミ サブロウ", "090-0000-0031", True)
        self.lottery_sessions = [
            sessions.create_session(database, ADMIN, lesson, self.other_room, at(lottery_day, hour), at(lottery_day, hour + 1), 8)
            for hour in (9, 11, 13, 15)
        ]
        self.open_lottery, self.closed_lottery, self.drawn_lottery = (
            lottery.set_lottery(database, ADMIN, sid, now_jst() - timedelta(hours=1), now_jst() + timedelta(days=2))
            for sid in self.lottery_sessions[1:]
        )
        for lottery_id in (self.open_lottery, self.closed_lottery, self.drawn_lottery):
            lottery.apply(database, ADMIN, lottery_id, self.attendee)
        self.application = database.execute("select id from applications where lottery_id = ?", [self.open_lottery]).fetchone()[0]
        database.execute("update lotteries set closes_at = ? where id in (?, ?)",
                         [(now_jst() - timedelta(minutes=1)).isoformat(), self.closed_lottery, self.drawn_lottery])
        database.conn.commit()
        lottery.run_draw(database, ADMIN, self.drawn_lottery)
        # Due for the draw again, for draw_due to find.
        database.execute("update lotteries set drawn_at = null where id = ?", [self.closed_lottery])
        database.conn.commit()
        self.actors = {
            "admin": Actor("kanri", "admin"),
            "staff": Actor("madoguchi", "staff"),
            "volunteer": Actor("suishin", "volunteer", self.volunteer),
        }


def _loan_phone(s) -> int:
    """A loan phone, and the booked attendee recorded with no phone, written
    without an audit row so that only the call under test leaves one."""
    s.db.execute("update attendees set device = 'なし' where id = ?", [s.attendee])
    phone = s.db["loan_phones"].insert(
        {"venue_id": s.venue, "kind": "iPhone", "label": "iPhone-9", "label_key": "iphone-9", "status": "available"}
    ).last_pk
    s.db.conn.commit()
    return phone


def _loan_running(s) -> int:
    """The booking of a session under way that borrows a phone (no audit row)."""
    now = now_jst()
    s.db.execute(
        "update sessions set starts_at = ?, ends_at = ? where id = ?",
        [(now - timedelta(minutes=30)).isoformat(), (now + timedelta(minutes=60)).isoformat(), s.own_session],
    )
    s.db["loans"].insert({"booking_id": s.booking, "phone_id": _loan_phone(s), "assigned_at": "2027-06-01T00:00:00+00:00", "returned": ""})
    s.db.conn.commit()
    return s.booking


_OUTREACH = dict(
    place_name="二丁目集会所", place_address="権限市2-2", kind="lecture", group_name="二丁目自治会", group_kind="neighbourhood",
    contact_name="連絡 花子", contact_phone="090-0000-0201", preferred_dates=[], expected=12,
)


def _outreach_at(database, status: str) -> int:
    """An outreach request brought to `status` by the system account: received,
    arranging, begun (decided, its session started two hours ago) or held."""
    request_id = outreach.create_request(database, SYSTEM, **_OUTREACH)
    if status == "received":
        return request_id
    outreach.start_arranging(database, SYSTEM, request_id)
    if status == "arranging":
        return request_id
    day = working_day(25 + request_id)
    session_id = outreach.decide(database, SYSTEM, request_id, lesson_id="line-basics", starts_at=at(day, 10), ends_at=at(day, 11), capacity=10)
    starts = now_jst() - timedelta(hours=2)
    database.execute("update sessions set starts_at = ?, ends_at = ? where id = ?",
                     [starts.isoformat(), (starts + timedelta(hours=1)).isoformat(), session_id])
    database.conn.commit()
    if status == "held":
        outreach.mark_held(database, SYSTEM, request_id)
    return request_id


def _backup(s, who):
    return backup.backup_now(db.db_path(), db.db_path().parent / "bk", 3, who)


def _backup_due(s, who):
    return backup.backup_if_due(db.db_path(), db.db_path().parent / "bk", 3, who)


def _mark_attendance(s, who):
    # The class began ten minutes ago: attendance is open.
    starts = now_jst() - timedelta(minutes=10)
    s.db.execute("update sessions set starts_at = ?, ends_at = ? where id = ?", [starts.isoformat(), (starts + timedelta(minutes=90)).isoformat(), s.own_session])
    s.db.conn.commit()
    return bookings.mark_attendance(s.db, who, s.booking, "attended")


def _held(s) -> int:
    # The class began ten minutes ago and its attendee was marked 出席.
    starts = now_jst() - timedelta(minutes=10)
    s.db.execute("update sessions set starts_at = ?, ends_at = ? where id = ?", [starts.isoformat(), (starts + timedelta(minutes=90)).isoformat(), s.own_session])
    s.db.execute("update bookings set status = 'attended' where id = ?", [s.booking])
    s.db.conn.commit()
    return s.own_session


def _survey(s) -> int:
    surveys.enter_sheets(s.db, ADMIN, _held(s), [surveys.SheetInput(understanding=4)])
    return surveys.list_surveys(s.db, ADMIN, s.own_session)[0].id


def _seat_waiting(s, who):
    # The offered seat comes free with nobody phoned in time: staff decide.
    s.db.execute("update bookings set status = 'cancelled' where id = ?", [s.offer])
    s.db.conn.commit()
    return bookings.seat_from_waitlist(s.db, who, s.waiting)


def _sign_in_session(s) -> int:
    from db import sign_in_sessions

    return sign_in_sessions.start(s.db, s.staff_user)


def _ticket(s) -> int:
    return tickets.open_ticket(s.db, ADMIN, channel="visit", category="line", summary="写真が見られない")


IMPORT_CSV = "氏名,フリガナ,電話番号\r\n取込 花子,トリコミ ハナコ,090-0000-0201\r\n".encode("cp932")


# How to call each function in the matrix: (scenario, actor) -> result. The second
# entry, when present, is a call a conditional volunteer cell must refuse.
CALLS = {
    "sessions.create_session": (lambda s, a: sessions.create_session(s.db, a, "line-basics", s.room, at(working_day(20), 10), at(working_day(20), 11), 8),),
    "sessions.cancel_session": (lambda s, a: sessions.cancel_session(s.db, a, s.other_session, "講師の急病"),),
    "series.create_series": (
        lambda s, a: series.create_series(
            s.db, a, series.SeriesRule("line-basics", s.room, "weekly", working_day(30), clock_time(10), clock_time(11), count=4), 8
        ),
    ),
    "series.cancel_from": (lambda s, a: series.cancel_from(s.db, a, s.series_session, "講師の急病"),),
    "series.move_from": (lambda s, a: series.move_from(s.db, a, s.series_session, clock_time(16), clock_time(17)),),
    "calls.call_list": (lambda s, a: calls.call_list(s.db, a),),
    "calls.record_call": (lambda s, a: calls.record_call(s.db, a, s.booking, "reminder", "reached"),),
    "calls.record_application_call": (
        lambda s, a: calls.record_application_call(s.db, a, s.application, s.lottery_sessions[1], "reached"),
    ),
    "calls.call_counts": (lambda s, a: calls.call_counts(s.db, a),),
    "lottery.set_lottery": (lambda s, a: lottery.set_lottery(s.db, a, s.lottery_sessions[0], now_jst(), now_jst() + timedelta(days=2)),),
    "lottery.apply": (lambda s, a: lottery.apply(s.db, a, s.open_lottery, s.other_attendee),),
    "lottery.withdraw": (lambda s, a: lottery.withdraw(s.db, a, s.open_lottery, 1),),
    "lottery.list_applications": (lambda s, a: lottery.list_applications(s.db, a, s.open_lottery),),
    "lottery.run_draw": (lambda s, a: lottery.run_draw(s.db, a, s.closed_lottery),),
    "lottery.draw_due": (lambda s, a: lottery.draw_due(s.db, a),),
    "lottery.replay": (lambda s, a: lottery.replay(s.db, a, s.drawn_lottery),),
    "bookings.history": (lambda s, a: bookings.history(s.db, a, s.attendee),),
    "attendees.register_attendee": (lambda s, a: attendees.register_attendee(s.db, a, "新規 一郎", "シンキ イチロウ", "090-0000-0002", True),),
    "attendees.update_attendee": (lambda s, a: attendees.update_attendee(s.db, a, s.attendee, device="Android"),),
    "attendees.find_attendees": (lambda s, a: attendees.find_attendees(s.db, a, "ケンゲン"),),
    "attendees.get_attendee": (lambda s, a: attendees.get_attendee(s.db, a, s.attendee),),
    "importer.preview": (lambda s, a: importer.preview(s.db, a, "名簿.csv", IMPORT_CSV),),
    "importer.import_attendees": (lambda s, a: importer.import_attendees(s.db, a, "名簿.csv", IMPORT_CSV, True),),
    "exports.attendees_table": (lambda s, a: exports.attendees_table(s.db, a),),
    "exports.bookings_table": (lambda s, a: exports.bookings_table(s.db, a, s.own_session),),
    "exports.record_printout": (lambda s, a: exports.record_printout(s.db, a, "signin_sheet", s.own_session, 1),),
    "bookings.book": (lambda s, a: bookings.book(s.db, a, s.other_session, s.attendee),),
    "bookings.cancel_booking": (lambda s, a: bookings.cancel_booking(s.db, a, s.booking, "都合"),),
    "bookings.waitlist": (lambda s, a: bookings.waitlist(s.db, a, s.own_session),),
    "bookings.offers_due": (lambda s, a: bookings.offers_due(s.db, a, today_jst()),),
    "bookings.record_offer_outcome": (lambda s, a: bookings.record_offer_outcome(s.db, a, s.offer, True),),
    "bookings.expire_offers": (lambda s, a: bookings.expire_offers(s.db, a, now_utc() + timedelta(days=3)),),
    "bookings.seat_from_waitlist": (_seat_waiting,),
    "bookings.change_capacity": (lambda s, a: bookings.change_capacity(s.db, a, s.other_session, 6),),
    "bookings.mark_attendance": (_mark_attendance,),
    "bookings.book_series": (lambda s, a: bookings.book_series(s.db, a, 1, s.attendee),),
    "bookings.list_bookings": (lambda s, a: bookings.list_bookings(s.db, a, s.own_session),),
    "bookings.roster": (lambda s, a: bookings.roster(s.db, a, s.own_session), lambda s, a: bookings.roster(s.db, a, s.other_session)),
    "volunteers.register_volunteer": (lambda s, a: volunteers.register_volunteer(s.db, a, "新人 三郎", "シンジン サブロウ", "090-0000-0103", "other", []),),
    "volunteers.assign_shift": (
        lambda s, a: volunteers.assign_shift(s.db, a, s.other_session, s.volunteer, "helper"),
        lambda s, a: volunteers.assign_shift(s.db, a, s.other_session, s.other_volunteer, "helper"),
    ),
    "volunteers.set_weekly_availability": (
        lambda s, a: volunteers.set_weekly_availability(s.db, a, s.volunteer, []),
        lambda s, a: volunteers.set_weekly_availability(s.db, a, s.other_volunteer, []),
    ),
    "volunteers.set_exception": (
        lambda s, a: volunteers.set_exception(s.db, a, s.volunteer, working_day(90), False),
        lambda s, a: volunteers.set_exception(s.db, a, s.other_volunteer, working_day(90), False),
    ),
    "volunteers.remove_shift": (lambda s, a: volunteers.remove_shift(s.db, a, s.own_shift),),
    "volunteers.my_shifts": (lambda s, a: volunteers.my_shifts(s.db, a, s.volunteer), lambda s, a: volunteers.my_shifts(s.db, a, s.other_volunteer)),
    "volunteers.open_shifts": (lambda s, a: volunteers.open_shifts(s.db, a),),
    "volunteers.set_active": (lambda s, a: volunteers.set_active(s.db, a, s.other_volunteer, False),),
    "volunteers.set_shift_minutes": (lambda s, a: volunteers.set_shift_minutes(s.db, a, s.own_shift, 100),),
    "volunteers.hours": (lambda s, a: volunteers.hours(s.db, a, s.volunteer, 2026), lambda s, a: volunteers.hours(s.db, a, s.other_volunteer, 2026)),
    "feeds.issue_token": (lambda s, a: feeds.issue_token(s.db, a, s.volunteer), lambda s, a: feeds.issue_token(s.db, a, s.other_volunteer)),
    "feeds.revoke_tokens": (
        lambda s, a: (feeds.issue_token(s.db, ADMIN, s.volunteer), feeds.revoke_tokens(s.db, a, s.volunteer)),
        lambda s, a: feeds.revoke_tokens(s.db, a, s.other_volunteer),
    ),
    "feeds.active_since": (lambda s, a: feeds.active_since(s.db, a, s.volunteer), lambda s, a: feeds.active_since(s.db, a, s.other_volunteer)),
    "tickets.open_ticket": (lambda s, a: tickets.open_ticket(s.db, a, channel="phone", category="scams", summary="不審なSMS"),),
    "tickets.update_ticket": (lambda s, a: tickets.update_ticket(s.db, a, _ticket(s), os="iOS 18"),),
    "tickets.add_minutes": (lambda s, a: tickets.add_minutes(s.db, a, _ticket(s), 10),),
    "tickets.change_status": (lambda s, a: tickets.change_status(s.db, a, _ticket(s), "in_progress"),),
    "tickets.record_guides": (lambda s, a: tickets.record_guides(s.db, a, _ticket(s), ["line-basics"]),),
    "tickets.get_ticket": (lambda s, a: tickets.get_ticket(s.db, a, _ticket(s)),),
    "tickets.ticket_history": (lambda s, a: tickets.ticket_history(s.db, a, _ticket(s)),),
    "tickets.search_tickets": (lambda s, a: tickets.search_tickets(s.db, a, text="写真"),),
    "tickets.follow_up_queue": (lambda s, a: tickets.follow_up_queue(s.db, a),),
    "tickets.follow_up_count": (lambda s, a: tickets.follow_up_count(s.db, a),),
    "tickets.my_open_tickets": (lambda s, a: tickets.my_open_tickets(s.db, a),),
    "reports.class_report": (lambda s, a: reports.class_report(s.db, a, 2026),),
    "reports.desk_report": (lambda s, a: reports.desk_report(s.db, a, 2026),),
    "reports.volunteer_report": (lambda s, a: reports.volunteer_report(s.db, a, 2026),),
    "reports.monthly": (lambda s, a: reports.monthly(s.db, a, 2026),),
    "reports.year_report": (lambda s, a: reports.year_report(s.db, a, 2026),),
    "reports.targets": (lambda s, a: reports.targets(s.db, a, 2026),),
    "reports.progress": (lambda s, a: reports.progress(s.db, a, 2026),),
    "reports.set_target": (lambda s, a: reports.set_target(s.db, a, 2026, "attendances", 500),),
    "reports.outreach_report": (lambda s, a: reports.outreach_report(s.db, a, 2026),),
    "outreach.create_request": (lambda s, a: outreach.create_request(s.db, a, **_OUTREACH),),
    "outreach.get_request": (lambda s, a: outreach.get_request(s.db, a, s.outreach["received"]),),
    "outreach.list_requests": (lambda s, a: outreach.list_requests(s.db, a),),
    "outreach.count_requests": (lambda s, a: outreach.count_requests(s.db, a),),
    "outreach.update_request": (
        lambda s, a: outreach.update_request(
            s.db, a, s.outreach["received"], **{k: v for k, v in _OUTREACH.items() if not k.startswith("place_")}, notes="駐車場あり"
        ),
    ),
    "outreach.start_arranging": (lambda s, a: outreach.start_arranging(s.db, a, s.outreach["received"]),),
    "outreach.decide": (
        lambda s, a: outreach.decide(s.db, a, s.outreach["arranging"], lesson_id="line-basics", starts_at=at(working_day(20), 13),
                                     ends_at=at(working_day(20), 14), capacity=10),
    ),
    "outreach.mark_held": (lambda s, a: outreach.mark_held(s.db, a, s.outreach["begun"]),),
    "outreach.report": (lambda s, a: outreach.report(s.db, a, s.outreach["held"], 12, "実施しました"),),
    "outreach.withdraw": (lambda s, a: outreach.withdraw(s.db, a, s.outreach["received"], "先方の都合"),),
    "surveys.enter_sheets": (lambda s, a: surveys.enter_sheets(s.db, a, _held(s), [surveys.SheetInput(understanding=5)]),),
    "surveys.list_surveys": (lambda s, a: surveys.list_surveys(s.db, a, s.own_session),),
    # A refused caller must leave no audit row: the sheet to take back is keyed only for those allowed.
    "surveys.delete_survey": (lambda s, a: surveys.delete_survey(s.db, a, _survey(s) if allowed(a, "surveys.enter") else 1),),
    "surveys.summary": (lambda s, a: surveys.summary(s.db, a, fiscal_year=2026),),
    "surveys.by_lesson": (lambda s, a: surveys.by_lesson(s.db, a, 2026),),
    "surveys.targets": (lambda s, a: surveys.targets(s.db, a, 2026),),
    "surveys.set_target": (lambda s, a: surveys.set_target(s.db, a, 2026, "survey_understood", 80),),
    "settings.update_settings": (lambda s, a: settings.update_settings(s.db, a, centre_name="新しい名前"),),
    "loans.add_phone": (lambda s, a: loans.add_phone(s.db, a, s.venue, "iPhone", "iPhone-1"),),
    "loans.set_status": (lambda s, a: loans.set_status(s.db, a, _loan_phone(s), "repair"),),
    "loans.set_device_focus": (lambda s, a: loans.set_device_focus(s.db, a, s.own_session, "iPhone"),),
    "loans.allocate": (lambda s, a: (_loan_phone(s), loans.allocate(s.db, a, s.own_session, "iPhone")),),
    "loans.assign": (lambda s, a: loans.assign(s.db, a, s.booking, _loan_phone(s)),),
    "loans.record_return": (lambda s, a: loans.record_return(s.db, a, _loan_running(s), "returned"),),
    "loans.session_loans": (lambda s, a: loans.session_loans(s.db, a, s.own_session),),
    "loans.out_phones": (lambda s, a: loans.out_phones(s.db, a),),
    "venues.create_venue": (lambda s, a: venues.create_venue(s.db, a, "別館"),),
    "venues.create_room": (lambda s, a: venues.create_room(s.db, a, s.venue, "会議室", 10),),
    "venues.add_closure": (lambda s, a: venues.add_closure(s.db, a, s.venue, working_day(70), "点検"),),
    "venues.remove_closure": (lambda s, a: venues.remove_closure(s.db, a, s.closure),),
    "accounts.create_user": (lambda s, a: accounts.create_user(s.db, a, "atarashii", PASSWORD, "staff"),),
    "accounts.list_users": (lambda s, a: accounts.list_users(s.db, a),),
    "accounts.unlock": (lambda s, a: accounts.unlock(s.db, a, s.staff_user),),
    "accounts.reset_password": (lambda s, a: accounts.reset_password(s.db, a, s.staff_user, "another-long-pass-7"),),
    "accounts.set_active": (lambda s, a: accounts.set_active(s.db, a, s.staff_user, True),),
    "accounts.change_own_password": (lambda s, a: accounts.change_own_password(s.db, a, PASSWORD, "another-long-pass-7"),),
    "accounts.sign_out": (lambda s, a: accounts.sign_out(s.db, a),),
    "accounts.set_role": (lambda s, a: accounts.set_role(s.db, a, s.staff_user, "admin"),),
    "accounts.recent_failures": (lambda s, a: accounts.recent_failures(s.db, a),),
    "sign_in_sessions.active_sessions": (lambda s, a: sign_in_sessions.active_sessions(s.db, a),),
    "sign_in_sessions.end_session": (lambda s, a: sign_in_sessions.end_session(s.db, a, _sign_in_session(s)),),
    "audit.search": (lambda s, a: audit.search(s.db, a, "2000-01-01", "2100-01-01"),),
    "audit.count": (lambda s, a: audit.count(s.db, a, "2000-01-01", "2100-01-01"),),
    "audit.distinct_values": (lambda s, a: audit.distinct_values(s.db, a, "user"),),
    "audit.verify_chain": (lambda s, a: audit.verify_chain(s.db, a),),
    "retention.count_candidates": (lambda s, a: retention.count_candidates(s.db, a, 3),),
    "retention.candidates": (lambda s, a: retention.candidates(s.db, a, 3),),
    "retention.anonymise": (lambda s, a: retention.anonymise(s.db, a, [s.attendee], "request"),),
    "retention.clear_wal": (lambda s, a: retention.clear_wal(s.db, a),),
    "retention.count_contacts_due": (lambda s, a: retention.count_contacts_due(s.db, a, 3),),
    "retention.contacts_due": (lambda s, a: retention.contacts_due(s.db, a, 3),),
    "retention.erase_contacts": (lambda s, a: retention.erase_contacts(s.db, a, [s.outreach["received"]], "request"),),
    "backup.backup_now": (_backup,),
    "backup.backup_if_due": (_backup_due,),
}
READS = {
    "lottery.list_applications", "lottery.replay",
    "attendees.find_attendees", "attendees.get_attendee", "importer.preview", "bookings.list_bookings", "bookings.roster", "bookings.waitlist", "calls.call_list", "calls.call_counts", "bookings.history",
    "volunteers.my_shifts", "volunteers.open_shifts", "volunteers.hours", "feeds.active_since",
    "tickets.get_ticket", "tickets.ticket_history", "tickets.search_tickets", "tickets.follow_up_queue", "tickets.follow_up_count",
    "tickets.my_open_tickets", "reports.class_report", "reports.desk_report", "reports.volunteer_report", "reports.monthly",
    "reports.year_report", "reports.targets", "reports.progress", "accounts.list_users", "audit.search", "audit.count",
    "accounts.recent_failures", "sign_in_sessions.active_sessions", "bookings.offers_due",
    "audit.distinct_values", "audit.verify_chain", "loans.session_loans", "loans.out_phones", "retention.count_candidates", "retention.candidates", "retention.clear_wal",
    "reports.outreach_report", "outreach.get_request", "outreach.list_requests", "outreach.count_requests",
    "retention.count_contacts_due", "retention.contacts_due",
    "surveys.list_surveys", "surveys.summary", "surveys.by_lesson", "surveys.targets",
}


# The mechanism itself: checking a permission, and writing the audit row.
MECHANISM = {"permissions.require", "permissions.allowed", "audit.record"}


def test_every_function_taking_an_actor_is_in_the_readme_matrix():
    found = set()
    for info in pkgutil.iter_modules(db.__path__):
        module = importlib.import_module(f"db.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ == module.__name__ and not name.startswith("_") and "actor" in inspect.signature(fn).parameters:
                found.add(f"{info.name}.{name}")
    assert found - MECHANISM == set(FUNCTION_TABLE) == set(CALLS)


CASES = [(name, role) for name in FUNCTION_TABLE for role in ROLES]


@pytest.mark.parametrize("name, role", CASES, ids=[f"{n}-{r}" for n, r in CASES])
def test_function_permission(database, name, role):
    scenario = Scenario(database)
    who = scenario.actors[role]
    cell = FUNCTION_TABLE[name][role]
    allowed_call, *refused_call = CALLS[name]
    before = database["audit_log"].count
    if cell == "—":
        with pytest.raises(PermissionDenied):
            allowed_call(scenario, who)
        assert database["audit_log"].count == before
        return
    allowed_call(scenario, who)
    if cell != "✓":  # a conditional cell: the other person's case is refused
        with pytest.raises(PermissionDenied):
            refused_call[0](scenario, who)


WRITES = [n for n in FUNCTION_TABLE if n not in READS]


@pytest.mark.parametrize("name", WRITES)
def test_every_write_function_leaves_an_audit_row(database, name):
    scenario = Scenario(database)
    who = scenario.actors["admin"]
    if name == "accounts.change_own_password":
        who = scenario.actors["staff"]
    before = database["audit_log"].count
    CALLS[name][0](scenario, who)
    with db.connect() as fresh:
        rows = list(fresh.query("select user, action, entity from audit_log where id > ?", [before]))
    assert rows, name
    assert rows[-1]["user"] == who.username


PAGE_CASES = [(page, role) for page in PAGE_TABLE for role in ROLES]


@pytest.mark.parametrize("page, role", PAGE_CASES, ids=[f"{p}-{r}" for p, r in PAGE_CASES])
def test_page_permission(database, page, role):
    scenario = Scenario(database)
    who = scenario.actors[role]
    app = run_app(who)
    app.switch_page(f"app_pages/{page}.py").run()
    assert not app.exception
    refused = any("このページを見る権限がありません" in e.value for e in app.error)
    assert refused is (PAGE_TABLE[page][role] == "—")
    if not refused:
        assert app.title


def test_readme_page_table_matches_the_page_registry():
    import ui

    for spec in ui.PAGES:
        cells = PAGE_TABLE[spec.key]
        assert {r for r in ROLES if cells[r] == "✓"} == set(spec.roles), spec.key
