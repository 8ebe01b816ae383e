"""開催予定: schedule a session from a lesson and see upcoming sessions."""

from datetime import datetime, timedelta

import streamlit as st

import lessons
import ui
from db import sessions, venues
from db.clock import JST, today_jst
from locales import _
from printouts.dates import format_time_range

ui.guard("schedule")
st.title(_("開催予定"))
ui.show_flash()

catalogue = lessons.catalogue()
rooms = ui.read(venues.list_rooms)


def _create() -> None:
    state = st.session_state
    lesson_id, room = state["new_lesson"], state["new_room"]
    if room is None:
        ui.flash("error", _("部屋を選んでください。"))
        return
    starts = datetime.combine(state["new_date"], state["new_start"], tzinfo=JST)
    ends = datetime.combine(state["new_date"], state["new_end"], tzinfo=JST)
    new_id = ui.attempt(sessions.create_session, lesson_id, room.id, starts, ends, int(state["new_capacity"]), state["new_note"])
    if new_id is not None:
        note = sessions.day_note(starts.date())
        ui.flash("success", _("開催回を登録しました：{label}").format(label=catalogue[lesson_id].title))
        if note:
            ui.flash("warning", _("この日は {note} です。会場が開いているか確認してください。").format(note=note))
        state["new_note"] = ""


with st.expander(_("開催回を登録する"), expanded=True, icon=":material/add:"):
    if not rooms:
        st.warning(_("部屋が登録されていません。"))
    else:
        with st.form("new_session", clear_on_submit=False, enter_to_submit=False):
            st.selectbox(_("講座"), options=list(catalogue), format_func=lambda i: f"{catalogue[i].title}（{catalogue[i].level}）", key="new_lesson")
            left, mid, right = st.columns(3)
            left.date_input(_("開催日"), value=today_jst() + timedelta(days=7), min_value=today_jst(), key="new_date", format="YYYY/MM/DD")
            mid.time_input(_("開始"), value=datetime(2000, 1, 1, 10, 0).time(), step=timedelta(minutes=15), key="new_start")
            right.time_input(_("終了"), value=datetime(2000, 1, 1, 11, 30).time(), step=timedelta(minutes=15), key="new_end")
            left, right = st.columns(2)
            left.selectbox(_("部屋"), options=rooms, format_func=lambda r: f"{r.venue_name} {r.name}（{r.seats}席）", key="new_room")
            right.number_input(_("定員"), min_value=1, max_value=200, value=12, step=1, key="new_capacity")
            st.text_input(_("メモ（任意）"), key="new_note", max_chars=200)
            st.form_submit_button(_("登録する"), type="primary", on_click=_create, key="create_session")

st.subheader(_("これからの開催回"))
upcoming = ui.read(sessions.list_sessions)
if not upcoming:
    st.info(_("予定されている開催回はありません。"))
else:
    st.dataframe(
        [
            {
                _("No."): s.id,
                _("日時"): format_time_range(s.starts_at, s.ends_at),
                _("講座"): s.lesson_title,
                _("部屋"): s.room_name,
                _("予約"): _("中止") if s.status == "cancelled" else ui.seats_text(s),
                _("担当"): _("講師 {lead}・補助 {helpers}/{needed}").format(lead="○" if s.leads else "×", helpers=s.helpers, needed=s.helpers_needed)
                + (_("（不足）") if s.understaffed else ""),
            }
            for s in upcoming
        ],
        hide_index=True,
        width="stretch",
    )
