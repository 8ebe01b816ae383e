"""The help desk in a real browser: a walk-in case recorded from one form, put on
hold with a follow-up date, found in the follow-up queue, resolved, and a 相談メモ
printed and read back (text and every 二次元コード)."""

from __future__ import annotations

import io

import pdfplumber
import pypdfium2 as pdfium
import pytest
import zxingcpp

import db
import lessons
from db import demo
from db.clock import today_jst
from tests.browser import ROOT, TIMEOUT_MS, choose, launch, settle, sign_in, streamlit_server

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect
pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "test-artifacts"


def qr_urls(pdf: bytes) -> set[str]:
    found = set()
    document = pdfium.PdfDocument(pdf)
    for index in range(len(document)):
        image = document[index].render(scale=3).to_pil()
        found |= {code.text for code in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)}
    return found


def test_walk_in_hold_follow_up_resolve_and_print_a_memo(tmp_path):
    db_file = tmp_path / "desk.sqlite3"
    db.init_db(db_file)
    with db.connect(db_file) as handle:
        demo.seed(handle)
    ARTIFACTS.mkdir(exist_ok=True)
    with streamlit_server(db_file) as url, playwright_api.sync_playwright() as p:
        browser = launch(p)
        context = browser.new_context(accept_downloads=True, locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 1280, "height": 1100})
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        sign_in(page, url, "staff", "midori-madoguchi-2026")
        page.get_by_role("link", name="相談窓口").click()
        settle(page)

        # Quick intake: the keyboard does it — type the problem and press Enter.
        choose(page, "分類", "マイナポータル")
        summary = page.get_by_label("相談内容", exact=True).first
        summary.fill("マイナポータルにログインできない")
        summary.press("Enter")
        expect(page.get_by_text("を記録しました。")).to_be_visible()
        number = page.get_by_text("を記録しました。").inner_text().split()[1]

        # Hold it until today (the follow-up is due at once).
        settle(page)
        # The date field is three spin buttons (year, month, day); typing moves along.
        page.get_by_role("spinbutton", name="year, フォロー日（保留にするとき）").click()
        page.keyboard.type(today_jst().strftime("%Y%m%d"))
        page.keyboard.press("Tab")
        settle(page)
        page.get_by_role("button", name="保留にする").click()
        expect(page.get_by_text("状態を「保留」にしました。")).to_be_visible()
        settle(page)
        page.get_by_role("tab", name="フォロー待ち").click()
        queue = page.get_by_role("tabpanel", name="フォロー待ち")
        expect(queue.get_by_text(number)).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "browser-helpdesk-queue.png"), full_page=True)

        # The resident phones back; it is solved. Write what was done, then resolve.
        page.get_by_label("対応結果（相談メモの「きょう行ったこと」）").fill("マイナアプリを入れ直し、利用者証明用の暗証番号でログインできることを確かめました。")
        page.get_by_label("次にすること（相談メモに印刷）").fill("ログインできないときは、マイナンバー総合フリーダイヤルに電話する。")
        page.get_by_role("button", name="保存する").click()
        expect(page.get_by_text("相談記録を保存しました。")).to_be_visible()
        settle(page)
        page.get_by_role("button", name="解決", exact=True).click()
        expect(page.get_by_text("状態を「解決」にしました。")).to_be_visible()
        settle(page)
        with page.expect_download() as memo_download:
            page.get_by_role("button", name="相談メモ（PDF）").click()
        memo_pdf = ARTIFACTS / "browser-consult-memo.pdf"
        memo_download.value.save_as(memo_pdf)
        settle(page)
        expect(page.get_by_text("渡した資料：")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "browser-helpdesk-resolved.png"), full_page=True)
        browser.close()

    with db.connect(db_file) as handle:
        row = handle.execute("select status, resolution, guides_given from tickets where number = ?", [number]).fetchone()
    assert row[:2] == ("resolved", "resolved")
    assert row[2] != "[]", "the guides handed over are recorded"

    pdf = memo_pdf.read_bytes()
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        text = "".join(page.extract_text() or "" for page in doc.pages).replace("\n", "")
    assert "ご相談メモ" in text and "マイナアプリを入れ直し" in text and "マイナンバー総合フリーダイヤル" in text
    assert demo.CENTRE[2] in text, "the centre's phone number"
    # The page offers the category's lessons; the memo carries their first two guides.
    expected = [g.url for lesson_id in ("myna-app", "medical-info") for g in lessons.catalogue()[lesson_id].guides]
    assert qr_urls(pdf) == set(list(dict.fromkeys(expected))[:2])
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages) == 1, "a memo with a few lines fits one page"
    for address in qr_urls(pdf):
        assert address in text.replace(" ", ""), f"{address} is printed beside its code"
