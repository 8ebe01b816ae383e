"""The consultation memo (相談メモ) read back the way a resident meets it (issue 6,
DESIGN.md §8).

Text, character sizes and positions are extracted with pdfplumber, fonts read with
pypdf, and every page is rendered with pypdfium2 so each 二次元コード is decoded with
zxing-cpp and matched to the title and URL printed beside it. Names and phone
numbers are invented (090-0000-xxxx).
"""

from __future__ import annotations

import dataclasses
import functools
import io
import re
from datetime import date

import pdfplumber
import pypdfium2 as pdfium
import pytest
import qrcode
import zxingcpp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib.pagesizes import A4

from printouts.consult_memo import ConsultMemo, render_consult_memo, text_lines, unique_guides
from printouts.layout import MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X
from printouts.model import Centre

MM = 72 / 25.4
DPI = 200
CENTRE = Centre("さくら市立中央公民館", "090-0000-5678")
DATE = "令和8年（2026年）12月3日（木）"
CAUTION = "暗証番号やパスワード、マイナンバーは、職員・ボランティアを含め誰にも教えないでください。"
LINE_GUIDE = ("LINEみんなの使い方ガイド", "https://guide.line.me/ja/")
FAQ_GUIDE = ("マイナポータル よくあるご質問", "https://faq.myna.go.jp/")
MORE_GUIDES = [
    ("マイナ保険証の利用登録（デジタル庁）", "https://www.digital.go.jp/policies/mynumber/insurance-card"),
    (
        "マイナンバーカードの健康保険証利用について（厚生労働省）",
        "https://www.mhlw.go.jp/stf/seisakunitsuite/bunya/0000121431_00016.html",
    ),
]
DONE = [
    "LINEを最新版に更新しました。",
    "トークで写真を送る練習をしました。",
    "写真をまとめて送る方法を確認しました。",
    "文字の大きさを「大」にしました。",
    "通知の音が鳴るようにしました。",
]
NEXT = [
    "ご家族とのトークで写真を1枚送ってみてください。",
    "うまくいかないときは、画面を写真に撮ってお持ちください。",
    "知らない人からの友だち追加は承認しないでください。",
    "アルバムの作り方はLINE教室で練習できます。",
    "困ったことはメモしてお持ちください。",
]

# The issue's typical case: 2 guides and about 5 lines each of done and next step.
TYPICAL = ConsultMemo(
    number="2026-0012",
    visited_on=date(2026, 12, 3),
    resident_name="山田 花子",
    category_label="LINE",
    summary="LINEで孫に写真を送る方法がわからない。",
    done="\n".join(DONE),
    next_step="\n".join(NEXT),
    guides=[LINE_GUIDE, FAQ_GUIDE],
    helper_name="田中",
    next_session="LINE教室（基本） 12月10日（木）10:00〜",
)
# What one page holds with 2 guides at 16 pt (see test_what_one_page_holds).
SHORT = dataclasses.replace(TYPICAL, done="\n".join(DONE[:2]), next_step="\n".join(NEXT[:2]))
FOUR = dataclasses.replace(TYPICAL, guides=[LINE_GUIDE, FAQ_GUIDE, *MORE_GUIDES])
ANONYMOUS = dataclasses.replace(TYPICAL, resident_name="", helper_name="", next_session="")
NO_NEXT_STEP = dataclasses.replace(TYPICAL, next_step="  \n")

MEMOS = {"typical": TYPICAL, "short": SHORT, "four": FOUR, "anonymous": ANONYMOUS, "no_next_step": NO_NEXT_STEP}
SIZES = (16, 20, 24)


@functools.cache
def pdf(name: str, body_pt: int = 16) -> bytes:
    return render_consult_memo(CENTRE, MEMOS[name], body_pt=body_pt)


