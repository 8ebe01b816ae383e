"""Where a printed line may break, for Japanese and English text (DESIGN.md §8).

Japanese breaks at phrase boundaries found by BudouX (Google's phrase segmenter,
https://github.com/google/budoux), so words and numbers stay whole; on top of it the
line-start and line-end rules of JIS X 4051 (行頭禁則・行末禁則) hold: no opening
bracket ends a line, and no closing bracket, 「。」「、」, small kana or long-vowel
mark starts one. English (and any Latin run inside Japanese) breaks only at spaces.

- `segments(text)`: the unbreakable pieces of `text`, in order.
- `break_lines(text, width_of, widths)`: greedy lines no wider than the widths.
- `line_ranges(runs, widths)`: the same for styled runs (font and size per run).

A piece wider than a whole line is broken further: first where the script
changes (「みどり台／コミュニティセンター」), then between any two characters the
kinsoku rules allow, and only as a last resort anywhere.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import budoux
from reportlab.pdfbase.pdfmetrics import stringWidth

# JIS X 4051 §6.1.3 (cl-01, cl-02): opening brackets never end a line.
OPENING = "「『（［【〈《〔｛〘〖“‘([{"
# JIS X 4051 §6.1.3 (cl-02, cl-04–cl-07, cl-11, cl-19): closing brackets, 「、。」,
# middle dots, small kana, iteration and prolonged-sound marks never start a line.
CLOSING = (
    "」』）］】〉》〕｝〙〗”’)]}"
    "、。，．,.・：；:;？！?!‼⁇⁈⁉゠–〜～"
    "ーヽヾゝゞ々〻"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
    "%％‰℃°"
)
SPACES = " \u3000\t"
NBSP = "\u00a0"
_WEEKDAY = re.compile(r"（[月火水木金土日]）")

# Words BudouX splits but a reader must see whole (「健康保険／証」 reads wrong).
KEEP_WHOLE = (
    "健康保険証",
    "マイナ保険証",
    "資格確認書",
    "電子証明書",
    "二次元コード",
    "暗証番号",
    "マイナンバーカード",
    "マイナポータル",
    "マイナアプリ",
    "公金受取口座",
    "コミュニティセンター",
    "スマートフォン",
    "災害用伝言ダイヤル",
    "緊急速報メール",
    "特殊詐欺",
    "消費者ホットライン",
)


@functools.cache
def _parser() -> budoux.Parser:
    return budoux.load_default_japanese_parser()


def _is_latin(ch: str) -> bool:
    return ch.isascii() and not ch.isspace()


def _script(ch: str) -> str:
    if "\u3040" <= ch <= "\u309f":
        return "hiragana"
    if "\u30a0" <= ch <= "\u30ff" or ch == "ー":
        return "katakana"
    if "\u4e00" <= ch <= "\u9fff" or ch in "々〆":
        return "kanji"
    if _is_latin(ch):
        return "latin"
    return "other"


def kinsoku_ok(text: str, at: int) -> bool:
    """True when a line may break before ``text[at]`` by JIS X 4051 alone.

    Args:
        text: the paragraph; at: 0 < at < len(text).
    Returns:
        False after an opening bracket, before a closing one or 「。、」 etc., and
        between two Latin letters or digits (a word or number stays whole).
    """
    before, after = text[at - 1], text[at]
    if before in OPENING or after in CLOSING:
        return False
    return not (_is_latin(before) and _is_latin(after))


def _protected(text: str, forbidden: frozenset[int]) -> set[int]:
    # Positions inside a whole word, a number, a day with its weekday or a ruby unit.
    keep = set(forbidden)
    for word in KEEP_WHOLE:
        for m in re.finditer(re.escape(word), text):
            keep.update(range(m.start() + 1, m.end()))
    for m in _WEEKDAY.finditer(text):
        keep.add(m.start())
    for at in range(1, len(text)):
        before, after = text[at - 1], text[at]
        # 「令和8年」「第2会議室」: a number stays with the word before it.
        if after.isdigit() and _script(before) in ("kanji", "hiragana", "katakana"):
            keep.add(at)
        # A no-break space holds its neighbours together (「田中 美咲」 in a roster).
        if NBSP in (before, after):
            keep.add(at)
    return keep


def _allowed(text: str, at: int, keep: set[int]) -> bool:
    return at not in keep and kinsoku_ok(text, at)


def segments(text: str, forbidden: frozenset[int] = frozenset()) -> list[str]:
    """`text` cut where a line may break: BudouX phrase boundaries and spaces.

    Args:
        text: one paragraph (no newlines).
        forbidden: extra positions where no break may fall (e.g. inside a ruby unit).
    Returns:
        pieces whose concatenation is `text`; a space stays at the end of the
        piece before the break.
    """
    return list(_segments(text, forbidden))


# The same texts come back on every handout of a lesson (100 in a session pack's
# run, issue 12): phrase analysis is the costliest step of a paragraph.
@functools.lru_cache(maxsize=8192)
def _segments(text: str, forbidden: frozenset[int]) -> tuple[str, ...]:
    if not text:
        return ()
    keep = _protected(text, forbidden)
    cuts: set[int] = set()
    at = 0
    for phrase in _parser().parse(text):
        at += len(phrase)
        cuts.add(at)
    # After a run of spaces (Latin words, 「会場　第1会議室」), and after the 中黒 of a
    # list (「講師未定・補助あと1名」), which BudouX keeps inside a phrase.
    cuts.update(i for i in range(1, len(text)) if text[i - 1] in SPACES and text[i] not in SPACES)
    cuts.update(i for i in range(1, len(text)) if text[i - 1] == "・")
    # Never before a space: it stays at the end of the line that breaks.
    cuts = {i for i in cuts if 0 < i < len(text) and text[i] not in SPACES and _allowed(text, i, keep)}
    return tuple(_cut(text, sorted(cuts)))


def _cut(text: str, cuts: Sequence[int]) -> list[str]:
    bounds = [0, *cuts, len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:]) if b > a]


def _finer(piece: str, level: int, forbidden: frozenset[int], offset: int, text: str) -> list[str]:
    # Level 1: where the script changes; 2: wherever kinsoku allows; 3: anywhere.
    keep = {p - offset for p in forbidden if offset < p < offset + len(piece)}
    # Never before a space (as in `segments`): a fresh line drops its leading
    # spaces, so the line would start with what follows them, unchecked.
    keep |= {i for i in range(1, len(piece)) if piece[i] in SPACES}
    if level == 1:
        cuts = [
            i for i in range(1, len(piece))
            if _script(piece[i - 1]) != _script(piece[i]) and i not in keep and kinsoku_ok(text, offset + i)
        ]
    elif level == 2:
        cuts = [i for i in range(1, len(piece)) if i not in keep and kinsoku_ok(text, offset + i)]
    else:
        cuts = [i for i in range(1, len(piece)) if i not in keep] or list(range(1, len(piece)))
    return _cut(piece, cuts)


def break_lines(
    text: str,
    width_of: Callable[[int, int], float],
    widths: Sequence[float],
    forbidden: frozenset[int] = frozenset(),
) -> list[tuple[int, int]]:
    """Greedy line breaking of `text` at `segments` boundaries.

    Args:
        text: one paragraph; width_of(a, b): printed width in pt of ``text[a:b]``;
        widths: room in pt of line 1, line 2, …; the last value holds for the rest;
        forbidden: positions where no break may fall.
    Returns:
        (start, end) of each line in `text`; spaces at a break are left out of
        both lines; never empty (one empty line for "").
    """
    if not text:
        return [(0, 0)]
    queue: list[tuple[int, int, int]] = []  # (start, end, level)
    at = 0
    for piece in segments(text, forbidden):
        queue.append((at, at + len(piece), 0))
        at += len(piece)
    queue.reverse()
    lines: list[tuple[int, int]] = []
    start = end = 0

    def room() -> float:
        return widths[min(len(lines), len(widths) - 1)]

    def trimmed(a: int, b: int) -> int:
        while b > a and text[b - 1] in SPACES:
            b -= 1
        return b

    while queue:
        a, b, level = queue.pop()
        if start == end:  # a fresh line drops the spaces it starts with
            while a < b and text[a] in SPACES:
                a += 1
            start = end = a
            if a == b:
                continue
        if width_of(start, trimmed(start, b)) <= room():
            end = b
            continue
        if end > start:  # the piece goes to the next line
            lines.append((start, trimmed(start, end)))
            start = end = a
            queue.append((a, b, level))
            continue
        if level < 3 and b - a > 1:
            queue += [
                (a + len("".join(parts[:i])), a + len("".join(parts[: i + 1])), level + 1)
                for parts in [_finer(text[a:b], level + 1, forbidden, a, text)]
                for i in reversed(range(len(parts)))
            ]
            continue
        end = b  # one character wider than the line: nothing else can be done
    if end > start or not lines:
        lines.append((start, trimmed(start, end)))
    return lines


@dataclass(frozen=True)
class Run:
    """A stretch of text in one font and size.

    Attributes:
        text: the characters; font: a registered font name; size: pt.
        ruby: False prints it without ふりがな in a やさしい日本語 paragraph (a
            person's name, whose reading no analyser can know).
    """

    text: str
    font: str
    size: float
    ruby: bool = True


def line_ranges(runs: Sequence[Run], widths: Sequence[float]) -> list[tuple[int, int]]:
    """`break_lines` over styled runs, widths measured with `stringWidth`.

    Args:
        runs: the paragraph's runs in order; widths: as `break_lines`, pt.
    Returns:
        (start, end) positions in the runs' joined text.
    """
    return list(_line_ranges(tuple(runs), tuple(widths)))


@functools.lru_cache(maxsize=8192)
def _line_ranges(runs: tuple[Run, ...], widths: tuple[float, ...]) -> tuple[tuple[int, int], ...]:
    text = "".join(r.text for r in runs)
    fonts: list[tuple[str, float]] = []
    for r in runs:
        fonts += [(r.font, r.size)] * len(r.text)

    def width_of(a: int, b: int) -> float:
        total = 0.0
        i = a
        while i < b:
            j = i
            while j < b and fonts[j] == fonts[i]:
                j += 1
            total += stringWidth(text[i:j], *fonts[i])
            i = j
        return total

    return tuple(break_lines(text, width_of, widths))


def slice_runs(runs: Sequence[Run], start: int, end: int) -> list[Run]:
    """The part of `runs` between positions `start` and `end` of their joined text."""
    out: list[Run] = []
    at = 0
    for r in runs:
        a, b = max(start, at), min(end, at + len(r.text))
        if a < b:
            out.append(Run(r.text[a - at : b - at], r.font, r.size, r.ruby))
        at += len(r.text)
    return out


def split_paragraphs(runs: Sequence[Run]) -> list[list[Run]]:
    """`runs` cut at each newline into the runs of each forced line, in order."""
    paragraphs: list[list[Run]] = [[]]
    for r in runs:
        for i, part in enumerate(r.text.split("\n")):
            if i:
                paragraphs.append([])
            if part:
                paragraphs[-1].append(Run(part, r.font, r.size, r.ruby))
    return paragraphs


def right_indent(style) -> float:
    """The right indent in pt of a reportlab ParagraphStyle, less the 1 em a plain
    Paragraph keeps for hanging punctuation (`printouts.layout.Phrased` and
    `printouts.ruby.RubyPara` never hang, and measure lines with this)."""
    return max(0.0, style.rightIndent - getattr(style, "hang_reserve", 0.0))
