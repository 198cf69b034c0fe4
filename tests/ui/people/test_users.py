"""ui/people/users.py: an admin adds, edits, deactivates and resets users through the forms;
refused input is a translated message and writes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from models import User
from models.enums import Role
from services.i18n import translate
from services.people.passwords import matches
from tests.factories import Org, actor_for
from tests.pages.conftest import by_label
from tests.services.helpers import snapshot
from tests.ui.conftest import piece


def _users(user_id: int | None) -> None:
    from services.people import users
    from ui import runtime
    from ui.feedback import show_flash
    from ui.people.users import create_form, edit_form

    show_flash()
    reps = runtime.call(users.rep_choices)
    if user_id is None:
        create_form(reps)
    else:
        edit_form(runtime.call(users.get, user_id), reps)


@pytest.fixture
def org(fresh_app_env: Engine) -> Org:
    with Session(fresh_app_env, expire_on_commit=False) as session:
        return Org(session)


def _open(engine: Engine, org: Org, user_id: int | None, locale: str = "en") -> AppTest:
    with Session(engine) as session:
        actor = actor_for(session, org.admin)
    at = piece(_users, user_id, actor=actor, locale=locale).run()
    assert not at.exception, at.exception
    return at


def _user(engine: Engine, username: str) -> User | None:
    with Session(engine) as session:
        return session.exec(select(User).where(User.username == username)).first()


def _click(at: AppTest, label: str) -> AppTest:
    by_label(at.button, label).click().run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("locale", ["en", "zh_CN"])
def test_a_refused_new_user_is_a_translated_message_and_writes_nothing(
    fresh_app_env: Engine, org: Org, locale: str
) -> None:
    at = _open(fresh_app_env, org, None, locale=locale)
    at.text_input(key="users__create_username").input("newbie")
    at.text_input(key="users__create_name").input("New Bie")
    at.text_input(key="users__create_password").input("short")
    before = snapshot(fresh_app_env)
    _click(at, translate(locale, "Create user"))
    assert [error.value for error in at.error] == [
        translate(locale, "The password must be at least 8 characters.")
    ]
    assert snapshot(fresh_app_env) == before
    assert "short" not in " ".join(error.value for error in at.error)


def test_an_admin_adds_a_user_linked_to_a_rep(fresh_app_env: Engine, org: Org) -> None:
    with Session(fresh_app_env) as session:
        session.delete(session.get(User, org.east_rep_user.id))
        session.commit()
    at = _open(fresh_app_env, org, None)
    at.text_input(key="users__create_username").input("Chen.Jing")
    at.text_input(key="users__create_name").input("Chen Jing")
    at.selectbox(key="users__create_role").select("rep")
    at.selectbox(key="users__create_locale").select("zh_CN")
    at.selectbox(key="users__create_rep").select(org.east_rep.id)
    at.text_input(key="users__create_password").input("a-good-password")
    _click(at, "Create user")
    # The typed name is escaped Markdown.
    assert [success.value for success in at.success] == ["User chen\\.jing was created."]
    stored = _user(fresh_app_env, "chen.jing")
    assert stored is not None
    assert (stored.display_name, stored.role, stored.locale, stored.rep_id) == (
        "Chen Jing", Role.REP, "zh_CN", org.east_rep.id,
    )  # fmt: skip
    assert matches("a-good-password", stored.password_hash)


def test_an_edit_fills_the_form_from_the_user_and_saves(fresh_app_env: Engine, org: Org) -> None:
    at = _open(fresh_app_env, org, org.west_rep_user.id)
    assert at.text_input(key=f"users__edit_{org.west_rep_user.id}_name").value == "Westrep"
    assert at.selectbox(key=f"users__edit_{org.west_rep_user.id}_rep").value == org.west_rep.id
    at.text_input(key=f"users__edit_{org.west_rep_user.id}_name").input("West Wu")
    _click(at, "Save changes")
    assert [success.value for success in at.success] == ["Changes to westrep were saved."]
    stored = _user(fresh_app_env, "westrep")
    assert stored is not None
    assert (stored.display_name, stored.version) == ("West Wu", org.west_rep_user.version + 1)


def test_an_admin_cannot_take_their_own_admin_role(fresh_app_env: Engine, org: Org) -> None:
    at = _open(fresh_app_env, org, org.admin.id)
    at.selectbox(key=f"users__edit_{org.admin.id}_role").select("manager")
    before = snapshot(fresh_app_env)
    _click(at, "Save changes")
    assert [error.value for error in at.error] == ["You cannot take the admin role from yourself."]
    assert snapshot(fresh_app_env) == before


def test_deactivate_reactivate_and_reset_a_password(fresh_app_env: Engine, org: Org) -> None:
    at = _open(fresh_app_env, org, org.west_rep_user.id)
    _click(at, "Deactivate user")
    assert [success.value for success in at.success] == ["Changes to westrep were saved."]
    assert _user(fresh_app_env, "westrep").active is False  # type: ignore[union-attr]
    at.run()
    assert "This user is deactivated and cannot log in." in [c.value for c in at.caption]
    _click(at, "Reactivate user")
    assert _user(fresh_app_env, "westrep").active is True  # type: ignore[union-attr]
    at.run()
    by_label(at.text_input, "Temporary password").input("temporary-pw")
    _click(at, "Reset password")
    stored = _user(fresh_app_env, "westrep")
    assert stored is not None
    assert stored.must_change_password is True
    assert matches("temporary-pw", stored.password_hash)
