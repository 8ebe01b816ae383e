"""The annual report (実績報告書, issue 7) read back the way the 推進委員会 meets it.

Text, characters, rectangles and lines are read with pdfplumber: the charts must be
vector drawings whose figures are real text, each bar's value written above it,
bars to scale, series told apart by their fill (not colour), nothing outside the
margins at 16, 20 and 24 pt. Figures are invented but realistic for a centre.
"""

from __future__ import annotations

import functools
import io
import re
from collections import Counter
from dataclasses import replace
from datetime import date
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

import pdfplumber
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4

from printouts.annual_report import (
    AnnualReport,
    Breakdown,
    MonthlySeries,
    ReportTable,
    TargetRow,
    achievement,
    fiscal_year_dates,
    render_annual_report,
)
from printouts.dates import fiscal_year_label, format_date
from printouts.layout import FOOTER_PT, MARGIN_TOP, MARGIN_X
from printouts.model import Centre

CENTRE = Centre("さくら市立中央公民館", "03-0000-5678")
PREPARED = date(2026, 4, 15)
TITLE = "令和7年度（2025年度）デジタル活用支援実績報告書"
MONTHS = tuple(f"{m}月" for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3))
# Three series with values that never coincide, so a printed figure names its series.
SESSIONS = (8, 9, 11, 10, 6, 12, 14, 13, 9, 7, 11, 12)
ATTENDANCES = (64, 71, 93, 88, 43, 102, 118, 111, 74, 57, 96, 105)
FIRST_TIMERS = (21, 18, 25, 19, 16, 27, 31, 26, 17, 15, 22, 24)

TARGETS = (
    TargetRow("スマホ教室の延べ参加者数", 1000, sum(ATTENDANCES), "人"),
    TargetRow("スマホ教室の開催回数", 150, sum(SESSIONS), "回"),
    TargetRow("デジタル相談窓口の相談件数", 500, 384, "件"),
    TargetRow("デジタル推進委員の登録者数", 40, 35, "人"),
    TargetRow("マイナポータル・マイナアプリの利用支援件数", None, 96, "件"),
)
CLASSES = ReportTable(
    "教室の実績（月別）",
    ("月", "開催回数", "定員", "延べ参加者数", "出席率"),
    tuple(
        (m, str(s), f"{s * 12:,}", str(a), f"{a / (s * 12) * 100:.1f}%")
        for m, s, a in zip(MONTHS, SESSIONS, ATTENDANCES)
    )
    + (("合計", str(sum(SESSIONS)), f"{sum(SESSIONS) * 12:,}", f"{sum(ATTENDANCES):,}", "69.8%"),),
    note="出席率＝延べ参加者数÷定員。中止した回は含みません。",
)
DESK = ReportTable(
    "デジタル相談窓口の実績（分類別）",
    ("分類", "件数", "平均対応時間（分）", "解決率"),
    (
        ("LINE", "82", "24", "91.5%"),
        ("マイナポータル・マイナアプリ", "96", "31", "84.4%"),
        ("詐欺・セキュリティ", "47", "18", "97.9%"),
        ("キャッシュレス決済", "39", "22", "89.7%"),
        ("電話・メール・カメラなど基本操作", "120", "15", "98.3%"),
    ),
)
VOLUNTEERS = ReportTable(
    "ボランティアの活動",
    ("区分", "登録者数", "活動回数", "活動時間"),
    (
        ("デジタル推進委員", "35", "412", "618時間"),
        ("学生ボランティア", "12", "96", "144時間"),
        ("職員", "6", "210", "315時間"),
    ),
)
MONTHLY = (
    MonthlySeries(
        "教室の開催回数と延べ参加者数（月別）",
        "回・人",
        MONTHS,
        (("開催回数", SESSIONS), ("延べ参加者数", ATTENDANCES)),
    ),
    MonthlySeries(
        "開催回数・参加者数・初参加者数（月別）",
        "回・人",
        MONTHS,
        (("開催回数", SESSIONS), ("延べ参加者数", ATTENDANCES), ("初参加者数", FIRST_TIMERS)),
    ),
)
TOPICS = Breakdown(
    "相談内容の内訳",
    (
        ("LINE", 82),
        ("マイナポータル・マイナアプリ", 96),
        ("詐欺・セキュリティ", 47),
        ("キャッシュレス決済", 39),
        ("電話・メール・カメラなど基本操作", 120),
    ),
    "件",
)
AGES = Breakdown(
    "受講者の年代",
    (("60歳未満", 41), ("60代", 118), ("70代", 204), ("80代", 97), ("90歳以上", 12), ("未回答", 8)),
    "人",
)
REMARKS = "参加者数は目標を上回った。\n相談窓口はマイナアプリ関係の相談が最も多く、土曜日の窓口を増やすことを検討する。"

