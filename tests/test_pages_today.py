"""A day at the desk through AppTest (issue 15): the 今日 screen, the session that
follows the user across pages, the booking flow's words, forms that reset or ask
first, and the screens in words rather than codes."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest

import db
from db import attendees, bookings, demo, lottery, sessions, tickets
from db.clock import JST
from db.permissions import Actor
from printouts.call_list import spoken_time
from tests.conftest import open_page, run_app, texts

STAFF = Actor("staff", "staff")
ADMIN = Actor("admin", "admin")


@pytest.fixture
def morning(db_path, clock):
    """The demo centre on Thursday 2027-06-10 at 09:35, its first class at 10:00;
    Tuesday's class cancelled (notices to phone); a full class on the 17th whose
    freed seat was offered on Tuesday, holding until today 17:00; a help-desk
    follow-up due today. Returns (today's session, the full session, the offer)."""
    clock.move_to(datetime(2027, 6, 8, 9, 0, tzinfo=JST))
    with db.connect(db_path) as handle:
        demo.seed(handle)
        todays, cancelled, full, *_rest = sessions.list_sessions(handle)
        sessions.cancel_session(handle, STAFF, cancelled.id, "講師の急病")
        handle.execute("update sessions set capacity = 4 where id = ?", [full.id])
        handle.conn.commit()
        waiting = attendees.register_attendee(handle, STAFF, "森 陽子", "モリ ヨウコ", "090-0000-5552", True)
        bookings.book(handle, STAFF, full.id, waiting, waitlist=True)
        first = bookings.list_bookings(handle, STAFF, full.id)[0]
        bookings.cancel_booking(handle, STAFF, first.id, "体調不良")
        offer = bookings.waitlist(handle, STAFF, full.id)[0]
        case = tickets.open_ticket(handle, STAFF, channel="phone", category="line", summary="写真が送れない")
        tickets.change_status(handle, STAFF, case, "on_hold", follow_up_on=date(2027, 6, 10))
    clock.move_to(todays.starts_at - timedelta(minutes=25))
    return todays, full, offer


def test_the_day_on_one_screen(morning):
    todays, _full, offer = morning
    at = run_app(STAFF)
    assert at.title[0].value == "今日"
    shown = " ".join(m.value for m in at.markdown) + texts(at, "caption")
    # Today's class with its seats and staffing, and one click to its pages.
    assert todays.lesson_title in shown and "予約 4 / 12 人（残り 8 席）" in shown and "講師" in shown
    links = {(link.label, json.dumps(link.proto.query_string)) for link in at.get("page_link")}
    assert any(label == "予約" and str(todays.id) in query for label, query in links)
    # The calls: the cancelled class's four notices, and the open offer.
    assert "中止のお知らせ 4" in texts(at, "caption") and "繰り上げ連絡 1" in texts(at, "caption")
    # The offer that ends today, with its deadline as said on the phone.
    deadline = spoken_time(datetime.fromisoformat(offer.offered_until))
    assert deadline == "6月10日（木）17時"
    assert any(f"{deadline}まで" in m.value for m in at.markdown)
    # The follow-up that is due, and the fortnight's classes short of people.
    assert any("写真が送れない" in m.value for m in at.markdown)
    assert any("補助不足" in m.value or "予約が半分未満" in m.value for m in at.markdown)


def test_calls_are_ticked_off(morning):
    at = run_app(STAFF)
    first = next(b for b in at.button if b.key and b.key.startswith("reached_cancelled_"))
    booking_id = int(first.key.rsplit("_b", 1)[1])
    first.click().run()
    assert "「電話した」と記録しました。" in texts(at, "success")
    assert "残り 4 件" in texts(at, "caption")  # 4 notices + 1 offer, one done
    assert not any(b.key == first.key for b in at.button)
    with db.connect() as handle:
        row = handle.execute("select booking_id, kind, outcome, user from call_outcomes").fetchone()
    assert row == (booking_id, "cancelled", "reached", "staff")
    no_answer = next(b for b in at.button if b.key and b.key.startswith("no_answer_"))
    no_answer.click().run()
    assert any("（つながりませんでした）" in m.value for m in at.markdown)


def test_applicants_of_a_class_cancelled_before_its_draw_are_phoned(db_path, clock):
    # They hold no booking yet: the call is recorded against the application.
    clock.move_to(datetime(2027, 6, 8, 9, 0, tzinfo=JST))
    with db.connect(db_path) as handle:
        demo.seed(handle)
        model = sessions.list_sessions(handle)[0]
        starts = datetime(2027, 6, 24, 14, 0, tzinfo=JST)
        later = sessions.create_session(handle, STAFF, model.lesson_id, model.room_id, starts, starts + timedelta(hours=1), 4)
        lottery_id = lottery.set_lottery(handle, STAFF, later, datetime(2027, 6, 8, 9, 0, tzinfo=JST), starts - timedelta(days=3))
        person = attendees.register_attendee(handle, STAFF, "抽選 花子", "チュウセン ハナコ", "090-0000-5553", True)
        lottery.apply(handle, STAFF, lottery_id, person)
        sessions.cancel_session(handle, STAFF, later, "講師の急病")
    at = run_app(STAFF)
    card = next(m.value for m in at.markdown if "抽選　花子" in m.value)
    assert "中止のお知らせ" in card and "090-0000-5553" in card
    button = next(b for b in at.button if b.key and b.key.startswith("reached_cancelled_a"))
    button.click().run()
    assert "「電話した」と記録しました。" in texts(at, "success")
    assert not any("抽選　花子" in m.value for m in at.markdown)
    with db.connect() as handle:
        row = handle.execute("select booking_id, application_id, session_id, kind, outcome from call_outcomes").fetchone()
    application = int(button.key.rsplit("_a", 1)[1].split("s")[0])
    assert row == (None, application, later, "cancelled", "reached")


def test_a_long_call_list_is_drawn_ten_calls_a_page(db_path, clock):
    # A city's day has hundreds of calls: each is a card with its buttons, so the
    # page draws ten at a time and the rest are a page away (issue 12).
    clock.move_to(datetime(2027, 6, 8, 9, 0, tzinfo=JST))
    with db.connect(db_path) as handle:
        demo.seed(handle)
        cancelled = sessions.list_sessions(handle)[1]
        handle.execute("update sessions set capacity = 30 where id = ?", [cancelled.id])
        handle.conn.commit()
        for n in range(12):
            person = attendees.register_attendee(handle, STAFF, f"試験 {n:02d}郎", "シケン", f"090-0000-{7000 + n}", True)
            bookings.book(handle, STAFF, cancelled.id, person)
        sessions.cancel_session(handle, STAFF, cancelled.id, "講師の急病")
    at = run_app(STAFF)
    assert "中止のお知らせ 16" in texts(at, "caption")
    reached = [b for b in at.button if b.label == "電話した"]
    assert len(reached) == 10
    first_page = {m.value for m in at.markdown if "中止のお知らせ" in m.value}
    at.number_input(key="today_calls_page").set_value(2).run()
    second_page = {m.value for m in at.markdown if "中止のお知らせ" in m.value}
    assert len([b for b in at.button if b.label == "電話した"]) == 6 and not first_page & second_page


def test_the_chosen_session_follows_the_user_and_lives_in_the_url(morning):
    todays, _full, _offer = morning
    at = run_app(STAFF)
    at.query_params["session"] = str(todays.id)
    at.switch_page("app_pages/bookings.py").run()
    assert at.selectbox(key="booking_pick").value == todays.id
    # A page opened from the menu, without the URL's session, still works on it.
    at.query_params.clear()
    at.switch_page("app_pages/printouts.py").run()
    assert at.selectbox(key="print_pick").value == todays.id
    assert at.query_params["session"] == str(todays.id)
    at.switch_page("app_pages/attendance.py").run()
    assert at.selectbox(key="attendance_pick").value == todays.id


def test_the_booking_header_counts_each_person_once_and_a_cancellation_says_whom_to_phone(morning):
    _todays, full, _offer = morning
    at = open_page("app_pages/bookings.py", STAFF)
    at.query_params["session"] = str(full.id)
    at.run()
    header = " ".join(m.value for m in at.markdown)
    assert "満席：予約 3 人・繰り上げ連絡中 1 人（定員 4 人）" in header
    # The offered person is listed once: with the offer, not among the booked.
    assert "森\u3000陽子" not in list(at.table[0].value["氏名"])
    with db.connect() as handle:
        extra = attendees.register_attendee(handle, STAFF, "林 正男", "ハヤシ マサオ", "090-0000-5553", True)
        bookings.book(handle, STAFF, full.id, extra, waitlist=True)
        booked = bookings.list_bookings(handle, STAFF, full.id)
    at.run()
    target = next(b for b in booked if b.status == "booked")
    at.selectbox(key="cancel_booking").set_value(target.id)
    at.text_input(key="cancel_reason").input("都合")
    at.button(key="cancel_button").click().run()
    assert "予約を取り消しました。林\u3000正男 さんに繰り上げ連絡をしてください（" in texts(at, "success")
    assert at.text_input(key="cancel_reason").value == ""


def test_several_matches_are_never_preselected(demo_db):
    at = open_page("app_pages/bookings.py", STAFF)
    at.text_input(key="attendee_query").input("0000").run()
    radio = at.radio(key="found_attendee")
    assert len(radio.options) > 1 and radio.value is None
    at.button(key="book_found").click().run()
    assert "予約する方を選んでください。" in texts(at, "error")


def test_a_full_session_offers_the_waitlist_in_the_registration_form(demo_db):
    with db.connect() as handle:
        first = sessions.list_sessions(handle)[0]
        handle.execute("update sessions set capacity = 4 where id = ?", [first.id])
        handle.conn.commit()
    at = open_page("app_pages/bookings.py", STAFF)
    at.text_input(key="reg_name").input("林 正男")
    at.text_input(key="reg_kana").input("ハヤシ マサオ")
    at.text_input(key="reg_phone").input("090-0000-5553")
    at.checkbox(key="reg_consent").check()
    assert at.radio(key="reg_when_full").value == "waitlist"
    at.button(key="register_and_book").click().run()
    assert "林 正男 さんを登録し、キャンセル待ちに入れました。" in texts(at, "success")


def test_a_holiday_is_confirmed_before_a_single_session_is_made(demo_db):
    at = open_page("app_pages/schedule.py", STAFF)
    before = len(sessions_now())
    at.date_input(key="new_date").set_value(date(2027, 7, 19))  # 海の日
    at.number_input(key="new_capacity").set_value(6)
    at.button(key="create_session").click().run()
    assert "海の日" in texts(at, "warning") and len(sessions_now()) == before
    at.button(key="create_on_holiday").click().run()
    assert "開催回を登録しました" in texts(at, "success") and len(sessions_now()) == before + 1


def sessions_now():
    with db.connect() as handle:
        return handle.execute("select id from sessions").fetchall()


def test_a_series_by_count_takes_its_weekday_from_the_first_date_and_a_change_clears_the_preview(demo_db):
    at = open_page("app_pages/schedule.py", STAFF)
    at.segmented_control(key="schedule_mode").set_value("series").run()
    at.date_input(key="ser_first").set_value(date(2027, 7, 7)).run()  # a Wednesday
    assert "毎週水曜" in at.radio(key="ser_rule").options
    at.radio(key="ser_end_by").set_value("count").run()
    at.number_input(key="ser_count").set_value(3).run()
    at.button(key="ser_preview").click().run()
    assert any("3 回を登録します" in m.value for m in at.markdown)
    at.number_input(key="ser_count").set_value(4).run()
    assert not any(b.key == "ser_create" for b in at.button)
    assert not any("回を登録します" in m.value for m in at.markdown)


def test_the_help_desk_form_starts_blank_for_the_next_walk_in(demo_db):
    at = open_page("app_pages/helpdesk.py", STAFF)
    at.text_input(key="in_summary").input("LINEの通知が来ない")
    at.selectbox(key="in_age").set_value("80代")
    at.selectbox(key="in_device").set_value("iPhone")
    at.number_input(key="in_minutes").set_value(15)
    at.button(key="intake_submit").click().run()
    assert "を記録しました" in texts(at, "success")
    assert (at.selectbox(key="in_age").value, at.selectbox(key="in_device").value, at.number_input(key="in_minutes").value) == (None, None, 0)


def test_the_audit_log_speaks_in_words(demo_db):
    at = open_page("app_pages/audit.py", ADMIN)
    table = at.dataframe[0].value
    assert "登録" in set(table["操作"]) and "create" not in set(table["操作"])
    assert "受講者" in set(table["対象"]) and "{}" not in set(table["内容"])


def test_empty_pickers_ask_in_japanese(demo_db):
    for page, who in (("app_pages/bookings.py", STAFF), ("app_pages/audit.py", ADMIN), ("app_pages/accounts.py", ADMIN)):
        at = open_page(page, who)
        for box in [*at.selectbox, *at.multiselect]:
            if box.value in (None, []):
                assert box.placeholder and "Choose" not in box.placeholder, (page, box.label)


def test_callback_messages_come_in_the_chosen_language(demo_db):
    import locales

    at = run_app(STAFF)
    at.session_state["language"] = "en"
    locales.set_language("en")  # AppTest formats options in the test's own thread
    try:
        at.switch_page("app_pages/bookings.py").run()
        at.button(key="cancel_button").click().run()
        assert "Choose the booking to cancel." in texts(at, "error")
    finally:
        locales.set_language("ja")


def test_next_time_is_only_the_same_series(database, make_session, centre):
    from db import series

    one_off = make_session()
    assert sessions.next_session_of(database, sessions.get_session(database, one_off)) is None
    first_day = sessions.get_session(database, one_off).starts_at.date() + timedelta(days=7)
    rule = series.SeriesRule("line-basics", centre[1], "weekly", first_day, "13:00", "14:00", count=3)
    series_id = series.create_series(database, Actor("s", "staff"), rule, 8)
    ids = [r[0] for r in database.execute("select id from sessions where series_id = ? order by starts_at", [series_id])]
    assert sessions.next_session_of(database, sessions.get_session(database, ids[0])).id == ids[1]
    assert sessions.next_session_of(database, sessions.get_session(database, ids[-1])) is None
