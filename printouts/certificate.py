"""The activity certificate (活動証明書) of a volunteer's hours in one fiscal year.

Laid out as a formal Japanese certificate (DESIGN.md §8 sizes): the title
「活動証明書」 (centred, as certificates are), 「山田 花子 様（デジタル推進委員）」,
the statement 「上記の者は、令和8年度（2026年度）において、下記のとおりデジタル活用
支援の活動に従事したことを証明します。」, then 「記」 with a box of the total
(「合計 3回 4時間00分」) and the total per role, 「以上」, the issue date and the
issuer with a 「印」 box for the seal. This part fits on the first page at every
body size, so page 1 is the certificate whatever the number of activities.

「活動の明細」 follows: every activity in date order (date in 和暦・西暦 with the
weekday, lesson, role, time as 「1時間30分」) with the total again in the last row;
its caption and header row repeat on every page the table runs onto.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reportlab.lib.colors import black
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Table

from locales import _
from printouts.dates import duration, fiscal_year_label, format_date
from printouts.desk import CELL_PAD_X, cell_style, padding
from printouts.layout import (
    CONTENT_WIDTH,
    FONT,
    FONT_BOLD,
    DocumentStart,
    build_pdf,
    para,
    runs,
    styles as paragraph_styles,
    table_style,
)
from printouts.model import Centre

SEAL_MM = 20  # the 「印」 box: room for a 18 mm round seal


@dataclass(frozen=True)
class Activity:
    """One activity a volunteer did (a shift they worked).

    Attributes:
        day: the date in Japan.
        lesson_title: e.g. "スマホの基本操作".
        role: the role as printed, e.g. "講師" or "補助" (db.volunteers.ROLES labels).
        minutes: time spent, > 0.
    """

    day: date
    lesson_title: str
    role: str
    minutes: int


def totals(activities: list[Activity]) -> tuple[int, int]:
    """(number of activities, total minutes)."""
    return len(activities), sum(a.minutes for a in activities)


def total_text(activities: list[Activity]) -> str:
    """The certificate's total, e.g. 3 activities of 90 + 90 + 60 minutes →
    「合計 3回 4時間00分」."""
    count, minutes = totals(activities)
    return _("合計 {count}回 {time}").format(count=count, time=duration(minutes))


def by_role(activities: list[Activity]) -> list[tuple[str, int, int]]:
    """[(role, number, minutes)] in the order roles first appear by date."""
    result: dict[str, list[int]] = {}
    for activity in sorted(activities, key=lambda a: a.day):
        entry = result.setdefault(activity.role, [0, 0])
        entry[0] += 1
        entry[1] += activity.minutes
    return [(role, count, minutes) for role, (count, minutes) in result.items()]


def _check(fiscal_year: int, activities: list[Activity], issued_on: date) -> None:
    if not activities:
        raise ValueError("a certificate needs at least one activity")
    start, end = date(fiscal_year, 4, 1), date(fiscal_year + 1, 3, 31)
    for activity in activities:
        if not start <= activity.day <= end:
            raise ValueError(f"{activity.day} lies outside fiscal year {fiscal_year} ({start} – {end})")
        if activity.day > issued_on:
            raise ValueError(f"{activity.day} is after the issue date {issued_on}")
        if activity.minutes <= 0:
            raise ValueError(f"minutes must be positive, not {activity.minutes} on {activity.day}")


def _summary(activities: list[Activity], styles: dict[str, ParagraphStyle]) -> Table:
    # The total and the total per role in a framed box. The period is the
    # statement's 年度: a 活動期間 row would push the issuer off page 1 at 24 pt.
    body = styles["body"]
    b = body.fontSize
    rows = [
        (_("活動"), total_text(activities)),
        (
            _("内訳"),
            "\n".join(
                _("{role} {count}回 {time}").format(role=role, count=count, time=duration(minutes))
                for role, count, minutes in by_role(activities)
            ),
        ),
    ]
    label = cell_style(body, "summary_label", bold=True, rightIndent=0)
    value = cell_style(body, "summary_value")
    # Measured in the font used, so 「内訳」 or "Breakdown" never breaks (issue 14).
    label_width = max(stringWidth(text, FONT_BOLD, b) for text, _value in rows) + (2 * CELL_PAD_X + 1) * b
    table = Table(
        [[para(text, label), [para(line, value) for line in v.split("\n")]] for text, v in rows],
        colWidths=[label_width, CONTENT_WIDTH - label_width],
    )
    table.setStyle(table_style(("BOX", (0, 0), (-1, -1), 1.5, black), ("VALIGN", (0, 0), (-1, -1), "TOP"), *padding(b)))
    return table


def _issuer_block(centre: Centre, issuer: str, issued_on: date, styles: dict[str, ParagraphStyle]) -> Table:
    # The issue date and issuer on the right, the 「印」 box beside them.
    body = styles["body"]
    b = body.fontSize
    text = cell_style(body, "issuer")
    # Room for an 18 mm seal, and for the word 「印」 / "Seal" measured in the font.
    seal = max(SEAL_MM * mm, stringWidth(_("印"), FONT, b) + 2 * CELL_PAD_X * b + 2)
    issued = [format_date(issued_on), centre.name]
    if issuer.strip() and issuer.strip() != centre.name:
        issued.append(issuer.strip())
    # As wide as the longest line, up to the room left of the seal: the block
    # sits on the right, as a certificate's issuer does.
    gap = 0.5 * b
    room = CONTENT_WIDTH - seal - gap
    text_width = min(room, max(stringWidth(line, FONT, b) for line in issued) + b)
    lines = [para(line, text) for line in issued]
    seal_box = Table([[para(_("印"), cell_style(body, "seal", alignment=TA_CENTER, rightIndent=0))]],
                     colWidths=[seal], rowHeights=[seal])
    seal_box.setStyle(table_style(("BOX", (0, 0), (-1, -1), 1, black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")))
    block = Table(
        [["", lines, seal_box]],
        colWidths=[room - text_width, text_width, seal + gap],
    )
    block.setStyle(
        table_style(
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("LEFTPADDING", (2, 0), (2, 0), gap),
        )
    )
    return block


def _details(activities: list[Activity], styles: dict[str, ParagraphStyle]) -> Table:
    body = styles["body"]
    b = body.fontSize
    pad = 2 * CELL_PAD_X * b + 1
    head = cell_style(body, "detail_head", bold=True, rightIndent=0)
    text = cell_style(body, "detail_text")
    when = cell_style(body, "detail_when", bold=True)
    short = cell_style(body, "detail_short", rightIndent=0)
    ordered = sorted(activities, key=lambda a: (a.day, a.lesson_title))
    # The role and time columns fit their widest entry in the font used (issue 14):
    # 「講師」 and 「10時間30分」 or "Helper" and "10 h 30 min" on one line each.
    role_width = max(stringWidth(t, FONT_BOLD, b) for t in [_("役割"), *(a.role for a in ordered)]) + pad
    time_width = max(stringWidth(t, FONT_BOLD, b) for t in [_("時間"), *(duration(a.minutes) for a in ordered)]) + pad
    widths = [CONTENT_WIDTH - role_width - time_width, role_width, time_width]
    caption = cell_style(styles["heading"], "detail_caption", rightIndent=0)
    data: list[list] = [
        [para(_("活動の明細"), caption), "", ""],
        [para(h, head) for h in (_("日付・講座"), _("役割"), _("時間"))],
    ]
    for activity in ordered:
        data.append(
            [
                [para(format_date(activity.day), when), para(activity.lesson_title, text)],
                para(activity.role, short),
                para(duration(activity.minutes), short),
            ]
        )
    data.append([para(total_text(activities), cell_style(body, "detail_total", bold=True)), "", ""])
    last = len(data) - 1
    # The caption and header row repeat on every page the table runs onto.
    table = Table(data, colWidths=widths, repeatRows=2)
    table.setStyle(
        table_style(
            *padding(b),
            ("SPAN", (0, 0), (-1, 0)),
            ("LEFTPADDING", (0, 0), (-1, 0), 0),
            ("TOPPADDING", (0, 0), (-1, 0), 0.9 * b),
            ("GRID", (0, 1), (-1, -1), 0.75, black),
            ("BOX", (0, 1), (-1, -1), 1.5, black),
            ("LINEBELOW", (0, 1), (-1, 1), 2, black),
            ("LINEABOVE", (0, last), (-1, last), 2, black),
            ("SPAN", (0, last), (-1, last)),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            # Never the caption and header alone at a page's foot, nor the total
            # alone at a page's top.
            ("NOSPLIT", (0, 0), (-1, 2)),
            ("NOSPLIT", (0, last - 1), (-1, last)),
        )
    )
    return table


def render_certificate(
    centre: Centre,
    volunteer_name: str,
    volunteer_kind: str,
    fiscal_year: int,
    activities: list[Activity],
    issued_on: date,
    issuer: str,
    body_pt: int = 16,
) -> bytes:
    """A volunteer's activity certificate (活動証明書) for one fiscal year, as a PDF.

    Args:
        centre: the issuing centre (name printed as issuer; name and phone in the footer).
        volunteer_name: e.g. "山田 花子"; printed 「山田 花子 様」.
        volunteer_kind: the kind as printed, e.g. "デジタル推進委員" (labels of
            db.volunteers.KINDS); "" prints none.
        fiscal_year: the fiscal year (年度) by its starting year: 2026 = 1 April
            2026 – 31 March 2027.
        activities: the volunteer's activities in that year, any order.
        issued_on: the issue date, printed in 和暦・西暦 with the weekday.
        issuer: who issues it, printed under the centre's name, e.g.
            "さくら市立中央公民館長　佐藤 一郎"; "" or the centre's name prints the
            centre's name only.
        body_pt: body size in pt, 16, 20 or 24 (DESIGN.md §8).
    Returns:
        PDF bytes, A4 portrait, BIZ UDPGothic embedded: the certificate with the
        totals on page 1, then 「活動の明細」 on as many pages as needed.
    Raises:
        ValueError: `body_pt` not 16/20/24; no activities; an activity outside
            the fiscal year or after `issued_on`; minutes not positive.
    """
    styles = paragraph_styles(body_pt)
    _check(fiscal_year, activities, issued_on)
    b = body_pt
    body = styles["body"]
    centred = ParagraphStyle("centred", parent=styles["title"], alignment=TA_CENTER, rightIndent=0)
    centred_body = ParagraphStyle("centred_body", parent=body, alignment=TA_CENTER, rightIndent=0)
    # 「山田 花子 様」 large, the kind after it in body size; the name never breaks
    # inside (no-break spaces).
    name = cell_style(styles["heading"], "name", spaceBefore=0.5 * b, spaceAfter=0.5 * b)
    name_text = _("{name} 様").format(name=" ".join(volunteer_name.split())).replace(" ", "\u00a0")
    parts = [(name_text, FONT_BOLD, name.fontSize)]
    if volunteer_kind.strip():
        parts.append((" " + _("（{kind}）").format(kind=volunteer_kind.strip()), FONT, b))
    statement = _(
        "上記の者は、{fiscal_year}において、下記のとおりデジタル活用支援の活動に従事したことを証明します。"
    ).format(fiscal_year=fiscal_year_label(fiscal_year))
    story: list[Flowable] = [
        DocumentStart(),
        para(_("活動証明書"), centred),
        para(runs(*parts), name),
        para(statement, body),
        para(_("記"), centred_body),
        _summary(activities, styles),
        # The closing, the issue date, the issuer and the seal stay together.
        KeepTogether(
            [
                para(_("以上"), ParagraphStyle("end", parent=body, alignment=TA_RIGHT, rightIndent=0, spaceBefore=0.3 * b)),
                _issuer_block(centre, issuer, issued_on, styles),
            ]
        ),
        _details(activities, styles),
    ]
    title = _("活動証明書")
    return build_pdf(story, centre, title=f"{title}　{volunteer_name}", subject=title)
