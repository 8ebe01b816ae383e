"""相談窓口: record a help-desk case in one short form, work the follow-up queue and
one's own cases, search, and open a case to add details, change its status
(新規 → 対応中 → 保留 → 解決 / 他機関へ案内 → 終了), and print the handouts or a
相談メモ for the resident."""

import functools
from datetime import timedelta

import streamlit as st

import lessons
import ui
from db import accounts, attendees, settings, tickets, venues
from db.clock import parse_iso, today_jst
from locales import _
from printouts.consult_memo import render_consult_memo
from printouts.dates import duration, format_date, format_time
from printouts.handout import render_handouts
from printouts.model import Centre
from ui import plain
from views.memo import consult_memo

who = ui.guard("helpdesk")
st.title(_("相談窓口"))
ui.show_flash()

state = st.session_state
OPEN = "ticket_open"
catalogue = lessons.catalogue()
members = ui.read(accounts.desk_members)
me = ui.read(accounts.user_id_of, who.username)
venue_names = {v["id"]: v["name"] for v in ui.read(venues.list_venues)}
config = ui.read(settings.get_settings)
ACTIONS = {
    "in_progress": _("対応を始める"),
    "on_hold": _("保留にする"),
    "resolved": _("解決"),
    "referred": _("他機関へ案内"),
    "closed": _("終了する"),
}
REOPEN = _("再開する")


def label(t: tickets.Ticket) -> str:
    # A selectbox keeps its value by the option's text: a label that changed with
    # the status or an edit would lose the open case, so each keeps its first one.
    return state.setdefault("ticket_labels", {}).setdefault(t.id, f"{t.number} ｜ {_(tickets.CATEGORIES[t.category])} ｜ {t.summary}")


def resident(t: tickets.Ticket) -> str:
    if t.attendee_name:
        return plain.md(t.attendee_name + (f"（{t.attendee_phone}）" if t.attendee_phone else ""))
    parts = [p for p in (t.age_band, t.device) if p]
    return _("匿名の来所者") + (f"（{'・'.join(parts)}）" if parts else "")


# Rows a ticket table draws at once; the rest are a page away (a city's queue runs
# to hundreds, issue 12).
TICKETS_PER_PAGE = 50


def table(rows: list[tickets.Ticket], key: str, follow_up: bool = False) -> None:
    rows = ui.page_of(rows, TICKETS_PER_PAGE, key)
    st.table(
        plain.rows([
            {
                _("番号"): t.number,
                **({_("フォロー日"): format_date(t.follow_up_on)} if follow_up and t.follow_up_on else {}),
                _("受付"): format_date(t.opened_at_jst),
                _("分類"): _(tickets.CATEGORIES[t.category]),
                _("状態"): _(tickets.STATUSES[t.status]),
                _("相談内容"): t.summary,
                _("担当"): members.get(t.assignee_id, "—"),
            }
            for t in rows
        ]),
        hide_index=True,
        width="stretch",
    )


def _intake() -> None:
    opened = ui.attempt(
        tickets.open_ticket,
        channel=state["in_channel"],
        category=state["in_category"],
        summary=state["in_summary"],
        age_band=state["in_age"] or "",
        device=state["in_device"] or "",
        minutes=int(state["in_minutes"]),
        venue_id=state.get("in_venue"),
        assignee_id=me,
    )
    if opened:
        number = ui.read(tickets.get_ticket, who, opened.value).number
        ui.flash("success", _("相談記録 {number} を記録しました。").format(number=number))
        state[OPEN] = opened.value
        # The next walk-in starts from a blank form, not the last person's details.
        state["in_summary"] = ""
        state["in_age"] = state["in_device"] = None
        state["in_minutes"] = 0


