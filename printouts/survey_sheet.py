"""The 受講後アンケート sheet (issue 17): one large-print A4 per attendee.

Top to bottom: 「受講後アンケート」, the lesson and the day; 1. 理解度 and 2. 満足度,
each on 5 levels as boxes holding the number large and its words (never faces or
colours: the words carry the meaning, DESIGN.md §8); 3. one comment box;
「お名前」, with the words that it may be left blank; 4. 「次に学びたいこと」 as
numbered □ checkboxes of the catalogue's lessons, two columns, the numbers being
what staff key in; and thanks. The sheet prints no name: the
answers are anonymous unless the attendee writes one.

Sizes (DESIGN.md §8): body 16 / 20 / 24 pt, question headings max(24, body + 4)
pt, the level numbers body + 6 pt, line height 1.5, BIZ UDPGothic. At 16 pt the
5 Japanese levels stand side by side; at 20 and 24 pt, where a fifth of the line
holds 4–5 characters, and in English (whole words), one under another. A question is never split across pages; the
lesson list may run on, its heading with its first rows. At 16 pt a sheet is
both sides of one A4 sheet in every register (questions 1–3 and the name on the
front, the lessons on the back); at 20 pt three pages, at 24 pt four (five in
English, whose words run longer). The footer is in
the sheets' language when they share one. Each attendee's
sheet starts on a new page with its own page numbers 「1/2ページ」, so a pile
prints double-sided and stays in order.

Registers: 標準, やさしい日本語 (its own words, `EASY`, and ふりがな over every
kanji) and English; the caller passes the scale words and lesson titles in the
sheet's register (views/surveys.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.colors import black
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer, Table

from locales import _, current_language, language
from printouts.dates import format_time_range
from printouts.desk import cell_style
from printouts.layout import (
    BODY_SIZES,
    CONTENT_WIDTH,
    LEADING,
    DocumentStart,
    build_pdf,
    para,
    styles as paragraph_styles,
    table_style,
)
from printouts.model import Centre, SessionInfo, register_language

HEADING_MIN_PT = 24
NUMBER_PLUS_PT = 6  # a level's number over the body size: the thing to circle
COMMENT_LINES = 3  # height of the comment box, in body lines
CELL_PAD = 0.25  # inner margin of a box, × body size
# The sheet's own words in やさしい日本語 (short, one idea each; 在留支援のための
# やさしい日本語ガイドライン, 出入国在留管理庁・文化庁 2020).
EASY = {
    "受講後アンケート": "アンケート",
    "当てはまる番号を、1つ○で囲んでください。": "1つ 選んで、番号に ○を 書いて ください。",
    "1. 内容はわかりましたか（理解度）": "1. わかりましたか",
    "2. 満足しましたか（満足度）": "2. 教室は よかったですか",
    "4. 次に学びたいこと（いくつでも✓）": "4. 次に 勉強したいこと",
    "学びたい講座の□に✓を付けてください。": "勉強したい ものの □に ✓を 書いて ください。",
    "3. ご意見・ご感想": "3. 思ったことを 書いて ください",
    "お名前（書かなくてもかまいません）": "名前（書かなくても いいです）",
    "ご協力ありがとうございました。": "ありがとう ございました。",
}


@dataclass(frozen=True)
class SurveySheet:
    """One attendee's sheet, its words already in its register.

    Attributes:
        lesson_title: e.g. 「スマホの基本操作」.
        session: the class's day, time and place (times aware).
        understanding, satisfaction: the 5 levels as (number, words), best first,
            e.g. ((5, "よくわかった"), …, (1, "わからなかった")).
        lessons: 「次に学びたいこと」 as (number, short title), e.g. ((1, "スマホの基本操作"), …).
        register: "standard", "easy" or "en".
    """

    lesson_title: str
    session: SessionInfo
    understanding: tuple[tuple[int, str], ...]
    satisfaction: tuple[tuple[int, str], ...]
    lessons: tuple[tuple[int, str], ...]
    register: str = "standard"


def _words(text: str, register: str) -> str:
    # Translated (English), or in やさしい日本語 where the sheet has its own words.
    return EASY.get(text, _(text)) if register == "easy" else _(text)


def _heading(text: str, styles: dict[str, ParagraphStyle]) -> Flowable:
    b = styles["body"].fontSize
    size = max(HEADING_MIN_PT, b + 4)
    style = ParagraphStyle(
        "survey_heading", parent=styles["heading"], fontSize=size, leading=size * LEADING, spaceBefore=0.4 * b, spaceAfter=0.2 * b
    )
    return para(text, style)


def _box_style(b: float, *extra: tuple) -> object:
    return table_style(
        ("GRID", (0, 0), (-1, -1), 1.5, black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD * b),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD * b),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_PAD * b),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PAD * b),
        *extra,
    )


def _scale(levels: tuple[tuple[int, str], ...], styles: dict[str, ParagraphStyle]) -> Table:
    """The 5 levels side by side: a box each, the number large over its words."""
    if len(levels) != 5 or any(not words.strip() for _n, words in levels):
        raise ValueError(f"a survey question has 5 levels with words, not {levels!r}")
    body = styles["body"]
    b = body.fontSize
    big = b + NUMBER_PLUS_PT
    # Digits need no ふりがな: a plain paragraph keeps the number large and centred.
    number = cell_style(body, "survey_number", bold=True, fontSize=big, leading=big * 1.2, alignment=1, ruby=False)
    words = cell_style(body, "survey_words")
    width = CONTENT_WIDTH / 5
    # English words are whole words, wrapped only at spaces (DESIGN.md §8): too
    # long for a fifth of the line, so English always takes the list.
    if b <= min(BODY_SIZES) and current_language() != "en":
        cells = [[[para(str(n), number), para(text, words)] for n, text in levels]]
        table = Table(cells, colWidths=[width] * 5)
    else:
        # At 20 and 24 pt a fifth of the line holds 4–5 characters and words would
        # break inside: the levels go one under another, the number beside its words.
        left = cell_style(number, "survey_number_left", alignment=0)
        words_row = cell_style(words, "survey_words_row", spaceBefore=(big * 1.2 - b * LEADING) / 2)
        cells = [[para(str(n), left), para(text, words_row)] for n, text in levels]
        table = Table(cells, colWidths=[2.2 * b, CONTENT_WIDTH - 2.2 * b])
        table.setStyle(_box_style(b, ("TOPPADDING", (0, 0), (-1, -1), 0.1 * b), ("BOTTOMPADDING", (0, 0), (-1, -1), 0.1 * b)))
        return table
    table.setStyle(_box_style(b))
    return table


# Padding each side of a lesson title's cell, × body size (drawn and measured).
TITLE_PAD = 0.4


def _lesson_list(lessons: tuple[tuple[int, str], ...], styles: dict[str, ParagraphStyle]) -> list[Table]:
    """The lessons as 「□ 12 title」 in two columns, numbered down each column;
    the box, the number (right-aligned, bold) and the title in cells of their own.
    One column when a Latin word of a title (measured in its font) would not fit
    a half-width title cell: English at 24 pt would split "Smartphone"."""
    body = styles["body"]
    b = body.fontSize
    box = cell_style(body, "survey_box", fontSize=1.3 * b, leading=b * LEADING, ruby=False)
    num = cell_style(body, "survey_lesson_number", bold=True, alignment=2, rightIndent=0, ruby=False)
    title_style = cell_style(body, "survey_lesson", rightIndent=0)
    box_w, num_w = 1.5 * b, 1.8 * b
    half_w = CONTENT_WIDTH / 2 - box_w - num_w
    words = [w for _n, title in lessons for w in title.split() if w.isascii()]
    count = 2 if all(stringWidth(w, body.fontName, b) <= half_w - 2 * TITLE_PAD * b for w in words) else 1
    title_w = CONTENT_WIDTH / count - box_w - num_w
    per_column = -(-len(lessons) // count)
    columns = [lessons[i * per_column : (i + 1) * per_column] for i in range(count)]
    rows = []
    for i in range(per_column):
        row: list = []
        for column in columns:
            if i < len(column):
                n, title = column[i]
                row += [para("□", box), para(str(n), num), para(title, title_style)]
            else:
                row += ["", "", ""]
        rows.append(row)
    # Three tables: the first two rows (kept with the heading), the rows that
    # may run on to the next page, and the last row (kept with the thanks).
    tables = []
    for part in (rows[:2], rows[2:-1], rows[-1:]):
        table = Table(part or [[""] * 3 * count], colWidths=[box_w, num_w, title_w] * count)
        table.setStyle(_list_style(b, count))
        tables.append(table)
    return tables


def _list_style(b: float, count: int) -> object:
    titles = [3 * k + 2 for k in range(count)]
    return table_style(
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        *(("LEFTPADDING", (c, 0), (c, -1), TITLE_PAD * b) for c in titles),
        *(("RIGHTPADDING", (c, 0), (c, -1), TITLE_PAD * b) for c in titles),
        ("TOPPADDING", (0, 0), (-1, -1), 0.1 * b),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0.1 * b),
    )


def _write_in(label: str, lines: int, styles: dict[str, ParagraphStyle]) -> Table:
    """A framed space to write in, `lines` body lines high, `label` above it
    inside the frame (or nothing when "")."""
    b = styles["body"].fontSize
    cells: list[list] = [[Spacer(1, lines * b * LEADING)]]
    if label:
        cells.insert(0, [para(label, cell_style(styles["body"], "survey_label", bold=True))])
    table = Table(cells, colWidths=[CONTENT_WIDTH])
    table.setStyle(
        table_style(
            ("BOX", (0, 0), (-1, -1), 1.5, black),
            ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD * b),
            ("TOPPADDING", (0, 0), (-1, -1), CELL_PAD * b),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        )
    )
    return table


def _story(sheet: SurveySheet, body_pt: int) -> list[Flowable]:
    register = sheet.register
    styles = paragraph_styles(body_pt, easy=register == "easy")
    body = styles["body"]

    def w(text: str) -> str:
        return _words(text, register)

    story: list[Flowable] = [
        DocumentStart(),
        para(w("受講後アンケート"), styles["title"]),
        para(sheet.lesson_title, cell_style(body, "survey_lesson_title", bold=True)),
        para(format_time_range(sheet.session.starts_at, sheet.session.ends_at), body),
        para(w("当てはまる番号を、1つ○で囲んでください。"), body),
    ]
    story.append(KeepTogether([_heading(w("1. 内容はわかりましたか（理解度）"), styles), _scale(sheet.understanding, styles)]))
    story.append(KeepTogether([_heading(w("2. 満足しましたか（満足度）"), styles), _scale(sheet.satisfaction, styles)]))
    story.append(KeepTogether([_heading(w("3. ご意見・ご感想"), styles), _write_in("", COMMENT_LINES, styles)]))
    story.append(KeepTogether([Spacer(1, 0.6 * body_pt), _write_in(w("お名前（書かなくてもかまいません）"), 1, styles)]))
    # The list may run on to the next page, its heading and first rows together.
    intro = cell_style(body, "survey_intro", keepWithNext=1, spaceAfter=0.2 * body_pt)
    first, middle, last = _lesson_list(sheet.lessons, styles)
    thanks = para(w("ご協力ありがとうございました。"), ParagraphStyle("survey_thanks", parent=body, spaceBefore=0.5 * body_pt))
    story += [
        KeepTogether([_heading(w("4. 次に学びたいこと（いくつでも✓）"), styles), para(w("学びたい講座の□に✓を付けてください。"), intro), first]),
        middle,
        KeepTogether([last, thanks]),  # the thanks never stands alone on a page
    ]
    return story


def render_survey_sheets(sheets: list[SurveySheet], centre: Centre, body_pt: int = 16) -> bytes:
    """受講後アンケート sheets as one PDF, each in its own register, each starting on
    a new page with its own page numbers (DESIGN.md §8).

    Args:
        sheets: one per attendee (or one blank sheet), printed in this order.
        centre: name and phone for every footer; the PDF author.
        body_pt: body size in pt, 16, 20 or 24.
    Returns:
        PDF bytes, A4 portrait, BIZ UDPGothic embedded; metadata title
        「受講後アンケート」 and the lesson (no one's name).
    Raises:
        ValueError: no sheets, `body_pt` not 16/20/24, an unknown register, a
            question without exactly 5 worded levels, or a naive datetime.
    """
    if not sheets:
        raise ValueError("render_survey_sheets needs at least one sheet")
    story: list[Flowable] = []
    for sheet in sheets:
        if story:
            story.append(PageBreak())
        with language(register_language(sheet.register)):
            story += _story(sheet, body_pt)
    # The footer speaks the sheets' language when they share one, else Japanese.
    registers = {s.register for s in sheets}
    with language(register_language(registers.pop() if len(registers) == 1 else "standard")):
        title = f"{_('受講後アンケート')}\u3000{sheets[0].lesson_title}"
        easy = all(s.register == "easy" for s in sheets)
        return build_pdf(story, centre, title=title, subject=_("受講後アンケート"), easy=easy)
