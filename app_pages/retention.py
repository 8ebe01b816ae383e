"""個人情報の削除 (admin): residents past the retention period, counted and listed
page by page and erased in batches with a progress bar, and erasure on request.

Erasing keeps 年代, device and every booking so the reports still add up, and
removes name, フリガナ, phone, needs, notes and the free text of their cases
(DESIGN.md §7, db.retention).
"""

import streamlit as st

import ui
from db import attendees, outreach, retention, settings
from locales import _

who = ui.guard("retention")
st.title(_("個人情報の削除"))
ui.show_flash()
state = st.session_state
years = ui.read(settings.get_settings).retention_years
WAL_PENDING = "retention_wal_pending"


def _anonymise(ids: list[int], reason: str, confirm_key: str) -> None:
    if not state.get(confirm_key):
        ui.flash("error", _("確認のチェックを入れてください。"))
        return
    erased = ui.attempt(retention.anonymise, ids, reason, success=lambda n: _("{n} 人の個人情報を削除しました。").format(n=n))
    _remember_wal(erased)
    state[confirm_key] = False


def _remember_wal(outcome: ui.Outcome) -> None:
    # The erasure is saved but its text may linger in the -wal: offer to clear it.
    if isinstance(outcome.error, retention.WalNotCleared):
        state[WAL_PENDING] = True


def _clear_wal() -> None:
    cleared = ui.attempt(retention.clear_wal)
    if cleared and cleared.value:
        state.pop(WAL_PENDING, None)
        ui.flash("success", _("一時ファイルを片付けました。消した文字はもう残っていません。"))
    elif cleared:
        ui.flash("error", _("まだ読み込み中の画面があります。ほかの画面を閉じてから、もう一度押してください。"))


def _erase_all(total: int) -> None:
    """Erase the listed residents in batches, with a progress bar; at most `total`,
    the number the admin confirmed."""
    if not state.get("confirm_expired"):
        ui.flash("error", _("確認のチェックを入れてください。"))
        return
    bar = st.progress(0.0, text=_("削除しています…"))
    done = 0
    while done < total:
        batch = ui.read(retention.candidates, who, years, limit=min(retention.BATCH_SIZE, total - done))
        if not batch:
            break
        erased = ui.attempt(retention.anonymise, [c.id for c in batch], "retention")
        _remember_wal(erased)
        if not erased:
            break
        done += erased.value
        bar.progress(done / total, text=_("{done} / {total} 人を削除しました").format(done=done, total=total))
    bar.empty()
    if done:
        ui.flash("success", _("{n} 人の個人情報を削除しました。").format(n=done))
    state["confirm_expired"] = False
    state["retention_cursors"] = [None]


def _erase_contacts_due(total: int) -> None:
    if not state.get("confirm_contacts_due"):
        ui.flash("error", _("確認のチェックを入れてください。"))
        return
    ids = ui.read(retention.contacts_due, who, years, limit=min(total, retention.MAX_BATCH))
    erased = ui.attempt(retention.erase_contacts, ids, "retention", success=lambda n: _("{n} 件の連絡先を削除しました。").format(n=n))
    _remember_wal(erased)
    state["confirm_contacts_due"] = False


def _erase_contact(request_id: int) -> None:
    if not state.get("confirm_contact"):
        ui.flash("error", _("確認のチェックを入れてください。"))
        return
    erased = ui.attempt(retention.erase_contacts, [request_id], "request", success=_("連絡先を削除しました。"))
    _remember_wal(erased)
    state["confirm_contact"] = False


