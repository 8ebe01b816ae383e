"""The session-desk printouts — 受付名簿, 電話連絡リスト, 予約票 — read back the way
staff meet them (DESIGN.md §7, §8, issue 4).

Text and character sizes are extracted with pdfplumber, fonts read with pypdf.
All names and phone numbers are invented (090-0000-xxxx).
"""

from __future__ import annotations

import functools
import io
import re
import unicodedata
from datetime import datetime, timedelta, timezone

import pdfplumber
import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4

import lessons
from printouts.booking_slip import SLOT_MARGIN, SlipItem, render_booking_slips, slips_per_sheet
from printouts.call_list import CallEntry, default_script, grouped, render_call_list, spoken_time
from printouts.dates import format_time_range
from printouts.desk import kana_key, spaced_when
from printouts.layout import MARGIN_TOP, MARGIN_X
from printouts.model import Centre, SessionInfo
from printouts.signin_sheet import SigninRow, device_label, render_signin_sheet

JST = timezone(timedelta(hours=9))
CENTRE = Centre("さくら市立中央公民館", "03-0000-5678")
SESSION = SessionInfo(
    datetime(2026, 12, 3, 10, 0, tzinfo=JST), datetime(2026, 12, 3, 11, 30, tzinfo=JST), "第1会議室", "中央公民館"
)
WHEN = "令和8年（2026年）12月3日（木）10:00〜11:30"
LESSON_TITLE = "スマホの基本操作（電源の入れ方から文字入力まで）"

ROWS = [
    SigninRow("山田 花子", "ヤマダ ハナコ", "iPhone", "大きな文字"),
    SigninRow("佐藤 一郎", "さとう いちろう", "Android"),  # hiragana フリガナ sorts as katakana
    SigninRow("鈴木 美智子", "スズキ ミチコ", "らくらくスマホ", "補聴器（右耳）"),
    SigninRow("高橋 健", "タカハシ ケン", "iPhone", "", "offered"),
    SigninRow("田中 和子", "タナカ カズコ", "Android", "車いす。出入口の近くの席"),
    SigninRow("伊藤 正雄", "イトウ マサオ", "なし"),
    SigninRow("渡辺 節子", "ワタナベ セツコ", "iPhone"),
    SigninRow("小林 茂", "コバヤシ シゲル", "携帯電話", "初めての参加"),
    SigninRow("加藤 幸子", "カトウ サチコ", "Android", "老眼鏡を忘れやすい"),
    SigninRow("吉田 清", "ヨシダ キヨシ", "iPhone", "", "attended"),
    SigninRow("山本 恵子", "ﾔﾏﾓﾄ ｹｲｺ", "Android"),  # half-width katakana
    SigninRow("中村 勝", "ナカムラ マサル", "iPhone", "英語での説明を希望"),
    SigninRow("林 和夫", "ハヤシ カズオ", "Android"),
    SigninRow("松本 千代", "マツモト チヨ", "iPhone"),
]
PHONES = {row.name: f"090-0000-{1000 + i:04d}" for i, row in enumerate(ROWS)}
GROUP_OF = {"iPhone": "iPhone", "Android": "Android"}  # everything else: その他
HEADINGS = {"iPhone": "iPhoneの方", "Android": "Androidの方", "その他": "その他の方"}

DEADLINE_EARLY = datetime(2026, 12, 1, 12, 0, tzinfo=JST)
DEADLINE_LATE = datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc)  # 17:00 in Tokyo
LABEL = f"スマホの基本操作　{spaced_when(SESSION.starts_at, SESSION.ends_at)}　中央公民館 第1会議室"


def call(kind: str, name: str, kana: str, deadline: datetime | None = None) -> CallEntry:
    when = spoken_time(SESSION.starts_at)
    script = default_script(kind, "スマホの基本操作", when, spoken_time(deadline) if deadline else "")
    return CallEntry(kind, name, kana, PHONES[name], LABEL, deadline, script)


