"""The attention list: what needs doing now, each item pointing at the customer to handle.

Later features add their own kinds (goals behind pace, reviews waiting, training overdue).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from models import Complaint, Customer, Interaction, Rep
from models.enums import ComplaintStatus, CustomerStatus, Severity, Tier
from services import settings
from services.access import Actor
from services.metrics.compute import visible_reps
from services.metrics.sql import month_day

DEFAULT_LIMIT = 50
BIRTHDAY_DAYS = 7


@dataclass(frozen=True, slots=True)
class AttentionRow:
    """What every item of the list names: the customer to handle and the rep who owns it."""

    customer_id: int
    customer: str
    rep: str


@dataclass(frozen=True, slots=True)
class OverdueFollowUp(AttentionRow):
    due_on: date
    summary: str
    days: int


@dataclass(frozen=True, slots=True)
class QuietCustomer(AttentionRow):
    # The effective tier (the override if set); None: never computed.
    tier: Tier | None
    last_contact_on: date | None


@dataclass(frozen=True, slots=True)
class Birthday(AttentionRow):
    contact: str | None
    birthday: date
    # The day it is celebrated this time (29 February on the 28th in common years).
    on: date


@dataclass(frozen=True, slots=True)
class ComplaintPastSla(AttentionRow):
    severity: Severity
    category: str
    opened_on: date
    due_on: date
    days_late: int


RowT = TypeVar("RowT", bound=AttentionRow)


@dataclass(frozen=True, slots=True)
class AttentionItems(Generic[RowT]):
    """The first `limit` items of one kind, and how many there are in all."""

    kind: str
    total: int
    rows: tuple[RowT, ...] = ()


def _in_scope(query: Any, rep_column: Any, reps: frozenset[int] | None) -> Any:
    return query if reps is None else query.where(rep_column.in_(sorted(reps)))


def _count(session: Session, model: Any, rep: Any, reps: Any, where: list[Any]) -> int:
    query = _in_scope(select(func.count()).select_from(model), rep, reps).where(*where)
    return int(session.exec(query).one())


def overdue_follow_ups(
    session: Session,
    actor: Actor,
    *,
    rep_ids: Iterable[int] | None = None,
    limit: int = DEFAULT_LIMIT,
) -> AttentionItems[OverdueFollowUp]:
    """Follow-ups due before today and not marked done, the longest overdue first; each is
    owed by the customer's current owner (it moves with the customer)."""
    reps = visible_reps(session, actor, rep_ids)
    today = settings.office_today(session)
    where = [
        col(Interaction.next_follow_up_on) < today,
        col(Interaction.follow_up_done_at).is_(None),
    ]
    owner = col(Customer.owner_rep_id)
    counted = (
        select(func.count())
        .select_from(Interaction)
        .join(Customer, col(Customer.id) == col(Interaction.customer_id))
        .where(*where)
    )
    total = int(session.exec(_in_scope(counted, owner, reps)).one())
    query = (
        select(
            col(Interaction.customer_id).label("customer_id"),
            col(Customer.name).label("customer"),
            col(Rep.name).label("rep"),
            col(Interaction.next_follow_up_on).label("due_on"),
            col(Interaction.summary).label("summary"),
        )
        .join(Customer, col(Customer.id) == col(Interaction.customer_id))
        .join(Rep, col(Rep.id) == owner)
        .where(*where)
        .order_by(col(Interaction.next_follow_up_on), col(Interaction.id))
        .limit(limit)
    )
    rows = session.exec(_in_scope(query, owner, reps)).all()
    items = tuple(OverdueFollowUp(**row._mapping, days=(today - row.due_on).days) for row in rows)
    return AttentionItems("overdue_follow_ups", total, items)


def _quiet_cutoff(today: date, contact_days: dict[str, int]) -> Any:
    tier = sa.func.coalesce(col(Customer.tier_override), col(Customer.tier), Tier.C.value)
    return sa.case(
        *[(tier == name, today - timedelta(days=days)) for name, days in contact_days.items()],
        else_=today - timedelta(days=max(contact_days.values())),
    )


def is_quiet(today: date, contact_days: dict[str, int]) -> sa.ColumnElement[bool]:
    """A customer in work (lead or active) not contacted within its tier's contact interval.

    Says nothing about archiving: callers decide whether archived customers count.
    """
    last = col(Customer.last_contact_on)
    return sa.and_(
        col(Customer.status).in_([CustomerStatus.ACTIVE, CustomerStatus.LEAD]),
        sa.or_(last.is_(None), last < _quiet_cutoff(today, contact_days)),
    )


