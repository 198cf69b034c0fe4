"""Admin → Users through the real page; bad input gets a message and writes nothing."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select
from streamlit.testing.v1 import AppTest, local_script_runner
from streamlit.testing.v1.element_tree import Dataframe, parse_tree_from_messages

from models import AuditEvent, User
from models.base import utcnow
from services import data_version
from services.access import build_actor
from services.people import users
from tests.factories import make_user
from tests.pages.conftest import by_label, errors
from ui.tables import ROW_HEIGHT, table_height
from ui.text import plain

PAGE = "pages/users_page.py"


def _users_page(logged_in) -> AppTest:  # type: ignore[no-untyped-def]
    at = logged_in("admin")
    return at.switch_page(PAGE).run()


def _counts(engine: Engine) -> tuple[int, int]:
    with Session(engine) as session:
        return (
            session.exec(select(func.count()).select_from(User)).one(),
            session.exec(select(func.count()).select_from(AuditEvent)).one(),
        )


def _user(engine: Engine, username: str) -> User | None:
    with Session(engine) as session:
        return session.exec(select(User).where(User.username == username)).first()


def _in_form(elements, prefix: str) -> list:  # type: ignore[no-untyped-def]
    return [element for element in elements if (element.key or "").startswith(prefix)]


def _fill_create(
    at: AppTest, username: str, password: str, name: str = "New Person", role: str = "manager"
) -> AppTest:
    form = _in_form(at.text_input, "users__create")
    by_label(_in_form(at.selectbox, "users__create"), "Role").select(role)
    by_label(form, "Username").input(username)
    by_label(form, "Display name").input(name)
    by_label(form, "Initial password").input(password)
    return by_label(at.button, "Create user").click().run()


def test_admin_creates_a_user(demo_app, logged_in) -> None:
    at = _fill_create(_users_page(logged_in), "Chen.Jing", "a-good-password")
    assert not at.exception
    # The flash is Markdown: the username in it is escaped (it shows as typed).
    assert at.success[0].value == f"User {plain('chen.jing')} was created."
    created = _user(demo_app, "chen.jing")
    assert created is not None
    assert (created.role, created.display_name, created.active) == ("manager", "New Person", True)


@pytest.mark.parametrize(
    ("username", "password", "message"),
    [
        ("", "a-good-password", "Enter a username."),
        ("admin", "a-good-password", "That username is already taken."),
        ("ADMIN", "a-good-password", "That username is already taken."),
        (
            "two words",
            "a-good-password",
            "A username may use only letters, digits, dots, dashes and underscores.",
        ),
        ("x" * 65, "a-good-password", "The username must be at most 64 characters."),
        ("newbie", "short", "The password must be at least 8 characters."),
        ("newbie", "newbie", "The password must be at least 8 characters."),
        ("newbie99", "newbie99", "The password must not be the username."),
        (
            "newbie",
            "密" * 30,
            "The password is too long: at most 72 bytes (about 24 Chinese characters).",
        ),
    ],
)
def test_bad_new_user_gets_a_message_and_writes_nothing(
    demo_app, logged_in, username: str, password: str, message: str
) -> None:
    at = _users_page(logged_in)
    before = _counts(demo_app)
    at = _fill_create(at, username, password)
    assert not at.exception
    assert message in errors(at)
    assert _counts(demo_app) == before


def test_a_rep_user_needs_a_rep_and_a_free_one(demo_app, logged_in) -> None:
    at = _users_page(logged_in)
    before = _counts(demo_app)
    at = _fill_create(at, "lonely", "a-good-password", role="rep")
    assert "A user with the rep role must be linked to a rep." in errors(at)
    by_label(_in_form(at.selectbox, "users__create"), "Linked rep").set_value(
        _rep_id(demo_app, "rep")
    )
    at = _fill_create(at, "second", "a-good-password", role="rep")
    assert "That rep is already linked to another user." in errors(at)
    assert _counts(demo_app) == before


def _rep_id(engine: Engine, username: str) -> int:
    user = _user(engine, username)
    assert user is not None and user.rep_id is not None
    return user.rep_id


def test_edit_from_a_stale_version_is_refused(demo_app, logged_in) -> None:
    at = _users_page(logged_in)
    by_label(at.selectbox, "User").set_value(_user(demo_app, "manager").id).run()
    # Someone else saves a change after the form was opened.
    with Session(demo_app) as session:
        admin = build_actor(session, _user(demo_app, "admin"))
        manager = _user(demo_app, "manager")
        users.update(
            session,
            admin,
            user_id=manager.id,
            version=manager.version,
            data={"display_name": "Changed Elsewhere", "role": "manager", "locale": "zh_CN"},
        )
    by_label(_in_form(at.text_input, "users__edit"), "Display name").input("Mine")
    at = by_label(at.button, "Save changes").click().run()
    assert any("Someone else changed this record" in message for message in errors(at))
    assert _user(demo_app, "manager").display_name == "Changed Elsewhere"


def test_deactivate_and_reactivate(demo_app, logged_in) -> None:
    at = _users_page(logged_in)
    by_label(at.selectbox, "User").set_value(_user(demo_app, "rep").id).run()
    at = by_label(at.button, "Deactivate user").click().run()
    assert not at.exception
    assert _user(demo_app, "rep").active is False
    by_label(at.selectbox, "User").set_value(_user(demo_app, "rep").id).run()
    at = by_label(at.button, "Reactivate user").click().run()
    assert _user(demo_app, "rep").active is True


def test_reset_password_with_a_bad_password_writes_nothing(demo_app, logged_in) -> None:
    at = _users_page(logged_in)
    by_label(at.selectbox, "User").set_value(_user(demo_app, "rep").id).run()
    before = _counts(demo_app)
    by_label(at.text_input, "Temporary password").input("short")
    at = by_label(at.button, "Reset password").click().run()
    assert "The password must be at least 8 characters." in errors(at)
    assert _counts(demo_app) == before
    by_label(at.text_input, "Temporary password").input("temporary-ok")
    at = by_label(at.button, "Reset password").click().run()
    assert _user(demo_app, "rep").must_change_password is True


@pytest.fixture
def table_heights(monkeypatch: pytest.MonkeyPatch) -> list[tuple[pd.DataFrame, int | None]]:
    """Each run's tables with the pixel height sent for them. AppTest's tree keeps a table's
    data but not its height, so the messages are read on their way into the tree."""
    seen: list[tuple[pd.DataFrame, int | None]] = []

    def parse(messages):  # type: ignore[no-untyped-def]
        seen.clear()
        for msg in messages:
            element = msg.delta.new_element
            if msg.HasField("delta") and element.WhichOneof("type") == "dataframe":
                sized = element.height_config.WhichOneof("height_spec") == "pixel_height"
                height = element.height_config.pixel_height if sized else None
                seen.append((Dataframe(element.dataframe, root=None).value, height))
        return parse_tree_from_messages(messages)

    monkeypatch.setattr(local_script_runner, "parse_tree_from_messages", parse)
    return seen


def test_the_list_shows_every_user_in_natural_order_without_scrolling(
    demo_app, logged_in, table_heights
) -> None:
    with Session(demo_app) as session:
        # Names of our own, out of order: the demo's users are whatever the seed made.
        for username in ["zed11", "zed2", "zed10", "zed"]:
            make_user(session, username=username)
    _users_page(logged_in)
    [(table, height)] = table_heights
    listed = list(table["Username"])
    ours = [name for name in listed if name.startswith("zed")]
    assert ours == ["zed", "zed2", "zed10", "zed11"]
    assert listed == sorted(listed, key=users.natural_key)
    with Session(demo_app) as session:
        assert len(listed) == session.exec(select(func.count()).select_from(User)).one()
    # Tall enough for the header and every user: the table itself never scrolls.
    assert height == table_height(len(listed)) >= ROW_HEIGHT * (len(listed) + 1)


def test_an_admin_sees_a_locked_account_and_unlocks_it(demo_app, logged_in) -> None:
    with Session(demo_app) as session:
        rep = session.exec(select(User).where(User.username == "rep")).one()
        rep.locked_until = utcnow() + timedelta(minutes=15)
        session.add(rep)
        data_version.bump(session)
        session.commit()
        rep_id = rep.id
    at = _users_page(logged_in)
    [table] = at.dataframe
    locked = dict(zip(table.value["Username"], table.value["Locked until"], strict=True))
    assert locked["rep"] and not locked["admin"]
    by_label(at.selectbox, "User").set_value(rep_id).run()
    assert [warning.value for warning in at.warning] == [
        f"Locked after failed logins until {locked['rep']}."
    ]
    at = by_label(at.button, "Unlock account").click().run()
    assert not at.exception, at.exception
    assert _user(demo_app, "rep").locked_until is None
    at.run()
    assert not at.warning and not any(button.label == "Unlock account" for button in at.button)
