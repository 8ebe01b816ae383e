"""操作の記録 (admin): browse and filter the append-only audit log."""

from datetime import datetime, time, timedelta, timezone

import streamlit as st

import ui
from db import audit
from db.clock import JST, today_jst
from locales import _
from printouts.csv_export import to_csv

who = ui.guard("audit")
st.title(_("操作の記録"))
st.caption(_("だれが・いつ・何をしたかの記録です。記録は変更も削除もできません。"))

left, mid, right = st.columns(3)
user = left.selectbox(_("ユーザー"), options=ui.read(audit.distinct_values, who, "user"), index=None, key="audit_user")
action = mid.selectbox(_("操作"), options=ui.read(audit.distinct_values, who, "action"), index=None, key="audit_action")
entity = right.selectbox(_("対象"), options=ui.read(audit.distinct_values, who, "entity"), index=None, key="audit_entity")
left, right = st.columns(2)
since = left.date_input(_("この日から"), value=today_jst() - timedelta(days=30), key="audit_since", format="YYYY/MM/DD")
until = right.date_input(_("この日まで"), value=today_jst(), key="audit_until", format="YYYY/MM/DD")


def _utc(day, days: int = 0) -> str:
    return (datetime.combine(day, time(0), tzinfo=JST) + timedelta(days=days)).astimezone(timezone.utc).isoformat(timespec="seconds")


rows = ui.read(audit.search, who, user or "", action or "", entity or "", _utc(since), _utc(until, 1))
st.caption(_("{n} 件（新しい順、最大500件）").format(n=len(rows)))
table = [
    {
        _("日時"): datetime.fromisoformat(r["at"]).astimezone(JST).strftime("%Y-%m-%d %H:%M:%S"),
        _("ユーザー"): r["user"],
        _("操作"): r["action"],
        _("対象"): r["entity"],
        _("番号"): r["entity_id"] or "",
        _("内容"): r["detail"],
    }
    for r in rows
]
st.dataframe(table, hide_index=True, width="stretch")
if table:
    st.download_button(
        _("CSVで保存"),
        data=to_csv(list(table[0]), [list(r.values()) for r in table]),
        file_name="audit-log.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
        key="audit_csv",
    )
