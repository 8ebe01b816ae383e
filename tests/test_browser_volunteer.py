"""A volunteer in a real browser: signs in to わたしの予定, takes an open shift, and
the session's staffing on the 予定表 shows it; then subscribes to their calendar."""

from __future__ import annotations

import urllib.request
from datetime import timedelta

import icalendar
import pytest

import db
from db import demo, sessions, volunteers
from db.clock import today_jst
from db.permissions import Actor
from tests.browser import ROOT, TIMEOUT_MS, launch, settle, sign_in, streamlit_server

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect
pytestmark = pytest.mark.browser


def test_volunteer_takes_an_open_shift_and_the_schedule_shows_it(tmp_path):
    db_file = tmp_path / "desk.sqlite3"
    db.init_db(db_file)
    with db.connect(db_file) as handle:
        demo.seed(handle)
        volunteer_id = handle.execute("select volunteer_id from users where username = 'tanaka'").fetchone()[0]
        who = Actor("tanaka", "volunteer", volunteer_id)
        target = volunteers.open_shifts(handle, who)[0]
    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    with streamlit_server(db_file) as url, playwright_api.sync_playwright() as p:
        browser = launch(p)
        page = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 1280, "height": 1000}).new_page()
        page.set_default_timeout(TIMEOUT_MS)
        sign_in(page, url, "tanaka", "midori-suishin-2026")
        expect(page.get_by_role("heading", name="わたしの予定")).to_be_visible()
        settle(page)

        role = "講師" if target.leads < 1 and target.helpers >= target.helpers_needed else "補助"
        page.get_by_role("button", name=f"{role}として引き受ける").first.click()
        expect(page.get_by_text("担当を引き受けました。")).to_be_visible()
        page.screenshot(path=str(artifacts / "browser-volunteer-took-shift.png"), full_page=True)

        # The 予定表, week view, on the session's week: its staffing counts the new shift.
        page.get_by_role("link", name="予定表").click()
        settle(page)
        page.screenshot(path=str(artifacts / "browser-calendar-month.png"), full_page=True)
        page.get_by_role("radio", name="週").click()
        settle(page)
        this_sunday = today_jst() - timedelta(days=(today_jst().weekday() + 1) % 7)
        target_sunday = target.starts_at.date() - timedelta(days=(target.starts_at.weekday() + 1) % 7)
        for _ in range((target_sunday - this_sunday).days // 7):
            page.get_by_role("button", name="次へ").click()
            settle(page)
        helpers = target.helpers + (role == "補助")
        lead = "○" if target.leads or role == "講師" else "×"
        expect(page.get_by_text(f"講師 {lead}・補助 {helpers}/{target.helpers_needed}").first).to_be_visible()
        page.screenshot(path=str(artifacts / "browser-volunteer-calendar-week.png"), full_page=True)

        # Subscribe: the URL shown once opens the shifts over HTTP, the new one included.
        page.get_by_role("link", name="わたしの予定").click()
        settle(page)
        page.get_by_role("button", name="購読用のURLを発行する").click()
        expect(page.get_by_text("購読用のURLを発行しました。")).to_be_visible()
        feed_url = page.locator("[data-testid='stCode'] code").first.inner_text().strip()
        browser.close()
        assert feed_url.startswith(url + "/calendar/")
        with urllib.request.urlopen(feed_url, timeout=20) as response:
            uids = {str(e["UID"]) for e in icalendar.Calendar.from_ical(response.read()).walk("VEVENT")}

    with db.connect(db_file) as handle:
        staffed = [s.id for s, _role in sessions.staffed_by(handle, volunteer_id)]
    assert target.id in staffed
    assert f"session-{target.id}@sumaho-desk" in uids
