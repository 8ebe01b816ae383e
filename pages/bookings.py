"""予約: pick a session, find or register an attendee, book; cancel with a reason."""

import streamlit as st

import ui
from db import attendees, bookings, sessions
from db.clock import now_jst
from locales import _

who = ui.guard("bookings")
st.title(_("予約"))

open_sessions = [s for s in ui.read(sessions.list_sessions) if s.status == "scheduled" and s.starts_at > now_jst()]
if not open_sessions:
    ui.show_flash()
    st.info(_("予約を受け付けている開催回はありません。「開催予定」で登録してください。"))
    st.stop()

by_id = {s.id: s for s in open_sessions}
if st.session_state.get("booking_session") not in by_id:
    st.session_state.pop("booking_session", None)
session_id = st.selectbox(_("開催回"), options=list(by_id), format_func=lambda i: ui.session_label(by_id[i]), key="booking_session")
session = ui.read(sessions.get_session, session_id)


def _book(attendee_id: int) -> None:
    ui.attempt(bookings.book, st.session_state["booking_session"], attendee_id, success=_("予約しました。"))


def _book_found() -> None:
    chosen = st.session_state.get("found_attendee")
    if chosen is None:
        ui.flash("error", _("予約する方を選んでください。"))
        return
    _book(chosen)


def _register_and_book() -> None:
    state = st.session_state
    attendee_id = ui.attempt(attendees.register_attendee, state["reg_name"], state["reg_kana"], state["reg_phone"], state["reg_consent"])
    if attendee_id is None:
        return
    if ui.attempt(bookings.book, state["booking_session"], attendee_id) is not None:
        ui.flash("success", _("{name} さんを登録し、予約しました。").format(name=state["reg_name"].strip()))
    else:
        ui.flash("info", _("{name} さんの登録は済んでいます。予約はできていません。").format(name=state["reg_name"].strip()))
    for key in ("reg_name", "reg_kana", "reg_phone"):
        state[key] = ""
    state["reg_consent"] = False


def _cancel() -> None:
    state = st.session_state
    if state.get("cancel_booking") is None:
        ui.flash("error", _("取り消す予約を選んでください。"))
        return
    if ui.attempt(bookings.cancel_booking, state["cancel_booking"], state["cancel_reason"], success=_("予約を取り消しました。")) is not None:
        state["cancel_reason"] = ""


st.markdown(f"### {ui.seats_text(session)}")
ui.show_flash()
if session.is_full:
    st.error(_("この開催回は満席です。これ以上は予約できません。"), icon=":material/block:")

find_tab, register_tab = st.tabs([_("登録済みの方を探す"), _("はじめての方を登録")], key="booking_tab", on_change="rerun")
with find_tab:
    query = st.text_input(_("電話番号の一部、フリガナ、または氏名"), key="attendee_query", placeholder=_("例：1234、やまだ"))
    found = ui.read(attendees.find_attendees, who, query) if query.strip() else []
    if query.strip() and not found:
        st.warning(_("見つかりません。「はじめての方を登録」から登録してください。"))
    if found:
        people = {a.id: a for a in found}
        st.radio(
            _("予約する方"),
            options=list(people),
            format_func=lambda i: f"{people[i].name}（{people[i].name_kana}） {people[i].phone}",
            key="found_attendee",
        )
        st.button(_("この方を予約する"), type="primary", on_click=_book_found, disabled=session.is_full, key="book_found")

with register_tab:
    with st.form("register_attendee", enter_to_submit=False):
        left, right = st.columns(2)
        left.text_input(_("氏名"), key="reg_name", max_chars=40)
        right.text_input(_("フリガナ"), key="reg_kana", max_chars=40)
        st.text_input(_("電話番号"), key="reg_phone", max_chars=20, placeholder="090-1234-5678")
        st.checkbox(_("個人情報の利用目的（講座の連絡・運営）を説明し、同意を得ました"), key="reg_consent")
        st.form_submit_button(_("登録して予約する"), type="primary", on_click=_register_and_book, key="register_and_book")

st.subheader(_("予約している方"))
booked = ui.read(bookings.list_bookings, who, session_id)
if not booked:
    st.caption(_("まだ予約はありません。"))
else:
    st.dataframe(
        [{_("氏名"): b.name, _("フリガナ"): b.name_kana, _("電話番号"): b.phone} for b in booked],
        hide_index=True,
        width="stretch",
    )
    with st.expander(_("予約を取り消す"), icon=":material/event_busy:"):
        names = {b.id: f"{b.name}（{b.name_kana}）" for b in booked}
        st.selectbox(_("取り消す予約"), options=list(names), format_func=names.get, index=None, key="cancel_booking")
        st.text_input(_("理由"), key="cancel_reason", placeholder=_("例：体調不良"))
        st.button(_("予約を取り消す"), on_click=_cancel, key="cancel_button")
