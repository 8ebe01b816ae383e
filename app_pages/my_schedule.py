"""わたしの予定: a volunteer's own shifts, the rosters of those sessions (names and
devices, no phone numbers), and open shifts they can take."""

import functools
from urllib.parse import urlsplit

import streamlit as st

import ui
from db import bookings, feeds, settings, volunteers
from db.clock import now_jst, today_jst
from db.reports import fiscal_year_of
from locales import _
from printouts.dates import duration, format_date
from ui import plain
from views.calendar import sessions_ics
from views.certificate import certificate_pdf

# Open shifts are cards with a button each; a city has a hundred at a time.
OPEN_PER_PAGE = 10

who = ui.guard("my_schedule")
st.title(_("わたしの予定"))
ui.show_flash()

if who.volunteer_id is None:
    st.warning(_("このアカウントはボランティアの登録と結びついていません。管理者にご連絡ください。"))
    st.stop()


def _take(session_id: int, role: str) -> None:
    ui.attempt(volunteers.assign_shift, session_id, who.volunteer_id, role, success=_("担当を引き受けました。"))


mine = ui.read(volunteers.my_shifts, who, who.volunteer_id)
st.subheader(_("担当する開催回"))
if mine:
    st.download_button(
        _("わたしの予定をカレンダーに入れる（.ics）"),
        data=sessions_ics([session for session, _role in mine], now_jst()),
        file_name="my-shifts.ics",
        mime="text/calendar",
        icon=":material/event:",
        on_click="ignore",
        key="my_ics",
    )
if not mine:
    st.info(_("担当している開催回はまだありません。"))
for session, role in mine:
    with st.container(border=True):
        st.markdown(f"**{plain.md(ui.session_label(session))}**")
        st.caption(_("役割：{role} ・ {seats}").format(role=_(volunteers.ROLES[role]), seats=ui.seats_text(session)))
        roster = ui.read(bookings.roster, who, session.id)
        if roster:
            st.table(
                plain.rows([{_("氏名"): r.name, _("フリガナ"): r.name_kana, _("機種"): r.device or "—"} for r in roster]),
                hide_index=True,
                width="stretch",
            )
        else:
            st.caption(_("まだ予約はありません。"))

st.subheader(_("担当が足りない開催回"))
open_sessions = ui.read(volunteers.open_shifts, who)
if not open_sessions:
    st.info(_("いま担当が足りない開催回はありません。"))
else:
    st.caption(_("近い順に {n} 回").format(n=len(open_sessions)))
for session in ui.page_of(open_sessions, OPEN_PER_PAGE, "open_shifts_page"):
    with st.container(border=True):
        st.markdown(f"**{plain.md(ui.session_label(session))}**")
        need_lead = session.leads < 1
        st.caption(ui.staffing_text(session))
        role = "lead" if need_lead and session.helpers >= session.helpers_needed else "helper"
        st.button(
            _("{role}として引き受ける").format(role=_(volunteers.ROLES[role])),
            key=f"take_{session.id}",
            on_click=_take,
            args=(session.id, role),
        )

st.subheader(_("今年度の活動"))
fiscal_year = fiscal_year_of(today_jst())
done = ui.read(volunteers.hours, who, who.volunteer_id, fiscal_year)
left, right = st.columns(2)
left.metric(_("{year}年度の活動時間").format(year=fiscal_year), duration(done.total_minutes))
right.metric(_("活動した回数"), _("{n} 回").format(n=len(done.activities)))
if done.activities:
    st.table(
        [
            {_("日付"): format_date(a.day), _("講座"): a.lesson_title, _("役割"): _(volunteers.ROLES[a.role]), _("時間"): duration(a.minutes)}
            for a in done.activities
        ],
        hide_index=True,
        width="stretch",
    )
    st.download_button(
        _("活動証明書（PDF）"),
        data=functools.partial(certificate_pdf, done, ui.read(settings.get_settings), today_jst()),
        file_name=f"certificate-{fiscal_year}.pdf",
        mime="application/pdf",
        icon=":material/workspace_premium:",
        on_click="ignore",
        key="my_certificate",
    )

st.subheader(_("カレンダーアプリで購読"))
FEED_URL = "feed_url"


def _issue() -> None:
    issued = ui.attempt(feeds.issue_token, who.volunteer_id, success=_("購読用のURLを発行しました。"))
    if issued:
        origin = urlsplit(st.context.url or "http://localhost:8501")
        st.session_state[FEED_URL] = f"{origin.scheme}://{origin.netloc}/calendar/{issued.value}.ics"


def _revoke() -> None:
    st.session_state.pop(FEED_URL, None)
    ui.attempt(feeds.revoke_tokens, who.volunteer_id, success=_("購読用のURLを止めました。もう予定は届きません。"))


st.caption(
    _("スマホやパソコンのカレンダーアプリにこのURLを登録すると、担当の予定が自動で入り、変更や中止も反映されます。URLは他の人に教えないでください。")
)
issued = ui.read(feeds.active_since, who, who.volunteer_id)
if FEED_URL in st.session_state and issued is not None:
    st.code(st.session_state[FEED_URL], language=None)
    st.caption(_("このURLはいまだけ表示されます。カレンダーアプリに登録してください。"))
elif issued is not None:
    st.info(_("{date}に発行したURLが使われています。URLがわからなくなったときは、発行し直してください（前のURLは使えなくなります）。").format(date=format_date(issued)))
left, right = st.columns(2)
left.button(_("URLを発行し直す") if issued else _("購読用のURLを発行する"), on_click=_issue, key="feed_issue", icon=":material/link:")
if issued is not None:
    right.button(_("購読を止める"), on_click=_revoke, key="feed_revoke", icon=":material/link_off:")

st.subheader(_("わたしの活動可能日"))
ui.availability_editor(who.volunteer_id)
