"""CSV files for spreadsheets: attendees and bookings exported for Japanese Excel.

- UTF-8 with a byte-order mark: without it, Japanese Excel reads a UTF-8 CSV as
  Shift_JIS and the names turn to mojibake.
- CRLF line ends (RFC 4180), fields quoted only when needed; a line break inside a
  cell stays inside its quoted field.
- Spreadsheet formula injection neutralised (OWASP "CSV Injection"): a text cell
  that starts with = + - @, a tab or a carriage return — or the full-width
  ＝ ＋ － ＠, which Japanese input methods produce and Excel also reads as a formula
  start — gets a leading apostrophe, so a note like "=HYPERLINK(…)" shows as text
  instead of running. Numbers (int, float, Decimal) are written as numbers, so -3
  stays -3.
"""

from __future__ import annotations

import csv
import io
import numbers
from collections.abc import Sequence
from decimal import Decimal

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def neutralise(value: object) -> str:
    """One cell's text, safe to open in a spreadsheet.

    Args:
        value: None (empty cell), a number (bool, int, float, Decimal: written as
            is, even when negative), or anything else (written as `str(value)`).
    Returns:
        str; text that starts with one of `FORMULA_STARTS` gets a leading "'"
        (OWASP CSV injection guidance).
    """
    if value is None:
        return ""
    # Decimal is no numbers.Real, but a number all the same.
    if isinstance(value, (numbers.Real, Decimal)):
        return str(value)
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def to_csv(header: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    """A CSV file Japanese Excel opens as is.

    Args:
        header: column names, written first (neutralised like any text cell).
        rows: one sequence of values per line, each as long as `header`; values
            as `neutralise` takes them.
    Returns:
        bytes: UTF-8 with BOM, CRLF line ends, minimal quoting.
    Raises:
        ValueError: a row's length differs from the header's (the message gives
            the 1-based row number).
    """
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(name) for name in header])
    for number, row in enumerate(rows, 1):
        if len(row) != len(header):
            raise ValueError(f"row {number} has {len(row)} values, the header has {len(header)}")
        writer.writerow([neutralise(value) for value in row])
    return out.getvalue().encode("utf-8")
