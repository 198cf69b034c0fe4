"""Choosing a registry metric, kept in the URL (`?metric=...`) like the period."""

from __future__ import annotations

import streamlit as st

from services import metrics
from services.errors import RepboardError
from ui.choice import remembered_selectbox
from ui.errors import message
from ui.i18n import t

METRIC_PARAM = "metric"


def metric_picker(key: str, default: str = "revenue") -> str:
    """A selectbox of computed metrics; an unknown key in the URL is explained and replaced."""
    options = [metric.key for metric in metrics.METRICS if not metric.manual]
    if key not in st.session_state:
        wanted = st.query_params.get(METRIC_PARAM, default)
        try:
            metrics.get_metric(wanted)
            st.session_state[key] = wanted if wanted in options else default
        except RepboardError as error:
            st.warning(message(error), icon="⚠️")
            st.session_state[key] = default
    chosen = remembered_selectbox(
        t("Metric"),
        options,
        key=key,
        format_func=lambda metric_key: t(metrics.REGISTRY[metric_key].label),
    )
    st.query_params[METRIC_PARAM] = chosen
    return chosen
