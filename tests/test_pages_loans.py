"""Loan phones (貸出機) on the screens through AppTest: the inventory on 施設と設定,
allocation and a change by hand on 予約, the label and its return on 出欠, and
what to prepare and what is not back on 今日."""

from __future__ import annotations

import pytest

from db import accounts, attendees, bookings, loans
from db.permissions import Actor
from tests.conftest import ADMIN, STAFF, at, open_page, texts, working_day

STAFF_USER = Actor("staff", "staff")
ADMIN_USER = Actor("admin", "admin")


@pytest.fixture(autouse=True)
def admin_account(database):
    """An admin account, so the app is past its first-run setup."""
    accounts.create_user(database, ADMIN, "kanri", "kashidashi-no-kagi-2027", "admin")


@pytest.fixture
def loan_class(database, centre, make_session):
    """A class a week ahead with three residents who have no phone and one with an
    iPhone, and two iPhones at the venue. Returns (session id, [booking ids])."""
    session_id = make_session(capacity=4)
    booked = []
    for n, device in enumerate(("なし", "なし", "iPhone", "なし"), 1):
        person = attendees.register_attendee(
            database, STAFF, f"貸出 {n}郎", "カシダシ", f"090-0000-{n:04d}", True, device=device, allow_duplicate=True
        )
        booked.append(bookings.book(database, STAFF, session_id, person))
    for label in ("iPhone-1", "iPhone-2"):
        loans.add_phone(database, STAFF, centre[0], "iPhone", label)
    return session_id, booked


def _bookings_page(session_id: int):
    page = open_page("app_pages/bookings.py", STAFF_USER)
    page.query_params["session"] = str(session_id)
    page.switch_page("app_pages/bookings.py").run()
    assert not page.exception
    return page


def test_staff_keep_the_inventory_on_the_venues_page(database, centre):
    page = open_page("app_pages/venues.py", STAFF_USER)
    # Staff see the loan phones only, not the admin's settings.
    assert not any(f.key == "settings" for f in page.get("form")) and page.selectbox(key="phone_venue").value == centre[0]
    page.selectbox(key="phone_kind").select("Android")
    page.text_input(key="phone_label").input("Android-1")
    page.button(key="phone_submit").click().run()
    assert "貸出機「Android-1」を登録しました。" in texts(page, "success")
    assert page.text_input(key="phone_label").value == ""
    assert "Android 1台" in texts(page, "caption")
    page.text_input(key="phone_label").input("ａｎｄｒｏｉｄ－１")
    page.button(key="phone_submit").click().run()
    assert "この施設にもうあります" in texts(page, "error")
    assert database["loan_phones"].count == 1
    page.selectbox(key="phone_pick").set_value(loans.list_phones(database, centre[0])[0].id)
    page.selectbox(key="phone_status").select("repair")
    page.button(key="phone_status_submit").click().run()
    assert "貸出機の状態を変更しました。" in texts(page, "success")
    assert loans.list_phones(database, centre[0])[0].status == "repair"


def test_the_admin_finds_the_loan_phones_as_a_fourth_tab(centre):
    page = open_page("app_pages/venues.py", ADMIN_USER)
    assert [t.label for t in page.tabs] == ["設定", "施設と部屋", "休館日", "貸出機"]
    assert page.text_input(key="phone_label")


