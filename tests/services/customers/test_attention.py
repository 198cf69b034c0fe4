"""The attention list: overdue follow-ups, quiet customers, birthdays, complaints past SLA."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session

from models import Complaint, Customer, Interaction
from models.enums import ComplaintStatus, CustomerStatus, Severity, Tier
from services.customers import attention
from services.customers.attention import coming_month_days, next_birthday
from services.errors import PermissionDenied
from tests.factories import Org, moved_to_west

TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()


def _customer(session: Session, owner: int, name: str, **fields) -> Customer:
    fields.setdefault("status", CustomerStatus.ACTIVE)
    customer = Customer(name=name, owner_rep_id=owner, **fields)
    session.add(customer)
    session.commit()
    return customer


def _born_on(day: date) -> date:
    """A birthday that falls on `day` this year (leap-year babies keep their 29th)."""
    return date(1988, 2, 29) if (day.month, day.day) == (2, 29) else day.replace(year=1990)


@pytest.fixture
def org(session: Session) -> Org:
    return Org(session)


def test_overdue_follow_ups_oldest_first_and_in_scope(session: Session, org: Org) -> None:
    mine = _customer(session, org.east_rep.id, "Mine")
    theirs = _customer(session, org.west_rep.id, "Theirs")
    for customer, rep, due, done in [
        (mine, org.east_rep, TODAY - timedelta(days=3), None),
        (mine, org.east_rep, TODAY - timedelta(days=9), None),
        (mine, org.east_rep, TODAY - timedelta(days=20), datetime.now(UTC)),  # done
        (mine, org.east_rep, TODAY, None),  # due today: not overdue yet
        (theirs, org.west_rep, TODAY - timedelta(days=1), None),
    ]:
        session.add(
            Interaction(
                customer_id=customer.id, rep_id=rep.id, occurred_at=datetime.now(UTC),
                channel="call", summary="s", next_follow_up_on=due, follow_up_done_at=done,
            )
        )  # fmt: skip
    session.commit()
    rep = org.actor(session, org.east_rep_user)
    items = attention.overdue_follow_ups(session, rep)
    assert items.total == 2
    assert [row.days for row in items.rows] == [9, 3]
    assert {row.customer for row in items.rows} == {"Mine"}
    assert attention.overdue_follow_ups(session, org.actor(session, org.admin)).total == 3
    assert attention.overdue_follow_ups(session, rep, limit=1).total == 2


def test_quiet_customers_follow_their_tier_interval(session: Session, org: Org) -> None:
    rep_id = org.east_rep.id
    ago = lambda days: TODAY - timedelta(days=days)  # noqa: E731
    _customer(session, rep_id, "A quiet", tier=Tier.A, last_contact_on=ago(15))
    _customer(session, rep_id, "A fine", tier=Tier.A, last_contact_on=ago(14))
    _customer(session, rep_id, "B fine", tier=Tier.B, last_contact_on=ago(29))
    _customer(session, rep_id, "C quiet", tier=Tier.C, last_contact_on=ago(91))
    _customer(session, rep_id, "Never", tier=None)
    # The override wins: computed C (90 days) but overridden to A (14 days).
    _customer(
        session, rep_id, "Override", tier=Tier.C, tier_override=Tier.A, last_contact_on=ago(20)
    )
    _customer(session, rep_id, "Lost", status=CustomerStatus.LOST, last_contact_on=ago(400))
    _customer(session, rep_id, "Gone", archived_at=datetime.now(UTC), last_contact_on=ago(400))
    rep = org.actor(session, org.east_rep_user)
    items = attention.quiet_customers(session, rep)
    assert [row.customer for row in items.rows] == ["Never", "C quiet", "Override", "A quiet"]
    assert items.total == 4
    assert attention.quiet_customers(session, org.actor(session, org.west_rep_user)).total == 0


def test_birthdays_in_the_next_seven_days(session: Session, org: Org) -> None:
    rep_id = org.east_rep.id
    for name, days in [("Yesterday", -1), ("Today", 0), ("Soon", 3), ("Last day", 6), ("Late", 7)]:
        _customer(session, rep_id, name, birthday=_born_on(TODAY + timedelta(days=days)))
    items = attention.birthdays(session, org.actor(session, org.east_rep_user))
    assert [row.customer for row in items.rows] == ["Today", "Soon", "Last day"]
    assert items.rows[1].on == TODAY + timedelta(days=3)


def test_29_february_is_celebrated_on_the_28th_in_common_years() -> None:
    assert "02-29" in coming_month_days(date(2027, 2, 25), 7)
    assert "02-29" not in coming_month_days(date(2027, 2, 10), 7)
    assert next_birthday(date(2000, 2, 29), date(2027, 2, 25)) == date(2027, 2, 28)
    assert next_birthday(date(2000, 2, 29), date(2028, 2, 25)) == date(2028, 2, 29)
    assert next_birthday(date(1990, 1, 2), date(2026, 12, 30)) == date(2027, 1, 2)
    assert coming_month_days(date(2026, 12, 29), 7)[0] == "01-01"


def test_complaints_past_their_sla(session: Session, org: Org) -> None:
    customer = _customer(session, org.east_rep.id, "C")
    # Opened `age` days ago with `sla` days to resolve.
    for severity, age, sla, status in [
        (Severity.HIGH, 3, 2, ComplaintStatus.OPEN),  # late by 1
        (Severity.HIGH, 2, 2, ComplaintStatus.OPEN),  # due today: not yet late
        (Severity.LOW, 12, 10, ComplaintStatus.IN_PROGRESS),  # late by 2
        (Severity.CRITICAL, 30, 1, ComplaintStatus.RESOLVED),
    ]:
        session.add(
            Complaint(
                customer_id=customer.id, rep_id=org.east_rep.id, category="Quality",
                severity=severity, description="d", status=status,
                opened_on=TODAY - timedelta(days=age), due_on=TODAY - timedelta(days=age - sla),
            )
        )  # fmt: skip
    session.commit()
    items = attention.complaints_past_sla(session, org.actor(session, org.east_manager))
    assert items.total == 2
    # The longest overdue first.
    assert [(row.severity, row.days_late) for row in items.rows] == [("low", 2), ("high", 1)]


@pytest.mark.parametrize(
    "service",
    [
        attention.overdue_follow_ups,
        attention.quiet_customers,
        attention.birthdays,
        attention.complaints_past_sla,
    ],
)
def test_a_rep_asking_for_another_reps_list_is_denied(session: Session, org: Org, service) -> None:
    with pytest.raises(PermissionDenied):
        service(session, org.actor(session, org.east_rep_user), rep_ids=[org.west_rep.id])


def test_an_overdue_follow_up_is_on_the_list_of_whoever_owns_the_customer_now(
    session: Session, org: Org
) -> None:
    work = moved_to_west(session, org, TODAY)
    work.follow_up.next_follow_up_on = TODAY - timedelta(days=2)
    session.add(work.follow_up)
    session.commit()
    former = attention.overdue_follow_ups(session, org.actor(session, org.east_rep_user))
    new = attention.overdue_follow_ups(session, org.actor(session, org.west_rep_user))
    assert former.total == 0 and former.rows == ()
    assert (new.total, [(row.customer, row.rep) for row in new.rows]) == (
        1,
        [(work.customer.name, "West Rep")],
    )
