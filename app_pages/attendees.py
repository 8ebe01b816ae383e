"""受講者: find a resident, correct their details, see their history; import
attendees from Excel or CSV and export attendees and bookings as CSV."""

import functools

import streamlit as st

import lessons
import ui
from db import attendees, bookings, exports, importer
from locales import _
from printouts.csv_export import to_csv
from printouts.dates import format_date
from ui import plain

who = ui.guard("attendees")
st.title(_("受講者"))
ui.show_flash()


def _csv(table_fn, *args) -> bytes:
    """Build the export only when the button is pressed (each export is audit-logged)."""
    header, rows = ui.read(table_fn, who, *args)
    return to_csv(header, rows)


def _import() -> None:
    state = st.session_state
    upload = state.get("import_file")
    if upload is None:
        ui.flash("error", _("ファイルを選んでください。"))
        return
    result = ui.attempt(importer.import_attendees, upload.name, upload.getvalue(), state.get("import_consent", False))
    if result:
        ui.flash("success", _("{n} 人を取り込みました（登録済みのため {k} 行を飛ばしました）。").format(n=result.value.imported, k=result.value.skipped))
        state["import_consent"] = False


def _save() -> None:
    state = st.session_state
    ui.attempt(
        attendees.update_attendee,
        state["registry_pick"],
        success=_("保存しました。"),
        name=state["edit_name"],
        name_kana=state["edit_kana"],
        phone=state["edit_phone"],
        age_band=state.get("edit_age") or "",
        device=state.get("edit_device") or "",
        needs=state.get("edit_needs", []),
        note=state.get("edit_note", ""),
    )


find_tab, import_tab, export_tab = st.tabs([_("探す・直す"), _("取り込み（Excel・CSV）"), _("書き出し（CSV）")], key="attendees_tab", on_change="rerun")
with import_tab:
    st.write(_("1行目に見出し（氏名・フリガナ・電話番号、あれば 年代・機種・配慮・メモ・同意日）がある .xlsx か .csv（Excel の UTF-8 / Shift_JIS）を選んでください。1行でも誤りがあれば、何も取り込みません。"))
    upload = st.file_uploader(_("ファイル"), type=["xlsx", "csv"], key="import_file")
    if upload is not None:
        previewed = ui.attempt(importer.preview, upload.name, upload.getvalue())
        ui.show_flash()
        if previewed:
            check = previewed.value
            st.table(
                plain.rows([
                    {
                        _("行"): r.line,
                        _("氏名"): (r.values or {}).get("name", ""),
                        _("電話番号"): (r.values or {}).get("phone", ""),
                        _("結果"): r.error or (_("登録済みのため飛ばす") if r.skip else _("取り込む")),
                        _("重複の可能性"): "、".join(r.duplicates),
                    }
                    for r in check.rows
                ]),
                hide_index=True,
                width="stretch",
            )
            if check.ignored_columns:
                st.caption(_("読まない列：{cols}").format(cols=plain.md("、".join(check.ignored_columns))))
            if check.ok:
                st.info(_("{n} 人を取り込めます（{k} 行は登録済み）。").format(n=check.importable, k=check.skipped))
                st.checkbox(_("このファイルの全員が、個人情報の利用目的に同意しています"), key="import_consent")
                st.button(_("取り込む"), type="primary", on_click=_import, key="import_button")
            else:
                st.error(_("誤りのある行を直してから、もう一度選んでください。何も取り込んでいません。"))

with export_tab:
    st.write(_("Excel でそのまま開ける CSV（UTF-8・BOM付き）です。書き出しは操作の記録に残ります。"))
    exports_offered = [
        (_("受講者の一覧（CSV）"), exports.attendees_table, "attendees"),
        (_("予約の一覧（CSV）"), exports.bookings_table, "bookings"),
    ]
    for column, (label, table, name) in zip(st.columns(2), exports_offered):
        column.download_button(
            label,
            data=functools.partial(_csv, table),
            file_name=f"{name}.csv",
            mime="text/csv",
            icon=":material/download:",
            on_click="ignore",
            key=f"export_{name}",
        )

with find_tab:
    query = st.text_input(_("電話番号の一部、フリガナ、または氏名"), key="registry_query", placeholder=_("例：1234、やまだ"))
    found = ui.read(attendees.find_attendees, who, query) if query.strip() else []
    if query.strip() and not found:
        st.warning(_("見つかりません。"))
    if not found:
        st.stop()
    people = {a.id: a for a in found}
    attendee_id = st.radio(
        _("受講者"), options=list(people), format_func=lambda i: plain.md(f"{people[i].name}（{people[i].name_kana}） {people[i].phone}"), key="registry_pick"
    )
    person = people[attendee_id]
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
        right.multiselect(_("配慮すること"), options=list(attendees.NEEDS), default=list(person.needs), key="edit_needs", placeholder=_("選んでください"))
        st.text_area(_("メモ"), value=person.note, key="edit_note", max_chars=500, help=_("マイナンバーや暗証番号は書かないでください。"))
        st.form_submit_button(_("保存する"), type="primary", on_click=_save, key="edit_submit")

    st.subheader(_("これまでの講座"))
    if history:
        st.dataframe(
            [
                {
                    _("日付"): format_date(h.starts_at),
                    _("講座"): lessons.title_of(h.lesson_id),
                    _("状態"): (_("中止") + "・") * (h.session_status == "cancelled") + _(bookings.STATUS_LABELS[h.status]) + (_("（遅刻）") if h.late else ""),
                }
                for h in history
            ],
            hide_index=True,
            width="stretch",
        )
    else:
        st.caption(_("まだ予約はありません。"))
