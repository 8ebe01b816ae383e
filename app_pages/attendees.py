"""受講者: find a resident, correct their details, see their history."""

import streamlit as st

import lessons
import ui
from db import attendees, bookings
from locales import _
from printouts.dates import format_date

who = ui.guard("attendees")
st.title(_("受講者"))
ui.show_flash()

query = st.text_input(_("電話番号の一部、フリガナ、または氏名"), key="registry_query", placeholder=_("例：1234、やまだ"))
found = ui.read(attendees.find_attendees, who, query) if query.strip() else []
if query.strip() and not found:
    st.warning(_("見つかりません。"))
if not found:
    st.stop()
people = {a.id: a for a in found}
attendee_id = st.radio(
    _("受講者"), options=list(people), format_func=lambda i: f"{people[i].name}（{people[i].name_kana}） {people[i].phone}", key="registry_pick"
)
person = people[attendee_id]


def _save() -> None:
    state = st.session_state
    ui.attempt(
        attendees.update_attendee,
        attendee_id,
        success=_("保存しました。"),
        name=state["edit_name"],
        name_kana=state["edit_kana"],
        phone=state["edit_phone"],
        age_band=state.get("edit_age") or "",
        device=state.get("edit_device") or "",
        needs=state.get("edit_needs", []),
        note=state.get("edit_note", ""),
    )


history = ui.read(bookings.history, who, attendee_id)
attended = sum(h.status == "attended" for h in history)
no_shows = sum(h.status == "absent" for h in history)
st.markdown(_("出席 **{attended}** 回 ・ 欠席 **{absent}** 回 ・ 同意日 {consent}").format(attended=attended, absent=no_shows, consent=person.consent_on or "—"))

with st.form(f"edit_attendee_{attendee_id}"):
    left, right = st.columns(2)
    left.text_input(_("氏名"), value=person.name, key="edit_name")
    right.text_input(_("フリガナ"), value=person.name_kana, key="edit_kana")
    left.text_input(_("電話番号"), value=person.phone, key="edit_phone")
    ages = list(attendees.AGE_BANDS)
    right.selectbox(_("年代"), options=ages, index=ages.index(person.age_band) if person.age_band in ages else None, key="edit_age")
    devices = list(attendees.DEVICES)
    left.selectbox(_("お使いの機種"), options=devices, index=devices.index(person.device) if person.device in devices else None, key="edit_device")
    right.multiselect(_("配慮すること"), options=list(attendees.NEEDS), default=list(person.needs), key="edit_needs")
    st.text_area(_("メモ"), value=person.note, key="edit_note", max_chars=500, help=_("マイナンバーや暗証番号は書かないでください。"))
    st.form_submit_button(_("保存する"), type="primary", on_click=_save, key="edit_submit")

st.subheader(_("これまでの講座"))
catalogue = lessons.catalogue()
if history:
    st.dataframe(
        [
            {
                _("日付"): format_date(h.starts_at),
                _("講座"): catalogue[h.lesson_id].title if h.lesson_id in catalogue else h.lesson_id,
                _("状態"): (_("中止") + "・") * (h.session_status == "cancelled") + _(bookings.STATUS_LABELS[h.status]) + (_("（遅刻）") if h.late else ""),
            }
            for h in history
        ],
        hide_index=True,
        width="stretch",
    )
else:
    st.caption(_("まだ予約はありません。"))
