"""AppTest for the booking desk: waitlist and offers, capacity, duplicates,
attendance and the attendee registry."""

from __future__ import annotations

from datetime import datetime, timedelta

import db
import ui
from db import bookings, sessions
from db.permissions import Actor
from printouts.call_list import spoken_time

STAFF = Actor("staff", "staff")
from tests.conftest import open_page, texts


def first_session():
    with db.connect() as handle:
        return sessions.list_sessions(handle)[0]


def fill(session_id: int) -> None:
    with db.connect() as handle:
        handle.execute("update sessions set capacity = (select count(*) from bookings where session_id = ? and status = 'booked') where id = ?", [session_id, session_id])
        handle.conn.commit()


def test_full_session_waitlists_then_an_offer_is_accepted(demo_db):
    session = first_session()
    fill(session.id)
    at = open_page("app_pages/bookings.py")
    at.text_input(key="attendee_query").input("ササキ").run()
    assert at.button(key="book_found").disabled
    at.button(key="waitlist_found").click().run()
    assert "キャンセル待ちに入れました" in texts(at, "success")
    assert any("キャンセル待ち" in m.value and "佐々木" in m.value for m in at.markdown)
    # A booked person cancels: 佐々木 gets the offer with a deadline.
    with db.connect() as handle:
        first = bookings.list_bookings(handle, STAFF, session.id)[0]
    at.selectbox(key="cancel_booking").set_value(first.id)
    at.text_input(key="cancel_reason").input("体調不良")
    at.button(key="cancel_button").click().run()
    with db.connect() as handle:
        offer = bookings.waitlist(handle, STAFF, session.id)[0]
    deadline = spoken_time(datetime.fromisoformat(offer.offered_until))
    assert any(f"繰り上げ連絡中（{deadline}までにお返事）" in m.value for m in at.markdown)
    offer = [b for b in at.button if b.key and b.key.startswith("accept_")][0]
    offer.click().run()
    assert "予約にしました。" in texts(at, "success")
    assert "佐々木\u3000勇" in list(at.table[0].value["氏名"])


def test_overbooking_needs_a_reason(demo_db):
    session = first_session()
    fill(session.id)
    at = open_page("app_pages/bookings.py")
    at.text_input(key="attendee_query").input("ササキ").run()
    at.button(key="overbook_found").click().run()
    assert "理由を入力" in texts(at, "error")
    at.text_input(key="overbook_reason").input("ご家族と一緒に受講")
    at.button(key="overbook_found").click().run()
    assert "予約しました。" in texts(at, "success")


def test_likely_duplicate_is_shown_before_registering(demo_db):
    at = open_page("app_pages/bookings.py")
    at.text_input(key="reg_name").input("青木 花江")
    at.text_input(key="reg_kana").input("アオキ ハナエ")
    at.text_input(key="reg_phone").input("090-0000-0001")  # 青木 花子's number
    at.checkbox(key="reg_consent").check()
    at.button(key="register_and_book").click().run()
    assert "同じ方が登録されているかもしれません" in texts(at, "error")
    assert "青木\u3000花子" in texts(at, "warning")
    at.checkbox(key="reg_allow_duplicate").check()
    at.button(key="register_and_book").click().run()
    assert "青木 花江 さんを登録し、予約しました。" in texts(at, "success")


def test_note_with_a_my_number_is_refused_and_nothing_is_stored(demo_db):
    from db.guard import check_digit

    number = "12345678901" + str(check_digit("12345678901"))
    at = open_page("app_pages/bookings.py")
    at.text_input(key="reg_name").input("山本 和夫")
    at.text_input(key="reg_kana").input("ヤマモト カズオ")
    at.text_input(key="reg_phone").input("090-0000-5555")
    at.text_input(key="reg_note").input(f"番号 {number}")
    at.checkbox(key="reg_consent").check()
    at.button(key="register_and_book").click().run()
    assert "マイナンバー" in texts(at, "error")
    with db.connect() as handle:
        assert handle["attendees"].count == 10
    assert at.text_input(key="reg_name").value == "山本 和夫"


def test_raising_capacity_offers_to_the_waitlist(demo_db):
    session = first_session()
    fill(session.id)
    at = open_page("app_pages/bookings.py")
    at.text_input(key="attendee_query").input("ササキ").run()
    at.button(key="waitlist_found").click().run()
    at.number_input(key="new_capacity_value").set_value(session.seats_taken + 1)
    at.button(key="change_capacity").click().run()
    assert "定員を変更しました。" in texts(at, "success")
    assert any("繰り上げ連絡中" in m.value for m in at.markdown)


def test_attendance_is_marked_and_corrected(demo_db, clock):
    session = first_session()
    clock.move_to(session.starts_at - timedelta(minutes=10))
    at = open_page("app_pages/attendance.py")
    # The class about to start is the one shown.
    assert at.selectbox(key="attendance_pick").value == session.id
    with db.connect() as handle:
        booking = bookings.list_bookings(handle, STAFF, session.id)[0]
    at.segmented_control(key=f"mark_{booking.id}").set_value("late").run()
    with db.connect() as handle:
        row = handle["bookings"].get(booking.id)
    assert (row["status"], row["late"], row["marked_by"]) == ("attended", 1, "staff")
    at.segmented_control(key=f"mark_{booking.id}").set_value("absent").run()
    with db.connect() as handle:
        assert handle["bookings"].get(booking.id)["status"] == "absent"
    assert "記入済み 1 / 4 人" in texts(at, "caption")


