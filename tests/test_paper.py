"""Paper a senior can use (issue 14), checked as a reader meets it.

Every printout in every register is rendered and read back with pdfplumber: no
heading ends a page, lines break at phrases with JIS X 4051 kinsoku, English words
are never split, ふりがな sits above its word without touching anything, and no
character leaves the margins.
"""

from __future__ import annotations

import functools
import io
import re
from collections import defaultdict
from datetime import date, datetime, timedelta, timezone

import pdfplumber
import pytest
from hypothesis import example, given
from hypothesis import strategies as hst
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth

import lessons
from lessons import Guide, Lesson, Step
from locales import current_language, language
from printouts.annual_report import AnnualReport, MonthlySeries, ReportTable, TargetRow, render_annual_report
from printouts.booking_slip import SLOT_MARGIN, SlipItem, render_booking_slips
from printouts.call_list import CallEntry, default_script, render_call_list, spoken_time
from printouts.certificate import Activity, render_certificate
from printouts.consult_memo import ConsultMemo, render_consult_memo
from printouts.dates import format_date, format_time, format_time_range, month_label
from printouts.flyer import FlyerEntry, render_flyer
from printouts.handout import render_handout
from printouts.layout import FONT, MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X, register_fonts
from printouts.lottery_notice import LotteryNotice, render_lottery_notice
from printouts.linebreak import CLOSING, OPENING, SPACES, break_lines, segments
from printouts.model import Centre, SessionInfo
from printouts.roster import RosterSession, render_roster
from printouts.signin_sheet import SigninRow, render_signin_sheet
from printouts.survey_sheet import render_survey_sheets
from views import surveys as survey_view

JST = timezone(timedelta(hours=9))
CENTRE = Centre("みどり台コミュニティセンター", "090-0000-5678")
SESSION = SessionInfo(
    datetime(2026, 12, 17, 13, 30, tzinfo=JST), datetime(2026, 12, 17, 15, 0, tzinfo=JST), "第1会議室", "みどり台コミュニティセンター"
)
CATALOGUE = lessons.load_catalogue()
SIZES = (16, 20, 24)
REGISTERS = ("standard", "easy", "en")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=JST)


# Every document type, by register and size -----------------------------------


def _flyer(body_pt: int) -> bytes:
    entries = [
        FlyerEntry(t.title, l.level, t.summary, at(1 + i * 3, 10), at(1 + i * 3, 11, 30), "みどり台コミュニティセンター", "第1会議室", i % 3)
        for i, (l, t) in enumerate((l, l.text("en" if current_language() == "en" else "standard")) for l in list(CATALOGUE.values())[:8])
    ]
    return render_flyer(CENTRE, 2026, 12, entries, "https://www.city.sakura.example.jp/midoridai/sumaho/", body_pt)


def _memo(body_pt: int) -> bytes:
    memo = ConsultMemo(
        number="2026-0012",
        visited_on=date(2026, 12, 17),
        resident_name="山田 花子",
        category_label="LINE",
        summary="LINEで孫から届いた写真を保存したい。友だちの追加のしかたも知りたい。",
        done="写真を長押しして保存しました。\n二次元コードで友だちを追加しました。",
        next_step="毎日1回、トークを開いて練習します。",
        guides=[(g.title, g.url) for g in CATALOGUE["line-basics"].guides[:2]],
        helper_name="田中",
    )
    return render_consult_memo(CENTRE, memo, body_pt)


def _slips(body_pt: int, register: str) -> bytes:
    names = ["山田 花子", "佐藤 一郎", "Maria Santos", "林 和夫"]
    return render_booking_slips([SlipItem(CATALOGUE["scams-safety"], SESSION, n, register) for n in names], CENTRE, body_pt)


def _calls(body_pt: int) -> bytes:
    entries = [
        CallEntry("reminder", "山田 花子", "ヤマダ ハナコ", "090-0000-1001", f"スマホの基本操作　{format_time_range(SESSION.starts_at, SESSION.ends_at)}　第1会議室",
                  None, default_script("reminder", "スマホの基本操作", spoken_time(SESSION.starts_at))),
        CallEntry("offer", "佐藤 一郎", "サトウ イチロウ", "090-0000-1002", "LINEを使ってみよう　第1会議室", at(15, 17),
                  default_script("offer", "LINEを使ってみよう", spoken_time(SESSION.starts_at), spoken_time(at(15, 17)))),
    ]
    return render_call_list(CENTRE, at(14, 9), entries, body_pt=body_pt)


