"""The annual report (実績報告書) for the 推進委員会, in the style of a 進捗管理表 (issue 7).

One fiscal year (年度, April to March), one scope (「全会場」 or a venue). Top to bottom:

- the title 「令和7年度（2025年度） デジタル活用支援 実績報告書」 and a box with the
  period, the scope and 作成日 (和暦・西暦);
- 1. 成果目標の進捗: 指標 / 目標 / 実績 / 達成率 / 評価, each target with a hatched
  progress bar and its percentage (「目標未設定」 when there are no targets);
- 2. 活動実績: the caller's tables (教室・相談窓口・ボランティア …), header rows
  repeated on every page a table runs onto;
- 3. 月別の推移と内訳: monthly bar charts and horizontal breakdown charts;
- 4. 所見: the remarks, when there are any.

Charts are vector drawings (reportlab.graphics), never images, and readable without
colour (DESIGN.md §8): each series has its own black-and-white fill (solid black,
diagonal hatching, white, cross-hatching) repeated in the legend, and every bar
carries its value as text. A chart is never split across a page. Chart labels
print at the body size (16 / 20 / 24 pt), smaller only where figures would not
fit their bars and never below 16 pt; chart titles print at the body size.

A pure renderer: plain data in, PDF bytes out; the page fills these dataclasses
from db/reports.py.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing, Line, Rect, Shape, String
from reportlab.lib.colors import black, white
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Table

from locales import _
from printouts.dates import fiscal_year_label, format_date
from printouts.desk import CELL_PAD_X, cell_style, info_box, padding, prefer_spaces
from printouts.layout import (
    para,
    BODY_SIZES,
    CONTENT_WIDTH,
    FONT,
    FONT_BOLD,
    LEADING,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    PAGE_SIZE,
    Footer,
    build_pdf,
    styles as paragraph_styles,
    table_style,
)
from printouts.model import Centre

# Issue 7: 達成 at 100 % of the target, 概ね順調 from 80 %, 要努力 below.
ON_TRACK_PERCENT = 80

# Chart labels (axes, values, legend) print at the body size and never below
# 16 pt, the smallest body size (issue 14 asks ≥ 14 pt; DESIGN.md §8 body ≥ 16 pt).
CHART_SCALE = 1.0
MIN_CHART_PT = 16

# Fills of a chart's series, in order: told apart without colour (DESIGN.md §8).
PATTERNS = ("black", "hatch", "white", "cross")
OUTLINE_PT = 0.75
HATCH_PT = 0.6
HATCH_GAP_PT = 3.5

# A monthly chart's months may be split into up to this many stacked panels
# (4月〜9月 over 10月〜3月 …) so each bar is wide enough for its value label.
MAX_PANELS = 4
PLOT_MAX_PT = 170  # height of one panel's plot area
GROUP_SHARE = 0.8  # share of a month's slot taken by its bars

# Cell padding of the targets table when each 指標 gets its own row (24 pt), in em.
STACKED_PAD_X = 0.2

# Progress bars of the targets run to at least 100 % and at most 200 % of the target.
BAR_SCALE_MAX_PERCENT = 200

_NUMBER = re.compile(r"^[+\-−]?[\d,]+(\.\d+)?[%％]?$")
_EMPTY_CELLS = ("", "-", "－", "—", "―")


@dataclass(frozen=True)
class ReportTable:
    """A table of the year's figures, cells already formatted by the caller.

    Attributes:
        title: printed above the table (bold, body size), e.g. 「教室の実績（月別）」.
        columns: column headings, e.g. ("月", "開催回数", "延べ参加者数").
        rows: one tuple of text cells per row, each as long as `columns`, e.g.
            ("4月", "8", "1,234", "85.0%"). Columns whose cells are all numbers
            (digits, commas, a decimal point, an optional %) are right-aligned.
        note: printed under the table, "" for none.
    """

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""


@dataclass(frozen=True)
class TargetRow:
    """One outcome target (成果目標) of the plan and the year's result.

    Attributes:
        label: the 指標, e.g. 「スマホ教室の延べ参加者数」.
        target: the year's target, or None (or 0) when none is set (目標未設定).
        actual: the year's result, ≥ 0.
        unit: printed after both numbers, e.g. "人", "回", "件"; "" for none.
    """

    label: str
    target: int | None
    actual: int
    unit: str


@dataclass(frozen=True)
class MonthlySeries:
    """A monthly bar chart: one bar per series in each month, on one shared axis.

    Attributes:
        title: printed above the chart, e.g. 「教室の開催回数と参加者数（月別）」.
        unit: the axis unit shared by every series, e.g. "人" (printed 「単位：人」).
        months: month labels in order, e.g. ("4月", "5月", …, "3月").
        series: up to 4 × (name, one value ≥ 0 per month), e.g.
            (("開催回数", (8, 9, …)), ("延べ参加者数", (64, 80, …))).
    """

    title: str
    unit: str
    months: tuple[str, ...]
    series: tuple[tuple[str, tuple[int, ...]], ...]


@dataclass(frozen=True)
class Breakdown:
    """A horizontal bar chart of a total split by category, e.g. 相談記録 by 分類.

    Attributes:
        title: printed above the chart, e.g. 「相談内容の内訳」.
        items: (label, value ≥ 0) in the order to print, e.g. (("LINE", 58), …).
        unit: printed after each value, e.g. "件".
    """

    title: str
    items: tuple[tuple[str, int], ...]
    unit: str


@dataclass(frozen=True)
class AnnualReport:
    """Everything the annual report prints.

    Attributes:
        centre: printed in every footer; also the PDF author.
        fiscal_year: the 年度 as its April's year, e.g. 2025 for 2025-04 to 2026-03
            (db.reports.fiscal_year_of).
        scope_label: what the figures cover, e.g. 「全会場」 or a venue's name.
        prepared_on: the date the report was made (作成日).
        targets: the outcome targets; empty prints 「目標未設定」.
        tables, monthly, breakdowns: printed in the given order; any may be empty.
        remarks: 所見, free text ("\\n" starts a new line); "" leaves the section out.
    """

    centre: Centre
    fiscal_year: int
    scope_label: str
    prepared_on: date
    targets: tuple[TargetRow, ...]
    tables: tuple[ReportTable, ...]
    monthly: tuple[MonthlySeries, ...]
    breakdowns: tuple[Breakdown, ...]
    remarks: str = ""


def fiscal_year_dates(fiscal_year: int) -> tuple[date, date]:
    """First and last day of the fiscal year: 2025 → (2025-04-01, 2026-03-31)."""
    return date(fiscal_year, 4, 1), date(fiscal_year + 1, 3, 31)


def achievement(target: int | None, actual: int) -> tuple[int | None, str]:
    """A target's achievement rate and 評価 (issue 7).

    The rate is rounded down to 0.1 %, so a printed rate never claims more than was
    achieved, and the 評価 always agrees with the printed rate.

    Args:
        target: the target, None or 0 when none is set; actual: the result.
    Returns:
        (rate in tenths of a percent, e.g. 1045 for 104.5 %, or None when no target
        is set; 評価: 「達成」 (≥ 100 %), 「概ね順調（80%以上）」 (≥ 80 %), 「要努力」, or
        「目標未設定」).
    Raises:
        ValueError: a negative target or result.
    """
    if actual < 0 or (target is not None and target < 0):
        raise ValueError(f"targets and results are counts ≥ 0, not target={target!r} actual={actual!r}")
    if not target:
        return None, _("目標未設定")
    tenths = actual * 1000 // target
    if tenths >= 1000:
        return tenths, _("達成")
    if tenths >= ON_TRACK_PERCENT * 10:
        return tenths, _("概ね順調（80%以上）")
    return tenths, _("要努力")


def _percent(tenths: int) -> str:
    return f"{tenths // 10:,}.{tenths % 10}%"


def _amount(value: int, unit: str) -> str:
    return f"{value:,}{unit}"


def chart_pt(body_pt: int) -> float:
    """Size in pt of chart labels (axes, values, legend) at `body_pt`: 16 / 20 / 24."""
    return max(MIN_CHART_PT, body_pt * CHART_SCALE)


# Chart drawing -------------------------------------------------------------------


def _hatch(x: float, y: float, w: float, h: float, rising: bool) -> list[Shape]:
    # 45° lines clipped to the rectangle by hand: a Drawing has no clipping paths.
    lines: list[Shape] = []
    step = HATCH_GAP_PT * math.sqrt(2)
    k = -h + step / 2 if rising else step / 2
    end = w if rising else w + h
    while k < end:
        if rising:  # v = u - k
            u0, u1 = max(0.0, k), min(w, h + k)
            v0, v1 = u0 - k, u1 - k
        else:  # v = k - u
            u0, u1 = max(0.0, k - h), min(w, k)
            v0, v1 = k - u0, k - u1
        if u1 > u0:
            lines.append(Line(x + u0, y + v0, x + u1, y + v1, strokeColor=black, strokeWidth=HATCH_PT))
        k += step
    return lines


def _filled(pattern: str, x: float, y: float, w: float, h: float) -> list[Shape]:
    """A bar in `pattern` (one of PATTERNS), outlined in black; nothing when empty."""
    if w <= 0 or h <= 0:
        return []
    shapes: list[Shape] = [
        Rect(x, y, w, h, fillColor=black if pattern == "black" else white, strokeColor=black, strokeWidth=OUTLINE_PT)
    ]
    if pattern in ("hatch", "cross"):
        shapes += _hatch(x, y, w, h, rising=True)
    if pattern == "cross":
        shapes += _hatch(x, y, w, h, rising=False)
    return shapes


def _drawing(width: float, height: float) -> Drawing:
    # The renderer's starting font would reference an unembedded Helvetica.
    drawing = Drawing(width, height)
    drawing.initialFontName = FONT
    return drawing


def _text(x: float, y: float, text: str, size: float, anchor: str = "start", bold: bool = False) -> String:
    return String(x, y, text, fontName=FONT_BOLD if bold else FONT, fontSize=size, fillColor=black, textAnchor=anchor)


def _width(text: str, size: float, bold: bool = False) -> float:
    return stringWidth(text, FONT_BOLD if bold else FONT, size)


def _wrap(text: str, size: float, width: float) -> list[str]:
    # Greedy, preferring a break after 「・」「、」「／」 or a space past the line's first third.
    lines: list[str] = []
    line = ""
    for ch in text:
        if line and _width(line + ch, size) > width:
            cut = max(line.rfind(c) for c in "・、／ ") + 1
            if cut <= len(line) // 3:
                cut = len(line)
            lines.append(line[:cut].rstrip())
            line = line[cut:].lstrip()
        line += ch
    lines.append(line)
    return lines


def _ticks(top_value: int) -> list[int]:
    """Axis ticks 0, step, …, ≥ `top_value`: about 4 steps of 1, 2 or 5 × 10ⁿ, at least 1."""
    top_value = max(top_value, 1)
    raw = top_value / 4
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    return list(range(0, math.ceil(top_value / step) * step + 1, step))


def _legend(items: list[tuple[str, str | None]], s: float, width: float) -> tuple[list[Shape], float]:
    """Legend rows drawn from y = 0 downwards: (shapes, height). Items are
    (text, pattern); a None pattern prints the text alone (the unit)."""
    box = 1.2 * s
    row_h = 1.8 * s
    placed: list[list[tuple[float, str, str | None]]] = [[]]
    x = 0.0
    for text, pattern in items:
        w = (box + 0.4 * s if pattern else 0) + _width(text, s)
        if placed[-1] and x + w > width:
            placed.append([])
            x = 0.0
        placed[-1].append((x, text, pattern))
        x += w + 1.5 * s
    shapes: list[Shape] = []
    for r, row in enumerate(placed):
        base = -(r + 1) * row_h + 0.45 * s
        for x, text, pattern in row:
            if pattern:
                shapes += _filled(pattern, x, base - 0.15 * s, box, box)
                x += box + 0.4 * s
            shapes.append(_text(x, base + 0.1 * s, text, s))
    return shapes, len(placed) * row_h


def _value_label(v: int) -> str:
    return f"{v:,}"


def _monthly_layout(
    chart: MonthlySeries, s: float, width: float, max_height: float, force: bool = False
) -> dict | None:
    """Sizes for `chart` at label size `s`, split into the fewest panels whose bars
    fit their value labels; None when no split of up to MAX_PANELS fits, unless
    `force`, which takes the most panels regardless."""
    values = [v for _name, vs in chart.series for v in vs]
    ticks = _ticks(max(values))
    axis_w = max(_width(_value_label(t), s) for t in ticks) + 0.6 * s
    label_w = max(_width(_value_label(v), s) for v in values) + 2
    month_w = max(_width(m, s) for m in chart.months) + 4
    legend_items = ([(_("単位：{unit}").format(unit=chart.unit), None)] if chart.unit else []) + [
        (name, PATTERNS[i]) for i, (name, _vs) in enumerate(chart.series)
    ]
    legend_h = _legend(legend_items, s, width)[1]
    head, foot, gap = 1.5 * s, 1.8 * s, 1.2 * s
    most = min(MAX_PANELS, len(chart.months))
    for tried in range(1, most + 1):
        per_panel = math.ceil(len(chart.months) / tried)
        panels = math.ceil(len(chart.months) / per_panel)  # 5 months in 4 tries: 2 a panel, 3 panels
        slot = (width - axis_w) / per_panel
        bar_slot = slot * GROUP_SHARE / len(chart.series)
        plot_h = min(PLOT_MAX_PT, (max_height - legend_h - 0.5 * s - (panels - 1) * gap) / panels - head - foot)
        fits = bar_slot >= label_w and slot >= month_w and plot_h >= 5 * s
        if fits or (force and tried == most):
            return {
                "s": s,
                "ticks": ticks,
                "axis_w": axis_w,
                "panels": panels,
                "per_panel": per_panel,
                "slot": slot,
                "bar_slot": bar_slot,
                "plot_h": max(plot_h, 2 * s),
                "head": head,
                "foot": foot,
                "gap": gap,
                "legend": legend_items,
                "legend_h": legend_h,
                "height": legend_h + 0.5 * s + panels * (head + max(plot_h, 2 * s) + foot) + (panels - 1) * gap,
            }
    return None


def monthly_chart(
    chart: MonthlySeries, body_pt: int = 16, width: float = CONTENT_WIDTH, max_height: float = 600
) -> Drawing:
    """A monthly chart as a vector Drawing: grouped bars with their values written
    above them, a legend with each series' fill, months under the bars, a dashed
    grid and the axis figures at the left.

    When the months side by side leave a bar too narrow for its value label, the
    months are split into stacked panels on one scale (4月〜9月 over 10月〜3月, up
    to 4 panels); if even that is too narrow the labels shrink, never below 16 pt.

    Args:
        chart: the data; body_pt: 16, 20 or 24 (labels are `chart_pt(body_pt)`);
        width, max_height: the room in pt.
    Returns:
        Drawing `width` wide, at most `max_height` tall.
    Raises:
        ValueError: no months or series, more than 4 series, a series whose length
            differs from the months, or a negative value.
    """
    if not chart.months or not chart.series:
        raise ValueError(f"chart {chart.title!r} needs months and at least one series")
    if len(chart.series) > len(PATTERNS):
        raise ValueError(f"chart {chart.title!r}: at most {len(PATTERNS)} series can be told apart without colour")
    for name, values in chart.series:
        if len(values) != len(chart.months):
            raise ValueError(f"series {name!r} has {len(values)} values for {len(chart.months)} months")
        if any(v < 0 for v in values):
            raise ValueError(f"series {name!r} has a negative value")
    s = chart_pt(body_pt)
    layout = _monthly_layout(chart, s, width, max_height)
    while layout is None and s > MIN_CHART_PT:
        s = max(MIN_CHART_PT, s - 1)
        layout = _monthly_layout(chart, s, width, max_height)
    if layout is None:
        layout = _monthly_layout(chart, s, width, max_height, force=True)
    return _draw_monthly(chart, layout, width)


def _draw_monthly(chart: MonthlySeries, lay: dict, width: float) -> Drawing:
    s, ticks, plot_h = lay["s"], lay["ticks"], lay["plot_h"]
    drawing = _drawing(width, lay["height"])
    legend, _h = _legend(lay["legend"], s, width)
    _shift(legend, 0, lay["height"])
    for shape in legend:
        drawing.add(shape)
    top_value = ticks[-1]
    inner_gap = min(2.0, lay["bar_slot"] * 0.1)
    bar_w = lay["bar_slot"] - inner_gap
    y_top = lay["height"] - lay["legend_h"] - 0.5 * s
    x0 = lay["axis_w"]
    for p in range(lay["panels"]):
        months = range(p * lay["per_panel"], min(len(chart.months), (p + 1) * lay["per_panel"]))
        base = y_top - lay["head"] - plot_h
        right = x0 + len(months) * lay["slot"]
        for t in ticks:
            y = base + t / top_value * plot_h
            if t:
                drawing.add(Line(x0, y, right, y, strokeColor=black, strokeWidth=0.4, strokeDashArray=[2, 2]))
            drawing.add(_text(x0 - 0.4 * s, y - 0.35 * s, _value_label(t), s, "end"))
        for i, m in enumerate(months):
            slot_x = x0 + i * lay["slot"]
            centre = slot_x + lay["slot"] / 2
            drawing.add(_text(centre, base - 1.2 * s, chart.months[m], s, "middle"))
            group_x = centre - lay["bar_slot"] * len(chart.series) / 2
            for j, (_name, values) in enumerate(chart.series):
                v = values[m]
                x = group_x + j * lay["bar_slot"] + inner_gap / 2
                h = v / top_value * plot_h
                for shape in _filled(PATTERNS[j], x, base, bar_w, h):
                    drawing.add(shape)
                # A white ground keeps the figure legible where it crosses a grid line.
                label = _value_label(v)
                label_w = _width(label, s)
                drawing.add(
                    Rect(
                        x + (bar_w - label_w) / 2 - 1,
                        base + h + 0.15 * s,
                        label_w + 2,
                        s,
                        fillColor=white,
                        strokeColor=None,
                    )
                )
                drawing.add(_text(x + bar_w / 2, base + h + 0.3 * s, label, s, "middle"))
        drawing.add(Line(x0, base, x0, base + plot_h, strokeColor=black, strokeWidth=OUTLINE_PT))
        drawing.add(Line(x0, base, right, base, strokeColor=black, strokeWidth=1.2))
        y_top = base - lay["foot"] - lay["gap"]
    return drawing


def _shift(shapes: list[Shape], dx: float, dy: float) -> None:
    for shape in shapes:
        if isinstance(shape, Line):
            shape.x1 += dx
            shape.x2 += dx
            shape.y1 += dy
            shape.y2 += dy
        else:
            shape.x += dx
            shape.y += dy


def _breakdown_rows(chart: Breakdown, s: float, width: float) -> tuple[list[tuple[list[str], int, str]], float, float]:
    total = sum(v for _label, v in chart.items)
    values = []
    for label, v in chart.items:
        text = _amount(v, chart.unit)
        if total:
            share = (v * 2000 + total) // (2 * total)  # tenths of a percent, rounded half up
            text += _("（{share}%）").format(share=f"{share // 10}.{share % 10}")
        values.append((label, v, text))
    value_w = max(_width(text, s) for _l, _v, text in values) + 0.5 * s
    label_w = min(max(_width(label, s) for label, _v, _t in values), 0.38 * width)
    rows = [(_wrap(label, s, label_w), v, text) for label, v, text in values]
    return rows, label_w, value_w


def breakdown_charts(
    chart: Breakdown, body_pt: int = 16, width: float = CONTENT_WIDTH, max_height: float = 600
) -> list[Drawing]:
    """A breakdown as horizontal bars: the label at the left (wrapped when long),
    the bar (hatched), and the value with its unit and share written at the bar's end.

    Args:
        chart: the data; body_pt: 16, 20 or 24 (labels are `chart_pt(body_pt)`);
        width, max_height: the room in pt.
    Returns:
        Drawings `width` wide, each at most `max_height` tall: one, or more when the
        items do not fit one page (「（続き）」 is the caller's to print).
    Raises:
        ValueError: no items, or a negative value.
    """
    if not chart.items:
        raise ValueError(f"breakdown {chart.title!r} has no items")
    if any(v < 0 for _label, v in chart.items):
        raise ValueError(f"breakdown {chart.title!r} has a negative value")
    s = chart_pt(body_pt)
    rows, label_w, value_w = _breakdown_rows(chart, s, width)
    bar_x = label_w + 0.6 * s
    bar_room = width - bar_x - 0.4 * s - value_w
    top_value = max((v for _label, v in chart.items), default=0) or 1
    line_h = 1.25 * s
    bar_h = 1.3 * s
    gap = 0.6 * s
    heights = [max(len(lines) * line_h, bar_h) + gap for lines, _v, _t in rows]
    chunks: list[list[int]] = [[]]
    used = 0.0
    for i, h in enumerate(heights):
        if chunks[-1] and used + h > max_height - gap:
            chunks.append([])
            used = 0.0
        chunks[-1].append(i)
        used += h
    drawings = []
    for chunk in chunks:
        height = sum(heights[i] for i in chunk) + gap
        drawing = _drawing(width, height)
        y = height - gap / 2
        for i in chunk:
            lines, v, text = rows[i]
            middle = y - heights[i] / 2
            first = middle + (len(lines) - 1) * line_h / 2 - 0.35 * s
            for n, line in enumerate(lines):
                drawing.add(_text(0, first - n * line_h, line, s))
            length = v / top_value * bar_room
            for shape in _filled("hatch", bar_x, middle - bar_h / 2, length, bar_h):
                drawing.add(shape)
            drawing.add(_text(bar_x + length + 0.4 * s, middle - 0.35 * s, text, s))
            y -= heights[i]
        drawing.add(Line(bar_x, 0, bar_x, height, strokeColor=black, strokeWidth=1.2))
        drawings.append(drawing)
    return drawings


def _progress_bar(tenths: int, scale: int, width: float, text_w: float, body_pt: int) -> Drawing:
    """A hatched bar as long as the rate on a 0–`scale` % axis, a thick line at 100 %
    (the target), and the rate printed at the body size in the `text_w` pt at the
    right (the same for every bar, so the bars share one axis)."""
    text = _percent(tenths)
    bar_w = width - text_w
    height = body_pt * LEADING
    bar_h = 0.8 * body_pt
    y = (height - bar_h) / 2
    drawing = _drawing(width, height)
    drawing.add(Rect(0, y, bar_w, bar_h, fillColor=white, strokeColor=black, strokeWidth=OUTLINE_PT))
    for shape in _filled("hatch", 0, y, min(tenths, scale * 10) / (scale * 10) * bar_w, bar_h):
        drawing.add(shape)
    target_x = 100 / scale * bar_w
    drawing.add(Line(target_x, 1, target_x, height - 1, strokeColor=black, strokeWidth=2.5))
    drawing.add(_text(width, y + 0.1 * body_pt, text, body_pt, "end", bold=True))
    return drawing


# Tables ----------------------------------------------------------------------------


def _is_number(cell: str) -> bool:
    return bool(_NUMBER.match(cell.strip()))


def _numeric_columns(columns: tuple[str, ...], rows: tuple[tuple[str, ...], ...]) -> list[bool]:
    result = []
    for c in range(len(columns)):
        cells = [row[c].strip() for row in rows if row[c].strip() not in _EMPTY_CELLS]
        result.append(bool(cells) and all(_is_number(cell) for cell in cells))
    return result


def _measure(
    columns: tuple[str, ...], rows: tuple[tuple[str, ...], ...], size: float
) -> tuple[list[float], list[float]]:
    """Widths in pt of each column's heading (bold) and widest cell line, padding excluded."""
    heads = [_width(head, size, bold=True) for head in columns]
    cells = [
        max((_width(line, size) for row in rows for line in row[c].split("\n")), default=0.0)
        for c in range(len(columns))
    ]
    return heads, cells


def _column_widths(
    columns: tuple[str, ...], rows: tuple[tuple[str, ...], ...], numeric: list[bool], size: float, width: float
) -> list[float] | None:
    """Column widths filling `width`, or None when the numbers cannot fit whole.

    Numbers never break; text wraps down to 3 characters a line, headings over
    numbers down to 2. Room goes first to the cells, so a heading wraps before the
    figures or names under it.
    """
    pad = 2 * CELL_PAD_X * size + 1  # 1 pt spare: a text exactly as wide as its cell wraps
    heads, cells = _measure(columns, rows, size)

    # A wrapped line keeps 1 em free for a hanging 「）」 or 「。」 (see layout.styles).
    # Headings over numbers may wrap to 2 characters a line.
    def least(text_w: float, chars: int) -> float:
        return text_w if text_w <= chars * size else (chars + 1) * size

    minimum = [
        (max(cells[c], least(heads[c], 2)) if numeric[c] else least(max(heads[c], cells[c]), 3)) + pad
        for c in range(len(columns))
    ]
    if sum(minimum) > width:
        return None
    # Then headings broken before their bracket (「平均対応時間」 over 「（分）」), then whole.
    split_heads = [max(_width(line, size, bold=True) for line in _bracket_lines(head)) for head in columns]
    tiers = [cells, [max(h, c) for h, c in zip(split_heads, cells)], [max(h, c) for h, c in zip(heads, cells)]]
    widths = minimum
    for tier in tiers:
        widths = _share_out([max(t + pad - w, 0.0) for t, w in zip(tier, widths)], widths, width - sum(widths))
    extra = (width - sum(widths)) / len(columns)
    return [w + extra for w in widths]


def _share_out(wants: list[float], widths: list[float], room: float) -> list[float]:
    """`widths` grown by their `wants` out of `room`, the smallest wants met first
    (a column a little short of one line gets it rather than everyone a bit)."""
    grown = list(widths)
    order = sorted(range(len(wants)), key=lambda i: wants[i])
    for n, i in enumerate(order):
        give = min(wants[i], room / (len(order) - n))
        grown[i] += give
        room -= give
    return grown


def _fit_columns(
    columns: tuple[str, ...], rows: tuple[tuple[str, ...], ...], numeric: list[bool], body_pt: int
) -> tuple[int, list[float]]:
    """(cell size, column widths): the body size, or a smaller body size down to
    16 pt when a wide table's numbers would not fit whole; failing that, 16 pt with
    the columns shrunk in proportion (long numbers then wrap)."""
    for size in [b for b in sorted(BODY_SIZES, reverse=True) if b <= body_pt]:
        widths = _column_widths(columns, rows, numeric, size, CONTENT_WIDTH)
        if widths is not None:
            return size, widths
    size = min(BODY_SIZES)
    heads, cells = _measure(columns, rows, size)
    natural = [max(h, c) + 2 * CELL_PAD_X * size + size for h, c in zip(heads, cells)]
    return size, [CONTENT_WIDTH * w / sum(natural) for w in natural]


def _cell_styles(styles: dict[str, ParagraphStyle], size: float) -> dict[str, ParagraphStyle]:
    """Cell styles at `size`; the "_wrap" variants keep 1 em free at the right for
    a hanging 「）」 (layout.styles), the others are for text that fits on one line."""
    body = ParagraphStyle("table_body", parent=styles["body"], fontSize=size, leading=size * LEADING)
    head = cell_style(body, "table_head", bold=True, rightIndent=0)
    text = cell_style(body, "table_text", rightIndent=0)
    number = cell_style(body, "table_number", rightIndent=0, alignment=TA_RIGHT)
    return {
        "caption": cell_style(styles["body"], "table_caption", bold=True),
        "head": head,
        "head_wrap": cell_style(head, "table_head_wrap", rightIndent=size),
        "head_number": cell_style(head, "table_head_number", alignment=TA_RIGHT),
        "head_number_wrap": cell_style(head, "table_head_number_wrap", alignment=TA_RIGHT, rightIndent=size),
        "text": text,
        "text_wrap": cell_style(text, "table_text_wrap", rightIndent=size),
        "number": number,
        "number_wrap": cell_style(number, "table_number_wrap", rightIndent=size),
    }


def _grid(body_pt: float, header_rows: int) -> list[tuple]:
    return [
        *padding(body_pt),
        ("SPAN", (0, 0), (-1, 0)),
        ("LEFTPADDING", (0, 0), (-1, 0), 0),
        ("GRID", (0, 1), (-1, -1), 0.75, black),
        ("BOX", (0, 1), (-1, -1), 1.5, black),
        ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 2, black),
        ("VALIGN", (0, 1), (-1, -1), "MIDDLE"),
    ]


