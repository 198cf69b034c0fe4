"""Home's numbers: the revenue trend stops at this month."""

from __future__ import annotations

from sqlmodel import Session

from models import Customer, Deal
from models.enums import DealStage, PeriodKind
from services import dashboard, settings
from services.periods import containing
from tests.factories import Org


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
