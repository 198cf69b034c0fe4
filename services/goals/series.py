"""A goal's progress over its period for the chart: the actual so far (cumulative for sums,
running ratio for ratios), the pace line and the target, per day or, for long periods, per
month."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, col, select

from models import GoalCheckin
from models.enums import PeriodKind
from services import settings
from services.access import Actor
from services.goals import records as goals
from services.goals.progress import owner_reps
from services.goals.records import GoalFile
from services.metrics import Fraction, Metric, get_metric, total
from services.metrics.compute import buckets_of_reps
from services.periods import Period

# Up to a quarter the chart has a point a day; longer periods a point a month.
DAILY_UP_TO_DAYS = 92


@dataclass(frozen=True, slots=True)
class SeriesPoint:
    """One point of the chart, in the metric's unit: the actual so far (None: no value yet),
    where the pace line stands that day, and the target."""

    day: date
    actual: float | None
    pace: float
    target: float


def _month_end(first: date) -> date:
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def _pace_at(metric: Metric, target: float, start: date, end: date, day: date) -> float:
    if not metric.additive:
        return target
    return target * ((day - start).days + 1) / ((end - start).days + 1)


def _cumulative(
    metric: Metric, buckets: dict[str, Fraction], days: list[tuple[str, date]]
) -> list[tuple[date, float | None]]:
    empty = total([], ratio=not metric.additive)
    running, points = empty, []
    for name, day in days:
        running = running + buckets.get(name, empty)
        points.append((day, running.value))
    return points


def _computed(
    session: Session, metric: Metric, goal: GoalFile, last: date
) -> list[tuple[date, float | None]]:
    start, end = goal.period_start, goal.period_end
    reps = owner_reps(session, [goal]).get(goal.id)
    daily = (end - start).days + 1 <= DAILY_UP_TO_DAYS
    period = Period(PeriodKind.CUSTOM, start, last)
    buckets = buckets_of_reps(session, metric.key, period, reps, daily=daily)
    if daily:
        days = [start + timedelta(days=n) for n in range((last - start).days + 1)]
        return _cumulative(metric, buckets, [(day.isoformat(), day) for day in days])
    months = [(first.strftime("%Y-%m"), min(_month_end(first), last)) for first in
              period.month_starts()]  # fmt: skip
    return _cumulative(metric, buckets, months)


def _checkins(
    session: Session, metric: Metric, goal_id: int, start: date, last: date
) -> list[tuple[date, float | None]]:
    rows = session.exec(
        select(GoalCheckin.checked_on, GoalCheckin.value)
        .where(
            col(GoalCheckin.goal_id) == goal_id,
            # Points lie within the chart's days, like the computed metrics'.
            col(GoalCheckin.checked_on) >= start,
            col(GoalCheckin.checked_on) <= last,
        )
        .order_by(col(GoalCheckin.checked_on), col(GoalCheckin.id))
    ).all()
    latest = dict(rows)  # the newest check-in of a day wins
    return [(day, metric.stored_to_value(value)) for day, value in latest.items()]


def series(session: Session, actor: Actor, goal_id: int) -> list[SeriesPoint]:
    """Points (day, actual, pace, target) from the period's start to today or its end, for
    a goal the actor may read; empty before the period starts, or for a metric with no
    trend (retention compares whole periods). NotFound or PermissionDenied."""
    goal = goals.get(session, actor, goal_id)
    metric = get_metric(goal.metric_key)
    start, end = goal.period_start, goal.period_end
    last = min(settings.office_today(session), end)
    if last < start or not (metric.monthly or metric.manual):
        return []
    target = metric.stored_to_value(goal.target)
    actual = (
        _checkins(session, metric, goal_id, start, last)
        if metric.manual
        else _computed(session, metric, goal, last)
    )
    return [
        SeriesPoint(day, value, _pace_at(metric, target, start, end, day), target)
        for day, value in actual
    ]
