"""印刷: a session's handout, sign-in sheet, booking slips and calendar file, and
today's call list."""

import functools
from datetime import date, timedelta

import streamlit as st

import lessons
import ui
from db import attendees, bookings, calls, sessions, settings, volunteers
from db.clock import now_jst
from locales import _
from printouts.booking_slip import SlipItem, render_booking_slips
from printouts.calendar import CalendarEntry, render_ics
from printouts.call_list import CallEntry, default_script, render_call_list, spoken_time
from printouts.dates import format_time_range
from printouts.flyer import FlyerEntry, render_flyer
from printouts.handout import render_handout, render_handouts
from printouts.model import Centre, SessionInfo
from printouts.roster import RosterSession, render_roster
from printouts.signin_sheet import SigninRow, render_signin_sheet
from views.calendar import sessions_ics

FLYER_SUMMARIES = 6

who = ui.guard("printouts")
st.title(_("印刷"))
config = ui.read(settings.get_settings)


def _info(s: sessions.SessionRow) -> SessionInfo:
    return SessionInfo(starts_at=s.starts_at, ends_at=s.ends_at, room=s.room_name, venue=s.venue_name)


def _download(label: str, data, file_name: str, mime: str, icon: str, key: str, column=st) -> None:
    column.download_button(label, data=data, file_name=file_name, mime=mime, icon=icon, key=key, on_click="ignore")


st.subheader(_("電話連絡リスト（今日かける電話）"))
counts = ui.read(calls.call_counts, who)
centre_default = Centre(name=config.centre_name, phone=config.centre_phone)


def _call_list_pdf() -> bytes:
    # The calls and what to say are read and written only when the list is asked for.
    entries = [
        CallEntry(
            kind=t.kind,
            name=t.name,
            name_kana=t.name_kana,
            phone=t.phone,
            session_label=f"{t.lesson_title}　{format_time_range(t.starts_at, t.ends_at)}　{t.room}",
            deadline=t.deadline,
            script=default_script(t.kind, t.lesson_title, spoken_time(t.starts_at), spoken_time(t.deadline) if t.deadline else ""),
        )
        for t in ui.read(calls.call_list, who)
    ]
    return render_call_list(centre_default, now_jst(), entries, body_pt=config.body_pt)


if not any(counts.values()):
    st.caption(_("今日かける電話はありません。"))
else:
    st.write(_("明日のご案内 {reminder} 件・繰り上げ連絡 {offer} 件・中止のお知らせ {cancelled} 件").format(**counts))
    _download(
        _("電話連絡リスト（PDF）"),
        _call_list_pdf,
        f"call-list-{now_jst():%Y%m%d}.pdf",
        "application/pdf",
        ":material/call:",
        "print_calls",
    )

