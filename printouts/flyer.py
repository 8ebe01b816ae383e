"""The monthly schedule / flyer (チラシ) for notice boards and the 広報紙 (DESIGN.md §1, §8).

Top to bottom: the month as the title (「令和8年（2026年）12月のスマホ教室」, the
house date style of `printouts.dates`), a framed 「お申し込み・お問い合わせ」 box —
the centre's phone in very large type and, when the centre has a web page, its
二次元コード with the page's title and full URL beside it — then the month's
sessions in date order. The box comes first so the sheet on the notice board
always says how to book.

Each session is one row of a 日にち | 時間帯 | 講座 table: the date with its
weekday and the time in bold; the lesson title with its level (「［基礎］」) and
【残り3席】/【満席】/【中止】 in bold (words, never colour alone); the summary where
it fits one line; the place — or, when every session shares one place, the
place once above the table. A month without
sessions prints a friendly line instead of the table. The sheet is one A4:
the table is measured as built, and each session count is tried with
summaries, then without, each with the time beside the date, under it, and
under it broken after 「〜」/"–"; sessions that do not fit give way to a line
saying how to hear about them. Measured with the catalogue's first 8 lessons
(summaries of two lines): 6 shown at 16 pt, 3 at 20 pt, 2 at 24 pt in Japanese;
4, 2 and 0 in English, whose titles run to 60 letters and whose 24 pt booking
box and title leave no room for a session; 8 with one-line titles at 16 pt.

Also used by the roster and the certificate: `month_label`, `title_paragraph`,
`spaced_date`, and `japanese_lines` / `wrapped`, which break Japanese text by
禁則 rules that reportlab's own wrapping lacks (never a line ending in 「（」).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from xml.sax.saxutils import escape

from reportlab.lib.colors import black
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.textsplit import ALL_CANNOT_END, ALL_CANNOT_START
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from locales import _, current_language
from printouts.dates import WEEKDAYS, format_date, format_time, format_time_range, to_jst, wareki_year
from printouts.desk import CELL_PAD_X, cell_style, padding
from printouts.layout import (
    CONTENT_WIDTH,
    FONT,
    FONT_BOLD,
    FOOTER_PT,
    LEADING,
    QR_TEXT_GAP,
    DocumentStart,
    QRCodeFlowable,
    build_pdf,
    page_room,
    qr_notice,
    story_height,
    para,
    styles as paragraph_styles,
    table_style,
    wrap_url,
)
from printouts.model import Centre

STATUSES = ("scheduled", "cancelled", "full")

# The lesson title prints this many pt above the body size.
TITLE_PLUS_PT = 2
# Issue 5 asks for the phone in "very large type": ≥ 28 pt, body + 16 where it fits.
PHONE_MIN_PT = 28
PHONE_PLUS_PT = 16
BOX_PAD = 0.5  # inner margin of the booking box, × body size
MIN_LESSON_EM = 10  # the lesson column's least width, × body size, before date and time stack


@dataclass(frozen=True)
class FlyerEntry:
    """One session as the flyer shows it.

    Attributes:
        title: the lesson title, e.g. "スマホの基本操作".
        level: short text, e.g. "基礎" or "応用"; printed as 「［基礎］」, "" for none.
        summary: the lesson's one-line summary; "" for none (a denser flyer).
        starts_at, ends_at: timezone-aware datetimes (printed in Asia/Tokyo).
        venue, room: e.g. "中央公民館", "第1会議室".
        seats_left: free seats, or None to print no seat count; 0 prints 「満席」.
        status: "scheduled", "cancelled" (prints 「中止」) or "full" (prints 「満席」).
    """

    title: str
    level: str
    summary: str
    starts_at: datetime
    ends_at: datetime
    venue: str
    room: str
    seats_left: int | None = None
    status: str = "scheduled"


def month_label(year: int, month: int) -> str:
    """The month in 和暦 and 西暦, e.g. (2026, 12) → 「令和8年（2026年）12月」.

    Args:
        year: Gregorian year; month: 1–12.
    Returns:
        str in the style of `printouts.dates.format_date`; the era is the one of
        the month's first day (2019-05 → 令和元年, 2019-04 → 平成31年).
    Raises:
        ValueError: `month` outside 1–12, or a year before 明治.
    """
    first = date(year, month, 1)
    return _("{wareki}（{year}年）{month}月").format(wareki=wareki_year(first), year=year, month=month)


def title_paragraph(text: str, style: ParagraphStyle, width: float = CONTENT_WIDTH) -> Paragraph:
    """`text` as a title that breaks only after 「）」 or at a "\\n" when too long.

    「令和8年（2026年）12月のスマホ教室」 stays on one line when it fits, otherwise
    breaks as 「令和8年（2026年）」 / 「12月のスマホ教室」 rather than inside a word.
    A part still too wide for a line wraps by the Japanese rules of `style`.

    Args:
        text: the title; "\\n" marks an extra allowed break (not printed).
        style: a bold title style; width: line width in pt.
    Returns:
        Paragraph.
    """
    parts = [p for p in re.split(r"\n|(?<=）)", text) if p]
    room = width - style.leftIndent
    lines: list[str] = []
    for part in parts:
        if lines and stringWidth(lines[-1] + part, style.fontName, style.fontSize) <= room:
            lines[-1] += part
        else:
            lines.append(part)
    fitted = ParagraphStyle(f"{style.name}_fitted", parent=style, rightIndent=0)
    return Paragraph("<br/>".join(escape(line) for line in lines), fitted)


# Where a line of Japanese text breaks best: after these, or before those. A
# half-width space is no such place: it sits inside names ("山田 花子").
_BREAK_AFTER = "）］】」・、。〜　"
_BREAK_BEFORE = "（［【「"
_UNITS = "年月日時分回名席度"
_CANNOT_START = ALL_CANNOT_START + "〜"  # 「〜」 ends the line it continues
PREFERRED_SHARE = 0.35  # a preferred break is taken when the line is at least this full
_WEEKDAY_MARKS = {f"（{day}）" for day in WEEKDAYS}


def _may_break(text: str, at: int) -> bool:
    # 禁則: no line starts with 「）。、ー…」 or ends with 「（【「…」. Words of
    # Latin letters and digits ("Android", "10:00") stay whole, and so do a
    # number with the word before it and its unit (「令和8年」「90分」), a year
    # with its 西暦 (「令和8年（2026年）」) and a day with its weekday (「3日（木）」).
    before, after = text[at - 1], text[at]
    latin = before.isascii() and after.isascii() and (before.isalnum() or before in ":.-") and after.isalnum()
    unit = (before.isdigit() and after in _UNITS) or (
        after.isdigit() and before not in _BREAK_AFTER and not before.isspace()
    )
    paren = after == "（" and (text[at + 1 : at + 2].isdigit() or text[at : at + 3] in _WEEKDAY_MARKS)
    return after not in _CANNOT_START and before not in ALL_CANNOT_END and not (latin or unit or paren)


def japanese_lines(text: str, font_name: str, size: float, width: float, phrases: bool = True) -> list[str]:
    """`text` broken into lines no wider than `width`, by Japanese rules (禁則処理).

    reportlab's Japanese wrapping keeps 「）。、」 off a line's start but may end a
    line with 「（」 or 「【」, and breaks anywhere; here a line breaks, when it must,
    after 「）］】」・、。〜」 or a full-width space, or before 「（［【「」, when that
    point leaves the line at least 35 % full, else at the last point the rules
    allow (by 禁則 alone when that would leave the line less than 35 % full).
    Words of Latin letters and digits, numbers with the word before them and
    their unit (「令和8年」), 「令和8年（2026年）」 and 「3日（木）」 stay whole when
    they can.

    Args:
        text: one paragraph of plain text; font_name, size (pt): its font;
        width: available width in pt; phrases: False for running prose, which
            fills each line rather than breaking early at 「、」.
    Returns:
        non-empty list of lines; joining them gives back `text` less the spaces
        at which lines were broken.
    """
    lines: list[str] = []
    share = PREFERRED_SHARE * width
    start = 0  # where the current line begins in `text`
    for i in range(len(text)):
        if text[start:i].strip() and stringWidth(text[start : i + 1], font_name, size) > width:
            allowed = [at for at in range(i, start, -1) if _may_break(text, at)]
            preferred = [
                at
                for at in allowed
                if phrases
                and (text[at - 1] in _BREAK_AFTER or text[at] in _BREAK_BEFORE)
                and stringWidth(text[start:at], font_name, size) >= share
            ]
            # A unit too wide for a line of its own breaks by 禁則 alone rather
            # than leaving a stub like 「令」.
            full = [at for at in allowed if stringWidth(text[start:at], font_name, size) >= share]
            kinsoku = [
                at for at in range(i, start, -1) if text[at] not in _CANNOT_START and text[at - 1] not in ALL_CANNOT_END
            ]
            cut = (preferred or full or kinsoku or [i])[0]
            lines.append(text[start:cut].rstrip())
            start = cut
            while start < i and text[start].isspace():
                start += 1
    lines.append(text[start:])
    return lines


def wrapped(text: str, style: ParagraphStyle, width: float, phrases: bool = True) -> Paragraph:
    """A Paragraph of `text` broken by `japanese_lines` to fit `width` pt.

    Args:
        text: plain text (escaped here); style: its paragraph style (its font and
            size measure the lines; its left indent is taken off `width`);
        width: the column's inner width in pt; phrases: as `japanese_lines`.
    Returns:
        Paragraph with its line breaks fixed (right indent 0: the lines already fit).
    """
    room = width - style.leftIndent - 0.5  # a hair's margin for rounding
    lines = japanese_lines(text, style.fontName, style.fontSize, room, phrases)
    fixed = ParagraphStyle(f"{style.name}_wrapped", parent=style, rightIndent=0)
    return Paragraph("<br/>".join(escape(line) for line in lines), fixed)


def seat_label(entry: FlyerEntry) -> str:
    """What the flyer says about seats: 「中止」, 「満席」, 「残り3席」 or "" (no count).

    Args:
        entry: the session.
    Returns:
        str without brackets.
    Raises:
        ValueError: unknown status or a negative seat count.
    """
    if entry.status not in STATUSES:
        raise ValueError(f"unknown status {entry.status!r}; one of {STATUSES}")
    if entry.seats_left is not None and entry.seats_left < 0:
        raise ValueError(f"seats_left must not be negative, not {entry.seats_left}")
    if entry.status == "cancelled":
        return _("中止")
    if entry.status == "full" or entry.seats_left == 0:
        return _("満席")
    if entry.seats_left is None:
        return ""
    return _("残り{seats}席").format(seats=entry.seats_left)


def spaced_date(starts_at: datetime, ends_at: datetime) -> str:
    """`format_time_range` with spaces where a narrow column may break it:
    「令和8年（2026年） 12月3日（木） 10:00〜11:30」.

    Raises:
        ValueError: as `format_time_range`.
    """
    text = format_time_range(starts_at, ends_at)
    return re.sub(rf"(（\d+年）|（[{WEEKDAYS}]）)(?=\d)", r"\1 ", text)


def _check_month(entries: list[FlyerEntry], year: int, month: int) -> None:
    for entry in entries:
        local = to_jst(entry.starts_at)
        if (local.year, local.month) != (year, month):
            raise ValueError(f"{entry.title} starts {local.isoformat()}, outside {year}-{month:02d}")
        seat_label(entry)


def _phone_size(label: str, phone: str, body_pt: float, width: float) -> float:
    room = width - stringWidth(label + " ", FONT, body_pt)
    return max(PHONE_MIN_PT, min(body_pt + PHONE_PLUS_PT, room / max(stringWidth(phone, FONT_BOLD, 1), 1)))


def booking_box(
    centre: Centre, centre_url: str, booking_note: str, styles: dict[str, ParagraphStyle], width: float = CONTENT_WIDTH
) -> Table:
    """The framed 「お申し込み・お問い合わせ」 box.

    Beside the centre's 二次元コード (left, ≥ 30 mm with its quiet zone, DESIGN.md §8):
    the heading, 「電話 <phone>」 with the phone bold in ≥ 28 pt (body + 16 pt where
    it fits), `booking_note`, and 「ホームページ（二次元コード）」 with the full URL.
    Without `centre_url` the text uses the whole box. The centre's name is in the
    footer right below, next to the same phone number.

    Args:
        centre: name and phone; centre_url: the centre's web page or "".
        booking_note: e.g. "参加無料。電話または窓口でお申し込みください。"; "" for none.
        styles: `printouts.layout.styles()` output; width: box width in pt.
    Returns:
        Table, never split across pages.
    """
    body = styles["body"]
    b = body.fontSize
    pad = BOX_PAD * b
    code = QRCodeFlowable(centre_url) if centre_url else None
    text_width = width - 2 * pad - (code.size + QR_TEXT_GAP if code else 0)
    heading = cell_style(styles["heading"], "box_heading", rightIndent=0)
    text = cell_style(body, "box_text")
    label = _("電話")
    size = _phone_size(label, centre.phone, b, text_width)
    phone = cell_style(body, "box_phone", leading=size * LEADING, wordWrap=None, rightIndent=0, splitLongWords=0)
    parts: list[Flowable] = [
        para(_("お申し込み・お問い合わせ"), heading),
        Paragraph(
            f'{escape(label)}\u00a0<font name="{FONT_BOLD}" size="{size:g}">{escape(centre.phone)}</font>', phone
        ),
    ]
    parts += [wrapped(line.strip(), text, text_width) for line in booking_note.strip().splitlines() if line.strip()]
    if code is not None:
        # The code is what residents use; the URL is for reference, so it keeps the
        # smallest body size and leaves room for the sessions (one sheet, issue 14).
        url = cell_style(styles["url"], "box_url", fontSize=FOOTER_PT, leading=FOOTER_PT * LEADING)
        lines = wrap_url(centre_url, url.fontName, url.fontSize, text_width)
        parts += [
            para(_("ホームページ（二次元コード）"), cell_style(body, "box_url_title", bold=True)),
            Paragraph("<br/>".join(escape(line) for line in lines), url),
        ]
        row = [code, parts]
        widths = [pad + code.size + QR_TEXT_GAP, text_width + pad]
    else:
        row, widths = [parts], [text_width + 2 * pad]
    box = Table([row], colWidths=widths)
    box.setStyle(
        table_style(
            ("BOX", (0, 0), (-1, -1), 2, black),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (0, 0), pad),
            ("LEFTPADDING", (1, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (-1, 0), (-1, 0), pad),
            ("TOPPADDING", (0, 0), (-1, -1), pad / 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad / 2),
        )
    )
    return box


def _short_date(entry: FlyerEntry) -> str:
    # The title already names the month and year: 「12月3日（木）」 / "Thu 3 Dec".
    day = to_jst(entry.starts_at)
    if current_language() == "en":
        return format_date(day).rsplit(" ", 1)[0]
    return _("{month}月{day}日（{weekday}）").format(month=day.month, day=day.day, weekday=WEEKDAYS[day.weekday()])


def _time_halves(entry: FlyerEntry) -> tuple[str, str]:
    # Where the time may break: 「10:00〜」「11:30」, "10:00 am –" "11:30 am".
    start, end = format_time(to_jst(entry.starts_at)), format_time(to_jst(entry.ends_at))
    return (f"{start} –", end) if current_language() == "en" else (f"{start}〜", end)


def _times(entry: FlyerEntry) -> str:
    return " ".join(_time_halves(entry)) if current_language() == "en" else "".join(_time_halves(entry))


def _lesson_text(entry: FlyerEntry) -> str:
    title = entry.title.strip()
    if entry.level.strip():
        title += _("［{level}］").format(level=_(entry.level.strip()))
    seats = seat_label(entry)
    return title + (_("【{status}】").format(status=seats) if seats else "")


def _place(entry: FlyerEntry) -> str:
    return _("会場：{venue}　{room}").format(venue=entry.venue, room=entry.room).strip()


# How the date and time share a row: side by side; the time under the date; the
# time under the date and broken after its 「〜」 / "–" ("10:00 am –" / "11:30 am").
LAYOUTS = ("side", "stacked", "broken")


def _schedule_table(entries: list[FlyerEntry], styles: dict[str, ParagraphStyle], with_summary: bool, layout: str) -> Table:
    """A compact table: 日にち | 時間帯 | 講座 (or 日時 | 講座 when the time goes
    under the date), one row per session, widths measured.

    The date and time columns are as wide as their longest text in the bold font
    (for "broken", as the longer half of the time); the lesson gets the rest. A
    summary is printed under its title only when it fits on one line there
    (measured, never cut), so a row stays one or two lines. "side" stacks anyway
    when the lesson column would be narrower than `MIN_LESSON_EM` × the body size.
    """
    body = styles["body"]
    b = body.fontSize
    pad = 2 * CELL_PAD_X * b
    head = cell_style(body, "flyer_head", bold=True)
    cell = cell_style(body, "flyer_cell", bold=True)
    text = cell_style(body, "flyer_text")
    shared = _shared_place(entries)
    headings = [_("日にち"), _("時間帯"), _("講座") if shared else _("講座・会場")]

    def width(texts) -> float:
        return max(stringWidth(t, FONT_BOLD, b) for t in texts) + pad + 1

    date_w = width([headings[0], *map(_short_date, entries)])
    time_w = width([headings[1], *map(_times, entries)])
    if layout == "side" and CONTENT_WIDTH - date_w - time_w < MIN_LESSON_EM * b:
        layout = "stacked"
    if layout == "side":
        widths = [date_w, time_w]
    else:
        halves = width([half for e in entries for half in _time_halves(e)])
        widths = [max(date_w, time_w if layout == "stacked" else halves)]
        headings = [_("日時"), headings[2]]
    lesson_w = CONTENT_WIDTH - sum(widths)
    data = [[para(h, head) for h in headings]]
    for entry in entries:
        lesson: list[Flowable] = [para(_lesson_text(entry), cell)]
        summary = entry.summary.strip()
        if with_summary and summary and stringWidth(summary, FONT, b) <= lesson_w - pad:
            lesson.append(para(summary, text))
        if not shared:
            lesson.append(para(_place(entry), text))
        when = [para(_short_date(entry), cell), para(_times(entry), cell)]
        data.append([*when, lesson] if layout == "side" else [when, lesson])
    table = Table(data, colWidths=[*widths, lesson_w], repeatRows=1)
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


def _shared_place(entries: list[FlyerEntry]) -> str:
    places = {_place(entry) for entry in entries}
    return places.pop() if len(places) == 1 else ""


def _fitted_schedule(
    entries: list[FlyerEntry], styles: dict[str, ParagraphStyle], room: float, online: bool
) -> tuple[list[Flowable], int]:
    # One sheet (issue 14): summaries go first, then sessions from the end, with a
    # line saying where to find the ones left out (the web page only when there
    # is one). For each count the first of `LAYOUTS` that fits is taken: a long
    # English time beside its date leaves the title a narrow, tall column.
    # Returns (flowables, shown).
    body = styles["body"]
    rest_style = cell_style(body, "flyer_rest", bold=True, spaceBefore=0.3 * body.fontSize)
    # One place for every session (the usual case) is said once, above the table.
    shared = _shared_place(entries)
    lead = [para(shared, cell_style(body, "flyer_place", bold=True, spaceAfter=0.2 * body.fontSize))] if shared else []
    for shown in range(len(entries), -1, -1):
        for with_summary, layout in ((summary, layout) for summary in (True, False) for layout in LAYOUTS):
            parts: list[Flowable] = [*lead, _schedule_table(entries[:shown], styles, with_summary, layout)] if shown else []
            if shown < len(entries):
                rest = _("ほかに{count}回あります。お電話かホームページでご確認ください。") if online else _("ほかに{count}回あります。お電話でお問い合わせください。")
                parts.append(para(rest.format(count=len(entries) - shown), rest_style))
            height = sum(p.wrap(CONTENT_WIDTH, room)[1] + p.getSpaceBefore() + p.getSpaceAfter() for p in parts)
            if height <= room or not shown:
                return parts, shown
    raise AssertionError("unreachable: no session shown always fits")


def render_flyer(
    centre: Centre,
    year: int,
    month: int,
    entries: list[FlyerEntry],
    centre_url: str,
    body_pt: int = 16,
    booking_note: str = "",
) -> bytes:
    """The month's schedule as a flyer (チラシ) PDF for notice boards and the 広報紙.

    Args:
        centre: name and phone, printed large in the booking box and in the footer.
        year, month: the month shown (Gregorian year, 1–12).
        entries: the month's sessions, any order; printed by start time.
        centre_url: the centre's web page, printed as a 二次元コード with the URL
            beside it; "" leaves the code out.
        body_pt: body size in pt, 16, 20 or 24 (DESIGN.md §8).
        booking_note: extra line in the booking box, e.g. "参加無料・要予約"; "" for none.
    Returns:
        PDF bytes, one A4 portrait sheet (issue 14: a 広報紙 insert or a notice
        board needs one): a compact 日にち | 時間 | 講座 table; summaries are kept
        where they fit on one line and the whole still fits the sheet, and when
        not every session fits (more than 8 at 16 pt, fewer at larger sizes) the
        last ones give way to 「ほかに○回あります…」, which says where to ask.
    Raises:
        ValueError: `body_pt` not 16/20/24, `month` outside 1–12, a session starting
            outside the month (Tokyo time), a naive datetime, an end before its start,
            an unknown status or a negative seat count.
    """
    styles = paragraph_styles(body_pt)
    _check_month(entries, year, month)
    ordered = sorted(entries, key=lambda e: (to_jst(e.starts_at), e.title))
    title = _("{month}の\nスマホ教室").format(month=month_label(year, month))
    gap = 0.6 * body_pt
    story: list[Flowable] = [
        DocumentStart(),
        title_paragraph(title, styles["title"]),
        booking_box(centre, centre_url, booking_note, styles),
        Spacer(0, gap),
    ]
    # English says "QR code": the trademark notice goes at the foot (DESIGN.md §8).
    notice = qr_notice(styles, [])
    tail = [notice] if notice is not None else []
    if ordered:
        room = page_room(centre) - story_height(story[1:] + tail)
        story += _fitted_schedule(ordered, styles, room, bool(centre_url))[0]
    else:
        story.append(para(_("この月のスマホ教室は、いまのところ予定がありません。日程はお電話でお問い合わせください。"), styles["body"]))
    return build_pdf(story + tail, centre, title=title.replace("\n", ""), subject=_("チラシ"))
