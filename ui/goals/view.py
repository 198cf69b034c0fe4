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
from ui.tables import table_height

GOAL_URL = "goal?id={id}"


def _link_column() -> dict[str, Any]:
    return {t("Goal"): st.column_config.LinkColumn(t("Goal"), display_text=t("Open"))}


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


def goals_table(found: GoalPage, *, key: str) -> None:
    """The page's goals with their progress, and the pager under `key`."""
    if not found.total:
        st.info(t("No goals match. Add one, or choose another period."), icon=":material/info:")
        return
    goal_pager(found, key)
    shown = found.rows
    frame = pd.DataFrame(
        {
            t("Goal"): [GOAL_URL.format(id=row.id) for row in shown],
            t("Title"): [row.title for row in shown],
            t("Owner"): [labels.owner(row) for row in shown],
            t("Metric"): [labels.metric_label(row.metric_key) for row in shown],
            t("Period"): [labels.period_of(row) for row in shown],
            t("Target"): [labels.target(row) for row in shown],
            t("Actual"): [labels.value(row.metric_key, row.actual) for row in shown],
            t("Attainment"): [_percent(row.attainment) for row in shown],
            t("Pace"): [labels.pace_label(row.pace) for row in shown],
            t("Forecast"): [labels.value(row.metric_key, row.forecast) for row in shown],
            t("Status"): [labels.status_label(row.status) for row in shown],
        }
    )
    config = _link_column() | {t("Attainment"): _attainment_column()}
    st.dataframe(
        frame, hide_index=True, width="stretch", height=table_height(len(frame)),
        column_config=config,
    )  # fmt: skip


def progress_tiles(goal: GoalProgress) -> None:
    key = goal.metric_key
    first, second, third, fourth = st.columns(4)
    first.metric(t("Actual"), labels.value(key, goal.actual))
    second.metric(t("Target"), labels.target(goal))
    third.metric(t("Attainment"), fmt.percent(goal.attainment))
    fourth.metric(t("Forecast at period end"), labels.value(key, goal.forecast))
    st.markdown(
        t(
            "{pace} · {status} · day {elapsed} of {days} · expected by now: {expected}",
            pace=labels.pace_badge(goal.pace),
            status=labels.status_label(goal.status),
            elapsed=fmt.number(goal.elapsed_days),
            days=fmt.number(goal.days),
            expected=labels.value(key, goal.expected),
        )
    )


def progress_chart(goal: GoalProgress) -> None:
    points = runtime.cached(goal_series.series, goal.id)
    if not points:
        st.info(t("The chart starts when the period does."), icon=":material/info:")
        return
    unit = metrics.REGISTRY[goal.metric_key].unit
    st.altair_chart(charts.goal_progress(points, unit), width="stretch")


def _mark_text(mark: Mark, metric_key: str) -> str:
    values = {name: labels.value(metric_key, amount) for name, amount in mark.values.items()}
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
        return fmt.metric_value(metric.unit, metric.stored_to_value(stored))

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
            t("Goal"): [GOAL_URL.format(id=row.id) for row in shown],
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
    st.dataframe(
        frame, hide_index=True, width="stretch", height=table_height(len(frame)),
        column_config=_link_column(),
    )  # fmt: skip


def _allocation_text(node: CascadeNode) -> str:
    split = node.allocation
    if split is None:
        return ""
    if not split.summed:
        return t("Not summed: a ratio or average")
    if split.covered is not None:
        return t("Covered") if split.covered else t("Under-covered")
    gap = labels.value(node.metric_key, abs(split.gap))
    share = fmt.percent(abs(split.gap_share))
    if split.gap < 0:
        return t("Under-covered by {amount} ({share})", amount=gap, share=share)
    if split.gap > 0:
        return t("Over-covered by {amount} ({share})", amount=gap, share=share)
    return t("Fully covered")


def cascade_table(nodes: list[CascadeNode]) -> None:
    frame = pd.DataFrame(
        {
            t("Goal"): [GOAL_URL.format(id=node.id) for node in nodes],
            t("Owner"): ["　" * node.depth + labels.owner(node) for node in nodes],
            t("Target"): [labels.target(node) for node in nodes],
            t("Actual"): [labels.value(node.metric_key, node.actual) for node in nodes],
            t("Attainment"): [_percent(node.attainment) for node in nodes],
            t("Pace"): [labels.pace_label(node.pace) for node in nodes],
            t("Children's targets"): [_allocation_text(node) for node in nodes],
            t("Not shown"): [node.hidden or "" for node in nodes],
        }
    )
    config = _link_column() | {t("Attainment"): _attainment_column()}
    st.dataframe(
        frame, hide_index=True, width="stretch", height=table_height(len(frame)),
        column_config=config,
    )  # fmt: skip
