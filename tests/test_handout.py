"""The lesson handout PDF, checked the way a reader meets it (DESIGN.md §8, §11).

Text is extracted with pdfplumber, fonts are read with pypdf, and every page is
rendered with pypdfium2 so each 二次元コード is decoded with zxing-cpp and matched
to the URL printed beside it.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import re
from datetime import datetime, timedelta, timezone

import pdfplumber
import pypdfium2 as pdfium
import pytest
import qrcode
import zxingcpp
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth

import lessons
from lessons import Guide, Lesson, Step
from printouts.dates import format_time_range
from printouts.handout import render_handout, render_handouts
from printouts.layout import FONT, MARGIN_TOP, MARGIN_X, QRCodeFlowable, missing_glyphs, register_fonts, wrap_url
from printouts.model import Centre, SessionInfo

MM = 72 / 25.4
DPI = 200
JST = timezone(timedelta(hours=9))

CENTRE = Centre("さくら市立中央公民館", "03-1234-5678")
SESSION = SessionInfo(
    datetime(2026, 12, 3, 10, 0, tzinfo=JST), datetime(2026, 12, 3, 11, 30, tzinfo=JST), "第1会議室", "中央公民館"
)
# Stored in UTC: must still print as 12月10日 10:00 in Tokyo.
NEXT = SessionInfo(
    datetime(2026, 12, 10, 1, 0, tzinfo=timezone.utc),
    datetime(2026, 12, 10, 2, 30, tzinfo=timezone.utc),
    "第2会議室",
    "北公民館",
)

HAND_MADE = Lesson(
    id="hand-made",
    order=0,
    title="マイナ保険証を使ってみよう（マイナンバーカードの健康保険証利用）",
    level="応用",
    minutes=90,
    summary="マイナンバーカードを健康保険証として使う登録と、病院の受付での使い方を練習します。",
    skills=("iPhone", "Android"),
    objectives=("マイナンバーカードを保険証として登録できる", "病院の受付でカードリーダーを使える"),
    steps=(
        Step("マイナアプリを開きます。", iphone="ホーム画面の「マイナアプリ」をタップします。", android="アプリ一覧から「マイナアプリ」をタップします。"),
        Step("「健康保険証利用の申込」をタップします。"),
        Step("カードをスマホに当てます。", iphone="上の端（カメラの近く）に当てます。", android="背中の真ん中に当てます。"),
        Step("4けたの暗証番号をご自分で入力します。"),
    ),
    bring=("充電したスマートフォン", "マイナンバーカード", "4けたの暗証番号", "老眼鏡（お使いの方）"),
    guides=(
        Guide("マイナポータル よくあるご質問", "https://faq.myna.go.jp/"),
        Guide(
            "マイナンバーカードの健康保険証利用について（厚生労働省）",
            "https://www.mhlw.go.jp/stf/seisakunitsuite/bunya/0000121431_00016.html?utm_source=handout&section=registration",
        ),
        Guide("マイナ保険証の利用登録（デジタル庁）", "https://www.digital.go.jp/policies/mynumber/insurance-card"),
    ),
)

# The shipped catalogue too, once lessons/*.yaml exist.
LESSONS: dict[str, Lesson] = {HAND_MADE.id: HAND_MADE, **lessons.load_catalogue()}
CASES = [(lesson_id, 16) for lesson_id in LESSONS] + [(HAND_MADE.id, 20), (HAND_MADE.id, 24)]
CASE_IDS = [f"{lesson_id}-{pt}pt" for lesson_id, pt in CASES]


@functools.cache
def handout(lesson_id: str, body_pt: int) -> bytes:
    return render_handout(LESSONS[lesson_id], CENTRE, SESSION, NEXT, body_pt=body_pt)


@functools.cache
def pages(lesson_id: str, body_pt: int) -> tuple[tuple[str, tuple[dict, ...], tuple[dict, ...], float], ...]:
    """Per page: (text, non-space chars in stream order, rects, page height)."""
    with pdfplumber.open(io.BytesIO(handout(lesson_id, body_pt))) as pdf:
        return tuple(
            (
                page.extract_text(),
                tuple(c for c in page.chars if not c["text"].isspace()),
                tuple(page.rects),
                float(page.height),
            )
            for page in pdf.pages
        )


def compact(text: str) -> str:
    """Text without whitespace: lines wrap anywhere, URLs included."""
    return re.sub(r"\s+", "", text)


def occurrences(chars, text: str) -> list[list[dict]]:
    """Every run of `chars` (stream order) that spells `text` (whitespace ignored)."""
    stream = "".join(c["text"] for c in chars)
    target = compact(text)
    return [list(chars[m.start() : m.start() + len(target)]) for m in re.finditer(re.escape(target), stream)]


@pytest.fixture(params=CASES, ids=CASE_IDS)
def case(request):
    lesson_id, body_pt = request.param
    return LESSONS[lesson_id], lesson_id, body_pt


def test_fonts_are_embedded_biz_ud_gothic_and_never_helvetica(case):
    _, lesson_id, body_pt = case
    pdf = handout(lesson_id, body_pt)
    reader = PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        assert fonts
        for ref in fonts.values():
            font = ref.get_object()
            assert "BIZUDPGothic" in font["/BaseFont"]
            descendants = font.get("/DescendantFonts")
            faces = [d.get_object() for d in descendants] if descendants else [font]
            for face in faces:
                assert "/FontFile2" in face["/FontDescriptor"].get_object()
    assert b"Helvetica" not in pdf


def test_metadata_title_is_the_lesson_title(case):
    lesson, lesson_id, body_pt = case
    assert PdfReader(io.BytesIO(handout(lesson_id, body_pt))).metadata.title == lesson.title


def test_text_has_every_part_of_the_lesson(case):
    lesson, lesson_id, body_pt = case
    page_list = pages(lesson_id, body_pt)
    text = compact("".join(p[0] for p in page_list))
    expected = [
        lesson.title,
        lesson.level,
        f"{lesson.minutes}分",
        lesson.summary,
        format_time_range(SESSION.starts_at, SESSION.ends_at),
        "令和8年（2026年）12月3日（木）10:00〜11:30",
        SESSION.venue,
        SESSION.room,
        "この講座でできること",
        *lesson.objectives,
        "手順",
        *(f"{i}.{step.text}" for i, step in enumerate(lesson.steps, 1)),
        *(f"iPhone：{step.iphone}" for step in lesson.steps if step.iphone),
        *(f"Android：{step.android}" for step in lesson.steps if step.android),
        "持ち物",
        *(f"□{item}" for item in lesson.bring),
        *(f"※{item}" for item in lesson.remember),
        "公式の案内（二次元コード）",
        *(guide.title for guide in lesson.guides),
        *(guide.url for guide in lesson.guides),
    ]
    for part in expected:
        assert compact(part) in text, part
    # DENSO WAVE trademark: say 二次元コード (DESIGN.md §8); a lesson that quotes an
    # app's screen (LINE's 「QRコード」) prints the notice with it.
    notice = "QRコードは株式会社デンソーウェーブの登録商標です。"
    assert ("QRコード" in text.replace(notice, "")) == (notice in text)
    assert ("QRコード" in text) == (lesson_id == "line-basics")


def test_every_page_has_the_footer(case):
    _, lesson_id, body_pt = case
    page_list = pages(lesson_id, body_pt)
    for number, (text, *_) in enumerate(page_list, 1):
        text = compact(text)
        assert compact(CENTRE.name) in text
        assert CENTRE.phone in text
        assert "次回：令和8年（2026年）12月10日（木）10:00〜11:30" in text
        assert compact(f"{NEXT.venue}　{NEXT.room}") in text
        assert f"{number}/{len(page_list)}ページ" in text


def test_no_text_overflows_the_margins(case):
    _, lesson_id, body_pt = case
    for _, chars, _, _ in pages(lesson_id, body_pt):
        for c in chars:
            assert MARGIN_X - 0.5 <= c["x0"] and c["x1"] <= A4[0] - MARGIN_X + 0.5, c["text"]
            assert c["top"] >= MARGIN_TOP - 0.5, c["text"]


def test_font_sizes_body_at_least_16_title_and_headings_at_least_24(case):
    lesson, lesson_id, body_pt = case
    page_list = pages(lesson_id, body_pt)
    for _, chars, _, _ in page_list:
        assert min(c["size"] for c in chars) >= 16 - 0.01
    first_chars = page_list[0][1]
    title = first_chars[: len(compact(lesson.title))]
    assert "".join(c["text"] for c in title) == compact(lesson.title)
    assert all(c["size"] >= 24 and "Bold" in c["fontname"] for c in title)
    all_chars = [c for _, chars, _, _ in page_list for c in chars]
    for heading in ("この講座でできること", "手順", "持ち物", "公式の案内（二次元コード）"):
        assert any(all(c["size"] >= 24 for c in run) for run in occurrences(all_chars, heading)), heading
    for step in lesson.steps:
        assert all(c["size"] >= body_pt - 0.01 for run in occurrences(all_chars, step.text) for c in run)


def test_lesson_text_is_printable_in_the_font(case):
    lesson, _, _ = case
    text = "".join(
        [
            lesson.title,
            lesson.summary,
            *lesson.objectives,
            *(step.text + step.iphone + step.android for step in lesson.steps),
            *lesson.bring,
            *(guide.title for guide in lesson.guides),
        ]
    )
    assert not missing_glyphs(text), f"{lesson.id}: BIZ UDPGothic has no glyph for {sorted(missing_glyphs(text))}"


def qr_modules(url: str) -> int:
    """Side of `url`'s code in modules with a 4-module quiet zone, computed independently."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4)
    code.add_data(url)
    code.make(fit=True)
    return len(code.get_matrix())


