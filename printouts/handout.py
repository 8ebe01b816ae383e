"""The lesson handout (配布資料): a large-print sheet residents take home.

Content, top to bottom (DESIGN.md §8): title, level and length, the lesson's
one-line summary; the session's date and place when given; 「この講座でできること」;
「手順」 as numbered steps with 「iPhone：」「Android：」 notes; 「持ち物」 as a □
checklist; 「公式の案内（二次元コード）」 with one code per guide. Every page's footer
carries the centre's name and phone, 「次回：…」 when there is a next session, and the
page number.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.colors import black
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph, Table

from lessons import Lesson
from locales import _
from printouts.dates import format_time_range
from printouts.layout import CONTENT_WIDTH, DocumentStart, build_pdf, guide_block, styles, table_style
from printouts.model import Centre, SessionInfo


def _p(text: str, style: ParagraphStyle, bullet: str | None = None) -> Paragraph:
    return Paragraph(escape(text), style, bulletText=bullet)


def _session_box(session: SessionInfo, st: dict[str, ParagraphStyle]) -> Table:
    # A framed box: the date and place are what residents look for first.
    body = st["body"]
    label = ParagraphStyle("label", parent=body, fontName=st["guide_title"].fontName, spaceAfter=0, rightIndent=0)
    value = ParagraphStyle("value", parent=body, spaceAfter=0)
    label_width = 3.5 * body.fontSize
    rows = [
        [_p(_("日時"), label), _p(format_time_range(session.starts_at, session.ends_at), value)],
        [_p(_("会場"), label), _p(f"{session.venue}　{session.room}", value)],
    ]
    pad = 0.4 * body.fontSize
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
    "次回：令和8年（2026年）12月10日（木）10:00〜11:30\\n中央公民館　第1会議室".

    Raises:
        ValueError: naive datetimes (see `printouts.dates.format_time_range`).
    """
    when = format_time_range(next_session.starts_at, next_session.ends_at)
    return _("次回：{when}\n{venue}　{room}").format(when=when, venue=next_session.venue, room=next_session.room)


def _story(
    lesson: Lesson, session: SessionInfo | None, next_session: SessionInfo | None, st: dict[str, ParagraphStyle]
) -> list[Flowable]:
    story: list[Flowable] = [
        DocumentStart(next_session_note(next_session) if next_session else ""),
        _p(lesson.title, st["title"]),
        _p(_("種類：{level}　時間：{minutes}分").format(level=lesson.level, minutes=lesson.minutes), st["body"]),
        _p(lesson.summary, st["body"]),
    ]
    if session is not None:
        story.append(_session_box(session, st))

    story.append(_p(_("この講座でできること"), st["heading"]))
    story += [_p(text, st["bullet"], "・") for text in lesson.objectives]

    story.append(_p(_("手順"), st["heading"]))
    for number, step in enumerate(lesson.steps, 1):
        # A step and its device notes stay on one page.
        block = [_p(step.text, st["step"], f"{number}.")]
        if step.iphone:
            block.append(Paragraph(f"<b>{_('iPhone：')}</b>{escape(step.iphone)}", st["note"]))
        if step.android:
            block.append(Paragraph(f"<b>{_('Android：')}</b>{escape(step.android)}", st["note"]))
        story.append(KeepTogether(block))

    story.append(_p(_("持ち物"), st["heading"]))
    story += [_p(item, st["bullet"], "□") for item in lesson.bring]

    story.append(_p(_("公式の案内（二次元コード）"), st["heading"]))
    # The how-to line stays with the first code, not alone at a page's foot.
    intro = ParagraphStyle("guide_intro", parent=st["body"], keepWithNext=1)
    story.append(_p(_("スマホのカメラで二次元コードを読み取ると、公式のページが開きます。"), intro))
    story += [guide_block(guide.title, guide.url, st) for guide in lesson.guides]
    return story


def render_handout(
    lesson: Lesson,
    centre: Centre,
    session: SessionInfo | None = None,
    next_session: SessionInfo | None = None,
    body_pt: int = 16,
) -> bytes:
    """One lesson's handout as a PDF (DESIGN.md §8).

    Args:
        lesson: the catalogue lesson.
        centre: name and phone for the footer.
        session: when given, its date/time (和暦・西暦, Tokyo time) and place are printed.
        next_session: when given, 「次回：…」 is printed in every page's footer.
        body_pt: body size in pt, 16, 20 or 24; headings scale with it.
    Returns:
        PDF bytes, A4 portrait, fonts embedded, metadata title = lesson title.
    Raises:
        ValueError: `body_pt` not 16/20/24, or a session with naive datetimes.
    """
    st = styles(body_pt)
    return build_pdf(_story(lesson, session, next_session, st), centre, title=lesson.title, subject=_("配布資料"))


def render_handouts(
    items: list[tuple[Lesson, SessionInfo | None]],
    centre: Centre,
    body_pt: int = 16,
) -> bytes:
    """Many handouts in one PDF, each starting on a new page with its own page numbers.

    Args:
        items: (lesson, session or None) pairs, printed in this order.
        centre, body_pt: as `render_handout`.
    Returns:
        PDF bytes; metadata title is the lesson title for one item, else
        "配布資料（N講座）".
    Raises:
        ValueError: `items` is empty, or as `render_handout`.
    """
    if not items:
        raise ValueError("render_handouts needs at least one lesson")
    st = styles(body_pt)
    story: list[Flowable] = []
    for lesson, session in items:
        if story:
            story.append(PageBreak())
        story += _story(lesson, session, None, st)
    title = items[0][0].title if len(items) == 1 else _("配布資料（{count}講座）").format(count=len(items))
    return build_pdf(story, centre, title=title, subject=_("配布資料"))
