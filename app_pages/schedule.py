"""開催予定: schedule a session or a series (連続講座, with a preview of every
skipped date), cancel sessions, and see upcoming sessions."""

from datetime import datetime, timedelta

import streamlit as st

import lessons
import plain
import ui
from db import series, sessions, venues, volunteers
from db.clock import JST, today_jst
from db.errors import DeskError
from locales import _
from printouts.dates import format_date, format_time_range

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


def _series_args() -> dict:
    state = st.session_state
    return {
        "lesson_id": state["ser_lesson"],
        "room_id": state["ser_room"].id,
        "rule": state["ser_rule"],
        "weekday": state["ser_weekday"],
        "first_date": state["ser_first"],
        "last_date": state["ser_last"],
        "starts": state["ser_start"],
        "ends": state["ser_end"],
        "nth": state["ser_nth"] if state["ser_rule"] == "monthly_nth" else None,
    }


def _preview_series() -> None:
    if st.session_state.get("ser_room") is None:
        ui.flash("error", _("部屋を選んでください。"))
        return
    args = _series_args()
    try:
        plan = ui.read(series.plan_series, **args)
    except DeskError as err:
        ui.flash("error", str(err))
        return
    st.session_state["ser_plan"] = (args, plan)


def _create_series() -> None:
    state = st.session_state
    args, plan = state.pop("ser_plan")
    if args != _series_args():
        ui.flash("error", _("条件が変わりました。もう一度「予定を確認する」を押してください。"))
        return
    created = ui.attempt(
        series.create_series, capacity=int(state["ser_capacity"]), note=state["ser_note"], expected_dates=plan.dates, **args
    )
    if created is not None:
        ui.flash("success", _("連続講座を登録しました（{n} 回）。").format(n=len(plan.dates)))


def _cancel(following: bool) -> None:
    state = st.session_state
    session_id = state.get("cancel_session")
    if session_id is None:
        ui.flash("error", _("中止する開催回を選んでください。"))
        return
    if following:
        done = ui.attempt(series.cancel_from, session_id, state["cancel_session_reason"])
        if done:
            ui.flash("success", _("この回以降の {n} 回を中止しました。電話連絡リストに載ります。").format(n=done))
    elif ui.attempt(sessions.cancel_session, session_id, state["cancel_session_reason"]) is not None:
        ui.flash("success", _("中止しました。予約していた方は電話連絡リストに載ります。"))


def _move() -> None:
    state = st.session_state
    session_id = state.get("cancel_session")
    if session_id is None:
        ui.flash("error", _("変更する開催回を選んでください。"))
        return
    room = state.get("move_room")
    moved = ui.attempt(series.move_from, session_id, state["move_start"], state["move_end"], room.id if room is not None else None)
    if moved:
        ui.flash("success", _("この回以降の {n} 回の時間・部屋を変えました。").format(n=moved))
        chosen = ui.read(sessions.get_session, session_id)
        later = [s.id for s in ui.read(sessions.list_sessions) if s.series_id == chosen.series_id and s.starts_at >= chosen.starts_at]
        for problem in ui.read(volunteers.shift_problems, later):
            ui.flash(
                "warning",
                _("{date} の担当 {name}：{reason} 担当を見直してください。").format(
                    date=format_date(problem.starts_at), name=problem.shift.name, reason=problem.reason
                ),
            )


mode = st.segmented_control(
    _("登録のしかた"),
    options=["single", "series", "cancel"],
    format_func={"single": _("1回だけ登録"), "series": _("連続講座を登録"), "cancel": _("変更・中止")}.get,
    default="single",
    key="schedule_mode",
)
room_label = lambda r: f"{r.venue_name} {r.name}（{r.seats}席）"  # noqa: E731
lesson_label = lambda i: f"{catalogue[i].title}（{catalogue[i].level}）"  # noqa: E731
if not rooms and mode != "cancel":
    st.warning(_("部屋が登録されていません。"))
elif mode == "single":
    with st.form("new_session", clear_on_submit=False, enter_to_submit=False):
        st.selectbox(_("講座"), options=list(catalogue), format_func=lesson_label, key="new_lesson")
        left, mid, right = st.columns(3)
        left.date_input(_("開催日"), value=today_jst() + timedelta(days=7), min_value=today_jst(), key="new_date", format="YYYY/MM/DD")
        mid.time_input(_("開始"), value=datetime(2000, 1, 1, 10, 0).time(), step=timedelta(minutes=15), key="new_start")
        right.time_input(_("終了"), value=datetime(2000, 1, 1, 11, 30).time(), step=timedelta(minutes=15), key="new_end")
        left, right = st.columns(2)
        left.selectbox(_("部屋"), options=rooms, format_func=room_label, key="new_room")
        right.number_input(_("定員"), min_value=1, max_value=200, value=12, step=1, key="new_capacity")
        st.text_input(_("メモ（任意）"), key="new_note", max_chars=200)
        st.form_submit_button(_("登録する"), type="primary", on_click=_create, key="create_session")
