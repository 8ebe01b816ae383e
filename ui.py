"""Helpers shared by the pages: the page registry and its guard, the signed-in
actor and idle timeout, messages that survive a rerun, and labels. Only `app.py`
and `app_pages/` import this module.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import datetime
from datetime import time as clock_time
from datetime import timedelta
from typing import Callable

import streamlit as st

import db
from db import accounts, backup, settings, volunteers
from db.clock import JST, today_jst
from db.errors import DeskError
from db.permissions import SYSTEM, Actor
from locales import _
from plain import md
from printouts.dates import format_time_range

FLASH_KEY = "_flash"
ACTOR_KEY = "actor"
LAST_ACTIVE_KEY = "last_active"
LAST_ERROR_KEY = "_last_error"
BACKUP_CHECK_S = 3600


@dataclass(frozen=True)
class PageSpec:
    """A screen: its file, title, icon, URL and the roles that may open it."""

    key: str
    title: str
    icon: str
    roles: frozenset[str]


ALL = frozenset({"admin", "staff", "volunteer"})
STAFF = frozenset({"admin", "staff"})
ADMIN = frozenset({"admin"})

# The permission matrix for pages (README "Permissions" lists the same).
PAGES = (
    PageSpec("schedule", "開催予定", ":material/edit_calendar:", STAFF),
    PageSpec("calendar", "予定表", ":material/calendar_month:", ALL),
    PageSpec("bookings", "予約", ":material/event_seat:", STAFF),
    PageSpec("attendance", "出欠", ":material/how_to_reg:", STAFF),
    PageSpec("attendees", "受講者", ":material/groups:", STAFF),
    PageSpec("volunteers", "ボランティア", ":material/volunteer_activism:", STAFF),
    PageSpec("printouts", "印刷", ":material/print:", STAFF),
    PageSpec("helpdesk", "相談窓口", ":material/support_agent:", ALL),
    PageSpec("reports", "実績報告", ":material/monitoring:", STAFF),
    PageSpec("my_schedule", "わたしの予定", ":material/event_available:", frozenset({"volunteer"})),
    PageSpec("lessons", "講座一覧", ":material/menu_book:", ALL),
    PageSpec("account", "パスワード変更", ":material/key:", ALL),
    PageSpec("venues", "施設と設定", ":material/apartment:", ADMIN),
    PageSpec("accounts", "アカウント", ":material/manage_accounts:", ADMIN),
    PageSpec("audit", "操作の記録", ":material/history:", ADMIN),
    PageSpec("retention", "個人情報の削除", ":material/person_remove:", ADMIN),
    PageSpec("backups", "バックアップ", ":material/backup:", ADMIN),
)
PAGE_BY_KEY = {p.key: p for p in PAGES}
# Where a role lands after signing in (else its first page in the menu).
HOME = {"volunteer": "my_schedule"}


def home_page(role: str) -> str | None:
    """The page key a role lands on, or None when it may open no page."""
    return HOME.get(role) or next((p.key for p in PAGES if role in p.roles), None)


@st.cache_resource
def ensure_database() -> str:
    """Create or migrate the database once per server process; returns its path."""
    return str(db.init_db())


def _backup_loop() -> None:
    while True:
        try:
            path = db.db_path()
            with db.connect(path) as database:
                keep = settings.get_settings(database).backup_keep
            backup.backup_if_due(path, backup.backup_dir(path), keep, SYSTEM)
        except Exception as err:  # noqa: BLE001 - a failed backup must not stop the timer
            print(f"daily backup failed: {err}", flush=True)
        time.sleep(BACKUP_CHECK_S)


@st.cache_resource
def start_daily_backups() -> threading.Thread:
    """Start, once per server process, the thread that takes the daily backup."""
    thread = threading.Thread(target=_backup_loop, name="daily-backup", daemon=True)
    thread.start()
    return thread


def current_actor() -> Actor | None:
    """The signed-in account of this browser session, or None."""
    return st.session_state.get(ACTOR_KEY)


def actor() -> Actor:
    """The signed-in account; pages run only after `app.py` checked there is one."""
    return st.session_state[ACTOR_KEY]


def sign_in(who: Actor) -> None:
    """Remember `who` for this browser session and start the idle clock."""
    st.session_state[ACTOR_KEY] = who
    st.session_state[LAST_ACTIVE_KEY] = time.time()


def sign_out(reason: str = "sign_out") -> None:
    """Forget the signed-in account (audit-logged as `reason`)."""
    who = st.session_state.pop(ACTOR_KEY, None)
    st.session_state.pop(LAST_ACTIVE_KEY, None)
    if who is not None:
        with db.connect() as database:
            accounts.record_sign_out(database, who, reason)


def enforce_idle_timeout(timeout_min: int) -> None:
    """Sign out a session idle for more than `timeout_min` minutes; else touch it."""
    if current_actor() is None:
        return
    now = time.time()
    if now - st.session_state.get(LAST_ACTIVE_KEY, now) > timeout_min * 60:
        sign_out("idle_timeout")
        flash("info", _("{minutes}分間操作がなかったため、サインアウトしました。もう一度サインインしてください。").format(minutes=timeout_min))
    else:
        st.session_state[LAST_ACTIVE_KEY] = now


def _sign_in_submitted() -> None:
    state = st.session_state
    who = attempt_unsigned(accounts.authenticate, state["login_username"], state["login_password"])
    # The password never stays in the session, right or wrong.
    state["login_password"] = ""
    if who is not None:
        sign_in(who)


def sign_in_form() -> None:
    """The sign-in form (user name, password); on success the page reruns signed in."""
    with st.form("sign_in", enter_to_submit=True):
        st.text_input(_("ユーザー名"), key="login_username", max_chars=32)
        st.text_input(_("パスワード"), type="password", key="login_password")
        st.form_submit_button(_("サインイン"), type="primary", on_click=_sign_in_submitted, key="login_submit")


def guard(page_key: str) -> Actor:
    """Stop the page unless the signed-in role may open it (not only hidden in the
    menu). Signed out, the page asks to sign in first and then shows itself.

    Returns:
        the signed-in actor.
    """
    who = current_actor()
    if who is None:
        st.title(_("サインイン"))
        show_flash()
        sign_in_form()
        st.stop()
    if who.role not in PAGE_BY_KEY[page_key].roles:
        st.error(_("このページを見る権限がありません。"), icon=":material/block:")
        st.stop()
    return who


def flash(kind: str, message: str) -> None:
    """Queue a message ("success" / "error" / "warning" / "info") for the next run."""
    st.session_state.setdefault(FLASH_KEY, []).append((kind, message))


def show_flash() -> None:
    """Show and clear the queued messages; call near the top of a page."""
    icons = {"success": ":material/check_circle:", "error": ":material/error:", "warning": ":material/warning:"}
    for kind, message in st.session_state.pop(FLASH_KEY, []):
        # Messages may quote what a user typed (a name, a cell of an imported file).
        getattr(st, kind)(md(message), icon=icons.get(kind, ":material/info:"))


def attempt(action: Callable[..., object], *args: object, success: str = "", **kwargs: object) -> object | None:
    """Run a db write in a callback as the signed-in actor; a refused rule becomes
    an error message and changes nothing.

    Args:
        action: a `db` function taking (database, actor, *args, **kwargs).
        success: message shown after it worked ("" for none).
    Returns:
        what `action` returned, or None when it was refused.
    """
    return attempt_unsigned(action, actor(), *args, success=success, **kwargs)


def attempt_unsigned(action: Callable[..., object], *args: object, success: str = "", **kwargs: object) -> object | None:
    """Like `attempt` for what runs before anyone is signed in (sign-in, set-up):
    action(database, *args, **kwargs)."""
    st.session_state.pop(LAST_ERROR_KEY, None)
    try:
        with db.connect() as database:
            result = action(database, *args, **kwargs)
    except DeskError as err:
        flash("error", str(err))
        st.session_state[LAST_ERROR_KEY] = err
        return None
    if success:
        flash("success", success)
    return result


def last_error() -> DeskError | None:
    """The refusal of the latest `attempt` in this session, or None if it worked."""
    return st.session_state.get(LAST_ERROR_KEY)


def read(query: Callable[..., object], *args: object, **kwargs: object) -> object:
    """Run a db read function on a fresh connection: query(database, *args, **kwargs)."""
    with db.connect() as database:
        return query(database, *args, **kwargs)


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


def calendar_file(rows, venue_title: bool = True) -> bytes:
    """An .ics of sessions (`db.sessions.SessionRow`), cancelled ones marked
    STATUS:CANCELLED, UIDs from the session ids so re-imports replace events."""
    from printouts.calendar import CalendarEntry, render_ics

    now = datetime.now(JST)
    return render_ics(
        [
            CalendarEntry(
                session_id=s.id,
                title=f"{s.lesson_title}（{s.venue_name}）" if venue_title else s.lesson_title,
                starts_at=s.starts_at,
                ends_at=s.ends_at,
                location=f"{s.venue_name} {s.room_name}",
                description="",
                stamp=now,
                cancelled=s.status == "cancelled",
            )
            for s in rows
        ]
    )


def certificate_file(done: volunteers.Hours, issuer: str = "") -> bytes:
    """The 活動証明書 (PDF) of a volunteer's hours (`db.volunteers.hours`), issued
    today by the centre of the settings, at the settings' body size."""
    from printouts.certificate import Activity, render_certificate
    from printouts.model import Centre

    config = read(settings.get_settings)
    return render_certificate(
        Centre(name=config.centre_name, phone=config.centre_phone),
        done.name,
        _(volunteers.KINDS.get(done.kind, "")),
        done.fiscal_year,
        [Activity(a.day, a.lesson_title, _(volunteers.ROLES[a.role]), a.minutes) for a in done.activities],
        today_jst(),
        issuer,
        body_pt=config.body_pt,
    )


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
