"""CSV export for Japanese Excel: BOM, CRLF, round trip and formula injection."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from printouts.csv_export import FORMULA_STARTS, to_csv

HEADER = ["氏名", "フリガナ", "電話番号", "回数", "メモ"]


def read_back(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_bom_crlf_and_japanese_round_trip():
    rows = [
        ["山田 花子", "ヤマダ ハナコ", "090-0000-1234", 3, "大きな文字"],
        ["佐藤 一郎", "サトウ イチロウ", "03-0000-5678", 0, "改行を\n含むメモ、「かぎかっこ」と\"引用\""],
    ]
    data = to_csv(HEADER, rows)
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") == 3
    assert data.endswith(b"\r\n")
    assert b"\r\n" not in data.replace(b"\r\n", b"")  # no bare CR
    assert read_back(data) == [HEADER, *[[str(v) for v in row] for row in rows]]
    # Phone numbers start with 0: kept as text, not turned into numbers or formulas.
    assert read_back(data)[1][2] == "090-0000-1234"


@pytest.mark.parametrize(
    "cell",
    [
        "=1+1",
        "=HYPERLINK(\"https://example.invalid\",\"click\")",
        "+81 90 0000 1234",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1",
        "\r=1",
        "＝１＋１",
        "＋１",
        "－１",
        "＠SUM(A1)",
    ],
)
def test_formula_starts_get_an_apostrophe(cell):
    (row,) = read_back(to_csv(["メモ"], [[cell]]))[1:]
    assert row == ["'" + cell]


def test_numbers_stay_numbers_even_negative():
    data = to_csv(["a", "b", "c", "d", "e", "f"], [[-3, -2.5, Decimal("-1.25"), 0, None, "-3"]])
    assert read_back(data)[1] == ["-3", "-2.5", "-1.25", "0", "", "'-3"]


def test_other_values_are_text():
    data = to_csv(["日付", "真偽"], [[date(2026, 12, 3), True]])
    assert read_back(data)[1] == ["2026-12-03", "True"]


def test_header_is_neutralised_too():
    assert read_back(to_csv(["=cmd"], []))[0] == ["'=cmd"]


def test_row_length_must_match_header():
    with pytest.raises(ValueError, match="row 2"):
        to_csv(["a", "b"], [["1", "2"], ["1"]])


cells = st.one_of(st.text(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), st.none())


@given(st.lists(st.lists(cells, min_size=3, max_size=3), max_size=8))
def test_any_table_round_trips_and_no_text_cell_starts_a_formula(rows):
    back = read_back(to_csv(["a", "b", "c"], rows))
    assert len(back) == len(rows) + 1
    for row, read in zip(rows, back[1:]):
        for value, text in zip(row, read):
            if value is None:
                assert text == ""
            elif isinstance(value, (int, float)):
                assert text == str(value)
            else:
                # csv reads CRLF inside a quoted field back as written.
                assert not text.startswith(FORMULA_STARTS)
                assert text in (value, "'" + value)
