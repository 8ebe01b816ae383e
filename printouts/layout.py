"""Shared building blocks of every printed PDF (DESIGN.md §8 accessibility rules).

- `register_fonts()`: BIZ UDPGothic regular + bold, embedded as subsets.
- `styles(body_pt)`: the paragraph styles (body 16/20/24 pt, headings ≥ 24 pt,
  leading 1.5 × size, left-aligned, black on white, Japanese line breaking).
- `QRCodeFlowable` / `qr_matrix()`: a 二次元コード drawn as vector squares,
  ≥ 30 mm including its 4-module quiet zone, error correction M.
- `guide_block()`: a code with the guide's title and full URL beside it;
  `wrap_url()` breaks the URL so it never overflows.
- `table_style()`: table styles that never fall back to Helvetica.
- `para()` / `Phrased`: a paragraph whose lines break at phrase boundaries with
  JIS X 4051 kinsoku (Japanese) or at spaces (English), see `printouts.linebreak`.
- `missing_glyphs()`: characters the font cannot print, to validate text early.
- `DocumentStart`, `FooterCanvas`, `build_pdf()`: A4 portrait pages with the centre's
  name and phone, an optional note (e.g. 次回) and page x/y on every page; several
  documents can share one PDF with their own page numbers.
"""

from __future__ import annotations

import functools
import io
import re
from collections import Counter
from pathlib import Path
from xml.sax.saxutils import escape

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib.colors import black
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.pdfmetrics import registerFontFamily
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, KeepTogether, PageTemplate, Paragraph, Table, TableStyle

from locales import _
from printouts.linebreak import Run, line_ranges, right_indent, slice_runs, split_paragraphs
from printouts.ruby import RubyPara
from printouts.model import Centre

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "BIZUDPGothic"
FONT_BOLD = "BIZUDPGothic-Bold"

PAGE_SIZE = A4
MARGIN_X = 16 * mm
MARGIN_TOP = 15 * mm
MARGIN_BOTTOM = 12 * mm
CONTENT_WIDTH = PAGE_SIZE[0] - 2 * MARGIN_X

# DESIGN.md §8: body 16 / 20 / 24 pt (a setting), headings ≥ 24 pt, line height ≥ 1.5.
BODY_SIZES = (16, 20, 24)
LEADING = 1.5
FOOTER_PT = 16  # the smallest body size: the footer repeats on every page

# DESIGN.md §8: ≥ 30 mm including the quiet zone. 34 mm keeps a margin over the rule;
# long URLs grow the code so a module never gets smaller than 0.5 mm.
QR_MIN_MM = 30
QR_SIZE_MM = 34
QR_MIN_MODULE_MM = 0.5
QR_BORDER = 4
QR_TEXT_GAP = 6 * mm  # white space between the quiet zone and the text beside it


@functools.cache
def register_fonts() -> None:
    """Register BIZ UDPGothic (regular and bold) with reportlab, once per process.

    The TTFs ship in ``printouts/fonts`` (SIL OFL, DESIGN.md §8) and are embedded as
    subsets. Family "BIZUDPGothic" maps ``<b>`` to the bold face. Parsing the two
    TTFs takes ~0.1 s, hence the cache.

    Raises:
        OSError: a font file is missing.
    """
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "BIZUDPGothic-Regular.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "BIZUDPGothic-Bold.ttf")))
    registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


def _style(name: str, size: float, bold: bool = False, **kw) -> ParagraphStyle:
    font = FONT_BOLD if bold else FONT
    attrs = {
        "fontName": font,
        "fontSize": size,
        "leading": size * LEADING,
        "alignment": TA_LEFT,
        "textColor": black,
        "backColor": None,
        # `Phrased` breaks the lines itself; CJK mode keeps reportlab from
        # collapsing the full-width spaces of the lines it is given.
        "wordWrap": "CJK",
        "bulletFontName": font,  # the default would reference an unembedded Helvetica
        "bulletFontSize": size,
        # A plain reportlab Paragraph hangs one character that may not start a
        # line (ー 。 」 ッ …) past the wrap width; wrapping 1 em short keeps it
        # inside the margins. `Phrased` and `RubyPara` never hang, and use it.
        "rightIndent": size,
    }
    style = ParagraphStyle(name, **{**attrs, **kw})
    style.hang_reserve = size if "rightIndent" not in kw else 0.0
    return style


