"""The booking slip (予約票) handed to a resident at the counter or posted to them.

A framed slip, top to bottom: 「予約票　○○ 様」, the lesson title, a box with
日時 (和暦・西暦 with the weekday and time, Tokyo) and 会場, 「持ち物」 as a □
checklist from the lesson, what to remember (※ a PIN is remembered, never a thing
to bring — DESIGN.md §7), and 「変更・取り消しのご連絡は ○○ 電話 … まで」 with the
centre's phone large.

Paper (DESIGN.md §8): four slips to an A4 sheet (A6 each, 105 × 148.5 mm) with
dashed cut lines and 「きりとり線」 between them, when every slip of the batch fits
an A6 place; else two (A5 halves). A slip too long even for that takes a sheet of
its own. On a slip, 持ち物 run on one line and their bracketed notes are left to
the handout, so short lessons fit A6 at 16 pt. Each slip carries the centre's name and phone, so the sheet has no
page footer to cut away.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from reportlab.lib.colors import black, white
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, Table

from lessons import Lesson
from locales import _, current_language, language
from printouts.dates import WEEKDAYS, format_date, format_time, to_jst
from printouts.desk import cell_style
from printouts.layout import (
    CONTENT_WIDTH,
    FONT,
    FONT_BOLD,
    FOOTER_PT,
    LEADING,
    MARGIN_X,
    PAGE_SIZE,
    para,
    runs,
    styles as paragraph_styles,
    table_style,
)
from printouts.model import Centre, SessionInfo, register_language

SLIP_PAD = 0.5  # inner margin of the frame, × body size
SLOT_MARGIN = 6 * mm  # white space between a slip's frame and the cut lines / the sheet's edge
# Slips per A4 sheet (columns, rows), tried in this order: four (A6 each), then
# two (A5 halves) when a slip of the batch is too long for an A6 place.
GRIDS = ((2, 2), (1, 2))


@dataclass(frozen=True)
class SlipItem:
    """One booking slip: who is booked into which session of which lesson.

    Attributes:
        lesson: the catalogue lesson (title, bring list, what to remember).
        session: date, times (aware; printed in Tokyo) and place.
        attendee_name: e.g. "山田 花子"; printed as 「山田 花子 様」.
        register: "standard", "easy" (やさしい日本語 with ふりがな) or "en".
    """

    lesson: Lesson
    session: SessionInfo
    attendee_name: str
    register: str = "standard"


def _slip(item: SlipItem, centre: Centre, width: float, body_pt: int) -> Table:
    lesson = item.lesson
    easy = item.register == "easy"
    text = lesson.easy if easy and lesson.easy else lesson
    styles = paragraph_styles(body_pt, easy=easy, readings=lesson.easy.readings if easy and lesson.easy else None)
    body = styles["body"]
    b = body.fontSize
    title = cell_style(body, "slip_title", bold=True, fontSize=b + 4, leading=(b + 4) * LEADING)
    bold = cell_style(body, "slip_bold", bold=True)
    session = item.session
    name = _("{name} 様").format(name=item.attendee_name).replace(" ", "\u00a0")
    start = to_jst(session.starts_at)
    when = _("{month}月{day}日（{weekday}）").format(month=start.month, day=start.day, weekday=WEEKDAYS[start.weekday()])
    if current_language() == "en":
        when = format_date(start)
    times = f"{format_time(session.starts_at)}〜{format_time(session.ends_at)}"
    rows: list[Flowable] = [
        # 「予約票」 and 「○○ 様」 share the first line; a long name moves down whole.
        para(runs((_("予約票") + "　", FONT_BOLD, b + 4), (name, FONT_BOLD, b + 4)), title),
        para(text.title, bold),
        # The day and time large: what a resident looks for first. The year is the
        # session's own, so 「12月17日（木）」 needs no era on a slip.
        para(runs((f"{when} ", FONT_BOLD, b + 4), (times, FONT_BOLD, b + 4)), title),
        para(f"{session.venue}　{session.room}", body),
        # 持ち物 as one run of items: four slips must fit an A4 sheet.
        # 持ち物 as one run of items, their notes in brackets left to the handout:
        # four slips must fit an A4 sheet.
        para(runs((_("持ち物") + "：", FONT_BOLD, b), ("・".join(_short(t) for t in text.bring), body.fontName, b)), body),
        *(para(line, bold, "※") for line in text.remember[:1]),
        para(centre.name, body),
        _contact(centre.phone, body),
    ]
    last = len(rows) - 2  # the contact: the centre's name and phone
    slip = Table([[row] for row in rows], colWidths=[width])
    slip.setStyle(
        table_style(
            ("BOX", (0, 0), (-1, -1), 2, black),
            ("LEFTPADDING", (0, 0), (-1, -1), SLIP_PAD * b),
            ("RIGHTPADDING", (0, 0), (-1, -1), SLIP_PAD * b),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, 0), SLIP_PAD * b),
            ("BOTTOMPADDING", (0, -1), (-1, -1), SLIP_PAD * b),
            ("TOPPADDING", (0, last), (-1, last), 0.3 * b),
            ("BOTTOMPADDING", (0, last - 1), (-1, last - 1), 0.3 * b),
            ("LINEABOVE", (0, last), (-1, last), 1, black),
        )
    )
    return slip


def _contact(phone: str, body) -> Flowable:
    # 「変更・取り消しは 電話 03-… まで」, the number large and bold; the number and
    # the words either side of it stay together (no-break spaces).
    before, after = _("変更・取り消しは 電話 {phone} まで").split("{phone}")
    b = body.fontSize
    return para(
        runs(
            (before.rstrip() + "\u00a0", body.fontName, b),
            (phone, FONT_BOLD, b + 4),
            ("\u00a0" + after.lstrip() if after.strip() else after, body.fontName, b),
        ),
        body,
    )


def _short(thing: str) -> str:
    # 「老眼鏡（お使いの方）」 → 「老眼鏡」: the bracketed note stays on the handout.
    return re.sub(r"（[^）]*）$", "", thing).strip() or thing


def _cut_lines(canv: Canvas, columns: int, rows: int) -> None:
    # Dashed lines between the slips, edge to edge, each with 「きりとり線」.
    width, height = PAGE_SIZE
    canv.saveState()
    canv.setStrokeColor(black)
    canv.setFillColor(black)
    canv.setLineWidth(0.75)
    canv.setDash(6, 4)
    canv.setFont(FONT, FOOTER_PT)
    label = _("きりとり線")
    label_w = stringWidth(label, FONT, FOOTER_PT)
    for c in range(1, columns):
        x = width * c / columns
        canv.line(x, 0, x, height)
    for r in range(1, rows):
        y = height * r / rows
        canv.line(0, y, width, y)
        canv.setFillColor(white)
        canv.rect(width / 2 - label_w / 2 - 3, y - FOOTER_PT / 2, label_w + 6, FOOTER_PT, stroke=0, fill=1)
        canv.setFillColor(black)
        canv.drawCentredString(width / 2, y - 0.35 * FOOTER_PT, label)
    canv.restoreState()


def _fits(item: SlipItem, centre: Centre, body_pt: int, columns: int, rows: int) -> bool:
    width = PAGE_SIZE[0] / columns - 2 * SLOT_MARGIN
    with language(register_language(item.register)):
        height = _slip(item, centre, width, body_pt).wrap(width, PAGE_SIZE[1])[1]
    return height <= PAGE_SIZE[1] / rows - 2 * SLOT_MARGIN


def _grid(items: list[SlipItem], centre: Centre, body_pt: int) -> tuple[int, int]:
    for columns, rows in GRIDS:
        if all(_fits(item, centre, body_pt, columns, rows) for item in items):
            return columns, rows
    return GRIDS[-1]


def render_booking_slips(items: list[SlipItem], centre: Centre, body_pt: int = 16) -> bytes:
    """Booking slips (予約票), several to an A4 sheet with cut lines (DESIGN.md §8).

    Args:
        items: the slips, printed in this order, left to right, top to bottom.
        centre: printed on each slip's contact line.
        body_pt: body size in pt, 16, 20 or 24.
    Returns:
        PDF bytes, A4 portrait, BIZ UDPGothic embedded: four slips a sheet (A6)
        when every slip fits an A6 place, else two (A5 halves); a slip longer
        than that gets a sheet of its own.
    Raises:
        ValueError: `items` is empty, `body_pt` not 16/20/24, an unknown register,
            or a naive datetime.
    """
    if not items:
        raise ValueError("render_booking_slips needs at least one slip")
    paragraph_styles(body_pt)  # validates the size and registers the fonts
    columns, rows = _grid(items, centre, body_pt)
    slot_w, slot_h = PAGE_SIZE[0] / columns, PAGE_SIZE[1] / rows
    buf = io.BytesIO()
    canv = Canvas(buf, pagesize=PAGE_SIZE, initialFontName=FONT, initialFontSize=FOOTER_PT, pageCompression=1)
    canv.setTitle(_("予約票") if len(items) > 1 else f"{_('予約票')}　{items[0].lesson.title}")
    canv.setAuthor(centre.name)
    canv.setSubject(_("予約票"))
    canv.setCreator("Sumaho Desk")
    slot = 0
    for item in items:
        with language(register_language(item.register)):
            slip = _slip(item, centre, slot_w - 2 * SLOT_MARGIN, body_pt)
            height = slip.wrap(slot_w - 2 * SLOT_MARGIN, PAGE_SIZE[1])[1]
            if height > slot_h - 2 * SLOT_MARGIN:
                # Too long for its place: a sheet of its own, at the full width.
                if slot:
                    canv.showPage()
                    slot = 0
                whole = _slip(item, centre, CONTENT_WIDTH, body_pt)
                story = [whole]
                frame = Frame(MARGIN_X, MARGIN_X, CONTENT_WIDTH, PAGE_SIZE[1] - 2 * MARGIN_X, 0, 0, 0, 0)
                while story:
                    frame.addFromList(story, canv)
                    canv.showPage()
                    frame = Frame(MARGIN_X, MARGIN_X, CONTENT_WIDTH, PAGE_SIZE[1] - 2 * MARGIN_X, 0, 0, 0, 0)
                continue
            column, row = slot % columns, slot // columns
            x = column * slot_w + SLOT_MARGIN
            top = PAGE_SIZE[1] - row * slot_h - SLOT_MARGIN
            if slot == 0:
                _cut_lines(canv, columns, rows)
            slip.drawOn(canv, x, top - height)
        slot += 1
        if slot == columns * rows:
            canv.showPage()
            slot = 0
    if slot:
        canv.showPage()
    canv.save()
    return buf.getvalue()
