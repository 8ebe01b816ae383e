"""Every page through Streamlit's AppTest, on the demo centre."""

from __future__ import annotations

from datetime import time, timedelta

from streamlit.testing.v1 import AppTest

import db
from db import bookings, sessions
from db.clock import now_jst
from db.permissions import Actor
from tests.conftest import open_page, working_day


def messages(at: AppTest, kind: str) -> list[str]:
    return [e.value for e in getattr(at, kind)]


def count(table: str) -> int:
    with db.connect() as handle:
        return handle[table].count


def test_schedule_lists_upcoming_sessions_with_seats(demo_db):
    at = open_page("app_pages/schedule.py")
    assert at.title[0].value == "開催予定"
    table = at.table[0].value
    assert len(table) == 6
    assert table["予約"].str.contains("予約 4 / 12 人").any()
    assert table["担当"].str.contains("不足").any()


def test_schedule_creates_a_session_from_a_lesson(demo_db):
    at = open_page("app_pages/schedule.py")
    day = working_day(20)  # within the four weeks the page lists
    at.selectbox(key="new_lesson").set_value("mynumber-card-apply")
    at.date_input(key="new_date").set_value(day)
    at.time_input(key="new_start").set_value(time(13, 30))
    at.time_input(key="new_end").set_value(time(15, 0))
    room = at.selectbox(key="new_room")
    room.set_value(room.options and next(o for o in room.options if "和室" in o) and _room(room, "和室"))
    at.number_input(key="new_capacity").set_value(8)
    at.button(key="create_session").click().run()
    assert not messages(at, "error")
    assert any("開催回を登録しました" in m for m in messages(at, "success"))
    assert count("sessions") == 7
    assert len(at.table[0].value) == 7


def _room(widget, name):
    """The option object of the room whose label contains `name`."""
    from db import venues

    with db.connect() as handle:
        return next(r for r in venues.list_rooms(handle) if r.name == name)


def test_schedule_refuses_end_before_start_and_keeps_the_input(demo_db):
    at = open_page("app_pages/schedule.py")
    at.selectbox(key="new_lesson").set_value("line-basics")
    at.date_input(key="new_date").set_value(working_day(30))
    at.time_input(key="new_start").set_value(time(15, 0))
    at.time_input(key="new_end").set_value(time(14, 0))
    at.button(key="create_session").click().run()
    assert any("終了時刻は開始時刻より後" in m for m in messages(at, "error"))
    assert count("sessions") == 6
    assert at.selectbox(key="new_lesson").value == "line-basics"
    assert at.time_input(key="new_start").value == time(15, 0)


def test_schedule_refuses_capacity_over_the_room(demo_db):
    at = open_page("app_pages/schedule.py")
    at.date_input(key="new_date").set_value(working_day(30))
    at.selectbox(key="new_room").set_value(_room(None, "和室"))
    at.number_input(key="new_capacity").set_value(20)
    at.button(key="create_session").click().run()
    assert any("定員は 1〜8 人" in m for m in messages(at, "error"))
    assert count("sessions") == 6


def first_session_id() -> int:
    with db.connect() as handle:
        return sessions.list_sessions(handle)[0].id


def test_booking_registers_a_new_attendee_and_books_in_one_step(demo_db):
    at = open_page("app_pages/bookings.py")
    assert at.selectbox(key="booking_pick").value == first_session_id()
    at.text_input(key="reg_name").input("山本 和夫")
    at.text_input(key="reg_kana").input("やまもと かずお")
    at.text_input(key="reg_phone").input("０９０００００５５５５")
    at.checkbox(key="reg_consent").check()
    at.button(key="register_and_book").click().run()
    assert any("山本 和夫 さんを登録し、予約しました" in m for m in messages(at, "success"))
    names = list(at.table[0].value["氏名"])
    assert "山本\u3000和夫" in names
    assert at.text_input(key="reg_name").value == ""
    with db.connect() as handle:
        row = handle.execute("select phone, name_kana from attendees where name = '山本\u3000和夫'").fetchone()
    assert row == ("090-0000-5555", "ヤマモト\u3000カズオ")