def styles(body_pt: int = 16, easy: bool = False, readings: dict[str, str] | None = None) -> dict[str, ParagraphStyle]:
    """Paragraph styles for a printout (DESIGN.md §8).

    Args:
        body_pt: body size in pt, one of 16, 20, 24 (the print-size setting).
        easy: やさしい日本語: every `para` in these styles (and styles derived
            from them) prints ふりがな over its kanji.
        readings: {word: hiragana} ふりがな overrides (e.g. a lesson's).
    Returns:
        {name: ParagraphStyle} with names
        ``title`` (bold, body + 12 pt: 28/32/36),
        ``heading`` (bold, body + 8 pt: 24/28/32),
        ``body``, ``bullet`` (hanging indent for ・ / □ items),
        ``step`` (hanging indent for "1." numbers), ``note`` (indented under a step),
        ``guide_title`` (bold body), ``url`` — all body size —
        and ``footer`` (16 pt). Every style: BIZ UDPGothic, leading 1.5 × size,
        left-aligned, black, CJK line breaking.
    Raises:
        ValueError: `body_pt` is not 16, 20 or 24.
    """
    if body_pt not in BODY_SIZES:
        raise ValueError(f"body_pt must be one of {BODY_SIZES} (DESIGN.md §8), not {body_pt!r}")
    register_fonts()
    b = body_pt
    # reportlab pushes a line right when its bullet plus 0.6 em overruns the
    # indent; these indents fit "99." (bold, 1.85 em) and "□" (1 em).
    step_indent = 2.5 * b
    bullet_indent = 1.7 * b
    found = {
        "title": _style("title", b + 12, bold=True, spaceAfter=0.25 * b),
        "heading": _style("heading", b + 8, bold=True, spaceBefore=0.9 * b, spaceAfter=0.3 * b, keepWithNext=1),
        "body": _style("body", b, spaceAfter=0.2 * b),
        "bullet": _style("bullet", b, leftIndent=bullet_indent, bulletIndent=0, spaceAfter=0.15 * b),
        "step": _style(
            "step", b, leftIndent=step_indent, bulletIndent=0, bulletFontName=FONT_BOLD, spaceBefore=0.35 * b
        ),
        "note": _style("note", b, leftIndent=step_indent + b),
        "guide_title": _style("guide_title", b, bold=True),
        "url": _style("url", b, rightIndent=0),  # wrap_url breaks it to fit exactly
        "footer": _style("footer", FOOTER_PT),
    }
    for style in found.values():
        style.ruby = easy
        style.readings = dict(readings or {})
    return found


def missing_glyphs(text: str) -> set[str]:
    """Characters of `text` that BIZ UDPGothic cannot draw (they would print as □).

    Use it to validate text before it reaches a printout, e.g. the lesson catalogue
    or names typed into the app ("︙" U+FE19 and "⋮" U+22EE are missing; whitespace
    is ignored).

    Args:
        text: any text.
    Returns:
        set of single characters, empty when everything prints.
    """
    register_fonts()
    regular = pdfmetrics.getFont(FONT).face.charToGlyph
    bold = pdfmetrics.getFont(FONT_BOLD).face.charToGlyph
    return {ch for ch in text if not ch.isspace() and (ord(ch) not in regular or ord(ch) not in bold)}


# A hair of slack so a line measured to fit is never re-broken by reportlab's rounding.
_FIT_SLACK = 0.01


def _markup(runs: list[Run], style: ParagraphStyle) -> str:
    parts = []
    for r in runs:
        text = escape(r.text)
        if (r.font, r.size) != (style.fontName, style.fontSize):
            text = f'<font name="{r.font}" size="{r.size:g}">{text}</font>'
        parts.append(text)
    return "".join(parts)