def test_every_code_decodes_to_the_url_printed_beside_it(case):
    lesson, lesson_id, body_pt = case
    if body_pt != 16 and lesson_id != HAND_MADE.id:
        pytest.skip("codes are decoded at 16 pt for the catalogue, at every size for the hand-made lesson")
    titles = {guide.url: guide.title for guide in lesson.guides}
    decoded: list[str] = []
    document = pdfium.PdfDocument(handout(lesson_id, body_pt))
    scale = DPI / 72
    for index, (_, chars, rects, height) in enumerate(pages(lesson_id, body_pt)):
        image = document[index].render(scale=scale).to_pil()
        boxes = []
        for code in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode):
            p = code.position
            xs = [pt.x / scale for pt in (p.top_left, p.top_right, p.bottom_left, p.bottom_right)]
            ys = [pt.y / scale for pt in (p.top_left, p.top_right, p.bottom_left, p.bottom_right)]
            boxes.append((min(ys), max(ys), min(xs), max(xs), code.text))
        boxes.sort()
        for i, (top, bottom, left, right, url) in enumerate(boxes):
            assert url in titles, url
            decoded.append(url)

            # The code as drawn: its dark squares, measured from the PDF itself.
            squares = [
                r for r in rects
                if r["fill"] and left - 3 <= r["x0"] and r["x1"] <= right + 3 and top - 3 <= r["top"] and r["bottom"] <= bottom + 3
            ]
            assert squares
            x0, x1 = min(r["x0"] for r in squares), max(r["x1"] for r in squares)
            y0, y1 = min(r["top"] for r in squares), max(r["bottom"] for r in squares)
            modules = qr_modules(url)
            module = (x1 - x0) / (modules - 8)
            assert abs((y1 - y0) - (x1 - x0)) < 0.01  # square
            assert module * modules >= 30 * MM  # ≥ 30 mm including the quiet zone (DESIGN.md §8)
            quiet = (x0 - 4 * module, y0 - 4 * module, x1 + 4 * module, y1 + 4 * module)
            assert not [
                c for c in chars
                if c["x1"] > quiet[0] and c["x0"] < quiet[2] and c["bottom"] > quiet[1] and c["top"] < quiet[3]
            ], "text inside the quiet zone"

            # The row band: from this code's top to the next code's top, or to the
            # first text below it that starts left of the code (the footer).
            ends = [height] + [c["top"] for c in chars if c["top"] > bottom and c["x0"] < right]
            if i + 1 < len(boxes):
                ends.append(boxes[i + 1][0])
            band_end = min(ends)
            beside = "".join(c["text"] for c in chars if c["x0"] > right and top - 2 <= c["top"] < band_end)
            assert beside == compact(titles[url]) + url
    assert len(decoded) == len(lesson.guides)
    assert set(decoded) == set(titles)


