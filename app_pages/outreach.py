"""出前講座・出張相談: take a group's request (the group, a contact, the place,
preferred dates, participants and their phones, loan phones, the lesson wanted),
then move it through 受付 → 調整中 → 決定 (the session at the group's place, with
its volunteers) → 実施 → 報告, or 取り下げ before 実施 (db.outreach)."""

from datetime import date, datetime, timedelta

import streamlit as st

import lessons
import ui
from db import outreach, volunteers
from db.clock import JST, today_jst
from locales import _
from printouts.dates import format_date, format_time, short_date
from ui import plain
from ui.widgets import CURRENT_SESSION

who = ui.guard("outreach")
st.title(_("出前講座・出張相談"))
ui.show_flash()

state = st.session_state
catalogue = lessons.catalogue()
PICK_LIMIT = 50
CHOSEN = "or_chosen"
FORM_DEFAULTS = {
    "or_group": "", "or_contact": "", "or_phone": "", "or_place": None, "or_place_name": "", "or_place_address": "",
    "or_date_1": None, "or_date_2": None, "or_date_3": None, "or_expected": 10, "or_iphone": 0, "or_android": 0,
    "or_other": 0, "or_loans": 0, "or_lesson": None, "or_notes": "",
}
# Defaults live in the session state (not in the widgets), so a saved form can be
# cleared from its callback without Streamlit's warning about two sources of a value.
for key, value in {**FORM_DEFAULTS, "or_status": "open", CHOSEN: None}.items():
    state.setdefault(key, value)




def _typed(prefix: str, suffix: str = "") -> dict:
    """The request's fields (`outreach.clean_request`) as typed in the intake form
    (prefix "or_") or a request's correction form ("or_edit_", suffix its id)."""
    def value(name: str):
        return state.get(prefix + name + suffix)

    return {
        "kind": value("kind"),
        "group_name": value("group"),
        "group_kind": value("group_kind"),
        "contact_name": value("contact"),
        "contact_phone": value("phone"),
        "preferred_dates": [d for n in (1, 2, 3) if (d := value(f"date_{n}")) is not None],
        "expected": int(value("expected")),
        "iphone": int(value("iphone")),
        "android": int(value("android")),
        "other_devices": int(value("other")),
        "loan_phones": int(value("loans")),
        "lesson_id": value("lesson") or "",
        "notes": value("notes"),
    }


def _create() -> None:
    place = state.get("or_place")
    created = ui.attempt(
        outreach.create_request,
        place_id=place.id if place is not None else None,
        place_name=state["or_place_name"],
        place_address=state["or_place_address"],
        **_typed("or_"),
    )
    if created:
        ui.flash("success", _("依頼を受け付けました（No.{id}）。").format(id=created.value))
        for warning in outreach.warnings_for(int(state["or_expected"])):
            ui.flash("warning", warning)
        # Only after it is saved: a refused form keeps everything typed.
        state.update(FORM_DEFAULTS)
        state[CHOSEN] = created.value
        state["or_status"] = "open"


def _step(action, request_id: int, success: str, **kwargs) -> None:
    ui.attempt(action, request_id, success=success, **kwargs)


def _decide(request: outreach.Request) -> None:
    key = f"_{request.id}"
    day, start, end = state["or_day" + key], state["or_start" + key], state["or_end" + key]
    if day is None:
        ui.flash("error", _("開催日を選んでください。"))
        return
    decided = ui.attempt(
        outreach.decide,
        request.id,
        lesson_id=state.get("or_decide_lesson" + key) or "",
        starts_at=datetime.combine(day, start, tzinfo=JST),
        ends_at=datetime.combine(day, end, tzinfo=JST),
        capacity=int(state["or_capacity" + key]),
        lead_id=state.get("or_lead" + key),
        helper_ids=state.get("or_helpers" + key) or [],
        note=state["or_session_note" + key],
    )
    if decided:
        ui.flash("success", _("決定しました。開催回を登録しました：{when}").format(when=format_date(day)))
        # ボランティア, 予約 and 印刷 open on this session.
        state[CURRENT_SESSION] = decided.value


