"""A whole 抽選 in a real browser (issue 17): applications taken by phone on the
予約 page → the window closes and housekeeping draws by itself → the 今日 screen
phones 当選 / 落選 with what to say → a winner cancels and the first drawn on the
waitlist gets the offer, which staff record as accepted; the notice-board PDF
lists 受付番号 only."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pdfplumber
import pytest

import db
import lessons
from db import attendees, bookings, demo, lottery, sessions
from db.clock import now_jst
from tests.browser import ROOT, TIMEOUT_MS, choose, launch, settle, sign_in, streamlit_server
from tests.conftest import STAFF, at, working_day

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect
pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "test-artifacts"
PASSWORD = "midori-madoguchi-2026"


def new_page(browser):
    context = browser.new_context(accept_downloads=True, locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 1366, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    return page


def card(page, kind: str, phone: str):
    """The 今日 screen's card of one call: the innermost block holding its line
    and its 電話した button."""
    line = page.get_by_text(re.compile(f"{kind}.*{phone}", re.S))  # the number is on a line of its own
    return page.get_by_test_id("stVerticalBlock").filter(has=line).filter(has=page.get_by_role("button", name="電話した")).last


def test_applications_close_draw_calls_and_offer(tmp_path, clock):
    db_file = tmp_path / "desk.sqlite3"
    db.init_db(db_file)
    with db.connect(db_file) as handle:
        demo.seed(handle)
        room = sessions.list_sessions(handle)[0].room_id
        day = working_day(21)
        session_id = sessions.create_session(
            handle, STAFF, next(iter(lessons.catalogue())), room, at(day, 18), at(day, 19, 30), 2
        )
        now = now_jst()
        lottery_id = lottery.set_lottery(handle, STAFF, session_id, now - timedelta(hours=1), now + timedelta(days=2))
        for i, (name, kana) in enumerate((("抽選 一子", "チュウセン イチコ"), ("抽選 二子", "チュウセン ニコ"))):
            lottery.apply(handle, STAFF, lottery_id, attendees.register_attendee(handle, STAFF, name, kana, f"090-0000-670{i}", True))
        attendees.register_attendee(handle, STAFF, "電話 好子", "デンワ ヨシコ", "090-0000-6610", True)
        closes = lottery.get_lottery(handle, lottery_id).closes_at
    ARTIFACTS.mkdir(exist_ok=True)

    # 1. Applications by phone: one found, one registered; a second one refused.
    with streamlit_server(db_file) as url, playwright_api.sync_playwright() as p:
        browser = launch(p)
        page = new_page(browser)
        sign_in(page, url, "staff", PASSWORD)
        page.goto(f"{url}/bookings?session={session_id}")
        expect(page.get_by_text(re.compile("【受付中】"))).to_be_visible()
        page.get_by_label("電話番号の一部、フリガナ、または氏名", exact=True).fill("6610")
        page.get_by_label("電話番号の一部、フリガナ、または氏名", exact=True).press("Enter")
        settle(page)
        page.get_by_text(re.compile("ヨシコ）.*6610")).click()
        page.get_by_role("button", name="この方の申込を受け付ける").click()
        expect(page.get_by_text("申込を受け付けました。受付番号は 003 番です。ご本人にお伝えください。")).to_be_visible()
        settle(page)
        page.get_by_text(re.compile("ヨシコ）.*6610")).click()
        page.get_by_role("button", name="この方の申込を受け付ける").click()
        expect(page.get_by_text("この方はすでに申し込んでいます（受付番号 003）。")).to_be_visible()
        settle(page)
        page.get_by_role("tab", name="はじめての方を登録").click()
        page.get_by_label("氏名", exact=True).fill("新規 四郎")
        page.get_by_label("フリガナ", exact=True).fill("しんき しろう")
        page.get_by_label("電話番号", exact=True).fill("090-0000-6620")
        page.get_by_text("個人情報の利用目的").click()
        page.get_by_role("button", name="登録して申し込む").click()
        expect(page.get_by_text("新規 四郎 さんを登録し、申込を受け付けました。受付番号は 004 番です。ご本人にお伝えください。")).to_be_visible()
        expect(page.get_by_text(re.compile("定員 2 人・申込 4 人"))).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "browser-lottery-applications.png"), full_page=True)
        browser.close()

    # 2. After the close the server's housekeeping draws by itself at start.
    clock.move_to(closes + timedelta(minutes=5))
    with streamlit_server(db_file, now=closes + timedelta(minutes=5)) as url, playwright_api.sync_playwright() as p:
        browser = launch(p)
        page = new_page(browser)
        sign_in(page, url, "staff", PASSWORD)
        page.goto(f"{url}/bookings?session={session_id}")
        expect(page.get_by_text(re.compile("【抽選済み】"))).to_be_visible()
        expect(page.get_by_text(re.compile("乱数の種 [0-9a-f]{32}"))).to_be_visible()
        with page.expect_download() as notice_download:
            page.get_by_role("button", name="抽選結果（掲示用・受付番号のみ）PDF").click()
        notice_pdf = ARTIFACTS / "browser-lottery-notice.pdf"
        notice_download.value.save_as(notice_pdf)

        with db.connect(db_file) as handle:
            drawn = {a.number: a for a in lottery.list_applications(handle, STAFF, lottery_id)}
        winners = [a for a in sorted(drawn.values(), key=lambda a: a.place) if a.result == "won"]
        losers = [a for a in sorted(drawn.values(), key=lambda a: a.place) if a.result == "lost"]
        assert len(winners) == 2 and len(losers) == 2

        # 3. The 今日 screen: two 当選 and two 落選 calls with what to say.
        page.get_by_role("link", name="今日").click()
        expect(page.get_by_text("抽選の結果の電話：当選 2・落選 2")).to_be_visible()
        call = card(page, "抽選の当選", winners[0].phone)
        call.get_by_text("話すこと").click()
        expect(call.get_by_text(re.compile(f"当選されました（受付番号 {winners[0].number} 番）"))).to_be_visible()
        call.get_by_role("button", name="電話した").click()
        expect(page.get_by_text("「電話した」と記録しました。")).to_be_visible()
        expect(page.get_by_text("抽選の結果の電話：当選 1・落選 2")).to_be_visible()
        lost_call = card(page, "抽選の落選", losers[0].phone)
        lost_call.get_by_text("話すこと").click()
        expect(lost_call.get_by_text(re.compile("今回は落選となりました"))).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "browser-lottery-calls.png"), full_page=True)

        # 4. A winner cancels: the first drawn on the waitlist gets the offer and accepts.
        page.goto(f"{url}/bookings?session={session_id}")
        settle(page)
        page.get_by_text("予約の取り消し・キャンセル待ちの取り消し").click()
        choose(page, "取り消す予約", winners[1].name_kana)
        page.get_by_label("理由", exact=True).fill("体調不良")
        page.get_by_role("button", name="予約を取り消す").click()
        expect(page.get_by_text(re.compile(f"{losers[0].name} さんに繰り上げ連絡をしてください"))).to_be_visible()
        expect(page.get_by_text(re.compile(f"1. {losers[0].name}.*繰り上げ連絡中"))).to_be_visible()
        page.get_by_role("button", name="承諾：予約にする").click()
        expect(page.get_by_text("予約にしました。")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "browser-lottery-offer.png"), full_page=True)
        browser.close()

    with db.connect(db_file) as handle:
        seated = {b.attendee_id for b in bookings.list_bookings(handle, STAFF, session_id)}
        assert seated == {winners[0].attendee_id, losers[0].attendee_id}
        assert lottery.replay(handle, STAFF, lottery_id)
    with pdfplumber.open(io.BytesIO(notice_pdf.read_bytes())) as pdf:
        text = re.sub(r"\s+", "", "".join(p.extract_text() for p in pdf.pages))
    assert "抽選結果のお知らせ" in text
    for a in drawn.values():
        assert f"{a.number:03d}" in text
        for personal in (a.name, a.name_kana, a.phone):
            assert re.sub(r"\s+", "", personal) not in text
