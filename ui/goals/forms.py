"""Goal forms: a new goal with its SMART check as it is typed; revising the target with a
reason (or recording a review that keeps it); editing words and parent; check-ins; archive."""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from services import metrics, periods
from services.access import Actor
from services.customers import records as customers
from services.goals import records as goals
from services.goals import rules, smart
from services.goals.records import GoalRow
from services.people import teams
from services.periods import Period, PeriodKind
from ui import edits, runtime
from ui import format as fmt
from ui.choice import labels_now
from ui.errors import attempt
from ui.feedback import flash, forget_form
from ui.goals import labels
from ui.goals.view import GOAL_PAGE, smart_marks
from ui.i18n import t
from ui.period import fiscal_start, office_today
from ui.text import plain

NO_PARENT = 0
METRIC_KEYS = [metric.key for metric in metrics.METRICS]


def unit_hint(metric_key: str) -> str:
    """What a target or value of the metric is typed in: the currency, %, a scale, days."""
    metric = metrics.REGISTRY[metric_key]
    if metric.unit == metrics.Unit.MONEY:
        return runtime.currency()
    if metric.unit == metrics.Unit.RATIO:
        return "%"
    if metric.unit == metrics.Unit.SCORE and metric.scale:
        return f"{metric.scale[0]} – {metric.scale[1]}"
    if metric.unit == metrics.Unit.DAYS:
        return t("days")
    return t("count")


def _target_label(metric_key: str) -> str:
    return t("Target ({unit})", unit=plain(unit_hint(metric_key)))


def typed(metric_key: str, stored: int) -> str:
    """A stored target as the user would type it."""
    return f"{rules.typed_target(metrics.REGISTRY[metric_key], stored).normalize():f}"


def _owner(actor: Actor, key: str) -> tuple[str, int | None]:
    kinds = ["company", "team", "rep"] if actor.is_admin else ["team", "rep"]
    kind = st.selectbox(
        t("Goal for"), kinds, format_func=labels_now(kinds, labels.owner_kind_label),
        key=f"{key}kind",
    )  # fmt: skip
    if kind == "company":
        return kind, None
    choices = dict(
        runtime.cached(teams.list_teams)
        if kind == "team"
        else runtime.cached(customers.owner_choices)
    )
    if not choices:
        st.warning(t("There is nobody you may set such a goal for."), icon="⚠️")
        return kind, None
    owner = st.selectbox(
        t("Owner"), list(choices), format_func=choices.__getitem__, key=f"{key}owner"
    )
    return kind, owner


def _period(key: str) -> Period | None:
    kind = st.selectbox(
        t("Period"), list(labels.PERIOD_KIND_LABELS),
        format_func=labels_now(list(labels.PERIOD_KIND_LABELS), labels.period_kind_label),
        key=f"{key}period_kind",
    )  # fmt: skip
    today = office_today()
    if kind != PeriodKind.CUSTOM:
        day = st.date_input(t("Any day in the period"), value=today, key=f"{key}day")
        return periods.containing(PeriodKind(kind), day, fiscal_start())
    chosen = st.date_input(t("From and to"), value=(today, today), key=f"{key}range")
    if not isinstance(chosen, tuple) or len(chosen) != 2:
        st.caption(t("Choose the first and the last day."))
        return None
    return Period(PeriodKind.CUSTOM, chosen[0], chosen[1], fiscal_start())


def _parent(draft: dict[str, Any], period: Period, key: str) -> int | None:
    choices = dict(
        runtime.cached(
            rules.parent_choices, owner_kind=draft["owner_kind"], owner_id=draft["owner_id"],
            metric_key=draft["metric_key"], period=period,
        )
    )  # fmt: skip
    options = [NO_PARENT, *choices]
    chosen = st.selectbox(
        t("Parent goal"), options, key=f"{key}parent",
        format_func=labels_now(options, lambda goal_id: choices.get(goal_id, t("None"))),
    )  # fmt: skip
    return None if chosen == NO_PARENT else chosen


def _follow(title_key: str, suggested: str) -> str:
    """Let the title box under `title_key` follow the suggestion made from the metric and the
    period while it holds the last suggestion or nothing; a title of the user's own stays.
    Returns the key."""
    last_key = f"{title_key}_suggested"
    last = st.session_state.get(last_key, "")
    if st.session_state.get(title_key, last) in (last, ""):
        st.session_state[title_key] = suggested
    st.session_state[last_key] = suggested
    return title_key