def _save_edit(request: outreach.Request) -> None:
    key = f"_{request.id}"
    place = state.get("or_edit_place" + key)
    fixed = request.status == "decided"
    saved = ui.attempt(
        outreach.update_request,
        request.id,
        seen=request,
        # A new place typed in wins over the one chosen (the chosen one cannot be emptied).
        place_id=None if fixed or place is None or state["or_edit_place_name" + key].strip() else place.id,
        place_name="" if fixed else state["or_edit_place_name" + key],
        place_address="" if fixed else state["or_edit_place_address" + key],
        **_typed("or_edit_", key) | ({"lesson_id": request.lesson_id} if fixed else {}),
    )
    if saved:
        ui.flash("success", _("依頼の内容を直しました。") if saved.value else _("変わったところはありませんでした。"))
        # The place is saved: the picker shows it next run, and saving again makes no second new place.
        state.pop("or_edit_place" + key, None)
        state["or_edit_place_name" + key] = state["or_edit_place_address" + key] = ""
        if saved.value:
            for warning in outreach.warnings_for(int(state["or_edit_expected" + key])):
                ui.flash("warning", warning)


def edit_form(request: outreach.Request, places: list[outreach.Place]) -> None:
    """The request's details, prefilled, to correct before the class takes place."""
    key, fixed = f"_{request.id}", request.status == "decided"
    with st.expander(_("依頼の内容を直す")), st.form("or_edit" + key, enter_to_submit=False):
        left, right = st.columns(2)
        kinds, groups = list(outreach.KINDS), list(outreach.GROUP_KINDS)
        left.radio(_("種類"), options=kinds, format_func=lambda k: _(outreach.KINDS[k]), horizontal=True,
                   index=kinds.index(request.kind), key="or_edit_kind" + key)
        right.selectbox(_("団体の種類"), options=groups, format_func=lambda k: _(outreach.GROUP_KINDS[k]),
                        index=groups.index(request.group_kind), key="or_edit_group_kind" + key)
        st.text_input(_("団体名"), value=request.group_name, key="or_edit_group" + key, max_chars=outreach.GROUP_NAME_MAX)
        left, right = st.columns(2)
        left.text_input(_("連絡先の方の氏名"), value=request.contact_name, key="or_edit_contact" + key, max_chars=40)
        right.text_input(_("連絡先の電話番号"), value=request.contact_phone, key="or_edit_phone" + key, max_chars=20)
        if fixed:
            st.caption(_("会場と講座は開催回のものです。変えるときは「開催予定」で開催回を直すか、取り下げてください。"))
        else:
            ids = [p.id for p in places]
            st.selectbox(_("会場"), options=places, format_func=lambda p: f"{p.name}（{p.address}）", key="or_edit_place" + key,
                         index=ids.index(request.venue_id) if request.venue_id in ids else None, placeholder=_("新しい会場"))
            left, right = st.columns(2)
            left.text_input(_("新しい会場の名前（新しい会場に変えるとき）"), key="or_edit_place_name" + key, max_chars=outreach.PLACE_NAME_MAX)
            right.text_input(_("新しい会場の住所"), key="or_edit_place_address" + key, max_chars=outreach.ADDRESS_MAX)
        wanted = [date.fromisoformat(d) for d in request.preferred_dates]
        for n, column in enumerate(st.columns(3), start=1):
            column.date_input(_("第{n}希望").format(n=n), value=wanted[n - 1] if n <= len(wanted) else None,
                              key=f"or_edit_date_{n}" + key, format="YYYY/MM/DD")
        left, mid, right, far = st.columns(4)
        cap = outreach.MAX_PARTICIPANTS
        left.number_input(_("参加予定人数"), min_value=1, max_value=cap, value=request.expected, key="or_edit_expected" + key)
        mid.number_input(_("iPhoneの人数"), min_value=0, max_value=cap, value=request.iphone, key="or_edit_iphone" + key)
        right.number_input(_("Androidの人数"), min_value=0, max_value=cap, value=request.android, key="or_edit_android" + key)
        far.number_input(_("その他の機種の人数"), min_value=0, max_value=cap, value=request.other_devices, key="or_edit_other" + key)
        left, right = st.columns([1, 3])
        left.number_input(_("貸出機の台数"), min_value=0, max_value=cap, value=request.loan_phones, key="or_edit_loans" + key)
        right.selectbox(_("希望の講座"), options=list(catalogue), format_func=lessons.title_of, key="or_edit_lesson" + key,
                        index=list(catalogue).index(request.lesson_id) if request.lesson_id in catalogue else None,
                        placeholder=_("未定"), disabled=fixed)
        st.text_area(_("メモ（任意）"), value=request.notes, key="or_edit_notes" + key, max_chars=outreach.NOTES_MAX)
        st.form_submit_button(_("直した内容を保存する"), type="primary", on_click=_save_edit, args=(request,), key="or_edit_save" + key)


