"""Sumaho Desk entry point: page config, sign-in gate, idle timeout, navigation."""

import streamlit as st

import ui
from db import accounts, settings
from locales import LANGUAGES, _, set_language

# The language of this browser session, chosen in the sidebar (Japanese first).
set_language(st.session_state.get("language", "ja"))
st.set_page_config(page_title=_("スマホ教室・デジタル相談デスク"), page_icon=":material/smartphone:", layout="wide")
ui.ensure_database()
ui.start_daily_backups()

has_admin = ui.read(accounts.has_admin)
config = ui.read(settings.get_settings)
ui.enforce_idle_timeout(config.idle_timeout_min)
who = ui.current_actor()

if not has_admin:
    pages = [st.Page("app_pages/setup.py", title=_("はじめの設定"), icon=":material/settings:", url_path="setup", default=True)]
else:
    # Every page is registered so a URL always reaches its own guard (which asks
    # to sign in, or refuses); the menu shows only the pages this role may open.
    first = ui.home_page(who.role) if who is not None else None
    pages = [
        st.Page(
            f"app_pages/{p.key}.py",
            title=_(p.title),
            icon=p.icon,
            url_path=p.key,
            default=p.key == first,
            visibility="visible" if who is not None and who.role in p.roles else "hidden",
        )
        for p in ui.PAGES
    ]
    if who is None:
        pages.insert(0, st.Page("app_pages/sign_in.py", title=_("サインイン"), icon=":material/login:", url_path="sign-in", default=True))

navigation = st.navigation(pages)
with st.sidebar:
    st.caption(_("スマホ教室・デジタル相談デスク"))
    st.selectbox("言語 / Language", options=list(LANGUAGES), format_func=LANGUAGES.get, key="language")
    if who is not None:
        st.caption(_("{user}（{role}）でサインイン中").format(user=who.username, role=_(accounts.ROLES.get(who.role, who.role))))
        st.button(_("サインアウト"), on_click=ui.sign_out, icon=":material/logout:", key="sign_out")
navigation.run()
