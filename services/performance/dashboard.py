"""What Home shows for a period and a scope: KPI tiles, the revenue trend, attainment by rep."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, col

from models import Deal
from services import metrics, settings
from services.access import Actor
from services.goals import targets
from services.metrics import Direction, Fraction, Metric, Unit, total
from services.metrics.compute import buckets_of_reps, values_of_reps, visible_reps
from services.metrics.sql import local_date_of
from services.people import teams
from services.periods import Period, PeriodKind, containing

KPI_KEYS = (
    "revenue", "deals_won", "win_rate", "avg_deal_size",
    "new_customers", "csat", "nps", "complaints_opened",
)  # fmt: skip


@dataclass(frozen=True)
class Tile:
    key: str
    label: str  # msgid
    description: str  # msgid
    unit: Unit
    direction: Direction
    value: float | None
    previous: float | None
    target: float | None
    # The span `previous` covers: the same days of the previous period while this one runs.
    compared_with: Period

    @property
    def attainment(self) -> float | None:
        return attainment(self.value, self.target, self.direction)


def attainment(actual: float | None, target: float | None, direction: Direction) -> float | None:
    """Actual over target (target over actual when lower is better); None without a target."""
    if actual is None or not target:
        return None
    if direction == Direction.LOWER:
        return target / actual if actual else None
    return actual / target


def _reps(session: Session, actor: Actor, team_id: int | None) -> frozenset[int] | None:
    return None if team_id is None else teams.rep_ids_of_team(session, actor, team_id)


def kpi_tiles(
    session: Session,
    actor: Actor,
    period: Period,
    *,
    team_id: int | None = None,
    keys: tuple[str, ...] = KPI_KEYS,
    today: date | None = None,
) -> list[Tile]:
    """Each KPI in the period, its target where a goal covers the scope, and the same KPI
    like for like before: while the period runs on `today` (the office's date unless given),
    over the same days of the previous period (`Period.comparison`); else over all of it.
    The scope and the targets are read once, then two queries per KPI, whatever the number
    of reps or goals. PermissionDenied (audited) for a team outside the actor's teams."""
    reps = visible_reps(session, actor, _reps(session, actor, team_id))
    goals = targets.scope_targets(session, actor, keys, period, team_id=team_id)
    compared_with = period.comparison(today or settings.office_today(session))
    tiles = []
    for key in keys:
        metric = metrics.get_metric(key)
        now, before = (
            _scope_value(session, metric, when, reps) for when in (period, compared_with)
        )
        tiles.append(
            Tile(
                key, metric.label, metric.description, metric.unit, metric.direction,
                now.value, before.value, goals[key], compared_with,
            )
        )  # fmt: skip
    return tiles


def _scope_value(
    session: Session, metric: Metric, period: Period, reps: frozenset[int] | None
) -> Fraction:
    # `metrics.scope_value` without its access check: `kpi_tiles` has made it once.
    values = values_of_reps(session, metric.key, period, reps)
    return total(list(values.values()), ratio=not metric.additive)


@dataclass(frozen=True)
class TrendPoint:
    month_number: int  # 1 = the fiscal year's first month
    year_start: int  # the calendar year its fiscal year starts in
    month: str  # 'YYYY-MM'
    # None for a month still to come or before the scope's first deal: no data, not zero.
    value: float | None
    # The month holding the office's date: its value so far, not the whole month's.
    to_date: bool = False


def revenue_trend(
    session: Session,
    actor: Actor,
    period: Period,
    *,
    team_id: int | None = None,
    today: date | None = None,
) -> list[TrendPoint]:
    """Revenue per month of the fiscal year holding the period's end, and of the year before.

    Months still to come, and months before the scope's first deal (opened or closed), have
    no value, so the lines are gaps there instead of zeros; the month of `today` (the office's
    date unless given) is marked as counted so far. A query for the data's start and one per
    year, however many months.
    PermissionDenied (audited) for a team outside the actor's teams.
    """
    reps = visible_reps(session, actor, _reps(session, actor, team_id))
    this_year = containing(PeriodKind.YEAR, period.end, period.fiscal_start_month)
    this_month = (today or settings.office_today(session)).strftime("%Y-%m")
    first = _first_deal_day(session, reps)
    first_month = first.strftime("%Y-%m") if first else None
    points = []
    for year in (this_year.previous(), this_year):
        months = buckets_of_reps(session, "revenue", year, reps)
        for number, (month, fraction) in enumerate(sorted(months.items()), start=1):
            without_data = first_month is None or month < first_month or month > this_month
            value = None if without_data else fraction.value
            points.append(TrendPoint(number, year.start.year, month, value, month == this_month))
    return points


def _first_deal_day(session: Session, reps: frozenset[int] | None) -> date | None:
    """The office's day the scope's first deal was opened or closed: the data's start."""
    opened = local_date_of(col(Deal.created_at), settings.timezone(session))
    query = sa.select(sa.func.min(opened), sa.func.min(col(Deal.closed_on))).where(
        col(Deal.archived_at).is_(None)
    )
    if reps is not None:
        query = query.where(col(Deal.rep_id).in_(sorted(reps)))
    days = [day for day in session.connection().execute(query).one() if day is not None]
    return min(days) if days else None


@dataclass(frozen=True)
class RepResult:
    rep_id: int
    name: str
    actual: float | None
    target: float | None
    attainment: float | None


def rep_results(
    session: Session, actor: Actor, key: str, period: Period, *, team_id: int | None = None
) -> list[RepResult]:
    """Every rep in scope with an actual or a target, best attainment (then actual) first.
    PermissionDenied (audited) for a team outside the actor's teams."""
    metric = metrics.get_metric(key)
    reps = _reps(session, actor, team_id)
    actuals = metrics.by_rep(session, actor, key, period, rep_ids=reps)
    goals = targets.rep_targets(session, actor, key, period, rep_ids=reps)
    names = metrics.rep_names(session, actor, set(actuals) | set(goals))
    results = []
    for rep_id, name in names.items():
        fraction = actuals.get(rep_id)
        actual = fraction.value if fraction else (0 if metric.additive else None)
        target = goals.get(rep_id)
        results.append(
            RepResult(rep_id, name, actual, target, attainment(actual, target, metric.direction))
        )
    sign = -1 if metric.direction == Direction.HIGHER else 1
    results.sort(
        key=lambda r: (
            r.attainment is None,
            -(r.attainment or 0),
            r.actual is None,
            sign * (r.actual or 0),
            r.name,
        )
    )
    return results
