"""The volunteers-and-schedule printouts — チラシ, 担当表, 活動証明書 — read back the
way residents, volunteers and staff meet them (DESIGN.md §8, issue 5).

Text and character boxes are extracted with pdfplumber, fonts read with pypdf, the
flyer's 二次元コード decoded with zxing-cpp from a pypdfium2 rendering. All names
and phone numbers are invented (090-0000-xxxx).
"""

from __future__ import annotations

import functools
import io
import random
import re
from datetime import date, datetime, timedelta, timezone

import pdfplumber
import pypdfium2 as pdfium
import pytest
import qrcode
import zxingcpp
from hypothesis import given
from hypothesis import strategies as hst
from pypdf import PdfReader
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth

from printouts.certificate import Activity, by_role, render_certificate, total_text, totals
from printouts.dates import duration, fiscal_year_label
from printouts.flyer import FlyerEntry, japanese_lines, month_label, render_flyer, seat_label
from printouts.layout import FONT, MARGIN_TOP, MARGIN_X, register_fonts
from printouts.model import Centre
from printouts.roster import RosterSession, helpers_missing, render_roster, staffing_gaps

JST = timezone(timedelta(hours=9))
MM = 72 / 25.4
DPI = 200
CENTRE = Centre("さくら市立中央公民館", "090-0000-5678")
URL = "https://www.city.sakura.example.jp/chuo-kominkan/sumaho/"


def at(day: int, hour: int, minute: int = 0, month: int = 12) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=JST)


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


