"""The My Number guard: what people type must never carry a 個人番号 (DESIGN.md §7).

Centres may not collect or keep residents' マイナンバー outside the procedures the
law lists (行政手続における特定の個人を識別するための番号の利用等に関する法律
（番号法）第20条). Staff type while a resident reads numbers off a card, so every
field that holds a resident's or volunteer's text (names, notes, needs, reasons,
ticket text, e-mail) passes through `check_free_text` before it is stored; a text
holding a number that passes the check digit is refused and nothing is written.

How a number is found (`find_my_number`):

1. **What the eye sees.** Invisible format characters (zero-width space, joiners,
   BOM, soft hyphen) are dropped; full-width and other scripts' decimal digits
   count as 0–9; full-width punctuation and spaces as their ASCII forms; a run of
   four or more kanji numerals (〇○零一二三四五六七八九) is read digit by digit
   (「一二三四 五六七八 九〇一二」). Circled and other "number-like" signs (①, ²)
   stay signs, so 「①090-…」 is not the number 1090….
2. **Digit groups joined into runs.** Two groups belong to one run when only a
   *separator* stands between them: up to three blanks or line breaks, with at most
   one kind of punctuation (- ‐ ‑ ‒ – — ― − ー, . ・ ·, /, _, , 、, |) once or twice.
   A colon, a letter or a kana ends the run, so 「12:00」 and 「7名」 never join.
3. **Telephone numbers are units** (総務省 電気通信番号計画: 0 + 9 or 10 digits):
   1–4 groups joined by one kind of separator that start with 0 (not 00), hold 10
   or 11 digits and, when grouped, start with 2–5 digits and end with 3 or 4; or
   the groups after a "+" (E.164, up to 15 digits).
4. **Candidates**, each checked with `is_valid_my_number`:
   - a group of exactly 12 digits, wherever it stands;
   - a whole run of 12 digits in groups of one length (4-4-4 as on the card,
     6-6, 3-3-3-3, 2-2-2-2-2-2 or digit by digit) joined by one kind of
     separator, unless part of it reads as a telephone number or a date (a year
     1900–2099, a month and a day), or it follows a "+". So 「090-7364-7737
     7名」, 「03-2111-3941 12時」 and 「2026 07 01 15 00」 stay notes;
   - in a longer run, the 4-4-4 numbers of its best reading: the run is split
     into telephone numbers, dates, postcodes (3-4 with a hyphen), 4-4-4 numbers
     and single groups so that most groups belong to a number, and on a tie the
     reading with fewer 4-4-4 numbers wins. 「1234 5678 9012 090-0000-1234」 holds
     a 4-4-4 number; 「090 1234 5678 2026」 is a phone and a year. A run of just
     four 4-digit groups is a 16-digit card number 「1234 5678 9012 3456」.

Any 12 digits that pass the check digit are refused, whatever they are meant to be
(a driving-licence number too): the message says so and how to keep such a number
(mask part of it).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from db.errors import MyNumberRejected
from locales import _

MY_NUMBER_DIGITS = 12

# 番号法施行令 第8条 / 総務省令第85号 第5条: weights Q_n for P_n, the n-th of the 11
# digits counted from the right (n = 1 is the digit just left of the check digit).
_WEIGHTS = tuple(n + 1 if n <= 6 else n - 5 for n in range(1, 12))

# Punctuation people put between digit groups, by kind. "ー" (長音符) is what a
# Japanese IME often gives for "-"; full-width forms are folded to ASCII first.
_PUNCTUATION_KINDS = {
    **dict.fromkeys("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc", "-"),
    **dict.fromkeys(".\u30fb\u00b7", "."),
    "/": "/",
    "_": "_",
    **dict.fromkeys(",\u3001", ","),
    "|": "|",
}
_BLANKS = " \t\r\n"
_SEPARATOR = re.compile(
    rf"[{_BLANKS}]{{0,3}}(?:([{re.escape(''.join(_PUNCTUATION_KINDS))}])\1?)?[{_BLANKS}]{{0,3}}"
)
_KANJI_DIGITS = {"〇": "0", "○": "0", "零": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
_KANJI_RUN = re.compile(f"[{''.join(_KANJI_DIGITS)}]{{4,}}")
_DIGITS = re.compile(r"[0-9]+")


def check_digit(first_11: str) -> int:
    """The 個人番号 check digit (検査用数字) of 11 digits.

    The formula of 行政手続における特定の個人を識別するための番号の利用等に関する
    法律施行令 第8条, set by 総務省令（平成26年総務省令第85号）第5条::

        check = 11 − (Σ_{n=1..11} P_n × Q_n  mod 11),  or 0 when that remainder ≤ 1
        P_n: the n-th digit counted from the right of the 11 digits (n = 1 is the last)
        Q_n: n + 1 for 1 ≤ n ≤ 6, n − 5 for 7 ≤ n ≤ 11

    Args:
        first_11: exactly 11 ASCII digits (the number without its check digit).
    Returns:
        int 0–9.
    Raises:
        ValueError: `first_11` is not 11 ASCII digits.
    """
    if len(first_11) != 11 or not (first_11.isascii() and first_11.isdigit()):
        raise ValueError("check_digit needs exactly 11 ASCII digits")
    total = sum(int(p) * q for p, q in zip(reversed(first_11), _WEIGHTS))
    remainder = total % 11
    return 0 if remainder <= 1 else 11 - remainder


def is_valid_my_number(digits: str) -> bool:
    """True when `digits` is 12 ASCII digits whose last one is the 個人番号 check digit.

    Args:
        digits: the candidate, digits only (no spaces or hyphens, ASCII "0"–"9").
    Returns:
        bool; False for any other length or character. The formula is in `check_digit`.
    """
    if len(digits) != MY_NUMBER_DIGITS or not (digits.isascii() and digits.isdigit()):
        return False
    return check_digit(digits[:11]) == int(digits[11])


def _fold_char(ch: str) -> str:
    category = unicodedata.category(ch)
    if category == "Cf":  # zero-width space and joiners, BOM, soft hyphen
        return ""
    if category == "Nd":  # full-width "１", Arabic-Indic, mathematical digits…
        return str(unicodedata.decimal(ch))
    if category == "Zs" or ch == "\u3000":
        return " "
    if "\uff01" <= ch <= "\uff5e":  # full-width ASCII punctuation
        return chr(ord(ch) - 0xFEE0)
    return ch


def _fold(text: str) -> str:
    """The text as a reader sees its numbers: see step 1 of the module docstring."""
    folded = "".join(_fold_char(ch) for ch in text)
    return _KANJI_RUN.sub(lambda m: "".join(_KANJI_DIGITS[c] for c in m.group()), folded)


@dataclass
class _Run:
    groups: list[str]
    kinds: list[str]  # kinds[i]: the separator between groups i and i + 1
    after_plus: bool


def _runs(text: str):
    """Digit groups joined by separators (step 2), as `_Run`s in text order."""
    run: _Run | None = None
    previous_end = 0
    for match in _DIGITS.finditer(text):
        gap = text[previous_end : match.start()]
        joined = _SEPARATOR.fullmatch(gap) if run is not None else None
        if joined is not None and gap:
            punctuation = joined.group(1)
            run.kinds.append(_PUNCTUATION_KINDS[punctuation] if punctuation else " ")
            run.groups.append(match.group())
        else:
            if run is not None:
                yield run
            run = _Run([match.group()], [], text[: match.start()].endswith("+"))
        previous_end = match.end()
    if run is not None:
        yield run


def _is_phone(groups: list[str], kinds: list[str], after_plus: bool) -> bool:
    digits = "".join(groups)
    if len(set(kinds)) > 1:  # one number is written with one kind of separator
        return False
    if after_plus:  # E.164: at most 15 digits after the "+"
        return len(digits) <= 15
    return (
        len(digits) in (10, 11)
        and digits[0] == "0"
        and digits[1] != "0"
        and (len(groups) == 1 or (2 <= len(groups[0]) <= 5 and len(groups[-1]) in (3, 4)))
    )


def _has_phone(run: _Run) -> bool:
    groups = run.groups
    return any(
        _is_phone(groups[i : i + size], run.kinds[i : i + size - 1], run.after_plus and i == 0)
        for i in range(len(groups))
        for size in range(1, min(4, len(groups) - i) + 1)
    )


def _has_date(groups: list[str]) -> bool:
    # A year 1900–2099 followed by a month 1–12 and a day 1–31.
    return any(
        len(y) == 4 and 1900 <= int(y) <= 2099 and len(m) <= 2 and 1 <= int(m) <= 12 and len(d) <= 2 and 1 <= int(d) <= 31
        for y, m, d in zip(groups, groups[1:], groups[2:])
    )


def _unit(run: _Run, start: int, end: int) -> str | None:
    """What groups[start:end] can be on their own: "my_number" (4-4-4), "phone",
    "date", "postcode" (〒123-4567) or None."""
    groups, kinds = run.groups[start:end], run.kinds[start : end - 1]
    if len(set(kinds)) > 1:
        return None
    if [len(g) for g in groups] == [4, 4, 4]:
        return "my_number"
    if _is_phone(groups, kinds, run.after_plus and start == 0):
        return "phone"
    if len(groups) == 3 and _has_date(groups):
        return "date"
    if [len(g) for g in groups] == [3, 4] and kinds == ["-"]:
        return "postcode"
    return None


def _segment(run: _Run) -> list[tuple[int, int]]:
    """The 4-4-4 numbers of the best reading of a longer run (step 4, last case).

    The run is split into telephone numbers, dates, postcodes, 4-4-4 numbers and
    single groups so that as many groups as possible belong to a number; on a
    tie, the reading with fewer 4-4-4 numbers wins (a phone next to a year is a
    phone, not a 個人番号). Returns (start, end) group indexes of the 4-4-4 numbers.
    """
    n = len(run.groups)
    # best[i]: (groups covered, groups covered by other numbers, 4-4-4 spans) for groups[:i]
    best: list[tuple[int, int, list]] = [(0, 0, [])]
    for end in range(1, n + 1):
        options = [best[end - 1]]
        for size in (1, 2, 3, 4):
            start = end - size
            kind = _unit(run, start, end) if start >= 0 else None
            if kind is not None:
                covered, other, spans = best[start]
                if kind == "my_number":
                    options.append((covered + size, other, [*spans, (start, end)]))
                else:
                    options.append((covered + size, other + size, spans))
        best.append(max(options, key=lambda o: (o[0], o[1])))
    return best[n][2]


def _candidates(run: _Run):
    """12-digit strings of one run worth checking (step 4)."""
    groups, kinds = run.groups, run.kinds
    for group in groups:
        if len(group) == MY_NUMBER_DIGITS:
            yield group
    if len(groups) < 2:
        return
    if sum(map(len, groups)) == MY_NUMBER_DIGITS:
        lengths = {len(g) for g in groups}
        if len(set(kinds)) == 1 and len(lengths) == 1 and not run.after_plus and not _has_phone(run) and not _has_date(groups):
            yield "".join(groups)
        return
    if [len(g) for g in groups] == [4, 4, 4, 4] and len(set(kinds)) == 1:
        return  # a 16-digit card number
    for start, end in _segment(run):
        yield "".join(groups[start:end])


def find_my_number(text: str) -> str | None:
    """The first マイナンバー-like number in `text`, or None (DESIGN.md §7).

    See the module docstring for how numbers are found; each candidate is checked
    with `is_valid_my_number`.

    Args:
        text: anything typed or imported: any width, separators, line breaks.
    Returns:
        the 12 ASCII digits of the first number that passes the check digit, or
        None. Callers must not log or show it.
    """
    for run in _runs(_fold(text or "")):
        for digits in _candidates(run):
            if is_valid_my_number(digits):
                return digits
    return None


def field_labels() -> dict[str, str]:
    """Japanese names of the guarded fields, keyed by the `field` callers pass."""
    return {
        "name": _("氏名"),
        "note": _("メモ"),
        "reason": _("理由"),
        "overbook_reason": _("定員を超える理由"),
        "email": _("メールアドレス"),
        "summary": _("相談内容"),
        "notes": _("内部メモ"),
        "os": _("OS・バージョン"),
        "outcome": _("対応結果"),
        "next_step": _("次にすること"),
        "referral_note": _("案内先の詳細"),
    }


def check_free_text(field: str, text: str, label: str | None = None) -> str:
    """Refuse text that holds a マイナンバー; return it unchanged otherwise.

    Every field that holds a resident's or volunteer's text goes through this
    before it is stored (DESIGN.md §7, 番号法 第20条).

    Args:
        field: the form field's code, carried by the error (e.g. "note").
        text: the text as typed.
        label: the field's name in the message; defaults to `field_labels()`.
    Returns:
        `text`, unchanged.
    Raises:
        MyNumberRejected (an `InvalidInput`): `find_my_number(text)` found one. The
            Japanese message names the field and what to do, and no digits, so it
            can be shown and logged safely.
    """
    if find_my_number(text) is not None:
        name = label or field_labels().get(field) or _("入力欄")
        raise MyNumberRejected(
            field,
            _(
                "「{field}」に、マイナンバー（個人番号）と思われる12桁の数字があります。"
                "マイナンバーは記録できません。その数字を消してから、もう一度保存してください。"
                "マイナンバーではない12桁の番号（免許証の番号など）は、一部を＊に置き換えれば保存できます。"
            ).format(field=name),
        )
    return text