tab_intake, tab_queue, tab_mine, tab_search = st.tabs(
    [_("受付"), _("フォロー待ち"), _("わたしの担当"), _("さがす")], key="desk_tab", on_change="rerun"
)
with tab_intake:
    with st.form("intake", enter_to_submit=True):
        st.radio(
            _("受付の方法"), options=list(tickets.CHANNELS), format_func=lambda c: _(tickets.CHANNELS[c]), horizontal=True, key="in_channel"
        )
        left, right = st.columns([1, 2])
        left.selectbox(_("分類"), options=list(tickets.CATEGORIES), format_func=lambda c: _(tickets.CATEGORIES[c]), key="in_category")
        right.text_input(_("相談内容"), max_chars=tickets.SUMMARY_MAX, placeholder=_("例：LINEで写真が見られない"), key="in_summary")
        left, mid, right, far = st.columns(4)
        left.selectbox(_("年代"), options=list(attendees.AGE_BANDS), index=None, placeholder=_("未確認"), key="in_age")
        mid.selectbox(_("機種"), options=list(attendees.DEVICES), index=None, placeholder=_("未確認"), key="in_device")
        right.number_input(_("対応時間（分）"), min_value=0, max_value=tickets.MINUTES_MAX, value=0, step=5, key="in_minutes")
        if venue_names:
            far.selectbox(_("会場"), options=list(venue_names), format_func=venue_names.get, key="in_venue")
        st.caption(_("名前や電話番号は要りません。くわしいことは後から書き足せます。"))
        st.form_submit_button(_("記録する"), type="primary", on_click=_intake, key="intake_submit")

queue = ui.read(tickets.follow_up_queue, who)
mine = ui.read(tickets.my_open_tickets, who)
with tab_queue:
    st.caption(_("保留中で、フォロー日が今日か過ぎた相談（フォロー日の古い順）。"))
    if queue:
        table(queue, "queue_page", follow_up=True)
    else:
        st.info(_("フォローが必要な相談はありません。"))
with tab_mine:
    if mine:
        table(mine, "mine_page")
    else:
        st.info(_("担当している対応中の相談はありません。"))
with tab_search:
    left, mid, right = st.columns(3)
    left.selectbox(
        _("状態で絞り込む"),
        options=["open", *tickets.STATUSES],
        format_func=lambda s: _("対応中のすべて") if s == "open" else _(tickets.STATUSES[s]),
        index=None,
        placeholder=_("すべて"),
        key="q_status",
    )
    mid.selectbox(
        _("分類で絞り込む"),
        options=list(tickets.CATEGORIES),
        format_func=lambda c: _(tickets.CATEGORIES[c]),
        index=None,
        placeholder=_("すべて"),
        key="q_category",
    )
    right.selectbox(_("担当で絞り込む"), options=list(members), format_func=members.get, index=None, placeholder=_("すべて"), key="q_assignee")
    left, right = st.columns(2)
    window = left.date_input(
        _("受付日（から〜まで）"), value=(today_jst() - timedelta(days=90), today_jst()), format="YYYY/MM/DD", key="q_dates"
    )
    right.text_input(_("相談内容・相談者（一部でも）"), key="q_text")
    first, last = (window + (None, None))[:2] if isinstance(window, tuple) else (window, None)
    found = ui.read(
        tickets.search_tickets,
        who,
        status=state.get("q_status"),
        category=state.get("q_category"),
        assignee_id=state.get("q_assignee"),
        opened_from=first,
        opened_to=last,
        text=state.get("q_text") or None,
    )
    st.caption(_("{n} 件").format(n=len(found)))
    if found:
        table(found, "found_page")

choices = {t.id: t for t in [*queue, *mine, *found]}
if state.get(OPEN) is not None and state[OPEN] not in choices:
    opened = ui.read(tickets.get_ticket, who, state[OPEN])
    choices[opened.id] = opened
st.divider()
ticket_id = st.selectbox(
    _("相談記録を開く"),
    options=list(choices),
    format_func=lambda i: label(choices[i]),
    index=None,
    placeholder=_("番号・内容で選ぶ"),
    key=OPEN,
)
if ticket_id is None:
    st.stop()
t = ui.read(tickets.get_ticket, who, ticket_id)
key = f"t{t.id}_"


def _change(to_status: str) -> None:
    changed = ui.attempt(
        tickets.change_status,
        t.id,
        to_status,
        follow_up_on=state.get(key + "follow") if to_status == "on_hold" else None,
        referral_to=state.get(key + "referral") if to_status == "referred" else None,
        referral_note=state.get(key + "referral_note", "") if to_status == "referred" else "",
        minutes=int(state.get(key + "add", 0)),
        success=_("状態を「{status}」にしました。").format(status=_(tickets.STATUSES[to_status])),
    )
    if changed:
        state[key + "add"] = 0