def test_booking_bad_phone_is_refused_and_the_form_keeps_its_values(demo_db):
    at = open_page("app_pages/bookings.py")
    at.text_input(key="reg_name").input("山本 和夫")
    at.text_input(key="reg_kana").input("ヤマモト カズオ")
    at.text_input(key="reg_phone").input("12345")
    at.checkbox(key="reg_consent").check()
    at.button(key="register_and_book").click().run()
    assert any("電話番号の形が正しくありません" in m for m in messages(at, "error"))
    assert count("attendees") == 10
    assert at.text_input(key="reg_name").value == "山本 和夫"
    assert at.text_input(key="reg_phone").value == "12345"


def test_booking_without_consent_is_refused(demo_db):
    at = open_page("app_pages/bookings.py")
    at.text_input(key="reg_name").input("山本 和夫")
    at.text_input(key="reg_kana").input("ヤマモト カズオ")
    at.text_input(key="reg_phone").input("090-0000-5555")
    at.button(key="register_and_book").click().run()
    assert any("同意" in m for m in messages(at, "error"))
    assert count("attendees") == 10


def test_booking_finds_by_phone_fragment_and_kana_then_books(demo_db):
    at = open_page("app_pages/bookings.py")
    at.text_input(key="attendee_query").input("ｻｻｷ").run()
    assert at.radio(key="found_attendee").options == ["佐々木\u3000勇（ササキ\u3000イサム） 090-0000-0010"]
    at.text_input(key="attendee_query").input("００１０").run()
    assert len(at.radio(key="found_attendee").options) == 1
    at.button(key="book_found").click().run()
    assert "予約しました。" in messages(at, "success")
    assert "佐々木\u3000勇" in list(at.table[0].value["氏名"])
    at.button(key="book_found").click().run()
    assert any("すでに" in m for m in messages(at, "error"))


def test_full_session_says_so_and_takes_no_seat(demo_db):
    with db.connect() as handle:
        session = sessions.list_sessions(handle)[0]
        handle.execute("update sessions set capacity = ? where id = ?", [session.seats_taken, session.id])
        handle.conn.commit()
    at = open_page("app_pages/bookings.py")
    assert any("満席" in m for m in messages(at, "info"))
    at.text_input(key="attendee_query").input("ササキ").run()
    assert at.button(key="book_found").disabled
    at.text_input(key="reg_name").input("山本 和夫")
    at.text_input(key="reg_kana").input("ヤマモト カズオ")
    at.text_input(key="reg_phone").input("090-0000-5555")
    at.checkbox(key="reg_consent").check()
    # Issue 15: a full session offers the waitlist (the default), never a seat.
    assert at.radio(key="reg_when_full").value == "waitlist"
    at.button(key="register_and_book").click().run()
    assert any("山本 和夫 さんを登録し、キャンセル待ちに入れました。" in m for m in messages(at, "success"))
    with db.connect() as handle:
        seats = handle.execute(
            "select count(*) from bookings where session_id = ? and status in ('booked', 'offered')", [session.id]
        ).fetchone()[0]
        status = handle.execute(
            "select b.status from bookings b join attendees a on a.id = b.attendee_id where a.phone_digits = '09000005555'"
        ).fetchone()[0]
    assert (seats, status) == (session.seats_taken, "waitlisted")


def test_booking_can_be_cancelled_with_a_reason(demo_db):
    at = open_page("app_pages/bookings.py")
    booked = at.table[0].value
    at.selectbox(key="cancel_booking").set_value(at.selectbox(key="cancel_booking").options and _first_booking())
    at.button(key="cancel_button").click().run()
    assert any("理由" in m for m in messages(at, "error"))
    at.text_input(key="cancel_reason").input("体調不良")
    at.button(key="cancel_button").click().run()
    assert "予約を取り消しました。" in messages(at, "success")
    assert len(at.table[0].value) == len(booked) - 1


