"""アカウント (admin): create accounts, unlock, reset passwords, enable/disable."""

import streamlit as st

import ui
from db import accounts, volunteers
from db.permissions import ROLES
from locales import _

who = ui.guard("accounts")
st.title(_("アカウント"))
ui.show_flash()


def _create() -> None:
    state = st.session_state
    created = ui.attempt(
        accounts.create_user,
        state["acc_username"],
        state["acc_password"],
        state["acc_role"],
        state.get("acc_volunteer"),
        state["acc_email"],
        success=_("アカウントを作りました。"),
    )
    state["acc_password"] = ""
    if created is not None:
        for key in ("acc_username", "acc_email"):
            state[key] = ""


def _selected() -> int | None:
    user_id = st.session_state.get("acc_target")
    if user_id is None:
        ui.flash("error", _("アカウントを選んでください。"))
    return user_id


def _unlock() -> None:
    if (user_id := _selected()) is not None:
        ui.attempt(accounts.unlock, user_id, success=_("ロックを解除しました。"))


def _reset() -> None:
    if (user_id := _selected()) is not None:
        ui.attempt(accounts.reset_password, user_id, st.session_state["acc_new_password"], success=_("パスワードを再設定しました。"))
    st.session_state["acc_new_password"] = ""


def _set_active(active: bool) -> None:
    if (user_id := _selected()) is not None:
        ui.attempt(accounts.set_active, user_id, active, success=_("有効にしました。") if active else _("無効にしました。"))


users = ui.read(accounts.list_users, who)
st.dataframe(
    [
        {
            _("ユーザー名"): u.username,
            _("役割"): _(ROLES[u.role]),
            _("状態"): _("有効") if u.active else _("無効"),
            _("ロック"): _("ロック中") if u.locked_until else "",
            _("最後のサインイン"): u.last_login_at or "",
        }
        for u in users
    ],
    hide_index=True,
    width="stretch",
)

left, right = st.columns(2)
with left:
    st.subheader(_("アカウントを作る"))
    people = {v.id: v.name for v in ui.read(volunteers.list_volunteers)}
    with st.form("new_account"):
        st.text_input(_("ユーザー名（半角英数字）"), key="acc_username", max_chars=32)
        st.text_input(_("はじめのパスワード（10文字以上）"), type="password", key="acc_password")
        st.selectbox(_("役割"), options=list(ROLES), format_func=lambda r: _(ROLES[r]), key="acc_role", index=1)
        st.selectbox(_("ボランティアの登録（役割がボランティアのとき）"), options=list(people), format_func=people.get, index=None, key="acc_volunteer")
        st.text_input(_("メールアドレス（任意・組織のサインイン用）"), key="acc_email")
        st.form_submit_button(_("作る"), type="primary", on_click=_create, key="acc_submit")
with right:
    st.subheader(_("アカウントの管理"))
    names = {u.id: u.username for u in users}
    st.selectbox(_("アカウント"), options=list(names), format_func=names.get, index=None, key="acc_target")
    a, b, c = st.columns(3)
    a.button(_("ロック解除"), on_click=_unlock, key="acc_unlock")
    b.button(_("有効にする"), on_click=_set_active, args=(True,), key="acc_enable")
    c.button(_("無効にする"), on_click=_set_active, args=(False,), key="acc_disable")
    st.text_input(_("新しいパスワード（10文字以上）"), type="password", key="acc_new_password")
    st.button(_("パスワードを再設定"), on_click=_reset, key="acc_reset")