def _add_minutes() -> None:
    minutes = int(state.get(key + "add", 0))
    if ui.attempt(tickets.add_minutes, t.id, minutes, success=_("対応時間 {m} 分を記録しました。").format(m=minutes)):
        state[key + "add"] = 0


def _save() -> None:
    fields = {
        "category": state[key + "category"],
        "summary": state[key + "summary"],
        "os": state[key + "os"],
        "age_band": state[key + "age"] or "",
        "device": state[key + "device"] or "",
        "assignee_id": state[key + "assignee"],
        "notes": state[key + "notes"],
        "outcome": state[key + "outcome"],
        "next_step": state[key + "next"],
    }
    if state.get(key + "attendee") is not None:
        fields["attendee_id"] = state[key + "attendee"]
    ui.attempt(tickets.update_ticket, t.id, success=_("相談記録を保存しました。"), **fields)


def _guides_given(lesson_ids: list[str]) -> None:
    ui.attempt(tickets.record_guides, t.id, lesson_ids)


st.subheader(f"{t.number}　{_(tickets.CATEGORIES[t.category])}　【{_(tickets.STATUSES[t.status])}】")
facts = [
    _("受付：{date}（{channel}）").format(date=format_date(t.opened_at_jst), channel=_(tickets.CHANNELS[t.channel])),
    _("相談者：{who}").format(who=resident(t)),
    _("担当：{name}").format(name=plain.md(members.get(t.assignee_id, "—"))),
    _("対応時間：{time}").format(time=duration(t.minutes)),
]
if t.follow_up_on:
    facts.append(_("フォロー日：{date}").format(date=format_date(t.follow_up_on)))
if t.referral_to:
    facts.append(
        _("案内先：{where}").format(where=plain.md(_(tickets.REFERRALS[t.referral_to]) + (f"（{t.referral_note}）" if t.referral_note else "")))
    )
st.markdown("  \n".join(facts))

with st.container(border=True):
    st.markdown(_("**状態を変える**"))
    left, mid, right = st.columns(3)
    left.number_input(_("今回の対応時間（分）"), min_value=0, max_value=tickets.MINUTES_MAX, value=0, step=5, key=key + "add")
    targets = tickets.TRANSITIONS[t.status]
    if "on_hold" in targets:
        mid.date_input(
            _("フォロー日（保留にするとき）"),
            value=today_jst() + timedelta(days=7),
            min_value=today_jst(),
            format="YYYY/MM/DD",
            key=key + "follow",
        )
    if "referred" in targets:
        right.selectbox(
            _("案内先（他機関へ案内するとき）"),
            options=list(tickets.REFERRALS),
            format_func=lambda r: _(tickets.REFERRALS[r]),
            index=None,
            key=key + "referral",
            placeholder=_("選んでください"),
        )
        right.text_input(_("案内先のくわしい名前（任意）"), max_chars=tickets.REFERRAL_NOTE_MAX, key=key + "referral_note")
    buttons = st.columns(len(targets) + 1)
    for column, target in zip(buttons, targets):
        text = REOPEN if target == "in_progress" and t.status in ("resolved", "referred", "closed") else ACTIONS[target]
        column.button(
            text, key=key + "to_" + target, on_click=_change, args=(target,), type="primary" if target == "resolved" else "secondary"
        )
    buttons[-1].button(_("時間だけ記録"), key=key + "minutes", on_click=_add_minutes)

