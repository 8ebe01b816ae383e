"""Import attendees (受講者) from a spreadsheet: .xlsx or .csv as Japanese Excel saves it.

What a file must look like:

- .xlsx: the first sheet is read. .csv: UTF-8 with a BOM (Excel's 「CSV UTF-8」),
  UTF-8 without one, or Shift_JIS (cp932, Excel's plain 「CSV」); comma-separated.
- Row 1 is the header. Columns are found by their Japanese names (`HEADERS`), in
  any order, tolerant of full/half width, spaces, hiragana/katakana and a 「（必須）」
  mark. 氏名, フリガナ and 電話番号 are required; other columns (住所, …) are ignored
  and listed, so nothing the centre must not keep is stored by accident.
- Blank rows are skipped. Line numbers are the spreadsheet's row numbers.

Values go through `attendees.clean_fields`, like a registration at the desk, after
the spreadsheet forms are read: 年代 as "70代", "７０代", "70歳代" or an age ("75");
機種 as "アイフォン", "android", "ガラケー", …; 配慮 as a list split on 、,・/; 同意日
as 2026/4/1, 2026-04-01, 2026年4月1日, 令和8年4月1日 or a date cell.

The import is all or nothing (one ``BEGIN IMMEDIATE`` transaction): one bad row and
nothing is written. A row with the same phone number and name as a registered
attendee, or as an earlier row of the file, is the same person and is skipped,
not registered twice.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath

import jaconv
import openpyxl
from sqlite_utils import Database

from db import audit, immediate
from db.attendees import AGE_BANDS, DEVICES, NEEDS, clean_fields, likely_duplicates
from db.clock import now_utc_iso, today_jst
from db.errors import ImportRefused, InvalidInput
from db.permissions import Actor, require
from db.text import to_search_digits
from locales import _

# The starts of a cell a spreadsheet reads as a formula (OWASP "CSV Injection"), which
# the desk's CSV export escapes with "'" (printouts.csv_export.FORMULA_STARTS; the two
# are kept equal by tests/test_import_export.py, as db/ does not import printouts/).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")

# Column → header names people use for it (matched after `_header_key` folding).
HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("氏名", "名前", "お名前"),
    "name_kana": ("フリガナ", "ふりがな", "カナ", "よみがな"),
    "phone": ("電話番号", "電話", "TEL", "携帯", "携帯電話", "携帯番号", "連絡先"),
    "age_band": ("年代", "年齢"),
    "device": ("機種", "端末", "スマホ"),
    "needs": ("配慮", "必要な配慮", "配慮事項"),
    "note": ("メモ", "備考"),
    "consent_on": ("同意日", "同意年月日"),
}
REQUIRED = ("name", "name_kana", "phone")
# A larger file is most likely a mistake (a whole 住民 list); it would also keep the
# page busy for minutes.
MAX_ROWS = 10_000
# How many bad rows the refusal message lists before "ほか n 行".
LISTED_ERRORS = 5
# 令和 began on 2019-05-01 (元号を改める政令, 平成31年政令第143号): 令和n年 = 2018 + n.
REIWA_START = date(2019, 5, 1)


@dataclass
class PreviewRow:
    """One data row of the file as it would be imported.

    line: the spreadsheet row number (the header is row 1).
    values: the attendee columns to store (`clean_fields` output plus consent_on,
        an ISO date), or None when the row has an error.
    error: Japanese, naming the column as the file names it; "" when fine.
    duplicates: likely duplicates, as 「登録済み：氏名（電話）」 for registered
        attendees and 「n行目：氏名」 for rows of the same file.
    skip: same phone number and name as a registered attendee or an earlier row:
        the import leaves it out instead of registering the person twice.
    """

    line: int
    values: dict | None
    error: str = ""
    duplicates: list[str] = field(default_factory=list)
    skip: bool = False


@dataclass(frozen=True)
class ImportPreview:
    """What `import_attendees` would do with a file.

    rows: every non-blank data row, in file order.
    columns: column key (`HEADERS`) → the header text as written in the file.
    ignored_columns: headers that match no column; their values are not read.
    """

    rows: list[PreviewRow]
    columns: dict[str, str]
    ignored_columns: list[str]

    @property
    def ok(self) -> bool:
        """True when no row has an error (the file can be imported)."""
        return not any(r.error for r in self.rows)

    @property
    def importable(self) -> int:
        """Rows that would be registered."""
        return sum(1 for r in self.rows if not r.error and not r.skip)

    @property
    def skipped(self) -> int:
        """Rows left out as already registered (or repeated in the file)."""
        return sum(1 for r in self.rows if not r.error and r.skip)


@dataclass(frozen=True)
class ImportResult:
    """How an import went: attendees registered, and rows skipped as already registered."""

    imported: int
    skipped: int


@dataclass(frozen=True)
class _Sheet:
    columns: dict[str, tuple[int, str]]  # key → (cell index, header as written)
    ignored: list[str]
    rows: list[tuple[int, tuple]]  # (line, cells) of non-blank data rows


# ---------------------------------------------------------------- value readers


def _text(value: object) -> str:
    """A cell as text: "" for empty, whole numbers without ".0", dates as ISO.

    The apostrophe our CSV export puts before a text that starts like a formula
    (printouts.csv_export, "'=…") is taken off again, so a re-import gives back
    what was exported.
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        text = text[1:]
    return text.strip()


