"""アカウント (admin): create accounts, unlock, reset passwords, change roles,
enable/disable; failed sign-ins; active sign-in sessions, which the admin can end."""

import streamlit as st

import ui
from db import accounts, sign_in_sessions, volunteers
from db.clock import JST
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
    if created:
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
        ui.attempt(
            accounts.set_active,
            user_id,
            active,
            success=_("有効にしました。") if active else _("無効にしました。この方のサインイン状態はすべて終わりました。"),
        )


def _set_role() -> None:
    state = st.session_state
    if (user_id := _selected()) is not None:
        ui.attempt(
            accounts.set_role,
            user_id,
            state["acc_new_role"],
            state.get("acc_new_volunteer"),
            success=_("役割を変えました。この方は次のサインインから新しい役割になります。"),
        )


def _end_session(session_id: int) -> None:
    ui.attempt(sign_in_sessions.end_session, session_id, success=_("サインイン状態を終了しました。"))


def _when(moment) -> str:
    return f"{moment.astimezone(JST):%m/%d %H:%M}"


users = ui.read(accounts.list_users, who)
failures = ui.read(accounts.recent_failures, who)
st.dataframe(
    [
        {
            _("ユーザー名"): u.username,
            _("役割"): _(ROLES[u.role]),
            _("状態"): _("有効") if u.active else _("無効"),
            _("失敗したサインイン（24時間）"): (
                _("{n} 回（端末 {b} 台、うちロック中 {locked} 台）").format(
                    n=failures[u.username].failed, b=failures[u.username].browsers, locked=failures[u.username].locked_browsers
                )
                if u.username in failures
                else ""
            ),
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
    # Thousands of volunteers in a city: the form offers those found by the search.
    query = st.text_input(_("ボランティアを探す（氏名・フリガナ・電話番号の一部）"), key="acc_volunteer_query", max_chars=40)
    people = {v.id: v.name for v in ui.read(volunteers.find_volunteers, query, active_only=True, limit=20)}
    with st.form("new_account"):
        st.text_input(_("ユーザー名（半角英数字）"), key="acc_username", max_chars=32)
        st.text_input(_("はじめのパスワード（10文字以上）"), type="password", key="acc_password")
        st.selectbox(_("役割"), options=list(ROLES), format_func=lambda r: _(ROLES[r]), key="acc_role", index=1)
        st.selectbox(_("ボランティアの登録（役割がボランティアのとき）"), options=list(people), format_func=people.get, index=None, key="acc_volunteer", placeholder=_("選んでください"))
        st.text_input(_("メールアドレス（任意・組織のサインイン用）"), key="acc_email")
        st.form_submit_button(_("作る"), type="primary", on_click=_create, key="acc_submit")
with right:
    st.subheader(_("アカウントの管理"))
    names = {u.id: u.username for u in users}
    st.selectbox(_("操作するアカウント"), options=list(names), format_func=names.get, index=None, key="acc_target", placeholder=_("選んでください"))
    a, b, c = st.columns(3)
    a.button(_("ロック解除"), on_click=_unlock, key="acc_unlock")
    b.button(_("有効にする"), on_click=_set_active, args=(True,), key="acc_enable")
    c.button(_("無効にする"), on_click=_set_active, args=(False,), key="acc_disable")
    st.text_input(_("新しいパスワード（10文字以上）"), type="password", key="acc_new_password")
    st.button(_("パスワードを再設定"), on_click=_reset, key="acc_reset")
    role_col, person_col = st.columns(2)
    role_col.selectbox(_("新しい役割"), options=list(ROLES), format_func=lambda r: _(ROLES[r]), key="acc_new_role")
    person_col.selectbox(
        _("ボランティアの登録（ボランティアにするとき）"), options=list(people), format_func=people.get, index=None, key="acc_new_volunteer", placeholder=_("選んでください")
    )
    st.button(_("役割を変える"), on_click=_set_role, key="acc_set_role")

st.subheader(_("サインイン中の端末"))
st.caption(_("操作がないまま{minutes}分たつか、サインインから12時間で自動的に終わります。").format(minutes=ui.read(accounts.idle_timeout_min)))
active = ui.read(sign_in_sessions.active_sessions, who)
if not active:
    st.caption(_("サインイン中の端末はありません。"))
for s in active:
    left, mid, right = st.columns([2, 4, 1], vertical_alignment="center")
    left.text(s.username)
    mid.text(_("{start} から・最後の操作 {seen}・{agent}").format(start=_when(s.created_at), seen=_when(s.last_seen_at), agent=s.user_agent[:80] or "—"))
    right.button(_("終了"), key=f"end_session_{s.id}", on_click=_end_session, args=(s.id,))
