"""サインイン: local accounts, plus single sign-on when an OIDC provider is configured."""

import streamlit as st

import ui
from db import accounts
from locales import _
from ui import sign_in

st.title(_("サインイン"))
ui.show_flash()


def _sso_configured() -> bool:
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False


sign_in.sign_in_form()

if _sso_configured():
    st.divider()
    if st.user.get("is_logged_in", False):
        who = ui.read(accounts.actor_for_email, st.user.get("email", ""))
        if who is None:
            st.error(_("このメールアドレスのアカウントはありません。管理者にご連絡ください。"))
            st.button(_("組織のアカウントからサインアウト"), on_click=st.logout, key="sso_logout")
        else:
            sign_in.start(who)
            st.rerun()
    else:
        st.button(_("組織のアカウントでサインイン"), on_click=st.login, icon=":material/badge:", key="sso_login")
