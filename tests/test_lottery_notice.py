"""The notice-board result of a lottery (抽選結果のお知らせ): 受付番号 only, never
names; large print; every number there and in its place; and the 当選 / 落選
calls on the call list with what to say."""

from __future__ import annotations

import functools
import io
import re
from datetime import datetime, timedelta

import pdfplumber
import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4

from db.clock import JST
from printouts.call_list import CallEntry, default_script, grouped, render_call_list
from printouts.layout import MARGIN_TOP, MARGIN_X
from printouts.lottery_notice import LotteryNotice, receipt_label, render_lottery_notice
from printouts.model import Centre

CENTRE = Centre("みどり市民センター", "03-0000-1234")
START = datetime(2027, 7, 7, 10, 0, tzinfo=JST)
WINNERS = (31, 4, 12, 7, 19, 1, 25, 40, 2, 33, 9, 14, 22, 27, 36)
WAITING = tuple(n for n in (17, 3, 38, 11, 29, 5, 20, 35, 8, 24, 41, 13, 30, 6, 26, 39, 16, 10, 34, 21) if n not in WINNERS)
NOTICE = LotteryNotice(
    lesson_title="スマホの基本操作",
    dates=tuple((START + timedelta(days=7 * i), START + timedelta(days=7 * i, minutes=90)) for i in range(3)),
    place="みどり市民センター 研修室",
    applicants=len(WINNERS) + len(WAITING),
    seats=15,
    winners=WINNERS,
    waiting=WAITING,
    drawn_at=datetime(2027, 6, 20, 17, 0, tzinfo=JST),
)


@functools.cache
def render(body_pt: int) -> bytes:
    return render_lottery_notice(CENTRE, NOTICE, body_pt=body_pt)


@functools.cache
def pages(body_pt: int):
    with pdfplumber.open(io.BytesIO(render(body_pt))) as pdf:
        return tuple((page.extract_text(), tuple(c for c in page.chars if not c["text"].isspace())) for page in pdf.pages)


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("body_pt", [16, 20, 24])
def test_the_notice_lists_every_number_in_its_place_and_no_names(body_pt):
    for number, (page, _chars) in enumerate(pages(body_pt), 1):
        assert page.splitlines()[-1].startswith(CENTRE.name) and f"{number}/{len(pages(body_pt))}ページ" in page
    # The footers (centre phone number) left out, the pages read as one.
    text = compact("".join(t.rsplit("\n", 1)[0] for t, _ in pages(body_pt)))
    assert "抽選結果のお知らせ" in text and "スマホの基本操作" in text
    assert "令和9年（2027年）7月7日（水）10:00〜11:30" in text and "7月21日（水）" in text
    assert f"{len(WINNERS) + len(WAITING)}人（定員15人）" in text
    winners = text.split("当選した受付番号")[1].split("キャンセル待ち")[0]
    assert re.findall(r"\d{3}", winners) == [receipt_label(n) for n in sorted(WINNERS)]
    waiting = text.split("キャンセル待ちの受付番号（順番どおり）")[1]
    assert re.findall(r"(\d+)番目(\d{3})", waiting) == [(str(i), receipt_label(n)) for i, n in enumerate(WAITING, 1)]
    assert "お名前は掲示していません" in text
    assert len(pages(body_pt)) <= 3


@pytest.mark.parametrize("body_pt", [16, 20, 24])
def test_large_print_inside_the_margins_numbers_twice_the_body(body_pt):
    sizes = []
    for _text, chars in pages(body_pt):
        for c in chars:
            assert c["size"] >= 16 - 0.01, c["text"]
            assert MARGIN_X - 0.5 <= c["x0"] and c["x1"] <= A4[0] - MARGIN_X + 0.5, c["text"]
            assert c["top"] >= MARGIN_TOP - 0.5
            sizes.append((c["text"], round(c["size"])))
    assert ("0", 2 * body_pt) in sizes  # the winning numbers
    assert max(s for t, s in sizes if t == "抽") >= 24  # the title


def test_fonts_are_embedded_and_a4():
    pdf = render(16)
    assert b"Helvetica" not in pdf
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert [round(float(v)) for v in page.mediabox[2:]] == [round(A4[0]), round(A4[1])]
    for ref in page["/Resources"]["/Font"].values():
        assert "BIZUDPGothic" in ref.get_object()["/BaseFont"]


def test_nobody_won_says_so():
    empty = LotteryNotice("LINE", NOTICE.dates[:1], "研修室", 0, 10, (), (), NOTICE.drawn_at)
    with pdfplumber.open(io.BytesIO(render_lottery_notice(CENTRE, empty))) as pdf:
        assert "当選した方はいません" in compact(pdf.pages[0].extract_text())


def test_won_and_lost_calls_have_their_own_groups_and_scripts():
    won = default_script("won", "LINE", "7月7日（水）10時", receipt=12)
    lost = default_script("lost", "LINE", "7月7日（水）10時", receipt=13)
    assert "当選されました（受付番号 12 番）" in won and "7月7日（水）10時から" in won
    assert "落選" in lost and "キャンセル待ち" in lost and "13 番" in lost
    with pytest.raises(ValueError):
        default_script("won", "LINE", "7月7日（水）10時")
    entries = [
        CallEntry("reminder", "青木 一郎", "アオキ イチロウ", "090-0000-0001", "LINE", None, "x"),
        CallEntry("lost", "井上 二郎", "イノウエ ジロウ", "090-0000-0002", "LINE", None, lost),
        CallEntry("won", "上田 三郎", "ウエダ サブロウ", "090-0000-0003", "LINE", None, won),
    ]
    assert [kind for kind, _ in grouped(entries)] == ["won", "lost", "reminder"]
    with pdfplumber.open(io.BytesIO(render_call_list(CENTRE, NOTICE.drawn_at, entries))) as pdf:
        text = compact("".join(p.extract_text() for p in pdf.pages))
    assert "抽選の結果（当選）1件" in text and "抽選の結果（落選）1件" in text
    assert text.index("当選されました") < text.index("落選となりました")


@pytest.mark.parametrize("body_pt", [16, 20, 24])
def test_in_english_each_waitlist_place_prints_on_one_line(body_pt):
    # "No. 10: 024" is wider than 「10番目 024」: the grid takes fewer columns
    # rather than breaking a place from its number.
    from locales import language

    with language("en"):
        pdf = render_lottery_notice(CENTRE, NOTICE, body_pt=body_pt)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        lines = [line["text"] for page in doc.pages for line in page.extract_text_lines()]
    for place, number in enumerate(WAITING, 1):
        label = f"No. {place}: {receipt_label(number)}"
        assert any(label in line for line in lines), label
