"""施設と設定: centre settings, venues and rooms, closures (休館日) for admins; each
venue's loan phones (貸出機) for admins and staff (the only tab staff see)."""

from datetime import timedelta

import streamlit as st

import ui
from db import loans, settings, venues
from db.clock import today_jst
from locales import _
from ui import plain

who = ui.guard("venues")
st.title(_("施設と設定"))
ui.show_flash()
config = ui.read(settings.get_settings)
LOAN_STATUSES = {code: _(label) for code, label in loans.STATUSES.items()}


def _add_phone() -> None:
    state = st.session_state
    if state.get("phone_venue") is None:
        ui.flash("error", _("施設を選んでください。"))
        return
    added = ui.attempt(
        loans.add_phone, state["phone_venue"], state["phone_kind"], state["phone_label"],
        success=_("貸出機「{label}」を登録しました。").format(label=state["phone_label"].strip()),
    )
    if added:
        state["phone_label"] = ""


def _set_phone_status() -> None:
    state = st.session_state
    if state.get("phone_pick") is None:
        ui.flash("error", _("貸出機を選んでください。"))
        return
    ui.attempt(loans.set_status, state["phone_pick"], state["phone_status"], success=_("貸出機の状態を変更しました。"))


def _loan_phones_tab(names: dict[int, str]) -> None:
    """Each venue's loan phones: the list, a new phone, a change of status."""
    if not names:
        st.caption(_("先に施設を登録してください。"))
        return
    venue_id = st.selectbox(_("施設"), options=list(names), format_func=names.get, index=0, key="phone_venue")
    phones = ui.read(loans.list_phones, venue_id)
    if phones:
        counts = "・".join(
            _("{kind} {n}台").format(kind=kind, n=sum(p.kind == kind and p.status == "available" for p in phones)) for kind in loans.KINDS
        )
        st.caption(_("使用可の貸出機：{counts}").format(counts=counts))
        st.dataframe(
            [
                {_("名前"): p.label, _("機種"): p.kind, _("状態"): LOAN_STATUSES[p.status], _("返却"): _("未返却") if p.out else ""}
                for p in phones
            ],
            hide_index=True,
            width="stretch",
        )
    else:
        st.caption(_("この施設には貸出機がまだありません。"))
    with st.form("new_phone"):
        st.markdown(_("**貸出機を追加**"))
        left, right = st.columns(2)
        left.selectbox(_("機種"), options=list(loans.KINDS), key="phone_kind")
        right.text_input(_("名前（本体に貼るラベル）"), key="phone_label", placeholder=_("例：iPhone-3"), max_chars=loans.LABEL_MAX)
        st.form_submit_button(_("貸出機を追加"), on_click=_add_phone, key="phone_submit")
    if phones:
        with st.form("phone_status_form"):
            st.markdown(_("**状態を変える（修理中・使用終了など）**"))
            labels = {p.id: f"{p.label}（{p.kind}・{LOAN_STATUSES[p.status]}）" for p in phones}
            left, right = st.columns(2)
            left.selectbox(_("貸出機"), options=list(labels), format_func=labels.get, index=None, key="phone_pick", placeholder=_("選んでください"))
            right.selectbox(_("状態"), options=list(LOAN_STATUSES), format_func=LOAN_STATUSES.get, key="phone_status")
            st.form_submit_button(_("状態を変更"), on_click=_set_phone_status, key="phone_status_submit")


if who.role != "admin":
    # Staff keep the loan phones; settings, venues and closures are the admin's.
    _loan_phones_tab({v["id"]: v["name"] for v in ui.read(venues.list_venues)})
    st.stop()


def _save_settings() -> None:
    state = st.session_state
    changes = {
        "centre_name": state["set_centre_name"],
        "centre_phone": state["set_centre_phone"],
        "helper_ratio": int(state["set_helper_ratio"]),
        "body_pt": int(state["set_body_pt"]),
        "idle_timeout_min": int(state["set_idle"]),
        "retention_years": int(state["set_retention"]),
        "backup_keep": int(state["set_backup_keep"]),
        "centre_url": state["set_centre_url"],
        "desk_opens": state["set_desk_opens"],
        "desk_closes": state["set_desk_closes"],
        "offer_open_days": int(state["set_offer_days"]),
        "attendance_opens_min": int(state["set_attendance_opens"]),
    }
    ui.attempt(settings.update_settings, success=_("設定を保存しました。"), **changes)


def _add_venue() -> None:
    state = st.session_state
    if ui.attempt(venues.create_venue, state["venue_name"], state["venue_address"], state["venue_phone"], success=_("施設を登録しました。")):
        for key in ("venue_name", "venue_address", "venue_phone"):
            state[key] = ""


def _add_room() -> None:
    state = st.session_state
    if state.get("room_venue") is None:
        ui.flash("error", _("施設を選んでください。"))
        return
    if ui.attempt(venues.create_room, state["room_venue"], state["room_name"], int(state["room_seats"]), success=_("部屋を登録しました。")):
        state["room_name"] = ""