CALLS = [
    call("reminder", "山田 花子", "ヤマダ ハナコ"),
    call("offer", "鈴木 美智子", "スズキ ミチコ", DEADLINE_LATE),
    call("reminder", "佐藤 一郎", "サトウ イチロウ"),
    call("cancelled", "田中 和子", "タナカ カズコ"),
    call("offer", "高橋 健", "タカハシ ケン", DEADLINE_EARLY),
    call("change", "伊藤 正雄", "イトウ マサオ"),
]
GENERATED = datetime(2026, 11, 30, 15, 0, tzinfo=JST)
CALL_HEADINGS = {
    "cancelled": "中止のお知らせ",
    "change": "変更のお知らせ",
    "offer": "繰り上げのご連絡（期限つき）",
    "reminder": "明日のご案内",
}

MYNA = lessons.catalogue()["myna-app"]
SHORT = lessons.catalogue()["web-search"]


@functools.cache
def signin(body_pt: int = 16, count: int = 0) -> bytes:
    rows = ROWS if not count else many_rows(count)
    return render_signin_sheet(SESSION, LESSON_TITLE, CENTRE, rows, body_pt=body_pt)


def many_rows(count: int) -> list[SigninRow]:
    kana = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ"
    devices = ("iPhone", "Android", "らくらくスマホ", "iPhone", "Android", "なし")
    return [SigninRow(f"受講者{i:02d} 太郎", f"{kana[i % len(kana)]}テスト {i:02d}", devices[i % 6]) for i in range(count)]


@functools.cache
def call_list(body_pt: int = 16) -> bytes:
    return render_call_list(CENTRE, GENERATED, CALLS, body_pt=body_pt)


@functools.cache
def slip(body_pt: int = 16, lesson_id: str = "myna-app") -> bytes:
    return render_booking_slips([SlipItem(lessons.catalogue()[lesson_id], SESSION, "山田 花子")], CENTRE, body_pt=body_pt)


DOCUMENTS = {"signin": signin, "call_list": call_list, "slip": slip}
CASES = [(name, pt) for name in DOCUMENTS for pt in (16, 20, 24)]


@functools.cache
def read(name: str, body_pt: int) -> tuple[tuple[str, tuple[dict, ...]], ...]:
    """Per page: (text, non-space chars in stream order)."""
    with pdfplumber.open(io.BytesIO(DOCUMENTS[name](body_pt))) as pdf:
        return tuple(
            (page.extract_text(), tuple(c for c in page.chars if not c["text"].isspace())) for page in pdf.pages
        )


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def font_size(c: dict) -> float:
    """A character's font size in pt; pdfplumber gives a turned character's
    advance as its size, and its font size as its width."""
    return c["size"] if c["upright"] else c["x1"] - c["x0"]


def all_text(name: str, body_pt: int = 16) -> str:
    return compact("".join(text for text, _ in read(name, body_pt)))


def stream(name: str, body_pt: int = 16) -> str:
    """Every printed character in drawing order: a table cell's wrapped lines stay together."""
    return "".join(c["text"] for _, chars in read(name, body_pt) for c in chars)


def lines(name: str, body_pt: int = 16) -> list[str]:
    """Every printed line, compacted, page after page (footers included)."""
    return [compact(line) for text, _ in read(name, body_pt) for line in text.splitlines()]


@pytest.mark.parametrize("name,body_pt", CASES)
def test_fonts_are_embedded_biz_ud_gothic_and_never_helvetica(name, body_pt):
    pdf = DOCUMENTS[name](body_pt)
    assert b"Helvetica" not in pdf
    for page in PdfReader(io.BytesIO(pdf)).pages:
        fonts = page["/Resources"]["/Font"]
        assert fonts
        for ref in fonts.values():
            font = ref.get_object()
            assert "BIZUDPGothic" in font["/BaseFont"]
            descendants = font.get("/DescendantFonts")
            for face in [d.get_object() for d in descendants] if descendants else [font]:
                assert "/FontFile2" in face["/FontDescriptor"].get_object()