def _first_booking() -> int:
    with db.connect() as handle:
        return bookings.list_bookings(handle, Actor("staff", "staff"), first_session_id())[0].id


def test_volunteers_register_and_assign(demo_db):
    at = open_page("app_pages/volunteers.py")
    at.session_state["volunteer_tab"] = "ボランティアを登録"
    at.run()
    at.text_input(key="vol_name").input("森 陽子")
    at.text_input(key="vol_kana").input("もり ようこ")
    at.text_input(key="vol_phone").input("090-0000-0200")
    at.selectbox(key="vol_kind").set_value("promoter")
    at.multiselect(key="vol_skills").set_value(["iPhone", "LINE"])
    at.button(key="register_volunteer_button").click().run()
    assert "ボランティアを登録しました。" in messages(at, "success")
    with db.connect() as handle:
        new_id = handle.execute("select id from volunteers where name = '森\u3000陽子'").fetchone()[0]
        target = [s for s in sessions.list_sessions(handle) if s.leads == 0][0]
    at.session_state["volunteer_tab"] = "開催回の担当"
    at.run()
    at.date_input(key="assign_day").set_value(target.starts_at.date()).run()
    at.selectbox(key="assign_pick").set_value(target.id).run()
    at.selectbox(key="assign_volunteer").set_value(new_id)
    at.radio(key="assign_role").set_value("lead")
    at.button(key="assign_button").click().run()
    assert "担当を決めました。" in messages(at, "success")
    assert any("講師：森\u3000陽子" in m.value for m in at.markdown)
    at.selectbox(key="assign_volunteer").set_value(new_id)
    at.radio(key="assign_role").set_value("helper")
    at.button(key="assign_button").click().run()
    assert any("すでに" in m for m in messages(at, "error"))


def test_volunteer_with_bad_email_is_refused(demo_db):
    at = open_page("app_pages/volunteers.py")
    at.session_state["volunteer_tab"] = "ボランティアを登録"
    at.run()
    at.text_input(key="vol_name").input("森 陽子")
    at.text_input(key="vol_kana").input("モリ ヨウコ")
    at.text_input(key="vol_phone").input("090-0000-0200")
    at.text_input(key="vol_email").input("mori-at-example")
    at.button(key="register_volunteer_button").click().run()
    assert any("メールアドレス" in m for m in messages(at, "error"))
    assert count("volunteers") == 4


def test_lessons_page_lists_the_catalogue_and_previews_a_lesson(demo_db):
    import lessons

    at = open_page("app_pages/lessons.py")
    assert len(at.dataframe[0].value) == len(lessons.catalogue())
    at.selectbox(key="lesson_pick").set_value("myna-app").run()
    lesson = lessons.catalogue()["myna-app"]
    assert at.header[0].value == lesson.title
    shown = " ".join(m.value for m in at.markdown)
    assert lesson.steps[0].text in shown
    assert lesson.guides[0].url in shown
    at.segmented_control(key="lesson_level").set_value("応用").run()
    assert set(at.dataframe[0].value["レベル"]) == {"応用"}


def test_printouts_page_offers_every_printout(demo_db, clock):
    # Two days earlier, no demo class is tomorrow: nobody to phone today.
    clock.move_to(now_jst() - timedelta(days=2))
    at = open_page("app_pages/printouts.py")
    assert at.selectbox(key="print_pick").value == first_session_id()
    labels = [b.label for b in at.get("download_button")]
    assert sorted(labels) == sorted(
        ["チラシ・月間予定（PDF）", "担当表（PDF）", "配布資料（PDF）", "配布資料（受講者ごと・4 部）", "受付名簿（PDF）", "予約票（4 枚）",
         "アンケート用紙（1枚・標準）", "アンケート用紙（受講者ごと・4 枚）", "カレンダー（.ics）",
         "みどり台コミュニティセンター の全予定（.ics）"]
    )
    assert any("今日かける電話はありません" in c.value for c in at.caption)


