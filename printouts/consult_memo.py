"""The consultation memo (相談メモ): what the help desk did, for the resident to take home.

A resident brings one problem to the digital help desk (デジタル相談窓口, issue 6); a
volunteer helps, and the resident leaves with this large-print memo. Top to
bottom: 「ご相談メモ」 with 「○○ 様」 (no name for an anonymous walk-in), the date
(和暦・西暦 with the weekday), 受付番号 and 担当; 「ご相談の内容」; 「きょう行ったこと」;
「次にすること」 as numbered steps; 「くわしい説明（公式の案内）」 with one 二次元コード
per guide; a framed 「わからないときは、お気軽にお電話ください」 with the centre's phone
large; and the standing caution never to tell anyone a PIN, password or My Number.
The footer carries the centre's name and phone, and 「次回：…」 when given.

Nothing here asks for or prints a PIN, password or My Number (DESIGN.md §7): the memo
has no field for them, and its free text has passed `db.guard.check_free_text`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib.colors import black
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table

from locales import _
from printouts.dates import format_date
from printouts.desk import cell_style
from printouts.layout import (
    CONTENT_WIDTH,
    FONT,
    FONT_BOLD,
    LEADING,
    PAGE_SIZE,
    DocumentStart,
    build_pdf,
    guide_block,
    BODY_SIZES,
    page_count,
    qr_notice,
    styles as paragraph_styles,
    table_style,
)
from printouts.model import Centre

MAX_GUIDES = 4
IDEOGRAPHIC_SPACE = "\u3000"
SIDE_BY_SIDE = 0.75  # guides go two to a row when the rows are at most this share of the height
GUIDE_GAP = 0.6  # white space between two guides side by side, × body size
BOX_PAD = 0.5  # inner margin of the contact box, × body size
MIN_LAST_LINE = 3  # ems: a wrapped paragraph's last line is at least this long …
MAX_NARROWING = 5  # … when wrapping up to this many ems narrower achieves it

NBSP = "\u00a0"
_PHRASE_END = re.compile(r"(?<=、)")

# A marker the helper may have typed before a line ("・", "-", "1.", "①"): the memo
# numbers and bullets the lines itself.
_MARKER = re.compile(r"^(?:[・･\-*•●○]|\d{1,2}[.．)）](?!\d)|[①-⑳])\s*")


@dataclass(frozen=True)
class ConsultMemo:
    """One help-desk case (相談記録) as the resident's memo shows it.

    Attributes:
        number: the ticket number, e.g. "2026-0012" (printed as 受付番号).
        visited_on: the day of the visit (printed 和暦・西暦 with the weekday).
        resident_name: e.g. "山田 花子", printed 「山田 花子 様」; "" for an
            anonymous walk-in (no name is printed).
        category_label: the kind of problem as printed, e.g. "LINE"; "" for none.
        summary: the problem, one or two short sentences.
        done: what was done today; one line per action.
        next_step: what the resident does next; one line per step, "" for none.
        guides: (title, url) of official guides (公式案内), at most 4 once
            duplicates of a url are dropped.
        helper_name: the volunteer or staff member, e.g. "田中" (family or first
            name only), printed 「担当：田中」; "" for none.
        next_session: one line, e.g. a recommended class and its date, printed in
            the footer as 「次回：…」; "" for none.
    """

    number: str
    visited_on: date
    resident_name: str
    category_label: str
    summary: str
    done: str
    next_step: str = ""
    guides: Sequence[tuple[str, str]] = ()
    helper_name: str = ""
    next_session: str = ""


def text_lines(text: str) -> list[str]:
    """The non-blank lines of `text`, stripped, without a typed leading marker.

    "・更新しました\\n\\n2. 練習しました" → ["更新しました", "練習しました"]: the memo
    prints its own bullets and step numbers.

    Args:
        text: multi-line free text.
    Returns:
        list of str, possibly empty.
    """
    lines = (_MARKER.sub("", line.strip(), count=1).strip() for line in text.splitlines())
    return [line for line in lines if line]


def unique_guides(guides: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """`guides` without repeated urls, first occurrence kept, order kept.

    Args:
        guides: (title, url) pairs.
    Returns:
        list of (title, url).
    Raises:
        ValueError: more than 4 remain (one problem needs at most 4 guides), or a
            title or url is blank.
    """
    seen: dict[str, str] = {}
    for title, url in guides:
        if not title.strip() or not url.strip():
            raise ValueError(f"a guide needs a title and a url, not {(title, url)!r}")
        seen.setdefault(url.strip(), title.strip())
    if len(seen) > MAX_GUIDES:
        raise ValueError(f"a consultation memo prints at most {MAX_GUIDES} guides, not {len(seen)}")
    return [(title, url) for url, title in seen.items()]


class Balanced(Paragraph):
    """A paragraph that avoids a last line of just a character or two.

    Japanese line breaking moves a character along with 「。」 or 「」」, so
    「…してくださ／い。」 is common. When the last line is shorter than
    `MIN_LAST_LINE` ems, the paragraph wraps up to `MAX_NARROWING` ems narrower,
    as long as that adds no line. Same arguments as `Paragraph`.
    """

    def wrap(self, availWidth, availHeight):
        # A split part or a second wrap starts again from the style as given.
        self.style = getattr(self, "given_style", self.style)
        self.given_style = self.style
        size = self.style.fontSize
        result = super().wrap(availWidth, availHeight)
        count = len(self.blPara.lines)
        if count < 2 or self._last_line_width(availWidth) >= MIN_LAST_LINE * size:
            return result
        for ems in range(1, MAX_NARROWING + 1):
            self.style = ParagraphStyle(
                f"{self.given_style.name}_narrow", parent=self.given_style,
                rightIndent=self.given_style.rightIndent + ems * size,
            )
            narrowed = super().wrap(availWidth, availHeight)
            if len(self.blPara.lines) > count:
                break
            if self._last_line_width(availWidth) >= MIN_LAST_LINE * size:
                return narrowed
        self.style = self.given_style
        return super().wrap(availWidth, availHeight)

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        for part in parts:
            # The parts wrap afresh: from the style as given, not the narrowed one.
            part.given_style = self.given_style
        return parts

    def _last_line_width(self, availWidth: float) -> float:
        line = self.blPara.lines[-1]
        extra = line[0] if isinstance(line, tuple) else line.extraSpace
        return availWidth - self.style.leftIndent - self.style.rightIndent - extra


def _phrase_lines(text: str, style: ParagraphStyle, width: float) -> list[str]:
    # Lines that break only after 「、」 (at a phrase), packed greedily; a phrase
    # wider than a line is left whole for the paragraph to wrap.
    room = width - style.leftIndent - style.rightIndent
    lines: list[str] = []
    for phrase in _PHRASE_END.split(text):
        if phrase and lines and stringWidth(lines[-1] + phrase, style.fontName, style.fontSize) <= room:
            lines[-1] += phrase
        elif phrase:
            lines.append(phrase)
    return lines


def _p(text: str, style: ParagraphStyle, bullet: str | None = None, width: float = CONTENT_WIDTH) -> Paragraph:
    """`text` as a `Balanced` paragraph that, when it must wrap, breaks after 「、」
    where that takes no more lines than breaking anywhere (readers take in a
    phrase at a time); `width` is the width it is laid out in, pt."""
    plain = Balanced(escape(text), style, bulletText=bullet)
    lines = _phrase_lines(text, style, width)
    if len(lines) < 2:
        return plain
    phrased = Balanced("<br/>".join(escape(line) for line in lines), style, bulletText=bullet)
    if phrased.wrap(width, PAGE_SIZE[1])[1] <= plain.wrap(width, PAGE_SIZE[1])[1]:
        return phrased
    return plain


def _header(memo: ConsultMemo, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    # 「ご相談メモ」 and 「○○ 様」 share the first line; a long name moves down whole.
    title = ParagraphStyle("memo_title", parent=styles["title"], wordWrap=None, rightIndent=0)
    markup = escape(_("ご相談メモ"))
    if memo.resident_name.strip():
        size = styles["heading"].fontSize
        name = _("{name} 様").format(name=" ".join(memo.resident_name.split()))
        if stringWidth(name, FONT_BOLD, size) <= CONTENT_WIDTH:
            name = name.replace(" ", NBSP)
        markup += f' <font size="{size:g}">{escape(name)}</font>'
    # Date and number share one line when they fit, so a memo stays one page;
    # next to the title the date needs no 「ご相談日：」 label then.
    day = format_date(memo.visited_on)
    number = _("受付番号：{number}").format(number=memo.number)
    together = f"{day}{IDEOGRAPHIC_SPACE}{number}"
    room = CONTENT_WIDTH - styles["body"].leftIndent - styles["body"].rightIndent
    if stringWidth(together, FONT, styles["body"].fontSize) <= room:
        return [Paragraph(markup, title), _p(together, styles["body"])]
    return [Paragraph(markup, title), _p(_("ご相談日：{date}").format(date=day), styles["body"]), _p(number, styles["body"])]


def _section(heading: str, body: list[Flowable], styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    b = styles["body"].fontSize
    # Less space around headings than a handout's: the memo should stay short.
    style = ParagraphStyle("memo_heading", parent=styles["heading"], spaceBefore=0.5 * b, spaceAfter=0.1 * b)
    return [_p(heading, style), *body]


def _guides(guides: list[tuple[str, str]], styles: dict[str, ParagraphStyle], side_by_side: bool = False) -> list[Flowable]:
    """One guide block per guide; two side by side when that saves a quarter of the
    height (at 16 pt; at larger sizes the text beside a code gets too narrow), or
    when `side_by_side` asks for it so the memo keeps to one page."""
    b = styles["body"].fontSize
    stacked = [guide_block(title, url, styles) for title, url in guides]
    if len(guides) < 2:
        return stacked
    half = (CONTENT_WIDTH - GUIDE_GAP * b) / 2
    cells = [guide_block(title, url, styles, width=half) for title, url in guides]
    rows = [cells[i : i + 2] + [""] * (2 - len(cells[i : i + 2])) for i in range(0, len(cells), 2)]
    grid = Table(rows, colWidths=[half + GUIDE_GAP * b, half])
    grid.setStyle(
        table_style(
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        )
    )
    stacked_height = sum(block.wrap(CONTENT_WIDTH, 10_000)[1] for block in stacked)
    if side_by_side or grid.wrap(CONTENT_WIDTH, 10_000)[1] <= SIDE_BY_SIDE * stacked_height:
        return [grid]
    return stacked


def _contact(centre: Centre, helper_name: str, styles: dict[str, ParagraphStyle]) -> Table:
    body = styles["body"]
    b = body.fontSize
    inner = CONTENT_WIDTH - 2 * BOX_PAD * b
    lead = cell_style(body, "contact_lead", bold=True)
    # 「電話 03-…」 stays whole on one line, the number ≥ 24 pt (b + 8); the
    # centre's name goes on the line before it when both do not fit.
    phone_style = cell_style(body, "contact_phone", wordWrap=None, rightIndent=0, leading=(b + 8) * LEADING)
    label = f"{_('電話')}{NBSP}"
    phone = f'{escape(label)}<font name="{FONT_BOLD}" size="{b + 8}">{escape(centre.phone)}</font>'
    one_line = stringWidth(f"{centre.name} {label}", FONT, b) + stringWidth(centre.phone, FONT_BOLD, b + 8)
    if one_line <= inner:
        where = [Paragraph(f"{escape(centre.name)} {phone}", phone_style)]
    else:
        where = [_p(centre.name, cell_style(body, "contact_name"), width=inner), Paragraph(phone, phone_style)]
    ask = _("わからないときは、お気軽にお電話ください")
    if helper_name.strip():
        # The resident can ask for the person who helped.
        ask += _("（担当：{name}）").format(name=helper_name.strip())
    rows = [[_p(ask, lead, width=inner)], *([row] for row in where)]
    box = Table(rows, colWidths=[CONTENT_WIDTH])
    box.setStyle(
        table_style(
            ("BOX", (0, 0), (-1, -1), 2, black),
            ("LEFTPADDING", (0, 0), (-1, -1), BOX_PAD * b),
            ("RIGHTPADDING", (0, 0), (-1, -1), BOX_PAD * b),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, 0), BOX_PAD * b),
            ("BOTTOMPADDING", (0, -1), (-1, -1), BOX_PAD * b),
        )
    )
    return box


def _story(
    centre: Centre, memo: ConsultMemo, styles: dict[str, ParagraphStyle], side_by_side: bool = False
) -> list[Flowable]:
    summary = memo.summary.strip()
    done = text_lines(memo.done)
    if not summary or not done:
        raise ValueError("a consultation memo needs the problem (summary) and what was done (done)")
    guides = unique_guides(memo.guides)
    note = _("次回：{text}").format(text=memo.next_session.strip()) if memo.next_session.strip() else ""
    story: list[Flowable] = [DocumentStart(note), *_header(memo, styles)]

    category = memo.category_label.strip()
    about = f"<b>{escape('【' + category + '】')}</b>{escape(summary)}" if category else escape(summary)
    story += _section(_("ご相談の内容"), [Balanced(about, styles["body"])], styles)

    if len(done) == 1:
        story += _section(_("きょう行ったこと"), [_p(done[0], styles["body"])], styles)
    else:
        story += _section(_("きょう行ったこと"), [_p(line, styles["bullet"], "・") for line in done], styles)

    steps = text_lines(memo.next_step)
    step = ParagraphStyle("memo_step", parent=styles["step"], spaceBefore=0.15 * styles["body"].fontSize)
    if len(steps) == 1:
        story += _section(_("次にすること"), [_p(steps[0], styles["body"])], styles)
    elif steps:
        story += _section(
            _("次にすること"), [_p(line, step, f"{n}.") for n, line in enumerate(steps, 1)], styles
        )

    if guides:
        # The heading says how to use the codes, so no extra line is needed and a
        # memo with two guides and a few lines stays on one page at 16 pt.
        story += _section(_("公式の案内（スマホのカメラで読み取れます）"), _guides(guides, styles, side_by_side), styles)

    notice = qr_notice(styles, [memo.summary, memo.done, memo.next_step, *(title for title, _url in guides)])
    caution = ParagraphStyle("caution", parent=styles["body"], fontName=FONT_BOLD, spaceBefore=0.4 * styles["body"].fontSize)
    story.append(
        KeepTogether(
            [
                _contact(centre, memo.helper_name, styles),
                _p(_("暗証番号やパスワード、マイナンバーは、職員・ボランティアを含め誰にも教えないでください。"), caution),
            ]
        )
    )
    if notice is not None:
        story.append(notice)
    return story


def render_consult_memo(centre: Centre, memo: ConsultMemo, body_pt: int = 16) -> bytes:
    """The resident's consultation memo (相談メモ) as a PDF (DESIGN.md §8, issue 6).

    Args:
        centre: name and phone for the contact box and the footer.
        memo: the case as printed (see `ConsultMemo`).
        body_pt: body size in pt, 16, 20 or 24; headings are 8 pt larger and the
            centre's phone number in the contact box too.
    Returns:
        PDF bytes, A4 portrait, BIZ UDPGothic embedded; metadata title
        「ご相談メモ　<number>」 (no name). See the module docstring for the layout.
    Raises:
        ValueError: `body_pt` not 16/20/24, a blank summary or done, a guide
            without title or url, more than 4 distinct guides, or a naive
            datetime as `visited_on`.

    One A4 page holds, at 16 pt, two guides with about four lines of done and
    next step together, or five lines each without guides; at 20 pt, about five
    lines together without guides. Longer memos run onto further pages; a guide,
    the contact box with the caution, and a heading with its first line are
    never split.
    """
    styles = paragraph_styles(body_pt)
    title = f"{_('ご相談メモ')}\u3000{memo.number}"
    pdf = build_pdf(_story(centre, memo, styles), centre, title=title, subject=_("ご相談メモ"))
    if page_count(pdf) > 1 and len(unique_guides(memo.guides)) > 1 and body_pt == BODY_SIZES[0]:
        # Two guides side by side keep a short case on one page (issue 14); at
        # larger sizes the text beside a code would get too narrow.
        side = build_pdf(_story(centre, memo, styles, side_by_side=True), centre, title=title, subject=_("ご相談メモ"))
        if page_count(side) < page_count(pdf):
            return side
    return pdf