def _withdraw(request_id: int) -> None:
    ui.attempt(outreach.withdraw, request_id, state[f"or_reason_{request_id}"], success=_("取り下げにしました。"))


def _report(request_id: int) -> None:
    ui.attempt(
        outreach.report, request_id, int(state[f"or_actual_{request_id}"]), state[f"or_report_{request_id}"],
        success=_("報告を保存しました。"),
    )


def _volunteer_pick(label: str, key: str, multiple: bool):
    """Volunteers found by part of the name, フリガナ or phone (never thousands in a list)."""
    query = st.text_input(_("{label}を探す（氏名・フリガナ・電話番号の一部）").format(label=label), key=f"{key}_query", max_chars=40)
    found = {v.id: v.name for v in ui.read(volunteers.find_volunteers, query, active_only=True, limit=PICK_LIMIT)}
    if multiple:
        return st.multiselect(label, options=list(found), format_func=found.get, key=key, placeholder=_("選んでください"))
    return st.selectbox(label, options=list(found), format_func=found.get, index=None, key=key, placeholder=_("あとで決める"))


def details(request: outreach.Request) -> None:
    devices = _("iPhone {i} 人・Android {a} 人・その他 {o} 人").format(i=request.iphone, a=request.android, o=request.other_devices)
    wanted = "、".join(format_date(date.fromisoformat(d)) for d in request.preferred_dates) or _("指定なし")
    lines = [
        (_("種類"), _(outreach.KINDS[request.kind])),
        (_("団体"), f"{request.group_name}（{_(outreach.GROUP_KINDS[request.group_kind])}）"),
        (_("連絡先"), _("削除済み") if request.contact_erased else f"{request.contact_name}　{request.contact_phone}"),
        (_("会場"), f"{request.place_name}（{request.place_address}）"),
        (_("希望日"), wanted),
        (_("参加予定"), _("{n} 人").format(n=request.expected) + f"（{devices}）"),
        (_("貸出機"), _("{n} 台").format(n=request.loan_phones)),
        (_("希望の講座"), lessons.title_of(request.lesson_id) if request.lesson_id else _("未定")),
        (_("メモ"), request.notes or "—"),
        (_("受付日"), format_date(date.fromisoformat(request.received_on))),
    ]
    if request.session_starts_at is not None:
        lines.append((_("開催"), f"{format_date(request.session_starts_at)} {format_time(request.session_starts_at)}"))
    if request.status == "reported":
        lines += [(_("参加者数"), _("{n} 人").format(n=request.actual_participants)), (_("報告"), request.report)]
    if request.status == "withdrawn" and request.withdraw_reason:
        lines.append((_("取り下げの理由"), request.withdraw_reason))
    st.table(plain.rows([{_("項目"): k, _("内容"): v} for k, v in lines]), hide_index=True, width="stretch")
    for warning in outreach.warnings_for(request.expected):
        st.warning(warning, icon=":material/groups:")


