"""Complaints: opened with an SLA deadline by severity, then in progress, then resolved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from models import Complaint, Rep
from models.base import N_
from models.customers import ComplaintCreate, ComplaintResolve
from models.enums import ComplaintStatus, Severity
from services import settings
from services.access import Actor
from services.customers import records as customers
from services.customers.diary import live_customer
from services.customers.records import read_model
from services.errors import NotFound, ValidationError
from services.unit_of_work import unit_of_work
from services.validation import build

LIST_LIMIT = 100


@dataclass(frozen=True, slots=True)
class ComplaintRecord:
    """One complaint as stored: `rep_id` is the rep it counts for, `due_on` its SLA deadline."""

    id: int
    customer_id: int
    rep_id: int
    opened_on: date
    category: str
    severity: Severity
    description: str
    status: ComplaintStatus
    resolved_on: date | None
    resolution: str | None
    due_on: date
    created_at: datetime
    updated_at: datetime
    version: int


@dataclass(frozen=True, slots=True)
class ComplaintRow(ComplaintRecord):
    """A complaint on the customer's list, with its rep's name; `past_sla`: resolved after
    its deadline, or still unresolved after it."""

    rep_name: str
    past_sla: bool


def open_complaint(
    session: Session, actor: Actor, *, customer_id: int, data: dict[str, Any]
) -> ComplaintRecord:
    """Open a complaint for a live customer in scope, due within its severity's SLA days.

    It counts for the customer's owner. PermissionDenied outside scope; ValidationError for
    bad input or an archived customer.
    """
    customer = live_customer(session, actor, customer_id)
    complaint_in = build(ComplaintCreate, data, context={"today": settings.office_today(session)})
    sla = settings.sla_days(session)[complaint_in.severity.value]
    with unit_of_work(session, actor) as uow:
        complaint = uow.add(
            Complaint(
                customer_id=customer_id,
                rep_id=customer.owner_rep_id,
                due_on=complaint_in.opened_on + timedelta(days=sla),
                **complaint_in.model_dump(),
            )
        )
    return read_model(ComplaintRecord, complaint)


def _check_access(session: Session, actor: Actor, complaint_id: int) -> None:
    # A column, not the row: the row is loaded (locked) only inside the write transaction.
    customer_id = session.exec(
        select(Complaint.customer_id).where(col(Complaint.id) == complaint_id)
    ).first()
    if customer_id is None:
        raise NotFound()
    customers.get(session, actor, customer_id)


def start_complaint(
    session: Session, actor: Actor, *, complaint_id: int, version: int
) -> ComplaintRecord:
    """Open → in progress, on a customer in scope. StaleEdit if it changed since `version`."""
    _check_access(session, actor, complaint_id)
    with unit_of_work(session, actor) as uow:
        complaint = uow.load(Complaint, complaint_id, version=version)
        if complaint.status != ComplaintStatus.OPEN:
            raise ValidationError(N_("Only an open complaint can be started."), field="status")
        uow.change(complaint, {"status": ComplaintStatus.IN_PROGRESS}, action="complaint.start")
    return read_model(ComplaintRecord, complaint)


def resolve_complaint(
    session: Session, actor: Actor, *, complaint_id: int, version: int, data: dict[str, Any]
) -> ComplaintRecord:
    """Open or in progress → resolved, with the resolution text and day. A resolved
    complaint stays resolved. StaleEdit if it changed since `version`."""
    _check_access(session, actor, complaint_id)
    resolve_in = build(ComplaintResolve, data, context={"today": settings.office_today(session)})
    with unit_of_work(session, actor) as uow:
        complaint = uow.load(Complaint, complaint_id, version=version)
        if complaint.status == ComplaintStatus.RESOLVED:
            raise ValidationError(N_("This complaint is already resolved."), field="status")
        if resolve_in.resolved_on < complaint.opened_on:
            raise ValidationError(
                N_("A complaint cannot be resolved before the day it was opened."),
                field="resolved_on",
            )
        uow.change(
            complaint,
            {"status": ComplaintStatus.RESOLVED, **resolve_in.model_dump()},
            action="complaint.resolve",
        )
    return read_model(ComplaintRecord, complaint)


def list_for_customer(
    session: Session, actor: Actor, *, customer_id: int, limit: int = LIST_LIMIT
) -> list[ComplaintRow]:
    """The customer's complaints, newest first. `past_sla` marks those resolved after their
    deadline or still unresolved after it."""
    customers.get(session, actor, customer_id)
    today = settings.office_today(session)
    rows = session.exec(
        select(Complaint, Rep.name)
        .join(Rep, col(Rep.id) == col(Complaint.rep_id))
        .where(col(Complaint.customer_id) == customer_id)
        .order_by(col(Complaint.opened_on).desc(), col(Complaint.id).desc())
        .limit(limit)
    ).all()
    return [
        read_model(
            ComplaintRow,
            complaint,
            rep_name=rep,
            past_sla=(complaint.resolved_on or today) > complaint.due_on,
        )
        for complaint, rep in rows
    ]