def _phone_text(value: object) -> str:
    # Japanese numbers are 10 or 11 digits starting with the trunk prefix 0
    # (総務省 電気通信番号計画), so 9 or 10 bare digits not starting with 0 are a
    # number whose 0 a number-formatted Excel cell dropped: 9000001234 → 090-0000-1234.
    text = _text(value)
    digits = unicodedata.normalize("NFKC", text)
    if digits.isascii() and digits.isdigit() and not digits.startswith("0") and len(digits) in (9, 10):
        return "0" + digits
    return text


_AGE = re.compile(
    r"(?P<before>[~〜])?(?P<n>\d{1,3})(?:歳|才)?(?P<decade>代(?:前半|後半)?)?(?:歳|才)?(?P<after>以上|以下|未満|[~〜])?"
)
_AGE_MIN, _AGE_MAX = 10, 120


def normalise_age_band(text: str) -> str:
    """Read a 年代 as people write it and return one of `AGE_BANDS`.

    Args:
        text: "70代", "７０代", "70歳代", "70代前半", an age "75" or "75歳", "〜59",
            "59歳以下", "60未満", "90代〜", "90歳以上"; "" for unknown.
    Returns:
        "〜59" (under 60), "60代", "70代", "80代", "90代〜" (90 and over), or "".
        Idempotent: a band given back returns unchanged.
    Raises:
        InvalidInput (field "age_band"): unreadable, an age outside 10–120, or a
            range no band matches ("60代以上", "〜69").
    """
    compact = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
    if not compact:
        return ""
    match = _AGE.fullmatch(compact)
    if match:
        n = int(match["n"])
        upper = n - 1 if match["after"] == "未満" else n
        if match["before"] or match["after"] in ("以下", "未満"):
            if upper < 60:
                return AGE_BANDS[0]
        elif match["after"]:  # 以上, 〜 after the number
            if n >= 90:
                return AGE_BANDS[-1]
        elif _AGE_MIN <= n <= _AGE_MAX:
            return AGE_BANDS[0] if n < 60 else AGE_BANDS[-1] if n >= 90 else f"{n // 10 * 10}代"
    raise InvalidInput(
        "age_band",
        _("年代「{value}」が読み取れません。{bands} のどれか、または年齢（例：75）を入れてください。").format(
            value=text, bands="・".join(AGE_BANDS)
        ),
    )


def _fold(text: str) -> str:
    # Width, case and kana folded, spaces gone: "ｱｲﾌｫﾝ", "アイフォン" → "あいふぉん".
    return jaconv.kata2hira(re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "")).lower())


_DEVICE_WORDS = {
    "iPhone": ("iPhone", "アイフォン", "アイフォーン"),
    "Android": ("Android", "アンドロイド"),
    "らくらくスマホ": ("らくらくスマホ", "らくらくスマートフォン"),
    "携帯電話": ("携帯電話", "携帯", "ケータイ", "ガラケー", "フィーチャーフォン", "らくらくホン"),
    "なし": ("なし", "無し", "持っていない", "持ってない", "未所持"),
}
_DEVICE_EXACT = {_fold(word): device for device, words in _DEVICE_WORDS.items() for word in words}
# Model names: "iPhone 15", "らくらくスマートフォン F-52B", "AQUOS sense8". らくらくホン is a
# flip phone (携帯電話), so it is matched exactly above, before the らくらく prefix.
_DEVICE_PREFIXES = tuple(
    (_fold(prefix), device)
    for prefix, device in (
        ("iPhone", "iPhone"),
        ("アイフォ", "iPhone"),
        ("らくらくホン", "携帯電話"),
        ("らくらく", "らくらくスマホ"),
        ("Android", "Android"),
        ("アンドロイド", "Android"),
        ("Galaxy", "Android"),
        ("Xperia", "Android"),
        ("AQUOS", "Android"),
        ("Pixel", "Android"),
        ("arrows", "Android"),
    )
)


