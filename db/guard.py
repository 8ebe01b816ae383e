"""The My Number guard: free text must never carry a 個人番号 (DESIGN.md §7).

Centres may not collect or keep residents' マイナンバー outside the procedures the
law lists (行政手続における特定の個人を識別するための番号の利用等に関する法律
（番号法）第20条). Staff type notes while a resident reads numbers off a card, so
every free-text field (notes, needs, ticket text) passes through `check_free_text`
before it is stored; a text holding a number that passes the check digit is
refused and nothing is written.

What counts as "a 12-digit number" in free text (`find_my_number`):

- Text is folded with NFKC first, so full-width digits ("１２３４") and full-width
  spaces and hyphens count as their ASCII forms.
- A *number* is digit groups joined by one separator each: spaces or tabs, or a
  hyphen (any of - ‐ ‑ ‒ – — ― − ー) with optional spaces around it. Its digits are
  the groups run together.
- A number of exactly 12 digits is checked, however it is grouped
  ("123456789012", "1234 5678 9012", "1234-5678-9012", "123456-789012").
- Inside a longer number, three 4-digit groups joined by the same kind of
  separator ("1234 5678 9012", the way the card prints it) are checked too, unless
  a fourth 4-digit group continues the pattern (a 16-digit card number
  "1234 5678 9012 3456" is not a 個人番号). This catches a 個人番号 written next
  to a phone number: "1234 5678 9012 090-0000-1234".
- Any other 12 digits inside a longer run do not count: "1234567890123" (13
  digits) and an 11-digit phone number are ordinary numbers.
"""

from __future__ import annotations

import re
import unicodedata

from db.errors import InvalidInput
from locales import _

# Hyphen look-alikes people type between digit groups, after NFKC ("－" is "-" by then);
# "ー" (長音符) is what a Japanese IME often gives for "-".
_HYPHENS = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc"
_BLANK = "[ \t]"
_SEPARATOR = f"(?:{_BLANK}*[{_HYPHENS}]{_BLANK}*|{_BLANK}+)"
_NUMBER = re.compile(rf"\d+(?:{_SEPARATOR}\d+)*")
_GROUP = re.compile(r"\d+")

MY_NUMBER_DIGITS = 12

# 番号法施行令 第8条 / 総務省令第85号 第5条: weights Q_n for P_n, the n-th of the 11
# digits counted from the right (n = 1 is the digit just left of the check digit).
_WEIGHTS = tuple(n + 1 if n <= 6 else n - 5 for n in range(1, 12))


class MyNumberRejected(InvalidInput):
    """A free-text field holds what looks like a マイナンバー (DESIGN.md §5, §7).

    An `InvalidInput`, so forms show it next to the field like any refused value.
    The message never contains the number.
    """


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


def _fold(text: str) -> str:
    # NFKC folds full-width forms; other scripts' decimal digits become ASCII too.
    folded = unicodedata.normalize("NFKC", text)
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() and not ch.isascii() else ch for ch in folded)


def _separator_kind(separator: str) -> str:
    return "-" if any(ch in _HYPHENS for ch in separator) else " "


def _candidates(number: str):
    groups = [(m.group(), m.start(), m.end()) for m in _GROUP.finditer(number)]
    digits = [g[0] for g in groups]
    if sum(len(d) for d in digits) == MY_NUMBER_DIGITS:
        yield "".join(digits)
        return
    kinds = [_separator_kind(number[a[2] : b[1]]) for a, b in zip(groups, groups[1:])]

    def four_joined(i: int, kind: str) -> bool:
        # Group i and group i + 1 are both 4 digits, joined by `kind`.
        return 0 <= i and i + 1 < len(digits) and len(digits[i]) == len(digits[i + 1]) == 4 and kinds[i] == kind

    for i in range(len(digits) - 2):
        kind = kinds[i]
        if four_joined(i, kind) and four_joined(i + 1, kind):
            if not four_joined(i - 1, kind) and not four_joined(i + 2, kind):
                yield "".join(digits[i : i + 3])


def find_my_number(text: str) -> str | None:
    """The first マイナンバー-like number in `text`, or None (DESIGN.md §7).

    See the module docstring for what counts as a 12-digit number; each one is
    checked with `is_valid_my_number`.

    Args:
        text: any free text, full-width digits and spaces allowed.
    Returns:
        the 12 ASCII digits of the first number that passes the check digit, or
        None. Callers must not log or show it.
    """
    for match in _NUMBER.finditer(_fold(text)):
        for digits in _candidates(match.group()):
            if is_valid_my_number(digits):
                return digits
    return None


def check_free_text(field: str, text: str) -> str:
    """Refuse free text that holds a マイナンバー; return it unchanged otherwise.

    Every free-text field goes through this before it is stored (DESIGN.md §7,
    番号法 第20条).

    Args:
        field: the form field's name, carried by the error (e.g. "note").
        text: the text as typed.
    Returns:
        `text`, unchanged.
    Raises:
        MyNumberRejected (an `InvalidInput`): `find_my_number(text)` found one. The
            Japanese message names no digits, so it can be shown and logged safely.
    """
    if find_my_number(text) is not None:
        raise MyNumberRejected(
            field,
            _(
                "マイナンバー（個人番号）と思われる12桁の数字が含まれています。"
                "マイナンバーは記録できません。数字を消してから保存してください。"
            ),
        )
    return text
