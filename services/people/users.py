"""Admin → Users: accounts, roles, linked reps, deactivation and password resets."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from models import Rep, User
from models.base import N_, utcnow
from models.enums import Locale, Role
from models.users import UserCreate, UserUpdate
from services.access import Actor, require_role
from services.errors import NotFound, ValidationError
from services.people import passwords
from services.people.auth import end_user_sessions
from services.unit_of_work import UnitOfWork, unit_of_work
from services.validation import build

ENTITY = "user"
_DIGITS = re.compile(r"(\d+)")


@dataclass(frozen=True, slots=True)
class UserAccount:
    """What a page may show of a user: never the password hash."""

    id: int
    username: str
    display_name: str
    email: str | None
    role: Role
    locale: Locale
    rep_id: int | None
    active: bool
    must_change_password: bool
    locked_until: datetime | None
    version: int

    @property
    def locked(self) -> bool:
        """Locked out after failed logins; the lock lapses by itself at `locked_until`."""
        return self.locked_until is not None and self.locked_until > utcnow()


@dataclass(frozen=True, slots=True)
class UserRow(UserAccount):
    """A user in the admin's list, with their linked rep's name."""

    rep_name: str | None


def _require_admin(session: Session, actor: Actor, action: str) -> None:
    require_role(session, actor, Role.ADMIN, action=action, entity=ENTITY)


def _public_fields(user: User) -> dict[str, Any]:
    # UserAccount's fields are the list of what may be shown, so a new column stays hidden.
    return {field.name: getattr(user, field.name) for field in fields(UserAccount)}


def public(user: User) -> UserAccount:
    return UserAccount(**_public_fields(user))


def list_users(session: Session, actor: Actor) -> list[UserRow]:
    """Every user with their linked rep's name. Admins only."""
    _require_admin(session, actor, "user.list_users")
    rows = session.exec(
        select(User, Rep.name).join(Rep, col(User.rep_id) == Rep.id, isouter=True)
    ).all()
    listed = [UserRow(**_public_fields(user), rep_name=rep_name) for user, rep_name in rows]
    # The username breaks a tie (rep01, rep1) so the order never depends on the database.
    return sorted(listed, key=lambda row: (natural_key(row.username), row.username))


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sorts digits by their number: rep, rep2, rep10 (not rep, rep10, rep2). Each part is
    (0, number) or (1, text), so a number and a word never meet in one comparison."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part)
        for part in _DIGITS.split(text.casefold())
        if part
    )


def get(session: Session, actor: Actor, user_id: int) -> UserAccount:
    _require_admin(session, actor, "user.get")
    user = session.get(User, user_id)
    if user is None:
        raise NotFound()
    return public(user)


def _check_rep_link(uow: UnitOfWork, rep_id: int | None, user_id: int | None) -> None:
    if rep_id is None:
        return
    if uow.session.get(Rep, rep_id) is None:
        raise ValidationError(N_("That rep does not exist."), field="rep_id")
    holder = uow.session.exec(select(User.id).where(User.rep_id == rep_id)).first()
    if holder is not None and holder != user_id:
        raise ValidationError(N_("That rep is already linked to another user."), field="rep_id")


def _check_username_free(uow: UnitOfWork, username: str) -> None:
    if uow.session.exec(select(User.id).where(User.username == username)).first() is not None:
        raise ValidationError(N_("That username is already taken."), field="username")


def create(session: Session, actor: Actor | None, *, data: dict[str, Any]) -> UserAccount:
    """Create a user. Admins only (`actor` None is the command line creating the first admin)."""
    if actor is not None:
        _require_admin(session, actor, "user.create")
    user_in = build(UserCreate, data)
    with unit_of_work(session, actor) as uow:
        _check_username_free(uow, user_in.username)
        _check_rep_link(uow, user_in.rep_id, None)
        password_hash = passwords.validated_hash(user_in.password, user_in.username)
        user = User.model_validate(
            user_in.model_dump(exclude={"password"}) | {"password_hash": password_hash}
        )
        uow.add(user)
    return public(user)


def update(
    session: Session, actor: Actor, *, user_id: int, version: int, data: dict[str, Any]
) -> UserAccount:
    _require_admin(session, actor, "user.update")
    user_in = build(UserUpdate, data)
    with unit_of_work(session, actor) as uow:
        user = uow.load(User, user_id, version=version)
        _check_rep_link(uow, user_in.rep_id, user_id)
        if user.id == actor.user_id and user_in.role != Role.ADMIN:
            raise ValidationError(N_("You cannot take the admin role from yourself."), field="role")
        uow.change(user, user_in.model_dump())
    return public(user)


def set_active(
    session: Session, actor: Actor, *, user_id: int, version: int, active: bool
) -> UserAccount:
    """Deactivate (ending every session at once) or reactivate a user."""
    _require_admin(session, actor, "user.set_active")
    with unit_of_work(session, actor) as uow:
        user = uow.load(User, user_id, version=version)
        if user.id == actor.user_id and not active:
            raise ValidationError(N_("You cannot deactivate yourself."), field="active")
        changes: dict[str, Any] = {"active": active}
        if active:
            changes |= {"failed_logins": 0, "locked_until": None}
        uow.change(user, changes, action="user.activate" if active else "user.deactivate")
        if not active:
            end_user_sessions(uow, user_id, "deactivated")
    return public(user)


def unlock(session: Session, actor: Actor, *, user_id: int, version: int) -> UserAccount:
    """Lift a lockout after failed logins now, so the user need not wait it out."""
    _require_admin(session, actor, "user.unlock")
    with unit_of_work(session, actor) as uow:
        user = uow.load(User, user_id, version=version)
        if not public(user).locked:
            raise ValidationError(N_("This account is not locked."), field="locked_until")
        uow.change(user, {"failed_logins": 0, "locked_until": None}, action="user.unlock")
    return public(user)


def reset_password(
    session: Session, actor: Actor, *, user_id: int, version: int, new_password: str
) -> UserAccount:
    """Set a temporary password; the user must change it at next login. Ends their sessions."""
    _require_admin(session, actor, "user.reset_password")
    with unit_of_work(session, actor) as uow:
        user = uow.load(User, user_id, version=version)
        password_hash = passwords.validated_hash(new_password, user.username)
        uow.change(
            user,
            {
                "password_hash": password_hash,
                "must_change_password": True,
                "failed_logins": 0,
                "locked_until": None,
            },
            action="user.reset_password",
        )
        end_user_sessions(uow, user_id, "password_reset")
    return public(user)


def rep_choices(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """Reps an admin may link to a user: (id, name), active ones first by name."""
    _require_admin(session, actor, "user.rep_choices")
    rows = session.exec(
        select(Rep.id, Rep.name).where(col(Rep.archived_at).is_(None)).order_by(col(Rep.name))
    ).all()
    return [(rep_id, name) for rep_id, name in rows if rep_id is not None]
