"""Bulk targets: every rep's target for a metric and the sidebar's period in one grid, copied
from the previous period, scaled, edited and saved all at once (admins and managers)."""

import streamlit as st

from ui import format as fmt
from ui import period, runtime, scope
from ui.feedback import show_flash
from ui.goals.targets_grid import targets_grid
from ui.i18n import t
from ui.metrics.picker import metric_picker

actor = runtime.current_actor()
chosen = period.current()

st.title(t("Bulk targets"))
show_flash()
metric_column, team_column = st.columns(2)
with metric_column:
    metric_key = metric_picker("targets__metric")
with team_column:
    team_id = scope.team_filter(actor, key="targets__team")
st.caption(
    t(
        "Targets for {period}, one row per active rep. A blank target adds no goal; a changed "
        "one is kept in the goal's history with the reason. Nothing is saved while a row is "
        "wrong.",
        period=fmt.period_label(chosen),
    )
)
targets_grid(metric_key, chosen, team_id)