class Phrased(Flowable):
    """A paragraph whose lines break at phrases, never inside a word (DESIGN.md §8).

    The lines are found by `printouts.linebreak` (BudouX phrases with JIS X 4051
    kinsoku; Latin text at spaces), measured with `stringWidth` in the fonts used,
    and handed to a reportlab `Paragraph` with explicit breaks; it wraps, draws and
    splits across pages as that paragraph. Keep-with-next and space before/after
    come from `style`.

    Args:
        runs: the text as `Run`s (font and size each), or a plain str in the
            style's font; "\n" starts a new line.
        style: a `styles()` style (indents, leading, bullet font).
        bullet: text hung in the left indent on the first line ("・", "1."), or None.
    """

    def __init__(self, runs: str | list[Run], style: ParagraphStyle, bullet: str | None = None):
        super().__init__()
        if isinstance(runs, str):
            runs = [Run(runs, style.fontName, style.fontSize)]
        self.runs = runs
        self.style = style
        self.bullet = bullet
        self._para: Paragraph | None = None
        self._for_width: float | None = None

    def lines(self, width: float) -> list[list[Run]]:
        """The runs of each printed line when laid out `width` pt wide."""
        style = self.style
        room = width - style.leftIndent - right_indent(style) - _FIT_SLACK
        first = room - style.firstLineIndent
        if self.bullet:
            bullet_end = style.bulletIndent + stringWidth(self.bullet, style.bulletFontName, style.bulletFontSize)
            first -= max(0.0, bullet_end + 0.6 * style.bulletFontSize - style.leftIndent - style.firstLineIndent)
        out: list[list[Run]] = []
        for paragraph in split_paragraphs(self.runs):
            widths = [first, room] if not out else [room]
            out += [slice_runs(paragraph, a, b) for a, b in line_ranges(paragraph, widths)]
        return out

    def paragraph(self, width: float) -> Paragraph:
        """The reportlab Paragraph with this paragraph's lines at `width` pt."""
        if self._para is None or self._for_width != width:
            markup = "<br/>".join(_markup(line, self.style) for line in self.lines(width))
            # The lines are already broken and fit: reportlab's own CJK breaking
            # would only find the same lines again, at most of a handout's cost.
            style = ParagraphStyle(f"{self.style.name}_phrased", parent=self.style, rightIndent=right_indent(self.style), wordWrap=None)
            self._para = Paragraph(markup, style, bulletText=self.bullet)
            self._for_width = width
        return self._para

    def wrap(self, availWidth, availHeight):
        self.width, self.height = self.paragraph(availWidth).wrap(availWidth, availHeight)
        return self.width, self.height

    def split(self, availWidth, availHeight):
        return self.paragraph(availWidth).split(availWidth, availHeight)

    def draw(self):
        self._para.drawOn(self.canv, 0, 0)

    def last_baseline(self) -> float:
        """Height in pt of the last line's baseline above the paragraph's bottom
        (reportlab sets a line's baseline one font size below its top)."""
        return self.style.leading - self.style.fontSize


def para(text: str | list[Run], style: ParagraphStyle, bullet: str | None = None) -> Flowable:
    """`text` (plain, not markup) as a paragraph in `style`, broken at phrases.

    A style from ``styles(..., easy=True)`` gives a `printouts.ruby.RubyPara` with
    ふりがな over every kanji (readings overridable through the style's
    ``readings``); any other a `Phrased`.

    Args:
        text: plain text or `Run`s; a newline starts a new line.
        style: a `styles()` style.
        bullet: hung in the left indent on the first line, or None.
    Returns:
        Flowable.
    """
    if getattr(style, "ruby", False):
        return RubyPara(text, style, bullet, getattr(style, "readings", None))
    return Phrased(text, style, bullet)


def runs(*parts: tuple) -> list[Run]:
    """(text, font, size) parts — or (text, font, size, ruby) — as `Run`s for
    `para`, e.g. a bold label then text."""
    return [Run(*part) for part in parts]


