"""services/metrics/definitions.py: fractions add up as sums over sums, targets convert to
and from their stored integers, and a Source's SQL puts the right rows in each rep's group."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlmodel import Session, col

from models import Deal
from models.enums import DealStage, PeriodKind
from services.metrics.definitions import (
    Direction,
    Fraction,
    Metric,
    MetricContext,
    Source,
    Unit,
    total,
)
from services.periods import containing
from tests.factories import Org, make_customer

MARCH = containing(PeriodKind.MONTH, date(2025, 3, 1))
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_a_fraction_is_its_numerator_over_its_denominator() -> None:
    assert Fraction(7).value == 7
    assert Fraction(3, 4).value == 0.75
    assert Fraction(3, 0).value is None
    assert Fraction(0, 0).value is None


def test_fractions_add_parts_not_ratios() -> None:
    assert Fraction(2) + Fraction(5) == Fraction(7)
    assert (Fraction(2) + Fraction(5)).denominator is None
    # 2 of 3 and 0 of 1 is 2 of 4, not the mean of two thirds and zero.
    assert Fraction(2, 3) + Fraction(0, 1) == Fraction(2, 4)
    assert Fraction(1, 2) + Fraction(4) == Fraction(5, 2)


def test_total_sums_and_an_empty_ratio_has_no_value() -> None:
    assert total([Fraction(1, 2), Fraction(1, 3), Fraction(0, 0)], ratio=True) == Fraction(2, 5)
    assert total([Fraction(4), Fraction(6)], ratio=False) == Fraction(10)
    assert total([], ratio=True).value is None
    assert total([], ratio=False).value == 0


@pytest.mark.parametrize(
    ("unit", "value", "stored"),
    [
        (Unit.MONEY, 1_250_050, 1_250_050),  # minor units already
        (Unit.COUNT, 12, 12),
        (Unit.RATIO, 0.155, 1_550),  # basis points
        (Unit.SCORE, 4.25, 425),  # hundredths
        (Unit.DAYS, 19.5, 1_950),
    ],
)
def test_targets_convert_to_and_from_their_stored_integers(
    unit: Unit, value: float, stored: int
) -> None:
    metric = Metric("m", "M", "d", unit, Direction.HIGHER, None)
    assert metric.value_to_stored(value) == stored
    assert isinstance(metric.value_to_stored(value), int)
    assert metric.stored_to_value(stored) == pytest.approx(value)


def test_the_office_clock_is_only_read_when_given() -> None:
    without = MetricContext(MARCH, None)
    with pytest.raises(RuntimeError, match="office_clock"):
        _ = without.zone
    with pytest.raises(RuntimeError, match="office_clock"):
        _ = without.today
    given = MetricContext(MARCH, None, clock=(SHANGHAI, date(2025, 3, 15)))
    assert (given.zone, given.today) == (SHANGHAI, date(2025, 3, 15))


def _deals(session: Session, org: Org) -> None:
    """Won deals around March for East Rep and West Rep, and one lost in March."""
    east, west = org.east_rep.id, org.west_rep.id
    rows = [
        (east, DealStage.WON, date(2025, 3, 1), datetime(2025, 2, 28, 15, 0, tzinfo=UTC)),
        (east, DealStage.WON, date(2025, 3, 31), datetime(2025, 2, 28, 16, 0, tzinfo=UTC)),
        (east, DealStage.WON, date(2025, 4, 1), datetime(2025, 3, 31, 16, 0, tzinfo=UTC)),
        (east, DealStage.LOST, date(2025, 3, 5), datetime(2025, 3, 2, tzinfo=UTC)),
        (west, DealStage.WON, date(2025, 2, 28), datetime(2025, 3, 31, 15, 59, tzinfo=UTC)),
    ]
    for rep, stage, closed_on, created_at in rows:
        customer = make_customer(session, rep)
        session.add(
            Deal(
                customer_id=customer.id, rep_id=rep, title="d", stage=stage, amount=100,
                closed_on=closed_on, created_at=created_at,
            )
        )  # fmt: skip
    session.commit()


def _won_count(*, timestamp: bool = False) -> Source:
    return Source(
        rep=col(Deal.rep_id),
        day=col(Deal.created_at) if timestamp else col(Deal.closed_on),
        numerator=lambda _ctx: sa.func.count(),
        where=lambda _ctx: [col(Deal.stage) == DealStage.WON],
        timestamp=timestamp,
    )


def _run(session: Session, source: Source, context: MetricContext) -> list[tuple[Any, ...]]:
    rows = session.connection().execute(source.query(context)).all()
    return sorted(tuple(str(v) if isinstance(v, date) else v for v in row) for row in rows)


def test_a_source_counts_the_rows_of_the_period_per_rep(session: Session, org: Org) -> None:
    _deals(session, org)
    east, west = org.east_rep.id, org.west_rep.id
    # Both edges of March are in, 1 April is out, the lost deal is not a win.
    assert _run(session, _won_count(), MetricContext(MARCH, None)) == [(east, 2, None)]
    assert _run(session, _won_count(), MetricContext(MARCH, frozenset({west}))) == []
    spring = containing(PeriodKind.QUARTER, date(2025, 3, 1))
    by_month = _run(session, _won_count(), MetricContext(spring, None, by_month=True))
    assert by_month == [(east, "2025-03", 2, None), (west, "2025-02", 1, None)]


def test_a_timestamp_source_uses_the_offices_day_bounds(session: Session, org: Org) -> None:
    _deals(session, org)
    east, west = org.east_rep.id, org.west_rep.id
    clock = (SHANGHAI, date(2025, 4, 15))
    # In Shanghai East's deals were opened 28 Feb 23:00, 1 March 00:00 and 1 April 00:00;
    # West's on 31 March 23:59.
    found = _run(session, _won_count(timestamp=True), MetricContext(MARCH, None, clock=clock))
    assert found == [(east, 1, None), (west, 1, None)]
    daily = MetricContext(MARCH, None, by_day=True, clock=clock)
    assert _run(session, _won_count(timestamp=True), daily) == [
        (east, "2025-03-01", 1, None), (west, "2025-03-31", 1, None),
    ]  # fmt: skip
