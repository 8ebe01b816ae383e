"""The booking slip (予約票) handed to a resident at the counter or posted to them.

A reminder card, not the handout: 「予約票　○○ 様」, the lesson title, the day (和暦・
西暦 with the weekday) and time large, the place, one short 持ち物 line, the one
thing to memorise (a card's PIN is remembered, never brought — DESIGN.md §7), and
below a rule 「変更・取り消しのご連絡は」 with the centre's name and phone, the phone
large. The short lines come from the lesson's `slip` in the slip's register
(標準, やさしい日本語 with ふりがな, English); the details stay on the handout.

Paper (DESIGN.md §8), by body size:

- 16 pt: four slips to an A4 sheet, each an A6 quarter (105 × 148.5 mm);
- 20 and 24 pt: two, side by side, each a long half (105 × 297 mm): at these
  sizes an A6 quarter holds about 12 lines of 13 or 10 characters, too few for
  the day, time, place and phone of a long lesson, while a half keeps the same
  short lines — a newspaper column's width — and folds to A6 for a wallet.

Dashed cut lines with 「きりとり線」 run edge to edge between the places. A slip
too long for its place (an unusually long name or place) takes the next larger
place, and in the end a sheet of its own. Each slip carries the centre's name and
phone, so the sheet has no page footer to cut away.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.colors import black, white
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, Table

from lessons import Lesson
from locales import _, current_language, language
from printouts.dates import WEEKDAYS, format_date, format_time, to_jst, wareki_year
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

SLOT_MARGIN = 5 * mm  # white space between a slip and the cut lines / the sheet's edge
# Slips per A4 sheet (columns, rows) by body size, then the larger places a slip
# too long for its own place moves to.
GRIDS = {16: ((2, 2), (2, 1)), 20: ((2, 1),), 24: ((2, 1),)}
PHONE_PLUS_PT = 8  # the centre's phone, over the body size, where the line allows

# The slip's own words in やさしい日本語 (short, one idea each; 在留支援のための
# やさしい日本語ガイドライン, 出入国在留管理庁・文化庁 2020).
EASY = {
    "会場：": "場所：",
    "変更・取り消しは、お電話で": "行けないときは、電話してください",
}


@dataclass(frozen=True)
class SlipItem:
    """One booking slip: who is booked into which session of which lesson.

    Attributes:
        lesson: the catalogue lesson (title and its `slip` lines).
        session: date, times (aware; printed in Tokyo) and place.
        attendee_name: e.g. "山田 花子"; printed as 「山田 花子 様」.
        register: "standard", "easy" (やさしい日本語 with ふりがな) or "en".
    """

    lesson: Lesson
    session: SessionInfo
    attendee_name: str
    register: str = "standard"


def _when(session: SessionInfo, large: bool) -> list[str]:
    # The date and times, a line each: 「令和8年（2026年）」 「12月3日（木） 10:00〜11:30」
    # (the day and time large, breaking at the space when the line is too short);
    # in a compact slip 「令和8年（2026年）12月3日（木）」 「10:00〜11:30」; in English
    # "Thu 3 Dec 2026", "10:00 am – 11:30 am".
    start = to_jst(session.starts_at)
    if current_language() == "en":
        return [format_date(start), f"{format_time(session.starts_at)} – {format_time(session.ends_at)}"]
    year = f"{wareki_year(start)}（{start.year}年）"
    day = _("{month}月{day}日（{weekday}）").format(month=start.month, day=start.day, weekday=WEEKDAYS[start.weekday()])
    times = f"{format_time(session.starts_at)}〜{format_time(session.ends_at)}"
    return [year, f"{day} {times}"] if large else [year + day, times]


def _slip(
    item: SlipItem, centre: Centre, width: float, body_pt: int, large: bool = True, with_centre: bool = True
) -> Table:
    """The slip as a one-column table `width` pt wide; `large`: the name, the day
    and the time 4 pt over the body size, else in it; `with_centre`: the centre's
    name over its phone when the session is elsewhere (a short place leaves it
    out: the phone is what the resident needs)."""
    easy = item.register == "easy"

    # Translated first (English), then put in やさしい日本語 where it has its own words.
    def words(text: str) -> str:
        return EASY.get(text, text) if easy else text

    text = item.lesson.text(item.register)
    styles = paragraph_styles(body_pt, easy=easy, readings=text.readings)
    body = styles["body"]
    b = body.fontSize
    big = b + 4 if large else b
    large_style = cell_style(body, "slip_large", bold=True, fontSize=big, leading=big * LEADING)
    bold = cell_style(body, "slip_bold", bold=True)
    plain = cell_style(body, "slip_body")
    remember = cell_style(bold, "slip_remember", leftIndent=1.2 * b, bulletIndent=0)
    # The name keeps its inner space unbroken, and has no ふりがな: its reading
    # is the resident's own, not the analyser's guess.
    name = " ".join(item.attendee_name.split()).replace(" ", "\u00a0")
    before, after = _("予約票　{name} 様").split("{name}")
    lines = _when(item.session, large)
    if current_language() == "en" or not large:
        when = [para(line, large_style if large else bold) for line in lines]
    else:
        when = [para(lines[0], plain), para(lines[1], large_style)]
    place = runs((words(_("会場：")), FONT_BOLD, b), (f"{item.session.venue}　{item.session.room}", FONT, b))
    rows: list[Flowable] = [
        # 「予約票」 and 「○○ 様」 share the first line; a long name moves down whole.
        para(runs((before, FONT_BOLD, big), (name, FONT_BOLD, big, False), (after, FONT_BOLD, big)), large_style),
        para(text.short_title, bold),
        *when,
        para(place, plain),
        para(runs((_("持ち物："), FONT_BOLD, b), (text.slip.bring, FONT, b)), plain),
        *([para(text.slip.remember, remember, _("※"))] if text.slip.remember else []),
    ]
    first_contact = len(rows)
    rows.append(para(words(_("変更・取り消しは、お電話で")), plain))
    if with_centre and centre.name.strip() != item.session.venue.strip():
        rows.append(para(centre.name, plain))  # a place that is not the centre itself
    rows.append(_phone(centre.phone, body, width))
    slip = Table([[row] for row in rows], colWidths=[width])
    slip.setStyle(
        table_style(
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, 0), 0.15 * b),
            ("LINEBELOW", (0, 0), (-1, 0), 1.5, black),
            ("TOPPADDING", (0, 1), (-1, 1), 0.15 * b),
            ("BOTTOMPADDING", (0, first_contact - 1), (-1, first_contact - 1), 0.15 * b),
            ("TOPPADDING", (0, first_contact), (-1, first_contact), 0.15 * b),
            ("LINEABOVE", (0, first_contact), (-1, first_contact), 1.5, black),
        )
    )
    return slip


def _phone(phone: str, body: ParagraphStyle, width: float) -> Flowable:
    # The number alone on its line, bold and as large as the line allows, from
    # the body size up to 8 pt over it: the line above says to call.
    b = body.fontSize
    size = max(b, min(b + PHONE_PLUS_PT, 0.98 * width / max(stringWidth(phone, FONT_BOLD, 1), 1)))
    style = cell_style(body, "slip_phone", bold=True, fontSize=size, leading=size * LEADING)
    return para(phone, style)


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
        if rows == 1:
            # Along a long cut, the label reads down the line, mid-sheet.
            canv.saveState()
            canv.translate(x, height / 2)
            canv.rotate(-90)
            canv.setFillColor(white)
            canv.rect(-label_w / 2 - 3, -FOOTER_PT / 2, label_w + 6, FOOTER_PT, stroke=0, fill=1)
            canv.setFillColor(black)
            canv.drawCentredString(0, -0.35 * FOOTER_PT, label)
            canv.restoreState()
    for r in range(1, rows):
        y = height * r / rows
        canv.line(0, y, width, y)
        canv.setFillColor(white)
        canv.rect(width / 2 - label_w / 2 - 3, y - FOOTER_PT / 2, label_w + 6, FOOTER_PT, stroke=0, fill=1)
        canv.setFillColor(black)
        canv.drawCentredString(width / 2, y - 0.35 * FOOTER_PT, label)
    canv.restoreState()


def slot_size(columns: int, rows: int) -> tuple[float, float]:
    """Room in pt (width, height) a slip has in a place of a `columns` × `rows`
    grid on A4, inside the margins to the cut lines."""
    return PAGE_SIZE[0] / columns - 2 * SLOT_MARGIN, PAGE_SIZE[1] / rows - 2 * SLOT_MARGIN


def _fitted(item: SlipItem, centre: Centre, body_pt: int, width: float, height: float) -> Table | None:
    # The roomy slip, else the compact one, whichever first fits `height`; None
    # when neither does.
    for large, with_centre in ((True, True), (False, True), (False, False)):
        slip = _slip(item, centre, width, body_pt, large, with_centre)
        if slip.wrap(width, PAGE_SIZE[1])[1] <= height:
            return slip
    return None


def slip_fits(item: SlipItem, centre: Centre, body_pt: int, columns: int, rows: int) -> bool:
    """True when `item`'s slip fits a place of a `columns` × `rows` grid on A4."""
    with language(register_language(item.register)):
        return _fitted(item, centre, body_pt, *slot_size(columns, rows)) is not None