@pytest.mark.parametrize("name,body_pt", CASES)
def test_every_character_is_at_least_16_pt_and_inside_the_margins(name, body_pt):
    # Slips are cut apart: each keeps SLOT_MARGIN inside its own A6/A5 place.
    margin_x, margin_top = (SLOT_MARGIN, SLOT_MARGIN) if name == "slip" else (MARGIN_X, MARGIN_TOP)
    for _, chars in read(name, body_pt):
        assert chars
        for c in chars:
            assert font_size(c) >= 16 - 0.01, c["text"]
            assert margin_x - 0.5 <= c["x0"] and c["x1"] <= A4[0] - margin_x + 0.5, c["text"]
            assert c["top"] >= margin_top - 0.5, c["text"]


@pytest.mark.parametrize("name,body_pt", [case for case in CASES if case[0] != "slip"])
def test_footer_on_every_page(name, body_pt):
    pages = read(name, body_pt)
    for number, (text, _) in enumerate(pages, 1):
        text = compact(text)
        assert compact(CENTRE.name) in text and CENTRE.phone in text
        assert f"{number}/{len(pages)}ページ" in text


@pytest.mark.parametrize("render", [signin, call_list, slip])
def test_body_sizes_other_than_16_20_24_raise(render):
    for bad in (12, 17, 18, 32):
        with pytest.raises(ValueError):
            render.__wrapped__(bad)


# 受付名簿 ---------------------------------------------------------------------


@pytest.mark.parametrize("body_pt", [16, 20, 24])
def test_signin_sheet_has_title_date_room_names_devices_and_needs(body_pt):
    text = stream("signin", body_pt)
    for part in ("受付名簿", LESSON_TITLE, WHEN, format_time_range(SESSION.starts_at, SESSION.ends_at), "中央公民館", "第1会議室"):
        assert compact(part) in text, part
    assert "合計14名（iPhone6名・Android5名・その他3名）" in text
    for row in ROWS:
        assert compact(row.name) in text
        assert compact(f"（{unicodedata.normalize('NFKC', row.name_kana)}）") in text
        if row.needs:
            assert compact(row.needs) in text
    assert "（ヤマモトケイコ）" in text  # half-width フリガナ printed full-width
    for device in ("iPhone", "Android", "らくらくスマホ", "携帯電話", "貸出機"):
        assert device in text
    assert "【繰り上げ連絡中】" in text and "【出席済】" in text
    # One pen-sized check box per attendee, labelled 出席.
    assert text.count("□出席") == len(ROWS)


def test_signin_sheet_prints_no_phone_numbers():
    text = all_text("signin")
    for phone in PHONES.values():
        assert phone not in text
    # The centre's own number in the footer is the only phone number on the sheet.
    assert set(re.findall(r"\d{2,4}-\d{2,4}-\d{4}", text)) == {CENTRE.phone}


@pytest.mark.parametrize("body_pt", [16, 20, 24])
def test_signin_rows_are_under_their_group_heading_in_furigana_order(body_pt):
    names = {compact(row.name): row for row in ROWS}
    current = None
    seen: dict[str, list[SigninRow]] = {"iPhone": [], "Android": [], "その他": []}
    headings_seen = []
    for line in lines("signin", body_pt):
        for group, heading in HEADINGS.items():
            if line.startswith(heading):
                current = group
                headings_seen.append(group)
        for name, row in names.items():
            if name in line:
                assert current == GROUP_OF.get(row.device, "その他"), (row.name, current)
                if row not in seen[current]:
                    seen[current].append(row)
    assert headings_seen[0] == "iPhone"
    assert [g for i, g in enumerate(headings_seen) if g not in headings_seen[:i]] == ["iPhone", "Android", "その他"]
    for group, rows in seen.items():
        assert rows == sorted(rows, key=lambda r: kana_key(r.name_kana, r.name)), group
        assert len(rows) == sum(GROUP_OF.get(r.device, "その他") == group for r in ROWS)
    # Hiragana and half-width フリガナ sort with katakana.
    assert [r.name for r in seen["Android"]] == ["加藤 幸子", "佐藤 一郎", "田中 和子", "林 和夫", "山本 恵子"]