def actions(request: outreach.Request) -> None:
    # Widgets of a request carry its id: opening another one starts from its own values.
    status, key = request.status, f"_{request.id}"
    st.markdown(_("**状態：{status}**").format(status=_(outreach.STATUSES[status])))
    if status == "received":
        st.button(_("調整を始める"), type="primary", on_click=_step, key="or_arrange" + key,
                  args=(outreach.start_arranging, request.id, _("調整中にしました。")))
    elif status == "arranging":
        with st.container(border=True):
            st.markdown(_("**日時を決めて開催回を登録する**"))
            first = next(iter(request.preferred_dates), None)
            left, mid, right = st.columns(3)
            left.date_input(_("開催日"), value=datetime.fromisoformat(first).date() if first else None, min_value=today_jst(),
                            key="or_day" + key, format="YYYY/MM/DD")
            mid.time_input(_("開始"), value=datetime(2000, 1, 1, 13, 30).time(), step=timedelta(minutes=15), key="or_start" + key)
            right.time_input(_("終了"), value=datetime(2000, 1, 1, 15, 0).time(), step=timedelta(minutes=15), key="or_end" + key)
            left, right = st.columns([2, 1])
            left.selectbox(_("講座"), options=list(catalogue), format_func=lessons.title_of, key="or_decide_lesson" + key,
                           index=list(catalogue).index(request.lesson_id) if request.lesson_id in catalogue else None,
                           placeholder=_("選んでください"))
            right.number_input(_("定員"), min_value=1, max_value=outreach.MAX_PARTICIPANTS, value=request.expected, key="or_capacity" + key)
            left, right = st.columns(2)
            with left:
                _volunteer_pick(_("講師"), "or_lead" + key, multiple=False)
            with right:
                _volunteer_pick(_("補助"), "or_helpers" + key, multiple=True)
            st.text_input(_("開催回のメモ（任意）"), key="or_session_note" + key, max_chars=200)
            st.button(_("決定する"), type="primary", on_click=_decide, args=(request,), key="or_decide" + key)
    elif status == "decided":
        st.caption(_("開催回は「開催予定」「予定表」にも載ります。担当は「ボランティア」で追加・変更できます。"))
        st.button(_("実施した"), type="primary", on_click=_step, key="or_held" + key,
                  args=(outreach.mark_held, request.id, _("実施にしました。参加者数を報告してください。")))
    elif status == "held":
        with st.container(border=True):
            st.number_input(_("参加者数"), min_value=0, max_value=outreach.MAX_PARTICIPANTS, value=request.expected, key="or_actual" + key)
            st.text_area(_("報告（どんな内容で、どうだったか）"), key="or_report" + key, max_chars=outreach.REPORT_MAX)
            st.button(_("報告する"), type="primary", on_click=_report, args=(request.id,), key="or_report_button" + key)
    if status in ("received", "arranging", "decided"):
        with st.expander(_("取り下げ")):
            if status == "decided":
                st.caption(_("取り下げると、この開催回は中止になります。"))
            st.text_input(_("取り下げの理由"), key="or_reason" + key, max_chars=outreach.NOTES_MAX)
            st.button(_("取り下げる"), on_click=_withdraw, args=(request.id,), key="or_withdraw" + key)


list_tab, intake_tab = st.tabs([_("依頼の一覧"), _("依頼を受け付ける")], key="or_tab", on_change="rerun")