@functools.cache
def pages(name: str, body_pt: int = 16) -> tuple[tuple[str, tuple[dict, ...], tuple[dict, ...], tuple[dict, ...]], ...]:
    """Per page: (text, non-space chars in drawing order, rects, lines)."""
    with pdfplumber.open(io.BytesIO(pdf(name, body_pt))) as doc:
        return tuple(
            (
                page.extract_text(),
                tuple(c for c in page.chars if not c["text"].isspace()),
                tuple(page.rects),
                tuple(page.lines),
            )
            for page in doc.pages
        )


def compact(text: str) -> str:
    """Text without whitespace: lines wrap anywhere, URLs included."""
    return re.sub(r"\s+", "", text)


def stream(name: str, body_pt: int = 16) -> str:
    """Every printed character in drawing order: a cell's wrapped lines stay together."""
    return "".join(c["text"] for _, chars, _, _ in pages(name, body_pt) for c in chars)


def printed_lines(name: str, body_pt: int = 16) -> list[str]:
    return [compact(line) for text, *_ in pages(name, body_pt) for line in text.splitlines() if line.strip()]


def runs(name: str, body_pt: int, text: str) -> list[list[dict]]:
    """Every run of characters (drawing order) that spells `text`, whitespace ignored."""
    chars = [c for _, page_chars, _, _ in pages(name, body_pt) for c in page_chars]
    joined = "".join(c["text"] for c in chars)
    target = compact(text)
    return [chars[m.start() : m.start() + len(target)] for m in re.finditer(re.escape(target), joined)]


@pytest.mark.parametrize("body_pt", SIZES)
def test_memo_says_who_when_what_was_done_and_what_next(body_pt):
    text = stream("typical", body_pt)
    for part in (
        "ご相談メモ",
        "山田 花子 様",
        DATE,
        "受付番号：2026-0012",
        "（担当：田中）",
        "ご相談の内容",
        "【LINE】LINEで孫に写真を送る方法がわからない。",
        "きょう行ったこと",
        *(f"・{line}" for line in DONE),
        "次にすること",
        *(f"{n}.{line}" for n, line in enumerate(NEXT, 1)),
        "公式の案内（スマホのカメラで読み取れます）",
        *(title + url for title, url in TYPICAL.guides),
        "わからないときは、お気軽にお電話ください",
        f"{CENTRE.name}電話{CENTRE.phone}",
        CAUTION,
    ):
        assert compact(part) in text, part
    assert "QRコード" not in text  # DENSO WAVE trademark: say 二次元コード (DESIGN.md §8)
    # The resident's memo carries no My Number, PIN or password fields.
    assert not re.search(r"\d{12}", text)


@pytest.mark.parametrize("name", ["typical", "four"])
@pytest.mark.parametrize("body_pt", SIZES)
def test_every_page_has_the_footer_with_the_next_session(name, body_pt):
    page_list = pages(name, body_pt)
    for number, (text, *_) in enumerate(page_list, 1):
        text = compact(text)
        assert compact(f"{CENTRE.name}電話{CENTRE.phone}") in text
        assert compact(f"次回：{TYPICAL.next_session}") in text
        assert f"{number}/{len(page_list)}ページ" in text


@pytest.mark.parametrize("body_pt", SIZES)
def test_sizes_body_at_least_the_setting_headings_and_phone_at_least_24(body_pt):
    page_list = pages("typical", body_pt)
    chars = [c for _, page_chars, _, _ in page_list for c in page_chars]
    assert min(c["size"] for c in chars) >= 16 - 0.01  # the footer is 16 pt at every setting
    for heading in ("ご相談メモ", "ご相談の内容", "きょう行ったこと", "次にすること", "公式の案内（スマホのカメラで読み取れます）"):
        found = runs("typical", body_pt, heading)
        assert any(all(c["size"] >= 24 and "Bold" in c["fontname"] for c in run) for run in found), heading
    for line in DONE + NEXT + [CAUTION]:
        for run in runs("typical", body_pt, line):
            assert all(c["size"] >= body_pt - 0.01 for c in run), line
    # The centre's phone in the contact box is large; the footer's copy is 16 pt.
    assert max(min(c["size"] for c in run) for run in runs("typical", body_pt, CENTRE.phone)) >= 24


