"""Phone and フリガナ normalisers: what staff type at the phone."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from db.errors import InvalidInput
from db.text import kana_key, normalise_kana, normalise_name, normalise_phone, to_search_digits


@pytest.mark.parametrize(
    "typed",
    ["09000001234", "090-0000-1234", "０９０－００００－１２３４", "090 0000 1234", "+81 90-0000-1234", "(090)0000-1234"],
)
def test_mobile_numbers_in_any_form_format_the_same(typed):
    assert normalise_phone(typed) == ("090-0000-1234", "09000001234")


def test_landline_keeps_its_area_code_grouping():
    assert normalise_phone("0467000000")[0] == "0467-00-0000"
    assert normalise_phone("０３００００００００")[0] == "03-0000-0000"


@pytest.mark.parametrize(
    "typed",
    ["", "   ", "1234", "090-0000-12345", "abc", "+1 415 555 0100", "0", "080-0000-0000x", "090-0000-1234 内線12", "090-0000-1234#"],
)
def test_impossible_numbers_are_refused_in_japanese(typed):
    with pytest.raises(InvalidInput) as err:
        normalise_phone(typed)
    assert "電話番号" in str(err.value)


def test_kana_key_folds_width_script_and_spaces():
    assert kana_key("やまだ はなこ") == kana_key("ﾔﾏﾀﾞ ﾊﾅｺ") == kana_key("ヤマダ　ハナコ") == "ヤマダハナコ"


def test_kana_is_stored_as_full_width_katakana():
    assert normalise_kana("ﾔﾏﾀﾞ  ﾊﾅｺ") == "ヤマダ\u3000ハナコ"
    assert normalise_kana("すずき いちろう") == "スズキ\u3000イチロウ"


@pytest.mark.parametrize("typed", ["", "山田", "yamada", "ヤマダ1"])
def test_kana_refuses_non_kana(typed):
    with pytest.raises(InvalidInput):
        normalise_kana(typed)


def test_name_keeps_what_was_typed_except_width():
    # Issue 13: NFKC turned ① into 1. Only widths are folded now.
    assert normalise_name("山田①") == "山田①"
    assert normalise_name("㈱みどり 髙橋") == "㈱みどり\u3000髙橋"
    assert normalise_name("Ｔａｒｏ　ﾔﾏﾀﾞ") == "Taro\u3000ヤマダ"
    assert normalise_name("か\u3099んも") == "がんも"


@given(st.text(max_size=50))
def test_normalise_name_is_idempotent(text):
    try:
        once = normalise_name(text)
    except InvalidInput:
        return
    assert normalise_name(once) == once


def test_name_is_trimmed_and_length_checked():
    assert normalise_name("  山田   花子 ") == "山田\u3000花子"
    with pytest.raises(InvalidInput):
        normalise_name("")
    with pytest.raises(InvalidInput):
        normalise_name("あ" * 41)


kana_text = st.text(alphabet=st.sampled_from("あいうえおかきゃっーアイウエオｱｲｳｴｵﾞﾟ 　"), max_size=20)


@given(kana_text)
def test_kana_key_is_idempotent(text):
    assert kana_key(kana_key(text)) == kana_key(text)


@given(kana_text)
def test_normalise_kana_is_idempotent_when_accepted(text):
    try:
        once = normalise_kana(text)
    except InvalidInput:
        return
    assert normalise_kana(once) == once


@given(st.from_regex(r"0[1-9]0[0-9]{8}", fullmatch=True))
def test_normalise_phone_is_idempotent(number):
    try:
        formatted, digits = normalise_phone(number)
    except InvalidInput:
        return
    assert normalise_phone(formatted) == (formatted, digits)
    assert to_search_digits(formatted) == digits == number
