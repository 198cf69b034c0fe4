"""Logging in: password checks with a lockout kept in the database, and server-side sessions."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlmodel import Session, col, select, update

from models import User, UserSession
from models.base import N_, utcnow
from models.users import PASSWORD_MAX_BYTES
from services import passwords
from services.access import Actor, build_actor
from services.errors import (
    AccountLocked,
    LoginFailed,
    RepboardError,
    SessionEnded,
    ValidationError,
)
from services.unit_of_work import UnitOfWork, unit_of_work

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
SESSION_LIFETIME = timedelta(hours=12)
# Refresh last_seen at most this often, not on every rerun.
LAST_SEEN_RESOLUTION = timedelta(minutes=1)


def _find_user(session: Session, username: str) -> User | None:
    return session.exec(select(User).where(User.username == username.strip().lower())).first()


def authenticate(session: Session, username: str, password: str) -> User:
    """Check a login. Raises LoginFailed (same for unknown user and wrong password),
    AccountLocked (with the time it ends) or ValidationError for a too-long password."""
    if len(password.encode("utf-8")) > PASSWORD_MAX_BYTES:
        raise ValidationError(
            N_("The password is too long: at most 72 bytes (about 24 Chinese characters)."),
            field="password",
        )
    typed = username.strip().lower()[:64]
    # The attempt is recorded (committed) first; the error is raised after.
    with unit_of_work(session, None, username=typed) as uow:
        found = _find_user(session, typed)
        if found is None:
            passwords.waste_a_check(password)
            uow.audit("login.failed", entity="users", after={"reason": "unknown"})
            user, error = None, LoginFailed()
        else:
            user = uow.load(User, found.id, version=None)
            error = _check_known_user(uow, user, password)
    if error is not None or user is None:
        raise error or LoginFailed()
    return user


def _check_known_user(uow: UnitOfWork, user: User, password: str) -> RepboardError | None:
    """Record the attempt on `user`; return the error to raise once it is committed."""
    now = utcnow()
    if user.locked_until is not None and user.locked_until > now:
        uow.audit("login.failed", user, after={"reason": "locked"})
        return AccountLocked(user.locked_until)
    if not passwords.matches(password, user.password_hash) or not user.active:
        failures = user.failed_logins + 1
        if failures >= MAX_FAILED_LOGINS:
            until = now + LOCKOUT
            uow.change(user, {"failed_logins": 0, "locked_until": until}, action="login.locked")
            return AccountLocked(until)
        uow.change(user, {"failed_logins": failures}, action="login.failed")
        return LoginFailed()
    uow.change(user, {"failed_logins": 0, "locked_until": None}, action="login.succeeded")
    uow.audit("login", user)
    return None


def token_id(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start_session(session: Session, user: User, token: str) -> None:
    """Open the server-side record the login cookie is checked against."""
    with unit_of_work(session, None) as uow:
        uow.add(UserSession(user_id=user.id, token_id=token_id(token)), action="session.start")


def check_session(session: Session, token: str) -> tuple[Actor, User]:
    """The actor behind an open session; SessionEnded if it was ended, expired or the user left."""
    record = session.exec(
        select(UserSession).where(UserSession.token_id == token_id(token))
    ).first()
    now = utcnow()
    if record is None or record.ended_at is not None:
        raise SessionEnded()
    user = session.get(User, record.user_id)
    if user is None or not user.active or now - record.created_at > SESSION_LIFETIME:
        end_session(session, token, reason="expired")
        raise SessionEnded()
    if now - record.last_seen_at > LAST_SEEN_RESOLUTION:
        # Bookkeeping, not an edit: no version bump and no audit event per page view.
        session.exec(
            update(UserSession).where(col(UserSession.id) == record.id).values(last_seen_at=now)
        )
        session.commit()
    return build_actor(session, user), user


def end_session(session: Session, token: str, *, reason: str = "logout") -> None:
    with unit_of_work(session, None) as uow:
        record = session.exec(
            select(UserSession).where(UserSession.token_id == token_id(token))
        ).first()
        if record is not None and record.ended_at is None:
            uow.change(record, {"ended_at": utcnow(), "end_reason": reason}, action="session.end")


def end_user_sessions(
    uow: UnitOfWork, user_id: int, reason: str, *, keep_token: str | None = None
) -> int:
    """End every open session of a user inside the caller's unit of work."""
    keep = token_id(keep_token) if keep_token else None
    open_sessions = uow.session.exec(
        select(UserSession).where(
            UserSession.user_id == user_id, col(UserSession.ended_at).is_(None)
        )
    ).all()
    ended = 0
    for record in open_sessions:
        if record.token_id != keep:
            uow.change(record, {"ended_at": utcnow(), "end_reason": reason}, action="session.end")
            ended += 1
    return ended


def credentials(session: Session) -> dict[str, dict[str, dict[str, str | None]]]:
    """streamlit-authenticator's credentials, built from the active users of the User table."""
    rows = session.exec(select(User).where(col(User.active).is_(True))).all()
    return {
        "usernames": {
            user.username: {
                "name": user.display_name,
                "email": user.email,
                "password": user.password_hash,
                "roles": [user.role.value],
            }
            for user in rows
        }
    }
