"""The booking slip (予約票) handed to a resident at the counter or posted to them.

A framed slip, top to bottom: 「予約票　○○ 様」, the lesson title, a box with
日時 (和暦・西暦 with the weekday and time, Tokyo) and 会場, 「持ち物」 as a □
checklist from the lesson (for マイナ lessons it already says to bring the card and
its PIN, and that staff never ask for the PIN — DESIGN.md §7), and
「変更・取り消しのご連絡は ○○ 電話 … まで」 with the centre's phone large.

Paper: A4 portrait, the slip at the top. Centres print on A4 (one paper tray, the
same as every other printout), and an A5 PDF printed "fit to page" elsewhere would
change the text size unpredictably; an A4 page prints at exactly the sizes of
DESIGN.md §8. When the slip fits in the top half (short bring lists at 16 pt) a
「きりとり線」 is printed across the middle of the page so it can be cut to A5;
longer slips (most マイナ lessons, 20 and 24 pt) use the page, or pages, as they
need. The slip itself carries the centre's name and phone, so the page footer may
be cut away.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib.colors import black
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table

from lessons import Lesson
from locales import _
from printouts.desk import cell_style, info_box, spaced_when
from printouts.layout import (
    CONTENT_WIDTH,
    FONT,
    FONT_BOLD,
    FOOTER_PT,
    LEADING,
    MARGIN_TOP,
    PAGE_SIZE,
    DocumentStart,
    build_pdf,
    styles,
    table_style,
)
from printouts.model import Centre, SessionInfo

SLIP_PAD = 0.6  # inner margin of the frame, × body size
CUT_GAP = 12  # pt: the least white space between the slip and the cut line
BRING_ROW = 3  # the row of the 「持ち物」 heading in the slip's table


@dataclass(frozen=True)
class SlipItem:
    """One booking slip: who is booked into which session of which lesson.

    Attributes:
        lesson: the catalogue lesson (title, bring list).
        session: date, times (aware; printed in Tokyo) and place.
        attendee_name: e.g. "山田 花子"; printed as 「山田 花子 様」.
    """

    lesson: Lesson
    session: SessionInfo
    attendee_name: str


class CutLine(Flowable):
    """「きりとり線」 and a dashed line across the content width (16 pt label)."""

    def __init__(self):
        super().__init__()
        self.label = _("きりとり線")
        self.height = FOOTER_PT * LEADING

    def wrap(self, availWidth, availHeight):
        self.width = availWidth
        return self.width, self.height

    def draw(self):
        canv = self.canv
        mid = self.height / 2
        canv.setFont(FONT, FOOTER_PT)
        canv.setFillColor(black)
        canv.drawString(0, mid - 0.35 * FOOTER_PT, self.label)
        canv.setStrokeColor(black)
        canv.setLineWidth(1)
        canv.setDash(6, 4)
        start = stringWidth(self.label, FONT, FOOTER_PT) + 0.5 * FOOTER_PT
        canv.line(start, mid, self.width, mid)


def _slip(item: SlipItem, centre: Centre, st: dict[str, ParagraphStyle]) -> Table:
    body = st["body"]
    b = body.fontSize
    inner = CONTENT_WIDTH - 2 * SLIP_PAD * b
    heading = cell_style(st["heading"], "slip_heading", spaceAfter=0.2 * b)
    # 「予約票」 and 「○○ 様」 share the first line; a long name moves down whole.
    title = cell_style(st["title"], "slip_title", wordWrap=None, rightIndent=0)
    bullet = cell_style(st["bullet"], "slip_bullet", spaceAfter=0.15 * b)
    contact = cell_style(body, "slip_contact", wordWrap=None, rightIndent=0)
    session = item.session
    rows: list[Flowable] = [
        Paragraph(
            f"{escape(_('予約票'))}\u3000"
            f'<font size="{st["heading"].fontSize:g}">{escape(_("{name} 様").format(name=item.attendee_name))}</font>',
            title,
        ),
        Paragraph(escape(item.lesson.title), heading),
        info_box(
            [
                (_("日時"), spaced_when(session.starts_at, session.ends_at)),
                (_("会場"), f"{session.venue}　{session.room}"),
            ],
            st,
            width=inner,
        ),
        Paragraph(escape(_("持ち物")), cell_style(st["heading"], "slip_bring", spaceAfter=0.2 * b)),
        *(Paragraph(escape(thing), bullet, bulletText="□") for thing in item.lesson.bring),
        # Breaks only at the spaces: the phone number and its 「まで」 stay whole.
        Paragraph(
            escape(_("変更・取り消しのご連絡は")) + f" {escape(centre.name)} {escape(_('電話'))}\u00a0"
            f'<font name="{FONT_BOLD}" size="{b + 8}">{escape(centre.phone)}</font>\u00a0{escape(_("まで"))}',
            contact,
        ),
    ]
    last = len(rows) - 1
    slip = Table([[row] for row in rows], colWidths=[CONTENT_WIDTH])
    slip.setStyle(
        table_style(
            ("BOX", (0, 0), (-1, -1), 2, black),
            ("LEFTPADDING", (0, 0), (-1, -1), SLIP_PAD * b),
            ("RIGHTPADDING", (0, 0), (-1, -1), SLIP_PAD * b),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, 0), SLIP_PAD * b),
            ("BOTTOMPADDING", (0, last), (-1, last), SLIP_PAD * b),
            # A cell ignores its paragraph's space before: pad the rows instead.
            ("TOPPADDING", (0, BRING_ROW), (-1, BRING_ROW), 0.4 * b),
            ("BOTTOMPADDING", (0, last - 1), (-1, last - 1), 0.3 * b),
            ("TOPPADDING", (0, last), (-1, last), 0.3 * b),
            ("LINEABOVE", (0, last), (-1, last), 1, black),
            # Who, what, when and the first thing to bring stay together; the contact never sits alone.
            ("NOSPLIT", (0, 0), (-1, BRING_ROW + 1)),
            ("NOSPLIT", (0, last - 1), (-1, last)),
        )
    )
    return slip


def _story(item: SlipItem, centre: Centre, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    slip = _slip(item, centre, st)
    story: list[Flowable] = [DocumentStart(), slip]
    # The frame starts MARGIN_TOP below the page top; the cut line's middle goes
    # on the page's middle when the slip leaves room above it.
    cut = CutLine()
    height = slip.wrap(CONTENT_WIDTH, PAGE_SIZE[1])[1]
    gap = PAGE_SIZE[1] / 2 - MARGIN_TOP - height - cut.height / 2
    if gap >= CUT_GAP:
        story += [Spacer(0, gap), cut]
    return story


def render_booking_slips(items: list[SlipItem], centre: Centre, body_pt: int = 16) -> bytes:
    """Several booking slips in one PDF, each on its own page(s) with its own page numbers.

    Args:
        items: the slips, printed in this order.
        centre: printed on each slip (contact line) and in the footer.
        body_pt: body size in pt, 16, 20 or 24 (DESIGN.md §8).
    Returns:
        PDF bytes, A4 portrait, BIZ UDPGothic embedded; see the module docstring
        for the page layout and the cut line.
    Raises:
        ValueError: `items` is empty, `body_pt` not 16/20/24, or a naive datetime.
    """
    if not items:
        raise ValueError("render_booking_slips needs at least one slip")
    st = styles(body_pt)
    story: list[Flowable] = []
    for item in items:
        if story:
            story.append(PageBreak())
        story += _story(item, centre, st)
    title = _("予約票") if len(items) > 1 else f"{_('予約票')}　{items[0].lesson.title}"
    return build_pdf(story, centre, title=title, subject=_("予約票"))


def render_booking_slip(
    lesson: Lesson, session: SessionInfo, centre: Centre, attendee_name: str, body_pt: int = 16
) -> bytes:
    """One resident's booking slip (予約票) as a PDF (DESIGN.md §7, §8).

    Args:
        lesson: the catalogue lesson; its title and bring list are printed.
        session: date, times (aware; printed in Tokyo as 和暦・西暦 with the
            weekday) and place.
        centre: name and phone for 「変更・取り消しのご連絡は …」 and the footer.
        attendee_name: printed as 「… 様」.
        body_pt: body size in pt, 16, 20 or 24.
    Returns:
        PDF bytes, A4 portrait; metadata title 「予約票　<lesson title>」.
    Raises:
        ValueError: `body_pt` not 16/20/24, or a naive datetime.
    """
    return render_booking_slips([SlipItem(lesson, session, attendee_name)], centre, body_pt)
