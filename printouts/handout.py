"""The lesson handout (配布資料): a large-print sheet residents take home.

Content, top to bottom (DESIGN.md §8): title, level and length, the lesson's
one-line summary; the session's date and place when given; 「この講座でできること」;
「手順」 as numbered steps with 「iPhone：」「Android：」 notes; 「持ち物」 as a □
checklist; 「公式の案内（二次元コード）」 with one code per guide. Every page's footer
carries the centre's name and phone, 「次回：…」 when there is a next session, and the
page number.
"""

from __future__ import annotations

from reportlab.lib.colors import black
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, PageBreak, Table

from lessons import Lesson
from reportlab.pdfbase.pdfmetrics import stringWidth

from locales import _, language
from printouts.dates import format_time_range
from printouts.layout import (
    CONTENT_WIDTH,
    DocumentStart,
    bold_label,
    build_pdf,
    guide_block,
    keep_with_heading,
    para,
    qr_notice,
    styles,
    table_style,
)
from printouts.model import Centre, SessionInfo, register_language

# The handout's own words in やさしい日本語 (short, one idea each; 在留支援のための
# やさしい日本語ガイドライン, 出入国在留管理庁・文化庁 2020).
EASY = {
    "日時": "いつ",
    "会場": "どこ",
    "この講座でできること": "できるようになること",
    "手順": "やりかた",
    "持ち物": "持ってくるもの",
    "公式の案内（二次元コード）": "くわしい説明（二次元コード）",
    "スマホのカメラで二次元コードを読み取ると、公式のページが開きます。": "スマホのカメラで二次元コードを読みます。国などのページが開きます。",
    "時間：{minutes}分": "時間：{minutes}分",
}


def _session_box(session: SessionInfo, styles: dict[str, ParagraphStyle], words) -> Table:
    # A framed box: the date and place are what residents look for first.
    body = styles["body"]
    label = ParagraphStyle("label", parent=body, fontName=styles["guide_title"].fontName, spaceAfter=0)
    value = ParagraphStyle("value", parent=body, spaceAfter=0)
    pad = 0.4 * body.fontSize
    # Measured in the font used: "Date" / "Venue" must never break (issue 14).
    label_width = max(stringWidth(words(t), label.fontName, label.fontSize) for t in (_("日時"), _("会場"))) + 2 * pad + 2
    rows = [
        [para(words(_("日時")), label), para(format_time_range(session.starts_at, session.ends_at), value)],
        [para(words(_("会場")), label), para(f"{session.venue}　{session.room}", value)],
    ]
    box = Table(rows, colWidths=[label_width, CONTENT_WIDTH - label_width])
    box.setStyle(
        table_style(
            ("BOX", (0, 0), (-1, -1), 1.5, black),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), pad),
            ("RIGHTPADDING", (0, 0), (-1, -1), pad),
            ("TOPPADDING", (0, 0), (-1, -1), pad / 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad / 2),
        )
    )
    return box


def next_session_note(next_session: SessionInfo) -> str:
    """The footer note for the next session, two lines, e.g.
    "次回：令和8年（2026年）12月10日（木）10:00〜11:30\n中央公民館　第1会議室".

    Raises:
        ValueError: naive datetimes (see `printouts.dates.format_time_range`).
    """
    when = format_time_range(next_session.starts_at, next_session.ends_at)
    return _("次回：{when}\n{venue}　{room}").format(when=when, venue=next_session.venue, room=next_session.room)


