"""Normalisers and validators for what people type: phone numbers, フリガナ, names.

Residents are identified by phone and フリガナ (DESIGN.md §7), typed by staff in a
hurry: full- or half-width digits, hyphens of every kind, hiragana or katakana.
Every function here is idempotent (normalising twice changes nothing).
"""

from __future__ import annotations

import re
import unicodedata

import jaconv
import phonenumbers

from db.errors import InvalidInput
from db.guard import check_free_text
from locales import _

# Katakana, the prolonged sound mark and the middle dot; spaces are removed first.
_KATAKANA = re.compile(r"^[\u30A1-\u30FA\u30FC\u30FB]+$")
_SPACES = re.compile(r"[\s\u3000]+")
NAME_MAX = 40
# What may stand in a phone number besides digits, after NFKC: blanks, hyphens of
# every kind, parentheses, dots and a leading "+". A letter ("080-0000-0000x", an
# extension) or any other sign is refused rather than dropped.
_PHONE_TEXT = re.compile(r"\+?[0-9\s\-\u2010-\u2015\u2212\u30fc().]+")
# A kana followed by a combining (semi-)voiced mark, as some systems send "が".
_DECOMPOSED_KANA = re.compile("[\u3040-\u30ff][\u3099\u309a]")


def to_search_digits(text: str) -> str:
    """Only the ASCII digits of `text`, after folding full-width digits ("０９０" → "090")."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isdigit() and ch.isascii())


def normalise_phone(raw: str) -> tuple[str, str]:
    """Validate a Japanese phone number and format it the national way.

    Args:
        raw: as typed: "09000001234", "０９０－００００－１２３４", "090 0000 1234",
            "+81 90-0000-1234".
    Returns:
        (formatted, digits): ("090-0000-1234", "09000001234").
    Raises:
        InvalidInput: not a possible Japanese number (10 digits for landlines, 11 for
            mobiles, per the numbering plan phonenumbers carries). Unallocated
            ranges such as the fictional 090-0000-xxxx are accepted on purpose.
    """
    text = unicodedata.normalize("NFKC", raw or "").strip()
    if not text:
        raise InvalidInput("phone", _("電話番号を入力してください。"))
    if not _PHONE_TEXT.fullmatch(text):
        raise InvalidInput("phone", _("電話番号には数字とハイフンだけを入れてください。例：090-1234-5678"))
    try:
        number = phonenumbers.parse(text, "JP")
    except phonenumbers.NumberParseException:
        raise InvalidInput("phone", _("電話番号の形が正しくありません。例：090-1234-5678")) from None
    # Japanese numbers are 10 or 11 digits with the leading 0 (9 or 10 without).
    if (
        number.country_code != 81
        or len(str(number.national_number)) not in (9, 10)
        or not phonenumbers.is_possible_number(number)
    ):
        raise InvalidInput("phone", _("電話番号の形が正しくありません。例：090-1234-5678"))
    formatted = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    digits = to_search_digits(formatted)
    typed = to_search_digits(text)
    # "010…" is the international call prefix, not a Japanese number: the digits
    # typed must survive formatting unchanged.
    if typed.startswith("0") and typed != digits:
        raise InvalidInput("phone", _("電話番号の形が正しくありません。例：090-1234-5678"))
    return formatted, digits


def kana_key(text: str) -> str:
    """A search key for フリガナ: full-width katakana with no spaces.

    "やまだ はなこ", "ﾔﾏﾀﾞ ﾊﾅｺ" and "ヤマダ　ハナコ" all give "ヤマダハナコ".
    """
    # Spaces go first so a stray voiced mark cannot combine differently on a second pass.
    compact = _SPACES.sub("", unicodedata.normalize("NFKC", text or ""))
    folded = jaconv.h2z(compact, kana=True, digit=False, ascii=False)
    return unicodedata.normalize("NFKC", jaconv.hira2kata(folded))


def normalise_kana(raw: str) -> str:
    """Validate フリガナ and return it in full-width katakana, spaces collapsed to one.

    Raises:
        InvalidInput: empty, too long, or not kana.
    """
    text = jaconv.hira2kata(jaconv.h2z(unicodedata.normalize("NFKC", raw or ""), kana=True))
    text = _SPACES.sub("\u3000", text).strip("\u3000 ")
    if not text:
        raise InvalidInput("name_kana", _("フリガナを入力してください。"))
    if len(text) > NAME_MAX or not _KATAKANA.match(text.replace("\u3000", "")):
        raise InvalidInput("name_kana", _("フリガナはカタカナかひらがなで入力してください。"))
    return text


def normalise_name(raw: str, field: str = "name") -> str:
    """Validate a person's name: trimmed, spaces collapsed, 1–40 characters.

    Only widths are folded (full-width Latin letters and digits to half-width,
    half-width katakana to full-width); every other character stays as typed, so
    「山田①」 and 「髙橋」 keep their ① and 髙 (NFKC would turn ① into 1).

    Raises:
        InvalidInput: empty or too long.
        MyNumberRejected: the name holds a マイナンバー (DESIGN.md §7).
    """
    text = jaconv.z2h(raw or "", kana=False, ascii=True, digit=True)
    text = jaconv.h2z(text, kana=True, ascii=False, digit=False)
    text = _DECOMPOSED_KANA.sub(lambda m: unicodedata.normalize("NFC", m.group()), text)
    text = _SPACES.sub("\u3000", text.strip())
    if not text:
        raise InvalidInput(field, _("氏名を入力してください。"))
    if len(text) > NAME_MAX:
        raise InvalidInput(field, _("氏名は40文字以内で入力してください。"))
    return check_free_text(field, text, _("氏名"))
