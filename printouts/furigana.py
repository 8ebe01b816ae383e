"""ふりがな for やさしい日本語 printouts: a reading over every kanji (DESIGN.md §8).

Readings come from the morphological analyser MeCab (through fugashi) with the
UniDic-lite dictionary; a lesson can override any word's reading. Okurigana are
left out of the ruby (「覚（おぼ）え」, not 「覚え（おぼえ）」), and a day of the month
reads the calendar way (「3日」 → みっか).

- `annotate(text, readings)`: `text` as (base, ruby) pieces, ruby "" for kana,
  digits and punctuation.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

import fugashi
import jaconv

_KANJI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff々〆ヶ]")
_KANJI_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff々〆ヶ]+")

# 日付の読み: 1日 ついたち … (「3日」 is みっか, not さんにち).
_DAY_READINGS = {
    1: "ついたち", 2: "ふつか", 3: "みっか", 4: "よっか", 5: "いつか", 6: "むいか", 7: "なのか",
    8: "ようか", 9: "ここのか", 10: "とおか", 14: "じゅうよっか", 20: "はつか", 24: "にじゅうよっか",
}
_MONTH_DAY = re.compile(r"(\d{1,2})(月)(\d{1,2})(日)")
_WEEKDAY_READINGS = {"月": "げつ", "火": "か", "水": "すい", "木": "もく", "金": "きん", "土": "ど", "日": "にち"}
_WEEKDAY = re.compile(r"（([月火水木金土日])）")


def has_kanji(text: str) -> bool:
    """True when `text` holds a kanji (so it needs ふりがな)."""
    return bool(_KANJI.search(text))


@functools.cache
def _tagger() -> fugashi.Tagger:
    import unidic_lite

    return fugashi.Tagger(f"-d {unidic_lite.DICDIR}")


def _split_okurigana(surface: str, reading: str) -> list[tuple[str, str]]:
    # Match the kana of the surface against the reading; kanji runs take what is left.
    parts = re.split(f"({_KANJI_RUN.pattern})", surface)
    pattern = "".join(
        "(.+?)" if _KANJI_RUN.fullmatch(p) else re.escape(jaconv.kata2hira(p)) for p in parts if p
    )
    m = re.fullmatch(pattern, jaconv.kata2hira(reading))
    if not m:
        return [(surface, reading)]
    groups = iter(m.groups())
    return [(p, next(groups) if _KANJI_RUN.fullmatch(p) else "") for p in parts if p]


def _analyse(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for word in _tagger()(text):
        surface = word.surface
        # MeCab drops the spaces between words: put them back from the text.
        if word.white_space:
            out.append((word.white_space, ""))
        if not has_kanji(surface):
            out.append((surface, ""))
            continue
        kana = getattr(word.feature, "kana", None) or ""
        if not kana or kana == "*":
            out.append((surface, ""))  # unknown word: a lesson must give its reading
            continue
        out += _split_okurigana(surface, jaconv.kata2hira(kana))
    return out


def _special(text: str) -> list[tuple[int, int, list[tuple[str, str]]]]:
    spans = []
    for m in _MONTH_DAY.finditer(text):
        month, day = m.group(1), int(m.group(3))
        if day in _DAY_READINGS:  # the whole 「3日」 reads みっか
            tail = [(m.group(3) + "日", _DAY_READINGS[day])]
        else:
            tail = [(m.group(3), ""), ("日", "にち")]
        spans.append((m.start(), m.end(), [(month, ""), ("月", "がつ"), *tail]))
    for m in _WEEKDAY.finditer(text):
        spans.append((m.start(), m.end(), [("（", ""), (m.group(1), _WEEKDAY_READINGS[m.group(1)]), ("）", "")]))
    return spans


def annotate(text: str, readings: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """`text` as (base, ruby) pieces for printing with ふりがな.

    Args:
        text: Japanese text (may hold Latin words and digits).
        readings: {word: reading in hiragana} overriding the analyser for every
            occurrence of the word, longest word first (e.g. {"方": "かた"}).
    Returns:
        pieces whose bases join to `text`; a piece with kanji has its reading in
        hiragana as ruby, every other piece has "". A kanji the analyser cannot
        read and no override covers keeps "" (see `unread_kanji`).
    """
    spans = _special(text)
    for word in sorted(readings or {}, key=len, reverse=True):
        for m in re.finditer(re.escape(word), text):
            if all(m.end() <= a or m.start() >= b for a, b, _ in spans):
                spans.append((m.start(), m.end(), _split_okurigana(word, readings[word])))
    spans.sort()
    out: list[tuple[str, str]] = []
    at = 0
    for a, b, pieces in spans:
        if a > at:
            out += _analyse(text[at:a])
        out += pieces
        at = b
    if at < len(text):
        out += _analyse(text[at:])
    return [(base, ruby) for base, ruby in out if base]


def unread_kanji(text: str, readings: Mapping[str, str] | None = None) -> list[str]:
    """The kanji pieces of `text` that would print without ふりがな (for validation)."""
    return [base for base, ruby in annotate(text, readings) if has_kanji(base) and not ruby]