@pytest.mark.parametrize("body_pt", SIZES)
def test_fonts_are_embedded_biz_ud_gothic_and_never_helvetica(body_pt):
    data = pdf("typical", body_pt)
    assert b"Helvetica" not in data
    for page in PdfReader(io.BytesIO(data)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            assert "BIZUDPGothic" in font["/BaseFont"]
            for face in [d.get_object() for d in font.get("/DescendantFonts") or [font]]:
                assert "/FontFile2" in face["/FontDescriptor"].get_object()


def test_metadata_title_has_the_number_and_no_name():
    title = PdfReader(io.BytesIO(pdf("typical"))).metadata.title
    assert "2026-0012" in title and "山田" not in title


def page_count(memo: ConsultMemo, body_pt: int) -> int:
    return len(PdfReader(io.BytesIO(render_consult_memo(CENTRE, memo, body_pt=body_pt))).pages)


def test_what_one_page_holds():
    # 16 pt: two guides with two lines each of done and next step; without guides,
    # the typical five lines each.
    assert page_count(SHORT, 16) == 1
    assert page_count(dataclasses.replace(TYPICAL, guides=[]), 16) == 1
    # 20 pt: no guides, three lines done and two short next steps.
    brief = dataclasses.replace(
        TYPICAL, guides=[], done="\n".join(DONE[:3]), next_step="\n".join(line[:12] for line in NEXT[:2])
    )
    assert page_count(brief, 20) == 1


@pytest.mark.parametrize("body_pt", [16, 20])
def test_typical_memo_takes_two_pages_at_most(body_pt):
    # Two guides and five lines each do not fit one A4 page at the §8 sizes
    # (test_what_one_page_holds); they must not need a third.
    assert len(pages("typical", body_pt)) <= 2


def footer_text(memo: ConsultMemo, number: int, count: int) -> str:
    note = f"次回：{memo.next_session}" if memo.next_session else ""
    return compact(f"{note}{CENTRE.name}電話{CENTRE.phone}{number}/{count}ページ")


@pytest.mark.parametrize("name,body_pt", [("four", 24), ("four", 16), ("typical", 20), ("anonymous", 24)])
def test_nothing_is_clipped_or_drawn_over_the_footer(name, body_pt):
    page_list = pages(name, body_pt)
    width, height = A4
    for number, (_, chars, rects, lines) in enumerate(page_list, 1):
        for c in chars:
            assert MARGIN_X - 0.5 <= c["x0"] and c["x1"] <= width - MARGIN_X + 0.5, c["text"]
            assert MARGIN_TOP - 0.5 <= c["top"] and c["bottom"] <= height - MARGIN_BOTTOM + 0.5, c["text"]
        # The footer's rule: below it only the footer; above it everything else.
        rule = max(line["top"] for line in lines if line["x1"] - line["x0"] > 400)
        footer = sorted((c for c in chars if c["top"] > rule), key=lambda c: (round(c["top"]), c["x0"]))
        below = "".join(c["text"] for c in footer)
        assert below == footer_text(MEMOS[name], number, len(page_list))
        assert all(c["bottom"] < rule for c in chars if c["top"] < rule)
        assert all(MARGIN_X - 0.5 <= r["x0"] and r["x1"] <= width - MARGIN_X + 0.5 and r["bottom"] < rule for r in rects)
    # Every part of the memo is printed somewhere.
    text = stream(name, body_pt)
    memo = MEMOS[name]
    for part in [*DONE, *NEXT, *(t + u for t, u in memo.guides), CAUTION, f"電話{CENTRE.phone}"]:
        assert compact(part) in text, part


def test_contact_box_and_caution_stay_together_never_alone_on_a_page():
    for name, body_pt in [("typical", 16), ("typical", 20), ("four", 24)]:
        texts = [compact(text) for text, *_ in pages(name, body_pt)]
        page = next(text for text in texts if "わからないときは" in text)
        assert compact(CAUTION) in page, (name, body_pt)
        # Never alone on a page (issue 14): with what to do next or the guides.
        others = DONE + NEXT + [title for title, _url in MEMOS[name].guides]
        assert any(compact(line) in page for line in others), (name, body_pt)


def qr_modules(url: str) -> int:
    """Side of `url`'s code in modules with a 4-module quiet zone, computed independently."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4)
    code.add_data(url)
    code.make(fit=True)
    return len(code.get_matrix())


@pytest.mark.parametrize("name,body_pt", [("typical", 16), ("typical", 20), ("four", 16), ("four", 24)])
def test_every_code_decodes_to_the_url_printed_beside_it(name, body_pt):
    titles = {url: title for title, url in MEMOS[name].guides}
    document = pdfium.PdfDocument(pdf(name, body_pt))
    scale = DPI / 72
    decoded = []
    for index, (_, chars, rects, _) in enumerate(pages(name, body_pt)):
        image = document[index].render(scale=scale).to_pil()
        boxes = []
        for code in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode):
            p = code.position
            corners = (p.top_left, p.top_right, p.bottom_left, p.bottom_right)
            xs, ys = [pt.x / scale for pt in corners], [pt.y / scale for pt in corners]
            boxes.append((min(ys), max(ys), min(xs), max(xs), code.text))
        for top, bottom, left, right, url in boxes:
            assert url in titles, url
            decoded.append(url)
            squares = [
                r for r in rects
                if r["fill"] and left - 3 <= r["x0"] and r["x1"] <= right + 3 and top - 3 <= r["top"] and r["bottom"] <= bottom + 3
            ]
            x0, x1 = min(r["x0"] for r in squares), max(r["x1"] for r in squares)
            y0, y1 = min(r["top"] for r in squares), max(r["bottom"] for r in squares)
            module = (x1 - x0) / (qr_modules(url) - 8)
            assert abs((y1 - y0) - (x1 - x0)) < 0.01  # square
            assert module * qr_modules(url) >= 30 * MM  # ≥ 30 mm including the quiet zone (DESIGN.md §8)
            quiet = (x0 - 4 * module, y0 - 4 * module, x1 + 4 * module, y1 + 4 * module)
            assert not [
                c for c in chars if c["x1"] > quiet[0] and c["x0"] < quiet[2] and c["bottom"] > quiet[1] and c["top"] < quiet[3]
            ], "text inside the quiet zone"
            # Beside it: right of the code, left of a code further along the same row,
            # down to the next code or text below it in its column.
            x_end = min([b[2] for b in boxes if b[2] > right and b[0] < bottom and b[1] > top] + [A4[0]])
            ends = [A4[1]] + [c["top"] for c in chars if c["top"] > bottom and c["x0"] < right and c["x1"] > left]
            ends += [b[0] for b in boxes if b[0] > bottom and b[2] < right and b[3] > left]
            beside = "".join(
                c["text"] for c in chars if right < c["x0"] and c["x1"] <= x_end and top - 2 <= c["top"] < min(ends)
            )
            assert beside == compact(titles[url]) + url
    assert sorted(decoded) == sorted(titles)


def test_anonymous_memo_has_no_name_line_helper_or_next_session():
    first = printed_lines("anonymous")[0]
    assert first == "ご相談メモ"
    text = stream("anonymous")
    assert "様" not in text and "担当" not in text and "次回" not in text
    assert "受付番号：2026-0012" in text and compact(CAUTION) in text


def test_empty_next_step_omits_the_section():
    text = stream("no_next_step")
    assert "次にすること" not in text
    assert "きょう行ったこと" in text and "公式の案内（スマホのカメラで読み取れます）" in text


def drawn_text(memo: ConsultMemo) -> str:
    """Every character of `memo`'s PDF at 16 pt in drawing order (guides side by side stay apart)."""
    with pdfplumber.open(io.BytesIO(render_consult_memo(CENTRE, memo))) as doc:
        return "".join(c["text"] for page in doc.pages for c in page.chars if not c["text"].isspace())


def test_one_line_texts_print_without_bullet_or_number():
    memo = dataclasses.replace(TYPICAL, done="アプリを更新しました。", next_step="家で一度ためしてください。")
    text = drawn_text(memo)
    assert "きょう行ったことアプリを更新しました。" in text
    assert "次にすること家で一度ためしてください。" in text


def test_typed_bullets_and_numbers_are_not_doubled():
    assert text_lines("・更新しました\n\n 2. 練習しました\n①確認\n- 設定\n3.5インチの画面") == [
        "更新しました", "練習しました", "確認", "設定", "3.5インチの画面",
    ]
    memo = dataclasses.replace(TYPICAL, next_step="1. 送ってみる\n2. 写真に撮る")
    text = drawn_text(memo)
    assert "1.送ってみる2.写真に撮る" in text and "1.1." not in text


def test_guides_are_deduplicated_by_url_and_at_most_four():
    twice = [LINE_GUIDE, ("LINEの使い方（別名）", LINE_GUIDE[1]), FAQ_GUIDE]
    assert unique_guides(twice) == [LINE_GUIDE, FAQ_GUIDE]
    memo = dataclasses.replace(TYPICAL, guides=twice)
    text = drawn_text(memo)
    assert text.count(LINE_GUIDE[1]) == 1 and "別名" not in text
    with pytest.raises(ValueError):
        render_consult_memo(CENTRE, dataclasses.replace(FOUR, guides=[*FOUR.guides, ("e-Tax", "https://www.nta.go.jp/")]))
    with pytest.raises(ValueError):
        unique_guides([("", "https://faq.myna.go.jp/")])


def test_no_guides_omits_the_section():
    memo = dataclasses.replace(TYPICAL, guides=[])
    text = drawn_text(memo)
    assert "公式の案内" not in text and "二次元コード" not in text
    assert compact(CAUTION) in text


def test_bad_input_is_refused():
    for bad in (12, 18, 32):
        with pytest.raises(ValueError):
            render_consult_memo(CENTRE, TYPICAL, body_pt=bad)
    with pytest.raises(ValueError):
        render_consult_memo(CENTRE, dataclasses.replace(TYPICAL, summary=" "))
    with pytest.raises(ValueError):
        render_consult_memo(CENTRE, dataclasses.replace(TYPICAL, done="\n・\n"))


def test_memo_has_no_field_for_secrets():
    names = " ".join(f.name for f in dataclasses.fields(ConsultMemo)).lower()
    for secret in ("pin", "password", "mynumber", "my_number", "暗証"):
        assert secret not in names


@pytest.mark.parametrize("body_pt", SIZES)
def test_wrapped_lines_break_at_phrases_and_never_leave_a_lone_character(body_pt):
    lines = printed_lines("four", body_pt)
    # Every wrapped line of the memo's own sentences and the helper's lines holds
    # more than 「い。」; the contact line breaks after 「、」 when it wraps.
    lead = "わからないときは、お気軽にお電話ください"
    sentences = [compact(s) for s in [CAUTION, *DONE, *NEXT, lead]]
    for line in lines:
        if any(s.endswith(line) and s != line for s in sentences):
            assert len(line) >= 3, line
    if lead not in lines:
        assert "わからないときは、" in lines and "お気軽にお電話ください" in lines


TEXT = st.text(alphabet="あいうえおカキクケコ漢字写真更新、。「」ー・（）ABCxyz0123456789/-. ", min_size=1, max_size=120)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.text(alphabet="山田花子 ウィリアムズ・", max_size=40),
    summary=TEXT.filter(str.strip),
    # A line the memo prints (not only a typed bullet such as 「・」, which it drops).
    done=st.lists(TEXT.filter(text_lines), min_size=1, max_size=6),
    next_step=st.lists(TEXT, max_size=6),
    guides=st.integers(min_value=0, max_value=4),
    body_pt=st.sampled_from(SIZES),
)
def test_any_text_stays_inside_the_margins(name, summary, done, next_step, guides, body_pt):
    memo = dataclasses.replace(
        TYPICAL,
        resident_name=name,
        summary=summary,
        done="\n".join(done),
        next_step="\n".join(next_step),
        guides=FOUR.guides[:guides],
    )
    with pdfplumber.open(io.BytesIO(render_consult_memo(CENTRE, memo, body_pt=body_pt))) as doc:
        for page in doc.pages:
            for c in page.chars:
                if not c["text"].isspace():
                    assert MARGIN_X - 0.5 <= c["x0"] and c["x1"] <= A4[0] - MARGIN_X + 0.5, c["text"]
                    assert MARGIN_TOP - 0.5 <= c["top"] and c["bottom"] <= A4[1] - MARGIN_BOTTOM + 0.5, c["text"]


