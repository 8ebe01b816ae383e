"""パスワード変更: change the signed-in user's own password."""

import streamlit as st

import ui
from db import accounts
from locales import _

who = ui.guard("account")
st.title(_("パスワード変更"))
ui.show_flash()


def _change() -> None:
    state = st.session_state
    if state["pw_new"] != state["pw_new2"]:
        ui.flash("error", _("新しいパスワードが一致しません。"))
        return
    ui.attempt(accounts.change_own_password, state["pw_current"], state["pw_new"], success=_("パスワードを変更しました。"))
    for key in ("pw_current", "pw_new", "pw_new2"):
        state[key] = ""


st.caption(_("ユーザー名：{user}").format(user=who.username))
with st.form("change_password"):
    st.text_input(_("いまのパスワード"), type="password", key="pw_current")
    st.text_input(_("新しいパスワード（10文字以上）"), type="password", key="pw_new")
    st.text_input(_("新しいパスワード（確認）"), type="password", key="pw_new2")
    st.form_submit_button(_("変更する"), type="primary", on_click=_change, key="pw_submit")
