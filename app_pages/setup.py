"""はじめの設定: create the first administrator on a brand-new database.

The page exists only while there is no administrator (`app.py` shows nothing else
then, and never shows it again).
"""

import streamlit as st

import ui
from db import accounts
from locales import _
from ui import sign_in

st.title(_("はじめの設定"))
st.write(_("最初の管理者アカウントを作ります。管理者は、職員やボランティアのアカウントを作れます。"))
ui.show_flash()


def _create() -> None:
    state = st.session_state
    if state["setup_password"] != state["setup_password2"]:
        ui.flash("error", _("パスワードが一致しません。"))
        return
    created = ui.run_write(accounts.create_first_admin, state["setup_username"], state["setup_password"])
    who = ui.run_write(accounts.authenticate, state["setup_username"], state["setup_password"], sign_in.client()) if created else None
    for key in ("setup_password", "setup_password2"):
        state[key] = ""
    if who:
        sign_in.start(who.value)
        ui.flash("success", _("管理者アカウントを作りました。「施設と設定」で施設名と電話番号を登録してください。"))


with st.form("setup", enter_to_submit=True):
    st.text_input(_("ユーザー名（半角英数字）"), key="setup_username", max_chars=32)
    st.text_input(_("パスワード（10文字以上）"), type="password", key="setup_password")
    st.text_input(_("パスワード（確認）"), type="password", key="setup_password2")
    st.form_submit_button(_("管理者を作る"), type="primary", on_click=_create, key="setup_submit")