# The realistic short case of issue 14: a 2-line summary, 2 things done, 2 next
# steps and 2 guides.
REALISTIC = ConsultMemo(
    number="2026-0012",
    visited_on=date(2026, 12, 17),
    resident_name="山田 花子",
    category_label="マイナンバーカード",
    summary="マイナ保険証の登録ができているか分からない。病院の受付でカードを使うのが不安で、練習したい。",
    done="マイナアプリで健康保険証の登録を確かめました。\n病院の受付の機械の使い方を、写真で確かめました。",
    next_step="次に病院へ行くとき、カードを持っていきます。\n受付の機械で、顔認証を選びます。",
    guides=[
        ("マイナ保険証（厚生労働省）", "https://www.mhlw.go.jp/stf/newpage_08277.html"),
        ("資格確認書（厚生労働省）", "https://www.mhlw.go.jp/stf/newpage_45470.html"),
    ],
    helper_name="田中",
)


def realistic_pages(body_pt: int) -> list[str]:
    """Each page's characters in drawing order (guides side by side stay apart)."""
    with pdfplumber.open(io.BytesIO(render_consult_memo(CENTRE, REALISTIC, body_pt))) as doc:
        return ["".join(c["text"] for c in page.chars if not c["text"].isspace()) for page in doc.pages]


