"""予約: pick a session (by its day; it follows the user across pages), find or
register an attendee, book, waitlist or overbook; offers with their deadlines,
capacity changes and cancellations with a reason, each saying what followed;
loan phones (貸出機) for those without a phone: allocate, or change one by hand.
A session in 抽選 (lottery) mode takes applications (申込) through the same
find-or-register flow until its draw (`ui.lottery`)."""

from datetime import datetime

import streamlit as st

import ui
from db import attendees, bookings, loans, lottery, sessions
from db.attendees import DuplicateAttendee
from db.clock import now_jst, today_jst
from locales import _
from printouts.call_list import spoken_time
from printouts.dates import format_date
from ui import lottery as lottery_section
from ui.plain import md, rows

who = ui.guard("bookings")
st.title(_("予約"))
ui.show_flash()

now = now_jst()
session = ui.session_picker("booking", keep=lambda s: s.status == "scheduled" and s.starts_at > now, first=today_jst())
if session is None:
    st.caption(_("予約を受け付けるのは、これから始まる開催回です。新しい開催回は「開催予定」で登録します。"))
    st.stop()
session_id = session.id
state = st.session_state
lot = ui.read(lottery.for_session, session_id)
# Until the draw, the find-or-register flow takes applications, not bookings.
taking_applications = lot is not None and lot.drawn_at is None


def _offers_text(offers: list[bookings.NewOffer]) -> str:
    """What the desk must do next after a seat came free."""
    return "".join(
        _("{name} さんに繰り上げ連絡をしてください（{deadline}まで）。").format(name=o.name, deadline=spoken_time(o.deadline)) for o in offers
    )


def _book(attendee_id: int, waitlist: bool = False, overbook_reason: str = "", who_text: str = "") -> bool:
    """Book, waitlist or overbook; says which. `who_text` prefixes the message (a new registration)."""
    booked = ui.attempt(bookings.book, session_id, attendee_id, waitlist=waitlist, overbook_reason=overbook_reason)
    if not booked:
        return False
    if ui.read(bookings.status_of, booked.value) == "waitlisted":
        ui.flash("success", who_text + _("キャンセル待ちに入れました。空きが出たらお電話します。"))
    elif overbook_reason:
        ui.flash("success", who_text + _("定員を超えて予約しました。"))
    else:
        ui.flash("success", who_text + _("予約しました。"))
    return True


def _chosen() -> int | None:
    chosen = state.get("found_attendee")
    if chosen is None:
        ui.flash("error", _("予約する方を選んでください。"))
    return chosen


def _book_found(waitlist: bool) -> None:
    if (chosen := _chosen()) is not None and _book(chosen, waitlist=waitlist):
        state["found_attendee"] = None


def _apply_found() -> None:
    if (chosen := _chosen()) is not None and lottery_section.apply(lot.id, chosen):
        state["found_attendee"] = None


def _book_series() -> None:
    if (chosen := _chosen()) is None:
        return
    outcomes = ui.attempt(bookings.book_series, session.series_id, chosen)
    if not outcomes:
        return
    labels = {"booked": _("予約"), "waitlisted": _("キャンセル待ち"), "already": _("予約済み")}
    when = {s.id: s for s in ui.read(sessions.list_sessions)}
    lines = [f"{format_date(when[sid].starts_at) if sid in when else sid}：{labels[status]}" for sid, status in outcomes.value]
    ui.flash("success", _("連続講座の全回を受け付けました。") + " " + "、".join(lines))
    state["found_attendee"] = None


def _overbook_found() -> None:
    reason = state.get("overbook_reason", "").strip()
    if not reason:
        ui.flash("error", _("定員を超えて予約する理由を入力してください。"))
        return
    if (chosen := _chosen()) is not None and _book(chosen, overbook_reason=reason):
        state["overbook_reason"] = ""
        state["found_attendee"] = None


