"""Sign-in like a web application's, in a real browser (issue 11): a reload, a
second tab and a server restart keep the user signed in; signing out ends every
tab; the next user lands on their own home page; an account disabled mid-session
is signed out at once, and an unattended screen clears itself."""

from __future__ import annotations

import pytest

import db
from db import demo
from tests.browser import ROOT, TIMEOUT_MS, choose, free_port, launch, settle, sign_in, streamlit_server

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect
pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "test-artifacts"
STAFF_PASSWORD = "midori-madoguchi-2026"
# The screen watcher looks every 30 s; allow a margin on a busy machine.
WATCH_MS = 75_000


def demo_db(tmp_path):
    path = tmp_path / "desk.sqlite3"
    db.init_db(path)
    with db.connect(path) as handle:
        demo.seed(handle)
    return path


def new_page(browser):
    page = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 1366, "height": 900}).new_page()
    page.set_default_timeout(TIMEOUT_MS)
    return page


def heading(page, name: str):
    return page.get_by_role("heading", name=name, exact=True)


def test_reload_second_tab_restart_sign_out_and_the_next_users_landing(tmp_path):
    db_file, port = demo_db(tmp_path), free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    with playwright_api.sync_playwright() as p:
        browser = launch(p)
        with streamlit_server(db_file, port=port) as url:
            page = new_page(browser)
            # A deep link opened fresh: after signing in, that page.
            sign_in(page, url, "staff", STAFF_PASSWORD, path="/bookings")
            expect(heading(page, "予約")).to_be_visible()
            page.reload()
            expect(heading(page, "予約")).to_be_visible()
            expect(page.get_by_role("button", name="サインアウト")).to_be_visible()
            tab = page.context.new_page()
            tab.set_default_timeout(TIMEOUT_MS)
            tab.goto(url + "/printouts")
            expect(heading(tab, "印刷")).to_be_visible()
        with streamlit_server(db_file, port=port) as url:
            page.reload()
            expect(heading(page, "予約")).to_be_visible()
            expect(page.get_by_text("staff（職員）でサインイン中")).to_be_visible()

            settle(page)
            page.get_by_role("button", name="サインアウト").click()
            page.wait_for_url(url + "/")
            expect(page.get_by_label("ユーザー名", exact=True)).to_be_visible()
            # The other tab is signed out by itself, without a click.
            expect(tab.get_by_label("ユーザー名", exact=True)).to_be_visible(timeout=WATCH_MS)
            expect(tab.get_by_text("090-0000")).to_have_count(0)
            tab.screenshot(path=str(ARTIFACTS / "browser-signed-out-tab.png"))

            # The next person signs in where the last one left: their own home page.
            sign_in(page, url, "tanaka", "midori-suishin-2026", path="/")
            expect(heading(page, "わたしの予定")).to_be_visible()
            expect(page.get_by_text("このページを見る権限がありません。")).to_have_count(0)
        browser.close()


def test_an_account_disabled_mid_session_is_signed_out(tmp_path):
    db_file = demo_db(tmp_path)
    with streamlit_server(db_file) as url, playwright_api.sync_playwright() as p:
        browser = launch(p)
        staff = new_page(browser)
        sign_in(staff, url, "staff", STAFF_PASSWORD, path="/bookings")
        staff.get_by_label("電話番号の一部、フリガナ、または氏名").fill("0000")
        staff.keyboard.press("Enter")
        expect(staff.get_by_text("090-0000-").first).to_be_visible()

        admin = new_page(browser)
        sign_in(admin, url, "admin", "midori-kanri-2026", path="/accounts")
        choose(admin, "操作するアカウント", "staff")
        admin.get_by_role("button", name="無効にする").click()
        expect(admin.get_by_text("無効にしました。")).to_be_visible()

        # The staff screen clears itself and says why; no resident is left on it.
        expect(staff.get_by_text("このアカウントは無効になりました。")).to_be_visible(timeout=WATCH_MS)
        expect(staff.get_by_label("ユーザー名", exact=True)).to_be_visible()
        expect(staff.get_by_text("090-0000-")).to_have_count(0)
        staff.reload()
        expect(staff.get_by_label("ユーザー名", exact=True)).to_be_visible()
        browser.close()
    with db.connect(db_file) as handle:
        disabled_at = handle.execute("select max(id) from audit_log where action = 'disable'").fetchone()[0]
        after = handle.execute("select count(*) from audit_log where user = 'staff' and id > ? and action = 'book'", [disabled_at]).fetchone()[0]
    assert after == 0
