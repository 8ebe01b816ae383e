"""The English catalogue covers every msgid in the code, with the same placeholders.

Msgids are the Japanese strings passed to `_()`; locales/README.md says how to update
locales/sumaho.pot and locales/en/LC_MESSAGES/sumaho.po when this test fails.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.pofile import read_po

import locales
from locales import _

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locales" / "en" / "LC_MESSAGES" / "sumaho.po"
# The same paths as the `pybabel extract` command in locales/README.md.
SOURCES = ("app.py", "ui", "views", "serve.py", "app_pages", "db", "printouts", "lessons/__init__.py", "locales/msgids_extra.py")
EXTRA = "locales/msgids_extra.py"
UPDATE_HINT = "update the catalogue as locales/README.md says (pybabel extract, pybabel update) and translate"

# Japanese script (kana, kanji, half-width katakana) and full-width punctuation such as （）「」、。：
JAPANESE = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
# msgids whose English deliberately quotes Japanese: the importer reads only Japanese
# column headings and era dates, and the search matches names by kana.
QUOTES_JAPANESE = {
    "1行目に見出し（氏名・フリガナ・電話番号、あれば 年代・機種・配慮・メモ・同意日）がある .xlsx か .csv"
    "（Excel の UTF-8 / Shift_JIS）を選んでください。1行でも誤りがあれば、何も取り込みません。",
    "1行目に見出し（氏名・フリガナ・電話番号など）がありません。",
    "同意日「{value}」が読み取れません。2026/4/1 や 令和8年4月1日 の形で入れてください。",
    "例：1234、やまだ",
}


def _extract() -> dict[str, set[str]]:
    """msgid → where it is (file:line), read with babel's extractor (keyword `_` only)."""
    found: dict[str, set[str]] = {}
    for source in SOURCES:
        path = ROOT / source
        if path.is_dir():
            messages = (
                (f"{source}/{name}:{line}", message)
                for name, line, message, _comments, _context in extract_from_dir(
                    path, method_map=[("**.py", "python")], keywords={"_": None}, comment_tags=()
                )
            )
        else:
            messages = (
                (f"{source}:{line}", message)
                for line, message, _comments, _context in extract_from_file(
                    "python", path, keywords={"_": None}, comment_tags=()
                )
            )
        for where, message in messages:
            if message:
                found.setdefault(message, set()).add(where)
    return found


EXTRACTED = _extract()


def _catalogue():
    with PO.open("rb") as f:
        return read_po(f, locale="en")


CATALOGUE = _catalogue()
ENTRIES = [m for m in CATALOGUE if m.id]
TRANSLATIONS = {m.id: m.string for m in ENTRIES}


def _placeholders(text: str) -> set[str]:
    return {field for _literal, field, _spec, _conv in string.Formatter().parse(text) if field is not None}


def _literal_msgids_in_code() -> dict[str, str]:
    """Every `_("literal")` in the code, found with ast (so also those inside f-strings)."""
    found: dict[str, str] = {}
    for source in SOURCES[:-1]:
        path = ROOT / source
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id == "_"
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)
                ):
                    found.setdefault(node.args[0].value, f"{file.relative_to(ROOT)}:{node.lineno}")
    return found


def _labels_translated_through_a_variable() -> dict[str, str]:
    """Labels the code passes to `_()` as a variable, e.g. `_(ROLES[role])`."""
    import ui
    from db import bookings, exports, loans, permissions, volunteers
    from printouts import signin_sheet

    sources = {
        "ui.PAGES": [p.title for p in ui.PAGES],
        "db.permissions.ROLES": permissions.ROLES.values(),
        "db.volunteers.ROLES": volunteers.ROLES.values(),
        "db.bookings.STATUS_LABELS": bookings.STATUS_LABELS.values(),
        "db.exports.STATUS_LABELS": exports.STATUS_LABELS.values(),
        "printouts.signin_sheet.STATUS_LABELS": signin_sheet.STATUS_LABELS.values(),
        "db.loans.STATUSES": loans.STATUSES.values(),
        "db.loans.RETURNS": loans.RETURNS.values(),
    }
    return {label: where for where, labels in sources.items() for label in labels if label}


def test_the_catalogue_is_english_utf8_without_fuzzy_entries():
    assert str(CATALOGUE.locale) == "en"
    assert CATALOGUE.charset.lower() == "utf-8"
    assert not [m.id for m in ENTRIES if m.fuzzy], "fuzzy entries are ignored at runtime; review and unmark them"


def test_every_extracted_msgid_has_an_english_translation():
    assert len(EXTRACTED) > 100, "the extractor found almost nothing; are the source paths right?"
    missing = sorted(
        f"{msgid!r}  ({', '.join(sorted(where))})" for msgid, where in EXTRACTED.items() if not TRANSLATIONS.get(msgid, "").strip()
    )
    assert not missing, f"{len(missing)} msgid(s) without English; {UPDATE_HINT}:\n" + "\n".join(missing)


def test_msgids_babel_cannot_see_are_listed_for_extraction():
    # `pybabel extract` misses `_()` inside f-strings (Python 3.11) and labels passed
    # as variables; locales/msgids_extra.py lists them so the catalogue keeps them.
    hidden = {**_literal_msgids_in_code(), **_labels_translated_through_a_variable()}
    unlisted = sorted(f"{msgid!r}  ({where})" for msgid, where in hidden.items() if msgid not in EXTRACTED)
    assert not unlisted, f"add these to {EXTRA}, then {UPDATE_HINT}:\n" + "\n".join(unlisted)


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda m: m.id[:40])
def test_placeholders_are_kept(entry):
    assert _placeholders(entry.string) == _placeholders(entry.id)
    values = {name: "x" for name in _placeholders(entry.id)}
    entry.string.format(**values)  # no stray braces


def test_no_japanese_left_in_english_text():
    left = sorted(
        f"{m.id!r} -> {m.string!r}" for m in ENTRIES if m.id not in QUOTES_JAPANESE and JAPANESE.search(m.string)
    )
    assert not left, "English text with Japanese script or full-width punctuation:\n" + "\n".join(left)
    assert QUOTES_JAPANESE <= set(TRANSLATIONS), "QUOTES_JAPANESE lists msgids no longer in the catalogue"


def test_set_language_switches_the_translation():
    before = locales.current_language()
    try:
        locales.set_language("en")
        assert _("予約しました。") == TRANSLATIONS["予約しました。"] == "Booked."
        locales.set_language("ja")
        assert _("予約しました。") == "予約しました。"
    finally:
        locales.set_language(before)


def test_unknown_language_is_refused():
    before = locales.current_language()
    with pytest.raises(ValueError):
        locales.set_language("xx")
    assert locales.current_language() == before
