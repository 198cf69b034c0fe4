"""Showing goals: the paged goals table, one goal's progress tiles and chart, its SMART
marks and history, the review list and the cascade tree."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from services import metrics
from services.goals import series as goal_series
from services.goals.cascade import CascadeNode
from services.goals.listing import GoalPage, GoalProgress, GoalReport, Paged, ReviewPage
from services.goals.smart import Mark
from ui import charts, runtime
from ui import format as fmt
from ui.errors import message
from ui.goals import labels
from ui.i18n import t
from ui.pager import pager
from ui.tables import opening_table, table_height

# One goal's page; its `id` query parameter names the goal.
GOAL_PAGE = "pages/goal_page.py"


def _goal_table(frame: pd.DataFrame, ids: list[int], *, column: str, hint: str, key: str) -> None:
    st.caption(hint)
    opening_table(
        frame, ids, column=column, page=GOAL_PAGE, key=f"{key}_table",
        column_config={t("Attainment"): _attainment_column()},
    )  # fmt: skip


def _attainment_column() -> Any:
    return st.column_config.ProgressColumn(
        t("Attainment"), min_value=0, max_value=100, format="%.0f%%"
    )


def chosen_page(key: str) -> int:
    """The page of the list under `key` the user turned to: the first until they turn."""
    return int(st.session_state.get(key, 1))


def goal_pager(found: Paged[Any], key: str) -> None:
    """Previous and Next under `key` when the list has more than one page."""

    def turn(new_page: int) -> None:
        st.session_state[key] = new_page

    if found.pages > 1:
        caption = t("Page {page} of {pages} · {total} goals", page=fmt.number(found.page),
                    pages=fmt.number(found.pages), total=fmt.number(found.total))  # fmt: skip
        pager(found.page, found.pages, key=key, turn=turn, caption=caption)


def _percent(attainment: float | None) -> float | None:
    return None if attainment is None else round(attainment * 100, 1)


def _forecast(goal: GoalProgress) -> str:
    # Early in a period a run rate says little: the goal's page says what pace is against.
    if goal.early:
        return t("Too early to project")
    return labels.value(goal.metric_key, goal.forecast, whole=True)


def goals_table(found: GoalPage, *, key: str) -> None:
    """The page's goals with their progress, and the pager under `key`."""
    if not found.total:
        st.info(t("No goals match. Add one, or choose another period."), icon=":material/info:")
        return
    goal_pager(found, key)
    shown = found.rows
    frame = pd.DataFrame(
        {
            t("Title"): [row.title for row in shown],
            t("Owner"): [labels.owner(row) for row in shown],
            t("Metric"): [labels.metric_label(row.metric_key) for row in shown],
            t("Period"): [labels.period_of(row) for row in shown],
            t("Target"): [labels.target(row, whole=True) for row in shown],
            t("Actual"): [labels.value(row.metric_key, row.actual, whole=True) for row in shown],
            t("Attainment"): [_percent(row.attainment) for row in shown],
            t("Pace"): [labels.pace_label(row.pace) for row in shown],
            t("Forecast"): [_forecast(row) for row in shown],
            t("Status"): [labels.status_label(row.status) for row in shown],
        }
    )
    _goal_table(
        frame, [row.id for row in shown], column=t("Title"),
        hint=t("Click a title to open its goal."), key=key,
    )  # fmt: skip


def _tile(column: Any, label: str, unit: metrics.Unit, value: float | None) -> None:
    """The value short, to fit its column (CN¥6.89M, not a cut-off CN¥6,892,60…); in full in
    the tile's help."""
    shown, full = fmt.tile_value(unit, value)
    column.metric(label, shown, help=full)


def progress_tiles(goal: GoalProgress) -> None:
    key, metric = goal.metric_key, metrics.REGISTRY[goal.metric_key]
    first, second, third, fourth = st.columns(4)
    _tile(first, t("Actual"), metric.unit, goal.actual)
    _tile(second, t("Target"), metric.unit, metric.stored_to_value(goal.target))
    third.metric(t("Attainment"), fmt.percent(goal.attainment))
    numbers = {
        "pace": labels.pace_badge(goal.pace), "status": labels.status_label(goal.status),
        "elapsed": fmt.number(goal.elapsed_days), "days": fmt.number(goal.days),
        "expected": labels.value(key, goal.expected, whole=True),
    }  # fmt: skip
    if not goal.early:
        _tile(fourth, t("Forecast at period end"), metric.unit, goal.forecast)
        st.markdown(t("{pace} · {status} · day {elapsed} of {days} · expected by now: {expected}",
                      **numbers))  # fmt: skip
        return
    # A run rate from the first days says little: the same days of the period before instead.
    _tile(fourth, t("Previous period, same days"), metric.unit, goal.expected)
    st.markdown(t("{pace} · {status} · day {elapsed} of {days} · the previous period by this "
                  "day: {expected}", **numbers))  # fmt: skip
    st.caption(t("Early in the period, pace is measured against the same days of the previous "
                 "period instead of a run-rate forecast."))  # fmt: skip


