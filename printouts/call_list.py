"""The call list (電話連絡リスト): whom the desk phones, and what to say.

Most residents have no e-mail (DESIGN.md §7, phone first), so every change reaches
them by phone. The list is grouped by kind, in this order — first what costs a
resident a wasted trip if missed, then the offers whose deadline runs, then the
reminders:

1. 中止のお知らせ (a session is cancelled)
2. 変更のお知らせ (its date, time or room changed)
3. 繰り上げのご連絡（期限つき） (a freed seat is held until a deadline; earliest
   deadline first)
4. 抽選の結果（当選） and 5. 抽選の結果（落選） (issue 17: a lottery was drawn)
6. 明日のご案内 (tomorrow's reminders)

Each entry is a framed card: a pen-sized 「□ 連絡済」, the name with its フリガナ,
the phone number large and never broken across lines, the session, the deadline
(和暦・西暦 with the time, offers only) and 「お伝えすること：」, the script to read.
A note asks staff to shred the sheet after use: it carries names and phone numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape

from reportlab.lib.colors import black
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from locales import _, current_language
from printouts.dates import WEEKDAYS, format_date, format_time, to_jst
from printouts.desk import (
    CELL_PAD_X,
    CHECK_BOX_SCALE,
    cell_style,
    check_box,
    display_kana,
    info_box,
    padding,
    plain,
    prefer_spaces,
)
from printouts.layout import para, CONTENT_WIDTH, FONT, FONT_BOLD, LEADING, DocumentStart, build_pdf, styles as paragraph_styles, table_style
from printouts.model import Centre

KINDS = ("cancelled", "change", "offer", "won", "lost", "reminder")


def kind_heading(kind: str, short: bool = False) -> str:
    """The group heading of `kind`, e.g. "offer" → 「繰り上げのご連絡（期限つき）」.

    Args:
        kind: one of `KINDS`; short: the short form for counts (「繰り上げ」).
    Raises:
        ValueError: `kind` is not one of `KINDS`.
    """
    headings = {
        "cancelled": (_("中止のお知らせ"), _("中止")),
        "change": (_("変更のお知らせ"), _("変更")),
        "offer": (_("繰り上げのご連絡（期限つき）"), _("繰り上げ")),
        "won": (_("抽選の結果（当選）"), _("当選")),
        "lost": (_("抽選の結果（落選）"), _("落選")),
        "reminder": (_("明日のご案内"), _("明日のご案内")),
    }
    if kind not in headings:
        raise ValueError(f"unknown call kind {kind!r}; one of {KINDS}")
    return headings[kind][short]


@dataclass(frozen=True)
class CallEntry:
    """One phone call to make.

    Attributes:
        kind: "reminder" (明日のご案内), "offer" (繰り上げ連絡), "cancelled" (中止),
            "change" (変更), "won" / "lost" (抽選の当選 / 落選).
        name, name_kana: e.g. "山田 花子", "ヤマダ ハナコ".
        phone: as printed, e.g. "090-0000-1234".
        session_label: the session as staff read it, e.g.
            "スマホの基本操作　令和8年（2026年）12月3日（木） 10:00〜11:30　第1会議室"
            (`printouts.desk.spaced_when` gives the date part); lines break at its
            spaces when every part fits on a line.
        deadline: an offer's deadline (aware datetime, printed in Tokyo time);
            required for offers, printed for other kinds when given.
        script: what to say, e.g. from `default_script`; "" prints none.
    """

    kind: str
    name: str
    name_kana: str
    phone: str
    session_label: str
    deadline: datetime | None
    script: str


def spoken_time(dt: datetime) -> str:
    """`dt` as said on the phone, in Tokyo time: "12月5日（土）17時", "12月5日（土）9時30分";
    in English "Sat 5 Dec, 5:00 pm".

    Raises:
        ValueError: `dt` is naive.
    """
    local = to_jst(dt)
    if current_language() == "en":
        # "Thu 17 Dec, 1:30 pm": the year goes without saying on the phone.
        return f"{format_date(local).rsplit(' ', 1)[0]}, {format_time(local)}"
    minutes = _("{minute}分").format(minute=local.minute) if local.minute else ""
    return _("{month}月{day}日（{weekday}）{hour}時").format(
        month=local.month, day=local.day, weekday=WEEKDAYS[local.weekday()], hour=local.hour
    ) + minutes


def default_script(kind: str, lesson_title: str, when_text: str, deadline_text: str = "", receipt: int = 0) -> str:
    """A short, polite phone script in Japanese for one call.

    Args:
        kind: one of `KINDS`.
        lesson_title: the lesson, e.g. "スマホの基本操作".
        when_text: the session's date and time as said, e.g. "12月3日（木）10時"
            (see `spoken_time`); for "change" the *new* date, time or place.
        deadline_text: the offer's deadline as said, e.g. "12月5日（土）17時";
            required for "offer", ignored otherwise.
        receipt: the 受付番号 of a lottery application; required for "won" and
            "lost" (the resident finds it on the posted result).
    Returns:
        str, two to four sentences.
    Raises:
        ValueError: unknown `kind`, an offer without `deadline_text`, or a
            lottery call without `receipt`.
    """
    kind_heading(kind)
    values = {"lesson": lesson_title, "when": when_text, "deadline": deadline_text, "number": receipt}
    if kind in ("won", "lost") and not receipt:
        raise ValueError("a lottery call's script needs the 受付番号")
    if kind == "offer":
        if not deadline_text:
            raise ValueError("an offer's script needs its deadline (DESIGN.md §7)")
        template = _(
            "キャンセル待ちの「{lesson}」（{when}）に空きが出ました。"
            "{deadline}までにお返事をいただければ、お席をご用意します。ご参加になりますか。"
        )
    elif kind == "won":
        template = _(
            "「{lesson}」の抽選の結果をお知らせします。当選されました（受付番号 {number} 番）。"
            "{when}からです。充電したスマートフォンをお持ちください。ご都合が悪くなったときは、お知らせください。"
        )
    elif kind == "lost":
        template = _(
            "「{lesson}」（{when}）の抽選の結果をお知らせします。申し訳ございませんが、今回は落選となりました（受付番号 {number} 番）。"
            "キャンセル待ちに順番にお入れしました。空きが出ましたら、お電話でお知らせします。"
        )
    elif kind == "reminder":
        template = _(
            "スマホ教室のご予約の確認でお電話しました。{when}から「{lesson}」がございます。"
            "充電したスマートフォンをお持ちください。お休みされるときは、お知らせください。"
        )
    elif kind == "cancelled":
        template = _(
            "申し訳ございません。{when}の「{lesson}」は中止になりました。"
            "当日、会場にお越しいただく必要はありません。"
        )
    else:
        template = _(
            "「{lesson}」の予定が変わりましたので、お電話しました。"
            "新しい予定は{when}です。ご都合はいかがでしょうか。"
        )
    return template.format(**values)


def _deadline_text(deadline: datetime) -> str:
    # As said on the phone (issue 11): 「12月4日（金）17時まで」.
    return _("{when}まで").format(when=spoken_time(deadline))


def _phone(phone: str, body: ParagraphStyle, width: float) -> Paragraph:
    # Large and bold, one line: shrunk towards the body size only when the
    # line is too narrow, and broken only at a space as a last resort.
    label = _("電話")
    b = body.fontSize
    room = width - stringWidth(label + " ", FONT, b)
    size = max(b, min(b + 8, room / max(stringWidth(phone, FONT_BOLD, 1), 1)))
    style = cell_style(body, "phone", leading=size * LEADING, wordWrap=None, rightIndent=0, splitLongWords=0)
    return Paragraph(f'{escape(label)}\u00a0<font name="{FONT_BOLD}" size="{size:g}">{escape(phone)}</font>', style)


def _labelled(label: str, text: str, style: ParagraphStyle, width: float, bold: bool = False) -> Paragraph:
    # Hanging indent: wrapped lines align after 「講座：」; "講座名　日時　会場"
    # breaks into its parts when they fit on a line.
    indent = stringWidth(label, FONT_BOLD, style.fontSize)
    hanging = ParagraphStyle(f"{style.name}_hanging", parent=style, leftIndent=indent, firstLineIndent=-indent)
    value = f"<b>{plain(text)}</b>" if bold else plain(text)
    return Paragraph(f"<b>{escape(label)}</b>{value}", prefer_spaces(hanging, text, width))


def _card(entry: CallEntry, styles: dict[str, ParagraphStyle]) -> Table:
    # The □ sits beside the name; the lines below use the card's full width.
    body = styles["body"]
    b = body.fontSize
    text = cell_style(body, "call_text")
    name = cell_style(body, "call_name", wordWrap=None, rightIndent=0)
    check_width = (CHECK_BOX_SCALE + 0.5 + 3 + 2 * CELL_PAD_X) * b  # □ + 「連絡済」
    inner = CONTENT_WIDTH - 2 * CELL_PAD_X * b
    rows: list[Flowable] = [
        _phone(entry.phone, body, inner),
        _labelled(_("講座："), entry.session_label, text, inner),
    ]
    if entry.deadline is not None:
        rows.append(_labelled(_("期限："), _deadline_text(entry.deadline), text, inner, bold=True))
    if entry.script.strip():
        rows.append(Paragraph(f"<b>{escape(_('お伝えすること：'))}</b>{plain(entry.script.strip())}", text))
    # The kind again on the card: a group can run onto a page without its heading.
    kind = escape(f"【{kind_heading(entry.kind, short=True)}】")
    kana = escape(f"（{display_kana(entry.name_kana)}）")
    person = Paragraph(f"<b>{escape(entry.name)}</b>\u00a0{kana} {kind}", name)
    card = Table(
        [[check_box(_("連絡済"), body), person], *([row, ""] for row in rows)],
        colWidths=[check_width, CONTENT_WIDTH - check_width],
    )
    card.setStyle(
        table_style(
            *padding(b),
            *(("SPAN", (0, r), (1, r)) for r in range(1, len(rows) + 1)),
            ("BOX", (0, 0), (-1, -1), 1.5, black),
            ("LINEBELOW", (0, 0), (-1, 0), 0.75, black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 1), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 1), (-1, -2), 0),
        )
    )
    return card


def grouped(entries: list[CallEntry]) -> list[tuple[str, list[CallEntry]]]:
    """`entries` by kind, in call order (see the module docstring).

    Args:
        entries: calls in any order.
    Returns:
        [(kind, entries)] for the kinds present, in `KINDS` order; offers sorted
        by deadline, the other kinds in the order given.
    Raises:
        ValueError: an unknown kind, or an offer without a deadline (DESIGN.md §7:
            an offer holds until a deadline).
    """
    for entry in entries:
        kind_heading(entry.kind)
        if entry.kind == "offer" and entry.deadline is None:
            raise ValueError(f"the offer to {entry.name_kana} has no deadline")
    groups = []
    for kind in KINDS:
        chosen = [e for e in entries if e.kind == kind]
        if kind == "offer":
            chosen.sort(key=lambda e: to_jst(e.deadline))
        if chosen:
            groups.append((kind, chosen))
    return groups


def _count(n: int) -> str:
    return _("{count}件").format(count=n)


def render_call_list(centre: Centre, generated_at: datetime, entries: list[CallEntry], body_pt: int = 16) -> bytes:
    """The call list (電話連絡リスト) as a PDF (DESIGN.md §7, §8).

    Args:
        centre: name and phone for the footer.
        generated_at: when the list was made (aware; printed in Tokyo time as
            「作成：令和8年（2026年）12月2日（水）15:00 現在」).
        entries: the calls, any order (see `grouped`).
        body_pt: body size in pt, 16, 20 or 24; the phone numbers print 8 pt
            larger where they fit.
    Returns:
        PDF bytes, A4 portrait, BIZ UDPGothic embedded; a card is never split
        across pages and a group heading never ends a page.
    Raises:
        ValueError: `body_pt` not 16/20/24, a naive datetime, an unknown kind, or
            an offer without a deadline.
    """
    styles = paragraph_styles(body_pt)
    groups = grouped(entries)
    made = _("{date} {time} 現在").format(date=format_date(generated_at), time=format_time(generated_at))
    summary = "・".join(f"{kind_heading(kind, short=True)}{_count(len(group))}" for kind, group in groups)
    total = _("合計{total}").format(total=_count(len(entries)))
    story: list[Flowable] = [
        DocumentStart(),
        para(_("電話連絡リスト"), styles["title"]),
        info_box([(_("作成"), made), (_("件数"), f"{total}（{summary}）" if summary else total)], styles),
        Spacer(0, 0.3 * body_pt),
        para(_("お名前と電話番号がのっています。使い終わったら、シュレッダーで処分してください。"), styles["body"]),
    ]
    if not entries:
        story.append(para(_("連絡する相手はいません。"), styles["body"]))
    for kind, group in groups:
        # Breaks only at the space, so 「2件」 never splits.
        heading = para(f"{kind_heading(kind)} {_count(len(group))}", cell_style(
            styles["heading"], "group_heading", wordWrap=None, spaceBefore=styles["heading"].spaceBefore,
            spaceAfter=styles["heading"].spaceAfter))
        for i, entry in enumerate(group):
            card = _card(entry, styles)
            # The heading stays with its first card; cards are kept whole.
            block = [heading, card] if i == 0 else [Spacer(0, 0.5 * body_pt), card]
            story.append(KeepTogether(block))
    return build_pdf(story, centre, title=_("電話連絡リスト"), subject=_("電話連絡リスト"))