with st.form(key + "details", enter_to_submit=False):
    st.markdown(_("**くわしい内容**"))
    left, right = st.columns(2)
    left.selectbox(
        _("分類"),
        options=list(tickets.CATEGORIES),
        format_func=lambda c: _(tickets.CATEGORIES[c]),
        index=list(tickets.CATEGORIES).index(t.category),
        key=key + "category",
    )
    right.selectbox(
        _("担当"),
        options=list(members),
        format_func=members.get,
        index=list(members).index(t.assignee_id) if t.assignee_id in members else None,
        key=key + "assignee",
    )
    st.text_input(_("相談内容"), value=t.summary, max_chars=tickets.SUMMARY_MAX, key=key + "summary")
    left, mid, right = st.columns(3)
    left.selectbox(
        _("年代"),
        options=list(attendees.AGE_BANDS),
        index=attendees.AGE_BANDS.index(t.age_band) if t.age_band in attendees.AGE_BANDS else None,
        placeholder=_("未確認"),
        key=key + "age",
    )
    mid.selectbox(
        _("機種"),
        options=list(attendees.DEVICES),
        index=attendees.DEVICES.index(t.device) if t.device in attendees.DEVICES else None,
        placeholder=_("未確認"),
        key=key + "device",
    )
    right.text_input(_("OS・バージョン"), value=t.os, max_chars=tickets.OS_MAX, placeholder=_("例：iOS 18"), key=key + "os")
    if who.is_staff and t.attendee_id is None:
        query = st.text_input(_("登録済みの受講者と結びつける（電話番号の一部・フリガナ）"), key=key + "find")
        if query:
            found_people = {a.id: a for a in ui.read(attendees.find_attendees, who, query)}
            st.selectbox(
                _("受講者"),
                options=list(found_people),
                format_func=lambda i: f"{found_people[i].name}（{found_people[i].name_kana}・{found_people[i].phone}）",
                index=None,
                key=key + "attendee",
                placeholder=_("選んでください"),
            )
    st.text_area(_("対応結果（相談メモの「きょう行ったこと」）"), value=t.outcome, max_chars=tickets.TEXT_MAX, key=key + "outcome")
    st.text_area(_("次にすること（相談メモに印刷）"), value=t.next_step, max_chars=tickets.TEXT_MAX, key=key + "next")
    st.text_area(_("内部メモ（相談者には渡しません）"), value=t.notes, max_chars=tickets.TEXT_MAX, key=key + "notes")
    st.caption(_("暗証番号・パスワード・マイナンバーは書かないでください。"))
    st.form_submit_button(_("保存する"), type="primary", on_click=_save, key=key + "save")

st.markdown(_("**印刷する**"))
chosen = st.multiselect(
    _("渡す配布資料（講座）"),
    options=list(catalogue),
    default=[i for i in tickets.CATEGORY_LESSONS.get(t.category, ()) if i in catalogue][:2],
    format_func=lambda i: catalogue[i].title,
    key=key + "lessons",
    placeholder=_("選んでください"),
)
centre = Centre(name=config.centre_name, phone=config.centre_phone)
if t.guides_given:
    st.caption(_("渡した資料：{titles}").format(titles="、".join(catalogue[i].title for i in t.guides_given if i in catalogue)))
helper = ui.read(accounts.person_name, t.assignee_id) if t.assignee_id else ""
memo = consult_memo(t, [catalogue[i] for i in chosen], helper)
left, right = st.columns(2)
if not t.outcome.strip():
    left.caption(_("相談メモは「対応結果」を書いて保存すると印刷できます。"))
else:
    left.download_button(
        _("相談メモ（PDF）"),
        data=functools.partial(render_consult_memo, centre, memo, body_pt=config.body_pt),
        file_name=f"consult-memo-{t.number}.pdf",
        mime="application/pdf",
        icon=":material/description:",
        on_click=_guides_given,
        args=(chosen,),
        key=key + "memo",
    )
if chosen:
    right.download_button(
        _("配布資料（PDF）"),
        data=functools.partial(render_handouts, [(catalogue[i], None) for i in chosen], centre, body_pt=config.body_pt),
        file_name=f"handouts-{t.number}.pdf",
        mime="application/pdf",
        icon=":material/menu_book:",
        on_click=_guides_given,
        args=(chosen,),
        key=key + "handouts",
    )

with st.expander(_("経過（だれが・いつ）")):
    st.table(
        plain.rows([
            {
                _("日時"): f"{format_date(parse_iso(e.at))} {format_time(parse_iso(e.at))}",
                _("記録した人"): e.user,
                _("変更"): (
                    _("受付（{status}）").format(status=_(tickets.STATUSES[e.to_status]))
                    if not e.from_status
                    else _("{old} → {new}").format(old=_(tickets.STATUSES[e.from_status]), new=_(tickets.STATUSES[e.to_status]))
                    if e.from_status != e.to_status
                    else _("対応時間の記録")
                ),
                _("時間"): duration(e.minutes) if e.minutes else "—",
            }
            for e in ui.read(tickets.ticket_history, who, t.id)
        ]),
        hide_index=True,
        width="stretch",
    )
