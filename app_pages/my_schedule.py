"""わたしの予定: a volunteer's own shifts, the rosters of those sessions (names and
devices, no phone numbers), and open shifts they can take."""

import streamlit as st

import ui
from db import bookings, volunteers
from locales import _

who = ui.guard("my_schedule")
st.title(_("わたしの予定"))
ui.show_flash()

if who.volunteer_id is None:
    st.warning(_("このアカウントはボランティアの登録と結びついていません。管理者にご連絡ください。"))
    st.stop()


def _take(session_id: int, role: str) -> None:
    ui.attempt(volunteers.assign_shift, session_id, who.volunteer_id, role, success=_("担当を引き受けました。"))


mine = ui.read(volunteers.my_shifts, who, who.volunteer_id)
st.subheader(_("担当する開催回"))
if mine:
    st.download_button(
        _("わたしの予定をカレンダーに入れる（.ics）"),
        data=ui.calendar_file([session for session, _role in mine]),
        file_name="my-shifts.ics",
        mime="text/calendar",
        icon=":material/event:",
        on_click="ignore",
        key="my_ics",
    )
if not mine:
    st.info(_("担当している開催回はまだありません。"))
for session, role in mine:
    with st.container(border=True):
        st.markdown(f"**{ui.session_label(session)}**")
        st.caption(_("役割：{role} ・ {seats}").format(role=_(volunteers.ROLES[role]), seats=ui.seats_text(session)))
        roster = ui.read(bookings.roster, who, session.id)
        if roster:
            st.table(
                [{_("氏名"): r.name, _("フリガナ"): r.name_kana, _("機種"): r.device or "—"} for r in roster],
                hide_index=True,
                width="stretch",
            )
        else:
            st.caption(_("まだ予約はありません。"))

st.subheader(_("担当が足りない開催回"))
open_sessions = ui.read(volunteers.open_shifts, who)
if not open_sessions:
    st.info(_("いま担当が足りない開催回はありません。"))
for session in open_sessions:
    with st.container(border=True):
        st.markdown(f"**{ui.session_label(session)}**")
        need_lead = session.leads < 1
        st.caption(
            _("講師 {lead}・補助 {helpers}/{needed}").format(lead="○" if session.leads else "×", helpers=session.helpers, needed=session.helpers_needed)
        )
        role = "lead" if need_lead and session.helpers >= session.helpers_needed else "helper"
        st.button(
            _("{role}として引き受ける").format(role=_(volunteers.ROLES[role])),
            key=f"take_{session.id}",
            on_click=_take,
            args=(session.id, role),
        )

st.subheader(_("わたしの活動可能日"))
ui.availability_editor(who.volunteer_id)
