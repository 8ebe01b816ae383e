"""Streamlit glue the pages share. Only `app.py` and `app_pages/` import it.

- `ui.navigation`: the screens and who may open each;
- `ui.sign_in`: who is signed in, the cookie hand-off, sign-out, the guard;
- `ui.feedback`: the outcome of a write and the messages about it;
- `ui.widgets`: the availability editor and the words describing a session.
"""

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

import locales
from ui.feedback import Outcome, flash, read, run_as, run_write, show_flash
from ui.navigation import PAGE_BY_KEY, PAGES, home_page, may_open
from ui.sign_in import actor, attempt, current_actor, guard
from ui.widgets import availability_editor, page_of, queue_text, register_picker, seats_text, session_label, session_marks, session_picker, staffing_text



def _browser_language() -> str | None:
    """The language this browser session chose, inside a script run only."""
    return st.session_state.get("language") if get_script_run_ctx(suppress_warning=True) else None


locales.set_language_source(_browser_language)

__all__ = [
    "Outcome", "flash", "read", "run_as", "run_write", "show_flash", "PAGE_BY_KEY", "PAGES", "home_page", "may_open",
    "actor", "attempt", "current_actor", "guard", "availability_editor", "seats_text", "session_label",
    "session_marks", "staffing_text", "register_picker", "session_picker", "queue_text", "page_of",
]
