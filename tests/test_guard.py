"""The My Number guard (DESIGN.md §7, 番号法 第20条), checked with property tests.

The check digit is recomputed here from the ordinance's wording, independently of
`db.guard`: P_n is the n-th digit from the right of the first 11, Q_n = n + 1 for
n ≤ 6 and n − 5 for n ≥ 7, check = 11 − (Σ P_n·Q_n mod 11), 0 when the remainder ≤ 1.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from db.errors import InvalidInput
from db.guard import MyNumberRejected, check_digit, check_free_text, find_my_number, is_valid_my_number
from tests import notes

FULL_WIDTH = str.maketrans("0123456789 -", "０１２３４５６７８９\u3000－")
# Japanese text around a number: no digits, spaces or hyphens, so nothing joins the number.
JAPANESE = st.text(alphabet="あいうえおかきくけこアイウエオ漢字電話番号様。、：（）「」\n", max_size=20)


def reference_check_digit(first_11: str) -> int:
    total = 0
    for n in range(1, 12):
        p = int(first_11[11 - n])  # n-th digit counting from the right
        q = n + 1 if n <= 6 else n - 5
        total += p * q
    remainder = total % 11
    return 0 if remainder <= 1 else 11 - remainder


eleven_digits = st.text(alphabet="0123456789", min_size=11, max_size=11)


@st.composite
def my_numbers(draw) -> str:
    first = draw(eleven_digits)
    return first + str(reference_check_digit(first))


@st.composite
def wrong_check_numbers(draw) -> str:
    first = draw(eleven_digits)
    wrong = draw(st.integers(0, 9).filter(lambda d: d != reference_check_digit(first)))
    return first + str(wrong)


def grouped(number: str, separator: str) -> str:
    return separator.join((number[:4], number[4:8], number[8:]))


def test_known_examples():
    # Worked by hand: Σ P_n·Q_n = 212, 212 mod 11 = 3, 11 − 3 = 8.
    assert check_digit("12345678901") == 8
    assert is_valid_my_number("123456789018")
    assert not is_valid_my_number("123456789012")
    # Remainder 0 and 1 both give check digit 0.
    assert check_digit("00000000000") == 0
    assert is_valid_my_number("000000000000")
    # "00000000006": P_1 = 6, Q_1 = 2, Σ = 12, remainder 1 -> 0.
    assert check_digit("00000000006") == 0
    assert is_valid_my_number("000000000060")


def test_is_valid_refuses_other_shapes():
    for bad in ("", "12345678901", "1234567890188", "１２３４５６７８９０１８", "1234 5678 9018", "12345678901a"):
        assert not is_valid_my_number(bad)
    with pytest.raises(ValueError):
        check_digit("1234")


@given(eleven_digits)
def test_check_digit_matches_the_ordinance(first):
    assert check_digit(first) == reference_check_digit(first)


@given(my_numbers(), JAPANESE, JAPANESE)
def test_every_valid_number_is_rejected_plain_and_in_japanese_text(number, before, after):
    assert is_valid_my_number(number)
    for text in (number, f"{before}{number}{after}"):
        assert find_my_number(text) == number
        with pytest.raises(MyNumberRejected) as err:
            check_free_text("note", text)
        assert isinstance(err.value, InvalidInput)
        assert err.value.field == "note"
        assert number not in str(err.value)
        assert number[:4] not in str(err.value)
        assert "マイナンバー" in str(err.value)


@given(my_numbers(), JAPANESE, JAPANESE, st.sampled_from([" ", "-", "\u3000", "－", "ー", " - ", "−"]))
def test_valid_numbers_in_4_4_4_groups_and_full_width_are_rejected(number, before, after, separator):
    variants = [
        grouped(number, separator),
        number.translate(FULL_WIDTH),
        grouped(number, separator).translate(FULL_WIDTH),
        f"{before}{grouped(number, separator)}{after}",
        f"{before}{grouped(number, ' ').translate(FULL_WIDTH)}{after}",
    ]
    for text in variants:
        assert find_my_number(text) == number, text
        with pytest.raises(InvalidInput):
            check_free_text("needs", text)


@given(my_numbers(), st.sampled_from(["090-0000-1234", "03-0000-1234", "2026-12-03"]))
def test_valid_number_next_to_another_number_is_rejected(number, other):
    # The card prints 4-4-4; written next to a phone number the groups still stand out.
    # ("1234 5678 9012 2026-12-03" reads as a 16-digit card number: see db.guard.)
    if not other.startswith("2026"):
        assert find_my_number(f"{grouped(number, ' ')} {other}") == number
    assert find_my_number(f"{grouped(number, '-')} {other}") == number
    assert find_my_number(f"{other} {grouped(number, '-')}") == number
    assert find_my_number(f"電話{other}、番号{number}") == number


@given(wrong_check_numbers(), JAPANESE, JAPANESE)
def test_numbers_with_a_wrong_check_digit_are_accepted(number, before, after):
    for text in (number, grouped(number, " "), grouped(number, "-"), number.translate(FULL_WIDTH), f"{before}{number}{after}"):
        assert find_my_number(text) is None
        assert check_free_text("note", text) == text


@given(st.text(alphabet="0123456789", min_size=13, max_size=30), JAPANESE, JAPANESE)
def test_runs_of_13_or_more_digits_are_accepted(digits, before, after):
    text = f"{before}{digits}{after}"
    assert find_my_number(text) is None
    assert check_free_text("note", text) == text
    assert find_my_number(digits.translate(FULL_WIDTH)) is None


@given(st.text(alphabet="0123456789", min_size=1, max_size=11), JAPANESE)
def test_runs_of_11_or_fewer_digits_are_accepted(digits, after):
    assert find_my_number(f"{digits}{after}") is None


@given(st.text(alphabet="0123456789", min_size=4, max_size=4), st.text(alphabet="0123456789", min_size=4, max_size=4))
def test_phone_numbers_and_dates_are_accepted(a, b):
    texts = [
        f"090-{a}-{b}",
        f"０９０－{a}－{b}".translate(FULL_WIDTH),
        f"携帯 090-{a}-{b}、自宅 03-{a}-{b}",
        f"03-{a}-{b} 090-0000-{b}",
        "令和8年12月3日 10:00〜11:30",
        "2026-12-03 10:00",
        "2026年12月3日に来館。次回は2027/01/14。",
    ]
    for text in texts:
        assert find_my_number(text) is None, text
        assert check_free_text("note", text) == text


@given(my_numbers(), st.text(alphabet="0123456789", min_size=4, max_size=4))
def test_a_16_digit_card_number_in_groups_is_not_a_my_number(number, last):
    # Four 4-digit groups are a payment-card shape, a longer run than 12 digits.
    text = f"{grouped(number, ' ')} {last}"
    assert find_my_number(text) is None


@given(st.text(max_size=200))
def test_any_text_without_a_valid_number_comes_back_unchanged(text):
    assume(find_my_number(text) is None)
    assert check_free_text("note", text) is text


def test_empty_and_plain_text():
    assert find_my_number("") is None
    assert check_free_text("note", "") == ""
    assert check_free_text("needs", "大きな文字、補聴器") == "大きな文字、補聴器"


def test_every_free_text_field_refuses_a_my_number_and_stores_nothing(database, make_session, centre):
    """The guard is wired into each free-text field that exists so far."""
    from db import attendees, bookings, sessions, venues
    from tests.conftest import ADMIN, STAFF, at, working_day

    my_number = "12345678901" + str(check_digit("12345678901"))
    text = f"本人確認 {my_number[:4]} {my_number[4:8]} {my_number[8:]}"
    day = working_day(30)
    with pytest.raises(MyNumberRejected):
        sessions.create_session(database, STAFF, "line-basics", centre[1], at(day, 10), at(day, 11), 4, text)
    assert database["sessions"].count == 0
    session_id = make_session()
    person = attendees.register_attendee(database, STAFF, "確認 太郎", "カクニン タロウ", "090-0000-0001", True)
    booking = bookings.book(database, STAFF, session_id, person)
    with pytest.raises(MyNumberRejected):
        bookings.cancel_booking(database, STAFF, booking, text)
    assert database["bookings"].get(booking)["status"] == "booked"
    with pytest.raises(MyNumberRejected):
        venues.add_closure(database, ADMIN, centre[0], working_day(60), text)
    assert database["closures"].count == 0
    raw = " ".join(str(r) for r in database.execute("select * from audit_log").fetchall())
    assert my_number not in raw


# --- issue 13: every layout a person can type, and no false alarms ---------------

KANJI = str.maketrans("0123456789", "〇一二三四五六七八九")
# Between the card's 4-digit groups: blanks, line breaks, punctuation of every kind,
# full-width forms, and invisible characters.
SEPARATORS = [
    "", " ", "  ", "\t", "\n", "\r\n", "\n\n", "\u3000", "-", " - ", "－", "ー", "−", "‐", "–", "—", ".", "．", "・",
    "/", "／", "_", "＿", ",", "，", "、", "|", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "-\n",
]
AROUND = st.sampled_from(["", "本人確認 ", "番号は", "山田 ", "メモ：\n", "カード見ながら読み上げ→", "090-0000-1234 ", "〒100-0001 "])
AFTER = st.sampled_from(["", " です", "。", "\n以上", " 090-0000-1234", "（確認済み）", " 7名", " 2026/12/03"])


def layouts(number: str, separator: str) -> list[str]:
    a, b, c = number[:4], number[4:8], number[8:]
    return [
        f"{a}{separator}{b}{separator}{c}",
        f"{a}{separator}{b}{separator}{c}".translate(FULL_WIDTH),
        f"{a}{separator}{b}{separator}{c}".translate(KANJI),
    ]


@given(my_numbers(), st.sampled_from(SEPARATORS), AROUND, AFTER)
@settings(max_examples=400)
def test_a_my_number_is_found_in_any_layout(number, separator, before, after):
    for layout in layouts(number, separator):
        text = f"{before}{layout}{after}"
        assert find_my_number(text) == number, repr(text)


@given(my_numbers(), st.sampled_from([" ", "-", "\n", ".", "/", "、"]))
def test_other_even_groupings_are_found(number, separator):
    for size in (6, 3, 2, 1):
        text = separator.join(number[i : i + size] for i in range(0, 12, size))
        assert find_my_number(f"番号 {text} です") == number, repr(text)


def test_the_reproducers_of_issue_13_are_refused():
    for text in (
        "1234.5678.9018", "1234/5678/9018", "1234_5678_9018", "1234,5678,9018", "1234\u200b5678\u200b9018",
        "一二三四五六七八九〇一八", "一二三四 五六七八 九〇一八", "メモ\n1234\n5678\n9018\n以上", "山田 123456789018",
    ):
        with pytest.raises(MyNumberRejected):
            check_free_text("note", text)


@given(st.text(alphabet="0123456789", min_size=4, max_size=4), st.text(alphabet="0123456789", min_size=4, max_size=4),
       st.integers(0, 23), st.integers(1, 40), st.sampled_from(["03", "06", "090", "080", "050"]))
def test_a_phone_next_to_a_count_or_time_is_a_note(a, b, hour, count, prefix):
    # Each of these joins to 12 digits; 1 in 10 passed the check digit before.
    for text in (
        f"折り返し 03-{a}-{b} {hour}時",
        f"{prefix}-{a}-{b} {count}名" if prefix.startswith("0") and len(prefix) == 3 else f"03-{a}-{b} {count:02d}人",
        f"{prefix} {a} {b} {count:02d}",
        f"{prefix}{a}{b} {hour:02d}時",
        f"{prefix}-{a}-{b}\n{count:02d}名",
        f"2026 07 01 {hour:02d} {count % 60:02d}",
        f"2026 {count % 12 + 1:02d} {count % 28 + 1:02d} {hour:02d} 00",
        f"{prefix}-{a}-{b} {a}年",
        f"①{prefix}-{a}-{b} ②03-{b}-{a}",
    ):
        assert find_my_number(text) is None, text


@given(st.integers(0, 2**64))
@settings(max_examples=30, deadline=None)
def test_false_positive_rate_on_realistic_notes_is_at_most_one_in_a_thousand(seed):
    rng = random.Random(seed)
    batch = [notes.note(rng) for _ in range(1000)]
    refused = [text for text in batch if find_my_number(text) is not None]
    assert len(refused) <= 1, refused


def test_false_positive_rate_on_a_corpus_of_20_000_notes():
    rng = random.Random(20261201)
    refused = sum(find_my_number(notes.note(rng)) is not None for _ in range(20_000))
    # Measured: 0 of 20,000 here, 1 in 200,000 over other seeds; the bar of issue 13 is 0.1 %.
    assert refused <= 20


def test_the_refusal_names_the_field_and_what_to_do():
    with pytest.raises(MyNumberRejected) as err:
        check_free_text("overbook_reason", "1234 5678 9018")
    message = str(err.value)
    assert "「定員を超える理由」" in message and "消してから" in message and "＊" in message
    assert "9018" not in message
    with pytest.raises(MyNumberRejected) as err:
        check_free_text("x", "1234-5678-9018", label="備考")
    assert "「備考」" in str(err.value)


def test_names_are_guarded_for_attendees_volunteers_and_imports(database):
    from db import attendees, importer, volunteers
    from tests.conftest import STAFF

    name = "山田 123456789018"
    with pytest.raises(MyNumberRejected) as err:
        attendees.register_attendee(database, STAFF, name, "ヤマダ", "090-0000-0001", True)
    assert "「氏名」" in str(err.value)
    person = attendees.register_attendee(database, STAFF, "山田 花子", "ヤマダ", "090-0000-0001", True)
    with pytest.raises(MyNumberRejected):
        attendees.update_attendee(database, STAFF, person, name="山田 1234 5678 9018")
    with pytest.raises(MyNumberRejected):
        volunteers.register_volunteer(database, STAFF, name, "ヤマダ", "090-0000-0002", "promoter", [])
    with pytest.raises(MyNumberRejected):
        volunteers.register_volunteer(database, STAFF, "山田 一郎", "ヤマダ", "090-0000-0002", "promoter", [], email="123456789018@example.jp")
    csv = "氏名,フリガナ,電話番号\r\n山田 123456789018,ヤマダ,090-0000-0003\r\n".encode()
    preview = importer.preview(database, STAFF, "名簿.csv", csv)
    assert "氏名" in preview.rows[0].error and "マイナンバー" in preview.rows[0].error
    with pytest.raises(importer.ImportRefused):
        importer.import_attendees(database, STAFF, "名簿.csv", csv, True)
    assert database["attendees"].count == 1 and database["volunteers"].count == 0
    assert database["attendees"].get(person)["name"] == "山田\u3000花子"
