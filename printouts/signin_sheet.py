"""The sign-in sheet (受付名簿): the roster on the session's reception table.

Top to bottom: 「受付名簿」, the lesson title, a box with 日時 (和暦・西暦, Tokyo
time), 会場 and 人数 (total and per group); then one table per seating group —
iPhone, Android, その他 (らくらくスマホ・携帯電話・貸出機) — because iPhone and
Android users are seated apart (DESIGN.md §7). Each table starts with the group's
heading and count and a header row; both repeat on every page the table runs onto.
Rows are in フリガナ order with a pen-sized 「□ 出席」, the name over its フリガナ,
the device and the needs. A borrowed loan phone (貸出機) prints 「貸出機」 and its
label in bold under it, and seats its borrower with that phone's group.

No phone numbers: the sheet lies open on the reception table.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.colors import black
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Spacer, Table

from locales import _
from printouts.desk import CELL_PAD_X, cell_style, check_box, display_kana, info_box, kana_key, padding, spaced_when
from printouts.layout import CONTENT_WIDTH, FONT, DocumentStart, build_pdf, para, table_style
from printouts.layout import styles as paragraph_styles
from printouts.model import Centre, SessionInfo

# The devices an attendee can have (issue 4); "" is an attendee whose device is not recorded.
DEVICES = ("iPhone", "Android", "らくらくスマホ", "携帯電話", "なし", "")

# Booking statuses (db.bookings) as the sheet prints them (msgids for `_()`);
# "booked" is the normal case and prints nothing. Any other text prints as given.
STATUS_LABELS = {
    "booked": "",
    "offered": "繰り上げ連絡中",
    "waitlisted": "キャンセル待ち",
    "attended": "出席済",
    "absent": "欠席",
    "late": "遅刻",
    "cancelled": "取消",
}

# Column widths in multiples of the body size.
CHECK_EM = 4.6  # at least: □ at 1.5 em + 「出席」 + padding
DEVICE_EM = 7.2  # 「らくらくスマホ」 on one line
NAME_EM = 10.5  # 「（ワタナベ セツコ）」 on one line
# Below this much room for name + needs, needs go under the name (20 and 24 pt on A4).
TWO_COLUMNS_EM = NAME_EM + 8


@dataclass(frozen=True)
class SigninRow:
    """One booked attendee as the sign-in sheet shows them.

    Attributes:
        name: e.g. "山田 花子"; name_kana: e.g. "ヤマダ ハナコ" (sort key).
        device: one of `DEVICES`: "iPhone", "Android", "らくらくスマホ", "携帯電話",
            "なし" (printed 「貸出機」: the centre lends a phone), or "" (not recorded).
        needs: free text, e.g. "大きな文字・補聴器"; "" for none.
        status: a booking status code of `STATUS_LABELS` or text to print as is.
        loan: the label of the loan phone lent, e.g. "iPhone-3"; "" for none.
        loan_kind: that phone's kind, "iPhone" or "Android" (its seating group).
    """

    name: str
    name_kana: str
    device: str
    needs: str = ""
    status: str = ""
    loan: str = ""
    loan_kind: str = ""

    @property
    def seated_as(self) -> str:
        """The device the person uses in class: the loan phone's kind, else their own."""
        return self.loan_kind if self.loan and self.loan_kind else self.device


def device_label(device: str) -> str:
    """The device as printed: 「なし」 → 「貸出機」, "" → 「未確認」.

    Raises:
        ValueError: `device` is not one of `DEVICES`.
    """
    if device not in DEVICES:
        raise ValueError(f"unknown device {device!r}; one of {DEVICES}")
    if device == "なし":
        return _("貸出機")
    if device == "":
        return _("未確認")
    return device


def seating_groups(rows: list[SigninRow]) -> list[tuple[str, str, list[SigninRow]]]:
    """Rows split into seating groups, each in フリガナ order (DESIGN.md §7).

    Args:
        rows: attendees in any order.
    Returns:
        [(short name, heading, rows)] for iPhone, Android and その他 (らくらくスマホ・
        携帯電話・貸出機・未確認), in that order; every group is present, possibly empty.
        A person with a loan phone sits with its kind (`SigninRow.seated_as`).
    Raises:
        ValueError: a row's device is not one of `DEVICES`.
    """
    for row in rows:
        device_label(row.device)
    ordered = sorted(rows, key=lambda r: kana_key(r.name_kana, r.name))
    return [
        ("iPhone", _("iPhoneの方"), [r for r in ordered if r.seated_as == "iPhone"]),
        ("Android", _("Androidの方"), [r for r in ordered if r.seated_as == "Android"]),
        (
            _("その他"),
            _("その他の方"),
            [r for r in ordered if r.seated_as not in ("iPhone", "Android")],
        ),
    ]


def _count(n: int) -> str:
    return _("{count}名").format(count=n)


def _notes(row: SigninRow) -> str:
    label = STATUS_LABELS.get(row.status)
    status = row.status if label is None else (_(label) if label else "")
    return "\n".join(text for text in (row.needs.strip(), f"【{status}】" if status else "") if text)


