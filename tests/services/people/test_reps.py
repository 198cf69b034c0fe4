"""services/people/reps.py: reps read as typed summaries within the actor's scope, and who may
be given work: a rep in scope who is working, else a message naming why."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from models import Rep
from models.enums import RepStatus
from services.errors import NotFound, PermissionDenied, ValidationError
from services.people import reps
from services.people.reps import RepSummary
from tests.factories import Org, make_rep
from tests.services.helpers import audit_actions


def test_a_rep_reads_as_a_summary_with_their_team(session: Session, org: Org) -> None:
    org.east_rep.title, org.east_rep.hire_date = "Account manager", date(2024, 5, 6)
    session.add(org.east_rep)
    session.commit()
    found = reps.get(session, org.actor(session, org.east_manager), org.east_rep.id)
    assert found == RepSummary(
        id=org.east_rep.id, name="East Rep", email=None, team_id=org.east.id, team_name="East",
        title="Account manager", hire_date=date(2024, 5, 6), status=RepStatus.ACTIVE,
        version=org.east_rep.version,
    )  # fmt: skip


def test_the_list_is_by_name_and_a_rep_without_a_team_has_no_team_name(
    session: Session, org: Org
) -> None:
    loner = make_rep(session, None, "Aaron Alone")
    listed = reps.list_reps(session, org.actor(session, org.admin))
    assert [rep.name for rep in listed] == ["Aaron Alone", "East Rep", "East Sub Rep", "West Rep"]
    assert (listed[0].id, listed[0].team_id, listed[0].team_name) == (loner.id, None, None)


def test_an_unknown_rep_is_not_found(session: Session, org: Org) -> None:
    with pytest.raises(NotFound):
        reps.get(session, org.actor(session, org.admin), 999_999)


def _set(session: Session, rep: Rep, **changes: object) -> None:
    for name, value in changes.items():
        setattr(rep, name, value)
    session.add(rep)
    session.commit()


@pytest.mark.parametrize(
    ("changes", "msgid"),
    [
        ({"status": RepStatus.LEFT},
         "That rep has left the company. Choose an active rep as the owner."),
        ({"archived_at": datetime(2025, 1, 1, tzinfo=UTC)},
         "That rep has left the company. Choose an active rep as the owner."),
        ({"status": RepStatus.ON_LEAVE},
         "That rep is on leave. Choose an active rep as the owner."),
    ],
)  # fmt: skip
def test_a_rep_who_is_not_working_cannot_be_given_work(
    session: Session, engine: Engine, org: Org, changes: dict[str, object], msgid: str
) -> None:
    manager = org.actor(session, org.east_manager)
    reps.require_active(session, manager, org.east_sub_rep.id, action="test", field="owner_id")
    _set(session, org.east_sub_rep, **changes)
    with pytest.raises(ValidationError) as raised:
        reps.require_active(session, manager, org.east_sub_rep.id, action="test", field="owner_id")
    assert (raised.value.field, raised.value.msgid) == ("owner_id", msgid)
    assert audit_actions(engine) == []


def test_a_rep_that_does_not_exist_is_a_message_on_the_field() -> None:
    with pytest.raises(ValidationError) as raised:
        reps.check_active(None, field="rep_id")
    assert (raised.value.field, raised.value.msgid) == ("rep_id", "That rep does not exist.")


def test_a_rep_outside_the_scope_is_denied_before_their_status_is_read(
    session: Session, engine: Engine, org: Org
) -> None:
    _set(session, org.west_rep, status=RepStatus.LEFT)
    with pytest.raises(PermissionDenied):
        reps.require_active(
            session, org.actor(session, org.east_manager), org.west_rep.id,
            action="deal.create", field="rep_id",
        )  # fmt: skip
    assert audit_actions(engine) == ["access.denied"]