elif mode == "series":
    with st.form("new_series", enter_to_submit=False):
        st.selectbox(_("講座"), options=list(catalogue), format_func=lesson_label, key="ser_lesson")
        left, mid, right = st.columns(3)
        left.radio(
            _("くり返し"),
            options=list(series.RULES),
            format_func={"weekly": _("毎週"), "biweekly": _("隔週"), "monthly_nth": _("毎月 第n ○曜")}.get,
            key="ser_rule",
        )
        mid.selectbox(_("曜日"), options=list(range(7)), format_func=series.weekday_name, key="ser_weekday")
        right.number_input(_("第n（毎月のとき）"), min_value=1, max_value=5, value=2, key="ser_nth")
        left, right = st.columns(2)
        left.date_input(_("最初の日"), value=today_jst() + timedelta(days=7), min_value=today_jst(), key="ser_first", format="YYYY/MM/DD")
        right.date_input(_("最後の日"), value=today_jst() + timedelta(days=35), min_value=today_jst(), key="ser_last", format="YYYY/MM/DD")
        left.time_input(_("開始"), value=datetime(2000, 1, 1, 10, 0).time(), step=timedelta(minutes=15), key="ser_start")
        right.time_input(_("終了"), value=datetime(2000, 1, 1, 11, 30).time(), step=timedelta(minutes=15), key="ser_end")
        left.selectbox(_("部屋"), options=rooms, format_func=room_label, key="ser_room")
        right.number_input(_("定員"), min_value=1, max_value=200, value=12, step=1, key="ser_capacity")
        st.text_input(_("メモ（任意）"), key="ser_note", max_chars=200)
        st.form_submit_button(_("予定を確認する"), on_click=_preview_series, key="ser_preview")
    if "ser_plan" in st.session_state:
        _args, plan = st.session_state["ser_plan"]
        st.markdown(_("**{label}**：{n} 回を登録します。").format(label=plan.label, n=len(plan.dates)))
        st.table([{_("開催日"): format_date(d)} for d in plan.dates] or [{_("開催日"): _("なし")}], hide_index=True)
        if plan.skipped:
            st.markdown(_("**とばす日**（{n} 日）").format(n=len(plan.skipped)))
            st.table(plain.rows([{_("日付"): format_date(s.date), _("理由"): s.reason} for s in plan.skipped]), hide_index=True)
        st.button(_("この内容で登録する"), type="primary", on_click=_create_series, disabled=not plan.dates, key="ser_create")
else:
    scheduled = [s for s in ui.read(sessions.list_sessions) if s.status == "scheduled"]
    if not scheduled:
        st.info(_("中止できる開催回はありません。"))
    else:
        by_id = {s.id: s for s in scheduled}
        st.selectbox(_("開催回"), options=list(by_id), format_func=lambda i: ui.session_label(by_id[i]), index=None, key="cancel_session")
        st.text_input(_("中止の理由"), key="cancel_session_reason", placeholder=_("例：講師の急病"))
        left, right = st.columns(2)
        left.button(_("この回を中止"), on_click=_cancel, args=(False,), key="cancel_one")
        chosen = by_id.get(st.session_state.get("cancel_session"))
        if chosen is not None and chosen.series_id:
            right.button(_("この回以降を中止（連続講座）"), on_click=_cancel, args=(True,), key="cancel_following")
            st.markdown(_("**この回以降の時間・部屋を変える（連続講座）**"))
            left, mid, right = st.columns(3)
            left.time_input(_("新しい開始"), value=chosen.starts_at.time(), step=timedelta(minutes=15), key="move_start")
            mid.time_input(_("新しい終了"), value=chosen.ends_at.time(), step=timedelta(minutes=15), key="move_end")
            right.selectbox(_("部屋（変えないときは空欄）"), options=rooms, format_func=room_label, index=None, key="move_room")
            st.button(_("この回以降を変更する"), on_click=_move, key="move_following", type="primary")

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
                _("講座"): s.lesson_title + (_("（連続）") if s.series_id else ""),
                _("部屋"): s.room_name,
                _("予約"): _("中止") if s.status == "cancelled" else ui.seats_text(s),
                _("担当"): ui.staffing_text(s) + (_("（不足）") if s.understaffed else ""),
            }
            for s in upcoming
        ],
        hide_index=True,
        width="stretch",
    )