st.subheader(_("月ごとの印刷物"))
today = now_jst().date()
months = [(today.year + (today.month - 1 + n) // 12, (today.month - 1 + n) % 12 + 1) for n in range(-1, 4)]
year, month = st.selectbox(
    _("月"), options=months, index=1, format_func=lambda ym: _("{year}年{month}月").format(year=ym[0], month=ym[1]), key="print_month"
)
first = date(year, month, 1)
last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
in_month = ui.read(sessions.sessions_between, first, last)
catalogue = lessons.catalogue()
# Summaries make a flyer friendlier but take a line each: keep them for short months.
with_summary = len(in_month) <= FLYER_SUMMARIES
flyer_entries = [
    FlyerEntry(
        title=s.lesson_title,
        level=catalogue[s.lesson_id].level if s.lesson_id in catalogue else "",
        summary=catalogue[s.lesson_id].summary if with_summary and s.lesson_id in catalogue else "",
        starts_at=s.starts_at,
        ends_at=s.ends_at,
        venue=s.venue_name,
        room=s.room_name,
        seats_left=s.seats_left,
        status="cancelled" if s.status == "cancelled" else "full" if s.is_full else "scheduled",
    )
    for s in in_month
]


def _roster_pdf() -> bytes:
    # Each session's shifts are read when the roster is asked for, not on every rerun.
    rows = []
    for s in in_month:
        shifts = ui.read(volunteers.list_shifts, s.id)
        rows.append(
            RosterSession(
                starts_at=s.starts_at,
                ends_at=s.ends_at,
                lesson_title=s.lesson_title,
                venue=s.venue_name,
                room=s.room_name,
                lead=next((h.name for h in shifts if h.role == "lead"), ""),
                helpers=tuple(h.name for h in shifts if h.role == "helper"),
                helpers_needed=s.helpers_needed,
                status=s.status,
            )
        )
    return render_roster(centre_default, year, month, rows, body_pt=config.body_pt)


left, right = st.columns(2)
_download(
    _("チラシ・月間予定（PDF）"),
    functools.partial(render_flyer, centre_default, year, month, flyer_entries, config.centre_url, body_pt=config.body_pt),
    f"flyer-{year}{month:02d}.pdf",
    "application/pdf",
    ":material/campaign:",
    "print_flyer",
    left,
)
_download(
    _("担当表（PDF）"),
    _roster_pdf,
    f"roster-{year}{month:02d}.pdf",
    "application/pdf",
    ":material/badge:",
    "print_roster",
    right,
)
st.caption(_("{n} 回の開催回が載ります。チラシの二次元コードは「施設と設定」のホームページのアドレスです。").format(n=len(in_month)))

st.subheader(_("開催回ごとの印刷物"))
everything = ui.read(sessions.list_sessions)
upcoming = [s for s in everything if s.status == "scheduled"]
if not upcoming:
    st.info(_("予定されている開催回はありません。"))
    st.stop()
by_id = {s.id: s for s in upcoming}
session_id = st.selectbox(_("開催回"), options=list(by_id), format_func=lambda i: ui.session_label(by_id[i]), key="print_session")
session = by_id[session_id]
lesson = lessons.catalogue()[session.lesson_id]
following = ui.read(sessions.next_session_of, session)
seated = ui.read(bookings.list_bookings, who, session_id)
centre = Centre(name=config.centre_name or session.venue_name, phone=config.centre_phone or session.venue_phone)
st.markdown(f"**{lesson.title}** ・ {ui.seats_text(session)}")
register = ui.register_picker(
    "print_register", _("受講者ごとの印刷では、「やさしい日本語」の配慮がある方の分だけ、やさしい日本語で印刷します。")
)


def _register_of(booking) -> str:
    return "easy" if attendees.EASY_JAPANESE in booking.needs else "standard"


left, mid, right = st.columns(3)
_download(
    _("配布資料（PDF）"),
    functools.partial(
        render_handout, lesson, centre, _info(session), _info(following) if following else None,
        body_pt=config.body_pt, register=register,
    ),
    f"handout-session-{session.id}-{register}.pdf",
    "application/pdf",
    ":material/picture_as_pdf:",
    "print_handout",
    left,
)
rows = [SigninRow(name=b.name, name_kana=b.name_kana, device=b.device, needs="、".join(b.needs), status=b.status) for b in seated]
_download(
    _("受付名簿（PDF）"),
    functools.partial(render_signin_sheet, _info(session), lesson.title, centre, rows, body_pt=config.body_pt),
    f"signin-session-{session.id}.pdf",
    "application/pdf",
    ":material/checklist:",
    "print_signin",
    mid,
)
if seated:
    easy_count = sum(_register_of(b) == "easy" for b in seated)
    _download(
        _("配布資料（受講者ごと・{n} 部）").format(n=len(seated)),
        functools.partial(
            render_handouts, [(lesson, _info(session), _register_of(b)) for b in seated], centre, body_pt=config.body_pt
        ),
        f"handouts-session-{session.id}.pdf",
        "application/pdf",
        ":material/group:",
        "print_handouts_each",
        mid,
    )
    if easy_count:
        mid.caption(_("うち {n} 部はやさしい日本語です。").format(n=easy_count))
    _download(
        _("予約票（{n} 枚）").format(n=len(seated)),
        functools.partial(
            render_booking_slips, [SlipItem(lesson, _info(session), b.name, _register_of(b)) for b in seated], centre,
            body_pt=config.body_pt,
        ),
        f"slips-session-{session.id}.pdf",
        "application/pdf",
        ":material/confirmation_number:",
        "print_slips",
        right,
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
_download(_("カレンダー（.ics）"), render_ics([entry]), f"session-{session.id}.ics", "text/calendar", ":material/event:", "print_ics", left)
venue_rows = [s for s in everything if s.venue_id == session.venue_id]
_download(
    _("{venue} の全予定（.ics）").format(venue=session.venue_name),
    functools.partial(sessions_ics, venue_rows, now_jst(), venue_title=False),
    f"venue-{session.venue_id}.ics",
    "text/calendar",
    ":material/calendar_month:",
    "print_venue_ics",
    mid,
)
