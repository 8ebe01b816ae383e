"""The front desk in a real browser: register by phone, fill a session, waitlist two
people, cancel one booking, record the accepted offer, print the sign-in sheet and
the call list and read them back."""

from __future__ import annotations

import io
import re

import pdfplumber
import pytest

import db
from db import demo
from tests.browser import ROOT, TIMEOUT_MS, choose, launch, settle, sign_in, streamlit_server

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect
pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "test-artifacts"


def pdf_text(path) -> str:
    with pdfplumber.open(io.BytesIO(path.read_bytes())) as doc:
        return "".join(page.extract_text() or "" for page in doc.pages).replace("\n", "")


def register(page, name: str, kana: str, phone: str, waitlist: bool = False) -> None:
    settle(page)
    page.get_by_role("tab", name="はじめての方を登録").click()
    page.get_by_label("氏名", exact=True).fill(name)
    page.get_by_label("フリガナ", exact=True).fill(kana)
    page.get_by_label("電話番号", exact=True).fill(phone)
    if waitlist:
        # A full session offers the waitlist in the form (issue 15); it is the default.
        expect(page.get_by_role("radio", name="キャンセル待ちに入れる")).to_be_checked()
    page.get_by_text("個人情報の利用目的").click()
    page.get_by_role("button", name="登録して予約する").click()


def test_front_desk_waitlist_offer_and_printouts(tmp_path):
    db_file = tmp_path / "desk.sqlite3"
    db.init_db(db_file)
    with db.connect(db_file) as handle:
        demo.seed(handle)
        # The first demo session: 4 booked of 12; make it 5 seats.
        session_id = handle.execute("select id from sessions order by starts_at limit 1").fetchone()[0]
        handle.execute("update sessions set capacity = 5 where id = ?", [session_id])
        handle.conn.commit()
    ARTIFACTS.mkdir(exist_ok=True)
    with streamlit_server(db_file) as url, playwright_api.sync_playwright() as p:
        browser = launch(p)
        context = browser.new_context(accept_downloads=True, locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 1280, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        sign_in(page, url, "staff", "midori-madoguchi-2026", path="/bookings")
        expect(page.get_by_text("予約 4 / 5 人（残り 1 席）")).to_be_visible()

        register(page, "山本 和夫", "やまもと かずお", "09000005551")
        expect(page.get_by_text("山本 和夫 さんを登録し、予約しました。")).to_be_visible()
        expect(page.get_by_text("満席：予約 5 人（定員 5 人）", exact=True)).to_be_visible()
        register(page, "森 陽子", "もり ようこ", "090-0000-5552", waitlist=True)
        expect(page.get_by_text("森 陽子 さんを登録し、キャンセル待ちに入れました。空きが出たらお電話します。")).to_be_visible()
        register(page, "林 正男", "はやし まさお", "090-0000-5553", waitlist=True)
        expect(page.get_by_text("林 正男 さんを登録し、キャンセル待ちに入れました。空きが出たらお電話します。")).to_be_visible()

        # 青木 花子 cancels; 森 陽子 (first in line) gets the offer.
        page.get_by_text("予約の取り消し・キャンセル待ちの取り消し").click()
        choose(page, "取り消す予約", "青木")
        page.get_by_label("理由", exact=True).fill("体調不良")
        page.get_by_role("button", name="予約を取り消す").click()
        expect(page.get_by_text("予約を取り消しました。")).to_be_visible()
        offer = page.locator("p", has_text=re.compile(r"1\. 森.陽子")).filter(has_text=re.compile("繰り上げ連絡中（.*までにお返事）"))
        expect(offer).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "browser-desk-offer.png"), full_page=True)

        # Print the call list while the offer is open: it shows 森 陽子 and the deadline.
        page.get_by_role("link", name="印刷").click()
        settle(page)
        with page.expect_download() as calls_download:
            page.get_by_role("button", name="電話連絡リスト（PDF）").click()
        calls_pdf = ARTIFACTS / "browser-call-list.pdf"
        calls_download.value.save_as(calls_pdf)

        # Back at the desk: 森 陽子 said yes on the phone.
        page.get_by_role("link", name="予約").click()
        page.get_by_role("button", name="承諾：予約にする").click()
        expect(page.get_by_text("予約にしました。")).to_be_visible()
        expect(page.get_by_text("満席：予約 5 人（定員 5 人）・キャンセル待ち 1 人", exact=True)).to_be_visible()

        page.get_by_role("link", name="印刷").click()
        settle(page)
        expect(page.get_by_role("button", name="受付名簿（PDF）")).to_be_visible()
        with page.expect_download() as sheet_download:
            page.get_by_role("button", name="受付名簿（PDF）").click()
        sheet_pdf = ARTIFACTS / "browser-signin-sheet.pdf"
        sheet_download.value.save_as(sheet_pdf)
        browser.close()

    calls = pdf_text(calls_pdf)
    assert "電話連絡リスト" in calls
    assert "森" in calls and "090-0000-5552" in calls and "期限" in calls
    sheet = pdf_text(sheet_pdf)
    assert "受付名簿" in sheet
    for name in ("山本", "森", "石川", "上田", "江藤"):
        assert name in sheet
    assert "青木" not in sheet and "林" not in sheet
    assert "090-0000" not in sheet  # no phone numbers on the reception table
