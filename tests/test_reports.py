"""The yearly report (issue 7): a known centre for fiscal year 2025 (2025-04-01 …
2026-03-31) whose every figure was counted by hand, checked for the whole year,
one month and one venue; targets; the fiscal-year helpers; `totals`."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from db import reports, venues
from db.clock import JST
from db.errors import InvalidInput
from db.permissions import Actor, PermissionDenied
from tests.conftest import ADMIN, STAFF

VOLUNTEER = Actor("vol-test", "volunteer", 1)
# After the year: every session of FY2025 has been held.
AFTER = datetime(2026, 4, 10, 12, 0, tzinfo=JST)
# Noon on the last day: the 10:00 session is held, the 14:00 one still upcoming.
LAST_NOON = datetime(2026, 3, 31, 12, 0, tzinfo=JST)
L1, L2 = "phone-basics", "line-basics"


class Centre:
    """Two venues, eight sessions, ten residents, four volunteers, seven tickets.

    sessions (JST)                          venue lesson cap helpers_needed
      S0 2025-03-31 10:00–11:30 (FY2024)    A     L1     10  1
      S1 2025-04-01 10:00–11:30             A     L1     10  1
      S2 2025-06-10 13:00–14:00             B     L2      4  1
      S3 2025-09-01 10:00–11:30 cancelled   A     L1      8  1
      S4 2026-03-31 10:00–11:30             A     L2      1  0
      S7 2026-03-31 14:00–15:30             B     L1      5  1
      S5 2026-04-01 10:00–11:30 (FY2026)    A     L1     10  1
    residents: P1 70代 iPhone (attended S0, so returning), P2 80代 Android,
      P3 60代 らくらくスマホ (anonymised), P4 no 年代 / device, P5 90代〜 なし,
      P6 70代 iPhone, P7 60代 Android, P8 80代 携帯電話, P9 〜59 iPhone.
    """

    def __init__(self, database):
        self.db = database
        self.a = venues.create_venue(database, ADMIN, "みなみ市民センター", "テスト市1-1", "03-0000-0001")
        self.b = venues.create_venue(database, ADMIN, "きた公民館", "テスト市2-2", "03-0000-0002")
        room_a = venues.create_room(database, ADMIN, self.a, "研修室", 12)
        room_b = venues.create_room(database, ADMIN, self.b, "和室", 8)
        s = self.session
        self.s0 = s(room_a, L1, "2025-03-31T10:00", "2025-03-31T11:30", 10, 1)
        self.s1 = s(room_a, L1, "2025-04-01T10:00", "2025-04-01T11:30", 10, 1)
        self.s2 = s(room_b, L2, "2025-06-10T13:00", "2025-06-10T14:00", 4, 1)
        self.s3 = s(room_a, L1, "2025-09-01T10:00", "2025-09-01T11:30", 8, 1, status="cancelled")
        self.s4 = s(room_a, L2, "2026-03-31T10:00", "2026-03-31T11:30", 1, 0)
        self.s7 = s(room_b, L1, "2026-03-31T14:00", "2026-03-31T15:30", 5, 1)
        self.s5 = s(room_a, L1, "2026-04-01T10:00", "2026-04-01T11:30", 10, 1)
        p = self.person
        p1 = p("田中 一郎", "70代", "iPhone", "01")
        p2 = p("佐藤 花子", "80代", "Android", "02")
        p3 = p("（削除済み）", "60代", "らくらくスマホ", "03", anonymised=True)
        p4 = p("鈴木 次郎", "", "", "04")
        p5 = p("高橋 三郎", "90代〜", "なし", "05")
        p6 = p("伊藤 幸子", "70代", "iPhone", "06")
        p7 = p("渡辺 四郎", "60代", "Android", "07")
        p8 = p("山本 和子", "80代", "携帯電話", "08")
        p9 = p("中村 五郎", "〜59", "iPhone", "09")
        b = self.booking
        b(self.s0, p1, "attended")
        b(self.s1, p1, "attended")
        b(self.s1, p2, "attended")
        b(self.s1, p4, "attended", late=1)
        b(self.s1, p5, "absent")
        b(self.s2, p3, "attended")
        b(self.s2, p7, "attended")
        b(self.s2, p2, "booked")  # attendance never marked: the seat was still filled
        b(self.s2, p1, "absent")
        b(self.s2, p6, "waitlisted")  # never got a seat
        b(self.s2, p8, "cancelled", offered_until="2025-06-08T03:00:00+00:00")  # declined the offer
        b(self.s3, p9, "booked")  # the session was cancelled
        b(self.s4, p2, "attended")
        b(self.s4, p7, "waitlisted")  # but held a seat for the same lesson in S2
        b(self.s4, p9, "cancelled")  # an ordinary cancelled seat
        b(self.s7, p4, "booked")
        b(self.s5, p6, "attended")
        b(self.s5, p1, "attended")
        v = self.volunteer
        v1, v2, v3 = v("推進 花子", "promoter"), v("学生 太郎", "student"), v("支援 三郎", "supporter")
        v4 = v("職員 四郎", "staff", active=0)  # left since, but worked this year
        f = self.shift
        f(self.s0, v1, "lead")
        f(self.s1, v1, "lead")  # NULL: the session's 90 min
        f(self.s1, v2, "helper", minutes=60)  # edited
        f(self.s2, v3, "lead")  # NULL: 60 min; no helper → understaffed
        f(self.s3, v2, "helper")  # cancelled session
        f(self.s4, v2, "lead", status="removed")  # taken off: no lead left → understaffed
        f(self.s7, v4, "helper", minutes=30)  # no lead → understaffed
        f(self.s5, v1, "lead")
        t = self.ticket
        # 2025-04-01 00:30 JST: FY2025, April
        t("2025-0001", "2025-03-31T15:30:00+00:00", self.a, "visit", "line", "closed", "resolved", 20)
        # 2025-03-31 23:30 JST: FY2024
        t("2024-0099", "2025-03-31T14:30:00+00:00", self.a, "phone", "basics", "closed", "resolved", 15)
        # 2025-06-10 13:00 JST
        t("2025-0002", "2025-06-10T04:00:00+00:00", self.b, "after_class", "mynaportal", "referred", "referred", 30,
          referral_to="city_hall")
        # 2025-06-20 10:00 JST, waiting for a call back
        t("2025-0003", "2025-06-20T01:00:00+00:00", self.a, "phone", "line", "on_hold", "", 0, follow_up_on="2025-06-27")
        # 2025-12-01 09:00 JST
        t("2025-0004", "2025-12-01T00:00:00+00:00", self.b, "home", "basics", "resolved", "resolved", 60)
        # 2026-03-31 23:59 JST: still FY2025, March
        t("2025-0005", "2026-03-31T14:59:00+00:00", self.a, "visit", "scams", "closed", "referred", 45, referral_to="police")
        # 2026-04-01 00:00 JST: FY2026, on hold now
        t("2026-0001", "2026-03-31T15:00:00+00:00", self.b, "visit", "basics", "on_hold", "", 10, follow_up_on="2026-04-03")

    def session(self, room, lesson, starts, ends, capacity, helpers_needed, status="scheduled"):
        return self.db["sessions"].insert(
            {
                "lesson_id": lesson,
                "room_id": room,
                "starts_at": starts + ":00+09:00",
                "ends_at": ends + ":00+09:00",
                "capacity": capacity,
                "helpers_needed": helpers_needed,
                "status": status,
                "created_at": "2025-01-10T00:00:00+00:00",
            }
        ).last_pk

    def person(self, name, age_band, device, n, anonymised=False):
        return self.db["attendees"].insert(
            {
                "name": name,
                "name_kana": "" if anonymised else "テスト",
                "phone": None if anonymised else f"090-0000-00{n}",
                "age_band": age_band,
                "device": device,
                "consent_on": "2025-01-10",
                "created_at": "2025-01-10T00:00:00+00:00",
                "anonymised_at": "2026-04-05T00:00:00+00:00" if anonymised else None,
            }
        ).last_pk

    def booking(self, session, attendee, status, late=0, offered_until=None):
        return self.db["bookings"].insert(
            {
                "session_id": session,
                "attendee_id": attendee,
                "status": status,
                "queued_at": "2025-02-01T00:00:00+00:00",
                "late": late,
                "offered_until": offered_until,
                "marked_by": "staff-test" if status in ("attended", "absent") else None,
            }
        ).last_pk

    def volunteer(self, name, kind, active=1):
        return self.db["volunteers"].insert(
            {"name": name, "name_kana": "テスト", "phone": "090-0000-0100", "kind": kind, "active": active}
        ).last_pk

    def shift(self, session, volunteer, role, minutes=None, status="assigned"):
        self.db["shifts"].insert(
            {"session_id": session, "volunteer_id": volunteer, "role": role, "status": status, "minutes": minutes}
        )

    def ticket(self, number, opened_at, venue, channel, category, status, resolution, minutes, referral_to="", follow_up_on=None):
        self.db["tickets"].insert(
            {
                "number": number,
                "opened_at": opened_at,
                "venue_id": venue,
                "channel": channel,
                "category": category,
                "summary": "相談",
                "status": status,
                "resolution": resolution,
                "minutes": minutes,
                "referral_to": referral_to,
                "follow_up_on": follow_up_on,
            }
        )


@pytest.fixture
def known(database):
    return Centre(database)


def test_class_figures_of_the_fiscal_year(database, known):
    r = reports.class_report(database, STAFF, 2025, now=AFTER)
    assert (r.start, r.end) == (date(2025, 4, 1), date(2026, 4, 1))
    # S1, S2, S4, S7 (S0 is FY2024, S5 FY2026, S3 cancelled)
    assert (r.sessions_held, r.sessions_upcoming, r.sessions_cancelled) == (4, 0, 1)
    assert r.seats_offered == 20  # 10 + 4 + 1 + 5
    # S1: P1 P2 P4 P5; S2: P3 P7 P2 P1; S4: P2; S7: P4 — S3's booking and the cancelled ones do not count
    assert r.seats_filled == 10  # 4 + 4 + 1 + 1
    assert r.fill_rate == 0.5  # 10 / 20
    assert r.attendances == 6  # S1: P1 P2 P4(late); S2: P3 P7; S4: P2
    assert r.late == 1  # P4 in S1
    assert r.absences == 2  # P5 in S1, P1 in S2
    assert r.no_show_rate == 0.25  # 2 / (6 + 2)
    assert r.unique_attendees == 5  # P1 P2 P3 P4 P7 (P5 only absent; P6 attended in FY2026 only)
    assert (r.new_attendees, r.returning_attendees) == (4, 1)  # P1 attended S0 on 2025-03-31
    # P1 70代, P2 80代, P3 60代, P4 未記入, P7 60代
    assert r.by_age_band == {"〜59": 0, "60代": 2, "70代": 1, "80代": 1, "90代〜": 0, "未記入": 1}
    # P1 iPhone, P2 Android, P3 らくらくスマホ, P4 未記入, P7 Android
    assert r.by_device == {"iPhone": 1, "Android": 2, "らくらくスマホ": 1, "携帯電話": 0, "なし": 0, "未記入": 1}
    # P6 waitlisted in S2, P8 declined an offer in S2; P7 waited in S4 but sat in S2 (same lesson L2)
    assert r.waitlist_demand == 2
    # L2: S2 P3 P7 P2 P1 + P6 waiting, S4 P2 + P7 waiting = 7; L1: S1 four + S7 one = 5
    assert [(d.lesson_id, d.requests, d.seated, d.waitlisted) for d in r.top_lessons] == [(L2, 7, 5, 2), (L1, 5, 5, 0)]
    assert r.top_lessons[0].title == "LINEを使ってみよう"


def test_held_and_upcoming_split_at_now(database, known):
    r = reports.class_report(database, STAFF, 2025, now=LAST_NOON)
    # S7 (14:00 on 3/31) is still to come: its 5 seats and P4's booking are not yet counted
    assert (r.sessions_held, r.sessions_upcoming, r.sessions_cancelled) == (3, 1, 1)
    assert (r.seats_offered, r.seats_filled) == (15, 9)  # 20 - 5, 10 - 1
    v = reports.volunteer_report(database, STAFF, 2025, now=LAST_NOON)
    assert (v.shifts, v.minutes, v.understaffed) == (3, 210, 2)  # S7's 30-min shift and its shortage drop out


def test_one_month(database, known):
    june = reports.class_report(database, STAFF, 2025, month=6, now=AFTER)
    assert (june.start, june.end) == (date(2025, 6, 1), date(2025, 7, 1))
    assert (june.sessions_held, june.seats_offered, june.seats_filled, june.fill_rate) == (1, 4, 4, 1.0)  # S2 only
    assert (june.attendances, june.late, june.absences) == (2, 0, 1)  # P3 P7; P1 absent
    assert june.no_show_rate == pytest.approx(1 / 3)  # 1 / (2 + 1)
    assert (june.unique_attendees, june.new_attendees, june.returning_attendees) == (2, 2, 0)  # P3 and P7, first time
    assert june.by_age_band["60代"] == 2
    assert june.waitlist_demand == 2  # P6, P8
    march = reports.class_report(database, STAFF, 2025, month=3, now=AFTER)
    assert (march.sessions_held, march.seats_offered, march.seats_filled, march.attendances) == (2, 6, 2, 1)  # S4 + S7
    # P2 came in March but had attended S1 in April: returning for the month
    assert (march.unique_attendees, march.new_attendees, march.returning_attendees) == (1, 0, 1)
    # P7 waited in S4 (L2); the L2 seat P7 held was in June, outside this window
    assert march.waitlist_demand == 1
    assert reports.class_report(database, STAFF, 2025, month=9, now=AFTER).sessions_cancelled == 1  # S3


def test_one_venue(database, known):
    a = reports.class_report(database, STAFF, 2025, venue_id=known.a, now=AFTER)
    assert (a.sessions_held, a.sessions_cancelled, a.seats_offered, a.seats_filled) == (2, 1, 11, 5)  # S1 + S4; S3
    assert a.fill_rate == pytest.approx(5 / 11)
    assert (a.attendances, a.late, a.absences) == (4, 1, 1)  # S1: P1 P2 P4(late), P5 absent; S4: P2
    assert a.no_show_rate == 0.2  # 1 / (4 + 1)
    assert (a.unique_attendees, a.new_attendees, a.returning_attendees) == (3, 2, 1)  # P1 returning; P2 P4 new
    assert a.by_age_band == {"〜59": 0, "60代": 0, "70代": 1, "80代": 1, "90代〜": 0, "未記入": 1}
    # P7 waited in S4 (L2) and sat only at venue B: at venue A that is unmet demand
    assert a.waitlist_demand == 1
    assert [(d.lesson_id, d.requests, d.seated, d.waitlisted) for d in a.top_lessons] == [(L1, 4, 4, 0), (L2, 2, 1, 1)]
    b = reports.class_report(database, STAFF, 2025, venue_id=known.b, now=AFTER)
    assert (b.sessions_held, b.sessions_cancelled, b.seats_offered, b.seats_filled) == (2, 0, 9, 5)  # S2 + S7
    assert (b.attendances, b.absences, b.unique_attendees, b.new_attendees) == (2, 1, 2, 2)  # P3 P7; P1 absent
    assert b.waitlist_demand == 2  # P6, P8
    assert [(d.lesson_id, d.requests) for d in b.top_lessons] == [(L2, 5), (L1, 1)]
    whole = reports.class_report(database, STAFF, 2025, now=AFTER)
    for field in ("sessions_held", "sessions_cancelled", "seats_offered", "seats_filled", "attendances", "late", "absences"):
        assert getattr(a, field) + getattr(b, field) == getattr(whole, field), field


def test_help_desk_figures(database, known):
    d = reports.desk_report(database, STAFF, 2025)
    assert d.tickets == 5  # 2025-0001 … 0005; 2024-0099 (3/31 23:30 JST) and 2026-0001 (4/1 0:00 JST) are outside
    assert list(d.by_category.items()) == [("line", 2), ("basics", 1), ("mynaportal", 1), ("scams", 1)]
    assert list(d.by_channel.items()) == [("visit", 2), ("after_class", 1), ("home", 1), ("phone", 1)]
    assert (d.resolved, d.referred) == (2, 2)  # 0001, 0004; 0002, 0005
    assert d.resolution_rate == 0.4  # 2 / 5
    assert d.median_minutes == 37.5  # 20 30 45 60 (0003 has 0 min): (30 + 45) / 2
    assert d.referrals == {"city_hall": 1, "police": 1}
    assert d.open_follow_ups == 2  # 2025-0003 and 2026-0001 are on hold now, whatever the window
    june = reports.desk_report(database, STAFF, 2025, month=6)
    assert (june.tickets, june.resolved, june.resolution_rate, june.median_minutes) == (2, 0, 0.0, 30.0)  # 0002, 0003
    assert june.referrals == {"city_hall": 1}
    assert reports.desk_report(database, STAFF, 2025, month=4).tickets == 1  # 0001 at 0:30 JST on 4/1
    assert reports.desk_report(database, STAFF, 2025, month=3).tickets == 1  # 0005 at 23:59 JST on 3/31
    a = reports.desk_report(database, STAFF, 2025, venue_id=known.a)
    assert (a.tickets, a.resolved, a.referred, a.open_follow_ups) == (3, 1, 1, 1)  # 0001 0003 0005; 0003 on hold
    assert a.resolution_rate == pytest.approx(1 / 3)
    assert a.median_minutes == 32.5  # (20 + 45) / 2
    assert a.referrals == {"police": 1}
    b = reports.desk_report(database, STAFF, 2025, venue_id=known.b)
    assert (b.tickets, b.resolution_rate, b.median_minutes, b.open_follow_ups) == (2, 0.5, 45.0, 1)  # 0002 0004: (30 + 60) / 2
    assert b.by_category == {"mynaportal": 1, "basics": 1}


def test_volunteer_figures(database, known):
    v = reports.volunteer_report(database, STAFF, 2025, now=AFTER)
    assert v.registered_by_kind == {"promoter": 1, "supporter": 1, "student": 1, "staff": 0, "other": 0}  # V4 left
    assert v.active_by_kind == {"promoter": 1, "supporter": 1, "student": 1, "staff": 1, "other": 0}  # V4 worked S7
    # S1 lead (NULL → 90) + S1 helper (60) + S2 lead (NULL → 60) + S7 helper (30); S3 cancelled, S4 removed
    assert (v.shifts, v.minutes, v.hours) == (4, 240, 4.0)
    assert v.understaffed == 3  # S2 no helper, S4 no lead, S7 no lead; S1 is fully staffed
    a = reports.volunteer_report(database, STAFF, 2025, venue_id=known.a, now=AFTER)
    assert (a.shifts, a.minutes, a.understaffed) == (2, 150, 1)  # S1: 90 + 60; S4
    assert a.active_by_kind == {"promoter": 1, "supporter": 0, "student": 1, "staff": 0, "other": 0}
    june = reports.volunteer_report(database, STAFF, 2025, month=6, now=AFTER)
    assert (june.shifts, june.minutes, june.understaffed) == (1, 60, 1)  # S2


def test_monthly_rows_for_charts(database, known):
    rows = reports.monthly(database, STAFF, 2025, now=AFTER)
    assert [(r.year, r.month) for r in rows] == [(2025, m) for m in range(4, 13)] + [(2026, 1), (2026, 2), (2026, 3)]
    figures = {r.month: (r.sessions_held, r.attendances, r.unique_attendees, r.tickets) for r in rows}
    assert figures[4] == (1, 3, 3, 1)  # S1: P1 P2 P4; ticket 0001
    assert figures[6] == (1, 2, 2, 2)  # S2: P3 P7; 0002 0003
    assert figures[9] == (0, 0, 0, 0)  # S3 was cancelled
    assert figures[12] == (0, 0, 0, 1)  # 0004
    assert figures[3] == (2, 1, 1, 1)  # S4 + S7: P2; 0005
    assert all(figures[m] == (0, 0, 0, 0) for m in (5, 7, 8, 10, 11, 1, 2))
    venue_b = {r.month: (r.sessions_held, r.attendances, r.tickets) for r in reports.monthly(database, STAFF, 2025, known.b, now=AFTER)}
    assert (venue_b[6], venue_b[12], venue_b[3]) == ((1, 2, 1), (0, 0, 1), (1, 0, 0))  # S2 + 0002; 0004; S7


def test_targets_are_set_by_an_admin_and_show_progress(database, known):
    with pytest.raises(PermissionDenied):
        reports.set_target(database, STAFF, 2025, "attendances", 12)
    reports.set_target(database, ADMIN, 2025, "attendances", 10)
    reports.set_target(database, ADMIN, 2025, "attendances", 12)  # replaces
    reports.set_target(database, ADMIN, 2025, "tickets", 0)
    reports.set_target(database, ADMIN, 2025, "unique_attendees", 4)
    assert list(reports.targets(database, STAFF, 2025).items()) == [("attendances", 12), ("unique_attendees", 4), ("tickets", 0)]
    assert reports.targets(database, STAFF, 2026) == {}
    assert database.execute("select count(*) from targets where fiscal_year = 2025 and metric = 'attendances'").fetchone()[0] == 1
    progress = reports.progress(database, STAFF, 2025, now=AFTER)
    assert progress == (
        reports.Progress("attendances", 12, 6, 0.5),  # 6 / 12
        reports.Progress("unique_attendees", 4, 5, 1.25),  # 5 / 4: beyond the target
        reports.Progress("tickets", 0, 5, None),  # a target of 0 has no ratio
    )
    assert reports.progress(database, STAFF, 2026, now=AFTER) == ()
    logged = database.execute("select user, entity_id, detail from audit_log where action = 'set_target' order by id").fetchall()
    assert len(logged) == 4
    assert logged[1][:2] == ("admin-test", "2025:attendances")
    assert json.loads(logged[1][2]) == {"fiscal_year": 2025, "metric": "attendances", "value": [10, 12]}


@pytest.mark.parametrize(
    "year, metric, value, field",
    [(2025, "visitors", 5, "metric"), (2025, "tickets", -1, "value"), (2025, "tickets", 1.5, "value"),
     (2025, "tickets", True, "value"), (1999, "tickets", 5, "fiscal_year")],
)
def test_bad_targets_are_refused_and_change_nothing(database, year, metric, value, field):
    with pytest.raises(InvalidInput) as err:
        reports.set_target(database, ADMIN, year, metric, value)
    assert err.value.field == field
    assert database.execute("select count(*) from targets").fetchone()[0] == 0


def test_year_report_bundles_one_venue_with_centre_wide_progress(database, known):
    reports.set_target(database, ADMIN, 2025, "attendances", 12)
    r = reports.year_report(database, STAFF, 2025, venue_id=known.a, now=AFTER)
    assert (r.classes.attendances, r.desk.tickets, r.volunteers.shifts) == (4, 3, 2)  # venue A, as above
    assert {m.month: m.tickets for m in r.months}[6] == 1  # 0003 at venue A
    assert r.progress == (reports.Progress("attendances", 12, 6, 0.5),)  # every venue
    whole = reports.year_report(database, STAFF, 2025, now=AFTER)
    assert whole.progress == r.progress
    assert sum(m.sessions_held for m in whole.months) == whole.classes.sessions_held
    assert sum(m.attendances for m in whole.months) == whole.classes.attendances
    assert sum(m.tickets for m in whole.months) == whole.desk.tickets


@pytest.mark.parametrize("part", list(reports.PARTS))
def test_each_part_alone_reads_the_same_figures_and_no_other(database, known, part):
    # The page reads one section at a time (issue 12); the PDF reads them all.
    reports.set_target(database, ADMIN, 2025, "attendances", 12)
    for venue in (None, known.a):
        whole = reports.year_report(database, STAFF, 2025, venue_id=venue, now=AFTER)
        alone = reports.year_report(database, STAFF, 2025, venue_id=venue, now=AFTER, parts=(part,))
        assert getattr(alone, part) == getattr(whole, part)
        assert [name for name in reports.PARTS if name != part and getattr(alone, name) is not None] == []
        assert (alone.loans, alone.outreach) == ((whole.loans, whole.outreach) if part == "classes" else (None, None))
    tables = database.execute("select name from sqlite_temp_master where name like 'report_%'").fetchall()
    assert tables == []  # the facts are dropped afterwards
    with pytest.raises(ValueError):
        reports.year_report(database, STAFF, 2025, parts=("everything",))


def test_an_empty_year_has_no_rates(database):
    c = reports.class_report(database, STAFF, 2030)
    assert (c.sessions_held, c.fill_rate, c.no_show_rate, c.unique_attendees, c.top_lessons) == (0, None, None, 0, ())
    assert c.by_age_band["未記入"] == 0
    d = reports.desk_report(database, STAFF, 2030)
    assert (d.tickets, d.resolution_rate, d.median_minutes, d.by_category) == (0, None, None, {})


def test_only_staff_read_reports(database):
    calls = [
        lambda who: reports.class_report(database, who, 2025),
        lambda who: reports.desk_report(database, who, 2025),
        lambda who: reports.volunteer_report(database, who, 2025),
        lambda who: reports.monthly(database, who, 2025),
        lambda who: reports.year_report(database, who, 2025),
        lambda who: reports.targets(database, who, 2025),
        lambda who: reports.progress(database, who, 2025),
    ]
    for call in calls:
        call(ADMIN)
        call(STAFF)
        with pytest.raises(PermissionDenied):
            call(VOLUNTEER)
    with pytest.raises(PermissionDenied):
        reports.set_target(database, VOLUNTEER, 2025, "tickets", 1)


def test_fiscal_year_boundaries():
    assert reports.fiscal_year_of(date(2026, 3, 31)) == 2025
    assert reports.fiscal_year_of(date(2026, 4, 1)) == 2026
    assert reports.fiscal_year_of(date(2025, 4, 1)) == 2025
    assert reports.fiscal_year_of(date(2026, 1, 1)) == 2025
    assert reports.fiscal_year_window(2025) == (date(2025, 4, 1), date(2026, 4, 1))
    assert reports.fiscal_year_window(2025, 4) == (date(2025, 4, 1), date(2025, 5, 1))
    assert reports.fiscal_year_window(2025, 12) == (date(2025, 12, 1), date(2026, 1, 1))
    assert reports.fiscal_year_window(2025, 1) == (date(2026, 1, 1), date(2026, 2, 1))
    assert reports.fiscal_year_window(2025, 3) == (date(2026, 3, 1), date(2026, 4, 1))
    for month in (0, 13):
        with pytest.raises(InvalidInput):
            reports.fiscal_year_window(2025, month)