def _signin(body_pt: int) -> bytes:
    rows = [SigninRow("山田 花子", "ヤマダ ハナコ", "iPhone", "大きな文字"), SigninRow("佐藤 一郎", "サトウ イチロウ", "Android", "やさしい日本語")]
    return render_signin_sheet(SESSION, "スマホの基本操作（電源・画面・ボタン・文字入力）", CENTRE, rows, body_pt=body_pt)


def _roster(body_pt: int) -> bytes:
    rows = [
        RosterSession(at(3, 10), at(3, 11, 30), "スマホの基本操作", "みどり台コミュニティセンター", "第1会議室", "田中 美咲", ("鈴木 太郎",), 2),
        RosterSession(at(17, 13, 30), at(17, 15), "LINEを使ってみよう", "みどり台コミュニティセンター", "和室", "", (), 1),
    ]
    return render_roster(CENTRE, 2026, 12, rows, body_pt=body_pt)


def _certificate(body_pt: int) -> bytes:
    activities = [Activity(date(2026, 5 + i, 10), "スマホの基本操作", "講師", 90) for i in range(4)]
    return render_certificate(CENTRE, "田中 美咲", "デジタル推進委員", 2026, activities, date(2026, 12, 1), "", body_pt=body_pt)


def _annual(body_pt: int) -> bytes:
    months = ("4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月", "1月", "2月", "3月")
    report = AnnualReport(
        centre=CENTRE,
        fiscal_year=2026,
        scope_label="全会場",
        prepared_on=date(2026, 12, 1),
        targets=(TargetRow("スマホ教室の延べ参加者数", 600, 420, "人"),),
        tables=(ReportTable("教室の実績（月別）", ("月", "開催回数", "延べ参加者数"), tuple((m, "8", "64") for m in months)),),
        monthly=(MonthlySeries("教室の開催回数と参加者数（月別）", "回・人", months, (("開催回数", (8,) * 12), ("延べ参加者数", (64,) * 12))),),
        breakdowns=(),
    )
    return render_annual_report(report, body_pt=body_pt)


def _lottery(body_pt: int) -> bytes:
    waiting = tuple(range(101, 121))
    notice = LotteryNotice("スマホの基本操作", ((at(17, 10), at(17, 11, 30)),), "みどり台コミュニティセンター 第1会議室",
                           35, 15, tuple(range(1, 16)), waiting, at(10, 17))
    return render_lottery_notice(CENTRE, notice, body_pt=body_pt)


# The resident's documents come in three registers; staff papers in two.
RESIDENT = {
    "handout": lambda pt, reg: render_handout(CATALOGUE["myna-hokensho"], CENTRE, SESSION, body_pt=pt, register=reg),
    "slips": _slips,
    "survey": lambda pt, reg: render_survey_sheets([survey_view.sheet(CATALOGUE["line-basics"], SESSION, reg)], CENTRE, pt),
}
STAFF_OR_BOTH = {
    "flyer": _flyer,
    "memo": _memo,
    "call_list": _calls,
    "signin": _signin,
    "roster": _roster,
    "certificate": _certificate,
    "annual_report": _annual,
    "lottery": _lottery,
}


@functools.cache
def document(name: str, body_pt: int, register: str) -> bytes:
    if name in RESIDENT:
        return RESIDENT[name](body_pt, register)
    with language("en" if register == "en" else "ja"):
        return STAFF_OR_BOTH[name](body_pt)


DOCS = [(n, pt, r) for n in RESIDENT for pt in SIZES for r in REGISTERS]
DOCS += [(n, pt, r) for n in STAFF_OR_BOTH for pt in SIZES for r in ("standard", "en")]


@functools.cache
def pages(pdf: bytes) -> list[dict]:
    out = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            chars = [c for c in page.chars if not c["text"].isspace()]
            out.append({"chars": chars, "lines": page.lines, "text": page.extract_text(), "height": float(page.height)})
    return out


