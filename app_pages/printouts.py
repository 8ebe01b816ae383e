"""印刷: today's call list, the month's flyer and volunteer roster, and a
session's handout, sign-in sheet, booking slips, 受講後アンケート sheets and
calendar file. Printouts that
name residents are in the audit log when they are downloaded."""

import functools
from datetime import date, timedelta
from typing import Callable

import streamlit as st

import lessons
import ui
from db import bookings, calls, exports, loans, sessions, settings, volunteers
from db.clock import now_jst, today_jst
from locales import _, current_language
from printouts.booking_slip import render_booking_slips
from printouts.calendar import render_ics
from printouts.call_list import render_call_list
from printouts.flyer import render_flyer
from printouts.handout import render_handout, render_handouts
from printouts.model import REGISTER_LABELS, Centre
from printouts.roster import render_roster
from printouts.signin_sheet import render_signin_sheet
from printouts.survey_sheet import render_survey_sheets
from views import session_pack, surveys as survey_view
from views.calendar import sessions_ics

FLYER_SUMMARIES = 6

who = ui.guard("printouts")
st.title(_("印刷"))
ui.show_flash()
config = ui.read(settings.get_settings)
centre_default = Centre(name=config.centre_name, phone=config.centre_phone)


def _download(label: str, data, file_name: str, mime: str, icon: str, key: str, column=st) -> None:
    column.download_button(label, data=data, file_name=file_name, mime=mime, icon=icon, key=key, on_click="ignore")


def _logged(printout: str, session_id: int | None, people: int, render: Callable[[], bytes]) -> Callable[[], bytes]:
    """A download that names residents: audit-logged when it is made."""

    def make() -> bytes:
        ui.run_as(who, exports.record_printout, printout, session_id, people)
        return render()

    return make


st.subheader(_("電話連絡リスト（今日かける電話）"))
counts = ui.read(calls.call_counts, who)


def _call_list_pdf() -> bytes:
    # The calls and what to say are read and written only when the list is asked for.
    targets = ui.read(calls.call_list, who)
    ui.run_as(who, exports.record_printout, "call_list", None, len(targets))
    return render_call_list(centre_default, now_jst(), session_pack.call_entries(targets), body_pt=config.body_pt)


if not any(counts.values()):
    st.caption(_("今日かける電話はありません。"))
else:
    st.write(_("明日のご案内 {reminder} 件・繰り上げ連絡 {offer} 件・中止のお知らせ {cancelled} 件").format(**counts))
    if counts["won"] or counts["lost"]:
        st.write(_("抽選の結果：当選 {won} 件・落選 {lost} 件").format(**counts))
    _download(_("電話連絡リスト（PDF）"), _call_list_pdf, f"call-list-{now_jst():%Y%m%d}.pdf", "application/pdf", ":material/call:", "print_calls")

