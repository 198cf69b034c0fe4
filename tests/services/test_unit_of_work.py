"""services/unit_of_work.py: all or nothing, version bumps, stale edits, audit before/after."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models import AuditEvent, Team, UserSession
from services import data_version
from services.errors import StaleEdit, ValidationError
from services.unit_of_work import unit_of_work
from tests.factories import Org
from tests.services.helpers import count


def test_a_failed_validation_leaves_no_row_and_no_event(session: Session, engine: Engine) -> None:
    org = Org(session)
    actor = org.actor(session, org.admin)
    teams, events = count(engine, Team), count(engine, AuditEvent)
    with pytest.raises(ValidationError), unit_of_work(session, actor) as uow:
        uow.add(Team(name="Half written"))
        raise ValidationError("Enter a display name.", field="name")
    assert (count(engine, Team), count(engine, AuditEvent)) == (teams, events)


def test_add_writes_the_row_and_its_event_together(session: Session, engine: Engine) -> None:
    org = Org(session)
    with unit_of_work(session, org.actor(session, org.admin)) as uow:
        team = uow.add(Team(name="North"))
    with Session(engine) as fresh:
        event = fresh.exec(select(AuditEvent).where(AuditEvent.entity_id == team.id)).one()
    assert (event.action, event.user_id, event.after["name"]) == (
        "teams.create",
        org.admin.id,
        "North",
    )


def test_change_bumps_the_version_and_audits_only_what_changed(
    session: Session, engine: Engine
) -> None:
    org = Org(session)
    with unit_of_work(session, org.actor(session, org.admin)) as uow:
        team = uow.load(Team, org.west.id, version=org.west.version)
        uow.change(team, {"name": "West Coast", "parent_id": org.west.parent_id})
    stored = session.get(Team, org.west.id)
    assert stored.version == 2 and stored.name == "West Coast"
    with Session(engine) as fresh:
        event = fresh.exec(select(AuditEvent).where(AuditEvent.action == "teams.update")).one()
    assert (event.before, event.after) == ({"name": "West"}, {"name": "West Coast"})


def test_the_second_edit_from_the_same_version_is_refused(session: Session) -> None:
    org = Org(session)
    actor = org.actor(session, org.admin)
    seen = org.west.version
    with unit_of_work(session, actor) as uow:
        uow.change(uow.load(Team, org.west.id, version=seen), {"name": "First"})
    with pytest.raises(StaleEdit), unit_of_work(session, actor) as uow:
        uow.change(uow.load(Team, org.west.id, version=seen), {"name": "Second"})
    session.expire_all()
    assert session.get(Team, org.west.id).name == "First"


def test_an_error_after_writes_rolls_all_of_them_back(session: Session, engine: Engine) -> None:
    org = Org(session)
    events = count(engine, AuditEvent)
    with pytest.raises(RuntimeError), unit_of_work(session, org.actor(session, org.admin)) as uow:
        uow.change(uow.load(Team, org.west.id, version=None), {"name": "Gone"})
        uow.add(Team(name="Also gone"))
        raise RuntimeError("boom")
    session.expire_all()
    assert session.get(Team, org.west.id).name == "West"
    assert count(engine, AuditEvent) == events


def test_every_data_write_bumps_the_data_version_and_failures_do_not(
    session: Session, engine: Engine
) -> None:
    org = Org(session)
    actor = org.actor(session, org.admin)
    start = data_version.current(session)
    with unit_of_work(session, actor) as uow:
        team = uow.add(Team(name="South"))
    assert data_version.current(session) == start + 1
    with unit_of_work(session, actor) as uow:
        uow.change(uow.load(Team, team.id, version=None), {"name": "Deep South"})
    assert data_version.current(session) == start + 2
    with pytest.raises(ValidationError), unit_of_work(session, actor) as uow:
        uow.add(Team(name="Never"))
        raise ValidationError("Enter a display name.", field="name")
    with unit_of_work(session, actor) as uow:
        uow.add(UserSession(user_id=org.admin.id, token_id="x" * 64))
    assert data_version.current(session) == start + 2