def test_printouts_page_offers_the_call_list_when_there_are_calls(demo_db):
    with db.connect() as handle:
        session = sessions.list_sessions(handle)[0]
        handle.execute("update sessions set status = 'cancelled' where id = ?", [session.id])
        handle.conn.commit()
    at = open_page("app_pages/printouts.py")
    assert any("中止のお知らせ 4 件" in m.value for m in at.markdown)
    assert "電話連絡リスト（PDF）" in [b.label for b in at.get("download_button")]


def test_pages_say_so_when_nothing_is_scheduled(db_path):
    with db.connect(db_path) as handle:
        handle["users"].insert({"username": "admin", "password_hash": "x", "role": "admin", "active": 1, "failed_logins": 0})
        handle.conn.commit()
    for page in ("app_pages/bookings.py", "app_pages/printouts.py"):
        at = open_page(page)
        assert at.info, page
    at = open_page("app_pages/schedule.py")
    assert any("部屋が登録されていません" in m for m in messages(at, "warning"))


def test_schedule_previews_a_series_with_skipped_dates_then_creates_it(demo_db):
    import jpholiday

    from db import venues

    at = open_page("app_pages/schedule.py")
    at.segmented_control(key="schedule_mode").set_value("series").run()
    # Weekly on Mondays for ten weeks from a Monday at least a week ahead.
    first = working_day(10)
    first += timedelta(days=(7 - first.weekday()) % 7)
    last = first + timedelta(weeks=9)
    at.selectbox(key="ser_lesson").set_value("line-basics")
    # The series repeats on the first day's weekday (a Monday), to a last day.
    at.date_input(key="ser_first").set_value(first)
    at.radio(key="ser_end_by").set_value("date").run()
    assert at.radio(key="ser_rule").value == "weekly"
    at.date_input(key="ser_last").set_value(last)
    with db.connect() as handle:
        room = next(r for r in venues.list_rooms(handle) if r.name == "和室")
    at.selectbox(key="ser_room").set_value(room)
    at.number_input(key="ser_capacity").set_value(8)
    at.button(key="ser_preview").click().run()
    mondays = [first + timedelta(weeks=w) for w in range(10)]
    skipped = [d for d in mondays if sessions.day_note(d)]
    planned = len(mondays) - len(skipped)
    assert any(f"{planned} 回を登録します" in m.value for m in at.markdown)
    if skipped:
        reasons = " ".join(str(v) for v in at.table[1].value["理由"])
        assert all((jpholiday.is_holiday_name(d) or "年末年始") in reasons for d in skipped)
    at.button(key="ser_create").click().run()
    assert any("連続講座を登録しました" in m for m in messages(at, "success"))
    with db.connect() as handle:
        assert handle["sessions"].count_where("series_id is not null") == planned


def test_schedule_cancels_this_and_following_sessions_of_a_series(demo_db):
    with db.connect() as handle:
        ids = [s.id for s in sessions.list_sessions(handle)[:3]]
        handle.execute(f"update sessions set series_id = 7 where id in ({','.join(map(str, ids))})")
        handle.conn.commit()
    at = open_page("app_pages/schedule.py")
    at.segmented_control(key="schedule_mode").set_value("cancel").run()
    at.selectbox(key="cancel_session").set_value(ids[1]).run()
    at.text_input(key="cancel_session_reason").input("講師の急病")
    at.button(key="cancel_following").click().run()
    assert any("この回以降の 2 回を中止しました" in m for m in messages(at, "success"))
    with db.connect() as handle:
        assert [handle["sessions"].get(i)["status"] for i in ids] == ["scheduled", "cancelled", "cancelled"]


def test_printouts_page_offers_the_month_flyer_and_roster(demo_db):
    at = open_page("app_pages/printouts.py")
    labels = [b.label for b in at.get("download_button")]
    assert "チラシ・月間予定（PDF）" in labels and "担当表（PDF）" in labels
    assert not at.exception


