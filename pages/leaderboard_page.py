"""Leaderboard: reps or teams ranked on any metric for the period, with medals, movement
since the previous period and attainment bars; admins choose what reps may see."""

import streamlit as st

from services import metrics
from ui import layout, period, runtime, scope
from ui.feedback import show_flash
from ui.i18n import t
from ui.metrics.picker import metric_picker
from ui.performance import leaderboard as view

actor = runtime.current_actor()
chosen = period.current()

st.title(t("Leaderboard"))
show_flash()
metric_column, ranking_column, team_column = st.columns(3)
with metric_column:
    key = metric_picker("leaderboard__metric")
with ranking_column:
    ranking = view.ranking_picker("leaderboard__ranking")
with team_column:
    team_id = scope.team_filter(actor, key="leaderboard__team")
metric = metrics.REGISTRY[key]

board = view.load(key, chosen, ranking=ranking, team_id=team_id)
st.caption(view.summary(board, chosen))
view.podium(board, metric)
view.standings_table(board, metric)
st.caption(t(metric.description))
st.page_link("pages/board_page.py", label=t("Open board mode for an office screen"),
             icon=":material/tv:")  # fmt: skip

if actor.is_admin:
    with layout.expander(
        t("What reps may see"), key="leaderboard__visibility_open", icon=":material/visibility:"
    ):
        view.visibility_form("leaderboard__visibility")
