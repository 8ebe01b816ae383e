"""The monthly volunteer roster (担当表) for staff and volunteers (DESIGN.md §4 shift, §8).

Top to bottom: 「令和8年（2026年）12月の担当表」, a box with the month's counts —
sessions held and cancelled, and how many still lack a lead (講師未定) or helpers
(補助不足) — and a line asking volunteers who can fill a gap to tell the staff;
then one table of the month's sessions in date order: the date (和暦・西暦 with
the weekday) and time, the lesson and place (and the loan phones to lay out, 貸出機),
and who is on duty. A session short of
people carries 「【不足】講師未定・補助あと1名」 in words at the top of its 担当 cell
(never colour alone); a cancelled one carries 「【中止】」 and no gaps. The header
row repeats on every page the table runs onto.

Volunteers' names are printed (the sheet is posted in the staff room); phone
numbers never are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from reportlab.lib.colors import black
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Spacer, Table

from locales import _
from printouts.dates import month_label, session_lines, to_jst
from printouts.desk import CELL_PAD_X, cell_style, info_box, padding
from printouts.layout import (
    CONTENT_WIDTH,
    FONT_BOLD,
    DocumentStart,
    build_pdf,
    para,
    runs,
    styles as paragraph_styles,
    table_style,
)
from printouts.model import Centre

STATUSES = ("scheduled", "cancelled")

# Below this much room for the lesson column, × body size, the 担当 lines go under
# the lesson.
LESSON_MIN_EM = 9
# The date and 担当 columns are measured, but never wider than this share of the page.
MAX_COLUMN_SHARE = 0.4


@dataclass(frozen=True)
class RosterSession:
    """One session as the roster shows it.

    Attributes:
        starts_at, ends_at: timezone-aware datetimes (printed in Asia/Tokyo).
        lesson_title: e.g. "スマホの基本操作".
        venue, room: e.g. "中央公民館", "第1会議室".
        lead: the lead's (講師) name, "" when nobody is assigned (printed 「未定」).
        helpers: the helpers' (補助) names, in print order.
        helpers_needed: how many helpers the session needs (≥ 0).
        status: "scheduled" or "cancelled" (printed 「中止」, no gaps flagged).
        loan_phones: the loan phones to lay out, in words, e.g.
            「貸出機 3台（iPhone 2・未割当 1）」 (printed under the place); "" for none.
    """

    starts_at: datetime
    ends_at: datetime
    lesson_title: str
    venue: str
    room: str
    lead: str = ""
    helpers: tuple[str, ...] = field(default_factory=tuple)
    helpers_needed: int = 0
    status: str = "scheduled"
    loan_phones: str = ""


def helpers_missing(row: RosterSession) -> int:
    """How many helpers a session still needs: `helpers_needed` less the named
    helpers, never below 0; 0 for a cancelled session.

    Raises:
        ValueError: unknown status or a negative `helpers_needed`.
    """
    if row.status not in STATUSES:
        raise ValueError(f"unknown status {row.status!r}; one of {STATUSES}")
    if row.helpers_needed < 0:
        raise ValueError(f"helpers_needed must not be negative, not {row.helpers_needed}")
    if row.status == "cancelled":
        return 0
    return max(0, row.helpers_needed - len([name for name in row.helpers if name.strip()]))


def staffing_gaps(row: RosterSession) -> list[str]:
    """What a session still lacks, as printed after 「【不足】」.

    Rule (DESIGN.md §7): one lead plus the helpers the session needs; a cancelled
    session lacks nothing.

    Args:
        row: the session.
    Returns:
        [] when fully staffed or cancelled, else some of 「講師未定」 and
        「補助あと{n}名」, in that order.
    Raises:
        ValueError: unknown status or a negative `helpers_needed`.
    """
    missing = helpers_missing(row)
    if row.status == "cancelled":
        return []
    gaps = []
    if not row.lead.strip():
        gaps.append(_("講師未定"))
    if missing:
        gaps.append(_("補助あと{count}名").format(count=missing))
    return gaps


def _names(names: list[str]) -> str:
    # A name keeps its inner space unbroken (a no-break space); lines break after 「、」.
    return "、 ".join(" ".join(name.split()).replace(" ", "\u00a0") for name in names)


def _labelled(label: str, text: str, style: ParagraphStyle) -> Flowable:
    # Hanging indent: wrapped names align after 「補助：」.
    indent = stringWidth(label, FONT_BOLD, style.fontSize)
    hanging = ParagraphStyle(f"{style.name}_hanging", parent=style, leftIndent=indent, firstLineIndent=-indent)
    return para(runs((label, FONT_BOLD, style.fontSize), (text, style.fontName, style.fontSize)), hanging)


def _staff_cell(row: RosterSession, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    text = cell_style(styles["body"], "roster_text")
    cell: list[Flowable] = []
    gaps = staffing_gaps(row)
    if gaps:
        cell.append(para(_("【不足】") + _("・").join(gaps), cell_style(text, "roster_gap", bold=True)))
    lead = row.lead.strip() or _("未定")
    cell.append(_labelled(_("講師："), _names([lead]), text))
    helpers = [name for name in row.helpers if name.strip()]
    cell.append(_labelled(_("補助："), _names(helpers) if helpers else _("なし"), text))
    return cell


def _lesson_cell(row: RosterSession, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    text = cell_style(styles["body"], "roster_text")
    title = row.lesson_title.strip()
    if row.status == "cancelled":
        title = _("【中止】") + title
    place = _("{venue}　{room}").format(venue=row.venue, room=row.room).strip()
    cell = [para(title, cell_style(text, "roster_lesson", bold=True)), para(place, text)]
    if row.loan_phones:
        cell.append(para(row.loan_phones, text))
    return cell


def _column(texts: list[str], body_pt: float) -> float:
    # As wide as the widest text in bold plus the cell padding, within the cap.
    widest = max(stringWidth(text, FONT_BOLD, body_pt) for text in texts)
    return min(widest + 2 * CELL_PAD_X * body_pt + 1, MAX_COLUMN_SHARE * CONTENT_WIDTH)


def _staff_texts(row: RosterSession) -> list[str]:
    # What one line of the 担当 cell should hold whole: each gap (the first after
    # 「【不足】」), and each name after its label.
    gaps = staffing_gaps(row)
    helpers = [_("補助：") + name.strip() + "、" for name in row.helpers if name.strip()]
    return [_("【不足】") + gaps[0] if gaps else "", *gaps[1:], _("講師：") + (row.lead.strip() or _("未定")), *helpers]


def _table(rows: list[RosterSession], styles: dict[str, ParagraphStyle]) -> Table:
    body = styles["body"]
    b = body.fontSize
    head = cell_style(body, "roster_head", bold=True, rightIndent=0)
    when = cell_style(body, "roster_when", bold=True)
    # Measured in the font used (issue 14): 「令和8年（2026年）」 or "Thu 3 Dec 2026,"
    # on a line of its own.
    date_width = _column([_("日時"), *(line for row in rows for line in session_lines(row.starts_at, row.ends_at))], b)
    staff_width = _column([_("担当"), *(text for row in rows for text in _staff_texts(row))], b)
    rest = CONTENT_WIDTH - date_width
    wide = rest - staff_width >= LESSON_MIN_EM * b
    if wide:
        widths = [date_width, rest - staff_width, staff_width]
        header = [_("日時"), _("講座・会場"), _("担当")]
    else:
        widths = [date_width, rest]
        header = [_("日時"), _("講座・会場・担当")]
    data: list[list] = [[para(h, head) for h in header]]
    for row in rows:
        cells: list = [para("\n".join(session_lines(row.starts_at, row.ends_at)), when)]
        staff = _staff_cell(row, styles)
        if wide:
            cells += [_lesson_cell(row, styles), staff]
        else:
            cells.append(_lesson_cell(row, styles) + [Spacer(0, 0.2 * b)] + staff)
        data.append(cells)
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        table_style(
            *padding(b),
            ("GRID", (0, 0), (-1, -1), 0.75, black),
            ("BOX", (0, 0), (-1, -1), 1.5, black),
            ("LINEBELOW", (0, 0), (-1, 0), 2, black),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        )
    )
    return table


def _count(n: int) -> str:
    return _("{count}回").format(count=n)


def render_roster(centre: Centre, year: int, month: int, rows: list[RosterSession], body_pt: int = 16) -> bytes:
    """The month's volunteer roster (担当表) as a PDF (DESIGN.md §8).

    Args:
        centre: name and phone for the footer.
        year, month: the month shown (Gregorian year, 1–12).
        rows: the month's sessions, any order; printed by start time.
        body_pt: body size in pt, 16, 20 or 24. At 16 pt the 担当 is a column of
            its own; at 20 and 24 pt it goes under the lesson and place.
    Returns:
        PDF bytes, A4 portrait, BIZ UDPGothic embedded, as many pages as needed,
        the header row repeated on every page.
    Raises:
        ValueError: `body_pt` not 16/20/24, `month` outside 1–12, a session
            starting outside the month (Tokyo time), a naive datetime, an end
            before its start, an unknown status or a negative `helpers_needed`.
    """
    styles = paragraph_styles(body_pt)
    for row in rows:
        local = to_jst(row.starts_at)
        if (local.year, local.month) != (year, month):
            raise ValueError(f"{row.lesson_title} starts {local.isoformat()}, outside {year}-{month:02d}")
        staffing_gaps(row)
    ordered = sorted(rows, key=lambda r: (to_jst(r.starts_at), r.lesson_title))
    title = _("{month}の担当表").format(month=month_label(year, month))
    held = [row for row in ordered if row.status != "cancelled"]
    no_lead = sum(1 for row in held if not row.lead.strip())
    short = sum(1 for row in held if helpers_missing(row))
    cancelled = len(ordered) - len(held)
    sessions = _("{held}（中止 {cancelled}）").format(held=_count(len(held)), cancelled=_count(cancelled))
    gaps = _("講師未定 {no_lead}・補助不足 {short}").format(no_lead=_count(no_lead), short=_count(short))
    story: list[Flowable] = [
        DocumentStart(),
        para(title, styles["title"]),
        info_box([(_("開催"), sessions), (_("不足"), gaps if no_lead or short else _("なし"))], styles),
        Spacer(0, 0.3 * body_pt),
    ]
    if no_lead or short:
        story.append(para(_("【不足】の回に入れる方は、職員にお知らせください。"), styles["body"]))
    if ordered:
        story += [Spacer(0, 0.3 * body_pt), _table(ordered, styles)]
    else:
        story.append(para(_("この月の教室はありません。"), styles["body"]))
    return build_pdf(story, centre, title=title, subject=_("担当表"))