FULL = AnnualReport(
    CENTRE, 2025, "全会場", PREPARED, TARGETS, (CLASSES, DESK, VOLUNTEERS), MONTHLY, (TOPICS, AGES), REMARKS
)
CHARTS_ONLY = AnnualReport(CENTRE, 2025, "中央公民館", PREPARED, (), (), MONTHLY, (TOPICS, AGES))
SIZES = (16, 20, 24)


@functools.cache
def pdf_of(name: str, body_pt: int) -> bytes:
    return render_annual_report({"full": FULL, "charts": CHARTS_ONLY}[name], body_pt)


@functools.cache
def pages(name: str, body_pt: int) -> tuple[dict, ...]:
    """Per page: text, chars (no spaces), words, rects, lines and images."""
    with pdfplumber.open(io.BytesIO(pdf_of(name, body_pt))) as doc:
        return tuple(
            {
                "text": page.extract_text(),
                "chars": [c for c in page.chars if not c["text"].isspace()],
                "words": page.extract_words(),
                "rects": page.rects,
                "lines": page.lines,
                "images": page.images,
            }
            for page in doc.pages
        )


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def stream(name: str, body_pt: int) -> str:
    """Every printed character in drawing order: a cell's or label's lines stay together."""
    return "".join(c["text"] for page in pages(name, body_pt) for c in page["chars"])


def rate(target: int, actual: int) -> str:
    """The achievement rate as the report must print it: rounded down to 0.1 %."""
    percent = (Decimal(actual) * 100 / Decimal(target)).quantize(Decimal("0.1"), rounding=ROUND_FLOOR)
    return f"{percent:,}%"


def share(value: int, total: int) -> str:
    return f"{(Decimal(value) * 100 / Decimal(total)).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


# The document as a whole -----------------------------------------------------


@pytest.mark.parametrize("body_pt", SIZES)
def test_title_with_both_year_labels_scope_period_and_date(body_pt):
    text = stream("full", body_pt)
    assert text.startswith(TITLE)
    for part in ("対象期間", "令和7年（2025年）4月1日（火）〜令和8年（2026年）3月31日（火）", "対象全会場", "作成日"):
        assert compact(part) in text, part
    assert compact(format_date(PREPARED)) in text
    assert compact(PdfReader(io.BytesIO(pdf_of("full", body_pt))).metadata.title) == TITLE


def test_fiscal_year_labels_follow_government_usage():
    assert fiscal_year_label(2025) == "令和7年度（2025年度）"
    assert fiscal_year_label(2019) == "令和元年度（2019年度）"  # 令和 from 2019-05-01
    assert fiscal_year_label(2018) == "平成30年度（2018年度）"
    assert fiscal_year_label(1989) == "平成元年度（1989年度）"
    assert fiscal_year_label(1988) == "昭和63年度（1988年度）"
    assert fiscal_year_dates(2025) == (date(2025, 4, 1), date(2026, 3, 31))


@pytest.mark.parametrize("body_pt", SIZES)
def test_sections_in_order(body_pt):
    text = stream("full", body_pt)
    headings = ["1.成果目標の進捗", "2.活動実績", "3.月別の推移と内訳", "4.所見"]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)
    # Without tables and remarks the sections are numbered on without gaps.
    charts = stream("charts", 16)
    assert "1.成果目標の進捗" in charts and "2.月別の推移と内訳" in charts
    assert "活動実績" not in charts and "所見" not in charts