expired_tab, request_tab, contact_tab = st.tabs(
    [_("保存期間を過ぎた方"), _("本人からの削除請求"), _("出前講座の連絡先")], key="retention_tab", on_change="rerun"
)
with expired_tab:
    st.write(_("{years}年以上、予約・出席・相談のない方です。氏名・フリガナ・電話番号・メモを消します。年代と回数は統計に残ります。").format(years=years))
    total = ui.read(retention.count_candidates, who, years)
    if not total:
        st.info(_("対象の方はいません。"))
    else:
        cursors = state.setdefault("retention_cursors", [None])
        listed = ui.read(retention.candidates, who, years, after=cursors[-1], limit=retention.PAGE_SIZE)
        first = (len(cursors) - 1) * retention.PAGE_SIZE + 1
        st.caption(
            _("対象 {total} 人のうち {first}〜{last} 人目（最後の利用が古い順）").format(
                total=f"{total:,}", first=first, last=first + len(listed) - 1
            )
        )
        st.dataframe(
            [{_("氏名"): c.name, _("フリガナ"): c.name_kana, _("最後の利用"): c.last_activity} for c in listed],
            hide_index=True,
            width="stretch",
        )
        more = first - 1 + len(listed) < total

        def _next() -> None:
            state["retention_cursors"].append((listed[-1].last_activity, listed[-1].id))

        def _previous() -> None:
            state["retention_cursors"].pop()

        left, right, _rest = st.columns([1, 1, 2])
        left.button(_("前へ"), disabled=len(cursors) == 1, on_click=_previous, icon=":material/arrow_back:", key="retention_previous")
        right.button(_("次へ"), disabled=not more, on_click=_next, icon=":material/arrow_forward:", key="retention_next")
        st.checkbox(_("対象の {n} 人全員の個人情報を削除します。元に戻せません。").format(n=f"{total:,}"), key="confirm_expired")
        st.button(_("削除する"), type="primary", on_click=_erase_all, args=(total,), key="anonymise_expired")

with request_tab:
    query = st.text_input(_("電話番号の一部、フリガナ、または氏名"), key="erase_query")
    found = ui.read(attendees.find_attendees, who, query) if query.strip() else []
    if found:
        people = {a.id: f"{a.name}（{a.name_kana}） {a.phone}" for a in found}
        target = st.selectbox(_("削除する方"), options=list(people), format_func=people.get, key="erase_target")
        st.checkbox(_("この方の個人情報を削除します。元に戻せません。"), key="confirm_request")
        st.button(_("削除する"), type="primary", on_click=_anonymise, args=([target], "request", "confirm_request"), key="anonymise_request")
    elif query.strip():
        st.warning(_("見つかりません。"))

with contact_tab:
    # The contact person of a 出前講座・出張相談 request need not be an attendee: their
    # name, phone, the notes and the reason for withdrawing are erased by request.
    st.write(_("出前講座・出張相談の依頼の連絡先（氏名・電話番号・メモ）を消します。団体名・会場・人数・報告は統計に残ります。"))
    due = ui.read(retention.count_contacts_due, who, years)
    if due:
        st.caption(_("終わってから{years}年以上たった依頼：{n} 件").format(years=years, n=f"{due:,}"))
        st.checkbox(_("対象の {n} 件の連絡先を削除します。元に戻せません。").format(n=f"{due:,}"), key="confirm_contacts_due")
        st.button(_("削除する"), type="primary", on_click=_erase_contacts_due, args=(due,), key="erase_contacts_due")
    else:
        st.info(_("保存期間を過ぎた依頼の連絡先はありません。"))
    contact_query = st.text_input(_("団体名または電話番号の一部（本人からの削除請求）"), key="contact_query")
    matches = ui.read(outreach.list_requests, who, None, text=contact_query) if contact_query.strip() else []
    matches = [r for r in matches if not r.contact_erased]
    if matches:
        contacts = {r.id: f"No.{r.id} {r.group_name} ｜ {r.contact_name} {r.contact_phone}" for r in matches}
        chosen = st.selectbox(_("連絡先を削除する依頼"), options=list(contacts), format_func=contacts.get, key="contact_target")
        st.checkbox(_("この依頼の連絡先を削除します。元に戻せません。"), key="confirm_contact")
        st.button(_("削除する"), type="primary", on_click=_erase_contact, args=(chosen,), key="erase_contact")
    elif contact_query.strip():
        st.warning(_("見つかりません。"))

if state.get(WAL_PENDING):
    st.button(_("一時ファイルを片付ける"), on_click=_clear_wal, key="clear_wal")
