"""Users: admins only; every bad input is a message on a field and writes nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models import AuditEvent, User
from models.base import utcnow
from models.enums import Role
from services.errors import PermissionDenied, StaleEdit, ValidationError
from services.people import users
from tests.factories import Org, actor_for, make_user
from tests.services.helpers import snapshot

GOOD = {"username": "newbie", "password": "a-good-password", "display_name": "New Bie"}


def _create(session: Session, org: Org, **changes: Any) -> users.UserAccount:
    data = GOOD | {"role": "manager"} | changes
    return users.create(session, org.actor(session, org.admin), data=data)


def _audit_json(engine: Engine) -> str:
    with Session(engine) as session:
        events = session.exec(select(AuditEvent)).all()
    return " ".join(f"{event.before} {event.after}" for event in events)


def test_admin_creates_a_user_with_a_bcrypt_12_hash(session: Session, engine: Engine) -> None:
    org = Org(session)
    created = _create(session, org, username="  Chen.Jing ", email="chen@example.com")
    assert created.username == "chen.jing"
    assert not hasattr(created, "password_hash")
    stored = session.exec(select(User).where(User.username == "chen.jing")).one()
    assert stored.password_hash.startswith("$2b$12$")
    audit = _audit_json(engine)
    assert "chen.jing" in audit
    assert stored.password_hash not in audit and "a-good-password" not in audit


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"username": ""}, "username"),
        ({"username": "admin"}, "username"),
        ({"username": "ADMIN"}, "username"),
        ({"username": "two words"}, "username"),
        ({"username": "x" * 65}, "username"),
        ({"password": "short"}, "password"),
        ({"password": "newbie"}, "password"),
        ({"username": "newbie99", "password": "newbie99"}, "password"),
        ({"password": "a" * 73}, "password"),
        ({"password": "密" * 30}, "password"),
        ({"password": " padded-password"}, "password"),
        ({"role": "boss"}, "role"),
        ({"role": "rep"}, None),
        ({"email": "not-an-email"}, "email"),
        ({"display_name": "  "}, "display_name"),
        ({"locale": "fr"}, "locale"),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(
    session: Session, engine: Engine, changes: dict[str, Any], field: str | None
) -> None:
    org = Org(session)
    before = snapshot(engine)
    with pytest.raises(ValidationError) as error:
        _create(session, org, **changes)
    assert error.value.field == field
    assert error.value.msgid
    password = changes.get("password", GOOD["password"])
    assert password not in repr(error.value) + str(error.value.params)
    assert snapshot(engine) == before


def test_a_rep_can_be_linked_to_one_user_only(session: Session, engine: Engine) -> None:
    org = Org(session)
    before = snapshot(engine)
    with pytest.raises(ValidationError) as error:
        _create(session, org, role="rep", rep_id=org.east_rep.id)
    assert error.value.field == "rep_id"
    admin = org.actor(session, org.admin)
    with pytest.raises(ValidationError):
        users.update(
            session, admin, user_id=org.west_rep_user.id, version=org.west_rep_user.version,
            data={"display_name": "W", "role": "rep", "rep_id": org.east_rep.id},
        )  # fmt: skip
    assert snapshot(engine) == before


def test_update_with_a_stale_version_is_refused(session: Session, engine: Engine) -> None:
    org = Org(session)
    admin = org.actor(session, org.admin)
    seen = org.east_manager.version
    first = {"display_name": "First", "role": "manager", "locale": "en"}
    users.update(session, admin, user_id=org.east_manager.id, version=seen, data=first)
    before = snapshot(engine)
    second = first | {"display_name": "Second"}
    with pytest.raises(StaleEdit):
        users.update(session, admin, user_id=org.east_manager.id, version=seen, data=second)
    assert snapshot(engine) == before
    assert users.get(session, admin, org.east_manager.id).display_name == "First"


def test_admin_cannot_lock_themself_out(session: Session) -> None:
    org = Org(session)
    admin = org.actor(session, org.admin)
    with pytest.raises(ValidationError):
        users.set_active(
            session, admin, user_id=org.admin.id, version=org.admin.version, active=False
        )
    with pytest.raises(ValidationError):
        users.update(
            session, admin, user_id=org.admin.id, version=org.admin.version,
            data={"display_name": "A", "role": "rep", "rep_id": org.east_sub_rep.id},
        )  # fmt: skip


def test_reset_password_requires_a_change_at_next_login(session: Session, engine: Engine) -> None:
    org = Org(session)
    admin = org.actor(session, org.admin)
    before = snapshot(engine)
    with pytest.raises(ValidationError):
        users.reset_password(
            session, admin, user_id=org.west_rep_user.id, version=org.west_rep_user.version,
            new_password="密" * 30,
        )  # fmt: skip
    assert snapshot(engine) == before
    reset = users.reset_password(
        session, admin, user_id=org.west_rep_user.id, version=org.west_rep_user.version,
        new_password="temporary-pw",
    )  # fmt: skip
    assert reset.must_change_password is True
    assert "temporary-pw" not in _audit_json(engine)


def _lock(session: Session, user: User, minutes: int) -> User:
    """`user` as five failed logins leave them: locked for `minutes` from now (negative: a
    lock that has lapsed)."""
    user.locked_until = utcnow() + timedelta(minutes=minutes)
    session.add(user)
    session.commit()
    session.refresh(user)
    return user


def test_an_admin_unlocks_a_locked_account_and_the_audit_says_so(
    session: Session, engine: Engine
) -> None:
    org = Org(session)
    locked = _lock(session, org.west_rep_user, 15)
    assert users.get(session, org.actor(session, org.admin), locked.id).locked
    unlocked = users.unlock(
        session, org.actor(session, org.admin), user_id=locked.id, version=locked.version
    )
    # Lock columns are bookkeeping: an edit the admin has open on the user stays valid.
    assert (unlocked.locked, unlocked.locked_until, unlocked.version) == (
        False, None, locked.version,
    )  # fmt: skip
    with Session(engine) as fresh:
        event = fresh.exec(select(AuditEvent).where(AuditEvent.action == "user.unlock")).one()
    assert event.after["locked_until"] is None and event.before["locked_until"] is not None


@pytest.mark.parametrize("minutes", [None, -1])
def test_an_account_that_is_not_locked_cannot_be_unlocked(
    session: Session, engine: Engine, minutes: int | None
) -> None:
    org = Org(session)
    user = org.west_rep_user if minutes is None else _lock(session, org.west_rep_user, minutes)
    before = snapshot(engine)
    with pytest.raises(ValidationError) as refused:
        users.unlock(session, org.actor(session, org.admin), user_id=user.id, version=user.version)
    assert refused.value.field == "locked_until"
    assert snapshot(engine) == before


def test_unlocking_from_a_stale_version_is_refused(session: Session, engine: Engine) -> None:
    org = Org(session)
    locked = _lock(session, org.west_rep_user, 15)
    before = snapshot(engine)
    with pytest.raises(StaleEdit):
        users.unlock(
            session, org.actor(session, org.admin), user_id=locked.id, version=locked.version - 1
        )
    assert snapshot(engine) == before


SERVICE_CALLS = {
    "list_users": lambda session, actor, org: users.list_users(session, actor),
    "get": lambda session, actor, org: users.get(session, actor, org.admin.id),
    "rep_choices": lambda session, actor, org: users.rep_choices(session, actor),
    "create": lambda session, actor, org: users.create(
        session, actor, data=GOOD | {"role": "admin"}
    ),
    "update": lambda session, actor, org: users.update(
        session,
        actor,
        user_id=org.admin.id,
        version=org.admin.version,
        data={"display_name": "Mine now", "role": "admin"},
    ),
    "set_active": lambda session, actor, org: users.set_active(
        session, actor, user_id=org.admin.id, version=org.admin.version, active=False
    ),
    "unlock": lambda session, actor, org: users.unlock(
        session, actor, user_id=org.admin.id, version=org.admin.version
    ),
    "reset_password": lambda session, actor, org: users.reset_password(
        session,
        actor,
        user_id=org.admin.id,
        version=org.admin.version,
        new_password="taken-over-1",
    ),
}


@pytest.mark.parametrize("who", ["east_rep_user", "east_manager"])
@pytest.mark.parametrize("call", list(SERVICE_CALLS))
def test_only_admins_use_the_users_service(
    session: Session, engine: Engine, call: str, who: str
) -> None:
    org = Org(session)
    actor = org.actor(session, getattr(org, who))
    users_before, _, versions_before = snapshot(engine)
    with pytest.raises(PermissionDenied):
        SERVICE_CALLS[call](session, actor, org)
    users_after, _, versions_after = snapshot(engine)
    assert (users_after, versions_after) == (users_before, versions_before)
    with Session(engine) as fresh:
        denial = fresh.exec(select(AuditEvent).where(AuditEvent.action == "access.denied")).one()
    assert (denial.user_id, denial.after) == (actor.user_id, {"attempted": f"user.{call}"})


def test_the_list_sorts_numbers_in_usernames_by_their_value(session: Session) -> None:
    admin = make_user(session, Role.ADMIN, username="boss")
    # Made out of order, so neither the ids nor the insertion order give the answer.
    for username in ["rep11", "rep2", "rep10", "rep", "rep1b", "rep1a", "rep01", "rep1", "ann"]:
        make_user(session, username=username)
    listed = [row.username for row in users.list_users(session, actor_for(session, admin))]
    assert listed == [
        "ann", "boss", "rep", "rep01", "rep1", "rep1a", "rep1b", "rep2", "rep10", "rep11",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "before"),
    [("rep2", "rep10"), ("rep", "rep1"), ("Rep2", "rep3"), ("a9b", "a10a"), ("2rep", "rep")],
)
def test_the_natural_key_orders_numbers_by_value(text: str, before: str) -> None:
    assert users.natural_key(text) < users.natural_key(before)