def test_group_headings_carry_counts():
    text = all_text("signin")
    assert "iPhoneの方6名" in text and "Androidの方5名" in text and "その他の方3名" in text


def test_forty_attendees_span_pages_with_heading_and_header_row_repeated():
    with pdfplumber.open(io.BytesIO(signin(16, 40))) as pdf:
        texts = [compact(page.extract_text()) for page in pdf.pages]
    assert len(texts) >= 3
    for number, text in enumerate(texts, 1):
        assert "お名前（フリガナ）" in text and "機種" in text and "出席" in text, number
        assert any(heading in text for heading in HEADINGS.values()), number
        assert f"{number}/{len(texts)}ページ" in text
    joined = "".join(texts)
    assert joined.count("□出席") == 40
    for row in many_rows(40):
        assert compact(row.name) in joined


def test_device_labels_and_unknown_device():
    assert device_label("なし") == "貸出機"
    assert device_label("") == "未確認"
    with pytest.raises(ValueError):
        render_signin_sheet(SESSION, LESSON_TITLE, CENTRE, [SigninRow("山田 花子", "ヤマダ ハナコ", "ガラケー")])


def test_empty_signin_sheet_says_so():
    pdf = render_signin_sheet(SESSION, LESSON_TITLE, CENTRE, [])
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        text = compact(doc.pages[0].extract_text())
    assert "予約はありません。" in text and "合計0名" in text


# 電話連絡リスト -------------------------------------------------------------------


@pytest.mark.parametrize("body_pt", [16, 20, 24])
def test_call_list_has_every_call_with_phone_session_and_script(body_pt):
    text = stream("call_list", body_pt)
    assert "電話連絡リスト" in text
    assert "令和8年（2026年）11月30日（月）15:00現在" in text
    assert "合計6件（中止1件・変更1件・繰り上げ2件・明日のご案内2件）" in text
    for entry in CALLS:
        assert compact(f"{entry.name}（{entry.name_kana}）") in text
        assert compact(entry.script) in text
    assert text.count("□連絡済") == len(CALLS)
    assert text.count(compact(LABEL)) == len(CALLS)
    # Offers: the deadline as it is said on the phone, in Tokyo time (issue 11).
    assert "期限：12月1日（火）12時まで" in text
    assert "期限：12月1日（火）17時まで" in text


@pytest.mark.parametrize("body_pt", [16, 20, 24])
def test_phone_numbers_are_large_and_never_broken(body_pt):
    printed = lines("call_list", body_pt)
    chars = [c for _, page in read("call_list", body_pt) for c in page]
    stream = "".join(c["text"] for c in chars)
    for entry in CALLS:
        assert any(entry.phone in line for line in printed), entry.phone  # on one line
        start = stream.index(entry.phone)
        sizes = {round(c["size"], 1) for c in chars[start : start + len(entry.phone)]}
        assert min(sizes) >= body_pt + 4, sizes


def test_call_groups_in_order_and_each_card_under_its_heading():
    current = None
    order = []
    by_name = {compact(e.name): e for e in CALLS}
    found = []
    for line in lines("call_list"):
        for kind, heading in CALL_HEADINGS.items():
            if line.startswith(compact(heading)):
                current = kind
                order.append(kind)
        for name, entry in by_name.items():
            if re.match(rf"□?連絡済{name}（", line):
                assert current == entry.kind, (entry.name, current)
                found.append(entry)
    assert order == ["cancelled", "change", "offer", "reminder"]
    assert len(found) == len(CALLS)
    # Offers: earliest deadline first.
    assert [e.name for e in found if e.kind == "offer"] == ["高橋 健", "鈴木 美智子"]