def slips_per_sheet(body_pt: int) -> int:
    """How many slips share an A4 sheet at `body_pt` (4 at 16 pt, 2 at 20 and 24 pt)
    when every slip fits its place, as every catalogue lesson's does.

    Raises:
        KeyError: `body_pt` not 16/20/24.
    """
    columns, rows = GRIDS[body_pt][0]
    return columns * rows


def render_booking_slips(items: list[SlipItem], centre: Centre, body_pt: int = 16) -> bytes:
    """Booking slips (予約票), several to an A4 sheet with cut lines (DESIGN.md §8).

    Args:
        items: the slips, printed in this order, left to right, top to bottom.
        centre: printed on each slip's contact lines.
        body_pt: body size in pt, 16, 20 or 24.
    Returns:
        PDF bytes, A4 portrait, BIZ UDPGothic embedded: four slips a sheet (A6
        quarters) at 16 pt, two (long halves) at 20 and 24 pt. A slip too long
        for its place (an unusually long name or place) goes on a sheet of the
        next larger places after the others, and one longer than a half on a
        sheet of its own, last.
    Raises:
        ValueError: `items` is empty, `body_pt` not 16/20/24, an unknown register,
            an English slip for a lesson without English, or a naive datetime.
    """
    if not items:
        raise ValueError("render_booking_slips needs at least one slip")
    paragraph_styles(body_pt)  # validates the size and registers the fonts
    # Each slip in the smallest place it fits, the places of a size sheet by sheet.
    placed: dict[tuple[int, int] | None, list[tuple[SlipItem, Table]]] = {grid: [] for grid in (*GRIDS[body_pt], None)}
    for item in items:
        with language(register_language(item.register)):
            for grid in GRIDS[body_pt]:
                slip = _fitted(item, centre, body_pt, *slot_size(*grid))
                if slip is not None:
                    placed[grid].append((item, slip))
                    break
            else:
                placed[None].append((item, _slip(item, centre, CONTENT_WIDTH, body_pt)))
    buf = io.BytesIO()
    canv = Canvas(buf, pagesize=PAGE_SIZE, initialFontName=FONT, initialFontSize=FOOTER_PT, pageCompression=1)
    canv.setTitle(_("予約票") if len(items) > 1 else f"{_('予約票')}　{items[0].lesson.title}")
    canv.setAuthor(centre.name)
    canv.setSubject(_("予約票"))
    canv.setCreator("Sumaho Desk")
    for grid, slips in placed.items():
        if grid is None:
            for _item, slip in slips:
                # Too long for any place: a sheet of its own, at the full width.
                story = [slip]
                while story:
                    frame = Frame(MARGIN_X, MARGIN_X, CONTENT_WIDTH, PAGE_SIZE[1] - 2 * MARGIN_X, 0, 0, 0, 0)
                    frame.addFromList(story, canv)
                    canv.showPage()
            continue
        columns, rows = grid
        width, height = slot_size(columns, rows)
        for n, (_item, slip) in enumerate(slips):
            slot = n % (columns * rows)
            if slot == 0:
                if n:
                    canv.showPage()
                _cut_lines(canv, columns, rows)
            x = slot % columns * PAGE_SIZE[0] / columns + SLOT_MARGIN
            top = PAGE_SIZE[1] - slot // columns * PAGE_SIZE[1] / rows - SLOT_MARGIN
            slip.drawOn(canv, x, top - slip.wrap(width, height)[1])
        if slips:
            canv.showPage()
    canv.save()
    return buf.getvalue()