def normalise_device(text: str) -> str:
    """Read a 機種 as people write it and return one of `DEVICES`.

    Args:
        text: "iphone", "アイフォン", "iPhone 15", "android", "アンドロイド", "AQUOS",
            "らくらくスマホ", "ガラケー", "携帯", "らくらくホン" (a flip phone),
            "なし", "持っていない"; "" for unknown.
    Returns:
        "iPhone", "Android", "らくらくスマホ", "携帯電話", "なし" (a loan phone is
        needed) or "". Idempotent.
    Raises:
        InvalidInput (field "device"): a word not listed ("スマホ" alone says
            neither iPhone nor Android).
    """
    key = _fold(text)
    if not key:
        return ""
    if key in _DEVICE_EXACT:
        return _DEVICE_EXACT[key]
    for prefix, device in _DEVICE_PREFIXES:
        if key.startswith(prefix):
            return device
    raise InvalidInput(
        "device",
        _("機種「{value}」が読み取れません。{devices} のどれかを入れてください。").format(
            value=text, devices="・".join(DEVICES)
        ),
    )


_NEED_WORDS = {
    "大きな文字": ("大きな文字", "大きい文字", "大きな字", "文字を大きく", "拡大", "弱視"),
    "聞こえ": ("聞こえ", "難聴", "耳が遠い", "補聴器", "聴覚"),
    # "歩行・車いす" is split on its own ・, so each half is a word of its own.
    "歩行・車いす": ("歩行", "車いす", "車椅子", "杖"),
    "日本語以外": ("日本語以外", "外国語", "通訳"),
}
_NEED_EXACT = {_fold(word): need for need, words in _NEED_WORDS.items() for word in words}
_NEED_SEPARATORS = re.compile(r"[、,・/;\s]+")


def normalise_needs(text: str) -> tuple[str, ...]:
    """Read 配慮 as a list and return `NEEDS` entries in their canonical order.

    Args:
        text: entries separated by 、 , ・ / ; or spaces, e.g. "大きな文字・難聴",
            "歩行・車いす、日本語以外"; "" for none.
    Returns:
        a tuple of `NEEDS` entries, each once.
    Raises:
        InvalidInput (field "needs"): an entry that matches no need.
    """
    found = set()
    for part in _NEED_SEPARATORS.split(unicodedata.normalize("NFKC", text or "")):
        if not part:
            continue
        need = _NEED_EXACT.get(_fold(part))
        if need is None:
            raise InvalidInput(
                "needs",
                _("配慮「{value}」が読み取れません。{needs} から選び、複数は「、」で区切ってください。").format(
                    value=part, needs="、".join(NEEDS)
                ),
            )
        found.add(need)
    return tuple(n for n in NEEDS if n in found)


_ISO_LIKE = re.compile(r"(\d{4})[/\-.](\d{1,2})[/\-.](\d{1,2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?")
_KANJI_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_REIWA_DATE = re.compile(r"令和(元|\d{1,2})年(\d{1,2})月(\d{1,2})日")


def _date_from_text(text: str) -> date | None:
    """2026/4/1, 2026-04-01, 2026年4月1日 or 令和8年4月1日 as a date; None if none of them."""
    compact = re.sub(r"\s+", "", text)
    match = _ISO_LIKE.fullmatch(text) or _KANJI_DATE.fullmatch(compact)
    reiwa = _REIWA_DATE.fullmatch(compact)
    if reiwa:
        match, year = reiwa, REIWA_START.year - 1 + (1 if reiwa[1] == "元" else int(reiwa[1]))
    elif match:
        year = int(match[1])
    else:
        return None
    try:
        day = date(year, int(match[2]), int(match[3]))
    except ValueError:
        return None
    return None if reiwa and day < REIWA_START else day


def _consent_date(value: object, today: date) -> date | None:
    """A 同意日 cell (date cell or text) as a date, None when blank.

    Raises InvalidInput (field "consent_on"): unreadable, or later than `today`.
    """
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    else:
        text = unicodedata.normalize("NFKC", _text(value)).strip()
        if not text:
            return None
        day = _date_from_text(text)
        if day is None:
            raise InvalidInput(
                "consent_on",
                _("同意日「{value}」が読み取れません。2026/4/1 や 令和8年4月1日 の形で入れてください。").format(value=text),
            )
    if day > today:
        raise InvalidInput("consent_on", _("同意日が今日より後の日付です。"))
    return day


