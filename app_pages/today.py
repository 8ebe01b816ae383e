"""今日: the desk's day on one screen (issue 15) — today's classes with one click
to booking, printing and attendance; whom to phone, with 電話した / つながらない;
offers that end today; help-desk follow-ups that are due; the next fortnight's
classes short of volunteers or of residents; and housekeeping notices. Each class
says how many loan phones (貸出機) to lay out; phones not back are a notice."""

from datetime import datetime, timedelta

import streamlit as st

import lessons
import ui
from db import backup, bookings, calls, loans, retention, sessions, settings, tickets
from db.clock import now_jst, today_jst
from locales import _
from printouts.call_list import default_script, spoken_time
from printouts.dates import format_date
from ui.plain import md

# At most this many calls, and classes needing attention, are drawn at once: each
# call is a card of a dozen elements, and a city's day has hundreds (issue 12).
CALLS_PER_PAGE = 10
ATTENTION_SHOWN = 15
FOLLOW_UPS_SHOWN = 20
AHEAD_DAYS = 14

who = ui.guard("today")
today = today_jst()
st.title(_("今日"))
st.caption(format_date(today))
ui.show_flash()


def _record(target: calls.CallTarget, outcome: str) -> None:
    success = _("「{outcome}」と記録しました。").format(outcome=_(calls.OUTCOMES[outcome]))
    if target.booking_id is None:
        ui.attempt(calls.record_application_call, target.application_id, target.session_id, outcome, success=success)
    else:
        ui.attempt(calls.record_call, target.booking_id, target.kind, outcome, success=success)


def _links(session, column) -> None:
    """One click to the class on the pages that work on it."""
    for page, label, icon in (
        ("app_pages/bookings.py", _("予約"), ":material/event_seat:"),
        ("app_pages/printouts.py", _("印刷"), ":material/print:"),
        ("app_pages/attendance.py", _("出欠"), ":material/how_to_reg:"),
    ):
        column.page_link(page, label=label, icon=icon, query_params={"session": str(session.id)})


# 1. Today's classes -----------------------------------------------------------------
st.subheader(_("今日の開催回"))
todays = ui.read(sessions.sessions_between, today, today)
if not todays:
    st.caption(_("今日の開催回はありません。"))
queues = ui.read(bookings.queue_counts, [s.id for s in todays])
prepares = ui.read(loans.to_prepare, [s.id for s in todays])
for s in todays:
    offered, waiting = queues[s.id]
    with st.container(border=True):
        text, links = st.columns([4, 1])
        marks = "".join(f"【{m}】" for m in ui.session_marks(s))
        text.markdown(f"**{s.starts_at:%-H:%M}〜{s.ends_at:%-H:%M}　{md(s.lesson_title)}**　{md(s.room_name)}　{marks}")
        if s.status != "cancelled":
            phones = loans.prepare_text(prepares[s.id])
            text.caption(f"{ui.queue_text(s, offered, waiting)}　｜　{ui.staffing_text(s)}" + (f"　｜　{phones}" if phones else ""))
            _links(s, links)

# 2. Calls ------------------------------------------------------------------------------
st.subheader(_("今日かける電話"))
targets = ui.read(calls.call_list, who)
kinds = {"cancelled": _("中止のお知らせ"), "offer": _("繰り上げ連絡"), "reminder": _("明日のご案内"), "won": _("抽選の当選"), "lost": _("抽選の落選")}
to_call = [t for t in targets if t.outcome != "reached"]
st.caption(
    _("残り {left} 件（全 {total} 件：中止のお知らせ {cancelled}・繰り上げ連絡 {offer}・明日のご案内 {reminder}）").format(
        left=len(to_call), total=len(targets), **{k: sum(t.kind == k for t in targets) for k in kinds}
    )
)
if any(t.kind in ("won", "lost") for t in targets):
    st.caption(_("抽選の結果の電話：当選 {won}・落選 {lost}").format(won=sum(t.kind == "won" for t in targets), lost=sum(t.kind == "lost" for t in targets)))
show_done = st.toggle(_("電話した分も表示する"), key="today_show_done")
shown = targets if show_done else to_call
for t in ui.page_of(shown, CALLS_PER_PAGE, "today_calls_page"):
    with st.container(border=True):
        text, buttons = st.columns([4, 2], vertical_alignment="center")
        done = {"reached": _("（電話しました）"), "no_answer": _("（つながりませんでした）")}.get(t.outcome, "")
        # The number on a line of its own: never broken across two lines when dialled.
        text.markdown(f"**{kinds[t.kind]}**　{md(t.name)}（{md(t.name_kana)}）{done}  \n**{md(t.phone)}**")
        detail = f"{t.lesson_title}　{format_date(t.starts_at)} {t.starts_at:%-H:%M}"
        if t.deadline is not None:
            detail += "　" + _("期限：{when}まで").format(when=spoken_time(t.deadline))
        text.caption(md(detail))
        with text.expander(_("話すこと")):
            st.write(md(default_script(t.kind, t.lesson_title, spoken_time(t.starts_at), spoken_time(t.deadline) if t.deadline else "", receipt=t.receipt)))
        # A row that wraps: at 200 % zoom the second button goes below the first
        # instead of both being cut to "電話…".
        row = buttons.container(horizontal=True)
        row.button(_("電話した"), key=f"reached_{t.kind}_{t.key}", on_click=_record, args=(t, "reached"), type="primary")
        row.button(_("つながらない"), key=f"no_answer_{t.kind}_{t.key}", on_click=_record, args=(t, "no_answer"))
