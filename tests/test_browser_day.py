"""The desk's clock in a real browser (issue 11): an offer's deadline is one a
person can keep and is said that way; attendance opens just before the class;
cancelling a session says so and clears the form."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

import db
from db import attendees, bookings, demo, sessions
from db.clock import JST
from printouts.call_list import spoken_time
from tests.browser import ROOT, TIMEOUT_MS, choose, launch, settle, sign_in, streamlit_server
from tests.conftest import STAFF

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect
pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "test-artifacts"
PASSWORD = "midori-madoguchi-2026"


def new_page(browser):
    page = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 1366, "height": 900}).new_page()
    page.set_default_timeout(TIMEOUT_MS)
    return page


def test_offer_deadline_attendance_window_and_cancel_feedback(tmp_path, clock):
    db_file = tmp_path / "desk.sqlite3"
    db.init_db(db_file)
    # Tuesday 2027-06-08 at 16:30: the first demo class is Thursday 10:00.
    clock.move_to(datetime(2027, 6, 8, 16, 30, tzinfo=JST))
    with db.connect(db_file) as handle:
        demo.seed(handle)
        first = sessions.list_sessions(handle)[0]
        handle.execute("update sessions set capacity = 4 where id = ?", [first.id])
        handle.conn.commit()
        waiting = attendees.register_attendee(handle, STAFF, "森 陽子", "モリ ヨウコ", "090-0000-5552", True)
        bookings.book(handle, STAFF, first.id, waiting, waitlist=True)
    ARTIFACTS.mkdir(exist_ok=True)
    with streamlit_server(db_file) as url, playwright_api.sync_playwright() as p:
        browser = launch(p)
        page = new_page(browser)
        sign_in(page, url, "staff", PASSWORD, path="/bookings")
        choose(page, "開催回", first.lesson_title)
        page.get_by_text("予約の取り消し・キャンセル待ちの取り消し").click()
        choose(page, "取り消す予約", "青木")
        page.get_by_label("理由", exact=True).fill("体調不良")
        page.get_by_role("button", name="予約を取り消す").click()
        expect(page.get_by_text("予約を取り消しました。")).to_be_visible()
        # Made on Tuesday afternoon for a Thursday 10:00 class: the 2nd open day
        # would be Thursday 17:00, so it ends an hour before the class.
        expect(page.get_by_text("繰り上げ連絡中（6月10日（木）9時までにお返事）")).to_be_visible()
        expect(page.get_by_label("理由", exact=True)).to_have_value("")
        page.screenshot(path=str(ARTIFACTS / "browser-offer-deadline.png"), full_page=True)

        # Cancelling a whole session says so and empties the form.
        page.get_by_role("link", name="開催予定").click()
        settle(page)
        page.get_by_text("変更・中止", exact=True).click()
        choose(page, "開催回", "LINE")
        page.get_by_label("中止の理由", exact=True).fill("講師の急病")
        page.get_by_role("button", name="この回を中止").click()
        expect(page.get_by_text("中止しました。予約・申込をしていた方は電話連絡リストに載ります。")).to_be_visible()
        expect(page.get_by_label("中止の理由", exact=True)).to_have_value("")
        browser.close()

    # Thursday 09:40, twenty minutes before the class: 出欠 opens on it. Nobody
    # answered the offer, which ended at 09:00 and passed on by itself.
    with streamlit_server(db_file, now=first.starts_at - timedelta(minutes=20)) as url, playwright_api.sync_playwright() as p:
        browser = launch(p)
        page = new_page(browser)
        sign_in(page, url, "staff", PASSWORD, path="/attendance")
        expect(page.get_by_text("記入済み 0 / 3 人")).to_be_visible()
        expect(page.get_by_text("森 陽子")).to_have_count(0)
        page.get_by_role("radio", name="出席").first.click()
        expect(page.get_by_text("記入済み 1 / 3 人")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "browser-attendance-window.png"), full_page=True)
        browser.close()
    with db.connect(db_file) as handle:
        assert handle.execute("select count(*) from bookings where session_id = ? and status = 'attended'", [first.id]).fetchone()[0] == 1
        assert handle.execute("select status, cancel_reason from bookings where attendee_id = ?", [waiting]).fetchone() == (
            "cancelled", bookings.EXPIRED
        )
    assert spoken_time(first.starts_at - timedelta(hours=1)) == "6月10日（木）9時"
