"""Helpers shared by the pages: database setup, the acting user, messages that
survive a rerun, and labels. Only `app.py` and `pages/` import this module.
"""

from __future__ import annotations

from typing import Callable

import streamlit as st

import db
from db.errors import DeskError
from locales import _
from printouts.dates import format_time_range

FLASH_KEY = "_flash"


@st.cache_resource
def ensure_database() -> str:
    """Create or migrate the database once per server process; returns its path."""
    return str(db.init_db())


def current_user() -> str:
    """The name written to the audit log for this browser session's writes.

    Until accounts exist every write is by the front desk ("desk").
    """
    return st.session_state.get("user", "desk")


def flash(kind: str, message: str) -> None:
    """Queue a message ("success" / "error" / "warning" / "info") for the next run."""
    st.session_state.setdefault(FLASH_KEY, []).append((kind, message))


def show_flash() -> None:
    """Show and clear the queued messages; call near the top of a page."""
    for kind, message in st.session_state.pop(FLASH_KEY, []):
        icon = {"success": ":material/check_circle:", "error": ":material/error:", "warning": ":material/warning:"}.get(kind, ":material/info:")
        getattr(st, kind)(message, icon=icon)


def attempt(action: Callable[..., object], *args: object, success: str = "") -> object | None:
    """Run a db write in a callback; a refused rule becomes an error message.

    Args:
        action: a `db` function taking (database, actor, *args).
        success: message shown after it worked ("" for none).
    Returns:
        what `action` returned, or None when it was refused (nothing changed).
    """
    try:
        with db.connect() as database:
            result = action(database, current_user(), *args)
    except DeskError as err:
        flash("error", str(err))
        return None
    if success:
        flash("success", success)
    return result


def read(query: Callable[..., object], *args: object) -> object:
    """Run a db read function on a fresh connection."""
    with db.connect() as database:
        return query(database, *args)


def session_label(session) -> str:
    """"令和8年（2026年）12月3日（木）10:00〜11:30 ｜ 講座名 ｜ 部屋" for pickers."""
    return f"{format_time_range(session.starts_at, session.ends_at)} ｜ {session.lesson_title} ｜ {session.room_name}"


def seats_text(session) -> str:
    """"予約 5 / 12 人（残り 7 席）" or "満席（12 / 12 人）"."""
    if session.is_full:
        return _("満席（{taken} / {capacity} 人）").format(taken=session.seats_taken, capacity=session.capacity)
    return _("予約 {taken} / {capacity} 人（残り {left} 席）").format(
        taken=session.seats_taken, capacity=session.capacity, left=session.seats_left
    )
