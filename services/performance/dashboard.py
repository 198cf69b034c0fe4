"""What Home shows for a period and a scope: KPI tiles, the revenue trend, attainment by rep."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from services import metrics, settings
from services.access import Actor
from services.goals import targets
from services.metrics import Direction, Fraction, Metric, Unit, total
from services.metrics.compute import values_of_reps, visible_reps
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
) -> list[Tile]:
    """Each KPI now, in the previous period, and its target where a goal covers the scope.
    The scope and the targets are read once, then two queries per KPI, whatever the number
    of reps or goals. PermissionDenied (audited) for a team outside the actor's teams."""
    reps = visible_reps(session, actor, _reps(session, actor, team_id))
    goals = targets.scope_targets(session, actor, keys, period, team_id=team_id)
    tiles = []
    for key in keys:
        metric = metrics.get_metric(key)
        now, before = (
            _scope_value(session, metric, when, reps) for when in (period, period.previous())
        )
        tiles.append(
            Tile(
                key, metric.label, metric.description, metric.unit, metric.direction,
                now.value, before.value, goals[key],
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
    value: float | None


def revenue_trend(
    session: Session, actor: Actor, period: Period, *, team_id: int | None = None
) -> list[TrendPoint]:
    """Revenue per month of the fiscal year holding the period's end, and of the year before.

    Months still to come have no value, so the line stops at this month instead of dropping
    to zero. PermissionDenied (audited) for a team outside the actor's teams.
    """
    reps = _reps(session, actor, team_id)
    this_year = containing(PeriodKind.YEAR, period.end, period.fiscal_start_month)
    this_month = settings.office_today(session).strftime("%Y-%m")
    points = []
    for year in (this_year.previous(), this_year):
        months = metrics.by_month(session, actor, "revenue", year, rep_ids=reps)
        for number, (month, fraction) in enumerate(sorted(months.items()), start=1):
            value = None if month > this_month else fraction.value
            points.append(TrendPoint(number, year.start.year, month, value))
    return points


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
