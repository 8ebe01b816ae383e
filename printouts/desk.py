"""Building blocks shared by the session-desk printouts (受付名簿, 電話連絡リスト, 予約票).

- `kana_key()`, `display_kana()`: the フリガナ sort order, tolerant of hiragana,
  half-width kana and spaces; half-width kana printed full-width.
- `check_box()`: a pen-sized □ with its label, e.g. 「□ 出席」「□ 連絡済」.
- `info_box()`: a framed label / value table (日時, 会場, 人数 …).
- `cell_style()`, `plain()`: paragraph styles and markup for table cells.
- `spaced_when()`, `prefer_spaces()`: line breaks at spaces ("日付 時刻",
  "講座　日時　会場") rather than anywhere, when the parts fit on a line.

Everything follows DESIGN.md §8 through `printouts.layout.styles`.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from xml.sax.saxutils import escape

import jaconv
from reportlab.lib.colors import black
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, Table

from printouts.dates import format_time_range
from printouts.layout import CONTENT_WIDTH, FONT_BOLD, LEADING, table_style

# A □ this many times the body size: about 8 mm at 16 pt, room for a pen tick.
CHECK_BOX_SCALE = 1.5
# Table cell padding as a fraction of the body size.
CELL_PAD_X = 0.35
CELL_PAD_Y = 0.25


def kana_key(kana: str, name: str = "") -> tuple[str, str]:
    """Sort key in フリガナ (五十音) order.

    NFKC folds half-width katakana, hiragana becomes katakana, spaces are dropped,
    so 「やまだ はなこ」, 「ﾔﾏﾀﾞ ﾊﾅｺ」 and 「ヤマダハナコ」 sort together. Ties fall back
    to `name`, so the order is stable for identical readings.

    Args:
        kana: the フリガナ as typed; name: the name, the tie-breaker.
    Returns:
        (folded kana, name).
    """
    folded = jaconv.hira2kata(unicodedata.normalize("NFKC", kana))
    return "".join(folded.split()), name


def display_kana(kana: str) -> str:
    """フリガナ as printed: half-width katakana widened by NFKC ("ﾔﾏﾀﾞ" → "ヤマダ");
    hiragana stays as typed."""
    return unicodedata.normalize("NFKC", kana)


def plain(text: str) -> str:
    """`text` as paragraph markup: XML-escaped, line breaks kept."""
    return "<br/>".join(escape(line) for line in text.split("\n"))


def spaced_when(starts_at: datetime, ends_at: datetime) -> str:
    """`format_time_range` with a space after each weekday, where a line may break.

    "令和8年（2026年）12月3日（木） 10:00〜11:30": wrapped, the time goes whole
    onto the next line instead of breaking before 「〜」 or inside "10:00".

    Raises:
        ValueError: as `format_time_range`.
    """
    return re.sub(r"（([月火水木金土日])）(?=\d)", r"（\1） ", format_time_range(starts_at, ends_at))


def prefer_spaces(style: ParagraphStyle, text: str, width: float, indent: float = 0.0) -> ParagraphStyle:
    """`style` breaking lines only at spaces when every space-separated part of
    `text` fits in `width` pt (less `indent`); otherwise `style` unchanged
    (Japanese line breaking anywhere).

    Args:
        style: the paragraph style; text: the plain text; width: line width in pt;
        indent: a hanging label's width in pt.
    Returns:
        ParagraphStyle.
    """
    room = width - indent - style.leftIndent
    if all(stringWidth(part, FONT_BOLD, style.fontSize) <= room for part in text.split()):
        return ParagraphStyle(f"{style.name}_spaces", parent=style, wordWrap=None, rightIndent=0)
    return style


def cell_style(base: ParagraphStyle, name: str, bold: bool = False, **kw) -> ParagraphStyle:
    """`base` for a table cell: no space before/after, bold on request.

    Args:
        base: a `printouts.layout.styles()` style; name: the new style's name; kw: overrides.
    Returns:
        ParagraphStyle (leading stays 1.5 × size, DESIGN.md §8).
    """
    attrs = {"spaceBefore": 0, "spaceAfter": 0, **({"fontName": FONT_BOLD} if bold else {})}
    return ParagraphStyle(name, parent=base, **{**attrs, **kw})


def check_box(label: str, body: ParagraphStyle) -> Paragraph:
    """A □ large enough to tick with a pen, followed by `label` (e.g. 「□ 出席」).

    The box is the □ glyph at 1.5 × body size, so the printed text still reads
    「□出席」 and nothing depends on colour (DESIGN.md §8).

    Args:
        label: what a tick means; body: the body style (sets the label's size).
    Returns:
        Paragraph, left-aligned, leading 1.5 × the box size.
    """
    from printouts.layout import para, runs  # layout imports nothing from here

    box_pt = body.fontSize * CHECK_BOX_SCALE
    style = cell_style(body, "check_box", leading=box_pt * LEADING, rightIndent=0)
    return para(runs(("□", body.fontName, box_pt), (" " + label, body.fontName, body.fontSize)), style)


def padding(body_pt: float) -> list[tuple]:
    """TableStyle padding commands for cells of a table at `body_pt`."""
    return [
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD_X * body_pt),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD_X * body_pt),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_PAD_Y * body_pt),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PAD_Y * body_pt),
    ]


def info_box(rows: list[tuple[str, str]], styles: dict[str, ParagraphStyle], width: float = CONTENT_WIDTH) -> Table:
    """A framed box of labelled lines, e.g. [("日時", "令和8年…"), ("会場", "…")].

    Args:
        rows: (label, value) pairs; labels print bold, values wrap under themselves.
        styles: `printouts.layout.styles()` output (uses ``body``).
        width: box width in pt.
    Returns:
        Table with a 1.5 pt frame; the label column fits the longest label,
        measured in the bold font; values break at phrases.
    """
    from printouts.layout import para  # layout imports nothing from here

    body = styles["body"]
    label = cell_style(body, "info_label", bold=True, rightIndent=0)
    value = cell_style(body, "info_value")
    # Measured in the font used, so "Date" or "Venue" never breaks (issue 14).
    label_width = max(stringWidth(text, FONT_BOLD, body.fontSize) for text, _ in rows) + (2 * CELL_PAD_X + 0.5) * body.fontSize
    table = Table([[para(k, label), para(v, value)] for k, v in rows], colWidths=[label_width, width - label_width])
    table.setStyle(
        table_style(("BOX", (0, 0), (-1, -1), 1.5, black), ("VALIGN", (0, 0), (-1, -1), "TOP"), *padding(body.fontSize))
    )
    return table
