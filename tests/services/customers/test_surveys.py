"""Surveys on customers in scope, checked input, CSAT and NPS per rep."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models import AuditEvent, Customer, Survey
from models.base import utcnow
from models.enums import PeriodKind
from services import metrics
from services.customers import surveys
from services.customers.surveys import SurveyRecord
from services.errors import PermissionDenied, ValidationError
from services.periods import containing
from tests.factories import Org, make_customer, moved_to_west
from tests.services.helpers import audit_actions, count


def _add(
    session: Session, org: Org, customer: Customer, today: date, **changes: Any
) -> SurveyRecord:
    data = {"surveyed_on": today, "score": 4} | changes
    return surveys.add_survey(
        session, org.actor(session, org.east_rep_user), customer_id=customer.id, data=data
    )


def _written(engine: Engine) -> tuple[int, int]:
    return count(engine, Survey), count(engine, AuditEvent)


def test_a_rep_adds_a_survey_that_counts_for_the_owner(
    session: Session, engine: Engine, org: Org, today: date
) -> None:
    customer = make_customer(session, org.east_rep.id)
    _add(session, org, customer, today - timedelta(days=3), score=3, nps=None, comment=" ok ")
    _add(session, org, customer, today, score=5, nps=10, comment="")
    listed = surveys.list_for_customer(
        session, org.actor(session, org.east_manager), customer_id=customer.id
    )
    assert [(s.surveyed_on, s.score, s.nps, s.comment) for s in listed] == [
        (today, 5, 10, None),
        (today - timedelta(days=3), 3, None, "ok"),
    ]
    assert {s.rep_id for s in listed} == {org.east_rep.id}
    assert listed[0].rep_name == "East Rep"
    assert audit_actions(engine) == ["surveys.create", "surveys.create"]


def test_surveys_move_the_reps_csat_and_nps(session: Session, org: Org, today: date) -> None:
    customer = make_customer(session, org.east_rep.id)
    admin = org.actor(session, org.admin)
    month = containing(PeriodKind.MONTH, today)

    def value(key: str) -> float | None:
        return metrics.by_rep(session, admin, key, month)[org.east_rep.id].value

    _add(session, org, customer, today, score=5, nps=10)
    _add(session, org, customer, today, score=2, nps=3)
    # CSAT (5 + 2) / 2; NPS one promoter (+100) and one detractor (-100) over two answers.
    assert (value("csat"), value("nps")) == (3.5, 0)
    _add(session, org, customer, today, score=4, nps=9)
    _add(session, org, customer, today, score=4)
    # CSAT 15 / 4; NPS (100 - 100 + 100) / 3: the survey without an NPS answer is left out.
    assert value("csat") == 3.75
    assert value("nps") == pytest.approx(100 / 3)


@pytest.mark.parametrize(
    ("changes", "message", "field"),
    [
        ({"score": 0}, "The satisfaction score is a whole number from 1 to 5.", "score"),
        ({"score": 6}, "The satisfaction score is a whole number from 1 to 5.", "score"),
        ({"score": None}, "The satisfaction score is a whole number from 1 to 5.", "score"),
        ({"nps": 11}, "The NPS answer is a whole number from 0 to 10.", "nps"),
        ({"nps": -1}, "The NPS answer is a whole number from 0 to 10.", "nps"),
        ({"surveyed_on": "tomorrow"}, "This date is in the future.", "surveyed_on"),
        ({"comment": "x" * 2001}, "Use at most {limit} characters.", "comment"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_written(
    session: Session,
    engine: Engine,
    org: Org,
    today: date,
    changes: dict[str, Any],
    message: str,
    field: str,
) -> None:
    customer = make_customer(session, org.east_rep.id)
    if changes.get("surveyed_on") == "tomorrow":
        changes = {"surveyed_on": today + timedelta(days=1)}
    before = _written(engine)
    with pytest.raises(ValidationError) as raised:
        _add(session, org, customer, today, **changes)
    assert (raised.value.msgid, raised.value.field) == (message, field)
    assert _written(engine) == before


def test_an_archived_customer_gets_no_survey(
    session: Session, engine: Engine, org: Org, today: date
) -> None:
    customer = make_customer(session, org.east_rep.id, archived_at=utcnow())
    with pytest.raises(ValidationError, match="archived"):
        _add(session, org, customer, today)
    assert _written(engine) == (0, 0)


@pytest.mark.parametrize("who", ["east_rep_user", "east_manager"])
def test_surveys_of_a_customer_outside_scope_are_denied(
    session: Session, engine: Engine, org: Org, today: date, who: str
) -> None:
    customer = make_customer(session, org.west_rep.id, "Theirs")
    actor = org.actor(session, getattr(org, who))
    with pytest.raises(PermissionDenied):
        surveys.add_survey(
            session, actor, customer_id=customer.id, data={"surveyed_on": today, "score": 5}
        )
    with pytest.raises(PermissionDenied):
        surveys.list_for_customer(session, actor, customer_id=customer.id)
    assert session.exec(select(Survey)).all() == []
    assert audit_actions(engine) == ["access.denied", "access.denied"]


def test_after_a_reassignment_surveys_stay_with_their_rep_and_follow_the_file(
    session: Session, engine: Engine, org: Org, today: date
) -> None:
    work = moved_to_west(session, org, today)
    old_owner = org.actor(session, org.east_rep_user)
    before = _written(engine)
    with pytest.raises(PermissionDenied):
        surveys.list_for_customer(session, old_owner, customer_id=work.customer.id)
    with pytest.raises(PermissionDenied):
        surveys.add_survey(
            session,
            old_owner,
            customer_id=work.customer.id,
            data={"surveyed_on": today, "score": 5},
        )
    assert _written(engine) == (before[0], before[1] + 2)
    new_owner = org.actor(session, org.west_rep_user)
    listed = surveys.list_for_customer(session, new_owner, customer_id=work.customer.id)
    assert [(s.id, s.rep_name) for s in listed] == [(work.survey.id, "East Rep")]
    added = surveys.add_survey(
        session, new_owner, customer_id=work.customer.id, data={"surveyed_on": today, "score": 5}
    )
    assert added.rep_id == org.west_rep.id
    month = containing(PeriodKind.MONTH, today)
    admin = org.actor(session, org.admin)
    csat = metrics.by_rep(session, admin, "csat", month)
    assert {rep: value.value for rep, value in csat.items()} == {
        org.east_rep.id: 4.0,
        org.west_rep.id: 5.0,
    }
