"""The 抽選 section of the 予約 page (issue 17): put a session (or its series) into
lottery mode, see the applications, withdraw one, run the draw once the window
has closed, and download the notice-board result. Applications themselves are
taken through the page's find-or-register flow (`apply`)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import streamlit as st

from db import lottery, settings
from db.clock import JST, now_jst
from locales import _
from printouts.lottery_notice import receipt_label, render_lottery_notice
from printouts.model import Centre
from ui.feedback import flash, read
from ui.plain import rows
from ui.sign_in import attempt
from views.lottery_notice import notice_model


def _when(moment: datetime) -> str:
    local = moment.astimezone(JST)
    return f"{local:%Y/%m/%d %H:%M}"


def apply(lottery_id: int, attendee_id: int, who_text: str = "") -> bool:
    """Take an application for one resident; says the 受付番号 to tell them.
    `who_text` prefixes the message (a new registration)."""
    done = attempt(lottery.apply, lottery_id, attendee_id)
    if done:
        flash("success", who_text + _("申込を受け付けました。受付番号は {number} 番です。ご本人にお伝えください。").format(number=receipt_label(done.value)))
    return bool(done)


def _set(session_id: int) -> None:
    state = st.session_state
    opens = datetime.combine(state["lot_open_date"], state["lot_open_time"], tzinfo=JST)
    closes = datetime.combine(state["lot_close_date"], state["lot_close_time"], tzinfo=JST)
    attempt(
        lottery.set_lottery,
        session_id,
        opens,
        closes,
        int(state.get("lot_first_seats") or 0),
        bool(state.get("lot_priority")),
        bool(state.get("lot_whole_series")),
        success=_("抽選にしました。受付期間中は「申込」として受け付けます。"),
    )


def _withdraw(lottery_id: int) -> None:
    number = st.session_state.get("lot_withdraw")
    if number is None:
        flash("error", _("取り下げる申込を選んでください。"))
        return
    if attempt(lottery.withdraw, lottery_id, number, success=_("申込を取り下げました。")):
        st.session_state["lot_withdraw"] = None


def _draw(lottery_id: int) -> None:
    attempt(
        lottery.run_draw,
        lottery_id,
        success=lambda o: _("抽選しました。当選 {won} 人、キャンセル待ち {waiting} 人です。「今日」の電話リストで結果をお知らせしてください。").format(
            won=o.won, waiting=o.waiting
        ),
    )


def setup_form(session) -> None:
    """The form that puts a session with no bookings into lottery mode."""
    with st.expander(_("抽選にする（応募多数のとき）"), icon=":material/casino:", key="lottery_expander", on_change="rerun"):
        today = now_jst().date()
        # The window must close 24 h before the class: by default two days before it.
        last = (session.starts_at - timedelta(days=2)).date()
        with st.form("lottery_setup"):
            st.caption(_("受付期間中に申込を受け付け、締切のあと自動で抽選します。当選した方は予約、ほかの方は抽選の順にキャンセル待ちになります。"))
            left, right = st.columns(2)
            left.date_input(_("受付開始日"), value=today, key="lot_open_date", format="YYYY/MM/DD")
            right.time_input(_("受付開始時刻"), value=time(9, 0), key="lot_open_time", step=timedelta(minutes=30))
            left.date_input(_("締切日"), value=max(today, min(last, today + timedelta(days=14))), key="lot_close_date", format="YYYY/MM/DD")
            right.time_input(_("締切時刻"), value=time(17, 0), key="lot_close_time", step=timedelta(minutes=30))
            left.number_input(_("初めての方の枠（席）"), min_value=0, max_value=session.capacity, value=0, key="lot_first_seats",
                              help=_("この講座を受けたことがない方のために取っておく席の数です。"))
            right.checkbox(_("初めての方を優先する"), key="lot_priority")
            if session.series_id:
                st.checkbox(_("連続講座のこの回以降をまとめて抽選する（当選した方は全回の予約）"), key="lot_whole_series")
            st.form_submit_button(_("抽選にする"), on_click=_set, args=(session.id,), key="lottery_set")


def section(lot: lottery.Lottery, who) -> None:
    """Where a lottery stands: window, applications, withdraw, draw, notice."""
    stage = lot.stage()
    st.subheader(_("抽選"))
    kept = _("初めての方の枠 {n} 席").format(n=lot.first_timer_seats) if lot.first_timer_seats else _("初めての方の枠なし")
    priority = _("初めての方を優先") if lot.first_timer_priority else _("優先なし")
    scope = _("連続講座 {n} 回をまとめて").format(n=len(lot.session_ids)) if lot.series_id else _("この回のみ")
    st.markdown(
        _("**【{stage}】** 受付期間 {opens} 〜 {closes}　定員 {seats} 人・申込 {applicants} 人").format(
            stage=_(lottery.STAGES[stage]), opens=_when(lot.opens_at), closes=_when(lot.closes_at), seats=lot.seats, applicants=lot.applicants
        )
    )
    st.caption(f"{scope}・{kept}・{priority}")
    if stage == "before":
        st.info(_("受付開始前です。{when} から申込を受け付けます。").format(when=_when(lot.opens_at)), icon=":material/schedule:")
    elif stage == "open":
        st.info(_("受付中です。下の「登録済みの方を探す」または「はじめての方を登録」から申込を受け付けてください。"), icon=":material/how_to_vote:")
    elif stage == "closed":
        st.warning(_("受付期間が終わりました。抽選は定時処理で自動で行われます。今すぐ行うときは「抽選する」を押してください。"), icon=":material/casino:")
        st.button(_("抽選する"), type="primary", on_click=_draw, args=(lot.id,), key="lottery_draw")
    apps = read(lottery.list_applications, who, lot.id)
    results = {"won": _("当選"), "lost": _("落選（キャンセル待ち）"), "": "—"}
    if apps:
        table = [
            {
                _("受付番号"): receipt_label(a.number),
                **({_("順位"): a.place} if lot.drawn_at else {}),
                _("氏名"): a.name,
                _("電話番号"): a.phone,
                _("初めて"): _("はい") if a.first_timer else _("いいえ"),
                **({_("結果"): results[a.result]} if lot.drawn_at else {}),
            }
            for a in apps[:100]
        ]
        st.table(rows(table), hide_index=True, width="stretch")
        if len(apps) > 100:
            st.caption(_("ほか {n} 件").format(n=len(apps) - 100))
    else:
        st.caption(_("まだ申込はありません。"))
    if stage in ("before", "open") and apps:
        with st.expander(_("申込の取り下げ"), icon=":material/undo:", key="lottery_withdraw_expander", on_change="rerun"):
            names = {a.number: f"{receipt_label(a.number)}　{a.name}（{a.name_kana}）" for a in apps}
            st.selectbox(_("取り下げる申込"), options=list(names), format_func=names.get, index=None, key="lot_withdraw",
                         placeholder=_("選んでください"))
            st.button(_("申込を取り下げる"), on_click=_withdraw, args=(lot.id,), key="lottery_withdraw")
    if stage == "drawn":
        config = read(settings.get_settings)
        centre = Centre(name=config.centre_name, phone=config.centre_phone)

        def pdf() -> bytes:
            return render_lottery_notice(centre, notice_model(read(lottery.notice, lot.id)), body_pt=config.body_pt)

        st.caption(_("抽選日時 {when}・乱数の種 {seed}（監査ログに記録済み）").format(when=_when(lot.drawn_at), seed=lot.seed))
        st.download_button(_("抽選結果（掲示用・受付番号のみ）PDF"), data=pdf, file_name=f"lottery-{lot.id}.pdf", mime="application/pdf",
                           icon=":material/print:", key="lottery_notice", on_click="ignore")