@pytest.mark.parametrize("name,body_pt", [(n, pt) for n in ("full", "charts") for pt in SIZES])
def test_charts_are_vector_graphics_and_fonts_are_embedded(name, body_pt):
    pdf = pdf_of(name, body_pt)
    assert b"Helvetica" not in pdf
    for page in pages(name, body_pt):
        assert page["images"] == []
    chart_pages = [p for p in pages(name, body_pt) if any(r["stroke"] for r in p["rects"]) and p["lines"]]
    assert chart_pages
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"]["/Font"].values():
            assert "BIZUDPGothic" in ref.get_object()["/BaseFont"]


@pytest.mark.parametrize("name,body_pt", [(n, pt) for n in ("full", "charts") for pt in SIZES])
def test_nothing_outside_the_margins_and_no_tiny_type(name, body_pt):
    width, height = A4
    for number, page in enumerate(pages(name, body_pt), 1):
        for c in page["chars"]:
            assert MARGIN_X - 0.5 <= c["x0"] and c["x1"] <= width - MARGIN_X + 0.5, (number, c["text"])
            assert MARGIN_TOP - 0.5 <= c["top"] and c["bottom"] <= height, (number, c["text"])
            assert c["size"] >= 9 - 0.01, (number, c["text"])
        for shape in page["rects"] + page["lines"]:
            assert MARGIN_X - 1 <= shape["x0"] and shape["x1"] <= width - MARGIN_X + 1, number
            assert MARGIN_TOP - 1 <= shape["top"] and shape["bottom"] <= height, number


@pytest.mark.parametrize("body_pt", SIZES)
def test_headings_and_body_keep_their_sizes(body_pt):
    sizes = Counter(round(c["size"]) for page in pages("full", body_pt) for c in page["chars"])
    assert sizes[body_pt + 12] and sizes[body_pt + 8]  # the title, the section headings
    assert max(sizes, key=sizes.get) == body_pt  # most of the text is body text
    # Tables keep the body size; chart labels too, shrunk only to fit, never below 16 pt (issue 14).
    assert set(sizes) <= {FOOTER_PT, body_pt, body_pt + 8, body_pt + 12} | set(range(16, body_pt + 1))
    table_page = next(p for p in pages("full", body_pt) if "教室の実績（月別）" in compact(p["text"]))
    digits = {round(c["size"]) for c in table_page["chars"] if c["text"] in "0123456789"}
    assert digits <= {FOOTER_PT, body_pt, body_pt + 8}  # footer, table, 「2. 活動実績」


@pytest.mark.parametrize("name,body_pt", [(n, pt) for n in ("full", "charts") for pt in SIZES])
def test_footer_on_every_page_and_no_empty_page(name, body_pt):
    all_pages = pages(name, body_pt)
    for number, page in enumerate(all_pages, 1):
        text = compact(page["text"])
        assert compact(CENTRE.name) in text and CENTRE.phone in text
        assert text.endswith(f"{number}/{len(all_pages)}ページ")
        body = text.replace(compact(CENTRE.name), "").replace(f"電話{CENTRE.phone}", "")
        assert len(body) > len(f"{number}/{len(all_pages)}ページ"), number


def test_body_sizes_other_than_16_20_24_raise():
    for bad in (12, 18, 32):
        with pytest.raises(ValueError):
            render_annual_report(FULL, bad)


# 1. 成果目標の進捗 -------------------------------------------------------------


@pytest.mark.parametrize("body_pt", SIZES)
def test_every_target_with_figures_rate_grade_and_bar(body_pt):
    text = stream("full", body_pt)
    for target in TARGETS:
        assert compact(target.label) in text, target.label
        assert f"{target.actual:,}{target.unit}" in text
        if target.target is None:
            continue
        expected = rate(target.target, target.actual)
        assert f"{target.target:,}{target.unit}" in text
        # Once in the table, once beside its progress bar.
        assert text.count(expected) >= 2, expected
    assert "1,000人1,022人102.2%◎達成" in text
    assert "150回122回81.3%○概ね順調（80%以上）" in text
    assert "500件384件76.8%△要努力" in text
    assert "40人35人87.5%○概ね順調（80%以上）" in text
    assert "未設定96件－目標未設定" in text
    assert "評価：◎達成＝目標の100%以上" in text