def _group_table(heading: str, rows: list[SigninRow], styles: dict[str, ParagraphStyle]) -> Table:
    body = styles["body"]
    b = body.fontSize
    caption = cell_style(styles["heading"], "group_heading", rightIndent=0)
    head = cell_style(body, "column_head", bold=True, rightIndent=0)
    # Names and フリガナ break at their space, never inside a word.
    name_style = cell_style(body, "name", bold=True, wordWrap=None, rightIndent=0)
    kana = cell_style(body, "kana", wordWrap=None, rightIndent=0)
    device = cell_style(body, "device", rightIndent=0)
    text = cell_style(body, "cell")

    # "□ Present" is wider than 「□ 出席」: measured in the font, never split.
    check_w = max(
        CHECK_EM * b,
        stringWidth("□", FONT, 1.5 * b) + stringWidth(" " + _("出席"), FONT, b) + 2 * CELL_PAD_X * b + 2,
    )
    width_left = CONTENT_WIDTH - check_w - DEVICE_EM * b
    wide = width_left >= TWO_COLUMNS_EM * b
    if wide:
        name_width = NAME_EM * b
        widths = [check_w, name_width, DEVICE_EM * b, width_left - name_width]
        header = [_("出席"), _("お名前（フリガナ）"), _("機種"), _("配慮・備考")]
    else:
        widths = [check_w, width_left, DEVICE_EM * b]
        header = [_("出席"), _("お名前・配慮"), _("機種")]

    data: list[list] = [
        [para(f"{heading}　{_count(len(rows))}", caption)] + [""] * (len(widths) - 1),
        [para(h, head) for h in header],
    ]
    for row in rows:
        person = [
            para(row.name, name_style),
            para(f"（{display_kana(row.name_kana)}）", kana),
        ]
        notes = _notes(row)
        device_cell = para(device_label(row.device), device)
        if row.loan:
            # The label bold on a line of its own: staff hand that phone over.
            lines = [device_cell] if row.device == "なし" else [device_cell, para(_("貸出機"), device)]
            device_cell = lines + [para(row.loan, cell_style(body, "loan", bold=True, rightIndent=0))]
        cells = [check_box(_("出席"), body), person, device_cell]
        if wide:
            cells.append(para(notes, text) if notes else "")
        elif notes:
            person.append(para(notes, text))
        data.append(cells)

    last = len(data) - 1
    table = Table(data, colWidths=widths, repeatRows=2)
    table.setStyle(
        table_style(
            *padding(b),
            ("SPAN", (0, 0), (-1, 0)),
            ("LEFTPADDING", (0, 0), (-1, 0), 0),
            ("GRID", (0, 1), (-1, -1), 0.75, black),
            ("BOX", (0, 1), (-1, -1), 1.5, black),
            ("LINEBELOW", (0, 1), (-1, 1), 2, black),
            ("VALIGN", (0, 1), (-1, -1), "MIDDLE"),
            # Never a heading and header row alone at a page's foot.
            ("NOSPLIT", (0, 0), (-1, min(2, last))),
        )
    )
    return table


def _story(
    session: SessionInfo, lesson_title: str, rows: list[SigninRow], styles: dict[str, ParagraphStyle]
) -> list[Flowable]:
    groups = seating_groups(rows)
    counts = "・".join(f"{short}{_count(len(group))}" for short, _heading, group in groups)
    story: list[Flowable] = [
        DocumentStart(),
        para(_("受付名簿"), styles["title"]),
        para(lesson_title, cell_style(styles["heading"], "lesson_title", spaceAfter=0.3 * styles["body"].fontSize)),
        info_box(
            [
                (_("日時"), spaced_when(session.starts_at, session.ends_at)),
                (_("会場"), f"{session.venue}　{session.room}"),
                (_("人数"), _("合計{total}（{counts}）").format(total=_count(len(rows)), counts=counts)),
            ],
            styles,
        ),
    ]
    gap = styles["body"].fontSize
    if not rows:
        story += [Spacer(0, gap), para(_("予約はありません。"), styles["body"])]
    for _short, heading, group in groups:
        if group:
            story += [Spacer(0, gap), _group_table(heading, group, styles)]
    return story


def render_signin_sheet(
    session: SessionInfo, lesson_title: str, centre: Centre, rows: list[SigninRow], body_pt: int = 16
) -> bytes:
    """The sign-in sheet (受付名簿) of one session as a PDF (DESIGN.md §7, §8).

    Args:
        session: date, times (aware; printed in Tokyo) and place.
        lesson_title: the lesson's title.
        centre: name and phone for the footer.
        rows: the attendees to print, any order; sorted by フリガナ within the
            iPhone / Android / その他 groups. Empty groups are left out.
        body_pt: body size in pt, 16, 20 or 24 (headings 24 pt and up).
    Returns:
        PDF bytes, A4 portrait, BIZ UDPGothic embedded, as many pages as needed,
        each group's heading and header row repeated on every page it runs onto.
    Raises:
        ValueError: `body_pt` not 16/20/24, a naive datetime, or an unknown device.
    """
    styles = paragraph_styles(body_pt)
    story = _story(session, lesson_title, rows, styles)
    return build_pdf(story, centre, title=f"{_('受付名簿')}　{lesson_title}", subject=_("受付名簿"))