def test_body_sizes_20_and_24_render_and_others_raise():
    for body_pt in (20, 24):
        assert handout(HAND_MADE.id, body_pt).startswith(b"%PDF")
    for bad in (12, 17, 18, 32):
        with pytest.raises(ValueError):
            render_handout(HAND_MADE, CENTRE, body_pt=bad)


def test_without_session_or_next_session():
    pdf = render_handout(HAND_MADE, CENTRE)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        text = compact("".join(page.extract_text() for page in doc.pages))
    assert "日時" not in text and "次回" not in text
    assert compact(CENTRE.name) in text


def test_naive_session_is_rejected():
    naive = dataclasses.replace(SESSION, starts_at=datetime(2026, 12, 3, 10, 0))
    with pytest.raises(ValueError):
        render_handout(HAND_MADE, CENTRE, naive)


def test_many_handouts_each_start_on_a_new_page_with_own_page_numbers():
    chosen = list(LESSONS.values())[:3]
    while len(chosen) < 3:
        chosen.append(dataclasses.replace(HAND_MADE, id=f"copy-{len(chosen)}", title=f"コピー{len(chosen)}の講座"))
    pdf = render_handouts([(chosen[0], SESSION), (chosen[1], None), (chosen[2], SESSION)], CENTRE)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page_texts = [page.extract_text() for page in doc.pages]
    assert len(page_texts) >= 3
    numbers = [re.findall(r"(?:^|\s)(\d+)/(\d+)ページ", text) for text in page_texts]
    assert all(len(found) == 1 for found in numbers)
    numbers = [(int(page), int(count)) for ((page, count),) in numbers]
    starts = [i for i, (page, _) in enumerate(numbers) if page == 1]
    assert len(starts) == 3
    # Each handout starts on a new page with its title, and is numbered 1..n on its own.
    for start, end, lesson in zip(starts, starts[1:] + [len(numbers)], chosen):
        assert compact(page_texts[start]).startswith(compact(lesson.title))
        assert numbers[start:end] == [(n, end - start) for n in range(1, end - start + 1)]
    with pytest.raises(ValueError):
        render_handouts([], CENTRE)


def test_code_smaller_than_30_mm_is_refused():
    with pytest.raises(ValueError):
        QRCodeFlowable("https://faq.myna.go.jp/", size_mm=29)
    assert QRCodeFlowable("https://faq.myna.go.jp/").size >= 30 * MM


@given(
    url=st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789/?&=-_.#:%", min_size=1, max_size=300),
    width=st.floats(min_value=60, max_value=400),
    size=st.sampled_from([16, 20, 24]),
)
def test_wrapped_url_lines_fit_and_join_back(url, width, size):
    register_fonts()
    lines = wrap_url(url, FONT, size, width)
    assert "".join(lines) == url
    assert all(stringWidth(line, FONT, size) <= width + 1e-6 for line in lines)
