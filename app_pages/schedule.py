"""開催予定: schedule a session or a series (連続講座, with a preview of every
skipped date), cancel sessions, and see upcoming sessions."""

from datetime import datetime, timedelta

import streamlit as st

import lessons
import ui
from db import series, sessions, venues, volunteers
from db.clock import JST, today_jst
from db.errors import DeskError
from locales import _
from printouts.dates import format_date, format_time, short_date
from ui import plain
from ui.plain import rows
from ui.widgets import CURRENT_SESSION

ui.guard("schedule")
st.title(_("開催予定"))
ui.show_flash()

catalogue = lessons.catalogue()
rooms = ui.read(venues.list_rooms)


CONFIRM_HOLIDAY = "new_confirm_holiday"


def _create(confirmed: bool = False) -> None:
    state = st.session_state
    state.pop(CONFIRM_HOLIDAY, None)
    lesson_id, room = state["new_lesson"], state["new_room"]
    if room is None:
        ui.flash("error", _("部屋を選んでください。"))
        return
    note = sessions.day_note(state["new_date"])
    if note and not confirmed:
        # A holiday is asked about before anything is written.
        state[CONFIRM_HOLIDAY] = note
        return
    starts = datetime.combine(state["new_date"], state["new_start"], tzinfo=JST)
    ends = datetime.combine(state["new_date"], state["new_end"], tzinfo=JST)
    created = ui.attempt(sessions.create_session, lesson_id, room.id, starts, ends, int(state["new_capacity"]), state["new_note"])
    if created:
        ui.flash("success", _("開催回を登録しました：{label}").format(label=catalogue[lesson_id].title))
        state["new_note"] = ""
        # 予約, 印刷 and ボランティア open on the session just made.
        state[CURRENT_SESSION] = created.value


def _series_rule() -> series.SeriesRule:
    state = st.session_state
    by_count = state["ser_end_by"] == "count"
    return series.SeriesRule(
        lesson_id=state["ser_lesson"],
        room_id=state["ser_room"].id,
        rule=state["ser_rule"],
        first_date=state["ser_first"],
        starts=state["ser_start"],
        ends=state["ser_end"],
        last_date=None if by_count else state["ser_last"],
        count=int(state["ser_count"]) if by_count else None,
    )


def _forget_preview() -> None:
    # Any change to the series makes the preview stale: it disappears.
    st.session_state.pop("ser_plan", None)


def _preview_series() -> None:
    if st.session_state.get("ser_room") is None:
        ui.flash("error", _("部屋を選んでください。"))
        return
    rule = _series_rule()
    try:
        plan = ui.read(series.plan_series, rule)
    except DeskError as err:
        ui.flash("error", str(err))
        return
    st.session_state["ser_plan"] = (rule, plan)


def _create_series() -> None:
    state = st.session_state
    rule, plan = state.pop("ser_plan")
    created = ui.attempt(series.create_series, rule, int(state["ser_capacity"]), state["ser_note"], expected_dates=plan.dates)
    if created:
        ui.flash("success", _("連続講座を登録しました（{n} 回）。").format(n=len(plan.dates)))
        state["ser_note"] = ""


def _cancel(following: bool) -> None:
    state = st.session_state
    session_id = state.get("cancel_session")
    if session_id is None:
        ui.flash("error", _("中止する開催回を選んでください。"))
        return
    if following:
        done = ui.attempt(
            series.cancel_from,
            session_id,
            state["cancel_session_reason"],
            success=lambda n: _("この回以降の {n} 回を中止しました。電話連絡リストに載ります。").format(n=n),
        )
    else:
        done = ui.attempt(
            sessions.cancel_session,
            session_id,
            state["cancel_session_reason"],
            success=_("中止しました。予約・申込をしていた方は電話連絡リストに載ります。"),
        )
    if done:
        state["cancel_session_reason"] = ""
        state["cancel_session"] = None


def _move() -> None:
    state = st.session_state
    session_id = state.get("cancel_session")
    if session_id is None:
        ui.flash("error", _("変更する開催回を選んでください。"))
        return
    room = state.get("move_room")
    moved = ui.attempt(series.move_from, session_id, state["move_start"], state["move_end"], room.id if room is not None else None)
    if moved:
        ui.flash("success", _("この回以降の {n} 回の時間・部屋を変えました。").format(n=moved.value))
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
    holiday = st.session_state.get(CONFIRM_HOLIDAY)
    if holiday:
        with st.container(border=True):
            st.warning(
                _("{date} は {note} です。会場が開いている日か確かめてから登録してください。").format(
                    date=format_date(st.session_state["new_date"]), note=holiday
                ),
                icon=":material/event_busy:",
            )
            st.button(_("開いているので登録する"), on_click=_create, args=(True,), key="create_on_holiday")
