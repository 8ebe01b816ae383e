"""個人情報の削除 (admin): residents past the retention period, and erasure on request.

Erasing keeps 年代, device and every booking so the reports still add up, and
removes name, フリガナ, phone, needs and notes (DESIGN.md §7).
"""

import streamlit as st

import ui
from db import attendees, retention, settings
from locales import _

who = ui.guard("retention")
st.title(_("個人情報の削除"))
ui.show_flash()
years = ui.read(settings.get_settings).retention_years


def _anonymise(ids: list[int], reason: str, confirm_key: str) -> None:
    if not st.session_state.get(confirm_key):
        ui.flash("error", _("確認のチェックを入れてください。"))
        return
    ui.attempt(retention.anonymise, ids, reason, success=lambda n: _("{n} 人の個人情報を削除しました。").format(n=n))
    st.session_state[confirm_key] = False


expired_tab, request_tab = st.tabs([_("保存期間を過ぎた方"), _("本人からの削除請求")], key="retention_tab", on_change="rerun")
with expired_tab:
    st.write(_("{years}年以上、予約・出席・相談のない方です。氏名・フリガナ・電話番号・メモを消します。年代と回数は統計に残ります。").format(years=years))
    listed = ui.read(retention.candidates, who, years)
    if not listed:
        st.info(_("対象の方はいません。"))
    else:
        st.table(
            [{_("氏名"): c.name, _("フリガナ"): c.name_kana, _("最後の利用"): c.last_activity} for c in listed],
            hide_index=True,
            width="stretch",
        )
        st.checkbox(_("上の {n} 人の個人情報を削除します。元に戻せません。").format(n=len(listed)), key="confirm_expired")
        st.button(
            _("削除する"), type="primary", on_click=_anonymise, args=([c.id for c in listed], "retention", "confirm_expired"), key="anonymise_expired"
        )

with request_tab:
    query = st.text_input(_("電話番号の一部、フリガナ、または氏名"), key="erase_query")
    found = ui.read(attendees.find_attendees, who, query) if query.strip() else []
    if found:
        people = {a.id: f"{a.name}（{a.name_kana}） {a.phone}" for a in found}
        target = st.radio(_("削除する方"), options=list(people), format_func=people.get, key="erase_target")
        st.checkbox(_("この方の個人情報を削除します。元に戻せません。"), key="confirm_request")
        st.button(_("削除する"), type="primary", on_click=_anonymise, args=([target], "request", "confirm_request"), key="anonymise_request")
    elif query.strip():
        st.warning(_("見つかりません。"))
