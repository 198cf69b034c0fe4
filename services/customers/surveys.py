"""Satisfaction surveys: a score 1–5 and an optional NPS answer, per customer."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from models import Rep, Survey
from models.customers import SurveyCreate
from services import settings
from services.access import Actor
from services.customers import records as customers
from services.customers.diary import live_customer
from services.unit_of_work import unit_of_work
from services.validation import build

LIST_LIMIT = 100


def add_survey(
    session: Session, actor: Actor, *, customer_id: int, data: dict[str, Any]
) -> dict[str, Any]:
    """Record a survey for a live customer in scope; it counts for the customer's owner.

    PermissionDenied outside scope; ValidationError for bad input or an archived customer.
    """
    customer = live_customer(session, actor, customer_id)
    survey_in = build(SurveyCreate, data, context={"today": settings.office_today(session)})
    with unit_of_work(session, actor) as uow:
        survey = uow.add(
            Survey(
                customer_id=customer_id, rep_id=customer["owner_rep_id"], **survey_in.model_dump()
            )
        )
    return survey.model_dump()


def list_for_customer(
    session: Session, actor: Actor, *, customer_id: int, limit: int = LIST_LIMIT
) -> list[dict[str, Any]]:
    """The customer's surveys, newest first, with the rep each counts for."""
    customers.get(session, actor, customer_id)
    rows = session.exec(
        select(Survey, Rep.name)
        .join(Rep, col(Rep.id) == col(Survey.rep_id))
        .where(col(Survey.customer_id) == customer_id)
        .order_by(col(Survey.surveyed_on).desc(), col(Survey.id).desc())
        .limit(limit)
    ).all()
    return [survey.model_dump() | {"rep_name": rep} for survey, rep in rows]