elif mode == "series":
    st.selectbox(_("講座"), options=list(catalogue), format_func=lesson_label, key="ser_lesson", on_change=_forget_preview)
    left, right = st.columns(2)
    left.date_input(
        _("最初の日（この日の曜日でくり返します）"), value=today_jst() + timedelta(days=7), min_value=today_jst(), key="ser_first",
        format="YYYY/MM/DD", on_change=_forget_preview,
    )
    first_day = st.session_state["ser_first"]
    week_of_month = (first_day.day - 1) // 7 + 1
    right.radio(
        _("くり返し"),
        options=list(series.RULES),
        format_func={
            "weekly": series.rule_label("weekly", first_day.weekday()),
            "biweekly": series.rule_label("biweekly", first_day.weekday()),
            "monthly_nth": series.rule_label("monthly_nth", first_day.weekday(), week_of_month),
        }.get,
        key="ser_rule",
        on_change=_forget_preview,
    )
    left, mid, right = st.columns(3)
    left.radio(
        _("終わり"), options=["count", "date"], format_func={"count": _("回数で"), "date": _("最後の日で")}.get,
        key="ser_end_by", horizontal=True, on_change=_forget_preview,
    )
    if st.session_state["ser_end_by"] == "count":
        mid.number_input(_("回数"), min_value=1, max_value=series.MAX_SESSIONS, value=4, step=1, key="ser_count", on_change=_forget_preview)
    else:
        mid.date_input(
            _("最後の日"), value=first_day + timedelta(days=28), min_value=first_day, key="ser_last", format="YYYY/MM/DD",
            on_change=_forget_preview,
        )
    left, right = st.columns(2)
    left.time_input(_("開始"), value=datetime(2000, 1, 1, 10, 0).time(), step=timedelta(minutes=15), key="ser_start", on_change=_forget_preview)
    right.time_input(_("終了"), value=datetime(2000, 1, 1, 11, 30).time(), step=timedelta(minutes=15), key="ser_end", on_change=_forget_preview)
    left.selectbox(_("部屋"), options=rooms, format_func=room_label, key="ser_room", on_change=_forget_preview)
    right.number_input(_("定員"), min_value=1, max_value=200, value=12, step=1, key="ser_capacity")
    st.text_input(_("メモ（任意）"), key="ser_note", max_chars=200)
    st.button(_("予定を確認する"), on_click=_preview_series, key="ser_preview")
    if "ser_plan" in st.session_state:
        _rule, plan = st.session_state["ser_plan"]
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
        st.selectbox(_("開催回"), options=list(by_id), format_func=lambda i: ui.session_label(by_id[i]), index=None, key="cancel_session", placeholder=_("選んでください"))
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
            right.selectbox(_("部屋（変えないときは空欄）"), options=rooms, format_func=room_label, index=None, key="move_room", placeholder=_("選んでください"))
            st.button(_("この回以降を変更する"), on_click=_move, key="move_following", type="primary")

st.subheader(_("これからの開催回（4週間）"))
upcoming = ui.read(sessions.sessions_between, today_jst(), today_jst() + timedelta(days=27), limit=100)
if not upcoming:
    st.info(_("これから4週間に予定されている開催回はありません。"))
else:
    # A plain table wraps long titles, so every column fits at 1366 px.
    st.table(
        rows(
            [
                {
                    _("日時"): f"{short_date(s.starts_at)} {format_time(s.starts_at)}〜{format_time(s.ends_at)}",
                    _("講座"): s.lesson_title + (_("（連続）") if s.series_id else ""),
                    _("部屋"): f"{s.venue_name} {s.room_name}",
                    _("予約"): _("中止") if s.status == "cancelled" else ui.seats_text(s),
                    _("担当"): ui.staffing_text(s) + (_("（不足）") if s.understaffed else ""),
                }
                for s in upcoming
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    if len(upcoming) == 100:
        st.caption(_("先の100回まで表示しています。ほかの日は「予定表」で見られます。"))
