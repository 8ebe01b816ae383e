"""Loan phones (貸出機) on paper: the 受付名簿 prints each borrower's phone label next
to the person and seats them with that phone's kind; the 担当表 says how many
phones to lay out. Read back as a reader would (pdfplumber text, a PNG looked at)."""

from __future__ import annotations

import io
import os
from datetime import datetime, timedelta, timezone

import pdfplumber
import pytest

from printouts.model import Centre, SessionInfo
from printouts.roster import RosterSession, render_roster
from printouts.signin_sheet import SigninRow, render_signin_sheet, seating_groups

JST = timezone(timedelta(hours=9))
CENTRE = Centre("さくら市立中央公民館", "03-0000-5678")
SESSION = SessionInfo(
    starts_at=datetime(2026, 12, 3, 10, 0, tzinfo=JST), ends_at=datetime(2026, 12, 3, 11, 30, tzinfo=JST),
    room="第1会議室", venue="中央公民館",
)
ROWS = [
    SigninRow("青木 花子", "アオキ ハナコ", "なし", loan="iPhone-3", loan_kind="iPhone"),
    SigninRow("井上 一郎", "イノウエ イチロウ", "iPhone"),
    SigninRow("上田 和子", "ウエダ カズコ", "なし", needs="大きな文字", loan="Android-12", loan_kind="Android"),
    SigninRow("江藤 勇", "エトウ イサム", "Android", loan="Android-2", loan_kind="Android"),
    SigninRow("岡 幸子", "オカ サチコ", "なし"),
]


def _lines(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [line.replace(" ", "") for page in doc.pages for line in (page.extract_text() or "").splitlines()]


def test_a_borrower_sits_with_the_loan_phones_kind():
    groups = {short: [r.name for r in rows] for short, _heading, rows in seating_groups(ROWS)}
    assert groups["iPhone"] == ["青木 花子", "井上 一郎"]
    assert groups["Android"] == ["上田 和子", "江藤 勇"]
    assert groups["その他"] == ["岡 幸子"]


@pytest.mark.parametrize("body_pt", [16, 20, 24])
def test_the_signin_sheet_prints_each_label_next_to_its_borrower(body_pt, tmp_path):
    pdf = render_signin_sheet(SESSION, "スマホの基本操作", CENTRE, ROWS, body_pt=body_pt)
    lines = _lines(pdf)
    text = "\n".join(lines)
    for label in ("iPhone-3", "Android-12", "Android-2"):
        assert text.count(label) == 1, label
    # The label is on the borrower's row: between their name and the next person's.
    order = [text.index(x) for x in ("青木花子", "iPhone-3", "井上一郎")]
    assert order == sorted(order)
    order = [text.index(x) for x in ("上田和子", "Android-12", "江藤勇", "Android-2")]
    assert order == sorted(order)
    # The person without a phone and without a loan yet still reads 「貸出機」.
    others = text[text.index("その他の方1名") :]
    assert "岡幸子" in others and "貸出機" in others and "iPhone-" not in others and "Android-" not in others
    assert "iPhoneの方2名" in text and "Androidの方2名" in text and "その他の方1名" in text
    if body_pt == 20 and os.environ.get("SUMAHO_KEEP_PNG"):
        import pypdfium2

        page = pypdfium2.PdfDocument(pdf)[0]
        page.render(scale=1.2).to_pil().save(os.environ["SUMAHO_KEEP_PNG"])


def test_the_roster_says_how_many_phones_to_lay_out():
    rows = [
        RosterSession(SESSION.starts_at, SESSION.ends_at, "スマホの基本操作", "中央公民館", "第1会議室", "推進 花子", ("補助 次郎",), 1,
                      loan_phones="貸出機 3台（iPhone 2・未割当 1）"),
        RosterSession(SESSION.starts_at + timedelta(days=7), SESSION.ends_at + timedelta(days=7), "LINEの使い方", "中央公民館", "和室",
                      "推進 花子", (), 0),
    ]
    # The cell may wrap after 「・」; read it as one run of text.
    text = "".join(_lines(render_roster(CENTRE, 2026, 12, rows)))
    assert "貸出機3台（iPhone2・未割当1）" in text
    assert text.count("貸出機") == 1


def test_the_printouts_page_data_puts_the_allocated_labels_on_the_sheet(database, centre, make_session):
    """From the database to paper: allocation, then the rows the 印刷 page builds."""
    from db import attendees, bookings, loans, sessions
    from tests.conftest import STAFF
    from views import session_pack

    session_id = make_session(capacity=4)
    for n, device in enumerate(("なし", "なし", "Android"), 1):
        person = attendees.register_attendee(database, STAFF, f"名簿 {n}子", "メイボ", f"090-0000-{n:04d}", True, device=device, allow_duplicate=True)
        bookings.book(database, STAFF, session_id, person)
    for label in ("iPhone-7", "iPhone-8"):
        loans.add_phone(database, STAFF, centre[0], "iPhone", label)
    loans.allocate(database, STAFF, session_id, "iPhone")
    seated = bookings.list_bookings(database, STAFF, session_id)
    rows = session_pack.signin_rows(seated, loans.session_loans(database, STAFF, session_id))
    session = sessions.get_session(database, session_id)
    text = "\n".join(_lines(render_signin_sheet(session_pack.session_info(session), "講座", CENTRE, rows)))
    assert text.index("名簿1子") < text.index("iPhone-7") < text.index("名簿2子") < text.index("iPhone-8")
    assert "iPhoneの方2名" in text and "Androidの方1名" in text
