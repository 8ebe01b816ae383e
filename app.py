"""Sumaho Desk entry point: page config, who is signed in, navigation."""

import contextlib

import streamlit as st
from streamlit.errors import StreamlitAPIException

import db
import ui
from db import accounts
from locales import LANGUAGES, _, set_language
from ui import sign_in
from ui.widgets import close_sidebar_on_narrow_screens


def _language_changed() -> None:
    # Widgets keep a choice by its label, which the new language changes: give
    # each its value again, so the chosen session and the like survive the switch.
    for key in list(st.session_state):
        if key != "language":
            with contextlib.suppress(StreamlitAPIException):
                st.session_state[key] = st.session_state[key]


@st.cache_resource
def ensure_database() -> str:
    """Create or migrate the database once per server process; returns its path."""
    return str(db.init_db())


# The language of this browser session, chosen in the sidebar (Japanese first).
set_language(st.session_state.get("language", "ja"))
st.set_page_config(page_title=_("スマホ教室・デジタル相談デスク"), page_icon=":material/smartphone:", layout="wide")
ensure_database()

has_admin = ui.read(accounts.has_admin)
who = sign_in.resolve()

menu: dict[str, list] = {}
if not has_admin:
    pages = {"setup": st.Page("app_pages/setup.py", title=_("はじめの設定"), icon=":material/settings:", url_path="setup", default=True)}
    menu[""] = list(pages.values())
else:
    # Every page is registered so a URL always reaches its own guard (which asks
    # to sign in, or refuses); the menu shows, in sections, only the pages this
    # role may open, and the rest are hidden.
    first = ui.home_page(who.role) if who is not None else None
    pages = {}
    if who is None:
        pages["sign-in"] = st.Page("app_pages/sign_in.py", title=_("サインイン"), icon=":material/login:", url_path="sign-in", default=True)
        menu[""] = [pages["sign-in"]]
    hidden = []
    for p in ui.PAGES:
        visible = who is not None and who.role in p.roles
        pages[p.key] = st.Page(
            f"app_pages/{p.key}.py",
            title=_(p.title),
            icon=p.icon,
            url_path=p.key,
            default=p.key == first,
            visibility="visible" if visible else "hidden",
        )
        if visible:
            menu.setdefault(_(p.section), []).append(pages[p.key])
        else:
            hidden.append(pages[p.key])
    # Hidden pages sit in the last section, which they do not show in.
    menu.setdefault(next(reversed(menu)) if menu else "", []).extend(hidden)

navigation = st.navigation(menu, expanded=True)
current = next(key for key, page in pages.items() if page is navigation)
if st.session_state.get(sign_in.PAGE_KEY) not in (None, current):
    close_sidebar_on_narrow_screens()
st.session_state[sign_in.PAGE_KEY] = current
landing = sign_in.hand_off(current)
if landing is not None:
    st.switch_page(pages[landing])
with st.sidebar:
    st.caption(_("スマホ教室・デジタル相談デスク"))
    st.selectbox("言語 / Language", options=list(LANGUAGES), format_func=LANGUAGES.get, key="language", on_change=_language_changed)
    if who is not None:
        st.caption(_("{user}（{role}）でサインイン中").format(user=who.username, role=_(accounts.ROLES.get(who.role, who.role))))
        st.button(_("サインアウト"), on_click=sign_in.sign_out, icon=":material/logout:", key="sign_out")
        sign_in.watch()
navigation.run()