def bold_label(label: str, text: str, style: ParagraphStyle, bullet: str | None = None) -> Flowable:
    """「label」 in bold followed by `text` in `style`, e.g. 「iPhone：設定を開きます」.

    Returns:
        a `para` of the two.
    """
    return para(runs((label, FONT_BOLD, style.fontSize), (text, style.fontName, style.fontSize)), style, bullet)


def keep_with_heading(heading: Flowable, blocks: list[list[Flowable]]) -> list[Flowable]:
    """A heading and the blocks under it, the heading never alone at a page's foot.

    DESIGN.md §8: a heading never ends a page. reportlab's keepWithNext does not
    work in front of a `KeepTogether` (issue 14), so the heading is put into one
    `KeepTogether` with the whole first block; each further block of more than
    one flowable is kept together on its own.

    Args:
        heading: the heading paragraph.
        blocks: the content, block by block (e.g. a step and its device notes).
    Returns:
        flowables for the story.
    """
    if not blocks:
        return [heading]
    first, *rest = blocks
    out: list[Flowable] = [KeepTogether([heading, *first])]
    out += [KeepTogether(block) if len(block) > 1 else block[0] for block in rest]
    return out


def qr_notice(styles: dict[str, ParagraphStyle], texts: list[str]) -> Flowable | None:
    """The DENSO WAVE trademark notice, when a printout says 「QRコード」 / "QR code".

    DESIGN.md §8: say 「二次元コード」; 「QRコード」 is a registered trademark of
    DENSO WAVE, and where the word is printed (English always says "QR code";
    the LINE lesson quotes its screen) the notice goes with it.

    Args:
        styles: `styles()` output; texts: the printout's own text to look through.
    Returns:
        a paragraph in the footer's size (`FOOTER_PT`: a legal line, not reading
        matter, and at 24 pt it would take a one-sheet flyer's last session), or
        None when neither word is printed. In やさしい日本語 it keeps the body
        size, as every line with ふりがな does.
    """
    notice = _("QRコードは株式会社デンソーウェーブの登録商標です。")
    said = any("QRコード" in t for t in texts) or "QR" in _("二次元コード")
    body = styles["body"]
    style = body if getattr(body, "ruby", False) else ParagraphStyle("qr_notice", parent=body, fontSize=FOOTER_PT, leading=FOOTER_PT * LEADING)
    return para(notice, style) if said else None


@functools.lru_cache(maxsize=1024)
def qr_matrix(url: str) -> tuple[tuple[bool, ...], ...]:
    """The modules of `url`'s 二次元コード, quiet zone included (True = dark).

    Error correction M, smallest fitting version, 4-module border (DESIGN.md §8).
    Cached: the same guide URLs recur on every handout.

    Returns:
        square tuple of rows, each ``len(matrix)`` booleans.
    """
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QR_BORDER)
    code.add_data(url)
    code.make(fit=True)
    return tuple(tuple(row) for row in code.get_matrix())


@functools.lru_cache(maxsize=1024)
def _dark_runs(url: str) -> tuple[tuple[int, int, int], ...]:
    # Horizontal runs of dark modules (row, first column, length): fewer, larger
    # rectangles than one per module, so the PDF stays small and fast to draw.
    runs = []
    for r, row in enumerate(qr_matrix(url)):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                runs.append((r, start, c - start))
            else:
                c += 1
    return tuple(runs)


def qr_size_mm(url: str, size_mm: float = QR_SIZE_MM) -> float:
    """Printed side of `url`'s code in mm, quiet zone included.

    Args:
        url: the encoded text.
        size_mm: the wanted side; raised so a module is at least 0.5 mm.
    Returns:
        mm, never below `size_mm`.
    Raises:
        ValueError: `size_mm` is below 30 mm (DESIGN.md §8).
    """
    if size_mm < QR_MIN_MM:
        raise ValueError(f"a 二次元コード must be at least {QR_MIN_MM} mm (DESIGN.md §8), not {size_mm}")
    return max(size_mm, len(qr_matrix(url)) * QR_MIN_MODULE_MM)


