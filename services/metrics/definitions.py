"""What a metric is: a numerator (and a denominator) as SQL aggregates grouped by rep."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.sql import ColumnElement, Select

from services.metrics.sql import local_date_of, month_key
from services.periods import Period


class Unit(StrEnum):
    MONEY = "money"
    COUNT = "count"
    RATIO = "ratio"
    SCORE = "score"
    DAYS = "days"


# Goals store targets as integers: money in minor units, ratios in basis points,
# scores and days in hundredths.
STORED_SCALE = {Unit.MONEY: 1, Unit.COUNT: 1, Unit.RATIO: 10_000, Unit.SCORE: 100, Unit.DAYS: 100}


class Direction(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"


@dataclass(frozen=True)
class MetricContext:
    """Everything a metric's SQL may depend on besides the tables; hashable, so a built
    statement can be kept for the next call with the same context."""

    period: Period
    # Reps to include; None means every rep.
    rep_ids: frozenset[int] | None
    by_month: bool = False
    # Grouped by the office's day instead ('YYYY-MM-DD'), for a goal's daily progress.
    by_day: bool = False
    # The office's time zone and today, set only for metrics declaring `office_clock`:
    # reading them costs a settings query, as much as a small metric's own.
    clock: tuple[ZoneInfo, date] | None = None

    @property
    def zone(self) -> ZoneInfo:
        return self._clock()[0]

    @property
    def today(self) -> date:
        return self._clock()[1]

    def _clock(self) -> tuple[ZoneInfo, date]:
        if self.clock is None:
            raise RuntimeError("This metric reads the office clock: declare office_clock=True.")
        return self.clock


@dataclass(frozen=True, slots=True)
class Fraction:
    """A metric's value for one group: numerator over denominator, both summable."""

    numerator: float = 0
    # None for plain sums and counts, which need no denominator.
    denominator: float | None = None

    @property
    def value(self) -> float | None:
        """The number to show; None ("no value") when the denominator is zero."""
        if self.denominator is None:
            return self.numerator
        if self.denominator == 0:
            return None
        return self.numerator / self.denominator

    def __add__(self, other: Fraction) -> Fraction:
        if self.denominator is None and other.denominator is None:
            return Fraction(self.numerator + other.numerator)
        return Fraction(
            self.numerator + other.numerator, (self.denominator or 0) + (other.denominator or 0)
        )


def total(fractions: Sequence[Fraction], *, ratio: bool) -> Fraction:
    """Sum of numerators over sum of denominators: never a mean of ratios."""
    summed = Fraction(0, 0 if ratio else None)
    for fraction in fractions:
        summed = summed + fraction
    return summed


Expression = ColumnElement[Any]
QueryBuilder = Callable[[MetricContext], Select[Any]]


@dataclass(frozen=True)
class Source:
    """A metric over one table: which rep, which day puts a row in the period, which rows."""

    rep: Any
    day: Any
    numerator: Callable[[MetricContext], Expression]
    denominator: Callable[[MetricContext], Expression] | None = None
    where: Callable[[MetricContext], list[Expression]] = field(default=lambda _ctx: [])
    # The day column is a UTC timestamp, not a date: compare with the office's day bounds.
    timestamp: bool = False
    joins: tuple[tuple[Any, Any], ...] = ()

    def query(self, ctx: MetricContext) -> Select[Any]:
        columns: list[Any] = [self.rep.label("rep_id")]
        if ctx.by_month or ctx.by_day:
            local_day = local_date_of(self.day, ctx.zone) if self.timestamp else self.day
            columns.append((local_day if ctx.by_day else month_key(local_day)).label("bucket"))
        columns.append(self.numerator(ctx).label("numerator"))
        denominator = self.denominator(ctx) if self.denominator else sa.null()
        columns.append(denominator.label("denominator"))
        query = sa.select(*columns)
        for table, on in self.joins:
            query = query.join(table, on)
        query = query.where(*self._in_period(ctx), *self.where(ctx))
        if ctx.rep_ids is not None:
            query = query.where(self.rep.in_(sorted(ctx.rep_ids)))
        groups = [self.rep, *([columns[1]] if ctx.by_month or ctx.by_day else [])]
        return query.group_by(*groups)

    def _in_period(self, ctx: MetricContext) -> list[Expression]:
        if self.timestamp:
            start, end = ctx.period.utc_bounds(ctx.zone)
            return [self.day >= start, self.day < end]
        return [self.day >= ctx.period.start, self.day <= ctx.period.end]


@dataclass(frozen=True)
class Metric:
    """One KPI, declared once; every page shows the number it computes."""

    key: str
    label: str  # msgid, translated where shown
    description: str  # msgid: how it is computed, in a sentence
    unit: Unit
    direction: Direction
    query: QueryBuilder | None
    # Entered by hand as goal check-ins rather than computed from the data.
    manual: bool = False
    # Sums and counts add up over reps and months; ratios and averages do not.
    additive: bool = True
    # Trends by month make sense (not for retention, which compares two periods).
    monthly: bool = True
    # Reads the office's time zone or today (timestamps, "overdue", "past the deadline").
    office_clock: bool = False
    # A score's scale (CSAT 1 to 5, NPS -100 to 100): targets must lie on it.
    scale: tuple[int, int] | None = None

    def stored_to_value(self, stored: int) -> float:
        """A goal target or check-in (stored as an integer) in the metric's own unit."""
        return stored / STORED_SCALE[self.unit]

    def value_to_stored(self, value: float) -> int:
        return round(value * STORED_SCALE[self.unit])