def test_volunteer_hours_minutes_and_active_flag(demo_db):
    from datetime import datetime

    from db import volunteers as vols
    from db.clock import JST

    with db.connect() as handle:
        person = vols.list_volunteers(handle)[0]
        session_id = handle.execute("select id from sessions order by starts_at limit 1").fetchone()[0]
        shift = next((h for h in vols.list_shifts(handle, session_id) if h.volunteer_id == person.id), None)
        if shift is None:
            vols.assign_shift(handle, Actor("s", "staff"), session_id, person.id, "helper")
        # Move the session into the past so it counts as held.
        handle.execute(
            "update sessions set starts_at = ?, ends_at = ? where id = ?",
            [datetime(2026, 4, 10, 10, tzinfo=JST).isoformat(), datetime(2026, 4, 10, 11, 30, tzinfo=JST).isoformat(), session_id],
        )
        handle.conn.commit()
    at = open_page("app_pages/volunteers.py")
    at.session_state["volunteer_tab"] = "活動時間・証明書"
    at.run()
    at.selectbox(key="hours_volunteer").set_value(person.id).run()
    at.selectbox(key="hours_year").set_value(2026).run()
    assert at.metric[0].value == "1時間30分"
    assert "活動証明書（PDF）" in [b.label for b in at.get("download_button")]

    at.session_state["volunteer_tab"] = "ボランティア一覧"
    at.run()
    at.selectbox(key="active_volunteer").set_value(person.id).run()
    at.button(key="toggle_active").click().run()
    assert "活動終了にしました。" in messages(at, "success")
    with db.connect() as handle:
        assert person.id not in [v.id for v in vols.list_volunteers(handle)]


def test_shift_minutes_are_edited_from_the_staffing_tab(demo_db):
    from db import volunteers as vols

    at = open_page("app_pages/volunteers.py")
    session_id = at.selectbox(key="assign_pick").value
    with db.connect() as handle:
        person = vols.register_volunteer(handle, Actor("s", "staff"), "試験 次郎", "シケン ジロウ", "090-0000-3001", "student", [])
        shift_id = vols.assign_shift(handle, Actor("s", "staff"), session_id, person, "helper")
    at.run()
    at.number_input(key=f"shift_minutes_{shift_id}").set_value(120).run()
    assert "活動時間を直しました。" in messages(at, "success")
    with db.connect() as handle:
        assert next(s.minutes for s in vols.list_shifts(handle, session_id) if s.id == shift_id) == 120


def test_schedule_moves_this_and_following_and_warns_about_shifts(demo_db):
    from db import series, venues
    from db import volunteers as vols

    staff = Actor("s", "staff")
    with db.connect() as handle:
        room = venues.list_rooms(handle)[0]
        first = working_day(60)
        series.create_series(handle, staff, series.SeriesRule("line-basics", room.id, "weekly", first, time(9), time(10), last_date=first + timedelta(days=21)), 8)
        ids = [s.id for s in sessions.list_sessions(handle, limit=500) if s.series_id]
        helper = vols.register_volunteer(handle, staff, "朝 だけ子", "アサ ダケコ", "090-0000-3002", "student", [])
        vols.set_weekly_availability(handle, staff, helper, [vols.Slot(w, time(8), time(12)) for w in range(7)])
        vols.assign_shift(handle, staff, ids[2], helper, "helper")
    at = open_page("app_pages/schedule.py")
    at.segmented_control(key="schedule_mode").set_value("cancel").run()
    at.selectbox(key="cancel_session").set_value(ids[1]).run()
    at.time_input(key="move_start").set_value(time(14))
    at.time_input(key="move_end").set_value(time(15)).run()
    at.button(key="move_following").click().run()
    assert any("この回以降の 3 回の時間・部屋を変えました" in m for m in messages(at, "success"))
    assert any("朝\u3000だけ子" in m and "活動可能日" in m for m in messages(at, "warning")), messages(at, "warning")
    with db.connect() as handle:
        assert [sessions.get_session(handle, i).starts_at.hour for i in ids] == [9, 14, 14, 14]
