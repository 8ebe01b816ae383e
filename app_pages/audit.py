"""操作の記録 (admin): the append-only audit log by date range, page by page, and a
check that no record was changed or removed (the hash chain)."""

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
state = st.session_state

left, right = st.columns(2)
since = left.date_input(_("この日から"), value=today_jst() - timedelta(days=30), key="audit_since", format="YYYY/MM/DD")
until = right.date_input(_("この日まで"), value=today_jst(), key="audit_until", format="YYYY/MM/DD")
left, mid, right = st.columns(3)
user = left.selectbox(_("ユーザー"), options=ui.read(audit.distinct_values, who, "user"), index=None, key="audit_user")
action = mid.selectbox(_("操作"), options=ui.read(audit.distinct_values, who, "action"), index=None, key="audit_action")
entity = right.selectbox(_("対象"), options=ui.read(audit.distinct_values, who, "entity"), index=None, key="audit_entity")


def _utc(day, days: int = 0) -> str:
    return (datetime.combine(day, time(0), tzinfo=JST) + timedelta(days=days)).astimezone(timezone.utc).isoformat(timespec="seconds")


window = (_utc(since), _utc(until, 1), user or "", action or "", entity or "")
# The cursors of the pages shown so far; a new filter starts again at the newest.
if state.get("audit_window") != window:
    state["audit_window"] = window
    state["audit_cursors"] = [None]
cursors = state["audit_cursors"]
page = ui.read(audit.search, who, *window[:2], *window[2:], after=cursors[-1])
total = ui.read(audit.count, who, *window)
shown = (_("{n} 件以上") if total > audit.EXPORT_LIMIT else _("{n} 件")).format(n=f"{min(total, audit.EXPORT_LIMIT):,}")
first = (len(cursors) - 1) * audit.PAGE_SIZE + 1
st.caption(
    _("{total}（新しい順）。{first}〜{last} 件目を表示しています。").format(total=shown, first=first, last=first + len(page.rows) - 1)
    if page.rows
    else _("この期間・条件の記録はありません。")
)


def _jst(stamp: str) -> str:
    return datetime.fromisoformat(stamp).astimezone(JST).strftime("%Y-%m-%d %H:%M:%S")


def _table(rows: list[dict]) -> list[dict]:
    return [
        {
            _("日時"): _jst(r["at"]),
            _("ユーザー"): r["user"],
            _("操作"): r["action"],
            _("対象"): r["entity"],
            _("番号"): r["entity_id"] or "",
            _("内容"): r["detail"],
        }
        for r in rows
    ]


def _older() -> None:
    state["audit_cursors"].append(page.next_cursor)


def _newer() -> None:
    state["audit_cursors"].pop()


def _csv() -> bytes:
    rows = ui.read(audit.search, who, *window[:2], *window[2:], limit=audit.EXPORT_LIMIT).rows
    table = _table(rows)
    return to_csv(list(table[0]) if table else [], [list(r.values()) for r in table])


st.dataframe(_table(page.rows), hide_index=True, width="stretch")
left, mid, right = st.columns([1, 1, 2])
left.button(_("新しい記録へ"), disabled=len(cursors) == 1, on_click=_newer, icon=":material/arrow_back:", key="audit_newer")
mid.button(_("古い記録へ"), disabled=page.next_cursor is None, on_click=_older, icon=":material/arrow_forward:", key="audit_older")
if page.rows:
    right.download_button(
        _("この条件の記録をCSVで保存（最大{n}件）").format(n=f"{audit.EXPORT_LIMIT:,}"),
        data=_csv,
        file_name="audit-log.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
        key="audit_csv",
    )

st.subheader(_("記録が書き換えられていないか確かめる"))
st.caption(
    _("記録は一つ前の記録の指紋（ハッシュ値）を持っています。最初の記録から順に計算し直し、変えられたり消されたりした記録がないか確かめます。")
)
if st.button(_("確かめる"), icon=":material/verified:", key="audit_verify"):
    bar = st.progress(0.0)
    report = ui.read(audit.verify_chain, who, progress=lambda done, total: bar.progress(done / max(total, 1)))
    bar.empty()
    if report.ok:
        st.success(
            _("{n} 件の記録すべてで、つながりが正しいことを確かめました。最新の記録の指紋：{hash}").format(
                n=f"{report.checked:,}", hash=(report.last_hash or "—")[:16]
            ),
            icon=":material/check_circle:",
        )
        st.caption(_("指紋を控えておくと、次に確かめたとき、後ろの記録が切り取られていないかも分かります。"))
    else:
        st.error(
            _("No.{id} の記録が書き換えられたか、その前の記録が消されています（{n} 件目まではつながりが正しいことを確かめました）。").format(
                id=report.broken_id, n=f"{report.checked:,}"
            ),
            icon=":material/error:",
        )