def test_progress_bars_are_to_scale_with_the_rate_beside_them():
    bars = []
    for page in pages("full", 16):
        for w in page["words"]:
            if not re.fullmatch(r"\d+\.\d%", w["text"]):
                continue
            middle = (w["top"] + w["bottom"]) / 2
            # The bar's outline and its hatched fill: white, outlined, left of the rate.
            shapes = [r for r in page["rects"] if r["stroke"] and r["top"] < middle < r["bottom"] and r["x1"] < w["x0"]]
            if shapes:
                assert len(shapes) == 2 and all(r["non_stroking_color"] == (1.0, 1.0, 1.0) for r in shapes)
                axis, fill = sorted(shapes, key=lambda r: -r["width"])
                assert fill_of(fill, page["lines"]) == ("white", True, False)  # hatched
                bars.append((w["text"], fill["width"] / axis["width"]))
    assert [text for text, _f in bars] == ["102.2%", "81.3%", "76.8%", "87.5%"]
    # A common axis: 0–110 % here, since the best rate is 102.2 %.
    for text, fraction in bars:
        assert fraction == pytest.approx(float(text[:-1]) / 110, abs=0.005)


def test_report_without_targets_says_no_target_is_set():
    report = AnnualReport(CENTRE, 2026, "北公民館", date(2027, 4, 10), (), (), (), ())
    with pdfplumber.open(io.BytesIO(render_annual_report(report))) as doc:
        assert len(doc.pages) == 1
        text = compact(doc.pages[0].extract_text())
    assert text.startswith("令和8年度（2026年度）デジタル活用支援実績報告書")
    assert "1.成果目標の進捗成果目標は設定されていません（目標未設定）。" in text
    assert "%" not in text and "2." not in text


def test_unset_and_zero_targets_print_without_rate_or_bar():
    report = replace(
        FULL,
        targets=(TargetRow("相談件数", None, 384, "件"), TargetRow("開催回数", 0, 12, "回")),
        tables=(),
        monthly=(),
        breakdowns=(),
    )
    with pdfplumber.open(io.BytesIO(render_annual_report(report))) as doc:
        text = "".join(compact(page.extract_text()) for page in doc.pages)
        rects = [r for page in doc.pages for r in page.rects if r["stroke"]]
    assert "相談件数未設定384件－目標未設定" in text and "開催回数未設定12回－目標未設定" in text
    assert not re.search(r"\d%", text.split("評価：")[0])
    assert rects == []  # no progress bar drawn


@pytest.mark.parametrize(
    "target,actual,tenths,grade",
    [
        (1000, 1000, 1000, "達成"),
        (1000, 1022, 1022, "達成"),
        (150, 122, 813, "概ね順調（80%以上）"),
        (100, 80, 800, "概ね順調（80%以上）"),
        (10000, 7999, 799, "要努力"),
        (10000, 9999, 999, "概ね順調（80%以上）"),  # 99.99 % is printed 99.9 %, not 100.0 %
        (500, 0, 0, "要努力"),
        (None, 96, None, "目標未設定"),
        (0, 12, None, "目標未設定"),
    ],
)
def test_achievement_rate_and_grade(target, actual, tenths, grade):
    assert achievement(target, actual) == (tenths, grade)


@given(st.integers(1, 10**6), st.integers(0, 10**6))
def test_grade_always_agrees_with_the_printed_rate(target, actual):
    tenths, grade = achievement(target, actual)
    assert Decimal(tenths) / 10 == Decimal(rate(target, actual).rstrip("%").replace(",", ""))
    expected = "達成" if tenths >= 1000 else "概ね順調（80%以上）" if tenths >= 800 else "要努力"
    assert grade == expected
    assert (grade == "達成") == (actual >= target)