@functools.cache
def pages_of(pdf: bytes) -> tuple[tuple[str, tuple[dict, ...], float, float], ...]:
    """Per page: (text in drawing order, non-space chars, width, height)."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        result = []
        for page in doc.pages:
            chars = tuple(c for c in page.chars if not c["text"].isspace())
            result.append(("".join(c["text"] for c in chars), chars, float(page.width), float(page.height)))
        return tuple(result)


def text_of(pdf: bytes) -> str:
    return "".join(text for text, *_ in pages_of(pdf))


def sized(pdf: bytes, text: str) -> list[list[dict]]:
    """Every run of chars spelling `text` (whitespace ignored), across pages."""
    found = []
    for _, chars, *_ in pages_of(pdf):
        stream = "".join(c["text"] for c in chars)
        found += [list(chars[m.start() : m.start() + len(compact(text))]) for m in re.finditer(re.escape(compact(text)), stream)]
    return found


# 月のチラシ -------------------------------------------------------------------

ENTRIES = [
    FlyerEntry("スマホの基本操作", "基礎", "電源の入れ方、画面の操作、文字の入力を練習します。",
               at(3, 10), at(3, 11, 30), "中央公民館", "第1会議室", 3),
    # Stored in UTC: 01:00Z is 10:00 on 12月10日 in Tokyo.
    FlyerEntry("LINEを始めよう", "基礎", "友だちの追加とメッセージ、写真の送り方。",
               datetime(2026, 12, 10, 1, 0, tzinfo=timezone.utc), datetime(2026, 12, 10, 2, 30, tzinfo=timezone.utc),
               "中央公民館", "第1会議室", None, "full"),
    FlyerEntry("マイナ保険証を使おう", "応用", "マイナンバーカードを保険証として使う登録をします。",
               at(17, 13, 30), at(17, 15), "北公民館", "和室", 5, "cancelled"),
    FlyerEntry("詐欺・迷惑電話から身を守る", "基礎", "よくある手口と、困ったときの相談先を知ります。",
               at(22, 10), at(22, 11, 30), "中央公民館", "第1会議室", 0),
]
# (date as printed, what is said about seats)
ENTRY_FACTS = [
    ("令和8年（2026年）12月3日（木）10:00〜11:30", "【残り3席】"),
    ("令和8年（2026年）12月10日（木）10:00〜11:30", "【満席】"),
    ("令和8年（2026年）12月17日（木）13:30〜15:00", "【中止】"),
    ("令和8年（2026年）12月22日（火）10:00〜11:30", "【満席】"),
]


def many_entries(count: int) -> list[FlyerEntry]:
    return [
        FlyerEntry(f"講座その{i + 1}", "基礎", "短い説明です。", at(1 + i % 28, 10 + i // 28 * 3), at(1 + i % 28, 11 + i // 28 * 3),
                   "中央公民館", "第1会議室", i % 4)
        for i in range(count)
    ]


@functools.cache
def flyer(body_pt: int = 16, count: int = 0, url: str = URL) -> bytes:
    entries = many_entries(count) if count else ENTRIES
    return render_flyer(CENTRE, 2026, 12, entries, url, body_pt=body_pt, booking_note="参加無料。電話でお申し込みください。")


def test_month_label_gives_both_calendars_and_the_first_era_year():
    assert month_label(2026, 12) == "令和8年（2026年）12月"
    assert month_label(2019, 5) == "令和元年（2019年）5月"
    assert month_label(2019, 4) == "平成31年（2019年）4月"
    with pytest.raises(ValueError):
        month_label(2026, 13)


@pytest.mark.parametrize("body_pt", [16, 20, 24])
def test_flyer_reads_title_dates_places_seats_and_booking(body_pt):
    text = text_of(flyer(body_pt))
    assert "令和8年（2026年）12月のスマホ教室" in text
    shown = [e for e in ENTRIES if compact(f"{e.title}［{e.level}］") in text]
    assert shown and shown == ENTRIES[: len(shown)]
    for entry, (when, seats) in zip(shown, ENTRY_FACTS):
        # The day, the times, then the title with its level and the seats, in this order.
        day = when.split("）", 1)[1]  # the title names the year: 「12月3日（木）10:00〜11:30」
        block = compact(f"{day}{entry.title}［{entry.level}］{seats}")
        assert block in text, block
    if len(shown) == len(ENTRIES):
        assert "会場：中央公民館第1会議室" in text and "会場：北公民館和室" in text
    else:
        assert f"ほかに{len(ENTRIES) - len(shown)}回あります" in text
    assert "お申し込み・お問い合わせ" in text and "電話" + CENTRE.phone in text
    assert "参加無料。電話でお申し込みください。" in text


def test_flyer_entries_print_in_date_order_whatever_the_input_order():
    shuffled = ENTRIES[:]
    random.Random(5).shuffle(shuffled)
    text = text_of(render_flyer(CENTRE, 2026, 12, shuffled, URL))
    positions = [text.index(compact(when.split("）", 1)[1])) for when, _ in ENTRY_FACTS]
    assert positions == sorted(positions)


def test_flyer_prints_the_phone_very_large_and_titles_bold():
    pdf = flyer()
    phones = [run for run in sized(pdf, CENTRE.phone) if all(c["size"] >= 28 for c in run)]
    assert phones, "the booking box prints the phone in ≥ 28 pt"
    title = sized(pdf, "令和8年（2026年）12月のスマホ教室")[0]
    assert all(c["size"] >= 24 and "Bold" in c["fontname"] for c in title)
    lesson = sized(pdf, ENTRIES[0].title)[0]
    assert all(c["size"] >= 16 and "Bold" in c["fontname"] for c in lesson)


def test_seat_words_follow_status_and_count():
    base = ENTRIES[0]
    assert seat_label(base) == "残り3席"
    assert seat_label(FlyerEntry(**{**base.__dict__, "seats_left": 0})) == "満席"
    assert seat_label(FlyerEntry(**{**base.__dict__, "status": "full"})) == "満席"
    assert seat_label(FlyerEntry(**{**base.__dict__, "status": "cancelled", "seats_left": 4})) == "中止"
    assert seat_label(FlyerEntry(**{**base.__dict__, "seats_left": None})) == ""
    for bad in ({"status": "postponed"}, {"seats_left": -1}):
        with pytest.raises(ValueError):
            seat_label(FlyerEntry(**{**base.__dict__, **bad}))


def qr_modules(url: str) -> int:
    """Side of `url`'s code in modules, 4-module quiet zone included, computed independently."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4)
    code.add_data(url)
    code.make(fit=True)
    return len(code.get_matrix())


