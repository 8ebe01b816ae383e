"""Sumaho Desk entry point: page config and navigation over `pages/`."""

import streamlit as st

import ui
from locales import _

st.set_page_config(page_title=_("スマホ教室・デジタル相談デスク"), page_icon=":material/smartphone:", layout="wide")
ui.ensure_database()

navigation = st.navigation(
    [
        st.Page("pages/schedule.py", title=_("開催予定"), icon=":material/calendar_month:", url_path="schedule", default=True),
        st.Page("pages/bookings.py", title=_("予約"), icon=":material/event_seat:", url_path="bookings"),
        st.Page("pages/volunteers.py", title=_("ボランティア"), icon=":material/volunteer_activism:", url_path="volunteers"),
        st.Page("pages/lessons.py", title=_("講座一覧"), icon=":material/menu_book:", url_path="lessons"),
        st.Page("pages/printouts.py", title=_("印刷"), icon=":material/print:", url_path="printouts"),
    ]
)
st.sidebar.caption(_("スマホ教室・デジタル相談デスク"))
navigation.run()