def test_negative_figures_raise():
    with pytest.raises(ValueError):
        achievement(100, -1)
    with pytest.raises(ValueError):
        achievement(-5, 1)


# 2. 活動実績 ------------------------------------------------------------------


@pytest.mark.parametrize("body_pt", SIZES)
def test_every_table_cell_heading_and_note_printed_row_by_row(body_pt):
    text = stream("full", body_pt)
    for table in (CLASSES, DESK, VOLUNTEERS):
        assert compact(table.title) in text
        assert compact("".join(table.columns)) in text, table.title
        for row in table.rows:
            assert compact("".join(row)) in text, row
        if table.note:
            assert compact(table.note) in text


def test_numbers_are_right_aligned_and_text_left_aligned():
    (page,) = [p for p in pages("full", 16) if "デジタル相談窓口の実績（分類別）" in compact(p["text"])]
    label_x0, number_x1 = set(), set()
    for label, count, *_rest in DESK.rows:
        (word,) = [w for w in page["words"] if w["text"] == label]
        (number,) = [w for w in page["words"] if w["text"] == count and abs(w["top"] - word["top"]) < 1]
        label_x0.add(round(word["x0"]))
        number_x1.add(round(number["x1"]))
    assert len(label_x0) == 1 and len(number_x1) == 1


@pytest.mark.parametrize("body_pt", [16, 24])
def test_a_table_longer_than_a_page_repeats_its_title_and_headings(body_pt):
    rows = tuple(
        (f"{i}月{d}日", "スマホの基本操作", str(8 + i % 5), f"{60 + i}.0%") for i in range(1, 13) for d in (5, 19, 26)
    )
    long = ReportTable("開催回ごとの実績", ("開催日", "講座", "参加者数", "出席率"), rows)
    report = AnnualReport(CENTRE, 2025, "全会場", PREPARED, (), (long,), (), ())
    with pdfplumber.open(io.BytesIO(render_annual_report(report, body_pt))) as doc:
        texts = ["".join(c["text"] for c in page.chars if not c["text"].isspace()) for page in doc.pages]
    table_pages = [t for t in texts if "開催日" in t]
    assert len(table_pages) >= 2
    for text in table_pages:
        assert "開催回ごとの実績開催日講座参加者数出席率" in text
    for row in rows:
        assert compact("".join(row)) in "".join(texts)


def test_table_rows_must_match_the_columns():
    bad = ReportTable("教室", ("月", "回数"), (("4月", "8", "64"),))
    with pytest.raises(ValueError):
        render_annual_report(replace(FULL, tables=(bad,)))


def test_an_empty_table_says_so():
    empty = ReportTable("ボランティアの活動", ("区分", "登録者数"), ())
    report = AnnualReport(CENTRE, 2025, "全会場", PREPARED, (), (empty,), (), ())
    with pdfplumber.open(io.BytesIO(render_annual_report(report))) as doc:
        assert "ボランティアの活動区分登録者数該当するデータはありません。" in compact(doc.pages[0].extract_text())


# 3. Charts -------------------------------------------------------------------


def bars_with_labels(page: dict) -> list[tuple[int, dict]]:
    """(value written above, bar) for each outlined bar with a number right above it."""
    found = []
    for bar in (r for r in page["rects"] if r["stroke"] and r["height"] > 0.5):
        centre = (bar["x0"] + bar["x1"]) / 2
        for w in page["words"]:
            if (
                re.fullmatch(r"[\d,]+", w["text"])
                and abs((w["x0"] + w["x1"]) / 2 - centre) < 1
                and 0 < bar["top"] - w["bottom"] < 0.5 * (w["bottom"] - w["top"])
            ):
                found.append((int(w["text"].replace(",", "")), bar))
    return found


def chart_page(name: str, body_pt: int, title: str) -> dict:
    (page,) = [p for p in pages(name, body_pt) if compact(title) in compact(p["text"])]
    return page