def test_offer_needs_a_deadline_and_kinds_are_checked():
    with pytest.raises(ValueError):
        grouped([CallEntry("offer", "高橋 健", "タカハシ ケン", "090-0000-1003", LABEL, None, "")])
    with pytest.raises(ValueError):
        render_call_list(CENTRE, GENERATED, [CallEntry("sms", "高橋 健", "タカハシ ケン", "090-0000-1003", LABEL, None, "")])
    with pytest.raises(ValueError):
        render_call_list(CENTRE, datetime(2026, 11, 30, 15, 0), CALLS)  # naive


def test_default_scripts():
    when = spoken_time(SESSION.starts_at)
    assert when == "12月3日（木）10時"
    assert spoken_time(datetime(2026, 12, 1, 0, 30, tzinfo=timezone.utc)) == "12月1日（火）9時30分"
    offer = default_script("offer", "スマホの基本操作", when, "12月1日（火）17時")
    assert "キャンセル待ち" in offer and "スマホの基本操作" in offer and "12月1日（火）17時までに" in offer
    for kind in ("reminder", "cancelled", "change"):
        script = default_script(kind, "スマホの基本操作", when)
        assert "スマホの基本操作" in script and when in script
    assert "中止" in default_script("cancelled", "LINE", when)
    with pytest.raises(ValueError):
        default_script("offer", "スマホの基本操作", when)
    with pytest.raises(ValueError):
        default_script("visit", "スマホの基本操作", when)


def test_empty_call_list_says_so():
    with pdfplumber.open(io.BytesIO(render_call_list(CENTRE, GENERATED, []))) as doc:
        assert "連絡する相手はいません。" in compact(doc.pages[0].extract_text())


# 予約票 ---------------------------------------------------------------------

SIZES = (16, 20, 24)
# A place as long as the demo centre's, at a centre that is not the venue: the
# longest slip a catalogue lesson prints.
LONG_PLACE = SessionInfo(
    datetime(2026, 12, 23, 13, 30, tzinfo=JST), datetime(2026, 12, 23, 15, 0, tzinfo=JST),
    "第1研修室", "みどり台コミュニティセンター",
)


@pytest.mark.parametrize("body_pt", SIZES)
def test_booking_slip_for_a_myna_lesson(body_pt):
    text = stream("slip", body_pt)
    for part in (
        "予約票",
        "山田花子様",
        MYNA.short_title,
        "令和8年（2026年）",
        "12月3日（木）",
        "10:00〜11:30",
        "会場：中央公民館第1会議室",
        f"持ち物：{MYNA.slip.bring}",
        f"※{MYNA.slip.remember}",
        "変更・取り消しは、お電話で",
        CENTRE.phone,
    ):
        assert compact(part) in text, part
    # DESIGN.md §7: the card to bring, and its PIN remembered — never a thing to bring.
    assert "マイナンバーカード" in MYNA.slip.bring and "暗証番号" not in MYNA.slip.bring
    assert "暗証番号" in MYNA.slip.remember and "覚えてきてください" in MYNA.slip.remember
    assert "□" not in text
    # The phone is the largest thing on the slip.
    with pdfplumber.open(io.BytesIO(slip(body_pt))) as doc:
        chars = doc.pages[0].chars
    largest = max(c["size"] for c in chars)
    assert largest >= body_pt + 4
    assert "".join(c["text"] for c in chars if c["size"] == largest) == CENTRE.phone
    assert PdfReader(io.BytesIO(slip(body_pt))).metadata.title == f"予約票　{MYNA.title}"