def decode_codes(pdf: bytes, page: int = 0) -> list[tuple[str, float, float, float, float]]:
    """(text, left, top, right, bottom in pt) of every 二次元コード on `page`."""
    scale = DPI / 72
    image = pdfium.PdfDocument(pdf)[page].render(scale=scale).to_pil()
    found = []
    for code in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode):
        p = code.position
        xs = [pt.x / scale for pt in (p.top_left, p.top_right, p.bottom_left, p.bottom_right)]
        ys = [pt.y / scale for pt in (p.top_left, p.top_right, p.bottom_left, p.bottom_right)]
        found.append((code.text, min(xs), min(ys), max(xs), max(ys)))
    return found


@pytest.mark.parametrize("body_pt", [16, 24])
def test_flyer_code_decodes_to_the_centre_url_printed_beside_it(body_pt):
    pdf = flyer(body_pt)
    codes = decode_codes(pdf)
    assert [code[0] for code in codes] == [URL]
    _, left, top, right, bottom = codes[0]
    # The finder patterns span the code less its 4-module quiet zone each side.
    modules = qr_modules(URL)
    assert (right - left) * modules / (modules - 8) >= 30 * MM - 1
    _, chars, *_ = pages_of(pdf)[0]
    # The column right of the code, down to the first text below it that starts
    # left of the code's edge (the schedule).
    band_end = min(c["top"] for c in chars if c["top"] > bottom and c["x0"] < right)
    beside = "".join(c["text"] for c in chars if c["x0"] > right and c["top"] < band_end)
    assert "ホームページ（二次元コード）" in beside
    assert URL in compact(beside)
    quiet = 4 * (right - left) / (modules - 8)
    assert not [c for c in chars if c["x1"] > left - quiet and c["x0"] < right + quiet
                and c["bottom"] > top - quiet and c["top"] < bottom + quiet], "text inside the quiet zone"


def test_flyer_without_url_has_no_code_and_still_the_phone():
    pdf = flyer(16, 0, "")
    assert decode_codes(pdf) == []
    text = text_of(pdf)
    assert "二次元コード" not in text and "http" not in text
    assert "お申し込み・お問い合わせ" in text and "電話" + CENTRE.phone in text


def test_eight_sessions_fit_one_sheet_at_16_pt_with_every_title():
    pdf = flyer(16, 8)
    pages = pages_of(pdf)
    assert len(pages) == 1  # a 広報紙 insert or a notice board needs one sheet (issue 14)
    text = text_of(pdf)
    for entry in many_entries(8):
        assert text.count(compact(f"{entry.title}［基礎］")) == 1, entry.title
    assert "ほかに" not in text and "お申し込み・お問い合わせ" in text


@pytest.mark.parametrize("body_pt", [16, 20, 24])
def test_more_sessions_than_fit_stay_on_one_sheet_and_say_where_the_rest_are(body_pt):
    pdf = flyer(body_pt, 20)
    assert len(pages_of(pdf)) == 1
    text = text_of(pdf)
    shown = [e for e in many_entries(20) if compact(f"{e.title}［基礎］") in text]
    assert shown == many_entries(20)[: len(shown)] and shown  # the first ones, in date order
    assert f"ほかに{20 - len(shown)}回あります" in text and "お電話" in text


def english_catalogue_flyer(body_pt: int) -> tuple[bytes, list[str]]:
    """The 8 first catalogue lessons in English, whose titles run to 60 letters."""
    import lessons
    from locales import language

    texts = [lesson.text("en") for lesson in list(lessons.load_catalogue().values())[:8]]
    entries = [FlyerEntry(t.title, "基礎", t.summary, at(1 + 3 * i, 10), at(1 + 3 * i, 11, 30), "中央公民館", "第1会議室", 2)
               for i, t in enumerate(texts)]
    with language("en"):
        return render_flyer(CENTRE, 2026, 12, entries, URL, body_pt=body_pt), [t.title for t in texts]


def test_an_english_flyer_puts_a_long_time_under_its_date_to_show_more_sessions():
    # "10:00 am – 11:30 am" beside the date left the titles a column a third of the
    # page wide, four lines a session: two of eight sessions fitted at 16 pt.
    pdf, titles = english_catalogue_flyer(16)
    assert len(pages_of(pdf)) == 1
    text = text_of(pdf)
    shown = [t for t in titles if compact(t) in text]
    assert shown == titles[: len(shown)] and len(shown) >= 4, shown
    assert compact(f"{8 - len(shown)} more sessions this month") in text


