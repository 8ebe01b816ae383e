"""出欠: mark attended / late / absent for each seated attendee; correctable."""

from datetime import timedelta

import streamlit as st

import ui
from plain import md
from db import bookings, sessions
from db.clock import now_jst
from locales import _

who = ui.guard("attendance")
st.title(_("出欠"))
ui.show_flash()

# Sessions of the last two weeks and the coming ones, newest first by default.
recent = [s for s in ui.read(sessions.list_sessions, now_jst() - timedelta(days=14)) if s.status == "scheduled"]
if not recent:
    st.info(_("出欠をつける開催回はありません。"))
    st.stop()
started = [s for s in recent if s.starts_at <= now_jst()]
by_id = {s.id: s for s in recent}
default = list(by_id).index(started[-1].id) if started else 0
session_id = st.selectbox(_("開催回"), options=list(by_id), index=default, format_func=lambda i: ui.session_label(by_id[i]), key="attendance_session")
CHOICES = {"": _("未記入"), "attended": _("出席"), "late": _("遅刻"), "absent": _("欠席")}


def _mark(booking_id: int) -> None:
    ui.attempt(bookings.mark_attendance, booking_id, st.session_state[f"mark_{booking_id}"])


seated = ui.read(bookings.list_bookings, who, session_id)
if not seated:
    st.caption(_("予約している方はいません。"))
marked = sum(b.status in ("attended", "absent") for b in seated)
st.caption(_("記入済み {marked} / {total} 人").format(marked=marked, total=len(seated)))
for b in seated:
    current = "late" if b.late else (b.status if b.status in ("attended", "absent") else "")
    left, right = st.columns([2, 3])
    left.markdown(f"**{md(b.name)}**（{md(b.name_kana)}） {md(b.device)}")
    right.segmented_control(
        _("出欠"),
        options=list(CHOICES),
        format_func=CHOICES.get,
        default=current,
        key=f"mark_{b.id}",
        on_change=_mark,
        args=(b.id,),
        label_visibility="collapsed",
    )
    if b.marked_by:
        right.caption(_("記入：{user}").format(user=md(b.marked_by)))
