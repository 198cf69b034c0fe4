"""How goals are doing, live from the metrics registry: actual, attainment, pace against the
days gone, a run-rate forecast to the period's end, and the computed status.

Early in a period a run rate from a day or two says little (one deal on the 1st projects 31),
so there a sum's pace is against the same days of the previous period, and it has no forecast.
Goals of the same metric and period share one registry query, whoever owns them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from sqlmodel import Session, col, select

from models import GoalCheckin, Rep
from models.enums import GoalStatus, OwnerKind, PeriodKind
from services.access import team_children, teams_below
from services.goals.records import GoalRow
from services.metrics import Direction, Fraction, Metric, get_metric, total
from services.metrics.compute import values_of_reps
from services.periods import Period

# Behind the expected pace by this share of it: at risk, then off track.
AT_RISK = 0.10
OFF_TRACK = 0.25
# A period's first 10 % of days, and at least its first 3, are early (see `is_early`).
EARLY_PERCENT = 10
EARLY_MIN_DAYS = 3


class Pace(StrEnum):
    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    ENDED = "ended"


BEHIND = frozenset({Pace.AT_RISK, Pace.OFF_TRACK})


@dataclass(frozen=True)
class Progress:
    """One goal's numbers, all in the metric's unit (money in minor units, ratios 0-1)."""

    target: float
    actual: float | None
    # Actual ÷ target (target ÷ actual where lower is better); None without an actual.
    attainment: float | None
    days: int
    elapsed_days: int
    # Where the actual should be today: a share of the target for sums and counts (early in
    # the period: the previous period's actual over as many days), the target itself for
    # ratios and averages.
    expected: float | None
    # How far behind the expected pace, as a share of it (negative: ahead).
    behind: float | None
    pace: Pace
    # Where the period ends at the run rate so far; None before it starts and while early.
    forecast: float | None
    status: GoalStatus
    # A running sum in its first days: paced against the same days of the previous period
    # (`expected` is what was done in them), with no run-rate forecast.
    early: bool = False


def _met(metric: Metric, value: float | None, target: float) -> bool:
    if value is None:
        return False
    return value >= target if metric.direction == Direction.HIGHER else value <= target


def _attainment(metric: Metric, actual: float | None, target: float) -> float | None:
    if actual is None:
        return None
    if metric.direction == Direction.HIGHER:
        return actual / target
    return target / actual if actual else None


def _behind(metric: Metric, actual: float, expected: float) -> float | None:
    if expected == 0:
        return None
    if metric.direction == Direction.HIGHER:
        return (expected - actual) / expected
    return (actual - expected) / expected


def _pace(behind: float | None) -> Pace:
    if behind is None:
        return Pace.ON_TRACK
    # Rounded so that exactly 10 % or 25 % behind (0.45 of a 0.5 ratio) is not left on the
    # kinder side by a float's last digit.
    behind = round(behind, 9)
    if behind < AT_RISK:
        return Pace.ON_TRACK
    return Pace.AT_RISK if behind < OFF_TRACK else Pace.OFF_TRACK


def is_early(days: int, elapsed: int) -> bool:
    """Whether `elapsed` days into a period of `days` are its first 10 %, or its first 3
    days when 10 % is fewer: days 1–3 of a period up to 39 days long (day 3 of 31 is early,
    3 ≤ 3.1; day 4 is not), days 1–9 of a 90- to 92-day quarter, days 1–36 of a year."""
    return elapsed > 0 and elapsed * 100 <= max(EARLY_MIN_DAYS * 100, days * EARLY_PERCENT)


def early_for(metric: Metric, days: int, elapsed: int) -> bool:
    """Whether the goal is paced against the previous period: only sums and counts have a
    run rate to replace; a ratio's pace is its target from the first day."""
    return metric.additive and not metric.manual and is_early(days, elapsed)


def progress_of(
    metric: Metric,
    target: float,
    actual: float | None,
    start: date,
    end: date,
    today: date,
    *,
    previous: float | None = None,
) -> Progress:
    """The pace arithmetic for one goal: linear over the period's days for sums and counts,
    the target itself for ratios; the run-rate forecast is actual × days ÷ days gone. Early
    in the period (`early_for`), a sum's expected pace is `previous` instead, the previous
    period's actual over as many days (unknown when None: no pace), and it has no forecast."""
    span = Period(PeriodKind.CUSTOM, start, end)
    days, elapsed = span.days, span.elapsed_days(today)
    attainment = _attainment(metric, actual, target)
    if elapsed == 0:
        return Progress(target, actual, attainment, days, 0, 0.0, None, Pace.NOT_STARTED, None,
                        GoalStatus.ACTIVE)  # fmt: skip
    value = actual or 0.0
    early = today <= end and early_for(metric, days, elapsed)
    if early:
        expected, forecast = previous, None
    elif metric.additive:
        expected, forecast = target * elapsed / days, value * days / elapsed
    else:
        expected, forecast = target, actual
    known = actual is not None or metric.additive
    behind = None if expected is None or not known else _behind(metric, value, expected)
    # Ended once its last day is over: on that day the goal can still be reached.
    if today > end:
        status = GoalStatus.ACHIEVED if _met(metric, actual, target) else GoalStatus.MISSED
        return Progress(target, actual, attainment, days, days, expected, behind, Pace.ENDED,
                        forecast, status)  # fmt: skip
    # A sum that reached a higher-is-better target cannot fall back: achieved early.
    reached = metric.additive and metric.direction == Direction.HIGHER and value >= target
    pace = Pace.ON_TRACK if reached else _pace(behind)
    if actual is None and not metric.additive:
        pace = Pace.ON_TRACK
    status = GoalStatus.ACHIEVED if reached else GoalStatus.ACTIVE
    return Progress(target, actual, attainment, days, elapsed, expected, behind, pace, forecast,
                    status, early)  # fmt: skip


