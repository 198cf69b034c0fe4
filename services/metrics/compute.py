"""Computing registry metrics in SQL for the reps an actor may see, and rolling them up."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy.sql import Select
from sqlmodel import Session, col, select

from models import Rep
from models.base import N_
from services import settings
from services.access import Actor, deny, rep_scope
from services.errors import ValidationError
from services.metrics.catalog import REGISTRY
from services.metrics.definitions import Fraction, Metric, MetricContext, total
from services.periods import Period, today_in

# Built statements kept per process: a few pages × periods × scopes.
STATEMENTS_KEPT = 512


def get_metric(key: str) -> Metric:
    """The registry's metric `key`; ValidationError naming the key when there is none."""
    metric = REGISTRY.get(key)
    if metric is None:
        raise ValidationError(N_("Unknown metric: {key}."), field="metric", key=key)
    return metric


def visible_reps(
    session: Session, actor: Actor, rep_ids: Iterable[int] | None = None
) -> frozenset[int] | None:
    """`rep_ids` if all are within the actor's scope (PermissionDenied if not); None = all."""
    scope = rep_scope(session, actor)
    if rep_ids is None:
        return scope
    wanted = frozenset(rep_ids)
    if scope is not None and not wanted <= scope:
        outside = min(wanted - scope)
        deny(session, actor, action="metrics.read", entity="rep", entity_id=outside)
    return wanted


def _number(value: Any) -> float:
    # PostgreSQL sums come back as Decimal; SQLite's as int or float.
    if type(value) is Decimal:
        return int(value) if value == value.to_integral_value() else float(value)
    return 0 if value is None else value


def _fraction(numerator: Any, denominator: Any) -> Fraction:
    return Fraction(_number(numerator), None if denominator is None else _number(denominator))


def _context(
    session: Session,
    metric: Metric,
    period: Period,
    rep_ids: frozenset[int] | None,
    *,
    by_month: bool = False,
    by_day: bool = False,
) -> MetricContext:
    clock = None
    if metric.office_clock:
        zone = settings.timezone(session)
        clock = (zone, today_in(zone))
    return MetricContext(period, rep_ids, by_month, by_day, clock)


@lru_cache(maxsize=STATEMENTS_KEPT)
def _statement(key: str, context: MetricContext) -> Select[Any]:
    # Building a statement costs as much as running a small one; after a write, every
    # page asks again with the same contexts. Statements are immutable, so sharing is safe.
    query = REGISTRY[key].query
    assert query is not None
    return query(context)


def _rows(session: Session, metric: Metric, context: MetricContext) -> list[Any]:
    # Core rows, unpacked by position: a metric reads hundreds and the ORM adds nothing here.
    return list(session.connection().execute(_statement(metric.key, context)).all())


def by_rep(
    session: Session,
    actor: Actor,
    key: str,
    period: Period,
    *,
    rep_ids: Iterable[int] | None = None,
) -> dict[int, Fraction]:
    """The metric per rep within the actor's scope; reps without rows are absent."""
    return values_of_reps(session, key, period, visible_reps(session, actor, rep_ids))


def values_of_reps(
    session: Session, key: str, period: Period, rep_ids: frozenset[int] | None
) -> dict[int, Fraction]:
    """The metric per rep of `rep_ids` (None: every rep), with no access check: only for
    callers that have decided what the actor may see (goal owners, the leaderboard)."""
    metric = get_metric(key)
    context = _context(session, metric, period, rep_ids)
    rows = _rows(session, metric, context)
    return {rep_id: _fraction(numerator, denominator) for rep_id, numerator, denominator in rows}


def scope_value(
    session: Session,
    actor: Actor,
    key: str,
    period: Period,
    *,
    rep_ids: Iterable[int] | None = None,
) -> Fraction:
    """One value for the reps (team, region, company): sums of numerators and denominators."""
    metric = get_metric(key)
    values = by_rep(session, actor, key, period, rep_ids=rep_ids)
    return total(list(values.values()), ratio=not metric.additive)


def by_month(
    session: Session,
    actor: Actor,
    key: str,
    period: Period,
    *,
    rep_ids: Iterable[int] | None = None,
) -> dict[str, Fraction]:
    """The metric for the reps per month ('YYYY-MM'), every month of the period present."""
    return buckets_of_reps(session, key, period, visible_reps(session, actor, rep_ids))


def buckets_of_reps(
    session: Session,
    key: str,
    period: Period,
    rep_ids: frozenset[int] | None,
    *,
    daily: bool = False,
) -> dict[str, Fraction]:
    """The metric for `rep_ids` (None: every rep) per month ('YYYY-MM', every month of the
    period present) or, `daily`, per day with rows ('YYYY-MM-DD'). No access check: see
    `values_of_reps`."""
    metric = get_metric(key)
    if not metric.monthly:
        raise ValidationError(N_("This metric has no monthly trend."), field="metric")
    context = _context(session, metric, period, rep_ids, by_month=not daily, by_day=daily)
    empty = total([], ratio=not metric.additive)
    buckets = {} if daily else {first.strftime("%Y-%m"): empty for first in period.month_starts()}
    for _rep_id, bucket, numerator, denominator in _rows(session, metric, context):
        name = str(bucket)[:10]
        buckets[name] = buckets.get(name, empty) + _fraction(numerator, denominator)
    return buckets


def rep_names(session: Session, actor: Actor, rep_ids: Iterable[int]) -> dict[int, str]:
    """Names of reps within the actor's scope, for labelling per-rep values."""
    wanted = visible_reps(session, actor, rep_ids) or frozenset()
    rows = session.exec(select(Rep.id, Rep.name).where(col(Rep.id).in_(sorted(wanted)))).all()
    return {rep_id: name for rep_id, name in rows if rep_id is not None}