class QRCodeFlowable(Flowable):
    """A 二次元コード as crisp vector squares, quiet zone included (DESIGN.md §8).

    Args:
        url: the text to encode (a guide's full URL).
        size_mm: printed side including the 4-module quiet zone, ≥ 30 mm; see
            `qr_size_mm`.
    Attributes:
        url, modules (side in modules, quiet zone included), size (side in pt).
    Raises:
        ValueError: `size_mm` below 30 mm.
    """

    def __init__(self, url: str, size_mm: float = QR_SIZE_MM):
        super().__init__()
        self.url = url
        self.modules = len(qr_matrix(url))
        self.size = qr_size_mm(url, size_mm) * mm
        self.width = self.height = self.size

    def wrap(self, availWidth, availHeight):
        return self.size, self.size

    def draw(self):
        canv = self.canv
        # On screen the code is also a link, for staff reading the PDF.
        canv.linkURL(self.url, (0, 0, self.size, self.size), relative=1, thickness=0)
        canv.saveState()
        # One unit = one module: whole-number coordinates keep the PDF small and
        # fast to write. One path for all squares: no hairline seams between them.
        canv.scale(self.size / self.modules, self.size / self.modules)
        path = canv.beginPath()
        for row, col, length in _dark_runs(self.url):
            path.rect(col, self.modules - row - 1, length, 1)
        canv.setFillColor(black)
        canv.drawPath(path, stroke=0, fill=1)
        canv.restoreState()


_URL_BREAK_AFTER = "/?&=-_.#"


def wrap_url(url: str, font_name: str, size: float, width: float) -> list[str]:
    """Split `url` into lines no wider than `width` so it never overflows.

    Lines break after ``/ ? & = - _ . #`` when one lies in the latter 60 % of
    the line, otherwise at the last character that fits. Joining the lines gives
    back `url` exactly.

    Args:
        url: text to print; font_name, size (pt): the font it is printed in;
        width: available width in pt.
    Returns:
        non-empty list of strings.
    """
    font = pdfmetrics.getFont(font_name)
    lines: list[str] = []
    line = ""
    line_width = 0.0
    for ch in url:
        w = font.stringWidth(ch, size)
        if line and line_width + w > width:
            cut = max(line.rfind(c) for c in _URL_BREAK_AFTER) + 1
            if cut < 0.4 * len(line) or font.stringWidth(line[cut:] + ch, size) > width:
                cut = len(line)
            lines.append(line[:cut])
            line = line[cut:]
            line_width = font.stringWidth(line, size)
        line += ch
        line_width += w
    lines.append(line)
    return lines


def table_style(*commands: tuple) -> TableStyle:
    """A TableStyle whose cells use BIZ UDPGothic, followed by `commands`.

    Tables set each cell's font even when the cell holds only flowables, and the
    default is an unembedded Helvetica; every printout table should start from this.

    Args:
        commands: TableStyle commands, e.g. ``("BOX", (0, 0), (-1, -1), 1, black)``.
    Returns:
        TableStyle.
    """
    return TableStyle([("FONT", (0, 0), (-1, -1), FONT, BODY_SIZES[0]), *commands])


def guide_block(
    title: str, url: str, styles: dict[str, ParagraphStyle], width: float = CONTENT_WIDTH, size_mm: float = QR_SIZE_MM
) -> Table:
    """A guide: its 二次元コード, with the title (bold) and full URL beside it.

    DESIGN.md §8: "a QR code ≥ 30 mm including a 4-module quiet zone, error
    correction M, with the page title and the full URL printed next to it".

    Args:
        title: the guide's page title; url: its full URL.
        styles: `styles()` output (uses ``guide_title`` and ``url``).
        width: available width in pt.
        size_mm: the code's side, quiet zone included (see `qr_size_mm`).
    Returns:
        a one-row Table (never split across pages), code top-left, text to its right.
    Raises:
        ValueError: `size_mm` below 30 mm.
    """
    code = QRCodeFlowable(url, size_mm)
    text_width = width - code.size - QR_TEXT_GAP
    url_style = styles["url"]
    lines = wrap_url(url, url_style.fontName, url_style.fontSize, text_width)
    text = [
        para(title, styles["guide_title"]),
        Paragraph("<br/>".join(escape(line) for line in lines), url_style),
    ]
    table = Table([[code, text]], colWidths=[code.size + QR_TEXT_GAP, text_width])
    table.setStyle(
        table_style(
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3 * mm),
            # Text starts level with the code's dark modules, not its quiet zone.
            ("TOPPADDING", (1, 0), (1, 0), QR_BORDER * code.size / code.modules),
        )
    )
    return table


