"""Fuzzing the import, the My Number guard and the normalisers (issue 13 acceptance).

More than 5,000 generated inputs in all: 2,000 texts through the guard, 1,600
through the normalisers and `plain.md`, 1,500 CSV files and 200 Excel files
through preview and import. Nothing may crash (only the domain's own refusals are
raised) and nothing may be written in part: a refused import leaves the attendee
and audit counts as they were, an accepted one adds exactly what it reports.
"""

from __future__ import annotations

import io

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import db
from db import importer
from db.errors import InvalidInput
from db.guard import MyNumberRejected, check_free_text, find_my_number
from db.text import kana_key, normalise_kana, normalise_name, normalise_phone
from tests.conftest import STAFF
from ui import plain

# Digits of every width and script, separators of every kind, kanji numerals,
# invisible characters, kana, Markdown and line breaks.
ALPHABET = st.sampled_from(
    list("0123456789０１２３４５６７８９٣〇○一二三四五六七八九 　-‐ー−－.．・/_,、|:：+()（）\n\r\t")
    + ["\u200b", "\u200d", "\ufeff", "\u00ad", "①", "²", "山", "田", "ヤ", "ﾀ", "ﾞ", "ａ", "x", "#", "*", "[", "]", "=", "@", "'"]
)
FUZZ_TEXT = st.text(alphabet=ALPHABET, max_size=60) | st.text(max_size=60)
LIMITS = settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@given(FUZZ_TEXT)
@LIMITS
def test_the_guard_never_crashes_and_refuses_exactly_what_it_finds(text):
    found = find_my_number(text)
    assert found is None or (len(found) == 12 and found.isdigit())
    if found is None:
        assert check_free_text("note", text) is text
    else:
        with pytest.raises(MyNumberRejected):
            check_free_text("note", text)


@given(FUZZ_TEXT)
@settings(max_examples=1600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_normalisers_only_ever_refuse_with_a_message(text):
    for normalise in (normalise_phone, normalise_name, normalise_kana, importer.normalise_age_band,
                      importer.normalise_device, importer.normalise_needs):
        try:
            once = normalise(text)
        except InvalidInput as err:
            assert str(err)
            continue
        if normalise in (normalise_name, normalise_kana, importer.normalise_age_band, importer.normalise_device):
            assert normalise(once) == once
    assert kana_key(kana_key(text)) == kana_key(text)
    assert isinstance(plain.md(text), str)


@pytest.fixture(scope="module")
def fuzz_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzz") / "desk.sqlite3"
    db.init_db(path)
    with db.connect(path) as handle:
        yield handle


HEADERS = ["氏名", "フリガナ", "電話番号", "年代", "機種", "配慮", "メモ", "同意日", "住所", "ふりがな", "TEL", ""]
CELL = st.one_of(
    FUZZ_TEXT,
    st.sampled_from(["山田 花子", "ヤマダ ハナコ", "090-0000-1234", "9000001234", "75", "70代", "iPhone", "大きな文字",
                     "令和8年4月1日", "2026/4/1", "=1+1", "'=SUM(A1)", "1234 5678 9018", ""]),
)
ROWS = st.lists(st.lists(CELL, min_size=0, max_size=9), min_size=0, max_size=6)


def counts(handle) -> tuple[int, int]:
    return handle["attendees"].count, handle["audit_log"].count


def try_import(handle, filename: str, data: bytes) -> None:
    before = counts(handle)
    try:
        importer.preview(handle, STAFF, filename, data)
    except importer.ImportRefused:
        pass
    try:
        result = importer.import_attendees(handle, STAFF, filename, data, True)
    except InvalidInput:
        assert counts(handle) == before  # nothing written in part
        return
    attendees_after, audit_after = counts(handle)
    assert (attendees_after, audit_after) == (before[0] + result.imported, before[1] + 1)


@given(st.lists(st.sampled_from(HEADERS), min_size=0, max_size=9), ROWS, st.sampled_from(["utf-8-sig", "utf-8", "cp932", "raw"]),
       st.binary(max_size=200))
@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_csv_imports_never_crash_or_write_in_part(fuzz_db, header, rows, encoding, noise):
    import csv

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for line in [header, *rows]:
        writer.writerow(line)
    text = out.getvalue()
    if encoding == "raw":
        data = noise + text.encode("utf-8", "surrogatepass")[:100]
    else:
        data = text.encode(encoding, errors="replace")
    try_import(fuzz_db, "fuzz.csv", data)


@given(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=8), ROWS, st.booleans())
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_excel_imports_never_crash_or_write_in_part(fuzz_db, header, rows, formulas):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        cells = ["".join(ch for ch in str(c) if ch.isprintable() or ch == "\n") for c in row]
        if formulas and cells:
            cells[0] = "=1+1"
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    try_import(fuzz_db, "fuzz.xlsx", out.getvalue())