def quiet_customers(
    session: Session,
    actor: Actor,
    *,
    rep_ids: Iterable[int] | None = None,
    limit: int = DEFAULT_LIMIT,
) -> AttentionItems[QuietCustomer]:
    """Live customers not contacted within their tier's interval, the quietest first."""
    reps = visible_reps(session, actor, rep_ids)
    today = settings.office_today(session)
    last = col(Customer.last_contact_on)
    where = [
        col(Customer.archived_at).is_(None),
        is_quiet(today, settings.tier_contact_days(session)),
    ]
    owner = col(Customer.owner_rep_id)
    total = _count(session, Customer, owner, reps, where)
    query = (
        select(
            col(Customer.id).label("customer_id"),
            col(Customer.name).label("customer"),
            col(Rep.name).label("rep"),
            sa.func.coalesce(col(Customer.tier_override), col(Customer.tier)).label("tier"),
            last.label("last_contact_on"),
        )
        .join(Rep, col(Rep.id) == owner)
        .where(*where)
        .order_by(last.is_not(None), last, col(Customer.id))
        .limit(limit)
    )
    rows = session.exec(_in_scope(query, owner, reps)).all()
    items = tuple(QuietCustomer(**row._mapping) for row in rows)
    return AttentionItems("quiet_customers", total, items)


def next_birthday(birthday: date, today: date) -> date:
    for year in (today.year, today.year + 1):
        try:
            day = birthday.replace(year=year)
        except ValueError:  # 29 February in a common year: celebrated on the 28th
            day = date(year, 2, 28)
        if day >= today:
            return day
    raise AssertionError("a birthday comes within a year")


def coming_month_days(today: date, days: int) -> list[str]:
    coming: set[str] = set()
    for day in (today + timedelta(days=offset) for offset in range(days)):
        coming.add(day.strftime("%m-%d"))
        if (day.month, day.day) == (2, 28) and not calendar.isleap(day.year):
            # In a common year those born on 29 February celebrate on the 28th; in a leap
            # year they wait for their own day, even when the 28th is in the window.
            coming.add("02-29")
    return sorted(coming)


def has_birthday_soon(today: date) -> sa.ColumnElement[bool]:
    """The birthday falls today or in the next six days (29 February on the 28th in
    common years)."""
    birthday = col(Customer.birthday)
    return sa.and_(
        birthday.is_not(None),
        month_day(birthday).in_(coming_month_days(today, BIRTHDAY_DAYS)),
    )


def birthdays(
    session: Session,
    actor: Actor,
    *,
    rep_ids: Iterable[int] | None = None,
    limit: int = DEFAULT_LIMIT,
) -> AttentionItems[Birthday]:
    """Customers whose birthday falls today or in the next six days, soonest first."""
    reps = visible_reps(session, actor, rep_ids)
    today = settings.office_today(session)
    owner = col(Customer.owner_rep_id)
    query = (
        select(
            col(Customer.id).label("customer_id"),
            col(Customer.name).label("customer"),
            col(Customer.contact_name).label("contact"),
            col(Rep.name).label("rep"),
            col(Customer.birthday).label("birthday"),
        )
        .join(Rep, col(Rep.id) == owner)
        .where(col(Customer.archived_at).is_(None), has_birthday_soon(today))
    )
    found = [
        Birthday(**row._mapping, on=next_birthday(row.birthday, today))
        for row in session.exec(_in_scope(query, owner, reps)).all()
    ]
    found.sort(key=lambda row: (row.on, row.customer))
    return AttentionItems("birthdays", len(found), tuple(found[:limit]))


def complaints_past_sla(
    session: Session,
    actor: Actor,
    *,
    rep_ids: Iterable[int] | None = None,
    limit: int = DEFAULT_LIMIT,
) -> AttentionItems[ComplaintPastSla]:
    """Unresolved complaints past their SLA deadline, the longest overdue first."""
    reps = visible_reps(session, actor, rep_ids)
    today = settings.office_today(session)
    where = [col(Complaint.status) != ComplaintStatus.RESOLVED, col(Complaint.due_on) < today]
    rep = col(Complaint.rep_id)
    total = _count(session, Complaint, rep, reps, where)
    query = (
        select(
            col(Complaint.customer_id).label("customer_id"),
            col(Customer.name).label("customer"),
            col(Rep.name).label("rep"),
            col(Complaint.severity).label("severity"),
            col(Complaint.category).label("category"),
            col(Complaint.opened_on).label("opened_on"),
            col(Complaint.due_on).label("due_on"),
        )
        .join(Customer, col(Customer.id) == col(Complaint.customer_id))
        .join(Rep, col(Rep.id) == rep)
        .where(*where)
        .order_by(col(Complaint.due_on), col(Complaint.id))
        .limit(limit)
    )
    rows = session.exec(_in_scope(query, rep, reps)).all()
    items = tuple(
        ComplaintPastSla(**row._mapping, days_late=(today - row.due_on).days) for row in rows
    )
    return AttentionItems("complaints_past_sla", total, items)
