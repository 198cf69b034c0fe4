"""A user's own account: their password and their language."""

from __future__ import annotations

from sqlmodel import Session

from models import User
from models.base import N_
from models.enums import Locale
from services.access import Actor
from services.errors import ValidationError
from services.people import passwords
from services.people.auth import end_user_sessions
from services.unit_of_work import unit_of_work


def change_password(
    session: Session, actor: Actor, *, current: str, new: str, keep_token: str | None = None
) -> None:
    """Change the actor's own password; every other session of theirs ends."""
    with unit_of_work(session, actor) as uow:
        user = uow.load(User, actor.user_id, version=None)
        if not passwords.matches(current, user.password_hash):
            raise ValidationError(N_("The current password is not correct."), field="current")
        if passwords.matches(new, user.password_hash):
            raise ValidationError(
                N_("The new password must differ from the current one."), field="password"
            )
        password_hash = passwords.validated_hash(new, user.username)
        uow.change(
            user,
            {"password_hash": password_hash, "must_change_password": False},
            action="user.change_password",
        )
        end_user_sessions(uow, actor.user_id, "password_changed", keep_token=keep_token)


def set_locale(session: Session, actor: Actor, *, locale: str) -> Locale:
    if locale not in {value.value for value in Locale}:
        raise ValidationError(N_("Unknown language."), field="locale")
    with unit_of_work(session, actor) as uow:
        user = uow.load(User, actor.user_id, version=None)
        uow.change(user, {"locale": Locale(locale)}, action="user.set_locale")
    return Locale(locale)