# ---------------------------------------------------------------- file readers


def _header_key(text: str) -> str:
    # Full/half width, case, spaces, hiragana/katakana, and a required-mark folded.
    folded = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
    folded = re.sub(r"\(必須\)|[*※]", "", folded)
    return jaconv.hira2kata(folded).upper()


_HEADER_KEYS = {_header_key(name): key for key, names in HEADERS.items() for name in names}


def _decode_csv(data: bytes) -> str:
    """The text of a CSV file: BOM → UTF-8; else UTF-8 if it decodes; else cp932."""
    undecodable = ImportRefused(
        _(
            "ファイルの文字コードを読み取れません。Excelで「CSV UTF-8（コンマ区切り）」"
            "または「CSV（コンマ区切り）」として保存し直してください。"
        )
    )
    # NUL bytes mean UTF-16 or a binary file; cp932 would "decode" them silently.
    if b"\x00" in data:
        raise undecodable
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise undecodable from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        # Excel's plain 「CSV」 on Japanese Windows is Microsoft's Shift_JIS (cp932),
        # which also has the NEC / IBM extensions (①, ㈱, 髙) plain shift_jis lacks.
        return data.decode("cp932")
    except UnicodeDecodeError:
        raise undecodable from None


def _csv_rows(data: bytes) -> list[tuple]:
    try:
        return [tuple(r) for r in csv.reader(io.StringIO(_decode_csv(data), newline=""))]
    except csv.Error as err:
        raise ImportRefused(_("CSVファイルとして読み取れません。Excelで保存し直してください。")) from err


def _xlsx_rows(data: bytes) -> tuple[list[tuple], dict[tuple[int, int], str]]:
    """The first sheet's values, and its formula cells that carry no computed value.

    Returns:
        (rows, uncached): rows as tuples of values (a formula cell gives the value
        Excel last computed); uncached maps (row index, column index), both from 0,
        to the cell's name ("D2") for formula cells saved without a value (written
        by a program other than Excel, or never recalculated), which read as blank.
    """
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
        formulas = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    # A damaged or encrypted workbook fails in zipfile, the XML parser or openpyxl
    # itself with many exception types; all mean the same to the user.
    except Exception as err:
        raise ImportRefused(
            _("Excelファイルを開けません。壊れているか、パスワードが付いています。パスワードを外して保存し直してください。")
        ) from err
    try:
        rows = list(book.worksheets[0].iter_rows(min_row=1, values_only=True))
        uncached = {}
        for r, cells in enumerate(formulas.worksheets[0].iter_rows(min_row=1)):
            for c, cell in enumerate(cells):
                if getattr(cell, "data_type", None) == "f" and (r >= len(rows) or c >= len(rows[r]) or rows[r][c] is None):
                    uncached[(r, c)] = f"{openpyxl.utils.get_column_letter(c + 1)}{r + 1}"
        return rows, uncached
    # A workbook that opens but breaks while its rows are read is as damaged.
    except ImportRefused:
        raise
    except Exception as err:
        raise ImportRefused(
            _("Excelファイルを開けません。壊れているか、パスワードが付いています。パスワードを外して保存し直してください。")
        ) from err
    finally:
        book.close()
        formulas.close()


def _is_blank(cells: tuple) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _refuse_formulas(cells: list[str]) -> None:
    """Refuse a file whose formula cells we would read carry no computed value.

    Such a cell reads as blank: 「氏名を入力してください」 for a name that looks
    filled in, or a 年代 silently dropped. Raises ImportRefused naming the cells.
    """
    if not cells:
        return
    listed = "、".join(cells[:LISTED_ERRORS])
    if len(cells) > LISTED_ERRORS:
        listed += _(" ほか {n} か所").format(n=len(cells) - LISTED_ERRORS)
    raise ImportRefused(
        _(
            "セル {cells} は計算式で、計算した値がファイルに保存されていません（空欄として読まれてしまいます）。"
            "Excelでファイルを開いて上書き保存するか、計算式のセルをコピーして「値として貼り付け」てから、もう一度取り込んでください。"
        ).format(cells=listed)
    )


