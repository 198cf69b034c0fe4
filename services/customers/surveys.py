"""Satisfaction surveys: a score 1–5 and an optional NPS answer, per customer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from models import Rep, Survey
from models.customers import SurveyCreate
from services import settings
from services.access import Actor
from services.customers import records as customers
from services.customers.diary import live_customer
from services.customers.records import read_model
from services.unit_of_work import unit_of_work
from services.validation import build

LIST_LIMIT = 100


@dataclass(frozen=True, slots=True)
class SurveyRecord:
    """One survey as stored: a score 1–5, an NPS answer 0–10 or None, and the rep it counts
    for."""

    id: int
    customer_id: int
    rep_id: int
    surveyed_on: date
    score: int
    nps: int | None
    comment: str | None
    created_at: datetime
    updated_at: datetime
    version: int


@dataclass(frozen=True, slots=True)
class SurveyRow(SurveyRecord):
    """A survey on the customer's list, with the name of the rep it counts for."""

    rep_name: str


def add_survey(
    session: Session, actor: Actor, *, customer_id: int, data: dict[str, Any]
) -> SurveyRecord:
    """Record a survey for a live customer in scope; it counts for the customer's owner.

    PermissionDenied outside scope; ValidationError for bad input or an archived customer.
    """
    customer = live_customer(session, actor, customer_id)
    survey_in = build(SurveyCreate, data, context={"today": settings.office_today(session)})
    with unit_of_work(session, actor) as uow:
        survey = uow.add(
            Survey(customer_id=customer_id, rep_id=customer.owner_rep_id, **survey_in.model_dump())
        )
    return read_model(SurveyRecord, survey)


def list_for_customer(
    session: Session, actor: Actor, *, customer_id: int, limit: int = LIST_LIMIT
) -> list[SurveyRow]:
    """The customer's surveys, newest first, with the rep each counts for."""
    customers.get(session, actor, customer_id)
    rows = session.exec(
        select(Survey, Rep.name)
        .join(Rep, col(Rep.id) == col(Survey.rep_id))
        .where(col(Survey.customer_id) == customer_id)
        .order_by(col(Survey.surveyed_on).desc(), col(Survey.id).desc())
        .limit(limit)
    ).all()
    return [read_model(SurveyRow, survey, rep_name=rep) for survey, rep in rows]
