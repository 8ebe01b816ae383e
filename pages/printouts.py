"""印刷: a session's handout PDF and calendar file."""

import functools

import streamlit as st

import lessons
import ui
from db import sessions, settings
from db.clock import now_jst
from locales import _
from printouts.calendar import CalendarEntry, render_ics
from printouts.handout import render_handout
from printouts.model import Centre, SessionInfo

ui.guard("printouts")
st.title(_("印刷"))

upcoming = [s for s in ui.read(sessions.list_sessions) if s.status == "scheduled"]
if not upcoming:
    st.info(_("予定されている開催回はありません。"))
    st.stop()
by_id = {s.id: s for s in upcoming}
session_id = st.selectbox(_("開催回"), options=list(by_id), format_func=lambda i: ui.session_label(by_id[i]), key="print_session")
session = by_id[session_id]
lesson = lessons.catalogue()[session.lesson_id]
config = ui.read(settings.get_settings)
following = ui.read(sessions.next_session_of, session)


def _info(s: sessions.SessionRow) -> SessionInfo:
    return SessionInfo(starts_at=s.starts_at, ends_at=s.ends_at, room=s.room_name, venue=s.venue_name)


centre = Centre(name=config.centre_name or session.venue_name, phone=config.centre_phone or session.venue_phone)
st.markdown(f"**{lesson.title}** ・ {ui.seats_text(session)}")
left, right = st.columns(2)
left.download_button(
    _("配布資料（PDF）"),
    data=functools.partial(
        render_handout, lesson, centre, _info(session), _info(following) if following else None, body_pt=config.body_pt
    ),
    file_name=f"handout-session-{session.id}.pdf",
    mime="application/pdf",
    icon=":material/picture_as_pdf:",
    key="print_handout",
    on_click="ignore",
)
entry = CalendarEntry(
    session_id=session.id,
    title=f"{lesson.title}（{session.venue_name}）",
    starts_at=session.starts_at,
    ends_at=session.ends_at,
    location=f"{session.venue_name} {session.room_name}",
    description=_("持ち物：") + "、".join(lesson.bring),
    stamp=now_jst(),
)
right.download_button(
    _("カレンダー（.ics）"),
    data=render_ics([entry]),
    file_name=f"session-{session.id}.ics",
    mime="text/calendar",
    icon=":material/event:",
    key="print_ics",
    on_click="ignore",
)