def _read(filename: str, data: bytes) -> _Sheet:
    """Rows and header of a file. Raises ImportRefused for a file that cannot be read."""
    suffix = PurePath(filename or "").suffix.lower()
    uncached: dict[tuple[int, int], str] = {}
    if suffix == ".csv":
        rows = _csv_rows(data)
    elif suffix == ".xlsx":
        rows, uncached = _xlsx_rows(data)
    elif suffix == ".xls":
        raise ImportRefused(_("古い形式（.xls）のExcelファイルは読めません。「Excel ブック（.xlsx）」として保存し直してください。"))
    else:
        raise ImportRefused(_("CSVファイル（.csv）かExcelファイル（.xlsx）を選んでください。"))
    _refuse_formulas([name for (r, _c), name in sorted(uncached.items()) if r == 0])
    if not rows or _is_blank(rows[0]):
        raise ImportRefused(_("1行目に見出し（氏名・フリガナ・電話番号など）がありません。"))
    columns: dict[str, tuple[int, str]] = {}
    ignored = []
    for index, cell in enumerate(rows[0]):
        header = _text(cell)
        if not header:
            continue
        key = _HEADER_KEYS.get(_header_key(header))
        if key is None:
            ignored.append(header)
        elif key in columns:
            raise ImportRefused(
                _("列「{first}」と列「{second}」が同じ項目です。使う列を一つにしてください。").format(
                    first=columns[key][1], second=header
                )
            )
        else:
            columns[key] = (index, header)
    used = {index for index, _header in columns.values()}
    _refuse_formulas([name for (r, c), name in sorted(uncached.items()) if r > 0 and c in used])
    labels = {"name": _("氏名"), "name_kana": _("フリガナ"), "phone": _("電話番号")}
    missing = [labels[k] for k in REQUIRED if k not in columns]
    if missing:
        raise ImportRefused(
            _("1行目の見出しに「{missing}」の列がありません。").format(missing="」「".join(missing))
        )
    data_rows = [(line, cells) for line, cells in enumerate(rows[1:], 2) if not _is_blank(cells)]
    if not data_rows:
        raise ImportRefused(_("取り込む行がありません（見出しの下がすべて空です）。"))
    if len(data_rows) > MAX_ROWS:
        raise ImportRefused(
            _("一度に取り込めるのは {max} 行までです。ファイルを分けてください。").format(max=f"{MAX_ROWS:,}")
        )
    return _Sheet(columns, ignored, data_rows)


# ---------------------------------------------------------------- checking rows


def _check_row(line: int, cells: tuple, columns: dict[str, tuple[int, str]], today: date) -> PreviewRow:
    def cell(key: str) -> object:
        index = columns[key][0] if key in columns else None
        return cells[index] if index is not None and index < len(cells) else None

    def blame(err: InvalidInput) -> str:
        header = columns.get(err.field, (None, ""))[1]
        return _("{message}（列「{column}」）").format(message=str(err), column=header) if header else str(err)

    errors = []
    parsed: dict[str, object] = {}
    readers = {
        "age_band": lambda v: normalise_age_band(_text(v)),
        "device": lambda v: normalise_device(_text(v)),
        "needs": lambda v: normalise_needs(_text(v)),
        "consent_on": lambda v: _consent_date(v, today),
    }
    for key, reader in readers.items():
        try:
            parsed[key] = reader(cell(key))
        except InvalidInput as err:
            errors.append(blame(err))
    try:
        fields = clean_fields(
            _text(cell("name")),
            _text(cell("name_kana")),
            _phone_text(cell("phone")),
            parsed.get("age_band") or "",
            parsed.get("device") or "",
            parsed.get("needs") or (),
            _text(cell("note")),
        )
    except InvalidInput as err:
        errors.append(blame(err))
    if errors:
        return PreviewRow(line, None, "　".join(errors))
    consent_on = parsed.get("consent_on") or today
    return PreviewRow(line, {**fields, "consent_on": consent_on.isoformat()})


def _name_key(name: str) -> str:
    # clean_fields gives names with single full-width spaces; compare without them,
    # as `likely_duplicates` does.
    return name.replace("\u3000", "")