def test_the_rest_line_names_the_web_page_only_when_the_flyer_has_one():
    assert "ホームページ" in text_of(flyer(16, 20)).split("ほかに", 1)[1]
    rest = text_of(flyer(16, 20, "")).split("ほかに", 1)[1]
    assert "お電話" in rest and "ホームページ" not in rest


def test_summaries_print_only_where_they_fit_one_line():
    long = FlyerEntry(**{**many_entries(1)[0].__dict__, "summary": "とても長い説明。" * 12})
    text = text_of(render_flyer(CENTRE, 2026, 12, [long, *many_entries(3)[1:]], URL))
    assert "とても長い説明" not in text and "短い説明です。" in text


def test_flyer_shows_a_shared_place_once_above_the_table():
    text = text_of(flyer(16, 3))
    assert text.count("中央公民館第1会議室") == 1 and "会場：中央公民館第1会議室日にち時間帯講座" in text


def test_empty_month_prints_a_friendly_line_and_the_booking_box():
    pdf = render_flyer(CENTRE, 2027, 1, [], URL)
    text = text_of(pdf)
    assert len(pages_of(pdf)) == 1
    assert "令和9年（2027年）1月のスマホ教室" in text
    assert "予定がありません" in text and "日にち" not in text
    assert "電話" + CENTRE.phone in text
    assert [code[0] for code in decode_codes(pdf)] == [URL]


def test_flyer_refuses_sessions_outside_the_month_and_naive_times():
    late = FlyerEntry(**{**ENTRIES[0].__dict__, "starts_at": at(1, 10, month=11), "ends_at": at(1, 11, month=11)})
    with pytest.raises(ValueError):
        render_flyer(CENTRE, 2026, 12, [late], URL)
    # 2026-11-30 15:30 UTC is 12月1日 0:30 in Tokyo: it belongs to December.
    utc = FlyerEntry(**{**ENTRIES[0].__dict__, "starts_at": datetime(2026, 11, 30, 15, 30, tzinfo=timezone.utc),
                        "ends_at": datetime(2026, 11, 30, 16, 30, tzinfo=timezone.utc)})
    assert "12月1日（火）0:30〜1:30" in text_of(render_flyer(CENTRE, 2026, 12, [utc], URL))
    naive = FlyerEntry(**{**ENTRIES[0].__dict__, "starts_at": datetime(2026, 12, 3, 10), "ends_at": datetime(2026, 12, 3, 11)})
    with pytest.raises(ValueError):
        render_flyer(CENTRE, 2026, 12, [naive], URL)


# 担当表 -------------------------------------------------------------------------

ROSTER = [
    RosterSession(at(3, 10), at(3, 11, 30), "スマホの基本操作", "中央公民館", "第1会議室",
                  "山田 花子", ("佐藤 一郎", "鈴木 美智子"), 2),
    RosterSession(at(5, 13, 30), at(5, 15), "LINEを始めよう", "中央公民館", "視聴覚室", "", ("高橋 健",), 2),
    RosterSession(at(8, 10), at(8, 11, 30), "マイナ保険証を使おう", "北公民館", "和室", "田中 和子", (), 1),
    RosterSession(at(12, 10), at(12, 11, 30), "詐欺・迷惑電話から身を守る", "中央公民館", "第1会議室",
                  "", (), 2, "cancelled"),
]