def test_allocating_on_the_bookings_page_names_the_shortfall_then_lends(database, centre, loan_class):
    session_id, booked = loan_class
    page = _bookings_page(session_id)
    assert any("貸出機 3台（未割当 3）" in e.label for e in page.expander)
    page.radio(key="loan_kind").set_value("iPhone")
    page.button(key="loan_allocate").click().run()
    assert "iPhone が 1 台足りません" in texts(page, "error")
    assert database["loans"].count == 0
    loans.add_phone(database, STAFF, centre[0], "iPhone", "iPhone-3")
    page.button(key="loan_allocate").click().run()
    assert "3 台の貸出機を割り当てました。" in texts(page, "success")
    assert any("貸出機 3台（iPhone 3）" in e.label for e in page.expander)
    # A change by hand: the fourth person gives theirs back.
    fourth = loans.session_loans(database, STAFF, session_id)[booked[3]]
    assert page.selectbox(key=f"loan_phone_{booked[3]}_{fourth.phone_id}").value == fourth.phone_id
    page.selectbox(key=f"loan_phone_{booked[3]}_{fourth.phone_id}").set_value(0)
    page.run()
    assert "貸出機を変更しました。" in texts(page, "success")
    assert set(loans.session_loans(database, STAFF, session_id)) == {booked[0], booked[1]}


def test_the_session_focus_decides_the_kind(database, loan_class):
    session_id, _booked = loan_class
    page = _bookings_page(session_id)
    page.selectbox(key="loan_focus").select("Android").run()
    assert "この開催回の機種を保存しました。" in texts(page, "success")
    assert not page.get("radio") or not any(r.key == "loan_kind" for r in page.radio)
    page.button(key="loan_allocate").click().run()
    assert "Android が 3 台足りません" in texts(page, "error")


def test_attendance_shows_the_label_and_records_the_return(database, loan_class, clock):
    session_id, booked = loan_class
    loans.assign(database, STAFF, booked[0], loans.free_phones(database, session_id)[0].id)
    clock.move_to(at(working_day(7), 10, 15))
    page = open_page("app_pages/attendance.py", STAFF_USER)
    assert any("貸出機：**iPhone-1**（iPhone）" in m.value for m in page.markdown)
    control = next(c for c in page.get("segmented_control") if c.key == f"return_{booked[0]}_none")
    control.set_value("not_returned").run()
    assert loans.session_loans(database, STAFF, session_id)[booked[0]].returned == "not_returned"
    assert any("iPhone-1" in m.value and "【未返却】" in m.value for m in page.markdown)
    # It comes back later: one button.
    page.button(key=f"returned_{booked[0]}").click().run()
    assert "「iPhone-1」の返却を記録しました。" in texts(page, "success")
    assert any(c.key == f"return_{booked[0]}_returned" and c.value == "returned" for c in page.get("segmented_control"))
    assert loans.out_phones(database, STAFF) == []


def test_today_says_how_many_phones_to_prepare_and_which_are_not_back(database, loan_class, clock):
    session_id, booked = loan_class
    loans.assign(database, STAFF, booked[0], loans.free_phones(database, session_id)[0].id)
    clock.move_to(at(working_day(7), 8, 30))
    page = open_page("app_pages/today.py", STAFF_USER)
    assert "貸出機 3台（iPhone 1・未割当 2）" in texts(page, "caption")
    clock.move_to(at(working_day(7), 12, 0))
    bookings.mark_attendance(database, STAFF, booked[0], "attended")
    loans.record_return(database, STAFF, booked[0], "not_returned")
    page = open_page("app_pages/today.py", STAFF_USER)
    assert "返却されていない貸出機があります：iPhone-1" in texts(page, "warning")


def test_the_reports_page_counts_loans(database, loan_class, clock):
    session_id, booked = loan_class
    loans.assign(database, STAFF, booked[0], loans.free_phones(database, session_id)[0].id)
    clock.move_to(at(working_day(7), 11, 45))
    bookings.mark_attendance(database, STAFF, booked[0], "attended")
    page = open_page("app_pages/reports.py", STAFF_USER)
    assert "貸出機" in [h.value for h in page.subheader]
    assert any(m.value == "**貸出機の利用**" for m in page.markdown)
    assert any(d.key == "csv_loans" for d in page.get("download_button"))
    shown = next(t for t in page.table if "貸出件数" in str(t.value))
    assert "貸出件数" in list(shown.value["項目"]) and "1" in list(shown.value["実績"])
