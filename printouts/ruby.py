"""Paragraphs with ふりがな (ruby) over every kanji, for やさしい日本語 printouts.

`RubyPara` lays text out like `printouts.layout.Phrased` (BudouX phrases, JIS X 4051
kinsoku, `printouts.linebreak`) and prints each kanji word's reading centred above
it at half the body size, as Japanese books for children and learners do. A word
whose reading is wider than the word is spaced out to the reading's width, so no
two readings ever touch; a line with readings gets their height on top of the
1.5 × leading of DESIGN.md §8 (a line of kana, digits or Latin letters does not).
"""

from __future__ import annotations

from collections.abc import Mapping

from reportlab.lib.colors import black
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from printouts.furigana import annotate
from printouts.linebreak import Run, break_lines, right_indent, split_paragraphs

RUBY_FONT = "BIZUDPGothic"

RUBY_SCALE = 0.5  # reading size / base size (JIS X 4051 §4.3: half the base)
RUBY_GAP = 0.1  # white space between a reading and the top of its word, × base size
ASCENT = 0.88  # BIZ UDPGothic's ascent, × size
_UNIT = tuple[str, str, float, str, float]  # base, ruby, width pt, font, size pt
_LINE = list[_UNIT]


class RubyPara(Flowable):
    """A paragraph with ふりがな; wraps, draws and splits across pages.

    Args:
        text: plain text (no markup), or `Run`s for parts in another font or
            size (a bold label, a large phone number); "\\n" starts a new line.
        style: a `styles()` paragraph style (font, size, leading, indents, space
            before/after, keep-with-next, bullet font).
        bullet: hung in the left indent on the first line ("・", "1."), or None.
        readings: {word: hiragana} overriding the analyser (`printouts.furigana`).
    Attributes:
        ruby_size: the readings' size in pt.
    """

    def __init__(
        self,
        text: str | list[Run],
        style: ParagraphStyle,
        bullet: str | None = None,
        readings: Mapping[str, str] | None = None,
        _lines: list[_LINE] | None = None,
    ):
        super().__init__()
        self.runs = [Run(text, style.fontName, style.fontSize)] if isinstance(text, str) else list(text)
        self.style = style
        self.bullet = bullet
        self.readings = dict(readings or {})
        self.size = max([style.fontSize, *(r.size for r in self.runs)])
        self.ruby_size = style.fontSize * RUBY_SCALE
        self._lines = _lines
        self._fixed = _lines is not None  # a part of a split keeps its lines
        self._for_width: float | None = None

    @property
    def line_height(self) -> float:
        """Height in pt of a line with readings: the style's leading plus their room."""
        return self._leading + self._ruby_room

    @property
    def _leading(self) -> float:
        return self.style.leading * self.size / self.style.fontSize

    @property
    def _ruby_room(self) -> float:
        return self.ruby_size + RUBY_GAP * self.size

    def height_of(self, line: _LINE) -> float:
        """Height in pt of `line`: the leading, plus the readings' room when the
        line has a reading (a line of kana, digits or Latin letters needs none)."""
        return self._leading + (self._ruby_room if any(unit[1] for unit in line) else 0.0)

    def _baseline(self, line: _LINE) -> float:
        # Above the bottom of the line's box: the readings at its top, the text under them.
        above = ASCENT * self.ruby_size + RUBY_GAP * self.size if any(unit[1] for unit in line) else 0.0
        return self.height_of(line) - above - ASCENT * self.size

    def _units(self, runs: list[Run]) -> list[_UNIT]:
        units = []
        for run in runs:
            for base, ruby in annotate(run.text, self.readings) if run.ruby else [(run.text, "")]:
                bw = stringWidth(base, run.font, run.size)
                rw = stringWidth(ruby, RUBY_FONT, self.ruby_size) if ruby else 0.0
                units.append((base, ruby, max(bw, rw), run.font, run.size))
        return units

    def _break(self, width: float) -> list[_LINE]:
        style = self.style
        room = width - style.leftIndent - right_indent(style)
        first = room - style.firstLineIndent
        if self.bullet:
            bullet_end = style.bulletIndent + stringWidth(self.bullet, style.bulletFontName, style.bulletFontSize)
            first = min(first, width - right_indent(style) - bullet_end - 0.6 * style.bulletFontSize)
        lines: list[_LINE] = []
        for part in split_paragraphs(self.runs):
            units = self._units(part)
            joined = "".join(u[0] for u in units)
            # Per-character widths; a ruby word's width is shared by its characters
            # and no line may break inside it.
            widths: list[float] = []
            forbidden: set[int] = set()
            for base, ruby, w, font, size in units:
                if ruby:
                    forbidden.update(range(len(widths) + 1, len(widths) + len(base)))
                    widths += [w / len(base)] * len(base)
                else:
                    widths += [stringWidth(ch, font, size) for ch in base]
            starts = [0]
            for w in widths:
                starts.append(starts[-1] + w)
            ranges = break_lines(
                joined, lambda a, b: starts[b] - starts[a], [first, room] if not lines else [room], frozenset(forbidden)
            )
            for a, b in ranges:
                lines.append(_slice(units, a, b))
        return lines

    def lines(self, width: float) -> list[_LINE]:
        """The units (base, ruby, width pt) of each line when laid out `width` pt wide."""
        if not self._fixed and (self._lines is None or self._for_width != width):
            self._lines = self._break(width)
            self._for_width = width
        return self._lines

    def wrap(self, availWidth, availHeight):
        self.width = availWidth
        self.height = sum(self.height_of(line) for line in self.lines(availWidth))
        return self.width, self.height

    def split(self, availWidth, availHeight):
        lines = self.lines(availWidth)
        fit, used = 0, 0.0
        while fit < len(lines) and used + self.height_of(lines[fit]) <= availHeight:
            used += self.height_of(lines[fit])
            fit += 1
        if fit < 1 or fit >= len(lines):
            return []
        first = RubyPara(self.runs, self.style, self.bullet, self.readings, lines[:fit])
        rest_style = ParagraphStyle(f"{self.style.name}_rest", parent=self.style, spaceBefore=0)
        rest = RubyPara(self.runs, rest_style, None, self.readings, lines[fit:])
        return [first, rest]

    def last_baseline(self) -> float:
        """Height in pt of the last line's baseline above the paragraph's bottom."""
        lines = self._lines or [[("", "x", 0.0, self.style.fontName, self.size)]]
        return self._baseline(lines[-1])

    def draw(self):
        canv = self.canv
        style = self.style
        canv.setFillColor(black)
        top = self.height
        for n, line in enumerate(self._lines or []):
            top -= self.height_of(line)
            base_line = top + self._baseline(line)
            ruby_base = base_line + RUBY_GAP * self.size + ASCENT * self.size
            x = style.leftIndent + (style.firstLineIndent if n == 0 else 0)
            if n == 0 and self.bullet:
                canv.setFont(style.bulletFontName, style.bulletFontSize)
                canv.drawString(style.bulletIndent, base_line, self.bullet)
                bullet_end = style.bulletIndent + stringWidth(self.bullet, style.bulletFontName, style.bulletFontSize)
                x = max(x, bullet_end + 0.6 * style.bulletFontSize)
            for base, ruby, w, font, size in line:
                bw = stringWidth(base, font, size)
                canv.setFont(font, size)
                canv.drawString(x + (w - bw) / 2, base_line, base)
                if ruby:
                    rw = stringWidth(ruby, RUBY_FONT, self.ruby_size)
                    canv.setFont(RUBY_FONT, self.ruby_size)
                    canv.drawString(x + (w - rw) / 2, ruby_base, ruby)
                x += w


def _slice(units: list[_UNIT], a: int, b: int) -> _LINE:
    out: _LINE = []
    at = 0
    for base, ruby, w, font, size in units:
        lo, hi = max(a, at), min(b, at + len(base))
        if lo < hi:
            if ruby or (lo == at and hi == at + len(base)):
                out.append((base, ruby, w, font, size))
            else:
                part = base[lo - at : hi - at]
                out.append((part, "", stringWidth(part, font, size), font, size))
        at += len(base)
    return out
