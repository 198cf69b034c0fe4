"""Home: the period's KPIs, the revenue trend, results by rep and what needs attention."""

import streamlit as st

from services import metrics
from services.performance import dashboard
from ui import charts, period, runtime, scope
from ui import format as fmt
from ui.i18n import t
from ui.metrics.picker import metric_picker
from ui.performance import kpi
from ui.performance.attention import attention_list
from ui.sidebar import role_label
from ui.text import plain

actor = runtime.current_actor()
chosen = period.current()

st.title(t("Home"))
st.subheader(t("Welcome, {name}", name=plain(actor.display_name)))
st.caption(f"{role_label(actor.role)} · {fmt.period_label(chosen)}")
team_id = scope.team_filter(actor, key="home__team")

kpi.tiles(runtime.cached(dashboard.kpi_tiles, chosen, team_id=team_id))

trend_column, reps_column = st.columns(2)
with trend_column:
    st.subheader(t("Revenue by month"))
    trend = runtime.cached(dashboard.revenue_trend, chosen, team_id=team_id)
    st.altair_chart(charts.month_trend(trend, t("Revenue")), width="stretch")
    if any(point.to_date for point in trend):
        st.caption(t("The dashed line leads to this month so far; no line before the first deal."))
with reps_column:
    st.subheader(t("Results by rep"))
    key = metric_picker("home__metric")
    results = runtime.cached(dashboard.rep_results, key, chosen, team_id=team_id)
    metric = metrics.REGISTRY[key]
    if not results:
        st.info(t("No results for this period yet."), icon=":material/info:")
    else:
        shown = charts.top_and_bottom(results)
        if len(shown) < len(results):
            st.caption(t("The top and bottom {n} of {total} reps.", n=len(shown) // 2,
                         total=len(results)))  # fmt: skip
        st.altair_chart(charts.rep_bars(shown, metric.unit, t(metric.label)), width="stretch")

st.subheader(t("Needs attention"))
attention_list(scope.rep_ids(team_id))