def slip_pages(items: list[SlipItem], body_pt: int = 16) -> list[tuple[str, list[dict], list[dict]]]:
    with pdfplumber.open(io.BytesIO(render_booking_slips(items, CENTRE, body_pt=body_pt))) as doc:
        return [(compact(page.extract_text()), page.extract_words(), page.lines) for page in doc.pages]


def test_four_short_slips_share_one_sheet_with_cut_lines():
    names = ["山田 花子", "佐藤 一郎", "林 和夫", "鈴木 みどり", "田中 次郎"]
    pages = slip_pages([SlipItem(SHORT, SESSION, name) for name in names])
    assert len(pages) == 2  # 4 + 1
    text, words, rules = pages[0]
    for name in names[:4]:
        assert compact(f"{name}様") in text
    # One cut line down the middle and one across, each the sheet's whole length.
    vertical = [r for r in rules if abs(r["x0"] - A4[0] / 2) < 1 and abs(r["x1"] - A4[0] / 2) < 1]
    horizontal = [r for r in rules if abs(r["top"] - A4[1] / 2) < 1 and abs(r["bottom"] - A4[1] / 2) < 1]
    assert vertical and horizontal and "きりとり線" in text
    # Each slip stays in its own quarter.
    starts = [w for w in words if w["text"].startswith("予約票")]
    quarters = {(w["x0"] > A4[0] / 2, w["top"] > A4[1] / 2) for w in starts}
    assert len(starts) == 4 and len(quarters) == 4


@functools.cache
def catalogue_slips(body_pt: int, register: str) -> bytes:
    """Every catalogue lesson's slip in `register`, at the long place, one batch."""
    names = ["山田 花子", "Maria Santos", "渡辺 久美子", "林 和夫"]
    items = [
        SlipItem(lesson, LONG_PLACE, names[i % len(names)], register)
        for i, lesson in enumerate(lessons.catalogue().values())
    ]
    return render_booking_slips(items, CENTRE, body_pt=body_pt)


