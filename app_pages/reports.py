"""実績報告: the fiscal year's numbers (placeholder until the page lands)."""

import streamlit as st

import ui
from locales import _

ui.guard("reports")
st.title(_("実績報告"))
