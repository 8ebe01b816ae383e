"""Sumaho Desk entry point: page config, who is signed in, navigation."""

import streamlit as st

import db
import ui
from db import accounts
from locales import LANGUAGES, _, set_language
from ui import sign_in


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

if not has_admin:
    pages = {"setup": st.Page("app_pages/setup.py", title=_("はじめの設定"), icon=":material/settings:", url_path="setup", default=True)}
else:
    # Every page is registered so a URL always reaches its own guard (which asks
    # to sign in, or refuses); the menu shows only the pages this role may open.
    first = ui.home_page(who.role) if who is not None else None
    pages = {}
    if who is None:
        pages["sign-in"] = st.Page("app_pages/sign_in.py", title=_("サインイン"), icon=":material/login:", url_path="sign-in", default=True)
    for p in ui.PAGES:
        pages[p.key] = st.Page(
            f"app_pages/{p.key}.py",
            title=_(p.title),
            icon=p.icon,
            url_path=p.key,
            default=p.key == first,
            visibility="visible" if who is not None and who.role in p.roles else "hidden",
        )

navigation = st.navigation(list(pages.values()))
current = next(key for key, page in pages.items() if page is navigation)
st.session_state[sign_in.PAGE_KEY] = current
landing = sign_in.hand_off(current)
if landing is not None:
    st.switch_page(pages[landing])
with st.sidebar:
    st.caption(_("スマホ教室・デジタル相談デスク"))
    st.selectbox("言語 / Language", options=list(LANGUAGES), format_func=LANGUAGES.get, key="language")
    if who is not None:
        st.caption(_("{user}（{role}）でサインイン中").format(user=who.username, role=_(accounts.ROLES.get(who.role, who.role))))
        st.button(_("サインアウト"), on_click=sign_in.sign_out, icon=":material/logout:", key="sign_out")
        sign_in.watch()
navigation.run()