def fill_of(bar: dict, lines: list[dict]) -> tuple[str, bool, bool]:
    """(fill colour, has rising hatching, has falling hatching) of a bar or swatch."""
    inside = [
        line
        for line in lines
        if bar["x0"] - 0.1 <= line["x0"]
        and line["x1"] <= bar["x1"] + 0.1
        and bar["top"] - 0.1 <= line["top"]
        and line["bottom"] <= bar["bottom"] + 0.1
        and line["width"] > 0
        and line["height"] > 0
    ]
    # pdfplumber's y grows downwards: a rising line's right end has the smaller "top".
    rising = any((l["pts"][1][1] - l["pts"][0][1]) * (l["pts"][1][0] - l["pts"][0][0]) < 0 for l in inside)
    falling = any((l["pts"][1][1] - l["pts"][0][1]) * (l["pts"][1][0] - l["pts"][0][0]) > 0 for l in inside)
    return ("black" if bar["non_stroking_color"] == (0.0, 0.0, 0.0) else "white", rising, falling)


@pytest.mark.parametrize("body_pt", SIZES)
@pytest.mark.parametrize("chart", MONTHLY, ids=["two-series", "three-series"])
def test_monthly_bars_carry_their_values_and_are_to_scale(chart, body_pt):
    page = chart_page("charts", body_pt, chart.title)
    pairs = bars_with_labels(page)
    expected = Counter(v for _name, values in chart.series for v in values)
    assert Counter(v for v, _bar in pairs) == expected
    # Chart labels are at the body size (16 / 20 / 24 pt), smaller only where the figures
    # would not fit their bars, never below 16 pt (issue 14).
    label_sizes = {round(w["bottom"] - w["top"], 1) for w in page["words"] if w["text"] in MONTHS}
    assert len(label_sizes) == 1 and 16 <= label_sizes.pop() <= body_pt
    # One scale for every bar of the chart, panels included.
    ratios = [bar["height"] / v for v, bar in pairs]
    assert max(ratios) == pytest.approx(min(ratios), rel=0.01)
    # Months printed under the bars, in order.
    months = [w for w in page["words"] if w["text"] in MONTHS]
    assert Counter(w["text"] for w in months) == Counter(MONTHS)
    assert [w["text"] for w in sorted(months, key=lambda w: (round(w["top"]), w["x0"]))] == list(MONTHS)


@pytest.mark.parametrize("body_pt", SIZES)
def test_series_are_told_apart_by_fill_and_the_legend_shows_the_same_fill(body_pt):
    chart = MONTHLY[1]
    page = chart_page("charts", body_pt, chart.title)
    series_of = {v: name for name, values in chart.series for v in values}
    fills: dict[str, set] = {}
    for v, bar in bars_with_labels(page):
        fills.setdefault(series_of[v], set()).add(fill_of(bar, page["lines"]))
    assert all(len(f) == 1 for f in fills.values()), fills
    assert len({next(iter(f)) for f in fills.values()}) == len(chart.series)
    assert fills["開催回数"] == {("black", False, False)}
    for name, _values in chart.series:
        (label,) = [
            w
            for w in page["words"]
            if w["text"] == name and w["top"] < min(b["top"] for _v, b in bars_with_labels(page))
        ]
        (swatch,) = [
            r
            for r in page["rects"]
            if r["stroke"]
            and 0 < label["x0"] - r["x1"] < 10
            and abs((r["top"] + r["bottom"]) / 2 - (label["top"] + label["bottom"]) / 2) < 3
        ]
        assert {fill_of(swatch, page["lines"])} == fills[name], name
    assert "単位：回・人" in compact(page["text"])


