"""Home: who you are and what you can do; the KPI dashboard arrives with the metrics."""

import streamlit as st

from ui import runtime
from ui.i18n import t
from ui.sidebar import role_label

actor = runtime.current_actor()

st.title(t("Home"))
st.subheader(t("Welcome, {name}", name=actor.display_name))
st.caption(t("You are logged in as {role}.", role=role_label(actor.role)))
st.info(
    t("The dashboard with your KPIs, trends and attention list will appear here."),
    icon=":material/insights:",
)
