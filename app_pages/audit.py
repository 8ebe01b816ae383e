"""操作の記録 (admin): the append-only audit log by date range, page by page, and a
check that no record was changed or removed (the hash chain)."""

import json
from datetime import datetime, time, timedelta, timezone

import streamlit as st

import ui
from db import audit
from db.clock import JST, today_jst
from locales import _
from printouts.csv_export import to_csv

def action_label(code: str) -> str:
    """An audit action in words (the stored code when it has none)."""
    return {
        "login": _("サインイン"), "login_failed": _("サインイン失敗"), "login_refused": _("サインイン拒否"),
        "locked": _("ロック"), "unlock": _("ロック解除"), "sign_out": _("サインアウト"), "end_sign_in": _("サインイン終了"),
        "change_password": _("パスワード変更"), "reset_password": _("パスワード再設定"), "set_role": _("役割の変更"),
        "enable": _("有効にした"), "disable": _("無効にした"), "create": _("登録"), "update": _("変更"), "delete": _("削除"),
        "book": _("予約"), "waitlist": _("キャンセル待ち"), "cancel": _("取消・中止"), "cancel_from": _("この回以降を中止"),
        "move": _("日時・部屋の変更"), "move_from": _("この回以降を変更"), "offer": _("繰り上げ連絡"),
        "offer_accepted": _("繰り上げ承諾"), "offer_declined": _("繰り上げ辞退"), "offer_expired": _("繰り上げ期限切れ"),
        "seat_from_waitlist": _("キャンセル待ちから予約"), "attendance": _("出欠"), "call": _("電話の結果"),
        "assign": _("担当を決めた"), "remove": _("担当を外した"), "export": _("書き出し"), "print": _("印刷"),
        "anonymise": _("個人情報の削除"), "backup": _("バックアップ"), "restore": _("復元"), "issue": _("購読URLの発行"),
        "revoke": _("購読URLの停止"), "status": _("状態の変更"), "minutes": _("対応時間"), "guides": _("資料を渡した"),
        "allocate": _("貸出機の割り当て"), "lend": _("貸出機の変更"), "unlend": _("貸出機を外した"), "return": _("貸出機の返却"),
    }.get(code, code)


def entity_label(code: str) -> str:
    """An audited table in words (the stored name when it has none)."""
    return {
        "attendees": _("受講者"), "bookings": _("予約"), "sessions": _("開催回"), "series": _("連続講座"), "shifts": _("担当"),
        "volunteers": _("ボランティア"), "availability": _("活動可能日"), "availability_exceptions": _("活動可能日（日付）"),
        "users": _("アカウント"), "settings": _("設定"), "venues": _("施設"), "rooms": _("部屋"), "closures": _("休館日"),
        "tickets": _("相談記録"), "feed_tokens": _("カレンダー購読"), "backups": _("バックアップ"),
        "sign_in_sessions": _("サインイン状態"), "targets": _("成果目標"),
        "loan_phones": _("貸出機"), "loans": _("貸出"),
    }.get(code, code)


def detail_text(detail: str) -> str:
    """The changed fields as 「key: value」, nothing for none."""
    try:
        values = json.loads(detail or "{}")
    except ValueError:
        return detail
    return "、".join(f"{k}: {v}" for k, v in values.items()) if isinstance(values, dict) else detail


who = ui.guard("audit")
st.title(_("操作の記録"))
st.caption(_("だれが・いつ・何をしたかの記録です。記録は変更も削除もできません。"))
state = st.session_state

left, right = st.columns(2)
since = left.date_input(_("この日から"), value=today_jst() - timedelta(days=30), key="audit_since", format="YYYY/MM/DD")
until = right.date_input(_("この日まで"), value=today_jst(), key="audit_until", format="YYYY/MM/DD")
left, mid, right = st.columns(3)
user = left.selectbox(_("ユーザー"), options=ui.read(audit.distinct_values, who, "user"), index=None, key="audit_user", placeholder=_("すべて"))
action = mid.selectbox(
    _("操作"), options=ui.read(audit.distinct_values, who, "action"), format_func=action_label, index=None, key="audit_action",
    placeholder=_("すべて"),
)
entity = right.selectbox(
    _("対象"), options=ui.read(audit.distinct_values, who, "entity"), format_func=entity_label, index=None, key="audit_entity",
    placeholder=_("すべて"),
)


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
            _("操作"): action_label(r["action"]),
            _("対象"): entity_label(r["entity"]),
            _("番号"): r["entity_id"] or "",
            _("内容"): detail_text(r["detail"]),
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
