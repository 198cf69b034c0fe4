"""services/auth.py: password checks, the database lockout and server-side sessions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models import AuditEvent, User, UserSession
from models.base import utcnow
from services import account, auth, users
from services.errors import AccountLocked, LoginFailed, SessionEnded, ValidationError
from tests.factories import PASSWORD, Org
from tests.services.helpers import audit_actions, snapshot


def _fresh_user(engine: Engine, username: str) -> User:
    # A new Session: what a restarted process would read.
    with Session(engine) as session:
        return session.exec(select(User).where(User.username == username)).one()


def test_correct_password_logs_in_and_is_audited(session: Session, engine: Engine) -> None:
    Org(session)
    user = auth.authenticate(session, "  EastRep ", PASSWORD)
    assert user.username == "eastrep"
    assert audit_actions(engine)[-1] == "login"


def test_unknown_user_and_wrong_password_look_the_same(session: Session, engine: Engine) -> None:
    Org(session)
    with pytest.raises(LoginFailed) as unknown:
        auth.authenticate(session, "ghost", PASSWORD)
    with pytest.raises(LoginFailed) as wrong:
        auth.authenticate(session, "eastrep", "not the password")
    assert unknown.value.msgid == wrong.value.msgid
    with Session(engine) as fresh:
        failed = fresh.exec(
            select(AuditEvent.username).where(AuditEvent.action == "login.failed")
        ).all()
    assert failed == ["ghost", "eastrep"]


def test_five_failures_lock_for_15_minutes_in_the_database(
    session: Session, engine: Engine
) -> None:
    Org(session)
    for _ in range(4):
        with pytest.raises(LoginFailed):
            auth.authenticate(session, "eastrep", "wrong")
    before = utcnow()
    with pytest.raises(AccountLocked) as locked:
        auth.authenticate(session, "eastrep", "wrong")
    assert timedelta(minutes=14) < locked.value.until - before <= timedelta(minutes=15, seconds=5)
    # Even the right password is refused while locked, and the lock survives a restart.
    with pytest.raises(AccountLocked):
        auth.authenticate(session, "eastrep", PASSWORD)
    stored = _fresh_user(engine, "eastrep")
    assert stored.locked_until == locked.value.until
    with Session(engine) as other_process, pytest.raises(AccountLocked):
        auth.authenticate(other_process, "eastrep", PASSWORD)


def test_the_lock_ends_when_its_time_has_passed(session: Session, engine: Engine) -> None:
    Org(session)
    user = _fresh_user(engine, "eastrep")
    user.locked_until = utcnow() - timedelta(seconds=1)
    session.add(user)
    session.commit()
    assert auth.authenticate(session, "eastrep", PASSWORD).locked_until is None


def test_a_too_long_password_is_a_message_and_writes_nothing(
    session: Session, engine: Engine
) -> None:
    Org(session)
    before = snapshot(engine)
    for password in ["a" * 73, "密" * 30]:
        with pytest.raises(ValidationError) as error:
            auth.authenticate(session, "eastrep", password)
        assert error.value.field == "password"
        assert password not in str(error.value) + repr(error.value) + str(error.value.params)
    assert snapshot(engine) == before


def test_an_inactive_user_cannot_log_in(session: Session) -> None:
    org = Org(session)
    org.east_rep_user.active = False
    session.add(org.east_rep_user)
    session.commit()
    with pytest.raises(LoginFailed):
        auth.authenticate(session, "eastrep", PASSWORD)


def test_sessions_open_check_and_end(session: Session) -> None:
    org = Org(session)
    auth.start_session(session, org.east_rep_user, "eastrep|1")
    actor, user = auth.check_session(session, "eastrep|1")
    assert (actor.username, actor.rep_id, user.id) == ("eastrep", org.east_rep.id, user.id)
    auth.end_session(session, "eastrep|1")
    with pytest.raises(SessionEnded):
        auth.check_session(session, "eastrep|1")
    with pytest.raises(SessionEnded):
        auth.check_session(session, "never-opened")


def test_a_session_ends_after_12_hours(session: Session) -> None:
    org = Org(session)
    auth.start_session(session, org.east_rep_user, "old")
    record = session.exec(select(UserSession)).one()
    record.created_at = utcnow() - timedelta(hours=12, minutes=1)
    session.add(record)
    session.commit()
    with pytest.raises(SessionEnded):
        auth.check_session(session, "old")


def test_deactivation_reset_and_password_change_end_sessions(session: Session) -> None:
    org = Org(session)
    admin = org.actor(session, org.admin)
    for token in ["a", "b"]:
        auth.start_session(session, org.east_rep_user, token)
    users.set_active(
        session, admin, user_id=org.east_rep_user.id, version=org.east_rep_user.version,
        active=False,
    )  # fmt: skip
    for token in ["a", "b"]:
        with pytest.raises(SessionEnded):
            auth.check_session(session, token)

    auth.start_session(session, org.west_rep_user, "c")
    users.reset_password(
        session, admin, user_id=org.west_rep_user.id, version=org.west_rep_user.version,
        new_password="temporary-pw",
    )  # fmt: skip
    with pytest.raises(SessionEnded):
        auth.check_session(session, "c")

    auth.start_session(session, org.east_manager, "keep")
    auth.start_session(session, org.east_manager, "other")
    manager = org.actor(session, org.east_manager)
    account.change_password(
        session, manager, current=PASSWORD, new="a brand new one", keep_token="keep"
    )
    assert auth.check_session(session, "keep")[1].username == "eastboss"
    with pytest.raises(SessionEnded):
        auth.check_session(session, "other")


def test_credentials_for_the_authenticator_list_active_users_only(session: Session) -> None:
    org = Org(session)
    org.west_rep_user.active = False
    session.add(org.west_rep_user)
    session.commit()
    credentials = auth.credentials(session)["usernames"]
    assert "westrep" not in credentials
    assert credentials["eastrep"]["password"].startswith("$2b$12$")
