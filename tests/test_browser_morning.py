"""A whole morning at the desk in a real browser (issue 15): sign in, the 今日
screen's calls, their outcomes, one click to the first class, attendance; and the
same screen at 200 % zoom, where the menu gets out of the way after a choice.
Screenshots: test-artifacts/browser-morning-*.png."""

from __future__ import annotations

import pytest

import db
from tests.browser import ROOT, TIMEOUT_MS, launch, settle, sign_in, streamlit_server
from tests.test_pages_today import morning  # noqa: F401  (the fixture)

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect
pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "test-artifacts"
PASSWORD = "midori-madoguchi-2026"


def new_page(browser, width: int = 1366, height: int = 900, scale: float = 1):
    context = browser.new_context(
        locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": width, "height": height}, device_scale_factor=scale
    )
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    return page


OPEN_MENU = '[data-testid="stSidebar"][data-collapsed="false"]'


def test_a_morning_from_sign_in_to_attendance(morning, db_path):  # noqa: F811
    todays, _full, _offer = morning
    ARTIFACTS.mkdir(exist_ok=True)
    with streamlit_server(db_path) as url, playwright_api.sync_playwright() as p:
        browser = launch(p)
        page = new_page(browser)
        sign_in(page, url, "staff", PASSWORD)
        expect(page.get_by_role("heading", name="今日", exact=True)).to_be_visible()
        expect(page.get_by_text(todays.lesson_title).first).to_be_visible()
        # Four notices of Tuesday's cancelled class and one offer are left to phone.
        expect(page.get_by_text("残り 5 件", exact=False)).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "browser-morning-today.png"), full_page=True)

        page.get_by_role("button", name="電話した").first.click()
        expect(page.get_by_text("「電話した」と記録しました。")).to_be_visible()
        expect(page.get_by_text("残り 4 件", exact=False)).to_be_visible()
        page.get_by_role("button", name="つながらない").first.click()
        expect(page.get_by_text("「つながらない」と記録しました。")).to_be_visible()
        expect(page.get_by_text("（つながりませんでした）")).to_be_visible()

        # One click from today's class to its attendance, on that class.
        page.get_by_role("link", name="出欠").first.click()
        settle(page)
        expect(page).to_have_url(f"{url}/attendance?session={todays.id}")
        expect(page.get_by_text("記入済み 0 / 4 人")).to_be_visible()
        page.get_by_role("radio", name="出席").first.click()
        expect(page.get_by_text("記入済み 1 / 4 人")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "browser-morning-attendance.png"), full_page=True)
        browser.close()
    with db.connect(db_path) as handle:
        outcomes = handle.execute("select outcome from call_outcomes order by id").fetchall()
        attended = handle.execute(
            "select count(*) from bookings where session_id = ? and status = 'attended'", [todays.id]
        ).fetchone()[0]
    assert [o[0] for o in outcomes] == ["reached", "no_answer"] and attended == 1


def test_at_200_percent_the_menu_closes_after_a_choice(morning, db_path):  # noqa: F811
    todays, _full, _offer = morning
    ARTIFACTS.mkdir(exist_ok=True)
    with streamlit_server(db_path) as url, playwright_api.sync_playwright() as p:
        browser = launch(p)
        # 200 % zoom of a 1366×900 window: 683×450 CSS pixels at 2 device pixels each.
        page = new_page(browser, 683, 450, 2)
        sign_in(page, url, "staff", PASSWORD)
        expect(page.get_by_role("heading", name="今日", exact=True)).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "browser-morning-today-200pct.png"))
        page.get_by_test_id("stExpandSidebarButton").or_(page.get_by_test_id("stSidebarCollapsedControl")).first.click()
        expect(page.locator(OPEN_MENU)).to_have_count(1)
        page.get_by_test_id("stSidebar").get_by_role("link", name="予約", exact=True).click()
        settle(page)
        expect(page.get_by_role("heading", name="予約", exact=True)).to_be_visible()
        expect(page.locator(OPEN_MENU)).to_have_count(0)
        page.screenshot(path=str(ARTIFACTS / "browser-morning-bookings-200pct.png"))
        browser.close()
