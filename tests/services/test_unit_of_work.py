"""services/unit_of_work.py: all or nothing, version bumps, stale edits, audit before/after."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, col, select

from models import AuditEvent, Goal, Team, User, UserSession
from services import data_version
from services.errors import Conflict, StaleEdit, ValidationError
from services.goals import records as goals
from services.i18n import translate
from services.people import users
from services.unit_of_work import unit_of_work
from tests.factories import Org
from tests.services.goals.cases import q1_goal
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


def test_login_bookkeeping_bumps_no_version_and_an_edit_does(
    session: Session, engine: Engine
) -> None:
    org = Org(session)
    user = org.east_rep_user
    start, version = data_version.current(session), user.version
    with unit_of_work(session, None, username="eastrep") as uow:
        uow.change(uow.load(User, user.id, version=None), {"failed_logins": 1})
    assert (data_version.current(session), _fresh(engine, User, user.id).version) == (
        start,
        version,
    )
    with unit_of_work(session, org.actor(session, org.admin)) as uow:
        uow.change(uow.load(User, user.id, version=None), {"display_name": "Eastern Rep"})
    assert data_version.current(session) == start + 1
    assert _fresh(engine, User, user.id).version == version + 1


def _fresh(engine: Engine, model: type[SQLModel], row_id: int | None) -> Any:
    with Session(engine) as fresh:
        return fresh.get(model, row_id)


@contextlib.contextmanager
def _saved_first_after_the_check(session: Session, save: Callable[[], object]) -> Iterator[None]:
    """Run `save` when `session` next ends its read transaction, as a write does before it
    takes the lock: another user's save landing between this one's check and its insert."""
    fired: list[bool] = []

    def between_check_and_write(_session: Session) -> None:
        if not fired:
            fired.append(True)
            save()

    sa.event.listen(session, "after_commit", between_check_and_write)
    try:
        yield
    finally:
        sa.event.remove(session, "after_commit", between_check_and_write)
    assert fired, "the session never ended a transaction"


def test_a_duplicate_raced_past_the_check_is_a_message_and_writes_nothing(
    session: Session, engine: Engine
) -> None:
    org = Org(session)
    admin, manager = org.actor(session, org.admin), org.actor(session, org.east_manager)
    goal = q1_goal(org.east_rep)

    def admin_saves_the_same_goal() -> None:
        with Session(engine) as other_tab:
            goals.create(other_tab, admin, data=goal)

    events = count(engine, AuditEvent)
    # The manager's check finds no such goal; the admin's save lands before the insert.
    with (
        _saved_first_after_the_check(session, admin_saves_the_same_goal),
        pytest.raises(Conflict) as raced,
    ):
        goals.create(session, manager, data=goal)
    assert translate("zh_CN", raced.value.msgid) != raced.value.msgid
    with Session(engine) as fresh:
        saved = fresh.exec(
            select(Goal.created_at, AuditEvent.user_id)
            .join(AuditEvent, col(AuditEvent.entity_id) == Goal.id)
            .where(AuditEvent.entity == "goals")
        ).all()
    assert [user_id for _created, user_id in saved] == [org.admin.id]
    assert count(engine, AuditEvent) == events + 1


def test_two_admins_creating_the_same_username_at_once_get_one_user(
    session: Session, engine: Engine
) -> None:
    if engine.dialect.name == "sqlite":
        pytest.skip("on SQLite BEGIN IMMEDIATE runs the check and the insert as one")
    org = Org(session)
    admin = org.actor(session, org.admin)
    new_user = {
        "username": "twin",
        "display_name": "Twin",
        "role": "admin",
        "password": "a-long-pw",
    }
    fired: list[bool] = []

    def other_admin_saves_first(_session: Session, *_args: object) -> None:
        # The check inside this transaction found no "twin"; the other admin's save commits.
        if not fired:
            fired.append(True)
            with Session(engine) as other_tab:
                users.create(other_tab, admin, data=new_user | {"display_name": "First"})

    sa.event.listen(session, "before_flush", other_admin_saves_first)
    with pytest.raises(Conflict):
        users.create(session, admin, data=new_user)
    sa.event.remove(session, "before_flush", other_admin_saves_first)
    with Session(engine) as fresh:
        names = fresh.exec(select(User.display_name).where(User.username == "twin")).all()
    assert names == ["First"]