@pytest.mark.parametrize("register", ["standard", "easy", "en"])
@pytest.mark.parametrize("body_pt", SIZES)
def test_every_lesson_prints_four_slips_a_sheet_at_16_pt_and_two_in_large_print(body_pt, register):
    # DESIGN.md §8: four to an A4 sheet (A6 quarters). At 20 and 24 pt an A6
    # quarter holds about 12 lines of 13 or 10 characters: too few for a slip,
    # so two share a sheet, side by side (long halves that fold to A6).
    count = len(lessons.catalogue())
    columns, rows = (2, 2) if body_pt == 16 else (2, 1)
    assert slips_per_sheet(body_pt) == columns * rows
    heading = "Bookingslip" if register == "en" else "予約票"
    with pdfplumber.open(io.BytesIO(catalogue_slips(body_pt, register))) as doc:
        assert len(doc.pages) == -(-count // (columns * rows))
        seen = 0
        for page in doc.pages:
            place_w, place_h = A4[0] / columns, A4[1] / rows
            slips: dict[tuple[int, int], list[dict]] = {}
            for c in page.chars:
                on_cut = any(abs((c["top"] + c["bottom"]) / 2 - r * place_h) < 9 for r in range(1, rows))
                if c["text"].isspace() or not c["upright"] or on_cut:
                    continue  # the cut lines' labels
                place = (int(c["x0"] // place_w), int(c["top"] // place_h))
                slips.setdefault(place, []).append(c)
            for (column, row), chars in slips.items():
                # Every character inside its own place, SLOT_MARGIN from the cut lines.
                for c in chars:
                    assert column * place_w + SLOT_MARGIN - 0.5 <= c["x0"], c["text"]
                    assert c["x1"] <= (column + 1) * place_w - SLOT_MARGIN + 0.5, c["text"]
                    assert row * place_h + SLOT_MARGIN - 0.5 <= c["top"], c["text"]
                    assert c["bottom"] <= (row + 1) * place_h - SLOT_MARGIN + 0.5, c["text"]
                    # Body size at least; ふりがな (やさしい日本語) half the size of their word.
                    least = body_pt / 2 if register == "easy" else body_pt
                    assert font_size(c) >= least - 0.01, c["text"]
                text = "".join(c["text"] for c in sorted(chars, key=lambda c: (round(c["top"]), c["x0"])))
                assert text.count(heading) == 1 and CENTRE.phone.replace("-", "") in text.replace("-", ""), text
                seen += 1
        assert seen == count


@pytest.mark.parametrize("register", ["standard", "easy", "en"])
def test_each_slip_says_when_where_what_to_bring_and_whom_to_call_in_its_register(register):
    lesson = lessons.catalogue()["myna-hokensho"]
    text = lesson.text(register)
    with pdfplumber.open(io.BytesIO(render_booking_slips([SlipItem(lesson, SESSION, "Maria Santos", register)], CENTRE))) as doc:
        page = doc.pages[0]
        upright = [c for c in page.chars if c["upright"]]
        # The cut line's label is the staff's word for their scissors, not the slip's.
        base = compact("".join(c["text"] for c in upright if c["size"] > 12)).replace("きりとり線", "")
        ruby = [c for c in upright if c["size"] < 12]
    expected = {
        "standard": ["予約票MariaSantos様", "令和8年（2026年）", "12月3日（木）", "会場：", "変更・取り消しは、お電話で"],
        "easy": ["予約票MariaSantos様", "令和8年（2026年）", "12月3日（木）", "場所：", "行けないときは、電話してください"],
        "en": ["Bookingslip:MariaSantos", "Thu3Dec2026", "10:00am–11:30am", "Venue:", "Tochangeorcancel,call"],
    }[register]
    for part in [*expected, text.short_title, text.slip.bring, text.slip.remember, CENTRE.phone]:
        assert compact(part) in base, part
    if register == "easy":
        assert ruby, "やさしい日本語 slips print ふりがな"
        # Over the words, never over a name: its reading is the resident's own.
        name = [c for c in upright if c["size"] > 12 and c["text"] in "MariaSantos" and c["top"] < 100]
        left, right, top = min(c["x0"] for c in name), max(c["x1"] for c in name), min(c["top"] for c in name)
        assert not [c for c in ruby if left < (c["x0"] + c["x1"]) / 2 < right and top - 12 < c["bottom"] <= top + 1]
        assert [c for c in ruby if c["bottom"] <= top + 1 and c["top"] > top - 12], "ふりがな over 予約票 and 様"
    else:
        assert not ruby
    if register == "en":
        assert not re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", base.replace(compact(SESSION.venue + SESSION.room), "")
                             .replace(CENTRE.name, "")), base


def test_a_slip_too_long_for_its_place_takes_a_sheet_of_its_own():
    long_name = "寿限無寿限無五劫の擦り切れ海砂利水魚の水行末雲来末風来末食う寝る処に住む処 太郎"
    place = SessionInfo(SESSION.starts_at, SESSION.ends_at, "第1会議室・第2会議室・和室（つなげて使います）", "みどり台コミュニティセンター北館別棟")
    items = [SlipItem(SHORT, SESSION, "山田 花子"), SlipItem(MYNA, place, long_name, "easy"), SlipItem(SHORT, SESSION, "林 和夫")]
    with pdfplumber.open(io.BytesIO(render_booking_slips(items, CENTRE, body_pt=24))) as doc:
        texts = [compact("".join(c["text"] for c in page.chars if c["size"] >= 24)) for page in doc.pages]
    # The two that fit share a sheet; the long one follows on a sheet of its own, whole.
    assert [text.count("予約票") for text in texts] == [2, 1]
    assert compact(long_name) in texts[1]
    with pytest.raises(ValueError):
        render_booking_slips([], CENTRE)