def _story(
    lesson: Lesson,
    session: SessionInfo | None,
    next_session: SessionInfo | None,
    styles: dict[str, ParagraphStyle],
    register: str,
) -> list[Flowable]:
    easy = register == "easy"

    # Translated first (English), then put in やさしい日本語 where it has its own words.
    def words(text: str) -> str:
        return EASY.get(text, text) if easy else text

    text = lesson.text(register)
    story: list[Flowable] = [
        DocumentStart(next_session_note(next_session) if next_session else ""),
        para(text.title, styles["title"]),
    ]
    if easy:
        story.append(para(words(_("時間：{minutes}分")).format(minutes=lesson.minutes), styles["body"]))
    else:
        level = _(lesson.level)  # 基本 / 応用, listed in locales/msgids_extra.py
        story.append(para(_("種類：{level}　時間：{minutes}分").format(level=level, minutes=lesson.minutes), styles["body"]))
    story.append(para(text.summary, styles["body"]))
    if session is not None:
        story.append(_session_box(session, styles, words))

    story += keep_with_heading(
        para(words(_("この講座でできること")), styles["heading"]),
        [[para(item, styles["bullet"], _("・"))] for item in text.objectives],
    )

    steps = []
    for number, step in enumerate(text.steps, 1):
        # A step and its device notes stay on one page.
        block = [para(step.text, styles["step"], f"{number}.")]
        if step.iphone:
            block.append(bold_label(_("iPhone："), step.iphone, styles["note"]))
        if step.android:
            block.append(bold_label(_("Android："), step.android, styles["note"]))
        steps.append(block)
    story += keep_with_heading(para(words(_("手順")), styles["heading"]), steps)

    things = [[para(item, styles["bullet"], "□")] for item in text.bring]
    # DESIGN.md §7: a PIN is never a thing to bring; it is remembered.
    remember = ParagraphStyle("remember", parent=styles["bullet"], fontName=styles["guide_title"].fontName)
    things += [[para(item, remember, _("※"))] for item in text.remember]
    story += keep_with_heading(para(words(_("持ち物")), styles["heading"]), things)

    # The how-to line stays with the heading and the first code.
    guides = [[guide_block(guide.title, guide.url, styles)] for guide in text.guides]
    guides[0].insert(0, para(words(_("スマホのカメラで二次元コードを読み取ると、公式のページが開きます。")), styles["body"]))
    story += keep_with_heading(para(words(_("公式の案内（二次元コード）")), styles["heading"]), guides)
    notice = qr_notice(
        styles,
        [text.title, text.summary, *text.objectives, *text.bring, *(s.text for s in text.steps), *(g.title for g in text.guides)],
    )
    if notice is not None:
        story.append(notice)
    return story


def _styles(lesson: Lesson, body_pt: int, register: str) -> dict[str, ParagraphStyle]:
    return styles(body_pt, easy=register == "easy", readings=lesson.text(register).readings)


def render_handout(
    lesson: Lesson,
    centre: Centre,
    session: SessionInfo | None = None,
    next_session: SessionInfo | None = None,
    body_pt: int = 16,
    register: str = "standard",
) -> bytes:
    """One lesson's handout as a PDF (DESIGN.md §8).

    Content, top to bottom: title, level and length, the lesson's summary; the
    session's date and place when given; 「この講座でできること」; 「手順」 as
    numbered steps with 「iPhone：」「Android：」 notes; 「持ち物」 as a □ checklist
    followed by what to remember (a PIN, never a thing to bring); 「公式の案内
    （二次元コード）」 with one code per guide, and the DENSO WAVE notice when the
    words 「QRコード」 / "QR code" are printed. Every heading stays on the page of
    what follows it.

    Args:
        lesson: the catalogue lesson.
        centre: name and phone for the footer.
        session: when given, its date/time (和暦・西暦, Tokyo time) and place are printed.
        next_session: when given, 「次回：…」 is printed in every page's footer.
        body_pt: body size in pt, 16, 20 or 24; headings scale with it.
        register: "standard", "easy" (the lesson's やさしい日本語 text where it has
            one, ふりがな over every kanji) or "en" (the lesson's English text,
            English headings and dates).
    Returns:
        PDF bytes, A4 portrait, fonts embedded, metadata title = lesson title.
    Raises:
        ValueError: `body_pt` not 16/20/24, an unknown register, "en" for a lesson
            without English, or a session with naive datetimes.
    """
    with language(register_language(register)):
        story = _story(lesson, session, next_session, _styles(lesson, body_pt, register), register)
        title = lesson.text(register).title
        return build_pdf(story, centre, title=title, subject=_("配布資料"), easy=register == "easy")


def render_handouts(
    items: list[tuple[Lesson, SessionInfo | None]] | list[tuple[Lesson, SessionInfo | None, str]],
    centre: Centre,
    body_pt: int = 16,
) -> bytes:
    """Many handouts in one PDF, each starting on a new page with its own page numbers.

    Args:
        items: (lesson, session or None) pairs, or (lesson, session, register)
            triples (e.g. one handout per attendee in the register they need),
            printed in this order.
        centre, body_pt: as `render_handout`.
    Returns:
        PDF bytes; metadata title is the lesson title for one item, else
        "配布資料（N講座）".
    Raises:
        ValueError: `items` is empty, or as `render_handout`.
    """
    if not items:
        raise ValueError("render_handouts needs at least one lesson")
    story: list[Flowable] = []
    for item in items:
        lesson, session = item[0], item[1]
        register = item[2] if len(item) > 2 else "standard"
        if story:
            story.append(PageBreak())
        with language(register_language(register)):
            story += _story(lesson, session, None, _styles(lesson, body_pt, register), register)
    title = items[0][0].title if len(items) == 1 else _("配布資料（{count}講座）").format(count=len(items))
    return build_pdf(story, centre, title=title, subject=_("配布資料"))
