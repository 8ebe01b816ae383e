"""出欠: mark attended / late / absent for each seated attendee; correctable
from 30 minutes before the start until 14 days after (DESIGN.md §7). A borrowed
loan phone (貸出機) shows its label, and its return is recorded here; phones
not back are listed for staff to chase."""

from datetime import timedelta

import streamlit as st

import ui
from db import bookings, loans, sessions
from db.clock import now_jst
from locales import _
from ui.plain import md

who = ui.guard("attendance")
st.title(_("出欠"))
ui.show_flash()

# Today's sessions and those of the last 14 days: attendance is marked from just
# before a class until two weeks after it.
now = now_jst()
first_day = (now - timedelta(days=bookings.ATTENDANCE_DAYS_AFTER)).date()
opens_min = ui.read(bookings.attendance_window_minutes)


def _in_progress_or_latest(rows: list[sessions.SessionRow]) -> sessions.SessionRow:
    # The class in progress (or about to start), else the one that started last.
    running = [s for s in rows if s.starts_at - timedelta(minutes=opens_min) <= now <= s.ends_at]
    started = [s for s in rows if s.starts_at <= now]
    return (running or started[-1:] or rows)[0]


session = ui.session_picker(
    "attendance",
    keep=lambda s: s.status == "scheduled",
    first=first_day,
    last=now.date(),
    default_day=ui.read(sessions.previous_session_day, now.date(), first_day),
    prefer=_in_progress_or_latest,
)
if session is None:
    st.caption(_("出欠は、今日と過去14日間の開催回につけられます。"))
    st.stop()
session_id = session.id
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


def _return(booking_id: int, key: str) -> None:
    ui.attempt(loans.record_return, booking_id, st.session_state[key] or "")


RETURN_CHOICES = {"": _("返却未記入"), **{code: _(label) for code, label in loans.RETURNS.items()}}
seated = ui.read(bookings.list_bookings, who, session_id)
lent = ui.read(loans.session_loans, who, session_id)
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
    if b.id in lent:
        loan = lent[b.id]
        # Keyed by what is recorded, so a return recorded below redraws it.
        key = f"return_{b.id}_{loan.returned or 'none'}"
        left.markdown(_("貸出機：**{label}**（{kind}）").format(label=md(loan.label), kind=loan.kind))
        right.segmented_control(
            _("貸出機の返却"),
            options=list(RETURN_CHOICES),
            format_func=RETURN_CHOICES.get,
            default=loan.returned,
            key=key,
            on_change=_return,
            args=(b.id, key),
            label_visibility="collapsed",
            disabled=now < opens,
        )

# Phones not back, from any session: whom to ask for them.
out = ui.read(loans.out_phones, who)
if out:
    st.subheader(_("返却されていない貸出機"))
    for o in out:
        left, right = st.columns([4, 1], vertical_alignment="center")
        state_text = _("未返却") if o.recorded else _("返却未記入")
        left.markdown(
            f"**{md(o.label)}**【{state_text}】　{o.starts_at:%-m/%-d %-H:%M}　{md(o.venue_name)}　{md(o.name)}（{md(o.phone)}）"
        )
        right.button(
            _("返却された"), key=f"returned_{o.booking_id}", on_click=ui.attempt, args=(loans.record_return, o.booking_id, "returned"),
            kwargs={"success": _("「{label}」の返却を記録しました。").format(label=o.label)},
        )