def _register_and_book() -> None:
    name = state["reg_name"].strip()
    when_full = state.get("reg_when_full", "waitlist")
    reason = state.get("reg_overbook_reason", "").strip()
    if session.is_full and when_full == "overbook" and not reason:
        ui.flash("error", _("定員を超えて予約する理由を入力してください。"))
        return
    registered = ui.attempt(
        attendees.register_attendee,
        state["reg_name"],
        state["reg_kana"],
        state["reg_phone"],
        state["reg_consent"],
        age_band=state.get("reg_age") or "",
        device=state.get("reg_device") or "",
        needs=state.get("reg_needs", []),
        note=state.get("reg_note", ""),
        allow_duplicate=state.get("reg_allow_duplicate", False),
    )
    if not registered:
        if isinstance(registered.error, DuplicateAttendee):
            state["reg_duplicates"] = [f"{a.name}（{a.name_kana}） {a.phone}" for a in registered.error.existing]
        return
    if taking_applications:
        booked = lottery_section.apply(lot.id, registered.value, who_text=_("{name} さんを登録し、").format(name=name))
    else:
        booked = _book(
            registered.value,
            waitlist=when_full == "waitlist",
            overbook_reason=reason if when_full == "overbook" else "",
            who_text=_("{name} さんを登録し、").format(name=name),
        )
    if not booked:
        # Registered but not booked (the last seat went meanwhile) or not applied
        # (the window closed): the person is ready in 「登録済みの方を探す」,
        # nothing to type again.
        if taking_applications:
            ui.flash("info", _("{name} さんの登録は済んでいます。").format(name=name))
        else:
            ui.flash("info", _("{name} さんの登録は済んでいます。「登録済みの方を探す」からキャンセル待ちに入れられます。").format(name=name))
        state["attendee_query"] = state["reg_phone"]
        state["found_attendee"] = registered.value
        state["booking_tab"] = _("登録済みの方を探す")
    for key in ("reg_name", "reg_kana", "reg_phone", "reg_note", "reg_overbook_reason"):
        state[key] = ""
    state["reg_needs"] = []
    state["reg_age"] = state["reg_device"] = None
    state["reg_consent"] = state["reg_allow_duplicate"] = False
    state.pop("reg_duplicates", None)


def _offer_outcome(booking_id: int, accepted: bool) -> None:
    done = ui.attempt(bookings.record_offer_outcome, booking_id, accepted)
    if done:
        ui.flash("success", _("予約にしました。") if accepted else _("辞退として記録しました。") + (_offers_text(done.value) or _("次にお待ちの方はいません。")))


def _change_capacity() -> None:
    done = ui.attempt(bookings.change_capacity, session_id, int(state["new_capacity_value"]))
    if done:
        ui.flash("success", _("定員を変更しました。") + _offers_text(done.value))


def _cancel() -> None:
    if state.get("cancel_booking") is None:
        ui.flash("error", _("取り消す予約を選んでください。"))
        return
    done = ui.attempt(bookings.cancel_booking, state["cancel_booking"], state["cancel_reason"])
    if done:
        ui.flash("success", _("予約を取り消しました。") + _offers_text(done.value))
        state["cancel_reason"] = ""
        state["cancel_booking"] = None


def _seat_waiting(booking_id: int) -> None:
    ui.attempt(bookings.seat_from_waitlist, booking_id, success=_("お席に入れました（予約にしました）。"))


seated = ui.read(bookings.list_bookings, who, session_id)
queue = ui.read(bookings.waitlist, who, session_id)
booked = [b for b in seated if b.status != "offered"]
offered = [b for b in queue if b.status == "offered"]
waiting = [b for b in queue if b.status == "waitlisted"]
st.markdown(f"### {ui.queue_text(session, len(offered), len(waiting))}")
if lot is not None:
    lottery_section.section(lot, who)
elif not seated and not queue:
    lottery_section.setup_form(session)
if session.is_full and not taking_applications:
    st.info(
        _("この開催回は満席です。キャンセル待ち、または理由を書いて定員を超えての予約ができます。"),
        icon=":material/event_seat:",
    )

find_tab, register_tab = st.tabs([_("登録済みの方を探す"), _("はじめての方を登録")], key="booking_tab", on_change="rerun")
with find_tab:
    query = st.text_input(_("電話番号の一部、フリガナ、または氏名"), key="attendee_query", placeholder=_("例：1234、やまだ"))
    found = ui.read(attendees.find_attendees, who, query) if query.strip() else []
    if query.strip() and not found:
        st.warning(_("見つかりません。「はじめての方を登録」から登録してください。"))
    if found:
        people = {a.id: a for a in found}
        if state.get("found_attendee") not in people:
            # One match is the person asked for; among several, one click must not
            # book the wrong person, so nobody is preselected.
            state["found_attendee"] = found[0].id if len(found) == 1 else None
        if len(found) > 1:
            st.caption(_("{n} 人が見つかりました。予約する方を選んでください。").format(n=len(found)))
        st.radio(
            _("予約する方"),
            options=list(people),
            format_func=lambda i: md(f"{people[i].name}（{people[i].name_kana}） {people[i].phone}"),
            index=None,
            key="found_attendee",
        )
        left, right = st.columns(2)
        if taking_applications:
            left.button(_("この方の申込を受け付ける"), type="primary", on_click=_apply_found, key="apply_found")
        else:
            left.button(_("この方を予約する"), type="primary", on_click=_book_found, args=(False,), disabled=session.is_full, key="book_found")
            if session.series_id:
                left.button(_("連続講座の全回を予約する"), on_click=_book_series, key="book_course")
            right.button(_("キャンセル待ちに入れる"), on_click=_book_found, args=(True,), disabled=not session.is_full, key="waitlist_found")
        if session.is_full and not taking_applications:
            with st.expander(_("定員を超えて予約する（理由が必要）"), icon=":material/warning:", key="overbook_expander", on_change="rerun"):
                st.text_input(_("理由"), key="overbook_reason", placeholder=_("例：付き添いの方と一緒に"))
                st.button(_("定員を超えて予約する"), on_click=_overbook_found, key="overbook_found")