def new_goal_form(actor: Actor, *, key: str) -> None:
    """The fields of a new goal, the SMART check live beside them, and Save."""
    fields, check = st.columns([3, 2])
    with fields:
        owner_kind, owner_id = _owner(actor, key)
        metric_key = st.selectbox(
            t("Metric"), METRIC_KEYS, format_func=labels_now(METRIC_KEYS, labels.metric_label),
            key=f"{key}metric",
        )  # fmt: skip
        period = _period(key)
        target = st.text_input(_target_label(metric_key), key=f"{key}target")
        draft: dict[str, Any] = {
            "owner_kind": owner_kind, "owner_id": owner_id, "metric_key": metric_key,
            "target": target, "period_kind": period.kind if period else PeriodKind.CUSTOM,
            "period_start": period.start if period else None,
            "period_end": period.end if period else None,
        }  # fmt: skip
        owned = owner_kind != "company" and owner_id is not None
        draft["parent_id"] = _parent(draft, period, key) if period and owned else None
        suggested = (
            f"{labels.metric_label(metric_key)} {fmt.period_label(period)}" if period else ""
        )
        draft["title"] = st.text_input(t("Title"), key=_follow(f"{key}title", suggested))
        draft["description"] = st.text_area(t("Description"), key=f"{key}description")
    with check:
        st.markdown(t("**SMART check**"))
        if owner_kind == "company" or owner_id is not None:
            smart_marks(runtime.cached(smart.check_draft, draft=draft), metric_key)
            st.caption(t("Flags are warnings: you may still save the goal."))
    if st.button(t("Save goal"), type="primary", key=f"{key}save"):
        saved, goal = attempt(goals.create, data=draft)
        if saved and goal is not None:
            forget_form(key)
            flash(t("Goal saved."))
            st.switch_page(GOAL_PAGE, query_params={"id": str(goal.id)})


def revise_form(goal: GoalRow, *, key: str) -> None:
    record = edits.opened("goals", goal.id, goal.version)
    with st.form(f"{key}form"):
        target = st.text_input(
            _target_label(goal.metric_key), value=typed(goal.metric_key, goal.target)
        )
        reason = st.text_area(t("Reason"), help=t("Kept in the goal's history."))
        st.caption(t("Keep the target to record a review."))
        if st.form_submit_button(t("Save revision"), type="primary"):
            saved, _ = edits.save(
                goals.revise, record, goal_id=goal.id, target=target, reason=reason
            )
            if saved:
                flash(t("Revision saved."))
                st.rerun()


def edit_form(goal: GoalRow, *, key: str) -> None:
    record = edits.opened("goals", goal.id, goal.version)
    with st.form(f"{key}form"):
        title = st.text_input(t("Title"), value=goal.title)
        description = st.text_area(t("Description"), value=goal.description or "")
        if st.form_submit_button(t("Save")):
            data = {"title": title, "description": description, "parent_id": goal.parent_id}
            saved, _ = edits.save(goals.update, record, goal_id=goal.id, data=data)
            if saved:
                flash(t("Goal saved."))
                st.rerun()


def checkin_form(goal: GoalRow, *, key: str) -> None:
    with st.form(f"{key}form"):
        checked_on: date = st.date_input(t("Day"), value=office_today())
        value = st.text_input(t("Value ({unit})", unit=plain(unit_hint(goal.metric_key))))
        note = st.text_input(t("Note"))
        if st.form_submit_button(t("Add check-in")):
            saved, _ = attempt(
                goals.add_checkin, goal_id=goal.id, checked_on=checked_on, value=value,
                note=note,
            )  # fmt: skip
            if saved:
                flash(t("Check-in saved."))
                st.rerun()


def archive_button(goal: GoalRow, *, key: str) -> None:
    archived = goal.archived_at is not None
    label = t("Restore goal") if archived else t("Archive goal")
    record = edits.opened("goals", goal.id, goal.version)
    if st.button(label, key=f"{key}archive"):
        service = goals.unarchive if archived else goals.archive
        saved, _ = edits.save(service, record, goal_id=goal.id)
        if saved:
            flash(t("Goal restored.") if archived else t("Goal archived."))
            st.rerun()