def text_lines(chars: list[dict], tolerance: float = 2.0) -> list[list[dict]]:
    """Characters grouped into printed lines (same baseline), top to bottom, left to right."""
    rows: dict[float, list[dict]] = defaultdict(list)
    for c in sorted(chars, key=lambda c: c["bottom"]):
        key = next((k for k in rows if abs(k - c["bottom"]) <= tolerance and abs(rows[k][0]["size"] - c["size"]) < 0.5), c["bottom"])
        rows[key].append(c)
    return [sorted(rows[k], key=lambda c: c["x0"]) for k in sorted(rows)]


# Margins -------------------------------------------------------------------------


@pytest.mark.parametrize("name,body_pt,register", DOCS, ids=[f"{n}-{pt}-{r}" for n, pt, r in DOCS])
def test_every_page_keeps_its_text_inside_the_margins(name, body_pt, register):
    side, top, bottom = (SLOT_MARGIN, SLOT_MARGIN, SLOT_MARGIN) if name == "slips" else (MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM)
    for number, page in enumerate(pages(document(name, body_pt, register)), 1):
        assert page["chars"], f"page {number} is empty"
        for c in page["chars"]:
            where = f"page {number}: {c['text']!r}"
            assert side - 0.5 <= c["x0"] and c["x1"] <= A4[0] - side + 0.5, where
            assert top - 0.5 <= c["top"] and c["bottom"] <= page["height"] - bottom + 0.5, where


# Headings never end a page ----------------------------------------------------------

HANDOUT_CASES = [(lesson_id, pt, reg) for lesson_id in CATALOGUE for pt in SIZES for reg in ("standard",)]
HANDOUT_CASES += [(lesson_id, pt, "easy") for lesson_id, lesson in CATALOGUE.items() if lesson.easy for pt in SIZES]


@functools.cache
def handout(lesson_id: str, body_pt: int, register: str) -> bytes:
    return render_handout(CATALOGUE[lesson_id], CENTRE, SESSION, body_pt=body_pt, register=register)


@pytest.mark.parametrize("lesson_id,body_pt,register", HANDOUT_CASES, ids=[f"{i}-{p}-{r}" for i, p, r in HANDOUT_CASES])
def test_no_heading_is_stranded_at_the_foot_of_a_page(lesson_id, body_pt, register):
    heading_pt = body_pt + 8
    for number, page in enumerate(pages(handout(lesson_id, body_pt, register)), 1):
        # The footer sits under the rule across the page; the text above it is the body.
        rule = max(line["top"] for line in page["lines"] if line["x1"] - line["x0"] > A4[0] / 2)
        body = [c for c in page["chars"] if c["bottom"] < rule]
        last = text_lines(body)[-1]
        last_text = "".join(c["text"] for c in last)
        is_heading = all(abs(c["size"] - heading_pt) < 0.5 and "Bold" in c["fontname"] for c in last)
        assert not is_heading, f"page {number} ends with the heading {last_text!r}"


# Japanese line breaking -------------------------------------------------------------


@pytest.mark.parametrize("lesson_id,body_pt,register", HANDOUT_CASES, ids=[f"{i}-{p}-{r}" for i, p, r in HANDOUT_CASES])
def test_lines_keep_kinsoku_and_whole_words(lesson_id, body_pt, register):
    ruby_pt = body_pt / 2
    for page in pages(handout(lesson_id, body_pt, register)):
        lines = text_lines([c for c in page["chars"] if abs(c["size"] - ruby_pt) > 0.5])
        for line in lines:
            # A list item's bullet (・ □ ※ 1.) hangs in the indent: the text starts after it.
            text = re.sub(r"^(?:[・□※]|\d+\.)", "", "".join(c["text"] for c in line)) or "x"
            assert text[0] not in CLOSING, f"line starts with {text[0]!r}: {text}"
            assert text[-1] not in OPENING, f"line ends with {text[-1]!r}: {text}"
        for upper, lower in zip(lines, lines[1:]):
            # Words the issue saw split stay whole.
            joined = "".join(c["text"] for c in upper)[-4:] + "|" + "".join(c["text"] for c in lower)[:5]
            for word in ("文字入力", "コミュニティセンター", "みどり台", "マイナンバーカード", "健康保険証", "二次元コード"):
                for cut in range(1, len(word)):
                    assert f"{word[:cut]}|{word[cut:]}" not in joined, joined


