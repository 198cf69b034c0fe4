"""Home's numbers: tiles, attainment by rep, the revenue trend that stops at this month."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from models import Customer, Deal
from models.enums import DealStage, PeriodKind
from services import settings
from services.errors import PermissionDenied
from services.performance import dashboard
from services.periods import containing
from tests.factories import Org, make_customer, make_goal
from tests.services.helpers import audit_actions, changed_rows, table_rows


def test_the_trend_has_no_value_for_months_still_to_come(session: Session) -> None:
    org = Org(session)
    today = settings.office_today(session)
    customer = Customer(name="C", owner_rep_id=org.east_rep.id)
    session.add(customer)
    session.flush()
    session.add(
        Deal(
            customer_id=customer.id, rep_id=org.east_rep.id, title="d", amount=70_000,
            stage=DealStage.WON, closed_on=today,
        )
    )  # fmt: skip
    session.commit()
    month = containing(PeriodKind.MONTH, today)
    points = dashboard.revenue_trend(session, org.actor(session, org.admin), month)
    this_month = today.strftime("%Y-%m")
    values = {point.month: point.value for point in points}
    assert values[this_month] == 70_000
    # Past months without sales are zero; only the months after this one have no value.
    assert all(value == 0 for key, value in values.items() if key < this_month)
    assert [key for key, value in values.items() if value is None] == sorted(
        key for key in values if key > this_month
    )
    assert len(points) == 24


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
