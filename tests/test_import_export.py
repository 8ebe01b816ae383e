"""Attendee import from real-shaped spreadsheets, and CSV export for Japanese Excel.

Every file here is built the way Excel writes it: cp932 with CRLF for 「CSV（コンマ
区切り）」, UTF-8 with BOM for 「CSV UTF-8」, and an .xlsx with typed cells. All names
and phone numbers are invented (090-0000-xxxx).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile
from datetime import date, datetime

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from db import attendees, bookings, exports, importer
from db.attendees import AGE_BANDS, DEVICES
from db.clock import today_jst
from db.errors import InvalidInput
from db.importer import ImportRefused, import_attendees, normalise_age_band, normalise_device, normalise_needs, preview
from printouts import csv_export
from printouts.csv_export import to_csv
from tests.conftest import STAFF

HEADER = "氏名,フリガナ,電話番号,年代,機種,配慮,メモ,同意日"


def excel_csv(lines: list[str]) -> bytes:
    """A CSV as Japanese Excel saves 「CSV（コンマ区切り）」: cp932, CRLF after every line."""
    return "".join(line + "\r\n" for line in lines).encode("cp932")


def bom_csv(lines: list[str]) -> bytes:
    """A CSV as Excel saves 「CSV UTF-8（コンマ区切り）」: BOM, CRLF."""
    return b"\xef\xbb\xbf" + "".join(line + "\r\n" for line in lines).encode("utf-8")


def xlsx(rows: list[list], extra_sheet: bool = True) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "受講者"
    for row in rows:
        sheet.append(row)
    if extra_sheet:  # only the first sheet is read
        book.create_sheet("メモ").append(["これは読まれない", "x", "y"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def stored(database) -> list[dict]:
    return list(database.query("select * from attendees where anonymised_at is null order by id"))


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


# ---------------------------------------------------------------- real-shaped files


def test_cp932_csv_as_excel_saves_it(database):
    data = excel_csv([
        HEADER,
        "山田　花子,やまだ　はなこ,０９０－００００－１２３４,７０代,アイフォン,大きな文字・聞こえ,杖を使っています,令和8年4月1日",
        "ｻﾄｳ ｲﾁﾛｳ,ｻﾄｳ ｲﾁﾛｳ,090-0000-1235,～59,ガラケー,,,2026/5/10",
        "鈴木 ハル,スズキ ハル,09000001236,９０歳以上,持っていない,歩行・車いす、日本語以外,,",
        ",,,,,,,",  # Excel keeps a formatted blank row as empty cells
    ])
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # really Shift_JIS, not UTF-8 by accident
    assert data.count(b"\r\n") == 5

    result = import_attendees(database, STAFF, "受講者名簿.csv", data, consent_confirmed=True)

    assert (result.imported, result.skipped) == (3, 0)
    rows = stored(database)
    assert [(r["name"], r["name_kana"], r["phone"], r["age_band"], r["device"]) for r in rows] == [
        ("山田　花子", "ヤマダ　ハナコ", "090-0000-1234", "70代", "iPhone"),
        ("サトウ　イチロウ", "サトウ　イチロウ", "090-0000-1235", "〜59", "携帯電話"),
        ("鈴木　ハル", "スズキ　ハル", "090-0000-1236", "90代〜", "なし"),
    ]
    assert [json.loads(r["needs"]) for r in rows] == [["大きな文字", "聞こえ"], [], ["歩行・車いす", "日本語以外"]]
    assert [r["consent_on"] for r in rows] == ["2026-04-01", "2026-05-10", today_jst().isoformat()]
    assert rows[0]["note"] == "杖を使っています"


def test_utf8_bom_csv_with_header_variants(database):
    data = bom_csv([
        "お名前, ふりがな ,ＴＥＬ,年齢,スマホ,必要な配慮,備考,同意日（必須）,住所",
        "高橋 一郎,タカハシ イチロウ,090-0000-2001,75,android,,2回目の参加,2026-03-15,テスト市1-1",
        "\"伊藤 ミチ\",イトウ ミチ,090-0000-2002,70歳代,らくらくスマホ,\"大きな文字,聞こえ\",\"改行を\n含むメモ\",2026年2月1日,",
    ])
    check = preview(database, STAFF, "名簿.csv", data)
    assert check.ok
    assert check.columns["phone"] == "ＴＥＬ" and check.columns["consent_on"] == "同意日（必須）"
    assert check.ignored_columns == ["住所"]  # addresses are not kept
    assert [r.line for r in check.rows] == [2, 3]

    import_attendees(database, STAFF, "名簿.csv", data, True)
    rows = stored(database)
    assert [(r["age_band"], r["device"], r["consent_on"]) for r in rows] == [
        ("70代", "Android", "2026-03-15"),
        ("70代", "らくらくスマホ", "2026-02-01"),
    ]
    assert rows[1]["note"] == "改行を\n含むメモ"


def test_xlsx_with_date_cells_and_phones_that_lost_their_leading_zero(database):
    data = xlsx([
        ["名前", "カナ", "携帯", "年代", "端末", "配慮", "メモ", "同意日"],
        ["中村 トメ", "なかむら とめ", 9000003001, 82, "iPhone 15", None, None, datetime(2026, 4, 20)],
        ["小林 正", "コバヤシ タダシ", 300000000, "６０代", "AQUOS sense8", "難聴", None, date(2026, 6, 1)],
        [None, None, None, None, None, None, None, None],
        ["加藤 さくら", "カトウ サクラ", "090-0000-3003", None, None, None, None, "令和元年5月1日"],
    ])
    check = preview(database, STAFF, "名簿.xlsx", data)
    assert check.ok, [r.error for r in check.rows]
    # Row numbers as Excel shows them: the blank row 4 is skipped, not renumbered.
    assert [r.line for r in check.rows] == [2, 3, 5]

    import_attendees(database, STAFF, "名簿.xlsx", data, True)
    rows = stored(database)
    # A phone typed into a number cell loses its 0 (9 or 10 digits left): restored.
    assert [r["phone"] for r in rows] == ["090-0000-3001", "03-0000-0000", "090-0000-3003"]
    assert [(r["age_band"], r["device"]) for r in rows] == [("80代", "iPhone"), ("60代", "Android"), ("", "")]
    assert [r["consent_on"] for r in rows] == ["2026-04-20", "2026-06-01", "2019-05-01"]
    assert json.loads(rows[1]["needs"]) == ["聞こえ"]


def test_phone_digits_in_csv_text_get_their_zero_back_too(database):
    # The same sheet saved as CSV: Excel writes the number as it shows it.
    import_attendees(database, STAFF, "名簿.csv", excel_csv(["氏名,フリガナ,電話番号", "森 アキ,モリ アキ,9000003101"]), True)
    assert stored(database)[0]["phone"] == "090-0000-3101"


# ---------------------------------------------------------------- refusals


def test_one_bad_row_imports_nothing_and_names_the_row(database):
    data = excel_csv([
        HEADER,
        "山田 花子,ヤマダ ハナコ,090-0000-4001,70代,iPhone,,,",
        "佐藤 一郎,サトウ イチロウ,090-0000-40,60代,Android,,,",  # one digit group short
        "鈴木 ハル,スズキ ハル,090-0000-4003,80代,なし,,,",
    ])
    audit_before = database["audit_log"].count

    with pytest.raises(ImportRefused) as refused:
        import_attendees(database, STAFF, "名簿.csv", data, True)

    message = str(refused.value)
    assert "3行目：電話番号の形が正しくありません" in message
    assert "1件も取り込んでいません" in message
    assert "2行目" not in message and "4行目" not in message
    assert refused.value.lines == (3,)
    assert stored(database) == []
    assert database["audit_log"].count == audit_before

    rows = preview(database, STAFF, "名簿.csv", data).rows
    assert [bool(r.error) for r in rows] == [False, True, False]
    assert "（列「電話番号」）" in rows[1].error and rows[1].values is None


def test_errors_name_the_column_as_the_file_names_it(database):
    data = bom_csv([
        "お名前,カナ,TEL,年代,機種,配慮,同意日",
        "山田 花子,ヤマダ ハナコ,090-0000-4101,七十代,スマホ,肩こり,2026/13/1",
        "佐藤 一郎,サトウ イチロウ,090-0000-4102,70代,iPhone,,2099/1/1",
    ])
    first, second = preview(database, STAFF, "名簿.csv", data).rows
    for column in ("列「年代」", "列「機種」", "列「配慮」", "列「同意日」"):
        assert column in first.error
    assert "同意日が今日より後" in second.error
    with pytest.raises(ImportRefused) as refused:
        import_attendees(database, STAFF, "名簿.csv", data, True)
    assert refused.value.lines == (2, 3)


def test_my_number_in_a_note_is_refused(database):
    data = excel_csv(["氏名,フリガナ,電話番号,メモ", "山田 花子,ヤマダ ハナコ,090-0000-4201,番号 1234 5678 9018"])
    with pytest.raises(ImportRefused) as refused:
        import_attendees(database, STAFF, "名簿.csv", data, True)
    assert "2行目：「メモ」に、マイナンバー" in str(refused.value)
    assert "1234" not in str(refused.value)
    assert stored(database) == []


def test_import_without_consent_is_refused(database):
    data = excel_csv(["氏名,フリガナ,電話番号", "山田 花子,ヤマダ ハナコ,090-0000-4301"])
    with pytest.raises(InvalidInput) as refused:
        import_attendees(database, STAFF, "名簿.csv", data, consent_confirmed=False)
    assert "同意" in str(refused.value)
    assert stored(database) == []


@pytest.mark.parametrize(
    "filename, data, says",
    [
        ("名簿.csv", b"\x81\x20\x82\xa0\x81\x20", "文字コード"),
        ("名簿.csv", "氏名,フリガナ\r\n".encode("utf-16"), "文字コード"),
        ("名簿.csv", excel_csv(["氏名,電話番号", "山田 花子,090-0000-4401"]), "「フリガナ」の列がありません"),
        ("名簿.csv", excel_csv(["", "氏名,フリガナ,電話番号"]), "1行目に見出し"),
        ("名簿.csv", excel_csv([HEADER, ",,,,,,,"]), "取り込む行がありません"),
        ("名簿.csv", excel_csv(["氏名,フリガナ,電話,携帯"]), "列「電話」と列「携帯」"),
        ("名簿.xlsx", b"PK\x03\x04 not really a workbook", "Excelファイルを開けません"),
        ("名簿.xls", b"\xd0\xcf\x11\xe0", ".xlsx"),
        ("名簿.pdf", b"%PDF-1.7", "CSVファイル（.csv）かExcelファイル（.xlsx）"),
    ],
)
def test_unreadable_files_are_refused_in_japanese(database, filename, data, says):
    with pytest.raises(ImportRefused) as refused:
        preview(database, STAFF, filename, data)
    assert says in str(refused.value)
    with pytest.raises(ImportRefused):
        import_attendees(database, STAFF, filename, data, True)
    assert stored(database) == []


# ---------------------------------------------------------------- duplicates


def test_duplicates_against_registered_attendees_and_within_the_file(database):
    attendees.register_attendee(database, STAFF, "山田 花子", "ヤマダ ハナコ", "090-0000-5001", True)
    data = excel_csv([
        "氏名,フリガナ,電話番号",
        "山田 花子,ヤマダ ハナコ,090-0000-5001",  # 2: the registered person again
        "山田 太郎,ヤマダ タロウ,090-0000-5001",  # 3: shares her landline: a family member
        "田中 次郎,タナカ ジロウ,090-0000-5004",  # 4: new
        "田中　次郎,たなか じろう,０９０００００５００４",  # 5: row 4 again, typed differently
        "木村 ヨシ,キムラ ヨシ,090-0000-5006",  # 6: new, no duplicate
    ])
    check = preview(database, STAFF, "名簿.csv", data)
    by_line = {r.line: r for r in check.rows}

    assert by_line[2].duplicates == ["登録済み：山田　花子（090-0000-5001）", "3行目：山田　太郎"]
    assert by_line[2].skip
    assert by_line[3].duplicates == ["登録済み：山田　花子（090-0000-5001）", "2行目：山田　花子"]
    assert not by_line[3].skip  # same phone, different person: imported, but shown
    assert by_line[4].duplicates == ["5行目：田中　次郎"] and not by_line[4].skip
    assert by_line[5].duplicates == ["4行目：田中　次郎"] and by_line[5].skip
    assert by_line[6].duplicates == [] and not by_line[6].skip
    assert (check.importable, check.skipped) == (3, 2)

    result = import_attendees(database, STAFF, "名簿.csv", data, True)

    assert (result.imported, result.skipped) == (3, 2)
    assert [r["name"] for r in stored(database)] == ["山田　花子", "山田　太郎", "田中　次郎", "木村　ヨシ"]
    # Importing the same file again adds nobody.
    again = import_attendees(database, STAFF, "名簿.csv", data, True)
    assert (again.imported, again.skipped) == (0, 5)
    assert len(stored(database)) == 4


def test_same_name_and_kana_with_another_phone_is_shown_not_skipped(database):
    attendees.register_attendee(database, STAFF, "山田 花子", "ヤマダ ハナコ", "090-0000-5101", True)
    data = excel_csv(["氏名,フリガナ,電話番号", "山田 花子,ヤマダ ハナコ,090-0000-5102"])
    (row,) = preview(database, STAFF, "名簿.csv", data).rows
    assert row.duplicates == ["登録済み：山田　花子（090-0000-5101）"] and not row.skip


def test_one_audit_row_with_counts_and_no_personal_data(database):
    attendees.register_attendee(database, STAFF, "山田 花子", "ヤマダ ハナコ", "090-0000-5201", True)
    before = database["audit_log"].count
    data = excel_csv(["氏名,フリガナ,電話番号", "山田 花子,ヤマダ ハナコ,090-0000-5201", "佐藤 一郎,サトウ イチロウ,090-0000-5202"])
    import_attendees(database, STAFF, "輸入太郎_090-0000-7788.csv", data, True)
    rows = list(database.query("select * from audit_log where id > ?", [before]))
    assert len(rows) == 1
    assert (rows[0]["user"], rows[0]["action"], rows[0]["entity"]) == (STAFF.username, "import", "attendees")
    # The file is named by a fingerprint of its bytes (the first 16 hex digits of
    # `sha256sum`), never by its name, which may hold a resident's name and phone.
    assert json.loads(rows[0]["detail"]) == {
        "rows": 1, "skipped": 1, "file_type": ".csv", "file_sha256": hashlib.sha256(data).hexdigest()[:16],
    }
    for secret in ("山田", "佐藤", "0000-520", "0000520", "輸入", "7788"):
        assert secret not in rows[0]["detail"]


# ---------------------------------------------------------------- export


def test_attendee_export_opens_in_excel_and_neutralises_formulas(database):
    data = excel_csv([
        HEADER,
        "山田 花子,ヤマダ ハナコ,090-0000-6001,70代,iPhone,大きな文字・聞こえ,=1+1,令和8年4月1日",
        "佐藤 一郎,サトウ イチロウ,090-0000-6002,,,,@SUM(A1),",
    ])
    import_attendees(database, STAFF, "名簿.csv", data, True)
    gone = attendees.register_attendee(database, STAFF, "削除 予定", "サクジョ ヨテイ", "090-0000-6003", True)
    database.execute("update attendees set anonymised_at = '2026-01-01T00:00:00+00:00' where id = ?", [gone])

    header, rows = exports.attendees_table(database, STAFF)
    file = to_csv(header, rows)

    assert file.startswith(b"\xef\xbb\xbf")
    table = read_csv(file)
    assert table[0] == ["番号", "氏名", "フリガナ", "電話番号", "年代", "機種", "配慮", "メモ", "同意日", "登録日"]
    assert len(table) == 3  # the anonymised attendee is left out
    first = dict(zip(table[0], table[1]))
    assert first["メモ"] == "'=1+1"
    assert dict(zip(table[0], table[2]))["メモ"] == "'@SUM(A1)"
    assert (first["電話番号"], first["配慮"], first["同意日"], first["登録日"]) == (
        "090-0000-6001", "大きな文字、聞こえ", "2026-04-01", today_jst().isoformat()
    )


def test_exported_registry_imports_back_as_already_registered(database):
    attendees.register_attendee(database, STAFF, "山田 花子", "ヤマダ ハナコ", "090-0000-6101", True, age_band="80代", needs=["歩行・車いす"])
    file = to_csv(*exports.attendees_table(database, STAFF))
    check = preview(database, STAFF, "書き出し.csv", file)
    assert check.ok and check.ignored_columns == ["番号", "登録日"]
    assert check.rows[0].values["needs"] == '["歩行・車いす"]' and check.rows[0].skip


def test_the_import_undoes_exactly_the_escapes_the_export_adds():
    # db/ may not import printouts/, so each keeps the list; they must agree.
    assert importer.FORMULA_STARTS == csv_export.FORMULA_STARTS
    for start in csv_export.FORMULA_STARTS:
        assert importer._text(csv_export.neutralise(start + "1")) == (start + "1").strip()


def test_reimporting_an_export_gives_back_values_that_start_like_formulas(database):
    # Issue 13: the export's protective "'" came back as part of the value.
    for name, note in (("=山田 花子", "=1+1"), ("+佐藤", "-3度の熱"), ("@鈴木", "@SUM(A1)"), ("－田中", "＝注意")):
        database.execute("delete from attendees")
        database.conn.commit()
        attendees.register_attendee(database, STAFF, name, "ヤマダ", "090-0000-6201", True, note=note)
        file = to_csv(*exports.attendees_table(database, STAFF))
        assert f"'{note}".encode() in file
        database.execute("delete from attendees")
        database.conn.commit()
        assert import_attendees(database, STAFF, "書き出し.csv", file, True).imported == 1
        (row,) = stored(database)
        assert (row["name"], row["note"]) == (attendees.clean_fields(name, "ヤマダ", "090-0000-6201")["name"], note)
    # An apostrophe before anything else is the person's own.
    data = excel_csv(["氏名,フリガナ,電話番号,メモ", "'山田,ヤマダ,090-0000-6202,'あいう"])
    assert (preview(database, STAFF, "名簿.csv", data).rows[0].values["note"]) == "'あいう"


def test_formula_cells_without_a_computed_value_are_refused_by_name(database):
    # openpyxl (and some other programs) write formulas without the value Excel
    # would have computed: the cell reads as blank.
    data = xlsx([["氏名", "フリガナ", "電話番号", "年齢", "住所"],
                 ['="山田"&" 花子"', "ヤマダ ハナコ", "090-0000-6301", "=70+5", "=1+1"]])
    for reader in (preview, lambda *a: import_attendees(*a, True)):
        with pytest.raises(ImportRefused) as err:
            reader(database, STAFF, "名簿.xlsx", data)
        message = str(err.value)
        assert "A2、D2" in message and "値として貼り付け" in message and "E2" not in message
    assert database["attendees"].count == 0
    header = xlsx([["氏名", "=\"フリ\"&\"ガナ\"", "電話番号"], ["山田 花子", "ヤマダ", "090-0000-6302"]])
    with pytest.raises(ImportRefused) as err:
        preview(database, STAFF, "名簿.xlsx", header)
    assert "B1" in str(err.value)


def test_formula_cells_with_their_computed_value_are_read(database):
    # Excel saves a formula together with the value it computed; the value is read.
    data = xlsx([["氏名", "フリガナ", "電話番号", "年齢"], ['="山田"&" 花子"', "ヤマダ ハナコ", "090-0000-6303", "=70+5"]])
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    xml = parts[sheet].decode()
    computed = xml.replace('<c r="A2"><f>"山田"&amp;" 花子"</f><v /></c>', '<c r="A2" t="str"><f>"山田"&amp;" 花子"</f><v>山田 花子</v></c>')
    computed = computed.replace("<f>70+5</f><v /></c>", "<f>70+5</f><v>75</v></c>")
    assert computed.count("</f><v>") == 2, xml
    parts[sheet] = computed.encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, body in parts.items():
            z.writestr(name, body)
    (row,) = preview(database, STAFF, "名簿.xlsx", out.getvalue()).rows
    assert (row.values["name"], row.values["age_band"]) == ("山田\u3000花子", "70代")


def test_bookings_export_in_jst_with_japanese_status(database, make_session):
    session = make_session(capacity=2)
    people = [
        attendees.register_attendee(database, STAFF, name, kana, phone, True)
        for name, kana, phone in (
            ("山田 花子", "ヤマダ ハナコ", "090-0000-7001"),
            ("佐藤 一郎", "サトウ イチロウ", "090-0000-7002"),
        )
    ]
    first = bookings.book(database, STAFF, session, people[0])
    bookings.book(database, STAFF, session, people[1])
    bookings.cancel_booking(database, STAFF, first, "体調不良")
    before = database["audit_log"].count

    header, rows = exports.bookings_table(database, STAFF, session)

    assert header == ["開催日時", "講座", "部屋", "氏名", "フリガナ", "電話番号", "状態", "受付日時"]
    assert [(r[3], r[6]) for r in rows] == [("山田　花子", "取消"), ("佐藤　一郎", "予約")]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} 10:00", rows[0][0])
    assert rows[0][2] == "相談室" and rows[0][5] == "090-0000-7001"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", rows[0][7])
    assert read_csv(to_csv(header, rows))[1][5] == "090-0000-7001"
    # An export of personal data is logged: who, and how many rows.
    (entry,) = database.query("select action, entity, detail from audit_log where id > ?", [before])
    assert (entry["action"], entry["entity"], json.loads(entry["detail"])) == ("export", "bookings", {"rows": 2})
    assert len(exports.bookings_table(database, STAFF)[1]) == 2


def test_every_booking_status_of_the_design_has_a_japanese_label():
    # DESIGN.md §6: booked / waitlisted / offered / cancelled / attended / absent.
    assert set(exports.STATUS_LABELS) == {"booked", "waitlisted", "offered", "cancelled", "attended", "absent"}
    assert all(label and label.isascii() is False for label in exports.STATUS_LABELS.values())


# ---------------------------------------------------------------- normalisers


@pytest.mark.parametrize(
    "typed, band",
    [
        ("70代", "70代"), ("７０代", "70代"), ("70", "70代"), ("70歳代", "70代"), ("75歳", "70代"), ("70代前半", "70代"),
        ("59", "〜59"), ("〜59", "〜59"), ("～59", "〜59"), ("50代", "〜59"), ("60未満", "〜59"), ("59歳以下", "〜59"),
        ("60代", "60代"), ("89", "80代"), ("90代〜", "90代〜"), ("90代", "90代〜"), ("95", "90代〜"), ("90歳以上", "90代〜"),
        ("", ""), ("　", ""),
    ],
)
def test_age_band_as_people_write_it(typed, band):
    assert normalise_age_band(typed) == band


@pytest.mark.parametrize("typed", ["七十代", "7", "130", "60代以上", "〜69", "70代くらい", "高齢"])
def test_age_band_refuses_what_no_band_matches(typed):
    with pytest.raises(InvalidInput) as refused:
        normalise_age_band(typed)
    assert "年代" in str(refused.value)


@pytest.mark.parametrize(
    "typed, device",
    [
        ("iphone", "iPhone"), ("ｉＰｈｏｎｅ", "iPhone"), ("アイフォン", "iPhone"), ("ｱｲﾌｫﾝ", "iPhone"), ("iPhone SE", "iPhone"),
        ("android", "Android"), ("アンドロイド", "Android"), ("Galaxy A54", "Android"),
        ("らくらく", "らくらくスマホ"), ("らくらくスマートフォン F-52B", "らくらくスマホ"), ("ラクラクスマホ", "らくらくスマホ"),
        ("ガラケー", "携帯電話"), ("携帯", "携帯電話"), ("らくらくホン", "携帯電話"),
        ("なし", "なし"), ("持っていない", "なし"), ("", ""),
    ],
)
def test_device_as_people_write_it(typed, device):
    assert normalise_device(typed) == device


@pytest.mark.parametrize("typed", ["スマホ", "タブレット", "?"])
def test_device_refuses_unknown_words(typed):
    with pytest.raises(InvalidInput):
        normalise_device(typed)


def test_needs_split_and_matched():
    assert normalise_needs("聞こえ、大きな文字") == ("大きな文字", "聞こえ")
    assert normalise_needs("歩行・車いす") == ("歩行・車いす",)
    assert normalise_needs("車椅子／通訳, 難聴") == ("聞こえ", "歩行・車いす", "日本語以外")
    assert normalise_needs("") == ()


AGE_TEXT = st.one_of(
    st.text(max_size=8),
    st.builds(
        lambda pre, n, mid, post: f"{pre}{n}{mid}{post}",
        st.sampled_from(["", "〜", "～", "~"]),
        st.integers(0, 150).map(str),
        st.sampled_from(["", "代", "歳", "歳代", "才"]),
        st.sampled_from(["", "以上", "以下", "未満", "〜"]),
    ),
    st.sampled_from(AGE_BANDS),
)
DEVICE_TEXT = st.one_of(
    st.text(max_size=12),
    st.sampled_from(DEVICES),
    st.builds(lambda w, tail: w + tail, st.sampled_from(["iphone", "ｱﾝﾄﾞﾛｲﾄﾞ", "らくらく", "ガラケー", "なし"]), st.text(max_size=4)),
)


@given(AGE_TEXT)
def test_age_band_normaliser_is_idempotent(text):
    try:
        band = normalise_age_band(text)
    except InvalidInput:
        return
    assert band in ("", *AGE_BANDS)
    assert normalise_age_band(band) == band


@given(DEVICE_TEXT)
def test_device_normaliser_is_idempotent(text):
    try:
        device = normalise_device(text)
    except InvalidInput:
        return
    assert device in ("", *DEVICES)
    assert normalise_device(device) == device