class DocumentStart(Flowable):
    """Zero-size marker: a new document starts here within one PDF.

    Pages from here on are numbered 1/n afresh and carry `note` in the footer
    (e.g. "次回：…"). Put it first in each document's story, after a PageBreak.

    Args:
        note: footer text above the centre's name, or "" for none; "\\n" starts a
            new line, and lines after the first align after a leading label that
            ends in "：" (e.g. "次回：").
    """

    width = height = 0

    def __init__(self, note: str = ""):
        super().__init__()
        self.note = note

    def wrap(self, availWidth, availHeight):
        return 0, 0

    def draw(self):
        self.canv.document_start = self


class Footer:
    """Measures and draws the footer of `FooterCanvas` (16 pt, full content width).

    Args:
        centre: whose name and phone to print.
        easy: やさしい日本語: the footer's kanji get ふりがな too.
    """

    def __init__(self, centre: Centre, easy: bool = False):
        self.style = styles(FOOTER_PT, easy=easy)["footer"]
        self.easy = easy
        self.number_width = pdfmetrics.stringWidth(self._number(999, 999), FONT, FOOTER_PT)
        width = CONTENT_WIDTH - self.number_width - 4 * mm
        phone = f"{_('電話')} {centre.phone}"
        one_line = f"{centre.name}　{phone}"
        # Never break inside "電話 03-…": when the line is too long the phone gets its own line.
        text = one_line if pdfmetrics.stringWidth(one_line, FONT, FOOTER_PT) <= width else f"{centre.name}\n{phone}"
        self.centre_para = para(text.replace(" ", "\u00a0"), self.style)
        self.centre_height = self.centre_para.wrap(width, PAGE_SIZE[1])[1]
        self._notes: dict[str, tuple[Paragraph, float]] = {}

    @staticmethod
    def _number(page: int, pages: int) -> str:
        return _("{page}/{pages}ページ").format(page=page, pages=pages)

    def _note(self, note: str) -> tuple[Paragraph | None, float]:
        if not note:
            return None, 0.0
        if note not in self._notes:
            # Hanging indent: wrapped and "\n" lines align after a leading "次回：" label.
            first = note.split("\n", 1)[0]
            label = first[: first.index("：") + 1] if "：" in first else ""
            indent = pdfmetrics.stringWidth(label, FONT, FOOTER_PT)
            style = ParagraphStyle("footer_note", parent=self.style, leftIndent=indent, firstLineIndent=-indent)
            paragraph = para(note, style)
            h = paragraph.wrap(CONTENT_WIDTH, PAGE_SIZE[1])[1]
            self._notes[note] = (paragraph, h)
        return self._notes[note]

    def height(self, note: str = "") -> float:
        """Footer height in pt above the bottom margin, rule and gap included."""
        return self.centre_height + self._note(note)[1] + 3 * mm

    def draw(self, canv: Canvas, note: str, page: int, pages: int) -> None:
        """Draw the footer for page `page` of `pages` (1-based) on `canv`."""
        y = MARGIN_BOTTOM
        self.centre_para.drawOn(canv, MARGIN_X, y)
        canv.setFont(FONT, FOOTER_PT)
        canv.setFillColor(black)
        # On the baseline of the footer's last line, ふりがな or not.
        canv.drawRightString(PAGE_SIZE[0] - MARGIN_X, y + self.centre_para.last_baseline(), self._number(page, pages))
        y += self.centre_height
        paragraph, h = self._note(note)
        if paragraph is not None:
            paragraph.drawOn(canv, MARGIN_X, y)
            y += h
        canv.setStrokeColor(black)
        canv.setLineWidth(0.75)
        canv.line(MARGIN_X, y + 1.5 * mm, PAGE_SIZE[0] - MARGIN_X, y + 1.5 * mm)


