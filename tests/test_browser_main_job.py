"""The main job in a real browser (DESIGN.md §3): schedule a session from a lesson,
book residents until it is full, see the full message, download the handout."""

from __future__ import annotations

import io

import pdfplumber
import pypdfium2
import pytest
import zxingcpp

import db
import lessons
from db import demo
from tests.browser import ROOT, TIMEOUT_MS, choose, launch, sign_in, streamlit_server
from tests.conftest import working_day

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect
pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "test-artifacts"
LESSON = "e-tax"


def fill(page, label: str, value: str) -> None:
    field = page.get_by_label(label, exact=True)
    field.fill(value)


def test_main_job_in_the_browser(tmp_path):
    db_file = tmp_path / "desk.sqlite3"
    db.init_db(db_file)
    with db.connect(db_file) as handle:
        demo.seed(handle)
    lesson = lessons.catalogue()[LESSON]
    day = working_day(40)
    ARTIFACTS.mkdir(exist_ok=True)

    with streamlit_server(db_file) as url, playwright_api.sync_playwright() as p:
        browser = launch(p)
        context = browser.new_context(accept_downloads=True, locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 1280, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)

        # 1. Staff sign in and schedule an e-Tax session in the 8-seat room, capacity 2.
        sign_in(page, url, "staff", "midori-madoguchi-2026")
        expect(page.get_by_role("heading", name="今日", exact=True)).to_be_visible()
        page.get_by_role("link", name="開催予定").click()
        expect(page.get_by_role("heading", name="開催予定")).to_be_visible()
        choose(page, "講座", lesson.title)
        # The date field has year / month / day segments that take typed digits.
        page.get_by_label("開催日", exact=True).get_by_role("spinbutton").first.click()
        page.keyboard.type(day.strftime("%Y%m%d"))
        page.keyboard.press("Tab")
        choose(page, "部屋", "和室")
        fill(page, "定員", "2")
        page.get_by_role("button", name="登録する").click()
        expect(page.get_by_text(f"開催回を登録しました：{lesson.title}")).to_be_visible()

        # 2. Book two new residents by phone; the second fills the session.
        page.get_by_role("link", name="予約").click()
        choose(page, "開催回", lesson.title)
        expect(page.get_by_text("予約 0 / 2 人（残り 2 席）")).to_be_visible()
        page.get_by_role("tab", name="はじめての方を登録").click()
        for name, kana, phone in [("山本 和夫", "やまもと かずお", "09000005551"), ("森 陽子", "もり ようこ", "090-0000-5552")]:
            fill(page, "氏名", name)
            fill(page, "フリガナ", kana)
            fill(page, "電話番号", phone)
            page.get_by_text("個人情報の利用目的").click()
            page.get_by_role("button", name="登録して予約する").click()
            expect(page.get_by_text(f"{name} さんを登録し、予約しました。")).to_be_visible()
        expect(page.get_by_text("満席：予約 2 人（定員 2 人）", exact=True)).to_be_visible()
        expect(page.get_by_text("この開催回は満席です。キャンセル待ち、または理由を書いて定員を超えての予約ができます。")).to_be_visible()

        # 3. A third resident gets the waitlist (the full session's default), not a seat.
        page.get_by_role("tab", name="はじめての方を登録").click()
        fill(page, "氏名", "林 正男")
        fill(page, "フリガナ", "はやし まさお")
        fill(page, "電話番号", "090-0000-5553")
        page.get_by_text("個人情報の利用目的").click()
        expect(page.get_by_role("radio", name="キャンセル待ちに入れる")).to_be_checked()
        page.get_by_role("button", name="登録して予約する").click()
        expect(page.get_by_text("林 正男 さんを登録し、キャンセル待ちに入れました。空きが出たらお電話します。")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "browser-bookings-full.png"), full_page=True)

        # 4. Download the session's handout from the print page and read it.
        page.get_by_role("link", name="印刷").click()
        choose(page, "開催回", lesson.title)
        expect(page.get_by_text("満席（2 / 2 人）")).to_be_visible()
        with page.expect_download() as download_info:
            page.get_by_role("button", name="配布資料（PDF）").click()
        pdf_path = ARTIFACTS / "browser-handout.pdf"
        download_info.value.save_as(pdf_path)
        page.screenshot(path=str(ARTIFACTS / "browser-printouts.png"), full_page=True)
        browser.close()

    with db.connect(db_file) as handle:
        session_id = handle.execute("select id from sessions where lesson_id = ?", [LESSON]).fetchone()[0]
        assert handle["bookings"].count_where("session_id = ? and status = 'booked'", [session_id]) == 2
        assert handle["bookings"].count_where("session_id = ? and status = 'waitlisted'", [session_id]) == 1

    pdf = pdf_path.read_bytes()
    assert pdf.startswith(b"%PDF")
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        text = "".join(page.extract_text() or "" for page in doc.pages).replace("\n", "")
    assert lesson.title in text
    assert "みどり台コミュニティセンター" in text and "03-0000-0000" in text
    assert f"{day.month}月{day.day}日" in text
    decoded = set()
    for page in pypdfium2.PdfDocument(pdf):
        image = page.render(scale=200 / 72).to_pil()
        decoded |= {code.text for code in zxingcpp.read_barcodes(image)}
    assert decoded == {g.url for g in lesson.guides}
    for url in decoded:
        assert url in text