def offered_sessions(at) -> list[str]:
    return next((box.options for box in at.selectbox if box.key == "attendance_pick"), [])


def test_attendance_waits_for_the_class_and_closes_two_weeks_after(demo_db, clock):
    session = first_session()
    label = ui.session_label(session)
    clock.move_to(session.starts_at - timedelta(days=1))
    at = open_page("app_pages/attendance.py")
    # Tomorrow's class is not offered: only today's and past ones.
    assert label not in offered_sessions(at)
    clock.move_to(session.starts_at - timedelta(hours=2))
    at = open_page("app_pages/attendance.py")
    assert "からつけられます" in texts(at, "info")
    with db.connect() as handle:
        booking = bookings.list_bookings(handle, STAFF, session.id)[0]
    assert at.segmented_control(key=f"mark_{booking.id}").disabled
    assert label in offered_sessions(at)
    clock.move_to(session.starts_at + timedelta(days=15))
    at = open_page("app_pages/attendance.py")
    assert label not in offered_sessions(at)


def test_attendee_registry_edits_and_shows_history(demo_db):
    at = open_page("app_pages/attendees.py")
    at.text_input(key="registry_query").input("あおき").run()
    assert "出席 **0** 回" in texts(at, "markdown")
    at.selectbox(key="edit_device").set_value("iPhone")
    at.selectbox(key="edit_age").set_value("70代")
    at.text_input(key="edit_phone").input("0900000123")
    at.button(key="edit_submit").click().run()
    assert "電話番号の形" in texts(at, "error")
    at.text_input(key="edit_phone").input("090-0000-0001")
    at.button(key="edit_submit").click().run()
    assert "保存しました。" in texts(at, "success")
    with db.connect() as handle:
        row = handle.execute("select device, age_band from attendees where name like '青木%'").fetchone()
    assert row == ("iPhone", "70代")
    assert len(at.dataframe[0].value) == 1


def _cp932_csv(rows: list[str]) -> bytes:
    return ("\r\n".join(["氏名,フリガナ,電話番号,年代,機種", *rows]) + "\r\n").encode("cp932")


def test_import_previews_then_imports_all_rows(demo_db):
    at = open_page("app_pages/attendees.py")
    data = _cp932_csv(["新田 一郎,ニッタ イチロウ,０９０－００００－６００１,70代,iPhone", "野村 花子,ノムラ ハナコ,090-0000-6002,80代,らくらく"])
    at.file_uploader(key="import_file").upload("名簿.csv", data, "text/csv").run()
    table = at.table[0].value
    assert list(table["結果"]) == ["取り込む", "取り込む"]
    at.button(key="import_button").click().run()
    assert "同意" in texts(at, "error")
    at.checkbox(key="import_consent").check()
    at.button(key="import_button").click().run()
    assert "2 人を取り込みました" in texts(at, "success")
    with db.connect() as handle:
        assert handle.execute("select phone, device from attendees where name like '野村%'").fetchone() == ("090-0000-6002", "らくらくスマホ")


def test_import_with_a_bad_row_offers_no_import(demo_db):
    at = open_page("app_pages/attendees.py")
    data = _cp932_csv(["新田 一郎,ニッタ イチロウ,090-0000-6001,70代,iPhone", "野村 花子,ノムラ ハナコ,12345,80代,iPhone"])
    at.file_uploader(key="import_file").upload("名簿.csv", data, "text/csv").run()
    assert "電話番号" in at.table[0].value["結果"][1]
    assert "何も取り込んでいません" in texts(at, "error")
    assert not [b for b in at.button if b.key == "import_button"]


def test_export_buttons_are_offered(demo_db):
    at = open_page("app_pages/attendees.py")
    assert {b.key for b in at.get("download_button")} >= {"export_attendees", "export_bookings"}


def test_course_booking_from_the_desk(demo_db):
    with db.connect() as handle:
        ids = [s.id for s in sessions.list_sessions(handle)[:3]]
        handle.execute(f"update sessions set series_id = 9 where id in ({','.join(map(str, ids))})")
        handle.conn.commit()
    at = open_page("app_pages/bookings.py")
    at.text_input(key="attendee_query").input("コバヤシ").run()
    at.button(key="book_course").click().run()
    message = texts(at, "success")
    assert "連続講座の全回を受け付けました。" in message and message.count("予約") >= 3
    with db.connect() as handle:
        assert handle.execute(
            "select count(*) from bookings b join attendees a on a.id = b.attendee_id join sessions s on s.id = b.session_id "
            "where a.name like '小林%' and b.status = 'booked' and s.series_id = 9"
        ).fetchone()[0] == 3
