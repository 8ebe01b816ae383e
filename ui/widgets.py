"""Widgets and labels several pages share: a volunteer's availability editor,
the printout register picker, and the words that describe a session (seats,
staffing, marks)."""

from __future__ import annotations

from datetime import date, timedelta
from datetime import time as clock_time
from typing import Callable

import streamlit as st

from db import sessions, volunteers
from db.clock import today_jst
from locales import _
from printouts.dates import format_time_range
from printouts.model import REGISTER_LABELS, REGISTERS
from ui.feedback import read
from ui.sign_in import attempt


def availability_editor(volunteer_id: int) -> None:
    """The weekly availability (活動可能日) of one volunteer as a form, and a form
    for a dated exception; saving goes through `db.volunteers` permission checks."""
    slots = {slot.weekday: slot for slot in read(volunteers.weekly_availability, volunteer_id)}
    prefix = f"avail_{volunteer_id}"

    def save_week() -> None:
        state = st.session_state
        chosen = [
            volunteers.Slot(day, state[f"{prefix}_from_{day}"], state[f"{prefix}_to_{day}"])
            for day in range(7)
            if state[f"{prefix}_on_{day}"]
        ]
        attempt(volunteers.set_weekly_availability, volunteer_id, chosen, success=_("活動可能日を保存しました。"))

    def save_exception() -> None:
        state = st.session_state
        attempt(
            volunteers.set_exception,
            volunteer_id,
            state[f"{prefix}_ex_date"],
            state[f"{prefix}_ex_kind"] == "available",
            state[f"{prefix}_ex_note"],
            success=_("日付の予定を保存しました。"),
        )

    st.caption(_("曜日に印がないときは、いつでも活動できるものとして扱います。"))
    with st.form(f"{prefix}_week"):
        for day, label in enumerate(volunteers.WEEKDAYS):
            slot = slots.get(day)
            on, start, end = st.columns([1, 2, 2])
            on.checkbox(_("{day}曜").format(day=label), value=slot is not None, key=f"{prefix}_on_{day}")
            start.time_input(_("から"), value=slot.starts if slot else clock_time(9), step=timedelta(minutes=30), key=f"{prefix}_from_{day}")
            end.time_input(_("まで"), value=slot.ends if slot else clock_time(17), step=timedelta(minutes=30), key=f"{prefix}_to_{day}")
        st.form_submit_button(_("曜日ごとの予定を保存"), on_click=save_week, key=f"{prefix}_save")
    with st.form(f"{prefix}_exception"):
        day, kind, note = st.columns([2, 2, 3])
        day.date_input(_("日付"), value=today_jst() + timedelta(days=7), min_value=today_jst(), key=f"{prefix}_ex_date", format="YYYY/MM/DD")
        kind.radio(_("その日は"), options=["off", "available"], format_func=lambda k: _("休み") if k == "off" else _("活動できる"), key=f"{prefix}_ex_kind")
        note.text_input(_("メモ"), key=f"{prefix}_ex_note")
        st.form_submit_button(_("日付の予定を保存"), on_click=save_exception, key=f"{prefix}_ex_save")



def session_label(session) -> str:
    """"令和8年（2026年）12月3日（木）10:00〜11:30 ｜ 講座名 ｜ 部屋" for pickers."""
    return f"{format_time_range(session.starts_at, session.ends_at)} ｜ {session.lesson_title} ｜ {session.room_name}"


def staffing_text(session) -> str:
    """"講師 ○・補助 1/3": whether the session has its lead, and helpers assigned
    of those needed."""
    return _("講師 {lead}・補助 {helpers}/{needed}").format(
        lead="○" if session.leads else "×", helpers=session.helpers, needed=session.helpers_needed
    )


def session_marks(session) -> list[str]:
    """Words that flag a session, never colour alone: 中止, 満席, 講師未定,
    補助不足（1/3）. [] for an ordinary session."""
    if session.status == "cancelled":
        return [_("中止")]
    marks = [_("満席")] if session.is_full else []
    if session.leads < 1:
        marks.append(_("講師未定"))
    if session.helpers < session.helpers_needed:
        marks.append(_("補助不足（{helpers}/{needed}）").format(helpers=session.helpers, needed=session.helpers_needed))
    return marks


def seats_text(session) -> str:
    """"予約 5 / 12 人（残り 7 席）" or "満席（12 / 12 人）"."""
    if session.is_full:
        return _("満席（{taken} / {capacity} 人）").format(taken=session.seats_taken, capacity=session.capacity)
    return _("予約 {taken} / {capacity} 人（残り {left} 席）").format(
        taken=session.seats_taken, capacity=session.capacity, left=session.seats_left
    )


def register_picker(key: str, help_text: str) -> str:
    """A row of radio buttons for the printout register (標準 / やさしい日本語 /
    English, `printouts.model.REGISTERS`); returns the chosen register code."""
    return st.radio(
        _("配布資料のことば"),
        options=list(REGISTERS),
        format_func=lambda r: _(REGISTER_LABELS[r]),
        horizontal=True,
        key=key,
        help=help_text,
    )