if not shown:
    st.caption(_("今日かける電話はありません。") if not targets else _("今日の電話はすべて済みました。"))

# 3. Offers that end today -----------------------------------------------------------------
st.subheader(_("今日が期限の繰り上げ連絡"))
due = ui.read(bookings.offers_due, who, today)
if not due:
    st.caption(_("今日が期限の繰り上げ連絡はありません。"))
for offer in due:
    left, right = st.columns([4, 1])
    left.markdown(
        _("{name}（{phone}）・{lesson} {when}・**{deadline}まで**").format(
            name=md(offer.booking.name),
            phone=md(offer.booking.phone),
            lesson=md(lessons.title_of(offer.lesson_id)),
            when=spoken_time(offer.starts_at),
            deadline=spoken_time(datetime.fromisoformat(offer.booking.offered_until)),
        )
    )
    right.page_link("app_pages/bookings.py", label=_("予約へ"), icon=":material/event_seat:", query_params={"session": str(offer.session_id)})

# 4. Help-desk follow-ups --------------------------------------------------------------------
st.subheader(_("相談窓口のフォロー（期日が来たもの）"))
follow = ui.read(tickets.follow_up_queue, who, limit=FOLLOW_UPS_SHOWN)
if not follow:
    st.caption(_("期日が来たフォローはありません。"))
for t in follow:
    st.markdown(
        _("{number}　{category}　{summary}（フォロー日 {date}）").format(
            number=t.number, category=_(tickets.CATEGORIES[t.category]), summary=md(t.summary), date=format_date(t.follow_up_on)
        )
    )
if len(follow) == FOLLOW_UPS_SHOWN and (due := ui.read(tickets.follow_up_count, who)) > FOLLOW_UPS_SHOWN:
    st.caption(_("ほか {n} 件は「相談窓口」のフォロー待ちにあります。").format(n=due - FOLLOW_UPS_SHOWN))
if follow:
    st.page_link("app_pages/helpdesk.py", label=_("相談窓口へ"), icon=":material/support_agent:")

# 5. The next fortnight ------------------------------------------------------------------------
st.subheader(_("これから2週間で手当てが必要な開催回"))
attention = ui.read(sessions.needing_attention, today + timedelta(days=1), today + timedelta(days=AHEAD_DAYS), ATTENTION_SHOWN + 1)
if not attention:
    st.caption(_("担当も予約も足りています。"))
for s in attention[:ATTENTION_SHOWN]:
    left, right = st.columns([4, 1])
    reasons = ui.session_marks(s)
    if s.seats_taken * 2 < s.capacity:
        reasons.append(_("予約が半分未満（{taken}/{capacity}）").format(taken=s.seats_taken, capacity=s.capacity))
    left.markdown(f"{format_date(s.starts_at)} {s.starts_at:%-H:%M}　{md(s.lesson_title)}　{md(s.room_name)}　" + "".join(f"【{r}】" for r in reasons))
    right.page_link("app_pages/volunteers.py", label=_("担当を決める"), icon=":material/group_add:", query_params={"session": str(s.id)})
if len(attention) > ATTENTION_SHOWN:
    st.caption(_("ほかにもあります。「予定表」で確かめてください。"))
    st.page_link("app_pages/calendar.py", label=_("予定表へ"), icon=":material/calendar_month:")

# 6. Housekeeping ------------------------------------------------------------------------------
st.subheader(_("お知らせ"))
taken = backup.latest(backup.backup_dir())
if taken is None:
    st.warning(_("バックアップがまだありません。"), icon=":material/backup:")
elif now_jst() - taken > timedelta(hours=36):
    st.warning(_("最後のバックアップは {when} です。定時処理が止まっていないか確かめてください。").format(when=f"{taken:%-m/%-d %-H:%M}"), icon=":material/backup:")
else:
    st.caption(_("最後のバックアップ：{when}").format(when=f"{taken:%-m/%-d %-H:%M}"))
out = ui.read(loans.out_phones, who)
if out:
    st.warning(
        _("返却されていない貸出機があります：{labels}").format(labels="、".join(md(o.label) for o in out)), icon=":material/smartphone:"
    )
    st.page_link("app_pages/attendance.py", label=_("出欠で返却を記録する"), icon=":material/how_to_reg:")
if who.role == "admin":
    waiting_erasure = ui.read(retention.count_candidates, who, ui.read(settings.get_settings).retention_years)
    if waiting_erasure:
        st.info(_("保存期間を過ぎた方が {n} 人います（「個人情報の削除」）。").format(n=waiting_erasure), icon=":material/person_remove:")
