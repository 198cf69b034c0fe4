"""Goal words as users read them: pace, status, owner kinds, period kinds, SMART letters,
and a goal's owner, period, target and progress numbers formatted in its metric's unit."""

from __future__ import annotations

from services import metrics
from services.goals.records import GoalRow
from services.periods import Period
from ui import format as fmt
from ui.i18n import N_, t
from ui.period import fiscal_start

PACE_LABELS = {
    "not_started": N_("Not started"), "on_track": N_("On track"), "at_risk": N_("At risk"),
    "off_track": N_("Off track"), "ended": N_("Ended"),
}  # fmt: skip
# Streamlit markdown colours: a pace reads at a glance where markdown is shown.
PACE_COLOURS = {
    "not_started": "gray", "on_track": "green", "at_risk": "orange", "off_track": "red",
    "ended": "blue",
}  # fmt: skip
STATUS_LABELS = {"active": N_("Active goal"), "achieved": N_("Achieved"), "missed": N_("Missed")}
OWNER_KIND_LABELS = {"company": N_("Company"), "team": N_("Team"), "rep": N_("Rep")}
PERIOD_KIND_LABELS = {
    "month": N_("Month"), "quarter": N_("Quarter"), "year": N_("Year"), "custom": N_("Custom"),
}  # fmt: skip
SMART_LABELS = {
    "S": N_("Specific"), "M": N_("Measurable"), "A": N_("Achievable"), "R": N_("Relevant"),
    "T": N_("Time-bound"),
}  # fmt: skip


def pace_label(pace: str) -> str:
    return t(PACE_LABELS[pace])


def pace_badge(pace: str) -> str:
    """The pace as coloured markdown (our own words only, never user text)."""
    return f":{PACE_COLOURS[pace]}-badge[{pace_label(pace)}]"


def status_label(status: str) -> str:
    return t(STATUS_LABELS[status])


def owner_kind_label(kind: str) -> str:
    return t(OWNER_KIND_LABELS[kind])


def period_kind_label(kind: str) -> str:
    return t(PERIOD_KIND_LABELS[kind])


def smart_label(letter: str) -> str:
    return t(SMART_LABELS[letter])


def metric_label(key: str) -> str:
    return t(metrics.REGISTRY[key].label)


def owner(row: GoalRow) -> str:
    """Who the goal is for: the company, or the team's or rep's name."""
    if row.owner_kind == "company":
        return t("Company")
    return str(row.owner_name or "—")


def period_of(row: GoalRow) -> str:
    return fmt.period_label(
        Period(row.period_kind, row.period_start, row.period_end, fiscal_start())
    )


def value(key: str, amount: float | None, *, whole: bool = False) -> str:
    """A number in the metric's unit (money in minor units, ratios 0-1); `whole` currency
    units for table cells."""
    return fmt.metric_value(metrics.REGISTRY[key].unit, amount, whole=whole)


def target(row: GoalRow, *, whole: bool = False) -> str:
    metric = metrics.REGISTRY[row.metric_key]
    return fmt.metric_value(metric.unit, metric.stored_to_value(row.target), whole=whole)