st.subheader(_("月ごとの印刷物"))
today = today_jst()
months = [(today.year + (today.month - 1 + n) // 12, (today.month - 1 + n) % 12 + 1) for n in range(-1, 4)]
year, month = st.selectbox(
    _("月"), options=months, index=1, format_func=lambda ym: _("{year}年{month}月").format(year=ym[0], month=ym[1]), key="print_month"
)
first = date(year, month, 1)
last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
in_month = ui.read(sessions.sessions_between, first, last)
# Summaries make a flyer friendlier but take a line each: keep them for short months.
# The flyer is printed in the screen's language, its lesson titles too.
flyer_register = "en" if current_language() == "en" else "standard"
flyer_entries = session_pack.flyer_entries(in_month, lessons.catalogue(), len(in_month) <= FLYER_SUMMARIES, flyer_register)


def _roster_pdf() -> bytes:
    # Each session's shifts are read when the roster is asked for, not on every rerun.
    prepare = ui.read(loans.to_prepare, [s.id for s in in_month])
    rows = session_pack.roster_sessions(in_month, lambda session_id: ui.read(volunteers.list_shifts, session_id), prepare)
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
_download(_("担当表（PDF）"), _roster_pdf, f"roster-{year}{month:02d}.pdf", "application/pdf", ":material/badge:", "print_roster", right)
st.caption(_("{n} 回の開催回が載ります。チラシの二次元コードは「施設と設定」のホームページのアドレスです。").format(n=len(in_month)))

st.subheader(_("開催回ごとの印刷物"))
session = ui.session_picker("print", keep=lambda s: s.status == "scheduled", first=today)
if session is None:
    st.stop()
lesson = lessons.catalogue()[session.lesson_id]
following = ui.read(sessions.next_session_of, session)
seated = ui.read(bookings.list_bookings, who, session.id)
centre = Centre(name=config.centre_name or session.venue_name, phone=config.centre_phone or session.venue_phone)
st.markdown(f"**{lesson.title}** ・ {ui.seats_text(session)}")
register = ui.register_picker(
    "print_register", _("受講者ごとの印刷では、「やさしい日本語」の配慮がある方の分だけ、やさしい日本語で印刷します。")
)
info = session_pack.session_info(session)

left, mid, right = st.columns(3)
_download(
    _("配布資料（PDF）"),
    functools.partial(
        render_handout, lesson, centre, info, session_pack.session_info(following) if following else None,
        body_pt=config.body_pt, register=register,
    ),
    f"handout-session-{session.id}-{register}.pdf",
    "application/pdf",
    ":material/picture_as_pdf:",
    "print_handout",
    left,
)
_download(
    _("受付名簿（PDF）"),
    _logged(
        "signin_sheet", session.id, len(seated),
        functools.partial(
            render_signin_sheet, info, lesson.title, centre,
            session_pack.signin_rows(seated, ui.read(loans.session_loans, who, session.id)), body_pt=config.body_pt,
        ),
    ),
    f"signin-session-{session.id}.pdf",
    "application/pdf",
    ":material/checklist:",
    "print_signin",
    mid,
)
if seated:
    easy_count = sum(session_pack.register_of(b) == "easy" for b in seated)
    _download(
        _("配布資料（受講者ごと・{n} 部）").format(n=len(seated)),
        _logged(
            "handouts", session.id, len(seated),
            functools.partial(render_handouts, session_pack.handout_items(lesson, session, seated), centre, body_pt=config.body_pt),
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
        _logged(
            "booking_slips", session.id, len(seated),
            functools.partial(render_booking_slips, session_pack.slip_items(lesson, session, seated), centre, body_pt=config.body_pt),
        ),
        f"slips-session-{session.id}.pdf",
        "application/pdf",
        ":material/confirmation_number:",
        "print_slips",
        right,
    )
# 受講後アンケート: one sheet per booked person in the register each needs (no
# names printed), or one sheet in the chosen register to copy.
_download(
    _("アンケート用紙（1枚・{register}）").format(register=_(REGISTER_LABELS[register])),
    functools.partial(render_survey_sheets, [survey_view.sheet(lesson, info, register)], centre, body_pt=config.body_pt),
    f"survey-session-{session.id}-{register}.pdf",
    "application/pdf",
    ":material/rate_review:",
    "print_survey",
    right,
)
if seated:
    _download(
        _("アンケート用紙（受講者ごと・{n} 枚）").format(n=len(seated)),
        functools.partial(render_survey_sheets, session_pack.survey_sheets(lesson, session, seated), centre, body_pt=config.body_pt),
        f"surveys-session-{session.id}.pdf",
        "application/pdf",
        ":material/rate_review:",
        "print_surveys_each",
        right,
    )
right.caption(_("アンケート用紙は両面印刷してください。名前は印刷されません。"))
_download(
    _("カレンダー（.ics）"),
    render_ics([session_pack.calendar_entry(lesson, session, now_jst())]),
    f"session-{session.id}.ics",
    "text/calendar",
    ":material/event:",
    "print_ics",
    left,
)
venue_rows = [s for s in ui.read(sessions.list_sessions) if s.venue_id == session.venue_id]
_download(
    _("{venue} の全予定（.ics）").format(venue=session.venue_name),
    functools.partial(sessions_ics, venue_rows, now_jst(), venue_title=False),
    f"venue-{session.venue_id}.ics",
    "text/calendar",
    ":material/calendar_month:",
    "print_venue_ics",
    mid,
)
