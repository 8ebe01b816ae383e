"""ボランティア: register volunteers and staff sessions as lead (講師) or helper (補助).

Thousands of volunteers in a large city: the list is paginated and searchable,
volunteers are picked by searching, sessions by their day, and only the open
tab is computed.
"""

import functools

import streamlit as st

import ui
from db import settings, volunteers
from db.clock import today_jst
from db.reports import fiscal_year_of
from locales import _
from printouts.dates import duration, format_date
from ui import plain
from views.certificate import certificate_pdf

PICK_LIMIT = 20

ui.guard("volunteers")
st.title(_("ボランティア"))
ui.show_flash()


def _register() -> None:
    state = st.session_state
    registered = ui.attempt(
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
    if registered:
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
        state["assign_pick"],
        state["assign_volunteer"],
        state["assign_role"],
        success=_("担当を決めました。"),
    ):
        for warning in ui.read(volunteers.staffing_warnings, state["assign_pick"], state["assign_volunteer"]):
            ui.flash("warning", warning)


def _minutes(shift_id: int) -> None:
    minutes = st.session_state[f"shift_minutes_{shift_id}"]
    ui.attempt(volunteers.set_shift_minutes, shift_id, int(minutes), success=_("活動時間を直しました。"))


def _set_active(volunteer_id: int, active: bool) -> None:
    ui.attempt(
        volunteers.set_active, volunteer_id, active, success=_("活動中に戻しました。") if active else _("活動終了にしました。")
    )


def _remove(shift_id: int) -> None:
    ui.attempt(volunteers.remove_shift, shift_id, success=_("担当を外しました。"))


def _pick(label: str, key: str, active_only: bool) -> int | None:
    """A volunteer found by part of the name, フリガナ or phone: a search box and
    the first `PICK_LIMIT` matches (thousands of names never go in one list)."""
    query = st.text_input(
        _("{label}を探す（氏名・フリガナ・電話番号の一部）").format(label=label), key=f"{key}_query", max_chars=40
    )
    found = {v.id: v for v in ui.read(volunteers.find_volunteers, query, active_only=active_only, limit=PICK_LIMIT)}
    if not found:
        st.caption(_("該当するボランティアはいません。"))
        return None
    return st.selectbox(
        label,
        options=list(found),
        format_func=lambda i: f"{found[i].name}（{_(volunteers.KINDS[found[i].kind])}・{'、'.join(found[i].skills) or _('得意分野なし')}）",
        index=None,
        key=key,
        placeholder=_("{n} 人から選ぶ").format(n=len(found)),
    )


staff_tab, register_tab, list_tab, availability_tab, hours_tab = st.tabs(
    [_("開催回の担当"), _("ボランティアを登録"), _("ボランティア一覧"), _("活動可能日"), _("活動時間・証明書")],
    key="volunteer_tab",
    on_change="rerun",
)
# Only the open tab is computed and drawn.
if staff_tab.open:
    with staff_tab:
        session = ui.session_picker("assign", keep=lambda s: s.status == "scheduled", first=today_jst())
        if session is not None:
            session_id = session.id
            st.markdown(
                _("必要な担当：講師 1 人・補助 {needed} 人（いま 講師 {leads} 人・補助 {helpers} 人）").format(
                    needed=session.helpers_needed, leads=session.leads, helpers=session.helpers
                )
            )
            if session.understaffed:
                st.warning(_("担当が足りません。"), icon=":material/group_add:")
            for shift in ui.read(volunteers.list_shifts, session_id):
                left, mid, right = st.columns([3, 2, 1], vertical_alignment="bottom")
                left.markdown(f"{_(volunteers.ROLES[shift.role])}：{plain.md(shift.name)}")
                mid.number_input(
                    _("活動時間（分）"),
                    min_value=1,
                    max_value=720,
                    value=shift.minutes,
                    step=15,
                    key=f"shift_minutes_{shift.id}",
                    on_change=_minutes,
                    args=(shift.id,),
                )
                right.button(_("外す"), key=f"remove_shift_{shift.id}", on_click=_remove, args=(shift.id,))
            left, right = st.columns([3, 1])
            with left:
                _pick(_("担当する方"), "assign_volunteer", active_only=True)
            right.radio(_("役割"), options=list(volunteers.ROLES), format_func=volunteers.ROLES.get, key="assign_role")
            st.button(_("担当にする"), type="primary", on_click=_assign, key="assign_button")