with register_tab:
    with st.form("register_attendee", enter_to_submit=True):
        left, right = st.columns(2)
        left.text_input(_("氏名"), key="reg_name", max_chars=40)
        right.text_input(_("フリガナ"), key="reg_kana", max_chars=40)
        left.text_input(_("電話番号"), key="reg_phone", max_chars=20, placeholder="090-1234-5678")
        right.selectbox(_("年代"), options=list(attendees.AGE_BANDS), index=None, key="reg_age", placeholder=_("選んでください"))
        left.selectbox(
            _("お使いの機種"),
            options=list(attendees.DEVICES),
            format_func=lambda d: _("なし（貸出機を用意）") if d == "なし" else d,
            index=None,
            key="reg_device",
            placeholder=_("選んでください"),
        )
        right.multiselect(_("配慮すること"), options=list(attendees.NEEDS), key="reg_needs", placeholder=_("選んでください"))
        st.text_input(_("メモ（任意）"), key="reg_note", max_chars=500, help=_("マイナンバーや暗証番号は書かないでください。"))
        if state.get("reg_duplicates"):
            st.warning(_("同じ方かもしれません：") + "、".join(md(d) for d in state["reg_duplicates"]))
            st.checkbox(_("別の方として登録する"), key="reg_allow_duplicate")
        if session.is_full and not taking_applications:
            left, right = st.columns(2)
            left.radio(
                _("満席です。この方を"),
                options=["waitlist", "overbook"],
                format_func={"waitlist": _("キャンセル待ちに入れる"), "overbook": _("定員を超えて予約する")}.get,
                key="reg_when_full",
            )
            right.text_input(_("定員を超えるときの理由"), key="reg_overbook_reason", placeholder=_("例：付き添いの方と一緒に"))
        st.checkbox(_("個人情報の利用目的（講座の連絡・運営）を説明し、同意を得ました"), key="reg_consent")
        st.form_submit_button(
            _("登録して申し込む") if taking_applications else _("登録して予約する"), type="primary", on_click=_register_and_book, key="register_and_book"
        )

st.subheader(_("予約している方"))
if not booked:
    st.caption(_("まだ予約はありません。"))
else:
    # A plain table: st.dataframe's toolbar would offer an unlogged CSV download of phone numbers.
    st.table(
        rows([{_("氏名"): b.name, _("フリガナ"): b.name_kana, _("電話番号"): b.phone, _("機種"): b.device or "—"} for b in booked]),
        hide_index=True,
        width="stretch",
    )

if queue:
    st.subheader(_("繰り上げ連絡とキャンセル待ち（順番どおり）"))
    no_call_fits = ui.read(bookings.no_call_fits, session_id)
    if no_call_fits:
        st.warning(
            _(
                "席が空いていますが、開始までに窓口からお電話できる時間がないため、繰り上げ連絡は出していません。"
                "キャンセル待ちの方に連絡がついたら「お席に入れる」を押してください。"
            ),
            icon=":material/schedule:",
        )
    for n, entry in enumerate(queue, 1):
        with st.container(border=True):
            if entry.status == "offered":
                deadline = spoken_time(datetime.fromisoformat(entry.offered_until))
                st.markdown(
                    _("**{n}. {name}（{kana}） {phone}** ・ 繰り上げ連絡中（{deadline}までにお返事）").format(
                        n=n, name=md(entry.name), kana=md(entry.name_kana), phone=md(entry.phone), deadline=deadline
                    )
                )
                left, right = st.columns(2)
                left.button(_("承諾：予約にする"), key=f"accept_{entry.id}", on_click=_offer_outcome, args=(entry.id, True), type="primary")
                right.button(_("辞退・つながらない"), key=f"decline_{entry.id}", on_click=_offer_outcome, args=(entry.id, False))
            else:
                st.markdown(f"{n}\\. {md(entry.name)}（{md(entry.name_kana)}） {md(entry.phone)} ・ " + _("キャンセル待ち"))
                if no_call_fits:
                    st.button(_("お席に入れる"), key=f"seat_{entry.id}", on_click=_seat_waiting, args=(entry.id,))

