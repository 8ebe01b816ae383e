"""出欠: mark attended / late / absent for each seated attendee; correctable
from 30 minutes before the start until 14 days after (DESIGN.md §7)."""

from datetime import timedelta

import streamlit as st

import ui
from db import bookings, sessions
from db.clock import now_jst
from locales import _
from ui.plain import md

who = ui.guard("attendance")
st.title(_("出欠"))
ui.show_flash()

# Today's sessions and those of the last 14 days: attendance is marked from just
# before a class until two weeks after it.
now = now_jst()
recent = [
    s
    for s in ui.read(sessions.sessions_between, (now - timedelta(days=bookings.ATTENDANCE_DAYS_AFTER)).date(), now.date())
    if s.status == "scheduled"
]
if not recent:
    st.info(_("出欠をつける開催回はありません（今日と過去14日間の開催回が出ます）。"))
    st.stop()
by_id = {s.id: s for s in reversed(recent)}
# The class in progress (or about to start), else the one that started last.
opens_min = ui.read(bookings.attendance_window_minutes)
in_progress = next((s for s in by_id.values() if s.starts_at - timedelta(minutes=opens_min) <= now <= s.ends_at), None)
default = in_progress or next((s for s in by_id.values() if s.starts_at <= now), next(iter(by_id.values())))
if st.session_state.get("attendance_session") not in by_id:
    st.session_state["attendance_session"] = default.id
session_id = st.selectbox(_("開催回"), options=list(by_id), format_func=lambda i: ui.session_label(by_id[i]), key="attendance_session")
opens, closes = ui.read(bookings.attendance_window, session_id)
if now < opens:
    st.info(
        _("この開催回の出欠は {time} からつけられます（開始の{minutes}分前）。").format(
            time=f"{opens:%-H:%M}", minutes=opens_min
        ),
        icon=":material/schedule:",
    )
CHOICES = {"": _("未記入"), "attended": _("出席"), "late": _("遅刻"), "absent": _("欠席")}


def _mark(booking_id: int) -> None:
    ui.attempt(bookings.mark_attendance, booking_id, st.session_state[f"mark_{booking_id}"])


seated = ui.read(bookings.list_bookings, who, session_id)
if not seated:
    st.caption(_("予約している方はいません。"))
marked = sum(b.status in ("attended", "absent") for b in seated)
st.caption(_("記入済み {marked} / {total} 人").format(marked=marked, total=len(seated)))
for b in seated:
    mark = "late" if b.late else (b.status if b.status in ("attended", "absent") else "")
    left, right = st.columns([2, 3])
    left.markdown(f"**{md(b.name)}**（{md(b.name_kana)}） {md(b.device)}")
    right.segmented_control(
        _("出欠"),
        options=list(CHOICES),
        format_func=CHOICES.get,
        default=mark,
        key=f"mark_{b.id}",
        on_change=_mark,
        args=(b.id,),
        label_visibility="collapsed",
        disabled=not opens <= now <= closes,
    )
    if b.marked_by:
        right.caption(_("記入：{user}").format(user=md(b.marked_by)))
