"""The SMART check: five marks with a reason each, for a goal being typed or a saved one.

Achievable compares the target with what the owner did in comparable past periods: far
above their best, or far below their average, is flagged (a warning, never a block).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, func, select

from models import GoalCheckin
from models.base import N_, FieldProblem
from models.enums import OwnerKind, PeriodKind
from models.goals import stored_target
from services import settings
from services.access import Actor
from services.errors import ValidationError
from services.goals import records as goals
from services.goals import rules
from services.goals.progress import owner_reps, reps_of_owner
from services.metrics import Direction, Metric, get_metric, total
from services.metrics.compute import values_of_reps
from services.periods import Period

# A target this many times the best past period is far above anything done ...
FAR_ABOVE_BEST = 1.5
# ... and one below this share of the average asks for less than usual.
FAR_BELOW_AVERAGE = 0.7
# How many past periods of the same length are compared.
PAST_PERIODS = {PeriodKind.MONTH: 6, PeriodKind.QUARTER: 4, PeriodKind.YEAR: 3}
PAST_CUSTOM = 3


@dataclass(frozen=True)
class Mark:
    """One letter of SMART: `ok` True, False, or None when it cannot be told yet. `values`
    are numbers in the metric's unit for the message (formatted where shown)."""

    letter: str
    ok: bool | None
    msgid: str
    params: dict[str, Any] = field(default_factory=dict)
    values: dict[str, float] = field(default_factory=dict)


def _specific(title: object, metric_key: object, owner_kind: object, owner_id: object) -> Mark:
    owned = owner_kind == OwnerKind.COMPANY or owner_id
    if not (str(title or "").strip() and metric_key and owned):
        return Mark("S", False, N_("It needs a title, a metric and an owner."))
    return Mark("S", True, N_("Title, metric and owner are set."))


def _measurable(metric: Metric, checkins: int | None) -> Mark:
    if not metric.manual:
        return Mark("M", True, N_("Computed from the data by the metrics registry."))
    if checkins:
        return Mark(
            "M", True, N_("Entered by hand: {count} check-ins so far."), {"count": checkins}
        )
    return Mark("M", False, N_("Entered by hand: it needs check-ins to be measured."))


def _past_periods(period: Period) -> list[Period]:
    count = PAST_PERIODS.get(period.kind, PAST_CUSTOM)
    past, current = [], period
    for _ in range(count):
        current = current.previous()
        past.append(current)
    return past


def _past_values(
    session: Session, metric: Metric, reps: frozenset[int] | None, period: Period
) -> list[float]:
    values = []
    for past in _past_periods(period):
        per_rep = values_of_reps(session, metric.key, past, reps)
        value = total(list(per_rep.values()), ratio=not metric.additive).value
        if value is not None and (value or not metric.additive):
            values.append(value)
    return values


def _achievable(metric: Metric, target: float | None, past: list[float]) -> Mark:
    if target is None:
        return Mark("A", None, N_("Enter a valid target to compare it with the past."))
    if metric.manual or not past:
        return Mark("A", None, N_("No comparable past periods to compare with."))
    higher = metric.direction == Direction.HIGHER
    best = max(past) if higher else min(past)
    average = sum(past) / len(past)
    values = {"target": target, "best": best, "average": average}
    params = {"periods": len(past)}
    stretch = target > best * FAR_ABOVE_BEST if higher else target < best / FAR_ABOVE_BEST
    if stretch:
        return Mark(
            "A", False, N_("Far beyond the best of the last {periods} periods."), params, values
        )
    easy = target < average * FAR_BELOW_AVERAGE if higher else target > average / FAR_BELOW_AVERAGE
    if easy:
        return Mark(
            "A", False, N_("Far easier than the average of the last {periods} periods."),
            params, values,
        )  # fmt: skip
    return Mark("A", True, N_("In reach of the last {periods} periods."), params, values)


def _relevant(owner_kind: object, parent_id: object) -> Mark:
    if owner_kind == OwnerKind.COMPANY:
        return Mark("R", True, N_("A company goal."))
    if parent_id:
        return Mark("R", True, N_("Linked to a goal above it."))
    return Mark("R", False, N_("Not linked to a team or company goal."))


def _time_bound(period: Period | None) -> Mark:
    if period is None:
        return Mark("T", False, N_("Choose the period it ends with."))
    # The date as a value: the ui writes it for the user's language.
    return Mark("T", True, N_("Ends on {end}."), {"end": period.end})


def _typed(metric: Metric, value: Any) -> float | None:
    try:
        return metric.stored_to_value(stored_target(value, rules.target_rule(metric)))
    except FieldProblem:
        return None


def check_draft(session: Session, actor: Actor, *, draft: dict[str, Any]) -> list[Mark]:
    """The marks for a goal being typed: `draft` as for goals.create (target typed). Reads
    the owner's past numbers, so the owner must be one the actor may set goals for."""
    metric = get_metric(str(draft.get("metric_key")))
    kind = PeriodKind(draft.get("period_kind", PeriodKind.CUSTOM))
    try:
        period = rules.goal_period(
            session, kind, draft.get("period_start"), draft.get("period_end")
        )
    except ValidationError:
        period = None
    owner_kind = OwnerKind(draft["owner_kind"])
    rules.require_owner(session, actor, owner_kind, draft.get("owner_id"))
    target = _typed(metric, draft.get("target"))
    past: list[float] = []
    if period is not None and (owner_kind == OwnerKind.COMPANY or draft.get("owner_id")):
        reps = reps_of_owner(session, owner_kind, draft.get("owner_id"))
        past = _past_values(session, metric, reps, period)
    return [
        _specific(draft.get("title"), draft.get("metric_key"), owner_kind, draft.get("owner_id")),
        _measurable(metric, 0),
        _achievable(metric, target, past),
        _relevant(owner_kind, draft.get("parent_id")),
        _time_bound(period),
    ]


def check(session: Session, actor: Actor, goal_id: int) -> list[Mark]:
    """The marks for a saved goal the actor may read; NotFound or PermissionDenied."""
    goal = goals.get(session, actor, goal_id)
    metric = get_metric(goal.metric_key)
    fiscal = settings.fiscal_year_start_month(session)
    period = Period(goal.period_kind, goal.period_start, goal.period_end, fiscal)
    reps = owner_reps(session, [goal]).get(goal_id)
    checkins = session.exec(select(func.count()).where(col(GoalCheckin.goal_id) == goal_id)).one()
    return [
        _specific(goal.title, goal.metric_key, goal.owner_kind, goal.owner_id),
        _measurable(metric, checkins),
        _achievable(metric, metric.stored_to_value(goal.target), _past_values(
            session, metric, reps, period
        )),
        _relevant(goal.owner_kind, goal.parent_id),
        _time_bound(period),
    ]  # fmt: skip