def test_the_realistic_short_case_of_issue_14_fits_one_page_at_16_pt():
    # The large-print phone box and the PIN warning must not be left alone on a
    # second sheet.
    (text,) = realistic_pages(16)
    assert "誰にも教えないでください" in text and CENTRE.phone in text
    assert all(compact(title) in text for title, _url in REALISTIC.guides)


@pytest.mark.parametrize("body_pt", [20, 24])
def test_the_realistic_case_in_large_print_keeps_what_to_do_and_who_to_call_together(body_pt):
    # At 20 and 24 pt the case's own text, the contact box and the caution fill
    # most of an A4 page, and the guides follow on a second one: never more, and
    # the box never alone.
    texts = realistic_pages(body_pt)
    assert len(texts) == 2
    first, second = texts
    for line in [REALISTIC.summary, *REALISTIC.done.splitlines()]:
        assert compact(line) in first, line
    box = next(text for text in texts if "わからないときは" in text)
    assert "誰にも教えないでください" in box and CENTRE.phone in box and "受付番号：2026-0012" in box
    steps = [compact(step) for step in REALISTIC.next_step.splitlines()]
    assert any(step in box for step in steps) or all(compact(t) in box for t, _url in REALISTIC.guides)
    assert all(compact(title) in second for title, _url in REALISTIC.guides)
