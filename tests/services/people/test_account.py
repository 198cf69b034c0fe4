"""services/people/account.py: a user changes their own password and language, nobody else's;
bad input is a message on a field and writes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models import AuditEvent, User
from models.enums import Locale
from services.errors import ValidationError
from services.people import account, passwords
from tests.factories import PASSWORD, Org
from tests.services.helpers import audit_actions, snapshot


def _stored(engine: Engine, user_id: int | None) -> User:
    with Session(engine) as fresh:
        user = fresh.get(User, user_id)
        assert user is not None
        return user


def _audit_text(engine: Engine) -> str:
    with Session(engine) as fresh:
        events = fresh.exec(select(AuditEvent)).all()
    return " ".join(f"{event.before} {event.after}" for event in events)


def test_a_user_changes_their_own_password_and_the_forced_change_ends(
    session: Session, engine: Engine, org: Org
) -> None:
    org.east_rep_user.must_change_password = True
    session.add(org.east_rep_user)
    session.commit()
    others = [(u.id, u.version) for u in (org.admin, org.east_manager, org.west_rep_user)]
    account.change_password(
        session, org.actor(session, org.east_rep_user), current=PASSWORD, new="a new secret"
    )
    stored = _stored(engine, org.east_rep_user.id)
    assert passwords.matches("a new secret", stored.password_hash)
    assert not passwords.matches(PASSWORD, stored.password_hash)
    assert stored.must_change_password is False
    assert audit_actions(engine) == ["user.change_password"]
    assert "a new secret" not in _audit_text(engine)
    # Only the actor's own row moved.
    assert [(u, _stored(engine, u).version) for u, _ in others] == others


@pytest.mark.parametrize(
    ("current", "new", "field", "msgid"),
    [
        ("not my password", "a new secret", "current", "The current password is not correct."),
        (PASSWORD, PASSWORD, "password", "The new password must differ from the current one."),
        (PASSWORD, "short", "password", "The password must be at least 8 characters."),
        (PASSWORD, "x" * 65, "password", "The password must be at most 64 characters."),
        (PASSWORD, " padded secret", "password",
         "The password must not start or end with a space."),
    ],
)  # fmt: skip
def test_a_refused_password_change_writes_nothing(
    session: Session, engine: Engine, org: Org, current: str, new: str, field: str, msgid: str
) -> None:
    before = snapshot(engine)
    with pytest.raises(ValidationError) as raised:
        account.change_password(
            session, org.actor(session, org.east_rep_user), current=current, new=new
        )
    assert (raised.value.field, raised.value.msgid) == (field, msgid)
    assert snapshot(engine) == before
    assert passwords.matches(PASSWORD, _stored(engine, org.east_rep_user.id).password_hash)


def test_a_user_sets_their_own_language(session: Session, engine: Engine, org: Org) -> None:
    chosen = account.set_locale(session, org.actor(session, org.west_rep_user), locale="zh_CN")
    assert chosen is Locale.ZH_CN
    assert _stored(engine, org.west_rep_user.id).locale == Locale.ZH_CN
    assert _stored(engine, org.east_rep_user.id).locale == Locale.EN
    assert audit_actions(engine) == ["user.set_locale"]


@pytest.mark.parametrize("locale", ["fr", "", "ZH_CN", "zh-CN"])
def test_an_unknown_language_is_refused_and_writes_nothing(
    session: Session, engine: Engine, org: Org, locale: str
) -> None:
    before = snapshot(engine)
    with pytest.raises(ValidationError) as raised:
        account.set_locale(session, org.actor(session, org.west_rep_user), locale=locale)
    assert (raised.value.field, raised.value.msgid) == ("locale", "Unknown language.")
    assert snapshot(engine) == before