def progress_chart(goal: GoalProgress) -> None:
    points = runtime.cached(goal_series.series, goal.id)
    if not points:
        st.info(t("The chart starts when the period does."), icon=":material/info:")
        return
    unit = metrics.REGISTRY[goal.metric_key].unit
    st.altair_chart(charts.goal_progress(points, unit), width="stretch")


def _mark_text(mark: Mark, metric_key: str) -> str:
    values = {
        name: labels.value(metric_key, amount, whole=True) for name, amount in mark.values.items()
    }
    reason = message(mark)
    if values:
        reason += " " + t(
            "Target {target}; best {best}; average {average}.",
            target=values["target"], best=values["best"], average=values["average"],
        )  # fmt: skip
    return reason


def smart_marks(marks: list[Mark], metric_key: str) -> None:
    """Five marks: met, flagged (a warning, never a block), or cannot tell yet."""
    for mark in marks:
        icon = (
            ":gray[:material/help:]" if mark.ok is None else
            ":green[:material/check_circle:]" if mark.ok else ":orange[:material/warning:]"
        )  # fmt: skip
        st.markdown(
            f"{icon} **{labels.smart_label(mark.letter)}** — {_mark_text(mark, metric_key)}"
        )


def history(goal: GoalReport) -> None:
    if not goal.revisions:
        st.caption(t("No revisions or reviews yet."))
        return
    metric = metrics.REGISTRY[goal.metric_key]

    def shown(stored: int) -> str:
        return fmt.metric_value(metric.unit, metric.stored_to_value(stored), whole=True)

    frame = pd.DataFrame(
        {
            t("When"): [fmt.moment(row.at) for row in goal.revisions],
            t("By"): [row.by for row in goal.revisions],
            t("Old target"): [shown(row.old_target) for row in goal.revisions],
            t("New target"): [shown(row.new_target) for row in goal.revisions],
            t("Reason"): [row.reason for row in goal.revisions],
        }
    )
    st.dataframe(frame, hide_index=True, width="stretch", height=table_height(len(frame)))


def review_table(found: ReviewPage, *, key: str) -> None:
    """The page's running goals with their reviews, and the pager under `key`."""
    if not found.total:
        st.info(t("No running goals to review."), icon=":material/info:")
        return
    st.caption(t("{due} of {total} running goals are due for their weekly review.",
                 due=fmt.number(found.due), total=fmt.number(found.total)))  # fmt: skip
    goal_pager(found, key)
    shown = found.rows
    frame = pd.DataFrame(
        {
            t("Team"): [row.team_name or t("Company") for row in shown],
            t("Title"): [row.title for row in shown],
            t("Owner"): [labels.owner(row) for row in shown],
            t("Pace"): [labels.pace_label(row.pace) for row in shown],
            t("Last review"): [fmt.moment(row.last_reviewed_at) for row in shown],
            t("By"): [row.last_reviewed_by or "" for row in shown],
            t("Next review"): [fmt.day(row.review_due_on) for row in shown],
            t("Due"): [t("Due now") if row.review_due else "" for row in shown],
        }
    )
    _goal_table(
        frame, [row.id for row in shown], column=t("Title"),
        hint=t("Click a title to open its goal."), key=key,
    )  # fmt: skip


def _allocation_text(node: CascadeNode) -> str:
    split = node.allocation
    if split is None:
        return ""
    if not split.summed:
        return t("Not summed: a ratio or average")
    if split.covered is not None:
        return t("Covered") if split.covered else t("Under-covered")
    gap = labels.value(node.metric_key, abs(split.gap), whole=True)
    share = fmt.percent(abs(split.gap_share))
    if split.gap < 0:
        return t("Under-covered by {amount} ({share})", amount=gap, share=share)
    if split.gap > 0:
        return t("Over-covered by {amount} ({share})", amount=gap, share=share)
    return t("Fully covered")


def cascade_table(nodes: list[CascadeNode]) -> None:
    frame = pd.DataFrame(
        {
            t("Owner"): ["　" * node.depth + labels.owner(node) for node in nodes],
            t("Target"): [labels.target(node, whole=True) for node in nodes],
            t("Actual"): [labels.value(node.metric_key, node.actual, whole=True) for node in nodes],
            t("Attainment"): [_percent(node.attainment) for node in nodes],
            t("Pace"): [labels.pace_label(node.pace) for node in nodes],
            t("Children's targets"): [_allocation_text(node) for node in nodes],
            t("Not shown"): [fmt.number(node.hidden) if node.hidden else "" for node in nodes],
        }
    )
    _goal_table(
        frame, [node.id for node in nodes], column=t("Owner"),
        hint=t("Click an owner to open that goal."), key="cascade",
    )  # fmt: skip