@pytest.mark.parametrize("body_pt", SIZES)
@pytest.mark.parametrize("breakdown", [TOPICS, AGES], ids=["topics", "ages"])
def test_breakdown_labels_and_values_written_at_the_bar_ends(breakdown, body_pt):
    page = chart_page("charts", body_pt, breakdown.title)
    text = "".join(c["text"] for c in page["chars"])
    total = sum(v for _label, v in breakdown.items)
    bars = [r for r in page["rects"] if r["stroke"]]
    ratios = []
    for label, value in breakdown.items:
        assert compact(label) in text, label
        printed = f"{value:,}{breakdown.unit}（{share(value, total)}）"
        (word,) = [w for w in page["words"] if w["text"] == printed]
        middle = (word["top"] + word["bottom"]) / 2
        (bar,) = [b for b in bars if b["top"] < middle < b["bottom"] and b["x1"] < word["x0"]]
        assert 0 < word["x0"] - bar["x1"] < 0.6 * word["height"], printed
        ratios.append(bar["width"] / value)
    assert max(ratios) == pytest.approx(min(ratios), rel=0.01)


@pytest.mark.parametrize("body_pt", SIZES)
def test_no_chart_is_split_from_its_title(body_pt):
    for chart in MONTHLY:
        page = chart_page("charts", body_pt, chart.title)
        assert len(bars_with_labels(page)) >= sum(len(values) for _n, values in chart.series)
    for breakdown in (TOPICS, AGES):
        page = chart_page("charts", body_pt, breakdown.title)
        for label, value in breakdown.items:
            assert f"{value:,}{breakdown.unit}（" in page["text"]


@pytest.mark.parametrize("body_pt", [16, 24])
def test_zero_only_series_and_breakdown_draw_without_errors(body_pt):
    zero = MonthlySeries("相談件数（月別）", "件", MONTHS, (("窓口", (0,) * 12), ("電話", (0,) * 12)))
    nothing = Breakdown("相談内容の内訳", (("LINE", 0), ("詐欺・セキュリティ", 0)), "件")
    report = AnnualReport(
        CENTRE, 2025, "全会場", PREPARED, (TargetRow("相談件数", 500, 0, "件"),), (), (zero,), (nothing,)
    )
    with pdfplumber.open(io.BytesIO(render_annual_report(report, body_pt))) as doc:
        words = [w["text"] for page in doc.pages for w in page.extract_words()]
        text = "".join(compact(page.extract_text()) for page in doc.pages)
        assert all(page.images == [] for page in doc.pages)
    assert words.count("0") >= 24  # every bar's value, plus the axis
    assert "LINE0件" in text and "詐欺・セキュリティ0件" in text
    assert "500件0件0.0%△要努力" in text


def test_many_breakdown_items_continue_on_the_next_page():
    items = tuple((f"分類{i:02d}", 10 + i) for i in range(60))
    report = AnnualReport(CENTRE, 2025, "全会場", PREPARED, (), (), (), (Breakdown("相談内容の内訳", items, "件"),))
    with pdfplumber.open(io.BytesIO(render_annual_report(report))) as doc:
        text = "".join(compact(page.extract_text()) for page in doc.pages)
    assert "相談内容の内訳（続き）" in text
    for label, value in items:
        assert f"{label}" in text and f"{value}件（" in text


def test_bad_charts_raise():
    too_many = MonthlySeries("多すぎる系列", "人", MONTHS, tuple((f"系列{i}", (1,) * 12) for i in range(5)))
    short = MonthlySeries("足りない月", "人", MONTHS, (("開催回数", (1,) * 11),))
    negative = MonthlySeries("負の値", "人", MONTHS, (("開催回数", (-1,) + (1,) * 11),))
    for chart in (too_many, short, negative):
        with pytest.raises(ValueError):
            render_annual_report(replace(CHARTS_ONLY, monthly=(chart,)))
    for breakdown in (Breakdown("空", (), "件"), Breakdown("負", (("LINE", -3),), "件")):
        with pytest.raises(ValueError):
            render_annual_report(replace(CHARTS_ONLY, breakdowns=(breakdown,)))


# 4. 所見 ------------------------------------------------------------------------


def test_remarks_printed_line_by_line():
    lines = [compact(line) for page in pages("full", 16) for line in page["text"].splitlines()]
    start = lines.index("4.所見")
    assert lines[start + 1] == "参加者数は目標を上回った。"
    assert "".join(lines[start + 2 :]).startswith(compact(REMARKS.split("\n")[1]))
