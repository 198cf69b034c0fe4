"""Logging in: password checks with a lockout kept in the database, and server-side sessions.

A session is named by a random token that only the browser's cookie holds; the database keeps
its SHA-256, so a copy of the table opens nothing.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col, delete, func, select, update

from models import User, UserSession
from models.base import N_, utcnow
from models.users import PASSWORD_MAX_BYTES
from services import settings
from services.access import Actor, build_actor
from services.db import begin_write
from services.errors import LoginFailed, SessionEnded, ValidationError
from services.people import passwords
from services.unit_of_work import UnitOfWork, unit_of_work

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
SESSION_LIFETIME = timedelta(hours=12)
# Refresh last_seen at most this often, not on every rerun.
LAST_SEEN_RESOLUTION = timedelta(minutes=1)
# Ended sessions are kept this long (who was logged in when), then purged.
ENDED_SESSIONS_KEPT = timedelta(days=30)
TOKEN_BYTES = 32
USERNAME_MAX_CHARS: int = User.__table__.c.username.type.length  # type: ignore[attr-defined]


@dataclass(frozen=True)
class SignedIn:
    """Who an open session belongs to."""

    actor: Actor
    must_change_password: bool


def typed_username(username: str) -> str:
    """A username as typed, as it is looked up and audited: trimmed, lower case, cut to fit."""
    return username.strip().lower()[:USERNAME_MAX_CHARS]


def authenticate(session: Session, username: str, password: str) -> User:
    """Check a login: one bcrypt check whatever the outcome, each attempt audited.

    LoginFailed, the same for an unknown user, a wrong password, an inactive or a locked
    account (so usernames cannot be probed); ValidationError for a password over 72 bytes,
    with nothing written. Five failures in a row lock the account for 15 minutes.
    """
    if len(password.encode("utf-8")) > PASSWORD_MAX_BYTES:
        raise ValidationError(
            N_("The password is too long: at most 72 bytes (about 24 Chinese characters)."),
            field="password",
        )
    typed = typed_username(username)
    found = session.exec(select(User).where(User.username == typed)).first()
    # Hashed before the write transaction, so logins at once never queue for its lock.
    checked_hash = found.password_hash if found is not None else None
    if checked_hash is None:
        passwords.waste_a_check(password)
    password_ok = checked_hash is not None and passwords.matches(password, checked_hash)
    with unit_of_work(session, None, username=typed) as uow:
        if found is None:
            uow.audit("login.failed", entity="users", after={"reason": "unknown"})
            user = None
        else:
            user = uow.load(User, found.id, version=None)
            # A password changed since the check was made against the old hash: no login.
            accepted = password_ok and user.password_hash == checked_hash
            user = user if _record_attempt(uow, user, accepted) else None
    if user is None:
        raise LoginFailed()
    return user


def _record_attempt(uow: UnitOfWork, user: User, accepted: bool) -> bool:
    """Record the attempt on `user` (locked at the fifth failure); True if it logs in."""
    now = utcnow()
    if user.locked_until is not None and user.locked_until > now:
        uow.audit("login.failed", user, after={"reason": "locked"})
        return False
    if not accepted or not user.active:
        failures = user.failed_logins + 1
        if failures >= MAX_FAILED_LOGINS:
            lock = {"failed_logins": 0, "locked_until": now + LOCKOUT}
            uow.change(user, lock, action="login.locked")
        else:
            uow.change(user, {"failed_logins": failures}, action="login.failed")
        return False
    uow.change(user, {"failed_logins": 0, "locked_until": None}, action="login.succeeded")
    uow.audit("login", user)
    return True


def token_id(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start_session(session: Session, user: User) -> str:
    """Open a session for `user` and return its new random token, which is stored only as a
    hash. Sessions ended more than 30 days ago are purged on the way."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with unit_of_work(session, None, username=user.username) as uow:
        _purge_ended_sessions(uow)
        uow.add(UserSession(user_id=user.id, token_id=token_id(token)), action="session.start")
    return token


def _purge_ended_sessions(uow: UnitOfWork) -> None:
    cutoff = utcnow() - ENDED_SESSIONS_KEPT
    # A session still open but created before the cutoff expired long ago: it goes too.
    ended_at = func.coalesce(col(UserSession.ended_at), col(UserSession.created_at))
    purged = uow.session.exec(delete(UserSession).where(ended_at < cutoff)).rowcount
    if purged:
        uow.audit(
            "session.purge",
            entity="user_sessions",
            after={"sessions": purged, "ended_before": cutoff.isoformat()},
        )


def check_session(session: Session, token: str) -> SignedIn:
    """Who the open session named by `token` belongs to.

    SessionEnded if it was ended, is older than 12 hours, was idle longer than the
    `session_idle_minutes` setting or its user was deactivated (the record is ended then).
    Marks the session seen at most once a minute, and never fails for that.
    """
    now = utcnow()
    record = session.exec(
        select(UserSession).where(UserSession.token_id == token_id(token))
    ).first()
    if record is None or record.ended_at is not None:
        raise SessionEnded()
    user = _active_user(session, record, token, now)
    signed_in = SignedIn(build_actor(session, user), user.must_change_password)
    if now - record.last_seen_at >= LAST_SEEN_RESOLUTION:
        _mark_seen(session, record.id, now)
    return signed_in


def _active_user(session: Session, record: UserSession, token: str, now: datetime) -> User:
    """The session's user; the session is ended (SessionEnded) once one of its limits passed."""
    user = session.get(User, record.user_id)
    if user is None or not user.active:
        reason = "inactive"
    elif now - record.created_at > SESSION_LIFETIME:
        reason = "expired"
    elif now - record.last_seen_at > settings.session_idle_timeout(session):
        reason = "idle"
    else:
        return user
    end_session(session, token, reason=reason)
    raise SessionEnded()


def _mark_seen(session: Session, record_id: int | None, now: datetime) -> None:
    """Bookkeeping, not an edit: no version bump, no audit event, no data version."""
    # A read transaction cannot be upgraded safely on SQLite: end it, then write IMMEDIATE.
    session.commit()
    try:
        begin_write(session)
        session.exec(
            update(UserSession)
            .where(
                col(UserSession.id) == record_id,
                # Another tab of the same session may have just marked it.
                col(UserSession.last_seen_at) < now - LAST_SEEN_RESOLUTION,
            )
            .values(last_seen_at=now)
        )
        session.commit()
    except OperationalError:
        # The lock stayed taken past the busy timeout: the page goes on, a later view marks it.
        session.rollback()


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
