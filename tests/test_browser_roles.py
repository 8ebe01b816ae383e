"""Roles in a real browser: a volunteer typing a staff page's URL is refused; staff
signing in can book."""

from __future__ import annotations

import pytest

import db
from db import demo
from tests.browser import ROOT, TIMEOUT_MS, launch, sign_in, streamlit_server

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect
pytestmark = pytest.mark.browser


def test_volunteer_is_refused_by_url_and_staff_books(tmp_path):
    db_file = tmp_path / "desk.sqlite3"
    db.init_db(db_file)
    with db.connect(db_file) as handle:
        demo.seed(handle)
    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    with streamlit_server(db_file) as url, playwright_api.sync_playwright() as p:
        browser = launch(p)
        page = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 1280, "height": 900}).new_page()
        page.set_default_timeout(TIMEOUT_MS)

        sign_in(page, url, "tanaka", "midori-suishin-2026")
        expect(page.get_by_role("heading", name="わたしの予定")).to_be_visible()
        expect(page.get_by_role("link", name="予約")).to_have_count(0)  # not in the menu
        # The staff page's URL typed by hand: the browser is still signed in.
        page.goto(url + "/bookings")
        expect(page.get_by_text("このページを見る権限がありません。")).to_be_visible()
        expect(page.get_by_text("090-0000-0001")).to_have_count(0)
        page.screenshot(path=str(artifacts / "browser-volunteer-refused.png"), full_page=True)

        page.context.clear_cookies()
        page = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo").new_page()
        page.set_default_timeout(TIMEOUT_MS)
        sign_in(page, url, "staff", "midori-madoguchi-2026", path="/bookings")
        expect(page.get_by_role("heading", name="予約", exact=True)).to_be_visible()
        page.get_by_label("電話番号の一部、フリガナ、または氏名").fill("ｻｻｷ")
        page.keyboard.press("Enter")
        page.get_by_role("button", name="この方を予約する").click()
        expect(page.get_by_text("予約しました。")).to_be_visible()
        expect(page.get_by_text("予約 5 / 12 人（残り 7 席）")).to_be_visible()
        browser.close()

    with db.connect(db_file) as handle:
        row = handle.execute(
            "select a.name, l.user from bookings b join attendees a on a.id = b.attendee_id "
            "join audit_log l on l.entity = 'bookings' and l.entity_id = cast(b.id as text) and l.action = 'book' "
            "where a.name like '佐々木%'"
        ).fetchone()
    assert row == ("佐々木\u3000勇", "staff")