if register_tab.open:
    with register_tab:
        with st.form("register_volunteer", enter_to_submit=False):
            left, right = st.columns(2)
            left.text_input(_("氏名"), key="vol_name", max_chars=40)
            right.text_input(_("フリガナ"), key="vol_kana", max_chars=40)
            left.text_input(_("電話番号"), key="vol_phone", max_chars=20)
            right.text_input(_("メールアドレス（任意）"), key="vol_email", max_chars=100)
            st.selectbox(_("種別"), options=list(volunteers.KINDS), format_func=volunteers.KINDS.get, key="vol_kind")
            st.multiselect(_("得意分野"), options=list(volunteers.SKILLS), key="vol_skills", placeholder=_("選んでください"))
            left, right = st.columns(2)
            left.number_input(_("1か月の担当の上限（0 は上限なし）"), min_value=0, max_value=31, value=0, key="vol_max")
            right.number_input(_("委嘱の年度（デジタル推進委員）"), min_value=2020, max_value=2100, value=fiscal_year_of(today_jst()), key="vol_fy")
            st.form_submit_button(_("登録する"), type="primary", on_click=_register, key="register_volunteer_button")

if list_tab.open:
    with list_tab:
        left, right = st.columns([3, 1], vertical_alignment="bottom")
        query = left.text_input(_("探す（氏名・フリガナ・電話番号の一部）"), key="vol_list_query", max_chars=40)
        total = ui.read(volunteers.count_volunteers, query)
        pages = max(1, -(-total // volunteers.PAGE_SIZE))
        page = right.number_input(_("ページ（全 {pages}）").format(pages=pages), min_value=1, max_value=pages, value=1, key="vol_list_page")
        shown = ui.read(volunteers.find_volunteers, query, limit=volunteers.PAGE_SIZE, offset=(min(page, pages) - 1) * volunteers.PAGE_SIZE)
        if not shown:
            st.info(_("該当するボランティアはいません。") if query else _("ボランティアはまだ登録されていません。"))
        else:
            first = (min(page, pages) - 1) * volunteers.PAGE_SIZE + 1
            st.caption(_("{total} 人中 {first}〜{last} 人目").format(total=total, first=first, last=first + len(shown) - 1))
            kinds = {code: _(label) for code, label in volunteers.KINDS.items()}
            active_label, ended_label = _("活動中"), _("活動終了")
            st.table(
                plain.rows([
                    {
                        _("氏名"): v.name,
                        _("フリガナ"): v.name_kana,
                        _("種別"): kinds[v.kind],
                        _("得意分野"): "、".join(v.skills),
                        _("電話番号"): v.phone,
                        _("状態"): active_label if v.active else ended_label,
                    }
                    for v in shown
                ]),
                hide_index=True,
                width="stretch",
            )
            names = {v.id: v for v in shown}
            left, right = st.columns([3, 1], vertical_alignment="bottom")
            chosen_id = left.selectbox(_("活動の状態を変える方"), options=list(names), format_func=lambda i: names[i].name, index=None, key="active_volunteer", placeholder=_("選んでください"))
            if chosen_id is not None:
                now_active = names[chosen_id].active
                right.button(
                    _("活動終了にする") if now_active else _("活動中に戻す"),
                    key="toggle_active",
                    on_click=_set_active,
                    args=(chosen_id, not now_active),
                )

if availability_tab.open:
    with availability_tab:
        chosen = _pick(_("ボランティア"), "avail_volunteer", active_only=True)
        if chosen is not None:
            ui.availability_editor(chosen)

if hours_tab.open:
    with hours_tab:
        left, right = st.columns(2)
        with left:
            person = _pick(_("ボランティア"), "hours_volunteer", active_only=False)
        this_year = fiscal_year_of(today_jst())
        year = right.selectbox(
            _("年度"), options=[this_year, this_year - 1, this_year - 2], format_func=lambda y: _("{year}年度").format(year=y), key="hours_year"
        )
        if person is not None:
            done = ui.read(volunteers.hours, ui.actor(), person, year)
            st.metric(_("活動時間"), duration(done.total_minutes), help=_("実施済みの担当の合計（{n} 回）").format(n=len(done.activities)))
            if not done.activities:
                st.info(_("この年度の活動はまだありません。"))
            else:
                st.table(
                    [
                        {_("日付"): format_date(a.day), _("講座"): a.lesson_title, _("役割"): _(volunteers.ROLES[a.role]), _("時間"): duration(a.minutes)}
                        for a in done.activities
                    ],
                    hide_index=True,
                    width="stretch",
                )
                st.text_input(_("証明者（例：館長の職名と氏名。空欄なら施設名のみ）"), max_chars=60, key="cert_issuer")
                st.download_button(
                    _("活動証明書（PDF）"),
                    data=functools.partial(certificate_pdf, done, ui.read(settings.get_settings), today_jst(), st.session_state.get("cert_issuer", "")),
                    file_name=f"certificate-{person}-{year}.pdf",
                    mime="application/pdf",
                    icon=":material/workspace_premium:",
                    on_click="ignore",
                    key="cert_download",
                )
