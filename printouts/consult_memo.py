"""The consultation memo (相談メモ): what the help desk did, for the resident to take home.

A resident brings one problem to the digital help desk (デジタル相談窓口, issue 6); a
volunteer helps, and the resident leaves with this large-print memo. Top to
bottom: 「ご相談メモ」 with 「○○ 様」 (no name for an anonymous walk-in) and the date
(和暦・西暦 with the weekday); 「ご相談の内容」; 「きょう行ったこと」; 「次にすること」
as numbered steps; a framed 「わからないときは、お気軽にお電話ください」 with the
centre's phone large and what to say when calling (受付番号, 担当); the standing
caution never to tell anyone a PIN, password or My Number; then 「公式の案内」 with
one 二次元コード per guide. The footer carries the centre's name and phone, and
「次回：…」 when given.

One page (DESIGN.md §8): when the memo would run on, the guides go two to a row
with their titles and URLs in 16 pt. A large-print memo that still does not fit
(the issue 14 case at 20 and 24 pt: its own text, the contact box and the caution
alone fill most of the page) keeps who to call on page 1, right after what to do
next, and the guides follow on page 2.

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
    FOOTER_PT,
    LEADING,
    PAGE_SIZE,
    QR_MIN_MM,
    page_count,
    DocumentStart,
    build_pdf,
    guide_block,
    qr_notice,
    styles as paragraph_styles,
    table_style,
)
from printouts.model import Centre

MAX_GUIDES = 4
HEADING_MIN_PT = 24  # DESIGN.md §8
PHONE_MIN_PT = 28  # the centre's phone in the contact box
IDEOGRAPHIC_SPACE = "\u3000"
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
    size = _heading_pt(styles) + 4
    title = ParagraphStyle(
        "memo_title", parent=styles["title"], fontSize=size, leading=size * LEADING, wordWrap=None, rightIndent=0
    )
    markup = escape(_("ご相談メモ"))
    if memo.resident_name.strip():
        name = _("{name} 様").format(name=" ".join(memo.resident_name.split()))
        if stringWidth(name, FONT_BOLD, size) <= CONTENT_WIDTH:
            name = name.replace(" ", NBSP)
        markup += f" {escape(name)}"
    # Next to the title the date needs no 「ご相談日：」 label; the 受付番号 is in
    # the contact box, where the resident needs it when they call.
    return [Paragraph(markup, title), _p(format_date(memo.visited_on), styles["body"])]


def _heading_pt(styles: dict[str, ParagraphStyle]) -> float:
    # DESIGN.md §8 headings ≥ 24 pt; 4 pt over the body beyond that, not 8: the
    # memo keeps to one page (issue 14).
    return max(HEADING_MIN_PT, styles["body"].fontSize + 4)


def _section(heading: str, body: list[Flowable], styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    b = styles["body"].fontSize
    size = _heading_pt(styles)
    # Less space around headings than a handout's: the memo should stay on one page.
    style = ParagraphStyle(
        "memo_heading", parent=styles["heading"], fontSize=size, leading=size * LEADING,
        spaceBefore=0.3 * b, spaceAfter=0,
    )
    return [_p(heading, style), *body]


def _guides(guides: list[tuple[str, str]], styles: dict[str, ParagraphStyle], compact: bool) -> list[Flowable]:
    """One guide block per guide, the title and URL beside each code in body size;
    `compact`: two to a row, the title and URL in 16 pt (the footer's size), so a
    short memo keeps to one page (issue 14)."""
    b = styles["body"].fontSize
    if not compact or len(guides) == 1:
        return [guide_block(title, url, styles) for title, url in guides]
    captions = paragraph_styles(FOOTER_PT)
    half = (CONTENT_WIDTH - GUIDE_GAP * b) / 2
    cells = [guide_block(title, url, captions, width=half, size_mm=QR_MIN_MM) for title, url in guides]
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
    return [grid]


def _contact(centre: Centre, number: str, helper_name: str, styles: dict[str, ParagraphStyle]) -> Table:
    body = styles["body"]
    b = body.fontSize
    inner = CONTENT_WIDTH - 2 * BOX_PAD * b
    lead = cell_style(body, "contact_lead", bold=True)
    # 「電話 03-…」 stays whole on one line, the number large (≥ 28 pt); the
    # centre's name goes before it when both fit, else on the line before.
    phone_pt = max(PHONE_MIN_PT, b + 4)
    phone_style = cell_style(body, "contact_phone", wordWrap=None, rightIndent=0, leading=phone_pt * LEADING)
    label = f"{_('電話')}{NBSP}"
    phone = f'{escape(label)}<font name="{FONT_BOLD}" size="{phone_pt}">{escape(centre.phone)}</font>'
    one_line = stringWidth(f"{centre.name} {label}", FONT, b) + stringWidth(centre.phone, FONT_BOLD, phone_pt)
    if one_line <= inner:
        where = [Paragraph(f"{escape(centre.name)} {phone}", phone_style)]
    else:
        where = [_p(centre.name, cell_style(body, "contact_name"), width=inner), Paragraph(phone, phone_style)]
    # What to say on the phone: the case's number, and the person who helped.
    reference = _("受付番号：{number}").format(number=number)
    if helper_name.strip():
        reference += _("（担当：{name}）").format(name=helper_name.strip())
    rows = [
        [_p(_("わからないときは、お気軽にお電話ください"), lead, width=inner)],
        *([row] for row in where),
        [_p(reference, cell_style(body, "contact_reference"), width=inner)],
    ]
    box = Table(rows, colWidths=[CONTENT_WIDTH])
    box.setStyle(
        table_style(
            ("BOX", (0, 0), (-1, -1), 2, black),
            ("LEFTPADDING", (0, 0), (-1, -1), BOX_PAD * b),
            ("RIGHTPADDING", (0, 0), (-1, -1), BOX_PAD * b),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, 0), BOX_PAD * b / 2),
            ("BOTTOMPADDING", (0, -1), (-1, -1), BOX_PAD * b / 2),
        )
    )
    return box


def _story(centre: Centre, memo: ConsultMemo, styles: dict[str, ParagraphStyle], compact: bool) -> list[Flowable]:
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
        story += _section(_("きょう行ったこと"), [_p(line, styles["bullet"], _("・")) for line in done], styles)

    steps = text_lines(memo.next_step)
    step = ParagraphStyle("memo_step", parent=styles["step"], spaceBefore=0.1 * styles["body"].fontSize)
    if len(steps) == 1:
        story += _section(_("次にすること"), [_p(steps[0], styles["body"])], styles)
    elif steps:
        story += _section(
            _("次にすること"), [_p(line, step, f"{n}.") for n, line in enumerate(steps, 1)], styles
        )

    notice = qr_notice(styles, [memo.summary, memo.done, memo.next_step, *(title for title, _url in guides)])
    caution = ParagraphStyle("caution", parent=styles["body"], fontName=FONT_BOLD, spaceBefore=0.3 * styles["body"].fontSize)
    # Who to call comes right after what to do next: when a large-print memo takes
    # two pages, page 1 still says it, and the guides go on (issue 14).
    story.append(
        KeepTogether(
            [
                _contact(centre, memo.number, memo.helper_name, styles),
                _p(_("暗証番号やパスワード、マイナンバーは、職員・ボランティアを含め誰にも教えないでください。"), caution),
            ]
        )
    )
    blocks = _guides(guides, styles, compact) if guides else []
    if notice is not None:
        # The trademark notice stays with the last code, never alone on a page.
        blocks[-1:] = [KeepTogether([*blocks[-1:], notice])]
    if guides:
        # The heading says how to use the codes, so no extra line is needed.
        story += _section(_("公式の案内（スマホのカメラで読み取れます）"), blocks, styles)
    else:
        story += blocks
    return story


def render_consult_memo(centre: Centre, memo: ConsultMemo, body_pt: int = 16) -> bytes:
    """The resident's consultation memo (相談メモ) as a PDF (DESIGN.md §8, issue 6).

    Args:
        centre: name and phone for the contact box and the footer.
        memo: the case as printed (see `ConsultMemo`).
        body_pt: body size in pt, 16, 20 or 24; headings are 4 pt larger (24 pt
            at least), the title 4 pt more, the phone in the contact box 28 pt at
            least.
    Returns:
        PDF bytes, A4 portrait, BIZ UDPGothic embedded; metadata title
        「ご相談メモ　<number>」 (no name). See the module docstring for the layout.
    Raises:
        ValueError: `body_pt` not 16/20/24, a blank summary or done, a guide
            without title or url, more than 4 distinct guides, or a naive
            datetime as `visited_on`.

    One A4 page holds, at 16 pt, the issue 14 case (a 2-line summary, 2 things
    done, 2 next steps and 2 guides); at 20 and 24 pt the guides of that case go
    on page 2. A guide, the contact box with the caution, and a heading with its
    first line are never split.
    """
    styles = paragraph_styles(body_pt)
    title = f"{_('ご相談メモ')}\u3000{memo.number}"
    pdf = build_pdf(_story(centre, memo, styles, compact=False), centre, title=title, subject=_("ご相談メモ"))
    if page_count(pdf) > 1 and len(unique_guides(memo.guides)) > 1:
        compact = build_pdf(_story(centre, memo, styles, compact=True), centre, title=title, subject=_("ご相談メモ"))
        if page_count(compact) == 1:
            return compact
    return pdf