def _reps_of_owners(
    session: Session, owners: list[tuple[int, OwnerKind, int | None]]
) -> dict[int, frozenset[int]]:
    """For each (key, owner kind, owner id): the rep, or every rep of the team and its
    sub-teams; the company is left out (every rep)."""
    teams = {owner for _key, kind, owner in owners if kind == OwnerKind.TEAM and owner is not None}
    members: dict[int, set[int]] = defaultdict(set)
    if teams:
        children = team_children(session)  # one read for every team goal, not one each
        below = {team: teams_below(children, [team]) for team in teams}
        every = sorted(set().union(*below.values()))
        rows = session.exec(select(Rep.id, Rep.team_id).where(col(Rep.team_id).in_(every))).all()
        for team, inside in below.items():
            members[team] = {
                rep for rep, rep_team in rows if rep is not None and rep_team in inside
            }
    found: dict[int, frozenset[int]] = {}
    for key, kind, owner in owners:
        if kind == OwnerKind.REP and owner is not None:
            found[key] = frozenset({owner})
        elif kind == OwnerKind.TEAM and owner is not None:
            found[key] = frozenset(members[owner])
    return found


def owner_reps(session: Session, goals: Iterable[GoalRow]) -> dict[int, frozenset[int]]:
    """The reps whose numbers make each non-company goal's actual: the rep, or every rep of
    the team and its sub-teams."""
    return _reps_of_owners(session, [(g.id, g.owner_kind, g.owner_id) for g in goals])


def reps_of_owner(
    session: Session, owner_kind: OwnerKind, owner_id: int | None
) -> frozenset[int] | None:
    """`owner_reps` of a goal not saved yet; None for the company's (every rep)."""
    return _reps_of_owners(session, [(0, owner_kind, owner_id)]).get(0)


def _latest_checkins(
    session: Session, goal_ids: list[int], start: date, end: date
) -> dict[int, int]:
    # Only the period's days count, as for the registry's manual metrics.
    rows = session.exec(
        select(GoalCheckin.goal_id, GoalCheckin.value)
        .where(
            col(GoalCheckin.goal_id).in_(goal_ids),
            col(GoalCheckin.checked_on) >= start,
            col(GoalCheckin.checked_on) <= end,
        )
        .order_by(col(GoalCheckin.checked_on), col(GoalCheckin.id))
    ).all()
    return dict(rows)  # the last row per goal wins: the newest check-in


def actuals(session: Session, goals: Sequence[GoalRow]) -> dict[int, float | None]:
    """Each goal's actual for its whole period, in the metric's unit; None when the metric
    has no value (a ratio with nothing to divide, a manual metric without check-ins).

    The caller has checked the actor may read these goals."""
    owners = owner_reps(session, goals)
    batches: dict[tuple[str, date, date], list[GoalRow]] = defaultdict(list)
    for goal in goals:
        batches[(goal.metric_key, goal.period_start, goal.period_end)].append(goal)
    found: dict[int, float | None] = {}
    for (key, start, end), batch in batches.items():
        metric = get_metric(key)
        if metric.manual:
            latest = _latest_checkins(session, [goal.id for goal in batch], start, end)
            found |= {g.id: _checked(metric, latest.get(g.id)) for g in batch}
            continue
        every = None if any(g.id not in owners for g in batch) else frozenset().union(
            *(owners[g.id] for g in batch)
        )  # fmt: skip
        per_rep = values_of_reps(session, key, Period(PeriodKind.CUSTOM, start, end), every)
        for goal in batch:
            reps = owners.get(goal.id)
            parts = per_rep.values() if reps is None else [per_rep.get(r) for r in reps]
            summed = total([p for p in parts if isinstance(p, Fraction)], ratio=not metric.additive)
            found[goal.id] = summed.value
    return found


def _checked(metric: Metric, stored: int | None) -> float | None:
    return None if stored is None else metric.stored_to_value(stored)


def same_days_before(goal: GoalRow, today: date) -> Period:
    """The previous period's span as long as the days of the goal's period gone by `today`
    (`Period.comparison`: cut at its end when it is shorter)."""
    # A quarter or year starting in month m is one of a fiscal year starting in m.
    period = Period(goal.period_kind, goal.period_start, goal.period_end, goal.period_start.month)
    return period.comparison(today)


def _previous_actuals(
    session: Session, goals: Sequence[GoalRow], today: date
) -> dict[int, float | None]:
    """For each goal early in its period, its actual over the same days before: one registry
    query per metric and period, as for the actuals."""
    early = []
    for goal in goals:
        metric = get_metric(goal.metric_key)
        span = Period(PeriodKind.CUSTOM, goal.period_start, goal.period_end)
        if span.contains(today) and early_for(metric, span.days, span.elapsed_days(today)):
            before = same_days_before(goal, today)
            early.append(replace(goal, period_start=before.start, period_end=before.end))
    return actuals(session, early) if early else {}


def progress(session: Session, goals: Sequence[GoalRow], today: date) -> dict[int, Progress]:
    """Progress of each goal on `today`; those early in their period against the same days of
    the previous one."""
    values = actuals(session, goals)
    before = _previous_actuals(session, goals, today)
    result = {}
    for goal in goals:
        metric = get_metric(goal.metric_key)
        target = metric.stored_to_value(goal.target)
        result[goal.id] = progress_of(
            metric, target, values[goal.id], goal.period_start, goal.period_end, today,
            previous=before.get(goal.id),
        )  # fmt: skip
    return result
