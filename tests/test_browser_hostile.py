"""Hostile names in a real browser (issue 13 item 4): nothing is fetched from
outside, and no image, link, formula or colour is drawn from users' text."""

from __future__ import annotations

import pytest

import db
from tests.browser import ROOT, TIMEOUT_MS, choose, launch, settle, sign_in, streamlit_server
from tests.test_shown_as_text import EVIL, PASSWORD, seed

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect
pytestmark = pytest.mark.browser


def assert_shown_as_text(page) -> None:
    settle(page)
    for selector in (f"img[src*='{EVIL}']", f"a[href*='{EVIL}']", ".katex", "[data-testid='stMarkdownContainer'] em",
                     "[data-testid='stMarkdownContainer'] code", "[data-testid='stMarkdownContainer'] del"):
        expect(page.locator(selector)).to_have_count(0)


def test_hostile_names_fetch_nothing_and_format_nothing(tmp_path):
    db_file = tmp_path / "desk.sqlite3"
    db.init_db(db_file)
    with db.connect(db_file) as handle:
        ids = seed(handle)
        ticket_number = handle.execute("select number from tickets where id = ?", [ids["ticket"]]).fetchone()[0]
    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    fetched: list[str] = []
    with streamlit_server(db_file) as url, playwright_api.sync_playwright() as p:
        browser = launch(p)

        def session(user: str, path: str):
            context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 1280, "height": 1000})
            context.on("request", lambda request: fetched.append(request.url) if EVIL in request.url else None)
            page = context.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            sign_in(page, url, user, PASSWORD, path=path)
            return page

        page = session("staff-hostile", "/bookings")
        page.get_by_label("電話番号の一部、フリガナ、または氏名").fill("テスト")
        page.keyboard.press("Enter")
        assert_shown_as_text(page)
        # The name as typed (an invisible word joiner sits after "http:").
        expect(page.get_by_text("![画像](http:").first).to_be_visible()
        page.screenshot(path=str(artifacts / "browser-hostile-bookings.png"), full_page=True)
        for title in ("出欠", "ボランティア", "予定表", "実績報告", "相談窓口"):
            page.get_by_role("link", name=title, exact=True).click()
            expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()
            assert_shown_as_text(page)
        choose(page, "相談記録を開く", ticket_number)
        assert_shown_as_text(page)
        expect(page.get_by_text("**要約** ![図](http:")).not_to_have_count(0)
        page.screenshot(path=str(artifacts / "browser-hostile-helpdesk.png"), full_page=True)

        page = session("admin-test", "/venues")
        assert_shown_as_text(page)
        page = session("vol-hostile", "/my_schedule")
        assert_shown_as_text(page)
        expect(page.get_by_text("![画像](http:").first).to_be_visible()  # the roster
        browser.close()
    assert fetched == []
