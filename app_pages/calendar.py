"""予定表: the schedule as a month calendar or a week list, filtered by venue,
lesson and volunteer. Full, cancelled and understaffed sessions are marked with
words (【満席】【中止】【講師未定】【補助不足】), never by colour alone."""

import calendar as month_grid
import html
from datetime import date, timedelta

import streamlit as st

import lessons
import ui
from db import sessions, venues, volunteers
from db.clock import today_jst
from locales import _
from printouts.dates import format_date, format_time
from ui import plain

who = ui.guard("calendar")
st.title(_("予定表"))
ui.show_flash()

ANCHOR = "cal_anchor"
state = st.session_state
state.setdefault(ANCHOR, today_jst())
catalogue = lessons.catalogue()
WEEKDAYS = [_("日曜"), _("月曜"), _("火曜"), _("水曜"), _("木曜"), _("金曜"), _("土曜")]


def _shift(step: int) -> None:
    anchor = state[ANCHOR]
    if state.get("cal_view", "month") == "week":
        state[ANCHOR] = anchor + timedelta(days=7 * step)
    else:
        month = anchor.month - 1 + step
        state[ANCHOR] = date(anchor.year + month // 12, month % 12 + 1, 1)


def _today() -> None:
    state[ANCHOR] = today_jst()


view = st.segmented_control(
    _("表示"),
    options=["month", "week"],
    format_func={"month": _("月"), "week": _("週")}.get,
    default="month",
    key="cal_view",
)
venue_names = {v["id"]: v["name"] for v in ui.read(venues.list_venues)}
people = {v.id: v.name for v in ui.read(volunteers.list_volunteers)}
left, mid, right = st.columns(3)
venue_id = left.selectbox(_("会場"), options=list(venue_names), format_func=venue_names.get, index=None, placeholder=_("すべての会場"), key="cal_venue")
lesson_id = mid.selectbox(
    _("講座"), options=list(catalogue), format_func=lambda i: catalogue[i].title, index=None, placeholder=_("すべての講座"), key="cal_lesson"
)
default_person = who.volunteer_id if who.role == "volunteer" and who.volunteer_id in people else None
volunteer_id = right.selectbox(
    _("担当者"),
    options=list(people),
    format_func=people.get,
    index=list(people).index(default_person) if default_person is not None else None,
    placeholder=_("すべての担当者"),
    key="cal_volunteer",
)

anchor = state[ANCHOR]
if view == "week":
    first = anchor - timedelta(days=(anchor.weekday() + 1) % 7)
    last = first + timedelta(days=6)
    heading = _("{first} 〜 {last}").format(first=format_date(first), last=format_date(last))
else:
    first = anchor.replace(day=1)
    last = date(first.year + first.month // 12, first.month % 12 + 1, 1) - timedelta(days=1)
    heading = _("{year}年{month}月").format(year=first.year, month=first.month)

st.subheader(heading)
back, now, forward, _rest = st.columns([1, 1, 1, 3])
back.button(_("前へ"), icon=":material/chevron_left:", on_click=_shift, args=(-1,), key="cal_back", width="stretch")
now.button(_("今日"), on_click=_today, key="cal_today", width="stretch")
forward.button(_("次へ"), icon=":material/chevron_right:", on_click=_shift, args=(1,), key="cal_forward", width="stretch")

rows = ui.read(sessions.sessions_between, first, last, venue_id=venue_id, lesson_id=lesson_id, volunteer_id=volunteer_id)
by_day: dict[date, list] = {}
for s in rows:
    by_day.setdefault(s.starts_at.date(), []).append(s)
st.caption(
    _("【満席】定員に達した回 ・ 【講師未定】【補助不足】担当が足りない回 ・ 【中止】中止した回 ・ 全 {n} 回").format(n=len(rows))
)


def _marks(s) -> str:
    return "".join(f"【{m}】" for m in ui.session_marks(s))


if view == "month":
    cells = []
    for week in month_grid.Calendar(firstweekday=6).monthdatescalendar(first.year, first.month):
        row = []
        for day in week:
            if day.month != first.month:
                row.append("<td class='out'></td>")
                continue
            note = sessions.day_note(day)
            lines = [f"<div class='day'>{day.day}{'　' + html.escape(note) if note else ''}</div>"]
            for s in by_day.get(day, []):
                text = f"{format_time(s.starts_at)} {s.lesson_title}"
                marks = _marks(s)
                lines.append(
                    f"<div class='s{' off' if s.status == 'cancelled' else ''}'>{html.escape(text)}"
                    + (f"<br><b>{html.escape(marks)}</b>" if marks else "")
                    + "</div>"
                )
            row.append(f"<td{' class=today' if day == today_jst() else ''}>{''.join(lines)}</td>")
        cells.append("<tr>" + "".join(row) + "</tr>")
    head = "".join(f"<th>{d}</th>" for d in WEEKDAYS)
    st.html(
        "<style>"
        ".cal{border-collapse:collapse;width:100%;table-layout:fixed;font-size:0.95rem}"
        ".cal th,.cal td{border:1px solid #888;vertical-align:top;padding:4px;color:#111;background:#fff}"
        ".cal td.out{background:#eee}.cal td.today{outline:3px solid #111;outline-offset:-3px}"
        ".cal .day{font-weight:bold}.cal .s{margin-top:4px;line-height:1.35}.cal .off{text-decoration:line-through}"
        "</style>"
        f"<table class='cal' aria-label='{html.escape(heading)}'><thead><tr>{head}</tr></thead><tbody>{''.join(cells)}</tbody></table>"
    )
else:
    for offset in range(7):
        day = first + timedelta(days=offset)
        note = sessions.day_note(day)
        st.markdown(f"**{format_date(day)}**" + (f"　{plain.md(note)}" if note else ""))
        todays = by_day.get(day, [])
        if not todays:
            st.caption(_("開催回はありません。"))
            continue
        st.table(
            plain.rows([
                {
                    _("時間"): f"{format_time(s.starts_at)}〜{format_time(s.ends_at)}",
                    _("講座"): s.lesson_title,
                    _("会場"): f"{s.venue_name} {s.room_name}",
                    _("予約"): _("中止") if s.status == "cancelled" else ui.seats_text(s),
                    _("担当"): ui.staffing_text(s),
                    _("しるし"): _marks(s) or "—",
                }
                for s in todays
            ]),
            hide_index=True,
            width="stretch",
        )
