"""The goals list's filters: period kind, whose goals, team and metric, over the sidebar's
period."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from services import metrics
from services.access import Actor
from services.goals.records import GoalFilters
from services.periods import Period, PeriodKind
from ui import scope
from ui.choice import remembered_selectbox
from ui.goals import labels
from ui.i18n import t

EVERY = "all"


def goal_filters(actor: Actor, period: Period, *, key: str) -> GoalFilters:
    """Goals overlapping the sidebar's period; by default only those of the same length."""
    kind_column, owner_column, team_column, metric_column = st.columns(4)
    default_kind = period.kind.value if period.kind != PeriodKind.CUSTOM else EVERY
    with kind_column:
        kind = remembered_selectbox(
            t("Goal period"), [EVERY, *labels.PERIOD_KIND_LABELS], key=f"{key}kind",
            default=default_kind, format_func=_every_or(labels.period_kind_label),
        )  # fmt: skip
    with owner_column:
        owner_kind = remembered_selectbox(
            t("Goals of"), [EVERY, *labels.OWNER_KIND_LABELS], key=f"{key}owner",
            format_func=_every_or(labels.owner_kind_label),
        )  # fmt: skip
    with team_column:
        team_id = scope.team_filter(actor, key=f"{key}team")
    with metric_column:
        metric_key = remembered_selectbox(
            t("Metric"), [EVERY, *(metric.key for metric in metrics.METRICS)],
            key=f"{key}metric", format_func=_every_or(labels.metric_label),
        )  # fmt: skip
    return GoalFilters(
        period=period,
        period_kind=None if kind == EVERY else PeriodKind(kind),
        owner_kind=None if owner_kind == EVERY else owner_kind,
        team_id=team_id,
        metric_key=None if metric_key == EVERY else metric_key,
    )


def _every_or(label: Callable[[str], str]) -> Callable[[str], str]:
    return lambda value: t("All") if value == EVERY else label(value)
