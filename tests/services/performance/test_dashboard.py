"""Home's numbers: tiles compared like for like, attainment by rep, the revenue trend with gaps
where there is no data, on a fixed office date where the date matters."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from models import Deal, Rep
from models.enums import DealStage, PeriodKind
from services import settings
from services.errors import PermissionDenied
from services.performance import dashboard
from services.periods import Period, containing
from tests.factories import Org, make_customer, make_goal
from tests.services.helpers import audit_actions, changed_rows, table_rows

# The office's date is fixed: 1 December 2026, a Tuesday, the month's first day.
DEC_1 = date(2026, 12, 1)


def _won(
    session: Session, rep: Rep, amount: int, closed_on: date, opened_at: datetime | None = None
) -> None:
    customer = make_customer(session, rep.id, name=f"Bought {closed_on} {amount}")
    opened = opened_at or datetime.combine(closed_on, datetime.min.time(), tzinfo=UTC)
    session.add(
        Deal(
            customer_id=customer.id, rep_id=rep.id, title="d", amount=amount,
            stage=DealStage.WON, closed_on=closed_on, created_at=opened,
        )
    )  # fmt: skip
    session.commit()


def test_a_running_month_is_compared_with_the_same_days_of_the_month_before(
    session: Session, org: Org
) -> None:
    for amount, closed_on in (
        (50_000, DEC_1), (20_000, date(2026, 11, 1)), (30_000, date(2026, 11, 2)),
        (7_000, date(2026, 11, 15)), (100_000, date(2026, 11, 30)), (1_000, date(2026, 10, 9)),
    ):  # fmt: skip
        _won(session, org.east_rep, amount, closed_on)
    admin = org.actor(session, org.admin)
    december = containing(PeriodKind.MONTH, DEC_1)
    keys = ("revenue", "deals_won")

    def tiles(period: Period, today: date) -> list[tuple[float | None, ...]]:
        found = dashboard.kpi_tiles(session, admin, period, keys=keys, today=today)
        return [(t.value, t.previous, t.compared_with.start, t.compared_with.end) for t in found]

    # Day one of December against 1 November alone, not all of November's 157,000.
    nov_1 = date(2026, 11, 1)
    assert tiles(december, DEC_1) == [(50_000, 20_000, nov_1, nov_1), (1, 1, nov_1, nov_1)]
    # On the 15th, against 1–15 November: 20,000 + 30,000 + 7,000 in three deals.
    nov_15 = date(2026, 11, 15)
    assert tiles(december, date(2026, 12, 15)) == [
        (50_000, 57_000, nov_1, nov_15), (1, 3, nov_1, nov_15),
    ]  # fmt: skip
    # November is over: against the whole of October.
    november = containing(PeriodKind.MONTH, nov_1)
    october = (date(2026, 10, 1), date(2026, 10, 31))
    assert tiles(november, DEC_1) == [(157_000, 1_000, *october), (4, 1, *october)]


@pytest.mark.parametrize(
    ("today", "february_end"), [(date(2024, 3, 31), 29), (date(2025, 3, 31), 28)]
)
def test_a_month_longer_than_the_one_before_is_compared_with_all_of_it(
    session: Session, org: Org, today: date, february_end: int
) -> None:
    _won(session, org.east_rep, 9_000, date(today.year, 2, february_end))
    _won(session, org.east_rep, 4_000, date(today.year, 3, 1))
    march = containing(PeriodKind.MONTH, today)
    admin = org.actor(session, org.admin)
    [tile] = dashboard.kpi_tiles(session, admin, march, keys=("revenue",), today=today)
    assert (tile.value, tile.previous) == (4_000, 9_000)
    assert tile.compared_with == march.previous()


def test_the_trend_is_a_gap_before_the_first_deal_and_after_this_month(
    session: Session, org: Org
) -> None:
    # Opened at 17:00 UTC on 28 February 2025: 1 March in Shanghai, where the data starts.
    opened = datetime(2025, 2, 28, 17, tzinfo=UTC)
    _won(session, org.east_rep, 60_000, date(2025, 5, 20), opened_at=opened)
    _won(session, org.east_rep, 25_000, DEC_1)
    _won(session, org.west_rep, 999_000, date(2025, 1, 5))  # another team's: not East's data
    manager = org.actor(session, org.east_manager)
    month = containing(PeriodKind.MONTH, DEC_1)
    points = dashboard.revenue_trend(session, manager, month, today=DEC_1)
    values = {point.month: point.value for point in points}
    assert len(points) == 24
    assert [values["2025-01"], values["2025-02"]] == [None, None]
    assert [values["2025-03"], values["2025-04"], values["2025-05"]] == [0, 0, 60_000]
    assert values["2026-11"] == 0
    assert values["2026-12"] == 25_000
    assert [p.month for p in points if p.to_date] == ["2026-12"]
    # Before December, the months after the office's one are still to come.
    early = dashboard.revenue_trend(session, manager, month, today=date(2026, 6, 30))
    assert [p.month for p in early if p.value is None and p.month >= "2026"] == [
        f"2026-{n:02d}" for n in range(7, 13)
    ]
    assert [p.month for p in early if p.to_date] == ["2026-06"]


def test_a_scope_without_deals_has_no_trend_at_all(session: Session, org: Org) -> None:
    _won(session, org.west_rep, 5_000, DEC_1)
    manager = org.actor(session, org.east_manager)
    month = containing(PeriodKind.MONTH, DEC_1)
    points = dashboard.revenue_trend(session, manager, month, today=DEC_1)
    assert {point.value for point in points} == {None}


def test_tiles_and_rep_results_add_up_the_scope(session: Session) -> None:
    org = Org(session)
    today = settings.office_today(session)
    month = containing(PeriodKind.MONTH, today)
    for rep, amount in ((org.east_rep, 30_000), (org.east_sub_rep, 10_000), (org.west_rep, 5_000)):
        customer = make_customer(session, rep.id, name=f"Of {rep.name}")
        session.add(
            Deal(
                customer_id=customer.id, rep_id=rep.id, title="d", amount=amount,
                stage=DealStage.WON, closed_on=today,
            )
        )  # fmt: skip
    session.commit()
    make_goal(session, org.east, month.start, month.end, 80_000, kind=PeriodKind.MONTH)
    make_goal(session, org.east_rep, month.start, month.end, 60_000, kind=PeriodKind.MONTH)
    manager = org.actor(session, org.east_manager)
    [tile] = dashboard.kpi_tiles(session, manager, month, keys=("revenue",))
    # East and its sub-team: 30,000 + 10,000 against East's 80,000.
    assert (tile.value, tile.target, tile.attainment) == (40_000, 80_000, 0.5)
    results = dashboard.rep_results(session, manager, "revenue", month)
    assert [(r.name, r.actual, r.target, r.attainment) for r in results] == [
        ("East Rep", 30_000, 60_000, 0.5),
        ("East Sub Rep", 10_000, None, None),
    ]


@pytest.mark.parametrize(
    "read",
    [
        lambda s, a, month, team: dashboard.kpi_tiles(s, a, month, team_id=team),
        lambda s, a, month, team: dashboard.revenue_trend(s, a, month, team_id=team),
        lambda s, a, month, team: dashboard.rep_results(s, a, "revenue", month, team_id=team),
    ],
    ids=["kpi_tiles", "revenue_trend", "rep_results"],
)
def test_home_reads_of_another_team_are_denied(
    session: Session, engine: Engine, read: Callable[..., object]
) -> None:
    org = Org(session)
    month = containing(PeriodKind.MONTH, settings.office_today(session))
    for user in (org.east_manager, org.east_rep_user):
        before = table_rows(engine)
        with pytest.raises(PermissionDenied):
            read(session, org.actor(session, user), month, org.west.id)
        assert set(changed_rows(before, table_rows(engine))) == {"audit_events"}
    assert audit_actions(engine) == ["access.denied"] * 2