# Keyed, so an expander stays open across the reruns its own widgets cause.
with st.expander(_("予約の取り消し・キャンセル待ちの取り消し"), icon=":material/event_busy:", key="cancel_expander", on_change="rerun"):
    names = {b.id: f"{b.name}（{b.name_kana}）" for b in booked + queue}
    st.selectbox(_("取り消す予約"), options=list(names), format_func=names.get, index=None, key="cancel_booking", placeholder=_("選んでください"))
    st.text_input(_("理由"), key="cancel_reason", placeholder=_("例：体調不良"))
    st.button(_("予約を取り消す"), on_click=_cancel, key="cancel_button")

with st.expander(_("定員を変更する"), icon=":material/groups:", key="capacity_expander", on_change="rerun"):
    st.number_input(_("新しい定員"), min_value=1, max_value=200, value=session.capacity, key="new_capacity_value")
    st.caption(_("定員を増やすと、キャンセル待ちの方へ順番に繰り上げ連絡が出ます。"))
    st.button(_("定員を変更"), on_click=_change_capacity, key="change_capacity")


# Loan phones (貸出機) ---------------------------------------------------------------------------
KIND_CHOICES = {"": _("両方（iPhone・Android）"), "iPhone": "iPhone", "Android": "Android"}
NO_LOAN = 0


def _set_focus() -> None:
    ui.attempt(loans.set_device_focus, session_id, state["loan_focus"], success=_("この開催回の機種を保存しました。"))


def _allocate() -> None:
    ui.attempt(
        loans.allocate,
        session_id,
        state.get("loan_kind") or "",
        success=lambda n: _("{n} 台の貸出機を割り当てました。").format(n=n) if n else _("割り当てが必要な方はいません。"),
    )


def _assign(booking_id: int, key: str) -> None:
    chosen = state[key]
    ui.attempt(loans.assign, booking_id, None if chosen == NO_LOAN else chosen, success=_("貸出機を変更しました。"))


focus = ui.read(loans.session_kind, session_id)
prepare = ui.read(loans.to_prepare, [session_id])[session_id]
lent = ui.read(loans.session_loans, who, session_id)
title = _("貸出機") + (f"（{loans.prepare_text(prepare)}）" if prepare.phones else "")
with st.expander(title, icon=":material/smartphone:", key="loan_expander", on_change="rerun", expanded=bool(prepare.unassigned)):
    st.selectbox(
        _("この開催回の機種（貸出機はこの機種を用意します）"), options=list(KIND_CHOICES), format_func=KIND_CHOICES.get,
        index=list(KIND_CHOICES).index(focus), key="loan_focus", on_change=_set_focus,
    )
    free = ui.read(loans.free_phones, session_id)
    st.caption(
        _("スマホをお持ちでない方 {needed} 人（うち未割当 {unassigned} 人）・いま貸せる貸出機 {free}").format(
            needed=prepare.needed,
            unassigned=prepare.unassigned,
            free="・".join(f"{kind} {sum(p.kind == kind for p in free)}" for kind in loans.KINDS),
        )
    )
    left, right = st.columns([1, 1], vertical_alignment="bottom")
    if not focus:
        left.radio(_("貸し出す機種"), options=list(loans.KINDS), horizontal=True, key="loan_kind")
    right.button(_("貸出機を割り当てる"), on_click=_allocate, key="loan_allocate", type="primary", disabled=not prepare.unassigned)
    borrowers = [b for b in booked if b.id in lent or b.device == loans.NO_PHONE]
    others = [b for b in booked if b not in borrowers]
    for b in borrowers:
        current = lent[b.id].phone_id if b.id in lent else NO_LOAN
        options = {NO_LOAN: _("貸さない")}
        if b.id in lent:
            options[current] = f"{lent[b.id].label}（{lent[b.id].kind}）"
        options.update({p.id: f"{p.label}（{p.kind}）" for p in free})
        # Keyed by the phone lent now, so an allocation or another screen's change redraws it.
        key = f"loan_phone_{b.id}_{current}"
        device = b.device or _("機種未確認")
        st.selectbox(
            f"{md(b.name)}（{md(b.name_kana)}）・{md(device)}",
            options=list(options), format_func=options.get, key=key,
            index=list(options).index(current), on_change=_assign, args=(b.id, key),
        )
    if others and free:
        extra = {b.id: f"{b.name}（{b.name_kana}）" for b in others}
        st.selectbox(
            _("ほかの方にも貸す（スマホを忘れた方など）"), options=list(extra), format_func=extra.get, index=None,
            key="loan_extra", placeholder=_("選んでください"),
        )
        if state.get("loan_extra") is not None:
            b = next(b for b in others if b.id == state["loan_extra"])
            options = {NO_LOAN: _("貸さない"), **{p.id: f"{p.label}（{p.kind}）" for p in free}}
            key = f"loan_phone_{b.id}_{NO_LOAN}"
            st.selectbox(_("貸出機"), options=list(options), format_func=options.get, key=key, on_change=_assign, args=(b.id, key))
