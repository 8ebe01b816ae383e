"""実績報告 in a real browser: the demo centre with a past fiscal year of classes,
help-desk cases and a target; the year picked, the page captured to
test-artifacts/browser-reports.png, a table's CSV and the 実績報告書 downloaded and
read back."""

from __future__ import annotations

import io

import pdfplumber
import pytest

import db
from db import demo, reports
from printouts.dates import fiscal_year_label
from tests.browser import ROOT, TIMEOUT_MS, choose, launch, settle, sign_in, streamlit_server
from tests.conftest import ADMIN
from tests.test_pages_reports import PAST, seed_past_year

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect
pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "test-artifacts"


def test_reports_page_shows_the_year_and_downloads_csv_and_pdf(tmp_path):
    db_file = tmp_path / "desk.sqlite3"
    db.init_db(db_file)
    with db.connect(db_file) as handle:
        demo.seed(handle)
        seed_past_year(handle)
        reports.set_target(handle, ADMIN, PAST, "sessions_held", 4)
    ARTIFACTS.mkdir(exist_ok=True)
    with streamlit_server(db_file) as url, playwright_api.sync_playwright() as p:
        browser = launch(p)
        context = browser.new_context(accept_downloads=True, locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 1280, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        sign_in(page, url, "staff", "midori-madoguchi-2026")
        page.get_by_role("link", name="実績報告").click()
        settle(page)
        choose(page, "年度", f"{PAST}年度")

        def section(name: str) -> None:
            page.locator(".st-key-rep_section").get_by_text(name, exact=True).click()
            settle(page)

        expect(page.get_by_role("cell", name="延べ参加者数")).to_be_visible()
        # A figure lines up on the right, its label on the left (in every table,
        # header included).
        row = page.get_by_role("row").filter(has=page.get_by_role("cell", name="延べ参加者数", exact=True))
        assert row.get_by_role("cell").evaluate_all("cells => cells.map(c => getComputedStyle(c).textAlign)") == ["left", "right"]
        header = page.get_by_role("row").filter(has=page.get_by_role("columnheader", name="実績", exact=True)).first
        assert header.get_by_role("columnheader").evaluate_all("cells => cells.map(c => getComputedStyle(c).textAlign)")[-1] == "right"
        section("成果目標")
        expect(page.get_by_text("開催回数：実績 3回 ／ 目標 4回")).to_be_visible()
        section("月別の推移")
        page.wait_for_function("() => document.querySelectorAll('[data-testid=\"stVegaLiteChart\"] canvas, [data-testid=\"stVegaLiteChart\"] svg').length >= 3")
        section("相談窓口")
        expect(page.get_by_role("cell", name="警察相談専用電話（#9110）")).to_be_visible()
        # The page scrolls inside Streamlit's main block: grow the window to all of it.
        height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
        page.set_viewport_size({"width": 1280, "height": height + 50})
        settle(page)
        page.screenshot(path=str(ARTIFACTS / "browser-reports.png"), full_page=True)

        with page.expect_download() as csv_download:
            page.locator(".st-key-csv_categories").get_by_role("button").click()
        csv_data = csv_download.value.path().read_bytes()
        with page.expect_download() as pdf_download:
            page.get_by_role("button", name="実績報告書（PDF）").click()
        pdf = pdf_download.value.path().read_bytes()
        browser.close()

    assert csv_data.startswith("\ufeff".encode())
    assert "詐欺・セキュリティ,1,33.3%" in csv_data.decode("utf-8-sig")
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        text = "".join(p.extract_text() or "" for p in doc.pages).replace("\n", "")
    assert fiscal_year_label(PAST) in text and "全会場" in text
    assert "75.0%" in text, "progress against the target"
    assert demo.CENTRE[0] in text
