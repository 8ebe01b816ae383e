"""Outcomes of writes and the messages that tell the user about them.

Pages write in callbacks (DESIGN.md §5); a callback's message must survive the
rerun that follows, so it is queued (`flash`) and shown at the top of the next
run (`show_flash`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import streamlit as st

import db
from db.errors import DeskError
from ui.plain import md

FLASH_KEY = "_flash"
ICONS = {"success": ":material/check_circle:", "error": ":material/error:", "warning": ":material/warning:"}


@dataclass(frozen=True)
class Outcome:
    """What a write did: `ok` tells success from refusal (a db function may
    return None on success), `value` is what it returned, `error` the refusal.
    True when it worked, so ``if ui.attempt(...):`` reads as "if it worked"."""

    ok: bool
    value: object = None
    error: DeskError | None = None

    def __bool__(self) -> bool:
        return self.ok


def flash(kind: str, message: str) -> None:
    """Queue a message ("success" / "error" / "warning" / "info") for the next run."""
    st.session_state.setdefault(FLASH_KEY, []).append((kind, message))


def show_flash() -> None:
    """Show and clear the queued messages; call near the top of a page."""
    for kind, message in st.session_state.pop(FLASH_KEY, []):
        # Messages may quote what a user typed (a name, a cell of an imported file).
        getattr(st, kind)(md(message), icon=ICONS.get(kind, ":material/info:"))


def run_write(action: Callable[..., object], *args: object, success: str | Callable[[object], str] = "", **kwargs: object) -> Outcome:
    """Run `action(database, *args, **kwargs)` on a fresh connection; a refused
    rule becomes an error message and changes nothing.

    Args:
        success: the message shown after it worked, or a function of the value
            returned that makes one ("" for none).
    Returns:
        Outcome.
    """
    try:
        with db.connect() as database:
            result = action(database, *args, **kwargs)
    except DeskError as err:
        flash("error", str(err))
        return Outcome(False, error=err)
    message = success(result) if callable(success) else success
    if message:
        flash("success", message)
    return Outcome(True, result)


def run_as(actor, action: Callable[..., object], *args: object) -> object:
    """Run `action(database, actor, *args)` on a fresh connection, away from the
    script run: in a deferred download (st.download_button with a callable), which
    Streamlit runs on another thread where session state is not available.

    Returns:
        what `action` returns. Raises: whatever `action` raises (DeskError…).
    """
    with db.connect() as database:
        return action(database, actor, *args)


def read(query: Callable[..., object], *args: object, **kwargs: object) -> object:
    """Run a db read function on a fresh connection: query(database, *args, **kwargs)."""
    with db.connect() as database:
        return query(database, *args, **kwargs)