def _check(db: Database, sheet: _Sheet) -> list[PreviewRow]:
    """Every data row checked, with its likely duplicates and whether it is skipped."""
    today = today_jst()
    rows = [_check_row(line, cells, sheet.columns, today) for line, cells in sheet.rows]
    valid = [r for r in rows if r.values is not None]
    by_phone: dict[str, list[PreviewRow]] = {}
    by_name: dict[tuple[str, str], list[PreviewRow]] = {}
    for row in valid:
        by_phone.setdefault(row.values["phone_digits"], []).append(row)
        by_name.setdefault((row.values["kana_key"], _name_key(row.values["name"])), []).append(row)
    seen: set[tuple[str, str]] = set()
    for row in valid:
        values = row.values
        person = (values["phone_digits"], _name_key(values["name"]))
        for existing in likely_duplicates(db, values):
            row.duplicates.append(_("登録済み：{name}（{phone}）").format(name=existing.name, phone=existing.phone))
            if (to_search_digits(existing.phone), _name_key(existing.name)) == person:
                row.skip = True
        same_file = {o.line: o for o in (*by_phone[person[0]], *by_name[(values["kana_key"], person[1])]) if o is not row}
        for line in sorted(same_file):
            row.duplicates.append(_("{line}行目：{name}").format(line=line, name=same_file[line].values["name"]))
        # The first row of a person repeated in the file is imported, the rest skipped.
        row.skip = row.skip or person in seen
        seen.add(person)
    return rows


# ---------------------------------------------------------------- public API


def preview(db: Database, actor: Actor, filename: str, data: bytes) -> ImportPreview:
    """Check a file without writing anything: each row's values, errors and duplicates.

    Args:
        filename: the uploaded file's name; its extension (.csv / .xlsx) picks the reader.
        data: the file's bytes.
    Returns:
        ImportPreview; `ok` tells whether `import_attendees` would accept the file.
    Raises:
        PermissionDenied: not staff.
        ImportRefused: the file as a whole cannot be read (type, encoding, header,
            no rows, more than `MAX_ROWS` rows); row problems are in the preview.
    """
    require(actor, "attendees.import")
    sheet = _read(filename, data)
    return ImportPreview(_check(db, sheet), {key: header for key, (_index, header) in sheet.columns.items()}, sheet.ignored)


def import_attendees(db: Database, actor: Actor, filename: str, data: bytes, consent_confirmed: bool) -> ImportResult:
    """Register every attendee of a file, all or nothing, in one transaction.

    Args:
        filename, data: as for `preview`.
        consent_confirmed: staff confirm that every resident in the file agreed to
            the stated purpose of use (個人情報保護法 art. 17–21, DESIGN.md §7).
            consent_on is the row's 同意日, or today (JST) when the file has none.
    Returns:
        ImportResult(imported, skipped): attendees registered, and rows left out
        because the same phone number and name is registered already or came
        earlier in the file.
    Raises:
        PermissionDenied: not staff.
        InvalidInput: consent_confirmed is False. Nothing is written.
        ImportRefused: the file cannot be read, or rows have errors; the message
            lists the first `LISTED_ERRORS` rows as 「3行目：…」 and `lines` all of
            them. Nothing is written.
    """
    require(actor, "attendees.import")
    if not consent_confirmed:
        raise InvalidInput(
            "consent", _("ファイルの全員が個人情報の利用目的に同意していることを確認してから取り込んでください。")
        )
    sheet = _read(filename, data)
    # Checked inside the write lock, so "already registered" cannot change before the insert.
    with immediate(db):
        rows = _check(db, sheet)
        bad = [r for r in rows if r.error]
        if bad:
            listed = [_("{line}行目：{error}").format(line=r.line, error=r.error) for r in bad[:LISTED_ERRORS]]
            if len(bad) > LISTED_ERRORS:
                listed.append(_("ほか {count} 行にも誤りがあります。").format(count=len(bad) - LISTED_ERRORS))
            raise ImportRefused(
                "\n".join([_("誤りのある行があるため、1件も取り込んでいません。直してからもう一度取り込んでください。"), *listed]),
                tuple(r.line for r in bad),
            )
        created_at = now_utc_iso()
        new = [{**r.values, "created_at": created_at} for r in rows if not r.skip]
        db["attendees"].insert_all(new)
        skipped = len(rows) - len(new)
        # Counts, the file type and a fingerprint of its bytes (`sha256sum` of the
        # file names it), never the file name: names like 「山田太郎_090-….csv」
        # would stay in the log after erasure (README "Protecting residents' data").
        audit.record(
            db, actor, "import", "attendees", None,
            {"rows": len(new), "skipped": skipped, "file_type": PurePath(filename or "").suffix.lower(),
             "file_sha256": hashlib.sha256(data).hexdigest()[:16]},
        )
    return ImportResult(len(new), skipped)