def _add_closure() -> None:
    state = st.session_state
    if state.get("closure_venue") is None:
        ui.flash("error", _("施設を選んでください。"))
        return
    ui.attempt(venues.add_closure, state["closure_venue"], state["closure_date"], state["closure_reason"], success=_("休館日を登録しました。"))


def _remove_closure(closure_id: int) -> None:
    ui.attempt(venues.remove_closure, closure_id, success=_("休館日を取り消しました。"))


settings_tab, venue_tab, closure_tab, phone_tab = st.tabs(
    [_("設定"), _("施設と部屋"), _("休館日"), _("貸出機")], key="venues_tab", on_change="rerun"
)
with settings_tab:
    with st.form("settings"):
        left, right = st.columns(2)
        left.text_input(_("施設名（印刷物の下に入ります）"), value=config.centre_name, key="set_centre_name")
        right.text_input(_("電話番号（印刷物の下に入ります）"), value=config.centre_phone, key="set_centre_phone")
        left.number_input(_("補助1人あたりの受講者数"), min_value=1, max_value=15, value=config.helper_ratio, key="set_helper_ratio")
        right.selectbox(_("印刷の文字の大きさ（ポイント）"), options=list(settings.BODY_SIZES_PT), index=list(settings.BODY_SIZES_PT).index(config.body_pt), key="set_body_pt")
        left.number_input(_("自動サインアウトまでの時間（分）"), min_value=5, max_value=480, value=config.idle_timeout_min, key="set_idle")
        right.number_input(_("個人情報の保存期間（年）"), min_value=1, max_value=10, value=config.retention_years, key="set_retention")
        left.number_input(_("残すバックアップの数"), min_value=1, max_value=365, value=config.backup_keep, key="set_backup_keep")
        right.text_input(
            _("施設のホームページ（チラシの二次元コード）"), value=config.centre_url, placeholder="https://", max_chars=200, key="set_centre_url"
        )
        opens, closes = settings.desk_hours(config)
        left.time_input(_("窓口の受付開始（電話をかけられる時間）"), value=opens, step=timedelta(minutes=30), key="set_desk_opens")
        right.time_input(_("窓口の受付終了（繰り上げ連絡の期限の時刻）"), value=closes, step=timedelta(minutes=30), key="set_desk_closes")
        left.number_input(
            _("繰り上げ連絡の期限（何開館日目の受付終了まで）"), min_value=1, max_value=7, value=config.offer_open_days, key="set_offer_days"
        )
        right.number_input(
            _("出欠をつけ始める時刻（開始の何分前から）"), min_value=0, max_value=240, value=config.attendance_opens_min, key="set_attendance_opens"
        )
        st.form_submit_button(_("保存する"), type="primary", on_click=_save_settings, key="settings_submit")

all_venues = ui.read(venues.list_venues)
names = {v["id"]: v["name"] for v in all_venues}
with venue_tab:
    rooms = ui.read(venues.list_rooms)
    if rooms:
        st.dataframe(
            [{_("施設"): r.venue_name, _("部屋"): r.name, _("席数"): r.seats} for r in rooms], hide_index=True, width="stretch"
        )
    with st.form("new_venue"):
        st.markdown(_("**施設を追加**"))
        st.text_input(_("施設名"), key="venue_name")
        st.text_input(_("住所"), key="venue_address")
        st.text_input(_("電話番号"), key="venue_phone")
        st.form_submit_button(_("施設を追加"), on_click=_add_venue, key="venue_submit")
    with st.form("new_room"):
        st.markdown(_("**部屋を追加**"))
        st.selectbox(_("施設"), options=list(names), format_func=names.get, index=None, key="room_venue", placeholder=_("選んでください"))
        st.text_input(_("部屋の名前"), key="room_name")
        st.number_input(_("席数"), min_value=1, max_value=200, value=12, key="room_seats")
        st.form_submit_button(_("部屋を追加"), on_click=_add_room, key="room_submit")

with closure_tab:
    with st.form("new_closure"):
        st.selectbox(_("施設"), options=list(names), format_func=names.get, index=0 if names else None, key="closure_venue")
        st.date_input(_("休館日"), value=today_jst() + timedelta(days=30), min_value=today_jst(), key="closure_date", format="YYYY/MM/DD")
        st.text_input(_("理由"), key="closure_reason", placeholder=_("例：館内点検"))
        st.form_submit_button(_("休館日を登録"), on_click=_add_closure, key="closure_submit")
    for closure in ui.read(venues.list_closures, today_jst()):
        left, right = st.columns([4, 1])
        left.markdown(plain.md(f"{closure.date} {closure.venue_name} {closure.reason}"))
        right.button(_("取り消す"), key=f"closure_remove_{closure.id}", on_click=_remove_closure, args=(closure.id,))

with phone_tab:
    _loan_phones_tab(names)