def test_titles_wrap_at_budoux_phrase_boundaries():
    title = "マイナンバーカードの健康保険証利用の申込と、病院の受付で顔認証付きカードリーダーを使う練習"
    lesson = Lesson(
        id="long-title", order=0, title=title, level="応用", minutes=90, summary="練習します。", skills=(),
        objectives=("受付で使える",), steps=(Step("カードを置きます。"),) * 5, bring=("充電したスマートフォン",),
        guides=(Guide("マイナ保険証（厚生労働省）", "https://www.mhlw.go.jp/stf/newpage_08277.html"),),
    )
    allowed = set()
    at_ = 0
    for piece in segments(title):
        at_ += len(piece)
        allowed.add(at_)
    for body_pt in SIZES:
        first = pages(render_handout(lesson, CENTRE, body_pt=body_pt))[0]
        title_lines = [
            "".join(c["text"] for c in line)
            for line in text_lines(first["chars"])
            if all(abs(c["size"] - (body_pt + 12)) < 0.5 for c in line)
        ]
        assert "".join(title_lines) == title and len(title_lines) >= 2
        ends = [sum(len(t) for t in title_lines[: i + 1]) for i in range(len(title_lines) - 1)]
        assert set(ends) <= allowed, (title_lines, body_pt)


@given(hst.text(alphabet="あいうえおかきくけこ漢字練習「」（）。、ー・ッ 12ABab", min_size=1, max_size=80), hst.integers(3, 30))
@example("お 、、）", 3)  # a space before 「、」 once let the line start with it too early
def test_break_lines_fits_keeps_every_character_and_respects_kinsoku(text, width_em):
    register_fonts()
    size = 16.0

    def width_of(a: int, b: int) -> float:
        return stringWidth(text[a:b], FONT, size)

    room = width_em * size
    ranges = break_lines(text, width_of, [room])
    assert "".join(text[a:b] for a, b in ranges).replace(" ", "").replace("\u3000", "") == "".join(
        ch for ch in text if ch not in SPACES
    )
    for a, b in ranges:
        assert b - a <= 1 or width_of(a, b) <= room + 0.01
    # A break the rules forbid is only taken when a line could not be filled otherwise.
    for (a, b), (c, _d) in zip(ranges, ranges[1:]):
        if b > a and c < len(text) and text[c] in CLOSING:
            assert width_of(a, c + 1) > room


# English ------------------------------------------------------------------------------

WORD = re.compile(r"[A-Za-z]{2,}")


def _vocabulary() -> set[str]:
    from babel.messages.pofile import read_po

    with open("locales/en/LC_MESSAGES/sumaho.po", "rb") as f:
        texts = [m.string for m in read_po(f) if m.id and m.string]
    for lesson in CATALOGUE.values():
        text = lesson.text("en")
        texts += [text.title, text.short_title, text.summary, *text.bring, *text.remember, *text.objectives]
        texts += [s.text + " " + s.iphone + " " + s.android for s in text.steps] + [g.title for g in text.guides]
        texts += [text.slip.bring, text.slip.remember]
    with language("en"):
        texts += [format_date(date(2026, 1, 1) + timedelta(days=d)) for d in range(366)]
        texts += [format_time(at(1, h)) for h in (9, 13)]
        texts += [month_label(2026, m) for m in range(1, 13)]
    texts += ["Maria Santos", "LINE", "iPhone", "Android", "FY", "QR", "DENSO", "WAVE", "INCORPORATED"]
    return {w.lower() for t in texts for w in WORD.findall(t)}


@pytest.mark.parametrize("name,body_pt", [(n, pt) for n, pt, r in DOCS if r == "en"])
def test_english_printouts_never_split_a_word(name, body_pt):
    vocabulary = _vocabulary()
    for page in pages(document(name, body_pt, "en")):
        for line in page["text"].splitlines():
            for token in line.split():
                if re.search(r"https?:|[./=?&_#-]", token):
                    continue  # URLs break after / ? & = - _ . # on purpose (wrap_url)
                for word in WORD.findall(token):
                    assert word.lower() in vocabulary, f"{word!r} in {line!r}"