class FooterCanvas(Canvas):
    """Canvas that draws the footer on every page once the page counts are known.

    Footer (DESIGN.md §8), bottom-up: "<centre name>　電話 <phone>" with "x/yページ" at
    the right, the current `DocumentStart.note` above it, and a rule above both.
    Pages are held until `save()` so each page can print its document's page count.

    Args:
        footer: the `Footer` that `build_pdf` measured the page frame with; other
            arguments as `Canvas`.
    """

    def __init__(self, *args, footer: Footer, **kwargs):
        super().__init__(*args, **kwargs)
        self.footer = footer
        self.document_start: DocumentStart | None = None
        self._pages: list[dict] = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        counts = Counter(page["document_start"] for page in self._pages)
        numbers: Counter = Counter()
        for state in self._pages:
            self.__dict__.update(state)
            numbers[self.document_start] += 1
            note = self.document_start.note if self.document_start else ""
            self.footer.draw(self, note, numbers[self.document_start], counts[self.document_start])
            super().showPage()
        super().save()


def page_room(centre: Centre, note: str = "", easy: bool = False) -> float:
    """Height in pt of the text frame `build_pdf` gives a page with `note` in its
    footer (for documents that must fit one sheet)."""
    register_fonts()
    return PAGE_SIZE[1] - MARGIN_TOP - (MARGIN_BOTTOM + Footer(centre, easy).height(note) + 4 * mm)


def page_count(pdf: bytes) -> int:
    """How many pages the PDF bytes from `build_pdf` have."""
    return len(re.findall(rb"/Type\s*/Page(?![a-z])", pdf))


def story_height(story: list[Flowable], width: float = CONTENT_WIDTH) -> float:
    """Height in pt of `story` laid out `width` pt wide, spaces included (for
    documents that must fit one sheet; page breaks are not simulated)."""
    register_fonts()
    canv = Canvas(io.BytesIO(), initialFontName=FONT)
    return sum(f.wrapOn(canv, width, PAGE_SIZE[1])[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in story)


def build_pdf(story: list[Flowable], centre: Centre, title: str, subject: str = "", easy: bool = False) -> bytes:
    """Lay `story` out on A4 portrait pages with the footer; return the PDF.

    Margins 16 mm left/right, 15 mm top; the bottom margin grows to fit the
    tallest footer of the story's `DocumentStart` notes. Fonts are embedded subsets,
    and the canvas starts in BIZ UDPGothic so no unembedded Helvetica is referenced.

    Args:
        story: flowables, optionally with `DocumentStart` markers.
        centre: printed in every footer; also the PDF author.
        title: PDF metadata title; subject: PDF metadata subject.
        easy: やさしい日本語: the footer prints ふりがな over its kanji too.
    Returns:
        PDF bytes (language ja-JP).
    """
    register_fonts()
    footer = Footer(centre, easy)
    notes = [f.note for f in story if isinstance(f, DocumentStart)] or [""]
    bottom = MARGIN_BOTTOM + max(footer.height(n) for n in notes) + 4 * mm
    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf,
        pagesize=PAGE_SIZE,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=bottom,
        title=title,
        author=centre.name,
        subject=subject,
        creator="Sumaho Desk",
        lang="ja-JP",
        initialFontName=FONT,
        initialFontSize=FOOTER_PT,
        pageCompression=1,
    )
    frame = Frame(
        MARGIN_X, bottom, CONTENT_WIDTH, PAGE_SIZE[1] - MARGIN_TOP - bottom,
        leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body",
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.build(story, canvasmaker=functools.partial(FooterCanvas, footer=footer))
    return buf.getvalue()
