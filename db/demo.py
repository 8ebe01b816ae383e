"""Demo data for a first run: one invented centre, two rooms, six sessions over the
coming weeks on ordinary working days, ten attendees, four volunteers and one
account per role.

Every name and number here is invented; phone numbers are in the fictional
090-0000-xxxx range.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlite_utils import Database

from db import accounts, attendees, bookings, loans, outreach, sessions, settings, venues, volunteers
from db.clock import JST, today_jst
from db.permissions import Actor

ACTOR = Actor("demo", "system")
LOAN_PHONES = (("iPhone", 3), ("Android", 2))
CENTRE = ("みどり台コミュニティセンター", "東京都みどり台市中央1-2-3", "03-0000-0000")

# (name, フリガナ, 年代, device, needs)
ATTENDEES = [
    ("青木 花子", "アオキ ハナコ", "70代", "iPhone", []),
    ("石川 一郎", "イシカワ イチロウ", "80代", "Android", ["大きな文字"]),
    ("上田 和子", "ウエダ カズコ", "70代", "らくらくスマホ", []),
    ("江藤 正", "エトウ タダシ", "60代", "iPhone", []),
    ("大野 幸子", "オオノ サチコ", "80代", "なし", ["聞こえ"]),
    ("加藤 茂", "カトウ シゲル", "70代", "Android", []),
    ("木村 節子", "キムラ セツコ", "90代〜", "携帯電話", ["歩行・車いす"]),
    ("久保 清", "クボ キヨシ", "60代", "iPhone", []),
    ("小林 春江", "コバヤシ ハルエ", "70代", "Android", []),
    ("佐々木 勇", "ササキ イサム", "80代", "iPhone", ["大きな文字"]),
]
VOLUNTEERS = [
    ("田中 美咲", "タナカ ミサキ", "promoter", ["iPhone", "マイナンバーカード・マイナポータル"]),
    ("中村 健", "ナカムラ ケン", "supporter", ["Android", "LINE"]),
    ("西田 結衣", "ニシダ ユイ", "student", ["iPhone", "LINE", "インターネット"]),
    ("野口 聡", "ノグチ サトシ", "staff", ["Android", "詐欺対策"]),
]
# Demo accounts, one per role (README "Demo accounts"); the volunteer account is
# linked to the first volunteer. For the demo database only.
DEMO_ACCOUNTS = [
    ("admin", "midori-kanri-2026", "admin"),
    ("staff", "midori-madoguchi-2026", "staff"),
    ("tanaka", "midori-suishin-2026", "volunteer"),
]
# (lesson id, start, minutes, room index, capacity)
SESSIONS = [
    ("phone-basics", time(10, 0), 90, 0, 12),
    ("line-basics", time(13, 30), 90, 0, 12),
    ("scams-safety", time(10, 0), 90, 1, 8),
    ("myna-app", time(10, 0), 90, 0, 12),
    ("web-search", time(13, 30), 90, 1, 8),
    ("myna-hokensho", time(10, 0), 90, 0, 12),
]


def session_days(start: date, count: int) -> list[date]:
    """The next `count` Tuesdays and Thursdays from `start` (exclusive) that are not
    holidays or in the year-end closure (`sessions.day_note`)."""
    days, d = [], start
    while len(days) < count:
        d += timedelta(days=1)
        if d.weekday() in (1, 3) and not sessions.day_note(d):
            days.append(d)
    return days


def seed(db: Database, today: date | None = None) -> None:
    """Fill an empty database with the demo centre. Does nothing if any venue exists."""
    if db["venues"].count:
        return
    settings.update_settings(db, ACTOR, centre_name=CENTRE[0], centre_phone=CENTRE[2])
    venue_id = venues.create_venue(db, ACTOR, *CENTRE)
    rooms = [
        venues.create_room(db, ACTOR, venue_id, "第1研修室", 16),
        venues.create_room(db, ACTOR, venue_id, "和室", 8),
    ]
    # Loan phones (貸出機), left for staff to lend from 予約.
    for kind, count in LOAN_PHONES:
        for n in range(1, count + 1):
            loans.add_phone(db, ACTOR, venue_id, kind, f"{kind}-{n}")
    attendee_ids = [
        attendees.register_attendee(
            db, ACTOR, name, kana, f"090-0000-{i:04d}", consent=True, age_band=age, device=device, needs=needs
        )
        for i, (name, kana, age, device, needs) in enumerate(ATTENDEES, 1)
    ]
    volunteer_ids = [
        volunteers.register_volunteer(db, ACTOR, name, kana, f"090-0000-{i:04d}", kind, skills)
        for i, (name, kana, kind, skills) in enumerate(VOLUNTEERS, 101)
    ]
    for username, password, role in DEMO_ACCOUNTS:
        accounts.create_user(db, ACTOR, username, password, role, volunteer_ids[0] if role == "volunteer" else None)
    days = session_days(today or today_jst(), len(SESSIONS))
    for n, (day, (lesson_id, start, minutes, room, capacity)) in enumerate(zip(days, SESSIONS)):
        starts_at = datetime.combine(day, start, tzinfo=JST)
        session_id = sessions.create_session(
            db, ACTOR, lesson_id, rooms[room], starts_at, starts_at + timedelta(minutes=minutes), capacity
        )
        if n < 3:
            volunteers.assign_shift(db, ACTOR, session_id, volunteer_ids[n], "lead")
            volunteers.assign_shift(db, ACTOR, session_id, volunteer_ids[3 - n], "helper")
        for attendee_id in attendee_ids[n : n + 4]:
            bookings.book(db, ACTOR, session_id, attendee_id)
    _outreach_requests(db, days)


def _outreach_requests(db: Database, days: list[date]) -> None:
    """Two 出前講座・出張相談 requests from invented groups: one just received, one
    being arranged (db.outreach)."""
    salon = outreach.create_request(
        db, ACTOR, place_name="みどり台三丁目集会所", place_address="みどり市みどり台3-4-5", kind="lecture",
        group_name="みどり台三丁目自治会", group_kind="neighbourhood", contact_name="町田 和子", contact_phone="090-0000-0201",
        preferred_dates=[days[-1] + timedelta(days=14), days[-1] + timedelta(days=21)], expected=15, iphone=6, android=7,
        other_devices=1, loan_phones=2, lesson_id="line-basics", notes="集会所は2階（エレベーターなし）",
    )
    outreach.start_arranging(db, ACTOR, salon)
    outreach.create_request(
        db, ACTOR, place_name="ひまわりサロン（さくら会館）", place_address="みどり市さくら町1-2", kind="consult",
        group_name="ひまわりサロン", group_kind="salon", contact_name="小川 ふみ", contact_phone="090-0000-0202",
        preferred_dates=[days[-1] + timedelta(days=10)], expected=8, android=5, other_devices=2,
    )