@functools.cache
def roster(body_pt: int = 16, count: int = 0) -> bytes:
    rows = ROSTER if not count else [
        RosterSession(at(1 + i % 28, 10 + i // 28 * 3), at(1 + i % 28, 11 + i // 28 * 3), f"講座その{i + 1}",
                      "中央公民館", "第1会議室", f"講師{i:02d} 太郎", (f"補助{i:02d} 花子",), 1 + i % 3)
        for i in range(count)
    ]
    return render_roster(CENTRE, 2026, 12, rows, body_pt=body_pt)


def test_staffing_gaps_in_words():
    full, no_lead, short, cancelled = ROSTER
    assert staffing_gaps(full) == []
    assert staffing_gaps(no_lead) == ["講師未定", "補助あと1名"]
    assert staffing_gaps(short) == ["補助あと1名"]
    assert staffing_gaps(cancelled) == []
    with pytest.raises(ValueError):
        staffing_gaps(RosterSession(at(3, 10), at(3, 11), "x", "v", "r", "a", (), -1))
    with pytest.raises(ValueError):
        staffing_gaps(RosterSession(at(3, 10), at(3, 11), "x", "v", "r", "a", (), 0, "held"))


@given(needed=hst.integers(0, 6), helpers=hst.lists(hst.sampled_from(["佐藤 一郎", "鈴木 美智子", " "]), max_size=6))
def test_helpers_missing_counts_named_helpers_only(needed, helpers):
    row = RosterSession(at(3, 10), at(3, 11), "x", "v", "r", "山田 花子", tuple(helpers), needed)
    named = len([h for h in helpers if h.strip()])
    assert helpers_missing(row) == max(0, needed - named)
    assert (helpers_missing(row) > 0) == any(gap.startswith("補助あと") for gap in staffing_gaps(row))


@pytest.mark.parametrize("body_pt", [16, 20, 24])
def test_roster_marks_gaps_in_words_next_to_the_session(body_pt):
    text = text_of(roster(body_pt))
    assert "令和8年（2026年）12月の担当表" in text
    assert "講師未定1回・補助不足2回" in text
    # Each session: its date, then the lesson, then its staffing, in reading order.
    full = text.index("令和8年（2026年）12月3日（木）10:00〜11:30")
    no_lead = text.index("令和8年（2026年）12月5日（土）13:30〜15:00")
    short = text.index("令和8年（2026年）12月8日（火）10:00〜11:30")
    cancelled = text.index("令和8年（2026年）12月12日（土）10:00〜11:30")
    assert full < no_lead < short < cancelled
    assert "不足" not in text[full:no_lead] and "講師：山田花子補助：佐藤一郎、鈴木美智子" in text[full:no_lead]
    assert "【不足】講師未定・補助あと1名講師：未定補助：高橋健" in text[no_lead:short]
    assert "【不足】補助あと1名講師：田中和子補助：なし" in text[short:cancelled]
    assert "【中止】詐欺・迷惑電話から身を守る" in text[cancelled:] and "不足" not in text[cancelled:]


def test_roster_prints_no_phone_number_but_the_centre_footer():
    text = text_of(roster())
    phones = re.findall(r"\d{2,4}-\d{2,4}-\d{3,4}", text)
    assert phones and set(phones) == {CENTRE.phone}
    assert len(phones) == len(pages_of(roster()))  # one per footer


def test_roster_of_forty_sessions_flows_with_the_header_on_every_page():
    pdf = roster(16, 40)
    pages = pages_of(pdf)
    assert len(pages) >= 3
    for text, *_ in pages:
        assert "日時講座・会場担当" in text
    text = text_of(pdf)
    for i in range(40):
        assert text.count(f"講座その{i + 1}中央") == 1  # the title, then its place


def test_empty_roster_says_so():
    text = text_of(render_roster(CENTRE, 2026, 12, []))
    assert "この月の教室はありません。" in text and "不足なし" in text and "日時" not in text


def test_roster_refuses_sessions_outside_the_month():
    with pytest.raises(ValueError):
        render_roster(CENTRE, 2026, 11, ROSTER)


# 活動証明書 ---------------------------------------------------------------------

ACTIVITIES = [
    Activity(date(2026, 4, 12), "スマホの基本操作", "講師", 90),
    Activity(date(2027, 3, 2), "LINEを始めよう", "補助", 60),
    Activity(date(2026, 10, 6), "マイナ保険証を使おう", "補助", 90),
]
ISSUED = date(2027, 4, 10)
ISSUER = "さくら市立中央公民館長　中村 勝"


def many_activities(count: int) -> list[Activity]:
    return [Activity(date(2026, 4, 1) + timedelta(days=7 * i), f"講座その{i + 1}", "補助" if i % 3 else "講師", 30 + 15 * (i % 5))
            for i in range(count)]


@functools.cache
def certificate(body_pt: int = 16, count: int = 0, name: str = "山田 花子") -> bytes:
    activities = many_activities(count) if count else ACTIVITIES
    return render_certificate(CENTRE, name, "デジタル推進委員", 2026, activities, ISSUED, ISSUER, body_pt=body_pt)


def test_fiscal_year_label_in_both_calendars():
    assert fiscal_year_label(2026) == "令和8年度（2026年度）"
    assert fiscal_year_label(2020) == "令和2年度（2020年度）"
    # 令和元年度, not 平成31年度: 関係省庁連絡会議申合せ (2019-04-01) names the whole
    # fiscal year after the new era once it is in force.
    assert fiscal_year_label(2019) == "令和元年度（2019年度）"


def test_durations_and_totals():
    assert duration(90) == "1時間30分"
    assert duration(240) == "4時間00分"
    assert duration(45) == "45分"
    assert totals(ACTIVITIES) == (3, 240)
    assert total_text(ACTIVITIES) == "合計 3回 4時間00分"
    assert by_role(ACTIVITIES) == [("講師", 1, 90), ("補助", 2, 150)]
    with pytest.raises(ValueError):
        duration(-1)


@given(hst.lists(hst.integers(1, 600), min_size=1, max_size=60))
def test_total_text_adds_up(minutes):
    activities = [Activity(date(2026, 5, 1), "x", "補助", m) for m in minutes]
    count, hours, mins = map(int, re.fullmatch(r"合計 (\d+)回 (?:(\d+)時間)?(\d+)分", total_text(activities)).groups(default="0"))
    assert count == len(minutes) and hours * 60 + mins == sum(minutes) and mins < 60


@pytest.mark.parametrize("body_pt", [16, 20, 24])
def test_certificate_states_who_what_when_and_who_certifies_on_page_1(body_pt):
    pages = pages_of(certificate(body_pt))
    first = pages[0][0]
    for part in (
        "活動証明書",
        "山田花子様（デジタル推進委員）",
        "上記の者は、令和8年度（2026年度）において、下記のとおりデジタル活用支援の活動に従事したことを証明します。",
        "記",
        "活動合計3回4時間00分",
        "内訳講師1回1時間30分補助2回2時間30分",
        "以上",
        "令和9年（2027年）4月10日（土）",
        "さくら市立中央公民館さくら市立中央公民館長中村勝",
        "印",
    ):
        assert compact(part) in first, part
    assert all(c["size"] >= 24 for c in sized(certificate(body_pt), "活動証明書")[0])


def test_certificate_lists_every_activity_in_date_order_with_its_time():
    text = text_of(certificate())
    rows = [
        "令和8年（2026年）4月12日（日）スマホの基本操作講師1時間30分",
        "令和8年（2026年）10月6日（火）マイナ保険証を使おう補助1時間30分",
        "令和9年（2027年）3月2日（火）LINEを始めよう補助1時間00分",
    ]
    positions = [text.index(compact(row)) for row in rows]
    assert positions == sorted(positions)
    assert compact("合計 3回 4時間00分") in text[positions[-1]:]  # the table's last row


@pytest.mark.parametrize("body_pt", [16, 24])
def test_many_activities_flow_with_caption_and_header_on_every_page_and_the_total_on_page_1(body_pt):
    pdf = certificate(body_pt, 50)
    pages = pages_of(pdf)
    assert len(pages) >= 3
    expected = total_text(many_activities(50))
    assert compact(expected) in pages[0][0] and "印" in pages[0][0]
    table_pages = [text for text, *_ in pages if "活動の明細" in text]
    assert len(table_pages) == len(pages) - (0 if "活動の明細" in pages[0][0] else 1)
    for text in table_pages:
        assert "活動の明細日付・講座役割時間" in text
    text = text_of(pdf)
    for activity in many_activities(50):
        assert text.count(compact(activity.lesson_title) + activity.role) == 1, activity
    assert compact(expected) in pages[-1][0]  # the detail table ends with the total


def test_certificate_issuer_stays_on_page_1_with_a_long_name_at_24_pt():
    first = pages_of(certificate(24, 0, "長谷川 まさこ エリザベス"))[0][0]
    assert "長谷川まさこエリザベス様" in first and "中村勝" in first and "印" in first


@pytest.mark.parametrize(
    "activities,issued",
    [
        ([], ISSUED),
        ([Activity(date(2026, 3, 31), "x", "補助", 60)], ISSUED),  # fiscal year 2025
        ([Activity(date(2027, 4, 1), "x", "補助", 60)], date(2027, 5, 1)),  # fiscal year 2027
        ([Activity(date(2026, 6, 1), "x", "補助", 0)], ISSUED),
        ([Activity(date(2026, 6, 1), "x", "補助", 60)], date(2026, 5, 31)),  # issued before it happened
    ],
)
def test_certificate_refuses_what_it_cannot_certify(activities, issued):
    with pytest.raises(ValueError):
        render_certificate(CENTRE, "山田 花子", "", 2026, activities, issued, "")


def test_certificate_without_kind_or_separate_issuer():
    text = text_of(render_certificate(CENTRE, "山田 花子", "", 2026, ACTIVITIES, ISSUED, ""))
    assert "山田花子様上記の者は" in text
    assert text.count(compact(CENTRE.name)) >= 2  # issuer and footer


# All three -----------------------------------------------------------------------

DOCUMENTS = {
    "flyer": lambda pt: flyer(pt, 20),
    "flyer_empty": lambda pt: render_flyer(CENTRE, 2026, 12, [], "", body_pt=pt),
    "roster": lambda pt: roster(pt, 40),
    "roster_small": roster,
    "certificate": lambda pt: certificate(pt, 50),
    "certificate_small": certificate,
}
CASES = [(name, pt) for name in DOCUMENTS for pt in (16, 20, 24)]


@pytest.mark.parametrize("name,body_pt", CASES)
def test_every_character_is_on_the_page_inside_the_margins_and_at_least_16_pt(name, body_pt):
    for number, (_, chars, width, height) in enumerate(pages_of(DOCUMENTS[name](body_pt)), 1):
        assert chars
        for c in chars:
            where = f"page {number}: {c['text']!r}"
            assert 0 <= c["x0"] and c["x1"] <= width and 0 <= c["top"] and c["bottom"] <= height, where
            assert MARGIN_X - 0.5 <= c["x0"] and c["x1"] <= A4[0] - MARGIN_X + 0.5, where
            assert c["top"] >= MARGIN_TOP - 0.5, where
            assert c["size"] >= 16 - 0.01, where


@pytest.mark.parametrize("name,body_pt", [(name, 16) for name in DOCUMENTS])
def test_fonts_are_embedded_biz_ud_gothic_and_never_helvetica(name, body_pt):
    pdf = DOCUMENTS[name](body_pt)
    assert b"Helvetica" not in pdf
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"]["/Font"].values():
            assert "BIZUDPGothic" in ref.get_object()["/BaseFont"]


@pytest.mark.parametrize("render", [
    lambda pt: render_flyer(CENTRE, 2026, 12, ENTRIES, URL, body_pt=pt),
    lambda pt: render_roster(CENTRE, 2026, 12, ROSTER, body_pt=pt),
    lambda pt: render_certificate(CENTRE, "山田 花子", "", 2026, ACTIVITIES, ISSUED, "", body_pt=pt),
])
def test_body_sizes_other_than_16_20_24_raise(render):
    for bad in (12, 18, 32):
        with pytest.raises(ValueError):
            render(bad)


def test_japanese_lines_keep_brackets_dates_and_words_whole():
    register_fonts()
    title = "スマホの基本操作（電源・画面・ボタン・文字入力）［基本］"
    lines = japanese_lines(title, FONT, 16, 11 * 16)
    assert "".join(lines) == title and len(lines) > 1
    assert not any(line.endswith(("（", "［", "【")) or line.startswith(("）", "］", "・", "、")) for line in lines)
    period = "令和8年（2026年）4月1日（水）〜令和9年（2027年）3月31日（水）"
    lines = japanese_lines(period, FONT, 24, 16 * 24)
    assert lines == ["令和8年（2026年）4月1日（水）〜", "令和9年（2027年）3月31日（水）"]


@given(hst.text(alphabet="あいうアイウ漢字（）「」、。・ 0123456789abcXYZ〜ー", min_size=1, max_size=80),
       hst.integers(4, 30))
def test_japanese_lines_fit_and_lose_only_the_spaces_they_break_at(text, width_em):
    register_fonts()
    lines = japanese_lines(text, FONT, 16, width_em * 16)
    assert compact("".join(lines)) == compact(text)
    for line in lines:
        assert stringWidth(line, FONT, 16) <= width_em * 16 or len(line) == 1
