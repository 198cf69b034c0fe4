"""services/goals/series.py: a goal's points for its chart, worked by hand: cumulative sums a
day at a time (a month at a time for long periods), a ratio's running value, hand-entered
check-ins, and nothing before the period starts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from models import Customer, Deal
from models.enums import DealStage, PeriodKind
from services.errors import PermissionDenied
from services.goals import records as goals
from services.goals import series as goal_series
from services.goals.series import SeriesPoint
from services.periods import containing
from tests.factories import Org, make_customer, make_goal
from tests.services.helpers import audit_actions

MARCH = containing(PeriodKind.MONTH, date(2025, 3, 1))
YEAR = containing(PeriodKind.YEAR, date(2025, 1, 1))
WON, LOST = DealStage.WON, DealStage.LOST


def _deal(
    session: Session,
    customer: Customer,
    day: date,
    stage: DealStage,
    amount: int = 0,
    **fields: Any,
) -> None:
    session.add(
        Deal(customer_id=customer.id, rep_id=customer.owner_rep_id, title="d", stage=stage,
             amount=amount, closed_on=day, lost_reason="Price" if stage == LOST else None,
             **fields)
    )  # fmt: skip
    session.commit()


def _series(session: Session, org: Org, goal_id: int) -> list[SeriesPoint]:
    return goal_series.series(session, org.actor(session, org.admin), goal_id)


def test_a_sum_is_cumulative_day_by_day(session: Session, org: Org) -> None:
    mine = make_customer(session, org.east_rep.id, "Mine")
    theirs = make_customer(session, org.west_rep.id, "Theirs")
    for day, amount, fields in [
        (date(2025, 3, 1), 10_000, {}),
        (date(2025, 3, 3), 20_000, {}),
        (date(2025, 3, 3), 5_000, {}),
        (date(2025, 3, 31), 30_000, {}),
        (date(2025, 2, 28), 99, {}),  # the day before
        (date(2025, 4, 1), 99, {}),  # the day after
        (date(2025, 3, 2), 77_777, {"archived_at": datetime(2025, 3, 5, tzinfo=UTC)}),
    ]:
        _deal(session, mine, day, WON, amount, **fields)
    _deal(session, theirs, date(2025, 3, 2), WON, 88_888)
    # 310,000 over 31 days: the pace grows by 10,000 a day.
    goal = make_goal(session, org.east_rep, MARCH.start, MARCH.end, 310_000,
                     kind=PeriodKind.MONTH)  # fmt: skip
    points = _series(session, org, goal.id)
    assert [point.day for point in points] == [MARCH.start + timedelta(days=n) for n in range(31)]
    actual = [point.actual for point in points]
    assert actual[:4] == [10_000, 10_000, 35_000, 35_000]
    assert set(actual[3:30]) == {35_000}
    assert actual[30] == 65_000
    assert [point.pace for point in points[:3]] == [10_000, 20_000, 30_000]
    assert points[-1].pace == 310_000
    assert {point.target for point in points} == {310_000}


def test_a_ratio_is_its_running_value(session: Session, org: Org) -> None:
    east = make_customer(session, org.east_rep.id, "East Co")
    sub = make_customer(session, org.east_sub_rep.id, "Sub Co")
    for customer, day, stage in [
        (east, date(2025, 3, 2), WON),
        (east, date(2025, 3, 4), LOST),
        (sub, date(2025, 3, 4), WON),
        (sub, date(2025, 3, 6), LOST),
    ]:
        _deal(session, customer, day, stage, 1_000 if stage == WON else 0)
    # East's win rate with its sub-team, target 50 %: the target is the pace on every day.
    goal = make_goal(session, org.east, MARCH.start, MARCH.end, 5_000, metric_key="win_rate",
                     kind=PeriodKind.MONTH)  # fmt: skip
    points = _series(session, org, goal.id)
    # Nothing closed on 1 March: no value yet. Then 1 of 1, 2 of 3, 2 of 4.
    assert [point.actual for point in points[:7]] == [
        None, 1.0, 1.0, pytest.approx(2 / 3), pytest.approx(2 / 3), 0.5, 0.5,
    ]  # fmt: skip
    assert points[-1].actual == 0.5
    assert {(point.pace, point.target) for point in points} == {(0.5, 0.5)}


def test_a_long_period_has_a_point_a_month(session: Session, org: Org) -> None:
    mine = make_customer(session, org.east_rep.id, "Mine")
    for day, amount in [(date(2025, 1, 15), 100), (date(2025, 3, 10), 200),
                        (date(2025, 12, 31), 300)]:  # fmt: skip
        _deal(session, mine, day, WON, amount)
    goal = make_goal(session, org.east_rep, YEAR.start, YEAR.end, 365_000, kind=PeriodKind.YEAR)
    points = _series(session, org, goal.id)
    # Each month's point sits on its last day; the pace is 1,000 a day of the year.
    assert [point.day for point in points[:3]] == [
        date(2025, 1, 31), date(2025, 2, 28), date(2025, 3, 31),
    ]  # fmt: skip
    assert len(points) == 12
    assert [point.actual for point in points] == [100, 100] + [300] * 9 + [600]
    assert [point.pace for point in points[:3]] == [31_000, 59_000, 90_000]
    assert points[-1].pace == 365_000


def test_a_running_period_stops_today(session: Session, org: Org, today: date) -> None:
    mine = make_customer(session, org.east_rep.id, "Mine")
    start = today - timedelta(days=4)
    _deal(session, mine, start, WON, 1_000)
    _deal(session, mine, today, WON, 500)
    goal = make_goal(session, org.east_rep, start, today + timedelta(days=5), 10_000)
    points = _series(session, org, goal.id)
    assert [point.day for point in points] == [start + timedelta(days=n) for n in range(5)]
    assert [point.actual for point in points] == [1_000, 1_000, 1_000, 1_000, 1_500]
    assert [point.pace for point in points] == [1_000, 2_000, 3_000, 4_000, 5_000]


def test_no_points_before_the_start_or_for_a_metric_without_a_trend(
    session: Session, org: Org, today: date
) -> None:
    mine = make_customer(session, org.east_rep.id, "Mine")
    _deal(session, mine, today, WON, 1_000)
    next_year = containing(PeriodKind.YEAR, date(today.year + 1, 1, 1))
    later = make_goal(session, org.east_rep, next_year.start, next_year.end, 1_000,
                      kind=PeriodKind.YEAR)  # fmt: skip
    tomorrow = make_goal(session, org.east_rep, today + timedelta(days=1),
                         today + timedelta(days=30), 1_000, metric_key="deals_won")  # fmt: skip
    retention = make_goal(session, org.east_rep, MARCH.start, MARCH.end, 5_000,
                          metric_key="retention_rate", kind=PeriodKind.MONTH)  # fmt: skip
    for goal in (later, tomorrow, retention):
        assert _series(session, org, goal.id) == []


def test_check_ins_are_the_points_of_a_manual_metric(session: Session, org: Org) -> None:
    goal = make_goal(session, org.east_rep, YEAR.start, YEAR.end, 2_000,
                     metric_key="market_share", kind=PeriodKind.YEAR)  # fmt: skip
    admin = org.actor(session, org.admin)
    for day, value in [
        (date(2025, 3, 25), "15"),
        (date(2025, 3, 5), "12"),
        (date(2025, 3, 25), "16"),  # a correction the same day: the newer one counts
    ]:
        goals.add_checkin(session, admin, goal_id=goal.id, checked_on=day, value=value)
    points = _series(session, org, goal.id)
    assert [(point.day, point.actual, point.target) for point in points] == [
        (date(2025, 3, 5), 0.12, 0.2), (date(2025, 3, 25), 0.16, 0.2),
    ]  # fmt: skip


def test_the_series_of_a_goal_outside_the_scope_is_denied(
    session: Session, engine: Engine, org: Org
) -> None:
    goal = make_goal(session, org.west_rep, MARCH.start, MARCH.end, 1_000, kind=PeriodKind.MONTH)
    for user in (org.east_rep_user, org.east_manager):
        with pytest.raises(PermissionDenied):
            goal_series.series(session, org.actor(session, user), goal.id)
    assert audit_actions(engine) == ["access.denied"] * 2
