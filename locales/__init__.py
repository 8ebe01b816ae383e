"""Translations (gettext catalogues under ``locales/<lang>/LC_MESSAGES/sumaho.po``).

Japanese is the source language: msgids are the Japanese text, so Japanese needs no
catalogue and every other language is a ``.po`` file translated from it. Catalogues
are read with babel, so no compile step is needed on a fresh machine.

`_()` looks up the language of the current script run (a context variable), so two
browser sessions in one Streamlit process can use different languages.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
from pathlib import Path
from typing import Callable

from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent
DOMAIN = "sumaho"
DEFAULT_LANGUAGE = "ja"
LANGUAGES = {"ja": "日本語", "en": "English"}

_language: contextvars.ContextVar[str] = contextvars.ContextVar("language")
# Where a context that never called `set_language` finds its language: the UI
# registers the browser session's choice, so messages made in widget callbacks
# (which run before the page sets the language) come in the chosen language.
_source: Callable[[], str | None] = lambda: None


@functools.lru_cache(maxsize=None)
def _catalogue(language: str) -> dict[str, str]:
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if language == DEFAULT_LANGUAGE or not path.exists():
        return {}
    with path.open("rb") as f:
        catalog = read_po(f, locale=language)
    return {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}


def set_language_source(source: Callable[[], str | None]) -> None:
    """Tell `_()` where to find the language when the current context has none
    set: `source()` returns a code of `LANGUAGES`, or None for Japanese."""
    global _source
    _source = source


def set_language(language: str) -> None:
    """Use `language` ("ja" or "en") for `_()` in the current run.

    Raises:
        ValueError: an unknown language code.
    """
    if language not in LANGUAGES:
        raise ValueError(f"unknown language: {language}")
    _language.set(language)


@contextlib.contextmanager
def language(code: str):
    """Use `code` for `_()` inside the ``with`` block only, e.g. to print an English
    handout from a Japanese screen.

    Raises:
        ValueError: an unknown language code.
    """
    if code not in LANGUAGES:
        raise ValueError(f"unknown language: {code}")
    token = _language.set(code)
    try:
        yield
    finally:
        _language.reset(token)


def current_language() -> str:
    """The language code `_()` uses now: the one set in this context, else the
    registered source's, else "ja"."""
    try:
        return _language.get()
    except LookupError:
        code = _source()
        code = code if code in LANGUAGES else DEFAULT_LANGUAGE
        _language.set(code)
        return code


def _(message: str) -> str:
    """Translate a Japanese msgid into the current language; untranslated text falls back to Japanese."""
    return _catalogue(current_language()).get(message, message)