def report_table(table: ReportTable, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """One `ReportTable` as flowables: the title and heading row (both repeated on
    every page the table runs onto), the rows, then the note.

    Args:
        table: the data; styles: `printouts.layout.styles(body_pt)`.
    Returns:
        [Table] or [Table, note Paragraph]; the table is CONTENT_WIDTH wide.
    Raises:
        ValueError: no columns, or a row whose length differs from the columns.
    """
    if not table.columns:
        raise ValueError(f"table {table.title!r} has no columns")
    for row in table.rows:
        if len(row) != len(table.columns):
            raise ValueError(f"table {table.title!r}: a row of {len(row)} cells for {len(table.columns)} columns")
    numeric = _numeric_columns(table.columns, table.rows)
    size, widths = _fit_columns(table.columns, table.rows, numeric, int(styles["body"].fontSize))
    cs = _cell_styles(styles, size)
    heads, cells = _measure(table.columns, table.rows, size)
    room = [w - 2 * CELL_PAD_X * size for w in widths]
    header = []
    for c, head in enumerate(table.columns):
        markup = _break_before_bracket(head, size, room[c], bold=True)
        fits = max(_width(line, size, bold=True) for line in markup.split("<br/>")) < room[c]
        header.append(Paragraph(markup, cs[("head_number" if numeric[c] else "head") + ("" if fits else "_wrap")]))
    cell_styles = [
        cs[("number" if numeric[c] else "text") + ("_wrap" if cells[c] >= room[c] else "")] for c in range(len(widths))
    ]
    data: list[list] = [[para(table.title, cs["caption"])] + [""] * (len(widths) - 1), header]
    for row in table.rows:
        data.append([para(cell, cell_styles[c]) for c, cell in enumerate(row)])
    commands = _grid(size, 2)
    if not table.rows:
        data.append([para(_("該当するデータはありません。"), cs["text_wrap"])] + [""] * (len(widths) - 1))
        commands.append(("SPAN", (0, 2), (-1, 2)))
    # Never the title and heading row alone at a page's foot.
    commands.append(("NOSPLIT", (0, 0), (-1, 2)))
    result = Table(data, colWidths=widths, repeatRows=2, spaceBefore=size)
    result.lead_rows = 3
    result.setStyle(table_style(*commands))
    flowables: list[Flowable] = [result]
    if table.note:
        flowables.append(para(table.note, cell_style(styles["body"], "table_note", spaceBefore=0.3 * size)))
    return flowables


def _bracket_lines(text: str) -> list[str]:
    head, bracket, tail = text.partition("（")
    return [head, bracket + tail] if bracket and head else [text]


def _break_before_bracket(text: str, size: float, width: float, bold: bool = False) -> str:
    """Markup for `text` in a cell `width` pt wide: 「平均対応時間（分）」 too long for
    one line breaks before its bracket when both parts then fit, rather than
    inside a word."""
    lines = _bracket_lines(text)
    if _width(text, size, bold) <= width or any(_width(line, size, bold) > width for line in lines):
        return escape(text)
    return "<br/>".join(escape(line) for line in lines)


def targets_table(targets: tuple[TargetRow, ...], styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """The 進捗管理表: 指標 / 目標 / 実績 / 達成率 / 評価 for each target, with a
    progress bar under each target that has one, and a key to the 評価.

    When the body size leaves the 指標 column under 6 characters (24 pt), each 指標
    gets its own full-width row above its figures instead.

    Args:
        targets: the rows; empty prints that no targets are set (「目標未設定」).
        styles: `printouts.layout.styles(body_pt)`.
    Returns:
        flowables, CONTENT_WIDTH wide.
    Raises:
        ValueError: a negative target or result.
    """
    body = styles["body"]
    b = body.fontSize
    if not targets:
        return [para(_("成果目標は設定されていません（目標未設定）。"), body)]
    rates = [achievement(t.target, t.actual) for t in targets]
    marks = {_("達成"): "◎", _("概ね順調（80%以上）"): "○", _("要努力"): "△", _("目標未設定"): ""}
    cs = _cell_styles(styles, b)
    figures = [
        (
            _amount(t.target, t.unit) if t.target else _("未設定"),
            _amount(t.actual, t.unit),
            _percent(tenths) if tenths is not None else "－",
            f"{marks[grade]}{grade}",
        )
        for t, (tenths, grade) in zip(targets, rates)
    ]
    heads = (_("目標"), _("実績"), _("達成率"), _("評価"))
    pad_x = CELL_PAD_X * b
    head_w = [_width(h, b, bold=True) for h in heads]
    figure_w = [max([head_w[c]] + [_width(f[c], b) for f in figures]) for c in range(3)]
    grade_full = max([head_w[3]] + [_width(f[3], b) for f in figures])
    # The 評価 may break before its bracket: 「○概ね順調」 over 「（80%以上）」.
    # English breaks at spaces: "Needs" over "improvement" (widths measured in the font).
    grade_min = max([head_w[3]] + [_width(word, b) for f in figures for part in _bracket_lines(f[3]) for word in part.split()])
    label_min = 7 * b  # 6 characters, plus the 1 em a wrapping text keeps free
    pad = 2 * pad_x + 1
    left = CONTENT_WIDTH - sum(w + pad for w in figure_w)
    stacked = left - (grade_min + pad) < label_min + pad
    if stacked:
        # The 指標 gets rows of its own; narrower padding keeps 4 columns of
        # figures and 評価 on one line each at 24 pt.
        pad_x = STACKED_PAD_X * b
        pad = 2 * pad_x + 1
        widths = [w + pad for w in (*figure_w, grade_min)]
        spare = CONTENT_WIDTH - sum(widths)
        widths = [w + spare / 4 for w in widths] if spare > 0 else [*widths[:3], CONTENT_WIDTH - sum(widths[:3])]
    else:
        grade = grade_full if left - grade_full - pad >= 2 * (label_min + pad) else grade_min
        widths = [left - grade - pad, *(w + pad for w in figure_w), grade + pad]
    n = len(widths)
    header = [para(h, cs["head_number"] if i < 3 else cs["head"]) for i, h in enumerate(heads)]
    caption = para(_("成果目標の進捗管理表"), cs["caption"])
    if stacked:
        data: list[list] = [
            [caption] + [""] * (n - 1),
            [para(_("指標"), cs["head"])] + [""] * (n - 1),
            header,
        ]
        header_rows = 3
    else:
        data = [[caption] + [""] * (n - 1), [para(_("指標"), cs["head"]), *header]]
        header_rows = 2
    commands = _grid(b, header_rows)
    if stacked:
        commands += [
            ("LEFTPADDING", (0, 1), (-1, -1), pad_x),
            ("RIGHTPADDING", (0, 1), (-1, -1), pad_x),
            ("SPAN", (0, 1), (-1, 1)),
            ("LINEBELOW", (0, 1), (-1, 1), 0.75, black),
        ]
    scale = max([100] + [min(BAR_SCALE_MAX_PERCENT, math.ceil(t / 100) * 10) for t, _g in rates if t is not None])
    bar_width = CONTENT_WIDTH - pad
    rate_w = max(_width(_percent(t), b, bold=True) for t in [scale * 10] + [t for t, _g in rates if t is not None])
    lead_rows = 0
    for t, (tenths, grade), f in zip(targets, rates, figures):
        first = len(data)
        cells = [
            para(f[0], cs["number"]),
            para(f[1], cs["number"]),
            para(f[2], cs["number"]),
            para(f[3], cs["text"]) if widths[-1] >= grade_min + pad else "",
        ]
        label = para(t.label, cell_style(cs["text_wrap"], "target_label", bold=stacked))
        if stacked:
            data.append([label] + [""] * (n - 1))
            commands.append(("SPAN", (0, first), (-1, first)))
            data.append(cells)
            if widths[-1] < grade_min + pad:
                # Too narrow for the 評価's longest word ("improvement" at 24 pt):
                # it gets a row of its own rather than a word broken in two.
                data.append([para(f"{_('評価')}：{f[3]}", cs["text"])] + [""] * (n - 1))
                commands.append(("SPAN", (0, len(data) - 1), (-1, len(data) - 1)))
        else:
            data.append([label, *cells])
        if tenths is not None:
            data.append([_progress_bar(tenths, scale, bar_width, rate_w + 0.5 * b, int(b))] + [""] * (n - 1))
            commands.append(("SPAN", (0, len(data) - 1), (-1, len(data) - 1)))
        # A target's rows stay on one page; the first target's stay with the heading
        # (overlapping NOSPLIT ranges would cancel each other out).
        commands.append(("NOSPLIT", (0, first if first > header_rows else 0), (-1, len(data) - 1)))
        lead_rows = lead_rows or len(data)
        commands.append(("LINEBELOW", (0, len(data) - 1), (-1, len(data) - 1), 1.5, black))
    table = Table(data, colWidths=widths, repeatRows=header_rows)
    table.setStyle(table_style(*commands))
    table.lead_rows = lead_rows
    key = _(
        "評価：◎達成＝目標の100%以上、○概ね順調＝80%以上、△要努力＝80%未満。"
        "達成率は小数第2位以下を切り捨てています。棒の斜線の長さが達成率、太い縦線が目標（100%）の位置です。"
    )
    return [table, para(key, cell_style(body, "targets_key", spaceBefore=0.3 * b))]


# The report ------------------------------------------------------------------------


def _frame_height(centre: Centre) -> float:
    # The page frame build_pdf lays out: the page less its margins and the footer.
    return PAGE_SIZE[1] - MARGIN_TOP - MARGIN_BOTTOM - Footer(centre).height() - 4 * mm


def _height(block: list[Flowable]) -> float:
    """Height in pt of `block` laid out on a fresh page (its first space before dropped)."""
    total = 0.0
    for i, flowable in enumerate(block):
        total += flowable.wrap(CONTENT_WIDTH, PAGE_SIZE[1])[1] + flowable.getSpaceAfter()
        if i:
            total += flowable.getSpaceBefore()
    return total


def _lead_height(block: list[Flowable]) -> float:
    """Height in pt of the rows a table starting `block` cannot leave at a page's
    foot (its `lead_rows`: title, heading row and first entry), else of the block."""
    table = block[0]
    rows = getattr(table, "lead_rows", 0)
    if not isinstance(table, Table) or not rows:
        return _height(block)
    table.wrap(CONTENT_WIDTH, PAGE_SIZE[1])  # sets the row heights
    return sum(table._rowHeights[:rows])


def _breakable_date(d: date, size: float, width: float) -> str:
    # 「令和8年（2026年） 3月31日（火）」: too long for a line, it breaks at the space.
    text = format_date(d)
    return text if _width(text, size) <= width else text.replace("年）", "年） ", 1)


def _chart_blocks(title: str, drawings: list[Drawing], caption: ParagraphStyle) -> list[list[Flowable]]:
    return [
        [para(title if i == 0 else _("{title}（続き）").format(title=title), caption), drawing]
        for i, drawing in enumerate(drawings)
    ]


def _chart_room(title: str, caption: ParagraphStyle, room: float) -> float:
    """Height left for a chart under its caption in `room` pt, in pt."""
    continued = para(_("{title}（続き）").format(title=title), caption)
    return room - continued.wrap(CONTENT_WIDTH, PAGE_SIZE[1])[1] - caption.spaceAfter - 2


def report_title(fiscal_year: int) -> str:
    """The report's title, e.g. 「令和7年度（2025年度） デジタル活用支援 実績報告書」."""
    return _("{fiscal_year} デジタル活用支援 実績報告書").format(fiscal_year=fiscal_year_label(fiscal_year))


def render_annual_report(report: AnnualReport, body_pt: int = 16) -> bytes:
    """The annual report (実績報告書) as a PDF for the committee papers (issue 7).

    Args:
        report: the figures, already counted and formatted by the caller.
        body_pt: body size in pt, 16 (committee papers), 20 or 24; headings are
            24 pt and up, chart labels 0.75 × the body size.
    Returns:
        PDF bytes: A4 portrait, BIZ UDPGothic embedded, charts as vector drawings
        (no images), tables' titles and heading rows repeated across pages, no chart
        split across a page, centre name, phone and page x/y in every footer.
    Raises:
        ValueError: `body_pt` not 16/20/24, a negative figure, a table row of the
            wrong length, a monthly chart without months or series, with more than
            4 series or a series of the wrong length, a breakdown without items, or
            a fiscal year before 明治.
    """
    styles = paragraph_styles(body_pt)
    frame_height = _frame_height(report.centre)
    title = report_title(report.fiscal_year)
    first, last = fiscal_year_dates(report.fiscal_year)
    date_width = CONTENT_WIDTH - 7 * body_pt  # the value column of info_box, less a margin
    story: list[Flowable] = [
        para(title, prefer_spaces(styles["title"], title, CONTENT_WIDTH)),
        info_box(
            [
                (
                    _("対象期間"),
                    _("{first}〜\n{last}").format(
                        first=_breakable_date(first, body_pt, date_width),
                        last=_breakable_date(last, body_pt, date_width),
                    ),
                ),
                (_("対象"), report.scope_label),
                (_("作成日"), _breakable_date(report.prepared_on, body_pt, date_width)),
            ],
            styles,
        ),
    ]
    # Each section is a list of blocks; a block is kept on one page when it fits.
    sections: list[tuple[str, list[list[Flowable]]]] = [(_("成果目標の進捗"), [targets_table(report.targets, styles)])]
    if report.tables:
        sections.append((_("活動実績"), [report_table(table, styles) for table in report.tables]))
    heading = ParagraphStyle("section", parent=styles["heading"], keepWithNext=0)
    if report.monthly or report.breakdowns:
        caption = cell_style(styles["body"], "chart_caption", bold=True, spaceBefore=body_pt, spaceAfter=0.3 * body_pt)
        # Any chart may come first, under the section heading.
        room = frame_height - _height([para(f"9. {_('月別の推移と内訳')}", heading)]) - caption.spaceBefore
        charts: list[list[Flowable]] = []
        for chart in report.monthly:
            drawing = monthly_chart(chart, body_pt, CONTENT_WIDTH, _chart_room(chart.title, caption, room))
            charts += _chart_blocks(chart.title, [drawing], caption)
        for breakdown in report.breakdowns:
            drawings = breakdown_charts(breakdown, body_pt, CONTENT_WIDTH, _chart_room(breakdown.title, caption, room))
            charts += _chart_blocks(breakdown.title, drawings, caption)
        sections.append((_("月別の推移と内訳"), charts))
    if report.remarks.strip():
        sections.append((_("所見"), [[para(report.remarks.strip(), styles["body"])]]))
    for number, (name, blocks) in enumerate(sections, 1):
        head = para(f"{number}. {name}", heading)
        heights = [_height(block) for block in blocks]
        # Blocks up to half a page (and every chart) stay on one page; longer
        # tables run on, their title and heading row repeated.
        kept = [h <= frame_height / 2 or isinstance(block[-1], Drawing) for block, h in zip(blocks, heights)]
        # The heading moves to a new page unless its first block, or the leading
        # rows of a table that runs on, fit under it.
        need = heading.spaceBefore + _height([head]) + blocks[0][0].getSpaceBefore()
        need += heights[0] if kept[0] else _lead_height(blocks[0])
        story += [CondPageBreak(need), head]
        for block, keep in zip(blocks, kept):
            story += [KeepTogether(block)] if keep else block
    return build_pdf(story, report.centre, title=title, subject=_("実績報告書"))
