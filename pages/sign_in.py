"""サインイン: local accounts, plus single sign-on when an OIDC provider is configured."""

import streamlit as st

import ui
from db import accounts
from locales import _

st.title(_("サインイン"))
ui.show_flash()


def _sign_in() -> None:
    state = st.session_state
    who = ui.attempt_unsigned(accounts.authenticate, state["login_username"], state["login_password"])
    # The password never stays in the session, right or wrong.
    state["login_password"] = ""
    if who is not None:
        ui.sign_in(who)


def _sso_configured() -> bool:
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False


with st.form("sign_in", enter_to_submit=True):
    st.text_input(_("ユーザー名"), key="login_username", max_chars=32)
    st.text_input(_("パスワード"), type="password", key="login_password")
    st.form_submit_button(_("サインイン"), type="primary", on_click=_sign_in, key="login_submit")

if _sso_configured():
    st.divider()
    if st.user.get("is_logged_in", False):
        who = ui.read(accounts.actor_for_email, st.user.get("email", ""))
        if who is None:
            st.error(_("このメールアドレスのアカウントはありません。管理者にご連絡ください。"))
            st.button(_("組織のアカウントからサインアウト"), on_click=st.logout, key="sso_logout")
        else:
            ui.sign_in(who)
            st.rerun()
    else:
        st.button(_("組織のアカウントでサインイン"), on_click=st.login, icon=":material/badge:", key="sso_login")
