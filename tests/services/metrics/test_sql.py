"""services/metrics/sql.py: the office's local day, month keys, month-days and day differences
come out the same on SQLite and PostgreSQL, read from real columns."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlmodel import Session, col

from models import Customer, Deal
from models.enums import DealStage
from services.metrics.sql import days_between, local_date_of, month_day, month_key
from tests.factories import Org, make_customer

SHANGHAI = ZoneInfo("Asia/Shanghai")  # UTC+8 all year: SQLite's fixed offset is exact


def _deal(session: Session, org: Org, created_at: datetime, closed_on: date | None) -> int:
    customer = make_customer(session, org.east_rep.id, birthday=date(1990, 2, 9))
    deal = Deal(
        customer_id=customer.id, rep_id=org.east_rep.id, title="d", stage=DealStage.WON,
        amount=1, created_at=created_at, closed_on=closed_on,
    )  # fmt: skip
    session.add(deal)
    session.commit()
    assert deal.id is not None
    return deal.id


def _read(session: Session, deal_id: int, expression: Any) -> Any:
    query = (
        sa.select(expression)
        .select_from(Deal)
        .join(Customer, col(Customer.id) == col(Deal.customer_id))
        .where(col(Deal.id) == deal_id)
    )
    return session.connection().execute(query).scalar_one()


def _as_date(value: Any) -> date:
    # SQLite's date() gives text; PostgreSQL a date.
    return value if isinstance(value, date) else date.fromisoformat(value)


@pytest.mark.parametrize(
    ("created_at", "local_day"),
    [
        (datetime(2025, 3, 31, 15, 59, tzinfo=UTC), date(2025, 3, 31)),
        (datetime(2025, 3, 31, 16, 0, tzinfo=UTC), date(2025, 4, 1)),
        (datetime(2024, 12, 31, 16, 30, tzinfo=UTC), date(2025, 1, 1)),
    ],
)
def test_a_utc_timestamp_falls_on_the_offices_day(
    session: Session, org: Org, created_at: datetime, local_day: date
) -> None:
    deal_id = _deal(session, org, created_at, None)
    assert _as_date(_read(session, deal_id, local_date_of(col(Deal.created_at), SHANGHAI))) == (
        local_day
    )
    utc_day = _read(session, deal_id, local_date_of(col(Deal.created_at), ZoneInfo("UTC")))
    assert _as_date(utc_day) == created_at.date()


def test_month_keys_and_month_days_of_a_date(session: Session, org: Org) -> None:
    deal_id = _deal(session, org, datetime(2025, 3, 1, tzinfo=UTC), date(2025, 3, 9))
    assert _read(session, deal_id, month_key(col(Deal.closed_on))) == "2025-03"
    assert _read(session, deal_id, month_day(col(Customer.birthday))) == "02-09"


def test_month_key_of_a_local_day_follows_the_office(session: Session, org: Org) -> None:
    # 16:30 UTC on 31 March is already April in Shanghai.
    deal_id = _deal(session, org, datetime(2025, 3, 31, 16, 30, tzinfo=UTC), None)
    local = local_date_of(col(Deal.created_at), SHANGHAI)
    assert _read(session, deal_id, month_key(local)) == "2025-04"


@pytest.mark.parametrize(
    ("created_at", "closed_on", "days"),
    [
        (datetime(2025, 2, 28, 20, 0, tzinfo=UTC), date(2025, 3, 31), 30),  # 1 March locally
        (datetime(2025, 3, 10, 4, 0, tzinfo=UTC), date(2025, 3, 20), 10),
        (datetime(2024, 2, 28, 4, 0, tzinfo=UTC), date(2024, 3, 1), 2),  # a leap year
        (datetime(2025, 3, 20, 4, 0, tzinfo=UTC), date(2025, 3, 20), 0),
    ],
)
def test_days_between_counts_whole_days_from_the_local_opening(
    session: Session, org: Org, created_at: datetime, closed_on: date, days: int
) -> None:
    deal_id = _deal(session, org, created_at, closed_on)
    opened = local_date_of(col(Deal.created_at), SHANGHAI)
    assert _read(session, deal_id, days_between(opened, col(Deal.closed_on))) == days
