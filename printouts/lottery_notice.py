"""The lottery's result for the notice board (抽選結果のお知らせ, issue 17).

A4 portrait in large print: the class and its dates, how many applied for how
many seats, the 受付番号 that won (ascending, so a reader finds their own) and
the キャンセル待ち numbers in waitlist order. 受付番号 only, never names: the sheet
hangs in a public corridor (個人情報保護法). The numbers print in bold at twice
the body size, in a grid of framed cells that may run onto the next page
between rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape

from reportlab.lib.colors import black
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from locales import _
from printouts.dates import format_date, format_time, format_time_range
from printouts.desk import cell_style, info_box
from printouts.layout import CONTENT_WIDTH, FONT_BOLD, DocumentStart, build_pdf, keep_with_heading, para, styles as paragraph_styles, table_style
from printouts.model import Centre

# 受付番号 print at twice the body size; a waitlist place with its number at 1.5 times.
NUMBER_SCALE = 2
WAITING_SCALE = 1.5
CELL_PADDING = 6  # pt each side: reportlab's default cell padding, which the grid keeps


@dataclass(frozen=True)
class LotteryNotice:
    """What the notice shows; no personal data.

    Attributes:
        lesson_title: e.g. "スマホの基本操作".
        dates: the sessions' (starts, ends), aware datetimes (printed in JST).
        place: e.g. "中央公民館 研修室".
        applicants, seats: counts.
        winners: 受付番号 that won, any order (printed ascending).
        waiting: 受付番号 on the waitlist, in waitlist order.
        drawn_at: when the draw ran (aware).
    """

    lesson_title: str
    dates: tuple[tuple[datetime, datetime], ...]
    place: str
    applicants: int
    seats: int
    winners: tuple[int, ...]
    waiting: tuple[int, ...]
    drawn_at: datetime


def receipt_label(number: int) -> str:
    """A 受付番号 as printed and said: three digits at least, e.g. 7 → "007"."""
    return f"{number:03d}"


def _grid(labels: list[str], body_pt: int, scale: float, most: int) -> list[list[Flowable]]:
    """The labels in framed cells, one table per row, so a long list runs onto
    the next page between rows (never inside one). Returns blocks for
    `keep_with_heading`: the heading stays with the first row.

    `most` columns, fewer when the widest label measured in its font would not
    fit a cell on one line ("No. 10: 024" is wider than 「10番目 024」)."""
    size = scale * body_pt
    widest = max(stringWidth(text, FONT_BOLD, size) for text in labels) + 2 * CELL_PADDING + 2
    columns = max(1, min(most, int(CONTENT_WIDTH // widest)))
    style = cell_style(paragraph_styles(body_pt)["body"], "receipt", bold=True, fontSize=size, leading=size * 1.5, alignment=1,
                       rightIndent=0, wordWrap=None)
    cells: list = [Paragraph(escape(text), style) for text in labels]
    cells += [""] * (-len(cells) % columns)
    blocks = []
    for i in range(0, len(cells), columns):
        row = Table([cells[i : i + columns]], colWidths=[CONTENT_WIDTH / columns] * columns)
        row.setStyle(table_style(("GRID", (0, 0), (-1, -1), 1, black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                 ("TOPPADDING", (0, 0), (-1, -1), 0.2 * body_pt), ("BOTTOMPADDING", (0, 0), (-1, -1), 0.2 * body_pt)))
        blocks.append([row])
    return blocks


def render_lottery_notice(centre: Centre, notice: LotteryNotice, body_pt: int = 16) -> bytes:
    """The result as a notice-board PDF.

    Args:
        centre: name and phone for the footer.
        notice: the result (`LotteryNotice`).
        body_pt: body size in pt, 16, 20 or 24; 受付番号 print at twice that.
    Returns:
        PDF bytes, A4 portrait, BIZ UDPGothic embedded; a heading never ends a page.
    Raises:
        ValueError: `body_pt` not 16/20/24, or a naive datetime.
    """
    styles = paragraph_styles(body_pt)
    columns = {16: 5, 20: 4, 24: 3}[body_pt]
    when = "\n".join(format_time_range(s, e) for s, e in notice.dates)
    rows = [(_("講座"), notice.lesson_title), (_("日時"), when), (_("会場"), notice.place),
            (_("応募"), _("{applicants} 人（定員 {seats} 人）").format(applicants=notice.applicants, seats=notice.seats))]
    drawn = f"{format_date(notice.drawn_at)} {format_time(notice.drawn_at)}"
    story: list[Flowable] = [
        DocumentStart(),
        para(_("抽選結果のお知らせ"), styles["title"]),
        info_box(rows, styles),
        Spacer(0, 0.3 * body_pt),
        para(_("抽選日時：{when}").format(when=drawn), styles["body"]),
    ]
    winners = [receipt_label(n) for n in sorted(notice.winners)]
    story += keep_with_heading(
        para(_("当選した受付番号（{n} 人）").format(n=len(winners)), styles["heading"]),
        _grid(winners, body_pt, NUMBER_SCALE, columns) if winners else [[para(_("当選した方はいません。"), styles["body"])]],
    )
    if notice.waiting:
        waiting = [_("{place}番目 {number}").format(place=i, number=receipt_label(n)) for i, n in enumerate(notice.waiting, 1)]
        story += keep_with_heading(
            para(_("キャンセル待ちの受付番号（順番どおり）"), styles["heading"]),
            _grid(waiting, body_pt, WAITING_SCALE, {16: 3, 20: 2, 24: 2}[body_pt]),
        )
    story += [
        Spacer(0, 0.5 * body_pt),
        para(_("当選した方とキャンセル待ちの方には、お電話でもお知らせします。"), styles["body"]),
        para(_("キャンセル待ちの方には、空きが出たときに順番にお電話します。"), styles["body"]),
        para(_("お名前は掲示していません。受付番号がわからないときは、窓口におたずねください。"), styles["body"]),
    ]
    return build_pdf(story, centre, title=_("抽選結果のお知らせ"), subject=notice.lesson_title)