def test_english_dates_and_times_read_the_english_way():
    with language("en"):
        assert format_date(date(2026, 12, 17)) == "Thu 17 Dec 2026"
        assert format_time(at(17, 13, 30)) == "1:30 pm" and format_time(at(17, 9)) == "9:00 am"
        assert format_time(at(17, 12)) == "12:00 pm" and format_time(at(17, 0, 30)) == "12:30 am"
        assert format_time_range(at(17, 13, 30), at(17, 15)) == "Thu 17 Dec 2026, 1:30 pm – 3:00 pm"
        assert spoken_time(at(17, 13, 30)) == "Thu 17 Dec, 1:30 pm"
    text = pages(document("handout", 16, "en"))[0]["text"]
    assert "Thu 17 Dec 2026, 1:30 pm – 3:00 pm" in text


@pytest.mark.parametrize("name", ["handout", "flyer", "memo", "slips"])
def test_english_says_qr_code_with_the_denso_wave_notice(name):
    text = " ".join(p["text"] for p in pages(document(name, 16, "en")))
    if "QR code" in text:
        assert "QR Code is a registered trademark of DENSO WAVE INCORPORATED." in text.replace("\n", " ")


def test_roster_heading_and_slip_contact_read_as_english():
    roster = pages(document("roster", 16, "en"))[0]["text"]
    assert "Shift roster12" not in roster.replace("\n", "")
    slips = pages(document("slips", 16, "en"))[0]["text"].replace("\n", " ")
    assert "To change or cancel," in slips and "call" in slips and "Until" not in slips


# ふりがな ---------------------------------------------------------------------------------


@pytest.mark.parametrize("body_pt", SIZES)
@pytest.mark.parametrize("lesson_id", [i for i, l in CATALOGUE.items() if l.easy])
def test_ruby_sits_above_its_word_and_touches_nothing(lesson_id, body_pt):
    for page in pages(handout(lesson_id, body_pt, "easy")):
        # Base text is body, heading (+8) or title (+12) size above the footer rule
        # and 16 pt in the footer; ふりがな is half the size of the text it reads.
        rule = max(line["top"] for line in page["lines"] if line["x1"] - line["x0"] > A4[0] / 2)
        body_sizes = {body_pt, body_pt + 8, body_pt + 12}

        def is_base(c: dict) -> bool:
            sizes = body_sizes if c["top"] < rule else {16}
            return any(abs(c["size"] - s) < 0.3 for s in sizes)

        base = [c for c in page["chars"] if is_base(c)]
        ruby = [c for c in page["chars"] if not is_base(c)]
        kanji = [c for c in base if re.match(r"[\u4e00-\u9fff々]", c["text"])]
        assert ruby, "an easy handout prints ふりがな"

        def reads(r: dict, k: dict) -> bool:
            centre = (r["x0"] + r["x1"]) / 2
            return abs(r["size"] * 2 - k["size"]) < 0.5 and k["x0"] - k["size"] < centre < k["x1"] + k["size"] and 0 <= k["top"] - r["bottom"] < k["size"] * 0.5

        for r in ruby:
            # Over its word (a reading may span digits too: 「15日」 じゅうごにち).
            assert any(reads(r, b) for b in base), f"ruby {r['text']!r} at {r['x0']:.0f},{r['top']:.0f} has no word under it"
            for b in base:
                overlap_x = min(r["x1"], b["x1"]) - max(r["x0"], b["x0"])
                overlap_y = min(r["bottom"], b["bottom"]) - max(r["top"], b["top"])
                assert overlap_x <= 0.1 or overlap_y <= 0.1, (r["text"], b["text"])
        for line in text_lines(ruby):
            for left, right in zip(line, line[1:]):
                assert left["x1"] <= right["x0"] + 0.1, (left["text"], right["text"])
        for k in kanji:  # every kanji is read
            assert any(reads(r, k) for r in ruby), k["text"]
