"""ボランティア: register volunteers and staff sessions as lead (講師) or helper (補助)."""

import streamlit as st

import ui
from db import sessions, volunteers
from db.clock import today_jst
from db.reports import fiscal_year_of
from locales import _

ui.guard("volunteers")
st.title(_("ボランティア"))
ui.show_flash()


def _register() -> None:
    state = st.session_state
    new_id = ui.attempt(
        volunteers.register_volunteer,
        state["vol_name"],
        state["vol_kana"],
        state["vol_phone"],
        state["vol_kind"],
        state["vol_skills"],
        state["vol_email"],
        int(state["vol_max"]) or None,
        int(state["vol_fy"]) if state["vol_kind"] == "promoter" else None,
        success=_("ボランティアを登録しました。"),
    )
    if new_id is not None:
        for key in ("vol_name", "vol_kana", "vol_phone", "vol_email"):
            state[key] = ""
        state["vol_skills"] = []


def _assign() -> None:
    state = st.session_state
    if state.get("assign_volunteer") is None:
        ui.flash("error", _("担当する方を選んでください。"))
        return
    if ui.attempt(
        volunteers.assign_shift,
        state["assign_session"],
        state["assign_volunteer"],
        state["assign_role"],
        success=_("担当を決めました。"),
    ) is not None:
        for warning in ui.read(volunteers.staffing_warnings, state["assign_session"], state["assign_volunteer"]):
            ui.flash("warning", warning)


def _remove(shift_id: int) -> None:
    ui.attempt(volunteers.remove_shift, shift_id, success=_("担当を外しました。"))


active = ui.read(volunteers.list_volunteers)
upcoming = [s for s in ui.read(sessions.list_sessions) if s.status == "scheduled"]

staff_tab, register_tab, list_tab, availability_tab = st.tabs(
    [_("開催回の担当"), _("ボランティアを登録"), _("ボランティア一覧"), _("活動可能日")], key="volunteer_tab", on_change="rerun"
)
with staff_tab:
    if not upcoming:
        st.info(_("予定されている開催回はありません。"))
    else:
        by_id = {s.id: s for s in upcoming}
        session_id = st.selectbox(_("開催回"), options=list(by_id), format_func=lambda i: ui.session_label(by_id[i]), key="assign_session")
        session = by_id[session_id]
        st.markdown(
            _("必要な担当：講師 1 人・補助 {needed} 人（いま 講師 {leads} 人・補助 {helpers} 人）").format(
                needed=session.helpers_needed, leads=session.leads, helpers=session.helpers
            )
        )
        if session.understaffed:
            st.warning(_("担当が足りません。"), icon=":material/group_add:")
        for shift in ui.read(volunteers.list_shifts, session_id):
            left, right = st.columns([4, 1])
            left.write(f"{volunteers.ROLES[shift.role]}：{shift.name}")
            right.button(_("外す"), key=f"remove_shift_{shift.id}", on_click=_remove, args=(shift.id,))
        people = {v.id: v for v in active}
        left, right = st.columns([3, 1])
        left.selectbox(
            _("担当する方"),
            options=list(people),
            format_func=lambda i: f"{people[i].name}（{volunteers.KINDS[people[i].kind]}・{'、'.join(people[i].skills) or _('得意分野なし')}）",
            index=None,
            key="assign_volunteer",
        )
        right.radio(_("役割"), options=list(volunteers.ROLES), format_func=volunteers.ROLES.get, key="assign_role")
        st.button(_("担当にする"), type="primary", on_click=_assign, key="assign_button")

with register_tab:
    with st.form("register_volunteer", enter_to_submit=False):
        left, right = st.columns(2)
        left.text_input(_("氏名"), key="vol_name", max_chars=40)
        right.text_input(_("フリガナ"), key="vol_kana", max_chars=40)
        left.text_input(_("電話番号"), key="vol_phone", max_chars=20)
        right.text_input(_("メールアドレス（任意）"), key="vol_email", max_chars=100)
        st.selectbox(_("種別"), options=list(volunteers.KINDS), format_func=volunteers.KINDS.get, key="vol_kind")
        st.multiselect(_("得意分野"), options=list(volunteers.SKILLS), key="vol_skills")
        left, right = st.columns(2)
        left.number_input(_("1か月の担当の上限（0 は上限なし）"), min_value=0, max_value=31, value=0, key="vol_max")
        right.number_input(_("委嘱の年度（デジタル推進委員）"), min_value=2020, max_value=2100, value=fiscal_year_of(today_jst()), key="vol_fy")
        st.form_submit_button(_("登録する"), type="primary", on_click=_register, key="register_volunteer_button")

with list_tab:
    if not active:
        st.info(_("ボランティアはまだ登録されていません。"))
    else:
        st.table(
            [
                {_("氏名"): v.name, _("フリガナ"): v.name_kana, _("種別"): volunteers.KINDS[v.kind], _("得意分野"): "、".join(v.skills), _("電話番号"): v.phone}
                for v in active
            ],
            hide_index=True,
            width="stretch",
        )

with availability_tab:
    volunteer_names = {v.id: v.name for v in active}
    if not volunteer_names:
        st.info(_("ボランティアはまだ登録されていません。"))
    else:
        chosen = st.selectbox(_("ボランティア"), options=list(volunteer_names), format_func=volunteer_names.get, key="avail_volunteer")
        ui.availability_editor(chosen)