with intake_tab:
    places = ui.read(outreach.list_places)
    with st.form("or_intake", enter_to_submit=False):
        left, right = st.columns(2)
        left.radio(_("種類"), options=list(outreach.KINDS), format_func=lambda k: _(outreach.KINDS[k]), horizontal=True, key="or_kind")
        right.selectbox(_("団体の種類"), options=list(outreach.GROUP_KINDS), format_func=lambda k: _(outreach.GROUP_KINDS[k]), key="or_group_kind")
        st.text_input(_("団体名"), key="or_group", max_chars=outreach.GROUP_NAME_MAX, placeholder=_("例：みどり台三丁目自治会"))
        left, right = st.columns(2)
        left.text_input(_("連絡先の方の氏名"), key="or_contact", max_chars=40)
        right.text_input(_("連絡先の電話番号"), key="or_phone", max_chars=20, placeholder="090-1234-5678")
        st.markdown(_("**会場**"))
        st.selectbox(_("これまでの会場から選ぶ（新しい会場なら空欄のまま）"), options=places,
                     format_func=lambda p: f"{p.name}（{p.address}）", key="or_place", placeholder=_("新しい会場"))
        left, right = st.columns(2)
        left.text_input(_("新しい会場の名前"), key="or_place_name", max_chars=outreach.PLACE_NAME_MAX, placeholder=_("例：三丁目集会所"))
        right.text_input(_("新しい会場の住所"), key="or_place_address", max_chars=outreach.ADDRESS_MAX)
        st.markdown(_("**希望日（3つまで）**"))
        columns = st.columns(3)
        for n, column in enumerate(columns, start=1):
            column.date_input(_("第{n}希望").format(n=n), min_value=today_jst() + timedelta(days=1),
                              key=f"or_date_{n}", format="YYYY/MM/DD")
        left, mid, right, far = st.columns(4)
        left.number_input(_("参加予定人数"), min_value=1, max_value=outreach.MAX_PARTICIPANTS, key="or_expected",
                          help=_("10人以上を条件にしている自治体が多いです。少ないときは確認を促しますが、受け付けます。"))
        mid.number_input(_("iPhoneの人数"), min_value=0, max_value=outreach.MAX_PARTICIPANTS, key="or_iphone")
        right.number_input(_("Androidの人数"), min_value=0, max_value=outreach.MAX_PARTICIPANTS, key="or_android")
        far.number_input(_("その他の機種の人数"), min_value=0, max_value=outreach.MAX_PARTICIPANTS, key="or_other")
        left, right = st.columns([1, 3])
        left.number_input(_("貸出機の台数"), min_value=0, max_value=outreach.MAX_PARTICIPANTS, key="or_loans")
        right.selectbox(_("希望の講座"), options=list(catalogue), format_func=lessons.title_of, key="or_lesson",
                        placeholder=_("未定"))
        st.text_area(_("メモ（任意）"), key="or_notes", max_chars=outreach.NOTES_MAX)
        st.form_submit_button(_("受け付ける"), type="primary", on_click=_create, key="or_submit")

with list_tab:
    filters = {"open": _("対応中のすべて"), **{k: _(v) for k, v in outreach.STATUSES.items()}, "all": _("すべて")}
    left, right = st.columns([3, 2])
    status = left.selectbox(_("状態"), options=list(filters), format_func=filters.get, key="or_status")
    query = right.text_input(_("団体名・電話番号の一部"), key="or_query", max_chars=40)
    where = None if status == "all" else status
    total = ui.read(outreach.count_requests, who, where, text=query)
    if not total:
        st.info(_("該当する依頼はありません。"))
    else:
        pages = (total - 1) // outreach.PAGE_SIZE + 1
        page = min(state.get("or_page", 1), pages)
        shown = ui.read(outreach.list_requests, who, where, text=query, limit=outreach.PAGE_SIZE, offset=(page - 1) * outreach.PAGE_SIZE)
        st.caption(_("{total} 件（{page} / {pages} ページ）").format(total=f"{total:,}", page=page, pages=pages))
        st.table(
            plain.rows([
                {
                    _("No."): r.id,
                    _("受付日"): short_date(date.fromisoformat(r.received_on)),
                    _("種類"): _(outreach.KINDS[r.kind]),
                    _("団体"): r.group_name,
                    _("日程"): f"{short_date(r.session_starts_at)} {format_time(r.session_starts_at)}" if r.session_starts_at else
                    _("希望：{dates}").format(dates="、".join(short_date(date.fromisoformat(d)) for d in r.preferred_dates) or _("指定なし")),
                    _("人数"): r.actual_participants if r.status == "reported" else r.expected,
                    _("状態"): _(outreach.STATUSES[r.status]),
                }
                for r in shown
            ]),
            hide_index=True,
            width="stretch",
        )
        if pages > 1:
            left, right, _rest = st.columns([1, 1, 3])
            left.button(_("前へ"), disabled=page == 1, on_click=lambda: state.update(or_page=page - 1), key="or_previous")
            right.button(_("次へ"), disabled=page == pages, on_click=lambda: state.update(or_page=page + 1), key="or_next")
        by_id = {r.id: r for r in shown}
        if state.get(CHOSEN) not in by_id:
            state[CHOSEN] = None
        chosen = st.selectbox(
            _("依頼を開く"), options=list(by_id), format_func=lambda i: f"No.{i} {by_id[i].group_name}",
            key=CHOSEN, placeholder=_("選んでください"),
        )
        if chosen is not None:
            request = by_id[chosen]
            details(request)
            actions(request)
            if request.status in outreach.EDITABLE_STATUSES:
                edit_form(request, places)