def queue_text(session, offered: int, waiting: int) -> str:
    """The booking header, counting each kind once: 「予約 5 / 12 人（残り 7 席）」, or
    「満席：予約 11 人・繰り上げ連絡中 1 人（定員 12 人）」, then 「・キャンセル待ち 2 人」."""
    booked = session.seats_taken - offered
    if session.is_full:
        head = _("満席：予約 {booked} 人").format(booked=booked)
        if offered:
            head += _("・繰り上げ連絡中 {n} 人").format(n=offered)
        head += _("（定員 {capacity} 人）").format(capacity=session.capacity)
    else:
        head = _("予約 {booked} / {capacity} 人（残り {left} 席）").format(booked=booked, capacity=session.capacity, left=session.seats_left)
        if offered:
            head += _("・繰り上げ連絡中 {n} 人").format(n=offered)
    if waiting:
        head += _("・キャンセル待ち {n} 人").format(n=waiting)
    return head


NARROW_PX = 900


def close_sidebar_on_narrow_screens() -> None:
    """After moving to another page, fold the menu away when the screen is
    narrow (a phone, or a PC at 200 % zoom), where it would cover the page."""
    st.html(
        "<script>"
        f"if (window.parent.innerWidth < {NARROW_PX}) {{"
        "const doc = window.parent.document;"
        "const button = doc.querySelector('[data-testid=\"stSidebarCollapseButton\"] button')"
        " || doc.querySelector('[data-testid=\"stSidebar\"] [data-testid=\"stBaseButton-headerNoPadding\"]');"
        "const open = doc.querySelector('[data-testid=\"stSidebar\"][data-collapsed=\"false\"]');"
        "if (button && open) { button.click(); }"
        "}</script>",
        unsafe_allow_javascript=True,
    )


CURRENT_SESSION = "current_session"
SESSION_PARAM = "session"


def _wanted_session() -> int | None:
    """The session this browser is working on: the URL's ?session=, else the one
    last chosen on any page."""
    value = st.query_params.get(SESSION_PARAM)
    if value is not None and value.isdigit():
        return int(value)
    return st.session_state.get(CURRENT_SESSION)


def session_picker(
    key: str,
    keep: Callable[[sessions.SessionRow], bool],
    first: date | None = None,
    last: date | None = None,
    default_day: date | None = None,
    prefer: Callable[[list[sessions.SessionRow]], sessions.SessionRow] | None = None,
) -> sessions.SessionRow | None:
    """The session a page works on, picked by its day and then among that day's
    sessions (no list of thousands). The choice follows the user across 予約, 出欠,
    印刷 and ボランティア and lives in the URL as ``?session=<id>``, so a link or a
    reload keeps it.

    Args:
        key: widget key prefix of this page.
        keep: which sessions this page may work on (e.g. scheduled, not started).
        first / last: the days that may be picked (JST dates; None for no bound).
        default_day: the day shown first when nothing is chosen yet (default: the
            first day from `first` or today with a session).
        prefer: picks the session shown first among a day's (default: the first).
    Returns:
        the chosen session, or None when the day has none this page may use.
    """
    state = st.session_state
    day_key, pick_key, seen_key = f"{key}_day", f"{key}_pick", f"{key}_seen"
    wanted = _wanted_session()
    if wanted is not None and state.get(seen_key) != wanted:
        state[seen_key] = wanted
        found = read(sessions.find_session, wanted)
        day = found.starts_at.date() if found is not None else None
        if found is not None and keep(found) and (first is None or day >= first) and (last is None or day <= last):
            state[day_key], state[pick_key] = day, found.id
    if day_key not in state:
        start = first or today_jst()
        state[day_key] = default_day or read(sessions.next_session_day, start - timedelta(days=1), last) or start
    day_column, session_column = st.columns([1, 3], vertical_alignment="bottom")
    day = day_column.date_input(_("開催日"), key=day_key, min_value=first, max_value=last, format="YYYY/MM/DD")
    rows = [s for s in read(sessions.sessions_between, day, day) if keep(s)]
    if not rows:
        following = read(sessions.next_session_day, day, last + timedelta(days=1) if last else None)
        session_column.info(_("この日に選べる開催回はありません。"), icon=":material/event_busy:")
        if following is not None:
            st.button(
                _("次の開催日（{day}）へ").format(day=f"{following.month}/{following.day}"),
                key=f"{key}_next_day",
                on_click=lambda: state.update({day_key: following}),
            )
        return None
    by_id = {s.id: s for s in rows}
    if state.get(pick_key) not in by_id:
        state[pick_key] = (prefer(rows) if prefer else rows[0]).id
    chosen = by_id[session_column.selectbox(_("開催回"), options=list(by_id), format_func=lambda i: session_label(by_id[i]), key=pick_key)]
    state[CURRENT_SESSION] = state[seen_key] = chosen.id
    st.query_params[SESSION_PARAM] = str(chosen.id)
    return chosen


def page_of(items: list, per_page: int, key: str) -> list:
    """The slice of `items` on the page the user chose, with a page picker
    (「ページ（全 n）」) drawn only when there is more than one page.

    Long lists of cards draw `per_page` at a time (issue 12: each card is a dozen
    elements, and a city's lists run to hundreds). A page number past the end
    (the list shrank) shows the last page.

    Args:
        items: the whole list, in order; per_page: cards per page (≥ 1);
        key: the picker's widget key, unique on the page.
    Returns:
        the items of the chosen page.
    """
    pages = max(1, -(-len(items) // per_page))
    page = min(st.session_state.get(key, 1), pages)
    if pages > 1:
        page = st.number_input(_("ページ（全 {n}）").format(n=pages), min_value=1, max_value=pages, value=page, key=key)
    return items[(page - 1) * per_page : page * per_page]
